"""Study hours: how long should you study for the best score?"""

import streamlit as st

from explain.format import num
from optimizers import study as sm
from ui import charts, components, inputs, safe, sensitivity
from ui.export import table_section

st.title("How many hours should you study?")
st.write(
    "More study means a higher score, but with diminishing returns — and fatigue costs points "
    "every hour. The **marginal gain** (points per extra hour) starts high and falls; the best "
    "plan stops exactly where it drops to zero."
)


@st.cache_data(max_entries=256, show_spinner=False)
def solve(model: sm.StudyModel, hours: float, max_hours: float) -> sm.StudyReport:
    return sm.analyse(model, hours, max_hours)


def slider(label: str, key: str, default: float, fmt: str) -> float:
    lo, hi, step = sm.RANGES[key]
    return inputs.slider(label, key, lo, hi, default, step, fmt=fmt)


def signed(v: float) -> str:
    return "0.00" if abs(v) < 0.005 else ("+" if v > 0 else "") + num(v, 2)


def score(v: float) -> str:
    """A score as shown: the model's value, or 'below 0' (no test scores below zero)."""
    return num(v, 1) if round(v, 1) >= 0 else "below 0"


D, Q = sm.DEFAULTS, sm.QUADRATIC_DEFAULTS
left, right = st.columns([1, 2.3], gap="large")
with left, st.container(border=True):
    kind = inputs.select(
        "Score model",
        "model",
        ["diminishing", "quadratic"],
        "diminishing",
        help="diminishing: M(1 − e^(−k·h)) − c·h (returns fade, fatigue costs). "
        "quadratic: the seed's S(h) = a·h² + b·h + c.",
    )
    if kind == "diminishing":
        m_score = slider("Score you could reach (M, points)", "max_score", D["max_score"], "%.0f")
        k = slider("How fast returns fade (k, per hour)", "k", D["k"], "%.2f")
        c = slider("Fatigue cost (c, points per hour)", "fatigue", D["fatigue"], "%.1f")
        model = sm.diminishing(m_score, k, c)
    else:
        a = slider("a (points per hour²)", "quad_a", Q["quad_a"], "%.1f")
        b = slider("b (points per hour)", "quad_b", Q["quad_b"], "%.1f")
        c0 = slider("c (points with no study)", "quad_c", Q["quad_c"], "%.0f")
        model = sm.quadratic(a, b, c0)
    hours = slider("Hours you plan to study", "hours", D["hours"], "%.2f")
    max_hours = slider("Longest day you would consider (h)", "max_hours", D["max_hours"], "%.1f")

r = solve(model, hours, max_hours)
opt = r.optimum
with right:
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Optimal study hours", num(opt.x, 2, "h"), help=f"exactly {opt.x:.4f} h")
    c2.metric("Best effective score", score(opt.fun), help=f"effective score {num(opt.fun, 2)} (points minus fatigue)")
    c3.metric(
        "Score at your hours", score(r.score_at_hours), help=f"{num(r.score_at_hours, 2)} at {num(hours, 2, 'h')}"
    )
    c4.metric(
        "Points lost",
        num(r.points_lost, 1),
        help="How far the best plan within your longest day beats yours (never negative)",
    )
    if kind == "diminishing" and not opt.at_boundary:
        st.caption(
            f"Closed form: h* = ln(M·k/c)/k = ln({model.max_score * model.k / model.fatigue:.4g})/{k:g} = {opt.x:.4f} h."
        )
    if r.reason:
        st.warning(r.reason)
    else:
        st.markdown(components.second_derivative_sentence(opt, "hours", lambda h: num(h, 2, "h")))
    if r.score_note:
        st.info(safe.plain(r.score_note, max_chars=None))
    if r.plan_note:
        st.info(safe.plain(r.plan_note, max_chars=None))
    if r.good_plan:
        st.success(f"**Good plan.** {num(hours, 2, 'h')} is within 0.05 points of the best score.")
    elif r.points_lost > 0:
        verb = "Study less" if hours > opt.x else "Study more"
        st.success(
            f"**{verb}:** at {num(hours, 2, 'h')} the next hour is worth {signed(r.marginal_at_hours)} "
            f"points (after fatigue). Moving to {num(opt.x, 2, 'h')} gains {num(r.points_lost, 1)} points."
        )
    charts.show_objective(
        r.curve,
        x_title="Study hours per day (h)",
        y_title="Effective score (points)",
        marginal_title="Marginal gain (points per hour)",
        x_format=",.1f",
        y_format=",.1f",
        d_format=",.2f",
        optimum=charts.Marker(opt.x, opt.fun, f"best {num(opt.x, 2, 'h')}"),
        current=charts.Marker(hours, r.score_at_hours, f"you: {num(hours, 2, 'h')}"),
        current_slope=r.marginal_at_hours,
    )

sensitivity.section(sm.sensitivity_problem(model, max_hours), "study", x_title="Best study time (h)", x_format=",.2f")

col = st.column_config.NumberColumn
table_section(
    r.table,
    "study.csv",
    "Diminishing returns, hour by hour",
    column_config={
        "hours": col("hours", format="%.2f"),
        "base_score": col("base score", format="%.1f"),
        "fatigue_cost": col("fatigue cost", format="%.1f"),
        "effective_score": col("effective score", format="%.1f"),
        "marginal_gain": col("marginal gain (pts/h)", format="%.2f"),
        "net_marginal_gain": col("net marginal (pts/h)", format="%.2f"),
    },
)
inputs.share_line()
