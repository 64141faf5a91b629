"""A criteria set as YAML text, and back into a new set.

The text is deterministic (keys in a fixed order, every key written even when empty, criteria
nested in reading order), so exporting a set, importing the file and exporting the new set gives
the same text but for the first line, a comment naming the set and its version. Reading checks
everything before anything is created, and says where each problem is as a path through the
file, e.g. `nodes[0].children[1].max_points`.
"""

from dataclasses import dataclass
from decimal import Decimal

import yaml
from django.utils.translation import gettext as _

from .validation import (
    BAND_VALIDATORS,
    NODE_VALIDATORS,
    SET_VALIDATORS,
    BandValues,
    NodeValues,
    check_definition,
    clean_values,
)

MAX_BYTES = 1024 * 1024
# Far beyond any set the law describes; a bound that YAML aliases cannot multiply past.
MAX_NODES = 2000
MAX_DEPTH = 6
SET_KEYS = list(SET_VALIDATORS)
NODE_KEYS = ["code", "kind", "name", "scoring", "max_points", "min_points", "level", "children"]
BAND_KEYS = list(BAND_VALIDATORS)


@dataclass(frozen=True)
class FileProblem:
    place: str  # where in the file: a key, or a path such as nodes[0].children[1].code
    message: str
    code: str


class InvalidSetFile(Exception):
    def __init__(self, problems: list[FileProblem]):
        super().__init__(problems)
        self.problems = problems


class _Dumper(yaml.SafeDumper):
    """Block style for texts of several lines, so that a note reads as it was written."""


def _text(dumper, value):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def set_to_yaml(criteria_set) -> str:
    nodes = list(criteria_set.nodes.order_by("position", "id"))
    parts = {}
    for node in nodes:
        parts.setdefault(node.parent_id, []).append(node)

    def as_dict(node):
        return {
            "code": node.code,
            "kind": node.kind,
            "name": node.name,
            "scoring": node.scoring,
            "max_points": _number(node.max_points),
            "min_points": _number(node.min_points),
            "level": node.level,
            "children": [as_dict(part) for part in parts.get(node.pk, [])],
        }

    data = {key: getattr(criteria_set, key) for key in SET_KEYS}
    data["pass_total"] = _number(criteria_set.pass_total)
    data["recognised_results"] = list(criteria_set.recognised_results)
    data["bands"] = [
        {"code": b.code, "label": b.label, "min_total": _number(b.min_total)}
        for b in criteria_set.bands.order_by("position", "id")
    ]
    data["nodes"] = [as_dict(node) for node in parts.get(None, [])]
    header = f"# Bộ tiêu chí: {criteria_set.name}, phiên bản {criteria_set.version}\n"
    return header + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def read_set_yaml(content: bytes) -> tuple[dict, list[BandValues], list[NodeValues]]:
    """The cleaned fields, ratings and criteria of a set file. Raises InvalidSetFile listing every problem."""
    if len(content) > MAX_BYTES:
        raise InvalidSetFile(
            [FileProblem("", _("The file is larger than 1 MB: it is not a criteria set."), "too_large")]
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidSetFile([FileProblem("", _("The file is not UTF-8 text."), "encoding")]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        place = _("line %(line)d") % {"line": mark.line + 1} if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise InvalidSetFile(
            [FileProblem(place, _("This is not valid YAML: %(problem)s.") % {"problem": problem}, "syntax")]
        ) from None
    if not isinstance(data, dict):
        raise InvalidSetFile([FileProblem("", _("The file does not describe a criteria set."), "structure")])
    reader = _Reader()
    return reader.read(data)


class _Reader:
    def __init__(self):
        self.problems: list[FileProblem] = []
        self.node_places: list[str] = []
        self.visited = 0

    def problem(self, place: str, message: str, code: str) -> None:
        self.problems.append(FileProblem(place, message, code))

    def unknown_keys(self, data: dict, known: list[str], place: str) -> None:
        for key in data:
            if key not in known:
                where = f"{place}.{key}" if place else str(key)
                self.problem(
                    where, _("Unknown key: the keys here are %(keys)s.") % {"keys": ", ".join(known)}, "unknown_key"
                )

    def read(self, data: dict):
        self.unknown_keys(data, [*SET_KEYS, "bands", "nodes"], "")
        fields, errors = clean_values(SET_VALIDATORS, data)
        for field, error in errors:
            self.problem(field, " ".join(error.messages), error.code)
        bands = [self.band(item, f"bands[{index}]") for index, item in enumerate(self.items(data, "bands"))]
        nodes: list[NodeValues] = []
        for index, item in enumerate(self.items(data, "nodes")):
            self.node(item, f"nodes[{index}]", "", nodes, depth=1)
        if self.problems:
            raise InvalidSetFile(self.problems)
        for found in check_definition(fields, bands, nodes):
            if found.part == "set":
                place = found.field
            else:
                place = f"{found.part}s[{found.index}]" if found.part == "band" else self.node_places[found.index]
                place += f".{found.field}" if found.field != "parent_code" else ""
            self.problem(place, " ".join(found.error.messages), found.error.code)
        if self.problems:
            raise InvalidSetFile(self.problems)
        return fields, bands, nodes

    def items(self, data: dict, key: str) -> list:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, _("Write a list here."), "structure")
            return []
        return value

    def band(self, item, place: str):
        if not isinstance(item, dict):
            self.problem(place, _("Write a rating as code, label and min_total."), "structure")
            return None
        self.unknown_keys(item, BAND_KEYS, place)
        clean, errors = clean_values(BAND_VALIDATORS, item)
        for field, error in errors:
            self.problem(f"{place}.{field}", " ".join(error.messages), error.code)
        return None if errors else BandValues(**clean)

    def node(self, item, place: str, parent_code: str, nodes: list, depth: int) -> None:
        self.visited += 1
        if self.visited > MAX_NODES or depth > MAX_DEPTH:
            if not any(p.code == "too_many" for p in self.problems):
                self.problem(
                    place,
                    _("A set has at most %(nodes)d criteria, %(depth)d levels deep.")
                    % {"nodes": MAX_NODES, "depth": MAX_DEPTH},
                    "too_many",
                )
            return
        if not isinstance(item, dict):
            self.problem(place, _("Write a criterion as code, kind, name, scoring and its points."), "structure")
            return
        self.unknown_keys(item, NODE_KEYS, place)
        clean, errors = clean_values(NODE_VALIDATORS, {**item, "parent_code": parent_code})
        for field, error in errors:
            self.problem(f"{place}.{field}", " ".join(error.messages), error.code)
        if not errors:
            nodes.append(NodeValues(**clean))
            self.node_places.append(place)
        children = item.get("children") or []
        if not isinstance(children, list):
            self.problem(f"{place}.children", _("Write a list here."), "structure")
            return
        for index, child in enumerate(children):
            self.node(child, f"{place}.children[{index}]", clean.get("code", ""), nodes, depth + 1)
