#!/usr/bin/env python3
"""Checks that incremental updates keep the index consistent at scale: an index brought up to date step by step
(add a file, edit one, delete one) must hold, passage by passage, the same terms, counts, lengths and dfs as an
index rebuilt from scratch over the same files, and term by term the same postings (passage → tf; row ids differ
between the two, so passages are compared by their public id), with score bounds that hold. The TF-IDF weights
are computed when read from exactly these counts, N and dfs, so they agree when these do.

    python3 benchmarks/scale/check_incremental.py --size 100k

Uses the passage set of build_data.py (built when missing), split into three files. Python 3 standard library only.
"""
import argparse
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


def varint(b, i):
    v = shift = 0
    while True:
        x = b[i]
        i += 1
        v |= (x & 0x7f) << shift
        if x < 0x80:
            return v, i
        shift += 7


def decode_postings(b):
    """The (rowid, tf) pairs of a posting list (PostingCodec's blocks)."""
    out, i = [], 0
    while i < len(b):
        n, i = varint(b, i)
        first, i = varint(b, i)
        _, i = varint(b, i)
        _, i = varint(b, i)
        tf, i = varint(b, i)
        rowid = first
        out.append((rowid, tf))
        for _ in range(n - 1):
            d, i = varint(b, i)
            tf, i = varint(b, i)
            rowid += d
            out.append((rowid, tf))
    return out


def blocks(con, table):
    values = {}
    for block, data in con.execute(f"SELECT block, data FROM {table}"):
        for k, v in enumerate(struct.unpack_from(f"<{len(data) // 4}I", data)):
            if v:
                values[(block << 12) + k] = v
    return values


def snapshot(path):
    """pid → (terms text, length, {term: count}), {term: df}, meta, {term: {pid: tf}}; checks on the way that the
    postings, lengths and dfs arrays agree with the vectors and terms tables of the same file."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    term = dict(con.execute("SELECT id, term FROM terms"))
    df = {t: d for t, d in con.execute("SELECT term, df FROM terms")}
    passages, pid_of = {}, {}
    lengths = blocks(con, "passage_lengths")
    rows = con.execute("""SELECT p.id, p.pid, f.terms, v.length, v.tf FROM passages p
                          JOIN passages_fts f ON f.rowid = p.id JOIN vectors v ON v.passage_id = p.id""")
    for rowid, pid, text, length, tf in rows:
        ids, counts = decode(tf)
        assert lengths.get(rowid, 0) == length, (pid, "passage_lengths", lengths.get(rowid), length)
        passages[pid] = (text, length, {term[i]: c for i, c in zip(ids, counts)})
        pid_of[rowid] = pid
    assert len(lengths) == len([p for p in passages.values() if p[1] > 0]), "lengths of passages no longer there"
    dfs = blocks(con, "term_df")
    assert dfs == {i: d for i, d in ((i, df[t]) for i, t in term.items())}, "term_df differs from terms"
    postings = {}
    for term_id, count, max_tf, min_length, data in con.execute("SELECT term_id, count, max_tf, min_length, data FROM postings"):
        pairs = decode_postings(data)
        rowids = [r for r, _ in pairs]
        assert rowids == sorted(set(rowids)), (term.get(term_id), "row ids not strictly ascending")
        assert count == len(pairs) == df.get(term.get(term_id)), (term.get(term_id), count, len(pairs))
        assert max_tf >= max(tf for _, tf in pairs) and min_length <= min(lengths[r] for r in rowids), term.get(term_id)
        postings[term[term_id]] = {pid_of[r]: tf for r, tf in pairs}
    assert set(postings) == set(df), "a term without postings, or postings of a term no passage holds"
    meta = dict(con.execute("SELECT key, value FROM meta"))
    con.close()
    return passages, df, meta, postings


def compare(a, b, what):
    pa, dfa, ma, qa = a
    pb, dfb, mb, qb = b
    problems = []
    if set(pa) != set(pb):
        problems.append(f"passage ids differ ({len(set(pa) ^ set(pb))} not in both)")
    if dfa != dfb:
        diff = [t for t in set(dfa) | set(dfb) if dfa.get(t) != dfb.get(t)]
        problems.append(f"{len(diff)} terms with a different df, e.g. {diff[:3]}")
    for k in ("passages", "average_length"):
        if abs(float(ma.get(k, 0)) - float(mb.get(k, 0))) > 1e-9 * max(1, abs(float(mb.get(k, 0)))):
            problems.append(f"meta {k}: {ma.get(k)} vs {mb.get(k)}")
    for pid in set(pa) & set(pb):
        if pa[pid] != pb[pid]:
            problems.append(f"{pid}: terms, length or counts differ")
            break
    differing = [t for t in set(qa) | set(qb) if qa.get(t) != qb.get(t)]
    if differing:
        problems.append(f"{len(differing)} terms with different postings, e.g. {differing[:3]}")
    postings = sum(len(v) for v in qa.values())
    print(f"{what}: {len(pa)} passages, {len(dfa)} terms, {postings} postings"
          + (" — same as the rebuild" if not problems else " — " + "; ".join(problems)))
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
