"""Exact money arithmetic: amounts and multiples as `Decimal`, never compared as floats.

`0.9 × 12502` is `11251.800000000001` in binary floating point, so an income of exactly 90% of the
base would fail the tax-match threshold. Every threshold (a multiple or a percentage of an amount)
is compared here, in decimal, on the values as the user and the parameter files wrote them.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache


@lru_cache(maxsize=1 << 14)  # the same bases, incomes and multiples recur across a batch
def dec(x: float | int | str | Decimal) -> Decimal:
    """The decimal a person wrote: a float through its shortest repr (11251.8, not 11251.80000000000109…)."""
    if isinstance(x, Decimal):
        return x
    return Decimal(repr(x)) if isinstance(x, float) else Decimal(x)


def at_least(amount: float | int | Decimal, multiple: float | int | Decimal, of: float | int | Decimal) -> bool:
    """amount ≥ multiple × of, exactly."""
    return dec(amount) >= dec(multiple) * dec(of)


def at_most(amount: float | int | Decimal, multiple: float | int | Decimal, of: float | int | Decimal) -> bool:
    """amount ≤ multiple × of, exactly."""
    return dec(amount) <= dec(multiple) * dec(of)
