"""The site's URLs plus one page that refuses, to show the 403 page (the handlers come with the import)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from bounceback.urls import handler400, handler403, handler500
from bounceback.urls import urlpatterns as site_urlpatterns

__all__ = ["handler400", "handler403", "handler500", "urlpatterns"]


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


urlpatterns = [path("forbidden/", forbidden), *site_urlpatterns]
