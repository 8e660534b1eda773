"""The bot's HTTP client (``bot.runtime.http.AiohttpRequest``) against the Bot API emulator.

Every case runs with python-telegram-bot's own ``HTTPXRequest`` as well: the two must
answer alike — the same results, the same exceptions for the same error answers.
"""

from __future__ import annotations

import asyncio
import io
import json
import socket
from collections.abc import AsyncIterator, Callable, Iterator

import pytest
import telegram
from telegram import InputFile
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import BaseRequest, HTTPXRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bot.runtime.http import AiohttpRequest
from bot.runtime.outbox import outcome_unknown
from emulator import BotApiServer, Driver
from emulator.server import GarbleMode

TOKEN = "123456:HTTP-test-token"
PNG = bytes.fromhex("89504e470d0a1a0a") + bytes(range(256)) * 40  # binary, every byte value
Factory = Callable[..., BaseRequest]
param = RequestParameter.from_input
CLIENTS: dict[str, Factory] = {"aiohttp": AiohttpRequest, "httpx": HTTPXRequest}


@pytest.fixture(params=sorted(CLIENTS))
def client(request: pytest.FixtureRequest) -> Factory:
    return CLIENTS[request.param]


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as srv:
        yield srv


@pytest.fixture
def tg(server: BotApiServer) -> Driver:
    return Driver(server, TOKEN)


def make_bot(server: BotApiServer, request: BaseRequest) -> telegram.Bot:
    return telegram.Bot(
        TOKEN,
        base_url=f"{server.root_url}/bot",
        base_file_url=f"{server.root_url}/file/bot",
        request=request,
        get_updates_request=request,
    )


@pytest.fixture
async def bot(server: BotApiServer, tg: Driver, client: Factory) -> AsyncIterator[telegram.Bot]:
    async with make_bot(server, client()) as b:
        yield b


async def chat(tg: Driver) -> int:
    budi = tg.user("Budi Santoso")
    await budi.send("halo")
    return budi.id


def texts(tg: Driver, chat_id: int) -> list[str]:
    return [m.text for m in tg.bot_messages(chat_id)]


async def test_sends_and_reads_like_python_telegram_bot(bot: telegram.Bot, tg: Driver) -> None:
    chat_id = await chat(tg)
    me = await bot.get_me()
    assert me.username == "semarang112_bot"
    text = 'Laporan & <b>tebal</b> — ✓ 100% "kutip" +62 812'
    sent = await bot.send_message(chat_id, text, parse_mode=None)
    assert sent.text == text
    assert texts(tg, chat_id) == [text]
    many = await asyncio.gather(*(bot.send_message(chat_id, f"pesan {k}") for k in range(40)))
    assert sorted(m.text for m in many) == sorted(f"pesan {k}" for k in range(40))


async def test_uploads_bytes_and_file_objects_and_reads_them_back(
    bot: telegram.Bot, tg: Driver
) -> None:
    chat_id = await chat(tg)
    photo = await bot.send_photo(chat_id, InputFile(PNG, filename="statistik.png"), caption="📊")
    assert photo.caption == "📊"
    stored = await (await bot.get_file(photo.photo[-1].file_id)).download_as_bytearray()
    assert bytes(stored) == PNG
    csv = "id;kategori\n1;Kebakaran — Tembalang\n".encode()
    name = 'laporan "nov" 2026.csv'
    document = await bot.send_document(chat_id, InputFile(io.BytesIO(csv), filename=name))
    assert document.document is not None
    assert document.document.file_name == name.replace('"', "%22")
    assert document.document.mime_type == "text/csv"
    data = await (await bot.get_file(document.document.file_id)).download_as_bytearray()
    assert bytes(data) == csv


async def test_error_answers_raise_what_python_telegram_bot_raises(
    bot: telegram.Bot, tg: Driver, server: BotApiServer
) -> None:
    chat_id = await chat(tg)
    retry = {"retry_after": 3}
    server.add_fault(
        method="sendMessage", status=429, description="Too Many Requests", parameters=retry
    )
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(chat_id, "x")
    assert flood.value.retry_after.total_seconds() == 3  # type: ignore[union-attr]
    moved = {"migrate_to_chat_id": -1001234}
    server.add_fault(method="sendMessage", status=400, description="Bad Request", parameters=moved)
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(chat_id, "x")
    assert migrated.value.new_chat_id == -1001234
    server.add_fault(method="sendMessage", status=403, description="Forbidden: bot was blocked")
    with pytest.raises(Forbidden, match="bot was blocked"):
        await bot.send_message(chat_id, "x")
    with pytest.raises(BadRequest, match=r"[Mm]essage text is empty"):
        await bot.send_message(chat_id, "")
    server.add_fault(method="sendMessage", status=500, description="Internal Server Error")
    with pytest.raises(NetworkError, match="Internal Server Error") as five:
        await bot.send_message(chat_id, "x")
    assert type(five.value) is NetworkError
    server.outage(30)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(chat_id, "x")
    server.clear_faults()
    assert (await bot.send_message(chat_id, "lagi normal")).text == "lagi normal"


@pytest.mark.parametrize(
    ("mode", "error", "match"),
    [
        ("truncated", TelegramError, "Invalid server response"),
        ("garbage", TelegramError, "Invalid server response"),
        ("disconnect", NetworkError, "[Dd]isconnect"),
    ],
)
async def test_a_spoilt_answer_after_delivery_is_an_error_not_a_resend(
    bot: telegram.Bot,
    tg: Driver,
    server: BotApiServer,
    mode: GarbleMode,
    error: type[TelegramError],
    match: str,
) -> None:
    chat_id = await chat(tg)
    rule = server.add_garbled_answer(mode=mode, chat_id=chat_id)
    with pytest.raises(error, match=match) as info:
        await bot.send_message(chat_id, "nasib tidak pasti")
    assert type(info.value) is error
    assert texts(tg, chat_id) == ["nasib tidak pasti"]
    assert rule.fired == 1  # sent once: a POST is never retried
    assert outcome_unknown(info.value)  # the outbox repeats it marked
    server.add_error_after_delivery(chat_id=chat_id)
    with pytest.raises(NetworkError, match="Bad Gateway") as gateway:
        await bot.send_message(chat_id, "terkirim, tapi 502")
    assert outcome_unknown(gateway.value)
    assert (await bot.send_message(chat_id, "normal lagi")).text == "normal lagi"


async def test_time_outs(bot: telegram.Bot, tg: Driver, server: BotApiServer) -> None:
    chat_id = await chat(tg)
    rule = server.add_timeout_after_delivery(delay=2.0, chat_id=chat_id)
    with pytest.raises(TimedOut) as info:
        await bot.send_message(chat_id, "terlambat", read_timeout=0.3)
    assert outcome_unknown(info.value)
    assert rule.results[0]["text"] == "terlambat"  # delivered, though the client gave up
    server.latency = 1.0
    with pytest.raises(TimedOut):
        await bot.send_message(chat_id, "server lambat", read_timeout=0.3)
    assert (await bot.send_message(chat_id, "sabar", read_timeout=3)).text == "sabar"
    server.latency = 0.0
    # getUpdates: the long poll is added to the read time-out, so a 1 s poll is no time-out
    assert await bot.get_updates(offset=10**10, timeout=1, read_timeout=0.3) == ()


async def test_the_pool_time_out_names_the_pool(
    server: BotApiServer, tg: Driver, client: Factory
) -> None:
    server.latency = 1.0
    async with make_bot(server, client(connection_pool_size=1, pool_timeout=0.1)) as b:
        first = asyncio.create_task(b.get_me())
        await asyncio.sleep(0.2)
        with pytest.raises(TimedOut, match="Pool timeout") as info:
            await b.get_me()
        assert not outcome_unknown(info.value)  # never sent
        assert (await first).username == "semarang112_bot"


@pytest.fixture
def deaf_server() -> Iterator[int]:
    """A port that accepts connections and never reads from them."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


async def test_a_stalled_upload_times_out_by_the_write_time_out(
    deaf_server: int, client: Factory
) -> None:
    big = InputFile(b"\0" * 64_000_000, filename="besar.bin")
    data = RequestData([param("chat_id", 1), param("document", big)])
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with client(read_timeout=30, media_write_timeout=0.5) as request:
        with pytest.raises(TimedOut):
            await request.post(f"http://127.0.0.1:{deaf_server}/bot{TOKEN}/sendDocument", data)
    assert loop.time() - started < 10


async def test_connection_errors_are_network_errors(client: Factory) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    async with client() as request:
        with pytest.raises(NetworkError) as info:
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
    assert not isinstance(info.value, TimedOut)
    assert not outcome_unknown(info.value)  # never sent: a retry is no repeat


async def test_life_cycle(server: BotApiServer, client: Factory) -> None:
    request = client()
    url = f"{server.root_url}/bot{TOKEN}/getMe"
    tg = Driver(server, TOKEN)
    assert tg.world.bot_user["id"]
    assert (await request.post(url))["username"] == "semarang112_bot"  # type: ignore[index]
    await request.shutdown()
    await request.shutdown()
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post(url)
    async with request:
        code, body = await request.do_request(url, "POST")
    assert code == 200 and json.loads(body)["ok"] is True


def test_only_http_proxies_are_taken() -> None:
    AiohttpRequest(proxy="http://127.0.0.1:3128")
    with pytest.raises(ValueError, match="proxies"):
        AiohttpRequest(proxy="socks5://127.0.0.1:1080")
