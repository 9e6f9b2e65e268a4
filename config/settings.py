"""Settings, read from the environment; the defaults run the embedded mode (one process,
SQLite, in-memory channel layer) and a production deployment only sets variables."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from translation.languages import choices as language_choices

BASE_DIR = Path(__file__).resolve().parent.parent
# Everything the running platform writes (database, secret key, uploads, collected static
# files) lives under one ignored folder, so a checkout stays clean.
VAR_DIR = Path(os.environ.get("LIAISON_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """A key generated once per installation and kept in an ignored file (mode 600)."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "django_htmx",
    "directory",
    "conversations",
    "translation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "directory.middleware.OfficialPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "directory.context_processors.navigation",
                "conversations.context_processors.inbox",
            ],
        },
    },
]

# --- Database ---
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'liaison.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Under an async server writes come from a thread pool: WAL (config/sqlite.py) lets
    # readers run beside the writer, IMMEDIATE takes the write lock up front, and the
    # timeout waits for it instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file, not memory, so a live Daphne process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_POOL", True
):
    # Under ASGI, Django's persistent connections do not fit; psycopg's pool does: a
    # consumer's database work does not open a new connection each time.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN", "2")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX", "10")),
        "timeout": 10,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Real-time delivery ---
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # A socket's receive is a blocking BZPOPMIN of up to 5 s; redis-py 8 gives
                # up reading after 5 s by default, which would tear down every quiet
                # socket. Reads wait longer than the pop, and a dead connection still fails.
                # redis-py 8 also caps a pool at 100 connections and then raises rather
                # than waits: a burst of sends to many groups needs more
                # (conversations.events sends CONCURRENT_SENDS at a time).
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15, "max_connections": 1000}],
                "prefix": os.environ.get("CHANNELS_PREFIX", "liaison"),
                "capacity": int(os.environ.get("CHANNELS_CAPACITY", "1000")),
                # Translation jobs wait in one named channel for the workers: a burst must
                # not fill it (a job that does not fit waits for the sweep instead).
                "channel_capacity": {
                    "translation-jobs": int(os.environ.get("TRANSLATION_QUEUE_CAPACITY", "10000"))
                },
                "expiry": 60,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "config.layers.EmbeddedChannelLayer"}}

# --- Machine translation (translation/, docs/translation.md) ---
# Language packages, argostranslate's data, configuration and cache: nothing outside it.
TRANSLATION_DIR = Path(os.environ.get("LIAISON_TRANSLATION_DIR", VAR_DIR / "translation"))
# embedded: a thread pool in each server process; channels: `manage.py translation_worker`
# processes fed through the channel layer (needs REDIS_URL); inline: tests only.
TRANSLATION_QUEUE = os.environ.get("TRANSLATION_QUEUE", "channels" if REDIS_URL else "embedded")
if TRANSLATION_QUEUE not in {"embedded", "channels", "inline"}:
    raise ImproperlyConfigured("TRANSLATION_QUEUE must be embedded, channels or inline")
TRANSLATION_JOB_CHANNEL = "translation-jobs"  # its capacity is set in CHANNEL_LAYERS above
TRANSLATION_THREADS = int(os.environ.get("TRANSLATION_THREADS", "1"))
TRANSLATION_QUEUE_SIZE = int(os.environ.get("TRANSLATION_QUEUE_SIZE", "1000"))
# Each loaded model holds 100-300 MB; the least recently used is unloaded past this number.
TRANSLATION_MAX_MODELS = int(os.environ.get("TRANSLATION_MAX_MODELS", "4"))
# Chat messages are short: a narrow beam is much faster than argostranslate's 4.
TRANSLATION_BEAM_SIZE = int(os.environ.get("TRANSLATION_BEAM_SIZE", "2"))
TRANSLATION_INTRA_THREADS = int(os.environ.get("TRANSLATION_INTRA_THREADS", "1"))
TRANSLATION_COMPUTE_TYPE = os.environ.get("TRANSLATION_COMPUTE_TYPE", "int8")
TRANSLATION_WARM = env_bool("TRANSLATION_WARM", True)
TRANSLATION_MAX_ATTEMPTS = int(os.environ.get("TRANSLATION_MAX_ATTEMPTS", "5"))
TRANSLATION_RETRY_DELAY = int(os.environ.get("TRANSLATION_RETRY_DELAY", "30"))
TRANSLATION_SWEEP_INTERVAL = int(os.environ.get("TRANSLATION_SWEEP_INTERVAL", "30"))
TRANSLATION_SWEEP_BATCH = int(os.environ.get("TRANSLATION_SWEEP_BATCH", "500"))
TRANSLATION_REQUEUE_AFTER = int(os.environ.get("TRANSLATION_REQUEUE_AFTER", "120"))
TRANSLATION_CLAIM_TIMEOUT = int(os.environ.get("TRANSLATION_CLAIM_TIMEOUT", "300"))
TRANSLATION_SUBSCRIPTION_TTL = int(os.environ.get("TRANSLATION_SUBSCRIPTION_TTL", "3600"))

# --- Accounts ---
AUTH_USER_MODEL = "directory.Official"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "conversations:workspace"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(12 * 60 * 60)))

# --- Languages and time ---
LANGUAGE_CODE = "en"
LANGUAGES = language_choices()
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

# --- Static files and uploads ---
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    # Attachments. Case files: readable by the platform's own user only, and there is no
    # MEDIA_URL on purpose: a view that checks who asks serves them.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
    },
    # Hashed names (cached forever by browsers) and gzip/brotli copies, served by whitenoise.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Attachments on thread messages ---
# Per file, in MB (1 MB = 1024 × 1024 bytes). A proxy in front (nginx
# client_max_body_size) must let through at least MAX_MB × PER_MESSAGE plus the text,
# or the official gets the proxy's error instead of ours.
LIAISON_ATTACHMENT_MAX_MB = int(os.environ.get("LIAISON_ATTACHMENT_MAX_MB", "10"))
LIAISON_ATTACHMENTS_PER_MESSAGE = int(os.environ.get("LIAISON_ATTACHMENTS_PER_MESSAGE", "5"))
# Django refuses more files than this with a bare 400 before our check can name the
# limit; kept well above the limit so the official reads our message instead.
DATA_UPLOAD_MAX_NUMBER_FILES = max(100, 4 * LIAISON_ATTACHMENTS_PER_MESSAGE)

# --- E-mail ---
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Liaison <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in e-mails (invitations, digests) start with this address.
LIAISON_BASE_URL = os.environ.get("LIAISON_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "14"))

# --- Transport security ---
# On by default whenever DEBUG is off; a plain-HTTP embedded install on a closed network
# turns it off explicitly with LIAISON_HTTPS=0.
HTTPS = env_bool("LIAISON_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "daphne": {"level": "WARNING"},
        # WeasyPrint narrates every step of every PDF export at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
