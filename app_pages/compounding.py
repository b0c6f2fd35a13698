"""Compounding: how fast does money grow, when does it double, and when should you sell?"""

import streamlit as st

from optimizers import compounding as cm
from ui import charts, inputs, safe
from ui.export import csv_download, markdown_table, table_section
from ui.format import money, num

st.title("How does money compound?")
st.write(
    "A balance that earns interest grows in proportion to itself: dV/dt = r·V. The derivative is "
    "how fast your money is growing *right now*; it rises every year, which is why doubling "
    "takes the same time whatever you start with."
)


@st.cache_data(max_entries=128, show_spinner=False)
def solve(principal, rate, years, frequency, contribution, multiple, target_years, rates_text):
    growth_report = cm.analyse(principal, rate / 100, years, frequency, contribution)
    needed = cm.rate_needed(multiple, target_years, frequency)
    table, rates_error = cm.comparison_from_text(principal, rates_text, frequency)
    return growth_report, needed, table, rates_error


@st.cache_data(max_entries=128, show_spinner=False)
def sell_when(principal, growth, rate):
    return cm.best_time_to_sell(principal, growth, rate / 100) if rate > 0 else None


D = cm.DEFAULTS
left, right = st.columns([1, 2.3], gap="large")
with left, st.container(border=True):
    principal = inputs.number("Principal ($)", "principal", 0.0, 1e15, D["principal"], 500.0)
    rate = inputs.slider("Annual rate (%)", "rate", -20.0, 30.0, D["rate"], 0.05, fmt="%.2f%%")
    years = inputs.number("Years", "years", 0.0, 1000.0, D["years"], 1.0)
    frequency = inputs.select("Compounding", "frequency", list(cm.FREQUENCIES), D["frequency"])
    contribution = inputs.number("Added every month ($)", "contribution", 0.0, 1e9, D["contribution"], 50.0)
    st.markdown("**What rate do I need?**")
    multiple = inputs.slider("Grow my money ×", "target_multiple", 1.1, 10.0, D["target_multiple"], 0.1, fmt="%.1f×")
    target_years = inputs.slider("in years", "target_years", 1.0, 60.0, D["target_years"], 1)
    rates_text = inputs.text("Rates to compare (%)", "rates", D["rates"], max_chars=60)

try:
    g, needed, comparison, rates_error = solve(
        principal, rate, years, frequency, contribution, multiple, target_years, rates_text
    )
except ValueError as exc:
    safe.error(exc, where=right)
    st.stop()

with right:
    c1, c2 = st.columns(2)
    c3, c4 = st.columns(2)
    c1.metric(f"Value after {years:g} years", money(g.value))
    c2.metric(
        "Growth rate now",
        f"{money(g.growth_per_year)}/year",
        help="dV/dt at the end: interest δ·V plus 12 × the monthly addition",
    )
    if rate == 0:
        c3.metric("Doubling time", "never", help="At 0% money does not grow")
    elif rate < 0:
        c3.metric(
            "Half-life", num(-g.doubling_years, 2, "years"), help="Negative rate: money halves in ln 2 / |δ| years"
        )
    else:
        c3.metric("Doubling time", num(g.doubling_years, 2, "years"))
    c4.metric(
        "Rate needed", f"{100 * needed:.2f}%", help=f"to grow {multiple:g}× in {target_years:g} years, {frequency}"
    )
    st.caption(
        f"{'Growing' if g.growth_per_year >= 0 else 'Shrinking'} {money(abs(g.growth_per_year))} a year is "
        f"{money(abs(g.growth_per_year) / 365)} a day. "
        + (
            f"Rule of 72: {num(g.rule_of_72_years, 2, 'years')} "
            f"({g.rule_of_72_years - g.doubling_years:+.2f} years, {g.rule_of_72_years / g.doubling_years - 1:+.1%} off the exact "
            f"ln 2/δ with δ = {g.delta:.5f})."
            if rate > 0
            else ("At 0% there is no doubling time: nothing compounds." if rate == 0 else "")
        )
    )
    # One chart: the balance, stacked by where it came from, over its marginal (how fast it grows).
    balance = charts.lines_chart(
        g.parts,
        x="year",
        y="amount",
        series="part",
        x_title="Years",
        y_title="Balance ($)",
        x_format=",.0f",
        y_format="$,.0f",
        stacked_area=True,
        title="Balance: principal, contributions, interest",
        colors={"principal": "gray", "contributions": "blue", "interest": "green"},
        height=260,
    )
    _, marginal = charts.objective_chart(
        g.curve,
        x_title="Years",
        y_title="Balance ($)",
        marginal_title="Growth rate dV/dt ($ per year)",
        x_format=",.0f",
        y_format="$,.0f",
        d_format="$,.0f",
        current=charts.Marker(g.years, g.value, f"year {years:g}"),
        current_slope=g.growth_per_year,
    )
    charts.show(charts.stack(balance, marginal))

st.markdown(
    "### When to sell\n\n"
    "A tree, a wine or a business grows ever more slowly: V(t) = P·e^(g√t). Money in the bank "
    "earns the rate above. Selling is best when the asset's growth rate V′/V has fallen to the "
    "bank's rate — there the present value V(t)·e^(−rt) has zero derivative."
)
growth = inputs.slider("Asset growth g (per √year)", "asset_growth", 0.05, 3.0, D["asset_growth"], 0.05)
sell = sell_when(principal or 1.0, growth, rate)
if sell is None:
    st.info("With a rate of 0% or less, waiting never costs anything: there is no best time to sell.")
else:
    s1, s2 = st.columns(2)
    s1.metric("Best time to sell", num(sell.optimum.x, 1, "years"), help=f"(g / 2r)² = {sell.closed_form:.4f} years")
    s2.metric("Present value then", money(sell.optimum.fun))
    if sell.optimum.at_boundary:
        st.warning(f"The best time is beyond {num(sell.optimum.x, 0, 'years')}: the search stops there.")
    charts.show(
        charts.lines_chart(
            sell.rates,
            x="year",
            y="rate",
            series="line",
            x_title="Years held",
            y_title="Growth rate (% per year)",
            x_format=",.0f",
            y_format=",.1f",
            log_y=True,
            dashed=("alternative r",),
            optimum=charts.Marker(sell.optimum.x, 100 * sell.rate, f"sell at {sell.optimum.x:.1f} years"),
        )
    )

st.markdown(
    "### Compound growth power\n\n"
    + markdown_table(comparison, dict.fromkeys(comparison.columns[1:], lambda v: money(v, 0)))
)
if rates_error:
    safe.warning(f"Rates to compare: {rates_error} Showing 5, 7 and 10%.")
csv_download(comparison, "compounding_comparison.csv", "Download comparison (CSV)")
table_section(g.schedule, "compounding.csv", "Year-by-year schedule", label="Download schedule (CSV)")
inputs.share_line()
