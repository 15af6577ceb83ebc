#!/usr/bin/env bash
# Builds the libFuzzer harnesses (release, -sanitize=fuzzer,address, in Fuzz/.build) and runs each for a
# bounded time, starting from its committed seed corpus in Fuzz/Corpus/<harness>/.
#
#   Fuzz/run.sh [seconds] [harness...]     # default 30 s each, every harness
#
# LABCHECK_FUZZ_SEED=N fixes libFuzzer's seed (CI sets it, so that a red run points at a change, not at luck);
# unset, each run explores from a new random seed.
#
# Fails (exit 1) when any harness crashes, leaks, exceeds its memory limit or times out on an input,
# and prints the path of the input that did it (under Fuzz/.build/fuzz-artifacts/<harness>/).
# Reproduce one with:  Fuzz/.build/release/<harness> <input>
# New inputs a run discovers go to Fuzz/.build/fuzz-corpus/<harness>/, never into the committed corpus.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-30}"
shift || true
all=(fuzz-spec fuzz-roster fuzz-state fuzz-accounts fuzz-faults fuzz-sigv4-header fuzz-sigv4-verify fuzz-xml-sts fuzz-ecr-json fuzz-manifest)
if [ $# -gt 0 ]; then harnesses=("$@"); else harnesses=("${all[@]}"); fi

echo "== building ${#harnesses[@]} fuzz harnesses (release, fuzzer+address)"
build_start=$(date +%s)
mkdir -p .build
# The root package is a path dependency: drop the build plan so that files added to or removed from it
# since the last run are seen (SwiftPM keeps the old file lists otherwise; objects are kept).
rm -f .build/release.yaml
# lld: gold stops with an internal error (format_file_lineno) on the instrumented objects.
if ! swift build -c release --scratch-path .build -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld >.build/fuzz-build.log 2>&1; then
  grep -v '^\[' .build/fuzz-build.log | tail -40 >&2
  echo "fuzz: the harnesses did not build (log: Fuzz/.build/fuzz-build.log)" >&2
  exit 1
fi
echo "== built in $(( $(date +%s) - build_start )) s"

export SWIFT_BACKTRACE=enable=no   # libFuzzer prints the stack; Swift's backtracer would stall on a crash
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/lsan.supp:print_suppressions=0}"

failed=()
for harness in "${harnesses[@]}"; do
  artifacts=".build/fuzz-artifacts/$harness/"
  scratch=".build/fuzz-corpus/$harness"
  log=".build/fuzz-logs/$harness.log"
  mkdir -p "$artifacts" "$scratch" "$(dirname "$log")"
  seeds=$(find "Corpus/$harness" -type f | wc -l)
  seed_option=()
  [ -n "${LABCHECK_FUZZ_SEED:-}" ] && seed_option=("-seed=$LABCHECK_FUZZ_SEED")
  status=0
  ".build/release/$harness" "$scratch" "Corpus/$harness" "${seed_option[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -detect_leaks=1 \
    -artifact_prefix="$artifacts" -print_final_stats=1 >"$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $harness FAILED (exit $status) after $runs runs from $seeds seeds; log: Fuzz/$log" >&2
    grep -E '^(==[0-9]+==ERROR|SUMMARY|property broken|Fatal error|Test unit written|.*Timeout|.*out-of-memory)' "$log" | head -20 >&2 || true
    for input in $(grep -o 'Test unit written to [^ ]*' "$log" | awk '{print $5}'); do
      echo "fuzz: crashing input: Fuzz/$input" >&2
    done
    failed+=("$harness")
  else
    echo "fuzz: $harness ok: $runs runs in ${seconds} s from $seeds seeds"
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all ${#harnesses[@]} harnesses ran ${seconds} s each without a crash, leak or timeout"
