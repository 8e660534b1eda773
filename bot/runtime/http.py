"""The Bot API's HTTP client: python-telegram-bot's ``BaseRequest`` on aiohttp.

python-telegram-bot's own :class:`~telegram.request.HTTPXRequest` spends most of the bot's
CPU in httpx and httpcore (the connection pool is scanned for every request that starts or
ends, a cost that grows with the requests in flight). :class:`AiohttpRequest` keeps what
the rest of python-telegram-bot relies on and changes only the transport:

- the same time-outs with the same defaults: ``connect_timeout`` bounds opening a
  connection, ``read_timeout`` each wait for the answer once the request is sent (for
  getUpdates python-telegram-bot adds the long-poll time itself), ``write_timeout``
  sending the body of an upload (``media_write_timeout`` when not given; a request
  without files fits the socket buffer), ``pool_timeout`` the wait for one of
  ``connection_pool_size`` connections. A value passed to a call wins over the default;
  ``None`` means no limit;
- the same errors: :class:`~telegram.error.TimedOut` for any time-out,
  :class:`~telegram.error.NetworkError` for connection errors. ``RetryAfter``,
  ``ChatMigrated``, ``Forbidden``, ``BadRequest`` … come from ``BaseRequest`` reading the
  JSON answer, which this class hands on unchanged with its status;
- the same request bodies: parameters form-encoded, uploads as ``multipart/form-data``
  with the files of :attr:`RequestData.multipart_data` (bytes or file objects);
- no retry of a POST, so a request the server carried out is never sent twice;
- proxies: an ``http://`` proxy URL, or ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``ALL_PROXY``
  and ``NO_PROXY`` from the environment as httpx reads them. SOCKS proxies are not
  supported (python-telegram-bot's ``HTTPXRequest`` with ``python-telegram-bot[socks]``
  is the way for those); neither is HTTP/2.
"""

from __future__ import annotations

import asyncio
import io
import urllib.request
from functools import lru_cache
from typing import IO, Any, Final
from urllib.parse import urlsplit

import aiohttp
from aiohttp.payload import get_payload
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

__all__ = ["AiohttpRequest"]

POOL_TIMEOUT_MESSAGE: Final = (
    "Pool timeout: All connections in the connection pool are occupied. Request was *not* "
    "sent to Telegram. Consider adjusting the connection pool size or the pool timeout."
)
FORM: Final = {"Content-Type": "application/x-www-form-urlencoded"}
# Control characters and quotes in a file name are percent-escaped (as httpx does): the
# name is sent as is otherwise, UTF-8 included, inside the part's quoted header field.
_UNSAFE_IN_FILENAME: Final = {c: f"%{c:02X}" for c in (*range(0x20), 0x22, 0x7F)}


@lru_cache(maxsize=64)
def _client_timeout(connect: float | None, read: float | None) -> aiohttp.ClientTimeout:
    """aiohttp's time-outs for one request (few distinct pairs: kept, not rebuilt)."""
    return aiohttp.ClientTimeout(total=None, connect=None, sock_connect=connect, sock_read=read)


class _Upload(aiohttp.MultipartWriter):
    """A ``multipart/form-data`` body whose sending is bounded by the write time-out."""

    def __init__(self, write_timeout: float | None) -> None:
        super().__init__("form-data")
        self._write_timeout = write_timeout

    def add(self, name: str, value: str | bytes | IO[bytes], file: tuple[str, str] | None) -> None:
        """One field; ``file`` is (file name, content type) for a file."""
        if file is None:
            part = get_payload(value)
            part.set_content_disposition("form-data", quote_fields=False, name=name)
        else:
            filename, content_type = file
            part = get_payload(value, headers={"Content-Type": content_type})
            part.set_content_disposition(
                "form-data", quote_fields=False, name=name, filename=filename
            )
        self.append_payload(part)

    async def write(self, writer: Any, close_boundary: bool = True) -> None:
        try:
            async with asyncio.timeout(self._write_timeout):
                await super().write(writer, close_boundary)
        except TimeoutError:
            transport = getattr(writer, "transport", None)
            if transport is not None:
                transport.abort()  # closing would wait for a peer that takes nothing more
            raise


def _upload(request_data: RequestData, write_timeout: float | None) -> _Upload:
    """Parameters first, then the files, as python-telegram-bot's httpx request sends them."""
    body = _Upload(write_timeout)
    for name, value in request_data.json_parameters.items():
        body.add(name, value, None)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        stream = io.BytesIO(content) if isinstance(content, bytes) else content  # sent in chunks
        body.add(name, stream, (filename.translate(_UNSAFE_IN_FILENAME), mimetype))
    return body


class AiohttpRequest(BaseRequest):
    """python-telegram-bot's ``BaseRequest`` on one aiohttp ``ClientSession``.

    The arguments and their defaults are those of ``HTTPXRequest``; see the module's
    docstring for what each time-out bounds.
    """

    __slots__ = (
        "_connect_timeout",
        "_media_write_timeout",
        "_pool",
        "_pool_size",
        "_pool_timeout",
        "_proxies",
        "_proxy",
        "_read_timeout",
        "_session",
        "_shut",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        proxy: str | None = None,
    ) -> None:
        if connection_pool_size < 1:
            raise ValueError("connection_pool_size must be at least 1")
        if proxy is not None and urlsplit(proxy).scheme not in ("http", "https"):
            raise ValueError("only http:// and https:// proxies are supported")
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._proxy = proxy
        self._proxies: dict[tuple[str, str], str | None] = {}
        self._pool = asyncio.Semaphore(connection_pool_size)
        self._session: aiohttp.ClientSession | None = None
        self._shut = False

    @property
    def read_timeout(self) -> float | None:
        """The default read time-out (python-telegram-bot adds the long poll to it)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (again after :meth:`shutdown`)."""
        self._shut = False
        self._open()

    async def shutdown(self) -> None:
        """Close the session and its connections; calling it twice is harmless."""
        self._shut = True
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    def _open(self) -> aiohttp.ClientSession:
        """The session; opened on first use like ``HTTPXRequest``'s client (in the loop)."""
        if self._shut:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        if self._session is None or self._session.closed:
            self._pool = asyncio.Semaphore(self._pool_size)  # no request in flight here
            connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0)
            self._session = aiohttp.ClientSession(
                connector=connector,
                headers={"User-Agent": self.USER_AGENT},
                cookie_jar=aiohttp.DummyCookieJar(),
                timeout=_client_timeout(self._connect_timeout, self._read_timeout),
            )
        return self._session

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One request; the status and the body as they came (``BaseRequest`` reads them)."""
        session, pool = self._open(), self._pool
        files = request_data is not None and request_data.contains_files
        if isinstance(read_timeout, DefaultValue):
            read_timeout = self._read_timeout
        if isinstance(connect_timeout, DefaultValue):
            connect_timeout = self._connect_timeout
        if isinstance(pool_timeout, DefaultValue):
            pool_timeout = self._pool_timeout
        if isinstance(write_timeout, DefaultValue):
            write_timeout = self._media_write_timeout if files else self._write_timeout
        body, headers = self._body(request_data, write_timeout)
        await self._acquire(pool, pool_timeout)
        try:
            async with session.request(
                method,
                url,
                data=body,
                headers=headers,
                timeout=_client_timeout(connect_timeout, read_timeout),
                proxy=self._proxy_for(url),
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:  # aiohttp's time-outs are TimeoutErrors too
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc
        finally:
            pool.release()

    @staticmethod
    async def _acquire(pool: asyncio.Semaphore, patience: float | None) -> None:
        """A free connection slot, waiting at most ``patience`` seconds for one."""
        if not pool.locked():
            await pool.acquire()  # free: no waiting, no timer
            return
        try:
            async with asyncio.timeout(patience):
                await pool.acquire()
        except TimeoutError as exc:
            raise TimedOut(POOL_TIMEOUT_MESSAGE) from exc

    @staticmethod
    def _body(
        request_data: RequestData | None, write_timeout: float | None
    ) -> tuple[bytes | _Upload | None, dict[str, str] | None]:
        if request_data is None:
            return None, None
        if request_data.contains_files:
            return _upload(request_data, write_timeout), None
        return request_data.url_encoded_parameters().encode(), FORM

    def _proxy_for(self, url: str) -> str | None:
        """The given proxy, else the environment's for this scheme and host (read once)."""
        if self._proxy is not None:
            return self._proxy
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            found = urllib.request.getproxies_environment()
            bypass = bool(key[1]) and urllib.request.proxy_bypass(key[1])
            proxy = None if bypass else found.get(key[0]) or found.get("all")
            self._proxies[key] = proxy if proxy and proxy.startswith("http") else None
        return self._proxies[key]
