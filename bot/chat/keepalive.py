"""A lean keep-alive HTTP/1.1 client for the Bot API's POSTs without files.

httpx costs about a third of each update's CPU in the coach: most of it is generic machinery
(its request and response models, httpcore's state machine, anyio) that a form POST to one
host does not need. This client keeps open connections in a small pool and sends each request
on a connection no other request is using, so requests run side by side as with httpx.

Safety rules, because a duplicate sendMessage is worse than a lost one:
- A request is sent on a connection the server has not closed; an idle connection that the
  server closed (or that idled long enough for the server to be closing it) is dropped before
  any byte of the request is written, and a fresh one opened.
- Once a byte of a request is written, the request is never sent again: a connection that
  breaks before the whole answer arrives raises NetworkError.

Uploads, downloads and proxies stay with httpx (see bot/chat/bot_api.py).
"""

from __future__ import annotations

import asyncio
import ssl
from collections import deque
from time import monotonic
from urllib.parse import urlsplit

from telegram.error import NetworkError, TimedOut

# The server may close a connection that idled this long; don't send on one that old.
MAX_IDLE_SECONDS = 10.0
_LINE_LIMIT = 65_536

Origin = tuple[str, int, bool]  # host, port, TLS


class _Connection:
    __slots__ = ("idle_since", "reader", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.idle_since = 0.0

    def usable(self, now: float) -> bool:
        """Still open on both sides, not told anything unasked, and not idle too long."""
        return (
            not self.writer.is_closing()
            and not self.reader.at_eof()
            and not self.reader._buffer  # type: ignore[attr-defined]  # bytes nobody asked for
            and now - self.idle_since < MAX_IDLE_SECONDS
        )

    def close(self) -> None:
        self.writer.close()


class KeepAliveClient:
    """POSTs url-encoded forms over pooled keep-alive connections, at most `pool_size` at once."""

    def __init__(self, pool_size: int, tls: ssl.SSLContext) -> None:
        self._tls = tls
        self._slots = asyncio.BoundedSemaphore(pool_size)
        self._idle: dict[Origin, deque[_Connection]] = {}
        self._targets: dict[str, tuple[Origin, bytes]] = {}
        self._closed = False

    async def post(
        self,
        url: str,
        body: bytes,
        content_type: str | None,
        user_agent: str,
        *,
        connect_timeout: float | None,
        write_timeout: float | None,
        read_timeout: float | None,
        pool_timeout: float | None,
    ) -> tuple[int, bytes]:
        """The status and body of the answer to one POST. TimedOut or NetworkError otherwise."""
        if self._closed:
            raise RuntimeError("This KeepAliveClient is closed")
        origin, head = self._target(url, user_agent)
        request = b"".join(
            (
                head,
                b"Content-Type: " + content_type.encode("latin-1") + b"\r\n"
                if content_type
                else b"",
                b"Content-Length: %d\r\n\r\n" % len(body),
                body,
            )
        )
        if self._slots.locked():  # else acquiring never waits: no timer to set
            try:
                async with asyncio.timeout(pool_timeout):
                    await self._slots.acquire()
            except TimeoutError:
                raise TimedOut(
                    "Pool timeout: All connections in the connection pool are occupied. "
                    "Request was *not* sent to Telegram."
                ) from None
        else:
            await self._slots.acquire()
        try:
            return await self._exchange(
                origin, request, connect_timeout, write_timeout, read_timeout
            )
        finally:
            self._slots.release()

    async def close(self) -> None:
        self._closed = True
        for connections in self._idle.values():
            while connections:
                connections.pop().close()

    def _target(self, url: str, user_agent: str) -> tuple[Origin, bytes]:
        """Where `url` goes and the request's head up to its body headers, built once per URL."""
        known = self._targets.get(url)
        if known is None:
            parts = urlsplit(url)
            secure = parts.scheme == "https"
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise NetworkError(f"Not an http(s) URL: {parts.scheme}://{parts.hostname}")
            default = 443 if secure else 80
            port = parts.port or default
            host = parts.hostname if port == default else f"{parts.hostname}:{port}"
            path = parts.path or "/"
            if parts.query:
                path += "?" + parts.query
            head = (
                f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n"
                f"Connection: keep-alive\r\nUser-Agent: {user_agent}\r\n"
            ).encode("latin-1")
            known = (parts.hostname, port, secure), head
            self._targets[url] = known
        return known

    def _connection(self, origin: Origin) -> _Connection | None:
        """An idle connection to `origin` that is safe to send on, or None."""
        idle = self._idle.get(origin)
        now = monotonic()
        while idle:
            connection = idle.pop()
            if connection.usable(now):
                return connection
            connection.close()
        return None

    async def _open(self, origin: Origin) -> _Connection:
        host, port, secure = origin
        reader, writer = await asyncio.open_connection(
            host,
            port,
            ssl=self._tls if secure else None,
            server_hostname=host if secure else None,
            limit=_LINE_LIMIT,
        )
        return _Connection(reader, writer)

    async def _exchange(
        self,
        origin: Origin,
        request: bytes,
        connect_timeout: float | None,
        write_timeout: float | None,
        read_timeout: float | None,
    ) -> tuple[int, bytes]:
        connection = self._connection(origin)
        sent = False
        try:
            if connection is None:
                async with asyncio.timeout(connect_timeout):
                    connection = await self._open(origin)
            sent = True
            connection.writer.write(request)
            if connection.writer.transport.get_write_buffer_size():  # else nothing to wait for
                async with asyncio.timeout(write_timeout):
                    await connection.writer.drain()
            async with asyncio.timeout(read_timeout):
                status, body, reusable = await _read_response(connection.reader)
        except TimeoutError:
            if connection is not None:
                connection.close()
            raise TimedOut() from None
        except (OSError, EOFError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as e:
            if connection is not None:
                connection.close()
            what = "no answer came, and it is not sent again" if sent else "it was not sent"
            raise NetworkError(f"Bot API connection lost ({type(e).__name__}): {what}") from e
        except ValueError as e:  # a malformed answer
            connection.close()  # type: ignore[union-attr]  # set before any answer is read
            raise NetworkError(f"Bot API answered with malformed HTTP: {e}") from e
        except BaseException:
            # Cancelled mid-exchange: the connection's state is unknown, so it is not reused.
            if connection is not None:
                connection.close()
            raise
        if reusable and not self._closed:
            now = connection.idle_since = monotonic()
            idle = self._idle.setdefault(origin, deque())
            # Idle connections are taken newest first; close the ones too old to be taken.
            while idle and not idle[0].usable(now):
                idle.popleft().close()
            idle.append(connection)
        else:
            connection.close()
        return status, body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Status, body, and whether the connection can carry another request."""
    while True:
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *lines = head[:-4].split(b"\r\n")
        version, _, rest = status_line.partition(b" ")
        if not version.startswith(b"HTTP/1."):
            raise ValueError(f"status line {status_line[:40]!r}")
        status = int(rest[:3])
        if not 100 <= status < 200:
            break  # 1xx answers are informational; the real answer follows
    headers: dict[bytes, bytes] = {}
    for line in lines:
        name, colon, value = line.partition(b":")
        if not colon:
            raise ValueError(f"header line {line[:40]!r}")
        headers[name.strip().lower()] = value.strip()
    connection = headers.get(b"connection", b"").lower()
    reusable = b"close" not in connection and (
        version == b"HTTP/1.1" or b"keep-alive" in connection
    )
    if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
        body = await _read_chunked(reader)
    elif b"content-length" in headers:
        length = int(headers[b"content-length"])
        if length < 0:
            raise ValueError("negative Content-Length")
        body = await reader.readexactly(length)
    elif status in (204, 304):
        body = b""
    else:  # the body runs to the end of the connection
        body = await reader.read()
        reusable = False
    return status, body, reusable


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            # Trailers, if any, up to the empty line.
            while await reader.readuntil(b"\r\n") != b"\r\n":
                pass
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        if await reader.readexactly(2) != b"\r\n":
            raise ValueError("chunk not followed by CRLF")
