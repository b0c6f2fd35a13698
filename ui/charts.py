"""The one chart every page uses: the objective with its optimum and a tangent at the
user's current point, and under it the marginal (derivative) curve crossing zero at the
optimum. Plus a multi-line helper for pages that compare several curves."""

from __future__ import annotations

import math
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

__all__ = ["COLORS", "Marker", "lines_chart", "objective_chart", "show_objective"]

COLORS = {
    "objective": "#2563eb",
    "marginal": "#7c3aed",
    "optimum": "#dc2626",
    "current": "#ea580c",
    "zero": "#6b7280",
}
#: Half-width of the tangent segment, as a share of the x range.
TANGENT_HALF_WIDTH = 0.12
#: Pixels reserved for y-axis labels, equal on both charts so their x axes line up.
Y_AXIS_WIDTH = 64
#: Pixels for title and x axis around a chart's plotting area.
CHART_CHROME = 70


@dataclass(frozen=True)
class Marker:
    """A labelled point on a chart (the optimum, or the user's current choice)."""

    x: float
    y: float
    label: str


def _finite(m: Marker | None) -> bool:
    return m is not None and math.isfinite(m.x) and math.isfinite(m.y)


def _point(m: Marker, color: str, shape: str, x_title: str, y_title: str, fmt: tuple[str, str]):
    df = pd.DataFrame({"x": [m.x], "y": [m.y], "label": [m.label]})
    base = alt.Chart(df).encode(
        x="x:Q",
        y="y:Q",
        tooltip=[
            alt.Tooltip("label:N", title=" "),
            alt.Tooltip("x:Q", title=x_title, format=fmt[0]),
            alt.Tooltip("y:Q", title=y_title, format=fmt[1]),
        ],
    )
    return base.mark_point(size=140, filled=True, color=color, shape=shape, opacity=1)


def _label(m: Marker, color: str, lo: float, hi: float, dy: int):
    align = "right" if m.x > lo + 0.6 * (hi - lo) else "left"
    dx = -10 if align == "right" else 10
    df = pd.DataFrame({"x": [m.x], "y": [m.y], "label": [m.label]})
    return (
        alt.Chart(df)
        .mark_text(align=align, dx=dx, dy=dy, fontSize=13, fontWeight="bold", color=color)
        .encode(x="x:Q", y="y:Q", text="label:N")
    )


def objective_chart(
    curve: pd.DataFrame,
    *,
    x_title: str,
    y_title: str,
    marginal_title: str,
    optimum: Marker | None = None,
    current: Marker | None = None,
    current_slope: float | None = None,
    x_format: str = ",.2f",
    y_format: str = ",.2f",
    d_format: str = ",.3f",
    height: int = 300,
    marginal_height: int = 190,
) -> tuple[alt.LayerChart, alt.LayerChart]:
    """Objective over x (optimum marked, tangent at the current point) above its marginal.

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
    """
    lo, hi = float(curve["x"].min()), float(curve["x"].max())
    xscale = alt.Scale(domain=[lo, hi], nice=False, zero=False)
    x_enc = alt.X("x:Q", title=x_title, scale=xscale, axis=alt.Axis(format=x_format))
    tips = [
        alt.Tooltip("x:Q", title=x_title, format=x_format),
        alt.Tooltip("value:Q", title=y_title, format=y_format),
        alt.Tooltip("derivative:Q", title=marginal_title, format=d_format),
    ]
    base = alt.Chart(curve)
    line = base.mark_line(color=COLORS["objective"], strokeWidth=3).encode(
        x=x_enc,
        y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format=y_format, minExtent=Y_AXIS_WIDTH)),
    )
    hover = base.mark_point(opacity=0, size=80).encode(x="x:Q", y="value:Q", tooltip=tips)
    top = [line, hover]
    bottom = [
        alt.Chart(pd.DataFrame({"y": [0.0]}))
        .mark_rule(color=COLORS["zero"], strokeWidth=1.5)
        .encode(y="y:Q"),
        base.mark_line(color=COLORS["marginal"], strokeWidth=2.5).encode(
            x=x_enc,
            y=alt.Y(
                "derivative:Q",
                title=marginal_title,
                axis=alt.Axis(format=d_format, minExtent=Y_AXIS_WIDTH),
            ),
        ),
        base.mark_point(opacity=0, size=80).encode(x="x:Q", y="derivative:Q", tooltip=tips),
    ]
    fmt = (x_format, y_format)
    if _finite(optimum):
        rule = (
            alt.Chart(pd.DataFrame({"x": [optimum.x]}))
            .mark_rule(color=COLORS["optimum"], strokeDash=[5, 4], strokeWidth=1.5)
            .encode(x="x:Q")
        )
        top += [rule, _point(optimum, COLORS["optimum"], "diamond", x_title, y_title, fmt)]
        top.append(_label(optimum, COLORS["optimum"], lo, hi, dy=-14))
        zero = Marker(optimum.x, 0.0, "f′ = 0")
        bottom += [
            rule,
            _point(
                zero, COLORS["optimum"], "diamond", x_title, marginal_title, (x_format, d_format)
            ),
            _label(zero, COLORS["optimum"], lo, hi, dy=-12),
        ]
    if _finite(current) and lo <= current.x <= hi:
        top.append(_point(current, COLORS["current"], "circle", x_title, y_title, fmt))
        top.append(_label(current, COLORS["current"], lo, hi, dy=18))
        if current_slope is not None and math.isfinite(current_slope):
            top.append(_tangent(curve, current, current_slope, lo, hi))
            here = Marker(current.x, current_slope, "you are here")
            bottom.append(
                _point(
                    here, COLORS["current"], "circle", x_title, marginal_title, (x_format, d_format)
                )
            )
    # Two charts, not a vconcat: a concatenated chart does not stretch to the column width.
    # Equal y-axis widths (minExtent) keep their x axes aligned.
    upper = alt.layer(*top).properties(height=height, title="Objective")
    lower = alt.layer(*bottom).properties(height=marginal_height, title="Marginal (derivative)")
    return upper, lower


def show_objective(curve: pd.DataFrame, **kwargs) -> None:
    """Render :func:`objective_chart` full width: the objective above its marginal."""
    for chart in objective_chart(curve, **kwargs):
        st.altair_chart(chart, width="stretch", height=chart.height + CHART_CHROME)


def _tangent(curve: pd.DataFrame, at: Marker, slope: float, lo: float, hi: float):
    """Tangent segment at the current point, short enough to stay inside the y range."""
    y_span = float(curve["value"].max() - curve["value"].min()) or 1.0
    w = TANGENT_HALF_WIDTH * (hi - lo)
    if slope != 0:
        w = min(w, 0.3 * y_span / abs(slope))
    xs = np.clip([at.x - w, at.x + w], lo, hi)
    df = pd.DataFrame({"x": xs, "y": at.y + slope * (xs - at.x)})
    return (
        alt.Chart(df)
        .mark_line(color=COLORS["current"], strokeDash=[6, 3], strokeWidth=2)
        .encode(x="x:Q", y="y:Q")
    )


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
    stacked_area: bool = False,
    dashed: tuple[str, ...] = (),
) -> alt.LayerChart:
    """Several named curves in one chart (long format), with an optional optimum marker."""
    scale = alt.Scale(type="log") if log_x else alt.Scale(zero=False, nice=False)
    enc = {
        "x": alt.X(f"{x}:Q", title=x_title, scale=scale, axis=alt.Axis(format=x_format)),
        "y": alt.Y(
            f"{y}:Q", title=y_title, axis=alt.Axis(format=y_format), stack=stacked_area or None
        ),
        "color": alt.Color(f"{series}:N", title=None, legend=alt.Legend(orient="top")),
        "tooltip": [
            alt.Tooltip(f"{series}:N", title=" "),
            alt.Tooltip(f"{x}:Q", title=x_title, format=x_format),
            alt.Tooltip(f"{y}:Q", title=y_title, format=y_format),
        ],
    }
    base = alt.Chart(data)
    if stacked_area:
        layers = [base.mark_area(opacity=0.8).encode(**enc)]
    else:
        enc["strokeDash"] = alt.condition(
            alt.FieldOneOfPredicate(field=series, oneOf=list(dashed)),
            alt.value([6, 4]),
            alt.value([1, 0]),
        )
        layers = [base.mark_line(strokeWidth=2.5).encode(**enc)]
    layers.append(
        base.mark_point(opacity=0, size=80).encode(
            x=f"{x}:Q", y=alt.Y(f"{y}:Q", stack=stacked_area or None), tooltip=enc["tooltip"]
        )
    )
    if _finite(optimum):
        lo, hi = float(data[x].min()), float(data[x].max())
        layers += [
            alt.Chart(pd.DataFrame({"x": [optimum.x]}))
            .mark_rule(color=COLORS["optimum"], strokeDash=[5, 4], strokeWidth=1.5)
            .encode(x="x:Q"),
            _point(optimum, COLORS["optimum"], "diamond", x_title, y_title, (x_format, y_format)),
            _label(optimum, COLORS["optimum"], lo, hi, dy=-14),
        ]
    return alt.layer(*layers).properties(height=height, title=title)
