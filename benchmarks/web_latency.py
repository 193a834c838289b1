"""Latency of ``GET /articles/{id}`` (the highlighted article page) under concurrent clients.

Builds a SQLite store of generated articles (self-written sentences, synthetic technique spans and narratives,
stored directly, no models run), starts ``propscope serve`` on 127.0.0.1, and runs N client threads with httpx.

    python benchmarks/web_latency.py [--articles 1000] [--clients 20] [--requests 4000] [--seconds 60]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from propscope.schema import Analysis, Document, Narrative, Offsets, TechniqueSpan
from propscope.store import Store

SENTENCES = [
    "The ministry said the new measures would protect ordinary families from rising prices.",
    "Critics called the decision a reckless gamble that could plunge the region into chaos.",
    "According to officials, the talks were constructive but no agreement was reached.",
    "Everyone knows the so-called experts have been wrong about this from the very start.",
    "The spokesman denied that any troops had crossed the border during the night.",
    "Local residents reported long queues at petrol stations for the third day in a row.",
    "Some analysts allegedly warned that the sanctions would hurt Europe more than anyone else.",
    "The opposition accused the government of hiding the true cost of the programme.",
]
TECHNIQUES = ["Loaded_Language", "Doubt", "Name_Calling-Labeling", "Appeal_to_Fear-Prejudice", "Flag_Waving"]
NARRATIVES = ["URW: Blaming the war on others", "URW: Discrediting the West", "CC: Criticism of institutions"]
OUTLETS = ["outlet-a.example", "outlet-b.example", "outlet-c.example", "outlet-d.example"]


def make_analysis(i: int, rng: random.Random) -> Analysis:
    """An article of 12-30 sentences with a few technique spans on whole words."""
    text = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(12, 30))) + f" (Report {i}.)"
    doc = Document(
        id=f"bench-{i}",
        text=text,
        title=f"Generated report {i}",
        outlet=rng.choice(OUTLETS),
        published=f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        language="en",
    )
    spans = []
    for _ in range(rng.randint(3, 15)):
        start = rng.randrange(0, len(text) - 40)
        start = text.find(" ", start) + 1
        end = text.find(" ", start + 5)
        spans.append(TechniqueSpan(rng.choice(TECHNIQUES), start, end, text[start:end], round(rng.random(), 2)))
    narratives = [Narrative(rng.choice(NARRATIVES), None, 0.6, [Offsets(0, 40)]) for _ in range(rng.randint(0, 2))]
    return Analysis(document=doc, techniques=spans, narratives=narratives, models={"techniques": "bench-1"})


def build_store(path: Path, count: int) -> list[int]:
    rng = random.Random(7)
    with Store(str(path)) as store:
        return [store.save(make_analysis(i, rng)).id for i in range(count)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("server did not start in time")


def run_clients(base: str, ids: list[int], clients: int, requests: int, seconds: float) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    remaining = [requests]
    deadline = time.monotonic() + seconds

    def take() -> bool:
        with lock:
            remaining[0] -= 1
            return remaining[0] >= 0 and time.monotonic() < deadline

    def client(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        with httpx.Client(base_url=base, timeout=30) as http:
            while take():
                start = time.perf_counter()
                r = http.get(f"/articles/{rng.choice(ids)}")
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    errors += r.status_code != 200 or "ps-doc" not in r.text

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux), to report cost per request independent of machine load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=4000, help="total requests (bounded by --seconds too)")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=int, default=100)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        ids = build_store(db, args.articles)
        print(f"stored {len(ids)} articles in {time.perf_counter() - t0:.1f} s ({db.stat().st_size / 2**20:.1f} MB)")
        port = free_port()
        cmd = [sys.executable, "-m", "propscope.cli.main", "serve", "--db", str(db), "--port", str(port)]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(f"{base}/articles/{ids[0]}", proc)
            run_clients(base, ids, min(args.clients, 4), args.warmup, args.seconds)
            load_before = os.getloadavg()[0]
            cpu0, t0 = cpu_seconds(proc.pid), time.perf_counter()
            latencies, errors = run_clients(base, ids, args.clients, args.requests, args.seconds)
            wall = time.perf_counter() - t0
            server_cpu = cpu_seconds(proc.pid) - cpu0
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    ms = [x * 1000 for x in latencies]
    print(
        f"GET /articles/{{id}}: {len(ms)} requests, {args.clients} clients, {wall:.1f} s, {len(ms) / wall:.0f} req/s, "
        f"errors {errors}"
    )
    print(
        f"server CPU {server_cpu / len(ms) * 1000:.2f} ms/request; machine load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPU(s)"
    )
    print(f"p50 {percentile(ms, 50):.1f} ms  p95 {percentile(ms, 95):.1f} ms  p99 {percentile(ms, 99):.1f} ms")
    print("target p95 <= 100 ms:", "met" if percentile(ms, 95) <= 100 else "NOT met")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
