"""End to end with the real bot process: ``python -m bot`` against the emulator."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.support import factories as f
from tests.support.harness import ROOT, bot_process, file_report, world


async def test_the_bot_process_files_a_report_and_never_logs_its_token(tmp_path: Path) -> None:
    log = tmp_path / "bot.log"
    async with world(tmp_path, start_bot=False) as w:
        async with bot_process(w, log) as proc:
            await w.reporter.send("/start")
            await w.tg.wait_for(w.reporter, lambda m: "112" in m.text, timeout=20)
            ticket = await file_report(w, details='<script>alert("x")</script> & api')
            card = await w.card(ticket)
            assert '<script>alert("x")</script> & api' in card.text
            await w.dispatcher.press(card, "Ambil")
            await w.tg.wait_for(w.reporter, lambda m: "sedang ditangani" in m.text)
        assert proc.returncode == 0  # SIGTERM stops it gracefully
    text = log.read_text()
    assert "bot @semarang112_bot is running" in text
    assert f.TOKEN not in text
    assert f.TOKEN.split(":")[1] not in text


async def test_malformed_settings_stop_the_start_naming_the_setting(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": f.TOKEN,
        "DISPATCH_CHAT_ID": "not-a-number",
        "DATABASE_PATH": str(tmp_path / "x.sqlite3"),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=str(tmp_path),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode == 2
    assert b"DISPATCH_CHAT_ID" in err
    assert f.TOKEN.encode() not in out + err
    assert ROOT.exists()


async def test_online_backup_while_the_bot_runs(tmp_path: Path) -> None:
    from storage import reports as store
    from storage.db import Database

    async with world(tmp_path) as w:
        ticket = await file_report(w)
        await w.card(ticket)
        env = {
            **os.environ,
            "DATABASE_PATH": str(w.settings.database_path),
            "TELEGRAM_BOT_TOKEN": f.TOKEN,
            "DISPATCH_CHAT_ID": str(w.dispatch.id),
        }
        target = tmp_path / "backups" / "112.sqlite3"
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "backup",
            str(target),
            cwd=str(tmp_path),
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await proc.communicate()
        assert proc.returncode == 0, err
        copy = await Database.open(target)
        report = await store.get_report_by_ticket(copy, ticket)
        await copy.close()
        assert report is not None and report.received_at is not None
