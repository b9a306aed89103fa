# syntax=docker/dockerfile:1
# Production image: gunicorn behind your proxy, PostgreSQL through DATABASE_URL.

FROM python:3.13-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml constraints.txt ./
COPY tools/requirements.py tools/requirements.py
RUN python -m venv /venv \
    && /venv/bin/pip install -c constraints.txt $(python tools/requirements.py)

FROM python:3.13-slim AS runtime
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
    && chown -R portal:portal /app/staticfiles /app/locale
USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)"
CMD ["sh", "-c", "exec gunicorn reuse_portal.wsgi --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-2} --access-logfile -"]
