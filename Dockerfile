# factbot: the Telegram bot in a slim image, run as an unprivileged user with its data in /data.
#
#   docker build -t factbot .
#   docker run -d --name factbot --restart unless-stopped -e BOT_TOKEN=... \
#       -v factbot-data:/data factbot                      # long polling (default)
#   ... -e WEBHOOK_URL=https://bot.example.org/telegram -e WEBHOOK_SECRET=... -p 8080:8080
#   docker exec factbot factbot backup                     # snapshot while it runs
#   docker stop factbot && docker run --rm -v factbot-data:/data factbot restore FILE
#
# Here (no registry): ../shared/container/build-base-image, then
#   docker build --network host --build-arg BASE_IMAGE=factbot-base:bookworm -t factbot .
ARG BASE_IMAGE=python:3.12-slim

FROM ${BASE_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python3 -m venv /opt/venv
WORKDIR /src
# Dependencies get their own layer, keyed on pyproject.toml only: editing the code does not
# reinstall them.
COPY pyproject.toml ./
RUN python3 -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' \
        > /tmp/requirements.txt \
    && /opt/venv/bin/pip install -r /tmp/requirements.txt
COPY README.md ./
COPY facts ./facts
COPY bot ./bot
RUN /opt/venv/bin/pip install --no-deps . \
    && /opt/venv/bin/python -m compileall -q /opt/venv/lib

FROM ${BASE_IMAGE}
# A fixed uid so that a bind-mounted data directory can be prepared on the host
# (chown 10001:10001 DIR); no shell, no home.
RUN groupadd --system --gid 10001 factbot \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin factbot \
    && mkdir /data && chown factbot:factbot /data
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    DATA_DIR=/data \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
USER factbot
WORKDIR /data
VOLUME ["/data"]
# Webhook mode only (WEBHOOK_URL set): the webhook, /healthz and /metrics listen on PORT.
EXPOSE 8080
# The bot stops taking updates, finishes the ones in flight, flushes and closes the store.
STOPSIGNAL SIGTERM
# Webhook mode: GET /healthz. Polling mode: the heartbeat file the running bot refreshes.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["factbot", "health"]
ENTRYPOINT ["factbot"]
CMD ["run"]
