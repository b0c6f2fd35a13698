"""The one chart every page uses: the objective with its optimum and a tangent at the
user's current point, and under it the marginal (derivative) curve crossing zero at the
optimum. Plus helpers for several named curves and for data with fitted curves.

Charts are Vega-Lite specs built as plain dicts (the grammar Altair emits) and drawn with
``st.vega_lite_chart``. Building the same two layered charts through Altair's object model
and schema validation cost about 140 ms per rerun on this machine, against under 1 ms
here: every slider move redraws them, so the difference is the page's whole latency budget.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

__all__ = ["COLORS", "Marker", "fit_chart", "lines_chart", "objective_chart", "show", "show_objective"]

COLORS = {
    "objective": "#2563eb",
    "marginal": "#7c3aed",
    "optimum": "#dc2626",
    "current": "#ea580c",
    "zero": "#6b7280",
    "critical": "#111827",
}
#: A palette for named series (colour-blind safe: Tableau 10).
SERIES = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7"]
#: Half-width of the tangent segment, as a share of the x range.
TANGENT_HALF_WIDTH = 0.12
#: Pixels reserved for y-axis labels, equal on both charts so their x axes line up.
Y_AXIS_WIDTH = 64
#: Pixels for title and x axis around a chart's plotting area.
CHART_CHROME = 95
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


@dataclass(frozen=True)
class Marker:
    """A labelled point on a chart (the optimum, or the user's current choice)."""

    x: float
    y: float
    label: str
    #: For the optimum: Optimum.at_boundary (None: judged by x being an end of the curve).
    at_boundary: bool | None = None


def _finite(m: Marker | None) -> bool:
    return m is not None and math.isfinite(m.x) and math.isfinite(m.y)


def _records(df: pd.DataFrame) -> list[dict]:
    """JSON-safe rows: NaN and inf become null (Vega leaves a gap)."""
    clean = df.replace([np.inf, -np.inf], np.nan).astype(object).where(df.notna(), None)
    return clean.to_dict("records")


def _wrap(title: str, width: int = 26) -> str | list[str]:
    """Split a long axis title over two lines: a rotated y title longer than the plot is tall
    makes Vega grow the chart upward, and Streamlit's box then clips the chart's title."""
    if len(title) <= width:
        return title
    cut = title.rfind(" ", 0, len(title) // 2 + 6)
    return [title[:cut], title[cut + 1 :]] if cut > 0 else title


def _q(field: str, title: str | None = None, fmt: str | None = None, **extra) -> dict:
    enc = {"field": field, "type": "quantitative", **extra}
    if title is not None:
        enc["title"] = title
    if fmt:
        enc.setdefault("axis", {})["format"] = fmt
    return enc


def _tip(field: str, title: str, fmt: str | None = None, kind: str = "quantitative") -> dict:
    tip = {"field": field, "type": kind, "title": title}
    if fmt:
        tip["format"] = fmt
    return tip


def _role(m: Marker, role: str, lo: float, hi: float) -> dict:
    """One row of the ``marks`` dataset; the role picks the layers that draw it."""
    side = "right" if m.x > lo + 0.6 * (hi - lo) else "left"
    return {"x": float(m.x), "y": float(m.y), "label": m.label, "role": role, "side": side}


def _only(role: str, side: str | None = None) -> list[dict]:
    test = f"datum.role === '{role}'" + (f" && datum.side === '{side}'" if side else "")
    return [{"filter": test}]


def _dot_layer(
    role: str, color: str, shape: str, titles: tuple[str, str], fmts: tuple[str, str], size: int = 140
) -> dict:
    return {
        "data": {"name": "marks"},
        "transform": _only(role),
        "mark": {"type": "point", "filled": True, "size": size, "color": color, "shape": shape, "opacity": 1},
        "encoding": {
            "x": _q("x"),
            "y": _q("y"),
            "tooltip": [
                _tip("label", " ", kind="nominal"),
                _tip("x", titles[0], fmts[0]),
                _tip("y", titles[1], fmts[1]),
            ],
        },
    }


def _text_layers(role: str, color: str, dy: int) -> list[dict]:
    """The marker's label, left of it near the right edge and right of it elsewhere."""
    return [
        {
            "data": {"name": "marks"},
            "transform": _only(role, side),
            "mark": {
                "type": "text",
                "align": side,
                "dx": -10 if side == "right" else 10,
                "dy": dy,
                "fontSize": 13,
                "fontWeight": "bold",
                "color": color,
            },
            "encoding": {"x": _q("x"), "y": _q("y"), "text": {"field": "label", "type": "nominal"}},
        }
        for side in ("left", "right")
    ]


def _vline_layer(role: str) -> dict:
    return {
        "data": {"name": "marks"},
        "transform": _only(role),
        "mark": {"type": "rule", "color": COLORS["optimum"], "strokeDash": [5, 4], "strokeWidth": 1.5},
        "encoding": {"x": _q("x")},
    }


def _tangent_rows(curve: pd.DataFrame, at: Marker, slope: float, lo: float, hi: float) -> list[dict]:
    """Tangent segment at the current point, short enough to stay inside the y range."""
    y_span = float(curve["value"].max() - curve["value"].min()) or 1.0
    w = TANGENT_HALF_WIDTH * (hi - lo)
    if slope != 0:
        w = min(w, 0.3 * y_span / abs(slope))
    xs = np.clip([at.x - w, at.x + w], lo, hi)
    return [{"x": float(x), "y": float(at.y + slope * (x - at.x))} for x in xs]


_MARK_SCHEMA = pa.schema(
    [("x", pa.float64()), ("y", pa.float64()), ("label", pa.string()), ("role", pa.string()), ("side", pa.string())]
)


def _marks(rows: list[dict]) -> pa.Table:
    """The marks dataset with a fixed schema, even when empty.

    Datasets are handed to Streamlit as Arrow tables: it would convert pandas frames to
    Arrow on every rerun anyway, and building them directly is ~20x cheaper.
    """
    return pa.Table.from_pylist(rows, schema=_MARK_SCHEMA)


def _curve_table(curve: pd.DataFrame) -> pa.Table:
    return pa.table({c: np.asarray(curve[c], dtype=float) for c in ("x", "value", "derivative")})


def objective_chart(
    curve: pd.DataFrame,
    *,
    x_title: str,
    y_title: str,
    marginal_title: str,
    optimum: Marker | None = None,
    current: Marker | None = None,
    current_slope: float | None = None,
    points: tuple[Marker, ...] = (),
    x_format: str = ",.2f",
    y_format: str = ",.2f",
    d_format: str = ",.3f",
    height: int = 300,
    marginal_height: int = 190,
) -> tuple[dict, dict]:
    """Objective over x (optimum marked, tangent at the current point) and its marginal.

    Parameters
    ----------
    curve : DataFrame
        Columns ``x``, ``value``, ``derivative`` (``optimizers.marginal_curve``).
    x_title, y_title, marginal_title : str
        Axis titles, with units ("Price ($)", "Weekly profit ($)", "$ per $1").
    optimum, current : Marker, optional
        Where the optimum is, and the user's current choice (its y is the objective).
    current_slope : float, optional
        f' at the current point: draws the tangent line and the point on the marginal chart.
    points : tuple of Marker
        Other critical points (x, f(x)): small dots on the objective and at f' = 0 below.

    Returns
    -------
    (objective spec, marginal spec) as Vega-Lite dicts, drawn one above the other with
    equal y-axis widths so that their x axes line up. Their data sit in three named
    datasets each (``curve``, ``marks``, ``tangent``); the layers select marks by role.
    """
    lo, hi = float(curve["x"].min()), float(curve["x"].max())
    x_enc = _q("x", x_title, x_format, scale={"nice": False, "zero": False})
    tips = [
        _tip("x", x_title, x_format),
        _tip("value", y_title, y_format),
        _tip("derivative", marginal_title, d_format),
    ]
    top_marks, bottom_marks, tangent = [], [], []
    for p in points:
        if _finite(p):
            top_marks.append(_role(p, "critical", lo, hi))
            bottom_marks.append(_role(Marker(p.x, 0.0, p.label), "critical", lo, hi))
    if _finite(optimum):
        top_marks.append(_role(optimum, "optimum", lo, hi))
        # f' is 0 at an interior optimum; at an optimum on the boundary it need not be
        slope = float(np.interp(optimum.x, curve["x"], curve["derivative"]))
        edge = optimum.at_boundary if optimum.at_boundary is not None else optimum.x in (lo, hi)
        if not edge or not math.isfinite(slope):
            bottom_marks.append(_role(Marker(optimum.x, 0.0, "f′ = 0"), "optimum", lo, hi))
        else:
            bottom_marks.append(_role(Marker(optimum.x, slope, f"f′ = {slope:.3g} (boundary)"), "optimum", lo, hi))
    if _finite(current) and lo <= current.x <= hi:
        top_marks.append(_role(current, "current", lo, hi))
        if current_slope is not None and math.isfinite(current_slope):
            tangent = _tangent_rows(curve, current, current_slope, lo, hi)
            bottom_marks.append(_role(Marker(current.x, current_slope, "you are here"), "current", lo, hi))
    curve_ref = {"name": "curve"}
    top = [
        {
            "data": curve_ref,
            "mark": {"type": "line", "color": COLORS["objective"], "strokeWidth": 3},
            "encoding": {"x": x_enc, "y": _q("value", _wrap(y_title), y_format, axis={"minExtent": Y_AXIS_WIDTH})},
        },
        {
            "data": curve_ref,
            "mark": {"type": "point", "opacity": 0, "size": 80},
            "encoding": {"x": _q("x"), "y": _q("value"), "tooltip": tips},
        },
        _dot_layer("critical", COLORS["critical"], "circle", (x_title, y_title), (x_format, y_format), size=70),
        _vline_layer("optimum"),
        _dot_layer("optimum", COLORS["optimum"], "diamond", (x_title, y_title), (x_format, y_format)),
        *_text_layers("optimum", COLORS["optimum"], -14),
        {
            "data": {"name": "tangent"},
            "mark": {"type": "line", "color": COLORS["current"], "strokeDash": [6, 3], "strokeWidth": 2},
            "encoding": {"x": _q("x"), "y": _q("y")},
        },
        _dot_layer("current", COLORS["current"], "circle", (x_title, y_title), (x_format, y_format)),
        *_text_layers("current", COLORS["current"], 18),
    ]
    bottom = [
        {
            "data": {"values": [{"y": 0.0}]},
            "mark": {"type": "rule", "color": COLORS["zero"], "strokeWidth": 1.5},
            "encoding": {"y": _q("y")},
        },
        {
            "data": curve_ref,
            "mark": {"type": "line", "color": COLORS["marginal"], "strokeWidth": 2.5},
            "encoding": {
                "x": x_enc,
                "y": _q("derivative", _wrap(marginal_title), d_format, axis={"minExtent": Y_AXIS_WIDTH}),
            },
        },
        {
            "data": curve_ref,
            "mark": {"type": "point", "opacity": 0, "size": 80},
            "encoding": {"x": _q("x"), "y": _q("derivative"), "tooltip": tips},
        },
        _dot_layer("critical", COLORS["critical"], "circle", (x_title, marginal_title), (x_format, d_format), size=70),
        _vline_layer("optimum"),
        _dot_layer("optimum", COLORS["optimum"], "diamond", (x_title, marginal_title), (x_format, d_format)),
        *_text_layers("optimum", COLORS["optimum"], -12),
        _dot_layer("current", COLORS["current"], "circle", (x_title, marginal_title), (x_format, d_format)),
    ]
    data = _curve_table(curve)
    tangent_df = pa.Table.from_pylist(tangent, schema=pa.schema([("x", pa.float64()), ("y", pa.float64())]))
    upper = {
        "$schema": SCHEMA,
        "title": "Objective",
        "height": height,
        "datasets": {"curve": data, "marks": _marks(top_marks), "tangent": tangent_df},
        "layer": top,
    }
    lower = {
        "$schema": SCHEMA,
        "title": "Marginal (derivative)",
        "height": marginal_height,
        "datasets": {"curve": data, "marks": _marks(bottom_marks)},
        "layer": bottom,
    }
    return upper, lower


def show(spec: dict) -> None:
    """Draw one spec at the column's full width and its own height."""
    st.vega_lite_chart(spec, width="stretch", height=spec.get("height", 300) + CHART_CHROME)


def show_objective(curve: pd.DataFrame, **kwargs) -> None:
    """Render :func:`objective_chart`: the objective above its marginal."""
    for spec in objective_chart(curve, **kwargs):
        show(spec)


def _color(series: str, names: list[str], colors: dict[str, str] | None) -> dict:
    palette = [(colors or {}).get(n, SERIES[i % len(SERIES)]) for i, n in enumerate(names)]
    return {
        "field": series,
        "type": "nominal",
        "title": None,
        "scale": {"domain": names, "range": palette},
        "legend": {"orient": "top", "labelLimit": 400},
    }


def lines_chart(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    x_title: str,
    y_title: str,
    optimum: Marker | None = None,
    x_format: str = ",.2f",
    y_format: str = ",.2f",
    height: int = 300,
    title: str = "",
    log_x: bool = False,
    log_y: bool = False,
    stacked_area: bool = False,
    dashed: tuple[str, ...] = (),
    colors: dict[str, str] | None = None,
    points: pd.DataFrame | None = None,
    rule_y: float | None = None,
    markers: tuple[Marker, ...] = (),
    band: tuple[float, float] | None = None,
) -> dict:
    """Several named curves (long format: one row per x and series) in one chart.

    ``dashed`` series are drawn dashed; ``points`` (same columns) are drawn as dots;
    ``rule_y`` draws a horizontal reference line; ``optimum`` and ``markers`` mark points
    with a dashed vertical line and a label; ``band`` shades an x range.
    """
    names = list(dict.fromkeys(data[series].tolist()))
    x_enc = _q(x, x_title, x_format, scale={"type": "log"} if log_x else {"zero": False, "nice": False})
    y_enc = _q(
        y,
        _wrap(y_title),
        y_format,
        scale={"type": "log"} if log_y else {"zero": False},
        axis={"minExtent": Y_AXIS_WIDTH},
    )
    tips = [_tip(series, " ", kind="nominal"), _tip(x, x_title, x_format), _tip(y, y_title, y_format)]
    if stacked_area:
        y_enc["stack"] = "zero"
        mark = {"type": "area", "opacity": 0.85, "line": True}
    else:
        y_enc["stack"] = None
        mark = {"type": "line", "strokeWidth": 2.5}
    enc = {"x": x_enc, "y": y_enc, "color": _color(series, names, colors), "tooltip": tips}
    if dashed and not stacked_area:
        enc["strokeDash"] = {
            "condition": {"test": {"field": series, "oneOf": list(dashed)}, "value": [6, 4]},
            "value": [1, 0],
        }
    layers = [
        {"data": {"name": "lines"}, "mark": mark, "encoding": enc},
        {
            "data": {"name": "lines"},
            "mark": {"type": "point", "opacity": 0, "size": 80},
            "encoding": {"x": _q(x), "y": {**_q(y), "stack": "zero" if stacked_area else None}, "tooltip": tips},
        },
    ]
    if band is not None and all(map(math.isfinite, band)):
        layers.insert(
            0,
            {
                "data": {"values": [{"x0": float(band[0]), "x1": float(band[1])}]},
                "mark": {"type": "rect", "color": "#16a34a", "opacity": 0.12},
                "encoding": {"x": _q("x0"), "x2": {"field": "x1"}},
            },
        )
    if rule_y is not None:
        layers.insert(
            0,
            {
                "data": {"values": [{"y": rule_y}]},
                "mark": {"type": "rule", "color": COLORS["zero"], "strokeWidth": 1.5},
                "encoding": {"y": _q("y")},
            },
        )
    if points is not None and len(points):
        layers.append(
            {
                "data": {"values": _records(points)},
                "mark": {"type": "circle", "size": 90, "opacity": 0.9},
                "encoding": {"x": _q(x), "y": _q(y), "color": _color(series, names, colors), "tooltip": tips},
            }
        )
    lo, hi = float(data[x].min()), float(data[x].max())
    marks = [_role(m, "optimum", lo, hi) for m in (optimum, *markers) if _finite(m)]
    layers += [
        _vline_layer("optimum"),
        _dot_layer("optimum", COLORS["optimum"], "diamond", (x_title, y_title), (x_format, y_format)),
        *_text_layers("optimum", COLORS["optimum"], -14),
    ]
    spec = {
        "$schema": SCHEMA,
        "height": height,
        "datasets": {"lines": pa.Table.from_pandas(data, preserve_index=False), "marks": _marks(marks)},
        "layer": layers,
    }
    if title:
        spec["title"] = title
    return spec


def fit_chart(
    points: pd.DataFrame,
    lines: pd.DataFrame,
    *,
    x: str,
    y: str,
    x_title: str,
    y_title: str,
    height: int = 280,
) -> dict:
    """Observed points (black dots) with fitted curves (``lines`` has a ``fit`` column)."""
    dots = {
        "data": {"values": _records(points[[x, y]])},
        "mark": {"type": "circle", "size": 90, "color": "#111827", "opacity": 0.85},
        "encoding": {
            "x": _q(x, x_title, scale={"zero": False}),
            "y": _q(y, y_title, scale={"zero": False}),
            "tooltip": [_tip(x, x_title), _tip(y, y_title)],
        },
    }
    curves = {
        "data": {"values": _records(lines)},
        "mark": {"type": "line", "strokeWidth": 2.5},
        "encoding": {
            "x": _q(x),
            "y": _q(y),
            "color": {
                **_color("fit", list(dict.fromkeys(lines["fit"].tolist())), None),
                "legend": {"orient": "top", "columns": 1, "labelLimit": 600},
            },
            "tooltip": [_tip("fit", " ", kind="nominal"), _tip(x, x_title, ",.2f"), _tip(y, y_title, ",.1f")],
        },
    }
    return {
        "$schema": SCHEMA,
        "title": "Your data and the fits",
        "height": height,
        "layer": [curves, dots],
    }
