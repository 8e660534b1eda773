"""Database round trips per update type and per delivered outbox message.

A round trip is one hand-off to aiosqlite's connection thread (one call of
``aiosqlite.Connection._execute``: a statement, a fetch, a cursor close, BEGIN, COMMIT),
the unit whose thread switches the profile showed. The bot runs in this process against
the emulator; each hand-off is attributed to the task that made it: the outbox worker,
the periodic jobs, or the handling of an update.

Usage: ``python -m bench.roundtrips [--reports 20]``. Prints, for each step of the
report flow (lapor, category, location, details, skip, send), the mean round trips of
the update's handling, and the outbox's round trips per delivered message.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiosqlite

from bot.config import Settings
from bot.runtime.app import BotRuntime
from emulator.driver import Driver, Message, User
from emulator.server import BotApiServer

TOKEN = "123456:bench-roundtrips-token-0000000000000"
SIMPANG_LIMA = (-6.9903, 110.4229)
STEPS = ("lapor", "category", "location", "details", "skip", "send")


class TripCounter:
    """Counts hand-offs to the connection thread by the kind of task that made them."""

    def __init__(self) -> None:
        self.by_kind: Counter[str] = Counter()
        self._original: Callable[..., Awaitable[Any]] | None = None

    @staticmethod
    def kind() -> str:
        task = asyncio.current_task()
        name = task.get_name() if task is not None else ""
        if "outbox" in name:
            return "outbox"
        if name in ("alert-scheduler", "summaries", "job") or name.endswith("-job"):
            return "jobs"
        return "updates"

    def install(self) -> None:
        original: Callable[..., Awaitable[Any]] = aiosqlite.Connection._execute
        self._original = original
        counter = self

        async def counted(conn: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
            counter.by_kind[counter.kind()] += 1
            return await original(conn, fn, *args, **kwargs)

        setattr(aiosqlite.Connection, "_execute", counted)  # noqa: B010 - measuring a private hook

    def remove(self) -> None:
        if self._original is not None:
            setattr(aiosqlite.Connection, "_execute", self._original)  # noqa: B010


async def quiet(counter: TripCounter, kind: str, settle: float = 0.3) -> None:
    """Wait until ``kind`` made no round trip for ``settle`` seconds."""
    last = -1
    while counter.by_kind[kind] != last:
        last = counter.by_kind[kind]
        await asyncio.sleep(settle)


async def one_report(
    tg: Driver, rep: User, counter: TripCounter, per_step: dict[str, list[int]]
) -> None:
    chat = tg.world.chats[rep.id]
    start = max(chat.order, default=0)

    async def says(needle: str) -> Message:
        return await tg.wait_for(
            rep, lambda m: m.message_id > start and needle in m.text, timeout=20
        )

    async def step(name: str, act: Callable[[], Awaitable[object]], needle: str) -> Message:
        await quiet(counter, "updates")
        before = counter.by_kind["updates"]
        await act()
        answer = await says(needle)
        await quiet(counter, "updates")
        per_step[name].append(counter.by_kind["updates"] - before)
        return answer

    first = await step("lapor", lambda: rep.send("/lapor"), "Langkah 1")
    await step("category", lambda: rep.press(first, "Kecelakaan"), "Langkah 2")
    await step(
        "location",
        lambda: rep.send_location(*SIMPANG_LIMA, horizontal_accuracy=35),
        "Langkah 3",
    )
    await step("details", lambda: rep.send("Motor tabrakan, satu orang luka."), "Langkah 4")
    summary = await step("skip", lambda: rep.send("⏭ Lewati"), "Periksa laporan")
    await step("send", lambda: rep.press(summary, "Kirim"), "Laporan terkirim")


async def measure(reports: int, folder: Path) -> dict[str, float]:
    counter = TripCounter()
    counter.install()
    try:
        async with BotApiServer() as server:
            tg = Driver(server, TOKEN)
            dispatcher = tg.user("Sari", username="op_sari", language_code="id")
            dispatch = tg.group("Command Center 112 — Dispatch", admins=[dispatcher])
            settings = Settings(
                _env_file=None,
                telegram_bot_token=TOKEN,
                telegram_api_url=server.root_url,
                dispatch_chat_id=dispatch.id,
                database_path=folder / "roundtrips.sqlite3",
            )
            async with BotRuntime(settings, poll_timeout=1):
                per_step: dict[str, list[int]] = {name: [] for name in STEPS}
                for n in range(reports):
                    rep = tg.user(f"Warga{n}", username=f"warga_{n}", language_code="id")
                    await one_report(tg, rep, counter, per_step)
                await quiet(counter, "outbox", settle=1.0)
    finally:
        counter.remove()
    with sqlite3.connect(folder / "roundtrips.sqlite3") as conn:
        (delivered,) = conn.execute("SELECT COUNT(*) FROM outbox WHERE status = 'sent'").fetchone()
    figures = {name: statistics.fmean(values) for name, values in per_step.items()}
    figures["outbox_total"] = counter.by_kind["outbox"]
    figures["delivered"] = delivered
    return figures


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reports", type=int, default=20, help="reports filed one after another")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        figures = asyncio.run(measure(args.reports, Path(folder)))
    print(f"database round trips, mean over {args.reports} reports filed one at a time")
    for name in STEPS:
        print(f"  {name:<9} {figures[name]:6.1f} per update")
    delivered = figures["delivered"]
    print(
        f"  outbox    {figures['outbox_total'] / max(1, delivered):6.1f} per outbox message sent"
        f" ({int(figures['outbox_total'])} for {int(delivered)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
