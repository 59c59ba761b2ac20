#!/usr/bin/env python3
"""Checks that incremental updates keep TF-IDF vectors, idf and norms consistent at scale: an index brought up to
date step by step (add a file, edit one, delete one) must hold, passage by passage, the same terms, dfs and
weights as an index rebuilt from scratch over the same files.

    python3 benchmarks/scale/check_incremental.py --size 100k

Uses the passage set of build_data.py (built when missing), split into three files. Python 3 standard library only.
"""
import argparse
import math
import os
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import build_data  # noqa: E402


def run(kzqa, args, env=None):
    t = time.monotonic()
    p = subprocess.run([kzqa] + args, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit(f"error: kzqa {' '.join(args)}: {p.stderr.strip()}")
    return time.monotonic() - t, p.stdout.strip()


def decode(blob):
    n = struct.unpack_from("<I", blob, 0)[0]
    ids = struct.unpack_from(f"<{n}i", blob, 4)
    values = struct.unpack_from(f"<{n}f", blob, 4 + 4 * n)
    return ids, values


def snapshot(path):
    """pid → (terms text, {term: count}, {term: weight}), {term: df}, meta."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    term = dict(con.execute("SELECT id, term FROM terms"))
    df = {t: d for t, d in con.execute("SELECT term, df FROM terms")}
    passages = {}
    rows = con.execute("""SELECT p.pid, f.terms, v.length, v.tf, v.weights FROM passages p
                          JOIN passages_fts f ON f.rowid = p.id JOIN vectors v ON v.passage_id = p.id""")
    for pid, text, length, tf, weights in rows:
        ids, counts = decode(tf)
        wids, w = decode(weights)
        assert list(ids) == list(wids), pid
        norm = math.sqrt(sum(x * x for x in w))
        assert not w or abs(norm - 1) < 1e-4, (pid, norm)
        passages[pid] = (text, length, {term[i]: c for i, c in zip(ids, counts)}, {term[i]: x for i, x in zip(ids, w)})
    meta = dict(con.execute("SELECT key, value FROM meta"))
    con.close()
    return passages, df, meta


def compare(a, b, what):
    pa, dfa, ma = a
    pb, dfb, mb = b
    problems = []
    if set(pa) != set(pb):
        problems.append(f"passage ids differ ({len(set(pa) ^ set(pb))} not in both)")
    if dfa != dfb:
        diff = [t for t in set(dfa) | set(dfb) if dfa.get(t) != dfb.get(t)]
        problems.append(f"{len(diff)} terms with a different df, e.g. {diff[:3]}")
    for k in ("passages", "average_length"):
        if abs(float(ma.get(k, 0)) - float(mb.get(k, 0))) > 1e-9 * max(1, abs(float(mb.get(k, 0)))):
            problems.append(f"meta {k}: {ma.get(k)} vs {mb.get(k)}")
    worst = 0.0
    for pid in set(pa) & set(pb):
        ta, la, ca, wa = pa[pid]
        tb, lb, cb, wb = pb[pid]
        if ta != tb or la != lb or ca != cb:
            problems.append(f"{pid}: terms differ")
            break
        for t, x in wa.items():
            worst = max(worst, abs(x - wb.get(t, 0.0)))
    if worst > 1e-5:
        problems.append(f"weights differ by up to {worst:g}")
    print(f"{what}: {len(pa)} passages, {len(dfa)} terms, largest weight difference {worst:.2g}"
          + ("" if not problems else " — " + "; ".join(problems)))
    return not problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="100k")
    ap.add_argument("--kzqa", default=os.path.join(REPO, ".build-scale", "release", "kzqa"))
    a = ap.parse_args()
    n = build_data.parse_size(a.size)
    build_data.build([n], build_data.DEFAULT_CORPORA)
    with open(build_data.data_path(n), encoding="utf-8") as f:
        lines = f.readlines()
    work = tempfile.mkdtemp(prefix="kzqa-incremental-")
    try:
        corpus = os.path.join(work, "corpus")
        os.makedirs(corpus)
        env = dict(os.environ, KZQA_THESAURUS="")
        inc, ref = os.path.join(work, "inc.sqlite"), os.path.join(work, "ref.sqlite")
        third = len(lines) // 3

        def write(name, part):
            with open(os.path.join(corpus, name), "w", encoding="utf-8") as f:
                f.writelines(part)

        def rebuilt_reference():
            run(a.kzqa, ["index", corpus, "--index", ref, "--rebuild"], env)
            return snapshot(ref)

        ok = True
        write("a.jsonl", lines[:third])
        write("b.jsonl", lines[third:2 * third])
        t, out = run(a.kzqa, ["index", corpus, "--index", inc, "--rebuild"], env)
        print(f"first build, 2 files: {t:.1f} s — {out}")
        # Add a file.
        write("c.jsonl", lines[2 * third:])
        t, out = run(a.kzqa, ["index", corpus, "--index", inc], env)
        print(f"add a file: {t:.1f} s — {out}")
        ok &= compare(snapshot(inc), rebuilt_reference(), "after adding")
        # Edit a file: drop every 10th line, change some texts.
        edited = [l for i, l in enumerate(lines[:third]) if i % 10 != 0]
        edited = [l.replace('"text": "', '"text": "Ajouté. ', 1) if i % 7 == 0 else l for i, l in enumerate(edited)]
        write("a.jsonl", edited)
        t, out = run(a.kzqa, ["index", corpus, "--index", inc], env)
        print(f"edit a file: {t:.1f} s — {out}")
        ok &= compare(snapshot(inc), rebuilt_reference(), "after editing")
        # Delete a file.
        os.remove(os.path.join(corpus, "b.jsonl"))
        t, out = run(a.kzqa, ["index", corpus, "--index", inc], env)
        print(f"delete a file: {t:.1f} s — {out}")
        ok &= compare(snapshot(inc), rebuilt_reference(), "after deleting")
        # Nothing changed.
        t, out = run(a.kzqa, ["index", corpus, "--index", inc], env)
        print(f"unchanged: {t:.1f} s — {out}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("consistent" if ok else "INCONSISTENT")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
