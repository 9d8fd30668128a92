"""One view: upsert one row in one table (created by bench/web/run.py), answer with its new revision."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import path
from django.views.decorators.http import require_POST

UPSERT = """
INSERT INTO bench_floor_answer (client, item, value, revision, answered_at)
VALUES (%s, %s, %s, 1, now())
ON CONFLICT (client, item) DO UPDATE
SET value = EXCLUDED.value, revision = bench_floor_answer.revision + 1, answered_at = now()
RETURNING revision
"""


@require_POST
def save(request: HttpRequest) -> HttpResponse:
    client = request.POST.get("client", "")[:64]
    item = request.POST.get("item", "")[:32]
    raw = request.POST.get("value", "")
    if not client or not item or not raw.isdigit():
        return HttpResponseBadRequest("client, item and value are needed")
    with connection.cursor() as cursor:
        cursor.execute(UPSERT, [client, item, int(raw)])
        (revision,) = cursor.fetchone()
    return HttpResponse(f'<span class="saved">Saved</span> revision {revision}')


urlpatterns = [path("save/", save)]
