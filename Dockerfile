# syntax=docker/dockerfile:1
# Production image: gunicorn behind your proxy, PostgreSQL through DATABASE_URL.

# The base image, pinned by digest so that every build starts from the same
# bytes: the digest of python:3.13-slim (its multi-platform index) as public
# build logs of September 2026 record it. No registry was reachable where
# this line was written, so the first build is what confirms it: Docker
# refuses an image whose content does not match. To move to a newer one,
# look it up with
#   docker buildx imagetools inspect python:3.13-slim     (the "Digest:" line)
# and replace the digest below (keep the tag for readers), or let Renovate or
# Dependabot bump it. PYTHON_IMAGE=python:3.13-slim builds from the tag.
ARG PYTHON_IMAGE=python:3.13-slim@sha256:7c61056e61ac89e852de05f3dc6fa51a6dd2181797bceed46aa725dd7cb2cd3b

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml constraints.txt ./
COPY tools/requirements.py tools/requirements.py
RUN python -m venv /venv \
    && /venv/bin/pip install -c constraints.txt $(python tools/requirements.py)

FROM ${PYTHON_IMAGE} AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --uid 10001 portal
ENV PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=reuse_portal.settings \
    PORT=8000
WORKDIR /app
COPY --from=build /venv /venv
COPY --chown=portal:portal . .
# A throwaway key: collectstatic and compilemessages need settings, not secrets.
RUN SECRET_KEY=build-only DATABASE_URL=postgresql://build@localhost/build \
    python manage.py compilemessages --ignore=.venv --verbosity=0 \
    && SECRET_KEY=build-only DATABASE_URL=postgresql://build@localhost/build \
    python manage.py collectstatic --noinput --verbosity=0 \
    && mkdir -p /app/media \
    && chown -R portal:portal /app/staticfiles /app/locale /app/media
USER portal
EXPOSE 8000
# /healthz from inside the container, with no curl: any answer but a 2xx
# (503: no database) makes it fail. It names the first of ALLOWED_HOSTS as
# its Host (".example.be" -> "example.be"), since Django refuses any other.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; host = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('*.') or 'localhost'; r.urlopen(r.Request('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), headers={'Host': host}), timeout=4)"]
# gunicorn.conf.py: gthread workers (WEB_CONCURRENCY, GUNICORN_THREADS), timeouts,
# and FORWARDED_ALLOW_IPS, to set to your proxy's address or network. In the
# container it listens on every interface, at PORT.
CMD ["sh", "-c", "export HOST=${HOST:-0.0.0.0} && exec gunicorn --config gunicorn.conf.py reuse_portal.wsgi"]
