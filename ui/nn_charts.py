"""Charts of the learning-rate finder and the neural-network page (Vega-Lite specs as dicts).

The shapes ``ui.charts`` does not draw: a range test whose suggestions sit in the legend
(labels on the plot overlapped, and were cut off on a phone), a path drawn in order with
arrows, decision regions under the data, and a gradient check against h with the pass
threshold of each precision. Drawn with :func:`ui.charts.show`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa

from ui.charts import COLORS, SCHEMA, SERIES, Y_AXIS_WIDTH

__all__ = ["check_chart", "norms_chart", "path_chart", "range_test_chart", "regions_chart"]

#: Colours of the suggestion rules (the first is the headline suggestion's).
RULE_COLORS = {"minimum/10": "#dc2626", "valley": "#16a34a", "steepest": "#d97706"}
CLASS_COLORS = [
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
]
DTYPE_COLORS = {"float64": "#2563eb", "float32": "#ea580c"}


def _legend(columns: int = 1) -> dict:
    # A legend above the plot, one entry per row by default: nothing runs off a 390 px screen,
    # and no label can overlap another.
    return {"orient": "top", "columns": columns, "labelLimit": 300, "symbolStrokeWidth": 3, "title": None}


def _decades(lo: float, hi: float) -> list[float]:
    """Tick values at every power of ten from lo to hi (a log axis without minor grid lines)."""
    return [10.0**k for k in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)]


def range_test_chart(
    table: pd.DataFrame,
    suggestions: dict[str, float | None],
    *,
    title: str,
    subtitle: str = "",
    height: int = 280,
) -> dict:
    """Raw and smoothed loss against lr (log x), a dashed vertical line per suggestion.

    ``table`` has lr, raw_loss, smoothed_loss; ``suggestions`` maps a rule to its rate (the
    values the page's metrics show), named with its value in the legend.
    """
    long = pd.concat(
        [
            pd.DataFrame({"lr": table.lr, "loss": table.raw_loss, "curve": "raw loss"}),
            pd.DataFrame({"lr": table.lr, "loss": table.smoothed_loss, "curve": "smoothed loss"}),
        ],
        ignore_index=True,
    )
    marks = [
        {"lr": float(v), "curve": f"{k}: {v:.2e}"} for k, v in suggestions.items() if v is not None and math.isfinite(v)
    ]
    names = ["raw loss", "smoothed loss", *(m["curve"] for m in marks)]
    palette = ["#cbd5e1", "#2563eb", *(RULE_COLORS.get(m["curve"].split(":")[0], "#111827") for m in marks)]
    color = {"field": "curve", "type": "nominal", "scale": {"domain": names, "range": palette}, "legend": _legend()}
    x = {
        "field": "lr",
        "type": "quantitative",
        "title": "Learning rate (log scale)",
        "scale": {"type": "log"},
        "axis": {"format": ".0e", "values": _decades(float(table.lr.min()), float(table.lr.max()))},
    }
    y = {
        "field": "loss",
        "type": "quantitative",
        "title": "Training loss",
        "scale": {"zero": False},
        "axis": {"format": ".2f", "minExtent": Y_AXIS_WIDTH},
    }
    tips = [
        {"field": "curve", "type": "nominal", "title": " "},
        {"field": "lr", "type": "quantitative", "title": "rate", "format": ".2e"},
        {"field": "loss", "type": "quantitative", "title": "loss", "format": ".3f"},
    ]
    layers = [
        {
            "data": {"name": "lines"},
            "mark": {"type": "line", "strokeWidth": 2.5},
            "encoding": {"x": x, "y": y, "color": color},
        },
        {
            "data": {"name": "lines"},
            "mark": {"type": "point", "opacity": 0, "size": 80},
            "encoding": {
                "x": {"field": "lr", "type": "quantitative"},
                "y": {"field": "loss", "type": "quantitative"},
                "tooltip": tips,
            },
        },
        {
            "data": {"name": "marks"},
            "mark": {"type": "rule", "strokeDash": [6, 4], "strokeWidth": 2},
            "encoding": {
                "x": {"field": "lr", "type": "quantitative"},
                "color": color,
                "tooltip": [{"field": "curve", "type": "nominal", "title": "suggestion"}],
            },
        },
    ]
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "subtitle": subtitle} if subtitle else title,
        "height": height,
        "datasets": {
            "lines": pa.Table.from_pandas(long, preserve_index=False),
            "marks": pa.Table.from_pylist(marks, schema=pa.schema([("lr", pa.float64()), ("curve", pa.string())])),
        },
        "layer": layers,
    }


def path_chart(curve: pd.DataFrame, path: pd.DataFrame, *, x_title: str, y_title: str, height: int = 260) -> dict:
    """C(x) with the gradient-descent path drawn step by step: a segment from each point to
    the next and an arrowhead where it lands, numbered in order. ``curve`` has x, cost;
    ``path`` has step, x, cost. The x axis is the curve's range (never below its first x).

    The arrowheads are rotated in screen space: the angle of each segment is computed from
    the plot's width and height signals, so it stays right when the chart is resized.
    """
    x0, x1 = float(curve.x.min()), float(curve.x.max())
    y0, y1 = float(min(curve.cost.min(), path.cost.min())), float(max(curve.cost.max(), path.cost.max()))
    segs = pd.DataFrame(
        {
            "step": path.step.to_numpy()[1:],
            "x": path.x.to_numpy()[:-1],
            "cost": path.cost.to_numpy()[:-1],
            "x2": path.x.to_numpy()[1:],
            "cost2": path.cost.to_numpy()[1:],
        }
    )
    xs = {"type": "linear", "domain": [x0, x1], "nice": False, "zero": False}
    ys = {"type": "linear", "domain": [y0, y1], "nice": False, "zero": False}
    x = {
        "field": "x",
        "type": "quantitative",
        "title": x_title,
        "scale": xs,
        "axis": {"format": ",.0f", "tickMinStep": 1},
    }
    y = {
        "field": "cost",
        "type": "quantitative",
        "title": y_title,
        "scale": ys,
        "axis": {"format": ",.0f", "minExtent": Y_AXIS_WIDTH},
    }
    angle = (
        f"atan2(-(datum.cost2 - datum.cost) / {y1 - y0!r} * height, (datum.x2 - datum.x) / {x1 - x0!r} * width)"
        " * 180 / PI"
    )
    tips = [
        {"field": "step", "type": "quantitative", "title": "step"},
        {"field": "x2", "type": "quantitative", "title": "x", "format": ",.3f"},
        {"field": "cost2", "type": "quantitative", "title": "C(x)", "format": ",.2f"},
    ]
    layers = [
        {
            "data": {"name": "curve"},
            "mark": {"type": "line", "color": COLORS["objective"], "strokeWidth": 2.5},
            "encoding": {"x": x, "y": y},
        },
        {
            "data": {"values": [{"x": 5.0}]},
            "mark": {"type": "rule", "color": COLORS["optimum"], "strokeDash": [5, 4], "strokeWidth": 1.5},
            "encoding": {"x": {"field": "x", "type": "quantitative"}},
        },
        {
            "data": {"name": "segments"},
            "mark": {"type": "rule", "color": COLORS["current"], "strokeWidth": 2},
            "encoding": {
                "x": {"field": "x", "type": "quantitative"},
                "y": {"field": "cost", "type": "quantitative"},
                "x2": {"field": "x2"},
                "y2": {"field": "cost2"},
                "tooltip": tips,
            },
        },
        {
            "data": {"name": "segments"},
            "transform": [{"calculate": angle, "as": "angle"}],
            "mark": {
                "type": "point",
                "shape": "triangle-right",
                "filled": True,
                "size": 150,
                "color": COLORS["current"],
                "opacity": 1,
            },
            "encoding": {
                "x": {"field": "x2", "type": "quantitative"},
                "y": {"field": "cost2", "type": "quantitative"},
                "angle": {"field": "angle", "type": "quantitative", "scale": None},
                "tooltip": tips,
            },
        },
        {
            "data": {"name": "path"},
            "transform": [{"filter": "datum.step === 0"}],
            "mark": {"type": "point", "filled": True, "size": 110, "color": "#111827"},
            "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "cost", "type": "quantitative"}},
        },
        {
            "data": {"name": "path"},
            "transform": [{"filter": "datum.step <= 3"}],  # later steps crowd around x = 5
            "mark": {"type": "text", "dy": -14, "fontSize": 12, "fontWeight": "bold", "color": "#111827"},
            "encoding": {
                "x": {"field": "x", "type": "quantitative"},
                "y": {"field": "cost", "type": "quantitative"},
                "text": {"field": "step", "type": "quantitative"},
            },
        },
    ]
    return {
        "$schema": SCHEMA,
        "title": "Each step, in order (numbers: the first steps)",
        "height": height,
        "datasets": {
            "curve": pa.Table.from_pandas(curve[["x", "cost"]], preserve_index=False),
            "path": pa.Table.from_pandas(path[["step", "x", "cost"]], preserve_index=False),
            "segments": pa.Table.from_pandas(segs, preserve_index=False),
        },
        "layer": layers,
    }


def regions_chart(regions: pd.DataFrame, points: pd.DataFrame, *, classes: int, height: int = 320) -> dict:
    """Decision regions (the grid coloured by predicted class, fainter where the network is
    less sure) under the data points coloured by their true class.

    ``regions``: x1, x2, predicted, probability; ``points``: x1, x2, label.
    """
    names = [f"class {i}" for i in range(classes)]
    color = {
        "field": "class",
        "type": "nominal",
        "scale": {"domain": names, "range": CLASS_COLORS[:classes]},
        "legend": _legend(columns=min(classes, 3)),
    }
    grid = regions.assign(**{"class": "class " + regions.predicted.astype(int).astype(str)})
    dots = points.assign(**{"class": "class " + points.label.astype(int).astype(str)})
    xs = np.unique(grid.x1)
    ys = np.unique(grid.x2)
    dx = float(xs[1] - xs[0]) if len(xs) > 1 else 1.0
    dy = float(ys[1] - ys[0]) if len(ys) > 1 else 1.0
    grid = grid.assign(x1b=grid.x1 + dx, x2b=grid.x2 + dy)
    ax = {"nice": False, "zero": False}
    return {
        "$schema": SCHEMA,
        "title": "Decision regions (shade: how sure the network is) and the data",
        "height": height,
        "datasets": {
            "grid": pa.Table.from_pandas(
                grid[["x1", "x2", "x1b", "x2b", "class", "probability"]], preserve_index=False
            ),
            "points": pa.Table.from_pandas(dots[["x1", "x2", "class"]], preserve_index=False),
        },
        "layer": [
            {
                "data": {"name": "grid"},
                "mark": {"type": "rect", "strokeWidth": 0},
                "encoding": {
                    "x": {"field": "x1", "type": "quantitative", "title": "feature 1 (standardised)", "scale": ax},
                    "x2": {"field": "x1b"},
                    "y": {
                        "field": "x2",
                        "type": "quantitative",
                        "title": "feature 2",
                        "scale": ax,
                        "axis": {"minExtent": Y_AXIS_WIDTH},
                    },
                    "y2": {"field": "x2b"},
                    "color": color,
                    "opacity": {
                        "field": "probability",
                        "type": "quantitative",
                        "scale": {"domain": [0.5, 1], "range": [0.08, 0.45]},
                        "legend": None,
                    },
                },
            },
            {
                "data": {"name": "points"},
                "mark": {"type": "circle", "size": 28, "opacity": 0.95, "stroke": "white", "strokeWidth": 0.6},
                "encoding": {
                    "x": {"field": "x1", "type": "quantitative"},
                    "y": {"field": "x2", "type": "quantitative"},
                    "color": color,
                    "tooltip": [{"field": "class", "type": "nominal", "title": "true class"}],
                },
            },
        ],
    }


def norms_chart(table: pd.DataFrame, *, height: int = 260) -> dict:
    """‖∂loss/∂W‖ of every layer (integer x: 1 nearest the input) for each activation, log y."""
    names = list(dict.fromkeys(table.activation))
    layers = sorted(int(v) for v in set(table.layer))
    color = {
        "field": "activation",
        "type": "nominal",
        "scale": {"domain": names, "range": SERIES[: len(names)]},
        "legend": _legend(columns=3),
    }
    x = {
        "field": "layer",
        "type": "quantitative",
        "title": f"Layer (1 = nearest the input, {layers[-1]} = output)",
        "scale": {"domain": [layers[0], layers[-1]], "nice": False},
        "axis": {"values": layers, "format": "d"},
    }
    y = {
        "field": "grad_norm",
        "type": "quantitative",
        "title": "Gradient norm (log scale)",
        "scale": {"type": "log"},
        "axis": {"format": ".0e", "minExtent": Y_AXIS_WIDTH},
    }
    tips = [
        {"field": "activation", "type": "nominal", "title": " "},
        {"field": "layer", "type": "quantitative", "title": "layer"},
        {"field": "grad_norm", "type": "quantitative", "title": "gradient norm", "format": ".2e"},
    ]
    shown = table.assign(grad_norm=np.clip(table.grad_norm.to_numpy(dtype=float), 1e-300, None))
    return {
        "$schema": SCHEMA,
        "title": "‖∂loss/∂W‖ per layer at initialisation",
        "height": height,
        "datasets": {"norms": pa.Table.from_pandas(shown, preserve_index=False)},
        "layer": [
            {
                "data": {"name": "norms"},
                "mark": {"type": "line", "strokeWidth": 2.5},
                "encoding": {"x": x, "y": y, "color": color},
            },
            {
                "data": {"name": "norms"},
                "mark": {"type": "point", "filled": True, "size": 50, "opacity": 1},
                "encoding": {
                    "x": {"field": "layer", "type": "quantitative"},
                    "y": {"field": "grad_norm", "type": "quantitative"},
                    "color": color,
                    "tooltip": tips,
                },
            },
        ],
    }


def check_chart(curve: pd.DataFrame, thresholds: dict[str, float], *, mark_h: float = 1e-7, height: int = 300) -> dict:
    """Relative error of the gradient check against h (log-log), one line per dtype; filled
    dots pass, hollow dots fail; a dashed line at each dtype's pass threshold; a vertical
    line at ``mark_h``."""
    names = list(dict.fromkeys(curve.dtype))
    color = {
        "field": "dtype",
        "type": "nominal",
        "scale": {"domain": names, "range": [DTYPE_COLORS.get(n, "#111827") for n in names]},
        "legend": _legend(),
    }
    shown = curve.assign(
        rel_error=np.clip(curve.rel_error.to_numpy(dtype=float), 1e-17, None),
        result=np.where(curve.passes, "passes", "fails"),
    )
    x = {
        "field": "h",
        "type": "quantitative",
        "title": "step h (log scale)",
        "scale": {"type": "log"},
        "axis": {"format": ".0e"},
    }
    y = {
        "field": "rel_error",
        "type": "quantitative",
        "title": "relative error (log scale)",
        "scale": {"type": "log"},
        "axis": {"format": ".0e", "minExtent": Y_AXIS_WIDTH},
    }
    tips = [
        {"field": "dtype", "type": "nominal", "title": " "},
        {"field": "h", "type": "quantitative", "title": "h", "format": ".0e"},
        {"field": "rel_error", "type": "quantitative", "title": "relative error", "format": ".1e"},
        {"field": "result", "type": "nominal", "title": "check"},
    ]
    rules = [{"dtype": k, "threshold": float(v)} for k, v in thresholds.items() if k in names]
    return {
        "$schema": SCHEMA,
        "title": "Gradient check: centered difference against backprop",
        "height": height,
        "datasets": {
            "curve": pa.Table.from_pandas(shown[["dtype", "h", "rel_error", "result"]], preserve_index=False),
            "rules": pa.Table.from_pylist(
                rules, schema=pa.schema([("dtype", pa.string()), ("threshold", pa.float64())])
            ),
        },
        "layer": [
            {
                "data": {"values": [{"h": float(mark_h)}]},
                "mark": {"type": "rule", "color": "#6b7280", "strokeDash": [2, 3], "strokeWidth": 1.5},
                "encoding": {"x": {"field": "h", "type": "quantitative"}},
            },
            {
                "data": {"values": [{"h": float(mark_h), "label": f"h = {mark_h:.0e}"}]},
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "top",
                    "dx": 4,
                    "y": 2,
                    "fontSize": 12,
                    "color": "#374151",
                },
                "encoding": {
                    "x": {"field": "h", "type": "quantitative"},
                    "text": {"field": "label", "type": "nominal"},
                },
            },
            {
                "data": {"name": "rules"},
                "mark": {"type": "rule", "strokeDash": [6, 4], "strokeWidth": 1.5},
                "encoding": {"y": {"field": "threshold", "type": "quantitative"}, "color": color},
            },
            {
                "data": {"name": "curve"},
                "mark": {"type": "line", "strokeWidth": 2},
                "encoding": {"x": x, "y": y, "color": color},
            },
            *(
                {
                    "data": {"name": "curve"},
                    "transform": [{"filter": f"datum.result === '{result}'"}],
                    "mark": {"type": "point", "size": 60, "strokeWidth": 2, "opacity": 1, "filled": result == "passes"},
                    "encoding": {
                        "x": {"field": "h", "type": "quantitative"},
                        "y": {"field": "rel_error", "type": "quantitative"},
                        "color": color,
                        **({} if result == "passes" else {"fill": {"value": "white"}}),
                        "tooltip": tips,
                    },
                }
                for result in ("passes", "fails")
            ),
        ],
    }
