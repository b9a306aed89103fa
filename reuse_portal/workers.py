"""gunicorn's gthread worker, taking a connection only while a thread is free.

gthread's main loop accepts every connection that arrives (up to
`worker_connections`, 1,000), busy threads or not, and keeps each until the
client closes it. Kept-alive connections, a proxy's pool or a load tool's,
so stay wherever the first worker to wake took them: in the bench, all 16 of
wrk's connections often landed on one of four workers, which then served a
trivial view at 1,300-1,600 requests a second where four serve 3,600-4,000
(bench/run.py, "connections per worker"). This worker stops accepting while
all its threads are busy: a new connection waits in the listen backlog for a
worker with a free thread, which serves it at once.
"""

from __future__ import annotations

from gunicorn.workers.gthread import ThreadWorker


class BalancedThreadWorker(ThreadWorker):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Requests handed to the threads and not finished yet. Only the main
        # loop changes it: it accepts, hands readable connections over and
        # runs finish_request().
        self.requests_in_threads = 0

    def set_accept_enabled(self, enabled: bool) -> None:
        super().set_accept_enabled(
            enabled and self.requests_in_threads < self.cfg.threads
        )

    def enqueue_req(self, conn) -> None:
        self.requests_in_threads += 1
        super().enqueue_req(conn)
        self._accept_if_free()

    def finish_request(self, conn, fs) -> None:
        self.requests_in_threads -= 1
        super().finish_request(conn, fs)
        self._accept_if_free()

    def _accept_if_free(self) -> None:
        # run()'s own rule, checked there once per turn of the loop (after
        # at most a second), and only while the worker is not stopping.
        self.set_accept_enabled(self.alive and self.nr_conns < self.worker_connections)
