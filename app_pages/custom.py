"""Your own function: type f(x), get f', f'', every critical point and the global optimum,
a certificate that nothing in the interval beats it, and, when the formula has the
parameter a, what moves the optimum."""

import streamlit as st

from optimizers import certify
from optimizers import custom as cf
from optimizers import expression as ex
from optimizers.cost import Cost
from runtime import budget
from runtime.symbolic import derivative_matches, prepare
from runtime.workpool import Busy, Cancelled, WorkTimeout
from ui import charts, inputs, safe, sensitivity, work
from ui.export import table_section

st.title("Your own function")
st.write(
    "Type any f(x) with `+ - * / ^`, numbers, `pi`, `e` and `exp log ln sqrt sin cos tan abs`, "
    "`max(u, v)`, `min(u, v)`, `relu sigmoid tanh softplus erf`, and one parameter `a` (its value gets "
    "its own input). The page differentiates it symbolically, finds every point where f′(x) = 0 (or where "
    "f has a kink or cusp) on your interval, says which are maxima and minima, compares them with the two "
    "ends, and then proves with interval arithmetic that nothing in the interval beats the answer."
)

DEFAULT = "x**2 - 10*x + 100"


def load_preset(key: str) -> None:
    _, text, lo, hi, goal, _ = ex.PRESETS[key]
    st.session_state.update(f=text, lo=lo, hi=hi, goal=goal)
    if key in ex.PRESET_A:
        st.session_state["a"] = ex.PRESET_A[key]


@st.cache_data(max_entries=256, show_spinner="Differentiating…")
def symbolic(text: str):
    """sympy's work, cached on the formula alone: moving lo, hi, a or the goal never repeats it."""
    try:
        return prepare(text, parameter=True), ""
    except ex.ExpressionTimeout:
        raise  # may work on a quieter server: never cached
    except ex.ExpressionError as exc:
        return None, str(exc)


# The grid scan and root-finding on one interval take up to ~2 CPU-seconds for a long,
# oscillating formula on a wide interval: in the worker pool, not in the web server's process,
# where it would hold the GIL that every other visitor's rerun needs (python bench/load.py --heavy).
ANALYSIS = Cost(1.0, "analysis", ("interval", "f"))


@st.cache_data(max_entries=256, show_spinner=False)
def solve(text: str, lo: float, hi: float, goal: str, a: float | None):
    """The numbers for one interval and one value of a (None: the formula has no a)."""
    parsed, _ = symbolic(text)
    return work.in_pool(cf.analyse, parsed, lo, hi, goal, 1.0 if a is None else a, cost=ANALYSIS)


@st.cache_data(max_entries=64, show_spinner="Certifying the global optimum…")
def certified(text: str, lo: float, hi: float, goal: str, a: float | None):
    """The interval search in the worker pool; a failure to finish (busy, timeout) raises and
    is not cached."""
    parsed, _ = symbolic(text)
    r = solve(text, lo, hi, goal, a)
    try:
        cost, cells = certify.certify_cost(parsed)
    except certify.NotCertifiable as exc:
        return str(exc)
    budget.check(cost)
    x0, f0, scale = cf.certification_inputs(r)
    wall = budget.timeout_for(cost) - 0.5  # report what was proved before the pool stops it
    return work.in_pool(
        certify.certify, parsed, lo, hi, goal, x0, f0, scale, max_cells=cells, wall_seconds=wall, a=a, cost=cost
    )


@st.cache_data(max_entries=32, show_spinner=False)
def seed_agrees(text: str, claimed: str) -> bool:
    verdict = derivative_matches(text, claimed)
    if verdict is None:
        raise Busy("could not check")  # not cached: a quieter server can check it
    return verdict


st.caption("The seed's examples (the last with a parameter a), one click each:")
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
parsed, error = work.attempt(symbolic, text)
if parsed is None:
    safe.error(f"Cannot use this formula: {error}.")
    st.stop()
a = None
if parsed.has_param:  # the input exists only while the formula uses a (the link drops it otherwise)
    p1, p2 = st.columns([1, 3], vertical_alignment="bottom")
    a = inputs.number("a =", "a", -cf.A_LIMIT, cf.A_LIMIT, 1.0, 1.0, help="The value of the parameter a", where=p1)
    p2.caption("Your formula has the parameter a: change it and watch the optimum move.")
r = work.attempt(solve, text, lo, hi, goal, a)

f_tex, d1_tex, d2_tex = r.latex
if max(map(len, r.latex)) <= 40:  # side by side (stacked on a phone): a third of the width each
    for col, tex in zip(st.columns(3), (rf"f(x) = {f_tex}", rf"f'(x) = {d1_tex}", rf"f''(x) = {d2_tex}"), strict=True):
        col.latex(tex)
else:  # long derivatives: one per line, so none is cut off at the right edge
    st.latex(rf"\begin{{aligned}} f(x) &= {f_tex} \\ f'(x) &= {d1_tex} \\ f''(x) &= {d2_tex} \end{{aligned}}")
for key, (label, formula, *_, claimed) in ex.PRESETS.items():
    if formula == text:
        try:
            verdict = "the same, symbolically" if seed_agrees(text, claimed) else "NOT the same"
        except (Busy, Cancelled):
            verdict = "could not check it right now (the server is busy)"
        source = "by hand" if key in ex.PRESET_A else "the seed gives"
        st.caption(f"{label}: {source} f′(x) = {claimed} — {verdict}.")
if r.kinks:
    st.info(
        f"f has a kink (no derivative) at x = {', '.join(f'{k:g}' for k in r.kinks)}: there the sign of f′ decides."
    )
if r.problem:
    safe.warning(r.problem)

opt = r.optimum
cert, why = None, ""
if opt is not None and not opt.flat:
    try:
        cert = certified(text, lo, hi, goal, a)
    except budget.BudgetExceeded as exc:
        why = work.refusal(exc.cost) or str(exc)
    except Busy:
        why = "the server is busy with other visitors' computations; reload to try again"
    except (WorkTimeout, TimeoutError):
        why = "the search took too long on this busy server; reload to try again"
    except Cancelled:
        st.stop()
v = cf.verdict(r, cert if cert is not None else (why or None)) if opt else None

word = "Global minimum" if goal == "min" else "Global maximum"
m1, m2, m3 = st.columns(3)
m1.metric(word, f"{r.shown_f(v.fun):.6g}" if v else "—")
m2.metric("Reached at", (f"x = {r.shown_x(v.x):.6g}" + (" (boundary)" if v.at_boundary else "")) if v else "—")
incomplete = opt is not None and not opt.complete
m3.metric(
    "Critical points",
    f"{len(r.points)}{'+' if incomplete else ''}",
    help="At least this many: the grid cannot resolve f′ everywhere, so the list may be incomplete."
    if incomplete
    else None,
)
if v and v.badge:  # full width under the metrics: the statement is too long for a column
    st.badge(
        v.badge,
        icon=":material/verified:" if v.certified else ":material/help:",
        color="green" if v.certified else "gray",
    )
    st.caption(v.detail)
if v:
    st.markdown(v.message)
if r.points:
    with st.expander(f"Critical points ({len(r.points)})", expanded=len(r.points) <= 8, icon=":material/list:"):
        st.markdown(cf.points_markdown(r))

charts.show_objective(
    cf.curve_through(r, v.x, v.fun) if v else r.curve,
    x_title="x",
    y_title="f(x)",
    marginal_title="f′(x)",
    x_format=",.4~g",
    y_format=",.4~g",
    d_format=",.4~g",
    optimum=charts.Marker(v.x, v.fun, f"{goal} at {r.shown_x(v.x):.4g}", at_boundary=v.at_boundary) if v else None,
    points=tuple(charts.Marker(p.x, p.fun, p.label) for p in r.points),
    height=280,
)
if a is not None and v:
    why = cf.why_no_sensitivity(parsed, r, v.x)
    if not why and (left_out := work.refusal(cf.sensitivity_cost(parsed, r))):
        why = f"What moves the optimum is not shown: {left_out}"
    if why:
        st.caption(why)
    else:
        problem = cf.sensitivity_problem(parsed, r)
        sensitivity.section(problem, "custom", x_title="Best x", x_format=",.4~g", extra_key=(text,))
table_section(r.table, "custom.csv", "Table of x, f, f′, f″")
inputs.share_line()
