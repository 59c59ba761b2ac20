#!/usr/bin/env bash
# Fuzzes kzqa's analysis and query-building path (tokenizer, elision, stemming, sentence splitter, chunker,
# Query, FTS5Pattern, QAEngine.validate and ask) with Sources/kzqa-fuzz for a bounded time.
#
#   scripts/fuzz.sh [--seconds N] [--mode both|libfuzzer|random] [--seed N] [--no-ask]
#
# --mode both (default) runs, side by side for N seconds (default 600):
#   - libFuzzer, coverage-guided, with AddressSanitizer (built with -sanitize=fuzzer,address into .build-fuzz),
#     over the corpus .build-fuzz/corpus (seed sentences and generated inputs are added to it on every run)
#     with the dictionary scripts/fuzz.dict;
#   - the random driver (plain release build in .build-fuzz-plain): seeded adversarial Unicode and mutated
#     seed sentences, up to 64 KiB an input.
# When the toolchain cannot build with -sanitize=fuzzer, the random driver runs alone.
# Findings (crash-*, timeout-*, finding-* files) land in .build-fuzz/findings; each is an input that broke an
# invariant, crashed or hung. Replay one with:
#   .build-fuzz-plain/release/kzqa-fuzz --replay FILE      (or --show FILE for a Swift literal)
# Exit status: 0 when nothing was found, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=600
mode=both
seed=$(date +%s)
ask=1
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --mode) mode="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --no-ask) ask=0; shift ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fuzz.sh: unknown argument $1 (see --help)" >&2; exit 64 ;;
  esac
done
case "$mode" in both|libfuzzer|random) ;; *) echo "fuzz.sh: --mode is both, libfuzzer or random" >&2; exit 64 ;; esac

out=.build-fuzz
mkdir -p "$out/corpus" "$out/findings" "$out/work-libfuzzer" "$out/work-random"
# Swift's own crash backtracer would fight libFuzzer's and ASan's signal handlers (and can hang).
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}"
export KZQA_FUZZ_SEEDS="$PWD/seeds"
export KZQA_FUZZ_ASK=$ask
findings_before=$(ls "$out/findings" | wc -l)

plain="${out}-plain/release/kzqa-fuzz"
fuzzer="$out/release/kzqa-fuzz"

# build LOG ARGS...: swift build, tried again (up to 4 times) when a source file changed while it compiled.
build() {
  local log="$1"; shift
  for _ in 1 2 3 4; do
    swift build -c release --product kzqa-fuzz "$@" >"$log" 2>&1 && return 0
    grep -q "was modified during the build" "$log" || return 1
    echo "fuzz.sh: a source file changed during the build; building again in 20 s" >&2
    sleep 20
  done
  return 1
}

echo "fuzz.sh: building the random driver (.build-fuzz-plain)" >&2
build "$out/build-plain.log" --scratch-path "${out}-plain" \
  || { tail -30 "$out/build-plain.log" >&2; echo "fuzz.sh: build failed" >&2; exit 2; }

if [ "$mode" != random ]; then
  echo "fuzz.sh: building the libFuzzer driver (.build-fuzz, -sanitize=fuzzer,address)" >&2
  if ! build "$out/build-libfuzzer.log" --scratch-path "$out" -Xswiftc -sanitize=fuzzer,address -Xswiftc -DKZQA_LIBFUZZER; then
    if [ "$mode" = libfuzzer ]; then
      tail -30 "$out/build-libfuzzer.log" >&2; echo "fuzz.sh: this toolchain cannot build with -sanitize=fuzzer" >&2; exit 2
    fi
    echo "fuzz.sh: no libFuzzer with this toolchain (see $out/build-libfuzzer.log): random driver only" >&2
    mode=random
  fi
fi

started=$(date +%s)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; exit 130' INT TERM

lf_rc=0; rd_rc=0
if [ "$mode" != random ]; then
  "$plain" --emit-corpus "$out/corpus" --count 100 --seed "$seed" >/dev/null
  echo "fuzz.sh: libFuzzer for ${seconds} s, corpus $out/corpus ($(ls "$out/corpus" | wc -l) files), log $out/libfuzzer.log" >&2
  KZQA_FUZZ_WORK="$out/work-libfuzzer" "$fuzzer" "$out/corpus" -dict=scripts/fuzz.dict \
    -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$out/findings/" -seed="$((seed % 4294967295))" >"$out/libfuzzer.log" 2>&1 &
  pids+=($!); lf_pid=$!
fi
if [ "$mode" != libfuzzer ]; then
  echo "fuzz.sh: random driver for ${seconds} s, seed $seed, log $out/random.log" >&2
  KZQA_FUZZ_WORK="$out/work-random" "$plain" --seconds "$seconds" --seed "$seed" --findings "$out/findings" \
    >"$out/random.log" 2>&1 &
  pids+=($!); rd_pid=$!
fi
[ -n "${lf_pid:-}" ] && { wait "$lf_pid"; lf_rc=$?; }
[ -n "${rd_pid:-}" ] && { wait "$rd_pid"; rd_rc=$?; }

summary="fuzz.sh summary: $(( $(date +%s) - started )) s"
if [ -n "${lf_pid:-}" ]; then
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/libfuzzer.log" | tail -1)
  summary+=", libFuzzer ${runs:-?} inputs (rc $lf_rc)"
  if [ $lf_rc -ne 0 ]; then
    echo "---- libFuzzer ($out/libfuzzer.log) ----" >&2
    grep -E "kzqa-fuzz: FINDING|^input \(|ERROR: |SUMMARY: |Test unit written|Fatal error" "$out/libfuzzer.log" | head -20 >&2
  fi
fi
if [ -n "${rd_pid:-}" ]; then
  line=$(grep "kzqa-fuzz summary" "$out/random.log" | tail -1)
  n=$(echo "$line" | sed -n 's/.*, \([0-9]*\) inputs.*/\1/p')
  summary+=", random ${n:-?} inputs (rc $rd_rc)"
  if [ $rd_rc -ne 0 ]; then
    echo "---- random driver ($out/random.log) ----" >&2
    grep -vE "^kzqa-fuzz: [0-9]+ s," "$out/random.log" | tail -20 >&2
  fi
fi
new=$(( $(ls "$out/findings" | wc -l) - findings_before ))
if [ $lf_rc -ne 0 ] || [ $rd_rc -ne 0 ] || [ $new -gt 0 ]; then
  echo "$summary, FINDINGS: $new new file(s) in $out/findings"
  for f in $(ls -t "$out/findings" | head -"$(( new > 0 ? new : 1 ))"); do
    echo "  $out/findings/$f: $("$plain" --show "$out/findings/$f" | cut -c1-300)"
  done
  exit 1
fi
echo "$summary, 0 findings"
