"""WSGI entry point. Run gunicorn with ``--pythonpath site`` so that ``pressoffice`` imports."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressoffice.settings.production")

application = get_wsgi_application()
