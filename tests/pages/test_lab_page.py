"""The Derivative lab in AppTest: a smooth point, kinks, the domain, overflow, zero derivatives."""

import pytest

from explain.format import MINUS
from tests.pages.conftest import metrics, open_page, shown


def page_text(at) -> str:
    return " ".join(shown(e.value) for e in [*at.markdown, *at.caption, *at.warning, *at.error, *at.info])


def test_lab_defaults():
    at = open_page("lab")
    m = metrics(at)
    assert m["Analytic f′(x)"] == "6"
    assert float(m["Relative error"].replace(MINUS, "-")) < 1e-6  # the page's one minus sign, read as a number
    text = " ".join(md.value for md in at.markdown)
    assert "forward difference gives 5.32907 instead of 6" in text
    assert at.success


def test_lab_with_a_hostile_formula():
    at = open_page("lab", f="__import__('os')")
    assert "unknown function '__import__'" in shown(at.error[0].value)


@pytest.mark.parametrize(("f", "x"), [("abs(x)", "0"), ("relu(x)", "0")])
def test_lab_at_a_kink(f, x):
    at = open_page("lab", f=f, x=x)
    m = metrics(at)
    assert m["Derivative from the right"] == "1"
    assert m["Derivative from the left"] == ("−1" if f == "abs(x)" else "0")
    text = page_text(at)
    assert "does not exist" in text
    assert "Not applicable" in text
    assert "passes the check" not in text
    assert "Relative error" not in m


def test_lab_outside_the_domain():
    at = open_page("lab", f="log(x)", x="-1")
    assert "undefined at x = −1" in shown(at.error[0].value)
    assert "nan" not in page_text(at).lower().split()
    assert not at.get("vega_lite_chart")


@pytest.mark.parametrize(("f", "x"), [("1", "3"), ("x**2", "-0"), ("x**2", "0")])
def test_lab_zero_derivative_has_no_nan_and_no_absurd_error(f, x):
    """/lab?f=1 and /lab?x=-0: f' = 0, so the errors are absolute; no nan, no 1e+285."""
    at = open_page("lab", f=f, x=x)
    m = metrics(at)
    assert m["Analytic f′(x)"] == "0"
    assert float(m["Absolute error"]) < 1e-6
    text = page_text(at)
    assert "nan" not in text.lower()
    assert "e+2" not in text
    assert "e+3" not in text
    assert at.success


def test_lab_overflow_is_overflow():
    """The naive sigmoid at -800: f' is defined; the overflow is the lesson."""
    at = open_page("lab", f="1/(1+exp(-x))", x="-800")
    text = page_text(at)
    assert "is defined" in text
    assert "overflow" in text
    assert "3.66787e−348" in text
    assert "not defined" not in text


@pytest.mark.parametrize("f", ["0**-1", "0^-2", "(1-1)**-1", "0.0**-0.5"])
def test_lab_zero_to_a_negative_power(f):
    at = open_page("lab", f=f)
    assert "divides by zero" in shown(at.error[0].value)


def test_lab_sigmoid_underflow_says_no_nan_and_no_false_instead_of():
    """Item 7: the stable sigmoid at −800 printed "nan" (the complex step) and "gives 0 instead
    of 0". f′(−800) = 3.66787e−348, below the smallest float: every estimate is 0."""
    at = open_page("lab", f="sigmoid(x)", x="-800")
    text = page_text(at)
    assert "nan" not in text.lower().replace("nanoseconds", "").split()
    assert "gives 0 instead of 0" not in text
    assert "3.66787e−348" in text
    assert "the complex step gives no number here" in text


def test_lab_unbounded_one_sided_derivative_is_said_not_printed():
    """Item 7: sqrt at 0 showed 158113.883 (f′ 1e−11 away) as the right-hand derivative
    beside a sentence saying it is unbounded."""
    at = open_page("lab", f="sqrt(x)", x="0")
    m = metrics(at)
    assert m["Derivative from the right"] == "+∞ (unbounded)"
    assert m["Derivative from the left"] == "—"
    assert "158113" not in page_text(at)
    assert "grows without bound" in page_text(at)


def test_lab_has_no_seed():
    """Item 8: "the seed's x²" was on the lab's first paragraph."""
    at = open_page("lab")
    assert "seed" not in " ".join(md.value for md in at.markdown).lower()
