"""Compare scenarios: up to four scenarios of one decision page side by side.

Layout only: the comparison lives in this page's link (ui.scenarios), the numbers come from
optimizers.scenarios (one cached evaluation per scenario), every word from explain.compare.
"""

import streamlit as st

from explain import compare as ex
from optimizers import scenarios as sc
from ui import charts, scenarios
from ui.compare import evaluate
from ui.export import csv_download

st.title(ex.TITLE)
st.write(ex.STORY)
page, entries = scenarios.current()
c = sc.compare(page, entries, evaluate) if page else None
if not entries:
    st.info(ex.EMPTY)
    scenarios.page_links()
scenarios.editor(c, entries)

if c is not None and c.with_inputs:
    if verdict := ex.verdict(c):
        st.success(verdict)
    shown = ex.table(c)
    st.dataframe(shown, width="stretch", height="content", column_config=scenarios.column_widths(shown))
    if note := ex.units_note(c):
        st.caption(note)
    if c.computed:
        marks = tuple(charts.Marker(*m) for m in ex.marks(c))
        charts.show(charts.lines_chart(c.curves, **ex.chart(c), markers=marks))
    csv_download(c.table, "scenarios.csv", ex.DOWNLOAD)

scenarios.add_from_link(page, entries)
scenarios.share_line(page, entries)
