# syntax=docker/dockerfile:1
# secwatch: multi-stage build on Node 20 (better-sqlite3 v12 needs Node 20/22; v13 needs 22).

FROM node:20-slim AS build
WORKDIR /app
# Toolchain for better-sqlite3's native build when no prebuilt binary is reachable.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
# `npm ci` runs the `prepare` script, which compiles src/ to dist/.
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# node_modules comes from the build stage, already pruned to production dependencies and with
# better-sqlite3 compiled for this very base image.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY config ./config
COPY templates ./templates
RUN mkdir -p /app/var && chown node:node /app/var
USER node
# The SQLite database, feed and outbox live under /app/var; mount a volume there.
VOLUME ["/app/var"]
ENV SECWATCH_CONFIG=/app/config/secwatch.yaml
# secwatch serve listens on http.port (8080 by default); set http.host: 0.0.0.0 in the config.
EXPOSE 8080
ENTRYPOINT ["node", "bin/secwatch.js"]
CMD ["serve"]
