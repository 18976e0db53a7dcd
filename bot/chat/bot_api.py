"""The HTTP client to the Bot API, counting replies and failed requests for the metrics.

Counted per HTTP request, under the rate limiter: a request it retries after a 429 counts the
429 and then the reply.
"""

from __future__ import annotations

import httpx
from telegram._utils.types import ODVInput  # the type of PTB's own signature
from telegram.error import NetworkError
from telegram.request import HTTPXRequest, RequestData

from bot import metrics


class CountedRequest(HTTPXRequest):
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


def bot_api_requests(pool_size: int) -> tuple[CountedRequest, CountedRequest]:
    """The client for every method but getUpdates, sized for `pool_size` updates at once,
    and the one for getUpdates.

    They share one TLS context, httpx's default: loading its CA bundle is 30-100 ms of every
    start, once per context.
    """
    tls = httpx.create_ssl_context()
    return (
        CountedRequest(
            connection_pool_size=pool_size, pool_timeout=10.0, httpx_kwargs={"verify": tls}
        ),
        CountedRequest(httpx_kwargs={"verify": tls}),
    )
