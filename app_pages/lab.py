"""The derivative lab: the Goldilocks zone for h, sigmoid overflow and the gradient check."""

import streamlit as st

from explain import lab as el
from optimizers import difflab as lab
from optimizers import expression as ex
from optimizers.difflab import Status
from ui import charts, inputs, layout, work
from ui.export import csv_download
from ui.lab import examine, symbolic

st.title(el.TITLE)
st.write(el.STORY)


c1, c2 = st.columns([3, 1])
text = inputs.text("f(x) =", "f", "x**2", max_chars=ex.MAX_LENGTH, where=c1)
x = inputs.number("at x =", "x", -1e6, 1e6, 3.0, 1.0, where=c2)
parsed, error = work.attempt(symbolic, text)
if parsed is None:
    st.error(el.cannot_use(error))
    st.stop()
r = work.attempt(examine, text, x)
f_tex, d1_tex, _ = parsed.latex()
lines, side_by_side = el.latex(r, f_tex, d1_tex)
for col, tex in zip(st.columns(3) if side_by_side else [st], lines, strict=False):
    col.latex(tex)

message = el.status_message(r)
if r.status == Status.UNDEFINED:
    st.error(message, icon=":material/block:")
elif r.status == Status.OVERFLOW:
    st.warning(message, icon=":material/warning:")
elif message:
    st.info(message, icon=":material/info:")
if el.true_value(r):
    st.info(el.true_value(r))
if r.status in (Status.KINK, Status.VERTICAL):
    layout.metrics([layout.Metric(*m) for m in el.side_metrics(r)], per_row=2)

if r.status == Status.SMOOTH:
    markers = tuple(charts.Marker(*m) for m in el.step_markers(r))
    charts.show(charts.lines_chart(r.probe.errors, markers=markers, **el.errors_chart(r)))
    st.markdown(el.cancellation(r))
    csv_download(r.probe.errors, "derivative_lab.csv", "Download errors (CSV)")
elif r.status in (Status.KINK, Status.VERTICAL):
    shown = lab.estimates(parsed.callables()[0], x)
    charts.show(charts.lines_chart(shown, **el.estimates_chart()))
    csv_download(shown, "derivative_lab.csv", "Download estimates (CSV)")

st.subheader(el.CHECK_TITLE)
if r.status != Status.SMOOTH:
    st.info(el.not_applicable(r))
else:
    layout.metrics([layout.Metric(*m) for m in el.check_metrics(r)])
    (st.success if r.passes else st.warning)(el.check_verdict(r))

st.subheader(el.SIGMOID_TITLE)
st.write(el.SIGMOID_TEXT)
st.markdown(el.sigmoid_markdown(lab.sigmoid_table()))
inputs.share_line()
