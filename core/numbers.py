"""Arithmetic on whole counts."""

from decimal import Decimal


def apportion(value: int, shares: dict[int, Decimal]) -> dict[int, int]:
    """Split a whole number by shares so that the parts add up to it exactly (largest remainder)."""
    total = sum(shares.values())
    if not total or not value:
        return {key: 0 for key in shares}
    exact = {key: Decimal(value) * share / total for key, share in shares.items()}
    parts = {key: int(part) for key, part in exact.items()}
    left = value - sum(parts.values())
    for key in sorted(exact, key=lambda k: (-(exact[k] - parts[k]), k))[:left]:
        parts[key] += 1
    return parts
