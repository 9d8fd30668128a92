"""The apps depend on each other in one direction only (docs/architecture.md, "Dependencies between apps").

Every .py file under ``bounceback/<app>/`` counts, management commands included, tests and migrations not. Every
import counts: top level, inside functions, under ``if TYPE_CHECKING:`` and relative imports alike.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]

LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"instruments"}),
    frozenset({"audit"}),
    frozenset({"secure"}),
    frozenset({"safety"}),
    frozenset({"accounts"}),
    frozenset({"checkups"}),
    frozenset({"plans"}),
    frozenset({"safetyplan"}),
    frozenset({"tracking"}),
    frozenset({"reminders"}),
    frozenset({"fhir", "research"}),
    frozenset({"progress"}),
    frozenset({"clinics"}),
    frozenset({"care"}),
    frozenset({"visits", "messaging", "alerts"}),
    frozenset({"video"}),
    frozenset({"dashboard"}),
    frozenset({"datarights"}),
    frozenset({"front"}),
    frozenset({"demo"}),
)
"""Lowest first. An app may import only apps in lower layers: never a higher one, nor another in its own layer."""

LAYER = {app: level for level, apps in enumerate(LAYERS) for app in apps}
Edge = tuple[str, str]


def apps() -> list[str]:
    return sorted(
        p.name
        for p in PACKAGE.iterdir()
        if (p / "__init__.py").exists() and p.name not in {"tests", "static"}
    )


def _module_of(path: Path) -> list[str]:
    parts = ["bounceback", *path.relative_to(PACKAGE).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imported(path: Path, source: str | None = None) -> list[tuple[str, int]]:
    """Every module the file imports (absolute dotted names), with its line."""
    module = _module_of(path)
    package = module if path.name == "__init__.py" else module[:-1]
    found: list[tuple[str, int]] = []
    tree = ast.parse(path.read_text() if source is None else source, filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            found.append((name, node.lineno))
            # `from bounceback import checkups` and `from . import signals` name modules, not attributes.
            found += [(f"{name}.{alias.name}", node.lineno) for alias in node.names]
    return found


def import_graph() -> dict[Edge, list[str]]:
    """App → app edges, each with the places (file:line) that make it."""
    known = set(apps())
    edges: dict[Edge, list[str]] = defaultdict(list)
    for app in sorted(known):
        for path in sorted((PACKAGE / app).rglob("*.py")):
            if {"tests", "migrations"} & set(path.relative_to(PACKAGE / app).parts):
                continue
            for name, line in _imported(path):
                parts = name.split(".")
                if len(parts) >= 2 and parts[0] == "bounceback" and parts[1] in known and parts[1] != app:
                    where = f"{path.relative_to(PACKAGE.parent)}:{line}"
                    if where not in edges[app, parts[1]]:
                        edges[app, parts[1]].append(where)
    return dict(edges)


def find_cycle(edges: set[Edge]) -> list[str] | None:
    """One cycle as a path [a, b, …, a], or None when the graph is acyclic."""
    successors: dict[str, list[str]] = defaultdict(list)
    for a, b in sorted(edges):
        successors[a].append(b)
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for nxt in successors[node]:
            if state.get(nxt) == "open":
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(successors):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def _describe(edges: dict[Edge, list[str]], pairs: list[Edge]) -> str:
    return "\n".join(f"  {a} -> {b}: {', '.join(edges[a, b])}" for a, b in pairs)


def test_every_app_has_a_place_in_the_layers() -> None:
    unplaced = sorted(set(apps()) - set(LAYER))
    assert not unplaced, f"add these apps to LAYERS (and docs/architecture.md): {unplaced}"
    gone = sorted(set(LAYER) - set(apps()))
    assert not gone, f"LAYERS names apps that no longer exist: {gone}"


def test_no_import_cycle_between_apps() -> None:
    edges = import_graph()
    cycle = find_cycle(set(edges))
    assert cycle is None, (
        "import cycle between apps: "
        + " -> ".join(cycle or [])
        + "\n"
        + _describe(edges, list(zip(cycle or [], (cycle or [])[1:], strict=False)))
    )


def test_apps_import_only_lower_layers() -> None:
    edges = import_graph()
    upward = sorted((a, b) for a, b in edges if a in LAYER and b in LAYER and LAYER[b] >= LAYER[a])
    assert not upward, (
        "imports against the dependency order (lower layers may not import higher ones, nor their own):\n"
        + _describe(edges, upward)
        + "\nlayers, lowest first: "
        + " < ".join(", ".join(sorted(layer)) for layer in LAYERS)
    )


def test_the_docs_list_the_same_layers() -> None:
    docs = (PACKAGE.parent / "docs" / "architecture.md").read_text()
    order = " < ".join(", ".join(sorted(layer)) for layer in LAYERS)
    assert f"`{order}`" in docs, f"docs/architecture.md must give the order as `{order}`"


def test_the_checker_sees_imports_everywhere_in_a_file() -> None:
    """Function-level, TYPE_CHECKING and relative imports all count (a cycle must not hide in one)."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from bounceback.front import views\n"
        "def f():\n    import bounceback.plans.rules\n"
        "from ..research import bulk\n"
        "from bounceback import fhir\n"
        "from .models import CheckUp\n"
    )
    names = {name for name, _line in _imported(PACKAGE / "checkups" / "probe.py", source)}
    assert {
        "bounceback.front",
        "bounceback.plans.rules",
        "bounceback.research",
        "bounceback.fhir",
        "bounceback.checkups.models",
    } <= names
    assert find_cycle({("a", "b"), ("b", "c"), ("c", "a")}) == ["a", "b", "c", "a"]
    assert find_cycle({("a", "b"), ("a", "c"), ("b", "c")}) is None
