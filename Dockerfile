# One image per service, built from the same file: docker build --build-arg SERVICE=ingest .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY packages packages
COPY services services
RUN npm ci --no-audit --no-fund \
 && npx turbo run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && find packages services -name src -prune -exec rm -rf {} +

FROM node:20-bookworm-slim
ARG SERVICE
ENV NODE_ENV=production MIRRORWATCH_MODE=production SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build --chown=root:root /app/node_modules node_modules
COPY --from=build --chown=root:root /app/packages packages
COPY --from=build --chown=root:root /app/services services
COPY --from=build --chown=root:root /app/package.json package.json
USER node
CMD ["sh", "-c", "exec node services/${SERVICE}/dist/main.js"]
