"""PostgreSQL beyond the storage suite: ``migrate-db`` moves a live SQLite database up, and
two bot processes on one PostgreSQL take over from each other (bench/failover.py drives
them; ``python -m bench.failover`` runs more rounds and prints the figures)."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections import Counter
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from bench import failover
from bot.runtime import cli
from bot.runtime.app import BotRuntime
from storage.db import Database
from tests.support import factories as f
from tests.support.harness import file_report, world
from tests.support.postgres import Cluster
from tests.support.processes import clean_env, free_port


async def migrate_db(url: str, sqlite: Path) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "migrate-db",
        "--to",
        url,
        env={**clean_env(), "DATABASE_PATH": str(sqlite)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    async with asyncio.timeout(60):
        out, _ = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode()


async def test_migrate_db_moves_reports_drafts_and_the_queue_and_the_bot_goes_on(
    tmp_path: Path, postgres_cluster: Cluster
) -> None:
    async with world(tmp_path / "before") as w:
        ticket = await file_report(w)
        await w.dispatcher.press(await w.card(ticket), "Ambil")
        await w.tg.wait_for(w.dispatch, lambda m: ticket in m.text and "DIAMBIL" in m.text)
        await w.reporter.send("/lapor")  # a second report, left at its second step
        await w.reporter.press(
            await w.tg.wait_for(w.reporter, lambda m: "Langkah 1" in m.text), "Kebakaran"
        )
        await w.tg.wait_for(w.reporter, lambda m: "Langkah 2" in m.text)
        sqlite = w.settings.database_path
    url = postgres_cluster.database("moved", migrated=False)

    code, out = await migrate_db(url, sqlite)
    assert code == 0, out
    assert "every count verified" in out and "reports" in out
    code, out = await migrate_db(url, sqlite)  # never over data
    assert code == 1 and "not empty" in out and "nothing was copied" in out

    old, new = await Database.open(sqlite), await Database.open(url)
    try:
        for table in ("reports", "report_events", "drafts", "outbox", "reporters", "message_map"):
            async with old.read() as a, new.read() as b:
                sql = f"SELECT * FROM {table} ORDER BY 1, 2"
                assert [tuple(r) for r in await a.all(sql)] == [
                    tuple(r) for r in await b.all(sql)
                ], table
    finally:
        await old.close()
        await new.close()

    async with world(tmp_path / "after", database_url=url) as w:  # the same people and group
        await w.reporter.send_location(*f.SIMPANG_LIMA)  # the draft goes on at its step
        await w.tg.wait_for(w.reporter, lambda m: "Langkah 3" in m.text)
        await w.reporter.send("/batal")
        await w.tg.wait_for(w.reporter, lambda m: "dibatalkan" in m.text)
        second = await file_report(w)  # the next ticket, the next ids
        assert second[-4:] == "0002" and second[:-4] == ticket[:-4]
        await w.card(second)


@pytest.mark.parametrize("rounds", [2])  # a kill -9, then a cut connection
async def test_a_standby_takes_over_when_the_active_process_dies_or_loses_its_database(
    tmp_path: Path, postgres_cluster: Cluster, rounds: int
) -> None:
    url = postgres_cluster.database("failover", migrated=False)
    result = await failover.run(url, postgres_cluster.psql, rounds, tmp_path, pause=0.5)
    print(result)  # the figures; python -m bench.failover measures more rounds
    assert result["kills"] == 1 and result["cuts"] == 1
    assert result["exit_codes"] == [-9, 1]  # cut off, the active one stopped by itself
    assert result["reports"] > 0
    assert result["problems"] == []  # every ticket has one card (or a marked repeat)


async def health(port: int) -> tuple[int, dict[str, object]]:
    async with httpx.AsyncClient() as http:
        answer = await http.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
    return answer.status_code, answer.json()


async def test_a_standby_answers_health_as_standby_and_takes_over_when_the_active_one_stops(
    tmp_path: Path, postgres_cluster: Cluster
) -> None:
    url = postgres_cluster.database("standby", migrated=False)
    async with world(tmp_path, database_url=url, start_bot=False) as w:
        first = w.settings.model_copy(update={"health_port": free_port()})
        polling = w.settings.model_copy(update={"health_port": free_port()})
        webhook = polling.model_copy(
            update={
                "health_port": free_port(),
                "webhook_url": "http://127.0.0.1:9/telegram/hook",
                "webhook_secret": SecretStr("s3cret-token_for-the-webhook"),
            }
        )
        active = await BotRuntime(first, poll_timeout=1).__aenter__()
        standby = BotRuntime(polling, poll_timeout=1)
        try:
            assert active.health.role == "active"
            code, body = await health(first.health_port or 0)
            assert code == 200 and body["role"] == "active"
            waiting = asyncio.ensure_future(standby.__aenter__())
            behind_balancer = asyncio.ensure_future(BotRuntime(webhook).__aenter__())
            async with asyncio.timeout(20):
                while standby.health_server is None or standby.health.role != "standby":
                    await asyncio.sleep(0.05)
            code, body = await health(polling.health_port or 0)
            assert code == 200 and body["status"] == "standby"  # healthy, as a standby
            code, body = await health(webhook.health_port or 0)
            assert code == 503 and body["status"] == "standby"  # no webhook traffic to it
            for port in (polling.health_port, webhook.health_port):  # Docker: both healthy
                standby_settings = polling.model_copy(update={"health_port": port})
                assert await asyncio.to_thread(cli.healthcheck, standby_settings) == 0
            behind_balancer.cancel()  # a standby stops cleanly while it waits
            with pytest.raises(asyncio.CancelledError):
                await behind_balancer
            ticket = await file_report(w)
            await w.card(ticket)
            assert not waiting.done()
        finally:
            await active.__aexit__(None, None, None)  # a graceful stop frees the lease
        try:
            async with asyncio.timeout(20):
                await waiting
            assert standby.health.role == "active"
            code, body = await health(polling.health_port or 0)
            assert code == 200 and body["role"] == "active"
            await w.dispatcher.press(await w.card(ticket), "Ambil")  # the new active answers
            await w.tg.wait_for(w.dispatch, lambda m: ticket in m.text and "DIAMBIL" in m.text)
        finally:
            await standby.__aexit__(None, None, None)


async def test_export_reads_postgresql_and_backup_points_to_pg_dump(
    tmp_path: Path, postgres_cluster: Cluster
) -> None:
    url = postgres_cluster.database("tools", migrated=False)
    async with world(tmp_path, database_url=url) as w:
        ticket = await file_report(w)
        await w.card(ticket)
    env = {**clean_env(), "DATABASE_URL": url, "DATABASE_PATH": str(tmp_path / "none.sqlite3")}

    async def cli(*args: str) -> tuple[int, str]:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        async with asyncio.timeout(60):
            out, err = await proc.communicate()
        return proc.returncode or 0, out.decode() + err.decode()

    today = ticket.split("-")[1]
    day = f"20{today[:2]}-{today[2:4]}-{today[4:6]}"
    code, out = await cli("export", "--from", day, "--to", day)
    assert code == 0 and ticket in out, out
    code, out = await cli("backup", str(tmp_path / "copy.sqlite3"))
    assert code == 1 and "pg_dump" in out
    assert not (tmp_path / "copy.sqlite3").exists()


async def test_an_unreachable_postgresql_stops_the_start_in_one_line_without_the_password(
    tmp_path: Path,
) -> None:
    url = f"postgresql://bot:s3cret-pw@127.0.0.1:{free_port()}/nowhere"
    env = {
        **clean_env(),
        "TELEGRAM_BOT_TOKEN": f.TOKEN,
        "TELEGRAM_API_URL": "http://127.0.0.1:9",
        "DISPATCH_CHAT_ID": "-100123",
        "DATABASE_URL": url,
        "STARTUP_RETRY_SECONDS": "0",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=str(tmp_path),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    async with asyncio.timeout(60):
        out, _ = await proc.communicate()
    text = out.decode()
    assert proc.returncode == 1, text
    assert "DATABASE_URL: cannot open postgresql://bot@127.0.0.1:" in text
    assert "s3cret-pw" not in text and "Traceback" not in text


async def test_a_card_in_flight_when_the_active_one_dies_is_sent_again_marked_by_the_standby(
    tmp_path: Path, postgres_cluster: Cluster
) -> None:
    url = postgres_cluster.database("inflight", migrated=False)
    async with failover.pair(url, tmp_path) as p:
        reporter = p.tg.user("Rina", username="rina", language_code="id")
        # Telegram shows the card but its answer is held: the row stays 'sending'.
        p.server.add_timeout_after_delivery(delay=30, chat_id=p.dispatch.id)
        ticket = await failover.file_one(p.tg, reporter, "Gudang terbakar", Counter())
        await p.tg.wait_for(p.dispatch, lambda m: "📌" in m.text and ticket in m.text, timeout=10)
        old = await p.active(10)
        assert old.process._proc is not None
        old.process._proc.send_signal(signal.SIGKILL)
        repeat = await p.tg.wait_for(
            p.dispatch, lambda m: ticket in m.text and "dikirim ulang" in m.text, timeout=30
        )  # its fate was unknown: sent again, marked as a possible repeat
        assert len(failover.card_copies(p.tg, p.dispatch, ticket)) == 2
        await p.tg.wait_for(reporter, lambda m: "diterima" in m.text, timeout=10)
        assert "📌" in repeat.text


async def test_an_sqlite_deployment_never_loads_the_postgresql_driver() -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "import sys, bot.runtime.app, bot.runtime.cli; print('asyncpg' in sys.modules)",
        env=clean_env(),
        stdout=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(60):
        out, _ = await proc.communicate()
    assert out.decode().strip() == "False"  # its memory is the SQLite bot's
