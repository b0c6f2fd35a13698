"""Price and advertising: the engine's optimum against the closed forms (markup rule,
Dorfman–Steiner, A*, profit*), the Hessian, the 2-D sensitivity against its closed forms and
against re-solving, and everything the page reads from one analyse()."""

import itertools
import math

import numpy as np
import pytest
from scipy.optimize import minimize

from optimizers import multivariate as mv
from optimizers import price_ads as pa
from optimizers.sensitivity import COLUMNS

CASES = [
    {"unit_cost": 20.0, "price_elasticity": 2.0, "ad_elasticity": 0.1, "scale": pa.DEFAULT_SCALE, "fixed_cost": 0.0},
    {"unit_cost": 35.0, "price_elasticity": 3.5, "ad_elasticity": 0.25, "scale": 2.0e6, "fixed_cost": 5000.0},
    {"unit_cost": 8.0, "price_elasticity": 1.4, "ad_elasticity": 0.05, "scale": 3.0e5, "fixed_cost": 100.0},
]


def closed_form(unit_cost, price_elasticity, ad_elasticity, scale, fixed_cost):
    c, e, g, s, fc = unit_cost, price_elasticity, ad_elasticity, scale, fixed_cost
    p = c * e / (e - 1)
    a = (g * s * (p - c) * p**-e) ** (1 / (1 - g))
    q = s * p**-e * a**g
    return p, a, q, a * (1 - g) / g - fc


class TestModel:
    def test_basic(self):
        """The default scale sells the tutorial's 550 pairs at $75 with $1,000 of ads a week."""
        assert pa.customers(75.0, 1000.0) == pytest.approx(550.0, rel=1e-14)
        assert pa.profit(75.0, 1000.0) == pytest.approx(55 * 550 - 1000, rel=1e-14)
        assert pa.scale_for(*pa.REFERENCE, 2.0, 0.1) == pa.DEFAULT_SCALE

    def test_derivatives_match_the_complex_step(self):
        rng = np.random.default_rng(0)
        for case in CASES:
            for p, a in rng.uniform((10, 100), (150, 20000), size=(10, 2)):
                f = lambda x, y, case=case: pa.profit(x, y, **case)
                assert pa.gradient(p, a, **case) == pytest.approx(mv.gradient(f, p, a), rel=1e-11, abs=1e-11)
                exact = pa.hessian(p, a, **case)
                numeric = mv.hessian(f, p, a, grad=lambda x, y, case=case: pa.gradient(x, y, **case))
                assert exact == pytest.approx(numeric, rel=1e-9, abs=1e-12)

    def test_input_validation(self):
        with pytest.raises(ValueError, match="price_elasticity must be greater than 1"):
            pa.optimal_price(20, 1.0)
        with pytest.raises(ValueError, match="ad_elasticity must be between 0 and 1"):
            pa.optimal_ad_spend(20, 2, 1.0)
        with pytest.raises(ValueError, match="unit_cost must be a positive number, got unit_cost=0"):
            pa.optimal_price(0, 2)
        with pytest.raises(ValueError, match="scale must be a positive number"):
            pa.optimal_ad_spend(20, 2, 0.1, -5)
        with pytest.raises(ValueError, match="customers_per_week must be a positive number"):
            pa.scale_for(0, 75, 1000, 2, 0.1)


class TestClosedForms:
    @pytest.mark.parametrize("case", CASES)
    def test_basic(self, case):
        """The engine's optimum equals the closed forms; A*/revenue = γ/e (Dorfman–Steiner)."""
        r = pa.analyse(**case, price=60.0, ad_spend=800.0)
        p, a, q, profit = closed_form(**case)
        assert r.optimal_price == pytest.approx(p, rel=1e-12)
        assert r.optimal_price == pytest.approx(
            pa.optimal_price(case["unit_cost"], case["price_elasticity"]), rel=1e-12
        )
        assert r.optimal_ad_spend == pytest.approx(a, rel=1e-10)
        assert r.optimal_ad_spend == pytest.approx(pa.optimal_ad_spend(*list(case.values())[:4]), rel=1e-10)
        assert r.optimal_customers == pytest.approx(q, rel=1e-10)
        assert r.optimal_profit == pytest.approx(profit, rel=1e-12)
        assert r.optimal_profit == pytest.approx(pa.optimal_profit(**case), rel=1e-12)
        assert r.ad_to_revenue == pytest.approx(case["ad_elasticity"] / case["price_elasticity"], rel=1e-10)
        assert r.optimum.location is mv.Location.INTERIOR
        assert r.optimum.status is mv.Search.COMPLETE

    @pytest.mark.parametrize("case", CASES)
    def test_hessian(self, case):
        """Diagonal at the optimum: −(e − 1)q*/p* and γ(γ − 1)(p* − c)q*/A*², both negative."""
        r = pa.analyse(**case)
        p, a, q, _ = closed_form(**case)
        e, g, c = case["price_elasticity"], case["ad_elasticity"], case["unit_cost"]
        pp, pa_, aa = r.hessian
        assert pp == pytest.approx(-(e - 1) * q / p, rel=1e-9)
        assert aa == pytest.approx(g * (g - 1) * (p - c) * q / a**2, rel=1e-9)
        assert abs(pa_) <= 1e-9 * math.sqrt(abs(pp * aa))
        assert sorted(r.eigenvalues) == pytest.approx(sorted([pp, aa]), rel=1e-9)
        assert r.kind is mv.Kind.MAXIMUM

    def test_agrees_with_scipy(self):
        """scipy's trust-constr on −profit lands on the same plan."""
        case = CASES[1]
        r = pa.analyse(**case)

        def hess(v):
            pp, pa_, aa = pa.hessian(v[0], v[1], **case)
            return -np.array([[pp, pa_], [pa_, aa]])

        res = minimize(
            lambda v: -pa.profit(v[0], v[1], **case),
            (60.0, 1000.0),
            jac=lambda v: -np.array(pa.gradient(v[0], v[1], **case)),
            hess=hess,
            method="trust-constr",
            bounds=[(r.box.x_lo, r.box.x_hi), (r.box.y_lo, r.box.y_hi)],
            options={"gtol": 1e-12, "xtol": 1e-14, "maxiter": 5000},
        )
        assert res.x == pytest.approx([r.optimal_price, r.optimal_ad_spend], rel=1e-7)
        assert math.hypot(*pa.gradient(*res.x, **case)) <= 1e-5  # our residual checks scipy's answer


class TestSensitivity:
    @pytest.mark.parametrize("case", CASES)
    def test_basic(self, case):
        """Every row against the closed forms: dp*/dc = e/(e − 1), dp*/de = −c/(e − 1)², and
        d ln A* = (d ln γ + d ln s + d ln(p* − c) − e d ln p* − ln p* de)/(1 − γ) + ln A* dγ/(1 − γ);
        the envelope theorem for the value: ∂profit/∂θ at the optimum."""
        r = pa.analyse(**case)
        table = r.sensitivity.table()
        assert list(table.columns) == [*COLUMNS, "coordinate"]
        assert table.coordinate.tolist() == ["price", "ad_spend"] * 5
        c, e, g, s, _ = case.values()
        p, a, q, _ = closed_form(**case)
        expected = {
            ("unit_cost", "price"): e / (e - 1),
            ("unit_cost", "ad_spend"): a * (1 - e) / (c * (1 - g)),
            ("price_elasticity", "price"): -c / (e - 1) ** 2,
            ("price_elasticity", "ad_spend"): -a * math.log(p) / (1 - g),
            ("ad_elasticity", "price"): 0.0,
            ("ad_elasticity", "ad_spend"): a * (1 / (g * (1 - g)) + math.log(a) / (1 - g)),
            ("scale", "price"): 0.0,
            ("scale", "ad_spend"): a / (s * (1 - g)),
            ("fixed_cost", "price"): 0.0,
            ("fixed_cost", "ad_spend"): 0.0,
        }
        best = {
            "unit_cost": -q,
            "price_elasticity": -(p - c) * q * math.log(p),
            "ad_elasticity": (p - c) * q * math.log(a),
            "scale": (p - c) * q / s,
            "fixed_cost": -1.0,
        }
        for row in table.itertuples():
            want = expected[(row.parameter, row.coordinate)]
            assert row.optimum_change_per_unit == pytest.approx(
                want, rel=1e-8, abs=1e-9 * (a if row.coordinate == "ad_spend" else p)
            )
            assert row.best_change_per_unit == pytest.approx(best[row.parameter], rel=1e-8)
            at = p if row.coordinate == "price" else a
            assert row.optimum_elasticity == pytest.approx(want * row.value / at, rel=1e-8, abs=1e-9)

    def test_against_re_solving(self):
        """Re-solve at θ ± δ: the table's numbers are derivatives of the engine's own optimum."""
        case = CASES[1]
        r = pa.analyse(**case)
        for name in ("unit_cost", "ad_elasticity"):
            h = 1e-5 * case[name]
            up = pa.analyse(**{**case, name: case[name] + h})
            down = pa.analyse(**{**case, name: case[name] - h})
            rows = {row.coordinate: row for row in r.sensitivity.rows if row.parameter == name}
            assert rows["price"].optimum_change_per_unit == pytest.approx(
                (up.optimal_price - down.optimal_price) / (2 * h), rel=1e-6, abs=1e-8
            )
            assert rows["ad_spend"].optimum_change_per_unit == pytest.approx(
                (up.optimal_ad_spend - down.optimal_ad_spend) / (2 * h), rel=1e-6
            )
            assert rows["price"].best_change_per_unit == pytest.approx(
                (up.optimal_profit - down.optimal_profit) / (2 * h), rel=1e-6
            )


class TestAnalyse:
    def test_basic(self):
        r = pa.analyse()
        assert (r.price, r.ad_spend) == (pa.DEFAULT_PRICE, pa.DEFAULT_AD_SPEND)
        assert r.current_customers == pytest.approx(550.0, rel=1e-14)
        assert r.current_profit == pytest.approx(29250.0, rel=1e-14)
        assert r.current_gradient == pytest.approx(pa.gradient(75.0, 1000.0), rel=1e-15)
        # at $75 a dollar off the price earns $256.67 a week; a dollar more of ads $2.03
        assert r.current_gradient[0] == pytest.approx(-256.6666666666667, rel=1e-12)
        assert (r.price_move, r.ad_move) == (pa.Move.LOWER, pa.Move.RAISE)
        assert r.optimal_price == pytest.approx(40.0, rel=1e-12)

    def test_path(self):
        r = pa.analyse()
        path = r.path
        assert path.status is mv.PathStatus.CONVERGED
        assert (path.points.x.iloc[0], path.points.y.iloc[0]) == (75.0, 1000.0)
        assert (np.diff(path.points.value) >= 0).all()  # an ascent never loses profit
        assert (path.x, path.y) == pytest.approx((r.optimal_price, r.optimal_ad_spend), rel=1e-5)
        assert path.value == pytest.approx(r.optimal_profit, rel=1e-10)
        inside = path.points.x.between(r.box.x_lo, r.box.x_hi) & path.points.y.between(r.box.y_lo, r.box.y_hi)
        assert inside.all()

    def test_slices_and_grid(self):
        r = pa.analyse()
        for frame, best in ((r.price_slice, r.optimal_price), (r.ad_slice, r.optimal_ad_spend)):
            assert list(frame.columns) == ["x", "value", "derivative"]
            assert len(frame) == pa.SLICE_POINTS
            top = frame.loc[frame.value.idxmax()]
            step = frame.x.iloc[1] - frame.x.iloc[0]
            assert abs(top.x - best) <= step
            assert frame.value.max() <= r.optimal_profit
        # the price slice's derivative is ∂profit/∂price at A*
        row = r.price_slice.iloc[17]
        assert row.derivative == pytest.approx(pa.gradient(row.x, r.optimal_ad_spend)[0], rel=1e-14)
        assert list(r.grid.columns) == ["x", "y", "value"]
        assert len(r.grid) == pa.GRID_SIDE**2
        assert r.grid.value.max() <= r.optimal_profit

    def test_special_cases(self):
        # already at the optimum: keep both
        p, a, _, _ = closed_form(**CASES[0])
        r = pa.analyse(price=p, ad_spend=a)
        assert (r.price_move, r.ad_move) == (pa.Move.KEEP, pa.Move.KEEP)
        assert max(abs(v) for v in r.current_gradient) <= 1e-9
        # fixed costs move no decision and lower the profit one for one
        base, fixed = pa.analyse(), pa.analyse(fixed_cost=10_000)
        assert fixed.optimal_price == pytest.approx(base.optimal_price, rel=1e-12)
        assert fixed.optimal_ad_spend == pytest.approx(base.optimal_ad_spend, rel=1e-12)
        assert fixed.optimal_profit == pytest.approx(base.optimal_profit - 10_000, rel=1e-12)

    def test_every_slider_corner(self):
        """At every corner of the sliders' ranges the optimum is interior, complete and a maximum."""
        keys = ["unit_cost", "price_elasticity", "ad_elasticity", "price", "ad_spend"]
        for values in itertools.product(*([pa.RANGES[k][0], pa.RANGES[k][1]] for k in keys)):
            kw = dict(zip(keys, values, strict=True))
            r = pa.analyse(**kw)
            assert r.kind is mv.Kind.MAXIMUM, kw
            assert r.optimum.location is mv.Location.INTERIOR, kw
            assert r.optimal_price == pytest.approx(
                pa.optimal_price(kw["unit_cost"], kw["price_elasticity"]), rel=1e-10
            )

    def test_defaults_inside_ranges(self):
        defaults = {
            "unit_cost": pa.DEFAULT_UNIT_COST, "price_elasticity": pa.DEFAULT_PRICE_ELASTICITY,
            "ad_elasticity": pa.DEFAULT_AD_ELASTICITY, "scale": pa.DEFAULT_SCALE, "fixed_cost": pa.DEFAULT_FIXED_COST,
            "price": pa.DEFAULT_PRICE, "ad_spend": pa.DEFAULT_AD_SPEND,
        }  # fmt: skip
        assert set(defaults) == set(pa.RANGES)
        for key, value in defaults.items():
            lo, hi, step = pa.RANGES[key]
            assert lo <= value <= hi, key
            assert step > 0

    def test_input_validation(self):
        with pytest.raises(ValueError, match="price must be a positive number, got price=0"):
            pa.analyse(price=0)
        with pytest.raises(ValueError, match="ad_spend must be a positive number"):
            pa.analyse(ad_spend=math.nan)
        with pytest.raises(ValueError, match="fixed_cost must be a non-negative number"):
            pa.analyse(fixed_cost=-1)
        with pytest.raises(ValueError, match="price_elasticity must be greater than 1"):
            pa.analyse(price_elasticity=0.9)


class TestExtremes:
    """Found while testing the page's sentences over the sliders' ranges."""

    def test_eigenvalues_of_a_badly_scaled_hessian(self):
        """At a $5·10¹² ad budget the Hessian is diag(−925,792, −9.8e−14): both eigenvalues are
        negative (the smaller one was computed as exactly 0 by mean − radius)."""
        r = pa.analyse(100.0, 1.1, 0.5, 10_000_000.0, 0.0, 1.0, 50.0)
        assert r.hessian[1] == 0.0
        assert sorted(r.eigenvalues) == pytest.approx(sorted((r.hessian[0], r.hessian[2])), rel=1e-12)
        assert max(r.eigenvalues) < 0

    def test_no_rounding_noise_in_the_sensitivity_table(self):
        """The optimal price does not depend on advertising or the demand scale: exactly 0 in the
        table (the implicit function theorem's arithmetic gave -5.9e-14 and -8.8e-21)."""
        r = pa.analyse(37.0, 3.35, 0.27, pa.DEFAULT_SCALE, 1000.0, 120.0, 7000.0)
        t = r.sensitivity.table().set_index(["parameter", "coordinate"])
        for parameter in ("ad_elasticity", "scale", "fixed_cost"):
            assert t.loc[(parameter, "price"), "optimum_change_per_unit"] == 0.0
            assert t.loc[(parameter, "price"), "optimum_elasticity"] == 0.0
        # and real effects are kept: dA*/dscale = A*/((1 − γ)·scale)
        expected = r.optimal_ad_spend / ((1 - 0.27) * pa.DEFAULT_SCALE)
        assert t.loc[("scale", "ad_spend"), "optimum_change_per_unit"] == pytest.approx(expected, rel=1e-6)
