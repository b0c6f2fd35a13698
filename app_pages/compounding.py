"""Compounding: how fast does money grow, when does it double, and when should you sell?"""

import math

import streamlit as st

from explain.format import money, num
from optimizers import compounding as cm
from ui import charts, inputs, safe, sensitivity
from ui.export import csv_download, markdown_table, table_section

st.title("How does money compound?")
st.write(
    "A balance that earns interest grows in proportion to itself: dV/dt = r·V. The derivative is "
    "how fast your money is growing *right now*; it rises every year, which is why doubling "
    "takes the same time whatever you start with."
)


@st.cache_data(max_entries=128, show_spinner=False)
def solve(principal, rate, years, frequency, contribution, timing, inflation, multiple, target_years, rates_text):
    growth_report = cm.analyse(principal, rate / 100, years, frequency, contribution, timing, inflation / 100)
    needed = cm.rate_needed(multiple, target_years, frequency)
    table, rates_error = cm.comparison_from_text(principal, rates_text, frequency)
    return growth_report, needed, table, rates_error


@st.cache_data(max_entries=128, show_spinner=False)
def sell_when(principal, growth, rate):
    return cm.best_time_to_sell(principal, growth, rate / 100) if rate > 0 else None


D = cm.DEFAULTS
left, right = st.columns([1, 2.3], gap="large")
with left, st.container(border=True):
    principal = inputs.number("Principal ($)", "principal", 0.0, 1e15, D["principal"], 500.0, fmt="%.0f")
    rate = inputs.slider("Annual rate (%)", "rate", *cm.RATE_RANGE, D["rate"], 0.05, fmt="%.2f%%")
    years = inputs.number("Years", "years", 0.0, 1000.0, D["years"], 1.0, fmt="%g")
    frequency = inputs.select("Compounding", "frequency", list(cm.FREQUENCIES), D["frequency"])
    contribution = inputs.number("Added every month ($)", "contribution", 0.0, 1e9, D["contribution"], 50.0, fmt="%.0f")
    timing = D["timing"]
    if contribution:
        timing = inputs.select("Added at the … of each month", "timing", list(cm.TIMINGS), D["timing"])
    inflation = inputs.slider("Inflation (% a year)", "inflation", 0.0, 20.0, D["inflation"], 0.1, fmt="%.1f%%")
    st.markdown("**What rate do I need?**")
    multiple = inputs.slider("Grow my money ×", "target_multiple", 1.1, 10.0, D["target_multiple"], 0.1, fmt="%.1f×")
    target_years = inputs.slider("in years", "target_years", 1.0, 60.0, D["target_years"], 1, fmt="%d years")
    rates_text = inputs.text("Rates to compare (%)", "rates", D["rates"], max_chars=60)

try:
    g, needed, comparison, rates_error = solve(
        principal, rate, years, frequency, contribution, timing, inflation, multiple, target_years, rates_text
    )
except ValueError as exc:
    safe.error(exc, where=right)
    st.stop()

with right:
    c1, c2, c3 = st.columns(3)
    c4, c5, c6 = st.columns(3)
    c1.metric(f"Value after {years:g} years", money(g.value))
    c2.metric(
        "In today's money",
        money(g.real_value),
        help=f"The value divided by (1 + {inflation:g}%)^{years:g}: what it buys at today's prices",
    )
    c3.metric(
        "Growth rate now, per year", money(g.growth_per_year), help="dV/dt at the end: δ·V plus 12 × the addition"
    )
    word = "Doubling time" if rate >= 0 else "Half-life"
    if rate == 0:
        c4.metric(word, "never", help="At 0% money does not grow")
    elif not contribution:
        c4.metric(word, num(abs(g.doubling_years), 2, "years"), help="ln 2 / |δ|")
    else:
        t = g.contribution_doubling_years
        c4.metric(
            word,
            num(t, 2, "years") if math.isfinite(t) else f"over {cm.MAX_MULTIPLE_YEARS:,.0f} years",
            help=f"When the balance is {'twice' if rate > 0 else 'half'} what was put in so far (principal plus "
            f"additions), by root finding. Money left alone {'doubles' if rate > 0 else 'halves'} in "
            f"{num(abs(g.doubling_years), 2, 'years')} (ln 2 / |δ|).",
        )
    c5.metric(
        "Rate needed", f"{100 * needed:.2f}%", help=f"to grow {multiple:g}× in {target_years:g} years, {frequency}"
    )
    c6.metric("Put in", money(g.contributed), help="The principal plus every monthly addition so far")
    growing = "Growing" if g.growth_per_year >= 0 else "Shrinking"
    notes = [f"{growing} {money(abs(g.growth_per_year))} a year is {money(abs(g.growth_per_year) / 365)} a day."]
    if rate > 0 and math.isfinite(g.rule_of_72_years) and math.isfinite(g.doubling_years):
        off = g.rule_of_72_years - g.doubling_years
        notes.append(
            f"Rule of 72 for money left alone: {num(g.rule_of_72_years, 2, 'years')} ({off:+.2f} years, "
            f"{g.rule_of_72_years / g.doubling_years - 1:+.1%} off the exact ln 2/δ with δ = {g.delta:.5f})."
        )
    elif rate > 0:
        notes.append(f"At {rate:g}% money takes longer to double than anyone can wait.")
    elif rate == 0:
        notes.append("At 0% there is no doubling time: nothing compounds.")
    if contribution and rate != 0:
        t, left_alone = g.contribution_doubling_years, num(abs(g.doubling_years), 2, "years")
        twice = "twice" if rate > 0 else "half"
        notes.append(
            f"With {money(contribution, 0)} added every month, "
            + (
                f"the balance is {twice} what you put in (principal plus additions so far) after {num(t, 2, 'years')}"
                if math.isfinite(t)
                else f"the balance is not {twice} what you put in within {cm.MAX_MULTIPLE_YEARS:,.0f} years"
            )
            + f"; money left alone {'doubles' if rate > 0 else 'halves'} in {left_alone}."
        )
    if contribution:
        notes.append(
            f"Additions are deposited at the {timing} of every month"
            + (" (as investor.gov computes)" if timing == "end" else " (an annuity due: each earns a month more)")
            + ("." if frequency == "monthly" else f"; with {frequency} compounding each earns the equivalent monthly ")
            + ("" if frequency == "monthly" else f"rate e^(δ/12) − 1 = {math.expm1(g.delta / 12):.4%}.")
        )
    st.caption(" ".join(notes).replace("+-", "−").replace("-", "−"))
    if not principal and not contribution:
        st.info("Nothing is invested: set a principal or a monthly addition to see it grow.")
    # One chart: the balance, stacked by where it came from (principal at the bottom), over its marginal.
    balance = charts.lines_chart(
        g.parts,
        x="year",
        y="amount",
        series="part",
        x_title="Years",
        y_title="Balance ($)",
        x_format=",.0f",
        y_format="$,.2~f",
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
        y_format="$,.2~f",
        d_format="$,.2~f",
        current=charts.Marker(g.years, g.value, f"year {years:g}"),
        current_slope=g.growth_per_year,
    )
    charts.show(charts.stack(balance, marginal))

st.markdown(
    "### When to sell\n\n"
    "A tree, a wine or a business grows ever more slowly: V(t) = P·e^(g√t), from the principal P today. "
    "Money in the bank earns the rate above. Selling is best when the asset's growth rate V′/V has fallen "
    "to the bank's rate — there the present value V(t)·e^(−rt) has zero derivative."
)
growth = inputs.slider("Asset growth g (per √year)", "asset_growth", *cm.GROWTH_RANGE, D["asset_growth"], 0.05)
sell = sell_when(principal, growth, rate)
if sell is None:
    st.info("With a rate of 0% or less, waiting never costs anything: there is no best time to sell.")
else:
    s1, s2 = st.columns(2)
    s1.metric("Best time to sell", num(sell.optimum.x, 1, "years"), help=f"(g / 2r)² = {sell.closed_form:.4f} years")
    s2.metric("Present value then", money(sell.present_value), help="The sale, discounted at the bank's rate")
    if principal == 0:
        st.info(
            "With no principal there is nothing to sell, so its present value is $0. The best time, (g/2r)², "
            f"does not depend on the amount: each $1 the asset is worth today is worth {money(sell.per_dollar)} "
            "in today's money if sold then."
        )
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
    try:
        problem = cm.sell_sensitivity_problem(principal, growth, rate)
    except ValueError as exc:
        safe.info(f"What moves the best time to sell: {exc}.")
    else:
        x_title = "Best time to sell (years)"
        sensitivity.section(problem, "compounding", x_title=x_title, x_format=",.1f", extra_key=(principal,))

st.markdown(
    f"### Compound growth power\n\n{money(principal, 0)} left alone, compounded {frequency}"
    + (" (without the monthly additions)" if contribution else "")
    + ":\n\n"
    + markdown_table(comparison, dict.fromkeys(comparison.columns[1:], lambda v: money(v, 0)))
)
if rates_error:
    safe.warning(f"Rates to compare: {rates_error} Showing 5, 7 and 10%.")
csv_download(comparison, "compounding_comparison.csv", "Download comparison (CSV)")
table_section(g.schedule, "compounding.csv", "Year-by-year schedule", label="Download schedule (CSV)")
inputs.share_line()
