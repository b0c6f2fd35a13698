"""The words of the Price-and-advertising page: the tutorial's numbers at the defaults, and every
sentence checked against numbers computed independently (the closed forms, the model itself)
over the sliders' ranges."""

import math
import re

import numpy as np
import pytest

from explain import price_ads as words
from explain.common import PHONE_COLUMNS
from explain.format import count, money, num, percent, signed
from optimizers import multivariate as mv
from optimizers import price_ads as pa

KEYS = ("unit_cost", "price_elasticity", "ad_elasticity", "scale", "fixed_cost", "price", "ad_spend")


def shown(markdown: str) -> str:
    """What a reader sees of the page's markdown (the escapes removed)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _inputs(rng: np.random.Generator) -> dict[str, float]:
    """A point of the sliders' ranges, on their steps."""
    out = {}
    for key in KEYS:
        lo, hi, step = pa.RANGES[key]
        out[key] = round(lo + step * rng.integers(0, round((hi - lo) / step) + 1), 10)
    return out


def _corners() -> list[dict[str, float]]:
    """The extremes that stress the model most: elasticities at both ends, prices and ads at both
    ends, the largest fixed cost."""
    out = []
    for e in (1.1, 5.0):
        for g in (0.01, 0.5):
            for price, ads in ((1.0, 50.0), (300.0, 20_000.0)):
                for c, scale, fixed in ((1.0, 100_000.0, 50_000.0), (100.0, 10_000_000.0, 0.0)):
                    out.append(dict(zip(KEYS, (c, e, g, scale, fixed, price, ads), strict=True)))
    return out


CASES = [dict(zip(KEYS, (20.0, 2.0, 0.1, pa.DEFAULT_SCALE, 0.0, 75.0, 1000.0), strict=True))]
CASES += _corners()
CASES += [_inputs(np.random.default_rng(seed)) for seed in range(24)]


@pytest.fixture(scope="module", params=range(len(CASES)), ids=lambda i: f"case{i}")
def case(request):
    kw = CASES[request.param]
    return kw, pa.analyse(**kw)


class TestDefaults:
    """The tutorial's shop: $75 with $1,000 of ads sells 550 pairs; the best plan is $40 with
    $4,494 of ads (5% of revenue), making $40,449 a week."""

    def test_metrics(self):
        r = pa.analyse()
        assert words.metrics(r) == [
            ("Optimal price", "$40.00", "The price of the best plan: c·e/(e − 1), whatever the ads."),
            ("Optimal ad spend", "$4,494", "The weekly ad budget of the best plan."),
            ("Maximum profit", "$40,449", "Weekly profit of the best plan, after ads and fixed costs."),
            (
                "Ad spend / revenue",
                "5.0%",
                "At the best plan: equal to γ/e = 0.10 / 2.00 (the Dorfman–Steiner rule).",
            ),
        ]

    def test_sentences(self):
        r = pa.analyse()
        kind, text = words.advice(r)
        assert kind == "info"
        assert shown(text) == (
            "**Lower your price toward $40.00 and raise your ad spend toward $4,494 a week.** Your plan ($75.00 "
            "with $1,000 of ads a week) makes $29,250 a week; the best plan makes $40,449 a week, $11,199 more."
        )
        assert "the Dorfman–Steiner rule" in shown(words.rules(r))
        assert "ads take 5.0% of revenue ($4,494 of $89,886 a week)" in shown(words.rules(r))
        assert words.hessian_text(r) == (
            "At the best plan the Hessian of weekly profit has eigenvalues −56.18 and −0.0002003, both negative: "
            "a maximum (the second-derivative test)."
        )
        assert shown(words.scale_caption(2.0, 0.1, pa.DEFAULT_SCALE)) == (
            "At $75 with $1,000 of ads a week, this scale sells 550 pairs a week."
        )

    def test_already_best(self):
        r = pa.analyse(price=40.0, ad_spend=4494.29)
        kind, text = words.advice(r)
        assert kind == "success"
        assert shown(text).startswith("**Your plan ($40.00 with $4,494 of ads a week) is already the best one**")
        assert "makes $40,449 a week" in shown(text)

    def test_sensitivity(self):
        r = pa.analyse()
        assert words.headline(r) == (
            "Your best ad spend is most sensitive to price elasticity: 1% more price elasticity moves it −8.20%."
        )
        table = words.sensitivity_table(r)
        # four columns fit a 390 px phone (five ran 44 px past it): the part of the plan shares the first
        assert list(table.columns) == ["input; best …", "moves, per unit", "% per 1% of the input", "best profit moves, per unit"]  # fmt: skip
        assert len(table.columns) <= PHONE_COLUMNS
        first = table.iloc[0].tolist()
        assert first == ["unit cost = $20; price", "+2", "+1.000", "−2,247"]  # dp*/dc = e/(e − 1) = 2
        # the optimal price does not depend on advertising: exactly 0, not rounding noise
        assert table.iloc[4].tolist()[:3] == ["ad elasticity = 0.10; price", "0", "0"]


class TestEverySentenceIsTrue:
    """Over the sliders' ranges (the defaults, 32 extreme corners and 24 random points)."""

    def test_metrics_are_the_closed_forms(self, case):
        kw, r = case
        c, e, g, s, fc = (kw[k] for k in KEYS[:5])
        p_star = c * e / (e - 1)
        a_star = pa.optimal_ad_spend(c, e, g, s)
        values = {label: v for label, v, _ in words.metrics(r)}
        assert values["Optimal price"] == money(p_star)
        shown = values["Optimal ad spend"]
        if a_star >= 9.5:
            assert shown == money(a_star, 0)
        else:  # a small budget in cents or two significant digits, never "$0"
            assert float(shown.lstrip("$")) == pytest.approx(a_star, rel=0.09, abs=0.005)
        assert values["Maximum profit"] == money(a_star * (1 - g) / g - fc, 0)
        assert values["Ad spend / revenue"] == percent(g / e)

    def test_advice_says_which_way_profit_rises(self, case):
        kw, r = case
        p_star = kw["unit_cost"] * kw["price_elasticity"] / (kw["price_elasticity"] - 1)
        a_star = pa.optimal_ad_spend(*(kw[k] for k in KEYS[:4]))
        kind, text = words.advice(r)
        text = shown(text)
        for what, now, best in (("price", kw["price"], p_star), ("ad spend", kw["ad_spend"], a_star)):
            if abs(now - best) <= pa.KEEP_RTOL * best:
                assert f"keep your {what}" in text.lower()
            elif best > now:
                assert f"raise your {what} toward" in text.lower()
            else:
                assert f"lower your {what} toward" in text.lower()
        profit_now = float(pa.profit(kw["price"], kw["ad_spend"], *(kw[k] for k in KEYS[:5])))
        if kind == "info":
            verb = "loses" if round(profit_now) < 0 else "makes"
            assert f") {verb} {money(abs(profit_now), 0)} a week;" in text
            gain = r.optimal_profit - profit_now
            assert gain >= -1e-9 * max(1.0, abs(profit_now))  # the best plan is never worse
            if round(gain) > 0:
                assert text.endswith(f", {money(gain, 0)} more.")

    def test_rules(self, case):
        kw, r = case
        text = shown(words.rules(r))
        e, g = kw["price_elasticity"], kw["ad_elasticity"]
        assert f"with e = {num(e, 2)}" in text
        assert f"ads take {percent(g / e)} of revenue" in text
        assert f"{num(g, 2)} / {num(e, 2)}: the Dorfman–Steiner rule" in text
        q = float(pa.customers(r.optimal_price, r.optimal_ad_spend, e, g, kw["scale"]))
        assert f"of {money(r.optimal_price * q, 0)} a week" in text
        assert ("Even the best plan loses" in text) == (r.optimal_profit < 0)
        assert "$" not in words.rules(r).replace(r"\$", "")  # every dollar sign escaped for markdown

    def test_hessian(self, case):
        _, r = case
        text = words.hessian_text(r)
        h = np.array([[r.hessian[0], r.hessian[1]], [r.hessian[1], r.hessian[2]]])
        assert (np.linalg.eigvalsh(h) < 0).all()  # profit is concave at the best plan: a maximum
        assert r.kind is mv.Kind.MAXIMUM
        assert text.endswith("both negative: a maximum (the second-derivative test).")
        lo, hi = re.search(r"eigenvalues (\S+) and (\S+),", text).groups()
        assert lo.startswith("−")
        assert hi.startswith("−")

    def test_path(self, case):
        _, r = case
        text = words.path_text(r)
        arrived = math.isclose(r.path.x, r.optimal_price, rel_tol=pa.KEEP_RTOL) and math.isclose(
            r.path.y, r.optimal_ad_spend, rel_tol=pa.KEEP_RTOL
        )
        assert ("reaches the best plan" in text or "already the best one" in text) == arrived
        assert ("short of the best plan" in text or "still climbing" in text) == (not arrived)
        assert f"{r.path.steps:,} step" in text or "does not move" in text

    def test_headline_names_the_largest_effect(self, case):
        _, r = case
        t = r.sensitivity.table()
        top = t.iloc[int(np.argmax(np.abs(t.optimum_elasticity.to_numpy())))]
        text = words.headline(r)
        coordinate = {"price": "price", "ad_spend": "ad spend"}[top.coordinate]
        name = words.INPUT_LABELS[top.parameter]
        assert text == (
            f"Your best {coordinate} is most sensitive to {name}: 1% more {name} moves it "
            f"{signed(top.optimum_elasticity, 2)}%."
        )

    def test_sensitivity_table_is_the_csv(self, case):
        _, r = case
        table, csv = words.sensitivity_table(r), r.sensitivity.table()
        assert list(csv.columns) == mv.SENSITIVITY_COLUMNS
        assert len(table) == len(csv) == 10
        parts = [cell.rsplit("; ", 1)[1] for cell in table["input; best …"]]
        assert parts == [{"price": "price", "ad_spend": "ad spend"}[c] for c in csv.coordinate]
        for shown_value, exact in zip(table["moves, per unit"], csv.optimum_change_per_unit, strict=True):
            assert shown_value == words.amount(exact)
        # the price never moves with advertising or the demand scale, and fixed costs move nothing
        moves = csv.set_index(["parameter", "coordinate"]).optimum_change_per_unit
        assert moves[("ad_elasticity", "price")] == 0.0
        assert moves[("scale", "price")] == 0.0
        assert moves[("fixed_cost", "price")] == moves[("fixed_cost", "ad_spend")] == 0.0

    def test_scale_caption(self, case):
        kw, _ = case
        q = float(pa.customers(75.0, 1000.0, kw["price_elasticity"], kw["ad_elasticity"], kw["scale"]))
        assert shown(words.scale_caption(kw["price_elasticity"], kw["ad_elasticity"], kw["scale"])) == (
            f"At $75 with $1,000 of ads a week, this scale sells {count(q)} pairs a week."
        )


class TestAmount:
    def test_basic(self):
        assert [words.amount(v) for v in (-165789.04, 91936.07, -249.68, 0.0289, 2.0)] == [
            "−165,789",
            "+91,936",
            "−249.7",
            "+0.0289",
            "+2",
        ]

    def test_special_cases(self):
        assert words.amount(0.0) == "0"
        assert words.amount(-0.0) == "0"
        assert words.amount(float("inf")) == "—"
        assert words.amount(2.4e-5) == "+2.4e−05"
        assert words.amount(-3e16) == "−3.000e+16"
