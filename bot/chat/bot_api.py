"""The HTTP client to the Bot API, counting replies and failed requests for the metrics.

Counted per HTTP request, under the rate limiter: a request it retries after a 429 counts the
429 and then the reply.

Requests without files go through a lean keep-alive client (bot/chat/keepalive.py) with the
same url-encoded body httpx would send; uploads, downloads, and everything when a proxy is set
in the environment, go through python-telegram-bot's httpx client.
"""

from __future__ import annotations

import ssl
import urllib.request
from urllib.parse import urlencode

import httpx
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput  # the type of PTB's own signature
from telegram.error import NetworkError
from telegram.request import HTTPXRequest, RequestData

from bot import metrics
from bot.chat.keepalive import KeepAliveClient

FORM = "application/x-www-form-urlencoded"


class CountedRequest(HTTPXRequest):
    def __init__(self, *, keepalive: KeepAliveClient | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._keepalive = keepalive

    async def shutdown(self) -> None:
        if self._keepalive is not None:
            await self._keepalive.close()
        await super().shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = HTTPXRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        try:
            if (
                self._keepalive is not None
                and method == "POST"
                and not (request_data is not None and request_data.contains_files)
            ):
                status, payload = await self._lean(
                    url, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
                )
            else:
                status, payload = await super().do_request(
                    url,
                    method,
                    request_data,
                    read_timeout=read_timeout,
                    write_timeout=write_timeout,
                    connect_timeout=connect_timeout,
                    pool_timeout=pool_timeout,
                )
        except NetworkError:
            metrics.bot_api_unreachable()
            raise
        # The URL ends in the method name; the token before it never reaches a label.
        metrics.bot_api_answered(url.rsplit("/", 1)[-1], status)
        return status, payload

    async def _lean(
        self,
        url: str,
        request_data: RequestData | None,
        read_timeout: ODVInput[float],
        write_timeout: ODVInput[float],
        connect_timeout: ODVInput[float],
        pool_timeout: ODVInput[float],
    ) -> tuple[int, bytes]:
        assert self._keepalive is not None
        # As httpx sends PTB's form: the JSON-encoded values, url-encoded; no body without any.
        form = request_data.json_parameters if request_data is not None else {}
        body = urlencode(form, doseq=True).encode() if form else b""
        default = self._client.timeout
        return await self._keepalive.post(
            url,
            body,
            FORM if form else None,
            self.USER_AGENT,
            connect_timeout=_given(connect_timeout, default.connect),
            write_timeout=_given(write_timeout, default.write),
            read_timeout=_given(read_timeout, default.read),
            pool_timeout=_given(pool_timeout, default.pool),
        )


def _given(timeout: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(timeout, DefaultValue) else timeout


def bot_api_requests(pool_size: int) -> tuple[CountedRequest, CountedRequest]:
    """The client for every method but getUpdates, sized for `pool_size` updates at once,
    and the one for getUpdates.

    They share one TLS context, httpx's default: loading its CA bundle is 30-100 ms of every
    start, once per context.
    """
    tls = httpx.create_ssl_context()
    return (
        CountedRequest(
            keepalive=_lean_client(pool_size, tls),
            connection_pool_size=pool_size,
            pool_timeout=10.0,
            httpx_kwargs={"verify": tls},
        ),
        CountedRequest(keepalive=_lean_client(1, tls), httpx_kwargs={"verify": tls}),
    )


def _lean_client(pool_size: int, tls: ssl.SSLContext) -> KeepAliveClient | None:
    # httpx honours HTTP(S)_PROXY and ALL_PROXY; the lean client speaks to the host directly.
    if any(k in ("http", "https", "all") for k in urllib.request.getproxies()):
        return None
    return KeepAliveClient(pool_size, tls)
