"""Settings shared by every environment.

Every value that differs between deployments is read here, from the environment, and nowhere
else in the project.
"""

import datetime
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent  # site/pressoffice
BASE_DIR = PROJECT_DIR.parent.parent  # the repository root
VAR_DIR = BASE_DIR / "var"


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "newsroom",
    "django_prometheus",
    "accreditation",
    "social_sync",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    # Only for the admin screens of API tokens (integrations post messages with them).
    "wagtail.api.v3",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_q",
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # /healthz and /readyz, answered before anything that needs the cache or the database.
    "pressoffice.health.HealthMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # First after it, so that a cached page keeps every header the rest of the chain adds.
    "newsroom.cache.AnonymousPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "newsroom.security.headers.ContentSecurityPolicyMiddleware",
    "newsroom.security.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsroom.middleware.SiteMemoryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "newsroom.security.page_access.PageVisibilityMiddleware",
    "newsroom.security.input_guard.WagtailInputGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "newsroom.security.throttle.PasswordResetThrottleMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pressoffice.urls"
WSGI_APPLICATION = "pressoffice.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: a SQLite file unless DATABASE_URL names another (postgres://… uses psycopg 3).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The web process and the worker write to the same file: readers do not block the writer
    # (WAL), and a transaction takes the write lock when it begins instead of failing half-way.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set; otherwise a file cache, which the web processes and the
# worker share, so that publishing from the worker invalidates pages served by the web.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "pressoffice.cache_backends.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "pressoffice"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("FILE_CACHE_DIR", str(VAR_DIR / "cache")),
        }
    }
# Each process's own memory for what a page reads many times: Wagtail's renditions and rendered
# fragments. Emptied whenever the published site changes (newsroom/site_memory.py).
for _alias in ("renditions", "fragments"):
    CACHES[_alias] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": _alias,
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)

AUTHENTICATION_BACKENDS = [
    # First: refuses a login while its username and address are locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes): a username is locked out from one address after this many
# wrong passwords, for this long. Username *and* address together: the whole office behind one
# NAT address is not locked out by one person's typos, nor is a user by an attacker elsewhere.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "newsroom.http.client_ip"
AXES_LOCKOUT_CALLABLE = "newsroom.security.lockout.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Password-reset e-mails per address per hour (and three times as many requests per visitor).
PASSWORD_RESETS_PER_HOUR = env_int("PASSWORD_RESETS_PER_HOUR", 3)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский"))]
TIME_ZONE = env("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "static")))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Files that must never be served by URL (import batches, personal data): shared by all web
# processes like MEDIA_ROOT, but outside it.
PRIVATE_STORAGE_ROOT = Path(env("PRIVATE_STORAGE_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Uploads larger than this many bytes are refused before they reach a form.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# E-mail: the console by default; SMTP (or any backend) by EMAIL_BACKEND and EMAIL_*.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_HOST_EXPLICIT = env("EMAIL_HOST") is not None
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Пресс-служба <press@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# django-q2: the ORM broker, so the worker needs nothing but the database.
Q_CLUSTER = {
    "name": "pressoffice",
    "orm": "default",
    # A social account's backlog holds a worker for up to SOCIAL_DRAIN_SECONDS; with fewer
    # workers than accounts + 1, the scheduled jobs wait behind the crossposting.
    "workers": env_int("Q_WORKERS", 4),
    "timeout": 120,
    "retry": 180,
    "max_attempts": 3,
    "catch_up": False,
    "label": _("Фоновые задачи"),
}

# Wagtail
WAGTAIL_SITE_NAME = env("SITE_NAME", "Пресс-служба администрации района")
WAGTAILADMIN_BASE_URL = env("SITE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAIL_I18N_ENABLED = False
# Latin slugs: the editor transliterates a Russian title as it is typed, new pages created in code
# are transliterated by newsroom.models.slugs; existing Cyrillic addresses keep working.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
WAGTAILADMIN_COMMENTS_ENABLED = True
# No avatars from outside services: staff e-mail hashes are not sent anywhere.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_DATE_FORMAT = "%d.%m.%Y"
WAGTAIL_DATETIME_FORMAT = "%d.%m.%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # Used by the PostgreSQL full-text backend; other databases ignore it.
        "SEARCH_CONFIG": "russian",
    }
}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "odt", "rtf", "txt", "xls", "xlsx", "ods", "csv"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = env_int("DOCUMENT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("IMAGE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Refuse decompression bombs: images with more pixels than this are rejected on upload.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)
# The video's frame keeps its proportions by CSS (.video__frame): Wagtail's responsive wrapper
# would need inline styles, which the public site's CSP does not allow.
WAGTAILEMBEDS_RESPONSIVE_HTML = False

# Content-Security-Policy (django-csp; newsroom/security/headers.py). The public site: nothing
# inline, nothing from outside but the video players' frames.
VIDEO_FRAME_HOSTS = env_list(
    "VIDEO_FRAME_HOSTS",
    ["https://vk.com", "https://vkvideo.ru", "https://rutube.ru", "https://www.youtube.com"],
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *VIDEO_FRAME_HOSTS],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Wagtail's admin writes inline scripts and styles of its own and previews pages in frames.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
    }
}
# Browser features no page of ours uses are switched off for every page and frame.
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "midi": [],
    "magnetometer": [],
    "gyroscope": [],
    "accelerometer": [],
    "browsing-topics": [],
    "fullscreen": ["self", *(f'"{host}"' for host in VIDEO_FRAME_HOSTS)],
}

# Social networks (social_sync). Official endpoints by default; tests and the offline demo point
# them at a local server. Accounts without credentials post to the sandbox.
VK_API_URL = env("VK_API_URL", "https://api.vk.com/method/")
VK_ID_TOKEN_URL = env("VK_ID_TOKEN_URL", "https://id.vk.com/oauth2/auth")
OK_API_URL = env("OK_API_URL", "https://api.ok.ru/fb.do")
TELEGRAM_API_URL = env("TELEGRAM_API_URL", "https://api.telegram.org")
# MAX moved its Bot API to platform-api2.max.ru, served with a certificate of the Russian
# trusted root (Минцифры), which certifi's bundle does not hold: see SOCIAL_CA_BUNDLE.
MAX_API_URL = env("MAX_API_URL", "https://platform-api2.max.ru")
# A CA bundle (PEM) for every request to the networks, e.g. the system bundle with the Russian
# trusted root added (/etc/ssl/certs/ca-certificates.crt after update-ca-certificates);
# empty: requests' own bundle (certifi).
SOCIAL_CA_BUNDLE = env("SOCIAL_CA_BUNDLE", "")
# Fernet keys (comma-separated, the first one encrypts) for the tokens kept in the database.
SOCIAL_TOKENS_KEYS = env_list("SOCIAL_TOKENS_KEYS")
# Requests per second per token (VK: 3 for a user token — posting accepts no other; OK publishes
# no figure), enforced across worker processes: in Redis when REDIS_URL is set, else in files.
SOCIAL_RATE_VK_USER = env_int("SOCIAL_RATE_VK_USER", 3)
SOCIAL_RATE_OK = env_int("SOCIAL_RATE_OK", 3)
# Telegram: a bot may send about 20 messages a minute to one channel (and 30 a second in all);
# each account is one channel, so its calls are held to this many a minute.
SOCIAL_RATE_TELEGRAM_PER_MINUTE = env_int("SOCIAL_RATE_TELEGRAM_PER_MINUTE", 20)
# MAX: 30 requests a second per bot token.
SOCIAL_RATE_MAX = env_int("SOCIAL_RATE_MAX", 30)
# MAX: at most 2 messages a second into one chat (POST /messages, dev.max.ru).
SOCIAL_RATE_MAX_CHAT = env_int("SOCIAL_RATE_MAX_CHAT", 2)
# The limiter's window is a second plus this margin (seconds). Each call counts from its answer,
# which is always after the service counted it, so the margin only absorbs the clocks' drift.
SOCIAL_RATE_MARGIN = float(env("SOCIAL_RATE_MARGIN", "0.05"))
SOCIAL_RATE_LIMIT_DIR = Path(env("SOCIAL_RATE_LIMIT_DIR", str(VAR_DIR / "ratelimit")))
SOCIAL_HTTP_TIMEOUT = env_int("SOCIAL_HTTP_TIMEOUT", 20)
# Retries of a transient error inside one delivery attempt, the first pause in seconds.
SOCIAL_CLIENT_RETRIES = env_int("SOCIAL_CLIENT_RETRIES", 4)
SOCIAL_CLIENT_BACKOFF = float(env("SOCIAL_CLIENT_BACKOFF", "0.5"))
# A delivery taken by a worker is its own for this long; a dead worker's deliveries on the same
# host are taken back at once.
SOCIAL_DELIVERY_LEASE_SECONDS = env_int("SOCIAL_DELIVERY_LEASE_SECONDS", 300)
# How long one worker task keeps delivering an account's rows before it hands over (below the
# worker's task timeout).
SOCIAL_DRAIN_SECONDS = env_int("SOCIAL_DRAIN_SECONDS", 60)
# Comments are taken in under posts younger than this many days, at most this many API calls per
# account in one pull (the rest waits for the next pull, so crossposting always gets its turn).
COMMENTS_POST_MAX_AGE_DAYS = env_int("COMMENTS_POST_MAX_AGE_DAYS", 14)
COMMENTS_PULL_MAX_CALLS = env_int("COMMENTS_PULL_MAX_CALLS", 60)
COMMENTS_PULL_MINUTES = env_int("COMMENTS_PULL_MINUTES", 5)
# A post whose comment count has not changed is read anyway after this long: a comment removed by
# someone else on the network and a new one would otherwise look like no change.
COMMENTS_RECHECK_MINUTES = env_int("COMMENTS_RECHECK_MINUTES", 60)
# Attempts of one delivery before it is marked failed, and the first pause between them
# (doubled each time, with jitter, up to an hour).
SOCIAL_MAX_ATTEMPTS = env_int("SOCIAL_MAX_ATTEMPTS", 12)
SOCIAL_RETRY_BASE_SECONDS = env_int("SOCIAL_RETRY_BASE_SECONDS", 30)
SOCIAL_IMAGE_FILTER = "max-1280x1280|format-jpeg|jpegquality-85"
# The content calendar warns the editors about accounts that will fall short of their weekly norm
# from this ISO weekday (4: Thursday) and local hour on, once per account and week.
SOCIAL_NORM_WARNING_WEEKDAY = env_int("SOCIAL_NORM_WARNING_WEEKDAY", 4)
SOCIAL_NORM_WARNING_HOUR = env_int("SOCIAL_NORM_WARNING_HOUR", 12)

# Accreditation of journalists (accreditation): uploads of the public form, the anti-spam limit
# per IP address, and how long personal data of expired accreditations are kept.
ACCREDITATION_MAX_UPLOAD_BYTES = env_int("ACCREDITATION_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
ACCREDITATION_MAX_IMAGE_PIXELS = env_int("ACCREDITATION_MAX_IMAGE_PIXELS", 40_000_000)
# Reverse proxies of our own in front of gunicorn (nginx: 1). The visitor's address, for the
# accreditation form's rate limit and consent records, is then read from X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ACCREDITATION_SUBMISSIONS_PER_HOUR = env_int("ACCREDITATION_SUBMISSIONS_PER_HOUR", 5)
# Questions one address may send to live broadcasts in an hour (four times as many attempts).
BROADCAST_QUESTIONS_PER_HOUR = env_int("BROADCAST_QUESTIONS_PER_HOUR", 5)
ACCREDITATION_RETENTION_DAYS = env_int("ACCREDITATION_RETENTION_DAYS", 365)
ACCREDITATION_MAIL_MAX_ATTEMPTS = env_int("ACCREDITATION_MAIL_MAX_ATTEMPTS", 5)

# Log lines on stderr: «text» (time, level, logger, message) or «json» (one object per line,
# pressoffice.logs; production's default, for journald and log collectors).
LOG_FORMAT = env("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "pressoffice.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail runs its search-index and reference-index tasks inline; their chatter is noise.
        "django_tasks": {"level": "WARNING"},
        # django-axes: lockouts are warnings; every failed login is in its table already.
        "axes": {"level": "WARNING"},
    },
}

# /readyz (pressoffice.health): a repeating schedule of the worker overdue by more than this
# means the worker (its scheduler) is not running; less free space than this on the media volume
# means the site cannot take uploads much longer.
HEALTH_SCHEDULE_LAG_MINUTES = env_int("HEALTH_SCHEDULE_LAG_MINUTES", 5)
HEALTH_MIN_FREE_DISK_MB = env_int("HEALTH_MIN_FREE_DISK_MB", 1024)
# /metrics (pressoffice.metrics) answers only «Authorization: Bearer <METRICS_TOKEN>»; unset, the
# endpoint does not exist.
METRICS_TOKEN = env("METRICS_TOKEN", "")
# Where gunicorn's processes keep their metrics for /metrics to add up (prometheus_client's
# multiprocess mode; the directory is emptied before gunicorn starts); empty: this process only.
PROMETHEUS_MULTIPROC_DIR = env("PROMETHEUS_MULTIPROC_DIR", "")
