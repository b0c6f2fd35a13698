"""Study hours: how long should you study for the best score?"""

import streamlit as st

from optimizers import study as sm
from ui import charts, components, inputs
from ui.export import table_section
from ui.format import num

st.title("How many hours should you study?")
st.write(
    "More study means a higher score, but with diminishing returns — and fatigue costs points "
    "every hour. The **marginal gain** (points per extra hour) starts high and falls; the best "
    "plan stops exactly where it drops to zero."
)


@st.cache_data(max_entries=256, show_spinner=False)
def solve(model: sm.StudyModel, hours: float, max_hours: float) -> sm.StudyReport:
    return sm.analyse(model, hours, max_hours)


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
        m_score = inputs.slider("Score you could reach (M, points)", "max_score", 10, 200, D["max_score"], 1)
        k = inputs.slider("How fast returns fade (k, per hour)", "k", 0.01, 2.0, D["k"], 0.01)
        c = inputs.slider("Fatigue cost (c, points per hour)", "fatigue", 0.0, 20.0, D["fatigue"], 0.1)
        model = sm.diminishing(m_score, k, c)
    else:
        a = inputs.slider("a (points per hour²)", "quad_a", -5.0, 5.0, Q["quad_a"], 0.1)
        b = inputs.slider("b (points per hour)", "quad_b", -50.0, 50.0, Q["quad_b"], 0.5)
        c0 = inputs.slider("c (points with no study)", "quad_c", -100.0, 100.0, Q["quad_c"], 1)
        model = sm.quadratic(a, b, c0)
    hours = inputs.slider("Hours you plan to study", "hours", 0.0, 24.0, D["hours"], 0.25)
    max_hours = inputs.slider("Longest day you would consider (h)", "max_hours", 1.0, 24.0, D["max_hours"], 0.5)

r = solve(model, hours, max_hours)
opt = r.optimum
with right:
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Optimal study hours", num(opt.x, 2, "h"), help=f"exactly {opt.x:.4f} h")
    c2.metric("Best effective score", num(opt.fun, 1))
    c3.metric("Score at your hours", num(r.score_at_hours, 1), help=f"at {num(hours, 2, 'h')}")
    c4.metric("Points lost", num(r.points_lost, 1))
    if kind == "diminishing" and not opt.at_boundary:
        st.caption(
            f"Closed form: h* = ln(M·k/c)/k = ln({model.max_score * model.k / model.fatigue:.4g})/{k:g} = {opt.x:.4f} h."
        )
    if r.reason:
        st.warning(r.reason)
    else:
        st.markdown(components.second_derivative_sentence(opt, "hours", lambda h: num(h, 2, "h")))
    if hours > max_hours:
        st.info(f"You plan {num(hours, 2, 'h')}, more than the longest day you allowed ({num(max_hours, 1, 'h')}).")
    elif abs(r.points_lost) < 0.05:
        st.success(f"**Good plan.** {num(hours, 2, 'h')} is within 0.05 points of the best score.")
    else:
        verb = "Study less" if hours > opt.x else "Study more"
        st.success(
            f"**{verb}:** at {num(hours, 2, 'h')} the next hour is worth {r.marginal_at_hours:+.2f} points "
            f"(after fatigue). Moving to {num(opt.x, 2, 'h')} gains {r.points_lost:.1f} points."
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
