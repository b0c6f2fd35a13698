"""The "Your own function" page in AppTest (the Derivative lab: test_lab_page.py)."""

import json

import numpy as np
import pyarrow as pa
import pytest
import streamlit as st

from explain.format import MINUS, minus
from optimizers import expression
from optimizers._testproblems import PROBLEMS
from optimizers.expression import PRESET_A, PRESETS
from runtime import symbolic
from tests.pages.conftest import metrics, open_page, shown
from tests.pages.conftest import sensitivity_table as conftest_sensitivity_table


def page_text(at) -> str:
    return " ".join(shown(e.value) for e in [*at.markdown, *at.caption, *at.warning, *at.error, *at.info])


def marginal_marks(at) -> list[dict]:
    """The marks dataset of the marginal chart (labels of the optimum on f')."""
    bottom = at.get("vega_lite_chart")[1]
    spec = json.loads(bottom.proto.spec)
    return spec["layer"]


def test_default_is_the_seed_ad_spend():
    at = open_page("custom")
    m = metrics(at)
    assert m["Global minimum"] == "75"
    assert m["Reached at"] == "x = 5"
    assert [e.value.strip("$\n") for e in at.latex] == ["f(x) = x^{2} - 10 x + 100", "f'(x) = 2 x - 10", "f''(x) = 2"]


def test_url_function_and_boundary():
    at = open_page("custom", f="exp(-x)", lo="0", hi="5", goal="max")
    m = metrics(at)
    assert m["Global maximum"] == "1"
    assert m["Reached at"] == "x = 0 (boundary)"


def test_default_is_certified():
    at = open_page("custom")
    text = page_text(at)
    assert ":green-badge[:material/verified: Certified: nothing in [0, 10] is below 75 − " in text
    assert "cells" in text


def test_quotient_preset_shows_zero_not_rounding_noise():
    """x^2/(x + 1): brentq's -2.01e-16 and 4.05e-32 are shown as 0."""
    _label, text, lo, hi, goal, _ = PRESETS["quotient"]
    at = open_page("custom", f=text, lo=str(lo), hi=str(hi), goal=goal)
    m = metrics(at)
    assert (m["Global minimum"], m["Reached at"]) == ("0", "x = 0")
    assert "e-16" not in page_text(at)
    assert "e-32" not in page_text(at)


def test_a_narrow_well_is_found_by_the_certified_search():
    """A well narrower than a grid cell, between two grid points: the grid answers -1, the
    interval search finds -1.42748 at 2.0125 and the page shows that."""
    at = open_page("custom", f="cos(x) - exp(-1e6*(x - 2.0125)^2)", lo="-10", hi="10")
    m = metrics(at)
    assert (m["Global minimum"], m["Reached at"]) == ("−1.42748", "x = 2.0125")
    text = page_text(at)
    assert "found by the certified search" in text
    assert "Certified: nothing in [−10, 10] is below −1.42748" in text


@pytest.mark.parametrize(
    ("f", "lo", "hi", "minimum", "at_x", "words"),
    [
        ("sqrt(x)", "0", "10", "0", "x = 0 (boundary)", "vertical tangent"),
        ("x^(1/3)", "0", "1", "0", "x = 0 (boundary)", "vertical tangent"),
        ("x^x", "0", "2", "0.692201", "x = 0.367879", "f″ = 1.8816 > 0"),
        ("abs(x)^0.5", "-1", "1", "0", "x = 0", "a cusp"),
        ("abs(x)", "-1", "1", "0", "x = 0", "a kink: f′ jumps from −1 to 1"),
    ],
)
def test_infinite_slopes_and_kinks(f, lo, hi, minimum, at_x, words):
    """Never 'undefined', 'overflow' or 'not continuous': a candidate, labelled."""
    at = open_page("custom", f=f, lo=lo, hi=hi)
    m = metrics(at)
    assert (m["Global minimum"], m["Reached at"]) == (minimum, at_x)
    text = page_text(at)
    assert words in text
    for wrong in ("undefined", "overflow", "not continuous"):
        assert wrong not in text
    assert not at.warning


@pytest.mark.parametrize("f", ["0**-1", "0^-2", "(1-1)**-1", "0.0**-0.5"])
def test_zero_to_a_negative_power(f):
    at = open_page("custom", f=f)
    assert "divides by zero" in shown(at.error[0].value)
    assert not at.metric


def _optimum_marginal_labels(at) -> list[str]:
    """The labels the marginal row shows at the optimum, read from every chart's marks data."""
    labels = []
    for chart in at.get("vega_lite_chart"):
        for ds in chart.proto.datasets:
            if ds.name.startswith("marks"):
                rows = pa.ipc.open_stream(ds.data.data).read_all().to_pylist()
                labels += [r["d_label"] for r in rows if r.get("role") == "optimum" and r.get("d_label")]
    return labels


def test_interior_maximum_is_not_labelled_boundary():
    """sin(x) on [0, 20]: the maximum 1 is interior; the marginal chart marks f' = 0 there."""
    at = open_page("custom", f="sin(x)", hi="20", goal="max")
    m = metrics(at)
    assert m["Global maximum"] == "1"
    assert "boundary" not in m["Reached at"]
    assert _optimum_marginal_labels(at) == ["f′ = 0"]


def test_unresolved_grid_is_said():
    at = open_page("custom", f="sin(1000x)", goal="max")
    text = page_text(at)
    assert "may be incomplete" in text
    assert "narrower interval" in text


def test_could_not_check_is_not_not_the_same(monkeypatch):
    """A busy server means 'could not check', never 'NOT the same'."""
    st.cache_data.clear()
    monkeypatch.setattr(symbolic, "derivative_matches", lambda text, claimed, timeout=2.0: None)
    at = open_page("custom")
    at.button(key="preset_quotient").click().run()
    captions = " ".join(c.value for c in at.caption)
    assert "could not check it right now" in captions
    assert "NOT the same" not in captions
    st.cache_data.clear()


@pytest.mark.parametrize("problem", [p for p in PROBLEMS if p.number in (3, 13, 18, 22)], ids=lambda p: f"P{p.number}")
def test_published_problems_are_certified_on_the_page(problem):
    at = open_page("custom", f=problem.text, lo=repr(problem.lo), hi=repr(problem.hi))
    assert minus(f"Certified: nothing in [{problem.lo:.6g}, {problem.hi:.6g}] is below") in page_text(at)
    value = metrics(at)["Global minimum"].replace(MINUS, "-")  # the page's one minus sign, read as a number
    assert float(value) == pytest.approx(problem.f_star, rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("key", list(PRESETS))
def test_presets(key):
    _label, text, lo, hi, goal, claimed = PRESETS[key]
    at = open_page("custom")
    at.button(key=f"preset_{key}").click().run()
    assert not at.exception
    assert at.text_input(key="f").value == text
    assert (at.number_input(key="lo").value, at.number_input(key="hi").value) == (lo, hi)
    source = "by hand" if key in PRESET_A else "the tutorial gives"
    assert f"{source} f′(x) = {claimed} — the same, symbolically" in " ".join(c.value for c in at.caption)
    assert ("Global minimum" if goal == "min" else "Global maximum") in metrics(at)


@pytest.mark.parametrize(
    ("f", "message"),
    [
        ("__import__('os').system('id')", "only calls like sin"),
        ("9**9**9", "exponent too large"),
        ("open('/etc/passwd')", "unknown function 'open'"),
        ("x +", "not a formula"),
    ],
)
def test_hostile_or_broken_formulas_show_a_message(f, message):
    at = open_page("custom", f=f)
    assert message in shown(at.error[0].value)
    assert not at.metric


def test_undefined_parts_are_reported():
    at = open_page("custom", f="log(x)", lo="-1", hi="2", goal="max")
    assert "−1 ≤ x ≤ 0" in shown(at.warning[0].value)
    assert metrics(at)["Global maximum"] == "—"


def test_bad_interval():
    at = open_page("custom", lo="5", hi="1")
    assert "needs 'from' < 'to'" in shown(at.error[0].value)


@pytest.mark.parametrize(
    ("page", "params"),
    [("study", {}), ("fuel", {}), ("custom", {"f": "sin(x)", "hi": "20", "goal": "max"})],
)
def test_marginal_chart_marks_interior_optima_at_zero_slope(page, params):
    """The '(boundary)' label follows the optimum's place (ui/charts.py), not f' read off the
    grid: 9.03 h on /study, 44.7 mph on /fuel and sin's maximum are interior."""
    labels = _optimum_marginal_labels(open_page(page, **params))
    assert labels
    assert set(labels) == {"f′ = 0"}


def test_marginal_chart_marks_a_boundary_optimum():
    at = open_page("custom", f="exp(-x)", lo="0", hi="5", goal="max")
    assert _optimum_marginal_labels(at) == ["f′ = -1 (boundary)"]


@pytest.fixture
def sympy_calls(monkeypatch) -> list:
    """The formulas sympy differentiates from now on (every cache emptied first)."""
    st.cache_data.clear()
    calls = []
    real = symbolic.run_with_timeout

    def counted(fn, args, *rest, **kwargs):
        if fn is expression.derive:
            calls.append(args[0])
        return real(fn, args, *rest, **kwargs)

    monkeypatch.setattr(symbolic, "run_with_timeout", counted)
    return calls


def test_moving_the_interval_or_x_never_reruns_sympy(sympy_calls):
    """Symbolic work is cached on the formula text alone (issue 14): new lo, hi, goal or x
    reuse it; only a new formula runs sympy."""
    calls = sympy_calls
    at = open_page("custom", f="x^3 - 3x")
    at.number_input(key="lo").set_value(-2.0).run()
    at.number_input(key="hi").set_value(3.0).run()
    assert metrics(at)["Critical points"] == "2"
    assert len(calls) == 1
    lab = open_page("lab", f="x^3 - 3x", x="2")  # the lab has its own cache: one more run
    assert len(calls) == 2
    lab.number_input(key="x").set_value(5.0).run()
    assert metrics(lab)["Analytic f′(x)"] == "72"
    assert len(calls) == 2
    st.cache_data.clear()


# --- the parameter a and "What moves the optimum" ------------------------------------------


def sensitivity_table(at):
    """The "What moves the optimum" table as the page shows it (None when it is absent)."""
    table = conftest_sensitivity_table(at)
    return None if table is None else table.set_index("parameter")


def test_parameter_at_its_default():
    """x² − a·x with a = 1 (the default): x* = a/2 = 0.5, dx*/da = 1/2, dV*/da = −x* = −0.5."""
    at = open_page("custom", f="x**2-a*x")
    assert at.number_input(key="a").value == 1.0
    assert metrics(at)["Reached at"] == "x = 0.5"
    table = sensitivity_table(at)
    assert list(table.columns) == ["value", "optimum_change_per_unit", "best_change_per_unit", "optimum_elasticity"]
    assert table.loc["a"].tolist() == [
        1.0,
        pytest.approx(0.5, rel=1e-10),
        pytest.approx(-0.5, rel=1e-10),
        pytest.approx(1.0),
    ]
    assert any(m.value.startswith("### What moves the optimum") for m in at.markdown)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download sensitivity (CSV)" in labels
    assert "Your best x is most sensitive to a" in page_text(at)


def test_parameter_from_the_url():
    """/custom?f=x**2-a*x&a=3: x* = 1.5, f* = −2.25, dV*/da = −1.5; the link keeps a."""
    at = open_page("custom", f="x**2-a*x", a="3")
    m = metrics(at)
    assert (m["Global minimum"], m["Reached at"]) == ("−2.25", "x = 1.5")
    assert "Certified: nothing in [0, 10] is below −2.25" in page_text(at)
    table = sensitivity_table(at)
    assert table.loc["a", "optimum_change_per_unit"] == pytest.approx(0.5, rel=1e-10)
    assert table.loc["a", "best_change_per_unit"] == pytest.approx(-1.5, rel=1e-10)
    assert "a=3" in at.code[-1].value  # the share link keeps a


def test_moving_a_moves_the_optimum_and_the_table():
    at = open_page("custom", f="a*x - x^3/3", lo="0", hi="5", goal="max")
    assert metrics(at)["Reached at"] == "x = 1"  # x* = sqrt(a)
    at.number_input(key="a").set_value(4.0).run()
    assert metrics(at)["Reached at"] == "x = 2"
    table = sensitivity_table(at)
    assert table.loc["a", "optimum_change_per_unit"] == pytest.approx(0.25, rel=1e-10)  # 1/(2 sqrt a)
    assert table.loc["a", "best_change_per_unit"] == pytest.approx(2.0, rel=1e-10)  # x*


def test_boundary_optimum_adds_the_end_row():
    """a = 30 puts x* = a/2 past the upper end 10: rows for a and hi, and when x* leaves."""
    at = open_page("custom", f="x**2-a*x", a="30")
    assert metrics(at)["Reached at"] == "x = 10 (boundary)"
    table = sensitivity_table(at)
    assert list(table.index) == ["a", "hi"]
    assert table.loc["hi", "optimum_change_per_unit"] == 1.0
    assert table.loc["hi", "best_change_per_unit"] == pytest.approx(-10.0, rel=1e-10)  # f′(10) = 20 − 30
    assert "leaves the upper end when a reaches 20" in page_text(at)


def test_price_preset_sets_a():
    at = open_page("custom")
    at.button(key="preset_price").click().run()
    assert at.number_input(key="a").value == PRESET_A["price"]
    assert (metrics(at)["Global maximum"], metrics(at)["Reached at"]) == ("100", "x = 10")
    assert sensitivity_table(at).loc["a", "best_change_per_unit"] == pytest.approx(10.0, rel=1e-10)


def test_no_parameter_no_field_and_no_a_in_the_link():
    at = open_page("custom", f="x^2 - 10x + 100", a="3")
    assert [n.key for n in at.number_input] == ["lo", "hi"]
    assert sensitivity_table(at) is None
    assert "a" not in at.query_params
    assert "a=" not in at.code[-1].value


def test_the_field_goes_when_a_leaves_the_formula():
    at = open_page("custom", f="x**2-a*x", a="3")
    at.text_input(key="f").set_value("x**2 - 3*x").run()
    assert "a" not in [n.key for n in at.number_input]
    assert "a" not in at.query_params
    assert metrics(at)["Reached at"] == "x = 1.5"


@pytest.mark.parametrize("value", ["", "nan", "inf", "-inf", "1e309", "1e7", "abc", "0x10", "1,5", "--1"])
def test_hostile_a_falls_back_to_the_default(value):
    at = open_page("custom", f="x**2-a*x", a=value)
    assert at.number_input(key="a").value == 1.0
    assert metrics(at)["Reached at"] == "x = 0.5"
    assert "a" not in at.query_params


def test_minus_zero_is_zero():
    at = open_page("custom", f="x**2-a*x", a="-0")
    assert metrics(at)["Reached at"] == "x = 0 (boundary)"
    table = sensitivity_table(at)
    assert "−0" not in page_text(at)
    assert str(table.loc["a", "value"]) == "0.0"


def test_other_names_are_refused():
    at = open_page("custom", f="x**2-b*x")
    assert "unknown name 'b': use x, the parameter a" in shown(at.error[0].value)
    assert not at.metric


def test_when_the_theorems_do_not_apply_the_page_says_why():
    at = open_page("custom", f="abs(x - a) + 0.1*(x - 1)^2", lo="-5", hi="5", a="2")
    assert metrics(at)["Reached at"] == "x = 2"
    assert sensitivity_table(at) is None
    assert "kink" in page_text(at)
    at = open_page("custom", f="sin(1000*a*x)")
    assert sensitivity_table(at) is None
    assert "CPU-seconds" in page_text(at)


def test_moving_a_never_reruns_sympy(sympy_calls):
    """The symbolic work is cached on the formula text: new lo, hi, goal or a reuse it."""
    calls = sympy_calls
    at = open_page("custom", f="x^2 - a*x")
    for value in (3.0, -2.0, 7.5):
        at.number_input(key="a").set_value(value).run()
    at.number_input(key="lo").set_value(-4.0).run()
    at.number_input(key="hi").set_value(3.0).run()
    assert metrics(at)["Reached at"] == "x = 3 (boundary)"  # a/2 = 3.75 is past hi
    assert len(calls) == 1
    st.cache_data.clear()


# --- issue 19: what a newcomer saw ---------------------------------------------------------


def _optimum_marker_labels(at) -> list[str]:
    """The labels of the optimum's marker, read from the charts' marks data."""
    labels = []
    for chart in at.get("vega_lite_chart"):
        for ds in chart.proto.datasets:
            if ds.name.startswith("marks"):
                rows = pa.ipc.open_stream(ds.data.data).read_all().to_pylist()
                labels += [r["label"] for r in rows if r.get("role") == "optimum"]
    return labels


def _table(at):
    """The table of x, f, f′, f″ as the page shows it (behind its toggle)."""
    at.toggle(key="show_custom_csv").set_value(True).run()
    return next(d.value for d in at.dataframe if "note" in d.value.columns)


def test_every_place_the_optimum_is_reached():
    """Item 4: f(−2) = f(1) = −2 for x³ − 3x on [−2, 3]: both places, in the metric, the sentence,
    the marker's label and the table's notes."""
    at = open_page("custom", f="x**3-3*x", lo="-2", hi="3", goal="min")
    m = metrics(at)
    assert (m["Global minimum"], m["Reached at"]) == ("−2", "x = −2 and 1")  # fits a metric (16 characters)
    help_ = next(x.proto.help for x in at.metric if x.label == "Reached at")
    assert help_ == "Every place: x = −2 (boundary) and x = 1."
    assert "reached at x = −2 and x = 1" in page_text(at)
    assert _optimum_marker_labels(at) == ["min at −2 and 1"]
    table = _table(at)
    assert sorted(table.loc[table.note.str.contains("global min"), "x"]) == [-2.0, 1.0]


@pytest.mark.parametrize(
    ("f", "lo", "hi", "goal", "best", "at_x", "limit"),
    [
        ("sin(x)/x", "-10", "10", "max", "1", "x = 0 (limit)", "f is undefined at x = 0; its limit there, 1, is used."),
        (
            "x*log(x)",
            "0",
            "1",
            "min",
            "−0.367879",
            "x = 0.367879",
            "f is undefined at x = 0; its limit there, 0, is used.",
        ),
        (
            "(x**2-1)/(x-1)",
            "0",
            "2",
            "min",
            "1",
            "x = 0 (boundary)",
            "f is undefined at x = 1; its limit there, 2, is used.",
        ),
        (
            "exp(-1/x**2)",
            "-1",
            "1",
            "min",
            "0",
            "x = 0 (limit)",
            "f is undefined at x = 0; its limit there, 0, is used.",
        ),
    ],
)
def test_a_removable_singularity_is_its_limit(f, lo, hi, goal, best, at_x, limit):
    """Item 4: f undefined at a point with a finite limit is not refused (nor is half the
    interval dropped): the limit is used and the page says so."""
    at = open_page("custom", f=f, lo=lo, hi=hi, goal=goal)
    m = metrics(at)
    assert (m[f"Global {'minimum' if goal == 'min' else 'maximum'}"], m["Reached at"]) == (best, at_x)
    text = page_text(at)
    assert limit in text
    assert "division by zero" not in text
    assert not at.warning


def test_sin_x_over_x_minimum_is_reached_twice_and_not_certified_across_the_hole():
    """Its minima at ±4.49341 tie; the certified search says why it cannot bound f around 0."""
    at = open_page("custom", f="sin(x)/x", lo="-10", hi="10", goal="min")
    assert metrics(at)["Reached at"] == "2 places"
    assert (
        next(x.proto.help for x in at.metric if x.label == "Reached at") == "Every place: x = −4.49341 and x = 4.49341."
    )
    text = page_text(at)
    assert "Not certified: f is undefined at x = 0 inside the interval" in text


def test_an_overflow_far_away_does_not_hide_the_minimum():
    """Item 4: x¹⁰⁰ overflows for x > 1053 (above 1.8e302): not where a minimum can be."""
    at = open_page("custom", f="x**100", lo="0", hi="1000000", goal="min")
    m = metrics(at)
    assert (m["Global minimum"], m["Reached at"]) == ("0", "x = 0 (boundary)")
    text = page_text(at)
    assert "so the minimum cannot be there" in text
    assert "Certified: nothing in [0, 1e+06] is below 0" in text
    # the Objective chart draws f where it is finite (it was empty: one finite point of 241)
    curve = next(
        pa.ipc.open_stream(ds.data.data).read_all().to_pandas()
        for ds in at.get("vega_lite_chart")[0].proto.datasets
        if ds.name.startswith("curve")
    )
    finite = curve[np.isfinite(curve["value"])]
    assert len(finite) >= 200
    assert finite["x"].min() == 0.0
    assert finite["x"].max() == pytest.approx(1053.288, rel=1e-6)
    assert "The curve is drawn for 0 ≤ x ≤ 1053.29, the range searched" in text


@pytest.mark.parametrize("preset", [None, "quotient", "price"])
def test_no_seed_on_the_page(preset):
    """Item 8: visitors do not know what "the seed" is."""
    at = open_page("custom")
    if preset:
        at.button(key=f"preset_{preset}").click().run()
    words = " ".join([page_text(at), *(b.proto.label for b in at.get("button"))]).lower()
    assert "seed" not in words
