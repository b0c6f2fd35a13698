"""The one chart every page uses: the objective with its optimum and a tangent at the
user's current point, and under it the marginal (derivative) curve crossing zero at the
optimum, as ONE chart whose rows share the x axis. Plus helpers for several named curves,
for data with fitted curves, and :func:`stack` to put any of them under one another.

How the specs are built, and why
--------------------------------
Charts are Vega-Lite specs built as plain dicts and drawn with ``st.vega_lite_chart``.
Altair was re-measured with ``runner.postScriptGC = false`` (README, *Speed of a page*):
building Pricing's objective + marginal chart as Altair objects and calling
``to_dict(validate=False)`` took 520–590 ms of CPU per rerun (1,080 ms through
``alt.vconcat(...).add_params(...)``; 830–880 ms validated) against 2.5–3.5 ms for these
dicts, the same output. Altair deep-copies every sub-chart when layers are combined and
parameters lifted, and still validates each encoding channel. On the Study page the
Altair build made a key press 10.7x the floor against 1.8x with the dicts (same run). The
rule was "Altair if it costs at most 10% more": it costs about 150x, so dicts it is.

- **Data lives in named datasets** (``curve``, ``marks``, ``lines``, ...), handed over as
  Arrow tables. The spec text does not depend on the data, so a slider move sends new data
  and the browser swaps it into the live chart instead of compiling a new one.
- **Scale domains come from the data, in the browser** (a Vega expression over the named
  datasets, see :func:`_domain_params`). No scale has to derive a domain from a layer
  that may be empty (no optimum, no tangent), which is what logged "Infinite extent"
  warnings, and the spec stays the same when the data move.
- **Rows line up**: the y axes have a fixed width (labels only; each row says what its y
  is in its title), so every row's plot starts and ends at the same pixel; the scales are
  padded by a few pixels so a point on the edge is never half cut off.
- **Theme colours**: colours are Streamlit's colour names (``blue``, ``red``, ...) which
  the ``streamlit`` chart theme maps to the light or dark palette.
"""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

__all__ = [
    "COLORS",
    "Marker",
    "fit_chart",
    "lines_chart",
    "objective_chart",
    "objective_spec",
    "show",
    "show_objective",
    "stack",
]

#: Streamlit colour names: the chart theme turns them into the light or the dark palette.
COLORS = {
    "objective": "blue",
    "marginal": "violet",
    "optimum": "red",
    "current": "orange",
    "zero": "gray",
    "critical": "gray",
}
#: A palette for named series (colour-blind safe: Tableau 10, readable on light and dark).
SERIES = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7"]
#: Colours pages passed before the charts followed the theme, and the theme colour now used.
THEMED = {
    "#2563eb": "blue",
    "#7c3aed": "violet",
    "#dc2626": "red",
    "#ea580c": "orange",
    "#16a34a": "green",
    "#6b7280": "gray",
    "#111827": "gray",
    "#94a3b8": "gray",
    "#cbd5e1": "gray",
}
#: Half-width of the tangent segment, as a share of the x range.
TANGENT_HALF_WIDTH = 0.12
#: Pixels for y-axis labels, the same on every chart so that stacked rows line up.
Y_AXIS_WIDTH = 64
#: Pixels added on each side of a scale's data so that a point on the edge is drawn whole.
EDGE_PADDING = 10
#: Longest chart title line before it wraps (a 390 px phone shows about 45 characters).
TITLE_WRAP = 44
#: Widest legend row in pixels, so that a legend fits a 390 px phone.
LEGEND_WIDTH = 300
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
#: Fit the width to the column, keep each plot's own height. Streamlit's default for a
#: single view ("fit" both ways) squeezes the plot into a fixed box, and for a
#: concatenation it sets every row to the column's width: fitting that to the *content*
#: (not Streamlit's "padding") makes Vega take the y axis off the rows' width.
AUTOSIZE = {"type": "fit-x", "contains": "content"}
#: Room above the first title (its glyphs reach above Vega's estimate of the text box); no
#: padding left or right, which would push a chart fitted to its content past the column.
PADDING = {"top": 6, "left": 0, "right": 0}


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


def _column(values) -> np.ndarray:
    """Floats with inf turned into NaN: Vega leaves a gap and ignores it in a domain."""
    a = np.asarray(values, dtype=float)
    return np.where(np.isfinite(a), a, np.nan)


def _table(df: pd.DataFrame) -> pa.Table:
    """An Arrow table of a frame, numeric columns as finite-or-NaN floats.

    Datasets are handed to Streamlit as Arrow tables: it would convert pandas frames to
    Arrow on every rerun anyway, and building them directly is ~20x cheaper.
    """
    cols = {}
    for c in df.columns:
        s = df[c]
        cols[str(c)] = _column(s) if pd.api.types.is_numeric_dtype(s) else pa.array(s.astype(str).tolist())
    return pa.table(cols)


def _wrap(text: str, width: int = TITLE_WRAP) -> str | list[str]:
    """Split a long title over lines of at most ``width`` characters (at spaces)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[0] if len(lines) == 1 else lines


def _title(text: str, subtitle: str | None = None) -> dict:
    title = {"text": _wrap(text), "anchor": "start", "frame": "bounds", "offset": 10}
    if subtitle:
        title.update(subtitle=_wrap(subtitle), subtitleFontSize=13, subtitlePadding=3)
    return title


def _theme(color: str) -> str:
    return THEMED.get(color.lower(), color)


def _q(field: str, **extra) -> dict:
    return {"field": field, "type": "quantitative", **extra}


def _tip(field: str, title: str, fmt: str | None = None, kind: str = "quantitative") -> dict:
    tip = {"field": field, "type": kind, "title": title}
    if fmt:
        tip["format"] = fmt
    return tip


# -- scale domains, computed in the browser from the named datasets ------------------------


def _extent_expr(sources: Iterable[tuple[str, str]], extra: Iterable[float] = ()) -> str:
    """A Vega expression for [min, max] over dataset fields and constants, skipping
    null/NaN (``extent`` does); [undefined, undefined] when there is nothing."""
    parts = []
    for name, field in sources:
        e = f"extent(pluck(data('{name}'), '{field}'))"
        parts += [f"{e}[0]", f"{e}[1]"]
    parts += [repr(float(v)) for v in extra]
    return f"extent([{', '.join(parts)}])"


def _safe_domain(raw: str, log: bool = False) -> str:
    """A usable domain from a raw extent parameter: a default when it is empty, widened
    when it is a single value (a flat curve)."""
    if log:
        return (
            f"isValid({raw}[0]) && {raw}[0] > 0 ? ({raw}[0] < {raw}[1] ? {raw} : [{raw}[0] / 10, {raw}[1] * 10])"
            " : [1, 10]"
        )
    return (
        f"isValid({raw}[0]) ? ({raw}[0] < {raw}[1] ? {raw} : "
        f"[{raw}[0] - max(1, abs({raw}[0])), {raw}[1] + max(1, abs({raw}[1]))]) : [0, 1]"
    )


def _domain_params(x_raw: str, y_raw: str, log_x: bool = False, log_y: bool = False) -> list[dict]:
    return [
        {"name": "x_raw", "expr": x_raw},
        {"name": "x_domain", "expr": _safe_domain("x_raw", log_x)},
        {"name": "y_raw", "expr": y_raw},
        {"name": "y_domain", "expr": _safe_domain("y_raw", log_y)},
    ]


def _x_enc(field: str, title: str | None, fmt: str, log: bool = False) -> dict:
    scale = {"domain": {"expr": "x_domain"}, "padding": EDGE_PADDING, "nice": False}
    if log:
        scale["type"] = "log"
    else:
        scale["zero"] = False
    axis = {"title": title, "format": fmt, "labelFlush": True, "labelOverlap": True}
    if log:
        axis["tickCount"] = 5  # powers of ten only: no grid line for every 2..9 multiple
    return _q(field, scale=scale, axis=axis)


def _y_enc(field: str, fmt: str, log: bool = False, **extra) -> dict:
    scale = {"domain": {"expr": "y_domain"}, "padding": EDGE_PADDING, "nice": False}
    if log:
        scale["type"] = "log"
    else:
        scale["zero"] = False
    axis = {
        "title": None,
        "format": fmt,
        "minExtent": Y_AXIS_WIDTH,
        "maxExtent": Y_AXIS_WIDTH,
        "labelLimit": Y_AXIS_WIDTH - 6,
        "labelOverlap": True,
    }
    return _q(field, scale=scale, axis=axis, **extra)


# -- marker layers: one small `marks` dataset, drawn by role --------------------------------


#: How each role's marker is drawn: colour, shape, size, label offset (px, up is negative).
MARKER_STYLE = {
    "critical": (COLORS["critical"], "circle", 70, None),
    "optimum": (COLORS["optimum"], "diamond", 140, -14),
    "current": (COLORS["current"], "circle", 140, 18),
}


def _marker_layers(marks: str, x: dict, y_field: str, y: dict, tips: list, label: str = "label") -> list[dict]:
    """Dashed line at the optimum, a dot per marker, and its label placed toward the
    middle of the chart (left of the point on the right half, right of it elsewhere).

    One layer per role with plain colour values (a colour *scale* would clash with a
    chart's series colours, and Streamlit maps colour names in values to the theme)."""
    x, y = {**x, "field": "x"}, {**y, "field": y_field}
    layers = [
        {
            "data": {"name": marks},
            "transform": [{"filter": "datum.role === 'optimum'"}],
            "mark": {"type": "rule", "strokeDash": [5, 4], "strokeWidth": 1.5},
            "encoding": {"x": x, "color": {"value": COLORS["optimum"]}},
        }
    ]
    for role, (color, shape, size, dy) in MARKER_STYLE.items():
        layers.append(
            {
                "data": {"name": marks},
                "transform": [{"filter": f"datum.role === '{role}'"}],
                "mark": {"type": "point", "filled": True, "opacity": 1, "shape": shape, "size": size},
                "encoding": {"x": x, "y": y, "color": {"value": color}, "tooltip": tips},
            }
        )
        if dy is not None:
            layers.append(
                {
                    "data": {"name": marks},
                    "transform": [{"filter": f"datum.role === '{role}' && datum.{label}"}],
                    "mark": {
                        "type": "text",
                        "fontSize": 13,
                        "fontWeight": "bold",
                        "align": {"expr": "datum.side === 'right' ? 'right' : 'left'"},
                        "dx": {"expr": "datum.side === 'right' ? -10 : 10"},
                        "dy": {"expr": f"{dy} - 15 * datum.level"} if dy < 0 else dy,
                    },
                    "encoding": {"x": x, "y": y, "text": {"field": label}, "color": {"value": color}},
                }
            )
    return layers


_MARK_SCHEMA = pa.schema(
    [
        ("x", pa.float64()),
        ("y", pa.float64()),
        ("d", pa.float64()),
        ("label", pa.string()),
        ("d_label", pa.string()),
        ("role", pa.string()),
        ("side", pa.string()),
        ("level", pa.float64()),
        ("t_x0", pa.float64()),
        ("t_x1", pa.float64()),
        ("t_y0", pa.float64()),
        ("t_y1", pa.float64()),
    ]
)


def _mark_row(m: Marker, role: str, lo: float, hi: float, *, log: bool = False, **extra) -> dict:
    if log and min(m.x, lo, hi) > 0:
        m_x, lo, hi = math.log10(m.x), math.log10(lo), math.log10(hi)
    else:
        m_x = m.x
    side = "right" if m_x > lo + 0.5 * (hi - lo) else "left"
    return {"x": float(m.x), "y": float(m.y), "label": m.label, "role": role, "side": side, "level": 0.0, **extra}


#: Plot width assumed when deciding whether two marker labels would overprint (a phone's).
LABEL_PLOT_WIDTH = 300


def _levels(rows: list[dict], lo: float, hi: float, log: bool = False) -> list[dict]:
    """Raise the labels of markers that sit closer together than a label is wide (on a
    phone-wide plot over ``lo``..``hi``) to different heights, so their texts do not
    overprint each other."""

    def pos(x: float) -> float:
        return math.log10(max(x, 1e-300)) if log else x

    span = (pos(hi) - pos(lo)) or 1.0
    ordered = sorted(rows, key=lambda r: r["x"])
    for prev, row in itertools.pairwise(ordered):
        gap_px = (pos(row["x"]) - pos(prev["x"])) / span * LABEL_PLOT_WIDTH
        near = gap_px < 7 * max(len(prev["label"]), len(row["label"])) + 12
        row["level"] = prev["level"] + 1.0 if near and prev["level"] < 2 else 0.0
    return rows


def _marks(rows: list[dict]) -> pa.Table:
    """The marks dataset with a fixed schema, even when empty."""
    return pa.Table.from_pylist(rows, schema=_MARK_SCHEMA)


def _tangent(curve: pd.DataFrame, at: Marker, slope: float, lo: float, hi: float) -> dict:
    """Ends of the tangent segment at the current point, short enough to stay in the y range."""
    values = _column(curve["value"])
    y_span = float(np.nanmax(values) - np.nanmin(values)) if np.isfinite(values).any() else 1.0
    w = TANGENT_HALF_WIDTH * (hi - lo)
    if slope != 0 and y_span > 0:
        w = min(w, 0.3 * y_span / abs(slope))
    x0, x1 = (float(v) for v in np.clip([at.x - w, at.x + w], lo, hi))
    return {"t_x0": x0, "t_x1": x1, "t_y0": at.y + slope * (x0 - at.x), "t_y1": at.y + slope * (x1 - at.x)}


def _objective_rows(
    curve: pd.DataFrame,
    *,
    x_title: str,
    y_title: str,
    marginal_title: str,
    optimum: Marker | None,
    current: Marker | None,
    current_slope: float | None,
    points: tuple[Marker, ...],
    x_format: str,
    y_format: str,
    d_format: str,
    height: int,
    marginal_height: int,
) -> tuple[dict, dict, dict]:
    """The objective and marginal rows (layers, title, height) and their datasets."""
    xs = _column(curve["x"]) if len(curve) else np.array([0.0, 1.0])
    lo, hi = float(np.nanmin(xs)), float(np.nanmax(xs))
    rows = []
    for p in points:
        if _finite(p):
            rows.append(_mark_row(p, "critical", lo, hi, d=0.0, d_label=""))
    if _finite(optimum):
        # f' is 0 at an interior optimum; at one on the boundary it need not be. Where the
        # optimum is comes from the engine (Optimum.at_boundary), never from reading the grid.
        edge = optimum.at_boundary if optimum.at_boundary is not None else optimum.x in (lo, hi)
        slope = float(np.interp(optimum.x, xs, _column(curve["derivative"]))) if edge and len(curve) else 0.0
        slope = slope if math.isfinite(slope) else 0.0
        d_label = f"f′ = {slope:.3g} (boundary)" if slope != 0 else "f′ = 0"
        rows.append(_mark_row(optimum, "optimum", lo, hi, d=slope, d_label=d_label))
    if _finite(current) and lo <= current.x <= hi:
        extra = {"d": None, "d_label": ""}
        if current_slope is not None and math.isfinite(current_slope):
            extra = {"d": float(current_slope), "d_label": "", **_tangent(curve, current, current_slope, lo, hi)}
        rows.append(_mark_row(current, "current", lo, hi, **extra))
    datasets = {
        "curve": pa.table({c: _column(curve[c]) for c in ("x", "value", "derivative")}),
        "marks": _marks(rows),
    }
    tips = [
        _tip("x", x_title, x_format),
        _tip("value", y_title, y_format),
        _tip("derivative", marginal_title, d_format),
    ]
    mark_tips = [_tip("label", " ", kind="nominal"), _tip("x", x_title, x_format), _tip("y", y_title, y_format)]
    d_tips = [_tip("d_label", " ", kind="nominal"), _tip("x", x_title, x_format), _tip("d", marginal_title, d_format)]
    x_top = _x_enc("x", None, x_format)
    x_bottom = _x_enc("x", x_title, x_format)
    y_top = _y_enc("value", y_format)
    y_bottom = _y_enc("derivative", d_format)
    top = {
        "title": _title("Objective", y_title),
        "height": height,
        "layer": [
            {
                "data": {"name": "curve"},
                "mark": {"type": "line", "strokeWidth": 3},
                "encoding": {"x": x_top, "y": y_top, "color": {"value": COLORS["objective"]}},
            },
            {
                "data": {"name": "curve"},
                "mark": {"type": "point", "opacity": 0, "size": 80},
                "encoding": {"x": x_top, "y": y_top, "tooltip": tips},
            },
            {
                "data": {"name": "marks"},
                "transform": [{"filter": "datum.role === 'current' && isValid(datum.t_x0)"}],
                "mark": {"type": "rule", "strokeDash": [6, 3], "strokeWidth": 2, "clip": True},
                "encoding": {
                    "x": {**x_top, "field": "t_x0"},
                    "x2": {"field": "t_x1"},
                    "y": {**y_top, "field": "t_y0"},
                    "y2": {"field": "t_y1"},
                    "color": {"value": COLORS["current"]},
                },
            },
            *_marker_layers("marks", x_top, "y", y_top, mark_tips),
        ],
    }
    bottom = {
        "title": _title("Marginal (derivative)", marginal_title),
        "height": marginal_height,
        "layer": [
            {
                "data": {"values": [{"zero": 0.0}]},
                "mark": {"type": "rule", "strokeWidth": 1.5},
                "encoding": {"y": {**y_bottom, "field": "zero"}, "color": {"value": COLORS["zero"]}},
            },
            {
                "data": {"name": "curve"},
                "mark": {"type": "line", "strokeWidth": 2.5},
                "encoding": {"x": x_bottom, "y": y_bottom, "color": {"value": COLORS["marginal"]}},
            },
            {
                "data": {"name": "curve"},
                "mark": {"type": "point", "opacity": 0, "size": 80},
                "encoding": {"x": x_bottom, "y": y_bottom, "tooltip": tips},
            },
            *_marker_layers("marks", x_bottom, "d", y_bottom, d_tips, label="d_label"),
        ],
    }
    x_raw = _extent_expr([("curve", "x")])
    top_params = _domain_params(x_raw, _extent_expr([("curve", "value")]))
    bottom_params = _domain_params(x_raw, _extent_expr([("curve", "derivative"), ("marks", "d")], extra=[0.0]))
    return _spec(top, datasets, top_params), _spec(bottom, datasets, bottom_params), datasets


def _spec(row: dict, datasets: dict, params: list[dict]) -> dict:
    used = {layer["data"]["name"] for layer in row["layer"] if "name" in layer.get("data", {})}
    return {
        "$schema": SCHEMA,
        "params": params,
        "datasets": {k: v for k, v in datasets.items() if k in used},
        "autosize": AUTOSIZE,
        "padding": PADDING,
        **row,
    }


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
    (objective spec, marginal spec) as Vega-Lite dicts over the same ``curve`` and
    ``marks`` datasets. :func:`objective_spec` (and :func:`stack`) puts them in one chart.

    Examples
    --------
    >>> from optimizers import pricing as pr
    >>> r = pr.analyse(pr.linear_demand(1300, 10), 20, 50)
    >>> top, bottom = objective_chart(r.curve, x_title="Price ($)", y_title="Profit ($)",
    ...     marginal_title="$ per $1", optimum=Marker(75.0, 30250.0, "optimum $75"))
    >>> top["datasets"]["marks"].to_pylist()[0]["y"]
    30250.0
    """
    top, bottom, _ = _objective_rows(
        curve,
        x_title=x_title,
        y_title=y_title,
        marginal_title=marginal_title,
        optimum=optimum,
        current=current,
        current_slope=current_slope,
        points=points,
        x_format=x_format,
        y_format=y_format,
        d_format=d_format,
        height=height,
        marginal_height=marginal_height,
    )
    return top, bottom


def objective_spec(curve: pd.DataFrame, **kwargs) -> dict:
    """:func:`objective_chart` as one chart: the objective above its marginal, sharing
    the x axis pixel for pixel and one copy of the data."""
    return stack(*objective_chart(curve, **kwargs))


def stack(*specs: dict) -> dict:
    """Put charts made here under one another as one Vega-Lite chart with one x axis.

    The rows share their datasets (one copy when two rows use the same table; a dataset
    name used by two rows for different tables is renamed in the second), the x domain is
    the union of the rows' x data, and only the last row keeps its x-axis title when
    all rows have the same one.

    Examples
    --------
    >>> from optimizers import pricing as pr
    >>> r = pr.analyse(pr.linear_demand(1300, 10), 20, 50)
    >>> spec = stack(*objective_chart(r.curve, x_title="Price ($)", y_title="Profit ($)",
    ...     marginal_title="$ per $1"))
    >>> len(spec["vconcat"]), sorted(spec["datasets"])
    (2, ['curve', 'marks'])
    """
    if len(specs) == 1:
        return specs[0]
    datasets: dict[str, pa.Table] = {}
    params: list[dict] = []
    rows: list[dict] = []
    x_parts = []
    log_x = False
    for i, spec in enumerate(specs):
        spec = copy.deepcopy({k: v for k, v in spec.items() if k != "datasets"})
        renames = {}
        for name, table in specs[i]["datasets"].items():
            new = name
            if name in datasets and datasets[name] is not table:
                new = f"{name}_{i}"
                renames[name] = new
            datasets[new] = table
        row_params = {p["name"]: p["expr"] for p in spec.pop("params")}
        for old, new in renames.items():
            row_params = {k: v.replace(f"data('{old}')", f"data('{new}')") for k, v in row_params.items()}
        params += [
            {"name": f"y_raw_{i}", "expr": row_params["y_raw"]},
            {"name": f"y_domain_{i}", "expr": row_params["y_domain"].replace("y_raw", f"y_raw_{i}")},
        ]
        x_parts.append(row_params["x_raw"])
        log_x = log_x or any(
            layer.get("encoding", {}).get("x", {}).get("scale", {}).get("type") == "log" for layer in spec["layer"]
        )
        for layer in spec["layer"]:
            data = layer.get("data", {})
            if data.get("name") in renames:
                data["name"] = renames[data["name"]]
            for enc in layer.get("encoding", {}).values():
                domain = enc.get("scale", {}).get("domain") if isinstance(enc, dict) else None
                if isinstance(domain, dict) and domain.get("expr") == "y_domain":
                    enc["scale"]["domain"] = {"expr": f"y_domain_{i}"}
        for top_level_only in ("$schema", "autosize", "padding"):
            spec.pop(top_level_only, None)
        rows.append(spec)
    last_x = next(layer["encoding"]["x"] for layer in rows[-1]["layer"] if "x" in layer.get("encoding", {}))
    for row in rows[:-1]:  # one x axis: the same tick format everywhere
        for layer in row["layer"]:
            x = layer.get("encoding", {}).get("x")
            if x and "axis" in x:
                x["axis"] = {**x["axis"], "format": last_x["axis"]["format"]}
    if len({t for r in rows for t in _x_titles(r) if t}) == 1:
        for row in rows[:-1]:
            for layer in row["layer"]:
                x = layer.get("encoding", {}).get("x")
                if x and "axis" in x:
                    x["axis"] = {**x["axis"], "title": None}
    x_raw = "extent([" + ", ".join(f"({p})[0], ({p})[1]" for p in x_parts) + "])"
    params = [
        {"name": "x_raw", "expr": x_raw},
        {"name": "x_domain", "expr": _safe_domain("x_raw", log_x)},
        *params,
    ]
    return {
        "$schema": SCHEMA,
        "params": params,
        "datasets": datasets,
        "vconcat": rows,
        "spacing": 18,
        "autosize": AUTOSIZE,
        "padding": PADDING,
        "resolve": {"scale": {"x": "shared", "y": "independent", "color": "independent"}},
    }


def _x_titles(row: dict) -> list:
    return [layer["encoding"]["x"].get("axis", {}).get("title") for layer in row["layer"] if "x" in layer["encoding"]]


def show(spec: dict) -> None:
    """Draw one spec (a chart made here, or several stacked) at the column's full width.

    A spec without its own padding (ui/nn_charts.py's) gets :data:`PADDING`, so that its
    title's glyphs are not cut off at the top.
    """
    st.vega_lite_chart({"padding": PADDING, **spec}, width="stretch")


def show_objective(curve: pd.DataFrame, **kwargs) -> None:
    """Render :func:`objective_spec`: the objective above its marginal, as one chart."""
    show(objective_spec(curve, **kwargs))


# -- several named curves -------------------------------------------------------------------


def _legend(names: list[str]) -> dict:
    """Legend under the chart, in as many columns as fit a phone's width."""
    widths = [6 * len(n) + 26 for n in names]  # 11 px labels, symbol and column gap
    columns = len(names)
    while columns > 1 and max(sum(widths[i : i + columns]) for i in range(0, len(widths), columns)) > LEGEND_WIDTH:
        columns -= 1
    return {"orient": "bottom", "direction": "horizontal", "columns": columns, "labelLimit": LEGEND_WIDTH - 34}


def _color(series: str, names: list[str], colors: dict[str, str] | None) -> dict:
    palette = [_theme((colors or {}).get(n, SERIES[i % len(SERIES)])) for i, n in enumerate(names)]
    return {
        "field": series,
        "type": "nominal",
        "title": None,
        "scale": {"domain": names, "range": palette},
        "legend": _legend(names),
    }


def _stack_bounds(data: pd.DataFrame, x: str, y: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-row top and bottom of a zero-based stack (positives up, negatives down)."""
    v = _column(data[y])
    pos = pd.Series(np.where(v > 0, v, 0.0)).groupby(data[x].to_numpy()).transform("sum").to_numpy()
    neg = pd.Series(np.where(v < 0, v, 0.0)).groupby(data[x].to_numpy()).transform("sum").to_numpy()
    return pos, neg


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
    with a dashed vertical line and a label; ``band`` shades an x range. ``colors`` maps
    series to Streamlit colour names (which follow the light/dark theme) or CSS colours.

    Examples
    --------
    >>> df = pd.DataFrame({"t": [0.0, 1.0, 0.0, 1.0], "v": [1.0, 2.0, 3.0, 1.0], "s": ["a", "a", "b", "b"]})
    >>> spec = lines_chart(df, x="t", y="v", series="s", x_title="t", y_title="v")
    >>> spec["datasets"]["lines"].num_rows, spec["layer"][0]["encoding"]["color"]["scale"]["domain"]
    (4, ['a', 'b'])
    """
    names = list(dict.fromkeys(data[series].tolist()))
    x_enc = _x_enc(x, x_title, x_format, log_x)
    y_enc = _y_enc(y, y_format, log_y, stack="zero" if stacked_area else None)
    tips = [_tip(series, " ", kind="nominal"), _tip(x, x_title, x_format), _tip(y, y_title, y_format)]
    lines = _table(data[[x, y, series]])
    y_sources = [("lines", y)]
    if stacked_area:
        top, bottom = _stack_bounds(data, x, y)
        order = data[series].map({n: i for i, n in enumerate(names)}).to_numpy(dtype=float)
        lines = (
            lines.append_column("stack_top", pa.array(top))
            .append_column("stack_bottom", pa.array(bottom))
            .append_column("stack_order", pa.array(order))
        )
        y_sources = [("lines", "stack_top"), ("lines", "stack_bottom")]
        mark = {"type": "area", "opacity": 0.85, "line": True}
    else:
        mark = {"type": "line", "strokeWidth": 2.5}
    enc = {"x": x_enc, "y": y_enc, "color": _color(series, names, colors), "tooltip": tips}
    if stacked_area:  # the first series at the bottom of the stack
        enc["order"] = {"field": "stack_order", "type": "quantitative"}
    if dashed and not stacked_area:
        enc["strokeDash"] = {
            "condition": {"test": {"field": series, "oneOf": list(dashed)}, "value": [6, 4]},
            "value": [1, 0],
        }
    datasets = {"lines": lines}
    layers = [
        {"data": {"name": "lines"}, "mark": mark, "encoding": enc},
        {
            "data": {"name": "lines"},
            "mark": {"type": "point", "opacity": 0, "size": 80},
            "encoding": {"x": x_enc, "y": {**y_enc, "stack": "zero" if stacked_area else None}, "tooltip": tips},
        },
    ]
    extra_y = []
    if band is not None and all(map(math.isfinite, band)):
        layers.insert(
            0,
            {
                "data": {"values": [{"x0": float(band[0]), "x1": float(band[1])}]},
                "mark": {"type": "rect", "opacity": 0.12},
                "encoding": {"x": {**x_enc, "field": "x0"}, "x2": {"field": "x1"}, "color": {"value": "green"}},
            },
        )
    if rule_y is not None:
        layers.insert(
            0,
            {
                "data": {"values": [{"rule": float(rule_y)}]},
                "mark": {"type": "rule", "strokeWidth": 1.5},
                "encoding": {"y": {**y_enc, "field": "rule", "stack": None}, "color": {"value": COLORS["zero"]}},
            },
        )
        if not log_y:
            extra_y.append(float(rule_y))
    x_sources = [("lines", x)]
    if points is not None and len(points):
        datasets["points"] = _table(points[[x, y, series]])
        x_sources.append(("points", x))
        y_sources.append(("points", y))
        layers.append(
            {
                "data": {"name": "points"},
                "mark": {"type": "circle", "size": 90, "opacity": 0.9},
                "encoding": {
                    "x": x_enc,
                    "y": {**y_enc, "stack": None},
                    "color": _color(series, names, colors),
                    "tooltip": tips,
                },
            }
        )
    xs = _column(data[x]) if len(data) else np.array([0.0, 1.0])
    lo, hi = float(np.nanmin(xs)), float(np.nanmax(xs))
    rows = [_mark_row(m, "optimum", lo, hi, log=log_x) for m in (optimum, *markers) if _finite(m)]
    rows = _levels(rows, lo, hi, log_x)
    datasets["marks"] = _marks(rows)
    y_sources.append(("marks", "y"))
    mark_tips = [_tip("label", " ", kind="nominal"), _tip("x", x_title, x_format), _tip("y", y_title, y_format)]
    layers += _marker_layers("marks", x_enc, "y", {**y_enc, "stack": None}, mark_tips)
    row = {"height": height, "layer": layers}
    row["title"] = _title(title, y_title) if title else _title(y_title)
    params = _domain_params(_extent_expr(x_sources), _extent_expr(y_sources, extra_y), log_x, log_y)
    return _spec(row, datasets, params)


def fit_chart(
    points: pd.DataFrame,
    lines: pd.DataFrame,
    *,
    x: str,
    y: str,
    x_title: str,
    y_title: str,
    height: int = 280,
    x_format: str = ",.2f",
    y_format: str = ",.1f",
) -> dict:
    """Observed points (dots) with fitted curves (``lines`` has a ``fit`` column).

    Examples
    --------
    >>> pts = pd.DataFrame({"s": [30.0, 60.0], "m": [20.0, 25.0]})
    >>> fits = pd.DataFrame({"s": [30.0, 60.0], "m": [21.0, 24.0], "fit": ["line", "line"]})
    >>> sorted(fit_chart(pts, fits, x="s", y="m", x_title="s", y_title="m")["datasets"])
    ['fits', 'observed']
    """
    x_enc = _x_enc(x, x_title, x_format)
    y_enc = _y_enc(y, y_format)
    names = list(dict.fromkeys(lines["fit"].tolist()))
    color = _color("fit", names, None)
    color["legend"] = {**color["legend"], "columns": 1, "labelLimit": LEGEND_WIDTH + 60}
    layers = [
        {
            "data": {"name": "fits"},
            "mark": {"type": "line", "strokeWidth": 2.5},
            "encoding": {
                "x": x_enc,
                "y": y_enc,
                "color": color,
                "tooltip": [_tip("fit", " ", kind="nominal"), _tip(x, x_title, x_format), _tip(y, y_title, y_format)],
            },
        },
        {
            "data": {"name": "observed"},
            "mark": {"type": "circle", "size": 90, "opacity": 0.85},
            "encoding": {
                "x": x_enc,
                "y": y_enc,
                "color": {"value": "gray"},
                "tooltip": [_tip(x, x_title, x_format), _tip(y, y_title, y_format)],
            },
        },
    ]
    datasets = {"fits": _table(lines[[x, y, "fit"]]), "observed": _table(points[[x, y]])}
    params = _domain_params(_extent_expr([("fits", x), ("observed", x)]), _extent_expr([("fits", y), ("observed", y)]))
    row = {"title": _title("Your data and the fits", y_title), "height": height, "layer": layers}
    return _spec(row, datasets, params)
