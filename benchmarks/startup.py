#!/usr/bin/env python3
"""Whole-process start: `kzqa ask --json` against `sqlite3` running one FTS5 MATCH on the same index file, in one
run, the two interleaved so that both see the same load on the machine.

    python3 benchmarks/startup.py [--runs 15] [--kzqa .build/release/kzqa] [--index index/kzqa.sqlite]

Each question is asked once first (page cache warm, hunspell's answers for its words cached, as on any machine
after the first question), then `--runs` times, each time followed by `sqlite3 INDEX "SELECT rowid FROM
passages_fts WHERE passages_fts MATCH '<its stems>' LIMIT 10"`. Writes benchmarks/results/startup.json and .md:
per question and over all runs, the median and p90 wall time of each, and the ratio of the medians; over all runs,
the median CPU time of each (less sensitive than wall time to other processes on a shared machine)."""
import argparse, json, os, platform, resource, statistics, subprocess, time

# Questions of the seed articles' topics with their content stems as the index writes them (`kzqa analyze`).
QUESTIONS = [
    ("Qui dirige le nouveau ministère de l'IA ?", "dirig OR nouveau OR ministr OR ia"),
    ("Combien d'étudiants suivront des cours d'IA ?", "etudi OR suivront OR cour OR ia"),
    ("Quand le Kazakhstan a-t-il lancé le tenge numérique ?", "kazakhstan OR lanc OR teng OR numer"),
]

ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=15)
ap.add_argument("--kzqa", default=".build/release/kzqa")
ap.add_argument("--index", default="index/kzqa.sqlite")
ap.add_argument("--out", default="benchmarks/results/startup")
args = ap.parse_args()

CPU = []  # CPU time (user + system) of each run, in the order of the calls to `wall`

def wall(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = (time.perf_counter() - t) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    return elapsed

def p90(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.9 * (len(xs) - 1))))]

rows, all_k, all_s, cpu_k, cpu_s = [], [], [], [], []
for question, match in QUESTIONS:
    ask = [args.kzqa, "ask", "--index", args.index, "--json", question]
    sql = ["sqlite3", args.index, f"SELECT rowid FROM passages_fts WHERE passages_fts MATCH '{match}' LIMIT 10"]
    wall(ask), wall(sql)
    k, s = [], []
    for _ in range(args.runs):
        k.append(wall(ask))
        cpu_k.append(CPU[-1])
        s.append(wall(sql))
        cpu_s.append(CPU[-1])
    all_k += k
    all_s += s
    rows.append({"question": question, "match": match, "kzqa_ms_median": round(statistics.median(k), 2),
                 "kzqa_ms_p90": round(p90(k), 2), "sqlite3_ms_median": round(statistics.median(s), 2),
                 "sqlite3_ms_p90": round(p90(s), 2), "ratio": round(statistics.median(k) / statistics.median(s), 2)})

overall = {"kzqa_ms_median": round(statistics.median(all_k), 2), "kzqa_ms_p90": round(p90(all_k), 2),
           "sqlite3_ms_median": round(statistics.median(all_s), 2), "sqlite3_ms_p90": round(p90(all_s), 2),
           "ratio": round(statistics.median(all_k) / statistics.median(all_s), 2),
           "kzqa_cpu_ms_median": round(statistics.median(cpu_k), 2), "sqlite3_cpu_ms_median": round(statistics.median(cpu_s), 2),
           "cpu_ratio": round(statistics.median(cpu_k) / max(statistics.median(cpu_s), 1e-9), 2)}
result = {"index": args.index, "runs_per_question": args.runs, "machine": f"{platform.machine()}, {os.cpu_count()} cores",
          "load_average": os.getloadavg()[0], "questions": rows, "overall": overall}
os.makedirs(os.path.dirname(args.out), exist_ok=True)
json.dump(result, open(args.out + ".json", "w"), indent=2, ensure_ascii=False)
lines = [f"Whole-process `kzqa ask --json` against `sqlite3` running one FTS5 MATCH on {args.index}, "
         f"{args.runs} interleaved runs per question (load average {result['load_average']:.1f}).", "",
         "| question | kzqa median ms | kzqa p90 | sqlite3 median ms | sqlite3 p90 | ratio |", "|:--|--:|--:|--:|--:|--:|"]
for r in rows + [dict(overall, question="all runs")]:
    lines.append(f"| {r['question']} | {r['kzqa_ms_median']:.1f} | {r['kzqa_ms_p90']:.1f} | {r['sqlite3_ms_median']:.1f} "
                 f"| {r['sqlite3_ms_p90']:.1f} | {r['ratio']:.2f}× |")
lines += ["", f"CPU time (user + system, all runs): kzqa {overall['kzqa_cpu_ms_median']:.1f} ms, sqlite3 "
          f"{overall['sqlite3_cpu_ms_median']:.1f} ms, ratio {overall['cpu_ratio']:.2f}×."]
open(args.out + ".md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
