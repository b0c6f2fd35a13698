"""The Compounding page's words, checked against the numbers over the inputs' ranges (true for
every input, not only the defaults): doubling and half-life, growing or shrinking, the rule of 72,
doubling with additions, every compounding frequency in words, the comparison tables, when to sell."""

import functools
import itertools
import math
import re

import pytest

from explain import compounding as words
from explain.format import MINUS
from optimizers import compounding as cm


def shown(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def delta(rate: float, frequency: str) -> float:
    """The force of interest, written out here (not the model's function)."""
    n = {"continuous": None, "annually": 1, "quarterly": 4, "monthly": 12, "daily": 365}[frequency]
    return rate if n is None else n * math.log1p(rate / n)


def signed_text(v: float, decimals: int) -> str:
    """'+0.54', '−3.10', and '0.00' (unsigned) for what rounds to zero."""
    text = f"{v:+.{decimals}f}"
    return f"{0:.{decimals}f}" if float(text) == 0 else text.replace("-", MINUS)


def everything(g: cm.CompoundingResult) -> str:
    parts = [" ".join(filter(None, m)) for m in words.metrics(g)]
    parts += [words.notes(g), words.nothing_invested(g), words.comparison(g), words.rates_warning(g)]
    c = words.charts(g)
    parts += [str(c.balance), str(c.growth), c.now]
    return shown(" ".join(parts))


def check_clean(text: str) -> None:
    """No "seed", nan or inf, one minus sign, no dollar amount in e-notation, frequencies in words."""
    assert "seed" not in text.lower()
    assert not re.search(r"\bnan\b|\binf\b", text.lower())
    assert not re.search(r"(?<![\w(/^])-\d", text), text  # an ASCII minus before a number
    assert not re.search(r"\$[\d.,]*[eE]", text), text  # '$1.65e+15': money in e-notation
    assert not re.search(r"compounded continuous(?!ly)", text), text
    assert not re.search(r"annually compounding", text), text


RATES = [-20.0, -5.0, -0.05, 0.0, 1e-8, 0.05, 5.0, 7.0, 30.0]  # % a year, the slider's range and its oddities
CASES = [
    (rate, frequency, contribution, principal, years, timing)
    for (rate, frequency, contribution), (principal, years, timing) in zip(
        itertools.product(RATES, cm.FREQUENCIES, (0.0, 100.0)),
        itertools.cycle(itertools.product((10_000.0, 0.0, 1e15, 2_500.0), (10.0, 1.0, 0.0, 37.5, 250.0), cm.TIMINGS)),
        strict=False,
    )
]


@functools.cache
def result(rate, frequency, contribution, principal, years, timing):
    """The page's result, once per case (none overflows: 1e15 at 30% for 250 years is 3.7e47 dollars)."""
    return cm.analyse(principal, rate / 100, years, frequency, contribution, timing)


class TestDefaults:
    def test_tutorial_numbers(self):
        g = cm.analyse(10_000, 0.05, 10)
        m = {label: value for label, value, _ in words.metrics(g)}
        assert m["Value after 10 years"] == "$16,487.21"
        assert m["Growth rate now, per year"] == "$824.36"
        assert m["Doubling time"] == "13.86 years"
        assert m["Rate needed"] == "6.93%"
        assert "$2.26 a day" in words.notes(g)
        assert "Rule of 72 for money left alone: 14.40 years (+0.54 years" in words.notes(g)
        assert "| 5 | $12,840 | $14,191 | $16,487 |" in shown(words.comparison(g))

    def test_with_additions(self):
        g = cm.analyse(10_000, 0.07, 10, "monthly", 100)
        label, value, help_ = words.metrics(g)[3]
        assert (label, value) == ("Doubling time", "9.93 years")  # ln 2 / δ: money left alone
        assert "twice what was put in (the principal plus the additions so far) after 13.45 years" in help_
        assert (
            "With $100 added every month, the balance is twice what you put in (principal plus additions so far) "
            "after 13.45 years; money left alone doubles in 9.93 years." in words.notes(g)
        )
        assert "end of every month (as investor.gov computes)." in words.notes(g)
        g = cm.analyse(10_000, -0.05, 10, "continuous", 100)
        assert "the balance is half what you put in" in words.notes(g)
        assert "money left alone halves in 13.86 years" in words.notes(g)
        assert words.metrics(g)[3][:2] == ("Half-life", "13.86 years")

    @pytest.mark.parametrize(
        ("frequency", "adverb", "adjective"),
        [
            ("continuous", "continuously", "continuous"),
            ("annually", "annually", "annual"),
            ("quarterly", "quarterly", "quarterly"),
            ("daily", "daily", "daily"),
        ],
    )
    def test_frequency_in_words(self, frequency, adverb, adjective):
        """Issue 19: "compounded continuous"; and "with annually compounding" for the additions."""
        g = cm.analyse(10_000, 0.05, 10, frequency, 100)
        assert f"compounded {adverb} (without the monthly additions):" in shown(words.comparison(g))
        assert words.metrics(g)[4][2] == f"to grow 2× in 10 years, compounded {adverb}"
        rate = math.expm1(delta(0.05, frequency) / 12)
        assert (
            f"with {adjective} compounding each earns the equivalent monthly rate e^(δ/12) − 1 = {100 * rate:.4f}%"
            in (words.notes(g))
        )

    def test_rates_warning_is_escaped(self):
        g = cm.analyse(10_000, 0.05, 10, rates="5, ![](//example.org/x)")
        text = words.rates_warning(g)
        assert "](" not in text.replace("\\]\\(", "")
        assert (
            shown(text) == "Rates to compare: '![](//example.org/x)' is not a rate in percent. Showing 5%, 7% and 10%."
        )

    def test_big_money_never_in_e_notation(self):
        """Issue 19: a dollar amount is never '1.745e+05' (nor $1.65e+15 at the principal's old maximum)."""
        g = cm.analyse(1e15, 0.05, 10, rates="5, 30, 100")
        m = {label: value for label, value, _ in words.metrics(g)}
        assert m["Value after 10 years"] == "$1.65 × 10¹⁵"
        assert m["Put in"] == "$1.00 × 10¹⁵"
        text = shown(words.comparison(g))
        assert "$1.00 × 10¹⁵ left alone" in text
        assert "$1.07 × 10²⁸" in text  # 1e15 e^30: 100% for 30 years
        check_clean(everything(g))

    def test_huge_additions(self):
        g = cm.analyse(0, 0.05, 10, "monthly", 1e14)
        assert "plus $1.20 × 10¹⁵ a year of additions" in words.metrics(g)[2][2]
        assert "With $100,000,000,000,000 added every month" in words.notes(g)
        check_clean(everything(g))

    def test_overflow_message(self):
        with pytest.raises(cm.Overflow) as caught:
            cm.analyse(1e15, 0.30, 1000)
        assert shown(words.error(caught.value)).startswith(
            "The balance after 1,000 years overflows: more than $1.00 × 10¹⁰⁰"
        )

    @pytest.mark.parametrize("rates", ["5, 7, 10", "1, 2, 3, 4", "1, 2, 3, 4, 5", "1, 2, 3, 4, 5, 6"])
    def test_comparison_tables_fit_a_phone(self, rates):
        """Issue 19 (390 px): at most three rates side by side, each in every table once."""
        text = shown(words.comparison(cm.analyse(10_000, 0.05, 10, rates=rates)))
        headers = [line for line in text.splitlines() if line.startswith("| years")]
        assert all(line.count("|") <= 5 for line in headers)  # years and up to three rates
        named = [cell.strip() for line in headers for cell in line.strip("|").split("|")[1:]]
        assert named == [f"{r.strip()}%" for r in rates.split(",")]


@pytest.mark.parametrize(
    ("rate", "frequency", "contribution", "principal", "years", "timing"),
    CASES,
    ids=[f"{r}%-{f}-{c:g}-{p:g}-{y:g}y-{t}" for r, f, c, p, y, t in CASES],
)
class TestTrueForEveryInput:
    def test_doubling_and_half_life(self, rate, frequency, contribution, principal, years, timing):
        g = result(rate, frequency, contribution, principal, years, timing)
        label, value, help_ = words.metrics(g)[3]
        d = delta(rate / 100, frequency)
        if rate == 0:
            assert (label, value) == ("Doubling time", "never")
            return
        assert label == ("Half-life" if rate < 0 else "Doubling time")
        alone = math.log(2) / abs(d)
        assert value == (f"{alone:,.2f} years" if alone <= 1000 else "over 1,000 years")
        assert ("halve" in help_) == (rate < 0)
        if contribution:
            twice = "half" if rate < 0 else "twice"
            assert f"the balance is {twice} what was put in" in help_
            t = g.contribution_doubling_years
            if t <= 1000:
                assert f"after {t:,.2f} years" in help_
                target = (0.5 if rate < 0 else 2.0) * float(cm.paid_in(principal, contribution, t, timing))
                assert float(cm.balance(principal, d, contribution, t, timing)) == pytest.approx(target, rel=1e-6)
            else:
                assert "never within 1,000 years" in help_

    def test_notes(self, rate, frequency, contribution, principal, years, timing):
        g = result(rate, frequency, contribution, principal, years, timing)
        text = words.notes(g)
        d = delta(rate / 100, frequency)
        pace = d * g.value + 12 * contribution
        if abs(pace) <= 1e-12 * max(abs(d * g.value), 12 * contribution, 1):
            assert text.startswith("Not growing: $0.00 a year.")
        else:
            word = "Growing" if pace > 0 else "Shrinking"
            assert text.startswith(f"{word} {words.big_money(abs(pace))} a year is {words.big_money(abs(pace) / 365)}")
        alone = math.log(2) / d if d else math.inf
        if rate > 0 and alone <= 1000:
            r72 = 72 / rate
            off, share = signed_text(r72 - alone, 2), signed_text(100 * (r72 / alone - 1), 1)
            assert f"Rule of 72 for money left alone: {r72:,.2f} years ({off} years, {share}% off" in text
        else:
            assert "Rule of 72" not in text
        assert ("no doubling time" in text) == (rate == 0)
        assert ("added every month" in text) == bool(contribution and rate)
        assert ("Additions are deposited at the " + timing in text) == bool(contribution)

    def test_frequency_and_labels(self, rate, frequency, contribution, principal, years, timing):
        g = result(rate, frequency, contribution, principal, years, timing)
        m = words.metrics(g)
        adverb = words.ADVERB[frequency]
        assert m[4][2].endswith(f"compounded {adverb}")
        assert f"compounded {adverb}" in shown(words.comparison(g))
        shown_years = f"{years:g}"
        assert m[0][0] == f"Value after {shown_years} {'year' if years == 1 else 'years'}"
        assert (words.nothing_invested(g) != "") == (principal == 0 and contribution == 0)

    def test_words_are_clean(self, rate, frequency, contribution, principal, years, timing):
        check_clean(everything(result(rate, frequency, contribution, principal, years, timing)))


SALES = list(itertools.product((-5.0, 0.0, 1e-320, 1e-6, 0.05, 5.0, 30.0), (0.05, 0.5, 3.0), (0.0, 10_000.0)))


@pytest.mark.parametrize(("rate", "growth", "principal"), SALES)
def test_when_to_sell_is_true_for_every_input(rate, growth, principal):
    s = cm.sell(principal, growth, rate)
    info, warning = words.sale_notes(s)
    m = words.sale_metrics(s)
    if rate <= 0:
        assert "there is no best time to sell" in info
        assert m == []
        assert warning == ""
        return
    t_star = (growth / (2 * rate / 100)) ** 2
    x = s.report.optimum.x
    assert x == pytest.approx(min(t_star, cm.MAX_SELL_YEARS), rel=1e-8)
    assert m[0][:2] == ("Best time to sell", f"{x:,.1f} years")
    value = principal * math.exp(growth * math.sqrt(x) - rate / 100 * x)
    assert m[1][1] == words.big_money(value)
    assert (warning != "") == (t_star > cm.MAX_SELL_YEARS)
    assert ("nothing to sell" in info) == (principal == 0)
    assert (words.sensitivity_gap(s) != "") == (rate < cm.MIN_SENSITIVITY_RATE)
    check_clean(" ".join([info, warning, *(" ".join(filter(None, row)) for row in m), words.sensitivity_gap(s)]))


# --- issue 22: reach a target balance; a range of rates -------------------------------------------


def _read(markdown: str) -> str:
    return markdown.replace("\\", "").replace("**", "")


class TestTargetAndBand:
    def test_doubling_closed_form(self):
        """Continuous compounding at 5%: 10,000·e^(0.05 t) = 20,000 at t = ln 2 / 0.05."""
        g = cm.analyse(10_000, 0.05, 30, target=20_000)
        assert g.goal.x == pytest.approx((math.log(2) / 0.05,), rel=1e-10)
        assert _read(words.target_text(g)) == "Target $20,000. The balance reaches $20,000 after 13.86 years."
        marks = words.charts(g).marks
        assert marks["target"] == 20_000
        assert marks["solutions"] == g.goal.x

    def test_not_within_the_years(self):
        g = cm.analyse(10_000, 0.05, 10, target=20_000)
        end = 10_000 * math.exp(0.5)
        text = _read(words.target_text(g))
        assert f"the most is ${end:,.2f}, at the end (${20_000 - end:,.2f} short)" in text

    def test_band_closed_form(self):
        g = cm.analyse(10_000, 0.05, 10, rate_spread=0.02)
        low, high = 10_000 * math.exp(0.3), 10_000 * math.exp(0.7)
        assert (g.band.value_low, g.band.value_high) == pytest.approx((low, high), rel=1e-10)
        text, warning = words.band_text(g)
        assert warning == ""
        assert f"between ${low:,.2f} and ${high:,.2f}" in _read(text)
        assert "At 3% and 7% a year (5% ± 2 points)" in _read(text)
        assert "band" in words.charts(g).marks

    def test_nothing_asked_nothing_said(self):
        g = cm.analyse(10_000, 0.05, 10)
        assert (words.target_text(g), words.band_text(g)) == ("", ("", ""))
        assert not words.charts(g).objective

    def test_no_horizon_no_range(self):
        """With 0 years every rate gives the principal: the range is not said nor drawn."""
        g = cm.analyse(10_000, 0.05, 0, rate_spread=0.01, target=100)
        assert words.band_text(g) == ("", "")
        assert not words.charts(g).objective
        assert "Set the years above 0" in words.target_text(g)
