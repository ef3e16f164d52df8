# syntax=docker/dockerfile:1
# Hearth: one process on embedded SQLite in data/ (a volume). For PostgreSQL, set HEARTH_DATABASE_URL.
#   docker build -t hearth .
#   docker run -d --name hearth -e DISCORD_TOKEN=... -v hearth-data:/app/data hearth

FROM python:3.11.13-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY . .
# Only Hearth's own wheel here; its dependencies are resolved when the runtime stage installs it.
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .


FROM python:3.11.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

RUN groupadd --system --gid 10001 hearth \
    && useradd --system --uid 10001 --gid hearth --home-dir /app --no-create-home --shell /usr/sbin/nologin hearth

RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-cache-dir /wheels/*.whl

# The working directory holds data/: shipped data files and, at run time, the SQLite database
# (the default HEARTH_DATABASE_URL is sqlite+aiosqlite:///data/hearth.db, relative to here).
WORKDIR /app
COPY --chown=10001:10001 data/ data/
# Numeric, so the runtime can tell it is not root without reading /etc/passwd.
USER 10001:10001
VOLUME ["/app/data"]

# `python -m bot health` exits 0 when the database answers and this process's gateway heartbeat is recent.
HEALTHCHECK --interval=60s --timeout=15s --start-period=90s --retries=3 \
    CMD ["python", "-m", "bot", "health"]

# Hearth stops cleanly on SIGTERM (docker stop): the scheduler stops and work in flight finishes.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot"]
