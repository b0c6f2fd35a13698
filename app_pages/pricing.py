"""Pricing: what price should you charge for your wireless headphones?"""

import pandas as pd
import streamlit as st

from optimizers import pricing as pr
from ui import charts, components, inputs, safe
from ui.export import table_section
from ui.format import money, signed_money

st.title("What price should you charge?")
st.write(
    "You just launched an online store selling wireless headphones. Every $1 on the price "
    "earns more on each pair but loses some customers. **Marginal profit** — how much profit "
    "changes per $1 of price — tells you which way to move; the best price is where it is zero."
)


@st.cache_data(max_entries=256, show_spinner=False)
def solve(kind: str, a: float, b: float, scale: float, e: float, cost: float, price: float):
    model = pr.DemandModel(kind, a=a, b=b, scale=scale, elasticity=e)
    return pr.analyse(model, cost, price)


@st.cache_data(max_entries=64, show_spinner=False)
def fit(table: pd.DataFrame) -> pr.SalesFits:
    return pr.fit_sales(table)


MODEL_HELP = (
    "linear: customers = a − b·price. elasticity: customers = A·price^−e. "
    "data: fit either curve to your own weekly price tests."
)
link_note = ""
left, right = st.columns([1, 2.3], gap="large")
with left, st.container(border=True):
    kind = inputs.select("Demand model", "model", ["linear", "elasticity", "data"], "linear", help=MODEL_HELP)
    cost = inputs.slider("Unit cost ($)", "unit_cost", 0, 200, pr.DEFAULT_UNIT_COST, 1, fmt="$%.0f")
    price = inputs.slider("Your current price ($)", "price", 1, 300, pr.DEFAULT_PRICE, 0.5, fmt="$%.2f")
    if kind != "data":
        a = inputs.slider("Customers at $0 (a)", "demand_intercept", 100, 5000, pr.DEFAULT_DEMAND_INTERCEPT, 50)
        b = inputs.slider("Customers lost per $1 (b)", "demand_slope", 0.5, 50, pr.DEFAULT_DEMAND_SLOPE, 0.5)
        model = pr.linear_demand(a, b)
    if kind == "elasticity":
        e = inputs.slider("Price elasticity (e)", "elasticity", 0.5, 5.0, pr.DEFAULT_ELASTICITY, 0.05)
        model = pr.elasticity_like_linear(e, a, b)
        st.caption(
            f"{model.describe()}: a 1% higher price loses {e:.2f}% of customers; scaled to meet the line at ${a / (2 * b):,.2f}."
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

r = solve(model.kind, model.a, model.b, model.scale, model.elasticity, cost, price)
opt = r.optimum
with right:
    c1, c2, c3 = st.columns(3)
    c1.metric("Optimal price", money(opt.x) if opt else "none")
    c2.metric("Maximum profit", money(opt.fun, 0) if opt else "—")
    c3.metric(
        "Marginal profit", f"{money(r.marginal_at_price, 0)} per $1", help=f"d(profit)/d(price) at {money(price)}"
    )
    if opt is None:
        st.warning(r.no_optimum)
    else:
        st.markdown(components.second_derivative_sentence(opt, "price", money))
        gap = opt.x - price
        if abs(gap) < 0.005:
            st.success(f"**Keep your price.** {money(price)} is the optimum: marginal profit is zero.")
        else:
            st.success(
                f"**{'Raise' if gap > 0 else 'Lower'} your price** toward {money(opt.x)}: marginal profit at "
                f"{money(price)} is {signed_money(r.marginal_at_price, 0)} per $1, and profit rises by "
                f"{money(opt.fun - r.profit_at_price, 0)} when you get there."
            )
    if price > r.hi:
        st.info(f"At {money(price)} nobody buys: demand reaches zero at {money(r.hi)}.")
    st.markdown(
        f"**The +$1 experiment.** Profit at {money(price)}: {money(r.profit_at_price, 0)}; at {money(price + 1)}: "
        f"{money(r.profit_plus_one, 0)}; change {signed_money(r.plus_one_change, 0)}. Not "
        f"{signed_money(r.marginal_at_price, 0)}, because the derivative is the slope *at* {money(price)} and "
        f"profit bends ({money(r.curvature_at_price, 0)} per $1²) over the step: change ≈ f′ + f″/2 = "
        f"{signed_money(r.marginal_at_price + r.curvature_at_price / 2, 0)}."
    )
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

col = st.column_config.NumberColumn
table_section(
    r.table,
    "pricing.csv",
    "Profit over a price grid",
    column_config={
        "price": col("price ($)", format="dollar"),
        "customers": col("customers / week", format="%.0f"),
        "revenue": col("revenue ($)", format="dollar"),
        "cost": col("cost ($)", format="dollar"),
        "profit": col("profit ($)", format="dollar"),
        "marginal_profit": col("marginal profit ($ per $1)", format="dollar"),
    },
)
inputs.share_line(link_note)
