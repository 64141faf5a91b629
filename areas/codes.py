"""Village codes: the commune's code, a dash and a number never issued under that prefix before
("01843-007"), whichever path creates the village (the village page, the API, the import).

The last number is read as a number from every code under the prefix: as text, "01843-999" sorts
after "01843-1000", so a commune's 1,001st village would have been given a code already taken.
The communes are locked first, so that two users adding villages to one commune at once wait for
each other instead of taking the same number. The lock is FOR NO KEY UPDATE: issuers take turns, but
the writes that merely refer to the commune (a placement, a fact: their foreign keys' checks) do not
wait for an import's save.
"""

from collections import defaultdict

from django.db.models.functions import Left

from .models import AdministrativeUnit, Village

PREFIX_BATCH = 5000  # communes asked about per query (SQLite allows 32,766 parameters)


def village_prefix(commune: AdministrativeUnit) -> str:
    return f"{commune.code}-"


def issue_village_codes(communes: list[AdministrativeUnit]) -> list[str]:
    """A new code for each commune of `communes` (one per new village, in order), inside the
    caller's transaction, which holds its communes locked until it ends."""
    ids = sorted({commune.pk for commune in communes})
    for start in range(0, len(ids), PREFIX_BATCH):  # in id order: two imports wait for each other, never deadlock
        chunk = ids[start : start + PREFIX_BATCH]
        list(
            AdministrativeUnit.objects.filter(pk__in=chunk)
            .order_by("pk")
            .select_for_update(no_key=True)
            .values_list("pk")
        )
    last = last_numbers(sorted({village_prefix(commune) for commune in communes}))
    codes = []
    for commune in communes:
        prefix = village_prefix(commune)
        last[prefix] += 1
        codes.append(f"{prefix}{last[prefix]:03d}")
    return codes


def last_numbers(prefixes: list[str]) -> dict[str, int]:
    """prefix ("01843-") → the highest number issued under it, by the villages' codes: one query per
    length of prefix (a LIKE per commune, 500 of them ORed in a query, took a third of a second per
    query to plan)."""
    last = dict.fromkeys(prefixes, 0)
    if len(prefixes) == 1:  # one village (its page, the API): the code's prefix index finds them
        (prefix,) = prefixes
        codes = Village.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        _keep_highest(last, len(prefix), ((prefix, code) for code in codes))
        return last
    by_length = defaultdict(list)
    for prefix in prefixes:
        by_length[len(prefix)].append(prefix)
    for length, group in by_length.items():
        for start in range(0, len(group), PREFIX_BATCH):
            chunk = group[start : start + PREFIX_BATCH]
            codes = (
                Village.objects.annotate(prefix=Left("code", length))
                .filter(prefix__in=chunk)
                .values_list("prefix", "code")
            )
            _keep_highest(last, length, codes)
    return last


def _keep_highest(last: dict[str, int], length: int, codes) -> None:
    for prefix, code in codes:
        number = code[length:]
        if number.isascii() and number.isdigit():
            last[prefix] = max(last[prefix], int(number))
