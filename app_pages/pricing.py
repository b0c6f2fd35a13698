"""Pricing: what price should you charge for your wireless headphones?"""

import math

import pandas as pd
import streamlit as st

from explain.format import money, num, signed_money
from optimizers import pricing as pr
from ui import charts, components, inputs, safe, sensitivity
from ui.export import table_section

st.title("What price should you charge?")
st.write(
    "You just launched an online store selling wireless headphones. Every $1 on the price "
    "earns more on each pair but loses some customers. **Marginal profit** — how much profit "
    "changes per $1 of price — tells you which way to move; the best price is where it is zero."
)


@st.cache_data(max_entries=256, show_spinner=False)
def solve(kind: str, a: float, b: float, scale: float, e: float, cost: float, price: float, fixed: float):
    model = pr.DemandModel(kind, a=a, b=b, scale=scale, elasticity=e)
    return pr.analyse(model, cost, price, fixed)


@st.cache_data(max_entries=64, show_spinner=False)
def fit(table: pd.DataFrame) -> pr.SalesFits:
    return pr.fit_sales(table)


def slider(label: str, key: str, default: float, fmt: str, help: str | None = None) -> float:
    lo, hi, step = pr.RANGES[key]
    return inputs.slider(label, key, lo, hi, default, step, fmt=fmt, help=help)


def pct(v: float) -> str:
    return num(100 * v, 1) + "%" if math.isfinite(v) else "—"


MODEL_HELP = (
    "linear: customers = a − b·price. elasticity: customers = A·price^−e. "
    "data: fit either curve to your own weekly price tests."
)
FIXED_HELP = "Rent, salaries, software: costs that do not depend on sales. They lower every profit equally: they move the break-even prices, not the best price."
link_note, line = "", None
left, right = st.columns([1, 2.3], gap="large")
with left, st.container(border=True):
    kind = inputs.select("Demand model", "model", ["linear", "elasticity", "data"], "linear", help=MODEL_HELP)
    cost = slider("Unit cost ($)", "unit_cost", pr.DEFAULT_UNIT_COST, "$%.0f")
    fixed = slider("Fixed costs ($ per week)", "fixed_cost", pr.DEFAULT_FIXED_COST, "$%.0f", FIXED_HELP)
    price = slider("Your current price ($)", "price", pr.DEFAULT_PRICE, "$%.2f")
    if kind != "data":
        a = slider("Customers at $0 (a)", "demand_intercept", pr.DEFAULT_DEMAND_INTERCEPT, "%.0f")
        b = slider("Customers lost per $1 (b)", "demand_slope", pr.DEFAULT_DEMAND_SLOPE, "%.1f")
        model, line = pr.linear_demand(a, b), (a, b)
    if kind == "elasticity":
        e = slider("Price elasticity (e)", "elasticity", pr.DEFAULT_ELASTICITY, "%.2f")
        model = pr.elasticity_like_linear(e, a, b)
        st.caption(
            safe.plain(
                f"{model.describe()}: a 1% higher price loses {e:.2f}% of customers; scaled to meet the line at "
                f"{money(a / (2 * b))}.",
                max_chars=None,
            )
        )
    if kind == "data":
        st.markdown("**Your weekly price tests**: the `price` you charged and the `units` sold.")
        tab = components.data_table_input(
            pr.EXAMPLE_SALES,
            "sales",
            what="weekly (price, units)",
            upload_help="Columns `price` and `units`; at most 5 MB.",
        )
        link_note = tab.link_note
        try:
            fits = fit(tab.table) if tab.table is not None else None
        except ValueError as exc:
            fits, tab = None, components.TableInput(None, tab.source, f"Cannot fit {tab.source}: {exc}")
        if fits is None:
            safe.error(tab.problem)
            st.stop()
        usable = fits.usable()
        for k in ("linear", "elasticity"):
            if getattr(fits, f"{k}_error"):
                safe.warning(f"{k.capitalize()} fit: {getattr(fits, k + '_error')}")
        if not usable:
            st.stop()
        model = getattr(fits, inputs.select("Optimise with the fit", "fit", usable, usable[0])).model

r = solve(model.kind, model.a, model.b, model.scale, model.elasticity, cost, price, fixed)
opt, m = r.optimum, r.margins
with right:
    c1, c2, c3 = st.columns(3)
    c1.metric("Optimal price", money(opt.x) if opt else "none")
    c2.metric(
        "Maximum profit",
        money(opt.fun, 0) if opt else "—",
        help="Weekly profit at the optimal price, after fixed costs",
    )
    c3.metric(
        "Marginal profit",
        signed_money(r.marginal_at_price, 0) if round(r.marginal_at_price) else "$0",
        help=f"Change in weekly profit per $1 on the price, at {money(price)}: d(profit)/d(price)",
    )
    if opt is None:
        st.warning(r.no_optimum)
    else:
        d1, d2, d3 = st.columns(3)
        d1.metric("Customers at the best price", num(m.customers, 0), help="Per week, at the optimal price")
        d2.metric("Margin at the best price", pct(m.margin), help="(price − unit cost) / price")
        d3.metric("Markup at the best price", pct(m.markup), help="(price − unit cost) / unit cost; none at a $0 cost")
        st.markdown(components.second_derivative_sentence(opt, "price", money))
        head, why = r.advice()
        st.success(f"**{head}** {safe.plain(why, max_chars=None)}")
    if r.kink_note:
        st.info(safe.plain(r.kink_note, max_chars=None))
    st.markdown(safe.plain(r.break_even_text, max_chars=None))
    if m is not None:
        st.caption(safe.plain(m.lerner_text(constant=model.kind == "elasticity"), max_chars=None))
    st.markdown("**The +\\$1 experiment.** " + safe.plain(r.plus_one_text, max_chars=None))
    # One chart: your data and the fits (data model), the profit, and the marginal profit.
    profit_and_marginal = charts.objective_chart(
        r.curve,
        x_title="Price ($)",
        y_title="Weekly profit ($)",
        marginal_title="Marginal profit ($ per $1)",
        x_format="$,.0f",
        y_format="$,.0f",
        d_format="$,.0f",
        optimum=charts.Marker(opt.x, opt.fun, f"optimum {money(opt.x)}") if opt else None,
        current=charts.Marker(price, r.profit_at_price, f"you: {money(price)}"),
        current_slope=r.marginal_at_price,
    )
    if kind == "data":
        fit_spec = charts.fit_chart(
            fits.points(),
            fits.curves(),
            x="price",
            y="units",
            x_title="Price ($)",
            y_title="Units sold per week",
            x_format="$,.0f",
            y_format=",.0f",
        )
        charts.show(charts.stack(fit_spec, *profit_and_marginal))
    else:
        charts.show(charts.stack(*profit_and_marginal))

if opt is not None:
    problem = pr.sensitivity_problem(model, cost, fixed, line=line, fitted=kind == "data")
    if problem is None:
        st.caption(
            "What moves the optimum is not shown: the best price sits too close to where the model changes "
            "(demand running out, or an elasticity near 1) for a small change of an input to keep it interior."
        )
    else:
        coefficients = (model.kind, model.a, model.b, model.scale, model.elasticity)
        sensitivity.section(problem, "pricing", x_title="Best price ($)", x_format="$,.2f", extra_key=coefficients)

col = st.column_config.NumberColumn
table_section(
    r.table,
    "pricing.csv",
    "Profit over a price grid",
    column_config={
        "price": col("price ($)", format="dollar"),
        "customers": col("customers / week", format="localized", step=1),
        "revenue": col("revenue ($)", format="dollar"),
        "cost": col("cost incl. fixed ($)", format="dollar"),
        "profit": col("profit ($)", format="dollar"),
        "marginal_profit": col("marginal profit ($ per $1)", format="dollar"),
    },
)
inputs.share_line(link_note)
