"""Scan every table of the database for what would re-identify a deleted person."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection

TEXT = frozenset(
    {"CharField", "TextField", "JSONField", "EmailField", "SlugField", "UUIDField", "GenericIPAddressField"}
)
"""Column kinds (as Django's introspection names them, on SQLite and PostgreSQL) that may hold text."""


@dataclass(frozen=True)
class Person:
    pk: int
    email: str
    public_id: str
    username: str


def _user_columns() -> set[tuple[str, str]]:
    """(table, column) of every column that refers to a user: foreign keys in the database, and those the
    models declare without a database constraint (the audit trail's actor)."""
    user_table = get_user_model()._meta.db_table
    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column, (_target_column, target_table) in connection.introspection.get_relations(
                cursor, table
            ).items():
                if target_table == user_table:
                    found.add((table, column))
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is get_user_model():
                found.add((model._meta.db_table, str(field.column)))
    return found


def traces(person: Person) -> list[str]:
    """Every "table.column" that still holds the person's email, username, public id (in any text column),
    primary key (in any column that refers to a user, or a generic content-type + object id pair), and every
    stored session that still names them. Empty when nothing is left."""
    quote = connection.ops.quote_name
    needles = [person.email.lower(), person.public_id, person.public_id.replace("-", "")]
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            description = connection.introspection.get_table_description(cursor, table)
            names = {c.name for c in description}
            for column in description:
                kind = connection.introspection.get_field_type(column.type_code, column)
                if kind not in TEXT:
                    continue
                for needle in needles:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {quote(table)} WHERE LOWER(CAST({quote(column.name)} AS TEXT)) LIKE %s",  # noqa: S608
                        [f"%{needle}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append(f"{table}.{column.name}")
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} WHERE CAST({quote(column.name)} AS TEXT) = %s",  # noqa: S608
                    [person.username],
                )
                if person.username and cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
            if {"content_type_id", "object_id"} <= names:
                user_type = ContentType.objects.get_for_model(get_user_model()).pk
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} WHERE content_type_id = %s AND object_id = %s",  # noqa: S608
                    [user_type, str(person.pk)],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.object_id")
        for table, column in sorted(_user_columns()):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)} WHERE {quote(column)} = %s", [person.pk])  # noqa: S608
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    for session in Session.objects.all():
        decoded = session.get_decoded()
        text = json.dumps(decoded, default=str).lower()
        if str(decoded.get("_auth_user_id")) == str(person.pk) or any(n in text for n in needles):
            found.append(f"{Session._meta.db_table}.session_data")
    return sorted(set(found))
