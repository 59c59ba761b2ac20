#!/usr/bin/env python3
"""Answering latency on the seed index: runs `kzqa bench` several times and reports, per mode, the median over
runs of the in-process p50 and p95 (each run already warms up first), and each mode's ratio to plain bm25.

    python3 benchmarks/latency.py [--runs 5] [--questions benchmarks/dev-questions.jsonl] [--kzqa .build/release/kzqa]

Writes benchmarks/results/latency.json and prints a Markdown table."""
import argparse, json, os, statistics, subprocess, sys, tempfile, platform

ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--questions", default="benchmarks/dev-questions.jsonl")
ap.add_argument("--kzqa", default=".build/release/kzqa")
ap.add_argument("--out", default="benchmarks/results/latency.json")
args = ap.parse_args()

runs = []
with tempfile.TemporaryDirectory() as tmp:
    for i in range(args.runs):
        path = os.path.join(tmp, f"run{i}.json")
        subprocess.run([args.kzqa, "bench", "--questions", args.questions, "--json", path],
                       check=True, stdout=subprocess.DEVNULL)
        runs.append(json.load(open(path))["modes"])

modes = list(runs[0].keys())
summary = {}
for m in modes:
    p50 = statistics.median(r[m]["latency_ms_p50"] for r in runs)
    p95 = statistics.median(r[m]["latency_ms_p95"] for r in runs)
    summary[m] = {"latency_ms_p50_median": round(p50, 3), "latency_ms_p95_median": round(p95, 3),
                  "p95_over_runs": [r[m]["latency_ms_p95"] for r in runs]}
base = summary.get("bm25")
for m in modes:
    if base:
        summary[m]["p50_ratio_to_bm25"] = round(summary[m]["latency_ms_p50_median"] / base["latency_ms_p50_median"], 2)
        summary[m]["p95_ratio_to_bm25"] = round(summary[m]["latency_ms_p95_median"] / base["latency_ms_p95_median"], 2)
result = {"questions": args.questions, "runs": args.runs, "machine": f"{platform.machine()}, {os.cpu_count()} cores",
          "modes": summary}
os.makedirs(os.path.dirname(args.out), exist_ok=True)
json.dump(result, open(args.out, "w"), indent=2)
print(f"| mode | p50 ms (median of {args.runs}) | p95 ms (median of {args.runs}) | p50 / bm25 | p95 / bm25 |")
print("|:--|--:|--:|--:|--:|")
for m in modes:
    s = summary[m]
    print(f"| {m} | {s['latency_ms_p50_median']:.2f} | {s['latency_ms_p95_median']:.2f} | {s.get('p50_ratio_to_bm25', 1):.2f} | {s.get('p95_ratio_to_bm25', 1):.2f} |")
