"""Answers that hide a delivered send, and flood budgets per chat role."""

from __future__ import annotations

import pytest
import telegram
from telegram.error import NetworkError, RetryAfter, TelegramError, TimedOut

from emulator import BotApiServer, Driver
from emulator.server import FloodLimiter, GarbleMode


async def test_a_5xx_after_delivery_hides_the_sent_message(
    bot: telegram.Bot, tg: Driver, server: BotApiServer
) -> None:
    budi = tg.user("Budi")
    await budi.send("hi")
    dispatch = tg.group("112 Dispatch")
    rule = server.add_error_after_delivery(chat_id=dispatch.id)
    await bot.send_message(budi.id, "tidak terkena")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(dispatch.id, "LAPORAN #7")
    assert [m.text for m in tg.bot_messages(dispatch)] == ["LAPORAN #7"]
    assert rule.fired == 1 and len(rule.results) == 1
    assert rule.results[0]["message_id"] == tg.bot_messages(dispatch)[0].message_id
    assert tg.answers(502, dispatch) == 1 and tg.answers(502) == 1
    await bot.send_message(dispatch.id, "LAPORAN #7 (mungkin terkirim dua kali)")
    server.add_error_after_delivery(method="editMessageText", status=500, count=None)
    card = tg.bot_messages(dispatch)[0]
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.edit_message_text("diubah", chat_id=dispatch.id, message_id=card.message_id)
    assert card.text == "diubah"
    with pytest.raises(TelegramError):  # the second edit finds nothing to change
        await bot.edit_message_text("diubah", chat_id=dispatch.id, message_id=card.message_id)
    server.clear_faults()
    await bot.edit_message_text("lagi", chat_id=dispatch.id, message_id=card.message_id)


@pytest.mark.parametrize(
    ("mode", "error", "match"),
    [
        ("truncated", TelegramError, "Invalid server response"),
        ("garbage", TelegramError, "Invalid server response"),
        ("disconnect", NetworkError, "[Dd]isconnect"),
    ],
)
async def test_garbled_answers_hide_the_sent_message(
    bot: telegram.Bot,
    tg: Driver,
    server: BotApiServer,
    mode: GarbleMode,
    error: type[TelegramError],
    match: str,
) -> None:
    budi = tg.user("Budi")
    await budi.send("hi")
    rule = server.add_garbled_answer(mode=mode, chat_id=budi.id)
    with pytest.raises(error, match=match) as info:
        await bot.send_message(budi.id, "nasib tidak pasti")
    assert type(info.value) is error
    assert [m.text for m in tg.bot_messages(budi)] == ["nasib tidak pasti"]
    assert rule.results[0]["text"] == "nasib tidak pasti"
    assert server.calls[-1].status == (0 if mode == "disconnect" else 200)
    sent = await bot.send_message(budi.id, "normal lagi")
    assert sent.text == "normal lagi"


async def test_timeout_after_delivery_keeps_the_late_answer(
    bot: telegram.Bot, tg: Driver, server: BotApiServer
) -> None:
    budi = tg.user("Budi")
    await budi.send("hi")
    rule = server.add_timeout_after_delivery(delay=1.0, chat_id=budi.id)
    with pytest.raises(TimedOut):
        await bot.send_message(budi.id, "terlambat", read_timeout=0.2)
    assert rule.results[0]["text"] == "terlambat"


def test_flood_budgets_follow_the_chat_role() -> None:
    limiter = FloodLimiter(enabled=True)
    private, group = 700_000_001, -1_001_234_567_001
    assert limiter.limits_for(private) == [("global", 30, 1.0), ("chat", 1, 1.0)]
    assert limiter.limits_for(group) == [
        ("global", 30, 1.0),
        ("chat", 1, 1.0),
        ("group", 20, 60.0),
    ]
    now = 1000.0
    for _ in range(120):  # a private chat: one a second, for ever
        assert limiter.check("T", private, now) is None
        limiter.commit("T", private, now)
        now += 1.0
    assert limiter.check("T", private, now - 0.5) == 1  # two within a second
    start = now
    for n in range(20):  # a group: one a second, but only 20 in a rolling minute
        assert limiter.check("T", group, start + n) is None
        limiter.commit("T", group, start + n)
    assert limiter.check("T", group, start + 20) == 40
    assert limiter.check("T", group, start + 60) is None
    burst = FloodLimiter(enabled=True, per_chat_per_second=None)
    for n in range(30):  # 30 different chats in one second, then the global budget is spent
        assert burst.check("T", n + 1, 0.5) is None
        burst.commit("T", n + 1, 0.5)
    assert burst.check("T", 99, 0.9) == 1


async def test_429_answers_are_counted_per_chat(
    bot: telegram.Bot,
    tg: Driver,
    server: BotApiServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    budi = tg.user("Budi")
    await budi.send("hi")
    dispatch = tg.group("112 Dispatch")
    other = tg.group("Posko")
    server.set_flood_limits(per_chat_per_second=None, per_group_per_minute=2)
    for text in ("satu", "dua"):
        await bot.send_message(dispatch.id, text)
    for _ in range(3):
        with pytest.raises(RetryAfter):
            await bot.send_message(dispatch.id, "tiga")
    await bot.send_message(other.id, "lain")
    await bot.send_message(budi.id, "pribadi")
    server.add_fault(method="sendMessage", status=429, parameters={"retry_after": 2})
    with pytest.raises(RetryAfter):
        await bot.send_message(budi.id, "x")
    assert tg.too_many_requests(dispatch) == 3
    assert tg.too_many_requests(other) == 0
    assert tg.too_many_requests(budi) == 1
    assert tg.too_many_requests() == 4
    assert tg.world.flood_rejections == 3
