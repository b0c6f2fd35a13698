"""Charts of a function of two variables: a heat map of f over a box with, on top, its critical
points by kind, the gradient field, a constraint curve, a path and marked points.

Built the way ``ui/charts.py`` builds its charts (docs/architecture.md, "ui/"):

- **A spec is built once per shape.** :class:`MapShape` holds everything the spec depends on
  (titles, formats, height, which layers exist, which kinds of points the legend lists) and
  nothing that depends on the data. Altair declares the layers and runs ``to_dict`` once per
  shape (:func:`_spec`, an ``lru_cache``); every rerun attaches its named datasets (Arrow
  tables) to a shallow copy of the cached dict, so the browser swaps data into a live chart.
- **Scale domains come from the data, in the browser**: the x and y domains are the box
  (Vega expressions over the one-row ``box`` dataset), so an empty layer (no path, no constraint)
  never decides a domain.
- **Theme colours only**: the markers, the path, the field and the constraint are Streamlit
  colour names given as ``encoding.color`` values or a colour scale's range (the places where
  Streamlit's chart theme maps them to its light and dark palettes). The heat map is the
  sequential ``viridis`` scheme under a veil of the chart's own background colour (Vega's
  ``background`` signal, which the theme sets), so it is lighter on the light theme and darker
  on the dark one; subtitles take their colour from the background too (the theme leaves
  them black).
- **The plot keeps its height** (``autosize`` fits the width only; legends sit under the plot
  and add to the height), and its width is the column's: in a column about as wide as the
  height the plot is about square.
- **The heat map is one image**: the grid's values, interpolated bilinearly to UPSAMPLE pixels
  per cell and cut into BANDS bands, as a PNG data URL drawn over the box; the legend is a
  quantize scale of the same scheme over the same values, and the raster's colours are computed
  as Vega computes that scale's (:func:`band_colours`). One mark instead of a rect per grid
  point: a slider step on /price-ads cost the browser ~175 ms more with 1,681 rects.
- **SVG**: the tests measure the plot area in the SVG (Streamlit would pick a canvas for a
  dataset of more than 2,000 rows).

Examples
--------
>>> import pandas as pd
>>> grid = pd.DataFrame({"x": [0.0, 1.0, 0.0, 1.0], "y": [0.0, 0.0, 1.0, 1.0], "value": [0.0, 1.0, 1.0, 2.0]})
>>> spec = surface_map(grid, x_title="x", y_title="y", value_title="f(x, y)")
>>> sorted(spec["datasets"]), spec["datasets"]["shade"].num_rows
(['box', 'curve', 'field', 'marks', 'path', 'points', 'shade'], 2)
"""

from __future__ import annotations

import base64
import functools
import math
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

__all__ = ["KIND_STYLE", "MARK_STYLE", "MapShape", "Mark", "show", "surface_map"]

#: How a critical point of each kind is drawn: (theme colour, Vega symbol shape).
KIND_STYLE = {
    "minimum": ("blue", "triangle-down"),
    "maximum": ("red", "triangle-up"),
    "saddle": ("green", "cross"),
    "degenerate": ("gray", "square"),
}
#: How each role of a marked point is drawn: (theme colour, shape, size in px², filled). The
#: optimum is a ring, so that the kind of the point inside it stays visible.
MARK_STYLE = {
    "optimum": ("red", "circle", 420, False),
    "start": ("orange", "circle", 150, True),
}
#: Theme colours of the other layers.
FIELD_COLOR = "gray"
PATH_COLOR = "orange"
CURVE_COLOR = "violet"
#: Colour bands of the heat map: their edges are the level curves of f, as on a contour map.
BANDS = 10
#: Vega's "viridis" scheme: vega-scale's 32 colours, interpolated in RGB. The raster's bands take
#: exactly the colours the legend's quantize scale shows (vega-scale's quantizeInterpolator
#: samples the scheme at i / (count + 1), i = 1..count).
VIRIDIS = (
    "440154470e61481a6c482575472f7d443a834144873d4e8a39568c35608d31688e2d708e2a788e27818e23888e21918d1f988b"
    "1fa08822a8842ab07f35b77943bf7154c56866cc5d7ad1518fd744a5db36bcdf27d2e21be9e51afde725"
)
#: Raster pixels per grid cell and side (the band edges are found between grid points).
UPSAMPLE = 4
#: The heat map's sequential scheme, and the opacity of a veil of the chart's own background
#: over it (light on the light theme, dark on the dark one).
SCHEME = "viridis"
VEIL_OPACITY = 0.35
#: Pixels of the plot's height; the y axis' labels' width (fixed, so the plot's width is known).
HEIGHT = 360
Y_AXIS_WIDTH = 56
#: Longest title line before it wraps: Streamlit cuts a title at the chart's width less 40 px,
#: and a square plot in a column of a wide page is about 300 px wide.
TITLE_WRAP = 32
#: Length of the colour legend's gradient (px): fits a 390 px phone.
GRADIENT_LENGTH = 200
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
#: Fit the width, keep the plot's height (titles and legends add to it). The padding is inside
#: the column's width ("contains": "padding"): the rotated y title's glyphs reach about 2 px past
#: Vega's estimate of its box, which ran off the left edge with no padding.
AUTOSIZE = {"type": "fit-x", "contains": "padding"}
PADDING = {"top": 6, "left": 3, "right": 3, "bottom": 4}
#: Subtitles: Streamlit's theme leaves them black; this follows the chart's background.
SUBTITLE_COLOR = "luminance(background) > 0.5 ? 'dimgray' : 'darkgray'"
#: Datasets every chart has (empty when the layer has nothing to draw).
DATASETS = ("box", "shade", "points", "field", "curve", "path", "marks")


@dataclass(frozen=True)
class Mark:
    """A marked point: ``role`` is "optimum" or "start"; ``label`` is its tooltip."""

    x: float
    y: float
    role: str
    label: str


@dataclass(frozen=True)
class MapShape:
    """All a heat-map chart's spec depends on (never its data): it is the cache key."""

    x_title: str
    y_title: str
    value_title: str
    title: str = ""
    subtitle: str = ""
    x_format: str = ",.4~g"
    y_format: str = ",.4~g"
    value_format: str = ",.4~g"
    kinds: tuple[str, ...] = ()
    field: bool = False
    curve: bool = False
    path: bool = False
    height: int = HEIGHT


def _wrap(text: str, width: int = TITLE_WRAP) -> str | list[str]:
    """A long title over lines of at most ``width`` characters (split at spaces)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[0] if len(lines) == 1 else lines


def _title(shape: MapShape) -> alt.TitleParams | None:
    if not shape.title:
        return None
    kw = {"anchor": "start", "frame": "group", "offset": 10}
    if shape.subtitle:
        kw.update(
            subtitle=_wrap(shape.subtitle),
            subtitleFontSize=13,
            subtitlePadding=3,
            subtitleColor=alt.ExprRef(SUBTITLE_COLOR),
        )
    return alt.TitleParams(text=_wrap(shape.title), **kw)


#: Axis labels within this share of the plot's ends are aligned away from the end, so that
#: none runs past it (labelFlush moves only a label at the very end; labelBound hid nothing).
EDGE_SHARE = 0.08


def _edge_align(domain: str) -> alt.ExprRef:
    lo, hi, span = f"{domain}[0]", f"{domain}[1]", f"({domain}[1] - {domain}[0])"
    return alt.ExprRef(
        f"datum.value > {hi} - {EDGE_SHARE} * {span} ? 'right' : datum.value < {lo} + {EDGE_SHARE} * {span}"
        " ? 'left' : 'center'"
    )


def _axes(shape: MapShape) -> tuple[dict, dict]:
    """The x and y channels' scale and axis (the box, fixed-width y labels, no grid)."""

    def channel(domain: str, title: str, fmt: str, **extra) -> dict:
        return {
            "scale": alt.Scale(domain=alt.ExprRef(domain), nice=False, zero=False, padding=0),
            "axis": alt.Axis(title=title, format=fmt, labelOverlap=True, grid=False, **extra),
        }

    return (
        channel("x_domain", shape.x_title, shape.x_format, labelAlign=_edge_align("x_domain")),
        channel("y_domain", shape.y_title, shape.y_format, labelFlush=True, labelLimit=Y_AXIS_WIDTH - 6),
    )


def _tip(field: str, title: str, fmt: str | None = None, kind: str = "quantitative") -> alt.Tooltip:
    return alt.Tooltip(field=field, type=kind, title=title, **({"format": fmt} if fmt else {}))


def _legend(**kw) -> alt.Legend:
    """A legend under the plot: it adds to the chart's height, never takes the plot's width."""
    return alt.Legend(orient="bottom", direction="horizontal", titleLimit=300, labelLimit=200, **kw)


@functools.lru_cache(maxsize=64)
def _spec(shape: MapShape) -> dict:
    """The Vega-Lite dict of one shape (Altair runs here only, once per shape)."""
    xs, ys = _axes(shape)
    x, y = alt.X("x:Q", **xs), alt.Y("y:Q", **ys)
    tips = [_tip("x", shape.x_title, shape.x_format), _tip("y", shape.y_title, shape.y_format)]
    value_tip = _tip("value", shape.value_title, shape.value_format)
    # the heat map is one image of the box (a raster of the bands, made here), not a rect per
    # grid point: 1,681 SVG rects cost the browser ~175 ms per slider step on /price-ads
    heat = (
        alt.Chart(alt.NamedData("box"))
        .mark_image(aspect=False)
        .encode(x=alt.X("x0:Q", **xs), x2="x1:Q", y=alt.Y("y1:Q", **ys), y2="y0:Q", url="url:N")
    )
    legend = (  # invisible: it carries the colour legend, the bands' values from the data
        alt.Chart(alt.NamedData("shade"))
        .mark_point(opacity=0, size=0)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "shade:Q",
                scale=alt.Scale(type="quantize", scheme=alt.SchemeParams(SCHEME, count=BANDS), nice=False, zero=False),
                legend=_legend(title=shape.value_title, format=shape.value_format, gradientLength=GRADIENT_LENGTH),
            ),
        )
    )
    veil = (
        alt.Chart(alt.NamedData("box"))
        .mark_rect(opacity=VEIL_OPACITY, fill=alt.ExprRef("background"), strokeWidth=0)
        .encode(x=alt.X("x0:Q", **xs), x2="x1:Q", y=alt.Y("y0:Q", **ys), y2="y1:Q")
    )
    layers = [heat, legend, veil]
    if shape.field:  # short arrows uphill, across the level curves of the picture
        layers.append(
            alt.Chart(alt.NamedData("field"))
            .transform_calculate(angle="atan2(datum.u * width, datum.v * height) * 180 / PI")
            .mark_point(shape="arrow", filled=True, size=110, opacity=0.85, strokeWidth=0)
            .encode(
                x=x,
                y=y,
                angle=alt.Angle("angle:Q", scale=None),
                color=alt.value(FIELD_COLOR),
                tooltip=[*tips, _tip("dx", "∂f/∂x", ",.4~g"), _tip("dy", "∂f/∂y", ",.4~g")],
            )
        )
    if shape.curve:
        layers.append(
            alt.Chart(alt.NamedData("curve"))
            .mark_rule(strokeWidth=2.5)
            .encode(x=x, y=y, x2="x2:Q", y2="y2:Q", color=alt.value(CURVE_COLOR))
        )
    if shape.path:
        layers.append(
            alt.Chart(alt.NamedData("path"))
            .mark_line(strokeWidth=2.5, point=alt.OverlayMarkDef(size=22, filled=True))
            .encode(
                x=x,
                y=y,
                order=alt.Order("step:Q"),
                color=alt.value(PATH_COLOR),
                tooltip=[_tip("step", "step", "d"), *tips, value_tip],
            )
        )
    if shape.kinds:
        kinds = list(shape.kinds)
        # above the plot, two to a row: beside the colour legend it ran off a phone's width
        legend = alt.Legend(orient="top", direction="horizontal", columns=2, title=None, symbolSize=90, labelLimit=200)
        layers.append(
            alt.Chart(alt.NamedData("points"))
            .mark_point(filled=True, size=110, opacity=1)
            .encode(
                x=x,
                y=y,
                color=alt.Color(
                    "kind:N", scale=alt.Scale(domain=kinds, range=[KIND_STYLE[k][0] for k in kinds]), legend=legend
                ),
                shape=alt.Shape(
                    "kind:N", scale=alt.Scale(domain=kinds, range=[KIND_STYLE[k][1] for k in kinds]), legend=legend
                ),
                tooltip=[_tip("kind", " ", kind="nominal"), *tips, value_tip],
            )
        )
    for role, (color, symbol, size, filled) in MARK_STYLE.items():
        layers.append(
            alt.Chart(alt.NamedData("marks"))
            .transform_filter(f"datum.role === '{role}'")
            .mark_point(filled=filled, shape=symbol, size=size, opacity=1, strokeWidth=2.5)
            .encode(x=x, y=y, color=alt.value(color), tooltip=[_tip("label", " ", kind="nominal"), *tips])
        )
    domain = "[data('box')[0].{a}, data('box')[0].{b}]"
    chart = alt.layer(
        *layers,
        height=shape.height,
        params=[
            alt.param(name="x_domain", expr=domain.format(a="x0", b="x1")).param,
            alt.param(name="y_domain", expr=domain.format(a="y0", b="y1")).param,
        ],
        resolve=alt.Resolve(scale=alt.ScaleResolveMap(color="independent", shape="independent")),
        **({"title": t} if (t := _title(shape)) is not None else {}),
    )
    spec = chart.to_dict(validate=False)
    spec.pop("config", None)
    spec.pop("datasets", None)
    spec.update({"$schema": SCHEMA, "autosize": AUTOSIZE, "padding": PADDING})
    # Vega's SVG output (Streamlit picks a canvas above 2,000 rows in a dataset): measurable
    spec["usermeta"] = {"embedOptions": {"renderer": "svg"}}
    return spec


# -- the data of each layer, as Arrow tables ----------------------------------------------------


def _floats(values) -> np.ndarray:
    """Floats with inf turned into NaN (Vega leaves a gap, and a domain ignores it)."""
    a = np.asarray(values, dtype=float)
    return np.where(np.isfinite(a), a, np.nan)


def band_colours(n: int = BANDS) -> np.ndarray:
    """The n colours (RGB, uint8) of Vega's quantize scale over the viridis scheme: the scheme
    interpolated in RGB at i / (n + 1), rounded to integers as d3 does.

    >>> band_colours(2).tolist()
    [[49, 104, 142], [53, 183, 121]]
    """
    ramp = np.array([[int(VIRIDIS[k + j : k + j + 2], 16) for j in (0, 2, 4)] for k in range(0, len(VIRIDIS), 6)])
    t = np.arange(1, n + 1) / (n + 1) * (len(ramp) - 1)
    i = np.minimum(t.astype(int), len(ramp) - 2)
    rgb = ramp[i] + (ramp[i + 1] - ramp[i]) * (t - i)[:, None]
    return np.floor(rgb + 0.5).astype(np.uint8)


def _png(rgba: np.ndarray) -> bytes:
    """A PNG (8-bit RGBA, no filter) of an h × w × 4 array, top row first."""
    h, w, _ = rgba.shape
    raw = b"".join(b"\x00" + rgba[r].tobytes() for r in range(h))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")


def _resample(values: np.ndarray, n: int, axis: int) -> np.ndarray:
    """Bilinear values at n pixel centres across ``axis`` of a grid of node values (NaN spreads)."""
    m = values.shape[axis]
    at = (np.arange(n) + 0.5) / n * (m - 1)
    i = np.minimum(at.astype(int), m - 2)
    u = at - i
    a, b = np.take(values, i, axis=axis), np.take(values, i + 1, axis=axis)
    shape = [1, 1]
    shape[axis] = n
    return a + (b - a) * u.reshape(shape)


def _raster(grid: pd.DataFrame, shade_range: tuple[float, float] | None) -> tuple[pa.Table, pa.Table]:
    """The box with its heat map as a PNG data URL, and the shaded values' extent (the legend's)."""
    xs, ys = np.unique(grid["x"].to_numpy()), np.unique(grid["y"].to_numpy())
    v = _floats(grid["value"]).reshape(len(ys), len(xs))  # rows: y ascending (x varies fastest)
    if shade_range is not None:
        v = np.clip(v, *shade_range)
    finite = v[np.isfinite(v)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    fine = _resample(_resample(v, UPSAMPLE * (len(xs) - 1), 1), UPSAMPLE * (len(ys) - 1), 0)[::-1]  # top row first
    thresholds = lo + (hi - lo) * np.arange(1, BANDS) / BANDS  # d3's quantize: a value on a threshold goes up
    band = np.searchsorted(thresholds, np.where(np.isfinite(fine), fine, lo), side="right")
    rgba = np.empty((*fine.shape, 4), dtype=np.uint8)
    rgba[..., :3] = band_colours()[band]
    rgba[..., 3] = np.where(np.isfinite(fine), 255, 0)
    url = "data:image/png;base64," + base64.b64encode(_png(rgba)).decode("ascii")
    box = pa.table({"x0": [xs[0]], "x1": [xs[-1]], "y0": [ys[0]], "y1": [ys[-1]], "url": [url]})
    shade = pa.table({"x": [xs[0]] * 2, "y": [ys[0]] * 2, "shade": [lo, hi]})
    return box, shade


def _field(field: pd.DataFrame | None, box: tuple[float, float, float, float]) -> pa.Table:
    """Arrow directions: the gradient in box units scaled by the box (the direction a
    box-scaled gradient path takes, across the level curves of a picture of the box), as a
    unit vector (u, v); points where ∇f is zero or undefined are left out."""
    schema = pa.schema([(c, pa.float64()) for c in ("x", "y", "dx", "dy", "u", "v")])
    if field is None or not len(field):
        return pa.Table.from_pylist([], schema=schema)
    wx, wy = box[1] - box[0], box[3] - box[2]
    u = _floats(field["dx"]) * wx
    v = _floats(field["dy"]) * wy
    size = np.hypot(u, v)
    with np.errstate(invalid="ignore", divide="ignore"):
        u, v = u / size, v / size
    keep = np.isfinite(size) & (size > 1e-12 * np.nanmax(np.where(np.isfinite(size), size, 0.0), initial=0.0))
    return pa.table(
        {
            "x": field["x"].to_numpy(dtype=float)[keep],
            "y": field["y"].to_numpy(dtype=float)[keep],
            "dx": _floats(field["dx"])[keep],
            "dy": _floats(field["dy"])[keep],
            "u": u[keep],
            "v": v[keep],
        }
    )


def _frame(df: pd.DataFrame | None, columns: Sequence[str], text: Sequence[str] = ()) -> pa.Table:
    schema = pa.schema([(c, pa.string() if c in text else pa.float64()) for c in columns])
    if df is None or not len(df):
        return pa.Table.from_pylist([], schema=schema)
    return pa.table(
        {c: pa.array(df[c].astype(str).tolist()) if c in text else _floats(df[c]) for c in columns}, schema=schema
    )


def _marks(marks: Sequence[Mark]) -> pa.Table:
    schema = pa.schema([("x", pa.float64()), ("y", pa.float64()), ("role", pa.string()), ("label", pa.string())])
    rows = [
        {"x": float(m.x), "y": float(m.y), "role": m.role, "label": m.label}
        for m in marks
        if math.isfinite(m.x) and math.isfinite(m.y)
    ]
    return pa.Table.from_pylist(rows, schema=schema)


def surface_map(
    grid: pd.DataFrame,
    *,
    x_title: str,
    y_title: str,
    value_title: str,
    title: str = "",
    subtitle: str = "",
    x_format: str = ",.4~g",
    y_format: str = ",.4~g",
    value_format: str = ",.4~g",
    points: pd.DataFrame | None = None,
    field: pd.DataFrame | None = None,
    curve: pd.DataFrame | None = None,
    path: pd.DataFrame | None = None,
    marks: Sequence[Mark] = (),
    shade_range: tuple[float, float] | None = None,
    height: int = HEIGHT,
) -> dict:
    """A heat map of f over its box, with the layers that are given.

    Parameters
    ----------
    grid : DataFrame
        f on a grid of the box: columns ``x``, ``y``, ``value`` (NaN where undefined), as
        ``optimizers.multivariate.grid`` makes it. Its extent is the plot's.
    x_title, y_title, value_title, title, subtitle : str
        Axis titles with units, the colour legend's title, the chart's title and subtitle.
    x_format, y_format, value_format : str
        d3 formats of the axes and of the values.
    points : DataFrame, optional
        Critical points: ``x``, ``y``, ``value``, ``kind`` ("minimum", "maximum", "saddle",
        "degenerate"), drawn by kind with a legend of the kinds present.
    field : DataFrame, optional
        ∇f samples: ``x``, ``y``, ``dx``, ``dy`` (``optimizers.multivariate.gradient_field``).
    curve : DataFrame, optional
        Segments of a curve (a constraint g = 0): ``x``, ``y``, ``x2``, ``y2``.
    path : DataFrame, optional
        A path: ``step``, ``x``, ``y``, ``value``.
    marks : sequence of Mark
        Marked points ("optimum", "start").
    shade_range : (float, float), optional
        Colour values beyond this range with the end colours (the tooltip keeps the value).
    height : int
        The plot's height in pixels.

    Returns
    -------
    dict
        A Vega-Lite spec with its named datasets (Arrow tables) attached.
    """
    kinds = ()
    if points is not None and len(points):
        present = set(points["kind"])
        kinds = tuple(k for k in KIND_STYLE if k in present)
    shape = MapShape(
        x_title, y_title, value_title, title, subtitle, x_format, y_format, value_format, kinds,
        field is not None, curve is not None, path is not None, height,
    )  # fmt: skip
    box = (float(grid["x"].min()), float(grid["x"].max()), float(grid["y"].min()), float(grid["y"].max()))
    heat, shade = _raster(grid, shade_range)
    datasets = {
        "box": heat,
        "shade": shade,
        "points": _frame(points, ("x", "y", "value", "kind"), text=("kind",)),
        "field": _field(field, box),
        "curve": _frame(curve, ("x", "y", "x2", "y2")),
        "path": _frame(path, ("step", "x", "y", "value")),
        "marks": _marks(marks),
    }
    return {**_spec(shape), "datasets": datasets}


def show(spec: dict) -> None:
    """Draw a spec made here at the column's full width."""
    st.vega_lite_chart(spec, width="stretch")
