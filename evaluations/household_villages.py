"""The village a household's evaluation is counted in, held on the evaluation itself
(`Evaluation.household_village`) so that a year's figures group 27 million evaluations by village
without joining the households. Written with the evaluation (`services.evaluation_register`, the bulk
writers call `fill_household_villages`) and moved with its household."""

from collections import defaultdict

from django.db import connection

from criteria.models import Title
from registry.changes import HouseholdsMoved

from .models import Evaluation

_FILL = (
    "UPDATE {evaluations} SET household_village_id = h.village_id FROM {households} h "
    "WHERE h.id = {evaluations}.household_id AND {evaluations}.household_village_id IS NULL"
)


def fill_household_villages() -> int:
    """Household evaluations written in bulk without their village get it from their household."""
    from registry.models import Household

    sql = _FILL.format(
        evaluations=connection.ops.quote_name(Evaluation._meta.db_table),
        households=connection.ops.quote_name(Household._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount


def households_moved(change: HouseholdsMoved) -> None:
    """Households moved to another village: their evaluations, of every year, are counted there."""
    by_village = defaultdict(set)
    for household_id, old, new in change.moves:
        if old != new:
            by_village[new].add(household_id)
    for village_id, household_ids in by_village.items():
        Evaluation.objects.filter(title=Title.HOUSEHOLD, household_id__in=household_ids).update(
            household_village_id=village_id
        )
