"""A duplicate merged into another household is kept as it was (issue 15, item 9): no import and no
registration changes it. A file naming it by code is told which household it was merged into; a row
naming the head and village means the household kept, not "several households"."""

import csv
import functools
import io

import pytest
from django.core.exceptions import ValidationError

from criteria.tests.helpers import completed_household_set
from evaluations import services as evaluation_services
from imports.models import JobStatus
from registry import merging, services
from registry.models import Household

pytestmark = pytest.mark.django_db

HEADER = ["Mã hộ", "Mã thôn", "Tên thôn", "Chủ hộ", "Số nhân khẩu", "Còn sinh sống"]


def csv_file(rows):
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@pytest.fixture
def upload(upload):
    return functools.partial(upload, "households")


@pytest.fixture
def merged(admin_user, villages):
    """Two households of one head in one village; the second merged into the first."""
    kept = services.household_create(
        actor=admin_user, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=4
    )
    duplicate = services.household_create(
        actor=admin_user, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=3
    )
    merging.household_merge(
        survivor=kept,
        duplicates=[duplicate],
        actor=admin_user,
        reason="Nhập trùng",
        versions={kept.pk: kept.version, duplicate.pk: duplicate.version},
    )
    return Household.objects.get(pk=kept.pk), Household.objects.get(pk=duplicate.pk)


def test_a_row_with_a_merged_household_s_code_names_the_one_kept_and_changes_nothing(upload, merged):
    kept, duplicate = merged
    _client, job = upload(csv_file([[duplicate.code, "01837-001", "", "Hoàng Văn An", 5, "Có"]]), name="ho.csv")
    assert job.status == JobStatus.INVALID
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "Mã hộ")]
    assert job.errors[0]["message"] == (f"Hộ {duplicate.code} đã được gộp vào hộ {kept.code}: hãy dùng mã đó.")
    assert Household.objects.get(pk=duplicate.pk).members == 3


def test_a_row_by_head_and_village_means_the_household_kept(upload, commit, merged):
    kept, duplicate = merged
    client, job = upload(csv_file([["", "01837-001", "", "Hoàng Văn An", 6, "Có"]]), name="ho.csv")
    assert job.errors == [] and job.counts == {"create": 0, "update": 1, "unchanged": 0}
    assert commit(client, job).status == JobStatus.COMMITTED
    assert Household.objects.get(pk=kept.pk).members == 6
    assert Household.objects.get(pk=duplicate.pk).members == 3


def test_a_merged_household_cannot_be_registered_for_an_evaluation(admin_user, merged):
    _kept, duplicate = merged
    household_set = completed_household_set(admin_user)
    with pytest.raises(ValidationError) as refused:
        evaluation_services.evaluation_register(
            actor=admin_user, title="household", year=2024, subject=duplicate, criteria_set=household_set
        )
    assert refused.value.code == "merged"
    assert not duplicate.evaluations.exists()
