"""Request ids and JSON log lines."""

import io
import json
import logging
import os
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator

import pytest
from django.conf import settings
from gunicorn.glogging import Logger as GunicornLogger

from reuse_portal.logging import (
    BatchedStreamHandler,
    JsonFormatter,
    RequestContextFilter,
    request_id_from,
)


@pytest.mark.parametrize(
    "incoming",
    [
        "0f8fa6c2b5b94a4e9a0c6d3d1c7e2f10",
        "8d2c5c1e-4f0b-4d6c-9e4e-3a1b2c3d4e5f",
        "a.b_c",
    ],
)
def test_a_safe_incoming_request_id_is_kept(incoming):
    assert request_id_from(incoming) == incoming


@pytest.mark.parametrize(
    "incoming",
    [None, "", "two words", "line\nbreak", '"quoted"', "x" * 65, "-leading-dash"],
)
def test_anything_else_gets_a_new_request_id(incoming):
    new = request_id_from(incoming)

    assert new != incoming
    assert len(new) == 32
    int(new, 16)


def test_forked_processes_make_different_request_ids():
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # Python warns of a fork in a process with threads: the child only
        # makes an id and exits.
        warnings.simplefilter("ignore", DeprecationWarning)
        child = os.fork()
    if child == 0:
        os.write(write_end, request_id_from(None).encode())
        os._exit(0)
    os.waitpid(child, 0)

    # As two gunicorn workers forked from one master.
    assert os.read(read_end, 64).decode() != request_id_from(None)


@pytest.fixture
def json_log() -> io.StringIO:
    """What the root logger writes, as production formats it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.django_db
def test_each_request_writes_one_access_line_with_its_id(client, json_log):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="proxy-id-1")

    assert response["X-Request-ID"] == "proxy-id-1"
    (access,) = [line for line in lines(json_log) if line["logger"].endswith("access")]
    assert access.keys() == {
        "time",
        "level",
        "logger",
        "message",
        "request_id",
        "method",
        "path",
        "status",
        "duration_ms",
    }
    assert access["logger"] == "reuse_portal.access"
    assert access["level"] == "INFO"
    assert access["request_id"] == "proxy-id-1"
    assert (access["method"], access["path"], access["status"]) == (
        "GET",
        "/healthz",
        200,
    )
    assert access["duration_ms"] >= 0
    assert access["time"].endswith("+00:00")


@pytest.mark.django_db
def test_lines_logged_during_a_request_carry_its_id(client, json_log):
    response = client.get("/nl/no-such-page/")

    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    by_logger = {line["logger"]: line for line in lines(json_log)}
    # Django's own "Not Found" warning and the access line: the same request.
    assert by_logger["django.request"]["request_id"] == request_id
    assert by_logger["django.request"]["status"] == 404
    assert by_logger["reuse_portal.access"]["request_id"] == request_id
    assert by_logger["reuse_portal.access"]["status"] == 404


def test_lines_outside_requests_have_no_request_fields(json_log):
    logging.getLogger("portal.test").warning("started %s", "up")

    (line,) = lines(json_log)
    assert line["message"] == "started up"
    assert "request_id" not in line
    assert "status" not in line


def test_an_exception_is_kept_in_its_line(json_log):
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        logging.getLogger("portal.test").exception("failed")

    (line,) = lines(json_log)
    assert line["level"] == "ERROR"
    assert "ZeroDivisionError" in line["exception"]


def run_request(**env_overrides: str) -> subprocess.CompletedProcess:
    """One request through the portal's real logging configuration, in a
    fresh process: what it writes to stderr is what production logs."""
    script = (
        "from django.test import Client; "
        "Client().get('/healthz', HTTP_X_REQUEST_ID='from-the-proxy')"
    )
    env = dict(os.environ, ALLOWED_HOSTS="testserver", **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def test_production_logs_are_json_lines():
    result = run_request(DEBUG="0")

    records = [json.loads(line) for line in result.stderr.splitlines()]
    (access,) = [r for r in records if r["logger"] == "reuse_portal.access"]
    assert access["request_id"] == "from-the-proxy"
    assert access["status"] == 200


def test_logs_are_text_with_debug_or_when_asked():
    for env in ({"DEBUG": "1"}, {"DEBUG": "0", "LOG_FORMAT": "text"}):
        result = run_request(**env)

        assert "INFO reuse_portal.access [from-the-proxy] GET /healthz 200" in (
            result.stderr
        )


class CountedWrites(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


@pytest.fixture
def batched() -> Iterator[tuple[logging.Logger, BatchedStreamHandler]]:
    """A logger of its own, written by a BatchedStreamHandler to a
    CountedWrites stream."""
    handler = BatchedStreamHandler(CountedWrites())
    logger = logging.getLogger("portal.test.batched")
    logger.addHandler(handler)
    logger.propagate = False
    yield logger, handler
    logger.removeHandler(handler)


def written(handler: BatchedStreamHandler, count: int) -> list[str]:
    """The stream's lines, once it has `count` of them (or after 5 s)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        found = handler.stream.getvalue().splitlines()
        if len(found) >= count:
            return found
        time.sleep(0.01)
    return handler.stream.getvalue().splitlines()


def test_lines_are_written_a_batch_at_a_time_in_order(batched):
    logger, handler = batched

    for number in range(100):
        logger.info("line %d", number)

    assert written(handler, 100) == [f"line {number}" for number in range(100)]
    # One write per line would be 100.
    assert handler.stream.writes <= 5


def test_a_line_is_written_without_waiting_for_more(batched):
    logger, handler = batched

    logger.info("alone")

    assert written(handler, 1) == ["alone"]


def test_a_warning_is_written_at_once_after_the_lines_before_it(batched):
    logger, handler = batched
    handler.interval = 60

    logger.info("first")
    logger.info("second")
    logger.warning("then this")

    assert handler.stream.getvalue().splitlines() == ["first", "second", "then this"]


def test_a_forked_process_writes_its_own_lines(tmp_path):
    path = tmp_path / "log"
    with path.open("a", buffering=1) as stream:
        handler = BatchedStreamHandler(stream)
        logger = logging.getLogger("portal.test.forked")
        logger.addHandler(handler)
        logger.propagate = False
        try:
            logger.info("parent")  # the parent's writer starts
            with warnings.catch_warnings():
                # Python warns of a fork in a process with threads (this
                # handler's writer): the child only logs and exits.
                warnings.simplefilter("ignore", DeprecationWarning)
                child = os.fork()
            if child == 0:
                # No flush on the way out: only a writer of the child's own
                # writes this line.
                logger.info("child")
                time.sleep(1)
                os._exit(0)
            os.waitpid(child, 0)
            handler.flush()
        finally:
            logger.removeHandler(handler)

    assert sorted(path.read_text().splitlines()) == ["child", "parent"]


def test_gunicorn_lines_still_format_once_the_portal_is_loaded():
    # As a worker logs "Worker exiting (pid: ...)" on its way out.
    record = logging.getLogger("gunicorn.error").makeRecord(
        "gunicorn.error", logging.INFO, __file__, 1, "Worker exiting", (), None
    )

    line = logging.Formatter(GunicornLogger.error_fmt).format(record)

    assert f"[{os.getpid()}] [INFO] Worker exiting" in line
