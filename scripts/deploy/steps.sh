#!/usr/bin/env bash
# The steps of the container image, in one place: the Dockerfile runs them, and
# scripts/deploy-check.sh (in CI) runs the very same steps on the machine, so they cannot drift.
#   steps.sh build        install, compile the server and the dashboard, drop dev dependencies
#   steps.sh web          the web server (dashboard, API, live socket) on $PORT
#   steps.sh worker       a job worker (needs DATABASE_URL and REDIS_URL)
#   steps.sh healthcheck  exit 0 when /api/v1/ready answers
set -euo pipefail
cd "$(dirname "$0")/../.."
export NEXT_TELEMETRY_DISABLED=1

case "${1:-}" in
  build)
    npm ci --no-audit --no-fund
    npm run build
    npm prune --omit=dev --no-audit --no-fund
    ;;
  web)
    exec node dist/server.js
    ;;
  worker)
    exec node dist/lib/runtime/jobs/worker-main.js
    ;;
  healthcheck)
    exec node -e 'fetch(`http://127.0.0.1:${process.env.PORT || 3000}/api/v1/ready`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))'
    ;;
  *)
    echo "usage: $0 build|web|worker|healthcheck" >&2
    exit 2
    ;;
esac
