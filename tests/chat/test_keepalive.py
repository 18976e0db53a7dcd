"""The lean keep-alive client against a local HTTP server whose answers each test scripts."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.chat import keepalive
from bot.chat.bot_api import CountedRequest, bot_api_requests
from bot.chat.keepalive import KeepAliveClient

OK = b'{"ok":true,"result":true}'


@dataclass
class Seen:
    connection: int
    head: bytes
    body: bytes


# How the server answers one request: writes to the writer, or closes it.
Answer = Callable[[asyncio.StreamWriter, Seen], Awaitable[None]]


async def plain(writer: asyncio.StreamWriter, seen: Seen) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(OK), OK))


@dataclass
class Server:
    answers: list[Answer] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    connections: int = 0
    hung_up: list[int] = field(default_factory=list)  # connections the client closed
    hang_up: asyncio.Event = field(default_factory=asyncio.Event)
    port: int = 0
    tls: ssl.SSLContext | None = None

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://localhost:{self.port}/botTOKEN/sendMessage"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        number = self.connections
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except asyncio.IncompleteReadError:
                    self.hung_up.append(number)
                    self.hang_up.set()
                    return
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                seen = Seen(number, head, await reader.readexactly(length))
                self.seen.append(seen)
                answer = self.answers.pop(0) if self.answers else plain
                await answer(writer, seen)
                if writer.is_closing():
                    return
                await writer.drain()
        finally:
            writer.close()


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    state = Server()
    listening = await asyncio.start_server(state.handle, "127.0.0.1", 0)
    state.port = listening.sockets[0].getsockname()[1]
    async with listening:
        yield state


async def post(
    client: KeepAliveClient, url: str, body: bytes = b"a=1", read_timeout: float = 5.0
) -> tuple[int, bytes]:
    return await client.post(
        url,
        body,
        "application/x-www-form-urlencoded",
        "test",
        connect_timeout=5.0,
        write_timeout=5.0,
        read_timeout=read_timeout,
        pool_timeout=5.0,
    )


async def test_one_connection_carries_requests_one_after_another(server: Server) -> None:
    client = KeepAliveClient(4, ssl.create_default_context())
    for n in range(3):
        assert await post(client, server.url, b"n=%d" % n) == (200, OK)
    await client.close()
    assert server.connections == 1
    assert [s.body for s in server.seen] == [b"n=0", b"n=1", b"n=2"]
    assert server.seen[0].head.startswith(b"POST /botTOKEN/sendMessage HTTP/1.1\r\n")
    assert b"\r\nHost: localhost:%d\r\n" % server.port in server.seen[0].head


async def two_at_once(server: Server, client: KeepAliveClient) -> list[tuple[int, bytes]]:
    """Two requests the server holds until both have arrived, so each has its own connection."""
    release, arrived = asyncio.Event(), asyncio.Event()

    async def held(writer: asyncio.StreamWriter, seen: Seen) -> None:
        if len(server.seen) == 2:
            arrived.set()
        await release.wait()
        await plain(writer, seen)

    server.answers = [held, held]
    both = asyncio.gather(post(client, server.url), post(client, server.url))
    await arrived.wait()
    release.set()
    return list(await both)


async def test_requests_at_once_use_a_connection_each(server: Server) -> None:
    client = KeepAliveClient(4, ssl.create_default_context())
    answers = await two_at_once(server, client)
    assert answers == [(200, OK), (200, OK)]
    await client.close()
    assert server.connections == 2


async def test_a_chunked_answer_is_read_whole(server: Server) -> None:
    async def chunked(writer: asyncio.StreamWriter, seen: Seen) -> None:
        writer.write(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b'5;ext=1\r\n{"ok"\r\n14\r\n:true,"result":true}\r\n0\r\nX-Trailer: 1\r\n\r\n'
        )

    server.answers = [chunked]
    client = KeepAliveClient(4, ssl.create_default_context())
    assert await post(client, server.url) == (200, OK)
    assert await post(client, server.url) == (200, OK)  # and the connection is still good
    await client.close()
    assert server.connections == 1


async def test_an_idle_connection_the_server_closed_is_replaced_before_sending(
    server: Server,
) -> None:
    async def then_close(writer: asyncio.StreamWriter, seen: Seen) -> None:
        await plain(writer, seen)
        await writer.drain()
        writer.close()

    server.answers = [then_close]
    client = KeepAliveClient(4, ssl.create_default_context())
    assert await post(client, server.url) == (200, OK)
    for _ in range(20):  # let the client's side see the server's FIN
        await asyncio.sleep(0)
    assert await post(client, server.url, b"second") == (200, OK)
    await client.close()
    assert server.connections == 2
    assert [s.body for s in server.seen] == [b"a=1", b"second"]


async def test_connection_close_in_the_answer_is_honoured(server: Server) -> None:
    async def close_header(writer: asyncio.StreamWriter, seen: Seen) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")

    server.answers = [close_header]
    client = KeepAliveClient(4, ssl.create_default_context())
    assert await post(client, server.url) == (200, b"ok")
    assert await post(client, server.url) == (200, OK)
    await client.close()
    assert server.connections == 2


async def test_a_request_whose_answer_is_lost_is_not_sent_again(server: Server) -> None:
    async def hang_up(writer: asyncio.StreamWriter, seen: Seen) -> None:
        writer.close()

    async def half_answer(writer: asyncio.StreamWriter, seen: Seen) -> None:
        writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"ok"')
        await writer.drain()
        writer.close()

    server.answers = [hang_up, half_answer]
    client = KeepAliveClient(4, ssl.create_default_context())
    with pytest.raises(NetworkError, match="not sent again"):
        await post(client, server.url, b"first")
    with pytest.raises(NetworkError, match="not sent again"):
        await post(client, server.url, b"second")
    await client.close()
    assert [s.body for s in server.seen] == [b"first", b"second"]


async def test_no_answer_in_time_is_timed_out_and_the_connection_dropped(
    server: Server,
) -> None:
    async def silent(writer: asyncio.StreamWriter, seen: Seen) -> None:
        await asyncio.sleep(3600)

    server.answers = [silent]
    client = KeepAliveClient(4, ssl.create_default_context())
    with pytest.raises(TimedOut):
        await post(client, server.url, read_timeout=0.05)
    assert await post(client, server.url) == (200, OK)
    await client.close()
    assert server.connections == 2
    assert len(server.seen) == 2


async def test_a_full_pool_times_out_without_sending(server: Server) -> None:
    release, arrived = asyncio.Event(), asyncio.Event()

    async def held(writer: asyncio.StreamWriter, seen: Seen) -> None:
        arrived.set()
        await release.wait()
        await plain(writer, seen)

    server.answers = [held]
    client = KeepAliveClient(1, ssl.create_default_context())
    first = asyncio.create_task(post(client, server.url))
    await arrived.wait()
    with pytest.raises(TimedOut, match="not\\* sent"):
        await client.post(
            server.url,
            b"",
            None,
            "test",
            connect_timeout=1,
            write_timeout=1,
            read_timeout=1,
            pool_timeout=0.01,
        )
    release.set()
    assert await first == (200, OK)
    await client.close()
    assert len(server.seen) == 1


async def test_a_refused_connection_is_a_network_error_that_was_not_sent() -> None:
    client = KeepAliveClient(1, ssl.create_default_context())
    with pytest.raises(NetworkError, match="was not sent"):
        await post(client, "http://127.0.0.1:1/botTOKEN/getMe")


def telegram_request() -> RequestData:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Done ✓", callback_data="s:1:x")]])
    return RequestData(
        [
            RequestParameter.from_input("chat_id", 42),
            RequestParameter.from_input("text", "Squat — 3×10 at <b>40 kg</b> & rest 90 s"),
            RequestParameter.from_input("parse_mode", "HTML"),
            RequestParameter.from_input("disable_notification", True),
            RequestParameter.from_input("reply_markup", markup),
        ]
    )


async def test_the_body_is_byte_for_byte_the_one_httpx_sends(server: Server) -> None:
    data = telegram_request()
    expected = httpx.Request("POST", server.url, data=data.json_parameters)
    request = CountedRequest(keepalive=KeepAliveClient(2, ssl.create_default_context()))
    await request.initialize()
    assert await request.do_request(server.url, "POST", data) == (200, OK)
    assert await request.do_request(server.url, "POST", None) == (200, OK)
    await request.shutdown()
    sent, empty = server.seen
    assert sent.body == expected.content
    assert b"\r\nContent-Type: application/x-www-form-urlencoded\r\n" in sent.head
    assert b"\r\nUser-Agent: %s\r\n" % CountedRequest.USER_AGENT.encode() in sent.head
    assert empty.body == b""
    assert b"Content-Type" not in empty.head
    assert b"\r\nContent-Length: 0\r\n" in empty.head


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return key, cert


async def test_https_is_verified_against_the_trusted_certificates(
    tls_files: tuple[Path, Path],
) -> None:
    key, cert = tls_files
    state = Server()
    serving = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    serving.load_cert_chain(cert, key)
    listening = await asyncio.start_server(state.handle, "127.0.0.1", 0, ssl=serving)
    state.port = listening.sockets[0].getsockname()[1]
    state.tls = serving
    async with listening:
        trusting = ssl.create_default_context(cafile=str(cert))
        client = KeepAliveClient(2, trusting)
        assert await post(client, state.url) == (200, OK)
        assert await post(client, state.url) == (200, OK)
        await client.close()
        assert state.connections == 1

        stranger = KeepAliveClient(2, ssl.create_default_context())  # the system's CAs only
        with pytest.raises(NetworkError, match="was not sent"):
            await post(stranger, state.url)
        await stranger.close()


async def test_a_connection_idle_too_long_is_closed_not_sent_on(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keepalive, "MAX_IDLE_SECONDS", 0.0)  # every idle connection is too old
    client = KeepAliveClient(4, ssl.create_default_context())
    for _ in range(3):
        assert await post(client, server.url) == (200, OK)
    await client.close()
    assert server.connections == 3
    assert [s.connection for s in server.seen] == [1, 2, 3]


async def test_connections_left_idle_are_closed_once_too_old(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [0.0]
    monkeypatch.setattr(keepalive, "monotonic", lambda: clock[0])
    client = KeepAliveClient(4, ssl.create_default_context())
    answers = await two_at_once(server, client)
    assert len(answers) == 2  # two idle connections now; the newest is taken first
    clock[0] = keepalive.MAX_IDLE_SECONDS - 1
    assert await post(client, server.url) == (200, OK)
    assert server.hung_up == []
    clock[0] = keepalive.MAX_IDLE_SECONDS + 1
    assert await post(client, server.url) == (200, OK)
    await server.hang_up.wait()
    assert server.connections == 2
    assert len(server.hung_up) == 1  # the one left idle, while the other stays open
    await client.close()


async def test_uploads_still_go_through_httpx(server: Server) -> None:
    data = RequestData(
        [
            RequestParameter.from_input("chat_id", 42),
            RequestParameter.from_input("document", InputFile(b"date,kg\n", filename="a.csv")),
        ]
    )
    assert data.contains_files
    request = CountedRequest(keepalive=KeepAliveClient(2, ssl.create_default_context()))
    await request.initialize()
    assert await request.do_request(server.url, "POST", data) == (200, OK)
    await request.shutdown()
    (sent,) = server.seen
    assert b"content-type: multipart/form-data" in sent.head.lower()
    assert b"date,kg" in sent.body


def test_with_a_proxy_in_the_environment_everything_goes_through_httpx(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    assert all(request._keepalive is None for request in bot_api_requests(4))
    monkeypatch.delenv("HTTPS_PROXY")
    for name in ("HTTP_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert all(request._keepalive is not None for request in bot_api_requests(4))
