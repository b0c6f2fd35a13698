"""The shared charts: what they mark, that their spec does not change when only the data
move (so the browser swaps data), that stacked rows share x and data, and that no scale
derives its domain from a layer that may be empty (the "Infinite extent" warnings)."""

import json
import math
import re

import numpy as np
import pandas as pd
import pytest

from optimizers import fuel as fm
from optimizers import pricing as pr
from ui.charts import (
    LABEL_HEIGHT,
    LEGEND_WIDTH,
    SCHEMA,
    THEME_NAMES,
    Y_AXIS_WIDTH,
    Marker,
    fit_chart,
    lines_chart,
    objective_chart,
    objective_spec,
    stack,
)

TITLES = {"x_title": "Price ($)", "y_title": "Weekly profit ($)", "marginal_title": "Marginal profit ($ per $1)"}


def charts_at(price: float):
    r = pr.analyse(pr.linear_demand(1300, 10), 20, price)
    return objective_chart(
        r.curve,
        **TITLES,
        optimum=Marker(r.optimum.x, r.optimum.fun, "optimum $75.00"),
        current=Marker(price, r.profit_at_price, f"you: ${price:.2f}"),
        current_slope=r.marginal_at_price,
    )


def layers_only(spec: dict) -> str:
    return json.dumps({k: v for k, v in spec.items() if k != "datasets"}, sort_keys=True)


def layers_of(spec: dict):
    for row in spec.get("vconcat", [spec]):
        yield from row["layer"]


def marks_by_role(spec: dict, name: str = "marks") -> dict:
    return {m["role"]: m for m in spec["datasets"][name].to_pylist()}


class TestObjectiveChart:
    def test_basic(self):
        top, bottom = charts_at(50.0)
        assert top["title"]["subtitle"] == "Weekly profit ($)"
        assert bottom["title"]["subtitle"] == "Marginal profit ($ per $1)"
        assert '"title": "Price ($)"' in layers_only(bottom)
        marks = top["datasets"]["marks"].to_pylist()
        assert {(m["role"], m["x"], m["y"], m["label"]) for m in marks} == {
            ("optimum", 75.0, 30250.0, "optimum $75.00"),
            ("current", 50.0, 24000.0, "you: $50.00"),
        }
        # on the marginal row the optimum sits where f' crosses zero, the current point at f'
        below = marks_by_role(bottom)
        assert (below["optimum"]["d"], below["optimum"]["d_label"]) == (0.0, "f′ = 0")
        assert below["current"]["d"] == 500.0
        # the tangent at $50 has slope 500: both end points lie on y = 24000 + 500 (x - 50)
        c = below["current"]
        for x, y in ((c["t_x0"], c["t_y0"]), (c["t_x1"], c["t_y1"])):
            assert y == pytest.approx(24000 + 500 * (x - 50), rel=1e-12)
        assert c["t_x0"] < 50 < c["t_x1"]
        assert top["datasets"]["curve"].num_rows == pr.CURVE_POINTS
        assert top["$schema"] == SCHEMA  # the Vega-Lite major version Streamlit 1.67 bundles (v6)

    def test_spec_is_stable_when_only_the_current_point_moves(self):
        (top50, bottom50), (top60, bottom60) = charts_at(50.0), charts_at(60.0)
        assert layers_only(top50) == layers_only(top60)
        assert layers_only(bottom50) == layers_only(bottom60)
        assert top50["datasets"]["marks"] != top60["datasets"]["marks"]
        assert layers_only(stack(top50, bottom50)) == layers_only(stack(top60, bottom60))

    def test_without_optimum_or_current_point(self):
        r = pr.analyse(pr.elasticity_like_linear(0.8, 1300, 10), 20, 500)
        top, bottom = objective_chart(r.curve, **TITLES)
        assert top["datasets"]["marks"].num_rows == 0
        assert bottom["datasets"]["marks"].num_rows == 0

    def test_no_scale_takes_its_domain_from_the_layers(self):
        """Every x/y scale reads its domain from a parameter computed over the named datasets,
        so an empty layer (no optimum, no tangent) never makes Vega warn "Infinite extent"."""
        specs = [
            objective_spec(pr.analyse(pr.linear_demand(1300, 10), 20, 50).curve, **TITLES),
            lines_chart(pd.DataFrame({"t": [1.0, 2.0], "v": [3.0, 4.0], "s": ["a", "a"]}), **LINE),
        ]
        for spec in specs:
            params = {p["name"] for p in spec["params"]}
            for layer in layers_of(spec):
                for channel in ("x", "y"):
                    enc = layer["encoding"].get(channel)
                    if enc:
                        assert enc["scale"]["domain"]["expr"] in params, (channel, layer)

    def test_rows_line_up(self):
        """Same x scale, and y axes of one fixed width without titles: equal plot widths."""
        spec = objective_spec(pr.analyse(pr.linear_demand(1300, 10), 20, 50).curve, **TITLES)
        assert spec["resolve"]["scale"]["x"] == "shared"
        for layer in layers_of(spec):
            y = layer["encoding"].get("y")
            if y and "axis" in y:
                assert y["axis"]["title"] is None
                assert y["axis"]["minExtent"] == y["axis"]["maxExtent"] == Y_AXIS_WIDTH
        x_titles = [layer["encoding"]["x"]["axis"]["title"] for layer in spec["vconcat"][0]["layer"]]
        assert set(x_titles) == {None}  # only the bottom row names the x axis

    def test_one_copy_of_the_data(self):
        spec = objective_spec(pr.analyse(pr.linear_demand(1300, 10), 20, 50).curve, **TITLES)
        assert sorted(spec["datasets"]) == ["curve", "marks"]
        used = {layer["data"]["name"] for layer in layers_of(spec) if "name" in layer["data"]}
        assert used == {"curve", "marks"}

    def test_special_cases(self):
        # an optimum on the boundary of the range: f' is not zero there, and the chart says so
        r = pr.analyse(pr.linear_demand(1300, 10), 20, 50)
        edge = r.curve[r.curve.x <= 60]
        end = float(edge.x.iloc[-1])  # profit (p - 20)(1300 - 10p) still rises there: f' = 1500 - 20p
        _, bottom = objective_chart(edge, **TITLES, optimum=Marker(end, float(edge.value.iloc[-1]), "best on the edge"))
        below = marks_by_role(bottom)["optimum"]
        assert below["d"] == pytest.approx(1500 - 20 * end, rel=1e-9)
        assert below["d_label"].endswith("(boundary)")
        # an interior optimum between grid points: the interpolated f' is not exactly 0 (Fuel
        # showed "f′ = 1.81e-05 (boundary)"), but it is an interior zero of f'
        fuel = fm.analyse(fm.FuelModel(0.001, 2), speed=65, fuel_price=3.5, distance=300, time_value=0, speed_limit=80)
        eff = fuel.efficiency
        _, bottom = objective_chart(
            fuel.economy_curve, x_title="s", y_title="mpg", marginal_title="d", optimum=Marker(eff.x, eff.fun, "best")
        )
        assert marks_by_role(bottom)["optimum"]["d_label"] == "f′ = 0"
        # non-finite values become NaN (a gap), never inf in the data
        bad = pd.DataFrame({"x": [0.0, 1.0, 2.0], "value": [1.0, np.inf, 2.0], "derivative": [0.0, -np.inf, 1.0]})
        top, _ = objective_chart(bad, **TITLES)
        values = top["datasets"]["curve"].column("value").to_pylist()
        assert math.isnan(values[1])


LINE = {"x": "t", "y": "v", "series": "s", "x_title": "t", "y_title": "v"}


class TestStack:
    def test_basic(self):
        top, bottom = charts_at(50.0)
        lines = lines_chart(
            pd.DataFrame({"t": [10.0, 90.0], "v": [1.0, 2.0], "s": ["a", "a"]}),
            **{**LINE, "x_title": "Price ($)"},
            optimum=Marker(40.0, 1.5, "here"),
        )
        spec = stack(top, bottom, lines)
        assert len(spec["vconcat"]) == 3
        # both charts had a "marks" dataset with different rows: the second one is renamed
        assert sorted(spec["datasets"]) == ["curve", "lines", "marks", "marks_2"]
        assert spec["datasets"]["marks_2"].to_pylist()[0]["label"] == "here"
        third = {layer["data"].get("name") for layer in spec["vconcat"][2]["layer"]}
        assert third == {"lines", "marks_2"}
        x_raw = next(p["expr"] for p in spec["params"] if p["name"] == "x_raw")
        assert "data('curve'), 'x'" in x_raw
        assert "data('lines'), 't'" in x_raw
        # each row keeps its own y domain
        y_domains = {
            layer["encoding"]["y"]["scale"]["domain"]["expr"]
            for i, row in enumerate(spec["vconcat"])
            for layer in row["layer"]
            if "y" in layer["encoding"]
        }
        assert y_domains == {"y_domain_0", "y_domain_1", "y_domain_2"}

    def test_a_single_chart_is_returned_as_is(self):
        spec = lines_chart(pd.DataFrame({"t": [1.0], "v": [1.0], "s": ["a"]}), **LINE)
        assert stack(spec) is spec


class TestLinesChart:
    def test_basic(self):
        data = pd.DataFrame({"t": [0.0, 1.0, 0.0, 1.0], "v": [1.0, 2.0, -1.0, 3.0], "s": ["a", "a", "b", "b"]})
        spec = lines_chart(data, **LINE, stacked_area=True, colors={"a": "#2563eb", "b": "green"})
        main = spec["layer"][0]["encoding"]
        assert main["color"]["scale"]["range"] == ["blue", "green"]  # theme colours follow light/dark
        assert main["color"]["legend"]["orient"] == "bottom"
        assert main["order"]["field"] == "stack_order"  # the first series at the bottom
        table = spec["datasets"]["lines"].to_pydict()
        assert table["stack_order"] == [0.0, 0.0, 1.0, 1.0]
        assert table["stack_top"] == [1.0, 5.0, 1.0, 5.0]  # positives stack up: 0 + 1, 2 + 3
        assert table["stack_bottom"] == [-1.0, 0.0, -1.0, 0.0]

    def test_legend_fits_a_phone(self):
        names = ["asset's growth rate V'/V", "alternative r", "a third long series name"]
        data = pd.DataFrame({"t": [0.0] * 3, "v": [1.0] * 3, "s": names})
        legend = lines_chart(data, **LINE)["layer"][0]["encoding"]["color"]["legend"]
        assert legend["orient"] == "bottom"
        # Vega aligns entries in a grid: a column is as wide as its widest entry
        columns = legend["columns"]
        assert sum(max(6 * len(n) + 32 for n in names[j::columns]) for j in range(columns)) <= LEGEND_WIDTH
        assert columns == 2

    def test_markers_are_drawn_at_the_marks_x_whatever_the_curves_x_is_called(self):
        """The curves' x column is "t"; the marks dataset's is "x" (a marker on a chart whose x
        column was not called x was drawn nowhere: issue 21's budget chart, the envelope chart)."""
        data = pd.DataFrame({"t": [0.0, 1.0], "v": [1.0, 2.0], "s": ["a", "a"]})
        spec = lines_chart(data, **LINE, optimum=Marker(0.5, 1.5, "best"))
        marker_layers = [layer for layer in spec["layer"] if layer.get("data", {}).get("name") == "marks"]
        assert marker_layers
        assert {layer["encoding"]["x"]["field"] for layer in marker_layers} == {"x"}

    def test_close_markers_get_labels_at_different_heights(self):
        # the learning-rate finder's range test: 8 decades wide, suggestions 0.7-0.9 decades apart
        data = pd.DataFrame({"t": [1e-7, 10.0], "v": [1.0, 2.0], "s": ["a", "a"]})
        marks = (Marker(0.0313, 1.0, "valley"), Marker(0.156, 1.0, "minimum/10"), Marker(1.3, 1.0, "steepest"))
        spec = lines_chart(data, **LINE, log_x=True, markers=(*marks, Marker(1e-6, 1.0, "far")))
        levels = {m["label"]: m["level"] for m in spec["datasets"]["marks"].to_pylist()}
        assert levels == {"far": 0.0, "valley": 0.0, "minimum/10": 1.0, "steepest": 2.0}
        sides = {m["label"]: m["side"] for m in spec["datasets"]["marks"].to_pylist()}
        assert sides["steepest"] == "right"  # 7.1 of 8 decades: its label goes left of it
        assert sides["far"] == "left"  # 1 of 8 decades: label to its right


class TestFitChart:
    def test_basic(self):
        pts = pd.DataFrame({"s": [30.0, 60.0], "m": [20.0, 25.0]})
        fits = pd.DataFrame({"s": [30.0, 60.0], "m": [21.0, 24.0], "fit": ["line", "line"]})
        spec = fit_chart(pts, fits, x="s", y="m", x_title="Speed", y_title="MPG", x_format=",.0f")
        assert spec["datasets"]["observed"].to_pydict() == {"s": [30.0, 60.0], "m": [20.0, 25.0]}
        y_raw = next(p["expr"] for p in spec["params"] if p["name"] == "y_raw")
        assert "data('observed'), 'm'" in y_raw
        assert "data('fits'), 'm'" in y_raw
        assert spec["layer"][0]["encoding"]["x"]["axis"]["format"] == ",.0f"


class TestSpecCache:
    """Issue 18: Altair builds a spec once per shape; a rerun only attaches new datasets."""

    def test_spec_is_built_once_per_shape(self):
        from ui import charts

        charts._compose.cache_clear()
        top50, bottom50 = charts_at(50.0)
        built = charts._compose.cache_info().misses
        top60, bottom60 = charts_at(60.0)
        assert charts._compose.cache_info().misses == built  # no new build for new data
        assert top60["layer"] is top50["layer"]  # the cached spec, shallow-copied
        assert top60["datasets"]["marks"] is not top50["datasets"]["marks"]
        stack(top50, bottom50)
        built = charts._compose.cache_info().misses
        stack(top60, bottom60)
        assert charts._compose.cache_info().misses == built

    def test_a_new_title_is_a_new_shape(self):
        from ui import charts

        r = pr.analyse(pr.linear_demand(1300, 10), 20, 50)
        a, _ = objective_chart(r.curve, **TITLES)
        b, _ = objective_chart(r.curve, **{**TITLES, "y_title": "Monthly profit ($)"})
        assert a["title"]["subtitle"] == "Weekly profit ($)"
        assert b["title"]["subtitle"] == "Monthly profit ($)"
        assert charts._compose.cache_info().currsize >= 2

    def test_stack_declares_rows_again_instead_of_editing_text(self):
        """A renamed dataset is renamed everywhere the row reads it: its layers and its
        domain expression, which were declared with the new name."""
        top, _ = charts_at(50.0)
        lines = lines_chart(
            pd.DataFrame({"t": [10.0, 90.0], "v": [1.0, 2.0], "s": ["a", "a"]}), **LINE, optimum=Marker(40.0, 1.5, "x")
        )
        spec = stack(top, lines)
        y_raw_1 = next(p["expr"] for p in spec["params"] if p["name"] == "y_raw_1")
        assert "data('marks_1')" in y_raw_1
        assert "data('marks')" not in y_raw_1
        assert {layer["data"].get("name") for layer in spec["vconcat"][1]["layer"]} == {"lines", "marks_1"}


HEX = re.compile(r"#[0-9a-fA-F]{3,8}\b")


def every_spec():
    from optimizers import lr_finder as lf
    from ui import nn_charts

    r = pr.analyse(pr.linear_demand(1300, 10), 20, 50)
    data = pd.DataFrame({"t": [1.0, 2.0, 1.0, 2.0], "v": [1.0, 2.0, 2.0, 3.0], "s": ["a", "a", "b", "b"]})
    path = lf.gd_path(0.75)
    table = pd.DataFrame({"lr": [1e-4, 1e-3, 1e-2], "raw_loss": [1.0, 0.5, 2.0], "smoothed_loss": [1.0, 0.6, 1.5]})
    check = pd.DataFrame({"dtype": ["float64", "float32"], "h": [1e-7, 1e-3], "rel_error": [1e-9, 1e-2]})
    return [
        objective_spec(r.curve, **TITLES, optimum=Marker(75.0, 30250.0, "optimum")),
        lines_chart(data, **LINE, colors={"a": "#2563eb", "b": "green"}, optimum=Marker(1.5, 2.0, "m")),
        fit_chart(data[["t", "v"]], data.rename(columns={"s": "fit"}), x="t", y="v", x_title="t", y_title="v"),
        nn_charts.range_test_chart(table, {"minimum/10": 1e-3, "valley": 2e-3}, title="Range test"),
        nn_charts.path_chart(lf.gd_curve(path), path, x_title="x", y_title="C(x)", optimum=5.0),
        nn_charts.norms_chart(pd.DataFrame({"activation": ["relu"] * 2, "layer": [1, 2], "grad_norm": [1.0, 0.1]})),
        nn_charts.check_chart(check.assign(passes=[True, False]), {"float64": 1e-6, "float32": 1e-3}),
        nn_charts.regions_chart(
            pd.DataFrame({"x1": [0.0, 1.0], "x2": [0.0, 0.0], "predicted": [0, 1], "probability": [0.9, 0.6]}),
            pd.DataFrame({"x1": [0.5], "x2": [0.2], "label": [1]}),
            classes=2,
        ),
    ]


class TestThemeColours:
    """Streamlit maps theme colour names only in encoding.color values and colour-scale
    ranges: every colour is given there, and none is a hex value."""

    def test_no_hex_and_no_mark_colours(self):
        for spec in every_spec():
            text = json.dumps({k: v for k, v in spec.items() if k != "datasets"})
            assert HEX.findall(text) == [], text[:200]
            for layer in layers_of(spec):
                assert not {"color", "fill", "stroke"} & set(layer["mark"]), layer["mark"]
                color = layer.get("encoding", {}).get("color", {})
                values = [color["value"]] if "value" in color else color.get("scale", {}).get("range", [])
                assert set(values) <= THEME_NAMES

    def test_input_validation(self):
        data = pd.DataFrame({"t": [1.0], "v": [1.0], "s": ["a"]})
        with pytest.raises(ValueError, match=r"theme colour names.*'#123456'"):
            lines_chart(data, **LINE, colors={"a": "#123456"})

    def test_subtitles_follow_the_background(self):
        top, _ = charts_at(50.0)
        assert top["title"]["subtitleColor"] == {"expr": "luminance(background) > 0.5 ? 'dimgray' : 'darkgray'"}


class TestLabels:
    """Issue 19: labels sit above a maximum, below a minimum, clear of their curve."""

    def test_basic(self):
        top, bottom = charts_at(74.0)  # "you" right next to the optimum at $75
        marks = marks_by_role(top)
        assert marks["optimum"]["baseline"] == "bottom"  # above the maximum
        assert marks["current"]["baseline"] == "bottom"
        # the two labels end on opposite sides of their points, or one is lifted over the other
        opt, you = marks["optimum"], marks["current"]
        assert opt["align"] != you["align"] or abs(opt["dy"] - you["dy"]) >= LABEL_HEIGHT
        assert top["datasets"]["marks"] is bottom["datasets"]["marks"]  # one table, two placements
        assert marks["optimum"]["d_baseline"] in ("top", "bottom")

    def test_special_cases(self):
        # a minimum: its label goes below it
        x = np.linspace(0.0, 10.0, 101)
        curve = pd.DataFrame({"x": x, "value": (x - 5) ** 2 + 75, "derivative": 2 * (x - 5)})
        top, _ = objective_chart(curve, **TITLES, optimum=Marker(5.0, 75.0, "minimum at 5"))
        assert marks_by_role(top)["optimum"]["baseline"] == "top"
        # a label above the top of the data makes room for itself in the y domain
        r = pr.analyse(pr.linear_demand(1300, 10), 20, 50)
        top, _ = objective_chart(r.curve, **TITLES, optimum=Marker(75.0, 30250.0, "optimum $75.00"))
        assert marks_by_role(top)["optimum"]["room"] > 30250.0


def label_box(mark: dict, x_lo: float, x_hi: float, y_lo: float, y_hi: float, width: float, height: float):
    """The box (px) a label of ``mark`` covers on a plot of ``width`` x ``height`` over the
    given domains, with the text width the placement assumes (the browser's is smaller)."""
    from ui.charts import EDGE_PADDING, LABEL_CHAR_WIDTH

    px = EDGE_PADDING + (mark["x"] - x_lo) / (x_hi - x_lo) * (width - 2 * EDGE_PADDING)
    py = EDGE_PADDING + (y_hi - mark["y"]) / (y_hi - y_lo) * (height - 2 * EDGE_PADDING) + mark["dy"]
    text = LABEL_CHAR_WIDTH * len(mark["label"])
    x0 = px + mark["dx"] - (text if mark["align"] == "right" else 0)
    y0 = py - LABEL_HEIGHT if mark["baseline"] == "bottom" else py
    return x0, x0 + text, y0, y0 + LABEL_HEIGHT


class TestLabelsInAStack:
    """A stacked chart has one x scale over every row's x: a row whose own x range is
    narrower (Fuel's trip cost starts at 22 mph, its economy curve at 10) must place its
    labels on that shared scale, or a label placed clear of a curve lands on it (the
    'cheapest 44.7 mph' label at 390 px on /fuel?speed=45, issue 23)."""

    def fuel_rows(self, speed: float):
        trip = {
            name: fm.SLIDERS["us"][name].default for name in ("speed_limit", "fuel_price", "distance", "time_value")
        }
        car = fm.FuelModel(fm.SLIDERS["us"]["drag"].default, fm.SLIDERS["us"]["idle"].default)
        r = fm.analyse(car, units="us", speed=speed, **trip)
        eff, cheap = r.efficiency, r.cheapest
        titles = {"x_title": "Speed (mph)", "y_title": "MPG", "marginal_title": "mpg per mph"}
        economy = objective_chart(
            r.economy_curve,
            **titles,
            optimum=Marker(eff.x, eff.fun, "best"),
            current=Marker(speed, r.economy_at_speed, "you"),
            current_slope=r.economy_slope_at_speed,
        )
        costs = r.cost_curves
        trip_chart = lines_chart(
            costs,
            x="speed",
            y="cost",
            series="part",
            x_title="Speed (mph)",
            y_title="Cost ($)",
            height=220,
            optimum=Marker(cheap.x, cheap.fun, f"cheapest {cheap.x:.1f} mph"),
        )
        return r, economy, trip_chart

    def test_the_trip_row_is_placed_on_the_shared_x_domain(self):
        r, economy, trip_chart = self.fuel_rows(45.0)
        x_lo, x_hi = float(r.economy_curve.x.min()), float(r.economy_curve.x.max())
        assert x_lo < float(r.cost_curves.speed.min())  # the rows' own x ranges differ
        spec = stack(*economy, trip_chart)
        trip_marks = spec["datasets"]["marks_2"].to_pylist()
        alone = trip_chart["datasets"]["marks"].to_pylist()
        (mark,) = trip_marks
        costs = r.cost_curves
        y_lo, y_hi = float(min(costs.cost.min(), mark["y"])), float(max(costs.cost.max(), mark["y"]))
        for width in (270.0, 300.0, 900.0):
            x0, x1, y0, y1 = label_box(mark, x_lo, x_hi, y_lo, y_hi, width, 220)
            sx = 10 + (costs.speed.to_numpy() - x_lo) / (x_hi - x_lo) * (width - 20)
            sy = 10 + (y_hi - costs.cost.to_numpy()) / (y_hi - y_lo) * 200
            inside = (sx > x0) & (sx < x1) & (sy > y0) & (sy < y1)
            assert not inside.any(), (width, mark)
        # placed on the row's own range (as before the fix), the label meets a curve on a phone
        (before,) = alone
        x0, x1, y0, y1 = label_box(before, x_lo, x_hi, y_lo, y_hi, 270.0, 220)
        sx = 10 + (costs.speed.to_numpy() - x_lo) / (x_hi - x_lo) * 250
        sy = 10 + (y_hi - costs.cost.to_numpy()) / (y_hi - y_lo) * 200
        assert ((sx > x0) & (sx < x1) & (sy > y0) & (sy < y1)).any()

    def test_rows_over_the_same_x_keep_their_tables(self):
        top, bottom = charts_at(60.0)
        spec = stack(top, bottom)
        assert spec["datasets"]["marks"] is top["datasets"]["marks"]


class TestStackBounds:
    def test_agrees_with_pandas(self):
        from ui.charts import _stack_bounds

        rng = np.random.default_rng(7)
        for _ in range(200):
            n_x, n_s = int(rng.integers(1, 40)), int(rng.integers(1, 5))
            xs = np.tile(rng.permutation(n_x).astype(float), n_s)
            data = pd.DataFrame(
                {"t": xs, "v": rng.normal(size=n_x * n_s) * 10.0 ** rng.integers(-3, 9, size=n_x * n_s)}
            )
            data.loc[int(rng.integers(0, len(data))), "t"] = np.nan  # no group: NaN, as pandas gives
            top, bottom = _stack_bounds(data, "t", "v")
            v = data.v.to_numpy()
            want_top = pd.Series(np.where(v > 0, v, 0.0)).groupby(data.t.to_numpy()).transform("sum").to_numpy()
            want_bottom = pd.Series(np.where(v < 0, v, 0.0)).groupby(data.t.to_numpy()).transform("sum").to_numpy()
            np.testing.assert_allclose(top, want_top, rtol=1e-15, atol=0)
            np.testing.assert_allclose(bottom, want_bottom, rtol=1e-15, atol=0)

    def test_special_cases(self):
        from ui.charts import _stack_bounds

        top, bottom = _stack_bounds(pd.DataFrame({"t": [], "v": []}), "t", "v")
        assert len(top) == len(bottom) == 0
        top, bottom = _stack_bounds(pd.DataFrame({"t": [1.0, 1.0], "v": [np.inf, 2.0]}), "t", "v")
        assert top.tolist() == [2.0, 2.0]  # inf is a gap, as NaN
        assert bottom.tolist() == [0.0, 0.0]

    def test_a_chart_read_back_from_a_data_cache_is_drawn_and_stacked(self):
        import pickle

        _, economy, trip_chart = TestLabelsInAStack().fuel_rows(65.0)
        spec = stack(*economy, trip_chart)
        back = pickle.loads(pickle.dumps(spec))  # what st.cache_data does with a result
        assert layers_only(back) == layers_only(spec)
        assert {k: v.to_pylist() for k, v in back["datasets"].items()}.keys() == spec["datasets"].keys()
        again = stack(*(pickle.loads(pickle.dumps(s)) for s in (*economy, trip_chart)))
        assert len(again["vconcat"]) == 3


class TestHoverByX:
    """ui.charts._by_x: the wide table behind hover by x, and when a chart keeps the
    point-per-row hover instead."""

    @staticmethod
    def frame(names=("a", "b"), xs=(0.0, 1.0, 2.0)):
        rows = [(x, 10 * i + x, n) for i, n in enumerate(names) for x in xs]
        return pd.DataFrame(rows, columns=["t", "v", "s"])

    def by_x(self, df, names=None, x_title="t"):
        from ui.charts import _by_x

        return _by_x(df, "t", "v", "s", tuple(names or dict.fromkeys(df.s)), x_title)

    def test_each_x_once_with_every_series_value(self):
        df = self.frame(("a", "b", "c")).sample(frac=1, random_state=1)  # any row order
        wide = self.by_x(df, ("a", "b", "c")).to_pydict()
        assert wide == {"t": [0.0, 1.0, 2.0], "hover_0": [0.0, 1.0, 2.0], "hover_1": [10.0, 11.0, 12.0],
                        "hover_2": [20.0, 21.0, 22.0]}  # fmt: skip

    @pytest.mark.parametrize(
        "change",
        [
            "duplicate x",
            "other grid",
            "nan x",
            "nan y",
            "inf y",
            "one series",
            "nine series",
            "empty",
        ],
    )
    def test_falls_back_to_points(self, change):
        df = self.frame()
        if change == "duplicate x":
            df.loc[1, "t"] = 0.0
        elif change == "other grid":
            df.loc[4, "t"] = 1.5
        elif change == "nan x":
            df.loc[0, "t"] = np.nan
        elif change == "nan y":
            df.loc[2, "v"] = np.nan
        elif change == "inf y":
            df.loc[2, "v"] = np.inf
        elif change == "one series":
            df = self.frame(("a",))
        elif change == "nine series":
            df = self.frame(tuple("abcdefghi"))
        elif change == "empty":
            df = df.iloc[:0]
        assert self.by_x(df, dict.fromkeys(df.s) or ("a", "b")) is None

    @pytest.mark.parametrize("bad", ["a\\", "a\nb", "a\u2028b", "tab\there", " ", "t"])
    def test_a_name_that_cannot_be_a_tooltip_title_keeps_point_hover(self, bad):
        """Vega-Lite writes tooltip titles into an expression escaping only quotes: a
        backslash or a line break in a typed scenario or activity name broke the whole chart
        (/compare, /allocate); a name equal to the x title hid its value."""
        df = self.frame(("ok", bad))
        assert self.by_x(df, ("ok", bad)) is None
        spec = lines_chart(df, x="t", y="v", series="s", x_title="t", y_title="v")
        assert "hover" not in spec["datasets"]
        assert any(layer["mark"]["type"] == "point" and layer["mark"].get("opacity") == 0 for layer in spec["layer"])

    def test_quotes_and_other_text_are_fine(self):
        names = ('Plan "B"', "l'autre", "€ 10 — ✓")
        spec = lines_chart(self.frame(names), x="t", y="v", series="s", x_title="t", y_title="v")
        assert spec["datasets"]["hover"].num_rows == 3
        (rule,) = [layer for layer in spec["layer"] if layer.get("data", {}).get("name") == "hover"]
        assert [tip["title"] for tip in rule["encoding"]["tooltip"]] == ["t", *names]
