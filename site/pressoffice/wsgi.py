"""WSGI entry point. Run gunicorn with ``--pythonpath site`` so that ``pressoffice`` imports.

Anonymous page cache hits are answered before Django builds a request (newsroom/cache.py);
everything else goes through Django.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressoffice.settings.production")

application = get_wsgi_application()

from newsroom.security.checks import refuse_to_start_misconfigured  # noqa: E402

refuse_to_start_misconfigured()

from newsroom.cache import PageCacheApplication  # noqa: E402  (needs the settings loaded)

application = PageCacheApplication(application)
