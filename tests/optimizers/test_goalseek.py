"""Goal seek: closed-form solutions of f(x) = target for every page's objective, targets at and
beyond the best value, touches, jumps, and bad input."""

import math

import numpy as np
import pytest
from scipy.special import lambertw

from optimizers import compounding, fuel, pricing, study
from optimizers import goalseek as gs
from optimizers.calculus import optimize

R, F, T, X = gs.Crossing.RISING, gs.Crossing.FALLING, gs.Crossing.TOUCH, gs.GoalStatus


def quadratic_roots(a, b, c):
    """Both real roots of a x² + b x + c, increasing, without cancellation."""
    d = math.sqrt(b * b - 4 * a * c)
    q = -0.5 * (b + math.copysign(d, b))
    return sorted([q / a, c / q])


class TestGoalSeek:
    def test_basic(self):
        r = gs.goal_seek(np.sin, 0, 2 * np.pi, 0.5, df=np.cos)
        assert r.status is X.REACHED
        assert r.x == pytest.approx((math.pi / 6, 5 * math.pi / 6), rel=1e-14)
        assert r.crossings == (R, F)
        assert (r.goal, r.margin, r.lo, r.hi) == ("max", 0.0, 0.0, 2 * np.pi)
        assert r.optimum_x == pytest.approx(math.pi / 2, rel=1e-14)
        assert r.optimum_fun == 1.0
        assert r.highest == 1.0
        assert r.lowest == -1.0

    def test_target_at_and_beyond_the_best(self):
        at = gs.goal_seek(np.sin, 0, 2 * np.pi, 1.0, df=np.cos)
        assert (at.status, at.crossings) == (X.TOUCHES, (T,))
        assert at.x == pytest.approx((math.pi / 2,), rel=1e-15)
        above = gs.goal_seek(np.sin, 0, 2 * np.pi, 1.25, df=np.cos)
        assert (above.status, above.x, above.crossings) == (X.ABOVE_MAXIMUM, (), ())
        assert above.margin == pytest.approx(0.25, rel=1e-14)
        below = gs.goal_seek(np.sin, 0, 2 * np.pi, -3.0, df=np.cos)
        assert below.status is X.BELOW_MINIMUM
        assert below.margin == pytest.approx(-2.0, rel=1e-14)
        # the minimum of a maximisation is reached, not "touched": at 3π/2, where sin turns back
        low = gs.goal_seek(np.sin, 0, 2 * np.pi, -1.0, df=np.cos)
        assert (low.status, low.crossings) == (X.REACHED, (T,))
        # a hair below the maximum: two solutions, √(2 × 1e-10) either side of π/2
        near = gs.goal_seek(np.sin, 0, 2 * np.pi, 1 - 1e-10, df=np.cos)
        assert near.status is X.REACHED
        assert near.crossings == (R, F)
        np.testing.assert_allclose(np.array(near.x) - math.pi / 2, [-math.sqrt(2e-10), math.sqrt(2e-10)], rtol=1e-5)

    def test_touch_away_from_the_optimum(self):
        """x³ − 3x on [−3, 3], minimised (−18 at −3): 2 is reached where the local maximum at −1
        touches it and where f rises through it at 2."""
        r = gs.goal_seek(lambda x: x**3 - 3 * x, -3, 3, 2.0, goal="min", df=lambda x: 3 * x * x - 3)
        assert r.status is X.REACHED
        assert r.x == pytest.approx((-1.0, 2.0), rel=1e-12)
        assert r.crossings == (T, R)
        assert (r.optimum_x, r.optimum_fun) == (-3.0, -18.0)
        assert gs.goal_seek(lambda x: x**3 - 3 * x, -3, 3, -18.0, goal="min").status is X.TOUCHES

    def test_the_optimum_can_be_passed(self):
        f, df = (lambda x: -((x - 2) ** 2) + 4), (lambda x: -2 * (x - 2))
        found = gs.goal_seek(f, 0, 5, 3.0, df=df)
        given = gs.goal_seek(f, 0, 5, 3.0, optimum=optimize(f, 0, 5, df=df))
        as_x = gs.goal_seek(f, 0, 5, 3.0, optimum=2.0)
        assert found == given == as_x
        assert found.x == pytest.approx((1.0, 3.0), rel=1e-14)

    def test_special_cases(self):
        flat = gs.goal_seek(lambda x: 3.0 + 0 * x, 0, 1, 3.0)
        assert (flat.status, flat.x, flat.everywhere) == (X.REACHED, (0.0, 1.0), True)
        assert gs.goal_seek(lambda x: 3.0 + 0 * x, 0, 1, 4.0).margin == 1.0
        # scalar-only code (math.sin rejects arrays)
        r = gs.goal_seek(lambda x: math.sin(x), 0, math.pi, 0.5)
        assert r.x == pytest.approx((math.pi / 6, 5 * math.pi / 6), rel=1e-12)
        # monotone: one solution, the optimum at the end; the end itself reached
        r = gs.goal_seek(np.exp, 0, 1, 2.0, df=np.exp)
        assert r.x == pytest.approx((math.log(2),), rel=1e-15)
        assert r.crossings == (R,)
        r = gs.goal_seek(np.exp, 0, 1, 1.0, df=np.exp)
        assert (r.status, r.x, r.crossings) == (X.REACHED, (0.0,), (R,))
        r = gs.goal_seek(np.exp, 0, 1, math.e, df=np.exp)
        assert (r.status, r.x, r.crossings) == (X.TOUCHES, (1.0,), (R,))
        # a step function crosses at its jump
        r = gs.goal_seek(np.floor, 0, 3.5, 1.5, optimum=3.5, breaks=[])
        assert r.x == pytest.approx((2.0,), abs=1e-13)
        assert r.crossings == (R,)

    def test_input_validation(self):
        with pytest.raises(ValueError, match=r"hi must be greater than lo, got lo=5\.0, hi=2\.0"):
            gs.goal_seek(np.sin, 5, 2, 0.5)
        with pytest.raises(ValueError, match="target must be a finite number, got nan"):
            gs.goal_seek(np.sin, 0, 1, math.nan)
        with pytest.raises(ValueError, match="goal must be 'max' or 'min', got 'best'"):
            gs.goal_seek(np.sin, 0, 1, 0.5, goal="best")
        with pytest.raises(ValueError, match=r"the optimum must lie in \[lo, hi\], got 7.0"):
            gs.goal_seek(np.sin, 0, 1, 0.5, optimum=7.0)
        with pytest.raises(ValueError, match="the optimum is a minimum but goal is 'max'"):
            gs.goal_seek(np.sin, 0, 6, 0.5, optimum=optimize(np.sin, 0, 6, "min"))
        with pytest.raises(ValueError, match="n must be a whole number of at least 3 grid points, got 2"):
            gs.goal_seek(np.sin, 0, 1, 0.5, n=2)
        with pytest.raises(ValueError, match="not finite"):
            gs.goal_seek(lambda x: 1 / x, 0, 1, 0.5, optimum=1.0, breaks=[])


SEED_STORE = pricing.linear_demand(1300, 10)


class TestPricingTarget:
    def test_basic(self):
        """The tutorial's defaults: (p − 20)(1300 − 10p) = 25,000 ⇔ 10p² − 1500p + 51,000 = 0."""
        r = gs.pricing_target(SEED_STORE, 20, 0, 25_000)
        d = math.sqrt(1500**2 - 40 * 51_000)
        assert r.x == pytest.approx(((1500 - d) / 20, (1500 + d) / 20), rel=1e-10)
        assert [round(p, 2) for p in r.x] == [52.09, 97.91]
        assert (r.status, r.crossings) == (X.REACHED, (R, F))
        assert (r.optimum_x, r.optimum_fun, r.lo, r.hi) == (75.0, 30_250.0, 0.0, 130.0)

    @pytest.mark.parametrize(("c", "fixed"), [(20, 0), (20, 20_250), (35, 5_000), (0, 1_000)])
    def test_break_even_is_target_zero(self, c, fixed):
        r = gs.pricing_target(SEED_STORE, c, fixed, 0.0)
        p_star = (1300 + 10 * c) / 20
        half = math.sqrt(p_star**2 - (1300 * c + fixed) / 10)
        assert r.x == pytest.approx((p_star - half, p_star + half), rel=1e-10)
        assert r.x == pytest.approx(pricing.break_even_prices(SEED_STORE, c, fixed), rel=1e-10)
        assert gs.pricing_target(SEED_STORE, 20, 0, 0).x == (20.0, 130.0)

    def test_at_and_above_the_maximum(self):
        at = gs.pricing_target(SEED_STORE, 20, 0, 30_250)
        assert (at.status, at.x, at.crossings) == (X.TOUCHES, (75.0,), (T,))
        above = gs.pricing_target(SEED_STORE, 20, 1_000, 30_000)  # best 29,250 after F
        assert (above.status, above.x) == (X.ABOVE_MAXIMUM, ())
        assert above.margin == pytest.approx(750.0, rel=1e-12)
        below = gs.pricing_target(SEED_STORE, 20, 0, -30_000)  # the lowest, −$26,000, is at $0
        assert below.status is X.BELOW_MINIMUM
        assert below.margin == pytest.approx(-4_000.0, rel=1e-12)

    @pytest.mark.parametrize(("scale", "c", "fixed", "target"), [(1e6, 20, 1000, 5000), (4e6, 10, 0, 50_000)])
    def test_elasticity_closed_form(self, scale, c, fixed, target):
        """e = 2: A(p − c)/p² − F = T ⇔ (T + F)p² − A p + A c = 0."""
        r = gs.pricing_target(pricing.elasticity_demand(2.0, scale), c, fixed, target)
        assert r.status is X.REACHED
        assert r.x == pytest.approx(quadratic_roots(target + fixed, -scale, scale * c), rel=1e-10)
        assert r.optimum_x == pytest.approx(2 * c, rel=1e-12)
        at = gs.pricing_target(pricing.elasticity_demand(2.0, scale), c, fixed, scale / (4 * c) - fixed)
        assert at.status is X.TOUCHES
        assert at.x == pytest.approx((2 * c,), rel=1e-10)

    def test_special_cases(self):
        # no finite best price (e < 1): profit rises with the price; one solution
        r = gs.pricing_target(pricing.elasticity_demand(0.8, 1e4), 20, 0, 5_000)
        assert r.status is X.REACHED
        assert len(r.x) == 1
        assert r.crossings == (R,)
        assert 1e4 * (r.x[0] - 20) * r.x[0] ** -0.8 == pytest.approx(5_000, rel=1e-12)
        # every sale loses money (c above the choke price): $0 only where nobody buys
        r = gs.pricing_target(SEED_STORE, 150, 0, 0)
        assert (r.status, r.x) == (X.TOUCHES, (130.0,))

    def test_input_validation(self):
        with pytest.raises(ValueError, match="unit cost must be a non-negative number, got -1"):
            gs.pricing_target(SEED_STORE, -1, 0, 0)
        with pytest.raises(ValueError, match="fixed cost must be a non-negative number, got -5"):
            gs.pricing_target(SEED_STORE, 20, -5, 0)
        with pytest.raises(ValueError, match="target must be a finite number, got inf"):
            gs.pricing_target(SEED_STORE, 20, 0, math.inf)


def diminishing_hours(m, k, c, target):
    """M(1 − e^(−kh)) − ch = T by Lambert W: h = (M − T + (c/k) W(z))/c, z = −(kM/c) e^(−k(M − T)/c)."""
    z = -(k * m / c) * math.exp(-k * (m - target) / c)
    return sorted((m - target + (c / k) * lambertw(z, branch).real) / c for branch in (0, -1))


class TestStudyTarget:
    @pytest.mark.parametrize(("m", "k", "c", "target"), [(100, 0.3, 2, 50), (100, 0.3, 2, 0), (150, 0.5, 5, 100)])
    def test_basic(self, m, k, c, target):
        r = gs.study_target(study.diminishing(m, k, c), 60, target)
        assert r.status is X.REACHED
        assert r.x == pytest.approx(diminishing_hours(m, k, c, target), rel=1e-10, abs=1e-300)
        assert r.crossings == (R, F)

    def test_at_and_above_the_maximum(self):
        """The seed: best 9.0268 h for M − c/k − (c/k) ln(Mk/c) = 75.30 points."""
        m, k, c = 100, 0.3, 2
        best = m - c / k - (c / k) * math.log(m * k / c)
        at = gs.study_target(study.diminishing(m, k, c), 16, best)
        assert at.status is X.TOUCHES
        assert at.x == pytest.approx((math.log(m * k / c) / k,), rel=1e-10)  # the optimum itself
        above = gs.study_target(study.diminishing(m, k, c), 16, 80)
        assert above.status is X.ABOVE_MAXIMUM
        assert above.margin == pytest.approx(80 - best, rel=1e-10)

    def test_special_cases(self):
        # no fatigue: the score rises for ever; one solution h = −ln(1 − T/M)/k
        r = gs.study_target(study.diminishing(100, 0.3, 0), 16, 90)
        assert r.x == pytest.approx((-math.log(1 - 0.9) / 0.3,), rel=1e-10)
        # the seed's quadratic −h² + 12h + 20 = 40 ⇔ h² − 12h − ... : 6 ± √16
        r = gs.study_target(study.quadratic(-1, 12, 20), 16, 40)
        assert r.x == pytest.approx((6 - 4, 6 + 4), rel=1e-10)
        # a plan cut at max_hours: the second solution is beyond it
        r = gs.study_target(study.diminishing(100, 0.3, 2), 16, 50)
        assert r.x == pytest.approx(diminishing_hours(100, 0.3, 2, 50)[:1], rel=1e-10)

    def test_input_validation(self):
        with pytest.raises(ValueError, match="max_hours must be positive, got 0"):
            gs.study_target(study.diminishing(100, 0.3, 2), 0, 50)


CAR = fuel.FuelModel(0.001, 2.0)


class TestFuelTarget:
    @pytest.mark.parametrize(("a", "b", "mpg"), [(0.001, 2.0, 10), (0.001, 2.0, 11), (0.0005, 0.3, 30)])
    def test_basic(self, a, b, mpg):
        """MPG = s/(a s² + b) = T ⇔ T a s² − s + T b = 0."""
        r = gs.fuel_target(fuel.FuelModel(a, b), mpg, speed_limit=200)
        assert r.status is X.REACHED
        assert r.goal == "max"
        assert r.x == pytest.approx(quadratic_roots(mpg * a, -1.0, mpg * b), rel=1e-10)
        assert r.crossings == (R, F)

    def test_at_and_above_the_maximum(self):
        best = 1 / (2 * math.sqrt(0.001 * 2.0))  # MPG at √(b/a)
        at = gs.fuel_target(CAR, best, speed_limit=80)
        assert (at.status, at.crossings) == (X.TOUCHES, (T,))
        assert at.x == pytest.approx((math.sqrt(2000),), rel=1e-10)
        above = gs.fuel_target(CAR, 12, speed_limit=80)
        assert above.status is X.ABOVE_MAXIMUM
        assert above.margin == pytest.approx(12 - best, rel=1e-10)

    def test_metric_economy_is_minimised(self):
        """L/100 km = 100 (a v + b/v) = T ⇔ 100 a v² − T v + 100 b = 0; below the least: out of reach."""
        car = CAR.converted("metric")
        r = gs.fuel_target(car, 25, speed_limit=130, units="metric")
        assert r.goal == "min"
        roots = [v for v in quadratic_roots(100 * car.drag, -25.0, 100 * car.idle) if v <= 130]
        assert r.x == pytest.approx(roots, rel=1e-10)
        least = 200 * math.sqrt(car.drag * car.idle)
        below = gs.fuel_target(car, 15, speed_limit=130, units="metric")
        assert below.status is X.BELOW_MINIMUM
        assert below.margin == pytest.approx(15 - least, rel=1e-10)

    def test_trip_cost(self):
        """D (P (a v + b/v) + t/v) = C ⇔ D P a v² − C v + D (P b + t) = 0."""
        d, p, t, cost = 300.0, 3.5, 10.0, 150.0
        r = gs.fuel_target(CAR, cost, objective="trip_cost", speed_limit=120, fuel_price=p, distance=d, time_value=t)
        assert r.goal == "min"
        assert r.crossings == (F, R)
        assert r.x == pytest.approx(quadratic_roots(d * p * 0.001, -cost, d * (p * 2.0 + t)), rel=1e-10)
        assert r.optimum_x == pytest.approx(fuel.cheapest_speed(CAR, p, t), rel=1e-10)

    def test_physical_model(self):
        car = fuel.PhysicalModel(3e-6, 0.02, 0.3)
        r = gs.fuel_target(car, 30, speed_limit=100)
        assert len(r.x) == 2
        assert r.crossings == (R, F)
        np.testing.assert_allclose([car.mpg(s) for s in r.x], 30, rtol=1e-12)

    def test_input_validation(self):
        with pytest.raises(ValueError, match="units must be one of us, metric, got 'imperial'"):
            gs.fuel_target(CAR, 10, speed_limit=80, units="imperial")
        with pytest.raises(ValueError, match="speed_limit must be above 5 mph, got 4"):
            gs.fuel_target(CAR, 10, speed_limit=4)
        with pytest.raises(ValueError, match="objective must be 'economy' or 'trip_cost', got 'time'"):
            gs.fuel_target(CAR, 10, speed_limit=80, objective="time")
        with pytest.raises(ValueError, match="fuel_price must be positive for the trip cost, got None"):
            gs.fuel_target(CAR, 10, speed_limit=80, objective="trip_cost", distance=300)


class TestCompoundingTarget:
    @pytest.mark.parametrize(("frequency", "rate", "target"), [("continuous", 0.05, 20_000), ("monthly", 0.07, 35_000)])
    def test_basic(self, frequency, rate, target):
        """No contributions: P e^(δt) = T ⇔ t = ln(T/P)/δ."""
        r = gs.compounding_target(10_000, rate, 30, target, frequency)
        delta = compounding.force_of_interest(rate, frequency)
        assert r.x == pytest.approx((math.log(target / 10_000) / delta,), rel=1e-10)
        assert (r.status, r.crossings, r.optimum_x) == (X.REACHED, (R,), 30.0)

    def test_at_and_above_the_horizon(self):
        """investor.gov's $37,405.09 after 10 years is the most the horizon holds."""
        end = float(compounding.balance(10_000, compounding.force_of_interest(0.07, "monthly"), 100, 10.0))
        at = gs.compounding_target(10_000, 0.07, 10, end, "monthly", 100)
        assert (at.status, at.x) == (X.TOUCHES, (10.0,))
        above = gs.compounding_target(10_000, 0.07, 10, 40_000, "monthly", 100)
        assert above.status is X.ABOVE_MAXIMUM
        assert above.margin == pytest.approx(40_000 - end, rel=1e-12)
        # just under it: the last deposit lifts the balance past it (at 10 years, within the
        # deposit schedule's 1e-9 month of slack)
        last = gs.compounding_target(10_000, 0.07, 10, end - 50, "monthly", 100)
        assert last.x == pytest.approx((10.0,), rel=1e-10)
        assert last.crossings == (R,)

    def test_special_cases(self):
        # a negative rate, nothing added: the balance only falls; halved at ln(1/2)/δ
        r = gs.compounding_target(10_000, -0.05, 30, 5_000)
        assert r.x == pytest.approx((math.log(0.5) / -0.05,), rel=1e-10)
        assert (r.crossings, r.optimum_x) == ((F,), 0.0)
        assert gs.compounding_target(10_000, -0.05, 30, 12_000).margin == pytest.approx(2_000.0, rel=1e-12)

    @pytest.mark.parametrize(("timing", "target"), [("end", 4_150), ("end", 4_500), ("start", 4_500)])
    def test_negative_rate_with_contributions(self, timing, target):
        """The balance falls between deposits and jumps at each: every crossing, as many as a
        scan of 120,000 points a year sees, each on the right side, every upward one a deposit."""
        r = gs.compounding_target(5_000, -0.3, 5, target, "monthly", 100, timing)
        delta = compounding.force_of_interest(-0.3, "monthly")

        def g(t):
            return compounding.balance(5_000, delta, 100, t, timing) - target

        scan = g(np.linspace(0, 5, 600_001))
        assert len(r.x) == np.count_nonzero(np.sign(scan[:-1]) != np.sign(scan[1:])) > 10
        for x, kind in zip(r.x, r.crossings, strict=True):
            before, after = g(max(x - 1e-7, 0)), g(min(x + 1e-7, 5))
            assert (before < 0 < after) if kind is R else (before > 0 > after)
            if kind is R:
                assert 12 * x == pytest.approx(round(12 * x), abs=1e-9)
            else:
                assert float(g(x - 1e-9)) == pytest.approx(0, abs=1e-5)
        # the most is at the start: $5,000, or $5,100 with the first deposit made at once
        assert r.highest == pytest.approx(5_000 + 100 * (timing == "start"), rel=1e-12)
        assert r.optimum_x == 0.0

    def test_input_validation(self):
        with pytest.raises(ValueError, match="years must be positive, got 0"):
            gs.compounding_target(10_000, 0.05, 0, 20_000)
        with pytest.raises(ValueError, match="principal must be a non-negative amount, got -1"):
            gs.compounding_target(-1, 0.05, 10, 20_000)
        with pytest.raises(ValueError, match="timing must be one of end, start, got 'middle'"):
            gs.compounding_target(10_000, 0.05, 10, 20_000, timing="middle")
