"""Associations' branches and boards from a spreadsheet, checked by the validators of the list's own
services (registry/network_units.py), looked up a batch at a time.

A row names its association by the code of the association's area and its name, and the branch or
board by its name in that association (case and diacritics ignored): the same key the list's page
keeps unique, so that uploading a file again changes nothing. A row may give one year's members.
The place a unit sits in (a village, a clan, an agency or school) is read by its code, as its kind
says. Saved, each association's yearly figures are counted from its list, as on the page.
"""

import io
from collections import defaultdict

import xlsxwriter
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.roles import Perm
from areas.models import AdministrativeUnit, Village, VillagePlacement
from core.importers import Importer, Outcome
from core.parsing import cell_text, choice_names
from core.readers import Column
from core.text import fold

from .models import Association, Clan, NetworkUnit, NetworkUnitKind, Organisation
from .network import FIGURE_MAX, clean_count, clean_year
from .network_units import (
    PLACE_OF_KIND,
    UnitChange,
    check_place,
    clean_years,
    network_units_save_many,
    snapshot,
)
from .validation import clean_name, clean_optional_name

SHEET = "Chi hội, ban"
COLUMNS = [
    ("area", "Mã địa bàn"),
    ("area_name", "Tên địa bàn"),
    ("association", "Tên hội"),
    ("kind", "Loại"),
    ("name", "Tên chi hội, ban"),
    ("place", "Mã thôn, dòng họ hoặc đơn vị"),
    ("head_name", "Người đứng đầu"),
    ("opened_year", "Năm thành lập"),
    ("last_year", "Năm cuối hoạt động"),
    ("year", "Năm của số hội viên"),
    ("members", "Số hội viên"),
]
OPTIONAL = ("area_name", "place", "head_name", "last_year", "year", "members")
LAST_TEMPLATE_ROW = 100000
# Where the code of a unit's place is looked for, by the field its kind names.
PLACE_MODELS = {"village": Village, "clan": Clan, "organisation": Organisation}


class NetworkUnitImporter(Importer):
    kind = "network_units"
    perm = Perm.MANAGE_REGISTRIES
    columns = [Column(key, header, required=key not in OPTIONAL) for key, header in COLUMNS]

    def __init__(self, *, user):
        super().__init__(user=user)
        self.kind_names = choice_names(NetworkUnitKind)
        self.first_row_of_key = {}

    def classify(self, batch, outcome: Outcome):
        """The changes a batch asks for; errors go to `outcome`. One query per lookup, not per row."""
        associations = self._associations(batch)
        places = self._places(batch)
        existing = defaultdict(list)
        listed = NetworkUnit.objects.filter(association__in=[a for found in associations.values() for a in found[0]])
        for unit in listed.select_related("village", "clan", "organisation").prefetch_related("years"):
            existing[(unit.association_id, fold(unit.name))].append(unit)
        changes = []
        for number, values in batch:
            association = self._association(outcome, number, values, associations)
            clean = self._clean(outcome, number, values, places)
            if association is None or clean is None:
                continue
            change = self._change(outcome, number, association, clean, existing)
            if change is not None:
                changes.append(change)
        return changes

    def _associations(self, batch) -> dict:
        """{area code: (the associations of areas of that code the user may see, all of them)}."""
        codes = {cell_text(values.get("area")) for _number, values in batch} - {""}
        found = {
            code: ([], []) for code in AdministrativeUnit.objects.filter(code__in=codes).values_list("code", flat=True)
        }
        everything = Association.objects.filter(area__code__in=codes).select_related("area")
        visible = set(
            Association.objects.visible_to(self.user).filter(area__code__in=codes).values_list("pk", flat=True)
        )
        for association in everything:
            seen, every = found[association.area.code]
            every.append(association)
            if association.pk in visible:
                seen.append(association)
        return found

    def _association(self, outcome: Outcome, number: int, values: dict, associations: dict):
        code, name = cell_text(values.get("area")), cell_text(values.get("association"))
        if code not in associations:
            message = _("Unknown unit code “%(code)s”.") % {"code": code} if code else _("Enter the unit code.")
            self.error(outcome, number, "area", message)
            return None
        if not name:
            self.error(outcome, number, "association", _("Enter the name."))
            return None
        seen, every = associations[code]
        matches = [association for association in seen if fold(association.name) == fold(name)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            message = _("%(unit)s has several associations of this name: rename them on the network page first.")
            self.error(outcome, number, "association", message % {"unit": matches[0].area})
        elif any(fold(association.name) == fold(name) for association in every):
            self.error(outcome, number, "association", _("%(unit)s is outside your area.") % {"unit": name})
        else:
            message = _("No association named “%(name)s” in the unit of code %(code)s.")
            self.error(outcome, number, "association", message % {"name": name, "code": code})
        return None

    def _places(self, batch) -> dict:
        """{(place field, code): the village, clan or unit of that code the user may see, with the
        paths of the areas it sits in}: one query for each field."""
        wanted = defaultdict(set)
        for _number, values in batch:
            kind = self.kind_names.get(fold(cell_text(values.get("kind"))))
            if kind is not None and cell_text(values.get("place")):
                wanted[PLACE_OF_KIND[kind]].add(cell_text(values.get("place")))
        found = {}
        if wanted["village"]:
            placements = Prefetch("placements", queryset=VillagePlacement.objects.only("village_id", "commune_path"))
            villages = Village.objects.visible_to(self.user).filter(code__in=wanted["village"])
            for village in villages.prefetch_related(placements):
                found[("village", village.code)] = (village, [p.commune_path for p in village.placements.all()])
        if wanted["clan"]:
            for clan in Clan.objects.visible_to(self.user).filter(code__in=wanted["clan"]).select_related("commune"):
                found[("clan", clan.code)] = (clan, [clan.commune.path])
        if wanted["organisation"]:
            organisations = Organisation.objects.visible_to(self.user).filter(code__in=wanted["organisation"])
            for organisation in organisations.select_related("area"):
                found[("organisation", organisation.code)] = (organisation, [organisation.area.path])
        return found

    def _clean(self, outcome: Outcome, number: int, values: dict, places: dict) -> dict | None:
        """The row's unit fields and members, each checked as the list's page checks it; None with
        the errors in `outcome`."""
        errors = []
        clean = {}
        clean["kind"] = self.kind_names.get(fold(cell_text(values.get("kind"))))
        if clean["kind"] is None:
            errors.append(("kind", ValidationError(_("Choose the kind of branch or board."))))
        for key, validator in (
            ("name", lambda value: clean_name(value, max_length=200)),
            ("head_name", clean_optional_name),
        ):
            try:
                clean[key] = validator(values.get(key))
            except ValidationError as error:
                errors.append((key, error))
        try:
            clean["opened_year"], clean["last_year"] = clean_years(values.get("opened_year"), values.get("last_year"))
        except ValidationError as error:
            errors.extend((key, ValidationError(messages)) for key, messages in error.message_dict.items())
        clean["year"] = None
        if cell_text(values.get("year")):
            try:
                clean["year"] = clean_year(values.get("year"))
            except ValidationError as error:
                errors.append(("year", error))
        try:
            clean["members"] = clean_count(values.get("members"), required=False, max_value=FIGURE_MAX["members"])
        except ValidationError as error:
            errors.append(("members", error))
        if clean.get("members") is not None and not cell_text(values.get("year")):
            errors.append(("year", ValidationError(_("Give the year of the members."))))
        clean["place"] = None
        code = cell_text(values.get("place"))
        if clean["kind"] is not None and code:
            field = PLACE_OF_KIND[clean["kind"]]
            clean["place"] = places.get((field, code))
            if clean["place"] is None:
                errors.append(("place", ValidationError(self._unknown_place(field, code))))
        for key, error in errors:
            self.error(outcome, number, key, error)
        return None if errors else clean

    @staticmethod
    def _unknown_place(field: str, code: str) -> str:
        if field == "village":
            return _("Unknown village codes, or villages outside your area: %(codes)s.") % {"codes": code}
        if field == "clan":
            return _("Unknown clan code “%(code)s”.") % {"code": code}
        return _("Unknown unit code “%(code)s”.") % {"code": code}

    def _change(self, outcome: Outcome, number: int, association, clean: dict, existing: dict) -> UnitChange | None:
        kind, place = clean["kind"], clean["place"]
        fields = {field: None for field in PLACE_MODELS}
        if place is not None:
            fields[PLACE_OF_KIND[kind]] = place[0]

        def inside(_field, _place) -> bool:
            return any(path.startswith(association.area.path) for path in place[1])

        try:
            check_place(association, kind, fields, inside=inside)
        except ValidationError as error:
            for messages in error.message_dict.values():
                self.error(outcome, number, "place", ValidationError(messages))
            return None
        key = (association.pk, fold(clean["name"]))
        first = self.first_row_of_key.setdefault(key, number)
        if first != number:
            self.error(outcome, number, "name", _("The same branch or board as row %(row)d.") % {"row": first})
            return None
        matches = existing.get(key, [])
        if len(matches) > 1:
            message = _(
                "%(association)s has several branches or boards named “%(name)s”: rename them on its list first."
            )
            self.error(outcome, number, "name", message % {"association": association, "name": clean["name"]})
            return None
        unit = matches[0] if matches else None
        before = snapshot(unit) if unit else None
        members = dict(before["members"]) if before else {}
        if clean["year"] is not None:
            if clean["members"] is None:
                members.pop(str(clean["year"]), None)
            else:
                members[str(clean["year"])] = clean["members"]
        values = {
            "kind": kind,
            "name": clean["name"],
            "head_name": clean["head_name"],
            "opened_year": clean["opened_year"],
            "last_year": clean["last_year"],
            **fields,
        }
        after = snapshot(NetworkUnit(association=association, **values), members)
        label = f"{clean['name']} ({association})"
        if unit is None:
            outcome.count("create", {"row": number, "code": label, **after})
        elif before == after:
            outcome.count("unchanged")
            return None
        else:
            outcome.count("update", {"row": number, "code": label, "before": before, "after": after})
        return UnitChange(unit, association, values, before, after)

    def apply(self, changes, *, actor, job):
        """Write one batch through the list's bulk service."""
        network_units_save_many(changes=changes, actor=actor, source=job.audit_source, reason=job.audit_reason)

    def template(self) -> bytes:
        """The upload template: the user's branches and boards already listed, one a row; the
        associations, villages, clans and units of the user's area on sheets of their own, the
        associations' areas and the kinds as dropdowns."""
        buffer = io.BytesIO()
        # Names are text even when they start with "=" (core.spreadsheets).
        workbook = xlsxwriter.Workbook(
            buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        )
        sheet = workbook.add_worksheet(SHEET)
        bold = workbook.add_format({"bold": True})
        headers = [header for _key, header in COLUMNS]
        sheet.write_row(0, 0, headers, bold)
        sheet.set_column(0, 0, 12, workbook.add_format({"num_format": "@"}))
        sheet.set_column(1, len(headers) - 1, 20)
        sheet.freeze_panes(1, 0)
        with translation.override("vi"):
            kinds = {choice.value: str(choice.label) for choice in NetworkUnitKind}
        units = NetworkUnit.objects.visible_to(self.user).select_related(
            "association__area", "village", "clan", "organisation"
        )
        for number, unit in enumerate(
            units.order_by("association__area__path", "association__name", "kind", "name"), 1
        ):
            place = unit.village or unit.clan or unit.organisation
            area = unit.association.area
            row = [area.code, area.name, unit.association.name, kinds[unit.kind], unit.name]
            row += [place.code if place else "", unit.head_name, unit.opened_year, unit.last_year]
            for column, value in enumerate(row):
                if value not in ("", None):
                    sheet.write(number, column, value)
        associations = Association.objects.visible_to(self.user).order_by("area__path", "level", "name")
        count = self._list_sheet(
            workbook, "Hội", headers[:3], associations.values_list("area__code", "area__name", "name"), bold
        )
        if count:
            self._dropdown(sheet, 0, f"='Hội'!$A$2:$A${count + 1}")
        self._dropdown(sheet, 3, list(kinds.values()))
        code_and_name = ["Mã", "Tên"]
        for name, model in (("Thôn", Village), ("Dòng họ", Clan), ("Đơn vị", Organisation)):
            rows = model.objects.visible_to(self.user).order_by("code").values_list("code", "name")
            self._list_sheet(workbook, name, code_and_name, rows, bold)
        workbook.close()
        return buffer.getvalue()

    @staticmethod
    def _list_sheet(workbook, name: str, headers: list[str], rows, bold) -> int:
        """A sheet of choices for the template; returns how many rows it has."""
        sheet = workbook.add_worksheet(name)
        sheet.set_column(0, 0, 14)
        sheet.set_column(1, len(headers) - 1, 32)
        sheet.write_row(0, 0, headers, bold)
        count = 0
        for count, row in enumerate(rows.iterator(), start=1):
            sheet.write_row(count, 0, [str(value) for value in row])
        return count

    @staticmethod
    def _dropdown(sheet, column: int, source) -> None:
        sheet.data_validation(1, column, LAST_TEMPLATE_ROW, column, {"validate": "list", "source": source})
