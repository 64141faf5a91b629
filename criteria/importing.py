"""A criteria set from a spreadsheet (`sheets.py` describes the layout), as a new set.

The whole file is one set, so it is read as one batch and checked as a whole; saving creates the
set with its ratings and criteria, or nothing. The new set is named by the row "Tên bộ tiêu chí";
when that row is missing or empty, by the file's name without its extension.
"""

import io
from dataclasses import dataclass
from pathlib import PurePath

import xlsxwriter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.roles import Perm
from core.importers import Importer, Outcome, RowError
from core.readers import Column, open_table
from core.text import fold

from . import editing
from .sheets import COLUMNS, INFO, INFO_LABELS, RATING, add_sheet, write_rows
from .validation import (
    BAND_VALIDATORS,
    KIND_WORDS,
    NODE_VALIDATORS,
    SCORING_WORDS,
    SET_VALIDATORS,
    BandValues,
    NodeValues,
    check_definition,
    clean_values,
)
from .yaml_io import MAX_BYTES, InvalidSetFile, read_set_yaml

MAX_ROWS = 2000
YAML_FILES = (".yaml", ".yml")
YAML_SHEET = "YAML"
REQUIRED_INFO = ["title", "valid_from", "rule"]
# Where a rating's fields are in a row.
BAND_COLUMNS = {"code": "code", "label": "name", "min_total": "min_points"}
ROW_KINDS = [INFO, RATING, *KIND_WORDS.values()]
NODE_KINDS = {fold(word) for word in KIND_WORDS.values()} | {fold(kind) for kind in KIND_WORDS}
INFO_KEYS = {fold(label): field for field, label in INFO_LABELS.items()} | {fold(field): field for field in INFO_LABELS}


@dataclass
class NewSet:
    fields: dict
    bands: list[BandValues]
    nodes: list[NodeValues]


class CriteriaSetImporter(Importer):
    kind = "criteria_set"
    perm = Perm.MANAGE_CRITERIA
    # A set exported as YAML (`criteria:export_yaml`) comes back through the same import.
    extensions = (".xlsx", ".csv", *YAML_FILES)
    columns = [
        Column("code", COLUMNS[0]),
        Column("parent_code", COLUMNS[1], required=False),
        Column("row_kind", COLUMNS[2]),
        Column("name", COLUMNS[3], required=False),
        Column("scoring", COLUMNS[4], required=False),
        Column("max_points", COLUMNS[5], required=False),
        Column("min_points", COLUMNS[6], required=False),
        Column("level", COLUMNS[7], required=False),
    ]

    def batches(self, path, filename, outcome=None):
        """All the rows at once: a set is checked as a whole. A YAML file is one batch of one set,
        already checked whole by `read_set_yaml`; its problems are errors at their place in the file."""
        self.filename = filename
        if filename.lower().endswith(YAML_FILES):
            yield from self._yaml_batches(path)
            return
        table = open_table(path, filename, self.columns)
        self.sheet, self.header_row = table.sheet, table.header_row
        if outcome is not None:
            table.report = lambda row, key, message: self.error(outcome, row, key, ValidationError(message))
        rows = []
        for row in table.rows():
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise ValidationError(
                    _("A criteria set has at most %(rows)d rows; this file has more.") % {"rows": MAX_ROWS},
                    code="too_many_rows",
                )
        if rows:
            yield rows

    def _yaml_batches(self, path):
        self.sheet, self.header_row = YAML_SHEET, 0
        with open(path, "rb") as handle:
            content = handle.read(MAX_BYTES + 1)  # one byte more tells a file past the bound
        try:
            fields, bands, nodes = read_set_yaml(content)
        except InvalidSetFile as invalid:
            yield [invalid]  # one "row": its problems are reported by `classify`, like any row's
        else:
            yield [NewSet(fields, bands, nodes)]

    def classify(self, batch, outcome: Outcome):
        if batch and isinstance(batch[0], InvalidSetFile):
            for problem in batch[0].problems:
                outcome.add_error(RowError(YAML_SHEET, 0, problem.place, problem.message))
            return []
        if batch and isinstance(batch[0], NewSet):
            new_set = batch[0]
            for _record in range(1 + len(new_set.bands) + len(new_set.nodes)):
                outcome.count("create")
            return [new_set]
        raw_info, info_rows = {}, {}
        bands, band_rows, nodes, node_rows = [], [], [], []
        errors_before = outcome.error_count
        for number, values in batch:
            row_kind = fold(str(values.get("row_kind") or ""))
            if row_kind == fold(INFO):
                self._info(outcome, number, values, raw_info, info_rows)
            elif row_kind == fold(RATING):
                raw = {field: values.get(column) for field, column in BAND_COLUMNS.items()}
                clean = self._clean(outcome, number, BAND_VALIDATORS, raw, BAND_COLUMNS)
                if clean is not None:
                    bands.append(BandValues(**clean))
                    band_rows.append(number)
            elif row_kind not in NODE_KINDS:
                message = _("“%(value)s” is not a kind of row: write one of %(kinds)s.") % {
                    "value": values.get("row_kind"),
                    "kinds": ", ".join(f"“{k}”" for k in ROW_KINDS),
                }
                self.error(outcome, number, "row_kind", ValidationError(message, code="row_kind"))
            else:
                raw = {**values, "kind": values.get("row_kind")}
                clean = self._clean(outcome, number, NODE_VALIDATORS, raw, {"kind": "row_kind"})
                if clean is not None:
                    nodes.append(NodeValues(**clean))
                    node_rows.append(number)
        if not str(raw_info.get("name") or "").strip():
            raw_info["name"] = PurePath(self.filename).stem
        for field in REQUIRED_INFO:
            if field not in raw_info:
                message = _("Add a row “%(kind)s” named “%(label)s” in column “%(column)s”.") % {
                    "kind": INFO,
                    "label": INFO_LABELS[field],
                    "column": COLUMNS[0],
                }
                self.error(outcome, self.header_row, "row_kind", ValidationError(message, code="missing_info"))
        fields, errors = clean_values(SET_VALIDATORS, raw_info)
        for field, error in errors:
            if field in raw_info and field in info_rows:
                self.error(outcome, info_rows[field], "name", error)
            elif field == "name":
                self.error(outcome, self.header_row, "code", error)
        if outcome.error_count > errors_before:
            return []
        for problem in check_definition(fields, bands, nodes):
            if problem.part == "set":
                self.error(outcome, info_rows.get(problem.field, self.header_row), "name", problem.error)
            elif problem.part == "band":
                self.error(outcome, band_rows[problem.index], BAND_COLUMNS[problem.field], problem.error)
            else:
                self.error(outcome, node_rows[problem.index], problem.field, problem.error)
        if outcome.error_count > errors_before:
            return []
        for _record in range(1 + len(bands) + len(nodes)):
            outcome.count("create")
        return [NewSet(fields, bands, nodes)]

    def _info(self, outcome: Outcome, number: int, values: dict, raw_info: dict, info_rows: dict) -> None:
        label = str(values.get("code") or "")
        field = INFO_KEYS.get(fold(label))
        if field is None:
            message = _("“%(label)s” is not information about a set: write one of %(labels)s.") % {
                "label": label,
                "labels": ", ".join(f"“{v}”" for v in INFO_LABELS.values()),
            }
            self.error(outcome, number, "code", ValidationError(message, code="info"))
        elif field in info_rows:
            message = _("The same as row %(row)d.") % {"row": info_rows[field]}
            self.error(outcome, number, "code", ValidationError(message, code="duplicate"))
        else:
            raw_info[field] = values.get("name")
            info_rows[field] = number

    def _clean(self, outcome: Outcome, number: int, validators: dict, raw: dict, columns: dict):
        clean, errors = clean_values(validators, raw)
        for field, error in errors:
            self.error(outcome, number, columns.get(field, field), error)
        return None if errors else clean

    def apply(self, changes, *, actor, job):
        for change in changes:
            editing.criteria_set_create(
                actor=actor,
                fields=change.fields,
                bands=change.bands,
                nodes=change.nodes,
                source=job.audit_source,
                reason=_("Import #%(job)d") % {"job": job.pk},
            )

    def template(self) -> bytes:
        """The sheet with the set's information rows to fill in, lists of the fixed words, and a
        second sheet that explains the layout (only the first sheet is read)."""
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet, bold = add_sheet(workbook)
        write_rows(sheet, [[label, "", INFO, "", "", None, None, None] for label in INFO_LABELS.values()])
        sheet.data_validation(1, 2, MAX_ROWS, 2, {"validate": "list", "source": ROW_KINDS})
        sheet.data_validation(1, 4, MAX_ROWS, 4, {"validate": "list", "source": list(SCORING_WORDS.values())})
        guide = workbook.add_worksheet("Hướng dẫn")
        guide.set_column(0, 0, 110)
        words = {
            "info": INFO,
            "rating": RATING,
            "code": COLUMNS[0],
            "parent": COLUMNS[1],
            "kind": COLUMNS[2],
            "text": COLUMNS[3],
            "scoring": COLUMNS[4],
            "min": COLUMNS[6],
            "name": INFO_LABELS["name"],
            "nodes": ", ".join(f"“{w}”" for w in KIND_WORDS.values()),
            "ways": ", ".join(f"“{w}”" for w in SCORING_WORDS.values()),
        }
        lines = [
            _("One row per item; the column “%(kind)s” says what the row is:"),
            _("“%(info)s”: a field of the set, named in “%(code)s”, its value in “%(text)s”."),
            _("“%(rating)s”: a rating, its code in “%(code)s”, its name in “%(text)s”, from the total in “%(min)s”."),
            _("%(nodes)s: a standard, criterion or indicator numbered in “%(code)s”, under the one in “%(parent)s”."),
            _("“%(scoring)s” is one of %(ways)s. Leave a value empty where the law does not give it."),
            _("The new set is named by the row “%(name)s”; if it is empty, by the file's name without .xlsx."),
            _("Importing always creates a new set (version 1); it never changes an existing one."),
        ]
        lines = [line % words for line in lines]
        guide.write_string(0, 0, _("How to fill in this file"), bold)
        for row, line in enumerate(lines, start=2):
            guide.write_string(row, 0, line)
        workbook.close()
        return buffer.getvalue()
