# syntax=docker/dockerfile:1
# DSPEx: the compiled server and dashboard. The build and start steps live in
# scripts/deploy/steps.sh, which CI also runs directly (scripts/deploy-check.sh).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN scripts/deploy/steps.sh build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DSPEX_DATA_DIR=/data DSPEX_PROGRAMS_DIR=/app/programs NEXT_TELEMETRY_DISABLED=1
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/next.config.js ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/.next ./.next
COPY --from=build --chown=node:node /app/prisma ./prisma
COPY --from=build --chown=node:node /app/programs ./programs
COPY --from=build --chown=node:node /app/scripts/deploy ./scripts/deploy
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["scripts/deploy/steps.sh", "healthcheck"]
CMD ["scripts/deploy/steps.sh", "web"]
