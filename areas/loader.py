"""Load both trees and the old → new mapping from the `vietnamadminunits` package.

Idempotent: units are matched on (tree, code) and successions on (old, new); only what is
missing is created and only what differs is updated, so a second run writes nothing.
"""

import datetime
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import vietnamadminunits
from django.db import transaction

from core.text import nfc

from .models import TREE_PATH_DIGIT, AdministrativeUnit, Level, SuccessionKind, Tree, UnitKind, UnitSuccession

PACKAGE_DATA = Path(vietnamadminunits.__file__).parent / "data"
LAST_DAY_OLD_TREE = datetime.date(2025, 6, 30)
FIRST_DAY_NEW_TREE = datetime.date(2025, 7, 1)

DISTRICT_KINDS = {
    "Huyện": UnitKind.DISTRICT,
    "Quận": UnitKind.URBAN_DISTRICT,
    "Thị xã": UnitKind.DISTRICT_TOWN,
    "Thành phố": UnitKind.PROVINCIAL_CITY,
}
COMMUNE_KINDS = {
    "Xã": UnitKind.COMMUNE,
    "Phường": UnitKind.WARD,
    "Thị trấn": UnitKind.TOWN,
    "Đặc khu": UnitKind.SPECIAL_ZONE,
}
UNIT_FIELDS = [
    "level",
    "kind",
    "name",
    "short_name",
    "parent",
    "path",
    "valid_from",
    "valid_to",
    "latitude",
    "longitude",
    "area_km2",
    "search_name",
    "sort_key",
]
# Compared through the key, so that checking a parent costs no query.
COMPARED_FIELDS = [f"{f}_id" if f == "parent" else f for f in UNIT_FIELDS]


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    successions_created: int = 0
    successions_updated: int = 0


def _province_kind(name: str) -> str:
    return UnitKind.CITY if name.startswith("Thành phố") else UnitKind.PROVINCE


def _title_case_prefix(name: str) -> str:
    # The package writes "Thành Phố Bắc Kạn" for some district-level cities; keep the kind word as in law.
    for word in ("Thành Phố ", "Thị Xã ", "Thị Trấn "):
        if name.startswith(word):
            return word[0] + word[1:].lower() + name[len(word) :]
    return name


def _read_package():
    connection = sqlite3.connect(PACKAGE_DATA / "dataset.db")
    connection.row_factory = sqlite3.Row
    try:
        legacy = connection.execute(
            "SELECT * FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
        ).fetchall()
        current = connection.execute("SELECT * FROM admin_units ORDER BY provinceCode, wardCode").fetchall()
    finally:
        connection.close()
    mapping = json.loads((PACKAGE_DATA / "converter_2025.json").read_text(encoding="utf-8"))
    return legacy, current, mapping


def _wanted_units(legacy, current):
    """Yield (tree, code, parent code, fields) for every unit, parents before children."""
    yield from _old_tree_units(legacy)
    yield from _new_tree_units(current)


def _old_tree_units(legacy):
    seen = set()  # provinces and districts yielded already: the package repeats them on each commune's row
    for row in legacy:
        province_code, district_code = row["provinceCode"], row["districtCode"]
        common = {"valid_from": None, "valid_to": LAST_DAY_OLD_TREE, "area_km2": None}
        if province_code not in seen:
            seen.add(province_code)
            yield _province(Tree.PRE_2025, row, common)
        if district_code not in seen:
            seen.add(district_code)
            yield _old_district(row, common)
        if row["wardCode"]:
            yield _old_commune(row, common)


def _new_tree_units(current):
    seen = set()
    for row in current:
        common = {"valid_from": FIRST_DAY_NEW_TREE, "valid_to": None}
        if row["provinceCode"] not in seen:
            seen.add(row["provinceCode"])
            yield _province(Tree.Y2025, row, {**common, "area_km2": None})
        yield _new_commune(row, common)


def _province(tree, row, common):
    return (
        tree,
        row["provinceCode"],
        None,
        {
            **common,
            "level": Level.PROVINCE,
            "kind": _province_kind(row["province"]),
            "name": nfc(row["province"]),
            "short_name": nfc(row["provinceShort"]),
            "path": TREE_PATH_DIGIT[tree] + row["provinceCode"],
            "latitude": row["provinceLat"],
            "longitude": row["provinceLon"],
        },
    )


def _old_district(row, common):
    return (
        Tree.PRE_2025,
        row["districtCode"],
        row["provinceCode"],
        {
            **common,
            "level": Level.DISTRICT,
            "kind": DISTRICT_KINDS[row["districtType"]],
            "name": nfc(_title_case_prefix(row["district"])),
            "short_name": nfc(row["districtShort"]),
            "path": TREE_PATH_DIGIT[Tree.PRE_2025] + row["provinceCode"] + row["districtCode"],
            "latitude": row["districtLat"],
            "longitude": row["districtLon"],
        },
    )


def _old_commune(row, common):
    return (
        Tree.PRE_2025,
        row["wardCode"],
        row["districtCode"],
        {
            **common,
            "level": Level.COMMUNE,
            "kind": COMMUNE_KINDS[row["wardType"]],
            "name": nfc(row["ward"]),
            "short_name": nfc(row["wardShort"]),
            "path": TREE_PATH_DIGIT[Tree.PRE_2025] + row["provinceCode"] + row["districtCode"] + row["wardCode"],
            "latitude": row["wardLat"],
            "longitude": row["wardLon"],
        },
    )


def _new_commune(row, common):
    return (
        Tree.Y2025,
        row["wardCode"],
        row["provinceCode"],
        {
            **common,
            "level": Level.COMMUNE,
            "kind": COMMUNE_KINDS[row["wardType"]],
            "name": nfc(row["ward"]),
            "short_name": nfc(row["wardShort"]),
            "path": TREE_PATH_DIGIT[Tree.Y2025] + row["provinceCode"] + row["wardCode"],
            "latitude": row["wardLat"],
            "longitude": row["wardLon"],
            "area_km2": row["wardAreaKm2"],
        },
    )


def _wanted_successions(legacy, current, mapping):
    """Yield (old (tree, code), new (tree, code), kind, is_default) from the package's name keys."""
    old_by_key = {}
    old_province_by_key = {}
    districts_by_province = {}
    for row in legacy:
        key = f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey'] or ''}"
        # A district without communes (island districts) is keyed by the district itself.
        old_by_key[key] = row["wardCode"] or row["districtCode"]
        old_province_by_key[row["provinceKey"]] = row["provinceCode"]
        districts_by_province.setdefault(row["provinceCode"], set()).add(row["districtCode"])
    new_by_key = {(row["provinceKey"], row["wardKey"]): row["wardCode"] for row in current}
    new_province_by_key = {row["provinceKey"]: row["provinceCode"] for row in current}

    for new_province_key, old_province_keys in mapping["DICT_PROVINCE"].items():
        new_province = new_province_by_key[new_province_key]
        for old_province_key in old_province_keys:
            old_province = old_province_by_key[old_province_key]
            yield old_province, new_province, SuccessionKind.WHOLE, True
            for district in sorted(districts_by_province[old_province]):
                yield district, new_province, SuccessionKind.ABOLISHED_LEVEL, True
    for new_province_key, wards in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward_key, old_keys in wards.items():
            new_code = new_by_key[(new_province_key, new_ward_key)]
            for old_key in old_keys:
                yield old_by_key[old_key], new_code, SuccessionKind.WHOLE, True
    for new_province_key, olds in mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, candidates in olds.items():
            for candidate in candidates:
                new_code = new_by_key[(new_province_key, candidate["newWardKey"])]
                yield old_by_key[old_key], new_code, SuccessionKind.DIVIDED, bool(candidate["isDefaultNewWard"])


@transaction.atomic
def load_administrative_units() -> LoadResult:
    legacy, current, mapping = _read_package()
    result = LoadResult()
    by_key = _load_units(list(_wanted_units(legacy, current)), result)
    _load_successions(_wanted_successions(legacy, current, mapping), by_key, result)
    return result


def _load_units(wanted, result: LoadResult) -> dict:
    """Creates and updates the units; returns every unit by (tree, code)."""
    by_key = {(u.tree, u.code): u for u in AdministrativeUnit.objects.all()}
    # Level by level, so that every parent has its primary key before its children refer to it.
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        to_create, to_update = [], []
        for tree, code, parent_code, fields in wanted:
            if fields["level"] != level:
                continue
            parent = by_key[(tree, parent_code)] if parent_code else None
            candidate = AdministrativeUnit(tree=tree, code=code, parent=parent, **fields)
            candidate.refresh_search_fields()
            unit = by_key.get((tree, code))
            if unit is None:
                to_create.append(candidate)
            elif any(getattr(unit, f) != getattr(candidate, f) for f in COMPARED_FIELDS):
                for field in UNIT_FIELDS:
                    setattr(unit, field, getattr(candidate, field))
                to_update.append(unit)
            else:
                result.unchanged += 1
        AdministrativeUnit.objects.bulk_create(to_create, batch_size=2000)
        AdministrativeUnit.objects.bulk_update(to_update, UNIT_FIELDS, batch_size=1000)
        result.created += len(to_create)
        result.updated += len(to_update)
        if to_create:
            by_key = {(u.tree, u.code): u for u in AdministrativeUnit.objects.all()}
    return by_key


def _load_successions(wanted, by_key: dict, result: LoadResult) -> None:
    existing_successions = {(s.predecessor_id, s.successor_id): s for s in UnitSuccession.objects.all()}
    new_rows, changed_rows = [], []
    seen = set()
    for old_code, new_code, kind, is_default in wanted:
        old = by_key[(Tree.PRE_2025, old_code)]
        new = by_key[(Tree.Y2025, new_code)]
        if (old.pk, new.pk) in seen:
            continue
        seen.add((old.pk, new.pk))
        row = existing_successions.get((old.pk, new.pk))
        if row is None:
            new_rows.append(UnitSuccession(predecessor=old, successor=new, kind=kind, is_default=is_default))
        elif row.kind != kind or row.is_default != is_default:
            row.kind, row.is_default = kind, is_default
            changed_rows.append(row)
    UnitSuccession.objects.bulk_create(new_rows, batch_size=2000)
    UnitSuccession.objects.bulk_update(changed_rows, ["kind", "is_default"], batch_size=1000)
    result.successions_created = len(new_rows)
    result.successions_updated = len(changed_rows)
