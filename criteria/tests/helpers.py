"""What the tests of several apps use: a completed set made through the criteria services only, and
the criteria pages' forms filled in from a set or a criterion."""

from decimal import Decimal

from criteria import services
from criteria.models import CriteriaSet, Node


def completed_household_set(actor, area=None) -> CriteriaSet:
    """QĐ 448's learning household set, copied and completed with illustration values: a national
    set, or the own set of the province `area`."""
    shipped = CriteriaSet.objects.get(is_default=True, title="household")
    copy = services.criteria_set_clone(actor=actor, criteria_set=shipped, name="GĐHT minh hoạ", area=area)
    copy.valid_to, copy.pass_total, copy.is_illustration = None, Decimal(70), True
    copy.save()
    for code, max_points in [("2.2", 20), ("3", 20), ("4", 20)]:
        copy.nodes.filter(code=code).update(max_points=max_points)
    assert services.criteria_set_missing(copy) == []
    return copy


def node_form(node: Node, **changes) -> dict:
    data = {
        "code": node.code,
        "parent_code": node.parent.code if node.parent_id else "",
        "kind": node.kind,
        "name": node.name,
        "scoring": node.scoring,
        "max_points": node.max_points or "",
        "min_points": node.min_points or "",
        "level": node.level or "",
    }
    return {**data, **changes}


def set_form(criteria_set: CriteriaSet, **changes) -> dict:
    data = {
        "title": criteria_set.title,
        "name": criteria_set.name,
        "legal_number": criteria_set.legal_number,
        "legal_date": "",
        "issuer": criteria_set.issuer,
        "valid_from": criteria_set.valid_from,
        "valid_to": criteria_set.valid_to or "",
        "rule": criteria_set.rule,
        "pass_total": criteria_set.pass_total or "",
        "validity_years": criteria_set.validity_years,
        "years_at_level_1": criteria_set.years_at_level_1 or "",
        "recognised_results": criteria_set.recognised_results,
        "note": criteria_set.note,
    }
    return {**data, **changes}


def codes_in_order(criteria_set) -> list[str]:
    return list(criteria_set.nodes.order_by("position").values_list("code", flat=True))
