# One image per service, built from this one file:
#   docker build --build-arg SERVICE=ingest -t mirrorwatch-ingest .   (ingest | matcher | alerts)
# The image runs as uid 1000 on a read-only root filesystem: it writes nothing but logs to stdout.
ARG NODE_IMAGE=node:20-bookworm-slim

# Build every workspace, then drop the development dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY packages packages
COPY services services
# `npm install` honours package-lock.json; `npm ci` rejects the lock files this npm writes (see .ci/run).
RUN npm install --no-audit --no-fund \
 && npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && find packages services -name src -prune -exec rm -rf {} + \
 && find packages services -name '*.tsbuildinfo' -delete

# Runtime: production dependencies and compiled code only, owned by root so the service cannot
# change its own code.
FROM ${NODE_IMAGE}
ARG SERVICE
RUN case "${SERVICE}" in ingest|matcher|alerts) ;; \
      *) echo "build with --build-arg SERVICE=ingest|matcher|alerts" >&2; exit 1 ;; esac
ENV NODE_ENV=production MIRRORWATCH_MODE=production SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json package.json
COPY --from=build --chown=root:root /app/node_modules node_modules
COPY --from=build --chown=root:root /app/packages packages
COPY --from=build --chown=root:root /app/services services
RUN ln -s "services/${SERVICE}/dist/main.js" main.js
# The image's `node` user, by number so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
# Liveness only (/healthz answers without consulting Kafka or Redis), so a broker outage never gets
# containers restarted; docker-compose.yml and Kubernetes probe /readyz for readiness.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "const port = process.env.PORT || { ingest: 8080, matcher: 8081, alerts: 8082 }[process.env.SERVICE]; fetch('http://127.0.0.1:' + port + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 and receives SIGTERM itself; the services drain within SHUTDOWN_TIMEOUT_MS.
CMD ["node", "main.js"]
