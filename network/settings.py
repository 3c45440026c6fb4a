"""The only settings module.

What differs between machines comes from the environment; the defaults are the embedded mode
(SQLite, in-memory channel layer, local-memory cache), and URLs switch on production.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def gettext_noop(text: str) -> str:
    """Marks `text` for translation (makemessages looks for this name) without Django's own
    gettext_noop, which reads settings.USE_I18N: reading settings while this module loads
    kept a half-loaded copy, and management commands then ran on it when a check below
    failed, instead of stopping with its message."""
    return text


DEBUG = env.bool("DEBUG", default=False)  # secure by default; `make run` sets DEBUG=1
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment "
            "(or DEBUG=1 on a developer's machine)."
        )
    SECRET_KEY = "insecure-local-only-" + "x" * 40

# The default name is translated where shown (network.languages.site_name); a name set here is
# shown as set.
SITE_NAME = env.str("SITE_NAME", default=gettext_noop("SE4U Stakeholder Network"))
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Where links in emails point (emails sent by commands have no request to take it from).
SITE_URL = env.str(
    "SITE_URL",
    default=CSRF_TRUSTED_ORIGINS[0] if CSRF_TRUSTED_ORIGINS else "http://127.0.0.1:8000",
).rstrip("/")

INSTALLED_APPS = [
    "daphne",  # first: its runserver serves HTTP and WebSockets in development
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "channels",
    "allauth",
    "allauth.account",
    "taggit",
    "django_countries",
    "django_htmx",
    "csp",
    "network",
    "taxonomy",
    "profiles",
    "notifications",
    "forums",
    "chat",
    "workshops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last: it is sync-only, and every async-capable middleware inside it would make each
    # request hop between the event loop and its thread (measured: 3 ms of CPU a page).
    "network.middleware.MemberTimeZoneMiddleware",
]

ROOT_URLCONF = "network.urls"
ASGI_APPLICATION = "network.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "network.context_processors.site",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL with DATABASE_URL=postgres://...
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers go on while one writer writes; the timeout queues writers
            # instead of failing them with "database is locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # PostgreSQL's default planner costs (random_page_cost = 4) model disks that seek. The
    # directory's tables live in memory (25 MB at 50,000 members), and with the default the
    # planner read the whole table for a search word common to 14,000 members (34-36 ms)
    # instead of its full-text index (22-28 ms). 1.1 is the usual value for storage with
    # cheap random reads; on every directory statement the benchmark sends, no plan got
    # slower. Empty leaves the server's setting.
    if page_cost := env.str("DATABASE_RANDOM_PAGE_COST", default="1.1"):
        try:
            float(page_cost)
        except ValueError:
            raise ImproperlyConfigured(
                f"DATABASE_RANDOM_PAGE_COST must be a number (or empty), not {page_cost!r}."
            ) from None
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c random_page_cost={page_cost}"
    # Under ASGI each request runs in a thread of its own, so Django's persistent connections
    # (CONN_MAX_AGE) are never reused: each request opens one. A pool (psycopg_pool) shared by
    # the process's threads reuses them, and bounds them: beyond DATABASE_POOL_SIZE, requests
    # wait up to DATABASE_POOL_TIMEOUT seconds for one instead of running PostgreSQL out of
    # connections. Measured with bench/directory.py: +25-40% requests/s on every page.
    if pool_size := env.int("DATABASE_POOL_SIZE", default=0):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(2, pool_size),
            "max_size": pool_size,
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10.0),
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USES_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# HTTP requests inside Django's middleware and views at once, per process; the others wait
# their turn (network.handlers explains why, with figures). WebSockets are not counted.
HTTP_CONCURRENCY = env.int("HTTP_CONCURRENCY", default=3)

# Channel layer and cache: Redis with REDIS_URL, in-process otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # The pub/sub layer, on measured evidence (bench/chat.py, tests/e2e/test_chat_*): a room
    # broadcast is one PUBLISH that each process fans out locally, where the core layer
    # writes one Redis list per recipient (its cost grows with room size); and when Redis
    # restarts the pub/sub layer resubscribes, while the core layer forgets every group and
    # its receive errors end the consumers (sockets closed with 1011). Both are at-most-once:
    # chat's database and `sync` make delivery whole. CHANNEL_LAYER=core selects the other.
    if env.str("CHANNEL_LAYER", default="pubsub") == "core":
        CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {"hosts": [REDIS_URL], "capacity": 1500, "expiry": 30},
            }
        }
    else:
        CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {"hosts": [REDIS_URL]},
            }
        }
    CACHES = {
        "default": {
            "BACKEND": "network.cache.SharedPoolRedisCache",  # one pool per process
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "se4u",
        }
    }
else:
    # One process: the in-memory layer, minus the stock one's per-recipient sweep and copy
    # (chat/layers.py; measured with bench/chat.py).
    CHANNEL_LAYERS = {"default": {"BACKEND": "chat.layers.FanOutInMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Rendered page fragments the same for every reader of a kind (templates/base.html): in each
# process's memory, never shared, since they hold this release's addresses and translations.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
}

# Chat: a member's allowance (burst, then sustained rate; shared across sockets and processes),
# each socket's frame allowance, presence expiry and the size above which a room is "large".
CHAT_RATE_BURST = env.int("CHAT_RATE_BURST", default=20)
CHAT_RATE_PER_SECOND = env.float("CHAT_RATE_PER_SECOND", default=1.0)
CHAT_FRAME_BURST = env.int("CHAT_FRAME_BURST", default=30)
CHAT_FRAMES_PER_SECOND = env.float("CHAT_FRAMES_PER_SECOND", default=10.0)
CHAT_PRESENCE_HEARTBEAT = env.float("CHAT_PRESENCE_HEARTBEAT", default=10.0)  # seconds
CHAT_PRESENCE_TTL = env.float("CHAT_PRESENCE_TTL", default=30.0)  # a dead process's members go
CHAT_PRESENCE_DEBOUNCE = env.float("CHAT_PRESENCE_DEBOUNCE", default=1.0)
CHAT_LARGE_ROOM = env.int("CHAT_LARGE_ROOM", default=100)

AUTH_USER_MODEL = "profiles.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Accounts (django-allauth): email sign-in, verified addresses, no account enumeration.
ACCOUNT_ADAPTER = "profiles.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "profiles.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False  # logging out is a state change: POST with CSRF only
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Failed logins are throttled by our adapter (profiles.throttle), which locks an account for a
# fixed period; allauth's sliding window keeps guarding the other forms.
ACCOUNT_RATE_LIMITS = {
    "login_failed": False,
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
LOGIN_FAILURES_PER_ACCOUNT = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=5)
LOGIN_FAILURE_WINDOW = env.int("LOGIN_FAILURE_WINDOW", default=30 * 60)  # seconds
LOGIN_LOCK_PERIOD = env.int("LOGIN_LOCK_PERIOD", default=15 * 60)  # seconds
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=30)
# Directory results are cached per viewer until any change to who-sees-what (0: no cache).
DIRECTORY_CACHE_SECONDS = env.int("DIRECTORY_CACHE_SECONDS", default=300)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SE4U Network <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Internationalisation: English first; the six UN languages.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["network.formats"]  # a few date formats of our own (see there)
# The switcher's choice (set_language, and at sign-in): read by the server only, sent over
# HTTPS in production like the session cookie.
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Static files come from the app folders (no collectstatic) when developing and testing;
# production serves the compressed, fingerprinted copies collectstatic makes.
STATIC_FROM_SOURCE = env.bool("STATIC_FROM_SOURCE", default=DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if STATIC_FROM_SOURCE
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = STATIC_FROM_SOURCE
WHITENOISE_AUTOREFRESH = DEBUG

# Security headers. HTTPS settings are on unless DEBUG: production runs behind a TLS proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the proxy's health probe speaks plain HTTP
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Uploads: avatars and images are small; refuse big bodies before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.channels.server": {"level": "WARNING"}},
}
