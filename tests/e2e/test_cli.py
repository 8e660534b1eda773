"""The command line cannot hurt the data: exports and backups refuse to overwrite the live
database or an existing file (unless --force), refuse a missing database instead of
creating an empty one; every subcommand explains itself; ``chat-id`` while the bot runs
says so in one line; ``healthcheck`` asks the running bot."""

from __future__ import annotations

import argparse
import asyncio
import importlib.metadata
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.runtime import cli
from storage.db import Database
from tests.support import factories as f
from tests.support.harness import world
from tests.support.processes import SETTINGS_OF_THE_DEVELOPER, clean_env, free_port, run_cli

DAY = ["--from", "2026-03-01", "--to", "2026-03-31"]


@pytest.fixture(autouse=True)
def operator_shell(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """A clean environment in tmp_path; the logging setup main() does is undone after."""
    for name in SETTINGS_OF_THE_DEVELOPER:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "live.sqlite3"))
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def partials(folder: Path) -> list[Path]:
    """Unfinished files a command left behind."""
    return list(folder.glob(".*.partial"))


async def make_database(path: Path) -> bytes:
    db = await Database.open(path)
    await db.close()
    return Path.read_bytes(path)


async def main(*argv: str) -> int:
    """``python -m bot ARGV`` in this process (in a thread: it runs its own event loop)."""
    return await asyncio.to_thread(cli.main, list(argv))


async def test_export_never_overwrites_the_live_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live = tmp_path / "live.sqlite3"
    before = await make_database(live)
    for target in (str(live), "./live.sqlite3", f"{live}-wal", f"{live}-shm"):
        assert await main("export", *DAY, "--output", target, "--force") == 1
        err = capsys.readouterr().err
        assert "is the live database" in err and len(err.splitlines()) == 1
    assert live.read_bytes() == before
    with sqlite3.connect(live) as conn:
        assert conn.execute("SELECT count(*) FROM reports").fetchone() == (0,)
    conn.close()


async def test_export_replaces_an_existing_file_only_with_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await make_database(tmp_path / "live.sqlite3")
    out = tmp_path / "march.csv"
    out.write_text("keep me")
    assert await main("export", *DAY, "--output", str(out)) == 1
    assert "already exists" in capsys.readouterr().err and out.read_text() == "keep me"
    assert await main("export", *DAY, "--output", str(out), "--force") == 0
    header = out.read_text().splitlines()[0]
    assert header != "keep me" and header.count(",") > 5
    assert not partials(tmp_path)
    folder = tmp_path / "exports"
    folder.mkdir()
    assert await main("export", *DAY, "--output", str(folder), "--force") == 1
    assert "is a folder" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["export", *DAY], ["backup", "copy.sqlite3"]])
async def test_a_missing_database_is_refused_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert await main(*command) == 1
    err = capsys.readouterr().err
    assert "DATABASE_PATH" in err and "no database" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "live.sqlite3").exists() and not (tmp_path / "copy.sqlite3").exists()


async def test_backup_needs_no_token_and_refuses_what_would_hurt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live = tmp_path / "live.sqlite3"
    await make_database(live)
    assert await main("backup", str(live), "--force") == 1
    assert "is the live database" in capsys.readouterr().err
    assert await main("backup", "./live.sqlite3") == 1
    capsys.readouterr()
    copy = tmp_path / "backups" / "112.sqlite3"
    assert await main("backup", str(copy)) == 0  # no TELEGRAM_BOT_TOKEN set
    assert f"backup written to {copy}" in capsys.readouterr().out
    copy.write_bytes(b"an older backup")
    assert await main("backup", str(copy)) == 1
    assert "already exists" in capsys.readouterr().err
    assert copy.read_bytes() == b"an older backup"
    assert await main("backup", str(copy), "--force") == 0
    with sqlite3.connect(copy) as conn:  # a complete, working copy replaced it
        assert conn.execute("SELECT count(*) FROM _migrations").fetchone()[0] > 0
    conn.close()
    assert not partials(tmp_path / "backups")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    top = cli.parser()
    action = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_subcommand_and_argument_explains_itself(
    capsys: pytest.CaptureFixture[str],
) -> None:
    commands = subcommands()
    assert set(commands) == {
        "run",
        "demo",
        "chat-id",
        "backup",
        "export",
        "healthcheck",
        "migrate-db",
    }
    for name, sub in commands.items():
        assert sub.description, name
        for action in sub._actions:
            assert action.help, f"{name} {action.dest}"
        with pytest.raises(SystemExit) as done:
            cli.parser().parse_args([name, "--help"])
        assert done.value.code == 0
        assert capsys.readouterr().out.startswith("usage:")
    with pytest.raises(SystemExit):
        cli.parser().parse_args(["export", "--help"])
    text = capsys.readouterr().out
    assert text.count("YYYY-MM-DD") >= 4 and "TIMEZONE" in text and "inclusive" in text
    with pytest.raises(SystemExit) as bad:
        cli.parser().parse_args(["export", "--from", "27/03/2026", "--to", "2026-03-31"])
    assert bad.value.code == 2
    assert "'27/03/2026' is not a date as YYYY-MM-DD" in capsys.readouterr().err
    assert cli.parser().parse_args(["demo", "--lang", "en"]).lang == "en"


def test_the_console_script_is_the_same_command_line() -> None:
    (script,) = importlib.metadata.entry_points(group="console_scripts", name="semarang112")
    assert script.value == "bot.runtime.cli:main"
    assert script.load() is cli.main


async def test_healthcheck_asks_the_running_bot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert await main("healthcheck") == 1
    assert "HEALTH_PORT is not set" in capsys.readouterr().out
    port = free_port()
    monkeypatch.setenv("HEALTH_PORT", str(port))
    assert await main("healthcheck") == 1
    assert "no answer" in capsys.readouterr().out
    async with world(tmp_path, health_port=port) as w:
        assert w.runtime is not None
        assert await main("healthcheck") == 0
        assert capsys.readouterr().out == "healthy: ok\n"
        w.runtime.health.dispatch_chat_refusing(True, "kicked")
        assert await main("healthcheck") == 1
        assert "the dispatch chat refuses messages (kicked)" in capsys.readouterr().out


async def test_chat_id_while_the_bot_runs_says_so_in_one_line(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=f.TOKEN,
            TELEGRAM_API_URL=w.server.root_url,
            DISPATCH_CHAT_ID=str(w.dispatch.id),
            DATABASE_PATH=str(tmp_path / "other.sqlite3"),
        )
        done = await run_cli("chat-id", env=env, cwd=tmp_path, timeout=60)
    assert done.returncode == 1, done.output
    assert "Traceback" not in done.output and f.TOKEN not in done.output
    assert done.stderr.count("\n") == 1 and "the bot is running" in done.stderr
    assert "/chatid" in done.stderr


async def test_the_demo_plays_in_english(tmp_path: Path) -> None:
    done = await run_cli("demo", "--lang", "en", env=clean_env(), cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.output
    out = done.stdout
    assert "Step 2 of 4" in out and "[taps 💥 Traffic accident]" in out
    assert "[taps ✅ Send]" in out and "[taps 🙋 Claim]" in out and "[taps 🚒 Dispatch]" in out
    assert "REPORT SMG-" in out and "Langkah" not in out
    assert "daily summary" not in out and "📊" not in out  # no time-of-day noise
    assert "What next" in out and "TELEGRAM_BOT_TOKEN" in out and "pytest" in out


async def test_the_demo_shows_taps_without_summary_noise_and_what_next() -> None:
    import io

    from bot.runtime.demo import run_demo

    out = io.StringIO()
    assert await run_demo(out) == 0
    text = out.getvalue()
    reporter, group = text.split("Dispatchers' group")
    assert "Rina Pemudik: [taps 💥 Kecelakaan]" in reporter
    assert "Rina Pemudik: [taps ✅ Kirim]" in reporter
    assert "Sari: [taps 🙋 Ambil]" in group and "Sari: [taps 🚒 Kirim instansi]" in group
    assert "Ringkasan" not in text and "📊" not in text
    assert text.rstrip().endswith("python -m bot demo --lang en")
    assert "What next" in group and ".env.example" in group
