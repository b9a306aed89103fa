"""The catalogue page while many downloads of the whole catalogue run.

    make bench-downloads                  # 10,000 components
    .venv/bin/python -m bench.downloads --components 100000 --downloads 8

1. Uses the bench database of `make bench` (generated first if missing).
2. For each limit of downloads running at once (EXPORT_CONCURRENCY: none,
   then the portal's default), --rounds times: serves the portal with
   gunicorn as `make serve` does (page cache off, no rate limit: one address
   asks for everything), measures the catalogue's page 2 alone with wrk,
   then asks for --downloads whole catalogues as CSV at once and measures
   the same page again while they run.
3. Writes a Markdown report to bench/results/: the page alone and during the
   downloads (req/s, p99), and how the downloads were answered (status,
   seconds). A download shorter than the page's measurement did not run all
   along it: the report says so (at 10,000 components a whole download takes
   about a second).
"""

from __future__ import annotations

import statistics
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.database import setup_django
from bench.run import (
    HEADERS,
    PROJECT_DIR,
    Endpoint,
    Options,
    Server,
    command_line,
    git,
    load_average,
    log,
    machine,
    require_wrk,
    write_report,
    wrk,
)

PAGE = Endpoint("Catalogue, page 2", "/nl/catalogue/?page=2")
DOWNLOAD = "/nl/catalogue.csv"
# The downloads start this long before the page's measurement.
HEAD_START = 1.0


@dataclass(frozen=True)
class Download:
    status: int
    seconds: float


def download(url: str, into: list[Download]) -> None:
    started = time.monotonic()
    request = urllib.request.Request(url, headers=HEADERS)
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            while response.read(1 << 20):
                pass
            status = response.status
    except urllib.error.HTTPError as refused:
        status = refused.code
    except OSError:
        # Refused, cut off or timed out: counted as status 0, not left out.
        status = 0
    into.append(Download(status, time.monotonic() - started))


def one_round(limit: str, downloads: int, options: Options) -> dict:
    server = Server(
        "downloads",
        {
            "PAGE_CACHE_SECONDS": "0",
            # As from as many clients as there are downloads, within their rates.
            "EXPORT_RATE": "",
            "EXPORT_TOTAL_RATE": "",
            "EXPORT_CONCURRENCY": limit,
        },
    )
    try:
        wrk(server, PAGE, options, options.warmup)
        server.drain(options.pause)
        alone = wrk(server, PAGE, options, options.duration)
        server.drain(options.pause)
        answered: list[Download] = []
        threads = [
            threading.Thread(target=download, args=(server.base + DOWNLOAD, answered))
            for _ in range(downloads)
        ]
        for thread in threads:
            thread.start()
        time.sleep(HEAD_START)
        during = wrk(server, PAGE, options, options.duration)
        for thread in threads:
            thread.join()
        server.drain(options.pause)
    finally:
        server.stop()
    return {"alone": alone, "during": during, "downloads": answered}


def describe(answered: list[Download], measured: float) -> str:
    statuses = Counter(answer.status for answer in answered)
    served = [answer.seconds for answer in answered if answer.status == 200]
    text = ", ".join(
        f"{count} × {status}" for status, count in sorted(statuses.items())
    )
    if served:
        text += f"; the 200s took {min(served):.1f}–{max(served):.1f} s"
        if min(served) < measured:
            text += " (some ended before the page's measurement did)"
    return text


def page_figures(result: dict, seconds: int) -> str:
    """req/s (p99 ms), and the requests that got no answer in time."""
    if not result["requests"]:
        return f"0: no answer in {seconds} s"
    text = f"{result['rps']:.0f} ({result['p99_us'] / 1000:.0f})"
    if result["timeout"]:
        text += f", {result['timeout']} timed out after 10 s"
    return text


def report(options: Options, downloads: int, rounds: list, started: datetime) -> Path:
    lines = [
        f"# The catalogue page while {downloads} downloads of the whole "
        f"catalogue are asked for at once, {options.components} components",
        "",
        f"* Date: {started:%Y-%m-%d %H:%M} UTC; git commit {git('rev-parse', 'HEAD')}",
        f"* Machine: {machine()['cpu']}, {machine()['cores']} cores; load average "
        f"after: {load_average()}",
        f"* gunicorn.conf.py, page cache off, no rate limit; the page: wrk "
        f"-t{options.threads} -c{options.connections} -d{options.duration}s on "
        f"`{PAGE.path}`, alone, then starting {HEAD_START:.0f} s after the "
        f"downloads of `{DOWNLOAD}`.",
        "",
        "| downloads running at once at most | round | page alone req/s (p99 ms) "
        "| page during the downloads req/s (p99 ms) | during ÷ alone "
        "| the downloads |",
        "|---|--:|--:|--:|--:|---|",
    ]
    measured = HEAD_START + options.duration
    ratios: dict[str, list[float]] = {}
    for limit, number, result in rounds:
        alone, during = result["alone"], result["during"]
        ratio = during["rps"] / alone["rps"]
        ratios.setdefault(limit, []).append(ratio)
        lines.append(
            f"| {limit if limit != '0' else 'no limit'} | {number} "
            f"| {page_figures(alone, options.duration)} "
            f"| {page_figures(during, options.duration)} "
            f"| {ratio:.0%} | {describe(result['downloads'], measured)} |"
        )
    lines += ["", "Median of the rounds, the page during the downloads ÷ alone:", ""]
    lines += [
        f"* {limit if limit != '0' else 'no limit'}: {statistics.median(values):.0%}"
        for limit, values in ratios.items()
    ]
    lines.append("")
    return write_report("downloads", options, started, lines)


def main(argv: list[str] | None = None) -> int:
    parser = command_line(__doc__, duration=10)
    parser.add_argument("--downloads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    require_wrk()
    options = Options.of_command(args, name="downloads", connections=8, warmup=3)
    started = datetime.now(tz=UTC)
    setup_django(options.components)
    from django.conf import settings

    from bench.generate import prepare

    log(f"preparing the bench database ({options.components} components)")
    prepare(options.components, log=log)
    limits = ["0", str(settings.EXPORT_CONCURRENCY)]
    rounds = []
    for number in range(1, args.rounds + 1):
        for limit in limits:
            result = one_round(limit, args.downloads, options)
            log(
                f"limit {limit} round {number}: alone {result['alone']['rps']:.0f} "
                f"req/s, during {result['during']['rps']:.0f} req/s; "
                f"{describe(result['downloads'], HEAD_START + options.duration)}"
            )
            rounds.append((limit, number, result))
    path = report(options, args.downloads, rounds, started)
    log(f"report: {path.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
