"""The HTTP side of `kg serve`: uvicorn (httptools parser) with two guards it lacks.

uvicorn closes an idle keep-alive connection, but starts that clock only after a first response,
and puts no bound on a request's head: a client that connects and sends nothing, or sends its
head a byte at a time, would hold a connection for ever. The protocol below gives every request
head a deadline (from the connection, or from the request's first byte) and a size cap.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEAD = 1024 * 1024  # bytes received before a request's head is complete


class GuardedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline and a size cap on each request head."""

    header_timeout = 10.0
    max_head = MAX_HEAD

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._head_timer: asyncio.TimerHandle | None = None
        self._in_head = True
        self._head_bytes = 0
        super().connection_made(transport)
        # asyncio sets TCP_NODELAY only on sockets whose proto field says TCP, which those
        # accepted from socket.create_server do not: without it, uvicorn's separate writes of
        # head and body meet Nagle and delayed ACK, a 40 ms stall per keep-alive request.
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_expired)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_expired(self) -> None:
        self._head_timer = None
        if self._in_head and not self.transport.is_closing():
            self._refuse(b"408 Request Timeout", b"the request head took too long")

    def _refuse(self, status: bytes, text: bytes) -> None:
        self._in_head = False
        self.transport.write(b"HTTP/1.1 " + status + b"\r\ncontent-type: text/plain; "
                             b"charset=utf-8\r\nconnection: close\r\ncontent-length: "
                             + str(len(text) + 1).encode() + b"\r\n\r\n" + text + b"\n")
        self.transport.close()

    def data_received(self, data: bytes) -> None:
        if self.transport.is_closing():
            return
        if self._in_head:
            self._head_bytes += len(data)
            if self._head_bytes > self.max_head:
                self._disarm()
                self._refuse(b"431 Request Header Fields Too Large",
                             b"the request head is too large")
                return
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        self._head_bytes = 0
        self._arm()

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def bind(host: str, port: int, backlog: int = 1024) -> socket.socket:
    """A listening socket (bound before anything else starts, so a busy port fails fast)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=backlog)
    sock.set_inheritable(True)
    return sock


class HttpServer:
    """uvicorn on a bound socket, startable in any thread and stoppable from another."""

    def __init__(self, app: Any, sock: socket.socket, *, header_timeout: float,
                 keep_alive: int, max_connections: int, verbose: bool) -> None:
        protocol = type("Protocol", (GuardedProtocol,), {"header_timeout": header_timeout})
        config = uvicorn.Config(
            app, http=protocol, lifespan="off", loop="asyncio",
            timeout_keep_alive=keep_alive, limit_concurrency=max_connections,
            timeout_graceful_shutdown=3, proxy_headers=False, server_header=False,
            access_log=verbose, log_level="info" if verbose else "warning")
        self.sock = sock
        self.server = uvicorn.Server(config)
        self.done = threading.Event()

    def run(self) -> None:
        """Serve until stop() (or, in the main thread, SIGINT/SIGTERM)."""
        self.done.clear()
        try:
            asyncio.run(self.server.serve(sockets=[self.sock]))
        finally:
            self.done.set()

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.done.wait(timeout)
