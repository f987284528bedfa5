#!/usr/bin/env bash
# The test command: installs dependencies, configures, builds with warnings as errors, runs ctest.
# Usage: scripts/test.sh [preset]   (default preset: ci)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-ci}"
scripts/install-deps.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
ctest --preset "$preset" -j "$(nproc)"
