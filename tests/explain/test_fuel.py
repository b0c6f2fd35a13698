"""The Fuel page's words: the sentences the model tests used to check, and every sentence checked
against the numbers over the sliders' ranges (true for every input, not only the defaults)."""

import functools
import itertools
import math
import re

import numpy as np
import pandas as pd
import pytest

from explain import fuel as words
from explain.format import MINUS
from optimizers import fuel as fm
from optimizers import uncertainty as un

SEED = fm.FuelModel(0.001, 2.0)  # the tutorial's car
TRIP = {"speed": 65.0, "fuel_price": 3.5, "distance": 300.0, "time_value": 0.0, "speed_limit": 80.0}
ORNL = pd.DataFrame({"speed": [50.0, 60.0, 70.0, 80.0], "mpg": 30 * np.cumprod([1.0, 1 - 0.124, 1 - 0.14, 1 - 0.154])})


def run(model=SEED, **kw):
    return fm.analyse(model, **(TRIP | kw))


def fitted(table, **kw):
    return fm.analyse(observations=table, **(TRIP | kw))


def shown(markdown: str) -> str:
    """What a reader sees of escaped markdown (backslash escapes removed)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def money_in(text: str) -> list[float]:
    """Every dollar amount in a sentence, as a number ('−$1,234.50' -> -1234.5)."""
    return [
        float(m.replace(",", "").replace(MINUS, "-").replace("$", "")) for m in re.findall(r"−?\$[\d,]+\.\d\d", text)
    ]


def everything(r) -> str:
    """Every word the page writes for a result."""
    parts = [
        *(" ".join(filter(None, m)) for m in words.metrics(r)),
        words.warnings(r),
        words.answer(r),
        words.tradeoff(r),
        words.tables_toggle(r),
        words.sensitivity_note(r),
        words.sensitivity_axis(r),
        words.fits_table(r) if r.calibration is not None else words.calibration_note(r),
    ]
    c = words.charts(r)
    parts += [str(c.economy), str(c.trip), str(c.fit), c.best, c.you, c.cheapest]
    return shown(" ".join(parts))


# The sliders' ranges (optimizers.fuel.SLIDERS), ends included: drag 0.005 with idle 0.1 puts the
# most efficient speed at 4.47 mph, below the slowest speed the page considers (5 mph); 0.0008
# and 3.3 burn exactly the same fuel at 55 and 75 mph.
CARS = [(0.0001, 0.1), (0.0001, 10.0), (0.001, 2.0), (0.005, 0.1), (0.005, 10.0), (0.0008, 3.3), (0.0003, 6.0)]
TRIPS = [
    {"time_value": 0.0, "speed_limit": 80.0, "fuel_price": 3.5, "speed": 65.0},
    {"time_value": 100.0, "speed_limit": 30.0, "fuel_price": 1.0, "speed": 10.0},
    {"time_value": 15.0, "speed_limit": 120.0, "fuel_price": 10.0, "speed": 100.0, "distance": 2000.0},
    {"time_value": 3.0, "speed_limit": 55.0, "fuel_price": 4.2, "speed": 55.0, "distance": 10.0},
]
GRID = list(itertools.product(CARS, range(len(TRIPS)), ("us", "metric")))


@functools.cache
def grid_result(car, trip_index, units):
    model = fm.FuelModel(*car) if units == "us" else fm.FuelModel(*car).converted("metric")
    c = fm.UNITS[units].speed_per_mph
    kw = TRIP | TRIPS[trip_index]
    kw = kw | {k: kw[k] * c for k in ("speed", "speed_limit", "distance")}
    kw["fuel_price"] = kw["fuel_price"] / (fm.LITRES_PER_GALLON if units == "metric" else 1)
    return fm.analyse(model, units=units, **kw)


class TestDefaults:
    def test_tutorial_numbers(self):
        r = run()
        m = {label: value for label, value, _ in words.metrics(r)}
        assert m == {
            "Most efficient speed": "44.7 mph",
            "Maximum MPG": "11.2 mpg",
            "Cheapest trip speed": "44.7 mph",
            "MPG at your speed": "10.4 mpg",
            "Trip fuel cost": "$100.56",
            "Trip time": "4.62 h",
        }
        assert "saves 1.45 hours" in words.tradeoff(r)
        assert "(the tutorial's text says 1.3 hours; 300/55 − 300/75 is 1.45)" in words.tradeoff(r)
        assert words.warnings(r) == ""
        assert words.tables_toggle(r) == "the tutorial's tables: speed vs MPG, and the trip at 45 / 55 / 75 mph"

    def test_calibration_note(self):
        """The note's claim: the tutorial's car loses 3.6% from 50 to 60 mph, measured cars about 12%."""
        note = words.calibration_note(run())
        assert note.startswith("This curve loses 3.6% of its MPG from 50 to 60 mph, while light-duty vehicles")
        assert "Oak Ridge National Laboratory lost about 12% on average" in note
        assert "this curve is much flatter at highway speeds than measured cars" in note

    def test_metric(self):
        metric_sliders = fm.FuelModel(0.00146, 7.57)  # the metric sliders' defaults: the tutorial's car, rounded
        r = run(metric_sliders, units="metric", speed=105, fuel_price=0.92, distance=480, speed_limit=130)
        m = {label: value for label, value, _ in words.metrics(r)}
        assert m["Lowest consumption (L/100 km)"] == "21.0"
        assert m["At your speed (L/100 km)"] == "22.5"
        assert "lowest consumption" in words.answer(r).lower()
        assert "from 80 to 97 km/h (50 to 60 mph)" in words.calibration_note(r)
        assert "3.6% of its fuel economy (km per litre)" in words.calibration_note(r)

    def test_curvature(self):
        assert "f″ = −0.005590 < 0 at speed = 44.7 mph" not in words.answer(run())  # 4 significant digits
        assert "Second-derivative test: f″ = −0.00559 < 0 at speed = 44.7 mph." in words.answer(run())
        metric = run(
            SEED.converted("metric"), units="metric", speed=105, fuel_price=0.92, distance=480, speed_limit=130
        )
        assert "> 0 at speed = 72.0 km/h. The curve bends up, so this is a **minimum**." in words.answer(metric)


class TestCalibration:
    """The sentences tests/optimizers/test_fuel.py used to check on the model, now written here."""

    def test_example_says_the_optimum_is_extrapolated(self):
        r = fitted(fm.EXAMPLE_OBSERVATIONS, time_value=4.0)  # cheapest 51.1 mph: observed
        warning = words.warnings(r)
        assert warning.startswith("The fitted most efficient speed (23.1 mph) is below the slowest speed you observed")
        assert "(30 mph)" in warning
        assert "Add observations slower than 30 mph." in warning
        assert "do not show where the MPG peaks" in warning
        both = words.warnings(fitted(fm.EXAMPLE_OBSERVATIONS))
        assert "most efficient speed (23.1 mph) and cheapest trip speed (23.1 mph) are below the slowest" in both
        sides = words.warnings(fitted(fm.EXAMPLE_OBSERVATIONS, time_value=20.0, speed_limit=120.0))
        assert "; the fitted cheapest trip speed (104.6 mph) is above the fastest speed you observed (80 mph)" in sides
        assert "Add observations slower than 30 mph and faster than 80 mph." in sides
        fits = shown(words.fits_table(both_r := fitted(fm.EXAMPLE_OBSERVATIONS)))
        assert "physical fit has no best speed (idling i must be positive, got −0.146)" in fits
        assert "| textbook: fuel per hour a·v² + b: best 23.1 mph (used) | drag = 0.0005492, idle = 0.2936 |" in fits
        assert "| model | coefficients | residual error (gal/mi) | R² |" in fits
        assert set(words.fit_lines(both_r).fit) == {"textbook fit (used)", "physical fit"}

    def test_only_the_cheapest_outside_says_nothing_about_the_peak(self):
        """Observed 20-80 mph (the peak is inside), cheapest trip above 80: an extrapolation, but
        the observations do show where the MPG peaks."""
        s = np.array([20.0, 35.0, 50.0, 65.0, 80.0])
        r = fitted(
            pd.DataFrame({"speed": s, "mpg": SEED.mpg(s)}), time_value=30.0, speed_limit=120.0
        )  # √((2 + 30/3.5)/0.001)
        assert r.efficiency_side is fm.Side.INSIDE
        assert r.cheapest_side is fm.Side.ABOVE
        warning = words.warnings(r)
        assert warning.startswith("The fitted cheapest trip speed (102.8 mph) is above the fastest speed you observed")
        assert "peaks" not in warning

    def test_ornl(self):
        r = fitted(ORNL)
        assert "below the slowest speed you observed (50 mph)" in words.warnings(r)
        fits = shown(words.fits_table(r))
        assert "the physical model fits better (residual error" in fits
        assert "| physical: fuel per distance k·v² + r + i/v: best 36.8 mph (used) |" in fits

    def test_two_rows_fit_only_the_textbook_model(self):
        s = np.array([40.0, 70.0])
        fits = shown(words.fits_table(fitted(pd.DataFrame({"speed": s, "mpg": SEED.mpg(s)}))))
        assert (
            "the textbook model is used: the physical model needs observations at three or more different speeds"
            in fits
        )
        assert "— (not fitted)" in fits  # the physical fit has no residual to show: it was not fitted
        assert "— (no spare row)" in fits  # the textbook fit is exact through its two rows

    def test_three_rows_cannot_judge_the_physical_fit(self):
        s = np.array([30.0, 50.0, 70.0])
        car = fm.PhysicalModel(6e-6, 0.0065, 0.6)
        fits = shown(words.fits_table(fitted(pd.DataFrame({"speed": s, "mpg": car.mpg(s)}))))
        assert "the physical fit passes through every observation, with no spare one to judge it by" in fits
        assert "fits better" not in fits

    @pytest.mark.parametrize(
        ("table", "message"),
        [
            (pd.DataFrame({"speed": [50, 50], "mpg": [30, 31]}), "all observations are at the same speed"),
            (pd.DataFrame({"speed": [40, 60, 80], "mpg": [20, 30, 45]}), "both must be positive"),
            (pd.DataFrame({"speed": [40, 60, 80], "mpg": [20, 30, 45]}), "air drag k must be positive"),
            (pd.DataFrame({"speed": [40, 60], "mpg": [20, 30]}), "needs observations at three or more different"),
            (pd.DataFrame({"speed": [50, "fast"], "mpg": [30, 25]}), "must be a number"),
        ],
    )
    def test_cannot_fit(self, table, message):
        with pytest.raises(ValueError, match=r".") as caught:  # any message: its words are checked below
            fitted(table)
        text = shown(words.cannot_fit("“car.csv”", caught.value))
        assert text.startswith("Cannot fit “car.csv”: ")
        assert message in text

    def test_negative_fuel_reason(self):
        fit = fm.ModelFit(
            fm.Kind.PHYSICAL, {"k": 1e-5, "r": -1.0, "i": 0.5}, None, 0.1, 0.9, fm.FitStatus.NEGATIVE_FUEL
        )
        exc = fm.NoBestSpeed((fit, fit), 5)
        assert "rolling r = −1 would make fuel use negative at its best speed, 29.2 mph" in shown(
            words.cannot_fit("x", exc)
        )

    def test_user_text_is_escaped(self):
        text = words.cannot_fit("“![](//example.org/x)”", ValueError("[Log in](//example.org)"))
        assert "](" not in text.replace("\\]\\(", "")


@pytest.mark.parametrize(("car", "trip", "units"), GRID, ids=[f"car{CARS.index(c)}-trip{t}-{u}" for c, t, u in GRID])
class TestTrueForEveryInput:
    def test_limits(self, car, trip, units):
        r = grid_result(car, trip, units)
        text = words.warnings(r)
        unclamped = fm.most_efficient_speed(r.model)
        lo, hi = r.units.min_speed, r.speed_limit
        if unclamped > hi:
            assert r.efficiency.x == hi
            assert f"most efficient speed is above your speed limit: it is clamped to {words._whole(r, hi)}" in text
        elif unclamped < lo:
            assert r.efficiency.x == lo
            assert "most efficient speed is below" in text
            assert "above your speed limit" not in text.split("cheapest")[0]
        else:
            assert r.efficiency.x == pytest.approx(unclamped, rel=1e-10)
            assert "most efficient speed is" not in text
        cheapest = r.model.cheapest(r.fuel_price, r.time_value)
        said = "cheapest trip speed is above your speed limit" in text
        assert said == (cheapest > hi)
        assert ("cheapest trip speed is below" in text) == (cheapest < lo)

    def test_tradeoff(self, car, trip, units):
        r = grid_result(car, trip, units)
        text = words.tradeoff(r)
        t, u = r.tradeoff, r.units
        extra = r.distance * r.fuel_price * (r.model.per_distance(u.fast) - r.model.per_distance(u.slow))
        if round(extra, 2) > 0:
            assert f"but costs ${abs(extra):,.2f} more fuel" in text
        elif round(extra, 2) < 0:
            assert f"and saves ${abs(extra):,.2f} of fuel too" in text
        else:
            assert "for the same fuel, to the cent" in text
        assert f"saves {t.hours_saved:.2f} hours" in text
        assert ("tutorial's text says 1.3 hours" in text) == (units == "us" and r.distance == 300)

    def test_cheapest_trip_adds_up(self, car, trip, units):
        r = grid_result(car, trip, units)
        sentence = words.answer(r).split("**Cheapest trip:** ")[1]
        total, fuel, time, at_fuel, at_time = money_in(sentence)
        assert total == pytest.approx(fuel + time, abs=1e-9)  # the total shown is the sum of the parts shown
        assert total == pytest.approx(r.cheapest.fun, abs=0.011)
        assert fuel == pytest.approx(r.distance * r.fuel_price * r.model.per_distance(r.cheapest.x), abs=0.005)
        assert time == pytest.approx(r.distance * r.time_value / r.cheapest.x, abs=0.005)
        assert at_fuel == pytest.approx(r.distance * r.fuel_price * r.model.per_distance(r.speed), abs=0.005)
        assert at_time == pytest.approx(r.distance * r.time_value / r.speed, abs=0.005)

    def test_curvature_and_note(self, car, trip, units):
        r = grid_result(car, trip, units)
        answer = words.answer(r)
        if r.efficiency_limit is fm.Limit.NONE:
            assert ("**maximum**" in answer) == (units == "us")
            assert ("**minimum**" in answer) == (units == "metric")
            assert "nothing else moves it" in words.sensitivity_note(r)
        else:
            assert "on the edge of the allowed range" in answer
            assert "nothing else moves it" not in words.sensitivity_note(r)
        loss = 1 - r.model.mpg(60.0 * r.units.speed_per_mph) / r.model.mpg(50.0 * r.units.speed_per_mph)
        # mpg() of the converted car is in km per litre: the ratio is the same in any units
        note = words.calibration_note(r)
        if loss > 0.0005:
            assert f"loses {100 * loss:.1f}%" in note
            assert ("much flatter" in note) == (loss < 0.06)
        elif loss < -0.0005:
            assert f"gains {-100 * loss:.1f}%" in note
            assert "does not fall at highway speeds" in note

    def test_words_are_clean(self, car, trip, units):
        """No "seed", no nan or inf, one minus sign, no dollar amount in scientific notation."""
        text = everything(grid_result(car, trip, units))
        assert "seed" not in text.lower()
        assert not re.search(r"\bnan\b|\binf\b", text.lower())
        assert not re.search(r"(?<![\w(/])-\d", text)  # an ASCII minus before a number
        assert not re.search(r"\$[\d.,]*e[+−-]?\d", text)


def test_sensitivity_note_is_what_re_solving_shows():
    """'1% more drag a lowers it 0.5%, 1% more idle b raises it 0.5%' (√(b/a)), and 1/3% for the
    physical model's k and i; nothing else moves it."""
    for model, coefs, share in (
        (SEED, ("drag", "idle"), 0.5),
        (fm.PhysicalModel(6e-6, 0.0065, 0.6), ("k", "i"), 1 / 3),
    ):
        base = run(model, speed_limit=120.0).efficiency.x
        note = words.sensitivity_note(run(model, speed_limit=120.0))
        for name, sign in zip(coefs, (-1, 1), strict=True):
            bumped = type(model)(**{**model.__dict__, name: 1.01 * getattr(model, name)})
            moved = run(bumped, speed_limit=120.0).efficiency.x / base - 1
            assert moved == pytest.approx(sign * share * 0.01, rel=0.01)
        assert f"{'0.5' if share == 0.5 else '1/3'}%" in note
        assert run(model, speed_limit=120.0, fuel_price=9.0, time_value=50.0).efficiency.x == pytest.approx(base)


# --- issue 22: reach a target trip cost; how sure a calibrated best speed is ----------------------


class TestTargetText:
    def test_tutorial_trip_closed_form(self):
        """No value of time: 300 · 3.5 · (0.001 v + 2/v) = 100 ⇔ 0.001 v² − (100/1050) v + 2 = 0."""
        r = fm.analyse(SEED, **TRIP, target=100)
        k = 100 / 1050
        d = math.sqrt(k**2 - 4 * 0.001 * 2)
        assert r.goal.x == pytest.approx(((k - d) / 0.002, (k + d) / 0.002), rel=1e-10)
        assert words.target_text(r) == (
            "**Target $100.00.** The 300-mile trip costs $100.00 at 31.3 mph and at 64.0 mph, and less between them."
        )
        marks = words.trip_marks(r)
        assert marks["rule_y"] == 100
        assert list(marks["points"]["speed"]) == pytest.approx(r.goal.x, rel=1e-12)

    def test_below_the_cheapest_trip(self):
        r = fm.analyse(SEED, **TRIP, target=50)
        cheapest = 1050 * 2 * math.sqrt(0.002)  # D·P·2√(ab) at v = √(b/a)
        assert r.cheapest.fun == pytest.approx(cheapest, rel=1e-10)
        text = words.target_text(r)
        assert f"the cheapest is ${cheapest:.2f}" in text
        assert f"(${cheapest - 50:.2f} more)" in text

    def test_no_target(self):
        r = fm.analyse(SEED, **TRIP)
        assert (r.goal, words.target_text(r), words.trip_marks(r)) == (None, "", {})


class TestIntervalWords:
    def test_metric_and_text_match_the_interval(self):
        r = fm.analyse(**TRIP, observations=fm.EXAMPLE_OBSERVATIONS)
        boot = un.speed_interval(r.calibration)
        iv = boot.interval
        label, value, help = words.interval_metric(r, boot)
        assert label == "Most efficient speed, 90% interval"  # the label: a contract
        assert value == f"{iv.low:.1f} – {iv.high:.1f} mph"
        assert iv.low < r.efficiency.x < iv.high
        assert "seed" not in help.lower()
        text = words.interval_text(r, boot)
        assert f"between {iv.low:.1f} and {iv.high:.1f} mph in 90%" in text
        assert "right shape" in text

    def test_exact_observations_give_zero_width(self):
        v = np.array([30.0, 40.0, 50.0, 60.0, 70.0])
        exact = pd.DataFrame({"speed": v, "mpg": 1 / (0.001 * v + 2 / v)})
        r = fm.analyse(**TRIP, observations=exact)
        boot = un.speed_interval(r.calibration)
        assert boot.interval.status is un.IntervalStatus.EXACT
        _, value, _ = words.interval_metric(r, boot)
        best = f"{math.sqrt(2000):.1f}"
        assert value == f"{best} – {best} mph"
        assert "zero width" in words.interval_text(r, boot)

    def test_held_within_the_speed_limit(self):
        r = fm.analyse(**{**TRIP, "speed_limit": 23.0}, observations=fm.EXAMPLE_OBSERVATIONS)
        boot = un.speed_interval(r.calibration)
        assert words.interval(r, boot).high == 23.0
        assert "held between" in words.interval_text(r, boot)
