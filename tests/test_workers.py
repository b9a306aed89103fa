"""gunicorn's workers share the connections: a worker takes one only while
one of its threads is free, so kept-alive connections (a proxy's pool, a load
tool's) do not all stay on the first worker to wake (reuse_portal/workers.py)."""

import socket
import time
import urllib.parse

import psutil

from tests.conftest import gunicorn_server

WAITING_CLIENTS = 6


def connections_held(worker: psutil.Process, client_ports: set[int]) -> int:
    return sum(
        bool(connection.raddr) and connection.raddr.port in client_ports
        for connection in worker.net_connections(kind="tcp")
    )


def test_a_worker_takes_a_connection_only_while_a_thread_is_free(portal):
    # Two workers of one thread each, six clients at once.
    env = dict(portal.env, GUNICORN_THREADS="1")
    with gunicorn_server(env) as (url, server):
        workers = psutil.Process(server.pid).children()
        assert len(workers) == 2
        address = ("127.0.0.1", urllib.parse.urlsplit(url).port)
        clients = [socket.create_connection(address) for _ in range(WAITING_CLIENTS)]
        try:
            for client in clients:
                # The request's first line only: the thread reading it waits
                # for the rest, and stays busy meanwhile.
                client.sendall(b"GET /healthz HTTP/1.1\r\n")
            # Time for any worker that would take more to do so.
            time.sleep(1)
            ports = {client.getsockname()[1] for client in clients}

            held = sorted(connections_held(worker, ports) for worker in workers)

            # One each; the four others wait in the listen backlog.
            assert held == [1, 1]
            for client in clients:
                client.sendall(b"Host: 127.0.0.1\r\nConnection: close\r\n\r\n")
            # Each is answered as threads come free.
            for client in clients:
                client.settimeout(30)
                assert client.recv(64).startswith(b"HTTP/1.1 200")
        finally:
            for client in clients:
                client.close()
