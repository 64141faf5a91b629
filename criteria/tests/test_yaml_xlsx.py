"""A criteria set out as YAML or xlsx; a YAML file read back names each mistake at its place. (Both
come back in as a new set through the import pipeline: imports/tests/test_criteria_import.py and
imports/tests/test_criteria_yaml_import.py.)"""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from criteria.sheets import COLUMNS
from criteria.yaml_io import InvalidSetFile, read_set_yaml

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
