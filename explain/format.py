"""Every number a visitor reads is formatted here, and only here.

One minus sign (:data:`MINUS`, U+2212) everywhere; never ``nan``, ``inf`` or ``−0`` (a dash for
what is undefined, 0 for rounding noise); thousands separators; zero is never signed ("$0",
not "+$0.00"). Also the markdown escape for anything a visitor typed (:func:`plain`): the
words of a page are markdown, the visitor's text never is.

Examples
--------
>>> money(30250), signed_money(-10, 0), num(9.0268, 2, "h"), percent(0.7333), count(550)
('$30,250.00', '−$10', '9.03 h', '73.3%', '550')
"""

from __future__ import annotations

import math
import re

__all__ = [
    "DASH",
    "MINUS",
    "NAMED_FROM",
    "amount",
    "change",
    "count",
    "general",
    "literal",
    "minus",
    "money",
    "money_words",
    "num",
    "number",
    "percent",
    "plain",
    "quote",
    "sci",
    "shown",
    "signed",
    "signed_money",
    "tidy",
]

#: The one minus sign (U+2212). ASCII "-" is for URLs, CSV files and code, never for text.
MINUS = "\u2212"
#: What is shown for a value that does not exist (nan, inf, None).
DASH = "—"
#: Relative size below which a value is rounding noise of a computation whose terms are ~1.
NOISE = 1e-12


def _ok(value) -> bool:
    return value is not None and isinstance(value, int | float) and math.isfinite(value)


def minus(text: str) -> str:
    """Turn ASCII hyphen-minus signs of numbers in ``text`` into :data:`MINUS`.

    A "-" counts as a minus when a digit, "$", "." or "∞" follows and no letter precedes
    it, or when it is an exponent's sign ("1e-05"). After a letter it is left alone: that is
    a word ("e-mail") or a formula ("x-1", shown as the visitor typed it).

    >>> minus("got -0.146, f'' = -20, 1.5e-05, (-3) and e-mail")
    "got −0.146, f'' = −20, 1.5e−05, (−3) and e-mail"
    """
    text = re.sub(r"(?<=\d[eE])-(?=\d)", MINUS, text)
    return re.sub(r"(?<![A-Za-z])-(?=[\d$.∞])", MINUS, text)


def tidy(value: float, scale: float = 1.0, rtol: float = NOISE) -> float:
    """``value``, or exactly 0.0 when it is rounding noise relative to ``scale``.

    >>> tidy(-5.68e-14, 30250.0), tidy(1.385e-15), tidy(0.25), tidy(-0.0)
    (0.0, 0.0, 0.25, 0.0)
    """
    if not _ok(value):
        return value
    if abs(value) <= rtol * max(abs(scale), 1.0) or value == 0:
        return 0.0
    return float(value)


def _fixed(value: float, decimals: int) -> str:
    """'1,234.50' with the one minus sign; no '−0.00'."""
    text = f"{abs(value):,.{decimals}f}"
    negative = value < 0 and float(text.replace(",", "")) != 0
    return (MINUS if negative else "") + text


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def money(value: float | None, decimals: int = 2) -> str:
    """'$30,250.00'; negative as '−$1.00'; undefined as a dash; from a quadrillion up as a
    power of ten (a 30-digit number helps nobody, and '1.07e+28' is not money).

    >>> money(30250), money(-1.5, 0), money(float("inf")), money(1.0686e28), money(-0.001)
    ('$30,250.00', '−$2', '—', '$1.07 × 10²⁸', '$0.00')
    >>> money(-2.5e15, 0)
    '−$2.50 × 10¹⁵'
    """
    if not _ok(value):
        return DASH
    if abs(value) >= 1e15:
        exponent = math.floor(math.log10(abs(value)))
        mantissa = abs(value) / 10.0**exponent
        if round(mantissa, 2) >= 10:
            mantissa, exponent = mantissa / 10, exponent + 1
        return f"{MINUS if value < 0 else ''}${mantissa:.2f} × 10{str(exponent).translate(_SUPERSCRIPT)}"
    text = _fixed(value, decimals)
    return MINUS + "$" + text[1:] if text.startswith(MINUS) else "$" + text


def signed_money(value: float | None, decimals: int = 2) -> str:
    """'+$490.00' or '−$10.00' for changes; a change that rounds to zero is unsigned.

    >>> signed_money(490), signed_money(-10, 0), signed_money(0.001), signed_money(-0.4, 0)
    ('+$490.00', '−$10', '$0.00', '$0')
    """
    text = money(value, decimals)
    if text == DASH or text.startswith(MINUS) or float(re.sub(r"[^\d.e+]", "", text) or 0) == 0:
        return text
    return "+" + text


def num(value: float | None, decimals: int = 2, unit: str = "") -> str:
    """'9.03 h' style numbers with thousands separators and the one minus sign.

    >>> num(9.0268, 2, "h"), num(1234.5, 0), num(float("nan")), num(-0.001, 2), num(-2.5, 1)
    ('9.03 h', '1,234', '—', '0.00', '−2.5')
    """
    if not _ok(value):
        return DASH
    return f"{_fixed(value, decimals)} {unit}".rstrip()


def signed(value: float | None, decimals: int = 2, unit: str = "") -> str:
    """'+1.50' or '−2.00' (for changes); a change that rounds to zero is '0.00'.

    >>> signed(1.5), signed(-2), signed(0.004), signed(3, 0, "points")
    ('+1.50', '−2.00', '0.00', '+3 points')
    """
    text = num(value, decimals, unit)
    if text == DASH or text.startswith(MINUS) or float(text.split(" ")[0].replace(",", "")) == 0:
        return text
    return "+" + text


def count(value: float | None) -> str:
    """A count: a whole number with thousands separators.

    >>> count(550), count(1234567.0), count(None)
    ('550', '1,234,567', '—')
    """
    return num(value, 0)


def percent(fraction: float | None, decimals: int = 1) -> str:
    """A fraction as a percentage: 0.7333 -> '73.3%'.

    >>> percent(0.7333), percent(2.75), percent(-0.05, 0), percent(float("nan"))
    ('73.3%', '275.0%', '−5%', '—')
    """
    if not _ok(fraction):
        return DASH
    return num(100 * fraction, decimals) + "%"


def general(value: float | None, digits: int = 4, scale: float | None = None) -> str:
    """A number of any size in ``digits`` significant digits ('−20', '0.3344', '1.5e+06'),
    with rounding noise relative to ``scale`` shown as 0.

    >>> general(-20.0), general(0.334371), general(1.385e-15, scale=1.0), general(1234567)
    ('−20', '0.3344', '0', '1.235e+06')
    """
    if not _ok(value):
        return DASH
    if scale is not None:
        value = tidy(value, scale)
    return minus(f"{value + 0.0:.{digits}g}")


def sci(value: float | None, decimals: int = 2) -> str:
    """Scientific notation for rates and tolerances: 0.0313 -> '3.13e−02'.

    >>> sci(0.0313), sci(-1.5e-7, 1), sci(None)
    ('3.13e−02', '−1.5e−07', '—')
    """
    if not _ok(value):
        return DASH
    return minus(f"{value:.{decimals}e}")


# --- sizes that vary by many orders: scale words, significant digits, never e-notation ----

_SCALES = (
    (1e33, "decillion"),
    (1e30, "nonillion"),
    (1e27, "octillion"),
    (1e24, "septillion"),
    (1e21, "sextillion"),
    (1e18, "quintillion"),
    (1e15, "quadrillion"),
    (1e12, "trillion"),
    (1e9, "billion"),
)
#: From here up, amounts and counts are written with a scale word ("$4 quadrillion"): a metric
#: shows about ten characters, and 22 digits (or 4e+15) tell a visitor nothing.
NAMED_FROM = 1e9


def _named(size: float) -> str:
    """A size of at least NAMED_FROM in three significant digits and a scale word."""
    if size >= 1e36:
        return "more than 1,000 decillion"
    unit, name = next((u, n) for u, n in _SCALES if size >= u)
    return f"{number(size / unit, 3)} {name}"


def money_words(value: float | None, decimals: int = 2) -> str:
    """Like :func:`money`, but from $1 billion up with a scale word, never in
    scientific notation (an elasticity near 1 can put a break-even price at $10⁹¹).

    >>> money_words(30250), money_words(-9750, 0), money_words(1.234e9), money_words(4.2e15)
    ('$30,250.00', '−$9,750', '$1.23 billion', '$4.2 quadrillion')
    >>> money_words(-1.55e24, 0), money_words(4.5e91), money_words(None)
    ('−$1.55 septillion', 'more than $1,000 decillion', '—')
    """
    if value is None or not math.isfinite(value):
        return DASH
    size = abs(value)
    if size < NAMED_FROM:
        return money(value, decimals)
    sign = MINUS if value < 0 else ""
    named = _named(size)
    return f"{sign}more than $1,000 decillion" if named.startswith("more") else f"{sign}${named}"


def amount(value: float | None) -> str:
    """A dollar amount whose size varies: whole dollars from $9.50, cents below, and two
    significant digits under a cent, so a small non-zero amount never reads "$0".

    >>> amount(30250.4), amount(-20), amount(0.4), amount(0.0034), amount(0), amount(-1e-9)
    ('$30,250', '−$20', '$0.40', '$0.0034', '$0', '−$0.0000000010')
    """
    if value is None or not math.isfinite(value):
        return DASH
    size = abs(value)
    if size == 0:
        return "$0"
    if size >= 9.5:
        return money_words(value, 0)
    if size >= 0.01:
        return money(value, 2)
    return money(value, 1 - math.floor(math.log10(size)))


def change(value: float | None) -> str:
    """:func:`amount` with a sign for a change: '+$490', '−$300', '+$0.40'; zero is '$0', never '+$0.00'.

    >>> change(490), change(-300), change(0.4), change(0.0), change(-0.0)
    ('+$490', '−$300', '+$0.40', '$0', '$0')
    """
    text = amount(value)
    return "+" + text if value is not None and value > 0 else text


def number(value: float | None, digits: int = 4) -> str:
    """``digits`` significant digits with thousands separators and the one minus sign, never
    in scientific notation: '−20', '1.364', '3,381,000', '0.00001235', '−128 trillion'.

    >>> number(-20.0), number(75 / 55), number(3_381_250.7), number(1.2346e-5), number(0), number(-1.28e14)
    ('−20', '1.364', '3,381,000', '0.00001235', '0', '−128 trillion')
    """
    if value is None or not math.isfinite(value):
        return DASH
    if value == 0:
        return "0"
    if abs(value) >= NAMED_FROM:
        return (MINUS if value < 0 else "") + _named(abs(value))
    mag = math.floor(math.log10(abs(value)))
    rounded = round(value, digits - 1 - mag)
    if rounded != 0 and math.floor(math.log10(abs(rounded))) > mag:  # 9.9996 -> 10.00
        mag += 1
    decimals = max(digits - 1 - mag, 0)
    text = num(rounded, decimals)
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- text a visitor typed, shown literally inside markdown -----------------------------------

#: Longest piece of user text shown in a message (the rest is cut with "…").
MAX_SHOWN = 120
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_SPACE = re.compile(r"\s+")


def plain(text: object, max_chars: int | None = MAX_SHOWN) -> str:
    """``text`` escaped so that markdown shows it literally, on one line, cut to ``max_chars``.

    Every ASCII punctuation character is backslash-escaped (CommonMark renders an escaped
    character literally; this also defeats Streamlit's ``:color[...]`` and ``:material/...:``
    directives, ``$`` math, HTML entities and bare-URL autolinks).

    >>> plain("![](//example.org/x)")
    '\\\\!\\\\[\\\\]\\\\(\\\\/\\\\/example\\\\.org\\\\/x\\\\)'
    >>> plain("a\\nb  c"), plain("x" * 5, max_chars=3)
    ('a b c', 'xxx…')
    """
    s = _SPACE.sub(" ", str(text)).strip()
    if max_chars is not None and len(s) > max_chars:
        s = s[:max_chars] + "…"
    return _PUNCT.sub(r"\\\1", s)


def quote(text: object, max_chars: int | None = MAX_SHOWN) -> str:
    """User text shown in typographic quotes: “…”.

    >>> quote("[x](y)")
    '“\\\\[x\\\\]\\\\(y\\\\)”'
    """
    return f"“{plain(text, max_chars)}”"


#: The characters that make markdown do something ($ starts math in Streamlit).
_ACTIVE = re.compile(r"([\\`*_$\[\]<>#|~])")


def literal(text: str) -> str:
    """Our own sentence as markdown that shows it literally: the characters that make
    markdown do something (``$`` math, ``*`` emphasis, ``<`` HTML, ...) are escaped. Text a
    visitor typed goes through :func:`plain` instead, which escapes all punctuation.

    >>> print(literal("at $75.00, f″ = −20 < 0"))
    at \\$75.00, f″ = −20 \\< 0
    """
    return _ACTIVE.sub(r"\\\1", text)


def shown(markdown: str) -> str:
    """What a reader sees of :func:`literal` text (the backslash escapes removed): for doctests.

    >>> shown(literal("at $75.00, f'' = -20"))
    "at $75.00, f'' = -20"
    """
    return re.sub(r"\\(.)", r"\1", markdown)
