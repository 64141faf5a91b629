"""How the history words a criteria set's entries (see audit.wording): its criteria and ratings are
written on the set."""

from django.utils.translation import gettext_lazy

from audit.wording import Key, describe_records, field_key, record_key

from .models import CriteriaSet, Node, RatingBand


def describe() -> None:
    label = "criteria.criteriaset"
    describe_records(label, keys={"from": record_key(CriteriaSet, gettext_lazy("copied from"))})
    node_keys = {
        name: field_key(Node, name) for name in ["code", "name", "scoring", "level", "max_points", "min_points"]
    }
    node_keys["parts"] = Key(label=gettext_lazy("its sub-criteria"))
    for action in ["criteria_node.save", "criteria_node.delete"]:
        describe_records(label, action=action, keys=node_keys)
    band_keys = {name: field_key(RatingBand, name) for name in ["code", "label", "min_total"]}
    for action in ["criteria_band.save", "criteria_band.delete"]:
        describe_records(label, action=action, keys=band_keys)
