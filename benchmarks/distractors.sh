#!/usr/bin/env bash
# Retrieval quality with distractors: the seeds indexed together with the 40,706 real French passages of
# ../shared/corpora (Debian documentation), scored on the question sets, beside the seeds-only figures.
#   bash benchmarks/distractors.sh [path/to/debian-fr-40k.jsonl.gz]
# Writes benchmarks/results/distractors.md. Takes about a minute with a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpora/debian-fr-40k.jsonl.gz}
kzqa=.build/release/kzqa
[ -x "$kzqa" ] || swift build -c release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
zcat "$corpus" > "$work/debian-fr-40k.jsonl"
"$kzqa" index seeds --index "$work/seeds.sqlite" --rebuild >/dev/null
"$kzqa" index seeds "$work/debian-fr-40k.jsonl" --index "$work/mixed.sqlite" --rebuild >/dev/null
out=benchmarks/results/distractors.md
{
  echo "# Seeds alone vs seeds + 40,706 distractor passages"
  echo
  echo "$(date -u +%Y-%m-%d), $(nproc) cores, commit $(git rev-parse --short HEAD). Hybrid mode."
  for set in dev own; do
    echo
    echo "## $set-questions.jsonl"
    echo
    echo "| index | recall@1 | recall@5 | mrr@10 | answer_accuracy |"
    echo "|:--|--:|--:|--:|--:|"
    for idx in seeds mixed; do
      "$kzqa" bench --questions "benchmarks/$set-questions.jsonl" --index "$work/$idx.sqlite" --modes hybrid \
        --json "$work/$set-$idx.json" >/dev/null
      python3 - "$work/$set-$idx.json" "$idx" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["modes"]["hybrid"]
print(f"| {sys.argv[2]} | {m['recall@1']:.3f} | {m['recall@5']:.3f} | {m['mrr@10']:.3f} | {m['answer_accuracy']:.3f} |")
PY
    done
  done
} > "$out"
cat "$out"
