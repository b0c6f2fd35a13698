"""The derivative lab: the Goldilocks zone for h, sigmoid overflow and the gradient check."""

import math

import streamlit as st

from optimizers import difflab as lab
from optimizers import expression as ex
from optimizers.cost import Cost
from runtime.symbolic import prepare
from runtime.workpool import Busy, WorkTimeout
from ui import charts, inputs, safe, work
from ui.export import csv_download

st.title("The derivative lab")
st.write(
    "A computer can only approximate f′ with a step h. Too big and the slope of the secant is "
    "not the slope of the tangent (truncation); too small and f(x + h) − f(x) subtracts two nearly "
    "equal numbers and the digits cancel (rounding). Watch both on a log-log plot. (For the seed's "
    "x² the central difference has no truncation error at all — try `sin(x)` to see its V too.)"
)


@st.cache_data(max_entries=64, show_spinner="Differentiating…")
def symbolic(text: str):
    """sympy's work, cached on the formula alone: moving x never repeats it."""
    try:
        return prepare(text), ""
    except ex.ExpressionTimeout:
        raise  # may work on a quieter server: never cached
    except ex.ExpressionError as exc:
        return None, str(exc)


@st.cache_data(max_entries=64, show_spinner=False)
def exact_value(text: str, x: float):
    """f'(x) with mpmath (no overflow), in the pool: a huge argument to sin is slow there."""
    parsed, _ = symbolic(text)
    return work.in_pool(lab.exact_derivative, parsed.symbolic.d1, x, cost=Cost(0.5, "symbolic"))


c1, c2 = st.columns([3, 1])
text = inputs.text("f(x) =", "f", "x**2", max_chars=ex.MAX_LENGTH, where=c1)
x = inputs.number("at x =", "x", -1e6, 1e6, 3.0, 1.0, where=c2)
parsed, error = work.attempt(symbolic, text)
if parsed is None:
    safe.error(f"Cannot use this formula: {error}.")
    st.stop()
f, df, _ = parsed.callables()
r = lab.examine(f, df, x, parsed.watch_callables())
f_tex, d1_tex, _ = parsed.latex()
at_x = (
    f"{r.exact:.15g}"
    if r.status == "smooth"
    else {"undefined": r"\text{undefined}"}.get(r.status, r"\text{does not exist}")
)
st.latex(rf"f(x) = {f_tex}, \quad f'(x) = {d1_tex}, \quad f'({x:g}) = {at_x}")

if r.status == "undefined":
    st.error(r.message, icon=":material/block:")
elif r.status == "overflow":
    st.warning(r.message, icon=":material/warning:")
    try:
        true = exact_value(text, x)
    except (Busy, WorkTimeout, TimeoutError):
        true = None
    if true is not None:
        value, tiny = true
        small = " — below the smallest positive float (about 4.9e-324): in floating point the best answer is 0"
        st.info(f"Computed with mpmath (no overflow there): f′({x:g}) ≈ {value}{small if tiny else ''}.")
elif r.status in ("kink", "vertical"):
    st.info(r.message, icon=":material/info:")
    k1, k2 = st.columns(2)
    k1.metric("Derivative from the left", f"{r.left:.9g}" if math.isfinite(r.left) else "—")
    k2.metric("Derivative from the right", f"{r.right:.9g}" if math.isfinite(r.right) else "—")

best = lab.best_steps(x)
if r.status == "smooth":
    p = r.probe
    what = "Relative" if not p.absolute else "Absolute"
    charts.show(
        charts.lines_chart(
            p.errors,
            x="h",
            y="error",
            series="method",
            x_title="Step h",
            y_title=f"{what} error of f′",
            x_format=".0e",
            y_format=".0e",
            log_x=True,
            log_y=True,
            title="The Goldilocks zone for h",
            colors={"forward": "#dc2626", "central": "#2563eb", "complex step": "#16a34a"},
            markers=(charts.Marker(best["forward"], 1e-8, "√eps"), charts.Marker(best["central"], 1e-11, "∛eps")),
            height=340,
        )
    )
    at, exact = p.at_1e15, p.exact
    forward_error = at.loc["forward", "error"]
    forward_error = "0" if forward_error <= lab.ERROR_FLOOR else f"{forward_error:.1e}"
    zero = " (f′ = 0 here, so the errors are absolute: a relative error of an estimate of 0 means nothing)"
    st.markdown(
        f"**Catastrophic cancellation at h = 1e-15:** the forward difference gives "
        f"{at.loc['forward', 'estimate']:.6g} instead of {exact:.6g} ({what.lower()} error {forward_error}); "
        f"the central difference {at.loc['central', 'estimate']:.6g}; the complex step, which subtracts nothing, "
        f"{at.loc['complex step', 'estimate']:.15g}. Best steps here: forward ≈ √eps·max(1,|x|) = {best['forward']:.1e}, "
        f"central ≈ ∛eps·max(1,|x|) = {best['central']:.1e}." + (zero if p.absolute else "")
    )
    csv_download(p.errors, "derivative_lab.csv", "Download errors (CSV)")
elif r.status in ("kink", "vertical"):
    shown = lab.estimates(f, x)
    charts.show(
        charts.lines_chart(
            shown,
            x="h",
            y="estimate",
            series="method",
            x_title="Step h",
            y_title="What each method returns",
            x_format=".0e",
            y_format=",.4~g",
            log_x=True,
            title="No derivative to approximate: each method returns its own number",
            colors={"forward": "#dc2626", "central": "#2563eb", "complex step": "#16a34a"},
            height=300,
        )
    )
    csv_download(shown, "derivative_lab.csv", "Download estimates (CSV)")

st.subheader("Gradient check")
if r.status != "smooth":
    st.info(
        f"Not applicable at x = {x:g}: "
        + ("f is undefined there." if r.status == "undefined" else "there is no f′(x) to check.")
    )
else:
    g1, g2, g3 = st.columns(3)
    g1.metric("Analytic f′(x)", f"{p.exact:.12g}")
    g2.metric("Central difference", f"{p.central:.12g}", help=f"h = ∛eps·max(1,|x|) = {best['central']:.2e}")
    g3.metric(f"{what} error", f"{p.relative_error:.1e}" if p.relative_error else "0")
    if r.passes:
        st.success(f"The analytic derivative passes the check ({what.lower()} error below 1e-6 of the size of f′).")
    else:
        st.warning(f"{what} error above 1e-6 of the size of f′: f is not smooth here, or f′ is wrong.")

st.subheader("Sigmoid overflow")
st.write(
    "The naive 1 / (1 + e^(−x)) computes e^(−x), which overflows for x below about −709. The stable form "
    "only ever exponentiates a non-positive number. σ′ = σ(1 − σ) peaks at 0.25: chained through many "
    "layers it vanishes. (Type `1/(1+exp(-x))` at x = −800 above to see the overflow, `sigmoid(x)` for the stable one.)"
)
st.markdown(lab.sigmoid_markdown())
inputs.share_line()
