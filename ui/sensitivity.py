"""The "What moves the optimum" section every decision page shows under its answer.

    problem = study.sensitivity_problem(model, max_hours)   # optimizers builds the Problem
    sensitivity.section(problem, "study", x_title="Best study time (h)", ...)

One line in words about the largest effect, a table with one row per input (the contract
columns of ``optimizers.sensitivity.COLUMNS``, downloadable as ``<page>_sensitivity.csv``),
and the envelope of optima: the best choice as one chosen input sweeps its slider range,
the current value marked. The sweep is one cached computation per (page, inputs, choice).
Every word comes from ``explain.sensitivity``; this module draws.
"""

from __future__ import annotations

import streamlit as st

from explain import sensitivity as words
from optimizers import sensitivity as sn
from ui import charts, inputs
from ui.export import csv_download, markdown_table

__all__ = ["NO_SWEEP", "section"]

#: The sweep select's first option: no envelope chart (the default; ``?sweep=`` picks an input).
NO_SWEEP = "none"


@st.cache_resource(max_entries=128, show_spinner=False)
def _view(_problem: sn.Problem, key: str) -> tuple[sn.SensitivityReport, str]:
    """The report and the section's text (heading, reading, notes and rounded table as one
    markdown string: one element for the browser instead of four), built once per inputs: a
    slider elsewhere on the page costs the section one cache read. The CSV is made on click.

    ``st.cache_resource``, not ``st.cache_data``: the result is shared, never copied (a data
    cache pickles every result it stores and unpickles it on every read); nothing here
    changes a report or a string."""
    report = sn.sensitivity(_problem)
    return report, _text(report)


@st.cache_resource(max_entries=128, show_spinner=False)
def _sweep_spec(_problem: sn.Problem, key: str, name: str, x_title: str, x_format: str, optimum: float) -> dict | None:
    """The envelope chart for one chosen input, as a finished spec (None when no optimum
    exists anywhere on its range): one sweep and one chart build per inputs and choice,
    shared (``charts.show`` draws a copy)."""
    curve = sn.sweep(_problem, name)
    if curve.empty:
        return None
    param = next(p for p in _problem.params if p.name == name)
    return charts.lines_chart(
        curve.assign(curve=x_title),
        x="value",
        y="optimum",
        series="curve",
        x_title=param.axis_title,
        y_title=x_title,
        x_format=",.4~g",
        y_format=x_format,
        height=240,
        title=words.envelope_title(_problem.x_name, param),
        optimum=charts.Marker(param.value, optimum, words.now_label(param.value)),
    )


def _key(page: str, problem: sn.Problem) -> tuple:
    """What identifies a problem for the caches: the page and every input's value and range."""
    return (
        page,
        problem.goal,
        problem.lo,
        problem.hi,
        problem.x_name,
        tuple((p.name, p.title, p.unit, p.value, p.lo, p.hi) for p in problem.params),
    )


def _text(report: sn.SensitivityReport) -> str:
    """Heading, the reading in words, the boundary notes and the rounded table, as markdown.

    One markdown table: a visible data grid cost ~200 ms of browser time per slider move
    (python bench/latency.py --page /compounding --slider rate: 6.5x the fair floor with the
    grid, 3.9x without). The exact numbers are one toggle away, and in the CSV.
    """
    shown = words.shown_table(report)
    return words.markdown(report) + "\n\n" + markdown_table(shown, right=shown.columns[1:])


def section(
    problem: sn.Problem,
    page: str,
    *,
    x_title: str,
    x_format: str = ",.2f",
    extra_key: tuple = (),
) -> sn.SensitivityReport:
    """Draw the section for ``problem``; return the report (the page may quote it).

    ``x_title`` names the optimum with its unit ("Best price ($)"). ``extra_key`` must hold anything ``problem.f`` depends
    on besides its parameters (e.g. fitted coefficients), so caches never mix two problems.

    Four elements per rerun (text, toggle, download, select) and the chart once an input is
    picked, each built once per inputs: moving a slider the section does not depend on
    recomputes nothing in it.
    """
    # One string, not a nested tuple (and a dataclass in extra_key): Streamlit's hasher walks
    # a tuple item by item and deep-copies a dataclass, 5% of a loaded Pricing rerun. repr keeps
    # every float exactly (shortest round-trip), so two problems never share a key, as long as
    # every part of the key has an exact repr: numbers, strings, tuples and dataclasses of them;
    # never an array or a frame (numpy's repr rounds and elides), which must be made a tuple first.
    key = repr((*_key(page, problem), *extra_key))
    report, text = _view(problem, key)
    st.markdown(text)
    if st.toggle(words.EXACT_TOGGLE, key=f"{page}_sensitivity_exact"):
        st.dataframe(
            report.table(),
            hide_index=True,
            width="stretch",
            column_config={
                "value": st.column_config.NumberColumn(format="%.10g"),
                "optimum_change_per_unit": st.column_config.NumberColumn(format="%.10g"),
                "best_change_per_unit": st.column_config.NumberColumn(format="%.10g"),
                "optimum_elasticity": st.column_config.NumberColumn(format="%.10g"),
            },
            key=f"{page}_sensitivity_table",
        )
    csv_download(report.table, f"{page}_sensitivity.csv", words.DOWNLOAD_LABEL)

    # The envelope chart is drawn when the visitor picks an input (?sweep=<input> in the link):
    # drawn on every rerun it cost /study about 5% of its slider latency (python bench/latency.py
    # --page /study --baseline <the same code without the section>: 1.14x with it, 1.09x without).
    names = [p.name for p in problem.params]
    chosen = inputs.select(
        words.SWEEP_LABEL,
        "sweep",
        [NO_SWEEP, *names],
        NO_SWEEP,
        horizontal=False,
        help=words.sweep_help(problem.x_name),
    )
    if chosen == NO_SWEEP:
        return report
    spec = _sweep_spec(problem, key, chosen, x_title, x_format, report.optimum.x)
    if spec is None:
        st.info(words.NO_OPTIMUM_ON_RANGE)
    else:
        charts.show(spec)
    return report
