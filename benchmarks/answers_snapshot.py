#!/usr/bin/env python3
"""Snapshots of every answer, to show that a change to the engine's speed left its answers alone.

    python3 benchmarks/answers_snapshot.py save DIR [--kzqa .build/release/kzqa] [--index FILE]
    python3 benchmarks/answers_snapshot.py diff DIR_BEFORE DIR_AFTER

`save` runs `kzqa ask --json` (hybrid mode, the default) and `kzqa ask --json --explain` (every score part,
on stderr) for each question of benchmarks/{dev,own,check,train,en-dev}-questions.jsonl, in the question's own
language, and writes DIR/<set>.jsonl: one record per question with the JSON answer and the explanation.
It sets SWIFT_DETERMINISTIC_HASHING=1: without it a dictionary's order differs from process to process, and with
it the order of equally weighted expansions in the explanation and the last digit of a sum.
`diff` compares two snapshots record by record and exits 1 at the first difference it prints (at most 20)."""
import argparse, json, os, subprocess, sys

SETS = ["dev", "own", "check", "train", "en-dev"]

def save(args):
    env = dict(os.environ, SWIFT_DETERMINISTIC_HASHING="1")
    os.makedirs(args.dir, exist_ok=True)
    for name in SETS:
        path = os.path.join("benchmarks", f"{name}-questions.jsonl")
        out = open(os.path.join(args.dir, f"{name}.jsonl"), "w")
        for line in open(path):
            if not line.strip():
                continue
            q = json.loads(line)
            cmd = [args.kzqa, "ask", "--json", "--explain"]
            if args.index:
                cmd += ["--index", args.index]
            if q.get("lang"):
                cmd += ["--lang", q["lang"]]
            cmd += ["--", q["question"]]
            p = subprocess.run(cmd, capture_output=True, text=True, env=env)
            rec = {"id": q.get("id"), "rc": p.returncode, "answer": p.stdout.strip(), "explain": p.stderr.strip()}
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        out.close()
        print(f"{name}: saved", file=sys.stderr)

def diff(args):
    differences = 0
    for name in SETS:
        a = [json.loads(l) for l in open(os.path.join(args.before, f"{name}.jsonl"))]
        b = [json.loads(l) for l in open(os.path.join(args.after, f"{name}.jsonl"))]
        if len(a) != len(b):
            print(f"{name}: {len(a)} records before, {len(b)} after")
            differences += 1
            continue
        same = 0
        for x, y in zip(a, b):
            if x == y:
                same += 1
                continue
            differences += 1
            if differences <= 20:
                for key in ("rc", "answer", "explain"):
                    if x[key] != y[key]:
                        print(f"{name} {x['id']}: {key} differs\n  before: {x[key][:400]}\n  after:  {y[key][:400]}")
        print(f"{name}: {same}/{len(a)} identical")
    sys.exit(1 if differences else 0)

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
sub = ap.add_subparsers(dest="cmd", required=True)
s = sub.add_parser("save")
s.add_argument("dir")
s.add_argument("--kzqa", default=".build/release/kzqa")
s.add_argument("--index")
d = sub.add_parser("diff")
d.add_argument("before")
d.add_argument("after")
args = ap.parse_args()
save(args) if args.cmd == "save" else diff(args)
