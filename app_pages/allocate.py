"""Split a budget: where the next hour or dollar is worth most, and what one more is worth."""

import streamlit as st

from explain import allocate as words
from optimizers import allocate as al
from ui import charts, components, inputs, layout, safe
from ui.allocate import solve
from ui.export import csv_download, markdown_table, table_section

st.title(words.TITLE)
st.markdown(words.story())


left, right = layout.columns((1.4, 2))
with left:
    preset = inputs.select("Example", "preset", list(al.PRESETS), "study", help=words.PRESET_HELP)
    if st.session_state.setdefault("_allocate_preset", preset) != preset:  # a table and a split belong to their example
        st.session_state.update(_allocate_preset=preset, current="")
        st.query_params.pop("data", None)
    p, u = al.PRESETS[preset], words.UNITS[preset]
    say = words.inputs(u, p.family)
    lo, hi, step = p.budget_range
    budget = inputs.slider(
        say["budget"], "budget", lo, hi, p.budget, step, fmt=say["budget_format"], help=say["budget_help"]
    )
    st.markdown(say["table"])
    tab = components.data_table_input(
        p.table(),
        f"allocate_{preset}",
        what=say["what"],
        upload_help=say["upload_help"],
        codec=(lambda t: al.encode_activities(t, p.family), lambda s: al.decode_activities(s, p.family)),
    )
    current = inputs.text(say["current"], "current", "", max_chars=words.MAX_SPLIT_CHARS, help=say["current_help"])
    inputs.share_line(tab.link_note)

with right:
    if tab.table is None:
        safe.error(tab.problem)
        st.stop()
    try:
        activities = al.validate_table(tab.table, p.family)
    except (ValueError, TypeError) as exc:
        st.error(words.table_problem(exc))
        st.stop()
    amounts, split_problem = words.read_split(current, [a.name for a in activities], u)
    r = solve(tab.table, p.family.value, budget, amounts, max(hi, sum(amounts or ())))
    a = r.allocation
    layout.metrics([layout.Metric(*m) for m in words.metrics(r, u)], per_row=2)
    st.markdown(words.answer(r, u))
    charts.show(charts.lines_chart(**words.marginal_chart(r, u)))
    st.markdown(markdown_table(*words.split_table(r, u)))
    if split_problem:
        st.warning(split_problem)
    if r.comparison is not None:
        st.info(words.comparison(r, u))
    st.markdown("\n\n".join([words.allowable(r, u), *words.unfunded(r, u)]))

lam, split, now = words.budget_charts(r, u)
charts.show(
    charts.stack(
        charts.lines_chart(**lam, optimum=charts.Marker(a.budget, a.lam, now)),
        charts.lines_chart(**split, optimum=charts.Marker(a.budget, a.budget, "")),
    )
)
st.markdown(words.sensitivity_text(r, u))
st.markdown(markdown_table(*words.sensitivity_table(r, u)))
csv_download(a.sensitivity(), "allocate_sensitivity.csv", "Download sensitivity (CSV)")
table_section(words.allocation_table(r), "allocation.csv", "the best split", label="Download the split (CSV)")
