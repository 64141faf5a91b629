"""Every reference between our tables is found by an index (deleting or protecting a row asks for the
rows naming it), and by one only: an index of a reference that another index already starts with is
written by every insert and never read. At national size each of these costs: an evaluation wrote
eighteen index entries, seven of them for such references, mostly for the empty ones."""

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Q


def our_models():
    """The models of this repository's apps (as conftest tells ours from installed packages)."""
    ours = {c.label for c in apps.get_app_configs() if "site-packages" not in c.path}
    return [m for m in apps.get_models() if m._meta.app_label in ours and m._meta.managed]


def references(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey) and f.db_constraint]


def leading_indexes(model, field) -> list[str]:
    """The declared indexes and unique constraints that start with `field` and hold every row naming
    something (no condition, or only that the field is set)."""
    set_only = Q(**{f"{field.name}__isnull": False})
    found = []
    for index in [*model._meta.indexes, *model._meta.constraints]:
        fields = getattr(index, "fields", None)
        if not fields or fields[0].lstrip("-") not in (field.name, field.attname):
            continue
        if index.condition is None or index.condition == set_only:
            found.append(index.name)
    found += [f"unique_together {t}" for t in model._meta.unique_together if t[0] == field.name]
    return found


@pytest.mark.parametrize("model", our_models(), ids=lambda m: m._meta.label)
def test_every_reference_is_found_by_an_index(model):
    unindexed = [f.name for f in references(model) if not (f.db_index or f.unique or leading_indexes(model, f))]
    assert not unindexed, f"{model._meta.label}: no index finds the rows naming {unindexed}"


@pytest.mark.parametrize("model", our_models(), ids=lambda m: m._meta.label)
def test_no_reference_has_an_index_another_starts_with(model):
    twice = {f.name: leading_indexes(model, f) for f in references(model) if f.db_index and not f.unique}
    twice = {name: found for name, found in twice.items() if found}
    assert not twice, f"{model._meta.label}: indexed on their own and again by {twice}"


def test_the_subjects_of_evaluations_are_found_by_their_yearly_unique_index():
    """The largest table: each subject found through its "one a year" index, the area through its
    index by year."""
    evaluation = apps.get_model("evaluations", "Evaluation")
    for name in ("household", "clan", "village", "organisation", "commune", "citizen"):
        field = evaluation._meta.get_field(name)
        assert not field.db_index
        assert leading_indexes(evaluation, field) == [f"evaluation_{name}_year_unique"]
    assert leading_indexes(evaluation, evaluation._meta.get_field("area")) == ["evaluation_area_year"]
