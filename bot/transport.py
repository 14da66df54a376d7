"""Bot API requests with JSON bodies.

PTB's :class:`~telegram.request.HTTPXRequest` form-encodes every call: each non-string
parameter is JSON-encoded on its own, then the whole form is percent-encoded byte by byte,
which took a large share of the bot's CPU for its 1–4 kB HTML replies. Telegram accepts
``application/json`` for every method except file uploads, so :class:`JsonRequest` sends
one ``json.dumps`` of the parameters instead and leaves uploads (multipart) to PTB.
"""

from __future__ import annotations

import json

import httpx

# PTB's own types for the signature of do_request (private modules, public behaviour).
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

#: PTB's message for a pool timeout (HTTPXRequest.do_request), kept word for word.
POOL_TIMEOUT_MESSAGE = (
    "Pool timeout: All connections in the connection pool are occupied. "
    "Request was *not* sent to Telegram. Consider adjusting the connection "
    "pool size or the pool timeout."
)


class JsonRequest(HTTPXRequest):
    """PTB's HTTPXRequest, except that calls without files go out as one JSON body.

    PTB has no hook for the body's encoding alone, so the JSON branch of
    :meth:`do_request` repeats what PTB's does around the HTTP call (checked against PTB
    22.8): the "not initialized" error, per-call timeouts falling back to the configured
    ones, and httpx errors mapped to ``TimedOut``/``NetworkError``. The client, its pool,
    proxy and HTTP/2 settings, and every upload stay PTB's. Nothing here logs: the URL
    holds the token.
    """

    __slots__ = ()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send the call as ``application/json`` unless it uploads files (then as PTB does)."""
        if request_data is None or request_data.contains_files:
            return await super().do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        if self._client.is_closed:
            raise RuntimeError("This HTTPXRequest is not initialized!")
        body = json.dumps(request_data.parameters).encode("utf-8")
        configured = self._client.timeout
        timeout = httpx.Timeout(
            connect=_or_configured(connect_timeout, configured.connect),
            read=_or_configured(read_timeout, configured.read),
            # No files here, so the write timeout is never PTB's media_write_timeout.
            write=_or_configured(write_timeout, configured.write),
            pool=_or_configured(pool_timeout, configured.pool),
        )
        try:
            response = await self._client.request(
                method=method,
                url=url,
                headers={"User-Agent": self.USER_AGENT, "Content-Type": "application/json"},
                content=body,
                timeout=timeout,
            )
        except httpx.PoolTimeout as err:
            raise TimedOut(message=POOL_TIMEOUT_MESSAGE) from err
        except httpx.TimeoutException as err:
            raise TimedOut from err
        except httpx.HTTPError as err:
            raise NetworkError(f"httpx.{err.__class__.__name__}: {err}") from err
        return response.status_code, response.content


def _or_configured(value: ODVInput[float], configured: float | None) -> float | None:
    """A per-call timeout, or the configured one when the caller left PTB's default."""
    return configured if isinstance(value, DefaultValue) else value
