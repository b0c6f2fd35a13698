"""Your own function: type f(x), get f', f'', every critical point and the global optimum,
a certificate that nothing in the interval beats it, and, when the formula has the
parameter a, what moves the optimum."""

import streamlit as st

from explain import custom as ec
from explain.engine import point_label
from optimizers import custom as cf
from optimizers import expression as ex
from ui import charts, custom, inputs, layout, safe, sensitivity, work
from ui.export import table_section

st.title(ec.TITLE)
st.write(ec.STORY)


def load_preset(key: str) -> None:
    _, text, lo, hi, goal, _ = ex.PRESETS[key]
    st.session_state.update(f=text, lo=lo, hi=hi, goal=goal, **({"a": ex.PRESET_A[key]} if key in ex.PRESET_A else {}))


st.caption(ec.PRESETS_CAPTION)
cols = st.columns(4)
for i, (key, (label, *_)) in enumerate(ex.PRESETS.items()):
    cols[i % 4].button(label, key=f"preset_{key}", on_click=load_preset, args=(key,), width="stretch")
c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
text = inputs.text("f(x) =", "f", "x**2 - 10*x + 100", max_chars=ex.MAX_LENGTH, where=c1)
lo = inputs.number("from x =", "lo", -1e6, 1e6, 0.0, 1.0, where=c2)
hi = inputs.number("to x =", "hi", -1e6, 1e6, 10.0, 1.0, where=c3)
with c4:
    goal = inputs.select("Find the", "goal", ["min", "max"], "min")

if not hi > lo:
    st.error(ec.bad_interval(lo, hi))
    st.stop()
parsed, error = work.attempt(custom.symbolic, text)
if parsed is None:
    st.error(ec.cannot_use(error))
    st.stop()
a = None
if parsed.has_param:  # the input exists only while the formula uses a (the link drops it otherwise)
    p1, p2 = st.columns([1, 3], vertical_alignment="bottom")
    a = inputs.number("a =", "a", -cf.A_LIMIT, cf.A_LIMIT, 1.0, 1.0, help="The value of the parameter a", where=p1)
    p2.caption(ec.parameter_caption())
found = work.attempt(custom.removable, text, lo, hi, 1.0 if a is None else a)
r = work.attempt(custom.solve, text, lo, hi, goal, a, found)

lines, side_by_side = ec.latex(r)
for col, tex in zip(st.columns(3) if side_by_side else [st], lines, strict=False):
    col.latex(tex)
for key, (label, formula, *_, claimed) in ex.PRESETS.items():
    if formula == text:
        same = custom.tutorial_agrees(text, claimed)
        st.caption(ec.preset_caption(label, claimed, key in ex.PRESET_A, same))
for note in (ec.kinks(r), ec.limits(r), ec.overflow_note(r)):
    if note:
        st.info(note)
if r.problem:
    safe.warning(ec.problem(r))

cert, why = custom.certificate(text, lo, hi, goal, a, found, r)
v = cf.verdict(r, cert) if r.optimum else None

layout.metrics([layout.Metric(*m) for m in ec.metrics(r, v)])
if v and (badge := ec.badge(r, v, why)):  # full width under the metrics: the statement is too long for a column
    text_, ok = badge
    st.badge(text_, icon=":material/verified:" if ok else ":material/help:", color="green" if ok else "gray")
    st.caption(ec.detail(r, v, why))
if v:
    st.markdown(ec.answer(r, v))
if r.points:
    with st.expander(ec.points_title(r), expanded=len(r.points) <= 8, icon=":material/list:"):
        st.markdown(ec.points_markdown(r))

charts.show_objective(
    cf.curve_through(r, v.x, v.fun) if v else r.curve,
    optimum=charts.Marker(v.x, v.fun, ec.optimum_label(r, v), at_boundary=v.at_boundary) if v else None,
    points=tuple(charts.Marker(p.x, p.fun, point_label(p)) for p in r.points),
    **ec.chart(r, v),
)
if caption := ec.chart_caption(r):
    st.caption(caption)
if a is not None and v:
    status = cf.sensitivity_status(r, v.x)
    left_out = work.refusal(cf.sensitivity_cost(parsed, r)) if status in (None, cf.NoSensitivity.TIED) else None
    if why := ec.no_sensitivity(status, left_out):
        st.caption(why)
    else:
        problem = cf.sensitivity_problem(parsed, r)
        sensitivity.section(problem, "custom", x_title="Best x", x_format=",.4~g", extra_key=(text,))
table_section(ec.table(r, v), "custom.csv", ec.TABLE_TITLE)
inputs.share_line()
