#!/usr/bin/env bash
# Checks an OpenAPI 3.1 document of the server (the answer of GET /api/v1/openapi.json):
#   1. lint: Redocly's `recommended` ruleset (tests/openapi/redocly.yaml); any error OR warning fails;
#   2. types: openapi-typescript generates tests/openapi/generated/api.d.ts from it;
#   3. client: tsc --strict type-checks tests/openapi/client.ts against those types.
# All three run (the later ones as far as they can), then one summary line; exit 1 if any failed.
#
# Usage: scripts/openapi-check.sh DOC.json
# Needs node >= 18.19 and npm (Debian 12: apt-get install nodejs npm). The pinned packages are
# installed with `npm ci` into tests/openapi/node_modules when missing or stale (that needs the
# npm registry); a node_modules installed from the current lockfile is reused without the network.
# tests/openapi/sample.json is a reference document that passes: scripts/openapi-check.sh tests/openapi/sample.json
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/tests/openapi"

if [[ $# -ne 1 ]]; then
  echo "usage: $0 DOC.json" >&2
  exit 2
fi
if [[ ! -f "$1" ]]; then
  echo "openapi-check: no such file: $1" >&2
  exit 2
fi
doc="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"

for tool in node npm npx; do
  command -v "$tool" >/dev/null || { echo "openapi-check: $tool not found (apt-get install nodejs npm)" >&2; exit 2; }
done
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>18||(a===18&&b>=19)?0:1)' ||
  { echo "openapi-check: node >= 18.19 needed, found $(node --version)" >&2; exit 2; }

# No telemetry, no update checks: the check must not need the network once installed.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false

# ---- install (npm ci) unless node_modules was installed from this very lockfile ----
stamp="$dir/node_modules/.onex-lock.sha256"
want="$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$dir/node_modules/.bin/redocly" ]]; then
  :  # reuse, offline
else
  echo "openapi-check: npm ci in tests/openapi"
  # engine-strict off: @redocly/cli 1.34 declares npm >= 9.5, Debian 12's npm 9.2 works (it only warns).
  (cd "$dir" && npm ci --prefer-offline --no-audit --no-fund --engine-strict=false --loglevel=error)
  echo "$want" > "$stamp"
fi

log="$(mktemp -d)"
trap 'rm -rf "$log"' EXIT

# ---- 1. lint ----
lint_rc=0
(cd "$dir" && NO_COLOR=1 npx --no-install redocly lint --config redocly.yaml --format=stylish \
  --max-problems=100000 "$doc") >"$log/lint" 2>&1 || lint_rc=$?
sed 's/\x1b\[[0-9;]*m//g' "$log/lint" > "$log/lint.txt"
cat "$log/lint.txt"
errors=$(grep -cE '^[[:space:]]+[0-9]+:[0-9]+[[:space:]]+error[[:space:]]' "$log/lint.txt" || true)
warnings=$(grep -cE '^[[:space:]]+[0-9]+:[0-9]+[[:space:]]+warning[[:space:]]' "$log/lint.txt" || true)
lint_ok=1
if [[ $lint_rc -ne 0 || $errors -ne 0 || $warnings -ne 0 ]]; then lint_ok=0; fi
# Redocly's own verdict must agree with the counted lines (a format change must not pass silently).
if [[ $lint_rc -ne 0 && $errors -eq 0 ]]; then errors="?"; fi
if ! grep -qE 'Woohoo!|Validation failed' "$log/lint.txt"; then lint_ok=0; errors="?"; fi
if grep -qE 'You have [0-9]+ warning' "$log/lint.txt" && [[ $warnings -eq 0 ]]; then lint_ok=0; warnings="?"; fi
lint_msg="lint: $errors errors, $warnings warnings"

# ---- 2. types ----
gen="$dir/generated/api.d.ts"
mkdir -p "$dir/generated"
rm -f "$gen"
types_ok=1
(cd "$dir" && npx --no-install openapi-typescript "$doc" -o "$gen" --redocly typegen.redocly.yaml) \
  >"$log/types" 2>&1 || types_ok=0
if [[ $types_ok -eq 1 && -s "$gen" ]]; then
  types_msg="types: generated"
else
  types_ok=0
  sed 's/\x1b\[[0-9;]*m//g' "$log/types"
  types_msg="types: FAILED"
fi

# ---- 3. client ----
client_ok=0
if [[ $types_ok -eq 1 ]]; then
  tsc_rc=0
  (cd "$dir" && npx --no-install tsc -p .) >"$log/tsc" 2>&1 || tsc_rc=$?
  cat "$log/tsc"
  tsc_errors=$(grep -cE 'error TS[0-9]+' "$log/tsc" || true)
  if [[ $tsc_rc -eq 0 && $tsc_errors -eq 0 ]]; then
    client_ok=1
    client_msg="client.ts: type-checks"
  else
    client_msg="client.ts: $tsc_errors tsc errors"
  fi
else
  client_msg="client.ts: not checked"
fi

if [[ $lint_ok -eq 1 && $types_ok -eq 1 && $client_ok -eq 1 ]]; then
  echo "openapi-check: OK ($lint_msg; $types_msg; $client_msg) $1"
  exit 0
fi
echo "openapi-check: FAILED ($lint_msg; $types_msg; $client_msg) $1"
exit 1
