"""Logs: UTC date and time, optional JSON lines, and no secret or personal data at any
level — checked on the real process at DEBUG, where python-telegram-bot logs every call's
parameters, every update and the webhook's secret."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from pathlib import Path

import httpx

from bot.runtime.logs import (
    JsonFormatter,
    PrivacyFilter,
    RedactingFormatter,
    hide_values,
    setup_logging,
)
from tests.support import factories as f
from tests.support.harness import bot_process, world
from tests.support.processes import free_port

SECRET = "webhook-Secret_for-the-log-test"
PHONE_TYPED = "0812 9876 5432"
DETAILS = "Rumah Pak Slamet di Gang Mawar 7 terbakar, dua anak di dalam"
PERSONAL = ("Pemudik", "rina_mudik", "9876", "Slamet", "Gang Mawar", "110.42285")


def record(name: str, msg: str, *args: object, level: int = logging.DEBUG) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, args, None)


def test_lines_carry_the_utc_date_and_time_and_json_lines_parse() -> None:
    rec = record("bot.x", "hello %s", "world", level=logging.INFO)
    rec.created, rec.msecs = 1774595000.25, 250.0  # 2026-03-27 07:03:20.250 UTC
    text = RedactingFormatter((), "%(asctime)s %(levelname)s %(name)s: %(message)s").format(rec)
    assert text == "2026-03-27T07:03:20.250Z INFO bot.x: hello world"
    line = json.loads(JsonFormatter(()).format(rec))
    assert line == {
        "time": "2026-03-27T07:03:20.250Z",
        "level": "INFO",
        "logger": "bot.x",
        "message": "hello world",
    }


def test_secrets_are_redacted_in_the_whole_line_tracebacks_included() -> None:
    try:
        raise RuntimeError(f"The token `{f.TOKEN}` was rejected by the server.")
    except RuntimeError:
        import sys

        rec = logging.LogRecord("bot", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    for formatter in (RedactingFormatter([f.TOKEN]), JsonFormatter([f.TOKEN])):
        text = formatter.format(rec)
        assert "Traceback" in text or "traceback" in text.lower()
        assert f.TOKEN not in text and "<redacted>" in text


def test_library_debug_lines_keep_their_words_and_lose_their_values() -> None:
    call = record(
        "telegram.ext.ExtBot",
        "Calling Bot API endpoint `%s` with parameters `%s`",
        "sendMessage",
        {"chat_id": 7001, "text": DETAILS},
    )
    PrivacyFilter().filter(call)
    assert call.getMessage() == "Calling Bot API endpoint `sendMessage` with parameters `…`"
    update = record("telegram.ext.Application", "Processing update %s", {"message": DETAILS})
    PrivacyFilter().filter(update)
    assert update.getMessage() == "Processing update …"
    access = record("tornado.access", "%d %s %.2fms", 200, "POST /hook?x=Slamet", 1.5)
    PrivacyFilter().filter(access)
    assert access.getMessage() == "… … …ms"
    ours = record("handlers.reporter", "report %s submitted", "SMG-1")
    PrivacyFilter().filter(ours)
    assert ours.getMessage() == "report SMG-1 submitted"
    warning = record("telegram.ext.Updater", "Error: %s", "timed out", level=logging.WARNING)
    PrivacyFilter().filter(warning)
    assert warning.getMessage() == "Error: timed out"
    assert hide_values("%d%% of %(name)s", (5,), keep=(0,)) == "5% of …"


def test_setup_logging_quiets_request_loggers_whatever_the_level() -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging("DEBUG", [f.TOKEN], "json")
        assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
        assert logging.getLogger("aiosqlite").getEffectiveLevel() == logging.INFO
        assert isinstance(root.handlers[0].formatter, JsonFormatter)
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
        for name in ("httpx", "httpcore", "aiohttp.access", "aiosqlite"):
            logging.getLogger(name).setLevel(logging.NOTSET)


async def test_debug_logs_of_a_real_run_hold_no_personal_data(tmp_path: Path) -> None:
    log = tmp_path / "bot.log"
    async with world(tmp_path, start_bot=False) as w:
        async with bot_process(w, log, LOG_LEVEL="DEBUG"):
            rep = w.reporter

            async def says(needle: str) -> None:
                await w.tg.wait_for(rep, lambda m: needle in m.text, timeout=20)

            await rep.send("/lapor")
            ask = await w.tg.wait_for(rep, lambda m: "Langkah 1" in m.text, timeout=20)
            await rep.press(ask, "Kebakaran", timeout=10)
            await says("Langkah 2")
            await rep.send_location(*f.SIMPANG_LIMA, horizontal_accuracy=20)
            await says("Langkah 3")
            await rep.send(DETAILS)
            await says("Langkah 4")
            await rep.send(PHONE_TYPED)
            summary = await w.tg.wait_for(rep, lambda m: "Periksa laporan" in m.text, timeout=10)
            await rep.press(summary, "Kirim", timeout=10)
            card = await w.card(timeout=20)
            assert "Pemudik" in card.text and "9876" in card.text  # the data went through
    text = log.read_text()
    assert "Calling Bot API endpoint `sendMessage`" in text  # DEBUG was on
    assert "Processing update" in text
    assert [word for word in PERSONAL if word in text] == []
    assert f.TOKEN.split(":")[1] not in text and "Traceback" not in text
    stamp = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (DEBUG|INFO|WARNING|ERROR) ")
    assert all(stamp.match(line) for line in text.splitlines() if line.strip())


async def test_webhook_mode_at_debug_never_logs_the_secret_and_json_lines_parse(
    tmp_path: Path,
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    log = tmp_path / "bot.log"
    async with world(tmp_path, start_bot=False) as w:
        env = {"WEBHOOK_URL": url, "WEBHOOK_SECRET": SECRET, "WEBHOOK_PORT": str(port)}
        async with bot_process(w, log, LOG_LEVEL="DEBUG", LOG_FORMAT="json", **env):
            async with asyncio.timeout(30):
                while not any(c.method == "setWebhook" for c in w.server.calls):
                    await asyncio.sleep(0.1)
            message = await w.reporter.send(f"Halo, saya Rina Pemudik, {PHONE_TYPED}")
            body = json.dumps({"update_id": 5150, "message": message.raw})
            headers = {"Content-Type": "application/json"}
            async with httpx.AsyncClient() as http:
                for _ in range(100):  # the webhook server may still be starting
                    try:
                        await http.post(
                            url,
                            content=body,
                            headers={
                                **headers,
                                "X-Telegram-Bot-Api-Secret-Token": "wrong-guess-0000000",
                            },
                        )
                        break
                    except httpx.TransportError:
                        await asyncio.sleep(0.2)
                answer = await http.post(
                    url,
                    content=body,
                    headers={**headers, "X-Telegram-Bot-Api-Secret-Token": SECRET},
                )
                assert answer.status_code == 200
            await w.tg.wait_for(w.reporter, lambda m: "112" in m.text, timeout=20)
    hook = [c for c in w.server.calls if c.method == "setWebhook"]
    assert hook[-1].params["secret_token"] == SECRET  # the secret was really used
    text = log.read_text()
    assert SECRET not in text and "wrong-guess" not in text
    assert [word for word in PERSONAL if word in text] == []
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert {"time", "level", "logger", "message"} <= set(lines[0])
    assert any("Webhook received data" in line["message"] for line in lines)
