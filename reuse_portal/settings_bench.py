"""Settings for `make bench`: the portal's own settings, plus the reference
endpoints of bench/urls.py. Never used to serve the portal."""

from reuse_portal.settings import *  # noqa: F403
from reuse_portal.settings import BASE_DIR, TEMPLATES, env_bool

ROOT_URLCONF = "bench.urls"
TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}
]

# One client hammers the portal from one address: the production rates
# (API_ANONYMOUS_RATE, PAGE_RATE) would answer 429 within a second. Rates no
# run reaches keep the limits' own work (their counters in the cache) in
# every measurement: the page limit with production's one-minute windows,
# the API's over one second (its history holds one timestamp per request in
# the window, a few hundred at most, as a real client's at 1000/hour).
API_ANONYMOUS_RATE = "1000000/s"
PAGE_RATE = "100000000/minute"

# L2-stock: the reference endpoint behind the middleware list of
# `django-admin startproject`, to price the portal's own middleware.
STOCK_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
if env_bool("BENCH_STOCK_MIDDLEWARE"):
    MIDDLEWARE = STOCK_MIDDLEWARE
