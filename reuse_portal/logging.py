"""A request id on every request and log line, and JSON log lines.

RequestIdMiddleware comes first in MIDDLEWARE. It takes the proxy's
X-Request-ID when it is a safe token (else makes 32 random hex digits), returns it in
the X-Request-ID response header, and writes one access line per request on
the "reuse_portal.access" logger, with the status and the duration.

While a request runs, RequestContextFilter copies its id, method and path
onto every log record, so an error logged deep in a view carries the id
that the access line and the client's response header carry too.
JsonFormatter writes each record as one JSON object per line (LOG_FORMAT=json,
the default outside DEBUG). BatchedStreamHandler writes the lines to stderr
a few at a time, not one write per request.

Standard library only.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import random
import re
import threading
import time
import weakref
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# Read from the WSGI environ: request.headers builds a dict of every header,
# which no other middleware asks for on most requests.
REQUEST_ID_META_KEY = "HTTP_X_REQUEST_ID"
# What a proxy or a client may pass on: uuids, hex, base64url-like ids. Any
# other value (too long, spaces, quotes, newlines) is replaced, so an
# incoming id can never forge log lines or headers.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")

access_log = logging.getLogger("reuse_portal.access")
# One encoder for every line: json.dumps() with options builds a new one each
# time (0.7 of the 11 µs an access line cost).
json_encoder = json.JSONEncoder(ensure_ascii=False, default=str)

# Records carry what the formatters write and no more. By default every
# record also looks up its caller's file and line (a walk up the stack),
# the thread, the multiprocessing name and the asyncio task: a third of the
# access line's cost, on every request (the logging HOWTO's "Optimization").
# The process id stays: gunicorn's own lines write it ("[%(process)d]"),
# also in a worker that has loaded the portal.
logging._srcfile = None
logging.logThreads = False
logging.logMultiprocessing = False
logging.logAsyncioTasks = False


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    method: str
    path: str


current_request: ContextVar[RequestContext | None] = ContextVar(
    "current_request", default=None
)


def request_id_from(value: str | None) -> str:
    """The incoming id if it is a safe token, else a new one."""
    if value and SAFE_REQUEST_ID.fullmatch(value):
        return value
    # 128 bits from the random module, not uuid4(): an id ties log lines
    # together and guards nothing, and os.urandom()'s system call lets go
    # of the GIL, which cost a worker 4.5% of a trivial request under load.
    # Each process draws its own: random reseeds itself in a forked child.
    return f"{random.getrandbits(128):032x}"


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        context = RequestContext(
            request_id=request_id_from(request.META.get(REQUEST_ID_META_KEY)),
            method=request.method or "",
            path=request.path,
        )
        request.request_id = context.request_id
        token = current_request.set(context)
        try:
            # Inner middleware turn exceptions into responses (500 included),
            # so every request gets here with one.
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = context.request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            access_log.info(
                "%s %s %s %sms",
                context.method,
                context.path,
                response.status_code,
                duration_ms,
                extra={"status": response.status_code, "duration_ms": duration_ms},
            )
            return response
        finally:
            current_request.reset(token)


class RequestContextFilter(logging.Filter):
    """Puts the current request's id, method and path on every record ("-"
    outside requests: start-up, the e-mail worker, management commands)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = current_request.get()
        # Django logs a 4xx or 5xx answer ("Not Found: /x") once every
        # middleware is done, with the request attached to the record.
        request = getattr(record, "request", None)
        if context is None and getattr(request, "request_id", None):
            context = RequestContext(request.request_id, request.method, request.path)
        record.request_id = context.request_id if context else "-"
        record.method = context.method if context else "-"
        record.path = context.path if context else "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, then the
    request's id, method and path, then status and duration_ms (access lines;
    Django's error lines carry status too)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "method", "path"):
            value = getattr(record, key, "-")
            if value != "-":
                entry[key] = value
        # django.request names it status_code.
        status = getattr(record, "status", getattr(record, "status_code", None))
        if status is not None:
            entry["status"] = status
        if hasattr(record, "duration_ms"):
            entry["duration_ms"] = record.duration_ms
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json_encoder.encode(entry)


class BatchedStreamHandler(logging.StreamHandler):
    """A StreamHandler whose lines are written by a thread of its own, all
    those waiting at once, at most every `interval` seconds.

    One write per line cost a gunicorn worker some 60 µs of CPU per request
    under load, 8% of a trivial request: each write is a system call that
    lets go of the GIL, and the threads waiting for it take turns. Records
    are still formatted in the thread that logs them (their request's
    context, their arguments as they are now); only the write waits.

    A line waits `interval` at most. WARNING and above are written at once,
    with every line before them: a worker that dies right after an error
    has written it. Lines are written in the order they were logged, and
    every one still waiting when the process exits (logging.shutdown()
    flushes each handler).
    """

    def __init__(self, stream: TextIO | None = None, interval: float = 0.05) -> None:
        super().__init__(stream)
        self.interval = interval
        self.start_afresh()
        _batched_handlers.add(self)

    def start_afresh(self) -> None:
        """No line waiting and no writer yet; also in a process just forked
        (gunicorn's workers): the lines waiting in the parent are the
        parent's to write, its writer thread did not come along, and a lock
        held at the fork would stay held."""
        self.waiting: queue.SimpleQueue[str] = queue.SimpleQueue()
        self.has_waiting = threading.Event()
        self.write_lock = threading.Lock()
        self.writer: threading.Thread | None = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:
            self.handleError(record)
            return
        self.waiting.put(line)
        if record.levelno >= logging.WARNING:
            self.flush()
            return
        if self.writer is None:
            self._start_writer()
        if not self.has_waiting.is_set():
            self.has_waiting.set()

    def flush(self) -> None:
        """Write every waiting line now.

        Not through StreamHandler.flush(): it takes the handler's lock,
        which a thread logging a warning holds while it waits here for
        write_lock, and the writer thread would wait for it in turn."""
        with self.write_lock:
            lines = []
            while True:
                try:
                    lines.append(self.waiting.get_nowait())
                except queue.Empty:
                    break
            if lines:
                self.stream.write(self.terminator.join(lines) + self.terminator)
            if self.stream and hasattr(self.stream, "flush"):
                self.stream.flush()

    def _start_writer(self) -> None:
        with self.write_lock:
            if self.writer is not None:
                return
            self.writer = threading.Thread(
                target=self._write_batches, name="log-writer", daemon=True
            )
            self.writer.start()

    def _write_batches(self) -> None:
        while True:
            self.has_waiting.wait()
            # The lines logged meanwhile join the batch.
            time.sleep(self.interval)
            self.has_waiting.clear()
            self.flush()


# Every BatchedStreamHandler, for the fork below; weakly, as logging keeps
# its own handlers, so that one no longer configured can go.
_batched_handlers: weakref.WeakSet[BatchedStreamHandler] = weakref.WeakSet()


def _start_afresh_after_fork() -> None:
    for handler in _batched_handlers:
        handler.start_afresh()


os.register_at_fork(after_in_child=_start_afresh_after_fork)
