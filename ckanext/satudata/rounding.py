"""Figures in the reports rounded as a reader rounds them: half up.

Python's round() rounds half to even, and a float such as 0.125 is exact in
binary, so round(1 / 8, 2) gives 0,12 where a reader checking the page (and
BPS's tables) gives 0,13. The quotient is taken in decimal, then rounded.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def ratio(numerator: float, denominator: float, places: int) -> float | None:
    """NUMERATOR / DENOMINATOR to PLACES decimals, half up; None when DENOMINATOR is 0."""
    if not denominator:
        return None
    quotient = Decimal(str(numerator)) / Decimal(str(denominator))
    return float(quotient.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
