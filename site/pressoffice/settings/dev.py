from .base import *  # noqa: F403
from .base import SECRET_KEY

DEBUG = True
# runserver serves static files itself while DEBUG is on.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]  # noqa: F405
# A fixed key is acceptable only on a developer's machine; production refuses to start without one.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-7c1f0e2b9a"
