# The bot as a container: slim Python, a non-root user, the database on a volume, and a
# HEALTHCHECK that asks the bot's own /healthz.
#
#   docker build -t semarang112 .
#   docker compose up -d          # compose.yaml: reads .env, keeps the database in a volume
#
# Configure with the environment or an env file (see .env.example); DATABASE_PATH and the
# health server are set here so that the volume and the HEALTHCHECK work.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10112 semarang112 \
    && useradd --system --uid 10112 --gid semarang112 --home-dir /app \
       --shell /usr/sbin/nologin semarang112

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY emulator ./emulator
RUN pip install . \
    && mkdir -p /data \
    && chown semarang112:semarang112 /data

ENV DATABASE_PATH=/data/semarang112.sqlite3 \
    HEALTH_PORT=8080 \
    HEALTH_LISTEN=0.0.0.0 \
    MPLCONFIGDIR=/tmp/matplotlib

VOLUME ["/data"]
EXPOSE 8080
USER semarang112
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=15s --start-period=90s --retries=3 \
    CMD ["semarang112", "healthcheck"]
CMD ["semarang112", "run"]
