"""The Pricing page's words (explain.pricing): the sentences the page has always shown, and
every sentence checked against the numbers over every slider's range and all three demand
models (linear, elasticity, a fit to sales data)."""

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from explain import pricing as ex
from explain.format import percent
from optimizers import pricing as pr
from optimizers import uncertainty as un

TUTORIAL = pr.linear_demand(1300, 10)


def words(r: pr.PricingResult) -> str:
    """Every word the page shows about one result, as a reader sees it (escapes removed)."""
    boxes = " ".join(text for _, text in ex.answer(r))
    shown = " ".join([boxes, *(f"{m.label} {m.value} {m.help or ''}" for m in ex.metrics(r))])
    shown += " " + " ".join(label for *_, label in filter(None, ex.markers(r)))
    return re.sub(r"\\(.)", r"\1", shown.replace("**", ""))


class TestSentences:
    """The sentences the page showed before its words moved here, unchanged."""

    def test_no_optimum(self):
        assert "no finite price" in ex.no_optimum_text(pr.analyse(pr.elasticity_like_linear(0.8, 1300, 10), 20, 50))
        assert "unit cost of $0" in ex.no_optimum_text(pr.analyse(pr.elasticity_like_linear(2.0, 1300, 10), 0, 50))
        assert "every sale loses money" in ex.no_optimum_text(pr.analyse(TUTORIAL, 150, 50))
        assert ex.no_optimum_text(pr.analyse(TUTORIAL, 20, 50)) == ""

    @pytest.mark.parametrize("fixed", [0.0, 5000.0])
    def test_price_past_the_choke_price(self, fixed):
        r = pr.analyse(TUTORIAL, 20, 200, fixed)
        assert "Nobody buys at $200.00" in ex.kink_note(r)
        assert "marginal profit is $0 per $1" in ex.kink_note(r)
        assert "Nobody buys at either price" in ex.plus_one_text(r)
        if fixed:
            assert "you lose your fixed costs, $5,000 a week, whatever you charge" in ex.kink_note(r)
        else:
            assert "profit is $0 whatever you charge" in ex.kink_note(r)

    def test_kink_at_the_choke_price(self):
        note = ex.kink_note(pr.analyse(TUTORIAL, 20, 130))
        assert "−$1,100 per $1 (the marginal profit shown)" in note
        assert "just above, nobody buys" in note
        assert "kink" in note

    def test_plus_one_step_across_the_kink(self):
        r = pr.analyse(TUTORIAL, 20, 129.5)
        assert "crosses $130.00" in ex.plus_one_text(r)
        assert "change −$548" in ex.plus_one_text(r)
        assert not ex.kink_note(r)

    @pytest.mark.parametrize(
        ("price", "verb", "why"),
        [
            (50, "Raise your price", "marginal profit at $50.00 is +$500 per $1, and profit rises by $6,250"),
            (90, "Lower your price", "marginal profit at $90.00 is −$300 per $1, and profit rises by $2,250"),
            (75, "Keep your price.", "$75.00 is the optimum"),
            (130, "Lower your price", "marginal profit at $130.00 is −$1,100 per $1, and profit rises by $30,250"),
            (
                131,
                "Lower your price",
                "nobody buys at $131.00, so a small change does nothing, and profit rises by $30,250",
            ),
        ],
    )
    def test_advice(self, price, verb, why):
        head, text = ex.advice(pr.analyse(TUTORIAL, 20, price))
        assert head == verb
        assert why in text

    def test_advice_without_an_optimum(self):
        assert ex.advice(pr.analyse(TUTORIAL, 150, 50)) == ("", "")
        assert ex.advice_box(pr.analyse(TUTORIAL, 150, 50)) is None

    def test_break_even(self):
        assert "from $130.00 up nobody buys and profit is $0" in ex.break_even_text(pr.analyse(TUTORIAL, 20, 50))
        assert "the best price itself" in ex.break_even_text(pr.analyse(TUTORIAL, 20, 50, 30250))
        text = ex.break_even_text(pr.analyse(TUTORIAL, 20, 50, 40000))
        assert "No price breaks even" in text
        assert "$30,250 a week, less than your fixed costs of $40,000" in text
        assert ex.break_even_text(pr.analyse(TUTORIAL, 150, 50)) == "No price makes a profit."
        elastic = pr.elasticity_like_linear(2.0, 1300, 10)
        assert "every higher price" in ex.break_even_text(pr.analyse(elastic, 20, 50))

    def test_lerner(self):
        text = ex.lerner_text(pr.analyse(pr.elasticity_like_linear(2.0, 1300, 10), 20, 50))
        assert "(p − c)/p = 50.0% equals 1/e = 1/2.00 = 50.0%" in text
        assert "= 73.3% equals 1/ε = 1/1.364 = 73.3%" in ex.lerner_text(pr.analyse(TUTORIAL, 20, 50))
        assert ex.lerner_text(pr.analyse(TUTORIAL, 150, 50)) == ""

    def test_fit_problems(self):
        fits = pr.fit_sales(pd.DataFrame({"price": [100, 101, 100.5], "units": [1e9, 1e3, 3e5]}))
        assert "a 1% higher price would lose" in ex.fit_problem("elasticity", fits.elasticity_failure)
        fits = pr.fit_sales(pd.DataFrame({"price": [40, 50, 60], "units": [500, 600, 700]}))
        assert "more is sold at higher prices" in ex.fit_problem("linear", fits.linear_failure)
        assert ex.fit_warnings(fits)[0].startswith("Linear fit: In this data more is sold at higher prices (slope +10")
        fits = pr.fit_sales(pd.DataFrame({"price": [40, 80, 120, 130], "units": [900, 500, 100, 0]}))
        assert "units > 0" in ex.fit_problem("elasticity", fits.elasticity_failure)
        assert len(ex.fit_warnings(fits)) == 1

    def test_fit_legend(self):
        labels = ex.fit_curves(pr.fit_sales(pr.EXAMPLE_SALES))["fit"].unique().tolist()
        assert labels == [
            "customers = 1,303 − 10.04 × price (R² 0.994)",
            "customers = 69,330 × price^−1.14 (R² 0.905)",
        ]

    def test_the_tutorial_sentences(self):
        """The success criterion of issue 18: the sentence comes from explain/pricing.py."""
        r = pr.analyse(TUTORIAL, 20, 50)
        assert ex.advice_text(r).startswith("Raise your price toward $75.00")
        box = ex.advice_box(r)
        assert box.kind == "success"
        assert box.text.startswith("**Raise your price** toward \\$75.00")


class TestIssue19:
    """What a newcomer saw (issue 19, items 7 and 8), each with the inputs that showed it."""

    def test_a_loss_making_shop_is_told_so_and_gets_no_green_box(self):
        """/pricing?fixed_cost=40000 showed a green "Raise your price" and never said that the
        shop loses money at every price."""
        r = pr.analyse(TUTORIAL, 20, 50, 40000)
        box = ex.advice_box(r)
        assert box.kind == "warning"
        shown = words(r)
        assert "You lose money at every price: at best, at $75.00, you lose $9,750 a week." in shown
        assert "you lose $6,250 less a week when you get there" in shown
        assert "profit rises" not in shown

    @pytest.mark.parametrize(
        ("model", "c", "fixed"),
        [
            (TUTORIAL, 150, 5000),  # every sale loses money, and the fixed costs on top
            (pr.elasticity_like_linear(1.0, 1300, 10), 20, 100_000),  # revenue A = $42,250 < F
            (pr.elasticity_like_linear(1.0, 1300, 10), 0, 50_000),  # the same loss at every price
        ],
    )
    def test_a_loss_at_every_price_without_a_best_price(self, model, c, fixed):
        r = pr.analyse(model, c, 50, fixed)
        assert r.optimum is None
        assert "You lose money at every price" in ex.no_optimum_text(r)

    @pytest.mark.parametrize(("e", "c"), [(5.0, 20.0), (5.0, 1.0)])
    def test_dollars_never_in_scientific_notation(self, e, c):
        """A steep elasticity on the widest line makes profits of quadrillions of dollars
        (the page printed "$4.00e+15")."""
        r = pr.analyse(pr.elasticity_like_linear(e, 5000, 0.5), c, 1)
        assert r.optimum.fun > 1e15
        shown = words(r)
        assert not re.search(r"\d[eE][+\-−]?\d", shown), shown
        assert re.fullmatch(r"\$[\d.]+ (quadrillion|quintillion)", ex.metrics(r)[1].value)

    def test_zero_is_never_signed(self):
        shown = words(pr.analyse(TUTORIAL, 20, 75)) + words(pr.analyse(TUTORIAL, 20, 200))
        assert "+$0" not in shown
        assert "−$0 " not in shown


# --- every sentence against the numbers ---------------------------------------------------------


def slider(key: str):
    lo, hi, step = pr.RANGES[key]
    return st.integers(0, round((hi - lo) / step)).map(lambda k: round(lo + k * step, 10))


def profit(r: pr.PricingResult, p) -> np.ndarray:
    """Weekly profit from the definition, (p − c)·q(p) − F, independent of the model's code."""
    p = np.asarray(p, dtype=float)
    with np.errstate(all="ignore"):
        return (p - r.unit_cost) * r.model.demand(p) - r.fixed_cost


#: Prices at which "every price" statements are checked: ten decades on a log grid.
PRICES = np.geomspace(0.01, 1e8, 4001)


def every_price(r: pr.PricingResult) -> np.ndarray:
    extra = [r.optimum.x] if r.optimum is not None else []
    return profit(r, np.concatenate([PRICES, extra, list(r.break_even)]))


def check(r: pr.PricingResult) -> None:
    """Every sentence about ``r`` is true of its numbers."""
    shown = words(r)
    p, opt, m = r.price, r.optimum, r.marginal_at_price
    # formats: no scientific notation, no noise, no signed or negative zero, no nan, no "seed"
    assert not re.search(r"\d[eE][+\-−]?\d", shown), shown
    assert not re.search(r"[+−]\$0(?![.,\d])|[+−]\$0\.0+(?!\d)|−0(?:\.0+)?(?![.\d])", shown), shown
    assert "nan" not in shown
    assert "inf" not in shown.replace("infl", "")
    assert "seed" not in shown.lower()

    # the metrics
    metric = {x.label: x.value for x in ex.metrics(r)}
    assert metric["Marginal profit"] == ex.change(m)
    assert metric["Marginal profit"].startswith("+") == (m > 0)
    assert metric["Marginal profit"].startswith("−") == (m < 0)

    # the advice, its direction and the box it sits in
    head, why = ex.advice(r)
    if opt is None:
        assert head == ""
        assert ex.advice_box(r) is None
    else:
        gain = opt.fun - profit(r, p)
        if r.advice is pr.Advice.KEEP:
            assert head == "Keep your price."
            assert abs(opt.x - p) < 0.005
        elif r.advice is pr.Advice.RAISE:
            assert head == "Raise your price"
            assert opt.x > p
            assert m > 0
            assert profit(r, p + 1e-3) > profit(r, p) or math.isclose(profit(r, p + 1e-3), profit(r, p), rel_tol=1e-12)
            assert f"is {ex.change(m)} per $1" in why
            assert ex.change(m).startswith("+")
        elif r.advice is pr.Advice.LOWER:
            assert head == "Lower your price"
            assert opt.x < p
            assert m < 0
            assert f"is {ex.change(m)} per $1" in why
            assert ex.change(m).startswith("−")
        else:
            assert head == "Lower your price"
            assert r.customers_at_price == 0
            assert opt.x < p
            assert gain > 0
        if r.advice is not pr.Advice.KEEP:
            assert f"toward {ex.usd(opt.x)}" in why
            if "profit rises by" in why:
                assert gain > 0
                assert opt.fun >= 0
                assert f"rises by {ex.amount(r.gain_to_optimum)}" in why
            if "less a week" in why:
                assert gain > 0
                assert opt.fun < 0
        box = ex.advice_box(r)
        assert box.kind == ("success" if opt.fun > 0 else "info" if opt.fun == 0 else "warning")

    # "you lose money at every price" exactly when it is so
    best_seen = float(np.nanmax(every_price(r)))
    loses = "You lose money at every price" in shown
    assert loses == ex.loses_everywhere(r)
    if loses:
        assert best_seen < 0
    elif opt is not None:
        assert opt.fun >= 0
        assert best_seen >= -1e-9 * max(1.0, r.fixed_cost)

    # why there is no best price
    if opt is None:
        grid = np.geomspace(max(r.unit_cost, 0.01) * 1.001, 1e6, 200)
        f = profit(r, grid)
        why = r.no_optimum
        text = ex.no_optimum_text(r)
        if why is pr.NoOptimum.COST_ABOVE_CHOKE:
            assert r.unit_cost >= r.choke_price
            assert "every sale loses money" in text
            assert np.all(f <= 0)
        elif why is pr.NoOptimum.FREE_ELASTIC:
            assert r.unit_cost == 0
            assert r.model.elasticity > 1
            operating = f + r.fixed_cost  # F would drown the far end's tiny profits in rounding
            assert np.all(np.diff(operating) <= 0)
            assert operating[0] > operating[-1]
        elif why in (pr.NoOptimum.INELASTIC, pr.NoOptimum.UNIT_ELASTIC):
            assert np.all(np.diff(f) >= -1e-12 * np.abs(f[1:]))  # rising, up to rounding (e can be 1 − 1e−16)
            assert r.model.elasticity <= 1
            assert ("costs fall" in text) == (r.unit_cost > 0)
            if why is pr.NoOptimum.UNIT_ELASTIC:
                assert np.all(f < r.model.scale - r.fixed_cost)
        else:
            assert np.allclose(f, r.model.scale - r.fixed_cost, rtol=1e-9)

    # break-even prices
    text, kind, be = ex.break_even_text(r), r.break_even_kind, r.break_even
    for price in be:
        assert ex.usd(price) in text
        # the size of what cancels: a − b·p in linear demand, (p − c)·q − F in profit
        customers = r.model.a if r.model.kind == "linear" else r.model.demand(price)
        terms = (price + r.unit_cost) * customers + r.fixed_cost
        assert abs(profit(r, price)) <= 1e-9 * max(1.0, terms)
    k = pr.BreakEven

    def sign(q):
        return np.sign(profit(r, q))

    if kind is k.TWO:
        low, high = be
        assert sign((low + high) / 2) > 0
        assert sign(high * 1.5 + 1) < 0
        assert low < 0.02 or sign(low / 2) < 0
    elif kind is k.TWO_UP_TO_CHOKE:
        low, high = be
        assert r.fixed_cost == 0
        assert high == pytest.approx(r.choke_price, rel=1e-9)
        assert sign((low + high) / 2) > 0
        assert profit(r, high * 1.5) == 0
    elif kind is k.AT_OPTIMUM:
        assert abs(opt.fun) <= 1e-6 * max(1.0, r.fixed_cost)
        assert sign(be[0] * 0.9) < 0
        assert sign(be[0] * 1.1) < 0
    elif kind is k.AT_COST:
        assert be[0] == pytest.approx(r.unit_cost, rel=1e-9)
        assert r.fixed_cost == 0
        assert np.all(profit(r, be[0] * np.geomspace(1.01, 1e6, 50)) > 0)
    elif kind is k.ONLY_BELOW:
        assert sign(be[0] / 2) > 0
        assert sign(be[0] * 2) < 0
    elif kind in (k.EVERY_HIGHER, k.HIGHER_UP_TO_CAP):
        assert np.all(profit(r, be[0] * np.geomspace(1.01, 1e6, 50)) > 0)
        assert be[0] < 0.02 or sign(be[0] / 2) < 0
    elif kind is k.NONE_LOSS:
        assert best_seen < 0
        assert "less than your fixed costs" in text
    elif kind is k.NO_PROFIT:
        assert best_seen <= 0
    elif kind is k.ALWAYS_PROFIT:
        assert float(np.nanmin(every_price(r))) > 0
    else:
        assert kind is k.ONE

    # at and past the price where demand ends, and the +$1 experiment
    note, plus = ex.kink_note(r), ex.plus_one_text(r)
    if "Nobody buys at" in note:
        assert r.customers_at_price == 0
        assert m == 0
        assert p > r.choke_price
    if "demand just reaches zero" in note:
        assert p == r.choke_price
    steps = np.array([p, p + 1])
    operating = (steps - r.unit_cost) * r.model.demand(steps)  # F cancels in the change
    diff = operating[1] - operating[0]
    assert r.plus_one_change == pytest.approx(diff, rel=1e-9, abs=1e-12 * np.abs(operating).sum())
    moved = ex.change(r.plus_one_change)
    assert f"change {moved}." in plus
    if "Nobody buys at either price" in plus:
        assert r.model.demand(p) == 0
        assert r.model.demand(p + 1) == 0
    if "The step crosses" in plus:
        assert p < r.choke_price < p + 1
    found = re.search(r"Not ([+−]?\$[\d,.]+),", plus)
    if found:
        assert found.group(1) == ex.change(m) != moved

    # the Lerner check and the curvature
    if opt is not None:
        assert r.margins.margin == pytest.approx(r.margins.lerner, rel=1e-9)
        assert f"= {percent(r.margins.margin)} equals 1/" in ex.lerner_text(r)
        assert "f″ = " in ex.curvature_text(r)
        assert opt.second_derivative < 0
        assert metric["Optimal price"] == ex.usd(opt.x)
        assert metric["Maximum profit"] == ex.usd(opt.fun, 0)


SWEEP = settings(
    max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@SWEEP
@given(
    cost=slider("unit_cost"),
    fixed=slider("fixed_cost"),
    price=slider("price"),
    a=slider("demand_intercept"),
    b=slider("demand_slope"),
)
@example(cost=20.0, fixed=0.0, price=50.0, a=1300.0, b=10.0)
@example(cost=20.0, fixed=40000.0, price=50.0, a=1300.0, b=10.0)
@example(cost=20.0, fixed=30250.0, price=75.0, a=1300.0, b=10.0)
@example(cost=150.0, fixed=0.0, price=200.0, a=1300.0, b=10.0)
@example(cost=0.0, fixed=0.0, price=130.0, a=1300.0, b=10.0)
@example(cost=20.0, fixed=500.0, price=129.5, a=1300.0, b=10.0)
def test_every_sentence_is_true_linear(cost, fixed, price, a, b):
    check(pr.analyse(pr.linear_demand(a, b), cost, price, fixed))


@SWEEP
@given(
    cost=slider("unit_cost"),
    fixed=slider("fixed_cost"),
    price=slider("price"),
    a=slider("demand_intercept"),
    b=slider("demand_slope"),
    e=slider("elasticity"),
)
@example(cost=20.0, fixed=0.0, price=50.0, a=1300.0, b=10.0, e=2.0)
@example(cost=0.0, fixed=0.0, price=50.0, a=1300.0, b=10.0, e=0.8)
@example(cost=0.0, fixed=500.0, price=50.0, a=1300.0, b=10.0, e=0.8)
@example(cost=0.0, fixed=500.0, price=50.0, a=1300.0, b=10.0, e=2.0)
@example(cost=20.0, fixed=500.0, price=50.0, a=1300.0, b=10.0, e=1.0)
@example(cost=20.0, fixed=100000.0, price=50.0, a=1300.0, b=10.0, e=1.0)
@example(cost=0.0, fixed=100000.0, price=50.0, a=1300.0, b=10.0, e=1.0)
@example(cost=0.0, fixed=0.0, price=50.0, a=1300.0, b=10.0, e=1.0)
@example(cost=20.0, fixed=500.0, price=1.0, a=5000.0, b=0.5, e=1.05)
@example(cost=20.0, fixed=0.0, price=1.0, a=5000.0, b=0.5, e=5.0)
@example(cost=200.0, fixed=100000.0, price=300.0, a=100.0, b=50.0, e=5.0)
def test_every_sentence_is_true_elasticity(cost, fixed, price, a, b, e):
    check(pr.analyse(pr.elasticity_like_linear(e, a, b), cost, price, fixed))


@st.composite
def sales_tables(draw):
    """Weekly price tests: a noisy line or power law, or any numbers at all."""
    n = draw(st.integers(3, 10))
    prices = draw(st.lists(st.integers(2, 600).map(lambda k: k / 2), min_size=n, max_size=n))
    shape = draw(st.sampled_from(["line", "power", "any"]))
    noise = draw(st.lists(st.floats(-0.2, 0.2), min_size=n, max_size=n))
    if shape == "line":
        a, b = draw(st.floats(100, 5000)), draw(st.floats(0.5, 50))
        units = [max(0.0, (a - b * p) * (1 + z)) for p, z in zip(prices, noise, strict=True)]
    elif shape == "power":
        e, scale = draw(st.floats(0.3, 6)), draw(st.floats(1e2, 1e8))
        units = [scale * p**-e * (1 + z) for p, z in zip(prices, noise, strict=True)]
    else:
        units = draw(st.lists(st.integers(0, 5000).map(float), min_size=n, max_size=n))
    return pd.DataFrame({"price": prices, "units": units})


def fitted_or_refused(table, cost, price, fixed) -> tuple[pr.SalesResult | None, str]:
    try:
        return pr.analyse_sales(table, cost, price, fixed), ""
    except ValueError as exc:
        return None, str(exc)


@SWEEP
@given(table=sales_tables(), cost=slider("unit_cost"), fixed=slider("fixed_cost"), price=slider("price"))
@example(table=pr.EXAMPLE_SALES, cost=20.0, fixed=0.0, price=50.0)
@example(table=pd.DataFrame({"price": [40.0, 50, 60], "units": [500.0, 600, 700]}), cost=20.0, fixed=0.0, price=50.0)
def test_every_sentence_is_true_data(table, cost, fixed, price):
    sales, refused = fitted_or_refused(table, cost, price, fixed)
    if refused:  # the table cannot be fitted at all: the page shows why
        assert "Cannot fit the table: " in re.sub(r"\\(.)", r"\1", ex.table_error("the table", refused))
        return
    p, q = sales.fits.prices, sales.fits.units
    for name in pr.FITS:
        failure = getattr(sales.fits, f"{name}_failure")
        if failure is None:
            continue
        said = ex.fit_problem(name, failure)
        assert not re.search(r"\d[eE][+\-−]?\d", said), said
        if "more is sold at higher prices" in said:
            x, y = (p, q) if name == "linear" else (np.log(p), np.log(q))
            assert np.polyfit(x, y, 1)[0] > 0
        if "every week needs units > 0" in said:
            assert np.any(q <= 0)
    assert list(sales.results) == sales.fits.usable()
    for r in sales.results.values():
        check(r)


# --- issue 22: reach a target, and how sure a fitted best price is -----------------------------


def _read(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown).replace("**", "")


def _dollars_in(text: str) -> list[float]:
    return [float(s.replace(",", "")) for s in re.findall(r"\$([\d,]+(?:\.\d+)?)", text)]


class TestTargetText:
    def test_the_issue_sentence(self):
        """10p² − 1500p + 51,000 = 0 at the tutorial's defaults with a target of $25,000."""
        r = pr.analyse(TUTORIAL, 20, 50, target=25_000)
        d = math.sqrt(1500**2 - 40 * 51_000)
        roots = ((1500 - d) / 20, (1500 + d) / 20)
        assert r.goal.x == pytest.approx(roots, rel=1e-10)
        text = _read(ex.target_text(r))
        assert "Profit is $25,000 at $52.09 and at $97.91" in text
        assert _dollars_in(text)[-2:] == [round(x, 2) for x in roots]
        assert ex.goal_marks(r) == {"target": 25_000.0, "solutions": pytest.approx(roots, rel=1e-10)}

    def test_no_target_says_nothing(self):
        r = pr.analyse(TUTORIAL, 20, 50)
        assert (r.goal, ex.target_text(r), ex.goal_marks(r)) == (None, "", {})

    @pytest.mark.parametrize(("target", "short"), [(31_000, 750), (30_251, 1), (1e6, 1e6 - 30_250)])
    def test_above_the_maximum_says_by_how_much(self, target, short):
        text = _read(ex.target_text(pr.analyse(TUTORIAL, 20, 50, target=target)))
        assert "No price makes" in text
        assert text.endswith(f"({ex.amount(short)} short).")
        assert "the most is $30,250, at $75.00" in text

    def test_at_the_maximum_touches_the_best_price(self):
        assert "only at $75.00, the best price" in _read(ex.target_text(pr.analyse(TUTORIAL, 20, 50, target=30_250)))

    @pytest.mark.parametrize("target", [-20_000.0, -500.0, 1.0, 10_000.0, 29_000.0])
    @pytest.mark.parametrize("model", [TUTORIAL, pr.elasticity_like_linear(2.5, 1300, 10)])
    def test_every_price_said_makes_the_target(self, model, target):
        """Each price in the sentence, to the cent, is a root of profit − target."""
        r = pr.analyse(model, 20, 50, 1_000, target=target)
        text = _read(ex.target_text(r))
        assert text.startswith(f"Target {ex.amount(target)} a week.")
        assert r.goal.x, "every one of these targets is reached"
        for x in r.goal.x:
            assert float(profit(r, x)) == pytest.approx(target, rel=1e-9, abs=1e-6)
            assert ex.usd(x) in text

    def test_a_loss_making_shop(self):
        text = _read(ex.target_text(pr.analyse(TUTORIAL, 150, 50, 500, target=100)))
        assert "every sale loses money" in text
        assert "$500" in text


class TestIntervalWords:
    def test_metric_matches_the_interval(self):
        boot = un.price_interval(pr.fit_sales(pr.EXAMPLE_SALES), 20.0)
        label, value, help = ex.interval_metric(boot)
        assert label == "Best price, 90% interval"  # the issue's label: a contract
        assert value == f"{ex.usd(boot.interval.low)} – {ex.usd(boot.interval.high)}"
        assert boot.interval.low < boot.interval.estimate < boot.interval.high
        assert "1,000 resamples" in help
        assert "seed" not in help.lower()

    def test_exact_weeks_give_one_price_and_say_zero_width(self):
        weeks = pd.DataFrame(
            {"price": [40.0, 50, 60, 70, 80, 90], "units": 1300 - 10 * np.array([40.0, 50, 60, 70, 80, 90])}
        )
        fits = pr.fit_sales(weeks)
        boot = un.price_interval(fits, 20.0)
        assert boot.interval.status is un.IntervalStatus.EXACT
        assert ex.interval_metric(boot).value == "$75.00 – $75.00"
        r = pr.analyse_sales(weeks, 20, 50).results["linear"]
        said = _read(" ".join(text for _, text in ex.interval_boxes(boot, r, 6)))
        assert "zero width" in said
        assert "$75.00 every time" in said

    def test_what_a_choice_costs_is_the_resamples_own_loss(self):
        fits = pr.fit_sales(pr.EXAMPLE_SALES)
        boot = un.price_interval(fits, 20.0)
        r = pr.analyse_sales(pr.EXAMPLE_SALES, 20, 60).results["linear"]
        boxes = ex.interval_boxes(boot, r, 10)
        cost = next(_read(t) for _, t in boxes if "What your price costs" in t)
        loss = boot.profits([60.0])[:, 0]
        expected = float(np.mean(boot.best_profits - loss))
        worst = float(np.max(boot.best_profits - loss))
        assert f"Pricing at $60.00 instead of {ex.usd(boot.interval.estimate)} loses {ex.amount(expected)}" in cost
        assert f"{ex.amount(worst)} at worst" in cost
        assert [kind for kind, _ in boxes][-1] == "caption"
        assert "right shape" in boxes[-1].text  # what the interval does not cover

    def test_failed_resamples_are_counted_and_said(self):
        """Constant elasticity on the example weeks: about a quarter of the resamples have
        e ≤ 1 (no finite best price); the words count them and warn."""
        fits = pr.fit_sales(pr.EXAMPLE_SALES)
        boot = un.price_interval(fits, 20.0, "elasticity")
        iv = boot.interval
        assert iv.n_failed > 50
        assert iv.status is un.IntervalStatus.UNSTABLE
        r = pr.analyse_sales(pr.EXAMPLE_SALES, 20, 50).results["elasticity"]
        boxes = ex.interval_boxes(boot, r, 10)
        said = _read(boxes[0].text)
        assert f"{iv.n_failed:,} of the 1,000 resamples could not be used" in said
        assert f"{iv.n_failed:,} no finite best price" in said
        assert boxes[1].kind == "warning"
