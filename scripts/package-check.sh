#!/usr/bin/env bash
# Uses onex as an adopter would: installs the build to a temporary prefix, builds examples/ out of
# the tree against it with find_package(onex), runs the example, then serves-ready its store with
# the installed `onex init --adopt` and verifies it. Needs a finished build (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d /tmp/onex-package.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cmake --install build --prefix "$tmp/prefix" >/dev/null
cmake -S examples -B "$tmp/build" -G Ninja -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$tmp/build" >/dev/null
"$tmp/build/declaration_round" --data-dir "$tmp/store" >"$tmp/round.out"
"$tmp/prefix/bin/onex" init --adopt --data-dir "$tmp/store" --operator admin >/dev/null
"$tmp/prefix/bin/onex" audit verify --data-dir "$tmp/store"
echo "package check: examples/ built against $(ls "$tmp/prefix/lib/cmake/onex" | tr '\n' ' ')"
