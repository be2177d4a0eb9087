"""Money as people read it: whole US dollars with thousands separators."""

from __future__ import annotations

import math


def format_usd(value: float | None) -> str:
    """'$12,345', '-$1,200', '$0' for anything that rounds to nothing, '—' when unknown.

    Example:
        >>> format_usd(12345.4), format_usd(-1199.6), format_usd(-0.2), format_usd(None)
        ('$12,345', '-$1,200', '$0', '—')
    """
    if value is None or not math.isfinite(value):
        return "—"
    rounded = round(value)
    return f"-${-rounded:,.0f}" if rounded < 0 else f"${rounded:,.0f}"
