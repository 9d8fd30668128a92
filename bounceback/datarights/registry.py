"""What every app keeps about a person, in one place: each app says so in its own ``personal.py``.

The export and the account deletion read this registry, never a list of their own, so a new app's data is in
both as soon as the app describes it; and ``datarights/tests/test_coverage.py`` walks every installed model with
a foreign-key path to the user model and fails, naming the model, when no ``personal.py`` covers it.

A ``bounceback/<app>/personal.py`` defines (its app stays below ``datarights``: it imports nothing from here):

``TABLES``
    A tuple of ``(name, model, columns, rows)``, one per table of the export: ``name`` is the JSON key and the
    CSV file's name (unique across apps), ``model`` the model whose rows it holds, ``columns`` the column names
    in order, and ``rows(user)`` an iterable of dicts with exactly those keys, for that person only. Values are
    ``str``, ``int``, ``float``, ``Decimal``, ``bool``, ``None``, ``date``, ``time``, ``datetime``, ``UUID``, or lists and
    dicts of these (JSON fields). Never a secret (password hashes, two-factor secrets, session keys).
``NOT_EXPORTED`` (optional)
    ``{model: why}`` for a model linked to the person whose rows are deliberately not in the export.
``erase(user)``
    Deletes everything the app keeps about the person and returns the number of rows deleted by model label.
    Called only by ``datarights.actions.delete_account``, inside its one transaction, app by app in the reverse
    of ``INSTALLED_APPS`` (so ``accounts``, first installed, goes last: it deletes the user itself).
``ERASED``
    The models ``erase`` deletes rows of (including those that go by cascade).
``KEPT`` (optional)
    ``{model: why}`` for a model whose rows about the person deliberately outlive the account (the audit trail).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.module_loading import module_has_submodule

MODULE = "personal"
Row = Mapping[str, object]


@dataclass(frozen=True)
class Table:
    """One table of the export."""

    name: str
    model: type[models.Model]
    columns: tuple[str, ...]
    rows: Callable[[Any], Iterable[Row]]


@dataclass(frozen=True)
class Part:
    """One app's ``personal.py``."""

    app: str
    tables: tuple[Table, ...]
    not_exported: Mapping[type[models.Model], str]
    erased: tuple[type[models.Model], ...]
    kept: Mapping[type[models.Model], str]
    erase: Callable[[Any], Mapping[str, int]]


def _models(where: str, value: object) -> tuple[type[models.Model], ...]:
    if not isinstance(value, tuple) or not all(
        isinstance(m, type) and issubclass(m, models.Model) for m in value
    ):
        raise ImproperlyConfigured(f"{where} must be a tuple of models")
    return value


def _reasons(where: str, value: object) -> Mapping[type[models.Model], str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(m, type) and issubclass(m, models.Model) and isinstance(why, str) and why.strip()
        for m, why in value.items()
    ):
        raise ImproperlyConfigured(f"{where} must map each model to the reason, in words")
    return value


def _tables(where: str, value: object) -> tuple[Table, ...]:
    if not isinstance(value, tuple):
        raise ImproperlyConfigured(f"{where} must be a tuple of (name, model, columns, rows)")
    tables = []
    for entry in value:
        if not (
            isinstance(entry, tuple)
            and len(entry) == 4
            and isinstance(entry[0], str)
            and isinstance(entry[1], type)
            and issubclass(entry[1], models.Model)
            and isinstance(entry[2], tuple)
            and callable(entry[3])
        ):
            raise ImproperlyConfigured(f"{where}: {entry!r} is not (name, model, columns, rows)")
        tables.append(Table(*entry))
    return tuple(tables)


def _part(label: str, module: ModuleType) -> Part:
    where = module.__name__
    erase = getattr(module, "erase", None)
    if not callable(erase):
        raise ImproperlyConfigured(f"{where} must define erase(user)")
    return Part(
        app=label,
        tables=_tables(f"{where}.TABLES", getattr(module, "TABLES", ())),
        not_exported=_reasons(f"{where}.NOT_EXPORTED", getattr(module, "NOT_EXPORTED", {})),
        erased=_models(f"{where}.ERASED", getattr(module, "ERASED", ())),
        kept=_reasons(f"{where}.KEPT", getattr(module, "KEPT", {})),
        erase=erase,
    )


@functools.cache
def parts() -> tuple[Part, ...]:
    """Every project app's ``personal.py``, in ``INSTALLED_APPS`` order."""
    found = []
    for config in apps.get_app_configs():
        if config.name.startswith("bounceback.") and module_has_submodule(config.module, MODULE):
            found.append(_part(config.label, import_module(f"{config.name}.{MODULE}")))
    names = [table.name for part in found for table in part.tables]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ImproperlyConfigured(f"export tables named twice: {', '.join(twice)}")
    return tuple(found)


def tables() -> tuple[Table, ...]:
    """Every table of the export, app by app in ``INSTALLED_APPS`` order."""
    return tuple(table for part in parts() for table in part.tables)


def erase_order() -> tuple[Part, ...]:
    """The parts in the order the deletion erases them: the reverse of ``INSTALLED_APPS``."""
    return tuple(reversed(parts()))
