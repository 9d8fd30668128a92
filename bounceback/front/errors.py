"""Error pages (400, 403, CSRF failure, 405, 500): each with "Get help now" and the crisis resources.

Rendered without context processors or the user: no session and no database, so they work when those fail.
The crisis country comes from the person's cookie (or the default), as on the crisis pages.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import loader

from bounceback.safety.crisis import resources_for
from bounceback.safety.web import country_for


def render_error(request: HttpRequest, template_name: str, status: int) -> HttpResponse:
    template = loader.get_template(template_name)
    return HttpResponse(template.render({"crisis": resources_for(country_for(request))}), status=status)
