"""Domain logic is plain Python (docs/architecture.md, "Rules we keep"): the modules the docs call pure import
nothing from Django, directly or through anything they import.

Two checks over the one list below:

- static: follow every ``import`` of each module with ``ast``, recursively through ``bounceback.*`` (parent
  packages' ``__init__`` included, and imports inside functions, which a plain import would not run), and
  report the chain that reaches Django;
- at run time: import each module in a fresh interpreter with Django blocked, and check ``sys.modules``.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "bounceback"

# Every module the docs call pure (docs/architecture.md, docs/fhir.md, docs/research.md, README.md): the one
# list. A package name stands for every module under it, its tests included.
PURE_PACKAGES = ("bounceback.instruments",)
PURE_MODULES = (
    "bounceback.checkups.interpretation",
    "bounceback.checkups.pages",
    "bounceback.checkups.summary",
    "bounceback.checkups.change",
    "bounceback.plans.rules",
    "bounceback.plans.content",
    "bounceback.tracking.questions",
    "bounceback.safetyplan.steps",
    "bounceback.progress.stats",
    "bounceback.progress.series",
    "bounceback.progress.charts",
    "bounceback.progress.checkins",
    "bounceback.progress.page",
    "bounceback.progress.report",
    "bounceback.progress.tables",
    "bounceback.reminders.rules",
    "bounceback.reminders.assigned",
    "bounceback.research.bulk",
    "bounceback.research.files",
    "bounceback.research.cli",
    "bounceback.fhir.export",
    "bounceback.fhir.imports",
    "bounceback.fhir.conformance",
    "bounceback.safety.crisis",
    "bounceback.safety.rules",
    "bounceback.audit.chain",
    "bounceback.video.window",
    "bounceback.video.signals",
    "bounceback.video.ice",
    "bounceback.dashboard.caseload",
    "bounceback.dashboard.outcomes",
    "bounceback.dashboard.trend",
    "bounceback.alerts.loop",
    "bounceback.clinics.availability",
    "bounceback.clinics.hours",
    "bounceback.clinics.tokens",
    "bounceback.clinics.regions",
    "bounceback.messaging.rules",
)
# Django and the Django add-ons the project uses (each of which imports Django).
FORBIDDEN = frozenset({"django", "allauth", "axes", "csp", "django_htmx", "whitenoise", "dj_database_url"})


def _path(module: str, root: Path = ROOT) -> Path | None:
    """The source file of a module under ``root``, or None when there is none."""
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _package_modules(package: str) -> list[str]:
    directory = ROOT.joinpath(*package.split("."))
    modules = []
    for path in sorted(directory.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        modules.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return modules


def pure_modules() -> list[str]:
    modules = [m for package in PURE_PACKAGES for m in _package_modules(package)]
    return [*modules, *PURE_MODULES]


def _imports(module: str, path: Path, root: Path) -> list[str]:
    """Every module name ``path`` imports (anywhere in the file), relative imports resolved."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                parent = ".".join([*base, *([node.module] if node.module else [])])
            else:
                parent = node.module or ""
            names.append(parent)
            # ``from package import submodule`` imports the submodule too
            names += [
                f"{parent}.{alias.name}" for alias in node.names if _path(f"{parent}.{alias.name}", root)
            ]
    return names


def _with_parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[: n + 1]) for n in range(len(parts))]


def django_chain(module: str, root: Path = ROOT, project: str = "bounceback") -> list[str] | None:
    """The import chain from ``module`` to a forbidden package, or None if there is none."""
    seen: set[str] = set()
    stack: list[tuple[str, list[str]]] = [(m, [m]) for m in _with_parents(module)]
    while stack:
        name, chain = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        path = _path(name, root)
        if path is None:
            continue
        for imported in _imports(name, path, root):
            if imported.partition(".")[0] in FORBIDDEN:
                return [*chain, imported]
            if imported.partition(".")[0] == project:
                stack += [(m, [*chain, m]) for m in _with_parents(imported) if m not in seen]
    return None


@pytest.mark.parametrize("module", pure_modules())
def test_it_imports_no_django_even_indirectly(module: str) -> None:
    assert _path(module) is not None, f"{module} is listed as pure but has no source file"
    chain = django_chain(module)
    assert chain is None, f"{module} is documented as pure but imports Django: {' -> '.join(chain or [])}"


RUNTIME_CHECK = """
import importlib, json, sys, traceback
FORBIDDEN = set(sys.argv[1].split(","))
class Blocked:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in FORBIDDEN:
            raise ImportError(f"blocked import of {name}")
        return None
sys.meta_path.insert(0, Blocked())
failures = {}
for module in sys.argv[2:]:
    try:
        importlib.import_module(module)
    except BaseException as error:
        where = [f"{f.filename}:{f.lineno}" for f in traceback.extract_tb(error.__traceback__) if "bounceback" in f.filename]
        failures[module] = f"{type(error).__name__}: {error} (via {', '.join(where) or 'nothing'})"
leaked = sorted(m for m in sys.modules if m.partition(".")[0] in FORBIDDEN)
print(json.dumps({"failures": failures, "leaked": leaked}))
"""


def test_it_imports_every_pure_module_with_django_blocked() -> None:
    modules = pure_modules()
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", RUNTIME_CHECK, ",".join(sorted(FORBIDDEN)), *modules],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["failures"] == {}, "\n".join(f"{m}: {why}" for m, why in report["failures"].items())
    assert report["leaked"] == [], report["leaked"]


def test_it_checks_the_modules_the_docs_name() -> None:
    # The list must keep the modules docs/architecture.md calls pure: shrinking it would hide a regression.
    modules = set(pure_modules())
    assert "bounceback.instruments.registry" in modules
    assert "bounceback.instruments.battery" in modules
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for named in (
        "interpretation.py, pages.py and summary.py (pure)",
        "rules.py (pure: safety gate, crisis country)",
        "rules.py and content.py (pure",
        "bulk.py (pure",
    ):
        assert named in architecture, f"docs/architecture.md no longer says {named!r}: update PURE_MODULES"


def test_it_would_catch_an_indirect_django_import(tmp_path: Path) -> None:
    # A control: a pure-looking module reaching Django through a relative import, then a lazy one in a function.
    package = tmp_path / "fake"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "pure.py").write_text("from . import helper\n")
    (package / "helper.py").write_text("def f():\n    from .models import Thing\n    return Thing\n")
    (package / "models.py").write_text("from django.db import models\n\nclass Thing(models.Model): ...\n")
    (package / "clean.py").write_text("import math\n")
    chain = django_chain("fake.pure", root=tmp_path, project="fake")
    assert chain == ["fake.pure", "fake.helper", "fake.models", "django.db"]
    assert django_chain("fake.clean", root=tmp_path, project="fake") is None
    (package / "__init__.py").write_text("import django\n")  # a parent package's __init__ counts too
    assert django_chain("fake.clean", root=tmp_path, project="fake") == ["fake", "django"]
    # and the real tree: checkups.access imports Django
    assert django_chain("bounceback.checkups.access") is not None
