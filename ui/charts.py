"""The one chart every page uses: the objective with its optimum and a tangent at the
user's current point, and under it the marginal (derivative) curve crossing zero at the
optimum, as ONE chart whose rows share the x axis. Plus several named curves, data with
fitted curves, and :func:`stack` to put any of them under one another.

How the specs are built, and why (docs/decisions/charts-altair.md)
-------------------------------------------------------------------
Charts are declared with Altair the way its gallery does
(``base = alt.Chart(alt.NamedData("curve")).encode(x=...)``, ``base.mark_line()``,
``alt.layer(...)``, ``alt.vconcat(...)``) and drawn with ``st.vega_lite_chart``.

- **A spec is built once per shape.** Each chart is described by a small frozen
  dataclass (a *row*: :class:`ObjectiveRow`, :class:`MarginalRow`, :class:`LinesRow`,
  :class:`FitRow`, and ui/nn_charts.py's) holding only what changes the spec: titles,
  formats, heights, log axes, which layers exist, series names and colours. Altair
  turns rows into a Vega-Lite dict (``to_dict(validate=False)``, tens to hundreds of
  ms) once per shape; :func:`_compose` caches that dict. Every rerun computes only the
  data and hands back a shallow copy of the cached dict with the named datasets
  attached, so a rerun costs what the hand-written dicts cost (``python bench/charts.py``).
- **Data lives in named datasets** (``curve``, ``marks``, ``lines``, ...), handed over as
  Arrow tables. The spec text does not depend on the data, so a slider move sends new data
  and the browser swaps it into the live chart instead of compiling a new one.
- **Scale domains come from the data, in the browser**: Vega expression parameters over
  the named datasets (:func:`_domain_params`). No scale has to derive a domain from a
  layer that may be empty (no optimum, no tangent), which is what logged "Infinite
  extent" warnings, and the spec stays the same when the data move.
- **Rows line up**: the y axes have a fixed width (labels only; each row says what its y
  is in its title), so every row's plot starts and ends at the same pixel; the scales are
  padded by a few pixels so a point on the edge is never half cut off.
- **Plots keep their height**: ``autosize`` fits the width and lets titles and legends add
  to the height, so a legend never squeezes a plot.
- **Theme colours**: colours are Streamlit's colour names (``blue``, ``red``, ...) given
  as ``encoding.color`` values or colour-scale ranges, the only places where Streamlit's
  chart theme maps them to the light or the dark palette. Subtitles (which the theme
  leaves black) take their colour from the chart's background.
- **Point labels** are placed by :func:`_place_labels` from the data: beside the
  dashed optimum line, above a maximum and below a minimum, on the side where the curve
  falls away, and clear of each other; the y domain makes room for them.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import streamlit as st

__all__ = [
    "COLORS",
    "FitRow",
    "LinesRow",
    "MarginalRow",
    "Marker",
    "ObjectiveRow",
    "Spec",
    "fit_chart",
    "frozen",
    "lines_chart",
    "objective_chart",
    "objective_spec",
    "render",
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
    "target": "green",
}
#: Colours for named series, in order (Streamlit's theme names; yellow last: faint on white).
SERIES = ["blue", "orange", "green", "red", "violet", "gray", "yellow"]
#: The colour names Streamlit's chart theme maps to its light and dark palettes.
THEME_NAMES = frozenset({"red", "orange", "yellow", "green", "blue", "violet", "gray", "grey", "primary"})
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
TITLE_WRAP = 40
#: A chart of several curves on one x grid is hovered by x: one invisible rule per x value,
#: this wide (px), whose tooltip lists every curve there. It replaced one invisible point per
#: curve and x (Compounding's balance chart: a third of the SVG items; a step 0.80-0.87x the
#: time in docs/performance.md's runs); up to HOVER_SERIES curves, above that each point keeps
#: its own tooltip.
HOVER_WIDTH = 8
HOVER_SERIES = 8
#: Widest legend row in pixels, so that a legend fits a 390 px phone.
LEGEND_WIDTH = 300
#: The Vega-Lite major version Streamlit 1.67 bundles (Altair writes its own minor version,
#: newer than Streamlit's, which vega-embed would warn about).
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
#: Fit the width to the column, keep each plot's own height: titles and legends are added
#: to it, never taken from it. Streamlit's default for a single view ("fit" both ways)
#: squeezes the plot into a fixed box. Fitting to the *content* makes Vega take the y
#: axis off the rows' width.
AUTOSIZE = {"type": "fit-x", "contains": "content"}
#: Room above the first title (its glyphs reach above Vega's estimate of the text box); no
#: padding left or right, which would push a chart fitted to its content past the column.
PADDING = {"top": 6, "left": 0, "right": 0}
#: Subtitle colour from the background (Vega's built-in signal): Streamlit's chart theme
#: colours titles but leaves subtitles black, invisible on the dark theme.
SUBTITLE_COLOR = "luminance(background) > 0.5 ? 'dimgray' : 'darkgray'"


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


def _table(df: pd.DataFrame, columns: Sequence[str] | None = None) -> pa.Table:
    """An Arrow table of a frame (or of its ``columns``, in that order), numeric columns as
    finite-or-NaN floats.

    Datasets are handed to Streamlit as Arrow tables: it would convert pandas frames to
    Arrow on every rerun anyway, and building them directly is ~20x cheaper. Columns are
    read one by one: selecting a sub-frame first (``df[[x, y]]``) cost more than the rest.
    """
    cols = {}
    for c in df.columns if columns is None else columns:
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


def _title(text: str, subtitle: str | None = None) -> alt.TitleParams:
    kw = {"anchor": "start", "frame": "bounds", "offset": 10}
    if subtitle:
        kw.update(
            subtitle=_wrap(subtitle),
            subtitleFontSize=13,
            subtitlePadding=3,
            subtitleColor=alt.ExprRef(SUBTITLE_COLOR),
        )
    return alt.TitleParams(text=_wrap(text), **kw)


def _theme(color: str) -> str:
    """A Streamlit theme colour name for a colour a page passed (old hex values included)."""
    name = THEMED.get(color.lower(), color)
    if name not in THEME_NAMES:
        raise ValueError(f"colour must be one of Streamlit's theme colour names {sorted(THEME_NAMES)}, got {color!r}")
    return name


def _value(color: str) -> alt.ColorValue:
    """A fixed colour as an ``encoding.color`` value: where Streamlit maps theme names."""
    return alt.value(color)


def _tip(field: str, title: str, fmt: str | None = None, kind: str = "quantitative") -> alt.Tooltip:
    return alt.Tooltip(field=field, type=kind, title=title, **({"format": fmt} if fmt else {}))


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


def _domain_params(x_raw: str, y_raw: str, log_x: bool = False, log_y: bool = False, suffix: str = "") -> list:
    return [
        alt.param(name="x_raw", expr=x_raw),
        alt.param(name="x_domain", expr=_safe_domain("x_raw", log_x)),
        *_y_params(y_raw, log_y, suffix),
    ]


def _y_params(y_raw: str, log_y: bool, suffix: str) -> list:
    return [
        alt.param(name=f"y_raw{suffix}", expr=y_raw),
        alt.param(name=f"y_domain{suffix}", expr=_safe_domain(f"y_raw{suffix}", log_y)),
    ]


def _x_enc(field: str, title: str | None, fmt: str, log: bool = False) -> alt.X:
    scale = {"domain": alt.ExprRef("x_domain"), "padding": EDGE_PADDING, "nice": False}
    scale.update(type="log") if log else scale.update(zero=False)
    axis = {"title": title, "format": fmt, "labelFlush": True, "labelOverlap": True}
    if log:
        axis["tickCount"] = 5  # powers of ten only: no grid line for every 2..9 multiple
    return alt.X(field=field, type="quantitative", scale=alt.Scale(**scale), axis=alt.Axis(**axis))


def _y_enc(field: str, fmt: str, log: bool = False, domain: str = "y_domain", **extra) -> alt.Y:
    scale = {"domain": alt.ExprRef(domain), "padding": EDGE_PADDING, "nice": False}
    scale.update(type="log") if log else scale.update(zero=False)
    axis = alt.Axis(
        title=None,
        format=fmt,
        minExtent=Y_AXIS_WIDTH,
        maxExtent=Y_AXIS_WIDTH,
        labelLimit=Y_AXIS_WIDTH - 6,
        labelOverlap=True,
    )
    return alt.Y(field=field, type="quantitative", scale=alt.Scale(**scale), axis=axis, **extra)


# -- rows: what a spec depends on, declared once per shape ----------------------------------


@dataclass(frozen=True)
class Place:
    """Where a row sits in a chart: its dataset names (role -> name), the suffix of its
    y-domain parameters, and the x-axis title and format it shows."""

    names: tuple[tuple[str, str], ...]
    suffix: str = ""
    x_title: str | None = None
    x_format: str = ",.2f"

    def data(self, role: str) -> alt.NamedData:
        return alt.NamedData(dict(self.names)[role])

    def name(self, role: str) -> str:
        return dict(self.names)[role]

    @property
    def y_domain(self) -> str:
        return f"y_domain{self.suffix}"


class Row:
    """A chart row's shape: a frozen dataclass whose fields are all that its spec depends
    on. Subclasses declare the layers (Altair) and the data their scales read."""

    title: str
    height: int
    x_title: str | None
    x_format: str
    log_x: bool = False
    log_y: bool = False
    roles: tuple[str, ...] = ()

    def x_sources(self) -> tuple[tuple[str, str], ...]:  # (role, field)
        raise NotImplementedError

    def y_sources(self) -> tuple[tuple[str, str], ...]:
        raise NotImplementedError

    def y_extra(self) -> tuple[float, ...]:
        return ()

    def layers(self, at: Place) -> list:
        raise NotImplementedError

    def chart_title(self) -> alt.TitleParams:
        raise NotImplementedError

    def view(self, at: Place, params: Sequence = ()) -> alt.LayerChart:
        extra = {"params": [p.param for p in params]} if params else {}
        return alt.layer(*self.layers(at), title=self.chart_title(), height=self.height, **extra)


def _sources(at: Place, sources: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(at.name(role), field) for role, field in sources]


def _finish(spec: dict) -> dict:
    """Top-level keys every chart here has; Altair's default view config dropped."""
    spec.pop("config", None)
    spec.pop("datasets", None)
    spec["$schema"] = SCHEMA
    spec["autosize"] = AUTOSIZE
    spec["padding"] = PADDING
    return spec


@functools.lru_cache(maxsize=256)
def _row_view(row: Row, at: Place) -> alt.LayerChart:
    """One row of a stacked chart, declared once: a page whose one row changes shape (the
    fuel trip's distance is in its title) declares only that row again."""
    return row.view(at)


@functools.lru_cache(maxsize=256)
def _compose(rows: tuple[tuple[Row, Place], ...]) -> dict:
    """The Vega-Lite dict of rows placed one under another (one row: a layered view).

    Cached: this is the only place Altair runs, once per shape of chart."""
    if len(rows) == 1:
        row, at = rows[0]
        params = _domain_params(
            _extent_expr(_sources(at, row.x_sources())),
            _extent_expr(_sources(at, row.y_sources()), row.y_extra()),
            row.log_x,
            row.log_y,
        )
        return _finish(row.view(at, params).to_dict(validate=False))
    x_parts = [_extent_expr(_sources(at, row.x_sources())) for row, at in rows]
    x_raw = "extent([" + ", ".join(f"({p})[0], ({p})[1]" for p in x_parts) + "])"
    params = [
        alt.param(name="x_raw", expr=x_raw),
        alt.param(name="x_domain", expr=_safe_domain("x_raw", any(row.log_x for row, _ in rows))),
    ]
    for row, at in rows:
        params += _y_params(_extent_expr(_sources(at, row.y_sources()), row.y_extra()), row.log_y, at.suffix)
    # params and resolve given to the constructor: .add_params() and .resolve_scale() would
    # deep-copy the whole chart again (three times the cold build)
    chart = alt.vconcat(
        *(_row_view(row, at) for row, at in rows),
        spacing=18,
        params=[p.param for p in params],
        resolve=alt.Resolve(scale=alt.ScaleResolveMap(x="shared", y="independent", color="independent")),
    )
    return _finish(chart.to_dict(validate=False))


class _Tables(dict):
    """A row's tables by role, with the function that places its point labels again for
    another x domain (``relabel(lo, hi)`` -> the tables that change), used by :func:`stack`."""

    __slots__ = ("relabel",)

    def __init__(self, tables: dict[str, pa.Table], relabel: Callable[[float, float], dict[str, pa.Table]]):
        super().__init__(tables)
        self.relabel = relabel

    def __reduce__(self):
        # a plain dict when pickled (st.cache_data pickles what it stores): the function is
        # a closure, and a chart read back from a cache is drawn as it is
        return dict, (dict(self),)


def _x_extent(parts: Sequence[tuple[Row, dict[str, pa.Table]]]) -> tuple[float, float] | None:
    """The x extent Vega computes for rows under one another (``x_raw``: every row's x
    sources), or None when there is no finite x."""
    lo, hi = math.inf, -math.inf
    for row, tables in parts:
        for role, field in row.x_sources():
            table = tables.get(role)
            if table is None or field not in table.column_names or table.num_rows == 0:
                continue
            column = pc.drop_null(table.column(field))
            if pa.types.is_floating(column.type):
                column = pc.filter(column, pc.invert(pc.is_nan(column)))
            mm = pc.min_max(column).as_py()
            if mm["min"] is not None:
                lo, hi = min(lo, float(mm["min"])), max(hi, float(mm["max"]))
    return (lo, hi) if lo < hi else None


class Spec(dict):
    """A Vega-Lite spec as a plain dict (what ``st.vega_lite_chart`` draws), which also
    remembers the rows and tables it was made of, so that :func:`stack` can compose it."""

    __slots__ = ("parts",)

    def __init__(self, spec: dict, parts: tuple[tuple[Row, dict[str, pa.Table]], ...]):
        super().__init__(spec)
        self.parts = parts


def render(*parts: tuple[Row, dict[str, pa.Table]]) -> Spec:
    """One chart of rows (each with its tables by role), the rows under one another.

    The spec comes from the cache of shapes; only the datasets are new. A dataset name
    two rows use for different tables is suffixed with the second row's index.

    Examples
    --------
    >>> df = pd.DataFrame({"t": [0.0, 1.0], "v": [1.0, 2.0], "s": ["a", "a"]})
    >>> row = LinesRow(x="t", y="v", series="s", x_title="t", y_title="v", names=("a",), palette=("blue",))
    >>> spec = render((row, {"lines": _table(df), "marks": _marks([])}))
    >>> sorted(spec["datasets"]), spec["layer"][0]["mark"]["type"]
    (['lines', 'marks'], 'line')
    """
    datasets: dict[str, pa.Table] = {}
    placed = []
    same_x = len({row.x_title for row, _ in parts if row.x_title}) == 1
    last = parts[-1][0]
    for i, (row, tables) in enumerate(parts):
        names = []
        for role in row.roles:
            table, name = tables[role], role
            if name in datasets and datasets[name] is not tables[role]:
                name = f"{role}_{i}"
            datasets[name] = table
            names.append((role, name))
        if len(parts) == 1:
            at = Place(tuple(names), "", row.x_title, row.x_format)
        else:  # one x axis: the last row's format everywhere, its title only at the bottom
            title = row.x_title if (i == len(parts) - 1 or not same_x) else None
            at = Place(tuple(names), f"_{i}", title, last.x_format)
        placed.append((row, at))
    return Spec({**_compose(tuple(placed)), "datasets": datasets}, tuple(parts))


# -- point labels: placed from the data so that they clear the curves and each other -------

#: Plot widths (px) the label placement must work at: a 390 px phone's and a wide column's.
LABEL_PLOT_WIDTHS = (300.0, 900.0)
#: Plot width assumed when deciding whether two marker labels would overprint (a phone's).
LABEL_PLOT_WIDTH = 300
#: Estimated text box of a 13 px bold label: width per character and height (px).
LABEL_CHAR_WIDTH = 7.6
LABEL_HEIGHT = 17.0
#: Gap between a point and its label (px), and the most a label moves away to clear a curve.
LABEL_GAP = 7.0
LABEL_MAX_SHIFT = 90.0


@dataclass
class _Geometry:
    """A row's plot in pixels (at a few widths), to place labels before the browser draws."""

    lo: float
    hi: float
    y_lo: float
    y_hi: float
    height: float
    log_x: bool
    log_y: bool

    def tx(self, x: float) -> float:
        return math.log10(max(x, 1e-300)) if self.log_x else x

    def ty(self, y: float) -> float:
        return math.log10(max(y, 1e-300)) if self.log_y else y

    def px(self, x: float, width: float) -> float:
        a, b = self.tx(self.lo), self.tx(self.hi)
        return EDGE_PADDING + (self.tx(x) - a) / ((b - a) or 1.0) * (width - 2 * EDGE_PADDING)

    def py(self, y: float) -> float:
        a, b = self.ty(self.y_lo), self.ty(self.y_hi)
        return EDGE_PADDING + (b - self.ty(y)) / ((b - a) or 1.0) * (self.height - 2 * EDGE_PADDING)

    def curve_px(self, xs: np.ndarray, ys: np.ndarray, width: float) -> tuple[np.ndarray, np.ndarray]:
        """A curve's points in pixels (arrays)."""
        tx = np.log10(np.maximum(xs, 1e-300)) if self.log_x else xs
        ty = np.log10(np.maximum(ys, 1e-300)) if self.log_y else ys
        a, b = self.tx(self.lo), self.tx(self.hi)
        c, d = self.ty(self.y_lo), self.ty(self.y_hi)
        px = EDGE_PADDING + (tx - a) / ((b - a) or 1.0) * (width - 2 * EDGE_PADDING)
        return px, EDGE_PADDING + (d - ty) / ((d - c) or 1.0) * (self.height - 2 * EDGE_PADDING)


#: Candidate places of a label: (align, above?). "right" ends left of the point.
_PLACES = {
    "above-left": ("right", True),
    "above-right": ("left", True),
    "below-left": ("right", False),
    "below-right": ("left", False),
}


def _preference(slope: float, curvature: float, side: str) -> list[str]:
    """Places to try, best first: above a maximum (below a minimum), on the side where
    the curve falls away from the label; toward the middle of the plot when flat."""
    toward_middle = "left" if side == "right" else "right"
    away = "right" if toward_middle == "left" else "left"
    if curvature > 0:  # a minimum or a convex stretch: below, on the side where the curve rises
        first = "right" if slope > 0 else "left" if slope < 0 else toward_middle
        vertical = ["below", "above"]
    else:  # a maximum, a concave stretch or a line: above, on the side where it falls
        first = "left" if slope > 0 else "right" if slope < 0 else toward_middle
        vertical = ["above", "below"]
    second = "left" if first == "right" else "right"
    order = [f"{v}-{h}" for v in vertical for h in (first, second)]
    if slope == 0 and curvature == 0:
        order = [f"{v}-{h}" for v in vertical for h in (toward_middle, away)]
    return order


#: Most points of a curve the label placement looks at (a curve is thinned to this many).
LABEL_CURVE_POINTS = 400


def _thin(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A curve with at most :data:`LABEL_CURVE_POINTS` points, keeping its extremes."""
    if len(xs) <= LABEL_CURVE_POINTS:
        return xs, ys
    keep = np.zeros(len(xs), dtype=bool)
    keep[:: max(1, len(xs) // LABEL_CURVE_POINTS)] = True
    keep[[0, -1, int(np.argmin(ys)), int(np.argmax(ys))]] = True
    return xs[keep], ys[keep]


def _spans(x0: float, x1: float, curves: list[tuple[np.ndarray, np.ndarray]]) -> list[tuple[float, float]]:
    """Per curve (px arrays, sorted by x) that reaches over ``x0``..``x1``: the top and the
    bottom (px, 2 px of margin) of its points there, the curve where the box starts and
    ends included. The same for a box above and below a point, so computed once for both."""
    out = []
    for xs, ys in curves:
        n = len(xs)
        i0, i1 = (int(i) for i in xs.searchsorted((x0, x1)))
        if i1 == 0 or i0 == n:
            continue
        ends = []
        for x, i in ((x0, i0), (x1, i1)):  # the curve where the box starts and ends
            if 0 < i < n:
                a, b = float(xs[i - 1]), float(xs[i])
                ya, yb = float(ys[i - 1]), float(ys[i])
                ends.append(ya + (yb - ya) * ((x - a) / (b - a) if b > a else 0.0))
        if i1 > i0:
            seg = ys[i0:i1]
            ends += [float(seg.min()), float(seg.max())]
        if ends:
            out.append((min(ends) - 2, max(ends) + 2))  # px: y grows downward
    return out


def _clearance(spans: list[tuple[float, float]], above: bool, py: float) -> float:
    """Smallest shift (px, away from the point) that clears every curve's span (:func:`_spans`)."""
    need = 0.0
    near = py - LABEL_GAP if above else py + LABEL_GAP  # the box's edge nearest the point
    for top, bottom in spans:
        if above:
            if near - LABEL_HEIGHT > bottom or near < top:
                continue
            need = max(need, near - top)
        else:
            if near + LABEL_HEIGHT < top or near > bottom:
                continue
            need = max(need, bottom - near)
    return need


def _place_labels(labels: list[dict], geo: _Geometry, curves: list[tuple[np.ndarray, np.ndarray]]) -> list[dict]:
    """For each label (x, y, text, slope, curvature, side): align, baseline, dx, dy (px),
    chosen so that the label clears the given curves (x, y arrays, sorted by x), the
    optimum's dashed line and the labels placed before it.

    Curves are checked on a phone-wide plot: a wider plot spreads the same curve over
    more pixels, so a label beside a monotone stretch is clearer there. Labels are kept
    apart on a phone-wide and on a wide plot. Each candidate box's x span is looked up
    once per label (a box above and one below share it), in arrays."""
    narrow = LABEL_PLOT_WIDTHS[0]
    curves_px = [geo.curve_px(xs, ys, narrow) for xs, ys in curves]
    vline_x = [lab["x"] for lab in labels if lab.get("vline")]
    placed: list[tuple[float, float, float, float, float]] = []  # x0, x1, y0, y1, plot width
    for lab in labels:
        width_px = LABEL_CHAR_WIDTH * len(lab["text"]) + 4
        py = geo.py(lab["y"])
        pxs = [geo.px(lab["x"], w) for w in LABEL_PLOT_WIDTHS]
        vlines = [geo.px(v, narrow) for v in vline_x]
        spans: dict[tuple[float, float], list[tuple[float, float]]] = {}
        best = None
        for rank, place in enumerate(_preference(lab["slope"], lab["curvature"], lab["side"])):
            align, above = _PLACES[place]
            boxes = []
            for px, w in zip(pxs, LABEL_PLOT_WIDTHS, strict=True):
                x0 = px - LABEL_GAP - width_px if align == "right" else px + LABEL_GAP
                boxes.append((x0, x0 + width_px, w))
            if any(x0 < -Y_AXIS_WIDTH + 8 or x1 > w + 4 for x0, x1, w in boxes):
                continue
            span = boxes[0][:2]
            if span not in spans:
                spans[span] = _spans(*span, curves_px)
            shift = _clearance(spans[span], above, py)  # over the optimum's dashed line only if nothing else is clear
            crossing = any(boxes[0][0] - 2 < v < boxes[0][1] + 2 for v in vlines)
            for _ in range(len(placed) + 1):  # move further away until no box meets a placed one
                moved = False
                for x0, x1, w in boxes:
                    y0 = py - LABEL_GAP - shift - LABEL_HEIGHT if above else py + LABEL_GAP + shift
                    for ox0, ox1, oy0, oy1, ow in placed:
                        if ow == w and x0 < ox1 + 2 and ox0 < x1 + 2 and y0 < oy1 + 2 and oy0 < y0 + LABEL_HEIGHT + 2:
                            shift += (y0 + LABEL_HEIGHT + 2 - oy0) if above else (oy1 + 2 - y0)
                            moved = True
                if not moved:
                    break
            if shift > LABEL_MAX_SHIFT:
                continue
            score = shift + 25 * rank + 100 * crossing
            if best is None or score < best[0]:
                best = (score, align, above, shift, boxes)
        if best is None:  # nowhere clear: above, toward the middle (the old placement)
            best = (0, "right" if lab["side"] == "right" else "left", True, 0.0, [])
        _, align, above, shift, boxes = best
        for x0, x1, w in boxes:
            y0 = py - LABEL_GAP - shift - LABEL_HEIGHT if above else py + LABEL_GAP + shift
            placed.append((x0, x1, y0, y0 + LABEL_HEIGHT, w))
        lab.update(
            align=align,
            baseline="bottom" if above else "top",
            dx=-LABEL_GAP if align == "right" else LABEL_GAP,
            dy=-(LABEL_GAP + shift) if above else LABEL_GAP + shift,
        )
    return labels


def _room(labels: list[dict], geo: _Geometry) -> list[float]:
    """Per label: a y value the domain must include so that the label stays in the plot
    (NaN when it fits as it is)."""
    out = []
    span = geo.height - 2 * EDGE_PADDING
    a, b = geo.ty(geo.y_lo), geo.ty(geo.y_hi)
    for lab in labels:
        py = geo.py(lab["y"])
        if lab.get("baseline") == "bottom":
            top = py + lab["dy"] - LABEL_HEIGHT
            over = EDGE_PADDING - 2 - top
            t = b + over / span * (b - a) * 1.25 if over > 0 else math.nan
        elif lab.get("baseline") == "top":
            bottom = py + lab["dy"] + LABEL_HEIGHT
            over = bottom - (geo.height - EDGE_PADDING + 2)
            t = a - over / span * (b - a) * 1.25 if over > 0 else math.nan
        else:
            t = math.nan
        out.append(10.0**t if geo.log_y and math.isfinite(t) else t)
    return out


def _label_rows(
    rows: list[dict],
    geo: _Geometry,
    curves: list[tuple[np.ndarray, np.ndarray]],
    *,
    y: str = "y",
    label: str = "label",
    at: str = "",
    shape: tuple[dict, ...] | None = None,
) -> None:
    """Place the labels of marker rows (in place): ``{at}align``, ``{at}baseline``,
    ``{at}dx``, ``{at}dy`` and ``{at}room`` (a y the domain must reach so that the label
    stays inside the plot). ``shape`` holds each row's slope and curvature signs."""
    labels = []
    for i, r in enumerate(rows):
        value = r.get(y)
        if not r.get(label) or value is None or not math.isfinite(value):
            continue
        sign = shape[i] if shape else {"slope": 0.0, "curvature": 0.0}
        labels.append({"x": r["x"], "y": value, "text": r[label], "side": r["side"], **sign, "row": r})
        labels[-1]["vline"] = r["role"] == "optimum"
    labels.sort(key=lambda lab: {"optimum": 0, "current": 1}.get(lab["row"]["role"], 2))
    if not labels:
        return
    curves = [_thin(*c) for c in curves]
    _place_labels(labels, geo, curves)
    # labels that reach past the plot widen the domain; then place again on that scale
    rooms = _room(labels, geo)
    above = [r for r, lab in zip(rooms, labels, strict=True) if lab["baseline"] == "bottom" and math.isfinite(r)]
    below = [r for r, lab in zip(rooms, labels, strict=True) if lab["baseline"] == "top" and math.isfinite(r)]
    if (above or below) and len(labels) > 1:
        # a squeezed scale brings the points closer: place the labels again on it (one
        # label only moves further from the curve it cleared, so it stays where it is)
        geo.y_hi, geo.y_lo = max([geo.y_hi, *above]), min([geo.y_lo, *below])
        _place_labels(labels, geo, curves)
        rooms = [
            (geo.y_hi if above else math.nan) if lab["baseline"] == "bottom" else (geo.y_lo if below else math.nan)
            for lab in labels
        ]
    for lab, room in zip(labels, rooms, strict=True):
        lab["row"].update(
            {
                f"{at}align": lab["align"],
                f"{at}baseline": lab["baseline"],
                f"{at}dx": float(lab["dx"]),
                f"{at}dy": float(lab["dy"]),
                f"{at}room": room,
            }
        )


def _slope_and_curvature(xs: np.ndarray, ys: np.ndarray, at: Sequence[float]) -> tuple[dict, ...]:
    """Signs of dy/dx and d²y/dx² of a sampled curve (finite, sorted by x) at each x of
    ``at`` (0 where too flat to tell), on axes scaled to the curve's ranges."""
    if len(xs) < 5:
        return tuple({"slope": 0.0, "curvature": 0.0} for _ in at)
    i = np.clip(np.searchsorted(xs, at), 2, len(xs) - 3)
    h = np.maximum(xs[i + 2] - xs[i - 2], 1e-300)
    scale = max(float(ys.max() - ys.min()), 1e-300)
    span = max(float(xs[-1] - xs[0]), 1e-300)
    slopes = ((ys[i + 2] - ys[i - 2]) / h * span / scale).tolist()
    curvatures = ((ys[i + 2] - 2 * ys[i] + ys[i - 2]) / (h / 2) ** 2 * span**2 / scale).tolist()
    return tuple(
        {
            "slope": math.copysign(1.0, s) if abs(s) > 0.05 else 0.0,
            "curvature": math.copysign(1.0, c) if abs(c) > 0.05 else 0.0,
        }
        for s, c in zip(slopes, curvatures, strict=True)
    )


# -- marker layers: one small `marks` dataset, drawn by role --------------------------------


#: How each role's marker is drawn: colour, shape, size, labelled?
MARKER_STYLE = {
    "critical": (COLORS["critical"], "circle", 70, False),
    "optimum": (COLORS["optimum"], "diamond", 140, True),
    "current": (COLORS["current"], "circle", 140, True),
}


def _marker_layers(marks: alt.NamedData, x: alt.X, y: alt.Y, tips: list, label: str = "label", at: str = "") -> list:
    """Dashed line at the optimum, a dot per marker, and its label where
    :func:`_place_labels` put it (align, baseline and offsets come with the data, in
    the columns prefixed ``at``: the marginal row reads ``d_align``, ``d_dy``, ...).

    One layer per role with plain colour values (a colour *scale* would clash with a
    chart's series colours, and Streamlit maps colour names in values to the theme)."""
    base = alt.Chart(marks).encode(x=x)
    layers = [
        base.mark_rule(strokeDash=[5, 4], strokeWidth=1.5)
        .encode(color=_value(COLORS["optimum"]))
        .transform_filter("datum.role === 'optimum'")
    ]
    points = base.encode(y=y)
    for role, (color, shape, size, labelled) in MARKER_STYLE.items():
        layers.append(
            points.mark_point(filled=True, opacity=1, shape=shape, size=size)
            .encode(color=_value(color), tooltip=tips)
            .transform_filter(f"datum.role === '{role}'")
        )
        if labelled:
            layers.append(
                points.mark_text(
                    fontSize=13,
                    fontWeight="bold",
                    align=alt.ExprRef(f"datum.{at}align || 'left'"),
                    baseline=alt.ExprRef(f"datum.{at}baseline || 'bottom'"),
                    dx=alt.ExprRef(f"datum.{at}dx || 0"),
                    dy=alt.ExprRef(f"datum.{at}dy || 0"),
                )
                .encode(text=alt.Text(f"{label}:N"), color=_value(color))
                .transform_filter(f"datum.role === '{role}' && datum.{label}")
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
        ("align", pa.string()),
        ("baseline", pa.string()),
        ("dx", pa.float64()),
        ("dy", pa.float64()),
        ("room", pa.float64()),
        ("d_align", pa.string()),
        ("d_baseline", pa.string()),
        ("d_dx", pa.float64()),
        ("d_dy", pa.float64()),
        ("d_room", pa.float64()),
    ]
)


def _mark_row(m: Marker, role: str, lo: float, hi: float, *, log: bool = False, **extra) -> dict:
    if log and min(m.x, lo, hi) > 0:
        m_x, lo, hi = math.log10(m.x), math.log10(lo), math.log10(hi)
    else:
        m_x = m.x
    side = "right" if m_x > lo + 0.5 * (hi - lo) else "left"
    return {"x": float(m.x), "y": float(m.y), "label": m.label, "role": role, "side": side, "level": 0.0, **extra}


def _levels(rows: list[dict], lo: float, hi: float, log: bool = False) -> list[dict]:
    """Number the labels of markers that sit closer together than a label is wide (on a
    phone-wide plot over ``lo``..``hi``): 0, 1, 2 from left to right within a cluster.
    (The placement itself is :func:`_place_labels`'s.)"""

    def pos(x: float) -> float:
        return math.log10(max(x, 1e-300)) if log else x

    span = (pos(hi) - pos(lo)) or 1.0
    ordered = sorted(rows, key=lambda r: r["x"])
    for prev, row in itertools.pairwise(ordered):
        gap_px = (pos(row["x"]) - pos(prev["x"])) / span * LABEL_PLOT_WIDTH
        near = gap_px < 7 * max(len(prev["label"]), len(row["label"])) + 12
        row["level"] = prev["level"] + 1.0 if near and prev["level"] < 2 else 0.0
    return rows


#: The marks of a chart of named curves: no tangent, no marginal row.
_LINE_MARK_SCHEMA = pa.schema(
    [
        f
        for f in _MARK_SCHEMA
        if f.name in ("x", "y", "label", "role", "side", "level", "align", "baseline", "dx", "dy", "room")
    ]
)


def _marks(rows: list[dict], schema: pa.Schema = _MARK_SCHEMA) -> pa.Table:
    """The marks dataset with a fixed schema, even when empty."""
    return pa.Table.from_pylist(rows, schema=schema)


def _tangent(curve: pd.DataFrame, at: Marker, slope: float, lo: float, hi: float) -> dict:
    """Ends of the tangent segment at the current point, short enough to stay in the y range."""
    values = _column(curve["value"])
    y_span = float(np.nanmax(values) - np.nanmin(values)) if np.isfinite(values).any() else 1.0
    w = TANGENT_HALF_WIDTH * (hi - lo)
    if slope != 0 and y_span > 0:
        w = min(w, 0.3 * y_span / abs(slope))
    x0, x1 = (float(v) for v in np.clip([at.x - w, at.x + w], lo, hi))
    return {"t_x0": x0, "t_x1": x1, "t_y0": at.y + slope * (x0 - at.x), "t_y1": at.y + slope * (x1 - at.x)}


# -- the objective and its marginal ---------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveRow(Row):
    """The objective: its curve, the tangent at the current point, the markers."""

    x_title: str | None
    y_title: str
    marginal_title: str
    x_format: str = ",.2f"
    y_format: str = ",.2f"
    d_format: str = ",.3f"
    height: int = 300
    roles: tuple[str, ...] = ("curve", "marks")
    #: A shaded band under the curve (dataset ``band``: x, low, high).
    has_band: bool = False
    #: A horizontal target line and the points where the curve meets it (dataset ``target``).
    has_target: bool = False

    def x_sources(self):
        return (("curve", "x"),)

    def y_sources(self):
        band = (("band", "low"), ("band", "high")) if self.has_band else ()
        target = (("target", "y"),) if self.has_target else ()
        return (("curve", "value"), ("marks", "room"), *band, *target)

    def chart_title(self):
        return _title("Objective", self.y_title)

    def layers(self, at: Place) -> list:
        tips = [
            _tip("x", self.x_title, self.x_format),
            _tip("value", self.y_title, self.y_format),
            _tip("derivative", self.marginal_title, self.d_format),
        ]
        mark_tips = [
            _tip("label", " ", kind="nominal"),
            _tip("x", self.x_title, self.x_format),
            _tip("y", self.y_title, self.y_format),
        ]
        x = _x_enc("x", at.x_title, at.x_format)
        y = _y_enc("value", self.y_format, domain=at.y_domain)
        base = alt.Chart(at.data("curve")).encode(x=x, y=y)
        tangent = (
            alt.Chart(at.data("marks"))
            .mark_rule(strokeDash=[6, 3], strokeWidth=2, clip=True)
            .encode(
                x=_x_enc("t_x0", at.x_title, at.x_format),
                x2="t_x1:Q",
                y=_y_enc("t_y0", self.y_format, domain=at.y_domain),
                y2="t_y1:Q",
                color=_value(COLORS["current"]),
            )
            .transform_filter("datum.role === 'current' && isValid(datum.t_x0)")
        )
        extra_below, extra_above = [], []
        if self.has_band:
            band_tips = [
                _tip("x", self.x_title, self.x_format),
                _tip("low", "5%", self.y_format),
                _tip("high", "95%", self.y_format),
            ]
            extra_below.append(
                alt.Chart(at.data("band"))
                .mark_area(opacity=0.2)
                .encode(
                    x=x,
                    y=_y_enc("low", self.y_format, domain=at.y_domain),
                    y2="high:Q",
                    color=_value(COLORS["objective"]),
                    tooltip=band_tips,
                )
            )
        if self.has_target:
            target = alt.Chart(at.data("target"))
            target_y = _y_enc("y", self.y_format, domain=at.y_domain)
            extra_above += [
                target.mark_rule(strokeDash=[2, 3], strokeWidth=2)
                .encode(y=target_y, color=_value(COLORS["target"]))
                .transform_filter("datum.kind === 'line'"),
                target.mark_point(filled=True, opacity=1, shape="diamond", size=110)
                .encode(
                    x=x,
                    y=target_y,
                    color=_value(COLORS["target"]),
                    tooltip=[_tip("x", self.x_title, self.x_format), _tip("y", self.y_title, self.y_format)],
                )
                .transform_filter("datum.kind === 'solution'"),
            ]
        return [
            *extra_below,
            base.mark_line(strokeWidth=3).encode(color=_value(COLORS["objective"])),
            base.mark_point(opacity=0, size=80).encode(tooltip=tips),
            tangent,
            *extra_above,
            *_marker_layers(at.data("marks"), x, _y_enc("y", self.y_format, domain=at.y_domain), mark_tips),
        ]


@dataclass(frozen=True)
class MarginalRow(Row):
    """The marginal (derivative) curve, zero line, and the markers at f'."""

    x_title: str | None
    y_title: str
    marginal_title: str
    x_format: str = ",.2f"
    d_format: str = ",.3f"
    height: int = 190
    roles: tuple[str, ...] = ("curve", "marks")

    def x_sources(self):
        return (("curve", "x"),)

    def y_sources(self):
        return (("curve", "derivative"), ("marks", "d"), ("marks", "d_room"))

    def y_extra(self):
        return (0.0,)

    def chart_title(self):
        return _title("Marginal (derivative)", self.marginal_title)

    def layers(self, at: Place) -> list:
        tips = [
            _tip("x", self.x_title, self.x_format),
            _tip("value", self.y_title, ",.2f"),
            _tip("derivative", self.marginal_title, self.d_format),
        ]
        d_tips = [
            _tip("d_label", " ", kind="nominal"),
            _tip("x", self.x_title, at.x_format),
            _tip("d", self.marginal_title, self.d_format),
        ]
        x = _x_enc("x", at.x_title, at.x_format)
        y = _y_enc("derivative", self.d_format, domain=at.y_domain)
        base = alt.Chart(at.data("curve")).encode(x=x, y=y)
        zero = (
            alt.Chart(alt.Data(values=[{"zero": 0.0}]))
            .mark_rule(strokeWidth=1.5)
            .encode(y=_y_enc("zero", self.d_format, domain=at.y_domain), color=_value(COLORS["zero"]))
        )
        marks_y = _y_enc("d", self.d_format, domain=at.y_domain)
        return [
            zero,
            base.mark_line(strokeWidth=2.5).encode(color=_value(COLORS["marginal"])),
            base.mark_point(opacity=0, size=80).encode(tooltip=tips),
            *_marker_layers(at.data("marks"), x, marks_y, d_tips, label="d_label", at="d_"),
        ]


def _objective_data(
    curve: pd.DataFrame,
    *,
    optimum: Marker | None,
    current: Marker | None,
    current_slope: float | None,
    points: tuple[Marker, ...],
    height: int,
    marginal_height: int,
) -> tuple[pa.Table, pa.Table, Callable[[float, float], pa.Table]]:
    """The curve and marks datasets of the objective and marginal rows (the same markers,
    with each row's label placement in its own columns), and a function that places the
    labels again for another x domain (a stacked chart's, which spans every row's x)."""
    n = len(curve)
    xs = _column(curve["x"]) if n else np.array([0.0, 1.0])
    values = _column(curve["value"])
    derivative = _column(curve["derivative"])
    lo, hi = float(np.nanmin(xs)), float(np.nanmax(xs))
    curve_table = pa.table({"x": xs[:n], "value": values, "derivative": derivative})
    ok, okd = np.isfinite(values), np.isfinite(derivative)

    def marks(x_lo: float, x_hi: float) -> pa.Table:
        # the markers and the tangent come from the curve's own range; only where labels go
        # (which side is the middle, how many pixels a label covers) depends on the x domain
        rows = []
        for p in points:
            if _finite(p):
                rows.append(_mark_row(p, "critical", x_lo, x_hi, d=0.0, d_label=""))
        if _finite(optimum):
            # f' is 0 at an interior optimum; at one on the boundary it need not be. Where the
            # optimum is comes from the engine (Optimum.at_boundary), never from reading the grid.
            edge = optimum.at_boundary if optimum.at_boundary is not None else optimum.x in (lo, hi)
            slope = float(np.interp(optimum.x, xs, derivative)) if edge and n else 0.0
            slope = slope if math.isfinite(slope) else 0.0
            d_label = f"f′ = {slope:.3g} (boundary)" if slope != 0 else "f′ = 0"
            rows.append(_mark_row(optimum, "optimum", x_lo, x_hi, d=slope, d_label=d_label))
        if _finite(current) and lo <= current.x <= hi:
            extra = {"d": None, "d_label": ""}
            if current_slope is not None and math.isfinite(current_slope):
                extra = {"d": float(current_slope), "d_label": "", **_tangent(curve, current, current_slope, lo, hi)}
            rows.append(_mark_row(current, "current", x_lo, x_hi, **extra))
        if rows and ok.sum() > 1:
            cx, cy = xs[ok], values[ok]
            curves = [(cx, cy)]
            for r in rows:
                if "t_x0" in r:  # the tangent is drawn through the current point: a label clears it
                    curves.append((np.array([r["t_x0"], r["t_x1"]]), np.array([r["t_y0"], r["t_y1"]])))
            shape = _slope_and_curvature(cx, cy, [r["x"] for r in rows])
            geo = _Geometry(x_lo, x_hi, float(cy.min()), float(cy.max()), height, False, False)
            _label_rows(rows, geo, curves, shape=shape)
        if rows and okd.sum() > 1:
            cx, cd = xs[okd], derivative[okd]
            d_marks = [r["d"] for r in rows if r.get("d") is not None]
            d_lo, d_hi = min(float(cd.min()), 0.0, *d_marks), max(float(cd.max()), 0.0, *d_marks)
            geo = _Geometry(x_lo, x_hi, d_lo, d_hi, marginal_height, False, False)
            shape = _slope_and_curvature(cx, cd, [r["x"] for r in rows])
            curves = [(cx, cd), (np.array([x_lo, x_hi]), np.array([0.0, 0.0]))]
            _label_rows(rows, geo, curves, y="d", label="d_label", at="d_", shape=shape)
        return _marks(rows)

    return curve_table, marks(lo, hi), functools.lru_cache(maxsize=4)(marks)


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
    band: pd.DataFrame | None = None,
    target: float | None = None,
    solutions: Sequence[float] = (),
) -> tuple[Spec, Spec]:
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
    band : DataFrame, optional
        Columns ``x``, ``low``, ``high``: a shaded band under the objective (the 5–95%
        envelope of resampled curves, a range of rates).
    target : float, optional
        A horizontal target line on the objective (left out when it lies farther from the
        curve than the curve's own height, so that it never flattens the curve), and
    solutions : sequence of float
        the x where the objective meets it, marked on the line.

    Returns
    -------
    (objective spec, marginal spec) as Vega-Lite dicts over the ``curve`` and ``marks``
    datasets. :func:`objective_spec` (and :func:`stack`) puts them in one chart.

    Examples
    --------
    >>> from optimizers import pricing as pr
    >>> r = pr.analyse(pr.linear_demand(1300, 10), 20, 50)
    >>> top, bottom = objective_chart(r.curve, x_title="Price ($)", y_title="Profit ($)",
    ...     marginal_title="$ per $1", optimum=Marker(75.0, 30250.0, "optimum $75"))
    >>> top["datasets"]["marks"].to_pylist()[0]["y"]
    30250.0
    """
    curve_table, marks, relabel = _objective_data(
        curve,
        optimum=optimum,
        current=current,
        current_slope=current_slope,
        points=points,
        height=height,
        marginal_height=marginal_height,
    )
    extra = {}
    if band is not None:
        extra["band"] = _table(band[["x", "low", "high"]])
    if target is not None:
        extra["target"] = _target_table(curve, float(target), solutions)
    top = ObjectiveRow(
        x_title,
        y_title,
        marginal_title,
        x_format,
        y_format,
        d_format,
        height,
        roles=("curve", "marks", *extra),
        has_band="band" in extra,
        has_target="target" in extra,
    )
    bottom = MarginalRow(x_title, y_title, marginal_title, x_format, d_format, marginal_height)
    tables = _Tables({"curve": curve_table, "marks": marks, **extra}, relabel=lambda lo, hi: {"marks": relabel(lo, hi)})
    return render((top, tables)), render((bottom, tables))


_TARGET_SCHEMA = pa.schema([("x", pa.float64()), ("y", pa.float64()), ("kind", pa.string())])


def _target_table(curve: pd.DataFrame, target: float, solutions: Sequence[float]) -> pa.Table:
    """The target line (one row, kind "line") and its solutions (kind "solution") at y = target.

    The line is left out when it lies farther from the curve than the curve's own height:
    the y scale takes it in, and a far target would flatten the curve to a line."""
    values = _column(curve["value"])
    rows = [{"x": float(x), "y": target, "kind": "solution"} for x in solutions if math.isfinite(x)]
    if np.isfinite(values).any() and math.isfinite(target):
        lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
        span = hi - lo if hi > lo else max(abs(hi), 1.0)
        if lo - span <= target <= hi + span:
            rows.append({"x": None, "y": target, "kind": "line"})
    return pa.Table.from_pylist(rows, schema=_TARGET_SCHEMA)


def objective_spec(curve: pd.DataFrame, **kwargs) -> Spec:
    """:func:`objective_chart` as one chart: the objective above its marginal, sharing
    the x axis pixel for pixel and one copy of the curve."""
    return stack(*objective_chart(curve, **kwargs))


def stack(*specs: Spec) -> Spec:
    """Put charts made here under one another as one Vega-Lite chart with one x axis.

    The rows are declared again, one under another (never edited as text): they share
    their datasets (one copy when two rows use the same table; a dataset name used by two
    rows for different tables is suffixed with the second row's index), the x domain is
    the union of the rows' x data, and only the last row keeps its x-axis title when all
    rows have the same one.

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
    parts = [part for spec in specs for part in spec.parts]
    # One x scale for all rows: a row whose own x range is narrower (Fuel's trip cost starts
    # where the economy curve does not) has its point labels placed again on the shared one.
    shared = _x_extent(parts)
    if shared is not None:
        for i, (row, tables) in enumerate(parts):
            if isinstance(tables, _Tables) and _x_extent([(row, tables)]) != shared:
                new = tables.relabel(*shared)
                if new:
                    parts[i] = (row, _Tables({**tables, **new}, tables.relabel))
    return render(*parts)


def frozen(spec: dict) -> dict:
    """The spec with its datasets already Arrow IPC bytes, for a spec a page keeps in a cache.

    ``st.vega_lite_chart`` serialises every named ``pa.Table`` on every rerun (6% of a loaded
    Compounding server's samples) and sends bytes it is given as they are (read in
    streamlit/elements/vega_charts.py, ``_marshall_chart_data``), so a cached chart is
    serialised once. The bytes are Streamlit's own serialisation: what the browser receives does
    not change. The result is drawn with :func:`show`; it cannot be stacked.

    >>> df = pd.DataFrame({"t": [0.0, 1.0], "v": [1.0, 2.0], "s": ["a", "a"]})
    >>> spec = frozen(lines_chart(df, x="t", y="v", series="s", x_title="t", y_title="v"))
    >>> sorted((name, type(data).__name__) for name, data in spec["datasets"].items())
    [('lines', 'bytes'), ('marks', 'bytes')]
    """
    from streamlit.dataframe_util import convert_anything_to_arrow_bytes

    datasets = {name: convert_anything_to_arrow_bytes(data) for name, data in spec.get("datasets", {}).items()}
    return {**spec, "datasets": datasets}


def show(spec: dict) -> None:
    """Draw one spec (a chart made here, or several stacked) at the column's full width.

    A spec without its own padding gets :data:`PADDING`, so that its title's glyphs are
    not cut off at the top.
    """
    st.vega_lite_chart({"padding": PADDING, **spec}, width="stretch")


def show_objective(curve: pd.DataFrame, **kwargs) -> None:
    """Render :func:`objective_spec`: the objective above its marginal, as one chart."""
    show(objective_spec(curve, **kwargs))


# -- several named curves -------------------------------------------------------------------


def _legend(names: Sequence[str]) -> alt.Legend:
    """Legend under the chart, in as many columns as fit a phone's width. Vega aligns the
    entries in a grid, so a column is as wide as its widest entry.

    >>> _legend(["Now", "Cheaper parts", "A rather long scenario name"]).columns
    1
    """
    widths = [6 * len(n) + 32 for n in names]  # 11 px labels; symbol and column gap 32 px (measured at 390 px)
    columns = len(names)
    while columns > 1 and sum(max(widths[j::columns]) for j in range(columns)) > LEGEND_WIDTH:
        columns -= 1
    return alt.Legend(orient="bottom", direction="horizontal", columns=columns, labelLimit=LEGEND_WIDTH - 34)


def _color(series: str, names: Sequence[str], palette: Sequence[str], legend: alt.Legend | None = None) -> alt.Color:
    return alt.Color(
        field=series,
        type="nominal",
        title=None,
        scale=alt.Scale(domain=list(names), range=list(palette)),
        legend=legend if legend is not None else _legend(names),
    )


def _palette(names: Sequence[str], colors: dict[str, str] | None) -> tuple[str, ...]:
    return tuple(_theme((colors or {}).get(n, SERIES[i % len(SERIES)])) for i, n in enumerate(names))


def _group_sums(values: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group, the sum of ``values`` in row order with Kahan's compensation, as pandas'
    ``groupby(...).sum()`` compensates, without its per-call overhead (values here are
    finite). Equal to pandas' sums to within one unit in the last place: 3 of 3,000 random
    stacks differed by one ulp (tests/ui/test_charts.py checks rel=1e-15)."""
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    rank = np.arange(len(codes)) - np.repeat(starts, np.diff(np.r_[starts, len(codes)]))
    total, comp = np.zeros(n_groups), np.zeros(n_groups)
    for r in range(int(rank.max()) + 1 if len(rank) else 0):
        rows = order[rank == r]  # at most one row per group: the r-th of each
        g = codes[rows]
        y = values[rows] - comp[g]
        t = total[g] + y
        c = t - total[g] - y
        comp[g] = np.where(np.isnan(c), 0.0, c)  # an overflow to inf, as pandas handles it
        total[g] = t
    return total


def _stack_bounds(data: pd.DataFrame, x: str, y: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-row top and bottom of a zero-based stack (positives up, negatives down).

    >>> df = pd.DataFrame({"t": [0.0, 0.0, 1.0, 1.0], "v": [1.0, -2.0, 3.0, 4.0]})
    >>> [b.tolist() for b in _stack_bounds(df, "t", "v")]
    [[1.0, 1.0, 7.0, 7.0], [-2.0, -2.0, 0.0, 0.0]]
    """
    v = _column(data[y])
    xs = np.asarray(data[x].to_numpy(), dtype=float)
    keyed = ~np.isnan(xs)  # pandas leaves rows without a group out: NaN there
    pos, neg = np.full(len(xs), np.nan), np.full(len(xs), np.nan)
    if keyed.any():
        _, codes = np.unique(xs[keyed], return_inverse=True)
        codes = codes.ravel()
        n = int(codes.max()) + 1
        pos[keyed] = _group_sums(np.where(v[keyed] > 0, v[keyed], 0.0), codes, n)[codes]
        neg[keyed] = _group_sums(np.where(v[keyed] < 0, v[keyed], 0.0), codes, n)[codes]
    return pos, neg


@dataclass(frozen=True)
class LinesRow(Row):
    """Several named curves (long format) with optional dots, a horizontal reference
    line, a shaded x band, and labelled markers (the shape of :func:`lines_chart`)."""

    x: str
    y: str
    series: str
    x_title: str | None
    y_title: str
    names: tuple[str, ...]
    palette: tuple[str, ...]
    x_format: str = ",.2f"
    y_format: str = ",.2f"
    height: int = 300
    title: str = ""
    log_x: bool = False
    log_y: bool = False
    stacked_area: bool = False
    dashed: tuple[str, ...] = ()
    has_points: bool = False
    rule_y: float | None = None
    has_band: bool = False
    hover_by_x: bool = False

    @property
    def roles(self) -> tuple[str, ...]:
        extra = (*(("points",) if self.has_points else ()), *(("band",) if self.has_band else ()))
        return ("lines", *extra, *(("hover",) if self.hover_by_x else ()), "marks")

    def x_sources(self):
        return (("lines", self.x), *((("points", self.x),) if self.has_points else ()))

    def y_sources(self):
        ys = (("lines", "stack_top"), ("lines", "stack_bottom")) if self.stacked_area else (("lines", self.y),)
        return (*ys, *((("points", self.y),) if self.has_points else ()), ("marks", "y"), ("marks", "room"))

    def y_extra(self):
        return (float(self.rule_y),) if self.rule_y is not None and not self.log_y else ()

    def chart_title(self):
        return _title(self.title, self.y_title) if self.title else _title(self.y_title)

    def layers(self, at: Place) -> list:
        x_enc = _x_enc(self.x, at.x_title, at.x_format, self.log_x)
        stack = "zero" if self.stacked_area else None
        y_enc = _y_enc(self.y, self.y_format, self.log_y, domain=at.y_domain, stack=stack)
        tips = [
            _tip(self.series, " ", kind="nominal"),
            _tip(self.x, self.x_title, self.x_format),
            _tip(self.y, self.y_title, self.y_format),
        ]
        color = _color(self.series, self.names, self.palette)
        base = alt.Chart(at.data("lines")).encode(x=x_enc, y=y_enc)
        if self.stacked_area:  # the first series at the bottom of the stack
            main = base.mark_area(opacity=0.85, line=True).encode(
                color=color, tooltip=tips, order=alt.Order(field="stack_order", type="quantitative")
            )
        else:
            main = base.mark_line(strokeWidth=2.5).encode(color=color, tooltip=tips)
            if self.dashed:
                main = main.encode(
                    strokeDash=alt.condition(
                        alt.FieldOneOfPredicate(field=self.series, oneOf=list(self.dashed)),
                        alt.value([6, 4]),
                        alt.value([1, 0]),
                    )
                )
        layers = [main, self._hover(at, x_enc, tips, base)]
        flat_y = _y_enc(self.y, self.y_format, self.log_y, domain=at.y_domain, stack=None)
        if self.has_band:
            layers.insert(
                0,
                alt.Chart(at.data("band"))
                .mark_rect(opacity=0.12)
                .encode(x=_x_enc("x0", at.x_title, at.x_format, self.log_x), x2="x1:Q", color=_value("green")),
            )
        if self.rule_y is not None:
            layers.insert(
                0,
                alt.Chart(alt.Data(values=[{"rule": float(self.rule_y)}]))
                .mark_rule(strokeWidth=1.5)
                .encode(
                    y=_y_enc("rule", self.y_format, self.log_y, domain=at.y_domain, stack=None),
                    color=_value(COLORS["zero"]),
                ),
            )
        if self.has_points:
            layers.append(
                alt.Chart(at.data("points"))
                .mark_circle(size=90, opacity=0.9)
                .encode(x=x_enc, y=flat_y, color=color, tooltip=tips)
            )
        mark_tips = [
            _tip("label", " ", kind="nominal"),
            _tip("x", self.x_title, self.x_format),
            _tip("y", self.y_title, self.y_format),
        ]
        marks_y = _y_enc("y", self.y_format, self.log_y, domain=at.y_domain, stack=None)
        marks_x = _x_enc("x", at.x_title, at.x_format, self.log_x)  # the marks' own column, whatever the curves' x is
        return [*layers, *_marker_layers(at.data("marks"), marks_x, marks_y, mark_tips)]

    def _hover(self, at: Place, x_enc: alt.X, tips: list, base: alt.Chart) -> alt.Chart:
        """What hovering shows: with ``hover_by_x``, an invisible full-height rule per x of
        the ``hover`` table (:func:`_by_x`) whose tooltip lists every curve's value there;
        otherwise an invisible point per curve and x with its own tooltip."""
        if not self.hover_by_x:
            return base.mark_point(opacity=0, size=80).encode(tooltip=tips)
        wide = [_tip(self.x, self.x_title, self.x_format)]
        wide += [_tip(f"{_HOVER_FIELD}{i}", name, self.y_format) for i, name in enumerate(self.names)]
        rule = alt.Chart(at.data("hover")).mark_rule(opacity=0, strokeWidth=HOVER_WIDTH)
        return rule.encode(x=x_enc, tooltip=wide)


_HOVER_FIELD = "hover_"


def _plain_title(name: object, x_title: str | None) -> bool:
    """Whether a series name can be a tooltip title of the hover by x: Vega-Lite writes the
    titles into an expression and escapes only ``"``, so a backslash, a control character or a
    line separator (a scenario or activity name a visitor typed) would break the whole chart;
    and a title equal to the x title would hide that series' value (duplicate keys)."""
    if not isinstance(name, str) or not name.strip() or name == x_title:
        return False
    return name.isprintable() and "\\" not in name


def _by_x(
    data: pd.DataFrame, x: str, y: str, series: str, names: tuple[str, ...], x_title: str | None = None
) -> pa.Table | None:
    """One row per x value with every series' y there (columns ``x`` and ``hover_0``, ...,
    in the order of ``names``), when all series share one x grid, each x once per series,
    every y is finite, at most HOVER_SERIES of them and every name a plain title
    (:func:`_plain_title`); None otherwise (hover stays per point).

    >>> df = pd.DataFrame({"t": [0.0, 1.0, 0.0, 1.0], "v": [1.0, 2.0, 3.0, 4.0], "s": ["a", "a", "b", "b"]})
    >>> _by_x(df, "t", "v", "s", ("a", "b")).to_pydict()
    {'t': [0.0, 1.0], 'hover_0': [1.0, 2.0], 'hover_1': [3.0, 4.0]}
    >>> _by_x(df.iloc[:3], "t", "v", "s", ("a", "b")) is None  # b has no value at t = 1
    True
    """
    if not 1 < len(names) <= HOVER_SERIES or x.startswith(_HOVER_FIELD) or not len(data):
        return None
    if not all(_plain_title(name, x_title) for name in names):
        return None
    xs, ys = _column(data[x]), _column(data[y])
    codes = np.asarray(pd.Categorical(data[series], categories=list(names)).codes)  # -1: not in names
    n = len(names)
    if len(xs) % n or (codes < 0).any() or np.isnan(xs).any() or np.isnan(ys).any():
        return None  # a missing value would read "NaN" in the tooltip
    grid = np.unique(xs)
    if len(grid) * n != len(xs):
        return None
    where = np.searchsorted(grid, xs)
    cells = where * n + codes
    if len(np.unique(cells)) != len(cells):  # an x twice in one series
        return None
    wide = np.full(len(grid) * n, np.nan)
    wide[cells] = ys
    wide = wide.reshape(len(grid), n)
    return pa.table({x: grid, **{f"{_HOVER_FIELD}{i}": wide[:, i] for i in range(n)}})


def _lines_geometry(
    cx: np.ndarray,
    cy: np.ndarray,
    codes: np.ndarray | None,
    n_series: int,
    rows: list[dict],
    rule_y: float | None,
    height: int,
    log_x: bool,
    log_y: bool,
) -> tuple[_Geometry | None, list[tuple[np.ndarray, np.ndarray]]]:
    """The plot geometry and the drawn curves (each sorted by x) that marker labels must
    clear; ``codes`` numbers each point's series (None: one curve)."""
    ok = np.isfinite(cx) & np.isfinite(cy)
    if log_y:
        ok &= cy > 0
    groups = [ok] if codes is None else [ok & (codes == i) for i in range(n_series)]
    curves = []
    for g in groups:
        gx, gy = cx[g], cy[g]
        if len(gx) > 1 and (np.diff(gx) < 0).any():
            order = np.argsort(gx, kind="stable")
            gx, gy = gx[order], gy[order]
        curves.append((gx, gy))
    ys = [v for v in (r["y"] for r in rows) if math.isfinite(v) and (v > 0 or not log_y)]
    if ok.any():
        ys += [float(cy[ok].min()), float(cy[ok].max())]
    if rule_y is not None and not log_y:
        ys.append(float(rule_y))
    if not ys:
        return None, curves
    finite = cx[np.isfinite(cx)]
    lo, hi = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    return _Geometry(lo, hi, min(ys), max(ys), height, log_x, log_y), curves


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
) -> Spec:
    """Several named curves (long format: one row per x and series) in one chart.

    ``dashed`` series are drawn dashed; ``points`` (same columns) are drawn as dots;
    ``rule_y`` draws a horizontal reference line; ``optimum`` and ``markers`` mark points
    with a dashed vertical line and a label; ``band`` shades an x range. ``colors`` maps
    series to Streamlit colour names, which follow the light/dark theme (the hex colours
    pages used before are mapped to the nearest name; any other colour is a ValueError).

    Examples
    --------
    >>> df = pd.DataFrame({"t": [0.0, 1.0, 0.0, 1.0], "v": [1.0, 2.0, 3.0, 1.0], "s": ["a", "a", "b", "b"]})
    >>> spec = lines_chart(df, x="t", y="v", series="s", x_title="t", y_title="v")
    >>> spec["datasets"]["lines"].num_rows, spec["layer"][0]["encoding"]["color"]["scale"]["domain"]
    (4, ['a', 'b'])
    """
    names = tuple(dict.fromkeys(data[series].tolist()))
    lines = _table(data, (x, y, series))
    if stacked_area:
        top, bottom = _stack_bounds(data, x, y)
        # Each row's series numbered in order of appearance, as `names` (factorize: ~20x cheaper
        # than Series.map with a dict on a string column; a row without a series stays NaN).
        codes = pd.factorize(data[series])[0].astype(float)
        order = np.where(codes < 0, np.nan, codes)
        lines = (
            lines.append_column("stack_top", pa.array(top))
            .append_column("stack_bottom", pa.array(bottom))
            .append_column("stack_order", pa.array(order))
        )
    tables = {"lines": lines}
    hover = _by_x(data, x, y, series, names, x_title)
    if hover is not None:
        tables["hover"] = hover
    has_points = points is not None and len(points) > 0
    if has_points:
        tables["points"] = _table(points, (x, y, series))
    has_band = band is not None and all(map(math.isfinite, band))
    if has_band:
        tables["band"] = pa.table({"x0": [float(band[0])], "x1": [float(band[1])]})
    xs = _column(data[x]) if len(data) else np.array([0.0, 1.0])
    lo, hi = float(np.nanmin(xs)), float(np.nanmax(xs))
    labelled = [m for m in (optimum, *markers) if _finite(m)]

    @functools.lru_cache(maxsize=4)
    def marks(x_lo: float, x_hi: float) -> pa.Table:
        """The marks with their labels placed on an x domain of ``x_lo``..``x_hi``."""
        rows = _levels([_mark_row(m, "optimum", x_lo, x_hi, log=log_x) for m in labelled], x_lo, x_hi, log_x)
        if rows and len(data):
            cy = lines.column("stack_top").to_numpy() if stacked_area else _column(data[y])
            codes = None
            if not stacked_area and len(names) > 1:  # series numbered in order of appearance, as names
                codes = pc.dictionary_encode(lines.column(series)).combine_chunks().indices.to_numpy()
            geo, curves = _lines_geometry(xs, cy, codes, len(names), rows, rule_y, height, log_x, log_y)
            if geo is not None:
                geo.lo, geo.hi = x_lo, x_hi
                _label_rows(rows, geo, curves)
        return _marks(rows, _LINE_MARK_SCHEMA)

    tables["marks"] = marks(lo, hi)
    tables = _Tables(tables, relabel=lambda a, b: {"marks": marks(a, b)} if labelled else {})
    row = LinesRow(
        x=x,
        y=y,
        series=series,
        x_title=x_title,
        y_title=y_title,
        names=names,
        palette=_palette(names, colors),
        x_format=x_format,
        y_format=y_format,
        height=height,
        title=title,
        log_x=log_x,
        log_y=log_y,
        stacked_area=stacked_area,
        dashed=tuple(dashed),
        has_points=has_points,
        rule_y=None if rule_y is None else float(rule_y),
        has_band=has_band,
        hover_by_x=hover is not None,
    )
    return render((row, tables))


@dataclass(frozen=True)
class FitRow(Row):
    """Observed points (dots) with fitted curves named in a legend."""

    x: str
    y: str
    x_title: str | None
    y_title: str
    names: tuple[str, ...]
    height: int = 280
    x_format: str = ",.2f"
    y_format: str = ",.1f"
    roles: tuple[str, ...] = ("fits", "observed")

    def x_sources(self):
        return (("fits", self.x), ("observed", self.x))

    def y_sources(self):
        return (("fits", self.y), ("observed", self.y))

    def chart_title(self):
        return _title("Your data and the fits", self.y_title)

    def layers(self, at: Place) -> list:
        x_enc = _x_enc(self.x, at.x_title, at.x_format)
        y_enc = _y_enc(self.y, self.y_format, domain=at.y_domain)
        legend = alt.Legend(orient="bottom", direction="horizontal", columns=1, labelLimit=LEGEND_WIDTH + 26)
        color = _color("fit", self.names, [SERIES[i % len(SERIES)] for i in range(len(self.names))], legend)
        fits = alt.Chart(at.data("fits")).encode(x=x_enc, y=y_enc)
        observed = alt.Chart(at.data("observed")).encode(x=x_enc, y=y_enc)
        return [
            fits.mark_line(strokeWidth=2.5).encode(
                color=color,
                tooltip=[
                    _tip("fit", " ", kind="nominal"),
                    _tip(self.x, self.x_title, self.x_format),
                    _tip(self.y, self.y_title, self.y_format),
                ],
            ),
            observed.mark_circle(size=90, opacity=0.85).encode(
                color=_value("gray"),
                tooltip=[_tip(self.x, self.x_title, self.x_format), _tip(self.y, self.y_title, self.y_format)],
            ),
        ]


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
) -> Spec:
    """Observed points (dots) with fitted curves (``lines`` has a ``fit`` column).

    Examples
    --------
    >>> pts = pd.DataFrame({"s": [30.0, 60.0], "m": [20.0, 25.0]})
    >>> fits = pd.DataFrame({"s": [30.0, 60.0], "m": [21.0, 24.0], "fit": ["line", "line"]})
    >>> sorted(fit_chart(pts, fits, x="s", y="m", x_title="s", y_title="m")["datasets"])
    ['fits', 'observed']
    """
    names = tuple(dict.fromkeys(lines["fit"].tolist()))
    row = FitRow(x, y, x_title, y_title, names, height, x_format, y_format)
    return render((row, {"fits": _table(lines, (x, y, "fit")), "observed": _table(points, (x, y))}))
