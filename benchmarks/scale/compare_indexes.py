#!/usr/bin/env python3
"""Compares two kzqa index files table by table: every table of the schema, FTS5's own tables included (the
FTS5 virtual table itself is read through them), row by row in storage order (rowid, or primary key for a table
without rowid), so two builds that stored the same rows in the same order compare equal.

    python3 benchmarks/scale/compare_indexes.py BEFORE.sqlite AFTER.sqlite [--skip TABLE,...]

Prints one line per table (rows, and whether the contents are identical) and exits 1 when any differs. Index files
built from the same paths hold the same `documents` and `meta` rows; `--skip documents,meta` leaves them out
when the paths differ."""
import argparse, hashlib, sqlite3, sys


def tables(con):
    rows = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
    return [name for name, sql in rows if not (sql or "").upper().startswith("CREATE VIRTUAL")]


def digest(con, table):
    h = hashlib.sha256()
    n = 0
    try:
        cur = con.execute(f'SELECT rowid, * FROM "{table}"')
    except sqlite3.OperationalError:  # WITHOUT ROWID: primary-key order
        cur = con.execute(f'SELECT * FROM "{table}"')
    for row in cur:
        h.update(repr(row).encode())
        n += 1
    return n, h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--skip", default="", help="comma-separated tables to leave out")
    a = ap.parse_args()
    skip = set(filter(None, a.skip.split(",")))
    x, y = sqlite3.connect(a.before), sqlite3.connect(a.after)
    names = sorted(set(tables(x)) | set(tables(y)))
    differ = 0
    for t in names:
        if t in skip:
            continue
        try:
            dx, dy = digest(x, t), digest(y, t)
        except sqlite3.OperationalError as e:
            print(f"{t}: missing on one side ({e})")
            differ += 1
            continue
        same = dx == dy
        differ += not same
        print(f"{t}: {dx[0]} rows before, {dy[0]} after: {'identical' if same else 'DIFFERENT'}")
    print("identical" if not differ else f"{differ} table(s) differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
