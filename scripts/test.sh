#!/usr/bin/env bash
# Builds everything and runs every test (CTest; a suite with no tests is an error).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --test-dir build --no-tests=error --output-on-failure -j 2
