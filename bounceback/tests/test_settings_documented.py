"""Every environment variable the settings read is documented for operators (docs/operators.md)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "bounceback" / "settings.py"
OPERATORS = ROOT / "docs" / "operators.md"

HELPERS = {"envbool", "envint", "envsecret", "envlist"}
"""settings.py's readers: each takes the variable's name first; envsecret also reads NAME_FILE."""


def _is_environ(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ"


def _reads(call: ast.Call) -> tuple[bool, list[str]]:
    """Whether ``call`` reads the environment, and the names it reads (when they are literal)."""
    func = call.func
    first = call.args[0] if call.args else None
    literal = [first.value] if isinstance(first, ast.Constant) and isinstance(first.value, str) else []
    if isinstance(func, ast.Name) and func.id in HELPERS:
        return True, literal + ([f"{literal[0]}_FILE"] if func.id == "envsecret" and literal else [])
    if isinstance(func, ast.Attribute):
        if func.attr in {"get", "pop", "setdefault"} and _is_environ(func.value):
            return True, literal
        if func.attr == "getenv":
            return True, literal
        if (
            func.attr in {"config", "parse"}
            and isinstance(func.value, ast.Name)
            and func.value.id == "dj_database_url"
        ):
            env = next((k.value for k in call.keywords if k.arg == "env"), None)
            return True, [str(env.value)] if isinstance(env, ast.Constant) else ["DATABASE_URL"]
    return False, []


def environment_variables() -> set[str]:
    tree = ast.parse(SETTINGS.read_text(encoding="utf-8"), filename=str(SETTINGS))
    names: set[str] = set()
    unknown: list[int] = []
    helper_lines = {
        line
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name in HELPERS
        for line in range(node.lineno, (node.end_lineno or node.lineno) + 1)
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.expr):
            continue
        found: tuple[bool, list[str]] = (False, [])
        if isinstance(node, ast.Call):
            found = _reads(node)
        elif isinstance(node, ast.Subscript) and _is_environ(node.value):
            key = node.slice
            found = (
                True,
                [key.value] if isinstance(key, ast.Constant) and isinstance(key.value, str) else [],
            )
        reads, literal = found
        if reads and not literal and node.lineno not in helper_lines:
            unknown.append(node.lineno)
        names.update(literal)
    assert not unknown, f"settings.py reads the environment with a computed name at line(s) {unknown}"
    return names


def test_it_finds_the_settings_reads() -> None:
    # The parser must see the reads that exist, or the next test would pass on nothing.
    names = environment_variables()
    assert {"BOUNCEBACK_ENV", "SECRET_KEY", "SECRET_KEY_FILE", "DATABASE_URL", "SESSION_COOKIE_AGE"} <= names
    assert {"SECURE_HSTS_SECONDS", "LOG_LEVEL", "BOUNCEBACK_DEFAULT_COUNTRY"} <= names
    assert len(names) >= 25


def test_it_documents_every_environment_variable_for_operators() -> None:
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]*)`", OPERATORS.read_text(encoding="utf-8")))
    missing = sorted(environment_variables() - documented)
    assert not missing, f"settings.py reads {missing}: document them in docs/operators.md (settings table)"
