"""khuyenhoc settings: one file, driven by the environment, SQLite unless DATABASE_URL says otherwise."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_required(name: str, development_default: str) -> str:
    """A setting a server must be given: without DEBUG the app refuses to start when it is missing,
    rather than run with a value anyone can read here; with DEBUG (development only) it has a default."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if DEBUG:
        return development_default
    raise ImproperlyConfigured(
        f"khuyenhoc refuses to start: the environment variable {name} is not set. A server needs "
        f"SECRET_KEY (a long random secret of its own) and ALLOWED_HOSTS (the names it answers to); "
        f"see README.md, Settings. On a development machine set DEBUG=1 instead."
    )


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_required("SECRET_KEY", "khuyenhoc-development-only-key-with-DEBUG-never-on-a-server")
ALLOWED_HOSTS = [h.strip() for h in env_required("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "khuyenhoc",
    "areas",
    "accounts",
    "audit",
    "registry",
    "criteria",
    "evaluations",
    "awards",
    "stats",
    "imports",
    "documents",
    "dashboards",
    "portal",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A content security policy on every answer; nothing a logged-in user sees is cached.
    "khuyenhoc.middleware.SecurityHeadersMiddleware",
    # A database busy past its timeout answers 503 "try again in a moment", never 500 (outside the sessions,
    # whose save after the view may meet it too).
    "khuyenhoc.middleware.DatabaseBusyMiddleware",
    # Before the session and the user are read: a request for figures reads all of them from the replica.
    "khuyenhoc.replica.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khuyenhoc.middleware.VietnameseFirstLocaleMiddleware",
    # Under /api/: the language an API client asks for, and errors as the API's JSON, never a page.
    "api.middleware.ApiLanguageAndErrorsMiddleware",
    # A NUL in the query string is a 400 on both databases (PostgreSQL cannot take it in a query).
    "khuyenhoc.middleware.NulInQueryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers a caller locked after wrong passwords (accounts/lockout.py); innermost, so the others wrap it.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "khuyenhoc.urls"
WSGI_APPLICATION = "khuyenhoc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "khuyenhoc" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "khuyenhoc.context_processors.permissions",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'khuyenhoc.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes. A write waits for the single write lock at
    # most KHUYENHOC_DATABASE_BUSY_SECONDS, then its page says the system is busy (khuyenhoc.middleware):
    # another user's save finishes or is told within a few seconds, even while a large import saves.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("KHUYENHOC_DATABASE_BUSY_SECONDS", 5),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A pool of PostgreSQL connections per gunicorn worker, shared by its threads (Django's own pool, on
# psycopg_pool), in place of one persistent connection per thread: DATABASE_POOL_MAX_SIZE connections at
# most, a request waiting up to DATABASE_POOL_TIMEOUT seconds for one (docs/deploy.md, Connections).
DATABASE_POOL_MAX_SIZE = env_int("DATABASE_POOL_MAX_SIZE", 0)


def pooled(database: dict) -> dict:
    if DATABASE_POOL_MAX_SIZE and database["ENGINE"] == "django.db.backends.postgresql":
        pool = {"min_size": 1, "max_size": DATABASE_POOL_MAX_SIZE, "timeout": env_int("DATABASE_POOL_TIMEOUT", 10)}
        return {**database, "CONN_MAX_AGE": 0, "OPTIONS": {**database.get("OPTIONS", {}), "pool": pool}}
    return database


DATABASES["default"] = pooled(DATABASES["default"])
# A streaming replica of PostgreSQL for the reads of figures, dashboards and the portal (docs/deploy.md,
# core/routing.py); a user who just saved reads from the primary for KHUYENHOC_REPLICA_PIN_SECONDS.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = pooled(
        dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
KHUYENHOC_READ_REPLICA = "replica" in DATABASES
KHUYENHOC_REPLICA_PATHS = ["/statistics/", "/dashboards/", "/cong-khai/", "/api/v1/statistics/"]
KHUYENHOC_REPLICA_PIN_SECONDS = env_int("KHUYENHOC_REPLICA_PIN_SECONDS", 10)
DATABASE_ROUTERS = ["core.routing.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes refuses a locked caller before any password is checked; permissions come from the role table
# alone (accounts/roles.py).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.backends.RoleBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "first_name", "last_name", "email")},
    },
    {
        "NAME": "accounts.passwords.MinimumLengthValidator",  # Django's, with messages in Vietnamese
        "OPTIONS": {"min_length": env_int("KHUYENHOC_PASSWORD_MIN_LENGTH", 8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Wrong passwords (accounts/lockout.py, django-axes) on the login page and the API's token route: this many
# for one account, or from one address, each less than the lock period after the one before, lock that
# account, or that address, until the lock period has passed since the last; a successful login forgets
# the account's failures.
KHUYENHOC_LOGIN_FAILURE_LIMIT = env_int("KHUYENHOC_LOGIN_FAILURE_LIMIT", 10)
KHUYENHOC_LOGIN_LOCK_MINUTES = env_int("KHUYENHOC_LOGIN_LOCK_MINUTES", 15)
# Reverse proxies in front of the server that append the caller's address to X-Forwarded-For (0: none, the
# connection's address is the caller's).
KHUYENHOC_PROXY_COUNT = env_int("KHUYENHOC_PROXY_COUNT", 0)
AXES_FAILURE_LIMIT = "accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "accounts.lockout.lock_period"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False  # accounts.lockout.forget_failures forgets the account's failures, not the address's
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# An API token expires after this many days unused (accounts/tokens.py).
KHUYENHOC_TOKEN_IDLE_DAYS = env_int("KHUYENHOC_TOKEN_IDLE_DAYS", 30)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["core.formats"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from npm at setup (`make setup`) and are served from here, never a CDN.
STATICFILES_DIRS = [
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    # The dashboards' charts (Chart.js, pinned in package.json), served from here, never a CDN.
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
# Where `manage.py backup` writes its archives unless told otherwise (deploy/khuyenhoc-backup.service).
KHUYENHOC_BACKUP_DIR = Path(os.environ.get("KHUYENHOC_BACKUP_DIR", BASE_DIR / "backups"))

REST_FRAMEWORK = {
    # Tokens of accounts.tokens (expiring, revocable) and sessions; both refuse an account whose password is
    # temporary, and an unknown, expired or revoked token answers 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "api.authentication.ApiSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    # The schema lists every error answer with its body (api/schema.py); a body that is not JSON is refused
    # in the caller's language.
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "khuyenhoc API",
    "DESCRIPTION": "Learning-society statistics and registries, scoped to the caller's area.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "areas.models.UnitKind",
        "VillageKindEnum": "areas.models.VillageKind",
        "TreeEnum": "areas.models.Tree",
        "LevelEnum": "areas.models.Level",
        "AssociationLevelEnum": "registry.models.AssociationLevel",
        "StateEnum": "evaluations.models.EvaluationState",
        "NominationStateEnum": "awards.models.NominationState",
        "AwardDecisionStatusEnum": "awards.models.AwardDecisionStatus",
        "AwardRecipientEnum": "awards.models.Recipient",
    },
}

TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# The last year recorded on the pre-2025 tree is the year before this one (rules.md §5).
KHUYENHOC_REFORM_YEAR = env_int("KHUYENHOC_REFORM_YEAR", 2025)
# The first year the system holds figures for (the movement's recognitions are counted from here).
KHUYENHOC_FIRST_YEAR = env_int("KHUYENHOC_FIRST_YEAR", 2000)
# The last year a page, the API or an import accepts (the recognition patterns hold 63 years from 2000).
KHUYENHOC_LAST_YEAR = env_int("KHUYENHOC_LAST_YEAR", 2062)
# How many years the trend towards a target is fitted over (least squares on the yearly rates).
KHUYENHOC_TREND_YEARS = env_int("KHUYENHOC_TREND_YEARS", 5)
# A figure that grows or shrinks by more than this factor from one year to the next is flagged.
KHUYENHOC_ANOMALY_FACTOR = float(os.environ.get("KHUYENHOC_ANOMALY_FACTOR", "2"))
# ... unless both years are below this: small counts jump by large factors (3 → 8 clans).
KHUYENHOC_ANOMALY_MIN = env_int("KHUYENHOC_ANOMALY_MIN", 20)
# The site's public address, printed in the certificates' QR codes (the public check page is reached
# from paper, outside any request): scheme and host, no trailing slash.
KHUYENHOC_PUBLIC_URL = os.environ.get("KHUYENHOC_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# The worker's heartbeat (manage.py run_worker) and when the health route calls it late (/health/).
KHUYENHOC_WORKER_BEAT_SECONDS = env_int("KHUYENHOC_WORKER_BEAT_SECONDS", 15)
KHUYENHOC_WORKER_STALE_SECONDS = env_int("KHUYENHOC_WORKER_STALE_SECONDS", 90)
# The temporary passwords of an import's new accounts wait this many days for their importer to take
# them (accounts/credentials.py); the worker deletes them afterwards, taken or not.
KHUYENHOC_TEMPORARY_PASSWORDS_DAYS = env_int("KHUYENHOC_TEMPORARY_PASSWORDS_DAYS", 7)
# Uploads bigger than this are refused while they arrive: what comes after the limit is not kept.
KHUYENHOC_MAX_UPLOAD_BYTES = env_int("KHUYENHOC_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# A file bigger than this goes to a temporary file on disk, not to memory, as it arrives.
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("KHUYENHOC_UPLOAD_MEMORY_BYTES", 2 * 1024 * 1024)
# A request's body apart from its files (form fields, API JSON) is refused above this.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("KHUYENHOC_MAX_REQUEST_BYTES", 5 * 1024 * 1024)
# The fields a request may send. Django's default (1,000) answered 400, losing every mark typed, when a
# village of some 130 households saved its meeting's grid (a field per household and scored criterion)
# or a decision named over a thousand evaluations; a big ward's decision names tens of thousands. The
# size above still bounds what a request costs to read.
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("KHUYENHOC_MAX_REQUEST_FIELDS", 100_000)
# What a spreadsheet may span, checked before it is read (its declared and its real extent; the reader
# allocates the whole rectangle from A1 to its last cell): enough for a national file of households
# (about a million rows of ten columns) with room to spare.
KHUYENHOC_MAX_SHEET_ROWS = env_int("KHUYENHOC_MAX_SHEET_ROWS", 2_000_000)
KHUYENHOC_MAX_SHEET_COLUMNS = env_int("KHUYENHOC_MAX_SHEET_COLUMNS", 200)
KHUYENHOC_MAX_SHEET_CELLS = env_int("KHUYENHOC_MAX_SHEET_CELLS", 20_000_000)
# The longest text a cell may hold (names, notes); a longer one is an error of its row and column.
KHUYENHOC_MAX_CELL_CHARS = env_int("KHUYENHOC_MAX_CELL_CHARS", 10_000)
# An uploaded workbook may unpack to at most this much (xlsx files are zip archives).
KHUYENHOC_MAX_UNPACKED_BYTES = env_int("KHUYENHOC_MAX_UNPACKED_BYTES", 2 * 1024 * 1024 * 1024)
# Each import job's check and save runs in a child process of the worker (imports/tasks.py) with at most
# this much address space (the worker's own included) and this much time; a file that needs more fails
# with a message saying so and the worker goes on. KHUYENHOC_JOB_ISOLATED=0 runs jobs in the worker
# itself, without limits (the test suite's immediate jobs, which run inside each test's transaction).
KHUYENHOC_JOB_MEMORY_MB = env_int("KHUYENHOC_JOB_MEMORY_MB", 3072)
KHUYENHOC_JOB_SECONDS = env_int("KHUYENHOC_JOB_SECONDS", 1800)
KHUYENHOC_JOB_ISOLATED = env_bool("KHUYENHOC_JOB_ISOLATED", True)

# Security. A server runs behind HTTPS (nginx in front ends TLS and sets X-Forwarded-Proto): cookies
# only over HTTPS, HSTS, plain HTTP redirected. KHUYENHOC_HTTPS=0 turns these off together (a server
# on plain HTTP, which `check --deploy` then reports); each also has its own variable. DEBUG turns
# them off for development on http://127.0.0.1.
KHUYENHOC_HTTPS = env_bool("KHUYENHOC_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", KHUYENHOC_HTTPS)
# The health route answers a monitor on the machine itself over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", KHUYENHOC_HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", KHUYENHOC_HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if KHUYENHOC_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# The header by which the proxy says the browser came over HTTPS; empty when nothing sits in front.
_PROXY_HEADER = os.environ.get("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto" if KHUYENHOC_HTTPS else "").strip()
SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_HEADER.upper().replace("-", "_"), "https") if _PROXY_HEADER else None
# Scripts cannot read the cookies; other sites' pages do not send them with their forms.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# What a page may load and run (khuyenhoc.middleware sends it with every answer): only the site itself,
# no inline script (the templates' scripts are static files), no <style> elements; style attributes
# are allowed (criteria trees indent by depth), and no site may frame a page.
KHUYENHOC_CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    # Browsers that know style-src-elem/-attr apply those two; older ones fall back to style-src.
    "style-src": "'self' 'unsafe-inline'",
    "style-src-elem": "'self'",
    "style-src-attr": "'unsafe-inline'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
