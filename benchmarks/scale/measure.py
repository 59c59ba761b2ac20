#!/usr/bin/env python3
"""Measures kzqa at scale: index time, passages/s, index size, peak RSS, answering latency — and plain SQLite
FTS5 bm25 on the same passages and queries in the same run, as a reference.

For each size (10k, 100k, 1m …; the sets of build_data.py, built first when missing):
  1. `kzqa index DATA --index FILE --rebuild` under /usr/bin/time -v: wall and CPU seconds, peak RSS, file size.
     With --thesaurus both (the default) the build runs twice, with and without the thesaurus step
     (KZQA_THESAURUS=), so its cost shows; the default build (with it) is the one queried.
  2. `kzqa bench --questions scale-questions.jsonl --modes hybrid` under /usr/bin/time -v: per-query latency in
     process after a warm-up pass (p50/p95 from its JSON report), peak RSS while answering.
  3. The same passages in a plain FTS5 table (unicode61) built by Python's sqlite3, and the same 200 queries as
     `SELECT rowid FROM t WHERE t MATCH '"a" OR "b" …' ORDER BY rank LIMIT 10`, timed after a warm-up pass.

Writes benchmarks/results/scale-<label>.json and .md. Python 3 standard library only; needs /usr/bin/time.

    swift build -c release --scratch-path .build-scale
    python3 benchmarks/scale/measure.py --sizes 10k,100k --label after
"""
import argparse
import datetime
import json
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import build_data  # noqa: E402


# ---------------------------------------------------------------- helpers

def percentile(values, p):
    """Nearest-rank percentile (p in 0…100)."""
    if not values:
        return None
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time -v; returns (stdout, stderr-without-time-report, measures)."""
    full = ["/usr/bin/time", "-v"] + cmd
    t0 = time.monotonic()
    p = subprocess.run(full, capture_output=True, text=True, env=env)
    wall = time.monotonic() - t0
    err = p.stderr
    cut = err.rfind("\tCommand being timed:")
    report, err = (err[cut:], err[:cut]) if cut >= 0 else ("", err)
    if p.returncode != 0:
        sys.stderr.write(err)
        raise SystemExit(f"error: {' '.join(cmd)} failed with exit code {p.returncode}")

    def field(name):
        m = re.search(re.escape(name) + r":\s*(.+)", report)
        return m.group(1).strip() if m else None

    user = float(field("User time (seconds)") or 0)
    system = float(field("System time (seconds)") or 0)
    rss_kb = int(field("Maximum resident set size (kbytes)") or 0)
    return p.stdout, err, {
        "wall_s": round(wall, 3), "cpu_s": round(user + system, 3),
        "cores_used": round((user + system) / wall, 2) if wall > 0 else None,
        "peak_rss_mb": round(rss_kb / 1024, 1),
    }


def file_mb(path):
    total = 0
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            total += os.path.getsize(path + suffix)
    return round(total / 1e6, 1)


def remove_index(path):
    for suffix in ("", "-wal", "-shm", ".lock"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


# ---------------------------------------------------------------- kzqa

def kzqa_index(kzqa, data, index, thesaurus):
    env = dict(os.environ)
    if not thesaurus:
        env["KZQA_THESAURUS"] = ""
    remove_index(index)
    out, err, m = timed([kzqa, "index", data, "--index", index, "--rebuild"], env)
    m["summary"] = out.strip()
    if err.strip():
        m["warnings"] = err.strip().splitlines()[:5]
    m["index_mb"] = file_mb(index)
    pm = re.search(r"(\d+) passages", out)
    m["passages"] = int(pm.group(1)) if pm else None
    if m["passages"]:
        m["passages_per_s"] = round(m["passages"] / m["wall_s"])
    return m


def kzqa_bench(kzqa, index, questions, report):
    out, err, m = timed([kzqa, "bench", "--questions", questions, "--index", index, "--modes", "hybrid", "--json", report])
    with open(report, encoding="utf-8") as f:
        r = json.load(f)
    h = r["modes"]["hybrid"]
    lat = [q["latency_ms"] for q in r.get("per_question", []) if q.get("mode") == "hybrid"]
    m["questions"] = r.get("questions")
    m["latency_ms_p50"] = round(h["latency_ms_p50"], 3)
    m["latency_ms_p95"] = round(h["latency_ms_p95"], 3)
    if lat:
        m["latency_ms_max"] = round(max(lat), 3)
        m["latency_ms_mean"] = round(statistics.fmean(lat), 3)
    m["abstained"] = sum(1 for q in r.get("per_question", []) if q.get("abstained"))
    return m


# ---------------------------------------------------------------- FTS5 reference (run in a child process)

def fts5_match(text):
    words = re.findall(r"\w+", text)
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in words)


def fts5_worker(data, db, questions):
    remove_index(db)
    t0 = time.monotonic()
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    con.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize = 'unicode61')")
    con.execute("BEGIN")

    def rows():
        with open(data, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield (json.loads(line)["text"],)

    con.executemany("INSERT INTO t(text) VALUES (?)", rows())
    con.execute("COMMIT")
    build = time.monotonic() - t0
    queries = []
    with open(questions, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                queries.append(fts5_match(json.loads(line)["question"]))
    sql = "SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank LIMIT 10"
    for q in queries:  # warm-up
        con.execute(sql, (q,)).fetchall()
    lat = []
    for q in queries:
        t = time.perf_counter()
        con.execute(sql, (q,)).fetchall()
        lat.append((time.perf_counter() - t) * 1000)
    con.close()
    json.dump({"build_s": round(build, 3), "latency_ms_p50": round(percentile(lat, 50), 3),
               "latency_ms_p95": round(percentile(lat, 95), 3), "latency_ms_max": round(max(lat), 3),
               "sqlite": sqlite3.sqlite_version}, sys.stdout)


def fts5(data, db, questions):
    out, _, m = timed([sys.executable, os.path.abspath(__file__), "--fts5-worker", data, db, questions])
    r = json.loads(out)
    m.update(r)
    m["index_mb"] = file_mb(db)
    return m


# ---------------------------------------------------------------- report

def git_commit():
    try:
        c = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--", "Sources"], capture_output=True, text=True).stdout.strip()
        return c + ("+dirty" if dirty else "")
    except OSError:
        return None


def markdown(result):
    out = [f"# kzqa at scale — {result['label']}", "",
           f"{result['date']}, {result['machine']['cpus']} cores, commit {result['commit']}, binary `{result['kzqa']}`.",
           "Index: `kzqa index DATA --rebuild` (default run, thesaurus included unless noted). "
           "Latency: `kzqa bench --modes hybrid`, in process after warm-up, 200 scale queries, top 10. "
           "FTS5: plain SQLite FTS5 bm25 (unicode61, OR of the query words, no reranking), same queries, same run.", "",
           "| size | index s | passages/s | cores used | index MB | peak RSS index MB | index s without thesaurus "
           "| query p50 ms | query p95 ms | peak RSS answering MB | FTS5 p50 ms | FTS5 p95 ms | kzqa/FTS5 p50 | kzqa/FTS5 p95 "
           "| FTS5 build s | FTS5 MB |",
           "|" + "---|" * 16]

    def f(x, fmt="{:.2f}"):
        return "–" if x is None else fmt.format(x)

    for size, r in result["sizes"].items():
        i, b, nt, ft = r.get("index", {}), r.get("bench", {}), r.get("index_without_thesaurus", {}), r.get("fts5", {})
        out.append("| " + " | ".join([
            size, f(i.get("wall_s")), f(i.get("passages_per_s"), "{:,.0f}"), f(i.get("cores_used")),
            f(i.get("index_mb"), "{:.1f}"), f(i.get("peak_rss_mb"), "{:.0f}"), f(nt.get("wall_s")),
            f(b.get("latency_ms_p50")), f(b.get("latency_ms_p95")), f(b.get("peak_rss_mb"), "{:.0f}"),
            f(ft.get("latency_ms_p50")), f(ft.get("latency_ms_p95")),
            f(r.get("ratio_p50")), f(r.get("ratio_p95")), f(ft.get("build_s")), f(ft.get("index_mb"), "{:.1f}"),
        ]) + " |")
    out.append("")
    return "\n".join(out)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--fts5-worker":
        fts5_worker(*sys.argv[2:5])
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10k,100k", help="comma-separated: 10k, 100k, 1m, or a number of lines (default 10k,100k)")
    ap.add_argument("--kzqa", default=os.path.join(REPO, ".build-scale", "release", "kzqa"), help="the kzqa binary (default: .build-scale/release/kzqa)")
    ap.add_argument("--label", default="latest", help="results go to benchmarks/results/scale-<label>.{json,md}")
    ap.add_argument("--thesaurus", choices=["both", "on", "off"], default="both",
                    help="index with the thesaurus step, without it (KZQA_THESAURUS=), or both (default) to show its cost")
    ap.add_argument("--no-fts5", action="store_true", help="skip the plain FTS5 reference")
    ap.add_argument("--no-bench", action="store_true", help="skip answering latency")
    ap.add_argument("--keep", action="store_true", help="keep the index files under data/ (default: delete them after)")
    ap.add_argument("--results", default=os.path.join(REPO, "benchmarks", "results"), help="results folder")
    a = ap.parse_args()

    if not os.access(a.kzqa, os.X_OK):
        raise SystemExit(f"error: no kzqa binary at {a.kzqa} (swift build -c release --scratch-path .build-scale)")
    sizes = [build_data.parse_size(s) for s in a.sizes.split(",") if s.strip()]
    build_data.build(sizes, build_data.DEFAULT_CORPORA)
    questions = build_data.questions_path()
    result = {"label": a.label, "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), "commit": git_commit(),
              "kzqa": os.path.relpath(a.kzqa, REPO) if os.path.abspath(a.kzqa).startswith(REPO + os.sep) else os.path.abspath(a.kzqa),
              "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "sqlite": sqlite3.sqlite_version},
              "sizes": {}}
    for n in sizes:
        name = build_data.label(n)
        data = build_data.data_path(n)
        index = os.path.join(build_data.DATA, f"kzqa-{name}.sqlite")
        r = {"passages_in_file": n}
        if a.thesaurus in ("both", "off"):
            print(f"[{name}] indexing without thesaurus …", file=sys.stderr)
            m = kzqa_index(a.kzqa, data, index, thesaurus=False)
            r["index_without_thesaurus" if a.thesaurus == "both" else "index"] = m
            print(f"[{name}]   {m['wall_s']} s, {m['peak_rss_mb']} MB RSS, {m['index_mb']} MB", file=sys.stderr)
        if a.thesaurus in ("both", "on"):
            print(f"[{name}] indexing …", file=sys.stderr)
            m = kzqa_index(a.kzqa, data, index, thesaurus=True)
            r["index"] = m
            print(f"[{name}]   {m['wall_s']} s, {m['peak_rss_mb']} MB RSS, {m['index_mb']} MB", file=sys.stderr)
        if not a.no_bench:
            print(f"[{name}] answering …", file=sys.stderr)
            r["bench"] = kzqa_bench(a.kzqa, index, questions, os.path.join(build_data.DATA, f"bench-{name}.json"))
            print(f"[{name}]   p50 {r['bench']['latency_ms_p50']} ms, p95 {r['bench']['latency_ms_p95']} ms, "
                  f"{r['bench']['peak_rss_mb']} MB RSS", file=sys.stderr)
        if not a.keep:
            remove_index(index)
        if not a.no_fts5:
            print(f"[{name}] plain FTS5 …", file=sys.stderr)
            db = os.path.join(build_data.DATA, f"fts5-{name}.sqlite")
            r["fts5"] = fts5(data, db, questions)
            print(f"[{name}]   build {r['fts5']['build_s']} s, p50 {r['fts5']['latency_ms_p50']} ms, "
                  f"p95 {r['fts5']['latency_ms_p95']} ms", file=sys.stderr)
            remove_index(db)
            if "bench" in r:
                r["ratio_p50"] = round(r["bench"]["latency_ms_p50"] / max(r["fts5"]["latency_ms_p50"], 1e-6), 2)
                r["ratio_p95"] = round(r["bench"]["latency_ms_p95"] / max(r["fts5"]["latency_ms_p95"], 1e-6), 2)
        result["sizes"][name] = r
        # Written after every size, so a long run leaves its partial results behind.
        os.makedirs(a.results, exist_ok=True)
        base = os.path.join(a.results, f"scale-{a.label}")
        with open(base + ".json", "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2, ensure_ascii=False)
            f.write("\n")
        with open(base + ".md", "w", encoding="utf-8") as f:
            f.write(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()
