"""Minutes of mixed load on the bench catalogue: no error, memory flat.

    make bench-soak                      # 10 minutes, 32 connections, 10,000
    .venv/bin/python -m bench.soak --components 100000 --duration 600

1. Uses the bench database of `make bench` (generated first if missing).
2. Serves it with gunicorn as `make serve` does, the page cache on (the
   production default), without rate limits: one address sends everything.
3. wrk sends --connections clients at a mix of every endpoint of the bench
   (home, catalogue pages, facets, searches, component pages over many
   slugs, API list, search and detail), in proportion to how often each
   appears in the mix.
4. The workers' memory is read every --sample seconds while the load runs.
5. Writes a Markdown report to bench/results/: requests, answers other than
   2xx, latency, and the memory of each worker over time.
"""

from __future__ import annotations

import random
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.database import WORK_DIR, setup_django
from bench.run import (
    PROJECT_DIR,
    Endpoint,
    Options,
    Server,
    command_line,
    endpoints,
    git,
    load_average,
    log,
    machine,
    require_wrk,
    write_report,
    wrk,
)

# Paths taken from each rotation (component pages, API details).
SLUGS_PER_ROTATION = 500
MIB = 1024 * 1024


def mixed_paths(items: list[Endpoint]) -> Path:
    """One file of paths: half the requests for the fixed pages (home,
    catalogue pages, facets, searches, API list and search), half over a
    sample of the slugs of each rotation (component pages, API details)."""
    fixed, rotated = [], []
    for endpoint in items:
        if endpoint.path.startswith("/bench/"):
            continue
        if endpoint.rotation is None:
            fixed.append(endpoint.path)
            continue
        lines = endpoint.rotation.read_text().splitlines()
        rotated += random.Random(1).sample(lines, min(SLUGS_PER_ROTATION, len(lines)))
    repeat = max(1, len(rotated) // len(fixed))
    mixed = WORK_DIR / "paths-soak.txt"
    mixed.write_text("".join(f"{path}\n" for path in fixed * repeat + rotated))
    return mixed


def sample_memory(
    server: Server, every: float, stop: threading.Event, into: list
) -> None:
    started = time.monotonic()
    while not stop.wait(every):
        into.append((time.monotonic() - started, server.workers()))


def report(options: Options, result: dict, memory: list, started: datetime) -> Path:
    first, last = memory[0][1], memory[-1][1]
    lines = [
        f"# Soak: {options.duration // 60} minutes of mixed load, "
        f"{options.components} components",
        "",
        f"* Date: {started:%Y-%m-%d %H:%M} UTC; git commit {git('rev-parse', 'HEAD')}",
        f"* Machine: {machine()['cpu']}, {machine()['cores']} cores; load average "
        f"after: {load_average()}",
        f"* wrk -t{options.threads} -c{options.connections} -d{options.duration}s "
        "over the bench's endpoints in a mix; gunicorn.conf.py, page cache on, "
        "no rate limit.",
        "",
        "| requests | req/s | answers other than 2xx | socket errors | timeouts "
        "| p50 ms | p99 ms | max ms |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|",
        f"| {result['requests']} | {result['rps']:.1f} | {result['non2xx']} "
        f"| {result['connect'] + result['read'] + result['write']} "
        f"| {result['timeout']} | {result['p50_us'] / 1000:.0f} "
        f"| {result['p99_us'] / 1000:.0f} | {result['max_us'] / 1000:.0f} |",
        "",
        "## Workers' resident memory (MiB), every sample",
        "",
        "| seconds | " + " | ".join(f"worker {pid}" for pid, _rss in first) + " |",
        "|--:|" + "--:|" * len(first),
    ]
    for seconds, workers in memory:
        sizes = dict(workers)
        lines.append(
            f"| {seconds:.0f} | "
            + " | ".join(f"{sizes.get(pid, 0) / MIB:.0f}" for pid, _rss in first)
            + " |"
        )
    growth = sum(rss for _pid, rss in last) - sum(rss for _pid, rss in first)
    replaced = {pid for pid, _rss in last} - {pid for pid, _rss in first}
    lines += [
        "",
        f"Growth from the first sample to the last: {growth / MIB:+.0f} MiB in "
        f"all; workers replaced: {len(replaced)}.",
        "",
    ]
    return write_report("soak", options, started, lines)


def main(argv: list[str] | None = None) -> int:
    parser = command_line(__doc__, duration=600)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--sample", type=float, default=30)
    args = parser.parse_args(argv)
    require_wrk()
    options = Options.of_command(
        args, name="soak", connections=args.connections, warmup=10
    )
    started = datetime.now(tz=UTC)
    setup_django(options.components)
    from bench.generate import prepare

    log(f"preparing the bench database ({options.components} components)")
    mix = Endpoint(
        "Mixed",
        "(mix)",
        rotation=mixed_paths(endpoints(prepare(options.components, log=log))),
    )
    server = Server("soak", {"PAGE_CACHE_SECONDS": "600"})
    try:
        wrk(server, mix, options, options.warmup)
        server.drain(options.pause)
        memory = [(0.0, server.workers())]
        stop = threading.Event()
        sampler = threading.Thread(
            target=sample_memory, args=(server, args.sample, stop, memory)
        )
        sampler.start()
        log(f"mixed load for {options.duration}s at {options.connections} connections")
        result = wrk(server, mix, options, options.duration)
        stop.set()
        sampler.join()
        server.drain(options.pause)
        memory.append((float(options.duration), server.workers()))
    finally:
        server.stop()
    path = report(options, result, memory, started)
    log(f"report: {path.relative_to(PROJECT_DIR)}")
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
