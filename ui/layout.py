"""The page layout every decision page shares: inputs in a bordered column on the left, the
answer on the right; rows of metrics from (label, value, help) triples written by explain."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

__all__ = ["INPUT_WIDTHS", "Metric", "columns", "metrics"]

#: Width ratio of the inputs column to the answer column (a phone stacks them).
INPUT_WIDTHS = (1, 2.3)


@dataclass(frozen=True)
class Metric:
    """One ``st.metric``: its label (a contract: tests and visitors read it), value and help."""

    label: str
    value: str
    help: str | None = None


def columns(widths: Sequence[float] = INPUT_WIDTHS):
    """(inputs box, answer column): the left one bordered, as on every decision page."""
    left, right = st.columns(list(widths), gap="large")
    return left.container(border=True), right


def metrics(items: Sequence[Metric | None], per_row: int = 3, where=st) -> None:
    """Metrics in rows of ``per_row`` (``None`` items are skipped)."""
    shown = [m for m in items if m is not None]
    for start in range(0, len(shown), per_row):
        for col, m in zip(where.columns(per_row), shown[start : start + per_row], strict=False):
            col.metric(m.label, m.value, help=m.help)
