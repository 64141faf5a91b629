"""The rules of the evaluation year as data a province officer keeps: which level approves each
title (per tree and span of years), and the deadlines of each title's year.

The law changed the approver in 2024 and the 2025 reform left the commune learning community's
unconfirmed (rules.md §1), so these are rows, not code. Every change is atomic, needs the criteria
permission and writes an audit row; bad input is refused with its errors keyed by field.

A rule is a national default (area None: system administrators only) or a province's own (area its
province-level unit: its province officer or a system administrator). A change to a rule of
another area than the one named is saved as a new rule of the named area, a copy, and leaves the
rule itself as it was: a province changing a default gets its own rule. See `rule_scope`.

No lost update: a change or removal names the version of the rule its editor read; the rule is
locked, its version compared and moved on (`core.versions`), and the audit's “before” read from the
locked row.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Perm
from areas.models import Level, Tree, subtree_q
from areas.services import tree_for_year
from audit.services import audit_record
from core.access import require_perm
from core.uniqueness import refused_as_checked
from core.versions import StaleVersion, bump, lock_version
from registry.network import clean_year

from .models import SUBJECT_FIELD, ApproverRule, Deadline, DeadlineKind, Evaluation
from .rule_scope import PROVINCE_PATH_LENGTH, may_change, province_path

# The 2025 reform abolished the district level: only provinces and communes remain on that tree.
TREE_LEVELS = {
    Tree.PRE_2025: (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE),
    Tree.Y2025: (Level.PROVINCE, Level.COMMUNE),
}


def _clean_into(errors: dict, field: str, clean, value):
    try:
        return clean(value)
    except ValidationError as error:
        errors.setdefault(field, []).extend(error.error_list)
        return None


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _require_may_change(actor, area) -> None:
    """The criteria permission, and the national defaults (area None) for system administrators
    only, a province's rules for its own officers."""
    require_perm(actor, Perm.MANAGE_CRITERIA)
    if not may_change(actor, area):
        raise PermissionDenied


def _check_area(errors: dict, area, tree: str | None) -> None:
    if area is None:
        return
    if area.level != Level.PROVINCE:
        errors.setdefault("area", []).append(ValidationError(_("Choose a province."), code="area_level"))
    elif tree is not None and area.tree != tree:
        errors.setdefault("tree", []).append(
            ValidationError(
                _("%(province)s is on the tree “%(tree)s”: its own rules are for that tree's years.")
                % {"province": area.name, "tree": Tree(area.tree).label},
                code="area_tree",
            )
        )


def _area_snapshot(area) -> dict:
    return {"area": area.pk if area else None, "area_name": area.name if area else None}


def _clean_title(value) -> str:
    if value not in SUBJECT_FIELD:
        raise ValidationError(_("Choose a title that is evaluated."), code="title")
    return value


# Approving levels ------------------------------------------------------------------------------


def _covers(rule, year: int) -> bool:
    return rule.from_year <= year and (rule.to_year is None or year <= rule.to_year)


def _years(rule) -> str:
    return f"{rule.from_year}–{rule.to_year}" if rule.to_year else _("from %(year)d on") % {"year": rule.from_year}


def _uncovered(title: str, tree: str, area, rules) -> set[int]:
    """The years with evaluations of the title on the tree (in `area`'s province, or anywhere for
    the national defaults) that neither `rules` (the rules of `area`) nor the rules they fall back
    on or give way to cover: nobody could approve or unlock those evaluations."""
    evaluations = Evaluation.objects.filter(title=title, area__tree=tree)
    others = ApproverRule.objects.filter(title=title, tree=tree)
    if area is None:
        others = others.exclude(area=None)  # a province's own rule applies there before the default
    else:
        evaluations = evaluations.filter(subtree_q("area__path", area.path))
        others = others.filter(area=None)  # the default applies where the province has no rule
    by_province: dict[str | None, list] = {}
    for other in others.select_related("area"):
        by_province.setdefault(province_path(other.area) if other.area else None, []).append(other)
    uncovered = set()
    for year, path in evaluations.values_list("year", "area__path").distinct().order_by():
        fallback = by_province.get(None if area is not None else path[:PROVINCE_PATH_LENGTH], [])
        if not any(_covers(rule, year) for rule in [*rules, *fallback]):
            uncovered.add(year)
    return uncovered


def _require_still_covered(title: str, tree: str, area, before, after) -> None:
    """Refuse a change that leaves years with evaluations without an approving level; years
    already uncovered before it are not this change's doing."""
    lost = sorted(_uncovered(title, tree, area, after) - _uncovered(title, tree, area, before))
    if lost:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: ValidationError(
                    _(
                        "Evaluations of this title in %(years)s would be left with no approving level: "
                        "add a rule for those years first."
                    )
                    % {"years": ", ".join(str(year) for year in lost)},
                    code="uncovered",
                )
            }
        )


def _rule_snapshot(rule: ApproverRule) -> dict:
    return {
        "title": rule.title,
        "tree": rule.tree,
        "from_year": rule.from_year,
        "to_year": rule.to_year,
        "level": rule.level,
        **_area_snapshot(rule.area),
    }


def _rules_of(title: str, tree: str, area) -> list[ApproverRule]:
    """The rules of a title and tree in `area` (None: the national defaults), locked so that two
    officers' changes are checked one after the other."""
    return list(
        ApproverRule.objects.select_for_update().filter(title=title, tree=tree, area=area).order_by("from_year")
    )


def _clean_rule(*, title, tree, from_year, to_year, level) -> dict:
    errors = {}
    title = _clean_into(errors, "title", _clean_title, title)
    if tree not in Tree.values:
        errors["tree"] = [ValidationError(_("Choose a tree."), code="tree")]
        tree = None
    from_year = _clean_into(errors, "from_year", clean_year, from_year)
    if to_year not in (None, ""):
        to_year = _clean_into(errors, "to_year", clean_year, to_year)
    else:
        to_year = None
    if tree is not None and level not in TREE_LEVELS[tree]:
        errors["level"] = [
            ValidationError(
                _("The tree “%(tree)s” has no such level: choose %(levels)s.")
                % {"tree": Tree(tree).label, "levels": ", ".join(str(Level(lv).label) for lv in TREE_LEVELS[tree])},
                code="level_not_on_tree",
            )
        ]
    if from_year is not None and to_year is not None and from_year > to_year:
        errors.setdefault("to_year", []).append(
            ValidationError(_("The last year comes before the first."), code="years_order")
        )
    if tree is not None:
        for field, year in (("from_year", from_year), ("to_year", to_year)):
            if year is not None and tree_for_year(year) != tree:
                errors.setdefault(field, []).append(ValidationError(_tree_span_message(tree), code="tree_span"))
    _raise(errors)
    return {"title": title, "tree": tree, "from_year": from_year, "to_year": to_year, "level": level}


def _tree_span_message(tree: str) -> str:
    reform = settings.KHUYENHOC_REFORM_YEAR
    if tree == Tree.PRE_2025:
        return _("The tree before the reform holds the years up to %(year)d.") % {"year": reform - 1}
    return _("The tree after the reform holds the years from %(year)d on.") % {"year": reform}


def _seen(model, record, version, area):
    """The record the editor changed, locked and as stored now, refused as stale unless it is still
    at `version` (nothing written); None when it is of another area than `area` (it is then
    copied, not changed)."""
    try:
        record = lock_version(model.objects.all(), record.pk, version)
    except model.DoesNotExist as error:  # removed by someone else meanwhile
        raise StaleVersion from error
    return record if record.area_id == (area.pk if area else None) else None


@transaction.atomic
def approver_rule_save(
    *, actor, rule: ApproverRule | None = None, version=None, area=None, title, tree, from_year, to_year, level
):
    """Add a rule of `area` (None: a national default) or change one, seen at `version`. A `rule`
    of another area is not changed: the values are saved as `area`'s own rule (a province copying a
    default). The years it covers must not overlap another rule of the same title, tree and area,
    so that one level approves each year there. A rule changed by someone else since it was read is
    neither changed nor copied (stale)."""
    _require_may_change(actor, area)
    errors = {}
    _check_area(errors, area, tree if tree in Tree.values else None)
    _raise(errors)
    values = _clean_rule(title=title, tree=tree, from_year=from_year, to_year=to_year, level=level)
    values["area"] = area
    before = None
    if rule is not None:
        rule = _seen(ApproverRule, rule, version, area)
    if rule is not None:
        before = _rule_snapshot(rule)
    others = [r for r in _rules_of(values["title"], values["tree"], area) if rule is None or r.pk != rule.pk]
    candidate = ApproverRule(pk=rule.pk if rule else None, **values)
    for other in others:
        if _covers(other, candidate.from_year) or _covers(candidate, other.from_year):
            raise ValidationError(
                {
                    "from_year": ValidationError(
                        _("These years overlap the rule for %(years)s (%(level)s): change that one first.")
                        % {"years": _years(other), "level": Level(other.level).label},
                        code="overlap",
                    )
                }
            )
    if rule is not None:
        old_rules = _rules_of(rule.title, rule.tree, area)
        new_rules = [r for r in old_rules if r.pk != rule.pk]
        if (rule.title, rule.tree) == (candidate.title, candidate.tree):
            new_rules.append(candidate)
        _require_still_covered(rule.title, rule.tree, area, old_rules, new_rules)
        for field, value in values.items():
            setattr(rule, field, value)
        bump(rule)
    else:
        rule = candidate
    rule.save()
    audit_record(actor=actor, action="approver_rule.save", obj=rule, before=before, after=_rule_snapshot(rule))
    return rule


@transaction.atomic
def approver_rule_delete(*, actor, rule: ApproverRule, version) -> None:
    """Delete a rule seen at `version`: a province's own rule removed, the national default applies
    there again. A rule changed by someone else since is not deleted (stale)."""
    _require_may_change(actor, rule.area)
    rule = _seen(ApproverRule, rule, version, rule.area)
    rules = _rules_of(rule.title, rule.tree, rule.area)
    _require_still_covered(rule.title, rule.tree, rule.area, rules, [r for r in rules if r.pk != rule.pk])
    audit_record(actor=actor, action="approver_rule.delete", obj=rule, before=_rule_snapshot(rule))
    rule.delete()


# Deadlines ------------------------------------------------------------------------------------


def _deadline_snapshot(deadline: Deadline) -> dict:
    return {
        "title": deadline.title,
        "year": deadline.year,
        "kind": deadline.kind,
        "due": deadline.due.isoformat(),
        **_area_snapshot(deadline.area),
    }


def _clean_due(value) -> date:
    if not isinstance(value, date):
        raise ValidationError(_("Enter a date."), code="invalid")
    return value


def _clean_kind(value) -> str:
    if value not in DeadlineKind.values:
        raise ValidationError(_("Choose what is due."), code="kind")
    return value


@transaction.atomic
def deadline_save(
    *, actor, deadline: Deadline | None = None, version=None, area=None, title, year, kind, due
) -> Deadline:
    """Add a deadline of `area` (None: a national default) or change one, seen at `version`: one per
    title, year evaluated, kind and area, falling after the start of the year evaluated. A `deadline`
    of another area is not changed: the values are saved as `area`'s own deadline (a province's
    copy). A deadline changed by someone else since it was read is neither changed nor copied."""
    _require_may_change(actor, area)
    errors = {}
    _check_area(errors, area, None)
    values = {
        "title": _clean_into(errors, "title", _clean_title, title),
        "year": _clean_into(errors, "year", clean_year, year),
        "kind": _clean_into(errors, "kind", _clean_kind, kind),
        "due": _clean_into(errors, "due", _clean_due, due),
    }
    if values["year"] is not None and values["due"] is not None and values["due"] < date(values["year"], 1, 1):
        errors.setdefault("due", []).append(
            ValidationError(
                _("The date comes before the year evaluated, %(year)d, begins.") % {"year": values["year"]},
                code="before_year",
            )
        )
    _raise(errors)
    if deadline is not None:
        deadline = _seen(Deadline, deadline, version, area)
    twins = Deadline.objects.select_for_update().filter(
        title=values["title"], year=values["year"], kind=values["kind"], area=area
    )
    if deadline is not None:
        twins = twins.exclude(pk=deadline.pk)
    duplicate = ValidationError(
        {
            "kind": ValidationError(
                _("This title already has this deadline in %(year)d: change that one.") % {"year": values["year"]},
                code="duplicate",
            )
        }
    )

    def check():
        if twins.exists():  # locked when it exists; a new one has no row to lock yet (see the save below)
            raise duplicate

    check()
    before = None
    if deadline is not None:
        before = _deadline_snapshot(deadline)
        for field, value in values.items():
            setattr(deadline, field, value)
        bump(deadline)
    else:
        deadline = Deadline(area=area, **values)
    with refused_as_checked(check):  # the same deadline saved by someone else since (a double click)
        deadline.save()
    audit_record(actor=actor, action="deadline.save", obj=deadline, before=before, after=_deadline_snapshot(deadline))
    return deadline


@transaction.atomic
def deadline_delete(*, actor, deadline: Deadline, version) -> None:
    """Delete a deadline seen at `version`: a province's own removed, the national default applies
    there again. A deadline changed by someone else since is not deleted (stale)."""
    _require_may_change(actor, deadline.area)
    deadline = _seen(Deadline, deadline, version, deadline.area)
    audit_record(actor=actor, action="deadline.delete", obj=deadline, before=_deadline_snapshot(deadline))
    deadline.delete()
