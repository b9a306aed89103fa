"""gunicorn settings for the portal, read from environment variables.

Used by `make serve`, the Docker image and `make bench`:

    gunicorn --config gunicorn.conf.py reuse_portal.wsgi

The portal is meant to run behind a reverse proxy (nginx, Traefik, a load
balancer) that terminates TLS and buffers whole requests and responses
(nginx does by default). gunicorn's threads then only ever talk to the proxy
over a fast local link: a slow client ties up a proxy connection, never a
thread. (gthread parks idle connections in a poller, but a thread that has
started to read a request waits for all of it.)

What the proxy must do with the forwarding headers:
* X-Forwarded-Proto: OVERWRITE it with the scheme the client used, never pass
  the client's on. Django takes it as the truth about HTTPS
  (SECURE_PROXY_SSL_HEADER), and gunicorn sets wsgi.url_scheme from it for
  requests from FORWARDED_ALLOW_IPS.
* X-Forwarded-For: overwrite it with the client's address (nginx:
  `proxy_set_header X-Forwarded-For $remote_addr;`) and set
  TRUSTED_PROXY_COUNT=1; behind a chain of N proxies that each append to it,
  TRUSTED_PROXY_COUNT=N. The rate limits and login lockouts count by it
  (reuse_portal/clients.py), so a value a client chose must never get through.

Environment:
    HOST, PORT            address to listen on (127.0.0.1, 8000); GUNICORN_BIND
                          overrides both ("0.0.0.0:8000", "unix:/run/portal.sock")
    WEB_CONCURRENCY       worker processes (2 per CPU core, at least 2)
    GUNICORN_THREADS      threads per worker (2)
    FORWARDED_ALLOW_IPS   proxies trusted for X-Forwarded-* (127.0.0.1,::1);
                          "*" only when nothing but the proxy can reach gunicorn
    GUNICORN_TIMEOUT      seconds before a silent worker is killed and replaced (30)
    GUNICORN_GRACEFUL_TIMEOUT  seconds to finish requests on restart/stop (30)
    GUNICORN_KEEPALIVE    seconds an idle kept-alive connection stays open (5)
    GUNICORN_MAX_REQUESTS restart a worker after this many requests (0: never)
    GUNICORN_ACCESSLOG    gunicorn's own access log, "-" for stdout (default:
                          none; the portal logs every request in JSON)
    GUNICORN_CONTROL_SOCKET  path of a control socket for gunicornc (none)
    LOG_LEVEL             gunicorn's error log level (info)

Each thread keeps its own database connection (CONN_MAX_AGE), so
WEB_CONCURRENCY x GUNICORN_THREADS must stay below PostgreSQL's
max_connections (100 by default), counting every server and the e-mail worker.
"""

import gc
import math
import os
from pathlib import Path


def _cgroup_cpus() -> float | None:
    """A container's CPU limit (cgroup v2, then v1), or None without one."""
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()
    except (OSError, ValueError):
        try:
            quota = Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us").read_text().strip()
            period = Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us").read_text().strip()
        except OSError:
            return None
    if quota in ("max", "-1"):
        return None
    return int(quota) / int(period)


def _cores() -> int:
    """The CPUs this process may use: its affinity, and a container's CPU
    limit (a pod limited to 1 CPU on a 64-core host gets 1, not 64)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    limit = _cgroup_cpus()
    if limit is not None:
        cores = min(cores, max(1, math.ceil(limit)))
    return cores


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND") or (
    f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)

# gthread: each worker's main loop accepts connections and parks idle
# kept-alive ones in a poller; only a connection with a request to serve
# takes a thread. Threads also overlap the waits on PostgreSQL. Two
# processes per core keep every core busy while threads wait on the GIL.
# Two threads, not more: the portal's requests mostly compute, and more
# threads in one process mostly take turns at the GIL (some 120 futex calls
# per component page with four). With two, 500 different searches at
# 100,000 components gave p99 125 and 130 ms against 208 and 243 with four,
# in runs taken in turn (bench/results/*-t2-* and *-t4-*). More threads pay
# where requests wait on something slower than PostgreSQL.
worker_class = "gthread"
workers = _int("WEB_CONCURRENCY", max(2, 2 * _cores()))
threads = _int("GUNICORN_THREADS", 2)
# Connections a worker holds at once, busy or idle; past that, new ones wait
# in the listen backlog (behind a proxy there are few: it pools them).
worker_connections = _int("GUNICORN_WORKER_CONNECTIONS", 1000)

# A worker whose main loop is silent for `timeout` seconds is stuck, and is
# killed and replaced. (Slow requests do not trigger it: the main loop keeps
# beating while a thread works.) On a restart or stop, requests in progress
# get `graceful_timeout` seconds to finish.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Behind a proxy that pools its upstream connections a few seconds is
# enough; an idle connection costs a file descriptor, not a thread.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Against slow memory leaks: 0 (off) unless asked for. The jitter keeps the
# workers from restarting all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10

# Request size limits (gunicorn's defaults, stated): an oversized request
# line or header is refused before Django sees it.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The heartbeat file in memory: on a container's overlay filesystem a disk
# write can stall long enough for the arbiter to kill a healthy worker.
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"

# gunicorn's control socket (gunicornc) only where asked for: by default
# every gunicorn of a user would share $HOME/.gunicorn/gunicorn.ctl.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket

# The portal writes its own access line, in JSON with the request id, for
# every response (reuse_portal/logging.py): gunicorn's is off unless asked.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Logs straight through, not buffered (Docker reads stdout and stderr).
capture_output = False
proc_name = "reuse-portal"


def post_worker_init(worker) -> None:
    """Once the worker has loaded the portal, and before it accepts a
    connection: it does what its first requests would otherwise do while the
    worker's other connections waited (reuse_portal/warm_up.py). What exists
    then lives as long as the worker: frozen, the garbage collector no
    longer walks it at each full collection (about 1 ms of a catalogue page,
    measured in process)."""
    from reuse_portal.warm_up import warm_up

    warm_up()
    gc.freeze()
