"""Django settings, read from the environment.

Two modes (``CQO_MODE``):
- ``embedded`` (default): one machine, SQLite under ``var/``, jobs in a SQLite-backed Huey queue,
  a secret key generated once and kept in ``var/secret_key``. Safe defaults, no setup.
- ``production``: every secret comes from the environment, HTTPS-only cookies, HSTS, and
  ``cqo check --deploy`` must be clean. PostgreSQL via ``DATABASE_URL`` and Redis via ``REDIS_URL``
  let several stateless app servers share one database and one job queue.
"""

from __future__ import annotations

import datetime
import os
import secrets
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("CQO_VAR_DIR", Path.cwd() / "var")).resolve()
# The job queue, backups and (embedded) the database live here; made on first start in either mode,
# owner-only: it holds the database, the keys and the backups (issue 8 §5).
if not VAR_DIR.exists():
    VAR_DIR.mkdir(mode=0o700, parents=True)
    VAR_DIR.chmod(0o700)


def _private_file(path: Path) -> None:
    """Create ``path`` empty and owner-only if missing; SQLite then opens it (an empty file is an
    empty database) and gives its -wal and -shm files the same mode."""
    if path.exists() or not path.parent.is_dir():
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


MODE = os.environ.get("CQO_MODE", "embedded").strip().lower()
if MODE not in {"embedded", "production"}:
    raise RuntimeError("CQO_MODE must be 'embedded' or 'production'")
PRODUCTION = MODE == "production"
TESTING = "pytest" in sys.modules or os.environ.get("CQO_TESTING") == "1"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise RuntimeError("SECRET_KEY must be set in production mode")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        _private_file(path)  # owner-only before the key is in it
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG", False)
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise RuntimeError("ALLOWED_HOSTS must be set in production mode")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_htmx",
    "huey.contrib.djhuey",
    "cqo.core",
    "cqo.audit",
    "cqo.accounts",
    "cqo.organisation",
    "cqo.api",
    "cqo.notifications",
    "cqo.workbench",
    # the kernel: the post, the authorities, the charter that documents both
    "cqo.post",
    "cqo.authorities",
    "cqo.charter",
    # master data below the domains: items, suppliers, lots, instruments
    "cqo.masterdata",
    # domain apps: each imports the kernel and the platform, never another domain app
    "cqo.plans",
    "cqo.decisions",
    "cqo.inspection",
    "cqo.anomalies",
    "cqo.incidents",
    "cqo.safety",
    "cqo.recall",
    "cqo.costs",
    "cqo.performance",
    "cqo.reports",
]
# Under pytest, a domain app written against the contract alone (tests/contract_app) proves that
# an app adds its approval kind and vetoable record without editing or migrating the kernel.
if "pytest" in sys.modules:
    import importlib.util

    try:
        if importlib.util.find_spec("tests.contract_app") is not None:
            INSTALLED_APPS.append("tests.contract_app")
    except ImportError:  # pytest run from elsewhere than the repository
        pass

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cqo.core.request_cache.RequestCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body (CSRF reads the form): a body over the limit is not read.
    "cqo.core.uploads.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cqo.audit.middleware.DetachedAuditMiddleware",
    "cqo.api.middleware.ApiLanguageMiddleware",
    "cqo.api.middleware.RequestGuardMiddleware",
    "cqo.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "cqo.core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "cqo.urls"
WSGI_APPLICATION = "cqo.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cqo.workbench.context_processors.shell",
                "cqo.charter.context_processors.published",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------
_default_db = f"sqlite:///{VAR_DIR / 'cqo.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db),
        conn_max_age=int(os.environ.get("CQO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a job writes; IMMEDIATE avoids upgrade deadlocks when
    # two requests append to the audit chain at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    # Connections are kept per server thread like PostgreSQL's (CQO_CONN_MAX_AGE, 60 s): opening
    # one costs about 1.5 ms of CPU, a tenth of a dashboard view (decision 0009).
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("CQO_SQLITE_TEST_NAME") or None}
    _sqlite_name = str(DATABASES["default"].get("NAME") or "")
    if _sqlite_name and _sqlite_name != ":memory:" and not _sqlite_name.startswith("file:"):
        _private_file(Path(_sqlite_name))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache (login throttling lives here) ----------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- jobs -----------------------------------------------------------------------------------
_huey_immediate = _env_bool("CQO_HUEY_IMMEDIATE", TESTING)
if REDIS_URL and not _huey_immediate:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "cqo",
        "url": REDIS_URL,
        "immediate": False,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
else:
    _private_file(VAR_DIR / "huey.sqlite3")
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "cqo",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": _huey_immediate,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }


# --- e-mail ---------------------------------------------------------------------------------
def _email_settings(url: str) -> dict[str, object]:
    parsed = urlparse(url)
    if parsed.scheme in {"", "console"}:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": parsed.path or str(VAR_DIR / "mail"),
        }
    if parsed.scheme in {"smtp", "smtps", "smtp+tls"}:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parsed.hostname or "localhost",
            "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 587),
            "EMAIL_HOST_USER": unquote(parsed.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
            "EMAIL_USE_SSL": parsed.scheme == "smtps",
            "EMAIL_USE_TLS": parsed.scheme == "smtp+tls",
        }
    raise RuntimeError(f"EMAIL_URL scheme not supported: {parsed.scheme}")


globals().update(
    _email_settings(os.environ.get("EMAIL_URL", "file://" if not PRODUCTION else "console://"))
)
if "EMAIL_FILE_PATH" in globals() and not globals()["EMAIL_FILE_PATH"]:
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cqo@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- passwords and sessions -----------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; the suite hashes thousands of passwords. One test checks that
    # the production list puts Argon2 first.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
PRODUCTION_PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # The username repeated passes the similarity ratio above (qe2qe2qe2qe2 for qe2).
    {"NAME": "cqo.accounts.validators.UsernameInPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = int(os.environ.get("CQO_SESSION_SECONDS", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "cqo.accounts.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Sign-in throttling (cqo.accounts.throttle; docs/decisions/0008-sign-in-throttle.md): five
# failures lock a username from one address, twenty lock one address, and twenty for a username
# from everywhere start a doubling lock for the addresses it has not signed in from.
CQO_LOGIN_MAX_FAILURES = int(os.environ.get("CQO_LOGIN_MAX_FAILURES", "5"))
CQO_LOGIN_LOCK_SECONDS = int(os.environ.get("CQO_LOGIN_LOCK_SECONDS", "900"))
CQO_LOGIN_ADDRESS_MAX_FAILURES = int(os.environ.get("CQO_LOGIN_ADDRESS_MAX_FAILURES", "20"))
CQO_LOGIN_USER_MAX_FAILURES = int(os.environ.get("CQO_LOGIN_USER_MAX_FAILURES", "20"))
CQO_LOGIN_USER_WINDOW_SECONDS = int(os.environ.get("CQO_LOGIN_USER_WINDOW_SECONDS", "3600"))
CQO_LOGIN_KNOWN_ADDRESS_DAYS = int(os.environ.get("CQO_LOGIN_KNOWN_ADDRESS_DAYS", "30"))
# The reverse proxies (addresses or networks) whose X-Forwarded-For is believed; none by default,
# so a client cannot choose the address it is counted under.
CQO_TRUSTED_PROXIES = _env_list("CQO_TRUSTED_PROXIES", "")
# An approval request with no due date is reminded daily once it has waited this many calendar days.
CQO_APPROVAL_REMIND_AFTER_DAYS = int(os.environ.get("CQO_APPROVAL_REMIND_AFTER_DAYS", "3"))

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# Each language is named in itself, as language switches conventionally do.
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS: list[Path] = []
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

# --- static files (all local: nothing is loaded from a CDN) --------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("CQO_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("CQO_MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Outside the database and its backups (decision 0007): an HMAC'd line per committed audit event.
AUDIT_ANCHOR_FILE = Path(os.environ.get("CQO_AUDIT_ANCHOR_FILE", VAR_DIR / "audit" / "anchors.log"))
if not PRODUCTION:
    # Embedded mode serves from the finders; an existing (empty) root keeps WhiteNoise quiet.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Never served from here: no URL pattern serves MEDIA_URL, files go out through permission-checked
# views (cqo.core.uploads.file_response).
MEDIA_URL = "/media/"
# The largest file one upload may carry; a request body larger than this (plus room for the
# form's other fields) is refused before it is read.
CQO_UPLOAD_MAX_BYTES = int(os.environ.get("CQO_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "cqo.accounts.tokens.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "cqo.core.api_input.Pagination",
    "DEFAULT_PARSER_CLASSES": [
        "cqo.core.api_input.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("CQO_API_RATE", "6000/hour")},
    "EXCEPTION_HANDLER": "cqo.api.exceptions.exception_handler",
}
# API tokens (django-rest-knox): stored as SHA-512 hashes, each valid this many days from issue.
CQO_API_TOKEN_DAYS = int(os.environ.get("CQO_API_TOKEN_DAYS", "90"))
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=CQO_API_TOKEN_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CQO platform API",
    "DESCRIPTION": "The Chief Quality Officer platform (DB50/T 1696-2024). Every endpoint checks "
    "permission on the object, as the web pages do.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a field named "status"; each choice set gets its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "RecallDecisionKindEnum": "cqo.recall.models_case.DecisionKind.choices",
        "CqoReportKindEnum": "cqo.reports.models.ReportKind.choices",
        "RecallCloseKindEnum": "cqo.recall.models_case.CloseKind.choices",
        "RecallReportKindEnum": "cqo.recall.models_case.ReportKind.choices",
        "StrategyStatusEnum": "cqo.plans.models.StrategyStatus.choices",
        "AuthorityChangeKindEnum": "cqo.organisation.models.AuthorityChangeKind.choices",
        "AuthorityChangeModeEnum": "cqo.organisation.models.AuthorityChangeMode.choices",
        "AuthorityChangeStatusEnum": "cqo.organisation.models.AuthorityChangeStatus.choices",
        "ItemKindEnum": "cqo.masterdata.models.ItemKind.choices",
        "CharacteristicKindEnum": "cqo.masterdata.models.CharacteristicKind.choices",
        "GateBehaviourEnum": "cqo.masterdata.models.GateBehaviour.choices",
        "LotOriginEnum": "cqo.masterdata.models.LotOrigin.choices",
        "StockStatusEnum": "cqo.masterdata.models.StockStatus.choices",
        "SupplierStatusEnum": "cqo.masterdata.models.SupplierStatus.choices",
        "InstrumentStatusEnum": "cqo.masterdata.models.InstrumentStatus.choices",
        "ShipmentStatusEnum": "cqo.masterdata.models.ShipmentStatus.choices",
        "InspectionPlanStatusEnum": "cqo.inspection.models.PlanStatus.choices",
        "InspectionKindEnum": "cqo.inspection.models.InspectionKind.choices",
        "InspectionStatusEnum": "cqo.inspection.models.InspectionStatus.choices",
        "UsageDecisionEnum": "cqo.inspection.models.UsageDecision.choices",
        "SeverityEnum": "cqo.inspection.models.Severity.choices",
        "ConcessionStatusEnum": "cqo.inspection.models.ConcessionStatus.choices",
        "DispositionKindEnum": "cqo.inspection.models.DispositionKind.choices",
        "AlarmStatusEnum": "cqo.inspection.models.AlarmStatus.choices",
        "CapaKindEnum": "cqo.anomalies.models_capa.CapaKind.choices",
        "RewardKindEnum": "cqo.costs.models_rewards.RewardKind.choices",
        "CapaStatusEnum": "cqo.anomalies.models_capa.CapaStatus.choices",
        "CapaActionKindEnum": "cqo.anomalies.models_capa.ActionKind.choices",
        "CapaActionStatusEnum": "cqo.anomalies.models_capa.ActionStatus.choices",
        "ScarStatusEnum": "cqo.anomalies.models_scar.ScarStatus.choices",
        "MrbDispositionKindEnum": "cqo.anomalies.models_mrb.DispositionKind.choices",
        "AnomalyStatusEnum": "cqo.anomalies.models_ncr.AnomalyStatus.choices",
        "AnomalySourceEnum": "cqo.anomalies.models_ncr.AnomalySource.choices",
        "FoundAtEnum": "cqo.anomalies.models_ncr.FoundAt.choices",
        "IncidentLevelEnum": "cqo.incidents.models_incidents.IncidentLevel.choices",
    },
}

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CQO_LOG_LEVEL", "WARNING")},
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Served by WhiteNoise from the app servers themselves; see docs/decisions/0002-whitenoise.md.
WHITENOISE_USE_FINDERS = not PRODUCTION
if PRODUCTION:
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
