"""The derivative lab: the Goldilocks zone for h, sigmoid overflow and the gradient check."""

import numpy as np
import streamlit as st

from optimizers import difflab as lab
from optimizers import expression as ex
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
def study(text: str, x: float):
    try:
        parsed = ex.prepare(text, x - 1.0, x + 1.0)
    except ex.ExpressionTimeout:
        raise  # may work on a quieter server: never cached
    except ex.ExpressionError as exc:
        return None, str(exc)
    f, df, _ = parsed.callables()
    exact = float(np.real(df(np.array([x]))[0]))
    if not np.isfinite(exact):
        return None, f"f′ is not defined at x = {x:g}"
    return (lab.probe(f, exact, x), parsed.latex()), ""


c1, c2 = st.columns([3, 1])
text = inputs.text("f(x) =", "f", "x**2", max_chars=ex.MAX_LENGTH, where=c1)
x = inputs.number("at x =", "x", -1e6, 1e6, 3.0, 1.0, where=c2)
result, error = work.attempt(study, text, x)
if result is None:
    safe.error(f"Cannot use this formula: {error}.")
    st.stop()
p, (f_tex, d1_tex, _) = result
exact, errors, at, central, rel = p.exact, p.errors, p.at_1e15, p.central, p.relative_error
st.latex(rf"f(x) = {f_tex}, \quad f'(x) = {d1_tex}, \quad f'({x:g}) = {exact:.15g}")

best = lab.best_steps(x)
charts.show(
    charts.lines_chart(
        errors,
        x="h",
        y="error",
        series="method",
        x_title="Step h",
        y_title="Relative error of f′",
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
st.markdown(
    f"**Catastrophic cancellation at h = 1e-15:** the forward difference gives "
    f"{at.loc['forward', 'estimate']:.6g} instead of {exact:.6g} (relative error {at.loc['forward', 'error']:.1e}); "
    f"the central difference {at.loc['central', 'estimate']:.6g}; the complex step, which subtracts nothing, "
    f"{at.loc['complex step', 'estimate']:.15g}. Best steps here: forward ≈ √eps·max(1,|x|) = {best['forward']:.1e}, "
    f"central ≈ ∛eps·max(1,|x|) = {best['central']:.1e}."
)
csv_download(errors, "derivative_lab.csv", "Download errors (CSV)")

st.subheader("Gradient check")
g1, g2, g3 = st.columns(3)
g1.metric("Analytic f′(x)", f"{exact:.12g}")
g2.metric("Central difference", f"{central:.12g}", help=f"h = ∛eps·max(1,|x|) = {best['central']:.2e}")
g3.metric("Relative error", f"{rel:.1e}")
if rel < 1e-6:
    st.success("The analytic derivative passes the check (relative error below 1e-6).")
else:
    st.warning("Relative error above 1e-6: f is not smooth here, or f′ is wrong.")

st.subheader("Sigmoid overflow")
st.write(
    "The naive 1 / (1 + e^(−x)) computes e^(−x), which overflows for x below about −709. The stable form "
    "only ever exponentiates a non-positive number. σ′ = σ(1 − σ) peaks at 0.25: chained through many "
    "layers it vanishes."
)
sig = lab.sigmoid_table()
st.table(
    sig.style.format({"x": "{:g}", "naive": "{:.4g}", "stable": "{:.4g}", "derivative": "{:.4g}"}).hide(axis="index")
)
inputs.share_line()
