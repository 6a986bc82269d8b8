"""One environment-driven settings module. With no environment at all it runs on SQLite in ./var/."""

import datetime
import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from urbangrid import db
from urbangrid.ops import logs as ops_logs

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.getenv("URBANGRID_VAR_DIR", Path.cwd() / "var"))


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default)
    if value not in ("True", "False"):
        raise ImproperlyConfigured(f"{name}={value!r}: use 'True' or 'False'")
    return value == "True"


def envsecret(name: str, default: str = "") -> str:
    if path := os.getenv(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.getenv(name, default)


def tile_origins(url_template: str, subdomains: str) -> list[str]:
    """The origins a tile URL template loads from ({s} expanded over the subdomains), for the CSP."""
    if not url_template:
        return []
    parts = urlsplit(url_template)
    hosts = [parts.netloc.replace("{s}", s) for s in subdomains or "abc"] if "{s}" in parts.netloc else [parts.netloc]
    return sorted({f"{parts.scheme}://{host}" for host in hosts})


def cache_settings(url: str) -> dict:
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if urlsplit(url).scheme in ("redis", "rediss", "unix"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "urbangrid"}
    raise ImproperlyConfigured(f"CACHE_URL={url!r}: use redis://host:port/db, or leave it empty")


def shared_cache_settings(url: str) -> dict:
    """The cache every process reads alike (the command screen's figures, computed by the worker): the Redis
    of CACHE_URL, or without one a table of the database (urbangrid.command.models, made by migrate)."""
    if url:
        return cache_settings(url)
    return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "urbangrid_shared_cache"}


def local_secret_key(path: Path) -> str:
    # A key shipped in the source would let anyone forge sessions, so each installation makes its own.
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = envbool("DEBUG", "False")
SECRET_KEY = envsecret("SECRET_KEY") or local_secret_key(VAR_DIR / "secret_key")
# Signs the chain of case events (cases/chain.py). Kept apart from SECRET_KEY, which may be rotated: a new
# audit key makes every earlier event look forged. Back it up with the database, never inside it.
AUDIT_KEY = envsecret("AUDIT_KEY") or local_secret_key(VAR_DIR / "audit_key")
ALLOWED_HOSTS = [h for h in os.getenv("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.getenv("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "urbangrid.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "urbangrid.accounts.thirdparty.LockoutConfig",  # django-axes: locks out after repeated failed logins
    "django_otp",  # optional second factor: a TOTP app on the phone (accounts/twofactor.py)
    "urbangrid.accounts.thirdparty.TwoFactorConfig",  # django_otp.plugins.otp_totp
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs page's Swagger UI from our static files, not from a CDN
    "urbangrid.grid",
    "urbangrid.catalog",
    "urbangrid.accounts",
    "urbangrid.components",
    "urbangrid.maps",
    "urbangrid.timekeeping",
    "urbangrid.dispatch",
    "urbangrid.notifications",
    "urbangrid.worker",
    "urbangrid.cases",
    "urbangrid.evaluation",
    "urbangrid.api",
    "urbangrid.open311",
    "urbangrid.webhooks",
    "urbangrid.demo",
    "urbangrid.workbench",
    "urbangrid.command",
    "urbangrid.audit",
    "urbangrid.ops",
    "urbangrid.field",
    "urbangrid.hotline",
    "urbangrid.citizens",
    "urbangrid.province",
]

MIDDLEWARE = [
    "urbangrid.ops.middleware.requests",  # first: request id, latency metric and log line for everything
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "urbangrid.web.middleware.pinned_versions",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "urbangrid.audit.middleware.current_request",  # who and from where, for the audit log of model changes
    "urbangrid.accounts.middleware.session_lifetime",
    "urbangrid.accounts.middleware.password_change_required",
    "urbangrid.accounts.middleware.second_factor_required",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "urbangrid.dbrouter.middleware",  # the evaluation and map pages read from DATABASE_REPLICA_URL if set
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into our lockout page
]

ROOT_URLCONF = "urbangrid.urls"
WSGI_APPLICATION = "urbangrid.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "urbangrid.workbench.context.work_queues",
            ]
        },
    }
]

DATABASES = {"default": db.sqlite_settings(VAR_DIR / "urbangrid.sqlite3")}
if os.getenv("DATABASE_URL"):
    DATABASES = {"default": db.settings_from_url(os.environ["DATABASE_URL"])}
# A PostgreSQL streaming replica for the read-heavy evaluation and map pages (urbangrid.dbrouter); the tests run
# against the primary's test database (MIRROR) unless a test starts a replica of its own.
if os.getenv("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {**db.settings_from_url(os.environ["DATABASE_REPLICA_URL"]), "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["urbangrid.dbrouter.ReplicaRouter"]
# Which city this installation is (one installation and database per city: docs/production.md §Several
# cities), and the token the provincial platform presents to pull its aggregates (/province/published.json;
# empty: nothing is published).
CITY_CODE = os.getenv("CITY_CODE", "410100")
CITY_NAME = os.getenv("CITY_NAME", "郑州市")
PROVINCE_PUBLISH_TOKEN = os.getenv("PROVINCE_PUBLISH_TOKEN", "")

# The cache holds the API's rate counters and short-lived map figures. One process (make demo) keeps them in
# memory; several web processes must share one: CACHE_URL=redis://host:6379/0 (pip install '.[prod]').
# "shared" is never per process: what the worker computes for every web process (command screen figures).
CACHES = {
    "default": cache_settings(os.getenv("CACHE_URL", "")),
    "shared": shared_cache_settings(os.getenv("CACHE_URL", "")),
}

# Queued work (notifications, e-mail) lives in the database beside the data it is about, so a rolled-back
# action queues nothing; `urbangrid worker` runs it together with the periodic jobs.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WORKER_TICK_SECONDS = float(os.getenv("WORKER_TICK_SECONDS", "5"))
CASE_ESCALATE_AFTER_HOURS = float(os.getenv("CASE_ESCALATE_AFTER_HOURS", "24"))  # overdue this long → 督办 alert
# A reporter's name and phone are erased this many days after the case ends (cases/retention.py); 0: kept.
CASES_REPORTER_RETENTION_DAYS = int(os.getenv("CASES_REPORTER_RETENTION_DAYS", "365"))
# A photo's own EXIF place and time are shown beside the report's, marked when they differ by more than these.
CASES_PHOTO_DISTANCE_M = float(os.getenv("CASES_PHOTO_DISTANCE_M", "200"))
CASES_PHOTO_HOURS = float(os.getenv("CASES_PHOTO_HOURS", "24"))
# The 受理员 calls a hotline or public reporter back (回访) within this many days of 结案.
HOTLINE_FOLLOW_UP_DAYS = int(os.getenv("HOTLINE_FOLLOW_UP_DAYS", "15"))
NOTIFY_BY_EMAIL = envbool("NOTIFY_BY_EMAIL", "False")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "urbangrid@localhost")
# The city's mail relay (Django's SMTP backend); the defaults suit a local MTA on port 25.
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.getenv("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "False")
EMAIL_TIMEOUT = 20
API_RATE_LIMIT = int(os.getenv("API_RATE_LIMIT", "600"))  # /api/v1/ requests a minute per token, user or address
# Open311 GeoReport v2: the jurisdiction_id clients may send (empty: any is accepted) and the discovery contact.
OPEN311_JURISDICTION = os.getenv("OPEN311_JURISDICTION", "")
OPEN311_CONTACT = os.getenv("OPEN311_CONTACT", "12319")
# Where to report a vulnerability of this installation, served as /.well-known/security.txt (RFC 9116):
# comma-separated mailto:, https: or tel: URIs. Unset: no security.txt (SECURITY.md §8).
SECURITY_CONTACTS = [c.strip() for c in os.getenv("SECURITY_CONTACT", "").split(",") if c.strip()]
if bad := [c for c in SECURITY_CONTACTS if urlsplit(c).scheme not in ("mailto", "https", "tel")]:
    raise ImproperlyConfigured(f"SECURITY_CONTACT: {bad!r} are not mailto:, https: or tel: URIs (RFC 9116)")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The city map's basemap: a tile URL template with {z}/{x}/{y} (and {s} for MAP_BASEMAP_SUBDOMAINS), e.g.
# 天地图 (vec_w + the cva_w labels as MAP_BASEMAP_LABELS_URL) or the city's own tile server. Empty: no
# basemap, the map shows our own layers on a plain background. MAP_BASEMAP_CRS=gcj02 for Gaode-style tiles:
# our layers (stored in WGS84) are then shifted to GCJ-02 to match. See src/urbangrid/maps/README.md.
MAP_BASEMAP_URL = os.getenv("MAP_BASEMAP_URL", "")
MAP_BASEMAP_LABELS_URL = os.getenv("MAP_BASEMAP_LABELS_URL", "")
MAP_BASEMAP_ATTRIBUTION = os.getenv("MAP_BASEMAP_ATTRIBUTION", "")
MAP_BASEMAP_SUBDOMAINS = os.getenv("MAP_BASEMAP_SUBDOMAINS", "")
MAP_BASEMAP_CRS = os.getenv("MAP_BASEMAP_CRS", "wgs84").strip().lower()
MAP_BASEMAP_MAX_ZOOM = int(os.getenv("MAP_BASEMAP_MAX_ZOOM", "18"))

# Content-Security-Policy: scripts and styles only from our own static files (no inline code, no eval; data
# reaches scripts through data-* attributes and json_script), images also from the basemap's tile servers.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *tile_origins(MAP_BASEMAP_URL, MAP_BASEMAP_SUBDOMAINS),
                    *tile_origins(MAP_BASEMAP_LABELS_URL, MAP_BASEMAP_SUBDOMAINS)],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

AUTH_PASSWORD_VALIDATORS = [  # Django's rules, worded in accounts/passwords.py
    {"NAME": "urbangrid.accounts.passwords.NotSimilar"},
    {"NAME": "urbangrid.accounts.passwords.MinimumLength", "OPTIONS": {"min_length": 10}},
    {"NAME": "urbangrid.accounts.passwords.NotCommon"},
    {"NAME": "urbangrid.accounts.passwords.NotNumeric"},
]

LANGUAGE_CODE = os.getenv("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.getenv("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request until collectstatic has run
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
if os.getenv("MEDIA_S3_BUCKET"):  # photos in S3-compatible object storage (MinIO, a cloud's OSS): pip install '.[s3]'
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["MEDIA_S3_BUCKET"],
            "endpoint_url": os.getenv("MEDIA_S3_ENDPOINT") or None,
            "access_key": envsecret("MEDIA_S3_ACCESS_KEY"),
            "secret_key": envsecret("MEDIA_S3_SECRET_KEY"),
            "default_acl": "private",  # photos are served through our views, which check who may see them
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "False")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind TLS (SECURE_COOKIES=True) browsers are told to use HTTPS only, for a year unless HSTS_SECONDS says less.
SECURE_HSTS_SECONDS = int(os.getenv("HSTS_SECONDS", "31536000" if SESSION_COOKIE_SECURE else "0"))
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "False")
if envbool("BEHIND_TLS_PROXY", "False"):  # only when the proxy sets X-Forwarded-Proto itself
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A session ends after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after the login in any case.
SESSION_COOKIE_AGE = int(os.getenv("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_MAX_SECONDS = int(float(os.getenv("SESSION_MAX_HOURS", "12")) * 3600)
# Addresses (or networks) of our own reverse proxies: only their X-Forwarded-For is believed, for the audit log
# and the login lockout. Empty: the connecting address is the client's.
TRUSTED_PROXIES = [ipaddress.ip_network(p.strip()) for p in os.getenv("TRUSTED_PROXIES", "").split(",") if p.strip()]
# Who may read /metrics (the client's address as above); nginx restricts it as well (deploy/nginx/urbangrid.conf).
METRICS_ALLOWED_IPS = [
    ipaddress.ip_network(p.strip()) for p in os.getenv("METRICS_ALLOWED_IPS", "127.0.0.1,::1").split(",") if p.strip()
]
# One line per log record on stderr: LOG_FORMAT=json for log collectors (one JSON object a line), text for people.
LOGGING = ops_logs.config(os.getenv("LOG_FORMAT", "text"), os.getenv("LOG_LEVEL", ""))

AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.getenv("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.getenv("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # a guesser can't lock a colleague out from elsewhere
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "urbangrid.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "urbangrid.accounts.clientip.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # logins and logouts go to our own audit log
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "UrbanGrid"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench:home"
