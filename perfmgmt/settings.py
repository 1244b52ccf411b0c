"""Settings for perfmgmt. Everything deployment-specific comes from the environment."""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_HASHES, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The fallback key only exists so that `make run` and the tests work on a fresh clone;
# production sets SECRET_KEY (see README, "生产部署").
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-dev-key-set-SECRET_KEY-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# HTTPS. With DEBUG off the site is served over TLS only: http is redirected, browsers are
# told to keep to https (HSTS) and cookies are never sent in clear. A server on loopback
# over plain http (the load test, the browser tests) turns SECURE_SSL_REDIRECT,
# SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE off. Behind a TLS-terminating proxy set
# SECURE_PROXY_SSL_HEADER=1: the proxy must then set X-Forwarded-Proto on every request,
# overwriting whatever the client sent.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sessions end after SESSION_IDLE_MINUTES without a request (the expiry moves forward on
# every request of a logged-in user) and when the browser closes. Only staff log in; the
# public pages keep no session, so they write nothing.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The admin's path ("admin/" unless ADMIN_URL says otherwise). Code builds admin links with
# reverse("admin:…") or {% url %}, never from this string.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "import_export",
    "django_tables2",
    "django_filters",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "evaluations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "perfmgmt.security.PolicyByPathMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one username
# from one address, that pair is locked out for AXES_COOLOFF_MINUTES; a successful login
# resets the count. Other users, and the same user elsewhere, are not affected.
# Unlock early: `python manage.py axes_reset_username USERNAME` (README, "生产部署").
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A lockout ends when it says it does: trying again meanwhile does not start it over.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "perfmgmt.security.lockout_response"
# Behind TRUSTED_PROXY_COUNT proxies that each append to X-Forwarded-For, the client's
# address is the one the outermost of them appended (perfmgmt.security.client_address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "perfmgmt.security.client_address"

ROOT_URLCONF = "perfmgmt.urls"

# Content security policy (django-csp 4.0's format). Pages load scripts, styles, fonts and
# images from this site only, and nothing inline: no <script> without src, no <style>, no
# style="" or on…="" attributes, no eval. Charts read their numbers from json_script blocks
# (static/js/charts.js); ECharts is a vendored static file (static/vendor/echarts).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# The admin (under ADMIN_URL) has a policy of its own (perfmgmt.security): its templates
# hold <style> blocks and style="" attributes, so styles may be inline there; scripts still
# come from this site only, plus the one inline handler django-import-export's export page
# has, allowed by its hash: onchange="onSelectToggleChange(event)".
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [
            SELF,
            UNSAFE_HASHES,
            "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",
        ],
        "style-src": [SELF, UNSAFE_INLINE],
    },
}

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
            ],
        },
    },
]

WSGI_APPLICATION = "perfmgmt.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A test database in a file, not in memory: the browser tests' live server answers
    # from its own threads, which must not share the test thread's connection.
    # One file per test process, so two runs side by side do not share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"perfmgmt-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A government system: at least 12 characters (the default is 8).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Figures are formatted explicitly (see evaluations/decimals.py); no locale-dependent
# thousands separators sneak into exports or JSON.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploads. The bureau's tables are a few hundred KB; an import form refuses a file over
# UPLOAD_MAX_MB with a message naming the limit. Files up to the limit are read in memory;
# of a larger one no more than the limit is written to disk (perfmgmt.security).
# The request body without its files (form fields) is capped at Django's 2.5 MB default;
# the proxy in front should cap whole requests a little above UPLOAD_MAX_MB.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 10) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "perfmgmt.security.SizeCappedUploadHandler",
]

# django-import-export: importing and exporting are separate permissions
# (evaluations.import_*, evaluations.export_*), checked through evaluations.policies.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Public pages and figures are cached (evaluations/cache.py) and invalidated on every write
# to the data they show. Several server processes must share one cache so that an
# invalidation reaches them all: set REDIS_URL in production (README, "生产部署"). Without it
# each process keeps its own in-memory cache, which suits one process (runserver, tests).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "perfmgmt"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "perfmgmt",
        }
    }

DJANGO_TABLES2_TEMPLATE = "evaluations/_table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


# -- Background jobs (evaluations.tasks, evaluations.models.jobs) ---------------------------
# Large exports and the annual report's .docx run as jobs: django-tasks with the database
# backend of django-tasks-db, worked off by `python manage.py db_worker` beside the web
# server. TASKS_BACKEND=immediate runs each job inside the request that starts it instead
# (a development machine without a worker; no progress to watch then).
if os.environ.get("TASKS_BACKEND") == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The files jobs produce are private: outside STATIC_ROOT and any media URL, served only by
# the job's download view, which asks the policy (evaluations.policies).
JOB_FILES_DIR = Path(os.environ.get("JOB_FILES_DIR", BASE_DIR / "var" / "jobs"))
# A running job beats its heartbeat at every progress step; one silent for this many
# seconds lost its worker (killed, machine restarted) and is queued again.
JOB_STALE_AFTER = env_int("JOB_STALE_AFTER", 120)
