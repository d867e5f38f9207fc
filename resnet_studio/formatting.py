"""Numbers as people read them, in one place: the canvas, the inspector, the layers
table and the status bar show the same count the same way.

Torch- and Qt-free, so any layer may use it.
"""

from __future__ import annotations

_UNITS = ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))


def format_count(n: int) -> str:
    """A large count in three significant figures: ``40.6 M``, ``2.83 G``, ``442 k``;
    below a thousand, the number itself (``432``). A count that rounds up to the next
    unit takes it: 999,999,999 is ``1 G``, not ``1e+03 M``."""
    for divisor, suffix in _UNITS:
        if abs(n) >= divisor * 0.9995:
            return f"{n / divisor:.3g} {suffix}"
    return f"{n:,}"
