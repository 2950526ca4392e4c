#!/usr/bin/env bash
# The main job, for now: build and run the embedding example on a fresh store, then verify its
# hash chain with the audit command line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh --target declaration_round onex
data_dir=$(mktemp -d /tmp/onex-round.XXXXXX)
./build/examples/declaration_round --data-dir "$data_dir/store"
./build/server/onex audit verify --data-dir "$data_dir/store"
./build/server/onex audit replay --data-dir "$data_dir/store"
