"""The evaluations' and decisions' lists as the pages and the API read them (the user's scope, the
same filters with one meaning each, the same order), and the records a form looks up."""

from functools import reduce
from operator import or_

from django.core.paginator import Page
from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from accounts.scope import scope_for
from areas.models import AdministrativeUnit, Level, Village, tree_for_year
from areas.selectors import area_from_param, in_area
from audit.services import history_of, recent
from core.text import fold, nfc
from criteria.models import CriteriaSet, Title
from criteria.scope import province_path
from criteria.services import criteria_set_missing
from registry.models import Citizen, Clan, Household, Organisation

from .access import approvable
from .models import SUBJECT_FIELD, Evaluation, EvaluationState, RecognitionDecision

SUBJECT_MODELS = {
    Title.HOUSEHOLD: Household,
    Title.CLAN: Clan,
    Title.VILLAGE: Village,
    Title.UNIT: Organisation,
    Title.CITIZEN: Citizen,
}
# What a row of a list shows beside the evaluation: its subject (a household with its village).
SUBJECTS = ["household__village", "clan", "village", "organisation", "commune", "citizen__village"]


def evaluation_area(value: str, *, year: int | None = None) -> AdministrativeUnit:
    """The area an evaluations list is filtered by: tree:code, or a code alone read on the year's tree
    (evaluations of a year are recorded on its tree); a ValidationError when it names no unit."""
    return area_from_param(value, tree=tree_for_year(year) if year is not None else None)


def evaluations_for(user, *, area=None, year: int | None = None, title: str = "", state: str = "", query: str = ""):
    """Evaluations the user sees: under the unit `area`, of the year, title and state, whose subject's
    name holds `query` (with or without diacritics); newest year first, then title and area."""
    evaluations = Evaluation.objects.visible_to(user).select_related("criteria_set", "area", "approved_by", *SUBJECTS)
    if area is not None:
        evaluations = in_area(evaluations, "area__path", area)
    if year is not None:
        evaluations = evaluations.filter(year=year)
    if title:
        evaluations = evaluations.filter(title=title)
    if state:
        evaluations = evaluations.filter(state=state)
    query = fold(nfc(query))
    if query:
        evaluations = evaluations.filter(
            reduce(or_, (Q(**{f"{name}__search_name__contains": query}) for name in SUBJECT_FIELD.values()))
        )
    return evaluations.order_by("-year", "title", "area__path", "id")


def counts_by_state(evaluations) -> dict[str, int]:
    return dict(evaluations.values_list("state").annotate(n=Count("pk")).order_by())


def latest_year(user) -> int | None:
    """The latest year evaluated in the user's area (None when nothing is): the list opens on it."""
    return Evaluation.objects.visible_to(user).aggregate(latest=Max("year"))["latest"]


def in_village(evaluations, village):
    """The evaluations of a village's households and of the village itself."""
    return evaluations.filter(Q(household__village=village) | Q(village=village))


def awaiting_approval(user, *, area=None, year: int | None = None, title: str = "", village=None):
    """The submitted evaluations the user approves at their level (`access.approvable`), under the
    unit `area`, of the year and title, and of the village when one is given; in the approver's order
    (area, title, year). The approval page, its “all that match” decision and the home page's count
    all read this."""
    evaluations = evaluations_for(user, area=area, year=year, title=title, state=EvaluationState.SUBMITTED)
    if village is not None:
        evaluations = in_village(evaluations, village)
    return approvable(user, evaluations).order_by("area__sort_key", "title", "year", "pk")


def villages_of(evaluations) -> list[tuple[Village, AdministrativeUnit, int]]:
    """(village, the commune the evaluations are recorded at, how many) for the villages whose
    households or which themselves are among `evaluations`, by commune then village."""
    counts = (
        evaluations.annotate(place=Coalesce("household__village", "village"))
        .exclude(place=None)
        .values_list("place", "area")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = list(counts)
    villages = Village.objects.in_bulk({place for place, _area, _n in counts})
    communes = AdministrativeUnit.objects.in_bulk({area for _place, area, _n in counts})
    rows = [(villages[place], communes[area], n) for place, area, n in counts]
    return sorted(rows, key=lambda row: (row[1].sort_key, row[0].sort_key, row[0].code))


def decisions_for(user, *, area=None, year: int | None = None, title: str = "", status: str = ""):
    """Recognition decisions issued in the user's area (by the unit `area` or below it), newest first."""
    found = RecognitionDecision.objects.visible_to(user).select_related("issuing_area")
    if area is not None:
        found = in_area(found, "issuing_area__path", area)
    if year is not None:
        found = found.filter(year=year)
    if title:
        found = found.filter(title=title)
    if status:
        found = found.filter(status=status)
    return found.order_by("-year", "-date", "-id")


def recognised_in(user, decision):
    """The part of a decision's list (its annex) the user sees, in area order: the evaluations they
    see, so a village officer reads their own village's subjects only. The decision's total is
    `recognised_total`, public with the decision."""
    recognised = Evaluation.objects.visible_to(user).filter(decisions=decision)
    return recognised.select_related("criteria_set", "area", "approved_by", *SUBJECTS).order_by("area__path", "id")


def recognised_total(decision) -> int:
    """How many evaluations the decision lists, whoever reads it."""
    return RecognitionDecision.evaluations.through.objects.filter(recognitiondecision=decision).count()


def narrow_decision_entries(user, entries) -> list:
    """A decision's history entries with the evaluations they list narrowed to those the user sees:
    a village officer does not learn which other villages' subjects a decision names. The entries
    are changed in memory only, never saved."""
    entries = list(entries)
    listed = [side for entry in entries for side in (entry.before, entry.after) if _lists_evaluations(side)]
    if not listed or scope_for(user).everything:
        return entries
    ids = {pk for side in listed for pk in side["evaluations"]}
    seen = set(Evaluation.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    for side in listed:
        side["evaluations"] = [pk for pk in side["evaluations"] if pk in seen]
    return entries


def _lists_evaluations(side) -> bool:
    return isinstance(side, dict) and isinstance(side.get("evaluations"), list)


def decision_history(user, decision, page=None) -> Page:
    """A page of the decision's changes (`audit.services.recent`) as the user may read them
    (`narrow_decision_entries`)."""
    entries = recent(history_of(decision), page=page)
    entries.object_list = narrow_decision_entries(user, entries.object_list)
    return entries


def with_recognised(decisions, user):
    """The decisions each with the part of its list the user sees (as `recognised_in`), in area
    order, and the whole list's size as `recognised_total`."""
    recognised = Evaluation.objects.visible_to(user).select_related(
        "criteria_set", "area", "approved_by", *SUBJECT_FIELD.values()
    )
    links = RecognitionDecision.evaluations.through.objects.filter(recognitiondecision=OuterRef("pk"))
    count = links.order_by().values("recognitiondecision").annotate(n=Count("pk")).values("n")
    return decisions.annotate(recognised_total=Coalesce(Subquery(count), 0)).prefetch_related(
        Prefetch("evaluations", queryset=recognised.order_by("area__path", "id"))
    )


def decision_unit_choices(user):
    """The units a decision may be issued by, for the user: those they see, in tree order."""
    return AdministrativeUnit.objects.visible_to(user).order_by("path")


def complete_sets(*, title: str | None = None, year: int | None = None, user=None, area=None) -> list[CriteriaSet]:
    """The sets an evaluation may use: copies (not shipped defaults) with nothing missing, of the
    title and covering the year when they are given; only those the user sees (never another
    province's); and in `area`, those that apply there — its province's own complete sets where it
    has one, else the national ones (as registration decides, evaluations.services)."""
    sets = (
        CriteriaSet.objects.usable()
        .select_related("area")
        .prefetch_related("nodes", "bands")
        .order_by("title", "-valid_from", "-version")
    )
    if user is not None:
        sets = sets & CriteriaSet.objects.visible_to(user)
    if title:
        sets = sets.filter(title=title)
    complete = [s for s in sets if (year is None or s.covers(year)) and not criteria_set_missing(s)]
    if area is None:
        return complete
    province = province_path(area)
    own = [s for s in complete if s.area_id is not None and s.area.path.startswith(province)]
    return own or [s for s in complete if s.area_id is None]


def complete_set_choices(*, title: str | None = None, year: int | None = None, user=None):
    """The complete sets the user sees, as a queryset, for a form's choice."""
    return CriteriaSet.objects.filter(pk__in=[s.pk for s in complete_sets(title=title, year=year, user=user)])


def find_subject(user, title: str, year: int, code: str):
    """What the code names for the title, among the records the user sees (None when nothing): a
    commune by its code on the year's tree, or tree:code."""
    if title == Title.COMMUNE:
        units = AdministrativeUnit.objects.visible_to(user).filter(level=Level.COMMUNE)
        tree, _sep, code = code.rpartition(":")
        return units.filter(tree=tree or tree_for_year(year), code=code).first()
    return SUBJECT_MODELS[title].objects.visible_to(user).filter(code=code).first()
