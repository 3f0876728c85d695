# Parley in a container: `docker compose up` (compose.yaml) with PostgreSQL beside it.
# Not built in CI here (no container registry is reachable); see docs/deployment.md.

# --- build: the locked dependencies and Parley into /app/.venv with uv
FROM python:3.12-slim-bookworm AS build
COPY --from=ghcr.io/astral-sh/uv:0.9 /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY config ./config
COPY src ./src
COPY manage.py ./
RUN uv sync --frozen --no-dev

# --- run: no compiler, no uv, a user without a login
FROM python:3.12-slim-bookworm AS run
# WeasyPrint draws PDFs with Pango; pg_dump/pg_restore serve `parley backup` and `restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin parley \
    && mkdir -p /var/lib/parley && chown parley:parley /var/lib/parley
WORKDIR /app
COPY --from=build --chown=root:root /app /app
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 PARLEY_VAR_DIR=/var/lib/parley
USER parley
VOLUME /var/lib/parley
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c \
    "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
CMD ["parley", "serve", "--no-worker", "--host", "0.0.0.0", "--port", "8000"]
