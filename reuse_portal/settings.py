"""Settings for the ReUse portal, read from environment variables only."""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from reuse_portal.sso import oidc_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


def env_secret(name: str) -> str | None:
    """Read NAME, or the file named by NAME_FILE (Docker and Kubernetes secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name) or None


DEBUG = env_bool("DEBUG")

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (or SECRET_KEY_FILE), "
            "or DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DJANGO_APPS = [
    # modeltranslation patches the admin, so it must come before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
]
THIRD_PARTY_APPS = [
    "corsheaders",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework",
    # API tokens stored as hashes, shown once when created.
    "reuse_portal.apps.ApiTokensConfig",
    "simple_history",
    "reuse_portal.apps.BackgroundTasksConfig",
    "reuse_portal.apps.LoginProtectionConfig",
]
LOCAL_APPS = [
    "accounts",
    "publishing",
    "catalogue",
    "networks",
    "programme",
    "interchange",
    "impact",
    "news",
    "newsletter",
    "discovery",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    # First: a request id and one access log line for every response, static
    # files and redirects included (reuse_portal/logging.py).
    "reuse_portal.logging.RequestIdMiddleware",
    # Permissions-Policy, Cross-Origin-Resource-Policy, and the site's CSP on
    # the static files WhiteNoise answers (reuse_portal/security_headers.py).
    "reuse_portal.security_headers.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # ETags on every page and API answer, and 304 for conditional requests.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, reading the path's language once.
    "reuse_portal.languages.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous reads from the read replica, when there is one
    # (reuse_portal/routers.py).
    "reuse_portal.routers.ReplicaMiddleware",
    # Anonymous page requests per client (PAGE_RATE): after the user and the
    # language are known.
    "reuse_portal.clients.PageRateLimitMiddleware",
    # A database fault in a view: a 503 page or problem, never a traceback.
    "reuse_portal.faults.DatabaseFaultMiddleware",
    # Django's MessageMiddleware, opening the storage only when used.
    "reuse_portal.messages.LazyMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Records who made each change in the history tables (on the requests
    # that may make one: reuse_portal/history.py).
    "reuse_portal.history.ChangeAuthorMiddleware",
    # Last, as django-axes asks: answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "reuse_portal.urls"
WSGI_APPLICATION = "reuse_portal.wsgi.application"
ASGI_APPLICATION = "reuse_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reuse_portal.context_processors.language_alternates",
                "reuse_portal.context_processors.contact",
            ],
            # The project's own tags: reuse_portal is not an app.
            "libraries": {
                "addresses": "reuse_portal.templatetags.addresses",
                "site_chrome": "reuse_portal.templatetags.site_chrome",
            },
        },
    },
]

# One PostgreSQL database. `make run` and `make test` point DATABASE_URL at the
# embedded server when none is given.
DATABASES = {
    "default": dj_database_url.config(
        default="postgresql://postgres@localhost/reuse_portal",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL.")
# Seconds to open a connection (psycopg's minimum is 2). A healthy server
# answers in milliseconds; a frozen one accepts TCP and then says nothing,
# and each request (and /healthz) waits this long for it.
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "2"))
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = (
    DATABASE_CONNECT_TIMEOUT
)
# No query holds a worker longer than this: a hung or overloaded database
# makes requests fail fast instead of piling up.
DATABASE_STATEMENT_TIMEOUT_MS = int(
    os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "5000")
)
DATABASES["default"]["OPTIONS"]["options"] = (
    f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"
)
# Parameters bound by the server, and a statement a connection has run this
# many times prepared: PostgreSQL then plans it once per connection instead of
# once per request (1.2 ms of a component page's 1.6 ms in the database). An
# empty value binds on the client and prepares nothing, as a pooler in
# transaction mode (PgBouncer before 1.21) needs.
DATABASE_PREPARE_THRESHOLD = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5")
statement_preparation = (
    {"server_side_binding": True, "prepare_threshold": int(DATABASE_PREPARE_THRESHOLD)}
    if DATABASE_PREPARE_THRESHOLD
    else {}
)
DATABASES["default"]["OPTIONS"].update(statement_preparation)
# A frozen server never sends its statement_timeout error: the portal gives
# up this much later on its own and drops the connection
# (reuse_portal/watchdog.py). The margin lets a healthy server answer first.
DATABASE_CLIENT_TIMEOUT_MARGIN_MS = int(
    os.environ.get("DATABASE_CLIENT_TIMEOUT_MARGIN_MS", "500")
)
# Django's health check of a kept connection (CONN_HEALTH_CHECKS, a round
# trip as a request starts) only on a connection the server has not answered
# on for this long; 0 checks on every request (reuse_portal/watchdog.py).
DATABASE_HEALTH_CHECK_IDLE_MS = int(
    os.environ.get("DATABASE_HEALTH_CHECK_IDLE_MS", "1000")
)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Single sign-on with a government identity provider: off unless OIDC_ENABLED
# (see the README); local accounts keep working either way.
oidc = oidc_settings(os.environ)
AUTHENTICATION_BACKENDS += [oidc.pop("OIDC_AUTHENTICATION_BACKEND")] if oidc else []
globals().update(oidc)
# Brute-force protection on every login form (the site's and the admin's):
# five failures for a user name from one address lock that pair for a while.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:account"
LOGOUT_REDIRECT_URL = "catalogue:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# Dutch first: the portal's existing links (/nl/service/...) are Dutch.
LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Brussels"

MODELTRANSLATION_DEFAULT_LANGUAGE = "nl"
MODELTRANSLATION_LANGUAGES = ("nl", "fr", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "nl", "fr")}

# Uploaded logos. In production, let the reverse proxy serve MEDIA_ROOT.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

SECURE_CSP = {
    "default-src": ["'self'"],
    # The one inline style attribute of django-simple-history's admin history
    # page (`style="border-top: 0"`), allowed by its hash and nothing else.
    "style-src": [
        "'self'",
        "'unsafe-hashes'",
        "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
    ],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # /healthz is probed over plain HTTP by load balancers and orchestrators.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# E-mail: printed to the console unless an SMTP server is configured.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": env_secret("EMAIL_HOST_PASSWORD") or "",
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 10,
            },
        }
    }
elif os.environ.get("EMAIL_FILE_PATH"):
    # One file per message in a folder: what the browser tests read.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": os.environ["EMAIL_FILE_PATH"]},
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ReUse <noreply@localhost>")
# Caches shared by every worker and server: Redis when REDIS_URL is set,
# else tables of the database. "default" holds the pages kept for anonymous
# visitors and the values computed once per change of the content
# (reuse_portal/page_cache.py); "limits" the counts of the rate limits
# (reuse_portal/clients.py). Apart, because a full cache deletes entries to
# make room: pages kept for a crawler must never delete a client's count,
# which would let the client start again from zero.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        },
        "limits": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "limits",
        },
    }
else:
    CACHES = {
        "default": {
            # Django's DatabaseCache, writing in one statement.
            "BACKEND": "reuse_portal.cache.UpsertDatabaseCache",
            "LOCATION": "portal_cache",
            # Django's default of 300 is soon passed (pages, results, API
            # answers): past it, every write deletes a third of the entries.
            "OPTIONS": {
                "MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "20000"))
            },
        },
        "limits": {
            "BACKEND": "reuse_portal.cache.UpsertDatabaseCache",
            "LOCATION": "portal_limits",
            # A count per client, scope and window; the windows that have
            # ended are deleted whenever the table is found full.
            "OPTIONS": {
                "MAX_ENTRIES": int(os.environ.get("LIMITS_MAX_ENTRIES", "100000"))
            },
        },
    }
# Sessions live in the database and are read through the default cache: one
# cache read per signed-in request instead of an ORM query on django_session.
# In process, a trivial signed-in request took 1.4 ms instead of 1.9. A
# session the cache has lost (culled, emptied, Redis restarted) is read again
# from the database, so nobody is signed out by it.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# How long an anonymous visitor's page is kept at most; any change to the
# content makes it stale at once. 0 turns the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# Each process keeps its own copies of cached pages and counts in front of the
# shared cache, and re-reads the catalogue's "last change" stamp after this
# many seconds: a change made through another worker or server shows within
# that time. Keep it below DATABASE_REPLICA_MAX_LAG_SECONDS.
STAMP_RECHECK_SECONDS = float(os.environ.get("STAMP_RECHECK_SECONDS", "1"))
# Euros per person-day, for reuse declarations that state their saving in days.
REUSE_DAY_RATE_EUR = Decimal(os.environ.get("REUSE_DAY_RATE_EUR", "600"))
# The catalogue's facet counts and result counts per search and filters, for
# everyone (signed in or not); like the pages, until the catalogue changes.
CATALOGUE_COUNTS_SECONDS = int(os.environ.get("CATALOGUE_COUNTS_SECONDS", "600"))

# The portal's public contact point, shown on the About pages (the address
# the ReUse programme publishes).
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "info@ict-reuse.be")
# Absolute links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background work (e-mails) is stored in the database and run by
# `manage.py db_worker`, so a decision's e-mail survives a restart.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASK_BACKEND", "django_tasks_db.backend.DatabaseBackend"
        )
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "reuse_portal.rest.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["reuse_portal.rest.StrictJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "reuse_portal.rest.PagePagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["reuse_portal.rest.AnonymousRateThrottle"],
    "EXCEPTION_HANDLER": "reuse_portal.rest.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "reuse_portal.schema.PortalAutoSchema",
    "UNAUTHENTICATED_USER": None,
}
REST_KNOX = {
    # A supplier's tool runs unattended: the token lives until it is replaced
    # or revoked on the account page.
    "TOKEN_TTL": None,
    "AUTH_HEADER_PREFIX": "Token",
}
# Requests an anonymous client may make, e.g. "1000/hour" (per server process
# with the default local-memory cache).
API_ANONYMOUS_RATE = os.environ.get("API_ANONYMOUS_RATE", "1000/hour")

SPECTACULAR_SETTINGS = {
    "TITLE": "ReUse portal API",
    # The schema is written in English, whatever language is active.
    "DEFAULT_GENERATOR_CLASS": "reuse_portal.schema.PortalSchemaGenerator",
    "DESCRIPTION": (
        "The catalogue of reusable public-sector software: components, providers, "
        "networks, events, building blocks, collaboration models and reuse cases. "
        "Anyone may read; suppliers write with a token."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "ComponentLanguageEnum": "catalogue.models.Language",
        "ComponentKindEnum": "catalogue.models.ComponentKind",
        "ProviderKindEnum": "catalogue.models.ProviderKind",
        "LinkKindEnum": "catalogue.models.LinkKind",
        "EventKindEnum": "networks.models.Event.Kind",
    },
}

# Any site may read the API from a browser; no credentials cross origins.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]


# --- Throttling and faults ---
# Every limit counts in the shared "limits" cache (CACHES above), so it holds across
# workers and servers, and knows the client by reuse_portal.clients.client_address.
# Reverse proxies in front of the portal, each appending to X-Forwarded-For
# the address it got the request from. 0: clients connect directly and
# REMOTE_ADDR is the client. N: the Nth entry from the right is. Never more
# than there really are, or clients choose their own address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
# The same count for anything of DRF's that reads it.
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
# Login lockouts (django-axes) by the same address as the throttles.
AXES_CLIENT_IP_CALLABLE = "reuse_portal.clients.client_address"
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "reuse_portal.rest.AnonymousRateThrottle",
    "reuse_portal.rest.WriteRateThrottle",
]
# API_ANONYMOUS_RATE (above) is per client, shared by every worker and server.
# Writes (POST, PUT, PATCH, DELETE) of one signed-in user, e.g. "60/hour".
API_WRITE_RATE = os.environ.get("API_WRITE_RATE", "60/hour")
# Pages one anonymous client may ask for, e.g. "600/minute"; empty: no limit.
PAGE_RATE = os.environ.get("PAGE_RATE", "600/minute")
# Downloads of the catalogue as CSV (page and API together) one client may
# start in a window, signed in or not; and all clients together
# (interchange/tabular/views.py). Empty: no limit.
EXPORT_RATE = os.environ.get("EXPORT_RATE", "6/minute")
EXPORT_TOTAL_RATE = os.environ.get("EXPORT_TOTAL_RATE", "20/minute")
# Downloads running at once, across every worker and server sharing the
# database: each holds a worker thread for seconds, which the rates above do
# not bound. Past it, 503 with Retry-After. 0: no limit.
EXPORT_CONCURRENCY = int(os.environ.get("EXPORT_CONCURRENCY") or "2")
# Seconds a client is told to wait (Retry-After) when the database is down.
FAULT_RETRY_AFTER = int(os.environ.get("FAULT_RETRY_AFTER", "30"))
# /healthz gives up on the database after this long (statement_timeout).
HEALTHZ_STATEMENT_TIMEOUT_MS = int(
    os.environ.get("HEALTHZ_STATEMENT_TIMEOUT_MS", "1000")
)


# --- Production: headers, logs, replica, storage ---
# Headers on every response, static files included; Django's SecurityMiddleware
# sends HSTS (over HTTPS, above), nosniff, Referrer-Policy and COOP, and
# reuse_portal/security_headers.py the two below.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
# Powerful browser features no page of the portal uses, refused to every
# origin (the page itself and anything it embeds).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# Logs: one line per record on stderr, JSON outside DEBUG (LOG_FORMAT=json or
# text). Each request gets an id (X-Request-ID, kept from the proxy when it is
# a safe token) carried by its access line and everything logged during it.
LOG_FORMAT = os.environ.get("LOG_FORMAT") or ("text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "reuse_portal.logging.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "reuse_portal.logging.JsonFormatter"},
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "reuse_portal.logging.BatchedStreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# A read replica (DATABASE_REPLICA_URL, or DATABASE_REPLICA_URL_FILE): the
# content reads of anonymous GET requests go there, everything else to the
# primary; the rule is in reuse_portal/routers.py.
if DATABASE_REPLICA_URL := env_secret("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must point at PostgreSQL.")
    DATABASES["replica"].setdefault("OPTIONS", {}).update(
        connect_timeout=DATABASE_CONNECT_TIMEOUT,
        options=f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}",
        **statement_preparation,
    )
    # Tests read the test database through both aliases.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["reuse_portal.routers.ReplicaRouter"]
    # For this long after any content change, every read goes to the primary.
    DATABASE_REPLICA_MAX_LAG_SECONDS = float(
        os.environ.get("DATABASE_REPLICA_MAX_LAG_SECONDS", "5")
    )

# Uploads (logos) on S3-compatible object storage when a bucket is named, so
# that any app server serves any upload; else in MEDIA_ROOT, which several
# servers must then share. Needs django-storages[s3]. Credentials:
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or their _FILE), or the
# instance's role when both are unset.
if AWS_STORAGE_BUCKET_NAME := os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": AWS_S3_ENDPOINT_URL,
            "region_name": AWS_S3_REGION_NAME,
            "custom_domain": AWS_S3_CUSTOM_DOMAIN,
            "access_key": env_secret("AWS_ACCESS_KEY_ID"),
            "secret_key": env_secret("AWS_SECRET_ACCESS_KEY"),
            # Signed, expiring links by default: the bucket stays private.
            # Off (0) for a public bucket or a CDN (AWS_S3_CUSTOM_DOMAIN).
            "querystring_auth": env_bool(
                "AWS_QUERYSTRING_AUTH", not AWS_S3_CUSTOM_DOMAIN
            ),
            # Logo names are random; never replace an object silently.
            "file_overwrite": False,
        },
    }
    # The logos' origin, for the pages' img-src.
    if AWS_S3_CUSTOM_DOMAIN:
        MEDIA_ORIGINS = [f"https://{AWS_S3_CUSTOM_DOMAIN}"]
    elif AWS_S3_ENDPOINT_URL:
        from urllib.parse import urlsplit

        endpoint = urlsplit(AWS_S3_ENDPOINT_URL)
        # Path-style (endpoint/bucket/key) or virtual-hosted (bucket.endpoint).
        MEDIA_ORIGINS = [
            f"{endpoint.scheme}://{endpoint.netloc}",
            f"{endpoint.scheme}://{AWS_STORAGE_BUCKET_NAME}.{endpoint.netloc}",
        ]
    else:
        MEDIA_ORIGINS = [f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"]
        if AWS_S3_REGION_NAME:
            MEDIA_ORIGINS.append(
                f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{AWS_S3_REGION_NAME}"
                ".amazonaws.com"
            )
    SECURE_CSP = {**SECURE_CSP, "img-src": [*SECURE_CSP["img-src"], *MEDIA_ORIGINS]}
