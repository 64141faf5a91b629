"""A criteria set exported as YAML comes back through the import pipeline as a new set with the
same content; a YAML file with mistakes is refused with each mistake named at its place in the
file, in Vietnamese, on the job's page, and nothing is created; only the criteria set import takes a
YAML file."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from criteria import editing, services
from criteria.models import CriteriaSet
from criteria.tests.conftest import frozen_set, household_set, shipped
from criteria.yaml_io import MAX_NODES
from imports.models import ImportJob, JobStatus

pytestmark = pytest.mark.django_db
__all__ = ["frozen_set", "household_set"]  # the fixtures of criteria/tests, used here

SHIPPED = ["44/2014/TT-BGDĐT", "25/2023/TT-BGDĐT", "448/QĐ-KHVN", "22/2020/TT-BGDĐT"]
GOOD = """\
title: unit
name: ĐVHT thử
valid_from: 2021
rule: ratings
recognised_results: [tot]
bands:
- {code: tot, label: Tốt, min_total: 85}
nodes:
- code: '1'
  kind: criterion
  name: Điều kiện
  scoring: group
  children:
  - {code: '1.1', kind: indicator, name: Kế hoạch, scoring: points, max_points: 12.5}
"""


def export(client, criteria_set) -> bytes:
    response = client.get(reverse("criteria:export_yaml", args=[criteria_set.pk]))
    assert response.status_code == 200
    return response.content


@pytest.fixture
def import_yaml(upload, commit):
    """Upload a YAML file to the criteria set import as the province officer and, when the check
    finds no mistake, save it; returns the job."""

    def send(content: bytes, name="bo.yaml"):
        client, job = upload("criteria_set", content, name=name, persona="province_officer")
        return commit(client, job) if job.status == JobStatus.PREVIEWED else job

    return send


@pytest.mark.parametrize("legal_number", SHIPPED)
def test_a_shipped_set_exported_and_imported_again_gives_the_same_yaml(client_for, personas, import_yaml, legal_number):
    client = client_for(personas["province_officer"])
    original = shipped(legal_number)
    text = export(client, original)
    job = import_yaml(text)
    assert job.status == JobStatus.COMMITTED, (job.errors, job.message)
    created = CriteriaSet.objects.latest("pk")
    assert created.pk != original.pk and created.area == personas["province_officer"].unit
    assert (created.is_default, created.version, created.based_on) == (False, 1, None)
    assert export(client, created) == text
    assert services.criteria_set_missing(created) == services.criteria_set_missing(original)


def test_a_completed_set_round_trips_but_for_the_name_and_version_chosen(client_for, personas, import_yaml, frozen_set):
    client = client_for(personas["province_officer"])
    frozen = frozen_set
    CriteriaSet.objects.filter(pk=frozen.pk).update(
        legal_date=datetime.date(2015, 10, 23), note="Dòng một\nDòng hai", count_each_valid_year=True
    )
    frozen.nodes.filter(code="1").update(min_points=Decimal("12.5"))
    version_2 = editing.criteria_set_update(actor=personas["province_officer"], criteria_set=frozen, validity_years=2)
    text = export(client, version_2).decode()
    renamed = text.replace("name: GĐHT minh hoạ", "name: GĐHT nhập lại")
    assert import_yaml(renamed.encode(), name="bo.yml").status == JobStatus.COMMITTED
    created = CriteriaSet.objects.latest("pk")
    again = export(client, created).decode()
    assert created.is_illustration and created.version == 1 and version_2.version == 2
    differences = [(a, b) for a, b in zip(text.splitlines(), again.splitlines(), strict=True) if a != b]
    assert differences == [
        ("# Bộ tiêu chí: GĐHT minh hoạ, phiên bản 2", "# Bộ tiêu chí: GĐHT nhập lại, phiên bản 1"),
        ("name: GĐHT minh hoạ", "name: GĐHT nhập lại"),
    ]
    assert services.criteria_set_missing(created) == []
    entry = AuditEntry.objects.get(action="criteria_set.create", object_id=str(created.pk))
    assert entry.after["nodes"] == 9


def test_a_yaml_file_with_mistakes_lists_them_all_on_the_job_page_in_vietnamese_and_creates_nothing(
    client_for, personas, import_yaml
):
    before = CriteriaSet.objects.count()
    bad = GOOD.replace("rule: ratings", "rule: sometimes").replace("max_points: 12.5", "max_points: lots")
    job = import_yaml(bad.encode())
    assert job.status == JobStatus.INVALID and CriteriaSet.objects.count() == before
    assert [(e["sheet"], e["row"], e["column"]) for e in job.errors] == [
        ("YAML", 0, "rule"),
        ("YAML", 0, "nodes[0].children[0].max_points"),
    ]
    page = client_for(personas["province_officer"]).get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "nodes[0].children[0].max_points" in page and "sometimes" not in job.message
    many_nodes = [f"- {{code: 'x{n}', kind: indicator, name: X, scoring: points}}\n" for n in range(MAX_NODES)]
    mistakes = {
        "syntax": GOOD.replace("bands:", "bands: [", 1),
        "unknown key": GOOD + "colour: red\n",
        "too many nodes": GOOD.replace("nodes:\n", "nodes:\n" + "".join(many_nodes)),
        "encoding": "\xff\xfe not text",
    }
    places = {}
    for mistake, text in mistakes.items():
        job = import_yaml(text.encode("latin-1") if mistake == "encoding" else text.encode())
        assert job.status == JobStatus.INVALID, mistake
        places[mistake] = [e["column"] for e in job.errors]
        assert all(not e["message"].isascii() for e in job.errors), (mistake, job.errors)
    assert places["syntax"][0].startswith("dòng ") and places["unknown key"] == ["colour"]
    assert places["too many nodes"] and places["encoding"] == [""]
    assert CriteriaSet.objects.count() == before
    job = import_yaml(GOOD.encode())
    assert job.status == JobStatus.COMMITTED, job.errors
    created = CriteriaSet.objects.get(name="ĐVHT thử")
    assert (
        created.nodes.get(code="1.1").max_points == Decimal("12.5") and created.nodes.get(code="1.1").parent.code == "1"
    )


def test_only_the_criteria_set_import_takes_a_yaml_file(client_for, personas, upload):
    _client, job = upload("criteria_set", GOOD.encode(), name="bo.YML", persona="province_officer")
    assert job.status == JobStatus.PREVIEWED and job.counts["create"] == 1 + 1 + 2
    jobs = ImportJob.objects.count()
    client = client_for(personas["province_officer"])
    for kind in ("households", "area_years"):
        upload_file = SimpleUploadedFile("ho.yaml", GOOD.encode())
        response = client.post(reverse("imports:new", args=[kind]), {"file": upload_file})
        assert response.status_code == 200 and response.context["form"].errors["file"], kind
    assert ImportJob.objects.count() == jobs


def test_the_criteria_page_leads_to_the_pipeline_to_import_a_set(client_for, personas):
    page = client_for(personas["province_officer"]).get(reverse("criteria:list")).content.decode()
    assert reverse("imports:new", args=["criteria_set"]) in page
    form = client_for(personas["province_officer"]).get(reverse("imports:new", args=["criteria_set"]))
    assert ".yaml" in form.content.decode()
