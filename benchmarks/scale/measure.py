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
import shutil
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


def kzqa_bench(kzqa, index, questions, report, modes=("bm25", "hybrid")):
    """`kzqa bench --modes …` once: per-mode latency (p50/p95 in process after warm-up) and peak RSS answering.
    The hybrid figures stay at the top level (as before); each mode's are under `modes`."""
    out, err, m = timed([kzqa, "bench", "--questions", questions, "--index", index, "--modes", ",".join(modes),
                         "--json", report])
    with open(report, encoding="utf-8") as f:
        r = json.load(f)
    m["questions"] = r.get("questions")
    m["modes"] = {}
    for mode in modes:
        h = r["modes"][mode]
        lat = [q["latency_ms"] for q in r.get("per_question", []) if q.get("mode") == mode]
        mm = {"latency_ms_p50": round(h["latency_ms_p50"], 3), "latency_ms_p95": round(h["latency_ms_p95"], 3)}
        if lat:
            mm["latency_ms_max"] = round(max(lat), 3)
            mm["latency_ms_mean"] = round(statistics.fmean(lat), 3)
        # Retrieval alone (the top 10 passages, what tantivy returns), timed apart by `kzqa bench` ("stages").
        st = r.get("stages", {}).get(mode)
        if st:
            mm["retrieval_ms_p50"] = round(st["retrieval_ms_p50"], 3)
            mm["retrieval_ms_p95"] = round(st["retrieval_ms_p95"], 3)
        m["modes"][mode] = mm
    m.update(m["modes"].get("hybrid", {}))
    m["abstained"] = sum(1 for q in r.get("per_question", []) if q.get("abstained") and q.get("mode") == "hybrid")
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
    build_cpu = time.process_time()
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
    json.dump({"build_s": round(build, 3), "build_cpu_s": round(build_cpu, 3), "latency_ms_p50": round(percentile(lat, 50), 3),
               "latency_ms_p95": round(percentile(lat, 95), 3), "latency_ms_max": round(max(lat), 3),
               "sqlite": sqlite3.sqlite_version}, sys.stdout)


def fts5(data, db, questions):
    out, _, m = timed([sys.executable, os.path.abspath(__file__), "--fts5-worker", data, db, questions])
    r = json.loads(out)
    m.update(r)
    m["index_mb"] = file_mb(db)
    return m


# ---------------------------------------------------------------- tantivy reference (run in the venv's Python)

VENV_PYTHON = os.path.join(HERE, ".venv", "bin", "python")


def tantivy_worker(data, folder, questions):
    """Builds a tantivy index (French Snowball stemmer over the simple tokenizer, lowercased) of the same texts,
    then times the same queries as a disjunction, BM25 top 10, after a warm-up pass. Run by the venv's Python."""
    import tantivy
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    t0 = time.monotonic()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("text", stored=False, tokenizer_name="fr_stem")
    schema = builder.build()
    index = tantivy.Index(schema, path=folder)
    analyzer = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())
                .filter(tantivy.Filter.stemmer("french")).build())
    index.register_tokenizer("fr_stem", analyzer)
    writer = index.writer(heap_size=200_000_000, num_threads=2)
    with open(data, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                writer.add_document(tantivy.Document(text=json.loads(line)["text"]))
    writer.commit()
    writer.wait_merging_threads()
    build = time.monotonic() - t0
    build_cpu = time.process_time()
    index.reload()
    searcher = index.searcher()
    queries = []
    with open(questions, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                words = re.findall(r"\w+", json.loads(line)["question"])
                queries.append(" ".join('"' + w + '"' for w in words))
    parsed = [index.parse_query(q, ["text"]) for q in queries]
    for q in parsed:  # warm-up
        searcher.search(q, 10, count=False).hits
    lat = []
    for q in parsed:
        t = time.perf_counter()
        searcher.search(q, 10, count=False).hits
        lat.append((time.perf_counter() - t) * 1000)
    json.dump({"build_s": round(build, 3), "build_cpu_s": round(build_cpu, 3), "latency_ms_p50": round(percentile(lat, 50), 3),
               "latency_ms_p95": round(percentile(lat, 95), 3), "latency_ms_max": round(max(lat), 3),
               "docs": searcher.num_docs, "tantivy": getattr(tantivy, "__version__", None)}, sys.stdout)


def tantivy_ref(data, folder, questions):
    if not os.access(VENV_PYTHON, os.X_OK):
        raise SystemExit("error: no tantivy venv: python3 -m venv benchmarks/scale/.venv && "
                         "benchmarks/scale/.venv/bin/pip install tantivy (or pass --no-tantivy)")
    out, _, m = timed([VENV_PYTHON, os.path.abspath(__file__), "--tantivy-worker", data, folder, questions])
    m.update(json.loads(out))
    total = 0
    for root, _, files in os.walk(folder):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    m["index_mb"] = round(total / 1e6, 1)
    return m


# ---------------------------------------------------------------- report

def git_commit():
    try:
        c = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--", "Sources"], capture_output=True, text=True).stdout.strip()
        return c + ("+dirty" if dirty else "")
    except OSError:
        return None


def ratios(r):
    """The issue's ratios: bm25 and hybrid p95 over tantivy's p95, index time over the plain FTS5 build."""
    out = {}
    b, t, f, i = r.get("bench", {}).get("modes", {}), r.get("tantivy", {}), r.get("fts5", {}), r.get("index", {})
    for mode in ("bm25", "hybrid"):
        if mode in b and t.get("latency_ms_p95"):
            out[f"{mode}_p95_over_tantivy_p95"] = round(b[mode]["latency_ms_p95"] / max(t["latency_ms_p95"], 1e-6), 2)
            if b[mode].get("retrieval_ms_p95") is not None:
                out[f"{mode}_retrieval_p95_over_tantivy_p95"] = round(b[mode]["retrieval_ms_p95"] / max(t["latency_ms_p95"], 1e-6), 2)
    if i.get("wall_s") and f.get("build_s"):
        out["index_over_fts5_build"] = round(i["wall_s"] / f["build_s"], 2)
    if i.get("cpu_s") and f.get("build_cpu_s"):
        out["index_cpu_over_fts5_cpu"] = round(i["cpu_s"] / f["build_cpu_s"], 2)
    if i.get("wall_s") and t.get("build_s"):
        out["index_over_tantivy_build"] = round(i["wall_s"] / t["build_s"], 2)
    return out


def markdown(result):
    out = [f"# kzqa at scale — {result['label']}", "",
           f"{result['date']}, {result['machine']['cpus']} cores, commit {result['commit']}, binary `{result['kzqa']}`.",
           "Index: `kzqa index DATA --rebuild` (default run, thesaurus included unless noted). "
           "Latency: `kzqa bench --modes bm25,hybrid`, in process after warm-up, 200 scale queries, top 10: the whole "
           "answer (p50/p95) and, timed apart, retrieval alone (the top 10 passages, what tantivy returns). "
           "FTS5: plain SQLite FTS5 bm25 (unicode61, OR of the query words, no reranking); tantivy: tantivy-py, "
           "French Snowball stemmer, BM25 top 10 of a disjunction of the query words; same queries, same run.", ""]

    def f(x, fmt="{:.2f}"):
        return "–" if x is None else fmt.format(x)

    out += ["| size | engine | build s | CPU s | peak RSS build MB | index MB | p50 ms | p95 ms | retrieval alone p50 / p95 ms | peak RSS answering MB |",
            "|" + "---|" * 10]
    for size, r in result["sizes"].items():
        i, b, ft, tv = r.get("index", {}), r.get("bench", {}), r.get("fts5", {}), r.get("tantivy", {})
        modes = b.get("modes", {})
        for mode in ("bm25", "hybrid"):
            if mode in modes or (mode == "hybrid" and b):
                mm = modes.get(mode, b)
                first = mode == "bm25" or "bm25" not in modes
                out.append("| " + " | ".join([
                    size, f"kzqa `{mode}`", f(i.get("wall_s")) if first else "″", f(i.get("cpu_s")) if first else "″",
                    f(i.get("peak_rss_mb"), "{:.0f}") if first else "″", f(i.get("index_mb"), "{:.1f}") if first else "″",
                    f(mm.get("latency_ms_p50")), f(mm.get("latency_ms_p95")),
                    f(mm.get("retrieval_ms_p50")) + " / " + f(mm.get("retrieval_ms_p95")), f(b.get("peak_rss_mb"), "{:.0f}")]) + " |")
        if ft:
            out.append("| " + " | ".join([size, "plain FTS5", f(ft.get("build_s")), f(ft.get("build_cpu_s")), f(ft.get("peak_rss_mb"), "{:.0f}"),
                                          f(ft.get("index_mb"), "{:.1f}"), f(ft.get("latency_ms_p50")), f(ft.get("latency_ms_p95")), "(all it does)",
                                          f(ft.get("peak_rss_mb"), "{:.0f}")]) + " |")
        if tv:
            out.append("| " + " | ".join([size, "tantivy", f(tv.get("build_s")), f(tv.get("build_cpu_s")), f(tv.get("peak_rss_mb"), "{:.0f}"),
                                          f(tv.get("index_mb"), "{:.1f}"), f(tv.get("latency_ms_p50")), f(tv.get("latency_ms_p95")), "(all it does)",
                                          f(tv.get("peak_rss_mb"), "{:.0f}")]) + " |")
    out += ["", "FTS5's and tantivy's CPU s is that of the build alone; their peak RSS is that of the child process that both builds and queries.", "",
            "| size | bm25 p95 / tantivy p95 | hybrid p95 / tantivy p95 | bm25 retrieval p95 / tantivy p95 | hybrid retrieval p95 / tantivy p95 "
            "| index / FTS5 build (wall) | index / FTS5 build (CPU) | index / tantivy build | index s without thesaurus |", "|" + "---|" * 9]
    for size, r in result["sizes"].items():
        q = r.get("ratios", {})
        out.append("| " + " | ".join([size, f(q.get("bm25_p95_over_tantivy_p95")), f(q.get("hybrid_p95_over_tantivy_p95")),
                                      f(q.get("bm25_retrieval_p95_over_tantivy_p95")), f(q.get("hybrid_retrieval_p95_over_tantivy_p95")),
                                      f(q.get("index_over_fts5_build")), f(q.get("index_cpu_over_fts5_cpu")),
                                      f(q.get("index_over_tantivy_build")),
                                      f(r.get("index_without_thesaurus", {}).get("wall_s"))]) + " |")
    out.append("")
    return "\n".join(out)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--fts5-worker":
        fts5_worker(*sys.argv[2:5])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--tantivy-worker":
        tantivy_worker(*sys.argv[2:5])
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10k,100k", help="comma-separated: 10k, 100k, 1m, or a number of lines (default 10k,100k)")
    ap.add_argument("--kzqa", default=os.path.join(REPO, ".build-scale", "release", "kzqa"), help="the kzqa binary (default: .build-scale/release/kzqa)")
    ap.add_argument("--label", default="latest", help="results go to benchmarks/results/scale-<label>.{json,md}")
    ap.add_argument("--thesaurus", choices=["both", "on", "off"], default="both",
                    help="index with the thesaurus step, without it (KZQA_THESAURUS=), or both (default) to show its cost")
    ap.add_argument("--no-fts5", action="store_true", help="skip the plain FTS5 reference")
    ap.add_argument("--no-tantivy", action="store_true", help="skip the tantivy reference (benchmarks/scale/.venv)")
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
        references = [] if a.no_fts5 else [("fts5", "plain FTS5", os.path.join(build_data.DATA, f"fts5-{name}.sqlite"), fts5)]
        if not a.no_tantivy:
            references.append(("tantivy", "tantivy", os.path.join(build_data.DATA, f"tantivy-{name}"), tantivy_ref))
        for key, title, where, measure in references:
            print(f"[{name}] {title} …", file=sys.stderr)
            r[key] = measure(data, where, questions)
            print(f"[{name}]   build {r[key]['build_s']} s, p50 {r[key]['latency_ms_p50']} ms, "
                  f"p95 {r[key]['latency_ms_p95']} ms", file=sys.stderr)
            if os.path.isdir(where):
                if not a.keep:
                    shutil.rmtree(where, ignore_errors=True)
            else:
                remove_index(where)
        if "bench" in r and "fts5" in r:
            r["ratio_p50"] = round(r["bench"]["latency_ms_p50"] / max(r["fts5"]["latency_ms_p50"], 1e-6), 2)
            r["ratio_p95"] = round(r["bench"]["latency_ms_p95"] / max(r["fts5"]["latency_ms_p95"], 1e-6), 2)
        r["ratios"] = ratios(r)
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
