"""Inputs bound to the URL: the key of each widget is its URL parameter, so the address
bar is always a link that reproduces what the user sees.

Every URL value is a stranger's input. Before a widget is created its URL value is checked
here (a finite number inside the widget's range, an integer where one is needed, one of the
options, text no longer than allowed); anything else is dropped so the widget starts from
its default, exactly as if the parameter were absent, and one line under the widget says so
("From the link: unit_cost="abc" is not a number; the default $20 is used."). A key given
twice keeps its last value, and that is said too. Streamlit itself misses a few cases:
``?seed=inf`` crashes an integer number input, and an empty value (``?model=``) leaves a
segmented control with nothing selected. Returned numbers are never ``-0.0``.

Every slider can have a typed entry beside it (:func:`slider`, :func:`int_slider`): a number
input bound to the *same* URL parameter through the slider, so an exact value the slider's
steps cannot reach ($23.49) can be typed, and the link carries it (``?unit_cost=23.49``).
The entries are shown when the visitor turns on *Type exact values* (one toggle, drawn above
the page's first slider), and always beside a slider whose value lies between its steps (so a
fresh browser on ``?unit_cost=23.49`` shows 23.49 in both). Shown on every slider all the time
they cost a slider step 13-35% more browser main-thread time on Pricing (five number
inputs; docs/pages/common-inputs.md); hidden, they cost nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from urllib.parse import urlencode

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.session_state_proxy import get_session_state

from explain import common as words
from explain.common import LinkProblem
from ui import safe

__all__ = [
    "int_slider",
    "integer",
    "link_param",
    "log_slider",
    "number",
    "select",
    "share_line",
    "share_url",
    "slider",
    "text",
    "typed_key",
    "url_value",
]

#: Session-state keys of the typed entries start with this (never a URL parameter).
TYPED_PREFIX = "typed_"
#: The key of the "Type exact values" toggle (session state only, not in the link).
TYPED_TOGGLE = TYPED_PREFIX + "values"
#: Width of a typed entry in px: "0.00146" or "20000" fits, and a 390 px phone keeps the slider.
TYPED_WIDTH = 84


def url_value(key: str) -> str | None:
    """The raw value of ``?key=`` in the URL this page was opened with (last one wins)."""
    values = st.query_params.get_all(key)
    return values[-1] if values else None


def _reject(key: str) -> None:
    """Forget ``?key=`` so the widget bound to it starts from its default.

    Streamlit seeds bound widgets from a snapshot of the URL taken when the run started,
    which ``st.query_params`` cannot change once a widget is bound; the snapshot is dropped
    through the same internal call Streamlit uses for values it rejects itself.
    """
    with get_session_state().query_params() as qp:
        initial = getattr(qp, "_initial_query_params", None)
        if isinstance(initial, dict):
            initial.pop(key, None)
        qp.remove_param(key)


def _keep_last(key: str, value: str) -> None:
    """Keep only the last of a repeated ``?key=``: Streamlit would read ``?x=1&x=2`` as a
    two-thumb range on a slider and as the last value on other widgets."""
    with get_session_state().query_params() as qp:
        initial = getattr(qp, "_initial_query_params", None)
        if isinstance(initial, dict) and key in initial:
            initial[key] = [value]
        qp.set_with_no_forward_msg(key, value)


def _repeated(key: str) -> str:
    """The note for a repeated ``?key=`` (its last value is kept), or ""."""
    values = st.query_params.get_all(key)
    if len(values) < 2:
        return ""
    _keep_last(key, values[-1])
    return words.link_note(key, values[-1], LinkProblem.REPEATED, "", times=len(values))


def _check_number(
    key: str, lo: float, hi: float, *, integer: bool = False, default: float = math.nan, fmt: str | None = None
) -> str:
    """Drop ``?key=`` unless it is a finite number in [lo, hi] (whole where ``integer``); return
    the line that says what happened to it ("" when it is used as it is, or absent)."""
    said = _repeated(key)
    raw = url_value(key)
    if raw is None:
        return said
    try:
        v = float(raw)
    except ValueError:
        problem = LinkProblem.NOT_A_NUMBER
    else:
        if not math.isfinite(v):
            problem = LinkProblem.NOT_FINITE
        elif not lo <= v <= hi:
            problem = LinkProblem.OUT_OF_RANGE
        elif integer and v != int(v):
            problem = LinkProblem.NOT_WHOLE
        else:
            return said
    _reject(key)
    note = words.link_note(
        key,
        raw,
        problem,
        words.printf(default, fmt),
        low=words.printf(lo, fmt),
        high=words.printf(hi, fmt) if math.isfinite(hi) else "",  # no upper end: "below lo"
    )
    return "  \n".join(filter(None, (said, note)))


def _check_choice(key: str, options: Sequence[str], default: str = "") -> str:
    said = _repeated(key)
    raw = url_value(key)
    if raw is None or raw in options:
        return said
    _reject(key)
    note = words.link_note(key, raw, LinkProblem.NOT_AN_OPTION, default, options=list(options))
    return "  \n".join(filter(None, (said, note)))


def _say(where, note: str) -> None:
    """One caption under a widget whose link value was not used as given (drawn only then)."""
    if note:
        where.caption(note)


def _unsigned_zero(v: float) -> float:
    return v + 0.0  # -0.0 + 0.0 is 0.0


def _held(key: str, default: float) -> float:
    """The value the widget bound to ``?key=`` will have in this run, read before it is drawn:
    its state, else the (checked) link value, else the default."""
    value = st.session_state.get(key)
    if isinstance(value, int | float):
        return float(value)
    raw = url_value(key)
    try:
        return float(raw) if raw is not None else float(default)
    except ValueError:
        return float(default)


def typed_key(key: str) -> str:
    """The session-state key of the typed entry beside the slider bound to ``?key=``."""
    return TYPED_PREFIX + key


def _typed_changed(key: str, integer: bool) -> None:
    """A value typed beside a slider becomes the slider's value (and so the link's)."""
    value = st.session_state.get(typed_key(key))
    if value is not None:
        st.session_state[key] = int(value) if integer else _unsigned_zero(float(value))


def _typed_entry(box, label: str, key: str, lo: float, hi: float, value: float, step: float, *, integer: bool) -> None:
    """A number input beside the slider, showing the slider's value and setting it when typed.

    It is not bound to the URL: the slider is, and a typed value reaches the link through it.
    Its default is the slider's value: what a browser shows when it first draws the entry (a
    fresh browser on ``?unit_cost=23.49`` shows 23.49 in both; set through session state on
    the first run, the entry showed 0 until a later run). When the slider moved since, the
    entry's state is set to the slider's value instead (an entry that is on the screen takes
    it), and no default is passed in that run, which Streamlit would log as a conflict.
    """
    tkey = typed_key(key)
    moved = tkey in st.session_state and st.session_state[tkey] != value
    if moved:
        st.session_state[tkey] = value
    box.number_input(
        words.typed_label(label),
        min_value=lo,
        max_value=hi,
        value="min" if moved else value,
        step=step,
        format="%d" if integer else "%g",
        key=tkey,
        label_visibility="collapsed",
        on_change=_typed_changed,
        args=(key, integer),
        width=TYPED_WIDTH,
    )


_CONVERSION = re.compile(r"%([-+ 0#]*)(\d*)(?:\.(\d+))?([dif])")
#: Most decimals a slider's label gains to show a typed value exactly.
MAX_DECIMALS = 6


def _exact_format(fmt: str | None, value: float) -> str | None:
    """``fmt`` with enough decimals to show ``value`` exactly (up to :data:`MAX_DECIMALS`), so a
    slider in $1 steps holding a typed $23.49 says "$23.49", not "$23".

    >>> _exact_format("$%.0f", 23.49), _exact_format("$%.0f", 23.0), _exact_format("%d years", 2.5)
    ('$%.2f', '$%.0f', '%.1f years')
    """
    match = _CONVERSION.search(fmt or "")
    if match is None or not math.isfinite(value):
        return fmt
    shown = int(match.group(3) or 0) if match.group(4) == "f" else 0
    needed = next((d for d in range(MAX_DECIMALS + 1) if round(value, d) == value), MAX_DECIMALS)
    if needed <= shown:
        return fmt
    flags, width = match.group(1), match.group(2)
    return fmt[: match.start()] + f"%{flags}{width}.{needed}f" + fmt[match.end() :]


def _typing(where) -> bool:
    """Draw the *Type exact values* toggle if no slider was drawn yet in this run; is it on?"""
    ctx = get_script_run_ctx()
    if ctx is None:
        return False
    if TYPED_TOGGLE not in ctx.shared.widget_user_keys_this_run:
        where.toggle(words.TYPED_TOGGLE_LABEL, key=TYPED_TOGGLE, help=words.TYPED_TOGGLE_HELP)
    return bool(st.session_state.get(TYPED_TOGGLE))


def _between_steps(value: float, lo: float, hi: float, step: float) -> bool:
    """Is ``value`` a value the slider's steps cannot reach (23.49 on a $1 slider from $0)?

    >>> _between_steps(23.49, 0, 200, 1), _between_steps(23.0, 0, 200, 1), _between_steps(0.3, 0.1, 0.9, 0.1)
    (True, False, False)
    """
    if value in (lo, hi) or step <= 0:
        return False
    steps = (value - lo) / step
    return abs(steps - round(steps)) > 1e-9 * max(1.0, abs(steps))


#: Session-state key of the sliders whose entry stays shown (their value was between steps).
_KEPT = "_typed_kept"


def _show_typed(where, typed: bool, key: str, lo: float, hi: float, step: float, default: float) -> bool:
    """Does this slider get its typed entry: the toggle is on, or its value is (or was, in this
    session) between steps. Once shown that way an entry stays: drawing the slider outside its
    row again would re-mount it, and a visitor stepping it with the keyboard would lose focus."""
    if not typed:
        return False
    on = _typing(where)
    kept = st.session_state.setdefault(_KEPT, set())
    if key not in kept and _between_steps(_held(key, default), lo, hi, step):
        kept.add(key)
    return on or key in kept


def _row(where, typed: bool):
    """Where a slider and its typed entry go: side by side (wrapping on a narrow screen)."""
    return where.container(horizontal=True, wrap=False, vertical_alignment="bottom", gap="small") if typed else where


def slider(
    label: str,
    key: str,
    lo: float,
    hi: float,
    default: float,
    step: float,
    *,
    fmt: str | None = None,
    help: str | None = None,
    where=st,
    typed: bool = True,
) -> float:
    """A float slider bound to ``?key=``, with a typed entry beside it while *Type exact values*
    is on or its value lies between steps (``typed=False``: never).

    A typed value may lie between the slider's steps (23.49 on a $1 slider); the slider's label
    then gains the decimals it needs ("$%.0f" shows "$23.49", :func:`_exact_format`) until a
    step puts it back on the grid.
    """
    note = _check_number(key, lo, hi, default=default, fmt=fmt)
    typed = _show_typed(where, typed, key, float(lo), float(hi), float(step), float(default))
    box = _row(where, typed)
    value = _unsigned_zero(
        box.slider(
            label,
            min_value=float(lo),
            max_value=float(hi),
            value=float(default),
            step=float(step),
            format=_exact_format(fmt, _held(key, default)),
            key=key,
            help=help,
            bind="query-params",
        )
    )
    if typed:
        _typed_entry(box, label, key, float(lo), float(hi), value, float(step), integer=False)
    _say(where, note)
    return value


def int_slider(
    label: str,
    key: str,
    lo: int,
    hi: int,
    default: int,
    step: int = 1,
    *,
    help: str | None = None,
    where=st,
    typed: bool = True,
) -> int:
    """An integer slider bound to ``?key=``, with a typed entry beside it while *Type exact
    values* is on or its value lies between steps (``typed=False``: never).

    A typed whole number may lie between the slider's steps (33 on a slider in steps of 4).
    """
    note = _check_number(key, lo, hi, integer=True, default=default)
    typed = _show_typed(where, typed, key, lo, hi, step, default)
    box = _row(where, typed)
    value = int(
        box.slider(
            label,
            min_value=lo,
            max_value=hi,
            value=default,
            step=step,
            key=key,
            help=help,
            bind="query-params",
        )
    )
    if typed:
        _typed_entry(box, label, key, int(lo), int(hi), value, int(step), integer=True)
    _say(where, note)
    return value


def select(
    label: str,
    key: str,
    options: Sequence[str],
    default: str,
    *,
    horizontal: bool = True,
    help: str | None = None,
    where=st,
) -> str:
    """A choice among short option codes, bound to ``?key=``.

    The codes are shown as they are: Streamlit writes the *displayed* text into the URL,
    so a format_func would break the documented URL values. An empty or unknown URL value
    gives ``default``, shown selected.
    """
    note = _check_choice(key, options, default)
    if horizontal:
        value = where.segmented_control(
            label,
            options=list(options),
            default=default,
            key=key,
            help=help,
            bind="query-params",
            required=True,
        )
    else:
        value = where.selectbox(
            label,
            options=list(options),
            index=list(options).index(default),
            key=key,
            help=help,
            bind="query-params",
        )
    _say(where, note)
    return value if value in options else default


def log_slider(
    label: str,
    key: str,
    options: Sequence[float],
    default: float,
    *,
    fmt: Callable[[float], str] = lambda v: f"{v:.0e}",
    help: str | None = None,
    where=st,
) -> float:
    """A select-slider over log-spaced values (Streamlit sliders have no log scale).

    The URL carries ``fmt(value)``, so ``fmt`` must give distinct, readable numbers. It has no
    typed entry: its values are a fixed list (a rate between two options cannot be used).
    """
    note = _check_choice(key, [fmt(v) for v in options], fmt(default))
    value = float(
        where.select_slider(
            label,
            options=list(options),
            value=default,
            format_func=fmt,
            key=key,
            help=help,
            bind="query-params",
        )
    )
    _say(where, note)
    return value


def text(label: str, key: str, default: str, *, max_chars: int, help: str | None = None, where=st) -> str:
    """A text input bound to ``?key=``; a URL value longer than ``max_chars`` is ignored, and
    so is a longer value sent straight over the websocket (the browser enforces max_chars,
    a forged message need not)."""
    note = _repeated(key)
    raw = url_value(key)
    if raw is not None and len(raw) > max_chars:
        _reject(key)
        too_long = words.link_note(key, raw, LinkProblem.TOO_LONG, default, max_chars=max_chars)
        note = "  \n".join(filter(None, (note, too_long)))
    value = where.text_input(label, value=default, max_chars=max_chars, key=key, help=help, bind="query-params")
    _say(where, note)
    return value[:max_chars]


def number(
    label: str,
    key: str,
    lo: float,
    hi: float | None,
    default: float,
    step: float,
    *,
    fmt: str | None = None,
    help: str | None = None,
    where=st,
) -> float:
    """A float number input bound to ``?key=`` (finite, within [lo, hi]). ``hi=None`` sets no
    upper end: the browser then never shows its "enter a value between 0 and 1000000000000000"
    message, whose numbers Streamlit prints without separators."""
    note = _check_number(key, lo, math.inf if hi is None else hi, default=default, fmt=fmt)
    value = _unsigned_zero(
        float(
            where.number_input(
                label,
                min_value=float(lo),
                max_value=None if hi is None else float(hi),
                value=float(default),
                step=float(step),
                format=fmt,
                key=key,
                help=help,
                bind="query-params",
            )
        )
    )
    _say(where, note)
    return value


def integer(label: str, key: str, lo: int, hi: int, default: int, *, help: str | None = None, where=st) -> int:
    """An integer number input bound to ``?key=`` (``?seed=inf`` and ``?seed=2.5`` give the default)."""
    note = _check_number(key, lo, hi, integer=True, default=default)
    value = int(where.number_input(label, lo, hi, default, 1, key=key, help=help, bind="query-params"))
    _say(where, note)
    return value


#: Streamlit's own URL parameters (embedding), never pruned.
_STREAMLIT_PARAMS = {"embed", "embed_options"}
_OWNERS = "_link_param_owners"


def link_param(key: str, widget_prefix: str) -> None:
    """Declare ``?key=`` as carried by a helper rather than a bound widget (a table's
    ``?data=``): it stays in the link only in runs where a widget whose key starts with
    ``widget_prefix`` is on the page."""
    st.session_state.setdefault(_OWNERS, {})[key] = widget_prefix


def _rendered() -> tuple[Callable[[str], bool], list[str]]:
    """(is this widget key on the page in this run?, the session-state keys that are)."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return (lambda _k: True), []
    keys = ctx.shared.widget_user_keys_this_run
    return (lambda k: k in keys), [k for k in st.session_state if isinstance(k, str) and k in keys]


def prune_link() -> None:
    """Drop URL parameters that no longer apply: those of widgets not on the page in this
    run (switching Pricing from ``elasticity`` to ``data`` drops ``elasticity=``), tables
    whose editor is gone, and anything the app does not know. Call after every input."""
    on_page, drawn = _rendered()
    owners = st.session_state.get(_OWNERS, {})
    for key in list(st.query_params.keys()):
        if key in _STREAMLIT_PARAMS or (on_page(key) and not key.startswith(TYPED_PREFIX)):
            continue
        if key in owners and any(k.startswith(owners[key]) for k in drawn):
            continue
        _reject(key)


def _reset() -> None:
    """Forget every input and every URL parameter: the page starts over from its defaults.

    Streamlit keeps the value of a keyed widget that is not on the page (the elasticity
    slider while the data model is shown), so every input's state is dropped, not only
    those drawn now; tables go back to their examples. Internal keys ("_…") stay.

    The link is emptied in one message: the browser adds a history entry for every change
    of the URL it is sent, and one per parameter made Back step through them one by one.
    """
    for key in [k for k in st.session_state if isinstance(k, str) and not k.startswith("_")]:
        del st.session_state[key]
    with get_session_state().query_params() as qp:
        initial = getattr(qp, "_initial_query_params", None)
        dropped = [key for key in list(qp) if key not in _STREAMLIT_PARAMS]
        for key in dropped:
            if isinstance(initial, dict):
                initial.pop(key, None)
            qp.discard_param_no_forward_msg(key)
        if dropped:
            qp._send_query_param_msg()


def share_url() -> str:
    """The page URL with every non-default input as a query parameter.

    ``st.context.url`` has no query string, so the bound widgets' values are added from
    ``st.query_params`` (which Streamlit keeps in sync with them). Call this after the
    page's inputs exist.
    """
    base = st.context.url or ""
    params = st.query_params.to_dict()
    return base + ("?" + urlencode(params) if params else "")


def share_line(*leaves_out: str) -> None:
    """'Share this scenario' with a copyable link that reproduces the page.

    ``leaves_out`` names what the link cannot carry (an uploaded table too big for a URL);
    the sentence then says so instead of promising an exact copy.
    """
    prune_link()
    url = share_url()
    st.caption(safe.plain(words.share_sentence(leaves_out), max_chars=None))
    st.code(url or "(the link appears when the app runs in a browser)", language=None, wrap_lines=True)
    st.button(
        words.RESET_LABEL,
        key="reset_to_defaults",
        icon=":material/restart_alt:",
        help=words.RESET_HELP,
        on_click=_reset,
    )
