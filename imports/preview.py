"""What a checked file would do, in words: the first rows it would create and change, with their
values (before → after) worded as the records' history words them (audit.wording), and its errors in
the order of the file. Also where each record an import saved is shown."""

from dataclasses import dataclass, field

from django.urls import reverse

from audit.wording import changes

# The model of the records each kind creates or changes, whose field labels word its examples.
RECORD_MODELS = {
    "villages": "areas.village",
    "households": "registry.household",
    "citizens": "registry.citizen",
    "clans": "registry.clan",
    "units": "registry.organisation",
    "area_years": "registry.areayear",
    "association_years": "registry.associationyear",
    "network_units": "registry.networkunit",
    "household_marks": "evaluations.evaluation",
    "clan_marks": "evaluations.evaluation",
    "village_marks": "evaluations.evaluation",
    "unit_marks": "evaluations.evaluation",
    "aggregates": "stats.enteredaggregate",
    "divided_shares": "areas.administrativeunit",
    "accounts": "accounts.user",
}
# Kinds whose examples hold the keys of one action's entries, not the model's fields: a divided old
# commune's shares are entries of the old commune.
EXAMPLE_ACTIONS = {"divided_shares": "divided_shares.save"}
# Keys of an example that say which row and record it is, not a value of the record.
PLACE_KEYS = ("row", "code")


@dataclass
class _Example:
    """Shaped as an audit entry, so that the history's wording reads it."""

    object_type: str
    action: str
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)


@dataclass
class ExampleRow:
    row: int
    code: str
    values: list  # (label, before, after)


def examples(job) -> dict[str, list[ExampleRow]]:
    """The examples the check kept ("create", "update"), each with its values worded."""
    object_type = RECORD_MODELS.get(job.kind, "")
    found = {}
    for action in ("create", "update"):
        rows = []
        for sample in (job.samples or {}).get(action) or []:
            if action == "create":
                before, after = {}, {k: v for k, v in sample.items() if k not in PLACE_KEYS}
            else:
                before, after = sample.get("before") or {}, sample.get("after") or {}
            worded_as = EXAMPLE_ACTIONS.get(job.kind, action)
            example = _Example(object_type=object_type, action=worded_as, before=before, after=after)
            rows.append(ExampleRow(row=sample.get("row"), code=sample.get("code") or "", values=changes(example)))
        found[action] = rows
    return found


def sorted_errors(errors: list, column_order: list[str]) -> list[dict]:
    """Errors by sheet, row and column (the columns in the file's order, unknown ones last)."""
    position = {header: index for index, header in enumerate(column_order)}

    def place(error):
        column = error.get("column") or ""
        return (error.get("sheet") or "", error.get("row") or 0, position.get(column, len(position)), column)

    return sorted(errors or [], key=place)


def _entered_page(aggregate) -> str:
    area = aggregate.unit
    if area is None:
        return f"{reverse('stats:entered')}?year={aggregate.year}"
    return f"{reverse('stats:entered')}?area={area.tree}:{area.code}&year={aggregate.year}"


def _network_page(area) -> str:
    return reverse("registry:network", args=[area.tree, area.code])


# Where a record an import saved is shown, by its audit entries' object type.
RECORD_PAGES = {
    "areas.village": lambda village: reverse("areas:village", args=[village.code]),
    # An old commune's entries in an import are its divided shares (areas.importing_shares).
    "areas.administrativeunit": lambda old_commune: reverse("areas:share", args=[old_commune.code]),
    "accounts.user": lambda account: reverse("accounts:edit", args=[account.pk]),
    "registry.household": lambda household: reverse("registry:household", args=[household.code]),
    "registry.citizen": lambda citizen: reverse("registry:citizen", args=[citizen.code]),
    "registry.clan": lambda clan: reverse("registry:clan", args=[clan.code]),
    "registry.organisation": lambda organisation: reverse("registry:organisation", args=[organisation.code]),
    "registry.association": lambda association: _network_page(association.area),
    "registry.associationyear": lambda year: _network_page(year.association.area),
    "registry.areayear": lambda year: _network_page(year.area),
    "registry.networkunit": lambda unit: reverse("registry:network_unit", args=[unit.pk]),
    "evaluations.evaluation": lambda evaluation: reverse("evaluations:detail", args=[evaluation.pk]),
    "criteria.criteriaset": lambda criteria_set: reverse("criteria:detail", args=[criteria_set.pk]),
    "stats.enteredaggregate": _entered_page,
}
