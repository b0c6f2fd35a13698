"""The "Your own function" and Derivative lab pages in AppTest."""

import pytest

from optimizers.expression import PRESETS
from tests.pages.conftest import metrics, open_page, shown


def test_default_is_the_seed_ad_spend():
    at = open_page("custom")
    m = metrics(at)
    assert m["Global minimum"] == "75"
    assert m["Reached at"] == "x = 5"
    assert "f'(x) = 2 x - 10" in at.latex[0].value


def test_url_function_and_boundary():
    at = open_page("custom", f="exp(-x)", lo="0", hi="5", goal="max")
    m = metrics(at)
    assert m["Global maximum"] == "1"
    assert m["Reached at"] == "x = 0 (boundary)"


@pytest.mark.parametrize("key", list(PRESETS))
def test_presets(key):
    _label, text, lo, hi, goal, claimed = PRESETS[key]
    at = open_page("custom")
    at.button(key=f"preset_{key}").click().run()
    assert not at.exception
    assert at.text_input(key="f").value == text
    assert (at.number_input(key="lo").value, at.number_input(key="hi").value) == (lo, hi)
    assert f"the seed gives f′(x) = {claimed} — the same, symbolically" in " ".join(c.value for c in at.caption)
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
    assert "-1 ≤ x ≤ 0" in shown(at.warning[0].value)
    assert metrics(at)["Global maximum"] == "—"


def test_bad_interval():
    at = open_page("custom", lo="5", hi="1")
    assert "needs 'from' < 'to'" in shown(at.error[0].value)


def test_lab_defaults():
    at = open_page("lab")
    m = metrics(at)
    assert m["Analytic f′(x)"] == "6"
    assert float(m["Relative error"]) < 1e-6
    text = " ".join(md.value for md in at.markdown)
    assert "forward difference gives 5.32907 instead of 6" in text
    assert at.success


def test_lab_with_a_hostile_formula():
    at = open_page("lab", f="__import__('os')")
    assert "unknown function '__import__'" in shown(at.error[0].value)
