"""Study hours: how long should you study for the best score?

Layout only: the numbers come from optimizers.study (one cached call), every word from
explain.study.
"""

import streamlit as st

from explain import study as ex
from optimizers import study as sm
from ui import charts, inputs, layout, scenarios, sensitivity
from ui.export import table_section
from ui.study import analyse

DEFAULTS = sm.DEFAULTS | sm.QUADRATIC_DEFAULTS


def slider(key: str) -> float:
    lo, hi, step = sm.RANGES[key]
    label, fmt = ex.SLIDERS[key]
    return inputs.slider(label, key, lo, hi, DEFAULTS[key], step, fmt=fmt)


st.title(ex.TITLE)
st.write(ex.STORY)
left, right = layout.columns()
with left:
    kind = inputs.select(ex.MODEL_LABEL, "model", sm.MODELS, "diminishing", help=ex.MODEL_HELP)
    if kind == "diminishing":
        model = sm.diminishing(slider("max_score"), slider("k"), slider("fatigue"))
    else:
        model = sm.quadratic(slider("quad_a"), slider("quad_b"), slider("quad_c"))
    hours, max_hours = slider("hours"), slider("max_hours")
    (label, fmt, help), (lo, hi, step) = ex.TARGET, sm.TARGET_INPUT
    target = inputs.number(label, "target", lo, hi, 0.0, step, fmt=fmt, help=help)

r = analyse(model, hours, max_hours, target)
best, you = ex.markers(r)
with right:
    layout.metrics(ex.metrics(r), per_row=4)
    for box, text in ex.answer(r):
        getattr(st, box)(text)
    if target_text := ex.target_text(r):
        st.markdown(target_text)
    charts.show_objective(
        r.curve,
        **ex.CHART,
        optimum=charts.Marker(*best),
        current=charts.Marker(*you),
        current_slope=r.marginal_at_hours,
        **ex.goal_marks(r),
    )

sensitivity.section(r.sensitivity, "study", **ex.SENSITIVITY)

columns = {name: st.column_config.NumberColumn(**spec) for name, spec in ex.TABLE_COLUMNS.items()}
table_section(r.table, "study.csv", ex.TABLE_TITLE, column_config=columns)
scenarios.add_button("study")
inputs.share_line()
