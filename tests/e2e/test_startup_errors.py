"""Start-up and configuration errors, as the real process shows them: one line naming the
setting and the fix, a non-zero exit, no traceback, no token — and no process left hanging.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import socket
import sqlite3
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from emulator.server import BotApiServer
from tests.support import factories as f
from tests.support.processes import (
    assert_one_line_error,
    clean_env,
    copy_env_example,
    emulator_process,
    free_port,
    run_cli,
    running_bot,
)

DISPATCH = "-1001234567890"


def bot_env(api_url: str, db: Path, **more: str) -> dict[str, str]:
    values = {
        "TELEGRAM_BOT_TOKEN": f.TOKEN,
        "TELEGRAM_API_URL": api_url,
        "DISPATCH_CHAT_ID": DISPATCH,
        "DATABASE_PATH": str(db),
        "STARTUP_RETRY_SECONDS": "0",
    }
    return clean_env(**(values | more))


async def test_unreachable_bot_api_is_retried_then_named(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nobody listens
    env = bot_env(url, tmp_path / "db.sqlite3", STARTUP_RETRY_SECONDS="2")
    done = await run_cli("run", env=env, cwd=tmp_path)
    line = assert_one_line_error(done, "TELEGRAM_API_URL", 1)
    assert url in line and "retrying for 2 s" in line
    assert "retrying for up to 2 s (STARTUP_RETRY_SECONDS)" in done.output  # said at once


async def test_a_token_telegram_rejects_is_named_and_never_printed(tmp_path: Path) -> None:
    async with BotApiServer() as server:
        server.register_bot("987654321:SOME-other-bot-token-registered_01")
        env = bot_env(server.root_url, tmp_path / "db.sqlite3")
        done = await run_cli("run", env=env, cwd=tmp_path)
    line = assert_one_line_error(done, "TELEGRAM_BOT_TOKEN", 2)
    assert "@BotFather" in line


def _make_folder(tmp_path: Path) -> Path:
    (tmp_path / "a-folder").mkdir()
    return tmp_path / "a-folder"


def _make_text_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("not a database\n" * 200)
    return path


def _under_a_file(tmp_path: Path) -> Path:
    (tmp_path / "plain-file").write_text("x")
    return tmp_path / "plain-file" / "bot.sqlite3"


@pytest.mark.parametrize(
    ("make", "code", "words"),
    [
        (_make_folder, 2, "is a folder"),
        (_make_text_file, 2, "is not an SQLite database"),
        (_under_a_file, 1, "cannot create the folder"),
    ],
    ids=["folder", "not-sqlite", "unopenable"],
)
async def test_a_database_path_that_cannot_be_used(
    tmp_path: Path, make: Callable[[Path], Path], code: int, words: str
) -> None:
    path = make(tmp_path)
    before = path.read_bytes() if path.is_file() else None
    async with BotApiServer() as server:
        server.register_bot(f.TOKEN)
        done = await run_cli("run", env=bot_env(server.root_url, path), cwd=tmp_path, timeout=30)
        assert not [c for c in server.calls if c.method == "getMe"]  # checked before Telegram
    line = assert_one_line_error(done, "DATABASE_PATH", code)
    assert words in line
    if before is not None:
        assert path.read_bytes() == before  # untouched


def _drop_root_file_access() -> None:
    """In the child: root without CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH obeys file modes."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


async def test_a_read_only_database_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "bot.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    db.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    popen: dict[str, object] = {}
    if os.geteuid() == 0:  # root ignores file modes unless it gives up that power
        popen["preexec_fn"] = _drop_root_file_access
    try:
        async with BotApiServer() as server:
            server.register_bot(f.TOKEN)
            env = bot_env(server.root_url, db)
            try:
                done = await run_cli("run", env=env, cwd=tmp_path, timeout=30, **popen)
            except (
                OSError,
                subprocess.SubprocessError,
            ) as exc:  # pragma: no cover - no CAP_SETPCAP
                pytest.skip(f"cannot make the file read-only for root here: {exc}")
    finally:
        folder.chmod(stat.S_IRWXU)
        db.chmod(stat.S_IRUSR | stat.S_IWUSR)
    line = assert_one_line_error(done, "DATABASE_PATH", 1)
    assert "read-only" in line


@pytest.mark.parametrize("setting", ["WEBHOOK_PORT", "HEALTH_PORT"])
async def test_a_port_in_use_is_named(tmp_path: Path, setting: str) -> None:
    from tests.support.harness import world

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        async with world(tmp_path, start_bot=False) as w:
            more = {setting: port}
            if setting == "WEBHOOK_PORT":
                more |= {
                    "WEBHOOK_URL": "https://bot.example.org/telegram",
                    "WEBHOOK_SECRET": "s3cret-token_for-the-webhook",
                }
            env = bot_env(w.server.root_url, w.settings.database_path, **more)
            env["DISPATCH_CHAT_ID"] = str(w.dispatch.id)
            done = await run_cli("run", env=env, cwd=tmp_path)
    line = assert_one_line_error(done, setting, 1, secret="s3cret-token_for-the-webhook")
    assert f"port {port}" in line and "already in use" in line
    assert f.TOKEN not in done.output


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("DISPATCH_CHAT_ID", "@dispatch112", "/chatid"),
        ("DISPATCH_CHAT_ID", "dispatch", "valid integer"),
        ("HEALTH_PORT", "99999", "65535"),
        ("LOG_FORMAT", "xml", "'text' or 'json'"),
    ],
)
async def test_a_malformed_setting_is_one_line(
    tmp_path: Path, name: str, value: str, words: str
) -> None:
    env = bot_env("http://127.0.0.1:9", tmp_path / "db.sqlite3", **{name: value})
    done = await run_cli("run", env=env, cwd=tmp_path, timeout=30)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert name in done.stderr and words in done.stderr and "Traceback" not in done.stderr
    assert f.TOKEN not in done.stderr
    assert not (tmp_path / "db.sqlite3").exists()


async def test_env_example_with_only_token_and_chat_and_the_emulators_default_token(
    tmp_path: Path,
) -> None:
    from emulator.__main__ import DEFAULT_TOKEN

    copy_env_example(tmp_path, TELEGRAM_BOT_TOKEN=DEFAULT_TOKEN, DISPATCH_CHAT_ID=DISPATCH)
    async with emulator_process() as url:
        # Only the server differs from .env.example: the emulator instead of Telegram.
        env = clean_env(TELEGRAM_API_URL=url)
        async with running_bot(env, tmp_path, tmp_path / "bot.log") as proc:
            pass
        assert proc.returncode == 0
    text = (tmp_path / "bot.log").read_text()
    assert "bot @semarang112_bot is running" in text and "Traceback" not in text
    assert (tmp_path / "data" / "semarang112.sqlite3").is_file()  # the default DATABASE_PATH
    assert DEFAULT_TOKEN.split(":")[1] not in text


async def test_a_stop_while_retrying_telegram_ends_the_start_at_once(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    env = bot_env(url, tmp_path / "db.sqlite3", STARTUP_RETRY_SECONDS="300")
    log = tmp_path / "bot.log"
    started = asyncio.get_running_loop().time()
    async with running_bot(env, tmp_path, log, ready="retrying for up to 300 s") as proc:
        pass  # SIGTERM as soon as the bot says it is retrying
    assert proc.returncode == 0
    assert asyncio.get_running_loop().time() - started < 30
    text = log.read_text()
    assert "stopping before the start completed" in text and "Traceback" not in text
