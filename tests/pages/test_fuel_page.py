"""The Fuel page in AppTest."""

import math

import pandas as pd
import pyarrow as pa
import pytest

from optimizers import fuel as fm
from optimizers.sensitivity import COLUMNS
from tests.pages.conftest import metrics, open_page, shown
from tests.pages.conftest import sensitivity_table as conftest_sensitivity_table


def alerts(at, kind="warning") -> str:
    return " ".join(shown(w.value) for w in getattr(at, kind))


def sensitivity_table(at) -> pd.DataFrame:
    return conftest_sensitivity_table(at)


def fits_table(at) -> str:
    return next(shown(md.value) for md in at.markdown if "Fitted models" in md.value)


def chart_data(at, name: str) -> pd.DataFrame:
    """One named dataset of the page's first chart, as the browser receives it (Arrow)."""
    chart = at.get("vega_lite_chart")[0]
    data = next(d.data.data for d in chart.proto.datasets if d.name == name)
    return pa.ipc.open_stream(data).read_all().to_pandas()


def page_text(at) -> str:
    return " ".join(shown(e.value) for e in (*at.markdown, *at.caption))


def test_defaults_show_the_seed_numbers():
    at = open_page("fuel")
    m = metrics(at)
    assert m["Most efficient speed"] == "44.7 mph"
    assert m["Maximum MPG"] == "11.2 mpg"
    assert m["Cheapest trip speed"] == "44.7 mph"
    assert m["MPG at your speed"] == "10.4 mpg"
    assert m["Trip fuel cost"] == "$100.56"
    assert m["Trip time"] == "4.62 h"
    text = page_text(at)
    assert "saves 1.45 hours" in text
    assert "Oak Ridge National Laboratory" in text
    assert not at.warning


def test_time_value_speeds_up_the_cheapest_trip():
    m = metrics(open_page("fuel", time_value="10", speed_limit="120"))
    assert m["Cheapest trip speed"] == "69.7 mph"  # sqrt((2 + 10/3.5) / 0.001) = 69.69


def test_speed_limit_clamps_with_a_message():
    at = open_page("fuel", time_value="20")
    assert metrics(at)["Cheapest trip speed"] == "80.0 mph"
    assert "clamped to 80 mph" in alerts(at)


@pytest.mark.parametrize(
    "params",
    [{"drag": "0"}, {"idle": "x"}, {"speed": "-5"}, {"fuel_price": "nan"}, {"units": "imperial"}, {"units": ""}],
)
def test_junk_url_values_fall_back(params):
    assert metrics(open_page("fuel", **params))["Most efficient speed"] == "44.7 mph"


def test_sliders_show_whole_numbers_and_units():
    at = open_page("fuel")
    formats = {s.key: s.proto.format for s in at.slider}
    assert formats["distance"] == "%,d miles"
    assert formats["speed"] == "%d mph"
    assert formats["speed_limit"] == "%d mph"
    assert formats["time_value"] == "$%d"


class TestMetric:
    def test_metric_units(self):
        at = open_page("fuel", units="metric")
        m = metrics(at)
        # the seed's car in litres and km/h (drag 0.00146 L/h per (km/h)², idle 7.57 L/h)
        assert m["Most efficient speed"] == f"{math.sqrt(7.57 / 0.00146):.1f} km/h" == "72.0 km/h"
        # the unit sits in the label: "21.0 L/100 km" does not fit a third of the column at 1400 px
        assert m["Lowest consumption (L/100 km)"] == "21.0"
        assert m["At your speed (L/100 km)"] == "22.5"
        assert "Maximum MPG" not in m
        assert "lowest consumption" in page_text(at).lower()
        formats = {s.key: s.proto.format for s in at.slider}
        assert formats["distance_km"] == "%,d km"
        assert formats["speed_kmh"] == "%d km/h"

    def test_optimum_in_kmh_is_the_mph_optimum_converted(self):
        """Same car, same trip, in both systems (exact conversions of every input)."""
        c, litres = fm.KM_PER_MILE, fm.LITRES_PER_GALLON
        us = metrics(open_page("fuel", time_value="10", speed_limit="120", drag="0.002", idle="3"))
        metric = metrics(
            open_page(
                "fuel",
                units="metric",
                time_value="10",
                speed_limit_kmh="195",
                drag_kmh=f"{0.002 * litres / c**2:.5f}",
                idle_lph=f"{3 * litres:.2f}",
                price_per_litre=f"{3.5 / litres:.2f}",
            )
        )
        # both pages agree to the slider's rounding of the inputs (0.00292 vs 0.0029236...)
        assert float(metric["Most efficient speed"].split()[0]) == pytest.approx(
            c * float(us["Most efficient speed"].split()[0]), rel=2e-3
        )
        # the cheapest speed depends on the price too, which the cent step rounds by 0.5% ($0.9246 -> $0.92)
        assert float(metric["Cheapest trip speed"].split()[0]) == pytest.approx(
            c * float(us["Cheapest trip speed"].split()[0]), rel=5e-3
        )

    def test_switching_units_keeps_the_scenario(self):
        at = open_page("fuel", speed="70", distance="500", fuel_price="4", time_value="12")
        at.segmented_control(key="units").set_value("metric").run()
        assert not at.exception
        values = {s.key: s.value for s in at.slider}
        assert values["speed_kmh"] == 113.0  # 70 mph = 112.65 km/h
        assert values["distance_km"] == 800.0  # 804.7 km
        assert values["price_per_litre"] == 1.06  # $4/gal = $1.0567/L
        assert values["time_value"] == 12.0
        assert "speed" not in values
        at.segmented_control(key="units").set_value("us").run()
        values = {s.key: s.value for s in at.slider}
        assert values["speed"] == 70.0
        assert values["distance"] == 500.0
        assert values["fuel_price"] == 4.0

    def test_switching_units_converts_the_table(self):
        at = open_page("fuel", calibrate="true", data="40:30,60:25,80:20")
        us_best = metrics(at)["Most efficient speed"]
        at.segmented_control(key="units").set_value("metric").run()
        assert not at.exception
        table = at.dataframe(key="l100_editor_0").value
        assert table.speed.tolist() == [64.4, 96.6, 128.7]
        assert table.l_per_100km.tolist() == [7.84, 9.41, 11.76]
        km = float(metrics(at)["Most efficient speed"].split()[0])
        assert km == pytest.approx(fm.KM_PER_MILE * float(us_best.split()[0]), rel=5e-3)


class TestCalibration:
    def test_example_car_warns_that_the_best_speed_is_extrapolated(self):
        at = open_page("fuel", calibrate="true")
        assert at.dataframe(key="mpg_editor_0").value.equals(fm.EXAMPLE_OBSERVATIONS)
        assert metrics(at)["Most efficient speed"] == "23.1 mph"
        warning = alerts(at)
        assert "most efficient speed (23.1 mph) and cheapest trip speed (23.1 mph) are below the slowest" in warning
        assert "speed you observed (30 mph)" in warning
        # both fits are shown, and why the textbook model is used (never "seed": issue 19)
        fits = fits_table(at)
        assert "| textbook: fuel per hour a·v² + b: best 23.1 mph (used) | drag = 0.0005492, idle = 0.2936 |" in fits
        assert "| physical: fuel per distance k·v² + r + i/v: best none |" in fits
        assert "the physical fit has no best speed (idling i must be positive" in fits

    def test_ornl_averages_pick_the_physical_model(self):
        """ORNL's published averages (50-80 mph): the physical model, 36.8 mph, with a warning."""
        mpg = 30 * pd.Series([1.0, 0.876, 0.876 * 0.86, 0.876 * 0.86 * 0.846])
        data = ",".join(f"{s}:{m:.8f}" for s, m in zip([50, 60, 70, 80], mpg, strict=True))
        at = open_page("fuel", calibrate="true", data=data)
        assert metrics(at)["Most efficient speed"] == "36.8 mph"
        assert "the physical model fits better" in fits_table(at)
        assert "| physical: fuel per distance k·v² + r + i/v: best 36.8 mph (used) |" in fits_table(at)
        assert "below the slowest speed you observed (50 mph)" in alerts(at)

    def test_fits_table_reads_without_nan(self):
        """Three rows leave the physical fit no spare observation: its residual error is a dash, not 'nan'."""
        at = open_page("fuel", units="metric", calibrate="true", data="40:30,60:25,80:20")
        fits = fits_table(at)
        assert "nan" not in fits.lower()
        assert "| model | coefficients | residual error (L/km) | R² |" in fits
        assert "— (no spare row)" in fits
        assert "k = −1.389e−05" in fits  # one minus sign on the page, exponents included (explain.format)
        assert "got −1.39e−05" in fits

    def test_link_drops_the_sliders_calibration_replaces(self):
        at = open_page("fuel", calibrate="true", drag="0.002", idle="3")
        assert dict(at.query_params) == {"calibrate": "true"}  # the fit's coefficients, not the sliders, apply

    def test_the_link_carries_the_table(self):
        at = open_page("fuel", calibrate="true", data="30:36,45:38,60:34,75:28,90:22")
        table = at.dataframe(key="mpg_editor_0").value
        assert table.speed.tolist() == [30, 45, 60, 75, 90]
        best = float(metrics(at)["Most efficient speed"].split()[0])
        assert 30 <= best <= 90
        assert not at.warning  # observed on both sides of the best speed

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"speed,mpg\n50,30\n", "at least 2 complete rows"),
            (b"speed,mpg\n50,30\n60,-1\n", "must be positive"),
            (b"speed,mpg\n50,30\nfast,25\n", "must be a number"),
            (b"speed,mpg\n40,20\n60,30\n80,45\n", "both must be positive"),
        ],
    )
    def test_bad_observations_give_a_message(self, content, message):
        at = open_page("fuel", calibrate="true")
        at.file_uploader(key="mpg_upload").set_value(("car.csv", content, "text/csv")).run()
        assert not at.exception
        assert message in shown(at.error[0].value)
        assert not at.metric

    def test_upload_replaces_the_table_and_is_fitted(self):
        at = open_page("fuel", calibrate="true")
        s = pd.Series([30.0, 50.0, 70.0])
        rows = pd.DataFrame({"speed": s, "mpg": s / (0.002 * s**2 + 1.8)})
        at.file_uploader(key="mpg_upload").set_value(("car.csv", rows.to_csv(index=False).encode(), "text/csv")).run()
        assert metrics(at)["Most efficient speed"] == "30.0 mph"  # sqrt(1.8 / 0.002)
        shown_table = at.dataframe(key="mpg_editor_1").value
        pd.testing.assert_frame_equal(shown_table, rows)  # the table shows the uploaded rows, not the example
        assert str(at.query_params["data"]).startswith("30:8.333333333,50:7.35294")  # and the link carries them
        pd.testing.assert_frame_equal(chart_data(at, "observed"), rows)  # and the chart plots them

    def test_the_chart_plots_the_linked_table(self):
        """What the chart shows is the table being fitted (here the link's rows, not the example)."""
        at = open_page("fuel", calibrate="true", data="30:36,45:38,60:34,75:28,90:22")
        observed = chart_data(at, "observed")
        assert observed.speed.tolist() == [30, 45, 60, 75, 90]
        assert observed.mpg.tolist() == [36, 38, 34, 28, 22]


class TestSensitivity:
    def test_table_at_defaults(self):
        at = open_page("fuel", time_value="10")
        table = sensitivity_table(at)
        assert list(table.columns) == COLUMNS
        assert table.parameter.tolist() == ["drag", "idle", "fuel_price", "time_value", "distance", "speed_limit"]
        rows = table.set_index("parameter")
        v = math.sqrt((2 + 10 / 3.5) / 0.001)
        assert rows.loc["time_value", "optimum_change_per_unit"] == pytest.approx(1 / (2 * v * 0.001 * 3.5), rel=1e-9)
        assert rows.loc["drag", "optimum_elasticity"] == pytest.approx(-0.5, rel=1e-9)
        assert rows.loc["distance", "optimum_change_per_unit"] == pytest.approx(0, abs=1e-12)
        assert "cheapest trip speed" in page_text(at)

    def test_non_default_url(self):
        at = open_page("fuel", units="metric", calibrate="true", data="40:30,60:25,80:20")
        table = sensitivity_table(at)
        assert table.parameter.tolist()[-4:] == ["price_per_litre", "time_value", "distance_km", "speed_limit_kmh"]

    def test_calibrated_physical_parameters(self):
        mpg = 30 * pd.Series([1.0, 0.876, 0.876 * 0.86, 0.876 * 0.86 * 0.846])
        data = ",".join(f"{s}:{m:.8f}" for s, m in zip([50, 60, 70, 80], mpg, strict=True))
        table = sensitivity_table(open_page("fuel", calibrate="true", data=data))
        assert table.parameter.tolist()[:3] == ["k", "r", "i"]
        assert table.set_index("parameter").loc["k", "optimum_elasticity"] == pytest.approx(-1 / 3, rel=1e-9)


def test_switching_units_logs_nothing(capfd, monkeypatch):
    """Issue 19: switching to metric logged Streamlit's 'The widget with key "speed_kmh" was
    created with a default value but also had its value set via the Session State API' with a
    stack trace. Streamlit says it once per process, so the flag is reset first."""
    from streamlit.elements.lib import policies

    monkeypatch.setattr(policies, "_shown_default_value_warning", False)
    at = open_page("fuel", speed="70", calibrate="true", data="40:30,60:25,80:20")
    capfd.readouterr()
    for units in ("metric", "us", "metric"):
        at.segmented_control(key="units").set_value(units).run()
        assert not at.exception
    assert metrics(at)["Most efficient speed"].endswith("km/h")
    logged = [
        line
        for line in capfd.readouterr().err.splitlines()
        if line.strip() and "missing ScriptRunContext" not in line  # AppTest's own note (pyproject.toml)
    ]
    assert logged == []


def every_word(at) -> str:
    """Everything the page shows in words: text elements, metric labels and help, toggle labels,
    and the charts' specs and data (legends are data)."""
    texts = [shown(e.value) for e in (*at.markdown, *at.caption, *at.warning, *at.info, *at.error)]
    texts += [f"{m.label} {m.value} {m.proto.help}" for m in at.metric]
    texts += [t.label for t in at.toggle]
    for chart in at.get("vega_lite_chart"):
        texts.append(chart.proto.spec)
        texts += [pa.ipc.open_stream(d.data.data).read_all().to_pandas().to_string() for d in chart.proto.datasets]
    return " ".join(texts)


@pytest.mark.parametrize("params", [{}, {"calibrate": "true"}, {"units": "metric", "calibrate": "true"}])
def test_never_says_seed(params):
    """Issue 19: visitors do not know what "the seed" is ("the seed's tables", "the seed's text
    says 1.3 hours", "seed: fuel per hour a·v² + b", the legend's "seed fit (used)")."""
    at = open_page("fuel", **params)
    at.toggle(key="fuel.csv").set_value(True).run()
    assert len(at.dataframe) >= 2  # the tables are shown
    text = every_word(at)
    assert "tutorial's" in text
    assert "seed" not in text.lower()


def tradeoff_fuel(drag: float, idle: float) -> float:
    """What 75 instead of 55 mph costs in fuel on the default trip (300 miles at $3.50)."""
    car = fm.FuelModel(drag, idle)
    return 300 * 3.5 * (car.per_distance(75.0) - car.per_distance(55.0))


@pytest.mark.parametrize(
    ("params", "says", "never"),
    [
        # √(0.1/0.005) = 4.47 mph: below the slowest speed considered, not above the speed limit
        ({"drag": "0.005", "idle": "0.1"}, "is below 5 mph, the slowest speed this page considers", "above your speed"),
        # the best speed is 316 mph: 75 mph burns less fuel than 55 ("costs −$48.85 more fuel" before)
        ({"drag": "0.0001", "idle": "10"}, f"and saves ${-tradeoff_fuel(0.0001, 10):,.2f} of fuel too", "but costs"),
        # 0.0008·v + 3.3/v is the same at 55 and 75 mph: rounding noise is no cost
        ({"drag": "0.0008", "idle": "3.3"}, "for the same fuel, to the cent", "but costs"),
    ],
)
def test_sentences_true_at_the_ends_of_the_sliders(params, says, never):
    text = every_word(open_page("fuel", **params))
    assert says in text
    assert never not in text


# --- issue 22: how sure a calibrated best speed is; reach a target trip cost ----------------------


def _named(at, name: str) -> pd.DataFrame | None:
    for chart in at.get("vega_lite_chart"):
        for d in chart.proto.datasets:
            if d.name == name:
                return pa.ipc.open_stream(d.data.data).read_all().to_pandas()
    return None


def test_interval_when_calibrated():
    at = open_page("fuel", calibrate="true")
    m = metrics(at)
    assert m["Most efficient speed"] == "23.1 mph"
    assert m["Most efficient speed, 90% interval"] == "22.4 – 24.0 mph"
    assert "Resampling your 6 observations 1,000 times" in page_text(at)
    band = _named(at, "band")
    curve = _named(at, "curve")
    assert list(band["x"]) == pytest.approx(list(curve["x"]), rel=1e-12)
    assert (band["low"] <= band["high"]).all()


def test_no_interval_without_calibration():
    at = open_page("fuel")
    assert not any("interval" in label for label in metrics(at))
    assert _named(at, "band") is None


def test_target_from_a_link():
    at = open_page("fuel", target="100")
    assert at.number_input(key="target").value == 100
    assert "The 300-mile trip costs $100.00 at 31.3 mph and at 64.0 mph, and less between them." in page_text(at)


@pytest.mark.parametrize("value", ["-10", "abc", "inf"])
def test_junk_target_falls_back(value):
    at = open_page("fuel", target=value)
    assert at.number_input(key="target").value == 0
    assert "Target" not in page_text(at).replace("target=", "")
    assert "inf" not in " ".join(c.value for c in at.caption).replace("“inf”", "")
