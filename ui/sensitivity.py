"""The "What moves the optimum" section every decision page shows under its answer.

    problem = study.sensitivity_problem(model, max_hours)   # optimizers builds the Problem
    sensitivity.section(problem, "study", x_title="Best study time (h)", ...)

One line in words about the largest effect, a table with one row per input (the contract
columns of ``optimizers.sensitivity.COLUMNS``, downloadable as ``<page>_sensitivity.csv``),
and the envelope of optima: the best choice as one chosen input sweeps its slider range,
the current value marked. The sweep is one cached computation per (page, inputs, choice).
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from optimizers import sensitivity as sn
from ui import charts, inputs, safe
from ui.export import csv_download, markdown_table

__all__ = ["section"]


@st.cache_data(max_entries=128, show_spinner=False)
def _report(_problem: sn.Problem, key: tuple) -> sn.SensitivityReport:
    return sn.sensitivity(_problem)


@st.cache_data(max_entries=128, show_spinner=False)
def _sweep(_problem: sn.Problem, key: tuple, name: str) -> pd.DataFrame:
    return sn.sweep(_problem, name)


def _key(page: str, problem: sn.Problem) -> tuple:
    """What identifies a problem for the caches: the page and every input's value and range."""
    return (page, problem.goal, problem.lo, problem.hi, tuple((p.name, p.value, p.lo, p.hi) for p in problem.params))


def _fmt(v: float, spec: str = ",.4g") -> str:
    """Signed, with the page's minus sign; "0" for zero (never "+0" or "−0"), "—" if undefined."""
    v = float(v)
    if not math.isfinite(v):
        return "—"
    text = f"{v:+{spec}}"
    if float(text.replace(",", "")) == 0:
        return "0"
    return text.replace("-", "−")


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
    """
    key = (*_key(page, problem), *extra_key)
    report = _report(problem, key)
    st.subheader("What moves the optimum")
    st.markdown(
        safe.plain(
            f"{report.headline()} Each row: if this input rises by one unit, how far the best "
            f"{problem.x_name} moves (implicit function theorem, −f_xθ/f_xx) and how much the best value "
            "changes (envelope theorem, ∂f/∂θ at the optimum).",
            max_chars=None,
        )
    )
    notes = [f"{r.label}: {r.note}" for r in report.rows if r.note]
    if notes:
        st.caption(safe.plain("On the boundary — " + "; ".join(notes) + ".", max_chars=None))
    table = report.table()
    # Shown as one markdown table: a visible data grid cost ~200 ms of browser time per slider
    # move (python bench/latency.py --page /compounding --slider rate: 6.5x the fair floor with
    # the grid, 3.9x without). The exact numbers are one toggle away, and in the CSV.
    labels = {r.parameter: r.label for r in report.rows}
    shown = pd.DataFrame(
        {
            "input": [labels.get(p, p) for p in table["parameter"]],
            "value": table["value"],
            f"best {problem.x_name} moves, per unit": table["optimum_change_per_unit"],
            "best value moves, per unit": table["best_change_per_unit"],
            "% move per 1% of the input": table["optimum_elasticity"],
        }
    )
    formats = dict.fromkeys(shown.columns[2:4], _fmt)
    formats["value"] = lambda v: _fmt(v).lstrip("+")
    formats["% move per 1% of the input"] = lambda v: _fmt(v, ".3f")
    st.markdown(markdown_table(shown, formats))
    if st.toggle("Show the exact numbers", key=f"{page}_sensitivity_exact"):
        st.dataframe(
            table,
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
    csv_download(table, f"{page}_sensitivity.csv", "Download sensitivity (CSV)")

    names = [p.name for p in problem.params]
    largest = report.largest()
    chosen = inputs.select(
        "Sweep an input over its range",
        "sweep",
        names,
        largest.parameter if largest else names[0],
        horizontal=False,
    )
    param = next(p for p in problem.params if p.name == chosen)
    curve = _sweep(problem, key, chosen)
    if curve.empty:
        st.info("The optimum cannot be found anywhere on this input's range.")
        return report
    current = report.optimum
    charts.show(
        charts.lines_chart(
            curve.assign(curve=x_title),
            x="value",
            y="optimum",
            series="curve",
            x_title=param.title,
            y_title=x_title,
            x_format=",.4~g",
            y_format=x_format,
            height=240,
            title=f"The best {problem.x_name} as {param.title} varies",
            optimum=charts.Marker(param.value, current.x, f"now: {_fmt(param.value).lstrip('+')}"),
        )
    )
    return report
