"""Fuel models: closed forms, the tutorial's tables, the cheapest trip and calibration fits (numbers and
statuses; the sentences are tested in tests/explain/test_fuel.py)."""

import math

import numpy as np
import pandas as pd
import pytest

from explain.sensitivity import note as sensitivity_note
from optimizers import fuel as fm
from optimizers.sensitivity import sensitivity, solve

SEED = fm.FuelModel(0.001, 2.0)  # the tutorial's car


def run(model=SEED, **kw):
    args = {"speed": 65.0, "fuel_price": 3.5, "distance": 300.0, "time_value": 0.0, "speed_limit": 80.0}
    return fm.analyse(model, **(args | kw))


class TestAnalyse:
    def test_basic(self):
        """The seed: sqrt(2000) = 44.7 mph gives 11.2 MPG."""
        r = run()
        assert r.efficiency.x == pytest.approx(math.sqrt(2000), rel=1e-12)
        assert r.efficiency.fun == pytest.approx(math.sqrt(2000) / 4, rel=1e-12)  # s / (2b) at s*
        assert r.efficiency.kind == "max"
        assert not r.efficiency.at_boundary
        assert r.economy_at_speed == pytest.approx(65 / (0.001 * 65**2 + 2), rel=1e-15)
        assert r.trip_hours == pytest.approx(300 / 65)
        # with no value on time, the cheapest trip is the most efficient speed
        assert r.cheapest.x == pytest.approx(r.efficiency.x, rel=1e-10)

    @pytest.mark.parametrize(("a", "b", "p", "t"), [(0.001, 2, 3.5, 10), (0.002, 1.5, 5, 0), (0.0005, 3, 2.5, 8)])
    def test_cheapest_closed_form(self, a, b, p, t):
        r = run(fm.FuelModel(a, b), fuel_price=p, time_value=t, speed_limit=120)
        assert r.cheapest.x == pytest.approx(math.sqrt((b + t / p) / a), rel=1e-10)
        assert r.efficiency.x == pytest.approx(math.sqrt(b / a), rel=1e-10)
        assert r.cheapest_fuel_cost + r.cheapest_time_cost == pytest.approx(r.cheapest.fun, rel=1e-12)

    def test_speed_limit_clamps(self):
        r = run(time_value=20)  # unclamped optimum sqrt((2 + 20/3.5)/0.001) = 87.8 mph
        assert fm.cheapest_speed(SEED, 3.5, 20) == pytest.approx(87.831, abs=1e-3)
        assert r.cheapest.x == 80.0
        assert r.cheapest.at_boundary
        r = run(speed_limit=40)
        assert r.efficiency.x == 40.0
        assert r.efficiency.at_boundary

    def test_seed_tables(self):
        r = run()
        t = r.speed_table
        assert t.speed_mph.tolist() == [35, 45, 55, 65, 75, 85]
        np.testing.assert_allclose(t.gallons_per_100mi, 100 / t.mpg)
        # the 300-mile trip at 45 / 55 / 75 mph with $3.50 fuel
        trips = r.trip_table.set_index("speed_mph")
        for s in (45, 55, 75):
            assert trips.loc[s, "fuel_cost"] == pytest.approx(300 / SEED.mpg(s) * 3.5, rel=1e-12)
        assert r.tradeoff.hours_saved == pytest.approx(300 / 55 - 300 / 75)
        assert r.tradeoff.extra_fuel_cost == pytest.approx((300 / SEED.mpg(75) - 300 / SEED.mpg(55)) * 3.5)

    def test_input_validation(self):
        with pytest.raises(ValueError, match="drag must be positive, got 0"):
            fm.FuelModel(0, 2)
        with pytest.raises(ValueError, match="idle must be positive, got nan"):
            fm.FuelModel(0.001, float("nan"))
        with pytest.raises(ValueError, match="fuel_price must be positive"):
            run(fuel_price=0)
        with pytest.raises(ValueError, match="time_value must be non-negative"):
            run(time_value=-1)


class TestFit:
    def test_recovers_known_car(self):
        rng = np.random.default_rng(3)
        s = np.linspace(25, 85, 13)
        mpg = s / (0.0007 * s**2 + 1.2) * (1 + rng.normal(0, 0.003, s.size))
        fit = fm.fit_observations(pd.DataFrame({"speed": s, "mpg": mpg}))
        assert fit.model.drag == pytest.approx(0.0007, rel=0.02)
        assert fit.model.idle == pytest.approx(1.2, rel=0.05)
        assert fit.r2 > 0.99

    def test_exact_with_two_points(self):
        s = np.array([40.0, 70.0])
        fit = fm.fit_observations(pd.DataFrame({"speed": s, "mpg": SEED.mpg(s)}))
        assert fit.model.drag == pytest.approx(0.001, rel=1e-12)
        assert fit.model.idle == pytest.approx(2.0, rel=1e-12)

    def test_example_is_steeper_than_the_seed(self):
        """The note's claim: the seed loses 3.6% from 50 to 60 mph, measured cars about 12%."""
        fit = fm.fit_observations(fm.EXAMPLE_OBSERVATIONS)
        assert 1 - SEED.mpg(60) / SEED.mpg(50) == pytest.approx(0.0357, abs=5e-4)
        assert 1 - fit.model.mpg(60) / fit.model.mpg(50) == pytest.approx(0.12, abs=0.01)

    @pytest.mark.parametrize(
        ("table", "message"),
        [
            (pd.DataFrame({"speed": [50], "mpg": [30]}), "at least 2 complete rows"),
            (pd.DataFrame({"speed": [50, -60], "mpg": [30, 25]}), "must be positive"),
            (pd.DataFrame({"speed": [50, 60], "mpg": [30, 0]}), "must be positive"),
            (pd.DataFrame({"speed": [50, "fast"], "mpg": [30, 25]}), "must be a number"),
            (pd.DataFrame({"kph": [50, 60], "mpg": [30, 25]}), "Missing column"),
        ],
    )
    def test_input_validation(self, table, message):
        with pytest.raises(ValueError, match=message):
            fm.fit_observations(table)

    @pytest.mark.parametrize(
        ("table", "speeds", "statuses"),
        [
            (pd.DataFrame({"speed": [50, 50], "mpg": [30, 31]}), 1, ("TOO_FEW_SPEEDS", "TOO_FEW_SPEEDS")),
            (pd.DataFrame({"speed": [40, 60, 80], "mpg": [20, 30, 45]}), 3, ("NOT_A_CAR", "NO_DRAG")),
            (pd.DataFrame({"speed": [40, 60], "mpg": [20, 30]}), 2, ("NOT_A_CAR", "TOO_FEW_SPEEDS")),
        ],
    )
    def test_no_best_speed(self, table, speeds, statuses):
        """Observations neither model can turn into a car with a best speed: a ValueError that
        carries each fit's status (explain.fuel.cannot_fit words it)."""
        with pytest.raises(fm.NoBestSpeed) as caught:
            fm.fit_observations(table)
        assert caught.value.speeds == speeds
        assert tuple(f.status.name for f in caught.value.fits) == statuses
        assert isinstance(caught.value, ValueError)


# ORNL (Thomas, West & Huff 2013; DOE Vehicle Technologies Fact #772): the average of 74 vehicles
# lost 12.4% of its MPG from 50 to 60 mph, 14% from 60 to 70 and 15.4% from 70 to 80. The level
# does not matter for the best speed (scaling MPG scales every coefficient), so 30 MPG at 50 mph.
ORNL_SPEEDS = np.array([50.0, 60.0, 70.0, 80.0])
ORNL_MPG = 30 * np.cumprod([1.0, 1 - 0.124, 1 - 0.14, 1 - 0.154])


def physical_car(k=6e-6, r=0.0065, i=0.6):
    return fm.PhysicalModel(k, r, i)


class TestPhysicalModel:
    @pytest.mark.parametrize(("k", "r", "i"), [(6e-6, 0.0065, 0.6), (1e-5, 0.01, 0.3), (3e-6, 0.0, 1.2)])
    def test_engine_finds_the_closed_form(self, k, r, i):
        model = fm.PhysicalModel(k, r, i)
        res = run(model, time_value=12, speed_limit=120)
        assert res.efficiency.x == pytest.approx((i / (2 * k)) ** (1 / 3), rel=1e-10)
        assert res.efficiency.fun == pytest.approx(1 / model.per_distance(res.efficiency.x), rel=1e-12)
        assert res.cheapest.x == pytest.approx(((i + 12 / 3.5) / (2 * k)) ** (1 / 3), rel=1e-10)
        assert model.best_speed() == pytest.approx((i / (2 * k)) ** (1 / 3), rel=1e-15)

    def test_derivatives_are_analytic(self):
        model, v = physical_car(), np.linspace(10, 100, 7)
        h = 1e-20
        np.testing.assert_allclose(model.d_per_distance(v), np.imag(model.per_distance(v + 1j * h)) / h, rtol=1e-13)
        np.testing.assert_allclose(model.d2_per_distance(v), np.imag(model.d_per_distance(v + 1j * h)) / h, rtol=1e-13)

    def test_bends_down_like_measured_cars(self):
        """The seed's curve loses 3.6% from 50 to 60 mph; this model can lose 12%."""
        car = physical_car()
        assert 1 - car.mpg(60) / car.mpg(50) == pytest.approx(0.124, abs=0.01)

    def test_input_validation(self):
        with pytest.raises(ValueError, match="air drag k must be positive"):
            fm.PhysicalModel(0, 0.01, 0.5)
        with pytest.raises(ValueError, match="idling i must be positive"):
            fm.PhysicalModel(1e-5, 0.01, -0.1)
        with pytest.raises(ValueError, match="would make fuel use negative"):
            fm.PhysicalModel(1e-5, -1.0, 0.5)
        with pytest.raises(ValueError, match="r must be finite"):
            fm.PhysicalModel(1e-5, float("inf"), 0.5)


class TestUnits:
    @pytest.mark.parametrize("model", [SEED, fm.FuelModel(0.0007, 1.2), physical_car(), fm.PhysicalModel(1e-5, 0, 0.3)])
    @pytest.mark.parametrize("time_value", [0.0, 15.0])
    def test_metric_optimum_is_the_us_optimum_converted(self, model, time_value):
        c, litres = fm.KM_PER_MILE, fm.LITRES_PER_GALLON
        us = run(model, time_value=time_value, speed_limit=120)
        metric = fm.analyse(
            model.converted("metric"),
            speed=65 * c,
            fuel_price=3.5 / litres,
            distance=300 * c,
            time_value=time_value,
            speed_limit=120 * c,
            units="metric",
        )
        # the engine solved a different function (L/100 km in km/h, minimised) ...
        assert metric.efficiency.kind == "min"
        # ... and lands on the same speed
        assert metric.efficiency.x == pytest.approx(c * us.efficiency.x, rel=1e-12)
        assert metric.cheapest.x == pytest.approx(c * us.cheapest.x, rel=1e-12)
        # lowest L/100 km = 100 L / (c MPG): 235.2 / MPG
        assert metric.efficiency.fun == pytest.approx(100 * litres / c / us.efficiency.fun, rel=1e-12)
        assert metric.economy_at_speed == pytest.approx(100 * litres / c / us.economy_at_speed, rel=1e-12)
        # dollars are dollars, hours are hours
        assert metric.trip_fuel_cost == pytest.approx(us.trip_fuel_cost, rel=1e-12)
        assert metric.trip_hours == pytest.approx(us.trip_hours, rel=1e-12)
        assert metric.cheapest.fun == pytest.approx(us.cheapest.fun, rel=1e-12)
        assert metric.trip_fuel == pytest.approx(us.trip_fuel * litres, rel=1e-12)

    def test_converted_round_trip(self):
        for model in (SEED, physical_car()):
            back = model.converted("metric").converted("us", "metric")
            for name in ("drag", "idle") if model.kind is fm.Kind.TEXTBOOK else ("k", "r", "i"):
                assert getattr(back, name) == pytest.approx(getattr(model, name), rel=1e-14)

    def test_metric_tables(self):
        r = fm.analyse(
            SEED.converted("metric"), speed=105, fuel_price=0.92, distance=480, time_value=0, speed_limit=130,
            units="metric",
        )  # fmt: skip
        assert list(r.speed_table.columns)[:3] == ["speed_kmh", "l_per_100km", "trip_litres"]
        np.testing.assert_allclose(r.speed_table.trip_litres, 480 * r.speed_table.l_per_100km / 100, rtol=1e-12)
        assert r.trip_table.speed_kmh.tolist() == [70, 90, 120]
        assert r.tradeoff.hours_saved == pytest.approx(480 / 90 - 480 / 120)
        assert r.economy_curve.value.min() == pytest.approx(r.efficiency.fun, rel=1e-3)

    def test_metric_curve_keeps_its_minimum_in_view(self):
        """L/100 km explodes towards 0 km/h: the curve starts at half the best speed (at most 40 km/h)."""
        args = {"fuel_price": 0.92, "distance": 480, "time_value": 0, "speed_limit": 130, "units": "metric"}
        r = fm.analyse(SEED.converted("metric"), speed=105, **args)
        assert r.economy_curve.x.min() == pytest.approx(min(40, r.efficiency.x / 2), rel=1e-12)
        assert r.economy_curve.value.max() < 1.5 * r.efficiency.fun
        slow = fm.analyse(SEED.converted("metric"), speed=20, **args)  # your speed stays on the curve
        assert slow.economy_curve.x.min() == 20
        assert run().economy_curve.x.min() == fm.UNITS["us"].min_speed  # MPG shows its whole rise

    def test_convert_inputs(self):
        metric = fm.convert_inputs(fm.DEFAULTS, "us", "metric")
        assert metric == {
            "speed_kmh": 105.0,  # 104.6
            "speed_limit_kmh": 130.0,  # 128.7
            "price_per_litre": 0.92,  # 0.9246
            "distance_km": 480.0,  # 482.8
            "drag_kmh": 0.00146,  # 0.0014616
            "idle_lph": 7.57,  # 7.5708
        }
        # the metric defaults are the US defaults converted; the value of time needs no conversion
        assert metric | {"time_value": 0.0} == {s.key: s.default for s in fm.SLIDERS["metric"].values()}
        back = fm.convert_inputs(metric, "metric", "us")
        assert back["speed"] == 65.0
        assert back["speed_limit"] == 80.0
        assert back["distance"] == 300.0
        assert back["fuel_price"] == 3.5
        assert back["idle"] == 2.0
        assert back["drag"] == 0.001

    def test_convert_inputs_snaps_and_clamps(self):
        assert fm.convert_inputs({"speed": 100.0}, "us", "metric") == {"speed_kmh": 160.0}  # 160.9 > max
        assert fm.convert_inputs({"speed_kmh": 15.0}, "metric", "us") == {"speed": 10.0}  # 9.3 < min
        assert fm.convert_inputs({"fuel_price": 3.55}, "us", "metric") == {"price_per_litre": 0.94}
        assert fm.convert_inputs({"unknown": 1.0, "time_value": 20.0}, "us", "metric") == {}

    def test_convert_link_table(self):
        text = fm.convert_link_table("30:38,50:29.8,80:21.1", "us", "metric")
        assert text == "48.3:6.19,80.5:7.89,128.7:11.15"
        assert fm.convert_link_table(text, "metric", "us") == "30:38,50:29.81,80:21.1"
        assert fm.convert_link_table("30:38:1", "us", "metric") is None  # three cells a row
        assert fm.convert_link_table("30:,:20", "us", "metric") == "48.3:,:11.76"  # blanks stay blank

    def test_convert_observations(self):
        metric = fm.convert_observations(fm.EXAMPLE_OBSERVATIONS, "us", "metric")
        assert metric.speed.tolist() == [48.3, 64.4, 80.5, 96.6, 112.7, 128.7]
        assert metric.l_per_100km.iloc[0] == round(235.2145833 / 38.0, 2)
        back = fm.convert_observations(metric, "metric", "us")
        np.testing.assert_allclose(back.mpg, fm.EXAMPLE_OBSERVATIONS.mpg, atol=0.02)
        assert fm.example_observations("metric").equals(metric)

    def test_input_validation(self):
        with pytest.raises(ValueError, match="units must be one of us, metric, got 'imperial'"):
            run(units="imperial")
        with pytest.raises(ValueError, match="speed_limit must be above 8 km/h"):
            fm.analyse(SEED, speed=5, fuel_price=1, distance=10, time_value=0, speed_limit=7, units="metric")


class TestCalibration:
    def test_example_says_the_optimum_is_extrapolated(self):
        """The issue: the example's fit recommends 23.1 mph from observations at 30-80 mph."""
        cal = fm.fit_observations(fm.EXAMPLE_OBSERVATIONS)
        assert cal.chosen.kind is fm.Kind.TEXTBOOK
        assert round(cal.model.best_speed(), 1) == 23.1
        assert cal.observed == (30.0, 80.0)
        assert cal.side(cal.model.best_speed()) is fm.Side.BELOW
        assert cal.side(45.0) is fm.Side.INSIDE
        assert cal.side(95.0) is fm.Side.ABOVE
        assert cal.side(30.0) is cal.side(80.0) is fm.Side.INSIDE  # the observed ends are observed
        # the physical fit to these rows has a negative idling term: no best speed, and it says why
        physical = cal.fits[1]
        assert physical.model is None
        assert physical.status is fm.FitStatus.NO_IDLING
        assert physical.coefficients["i"] == pytest.approx(-0.146, abs=5e-4)
        assert cal.choice is fm.Choice.OTHER_NOT_A_CAR
        assert cal.other is physical
        # and the page's result carries it: both optima below the observed speeds
        r = run(observations=fm.EXAMPLE_OBSERVATIONS, model=None)
        assert r.calibration.chosen.kind is fm.Kind.TEXTBOOK
        assert (r.efficiency_side, r.cheapest_side) == (fm.Side.BELOW, fm.Side.BELOW)
        assert r.efficiency.x == pytest.approx(cal.model.best_speed(), rel=1e-10)
        pd.testing.assert_frame_equal(r.observed, fm.EXAMPLE_OBSERVATIONS)

    def test_ornl_averages_give_a_sensible_best_speed(self):
        """The seed's model fitted to ORNL's averages puts the best speed at 8 mph; the
        physical model at 37 mph, near ORNL's own 40-50 mph, and fits much better."""
        cal = fm.fit_observations(pd.DataFrame({"speed": ORNL_SPEEDS, "mpg": ORNL_MPG}))
        seed, physical = cal.fits
        assert seed.best_speed == pytest.approx(8.03, abs=0.01)
        assert seed.r2 == pytest.approx(0.985, abs=5e-4)  # the R²
        assert cal.chosen is physical
        assert physical.residual_error < seed.residual_error / 5  # 8.7 times smaller, with one fewer spare row
        assert 30 < physical.best_speed < 50
        assert physical.best_speed == pytest.approx(
            (physical.coefficients["i"] / (2 * physical.coefficients["k"])) ** (1 / 3)
        )
        # the fitted curve reproduces the published 12.4% drop from 50 to 60 mph
        assert 1 - cal.model.mpg(60) / cal.model.mpg(50) == pytest.approx(0.124, abs=0.005)  # 12.1%
        assert cal.choice is fm.Choice.BETTER_FIT
        # observed at 50-80 mph only: the best speed is an extrapolation, and the page says so
        assert cal.side(physical.best_speed) is fm.Side.BELOW

    def test_recovers_a_physical_car(self):
        rng = np.random.default_rng(7)
        car = physical_car()
        s = np.linspace(25, 85, 13)
        mpg = car.mpg(s) * (1 + rng.normal(0, 0.002, s.size))
        cal = fm.fit_observations(pd.DataFrame({"speed": s, "mpg": mpg}))
        assert cal.chosen.kind is fm.Kind.PHYSICAL
        assert cal.model.best_speed() == pytest.approx(car.best_speed(), rel=0.05)
        assert cal.side(cal.model.best_speed()) is fm.Side.INSIDE
        assert cal.fits[1].residual_error < cal.fits[0].residual_error

    def test_residual_error_charges_the_third_coefficient(self):
        """A textbook-model car measured exactly: the textbook model fits with no residual at all."""
        s = np.array([30.0, 40.0, 55.0, 70.0, 85.0])
        cal = fm.fit_observations(pd.DataFrame({"speed": s, "mpg": SEED.mpg(s)}))
        assert cal.chosen.kind is fm.Kind.TEXTBOOK
        assert cal.choice is fm.Choice.BETTER_FIT
        assert cal.fits[0].residual_error < 1e-12
        assert cal.fits[1].residual_error > 1e-6

    def test_three_rows_cannot_judge_the_physical_fit(self):
        s = np.array([30.0, 50.0, 70.0])
        cal = fm.fit_observations(pd.DataFrame({"speed": s, "mpg": physical_car().mpg(s)}))
        assert math.isnan(cal.fits[1].residual_error)  # 3 rows, 3 coefficients: exact, no spare row
        assert cal.chosen.kind is fm.Kind.TEXTBOOK
        assert cal.choice is fm.Choice.OTHER_UNJUDGED

    def test_two_rows_fit_only_the_textbook_model(self):
        s = np.array([40.0, 70.0])
        cal = fm.fit_observations(pd.DataFrame({"speed": s, "mpg": SEED.mpg(s)}))
        assert cal.chosen.kind is fm.Kind.TEXTBOOK
        assert cal.fits[1].status is fm.FitStatus.TOO_FEW_SPEEDS
        assert cal.fits[1].coefficients == {}
        assert cal.choice is fm.Choice.OTHER_TOO_FEW_SPEEDS

    def test_metric_fit_is_the_us_fit_converted(self):
        car = physical_car()
        s = np.linspace(30, 80, 6)
        mpg = car.mpg(s) * (1 + np.array([0.01, -0.01, 0.005, 0.0, -0.004, 0.008]))
        us = fm.fit_observations(pd.DataFrame({"speed": s, "mpg": mpg}))
        c, litres = fm.KM_PER_MILE, fm.LITRES_PER_GALLON
        metric_rows = pd.DataFrame({"speed": s * c, "l_per_100km": 100 * litres / (c * mpg)})
        metric = fm.fit_observations(metric_rows, "metric")
        assert metric.chosen.kind is us.chosen.kind is fm.Kind.PHYSICAL
        assert metric.model.best_speed() == pytest.approx(c * us.model.best_speed(), rel=1e-9)
        assert metric.units.economy == "L/100 km"

    def test_curve(self):
        cal = fm.fit_observations(pd.DataFrame({"speed": ORNL_SPEEDS, "mpg": ORNL_MPG}))
        curve = cal.curve()
        assert list(curve.columns) == ["speed", "mpg", "fit", "used"]
        assert curve.groupby("fit").used.first().to_dict() == {"physical": True, "textbook": False}
        assert (curve.mpg > 0).all()
        lo, hi = curve.speed.min(), curve.speed.max()
        assert (lo, hi) == (pytest.approx(47.0), pytest.approx(83.0))  # the observed 50-80 mph ± 10%

    def test_metric_column_names_in_messages(self):
        with pytest.raises(ValueError, match="l_per_100km"):
            fm.fit_observations(pd.DataFrame({"speed": [50, 60], "mpg": [30, 25]}), "metric")


def trip_problem(model=SEED, p=3.5, t=10.0, d=300.0, limit=120.0, **kw):
    return fm.sensitivity_problem(model, fuel_price=p, distance=d, time_value=t, speed_limit=limit, **kw)


def resolved(problem, name, rel_step=1e-4):
    v = problem.theta()[name]
    step = rel_step * (abs(v) or 1e-3)
    up, down = solve(problem, **{name: v + step}), solve(problem, **{name: v - step})
    return (up.x - down.x) / (2 * step), (up.fun - down.fun) / (2 * step)


class TestSensitivityProblem:
    @pytest.mark.parametrize("units", ["us", "metric"])
    def test_elasticity_of_the_most_efficient_speed(self, units):
        """Issue 13's closed form: s* = sqrt(b/a), so its elasticity to a is -1/2 and to b +1/2."""
        model = SEED if units == "us" else SEED.converted("metric")
        limit, price = (120.0, 3.5) if units == "us" else (190.0, 0.92)
        rep = sensitivity(trip_problem(model, p=price, t=0.0, limit=limit, units=units))  # cheapest = most efficient
        drag, idle = rep.rows[0], rep.rows[1]
        assert rep.optimum.x == pytest.approx(math.sqrt(model.idle / model.drag), rel=1e-12)
        assert drag.optimum_elasticity == pytest.approx(-0.5, rel=1e-12)
        assert idle.optimum_elasticity == pytest.approx(0.5, rel=1e-12)
        # and per unit: ds*/da = -s*/(2a)
        assert drag.optimum_change_per_unit == pytest.approx(-rep.optimum.x / (2 * model.drag), rel=1e-12)

    def test_seed_closed_forms(self):
        a, b, p, t, d = 0.001, 2.0, 3.5, 10.0, 300.0
        rep = sensitivity(trip_problem())
        rows = {r.parameter: r for r in rep.rows}
        v = math.sqrt((b + t / p) / a)
        assert rep.optimum.x == pytest.approx(v, rel=1e-12)
        assert rows["time_value"].optimum_change_per_unit == pytest.approx(1 / (2 * v * a * p), rel=1e-9)
        assert rows["fuel_price"].optimum_change_per_unit == pytest.approx(-t / (2 * v * a * p * p), rel=1e-9)
        assert rows["drag"].optimum_elasticity == pytest.approx(-0.5, rel=1e-12)
        # envelope: a dollar more per gallon costs the trip's gallons; an hour's value, its hours
        assert rows["fuel_price"].best_change_per_unit == pytest.approx(d * (a * v + b / v), rel=1e-9)
        assert rows["time_value"].best_change_per_unit == pytest.approx(d / v, rel=1e-9)
        assert rows["distance"].optimum_change_per_unit == pytest.approx(0, abs=1e-12)
        assert rows["distance"].best_change_per_unit == pytest.approx(rep.optimum.fun / d, rel=1e-9)
        assert rows["speed_limit"].optimum_change_per_unit == 0  # 69.7 mph < 120: the limit does not bind

    def test_physical_closed_forms(self):
        car = physical_car()
        rep = sensitivity(trip_problem(car, calibrated=True))
        rows = {r.parameter: r for r in rep.rows}
        assert [r.parameter for r in rep.rows] == ["k", "r", "i", "fuel_price", "time_value", "distance", "speed_limit"]
        assert rep.optimum.x == pytest.approx(car.cheapest(3.5, 10), rel=1e-12)
        assert rows["k"].optimum_elasticity == pytest.approx(-1 / 3, rel=1e-9)
        assert rows["i"].optimum_elasticity == pytest.approx(car.i / (3 * (car.i + 10 / 3.5)), rel=1e-9)
        assert rows["r"].optimum_change_per_unit == pytest.approx(0, abs=1e-9)  # rolling adds a constant per mile
        assert rows["r"].best_change_per_unit == pytest.approx(300 * 3.5, rel=1e-9)

    @pytest.mark.parametrize(
        "problem",
        [
            trip_problem(),
            trip_problem(t=0.0),
            trip_problem(physical_car(), calibrated=True),
            trip_problem(fm.FuelModel(0.0007, 1.2), calibrated=True),
            trip_problem(SEED.converted("metric"), p=0.92, d=480, limit=190, units="metric"),
        ],
    )
    def test_matches_re_solving(self, problem):
        rep = sensitivity(problem)
        for row in rep.rows:
            dx, dv = resolved(problem, row.parameter)
            assert row.optimum_change_per_unit == pytest.approx(dx, rel=1e-6, abs=1e-9), row
            assert row.best_change_per_unit == pytest.approx(dv, rel=1e-6, abs=1e-9), row

    def test_speed_limit_binds(self):
        rep = sensitivity(trip_problem(t=20.0, limit=80.0))  # unclamped 87.8 mph
        rows = {r.parameter: r for r in rep.rows}
        assert rep.optimum.at_boundary
        assert rows["speed_limit"].optimum_change_per_unit == 1.0
        assert rows["time_value"].optimum_change_per_unit == 0.0
        assert "leaves the upper end" in sensitivity_note(rows["time_value"])

    def test_metric_names_and_optimum(self):
        problem = trip_problem(SEED.converted("metric"), p=3.5 / fm.LITRES_PER_GALLON, d=300 * fm.KM_PER_MILE,
                               limit=190, units="metric")  # fmt: skip
        assert [p.name for p in problem.params] == [
            "drag_kmh", "idle_lph", "price_per_litre", "time_value", "distance_km", "speed_limit_kmh",
        ]  # fmt: skip
        assert solve(problem).x == pytest.approx(fm.KM_PER_MILE * solve(trip_problem()).x, rel=1e-12)

    def test_input_validation(self):
        with pytest.raises(ValueError, match="pass calibrated=True"):
            trip_problem(physical_car())
        with pytest.raises(ValueError, match="outside"):
            trip_problem(fm.FuelModel(0.02, 2))  # drag beyond the slider's range
