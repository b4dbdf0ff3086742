#!/usr/bin/env bash
# Times what a new user does, following docs/ only: from `git clone` to a first prediction served
# by `dspex serve` on a model of one's own. The model is a local OpenAI-compatible server (the
# stand-in from lib/testing, as docs/real-providers.md and the README's "Use a real provider" set
# up an Ollama or vLLM: DSPEX_LM_BASE_URL, DSPEX_LM_PROVIDER, DSPEX_LM_MODEL).
#
#   scripts/time-to-first-prediction.sh [repository]   (default: this clone; ports 4790-4791)
#
# Steps, as docs/first-program.md: git clone; npm ci && npm run build; `dspex` on the PATH (what
# `npm link` does, without touching the global prefix); dspex init; dspex api-key create;
# dspex serve; curl .../predict. The npm cache is whatever this machine has (warm after one
# install); nothing else is reused: a fresh clone, a fresh build, a fresh data directory.
# Prints the seconds per step and in total, and checks that the answer came from the model.
set -euo pipefail
REPO="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
MODEL_PORT="${MODEL_PORT:-4790}"
PORT="${PORT_SERVE:-4791}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/dspex-first-prediction-XXXXXX")"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

start=$(date +%s.%N)
last=$start
lap() {
  local now; now=$(date +%s.%N)
  printf '%-44s %6.1f s\n' "$1" "$(echo "$now - $last" | bc)"
  last=$now
}

cd "$WORK"
git clone -q "$REPO" dspex
lap "git clone"
cd dspex
npm ci --no-audit --no-fund --loglevel=error > "$WORK/npm-ci.log" 2>&1
lap "npm ci"
npm run build > "$WORK/build.log" 2>&1
lap "npm run build"
mkdir -p "$WORK/bin" && ln -s "$WORK/dspex/dist/lib/cli/main.js" "$WORK/bin/dspex" && chmod +x dist/lib/cli/main.js
export PATH="$WORK/bin:$PATH"

# A model of one's own: an OpenAI-compatible server on this machine serving "my-model".
echo '[{ "id": "my-model" }]' > "$WORK/models.json"
node --import tsx lib/testing/stand-in-main.ts --protocol openai --port "$MODEL_PORT" --config "$WORK/models.json" > "$WORK/model.log" 2>&1 &
PIDS+=($!)
until grep -q '"ready":true' "$WORK/model.log" 2>/dev/null; do sleep 0.2; done
export DSPEX_LM_BASE_URL="http://127.0.0.1:$MODEL_PORT/v1" DSPEX_LM_PROVIDER=custom DSPEX_LM_MODEL=my-model

cd "$WORK"
dspex init my-app > /dev/null
cd my-app
KEY=$(dspex api-key create first-key | tail -1)
lap "dspex init, api-key create"
dspex serve --port "$PORT" > "$WORK/serve.log" 2>&1 &
PIDS+=($!)
until curl -sf "localhost:$PORT/api/v1/ready" > /dev/null; do sleep 0.2; done
lap "dspex serve until ready"
# A busy machine may shed the request (503 OVERLOADED, "retry in N s"): retry as a client would.
for attempt in $(seq 1 30); do
  ANSWER=$(curl -sf "localhost:$PORT/api/v1/programs/sentiment/predict" -H "authorization: Bearer $KEY" \
    -H 'content-type: application/json' -d '{"input": {"review": "Great kettle, works well, would recommend."}}') && break
  sleep 2
done
lap "first prediction"
total=$(echo "$(date +%s.%N) - $start" | bc)

RUN=$(node -pe 'JSON.parse(process.argv[1]).runId' "$ANSWER")
MODEL=$(curl -sf "localhost:$PORT/api/v1/runs/$RUN" -H "authorization: Bearer $KEY" | node -pe 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); [...new Set((r.lmCalls ?? r.run?.lmCalls ?? []).map((c) => c.model))].join(",")')
echo "answer: $ANSWER"
echo "served by model: ${MODEL:-?}"
[ "$MODEL" = "my-model" ] || { echo "the prediction did not come from my-model" >&2; exit 1; }
printf 'git clone to a first served prediction: %.0f s (load average %s)\n' "$total" "$(cut -d' ' -f1-3 /proc/loadavg)"
