"""Statistics hears every change the lower apps announce (subscribed in StatsConfig.ready())."""

from areas.changes import VillagePlaced
from core import changes
from evaluations import household_villages
from evaluations.changes import EvaluationsRecognised, EvaluationsRegistered
from registry.changes import AreaYearsChanged, AssociationYearsChanged, HouseholdsMoved, RecordsMerging
from stats import changes as handlers


def test_statistics_subscribes_to_every_change_the_lower_apps_announce():
    assert changes._handlers[VillagePlaced] == [handlers.village_placed]
    # The evaluations first keep the village they hold (evaluations.household_villages).
    assert changes._handlers[HouseholdsMoved] == [household_villages.households_moved, handlers.households_moved]
    assert changes._handlers[AssociationYearsChanged] == [handlers.association_years_changed]
    assert changes._handlers[AreaYearsChanged] == [handlers.area_years_changed]
    assert changes._handlers[EvaluationsRegistered] == [handlers.evaluations_registered]
    assert changes._handlers[EvaluationsRecognised] == [handlers.evaluations_recognised]
    assert changes._handlers[RecordsMerging] == [handlers.records_merging]
