"""What may be done with a criteria set, and what it still lacks.

Shipped defaults are never edited: a province clones one and completes the copy. A set used by an
approved evaluation is frozen, because changing it would change results already decided; editing
it makes a new version that later evaluations use. Which sets evaluations use, and which criteria
they have marked, is recorded on the sets by the evaluations services (`criteria_set_used`,
`criteria_set_frozen`, `criteria_marked`): criteria reads these facts and never asks evaluations.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.memo import remembered

from .models import CriteriaSet, Node, ResultRule, Scoring, level_code
from .scope import may_change, own_province
from .scoring import Band, Definition, Leaf

SET_FIELDS = [
    "title",
    "name",
    "legal_number",
    "legal_date",
    "issuer",
    "valid_from",
    "valid_to",
    "rule",
    "pass_total",
    "validity_years",
    "years_at_level_1",
    "recognised_results",
    "count_each_valid_year",
    "note",
]


def result_codes(criteria_set: CriteriaSet) -> list[tuple[str, str]]:
    """(code, label) of every result the set's rule can give, best first."""
    from .models import ACHIEVED, NOT_ACHIEVED

    if criteria_set.rule == ResultRule.RATINGS:
        codes = [(band.code, band.label) for band in criteria_set.bands.all()]
    elif criteria_set.rule == ResultRule.THRESHOLD:
        codes = [(ACHIEVED, _("Achieved"))]
    else:
        levels = sorted({n.level for n in criteria_set.nodes.all() if n.level}, reverse=True)
        codes = [(level_code(level), _("Level %(level)d") % {"level": level}) for level in levels]
    return [*codes, (NOT_ACHIEVED, _("Not achieved"))]


def criteria_set_missing(criteria_set: CriteriaSet) -> list[str]:
    """What must be entered before the set can be used, in words; empty when it is complete."""
    return remembered(("set missing", criteria_set.pk), lambda: _missing(criteria_set))


def _missing(criteria_set: CriteriaSet) -> list[str]:
    missing = []
    nodes = list(criteria_set.nodes.all())
    parents = {n.parent_id for n in nodes}
    leaves = [n for n in nodes if n.pk not in parents]
    if not nodes:
        missing.append(_("The set has no criteria."))
    for node in nodes:
        if not node.name.strip():
            missing.append(_("%(code)s has no text.") % {"code": node.code})
    for leaf in leaves:
        if leaf.scoring == Scoring.GROUP:
            missing.append(_("%(code)s has no indicators.") % {"code": leaf.code})
        elif leaf.scoring == Scoring.POINTS and leaf.max_points is None:
            missing.append(_("%(code)s has no maximum points.") % {"code": leaf.code})
        if criteria_set.rule == ResultRule.LEVELS and leaf.scoring != Scoring.GROUP:
            if leaf.scoring != Scoring.PASS_FAIL:
                missing.append(_("%(code)s must be scored pass or fail under levels.") % {"code": leaf.code})
            if leaf.level is None:
                missing.append(_("%(code)s has no level.") % {"code": leaf.code})
    if criteria_set.rule == ResultRule.RATINGS:
        bands = list(criteria_set.bands.all())
        if not bands:
            missing.append(_("The ratings and their thresholds are not entered."))
        missing += [
            _("The rating “%(label)s” has no threshold.") % {"label": b.label} for b in bands if b.min_total is None
        ]
    if criteria_set.rule == ResultRule.THRESHOLD and criteria_set.pass_total is None:
        missing.append(_("The total needed for the title is not entered."))
    if not criteria_set.recognised_results:
        missing.append(_("Say which results count as recognised."))
    return missing


def require_usable(criteria_set: CriteriaSet, year: int) -> None:
    if criteria_set.is_default:
        raise ValidationError(
            _("%(set)s is a shipped default: make a copy, complete it and use the copy.") % {"set": criteria_set},
            code="default",
        )
    if not criteria_set.covers(year):
        raise ValidationError(
            _("%(set)s is not valid for %(year)d.") % {"set": criteria_set, "year": year}, code="year"
        )
    missing = criteria_set_missing(criteria_set)
    if missing:
        raise ValidationError(
            _("%(set)s cannot be used yet: %(missing)s") % {"set": criteria_set, "missing": " ".join(missing)},
            code="incomplete",
        )


def definition_of(criteria_set: CriteriaSet) -> Definition:
    """The set as the scoring functions read it (call on a complete set)."""
    return remembered(("set definition", criteria_set.pk), lambda: _definition(criteria_set))


def _definition(criteria_set: CriteriaSet) -> Definition:
    nodes = list(criteria_set.nodes.all())
    by_pk = {n.pk: n for n in nodes}
    parents = {n.parent_id for n in nodes}
    leaves = []
    for node in nodes:
        if node.pk in parents:
            continue
        groups, parent = [], by_pk.get(node.parent_id)
        while parent is not None:
            groups.append(parent.code)
            parent = by_pk.get(parent.parent_id)
        leaves.append(Leaf(node.code, node.scoring, node.max_points, node.level, tuple(groups)))
    bands = sorted(
        (Band(b.code, b.min_total) for b in criteria_set.bands.all()), key=lambda b: b.min_total, reverse=True
    )
    minimums = {n.code: n.min_points for n in nodes if n.min_points is not None}
    return Definition(criteria_set.rule, tuple(leaves), tuple(bands), criteria_set.pass_total, minimums)


def is_frozen(criteria_set: CriteriaSet) -> bool:
    """Shipped, or used by an approved evaluation: no longer edited in place."""
    return criteria_set.is_default or criteria_set.frozen


# The facts evaluations record, each in the transaction of the change that makes it true. Only the
# first time writes (an UPDATE that finds nothing to change afterwards, or none at all when the
# loaded row already says so); they are not audited, the evaluations' own change is.


def criteria_set_used(criteria_set: CriteriaSet) -> None:
    """An evaluation was registered with the set: its title no longer changes."""
    if not criteria_set.in_use:
        CriteriaSet.objects.filter(pk=criteria_set.pk, in_use=False).update(in_use=True)
        criteria_set.in_use = True


def criteria_set_frozen(criteria_set: CriteriaSet) -> None:
    """An evaluation using the set was approved: from now on a change makes a new version. On
    PostgreSQL the first one waits for a change being made to the set, and its result is then
    computed from the set as changed."""
    if not criteria_set.frozen:
        CriteriaSet.objects.filter(pk=criteria_set.pk, frozen=False).update(frozen=True, in_use=True)
        criteria_set.frozen = criteria_set.in_use = True


def criteria_marked(nodes: Iterable[Node]) -> None:
    """Evaluations hold marks or evidence for `nodes`: how they are scored no longer changes, and
    they are not deleted."""
    unmarked = [node for node in nodes if not node.marked]
    if unmarked:
        Node.objects.filter(pk__in=[node.pk for node in unmarked], marked=False).update(marked=True)
        for node in unmarked:
            node.marked = True


KEEP_AREA = object()


@transaction.atomic
def criteria_set_clone(
    *, actor, criteria_set: CriteriaSet, name: str = "", new_version: bool = False, area=KEEP_AREA
) -> CriteriaSet:
    """A copy to edit: a new set (`name`) or, for a frozen set being changed, its next version. The
    copy belongs to `area` (None: national) when given, else to the area of the set copied."""
    copy = CriteriaSet.objects.get(pk=criteria_set.pk)
    copy.pk = None
    copy.is_default = False
    copy.based_on = criteria_set
    copy.version = criteria_set.version + 1 if new_version else 1
    copy.in_use = copy.frozen = False  # no evaluation uses the copy yet
    if area is not KEEP_AREA:
        copy.area = area
    if name:
        copy.name = name
    copy.save()
    for band in criteria_set.bands.all():
        band.pk, band.criteria_set = None, copy
        band.save()
    new_pk = {}
    for node in criteria_set.nodes.order_by("position", "id"):
        old_pk = node.pk
        node.pk, node.criteria_set, node.parent_id = None, copy, new_pk.get(node.parent_id)
        node.marked = False
        node.save()
        new_pk[old_pk] = node.pk
    after = {"from": criteria_set.pk, "name": copy.name, "area": copy.area_id}
    audit_record(actor=actor, action="criteria_set.copy", obj=copy, after=after)
    return copy


def editable_set(*, actor, criteria_set: CriteriaSet) -> CriteriaSet:
    """The set to write a change into: itself, or a new version when it is frozen by an approved
    evaluation; a province officer changing a national set changes their province's own copy of
    it, made now (the national set stays as it was). A shipped default is refused: copy it first;
    another province's set is refused."""
    if criteria_set.is_default:
        raise ValidationError(_("A shipped default is not edited: make a copy."), code="default")
    if not may_change(actor, criteria_set.area):
        province = own_province(actor)
        if criteria_set.area_id is not None or province is None:
            raise PermissionDenied
        return criteria_set_clone(actor=actor, criteria_set=criteria_set, area=province)
    if is_frozen(criteria_set):
        return criteria_set_clone(actor=actor, criteria_set=criteria_set, new_version=True)
    return criteria_set


def clean_points(value, *, required: bool = False) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ValidationError(_("Enter the points."), code="required")
        return None
    try:
        points = Decimal(str(value))
    except ArithmeticError as error:
        raise ValidationError(_("Write the points as a number."), code="number") from error
    if not points.is_finite() or points < 0:
        raise ValidationError(_("Points cannot be negative."), code="negative")
    return points


@transaction.atomic
def node_save(*, actor, criteria_set: CriteriaSet, node: Node | None, **values) -> Node:
    """Add or change a criterion of a set (in its new version if the set is frozen)."""
    target = editable_set(actor=actor, criteria_set=criteria_set)
    if node is not None and target.pk != criteria_set.pk:
        node = target.nodes.get(code=node.code)
    before = node_snapshot(node) if node else None
    node = node or Node(criteria_set=target, position=target.nodes.count())
    for field in ("kind", "code", "name", "scoring", "level"):
        if field in values:
            setattr(node, field, values[field])
    for field in ("max_points", "min_points"):
        if field in values:
            setattr(node, field, clean_points(values[field]))
    if "parent_code" in values:
        node.parent = target.nodes.get(code=values["parent_code"]) if values["parent_code"] else None
    node.save()
    audit_record(actor=actor, action="criteria_node.save", obj=target, before=before, after=node_snapshot(node))
    return node


def node_snapshot(node: Node) -> dict:
    return {
        "code": node.code,
        "name": node.name,
        "scoring": node.scoring,
        "level": node.level,
        "max_points": str(node.max_points) if node.max_points is not None else None,
        "min_points": str(node.min_points) if node.min_points is not None else None,
    }
