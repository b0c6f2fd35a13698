"""Your own function: type f(x), get f', f'', every critical point and the global optimum."""

import streamlit as st

from optimizers import custom as cf
from optimizers import expression as ex
from ui import charts, inputs, safe, work
from ui.export import table_section

st.title("Your own function")
st.write(
    "Type any f(x) with `+ - * / ^`, numbers, `pi`, `e` and `exp log ln sqrt sin cos tan abs`. "
    "The page differentiates it symbolically, finds every point where f′(x) = 0 on your interval, "
    "says which are maxima and minima, and compares them with the two ends."
)

DEFAULT = "x**2 - 10*x + 100"


def load_preset(key: str) -> None:
    _, text, lo, hi, goal, _ = ex.PRESETS[key]
    st.session_state.update(f=text, lo=lo, hi=hi, goal=goal)


@st.cache_data(max_entries=256, show_spinner="Differentiating…")
def solve(text: str, lo: float, hi: float, goal: str):
    try:
        return cf.analyse_function(text, lo, hi, goal), ""
    except ex.ExpressionTimeout:
        raise  # may work on a quieter server: never cached
    except ex.ExpressionError as exc:
        return None, str(exc)


@st.cache_data(max_entries=32, show_spinner=False)
def seed_agrees(text: str, claimed: str) -> bool:
    return ex.derivative_matches(text, claimed)


st.caption("The seed's examples, one click each:")
cols = st.columns(4)
for i, (key, (label, *_)) in enumerate(ex.PRESETS.items()):
    cols[i % 4].button(label, key=f"preset_{key}", on_click=load_preset, args=(key,), width="stretch")

c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
text = inputs.text("f(x) =", "f", DEFAULT, max_chars=ex.MAX_LENGTH, where=c1)
lo = inputs.number("from x =", "lo", -1e6, 1e6, 0.0, 1.0, where=c2)
hi = inputs.number("to x =", "hi", -1e6, 1e6, 10.0, 1.0, where=c3)
with c4:
    goal = inputs.select("Find the", "goal", ["min", "max"], "min")

if not hi > lo:
    st.error(f"The interval needs 'from' < 'to'; got from {lo:g} to {hi:g}.")
    st.stop()
r, error = work.attempt(solve, text, lo, hi, goal)
if r is None:
    safe.error(f"Cannot use this formula: {error}.")
    st.stop()

f_tex, d1_tex, d2_tex = r.latex
st.latex(rf"f(x) = {f_tex} \qquad f'(x) = {d1_tex} \qquad f''(x) = {d2_tex}")
for label, formula, *_, claimed in ex.PRESETS.values():
    if formula == text:
        agrees = seed_agrees(text, claimed)
        st.caption(
            f"{label}: the seed gives f′(x) = {claimed} — {'the same, symbolically' if agrees else 'NOT the same'}."
        )
if r.kinks:
    st.info(
        f"f has a kink (no derivative) at x = {', '.join(f'{k:g}' for k in r.kinks)}: there the sign of f′ decides."
    )
if r.problem:
    safe.warning(r.problem)

opt = r.optimum
word = "Global minimum" if goal == "min" else "Global maximum"
m1, m2, m3 = st.columns(3)
m1.metric(word, f"{opt.fun:.6g}" if opt else "—")
m2.metric("Reached at", (f"x = {opt.x:.6g}" + (" (boundary)" if opt.at_boundary else "")) if opt else "—")
m3.metric("Critical points", str(len(r.points)))
if opt:
    st.markdown(opt.message.replace("f''", "f″").replace("f'", "f′"))
if r.points:
    st.table([{"x": f"{p.x:.10g}", "f(x)": f"{p.fun:.10g}", "kind": p.kind, "decided by": p.test} for p in r.points])

charts.show_objective(
    r.curve,
    x_title="x",
    y_title="f(x)",
    marginal_title="f′(x)",
    x_format=",.4~g",
    y_format=",.4~g",
    d_format=",.4~g",
    optimum=charts.Marker(opt.x, opt.fun, f"{goal} at {opt.x:.4g}") if opt else None,
    points=tuple(charts.Marker(p.x, p.fun, p.kind) for p in r.points),
    height=280,
)
table_section(r.table, "custom.csv", "Table of x, f, f′, f″")
inputs.share_line()
