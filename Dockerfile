# syntax=docker/dockerfile:1
# Production image: gunicorn behind your proxy, PostgreSQL through DATABASE_URL.

# The base image, pinned by digest so that every build starts from the same
# bytes. No registry was reachable where this line was written, so the digest
# is still to be added (never guess one). Look it up with
#   docker buildx imagetools inspect python:3.13-slim     (the "Digest:" line)
# or
#   docker pull python:3.13-slim \
#     && docker inspect --format '{{index .RepoDigests 0}}' python:3.13-slim
# then set the default below to python:3.13-slim@sha256:<digest> (keep the tag
# for readers; Docker checks the digest), and let Renovate or Dependabot bump it.
ARG PYTHON_IMAGE=python:3.13-slim

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
