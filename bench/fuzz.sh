#!/usr/bin/env bash
# Fuzzing campaign: libFuzzer (Debian's clang, ASan + UBSan, leak detection) on the YAML scenario
# loader and on spec conversion, seeded from examples/scenarios, and on the response fast path
# against Beast's parser (aborts on any disagreement), seeded from bench/fuzz/responses. Builds the fuzzers in their own
# build dir (build/fuzz) and writes the figures to bench/results/fuzz-<time>.md.
# Usage: bench/fuzz.sh [RUNS]   (default 1000000 executions per target)
#   TARGETS="fuzz_scenario_loader" bench/fuzz.sh   runs only the targets named
# Needs clang and libclang-rt-14-dev (scripts/install-deps.sh installs them); the test suite
# does not: it replays the same seeds through the same entry points with g++.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$BENCH_DIR")"
RUNS="${1:-1000000}"
TARGETS="${TARGETS:-fuzz_scenario_loader fuzz_spec_conversion fuzz_response_parse}"
FUZZ_BUILD="${FUZZ_BUILD:-$REPO_DIR/build/fuzz}"
SEED_BUILD="${SEED_BUILD:-$REPO_DIR/build/ci}"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"
WORK="$(mktemp -d /tmp/throng-fuzz.XXXXXX)"
trap '[[ -n "${KEEP_WORK:-}" ]] || rm -rf "$WORK"' EXIT
log() { echo "[fuzz] $*" >&2; }

# UBSan's `function` check is left out: with it clang 14 cannot assemble coroutines ("Cannot
# represent a difference across sections"); every other UBSan check stays on.
sanitizers="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=function"
sanitizers+=" -fno-sanitize-recover=undefined"
# Boost 1.74's Asio does not detect clang 14's C++20 coroutines over libstdc++ (the engine's
# co_await code then fails to compile): say they are there.
coroutines="-DBOOST_ASIO_HAS_CO_AWAIT=1 -DBOOST_ASIO_HAS_STD_COROUTINE=1"
if [[ ! -f "$FUZZ_BUILD/build.ninja" ]]; then
  log "configuring $FUZZ_BUILD with clang"
  CC=clang CXX=clang++ cmake -S "$REPO_DIR" -B "$FUZZ_BUILD" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTHRONG_FUZZ=ON -DTHRONG_BUILD_TESTS=OFF \
    -DCMAKE_CXX_FLAGS="$sanitizers $coroutines" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    >/dev/null
fi
# shellcheck disable=SC2086  # TARGETS is a list of names
cmake --build "$FUZZ_BUILD" -j"${JOBS:-2}" --target $TARGETS
# The seed tool is a g++ suite binary (the fuzz build links only libFuzzer mains).
cmake --build "$SEED_BUILD" -j"${JOBS:-2}" --target fuzz_seed_specs >/dev/null

mkdir -p "$WORK/yaml" "$WORK/spec" "$WORK/http" "$WORK/artifacts" "$RESULTS_DIR"
cp "$REPO_DIR"/examples/scenarios/*.yaml "$REPO_DIR"/bench/fuzz/regressions/* "$WORK/yaml/"
cp "$REPO_DIR"/bench/fuzz/responses/* "$WORK/http/"
"$SEED_BUILD/bench/fuzz/fuzz_seed_specs" --out "$WORK/spec" "$REPO_DIR"/examples/scenarios/*.yaml

stamp="$(date -u +%Y%m%d-%H%M%S)"
report="$RESULTS_DIR/fuzz-$stamp.md"
{
  echo "# Fuzzing $stamp"
  echo
  echo "libFuzzer, clang $(clang --version | head -1 | sed 's/.*version //'), ASan + UBSan, leak detection on; $RUNS runs per target."
  echo
  echo "| target | executions | crashes | leaks | slowest input (s) | peak RSS (MB) | corpus |"
  echo "|---|---|---|---|---|---|---|"
} >"$report"

failed=0
for target in $TARGETS; do
  corpus="$WORK/yaml"
  [[ "$target" == fuzz_spec_conversion ]] && corpus="$WORK/spec"
  [[ "$target" == fuzz_response_parse ]] && corpus="$WORK/http"
  log "$target: $RUNS runs"
  out="$WORK/$target.log"
  status=0
  ASAN_OPTIONS=detect_leaks=1 "$FUZZ_BUILD/bench/fuzz/$target" -runs="$RUNS" -max_len=16384 \
    -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 -report_slow_units=1 \
    -artifact_prefix="$WORK/artifacts/$target-" "$corpus" >"$out" 2>&1 || status=$?
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$out" | tail -1)"
  rss="$(sed -n 's/^stat::peak_rss_mb: *//p' "$out" | tail -1)"
  # No "Slowest unit" line when no input took a second or more (grep then finds nothing).
  slowest="$(grep -o 'Slowest unit: [0-9]* s' "$out" | awk '{print $3}' | sort -n | tail -1 || true)"
  crashes="$(find "$WORK/artifacts" -name "$target-crash-*" -o -name "$target-timeout-*" \
    -o -name "$target-oom-*" | wc -l)"
  leaks="$(find "$WORK/artifacts" -name "$target-leak-*" | wc -l)"
  corpus_size="$(find "$corpus" -type f | wc -l)"
  echo "| $target | ${execs:-?} | $crashes | $leaks | ${slowest:-<1} | ${rss:-?} | $corpus_size |" >>"$report"
  if [[ $status -ne 0 || $crashes -ne 0 || $leaks -ne 0 ]]; then
    failed=1
    log "$target: exit $status; see $out"
    mkdir -p "$RESULTS_DIR/fuzz-$stamp-artifacts"
    cp "$WORK"/artifacts/"$target"-* "$out" "$RESULTS_DIR/fuzz-$stamp-artifacts/" 2>/dev/null || true
  fi
done
cat "$report"
exit $failed
