"""A criteria set out as YAML or xlsx and back in as a new set: the round trip changes nothing but
the name and version; a file with mistakes lists each one at its place and creates nothing. (An xlsx
file comes back in through the import pipeline: imports/tests/test_criteria_import.py.)"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from audit.models import AuditEntry
from criteria import editing, services
from criteria.models import CriteriaSet
from criteria.sheets import COLUMNS
from criteria.yaml_io import InvalidSetFile, read_set_yaml

from .conftest import shipped

pytestmark = pytest.mark.django_db

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


def export(client, criteria_set, extension="yaml") -> bytes:
    response = client.get(reverse(f"criteria:export_{extension}", args=[criteria_set.pk]))
    assert response.status_code == 200
    return response.content


def import_yaml(client, content: bytes, name=""):
    return client.post(reverse("criteria:import_yaml"), {"file": SimpleUploadedFile("bo.yaml", content), "name": name})


@pytest.mark.parametrize("legal_number", SHIPPED)
def test_a_shipped_set_exported_and_imported_again_gives_the_same_yaml(client_for, personas, legal_number):
    client = client_for(personas["province_officer"])
    original = shipped(legal_number)
    text = export(client, original)
    response = import_yaml(client, text)
    created = CriteriaSet.objects.latest("pk")
    assert response.url == reverse("criteria:detail", args=[created.pk])
    assert (created.is_default, created.version, created.based_on) == (False, 1, None)
    assert export(client, created) == text
    assert services.criteria_set_missing(created) == services.criteria_set_missing(original)


def test_a_completed_set_round_trips_but_for_the_name_and_version_chosen(client_for, personas, frozen_set):
    client = client_for(personas["province_officer"])
    frozen = frozen_set
    CriteriaSet.objects.filter(pk=frozen.pk).update(
        legal_date=datetime.date(2015, 10, 23), note="Dòng một\nDòng hai", count_each_valid_year=True
    )
    frozen.nodes.filter(code="1").update(min_points=Decimal("12.5"))
    version_2 = editing.criteria_set_update(actor=personas["province_officer"], criteria_set=frozen, validity_years=2)
    text = export(client, version_2).decode()
    import_yaml(client, text.encode(), name="GĐHT nhập lại")
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


@pytest.mark.parametrize(
    "text, place, code",
    [
        (GOOD.replace("rule: ratings", "rule: sometimes"), "rule", "choice"),
        (GOOD.replace("title: unit\n", ""), "title", "required"),
        (GOOD + "colour: red\n", "colour", "unknown_key"),
        (GOOD.replace("max_points: 12.5", "max_points: -1"), "nodes[0].children[0].max_points", "negative"),
        (GOOD.replace("max_points: 12.5", "max_points: 12.345"), "nodes[0].children[0].max_points", "decimals"),
        (GOOD.replace("kind: indicator", "kind: chapter"), "nodes[0].children[0].kind", "choice"),
        (GOOD.replace("code: '1.1'", "code: '1'"), "nodes[0].children[0].code", "duplicate"),
        (GOOD.replace("scoring: points", "scoring: pass_fail"), "nodes[0].children[0].max_points", "pass_fail_points"),
        (GOOD.replace("scoring: group", "scoring: points"), "nodes[0].scoring", "parts"),
        (
            GOOD.replace("rule: ratings", "rule: threshold").replace("[tot]", "[achieved]"),
            "bands[0].code",
            "bands_rule",
        ),
        (GOOD.replace("[tot]", "[kha]"), "recognised_results", "recognised"),
        (GOOD.replace("valid_from: 2021", "valid_from: 2021\nvalid_to: 2019"), "valid_to", "years"),
        (GOOD.replace("code: tot,", "code: Tốt,"), "bands[0].code", "band_code"),
        ("nodes: [\n", "dòng 2", "syntax"),  # a syntax error is placed by its line, in the user's language
        ("- just a list\n", "", "structure"),
        (GOOD.replace("  - {code: '1.1'", "  - just text  # "), "nodes[0].children[0]", "structure"),
    ],
)
def test_each_mistake_in_a_yaml_file_is_named_at_its_place(text, place, code):
    with pytest.raises(InvalidSetFile) as invalid:
        read_set_yaml(text.encode())
    assert (place, code) in [(p.place, p.code) for p in invalid.value.problems]


def test_a_yaml_file_with_mistakes_lists_them_all_and_creates_nothing(client_for, personas):
    client = client_for(personas["province_officer"])
    before = CriteriaSet.objects.count()
    bad = GOOD.replace("rule: ratings", "rule: sometimes").replace("max_points: 12.5", "max_points: lots")
    response = import_yaml(client, bad.encode())
    assert response.status_code == 200 and CriteriaSet.objects.count() == before
    assert [p.place for p in response.context["problems"]] == ["rule", "nodes[0].children[0].max_points"]
    response = import_yaml(client, b"\xff\xfe not text")
    assert [p.code for p in response.context["problems"]] == ["encoding"]
    assert CriteriaSet.objects.count() == before
    response = import_yaml(client, GOOD.encode())
    created = CriteriaSet.objects.get(name="ĐVHT thử")
    assert response.url == reverse("criteria:detail", args=[created.pk])
    assert (
        created.nodes.get(code="1.1").max_points == Decimal("12.5") and created.nodes.get(code="1.1").parent.code == "1"
    )


def test_a_yaml_bomb_of_aliases_is_refused_without_expanding_it():
    lines = ["title: unit", "name: x", "valid_from: 2020", "rule: ratings", "a0: &a0 {code: x, kind: indicator}"]
    for n in range(1, 12):
        aliases = ", ".join([f"*a{n - 1}"] * 9)
        lines.append(f"a{n}: &a{n} {{code: y, kind: criterion, scoring: group, children: [{aliases}]}}")
    lines.append("nodes: [*a11]")
    with pytest.raises(InvalidSetFile) as invalid:
        read_set_yaml("\n".join(lines).encode())
    assert "too_many" in [p.code for p in invalid.value.problems]


def test_a_set_exported_as_xlsx_holds_a_row_per_value_under_the_import_columns(client_for, personas, household_set):
    content = export(client_for(personas["viewer"]), household_set, "xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[0] == COLUMNS
    assert ["3", "", "Tiêu chí", "Điều kiện học tập của gia đình", "Chấm điểm", 20.0, "", ""] in rows
