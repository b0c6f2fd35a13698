"""Words every page shares: the second-derivative test, what happened to a value from the link,
the typed entry beside each slider, the share line, and the editable table's messages.

Everything here returns text; ``ui`` draws it. Functions whose name ends in ``_md`` (and
:func:`link_note`) return markdown in which every literal character is escaped, ready for
``st.markdown``/``st.caption``; the others return plain text (``ui.safe`` escapes it).

Examples
--------
>>> from optimizers.calculus import optimize
>>> second_derivative_sentence(optimize(lambda p: (p - 20) * (1300 - 10 * p), 0, 130), "price", lambda v: f"${v:.2f}")
'Second-derivative test: f″ = −20 < 0 at price = $75.00. The curve bends down, so this is a **maximum**.'
>>> print(link_note("unit_cost", "abc", LinkProblem.NOT_A_NUMBER, printf(20.0, "$%.0f")))
From the link: unit\\_cost\\=“abc” is not a number; the default \\$20 is used\\.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import NamedTuple

from explain.format import general, minus, plain, quote
from optimizers.calculus import Optimum

__all__ = [
    "PHONE_COLUMNS",
    "RESET_HELP",
    "RESET_LABEL",
    "TYPED_TOGGLE_HELP",
    "TYPED_TOGGLE_LABEL",
    "Box",
    "LinkProblem",
    "Metric",
    "editor_reset",
    "link_note",
    "link_table_unreadable",
    "phone_table",
    "printf",
    "second_derivative_sentence",
    "share_cell",
    "share_sentence",
    "table_left_out",
    "typed_label",
    "upload_label",
    "upload_unusable",
]

#: The share line's button (a contract: tests click it by this name) and its tooltip.
RESET_LABEL = "Reset to defaults"
RESET_HELP = "Every input back to its default, and the link back to the plain page"


class Metric(NamedTuple):
    """One metric: its label (a contract: tests and visitors read it), value and help."""

    label: str
    value: str
    help: str | None = None


class Box(NamedTuple):
    """One element of the answer: ``kind`` is the Streamlit call that draws it ("markdown",
    "caption", "info", "success", "warning"), ``text`` its markdown."""

    kind: str
    text: str


def _f2(v: float) -> str:
    """f'' in 4 significant digits with thousands separators and the one minus sign."""
    return minus(f"{v:,.4g}")


def second_derivative_sentence(opt: Optimum, x_name: str, fmt_x: Callable[[float], str]) -> str:
    """What the second-derivative test says at the optimum (markdown: the kind is bold).

    ``fmt_x`` formats the optimum's x (a function from :mod:`explain.format`, e.g. ``money``).

    Examples
    --------
    >>> from optimizers.calculus import optimize
    >>> opt = optimize(lambda h: 100 * (1 - 2.718281828 ** (-0.3 * h)) - 2 * h, 0, 16)
    >>> second_derivative_sentence(opt, "hours", lambda h: f"{h:.2f} h")
    'Second-derivative test: f″ = −0.6 < 0 at hours = 9.03 h. The curve bends down, so this is a **maximum**.'
    """
    f2 = opt.second_derivative
    if opt.flat:
        return "The objective is flat here: every choice gives the same value."
    where = f"at {x_name} = {fmt_x(opt.x)}"
    if opt.at_boundary:
        return (
            f"The best {x_name} is on the edge of the allowed range ({fmt_x(opt.x)}): the slope "
            f"there is {_f2(opt.derivative)}, not zero, so it is the limit, not a turning point."
        )
    if f2 < 0:
        return f"Second-derivative test: f″ = {_f2(f2)} < 0 {where}. The curve bends down, so this is a **maximum**."
    if f2 > 0:
        return f"Second-derivative test: f″ = {_f2(f2)} > 0 {where}. The curve bends up, so this is a **minimum**."
    return (
        f"f″ = 0 {where}, so the second-derivative test is silent; the slope changes sign there, "
        f"so by the first-derivative test this is a **{'maximum' if opt.kind == 'max' else 'minimum'}**."
    )


# --- values from the link ---------------------------------------------------------------------


class LinkProblem(enum.Enum):
    """Why a value from the link was not used as it was (``ui.inputs`` finds it, this words it)."""

    NOT_A_NUMBER = "not_a_number"
    NOT_FINITE = "not_finite"
    OUT_OF_RANGE = "out_of_range"
    NOT_WHOLE = "not_whole"
    NOT_AN_OPTION = "not_an_option"
    TOO_LONG = "too_long"
    REPEATED = "repeated"


def printf(value: float, fmt: str | None = None) -> str:
    """A widget's value as its printf-style format shows it ("$%.0f" -> "$20"), with the one
    minus sign; :func:`explain.format.general` when there is no format or it does not apply.

    >>> printf(20.0, "$%.0f"), printf(5.0, "%.2f%%"), printf(12, "%d years"), printf(-0.5), printf(3.0, "%,d")
    ('$20', '5.00%', '12 years', '−0.5', '3')
    """
    if fmt:
        try:
            return minus(fmt % value)
        except (TypeError, ValueError):
            pass
    return general(value, 6)


def link_note(
    key: str,
    raw: str,
    problem: LinkProblem,
    default: str,
    *,
    low: str = "",
    high: str = "",
    options: Sequence[str] = (),
    max_chars: int = 0,
    times: int = 0,
) -> str:
    """One line (markdown, every character literal) saying what the page did with ``?key=raw``.

    ``default`` is the value used instead, as the widget shows it; ``low``/``high`` the range,
    ``options`` the allowed codes, ``max_chars`` the longest text, ``times`` how often the key
    was repeated (with ``REPEATED``, where ``raw`` is the value used: the last one).

    Examples
    --------
    >>> print(link_note("price", "500", LinkProblem.OUT_OF_RANGE, "$50.00", low="$0.00", high="$130.00"))
    From the link: price\\=“500” is outside \\$0\\.00 to \\$130\\.00; the default \\$50\\.00 is used\\.
    >>> print(link_note("target", "-5", LinkProblem.OUT_OF_RANGE, "0", low="0"))  # no upper end
    From the link: target\\=“\\-5” is below 0; the default 0 is used\\.
    >>> print(link_note("model", "x", LinkProblem.NOT_AN_OPTION, "linear", options=["linear", "data"]))
    From the link: model\\=“x” is not one of linear, data; the default linear is used\\.
    >>> print(link_note("price", "60", LinkProblem.REPEATED, "", times=2))
    From the link: price is given 2 times; the last one, “60”, is used\\.
    """
    given = f"{plain(key)}\\={quote(raw, 40)}"
    used = f"; the default {plain(default)} is used\\."
    if problem is LinkProblem.REPEATED:
        return f"From the link: {plain(key)} is given {times} times; the last one, {quote(raw, 40)}, is used\\."
    if problem is LinkProblem.NOT_A_NUMBER:
        why = "is not a number"
    elif problem is LinkProblem.NOT_FINITE:
        why = "is not a finite number"
    elif problem is LinkProblem.OUT_OF_RANGE:
        why = f"is outside {plain(low)} to {plain(high)}" if high else f"is below {plain(low)}"
    elif problem is LinkProblem.NOT_WHOLE:
        why = "is not a whole number"
    elif problem is LinkProblem.NOT_AN_OPTION:
        shown = ", ".join(plain(o) for o in options[:8]) + (", …" if len(options) > 8 else "")
        why = f"is not one of {shown}"
    else:
        why = f"is longer than {max_chars:,} characters"
        given = f"{plain(key)}\\=“{plain(raw, 20)}”"
        used = f"; the default {quote(default, 40) if default else 'empty text'} is used\\."
    return f"From the link: {given} {why}{used}"


#: The toggle that shows a typed entry beside every slider, and its tooltip.
TYPED_TOGGLE_LABEL = "Type exact values"
TYPED_TOGGLE_HELP = (
    "A box beside every slider: type a value between the slider's steps (23.49 on a slider in steps of 1). "
    "The link keeps it."
)


def typed_label(label: str) -> str:
    """The (hidden) label of the typed entry beside a slider: what a screen reader says.

    >>> typed_label("Unit cost ($)")
    'Unit cost ($): type an exact value'
    """
    return f"{label}: type an exact value"


# --- the share line ---------------------------------------------------------------------------


def share_sentence(left_out: Sequence[str] = ()) -> str:
    """'Share this scenario: …' (plain text), saying what the link leaves out, if anything.

    >>> share_sentence(), share_sentence(["the link leaves out your table"])
    ('Share this scenario: this link reproduces exactly what you see.', 'Share this scenario: this link reproduces what you see, except that the link leaves out your table.')
    """
    missing = [s for s in left_out if s]
    if missing:
        return f"Share this scenario: this link reproduces what you see, except that {'; '.join(missing)}."
    return "Share this scenario: this link reproduces exactly what you see."


# --- the editable table -----------------------------------------------------------------------


def upload_label(what: str) -> str:
    """The uploader's label under an editable table (plain text)."""
    return f"…or upload a CSV of {what} (it replaces the table)"


def link_table_unreadable(reason: str) -> str:
    """The table in the link could not be read (plain text; ``reason`` may quote the link)."""
    return f"The table in the link could not be read ({reason}); showing the example."


def upload_unusable(name: str, reason: str) -> str:
    """An uploaded file could not be used (plain text; ``name`` is the visitor's file name)."""
    return f"Could not use “{name}”: {reason}"


def editor_reset(problem: str) -> str:
    """Edits that were refused (plain text)."""
    return f"Your edits were not applied and the table was reset: {problem}."


def table_left_out(rows: int, max_rows: int) -> str:
    """What the share link leaves out when the table is too big for it (plain text).

    >>> table_left_out(120, 48)
    'the link leaves out your table (120 rows; a link carries at most 48 rows of plain numbers)'
    """
    return f"the link leaves out your table ({rows:,} rows; a link carries at most {max_rows} rows of plain numbers)"


#: Columns a markdown table may have on a 390 px phone (358 px for the table, each column at
#: least as wide as its longest number plus 16 px of padding): measured in Chromium, five columns
#: ran 44-105 px past the main column's edge (Price & ads, the lab's sigmoid), and four with
#: 10-digit numbers 48-57 px (the custom page's critical points). As in "What moves the optimum"
#: (``explain.sensitivity.shown_table``: "unit cost = 20"), two facts about a row share a cell.
PHONE_COLUMNS = 4


def share_cell(main: str, detail: str = "") -> str:
    """Two facts about a row in one table cell: 'max; second-derivative', '0; overflow'.

    >>> share_cell("min (kink)", "first-derivative"), share_cell("0.5")
    ('min (kink); first-derivative', '0.5')
    """
    return f"{main}; {detail}" if detail else main


def phone_table(header: Sequence[str], align: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A markdown table of cells already written (numbers, or text already escaped) that fits a
    phone: at most PHONE_COLUMNS columns. ``align`` is one of 'left', 'right', 'center' per column.

    >>> print(phone_table(["x", "kind"], ["right", "left"], [["5", share_cell("min", "second-derivative")]]))
    | x | kind |
    | ---: | :--- |
    | 5 | min; second-derivative |
    """
    if len(header) > PHONE_COLUMNS:
        raise ValueError(f"a table for a phone has at most {PHONE_COLUMNS} columns, got {len(header)}: {list(header)}")
    if len(align) != len(header):
        raise ValueError(f"align needs one entry per column, got {len(align)} for {len(header)}")
    marks = {"left": ":---", "right": "---:", "center": ":---:"}
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks[a] for a in align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
