#!/usr/bin/env python3
"""Open-loop load on `kzqa serve`: many readers connected at once, each asking at its own pace, as a newsroom page
is used — instead of wrk's closed loop, where every connection sends its next request the moment the last one is
answered and the latency measured is mostly the queue that loop builds (64 connections on 2 cores wait ~32 service
times whatever the server does).

    python3 benchmarks/serve_open_loop.py [--binary .build/release/kzqa] [--connections 64] [--load 0.5]
                                          [--duration 20] [--questions benchmarks/dev-questions.jsonl ...]

It starts `kzqa serve --port 0 --cache 0` on the seed index (indexed aside), so every request runs the engine, then:
  1. one connection, closed loop, for --duration seconds: p50 and p99 at 1 connection, and the throughput X1;
  2. the same for 8 connections: the throughput the server sustains (X8, both cores busy);
  3. --connections keep-alive connections, open loop: requests arrive as a Poisson process at --load × X8 in all,
     spread over the connections; a request's latency counts from the moment it was due, not from when its
     connection was free (no coordinated omission), so a queue shows in the figures.
Writes benchmarks/results/serve-open-loop.{json,md}. Python standard library only.
"""
import argparse, asyncio, json, os, random, re, shutil, subprocess, sys, tempfile, time, urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def percentile(xs, p):
    xs = sorted(xs)
    if not xs:
        return None
    k = (len(xs) - 1) * p / 100
    f = int(k)
    c = min(f + 1, len(xs) - 1)
    return xs[f] + (xs[c] - xs[f]) * (k - f)


async def request(reader, writer, host, path):
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    m = re.search(rb"(?i)content-length:\s*(\d+)", head)
    if not m:
        raise RuntimeError("response without Content-Length")
    await reader.readexactly(int(m.group(1)))
    return status


async def closed_loop(host, port, paths, connections, duration):
    latencies, errors = [], 0
    stop = time.perf_counter() + duration

    async def one(seed):
        nonlocal errors
        rng = random.Random(seed)
        reader, writer = await asyncio.open_connection(host, port)
        while time.perf_counter() < stop:
            t = time.perf_counter()
            if await request(reader, writer, host, rng.choice(paths)) != 200:
                errors += 1
            latencies.append((time.perf_counter() - t) * 1000)
        writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(connections)))
    return latencies, errors, len(latencies) / (time.perf_counter() - start)


async def open_loop(host, port, paths, connections, rate, duration, seed=7):
    """Poisson arrivals at `rate` requests/s in all, each connection taking 1/connections of them."""
    latencies, errors = [], 0
    per_connection = rate / connections

    async def one(i):
        nonlocal errors
        rng = random.Random(seed + i)
        reader, writer = await asyncio.open_connection(host, port)
        start = time.perf_counter()
        due = start + rng.expovariate(per_connection)
        while due < start + duration:
            now = time.perf_counter()
            if due > now:
                await asyncio.sleep(due - now)
            if await request(reader, writer, host, rng.choice(paths)) != 200:
                errors += 1
            latencies.append((time.perf_counter() - due) * 1000)
            due += rng.expovariate(per_connection)
        writer.close()

    t = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(connections)))
    return latencies, errors, len(latencies) / (time.perf_counter() - t)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build/release/kzqa"))
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--load", type=float, default=0.5, help="offered load as a share of the 8-connection throughput")
    ap.add_argument("--duration", type=float, default=20)
    ap.add_argument("--questions", nargs="*", default=[os.path.join(ROOT, "benchmarks/dev-questions.jsonl"),
                                                       os.path.join(ROOT, "benchmarks/check-questions.jsonl")])
    ap.add_argument("--out", default=os.path.join(ROOT, "benchmarks/results/serve-open-loop"))
    args = ap.parse_args()

    questions = [json.loads(l)["question"] for f in args.questions for l in open(f, encoding="utf-8") if l.strip()]
    paths = ["/api/ask?" + urllib.parse.urlencode({"q": q, "top": 5}) for q in questions]
    work = tempfile.mkdtemp(prefix="kzqa-openloop-")
    index = os.path.join(work, "seed.sqlite")
    subprocess.run([args.binary, "index", os.path.join(ROOT, "seeds"), "--index", index], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = subprocess.Popen([args.binary, "serve", "--index", index, "--port", "0", "--cache", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = server.stdout.readline().strip()
        m = re.match(r"http://([^:/]+):(\d+)", url)
        if not m:
            sys.exit(f"kzqa serve printed no URL: {url!r}")
        host, port = m.group(1), int(m.group(2))
        asyncio.run(closed_loop(host, port, paths, 1, 2))  # warm-up
        l1, e1, x1 = asyncio.run(closed_loop(host, port, paths, 1, args.duration))
        l8, e8, x8 = asyncio.run(closed_loop(host, port, paths, 8, args.duration))
        rate = args.load * x8
        lo, eo, xo = asyncio.run(open_loop(host, port, paths, args.connections, rate, args.duration))
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)

    def row(name, lat, err, thr):
        return {"workload": name, "requests": len(lat), "errors": err, "requests_per_s": round(thr, 1),
                "p50_ms": round(percentile(lat, 50), 2), "p99_ms": round(percentile(lat, 99), 2)}

    rows = [row("closed loop, 1 connection", l1, e1, x1), row("closed loop, 8 connections", l8, e8, x8),
            row(f"open loop, {args.connections} connections at {args.load:.0%} of the 8-connection throughput ({rate:.0f}/s)", lo, eo, xo)]
    ratio = rows[2]["p99_ms"] / rows[0]["p50_ms"]
    result = {"machine_cores": os.cpu_count(), "questions": len(paths), "duration_s": args.duration,
              "connections": args.connections, "load": args.load, "rows": rows,
              "p99_open_loop_over_p50_single": round(ratio, 2)}
    with open(args.out + ".json", "w") as f:
        json.dump(result, f, indent=2)
    lines = ["# `kzqa serve`, open-loop load", "",
             f"Seed index, `--cache 0` (every request runs the engine), {len(paths)} questions in turn at random, "
             f"{os.cpu_count()} cores, {args.duration:.0f} s a run. Written by `benchmarks/serve_open_loop.py`.", "",
             "| workload | requests | errors | requests/s | p50 ms | p99 ms |", "|---|--:|--:|--:|--:|--:|"]
    for r in rows:
        lines.append(f"| {r['workload']} | {r['requests']} | {r['errors']} | {r['requests_per_s']} | {r['p50_ms']} | {r['p99_ms']} |")
    lines += ["", f"p99 at {args.connections} connections (open loop) / p50 at 1 connection = {ratio:.2f}", ""]
    with open(args.out + ".md", "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
