"""Charts of the learning-rate finder and the neural-network page, declared in Altair
like ui/charts.py's: a frozen row per shape, its spec built once (``charts.render``),
the data attached as named datasets on every rerun, scale domains computed in the
browser from those datasets, theme colour names only.

The shapes ``ui.charts`` does not draw: a range test whose suggestions sit in the legend
(labels on the plot overlapped, and were cut off on a phone), a path drawn in order with
arrows, decision regions under the data, and a gradient check against h with the pass
threshold of each precision. Drawn with :func:`ui.charts.show`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa

from ui.charts import COLORS, SERIES, Y_AXIS_WIDTH, Row, Spec, _title, _value, render

__all__ = ["check_chart", "norms_chart", "path_chart", "range_test_chart", "regions_chart"]

#: Colours of the suggestion rules (the first is the headline suggestion's).
RULE_COLORS = {"minimum/10": "red", "valley": "green", "steepest": "orange"}
#: Colours of the classes of the decision-regions chart, in order.
CLASS_COLORS = SERIES
DTYPE_COLORS = {"float64": "blue", "float32": "orange"}


def _legend(columns: int = 1, **extra) -> alt.Legend:
    # A legend above the plot, one entry per row by default: nothing runs off a 390 px screen,
    # and no label can overlap another. The plot keeps its height (charts.AUTOSIZE).
    return alt.Legend(orient="top", columns=columns, labelLimit=300, symbolStrokeWidth=3, title=None, **extra)


def _q(field: str, **kw) -> alt.X | alt.Y:
    return {"field": field, "type": "quantitative", **kw}


def _log_ticks(domain: str) -> alt.ExprRef:
    """About one tick per power of ten over a log scale's domain (no minor grid lines)."""
    return alt.ExprRef(f"max(2, ceil(log({domain}[1] / {domain}[0]) / LN10))")


@dataclass(frozen=True)
class RangeTestRow(Row):
    """Raw and smoothed loss against a log learning rate; a dashed rule per suggestion, named
    with its value in the legend (the names are the shape's: they go in the scale; the legend
    reads each label, value included, from the marks data, so a new value is not a new spec)."""

    names: tuple[str, ...]
    palette: tuple[str, ...]
    title: str
    subtitle: str = ""
    height: int = 280
    x_title: str | None = "Learning rate (log scale)"
    x_format: str = ".0e"
    log_x: bool = True
    roles: tuple[str, ...] = ("lines", "marks")

    def x_sources(self):
        return (("lines", "lr"),)

    def y_sources(self):
        return (("lines", "loss"),)

    def chart_title(self):
        return _title(self.title, self.subtitle or None)

    def layers(self, at):
        # A rule's legend entry is its marks row's label ("valley: 4.45e-02"), looked up by name:
        # the rate is data, so the spec (and the compiled view) stays the same when it moves.
        names, labels = (f"pluck(data('{at.name('marks')}'), '{c}')" for c in ("curve", "label"))
        label = f"indexof({names}, datum.label) < 0 ? datum.label : {labels}[indexof({names}, datum.label)]"
        color = alt.Color(
            field="curve",
            type="nominal",
            scale=alt.Scale(domain=list(self.names), range=list(self.palette)),
            legend=_legend(labelExpr=label),
        )
        x = _q(
            "lr",
            title=self.x_title,
            scale=alt.Scale(type="log", domain=alt.ExprRef("x_domain"), nice=False),
            axis=alt.Axis(format=".0e", tickCount=_log_ticks("x_domain")),
        )
        y = _q(
            "loss",
            title="Training loss",
            scale=alt.Scale(zero=False, domain=alt.ExprRef("y_domain"), nice=False),
            axis=alt.Axis(format=".2f", minExtent=Y_AXIS_WIDTH),
        )
        tips = [
            alt.Tooltip(field="curve", type="nominal", title=" "),
            alt.Tooltip(field="lr", type="quantitative", title="rate", format=".2e"),
            alt.Tooltip(field="loss", type="quantitative", title="loss", format=".3f"),
        ]
        lines = alt.Chart(at.data("lines")).encode(x=x, y=y)
        return [
            lines.mark_line(strokeWidth=2.5).encode(color=color),
            lines.mark_point(opacity=0, size=80).encode(tooltip=tips),
            alt.Chart(at.data("marks"))
            .mark_rule(strokeDash=[6, 4], strokeWidth=2)
            .encode(
                x=_q("lr", scale=alt.Scale(type="log", domain=alt.ExprRef("x_domain"), nice=False)),
                color=color,
                tooltip=[alt.Tooltip(field="label", type="nominal", title="suggestion")],
            ),
        ]


def range_test_chart(
    table: pd.DataFrame,
    suggestions: dict[str, float | None],
    *,
    title: str,
    subtitle: str = "",
    height: int = 280,
) -> Spec:
    """Raw and smoothed loss against lr (log x), a dashed vertical line per suggestion.

    ``table`` has lr, raw_loss, smoothed_loss; ``suggestions`` maps a rule to its rate (the
    values the page's metrics show), named with its value in the legend. The legend reads
    the labels from the marks data, so the spec depends only on which rules are drawn and moving
    a slider swaps data (issue 23: the values in the scale made a new spec, rebuilt and
    recompiled, on every step).

    Examples
    --------
    >>> t = pd.DataFrame({"lr": [1e-3, 1e-2, 1e-1], "raw_loss": [1.0, 0.8, 2.0], "smoothed_loss": [1.0, 0.9, 1.5]})
    >>> spec = range_test_chart(t, {"valley": 1e-2, "steepest": None}, title="Range test")
    >>> spec["layer"][0]["encoding"]["color"]["scale"]["domain"]
    ['raw loss', 'smoothed loss', 'valley']
    >>> spec["datasets"]["marks"].to_pylist()
    [{'lr': 0.01, 'curve': 'valley', 'label': 'valley: 1.00e-02'}]
    """
    lr = np.asarray(table.lr, dtype=float)
    curve = np.repeat(["raw loss", "smoothed loss"], len(lr))
    lines = pa.table(
        {
            "lr": np.concatenate([lr, lr]),
            "loss": np.concatenate([np.asarray(table.raw_loss, float), np.asarray(table.smoothed_loss, float)]),
            "curve": curve.tolist(),
        }
    )
    shown = [(k, float(v)) for k, v in suggestions.items() if v is not None and math.isfinite(v)]
    marks = [{"lr": v, "curve": k, "label": f"{k}: {v:.2e}"} for k, v in shown]
    names = ("raw loss", "smoothed loss", *(m["curve"] for m in marks))
    palette = ("gray", "blue", *(RULE_COLORS.get(m["curve"], "gray") for m in marks))
    schema = pa.schema([("lr", pa.float64()), ("curve", pa.string()), ("label", pa.string())])
    marks_table = pa.Table.from_pylist(marks, schema=schema)
    row = RangeTestRow(names, palette, title, subtitle, height)
    return render((row, {"lines": lines, "marks": marks_table}))


@dataclass(frozen=True)
class PathRow(Row):
    """C(x) with the gradient-descent path step by step, the optimum's dashed line."""

    x_title: str | None
    y_title: str
    height: int = 260
    x_floor: float = 0.0
    x_format: str = ",.0f"
    roles: tuple[str, ...] = ("curve", "path", "segments", "marks")

    def x_sources(self):
        return (("curve", "x"), ("path", "x"))

    def y_sources(self):
        return (("curve", "cost"), ("path", "cost"))

    def chart_title(self):
        return _title("Each step, in order (numbers: the first steps)")

    def layers(self, at):
        # The x axis starts at the floor (no negative ad spend); its end comes from the data.
        xs = alt.Scale(domain=[self.x_floor, alt.ExprRef("x_domain[1]")], nice=False, zero=False)
        ys = alt.Scale(domain=alt.ExprRef("y_domain"), nice=False, zero=False)
        x = _q("x", title=self.x_title, scale=xs, axis=alt.Axis(format=",.0f", tickMinStep=1))
        y = _q("cost", title=self.y_title, scale=ys, axis=alt.Axis(format=",.0f", minExtent=Y_AXIS_WIDTH))
        # Arrowheads rotated in screen space: each segment's angle from the plot's size and
        # the domains (signals), so it stays right when the chart is resized.
        angle = (
            "atan2(-(datum.cost2 - datum.cost) / (y_domain[1] - y_domain[0]) * height, "
            f"(datum.x2 - datum.x) / (x_domain[1] - {self.x_floor!r}) * width) * 180 / PI"
        )
        tips = [
            alt.Tooltip(field="step", type="quantitative", title="step"),
            alt.Tooltip(field="x2", type="quantitative", title="x", format=",.3f"),
            alt.Tooltip(field="cost2", type="quantitative", title="C(x)", format=",.2f"),
        ]
        segments = alt.Chart(at.data("segments"))
        path = alt.Chart(at.data("path")).encode(x=_q("x", scale=xs), y=_q("cost", scale=ys))
        return [
            alt.Chart(at.data("curve")).mark_line(strokeWidth=2.5).encode(x=x, y=y, color=_value(COLORS["objective"])),
            alt.Chart(at.data("marks"))
            .mark_rule(strokeDash=[5, 4], strokeWidth=1.5)
            .encode(x=_q("x", scale=xs), color=_value(COLORS["optimum"])),
            segments.mark_rule(strokeWidth=2).encode(
                x=_q("x", scale=xs),
                y=_q("cost", scale=ys),
                x2="x2:Q",
                y2="cost2:Q",
                color=_value(COLORS["current"]),
                tooltip=tips,
            ),
            segments.mark_point(shape="triangle-right", filled=True, size=150, opacity=1)
            .encode(
                x=_q("x2", scale=xs),
                y=_q("cost2", scale=ys),
                angle=alt.Angle(field="angle", type="quantitative", scale=None),
                color=_value(COLORS["current"]),
                tooltip=tips,
            )
            .transform_calculate(angle=angle),
            path.mark_point(filled=True, size=110, opacity=1)
            .encode(color=_value("gray"))
            .transform_filter("datum.step === 0"),
            # later steps crowd around the optimum: number the first ones
            path.mark_text(dy=-14, fontSize=12, fontWeight="bold")
            .encode(text=alt.Text("step:Q"), color=_value("gray"))
            .transform_filter("datum.step <= 3"),
        ]


def path_chart(
    curve: pd.DataFrame,
    path: pd.DataFrame,
    *,
    x_title: str,
    y_title: str,
    height: int = 260,
    optimum: float | None = None,
    x_floor: float = 0.0,
) -> Spec:
    """C(x) with the gradient-descent path drawn step by step: a segment from each point to
    the next and an arrowhead where it lands, numbered in order, and a dashed line at the
    ``optimum`` (none when it is not given). ``curve`` has x, cost; ``path`` has step, x,
    cost. The x axis starts at ``x_floor`` and ends where the data end.

    Examples
    --------
    >>> curve = pd.DataFrame({"x": [0.0, 5.0, 10.0], "cost": [100.0, 75.0, 100.0]})
    >>> path = pd.DataFrame({"step": [0, 1], "x": [0.0, 7.5], "cost": [100.0, 81.25]})
    >>> spec = path_chart(curve, path, x_title="x", y_title="C(x)", optimum=5.0)
    >>> spec["datasets"]["marks"].to_pylist(), spec["layer"][0]["encoding"]["x"]["scale"]["domain"][0]
    ([{'x': 5.0}], 0.0)
    """
    segs = pa.table(
        {
            "step": path.step.to_numpy()[1:],
            "x": np.asarray(path.x, float)[:-1],
            "cost": np.asarray(path.cost, float)[:-1],
            "x2": np.asarray(path.x, float)[1:],
            "cost2": np.asarray(path.cost, float)[1:],
        }
    )
    shown = optimum is not None and math.isfinite(optimum)
    marks = pa.table({"x": pa.array([float(optimum)] if shown else [], pa.float64())})
    tables = {
        "curve": pa.Table.from_pandas(curve[["x", "cost"]], preserve_index=False),
        "path": pa.Table.from_pandas(path[["step", "x", "cost"]], preserve_index=False),
        "segments": segs,
        "marks": marks,
    }
    return render((PathRow(x_title, y_title, height, float(x_floor)), tables))


@dataclass(frozen=True)
class RegionsRow(Row):
    """Decision regions under the data points, coloured by class."""

    classes: int
    height: int = 320
    x_title: str | None = "feature 1 (standardised)"
    x_format: str = ",.1f"
    roles: tuple[str, ...] = ("grid", "points")

    def x_sources(self):
        return (("grid", "x1"), ("grid", "x1b"), ("points", "x1"))

    def y_sources(self):
        return (("grid", "x2"), ("grid", "x2b"), ("points", "x2"))

    def chart_title(self):
        return _title("Decision regions (shade: how sure the network is) and the data")

    def layers(self, at):
        names = [f"class {i}" for i in range(self.classes)]
        palette = [CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(self.classes)]
        color = alt.Color(
            field="class",
            type="nominal",
            scale=alt.Scale(domain=names, range=palette),
            legend=_legend(columns=min(self.classes, 3)),
        )
        xs = alt.Scale(domain=alt.ExprRef("x_domain"), nice=False, zero=False)
        ys = alt.Scale(domain=alt.ExprRef("y_domain"), nice=False, zero=False)
        return [
            alt.Chart(at.data("grid"))
            .mark_rect(strokeWidth=0)
            .encode(
                x=_q("x1", title=self.x_title, scale=xs),
                x2="x1b:Q",
                y=_q("x2", title="feature 2", scale=ys, axis=alt.Axis(minExtent=Y_AXIS_WIDTH)),
                y2="x2b:Q",
                color=color,
                opacity=alt.Opacity(
                    field="probability",
                    type="quantitative",
                    scale=alt.Scale(domain=[0.5, 1], range=[0.08, 0.45]),
                    legend=None,
                ),
            ),
            alt.Chart(at.data("points"))
            .mark_circle(size=28, opacity=0.95)
            .encode(
                x=_q("x1", scale=xs),
                y=_q("x2", scale=ys),
                color=color,
                tooltip=[alt.Tooltip(field="class", type="nominal", title="true class")],
            ),
        ]


def regions_chart(regions: pd.DataFrame, points: pd.DataFrame, *, classes: int, height: int = 320) -> Spec:
    """Decision regions (the grid coloured by predicted class, fainter where the network is
    less sure) under the data points coloured by their true class.

    ``regions``: x1, x2, predicted, probability; ``points``: x1, x2, label. Drawn as SVG
    (Streamlit would pick canvas for this many marks): the browser tests measure it.

    Examples
    --------
    >>> g = pd.DataFrame({"x1": [0.0, 1.0], "x2": [0.0, 0.0], "predicted": [0, 1], "probability": [0.9, 0.6]})
    >>> p = pd.DataFrame({"x1": [0.2], "x2": [0.1], "label": [1]})
    >>> spec = regions_chart(g, p, classes=2)
    >>> spec["datasets"]["grid"].column("class").to_pylist(), spec["usermeta"]["embedOptions"]["renderer"]
    (['class 0', 'class 1'], 'svg')
    """
    x1 = np.asarray(regions.x1, float)
    x2 = np.asarray(regions.x2, float)
    xs, ys = np.unique(x1), np.unique(x2)
    dx = float(xs[1] - xs[0]) if len(xs) > 1 else 1.0
    dy = float(ys[1] - ys[0]) if len(ys) > 1 else 1.0
    grid = pa.table(
        {
            "x1": x1,
            "x2": x2,
            "x1b": x1 + dx,
            "x2b": x2 + dy,
            "class": ["class " + str(int(v)) for v in regions.predicted],
            "probability": np.asarray(regions.probability, float),
        }
    )
    dots = pa.table(
        {
            "x1": np.asarray(points.x1, float),
            "x2": np.asarray(points.x2, float),
            "class": ["class " + str(int(v)) for v in points.label],
        }
    )
    spec = render((RegionsRow(int(classes), height), {"grid": grid, "points": dots}))
    spec["usermeta"] = {"embedOptions": {"renderer": "svg"}}
    return spec


@dataclass(frozen=True)
class NormsRow(Row):
    """‖∂loss/∂W‖ per layer (integer x), one line per activation, log y."""

    names: tuple[str, ...]
    height: int = 260
    x_title: str | None = "Layer (1 = nearest the input)"
    x_format: str = "d"
    log_y: bool = True
    roles: tuple[str, ...] = ("norms",)

    def x_sources(self):
        return (("norms", "layer"),)

    def y_sources(self):
        return (("norms", "grad_norm"),)

    def chart_title(self):
        return _title("‖∂loss/∂W‖ per layer at initialisation")

    def layers(self, at):
        color = alt.Color(
            field="activation",
            type="nominal",
            scale=alt.Scale(domain=list(self.names), range=[SERIES[i % len(SERIES)] for i in range(len(self.names))]),
            legend=_legend(columns=3),
        )
        x = _q(
            "layer",
            title=self.x_title,
            scale=alt.Scale(domain=alt.ExprRef("x_domain"), nice=False, zero=False),
            axis=alt.Axis(format="d", tickMinStep=1),
        )
        y = _q(
            "grad_norm",
            title="Gradient norm (log scale)",
            scale=alt.Scale(type="log", domain=alt.ExprRef("y_domain"), nice=False),
            axis=alt.Axis(format=".0e", minExtent=Y_AXIS_WIDTH, tickCount=_log_ticks("y_domain")),
        )
        tips = [
            alt.Tooltip(field="activation", type="nominal", title=" "),
            alt.Tooltip(field="layer", type="quantitative", title="layer"),
            alt.Tooltip(field="grad_norm", type="quantitative", title="gradient norm", format=".2e"),
        ]
        base = alt.Chart(at.data("norms")).encode(x=x, y=y, color=color)
        return [
            base.mark_line(strokeWidth=2.5),
            base.mark_point(filled=True, size=50, opacity=1).encode(tooltip=tips),
        ]


def norms_chart(table: pd.DataFrame, *, height: int = 260) -> Spec:
    """‖∂loss/∂W‖ of every layer (integer x: 1 nearest the input) for each activation, log y.

    Examples
    --------
    >>> t = pd.DataFrame({"activation": ["relu", "relu"], "layer": [1, 2], "grad_norm": [0.5, 0.0]})
    >>> norms_chart(t)["datasets"]["norms"].column("grad_norm").to_pylist()  # 0 cannot be drawn on log y
    [0.5, 1e-300]
    """
    names = tuple(dict.fromkeys(table.activation))
    last = int(max(table.layer)) if len(table) else 1
    shown = table.assign(grad_norm=np.clip(table.grad_norm.to_numpy(dtype=float), 1e-300, None))
    row = NormsRow(names, height, f"Layer (1 = nearest the input, {last} = output)")
    return render((row, {"norms": pa.Table.from_pandas(shown, preserve_index=False)}))


@dataclass(frozen=True)
class CheckRow(Row):
    """Relative error of the gradient check against h (log-log), one line per dtype."""

    names: tuple[str, ...]
    palette: tuple[str, ...]
    height: int = 300
    x_title: str | None = "step h (log scale)"
    x_format: str = ".0e"
    log_x: bool = True
    log_y: bool = True
    roles: tuple[str, ...] = ("curve", "rules", "marks")

    def x_sources(self):
        return (("curve", "h"), ("marks", "h"))

    def y_sources(self):
        return (("curve", "rel_error"), ("rules", "threshold"))

    def chart_title(self):
        return _title("Gradient check: centered difference against backprop")

    def layers(self, at):
        color = alt.Color(
            field="dtype",
            type="nominal",
            scale=alt.Scale(domain=list(self.names), range=list(self.palette)),
            legend=_legend(),
        )
        xs = alt.Scale(type="log", domain=alt.ExprRef("x_domain"), nice=False)
        ys = alt.Scale(type="log", domain=alt.ExprRef("y_domain"), nice=False)
        x = _q("h", title=self.x_title, scale=xs, axis=alt.Axis(format=".0e", tickCount=_log_ticks("x_domain")))
        y = _q(
            "rel_error",
            title="relative error (log scale)",
            scale=ys,
            axis=alt.Axis(format=".0e", minExtent=Y_AXIS_WIDTH, tickCount=_log_ticks("y_domain")),
        )
        tips = [
            alt.Tooltip(field="dtype", type="nominal", title=" "),
            alt.Tooltip(field="h", type="quantitative", title="h", format=".0e"),
            alt.Tooltip(field="rel_error", type="quantitative", title="relative error", format=".1e"),
            alt.Tooltip(field="result", type="nominal", title="check"),
        ]
        marks = alt.Chart(at.data("marks")).encode(x=_q("h", scale=xs))
        curve = alt.Chart(at.data("curve")).encode(x=x, y=y, color=color)
        return [
            marks.mark_rule(strokeDash=[2, 3], strokeWidth=1.5).encode(color=_value("gray")),
            marks.mark_text(align="left", baseline="top", dx=4, y=2, fontSize=12).encode(
                text=alt.Text("label:N"), color=_value("gray")
            ),
            alt.Chart(at.data("rules"))
            .mark_rule(strokeDash=[6, 4], strokeWidth=1.5)
            .encode(y=_q("threshold", scale=ys), color=color),
            curve.mark_line(strokeWidth=2),
            # filled dots pass, hollow dots fail
            curve.mark_point(size=60, strokeWidth=2, opacity=1, filled=True)
            .encode(tooltip=tips)
            .transform_filter("datum.result === 'passes'"),
            curve.mark_point(size=60, strokeWidth=2, opacity=1, filled=False)
            .encode(tooltip=tips)
            .transform_filter("datum.result === 'fails'"),
        ]


def check_chart(curve: pd.DataFrame, thresholds: dict[str, float], *, mark_h: float = 1e-7, height: int = 300) -> Spec:
    """Relative error of the gradient check against h (log-log), one line per dtype; filled
    dots pass, hollow dots fail; a dashed line at each dtype's pass threshold; a vertical
    line at ``mark_h``.

    Examples
    --------
    >>> c = pd.DataFrame({"dtype": ["float64"] * 2, "h": [1e-7, 1e-3], "rel_error": [1e-9, 1e-5],
    ...                   "passes": [True, False]})
    >>> spec = check_chart(c, {"float64": 1e-6, "float32": 1e-3})
    >>> spec["datasets"]["rules"].to_pylist(), spec["datasets"]["marks"].column("label").to_pylist()
    ([{'dtype': 'float64', 'threshold': 1e-06}], ['h = 1e-07'])
    """
    names = tuple(dict.fromkeys(curve.dtype))
    palette = tuple(DTYPE_COLORS.get(n, "gray") for n in names)
    shown = pa.table(
        {
            "dtype": [str(v) for v in curve.dtype],
            "h": np.asarray(curve.h, float),
            "rel_error": np.clip(np.asarray(curve.rel_error, float), 1e-17, None),
            "result": np.where(np.asarray(curve.passes, bool), "passes", "fails").tolist(),
        }
    )
    rules = [{"dtype": k, "threshold": float(v)} for k, v in thresholds.items() if k in names]
    tables = {
        "curve": shown,
        "rules": pa.Table.from_pylist(rules, schema=pa.schema([("dtype", pa.string()), ("threshold", pa.float64())])),
        "marks": pa.table({"h": [float(mark_h)], "label": [f"h = {mark_h:.0e}"]}),
    }
    return render((CheckRow(names, palette, height), tables))
