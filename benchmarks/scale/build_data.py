#!/usr/bin/env python3
"""Builds the scale passage sets (10k / 100k / 1M lines) from /work/shared/corpora/ (see its README.md).

The 40,706 real French passages of debian-fr-40k.jsonl.gz are shuffled once with a fixed seed and written in
that order; the same order is then written 24 more times, each passage's sentences (split after . ! ? …)
shuffled by a fixed seed and " [#N]" appended (N = the 1-based line number in the output), stopping at
1,000,000 lines. The 10k and 100k sets are the first lines of the 1M set.

Output: benchmarks/scale/data/scale-<size>.jsonl, one {"id", "title", "text"} object a line, and
benchmarks/scale/data/scale-questions.jsonl (the 200 scale queries as an unanswerable question file for
`kzqa bench`). Python 3 standard library only. Files already built are kept unless --force.

    python3 benchmarks/scale/build_data.py --sizes 10k,100k,1m
"""
import argparse
import gzip
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# shared/ lies beside the repository (here and in CI); KZQA_CORPORA overrides it.
DEFAULT_CORPORA = os.environ.get("KZQA_CORPORA") or os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "corpora"))
DATA = os.path.join(HERE, "data")

ORDER_SEED = 20240101      # the one shuffle of the 40,706 passages
SENTENCE_SEED = 424242     # the sentence shuffles of copies 2..25
COPIES = 25
TOTAL = 1_000_000
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def parse_size(s):
    s = s.strip().lower()
    mult = 1
    if s.endswith("k"):
        mult, s = 1000, s[:-1]
    elif s.endswith("m"):
        mult, s = 1_000_000, s[:-1]
    n = int(float(s) * mult)
    if not 0 < n <= TOTAL:
        raise argparse.ArgumentTypeError(f"size {s!r} must be between 1 and {TOTAL}")
    return n


def label(n):
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def data_path(n):
    return os.path.join(DATA, f"scale-{label(n)}.jsonl")


def questions_path():
    return os.path.join(DATA, "scale-questions.jsonl")


def lines(corpora, limit):
    """Yields the output lines (already JSON-encoded, without newline), at most `limit`."""
    with gzip.open(os.path.join(corpora, "debian-fr-40k.jsonl.gz"), "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    order = list(range(len(records)))
    random.Random(ORDER_SEED).shuffle(order)
    sentence_rng = random.Random(SENTENCE_SEED)
    n = 0
    for copy in range(COPIES):
        for i in order:
            if n >= limit:
                return
            n += 1
            r = records[i]
            text = r["text"]
            if copy > 0:
                sentences = SENTENCE_END.split(text.strip())
                sentence_rng.shuffle(sentences)
                text = " ".join(sentences) + f" [#{n}]"
            pid = r["id"] if copy == 0 else f"{r['id']}~{copy}"
            yield json.dumps({"id": pid, "title": r["source"], "text": text}, ensure_ascii=False)


def build(sizes, corpora, force=False, quiet=False):
    os.makedirs(DATA, exist_ok=True)
    wanted = [n for n in sorted(set(sizes)) if force or not os.path.exists(data_path(n))]
    if wanted:
        outs = {n: open(data_path(n) + ".tmp", "w", encoding="utf-8") for n in wanted}
        biggest = max(wanted)
        for k, line in enumerate(lines(corpora, biggest), start=1):
            for n, f in outs.items():
                if k <= n:
                    f.write(line)
                    f.write("\n")
        for n, f in outs.items():
            f.close()
            os.replace(data_path(n) + ".tmp", data_path(n))
            if not quiet:
                print(f"wrote {data_path(n)} ({n} lines, {os.path.getsize(data_path(n)) / 1e6:.1f} MB)", file=sys.stderr)
    q = questions_path()
    if force or not os.path.exists(q):
        with open(os.path.join(corpora, "scale-queries.jsonl"), encoding="utf-8") as f, open(q, "w", encoding="utf-8") as out:
            for line in f:
                if line.strip():
                    o = json.loads(line)
                    out.write(json.dumps({"id": o["id"], "question": o["text"], "answerable": False}, ensure_ascii=False) + "\n")
    return [data_path(n) for n in sizes]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10k,100k,1m", help="comma-separated sizes (10k, 100k, 1m, or a number)")
    ap.add_argument("--corpora", default=DEFAULT_CORPORA, help="folder holding debian-fr-40k.jsonl.gz and scale-queries.jsonl")
    ap.add_argument("--force", action="store_true", help="rebuild files that already exist")
    a = ap.parse_args()
    build([parse_size(s) for s in a.sizes.split(",") if s.strip()], a.corpora, a.force)


if __name__ == "__main__":
    main()
