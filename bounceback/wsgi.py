from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bounceback.settings")
application = get_wsgi_application()

# Import every view now, then keep the start-up objects (Django, the apps and their modules: about 100,000) out of
# the cyclic garbage collector's full passes, which would otherwise walk them all every few requests (tens of
# milliseconds on a page that allocates a lot, such as /progress/ for a long history). Objects that requests
# allocate are collected as before.
get_resolver().url_patterns  # noqa: B018 - loads the URLconf and the views
gc.freeze()
