"""Editing criteria sets through the pages and the YAML and xlsx imports. Each change checks the
whole set with `validation.check_definition`, writes into the set that `services.editable_set`
gives (a new version when the set is frozen, the province's own copy when a province officer
changes a national set) and records what changed. A set made by a province officer (imported or
copied) is their province's own; one made by a system administrator is national."""

from dataclasses import asdict, replace
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Perm
from audit.services import audit_record
from core.access import require_perm

from .models import CriteriaSet, Node, RatingBand, Scoring
from .scope import area_of_new, may_change
from .services import SET_FIELDS, criteria_set_clone, editable_set, node_save, node_snapshot
from .validation import BandValues, NodeValues, check_definition, clean_text
from .validity import validity_overlaps


def latest_version(criteria_set: CriteriaSet) -> CriteriaSet:
    """The newest version of a set (the set itself when none is newer)."""
    current = criteria_set
    while True:
        # A province's copy of a national set is the province's own set, not its next version.
        newer = current.copies.filter(version__gt=current.version, area=current.area_id)
        newer = newer.order_by("-version", "-pk").first()
        if newer is None:
            return current
        current = newer


def _writable(*, actor, criteria_set: CriteriaSet) -> CriteriaSet:
    """The set a change goes into. Only the newest version is changed: an older one is history,
    and changing it would make a second "next version". The row is locked so that two people
    changing a frozen set at the same time make one new version, not two."""
    require_perm(actor, Perm.MANAGE_CRITERIA)
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    newest = latest_version(criteria_set)
    if newest.pk != criteria_set.pk:
        raise ValidationError(
            _("Version %(version)d of this set exists: change that one.") % {"version": newest.version},
            code="superseded",
        )
    return editable_set(actor=actor, criteria_set=criteria_set)


def _raise_problems(problems) -> None:
    if problems:
        raise ValidationError([problem.error for problem in problems])


def _node_values(node: Node, by_pk: dict):
    parent = by_pk.get(node.parent_id)
    return NodeValues(
        node.code,
        parent.code if parent else "",
        node.kind,
        node.name,
        node.scoring,
        node.max_points,
        node.min_points,
        node.level,
    )


def _band_values(band):
    return BandValues(band.code, band.label, band.min_total)


def _set_fields(criteria_set: CriteriaSet) -> dict:
    return {
        "rule": criteria_set.rule,
        "valid_from": criteria_set.valid_from,
        "valid_to": criteria_set.valid_to,
        "recognised_results": criteria_set.recognised_results,
    }


def _set_snapshot(criteria_set: CriteriaSet) -> dict:
    snapshot = {}
    for field in [*SET_FIELDS, "is_illustration"]:
        value = getattr(criteria_set, field)
        if isinstance(value, Decimal):
            value = str(value)
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        snapshot[field] = value
    return snapshot


def renumber(criteria_set: CriteriaSet) -> None:
    """Positions in reading order (each node, then its parts), which the pages and files follow."""
    nodes = list(criteria_set.nodes.order_by("position", "id"))
    parts = {}
    for node in nodes:
        parts.setdefault(node.parent_id, []).append(node)
    ordered, pending = [], list(reversed(parts.get(None, [])))
    while pending:
        node = pending.pop()
        ordered.append(node)
        pending.extend(reversed(parts.get(node.pk, [])))
    changed = []
    for position, node in enumerate(ordered):
        if node.position != position:
            node.position = position
            changed.append(node)
    Node.objects.bulk_update(changed, ["position"])


def _order_bands(criteria_set: CriteriaSet) -> None:
    """Ratings best first (the highest threshold first; those without one yet last)."""
    bands = sorted(
        criteria_set.bands.order_by("position", "id"), key=lambda b: (b.min_total is None, -(b.min_total or 0))
    )
    for position, band in enumerate(bands):
        band.position = position
    criteria_set.bands.model.objects.bulk_update(bands, ["position"])


def _marked(nodes) -> bool:
    """Whether evaluations hold marks or evidence for any of `nodes`, as they recorded it."""
    return any(node.marked for node in nodes)


def node_with_parts(criteria_set: CriteriaSet, node: Node) -> list[Node]:
    """The node and all its parts, at any depth."""
    parts = {}
    for candidate in criteria_set.nodes.order_by("position", "id"):
        parts.setdefault(candidate.parent_id, []).append(candidate)
    found, pending = [], [node]
    while pending:
        current = pending.pop(0)
        found.append(current)
        pending.extend(parts.get(current.pk, []))
    return found


@transaction.atomic
def criteria_set_create(*, actor, fields: dict, bands: list, nodes: list, source: str = "", reason: str = ""):
    """A new set (never a shipped default) from cleaned `fields` and lists of BandValues and
    NodeValues, as the YAML and xlsx imports read them; nothing is created if anything is wrong."""
    require_perm(actor, Perm.MANAGE_CRITERIA)
    area = area_of_new(actor)
    if not may_change(actor, area):
        raise PermissionDenied
    _raise_problems(check_definition(fields, bands, nodes))
    _raise_problems(validity_overlaps(fields, area_id=area.pk if area else None))
    allowed = {*SET_FIELDS, "is_illustration"}
    criteria_set = CriteriaSet.objects.create(area=area, **{k: v for k, v in fields.items() if k in allowed})
    ordered = sorted(bands, key=lambda b: (b.min_total is None, -(b.min_total or 0)))
    RatingBand.objects.bulk_create(
        [
            RatingBand(criteria_set=criteria_set, code=b.code, label=b.label, min_total=b.min_total, position=position)
            for position, b in enumerate(ordered)
        ]
    )
    created = {}
    for position, values in enumerate(nodes):
        created[values.code] = Node.objects.create(
            criteria_set=criteria_set,
            position=position,
            kind=values.kind,
            code=values.code,
            name=values.name,
            scoring=values.scoring,
            max_points=values.max_points,
            min_points=values.min_points,
            level=values.level,
        )
    for values in nodes:
        if values.parent_code:
            created[values.code].parent = created[values.parent_code]
    Node.objects.bulk_update([n for n in created.values() if n.parent_id], ["parent"])
    renumber(criteria_set)
    audit_record(
        actor=actor,
        action="criteria_set.create",
        obj=criteria_set,
        after={**_set_snapshot(criteria_set), "nodes": len(nodes), "bands": len(bands)},
        reason=reason,
        source=source,
    )
    return criteria_set


@transaction.atomic
def criteria_set_copy(*, actor, criteria_set: CriteriaSet, name: str) -> CriteriaSet:
    """A new set to complete or adapt, copied from any set the actor reads (a shipped default
    included): a province officer's copy is their province's own set."""
    require_perm(actor, Perm.MANAGE_CRITERIA)
    area = area_of_new(actor, criteria_set.area)
    if not may_change(actor, area):
        raise PermissionDenied
    name = clean_text(name, max_length=200, required=True)
    return criteria_set_clone(actor=actor, criteria_set=criteria_set, name=name, area=area)


@transaction.atomic
def criteria_set_update(*, actor, criteria_set: CriteriaSet, **values) -> CriteriaSet:
    """Change the set's own fields (cleaned `values`, any of SET_FIELDS and is_illustration)."""
    target = _writable(actor=actor, criteria_set=criteria_set)
    if "title" in values and values["title"] != target.title and target.in_use:
        raise ValidationError(_("Evaluations use this set: its title cannot change."), code="title_in_use")
    before = _set_snapshot(target)
    for field in [*SET_FIELDS, "is_illustration"]:
        if field in values:
            setattr(target, field, values[field])
    bands = [_band_values(b) for b in target.bands.all()]
    nodes = list(target.nodes.all())
    by_pk = {n.pk: n for n in nodes}
    _raise_problems(check_definition(_set_fields(target), bands, [_node_values(n, by_pk) for n in nodes]))
    validity = {f: getattr(target, f) for f in ("title", "valid_to", "validity_years", "count_each_valid_year")}
    _raise_problems(validity_overlaps(validity, area_id=target.area_id, criteria_set=target))
    target.save()
    audit_record(actor=actor, action="criteria_set.update", obj=target, before=before, after=_set_snapshot(target))
    return target


@transaction.atomic
def node_change(*, actor, criteria_set: CriteriaSet, node: Node | None, values) -> Node:
    """Add a criterion (`node` None) or change one, from cleaned NodeValues. A criterion that is
    given its first part becomes the sum of its parts; not while evaluations hold marks for it."""
    target = _writable(actor=actor, criteria_set=criteria_set)
    nodes = list(target.nodes.order_by("position", "id"))
    by_pk = {n.pk: n for n in nodes}
    if node is not None:
        node = next(n for n in nodes if n.code == node.code)
    listed = [values if node is not None and n.pk == node.pk else _node_values(n, by_pk) for n in nodes]
    if node is None:
        listed.append(values)
    parent = next((n for n in nodes if n.code == values.parent_code and n != node), None)
    becomes_group = (
        parent is not None and parent.scoring != Scoring.GROUP and not any(n.parent_id == parent.pk for n in nodes)
    )
    if becomes_group:
        listed = [replace(v, scoring=Scoring.GROUP) if v.code == parent.code else v for v in listed]
    _raise_problems(check_definition({"rule": target.rule}, [], listed))
    rescored = node is not None and node.scoring != values.scoring
    if (becomes_group and _marked([parent])) or (rescored and _marked([node])):
        raise ValidationError(
            _("Evaluations hold marks for this criterion: how it is scored cannot change."), code="marked"
        )
    if becomes_group:
        before = node_snapshot(parent)
        parent.scoring = Scoring.GROUP
        parent.save(update_fields=["scoring"])
        audit_record(actor=actor, action="criteria_node.save", obj=target, before=before, after=node_snapshot(parent))
    saved = node_save(actor=actor, criteria_set=target, node=node, **asdict(values))
    renumber(target)
    return saved


@transaction.atomic
def node_delete(*, actor, criteria_set: CriteriaSet, node: Node) -> CriteriaSet:
    """Delete a criterion with its parts; returns the set it was deleted from."""
    target = _writable(actor=actor, criteria_set=criteria_set)
    node = target.nodes.get(code=node.code)
    parts = node_with_parts(target, node)
    if _marked(parts):
        raise ValidationError(
            _("Evaluations hold marks or evidence for %(code)s or its parts: it cannot be deleted.")
            % {"code": node.code},
            code="marked",
        )
    before = {**node_snapshot(node), "parts": [n.code for n in parts[1:]]}
    node.delete()
    renumber(target)
    audit_record(actor=actor, action="criteria_node.delete", obj=target, before=before)
    return target


@transaction.atomic
def node_move(*, actor, criteria_set: CriteriaSet, node: Node, step: int) -> CriteriaSet:
    """Move a criterion one place up (`step` -1) or down (+1) among its siblings."""
    siblings = list(criteria_set.nodes.filter(parent_id=node.parent_id).order_by("position", "id"))
    index = next(i for i, n in enumerate(siblings) if n.pk == node.pk) + step
    if step not in (-1, 1) or not 0 <= index < len(siblings):
        raise ValidationError(_("%(code)s cannot move further.") % {"code": node.code}, code="edge")
    target = _writable(actor=actor, criteria_set=criteria_set)
    renumber(target)
    moved, neighbour = target.nodes.get(code=node.code), target.nodes.get(code=siblings[index].code)
    moved.position, neighbour.position = neighbour.position, moved.position
    Node.objects.bulk_update([moved, neighbour], ["position"])
    renumber(target)
    audit_record(
        actor=actor,
        action="criteria_node.move",
        obj=target,
        before={"code": moved.code, "place": index - step + 1},
        after={"code": moved.code, "place": index + 1},
    )
    return target


@transaction.atomic
def band_save(*, actor, criteria_set: CriteriaSet, band, values):
    """Add a rating (`band` None) or change one, from cleaned BandValues; a renamed code is
    renamed among the results counted as recognised too."""
    target = _writable(actor=actor, criteria_set=criteria_set)
    bands = list(target.bands.order_by("position", "id"))
    if band is not None:
        band = next(b for b in bands if b.code == band.code)
    listed = [values if band is not None and b.pk == band.pk else _band_values(b) for b in bands]
    if band is None:
        listed.append(values)
    recognised = [values.code if band is not None and code == band.code else code for code in target.recognised_results]
    _raise_problems(check_definition({"rule": target.rule, "recognised_results": recognised}, listed, []))
    before = _band_snapshot(band) if band else None
    band = band or RatingBand(criteria_set=target, position=len(bands))
    band.code, band.label, band.min_total = values.code, values.label, values.min_total
    band.save()
    if recognised != target.recognised_results:
        target.recognised_results = recognised
        target.save(update_fields=["recognised_results", "updated_at"])
    _order_bands(target)
    audit_record(actor=actor, action="criteria_band.save", obj=target, before=before, after=_band_snapshot(band))
    return band


@transaction.atomic
def band_delete(*, actor, criteria_set: CriteriaSet, band) -> CriteriaSet:
    """Delete a rating; it no longer counts as recognised either."""
    target = _writable(actor=actor, criteria_set=criteria_set)
    band = target.bands.get(code=band.code)
    before = _band_snapshot(band)
    band.delete()
    if band.code in target.recognised_results:
        target.recognised_results = [code for code in target.recognised_results if code != band.code]
        target.save(update_fields=["recognised_results", "updated_at"])
    _order_bands(target)
    audit_record(actor=actor, action="criteria_band.delete", obj=target, before=before)
    return target


def _band_snapshot(band) -> dict:
    return {
        "code": band.code,
        "label": band.label,
        "min_total": str(band.min_total) if band.min_total is not None else None,
    }
