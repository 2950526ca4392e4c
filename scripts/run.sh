#!/usr/bin/env bash
# The main job: build `onex`, fill a demo store if there is none yet (`onex demo`), and serve it
# over REST, printing how to sign in. Stop the server with Ctrl-C (it drains and exits 0).
#
#   ONEX_DATA_DIR  where the demo store lives (default: ./demo-data)
#   ONEX_LISTEN    host:port to serve on (default: 127.0.0.1:8080)
#   ONEX_SMOKE=1   instead of serving until stopped: serve, check /healthz and a sign-in, verify and
#                  replay the store with `onex audit`, run the embedding example, stop (CI).
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir=${ONEX_DATA_DIR:-demo-data}
listen=${ONEX_LISTEN:-127.0.0.1:8080}
targets=(onex)
[[ "${ONEX_SMOKE:-}" == 1 ]] && targets+=(declaration_round)
bash scripts/build.sh --target "${targets[@]}"
onex=./build/server/onex

if [[ ! -e "$data_dir/CURRENT" ]]; then
  mkdir -p "$(dirname "$data_dir")"
  accounts=$(mktemp)
  "$onex" demo --data-dir "$data_dir" >"$accounts"
  mv "$accounts" "$data_dir/demo-accounts.txt"
  cat "$data_dir/demo-accounts.txt"
else
  echo "Using the demo store in $data_dir (delete it for a new one):"
  cat "$data_dir/demo-accounts.txt" 2>/dev/null || true
fi
echo
echo "Serving http://$listen/api/v1 (OpenAPI: http://$listen/api/v1/openapi.json). Sign in with"
echo "  curl -s -X POST http://$listen/api/v1/sessions -H 'Content-Type: application/json' \\"
echo "       -d '{\"account\":\"gd_province\",\"password\":\"<the password above>\"}'"
echo "then answer the SMS challenge with the code on the last line of $data_dir/sms-outbox.jsonl:"
echo "  POST /api/v1/sessions/challenges/<challenge_id> {\"code\":\"<code>\"}"
echo

if [[ "${ONEX_SMOKE:-}" != 1 ]]; then
  exec "$onex" serve --data-dir "$data_dir" --listen "$listen"
fi

# ---- smoke run (CI) ----
"$onex" serve --data-dir "$data_dir" --listen "$listen" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -fsS "http://$listen/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://$listen/healthz"
echo
password=$(sed -n 's/^Accounts (all with the password \(.*\)):$/\1/p' "$data_dir/demo-accounts.txt")
answer=$(curl -sS -X POST "http://$listen/api/v1/sessions" -H 'Content-Type: application/json' \
  -d "{\"account\":\"gd_province\",\"password\":\"$password\"}")
echo "sign-in as gd_province: $answer"
grep -q challenge_id <<<"$answer"
kill -TERM $server
wait $server
trap - EXIT
"$onex" audit verify --data-dir "$data_dir"
"$onex" audit replay --data-dir "$data_dir"
round=$(mktemp -d /tmp/onex-round.XXXXXX)
./build/examples/declaration_round --data-dir "$round/store"
"$onex" audit verify --data-dir "$round/store"
