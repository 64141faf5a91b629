"""Numbers written the Vietnamese way in documents, whatever the interface language: 155.235; 23%;
22,9%."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def count(value) -> str:
    """155235 → "155.235"."""
    return f"{int(value):,}".replace(",", ".")


def percent(value, decimals: int = 1) -> str:
    """A percentage without its sign, to one decimal with a comma, the decimal dropped when it is 0:
    23.0 → "23", 22.94 → "22,9"."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return count(rounded)
    whole, _dot, fraction = f"{abs(rounded):f}".partition(".")
    sign = "-" if rounded < 0 else ""
    return f"{sign}{count(int(whole))},{fraction}"


def as_float(value) -> float | None:
    """A rate (Decimal or Fraction) as a spreadsheet number; None stays empty."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        return float(round(value, 4))
    return float(value)
