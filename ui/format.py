"""Number formatting for metrics and captions; never shows 'nan' or 'inf' to a user."""

from __future__ import annotations

import math

__all__ = ["money", "num", "signed_money"]

DASH = "—"


def money(value: float, decimals: int = 2) -> str:
    """'$30,250.00'; negative as '−$1.00'; non-finite as a dash; beyond a quadrillion in
    scientific notation (a 30-digit number helps nobody).

    >>> money(30250), money(-1.5, 0), money(float("inf")), money(1.07e28)
    ('$30,250.00', '−$2', '—', '$1.07e+28')
    """
    if value is None or not math.isfinite(value):
        return DASH
    if abs(value) >= 1e15:
        return ("−" if value < 0 else "") + f"${abs(value):.2e}"
    text = f"${abs(value):,.{decimals}f}"
    return ("−" + text) if value < 0 and round(abs(value), decimals) != 0 else text


def signed_money(value: float, decimals: int = 2) -> str:
    """'+$490.00' or '−$10.00' (for changes).

    >>> signed_money(490), signed_money(-10, 0)
    ('+$490.00', '−$10')
    """
    if value is None or not math.isfinite(value):
        return DASH
    return ("+" if value >= 0 else "") + money(value, decimals)


def num(value: float, decimals: int = 2, unit: str = "") -> str:
    """'9.03 h' style numbers with thousands separators.

    >>> num(9.0268, 2, "h"), num(1234.5, 0), num(float("nan"))
    ('9.03 h', '1,234', '—')
    """
    if value is None or not math.isfinite(value):
        return DASH
    text = f"{value:,.{decimals}f}".replace("-", "−")
    return f"{text} {unit}".rstrip()
