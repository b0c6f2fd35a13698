"""Your own surface: type f(x, y); every critical point in a box by kind, the certified global
optimum, the optimum on a constraint g(x, y) = 0 with its multiplier, and a path. Layout only:
numbers from optimizers.surface (in the worker pool), words from explain.surface."""

import streamlit as st

from explain import surface as words
from optimizers import expression as ex
from optimizers import surface as sf
from runtime import budget
from runtime.workpool import Busy, Cancelled, WorkTimeout
from ui import charts2d, inputs, layout, work
from ui.export import csv_download, markdown_table
from ui.surface import analyse, path, plan, symbolic


def load_preset(key: str) -> None:
    f, (x_lo, x_hi, y_lo, y_hi), goal, g, (x0, y0) = sf.PRESETS[key]
    st.session_state.update(f=f, x_lo=x_lo, x_hi=x_hi, y_lo=y_lo, y_hi=y_hi, goal=goal, g=g or "", x0=x0, y0=y0)


def field(widget, key: str, *args, **kwargs):
    label, help = words.LABELS[key]
    return widget(label, key, *args, help=help, **kwargs)


st.title(words.TITLE)
st.markdown(words.STORY)
st.caption(words.PRESETS_CAPTION)
for key, col in zip(sf.PRESETS, st.columns(4) * 2, strict=False):
    label, help = words.PRESET_LABELS[key], words.PRESET_HELP[key]
    col.button(label, key=f"preset_{key}", help=help, on_click=load_preset, args=(key,), width="stretch")

with st.container(border=True):
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    f = field(inputs.text, "f", sf.DEFAULT_FORMULA, max_chars=ex.MAX_LENGTH, where=c1).strip()
    goal = field(inputs.select, "goal", ["min", "max"], sf.DEFAULT_GOAL, where=c2)
    g = field(inputs.text, "g", "", max_chars=ex.MAX_LENGTH, where=c1).strip()
    box_row, path_row = st.columns(4), st.columns(4, vertical_alignment="bottom")
    numbers = zip(words.NUMBER_KEYS, (*sf.DEFAULT_BOX, *sf.DEFAULT_START), [*box_row, *path_row], strict=False)
    x_lo, x_hi, y_lo, y_hi, x0, y0 = (
        field(inputs.number, k, -1e6, 1e6, d, 0.5, fmt="%g", where=c) for k, d, c in numbers
    )
    method = field(inputs.select, "method", list(sf.PATH_METHODS), "gradient", where=path_row[2])
box, asked = (x_lo, x_hi, y_lo, y_hi), (x0, y0)

if problem := words.bad_box(*box):
    st.error(problem)
    st.stop()
for typed, constraint in [(f, False), (g, True)][: 2 if g else 1]:
    if error := work.attempt(symbolic, typed, constraint)[1]:
        st.error(words.cannot_use(error, constraint))
        st.stop()
full, lean = plan(f, g)
certificate = full.seconds <= budget.CAP_SECONDS  # the certified search is left out first when time is short
r, curve = work.attempt(analyse, f, g, box, goal, certificate, cost=full if certificate else lean)
if problem := words.undefined(r):
    st.error(problem)
    st.stop()
start, p, why = words.clamp(r.box, *asked), None, ""
try:
    p = path(f, box, start, goal, method)
except (Busy, WorkTimeout, TimeoutError):
    why = words.BUSY
except Cancelled:
    st.stop()

layout.metrics([layout.Metric(*m) for m in words.metrics(r)], per_row=len(words.metrics(r)))
head, detail, ok = words.badge(r, words.skipped(full.seconds, budget.CAP_SECONDS))
if head:  # none with a constraint: the search certifies f without it, not the answer shown
    st.badge(head, icon=":material/verified:" if ok else ":material/help:", color="green" if ok else "gray")
st.caption(detail)
st.markdown(words.answer(r))
for kind, note in words.notes(r):
    getattr(st, kind)(note)

left, right = st.columns([1.1, 1], gap="large")
with left:
    marks = [charts2d.Mark(*m) for m in words.marks(r, start)]
    spec = charts2d.surface_map(r.grid, **words.chart(r), points=r.table(), field=r.field, curve=curve, marks=marks,
                                path=p.points if p else None)  # fmt: skip
    charts2d.show(spec)
    st.caption(words.CHART_CAPTION)
with right:
    st.latex(words.latex(r))
    st.markdown(words.path_text(p, r.box, asked, goal, method, r.f_scale, constrained=bool(g), why=why))
    st.markdown(words.points_caption(r))
    if r.critical_points:
        st.markdown(markdown_table(words.points_table(r)))
    csv_download(r.table(), words.CSV_FILE, words.CSV_LABEL)
inputs.share_line()
