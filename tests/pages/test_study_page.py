"""The Study-hours page in AppTest."""

import math

import pytest

from tests.pages.conftest import metrics, open_page, sensitivity_table, shown


def test_defaults_show_the_seed_numbers():
    at = open_page("study")
    m = metrics(at)
    assert m["Optimal study hours"] == "9.03 h"
    assert m["Best effective score"] == "75.3"
    assert m["Score at your hours"] == "68.9"
    assert m["Points lost"] == "6.4"
    assert "ln(15)/0.3 = 9.0268 h" in at.caption[0].value
    assert "Study less" in at.success[0].value


def test_url_fatigue():
    m = metrics(open_page("study", fatigue="3"))
    assert m["Optimal study hours"] == "7.68 h"  # ln(100 * 0.3 / 3) / 0.3 = 7.675


@pytest.mark.parametrize("params", [{"fatigue": "abc"}, {"k": "-1"}, {"hours": "1e999"}, {"model": "cubic"}])
def test_junk_url_values_fall_back(params):
    assert metrics(open_page("study", **params))["Optimal study hours"] == "9.03 h"


def test_boundary_cases_are_said_plainly():
    at = open_page("study", fatigue="20", k="1.5", max_score="10")  # M k = 15 <= c = 20
    assert metrics(at)["Optimal study hours"] == "0.00 h"
    assert "every hour costs more than it earns" in shown(at.warning[0].value)
    at = open_page("study", k="0.05")  # ln(2.5)/0.05 = 18.3 h > 16 h
    assert metrics(at)["Optimal study hours"] == "16.00 h"
    assert "on that boundary" in shown(at.warning[0].value)


def test_quadratic_model():
    at = open_page("study", model="quadratic")
    m = metrics(at)
    assert m["Optimal study hours"] == "6.00 h"
    assert m["Best effective score"] == "56.0"


def test_slider_moves_update_the_metrics():
    at = open_page("study")
    at.slider(key="hours").set_value(9.0).run()
    assert metrics(at)["Points lost"] == "0.0"
    assert "Good plan" in at.success[0].value


def _page_text(at) -> str:
    return shown(" ".join(e.value for e in [*at.markdown, *at.success, *at.info, *at.warning, *at.caption]))


def test_no_negative_points_lost_beyond_the_limit():
    """/study?fatigue=0&hours=24 scored 0.7 more than the best plan within 16 h: "Points lost −0.7"."""
    at = open_page("study", fatigue="0", hours="24")
    m = metrics(at)
    assert m["Points lost"] == "0.0"
    assert m["Optimal study hours"] == "16.00 h"  # the boundary: no fatigue, the score keeps rising
    text = _page_text(at)
    assert "−0.7" not in text
    assert "-0.7" not in text
    assert "It scores 0.7 points more than the best plan within that limit (16.00 h)" in text
    assert not at.success  # neither "Good plan" nor "Study less/more" for a plan that breaks the limit


def test_a_negative_effective_score_is_said_in_words():
    """M = 100, k = 0.3, c = 20 at 24 h: 100(1 − e^−7.2) − 480 = −380.1, no test score."""
    at = open_page("study", fatigue="20", hours="24")
    m = metrics(at)
    assert m["Score at your hours"] == "below 0"
    score = 100 * (1 - math.exp(-0.3 * 24)) - 20 * 24
    assert f"{score:.1f}" == "-380.1"
    info = shown(at.info[0].value)
    assert "At 24.00 h the effective score is below zero (−380.1)" in info
    assert "fatigue costs 480.0 points, more than the 99.9 that studying earns" in info
    assert "No test scores below zero" in info
    assert m["Best effective score"] == "6.3"  # ln(1.5)/0.3 = 1.35 h: 100(1 − 1/1.5) − 20·1.3516


def test_the_best_score_below_zero_is_said_too():
    at = open_page("study", model="quadratic", quad_a="-1", quad_b="2", quad_c="-50")  # best -49 at h = 1
    m = metrics(at)
    assert m["Optimal study hours"] == "1.00 h"
    assert m["Best effective score"] == "below 0"
    assert "Even the best plan's score is below zero (−49.0)" in _page_text(at)


def _sensitivity(at):
    return sensitivity_table(at).set_index("parameter")


def test_what_moves_the_optimum_at_the_defaults():
    at = open_page("study")
    t = _sensitivity(at)
    assert list(t.index) == ["max_score", "k", "fatigue", "max_hours"]
    h_star = math.log(100 * 0.3 / 2) / 0.3
    assert t.loc["fatigue", "optimum_change_per_unit"] == pytest.approx(-1 / (2 * 0.3), rel=1e-10)  # −1/(c·k)
    assert t.loc["fatigue", "best_change_per_unit"] == pytest.approx(-h_star, rel=1e-10)  # −h*
    assert t.loc["max_score", "optimum_change_per_unit"] == pytest.approx(1 / (100 * 0.3), rel=1e-10)  # 1/(M·k)
    assert t.loc["max_hours", "optimum_change_per_unit"] == 0  # interior: the limit does not bind
    assert t.loc["fatigue", "value"] == 2
    assert any(d.proto.id.endswith("download_study_sensitivity_csv") for d in at.get("download_button"))
    assert any(m.value.startswith("### What moves the optimum") for m in at.markdown)


def test_what_moves_the_optimum_at_a_non_default_url():
    t = _sensitivity(open_page("study", fatigue="3", k="0.5", max_score="120"))
    h_star = math.log(120 * 0.5 / 3) / 0.5
    assert t.loc["fatigue", "value"] == 3
    assert t.loc["fatigue", "optimum_change_per_unit"] == pytest.approx(-1 / (3 * 0.5), rel=1e-10)
    assert t.loc["fatigue", "best_change_per_unit"] == pytest.approx(-h_star, rel=1e-10)
    # on the boundary (k = 0.05: ln(2.5)/0.05 = 18.3 h > 16 h) the best plan moves one for one with the limit
    t = _sensitivity(open_page("study", k="0.05"))
    assert t.loc["max_hours", "optimum_change_per_unit"] == pytest.approx(1.0, rel=1e-12)
    assert t.loc["fatigue", "optimum_change_per_unit"] == 0
    assert t.loc["fatigue", "best_change_per_unit"] == pytest.approx(-16.0, rel=1e-10)  # −h at h = 16
    t = _sensitivity(open_page("study", model="quadratic"))
    assert list(t.index) == ["quad_a", "quad_b", "quad_c", "max_hours"]
    assert t.loc["quad_b", "optimum_change_per_unit"] == pytest.approx(0.5, rel=1e-10)  # h* = −b/(2a), a = −1


def test_slider_labels_show_counts_without_decimals():
    at = open_page("study")
    fmt = {s.key: s.proto.format for s in at.slider}
    assert fmt["max_score"] == "%.0f"
    assert fmt["hours"] == "%.2f"


# --- issue 19: what a newcomer saw -------------------------------------------------------------


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


@pytest.mark.parametrize("params", [{}, {"model": "quadratic"}, {"fatigue": "20", "hours": "24"}])
def test_no_seed_anywhere(params):
    """The quadratic model's help read "the seed's S(h) = a·h² + b·h + c"."""
    at = open_page("study", **params)
    everything = " ".join(str(n.proto) for n in _walk(at._tree) if getattr(n, "proto", None) is not None)
    assert "seed" not in everything.lower()


def test_no_turning_point_is_promised_without_fatigue():
    """/study?fatigue=0: the marginal gain never reaches zero, but the page said "Allow longer
    days to see where the marginal gain reaches zero"."""
    warning = shown(open_page("study", fatigue="0").warning[0].value)
    assert "reaches zero" not in warning
    assert "keeps rising without end" in warning


def test_a_dip_is_not_called_a_fall():
    """S(h) = h² − 4h on [0, 3 h]: best at 0 h, but the score rises again after 2 h; the page
    said "The score only falls as hours grow"."""
    at = open_page("study", model="quadratic", quad_a="1", quad_b="-4", quad_c="0", max_hours="3")
    assert metrics(at)["Optimal study hours"] == "0.00 h"
    warning = shown(at.warning[0].value)
    assert "only falls" not in warning
    assert "dips and then rises" in warning


# --- issue 22: reach a target score ---------------------------------------------------------------


def test_target_from_a_link():
    at = open_page("study", model="quadratic", quad_a="-1", quad_b="12", quad_c="20", target="52")
    assert at.number_input(key="target").value == 52
    text = shown(" ".join(md.value for md in at.markdown))
    assert "The score is 52 at 4.00 h and at 8.00 h, and higher between them." in text
    (chart,) = [c for c in at.get("vega_lite_chart") if any(d.name == "target" for d in c.proto.datasets)]
    import pyarrow as pa

    (data,) = [d for d in chart.proto.datasets if d.name == "target"]
    table = pa.ipc.open_stream(data.data.data).read_all().to_pandas()
    assert sorted(table.loc[table["kind"] == "solution", "x"]) == pytest.approx([4.0, 8.0], rel=1e-10)


def test_target_out_of_reach_and_junk():
    text = shown(" ".join(md.value for md in open_page("study", target="80").markdown))
    assert "No plan up to 16 h scores 80" in text
    at = open_page("study", target="lots")
    assert at.number_input(key="target").value == 0
    assert "Target" not in shown(" ".join(md.value for md in at.markdown))
