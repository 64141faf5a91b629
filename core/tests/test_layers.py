"""The layers run one way, names in strings included.

import-linter (`lint-imports`, run by CI and `make lint`) checks the imports against the contract in
pyproject.toml. What it cannot see are modules and models named in strings: `apps.get_model(...)`,
`import_string(...)`, a relation's target ("registry.Household") and a migration's dependencies.
This test reads those strings and holds them to the same order.
"""

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


def contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers_contract,) = [c for c in config["contracts"] if c["type"] == "layers"]
    return layers_contract


def layers_bottom_up() -> list[str]:
    return list(reversed(contract()["layers"]))


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _strings(nodes) -> list[str]:
    return [n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def named_packages(source: str) -> list[tuple[int, str]]:
    """(line, top-level package) for every module or model a string names in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name, args = _call_name(node), _strings(node.args[:2])
            if name == "get_model" and args:
                found.append((node.lineno, args[0].split(".")[0]))
            elif name == "import_string" and args:
                found.append((node.lineno, args[0].split(".")[0]))
            elif name in RELATIONS and args and "." in args[0]:
                found.append((node.lineno, args[0].split(".")[0]))
        elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "dependencies" for t in node.targets):
            for element in getattr(node.value, "elts", []):
                label = _strings(getattr(element, "elts", [])[:1])
                if label:
                    found.append((element.lineno, label[0]))
    return found


def upward_names(layers: list[str]) -> list[str]:
    rank = {package: index for index, package in enumerate(layers)}
    problems = []
    for package in layers:
        for path in sorted((ROOT / package).rglob("*.py")):
            for line, named in named_packages(path.read_text()):
                if named in rank and rank[named] > rank[package]:
                    problems.append(f"{path.relative_to(ROOT)}:{line} names {named}, a higher layer")
    return problems


def test_the_contract_lists_every_layer_and_no_exceptions():
    layers = contract()
    assert layers_bottom_up() == [
        "core",
        "audit",
        "areas",
        "accounts",
        "criteria",
        "registry",
        "evaluations",
        "awards",
        "stats",
        "imports",
        "documents",
        "dashboards",
        "portal",
        "api",
        "khuyenhoc",
    ]
    assert "ignore_imports" not in layers
    assert not layers.get("exhaustive_ignores")


def test_no_string_names_a_higher_layer():
    assert upward_names(layers_bottom_up()) == []


@pytest.mark.parametrize(
    "source",
    [
        'apps.get_model("stats", "Fact")',
        'apps.get_model("stats.Fact")',
        'import_string("stats.importing.AggregateImporter")',
        'models.ForeignKey("stats.Fact", on_delete=None)',
        'dependencies = [("stats", "0001_initial")]',
    ],
)
def test_the_check_sees_each_kind_of_string(source):
    assert named_packages(source) == [(1, "stats")]
