#!/usr/bin/env bash
# CI for the deployment files (Docker cannot run here): the image's build and start steps, run
# directly from a copy of the build context, the way the Dockerfile runs them.
#   1. The Dockerfile and compose.yaml still call scripts/deploy/steps.sh (else they drifted).
#   2. `steps.sh build` in a copy of the repository's tracked files (what `docker build .` gets).
#   3. `steps.sh web` with the image's ENV: the health check passes, SIGTERM stops it with exit 0.
#   4. `steps.sh worker` on PostgreSQL and Redis (compose's setup): it starts, SIGTERM stops it with exit 0.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PORT_UNDER_TEST="${DEPLOY_CHECK_PORT:-4890}"
PG="${DEPLOY_CHECK_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
REDIS="${DEPLOY_CHECK_REDIS:-redis://127.0.0.1:6379}"
WORK="$(mktemp -d -t dspex-deploy-check-XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
say() { printf 'deploy-check: %s\n' "$*"; }

say "the Dockerfile and compose.yaml run scripts/deploy/steps.sh"
grep -q '^RUN scripts/deploy/steps.sh build$' "$ROOT/Dockerfile"
grep -q '^CMD \["scripts/deploy/steps.sh", "web"\]$' "$ROOT/Dockerfile"
grep -q 'CMD \["scripts/deploy/steps.sh", "healthcheck"\]' "$ROOT/Dockerfile"
grep -q 'command: \["scripts/deploy/steps.sh", "web"\]' "$ROOT/compose.yaml"
grep -q 'command: \["scripts/deploy/steps.sh", "worker"\]' "$ROOT/compose.yaml"

say "build context: the tracked files"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$WORK" 2>/dev/null || true)
APP="$WORK"
"$APP/scripts/deploy/steps.sh" build > "$WORK/build.log" 2>&1 || { tail -50 "$WORK/build.log"; exit 1; }

# The image's environment, from its ENV line; this machine's port and data directory over it.
eval "export $(sed -n 's/^ENV //p' "$ROOT/Dockerfile")"
export PORT="$PORT_UNDER_TEST" HOST=127.0.0.1 DSPEX_DATA_DIR="$WORK/data" DSPEX_PROGRAMS_DIR="$APP/programs"

say "web: starts, passes the health check, stops on SIGTERM with exit 0"
"$APP/scripts/deploy/steps.sh" web > "$WORK/web.log" 2>&1 &
WEB=$!
PIDS+=("$WEB")
for _ in $(seq 1 120); do
  if "$APP/scripts/deploy/steps.sh" healthcheck; then break; fi
  if ! kill -0 "$WEB" 2>/dev/null; then cat "$WORK/web.log"; exit 1; fi
  sleep 1
done
"$APP/scripts/deploy/steps.sh" healthcheck || { cat "$WORK/web.log"; exit 1; }
kill -TERM "$WEB"
wait "$WEB" || { say "web did not exit 0 on SIGTERM"; cat "$WORK/web.log"; exit 1; }

say "worker: starts on PostgreSQL and Redis, stops on SIGTERM with exit 0"
DB="dspex_deploy_check_$$"
DATABASE_URL="$PG/$DB" REDIS_URL="$REDIS" DSPEX_REDIS_PREFIX="deploy-check-$$" "$APP/scripts/deploy/steps.sh" worker > "$WORK/worker.log" 2>&1 &
WORKER=$!
PIDS+=("$WORKER")
for _ in $(seq 1 120); do
  if grep -q "DSPEx worker ready" "$WORK/worker.log"; then break; fi
  if ! kill -0 "$WORKER" 2>/dev/null; then cat "$WORK/worker.log"; exit 1; fi
  sleep 1
done
grep -q "DSPEx worker ready" "$WORK/worker.log" || { cat "$WORK/worker.log"; exit 1; }
kill -TERM "$WORKER"
wait "$WORKER" || { say "worker did not exit 0 on SIGTERM"; cat "$WORK/worker.log"; exit 1; }
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB" > /dev/null 2>&1 || true

say "ok"
