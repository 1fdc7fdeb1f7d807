import os

from .base import *  # noqa: F403
from .base import BASE_DIR, CACHES, Q_CLUSTER

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
# One media folder per test run (removed at the end of the run), like the test database.
MEDIA_ROOT = BASE_DIR / "var" / f"test-media-{os.getpid()}"
PRIVATE_STORAGE_ROOT = BASE_DIR / "var" / "test-private"
# Static files are served by the test server itself.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Social networks: tests point the clients at a local fake server (tests/fakes/social_server.py).
VK_API_URL = "http://127.0.0.1:9/method/"  # a closed port until a test starts the fake
OK_API_URL = "http://127.0.0.1:9/fb.do"
VK_ID_TOKEN_URL = "http://127.0.0.1:9/oauth2/auth"
SOCIAL_RATE_LIMIT_DIR = BASE_DIR / "var" / f"test-ratelimit-{os.getpid()}"
SOCIAL_CLIENT_BACKOFF = 0.01
SOCIAL_HTTP_TIMEOUT = 3
# The SQLite test database is a file, so that a worker process started by a test (the crash test
# of social_sync) sees the same data; one per test run, so that runs side by side do not collide.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")
    }
