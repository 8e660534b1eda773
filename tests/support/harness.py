"""End-to-end harness: the Bot API emulator, simulated people, and the real bot.

``async with world(tmp_path) as w:`` starts the emulator on 127.0.0.1, creates a
traveller, two dispatchers (group admins) and a plain group member, and runs the bot's
full runtime (database, Application with long polling, outbox, timers) against it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import tomllib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.domain.categories import Category
from bot.domain.clock import Clock
from bot.domain.models import Draft, LocationSource, ReportLocation, Step
from bot.runtime.app import BotRuntime
from bot.services.reports import Intake, Submitted, submit_report
from emulator.driver import CallbackAnswer, Driver, Group, Message, User
from emulator.server import BotApiServer
from tests.support import factories as f

ROOT = Path(__file__).resolve().parents[2]
REPORTER_ID, DISPATCHER_ID, DISPATCHER2_ID, MEMBER_ID = 7001, 7101, 7102, 7201


@dataclass
class World:
    """Everything an end-to-end test touches."""

    server: BotApiServer
    tg: Driver
    settings: Settings
    runtime: BotRuntime | None
    reporter: User
    dispatcher: User
    dispatcher2: User
    member: User
    dispatch: Group

    async def next(self, who: User | Group, timeout: float = 5) -> Message:
        """The next message the bot sent to a chat."""
        return await self.tg.next_bot_message(who, timeout=timeout)

    async def card(
        self, ticket: str | None = None, timeout: float = 5, *, recorded: bool = False
    ) -> Message:
        """The dispatch card (of a ticket, or the first one); with ``recorded``, once the bot
        has recorded it as delivered too (a dispatcher's press within milliseconds of it
        could otherwise beat the bot's own bookkeeping, which no person does)."""
        card = await self.tg.wait_for(
            self.dispatch,
            lambda m: "📌" in m.text and (ticket is None or ticket in m.text),
            timeout=timeout,
        )
        if recorded and ticket is not None:
            await self.received(ticket, timeout)
        return card

    async def received(self, ticket: str, timeout: float = 5) -> None:
        """Wait until the bot running in this loop has recorded the ticket's card as
        delivered (the report is past 'submitted')."""
        await self._recorded(
            "SELECT 1 FROM reports WHERE ticket = ? AND state != 'submitted'", (ticket,), timeout
        )

    async def mapped(self, message: Message, timeout: float = 5) -> None:
        """Wait until the bot running in this loop has recorded which report a message it
        sent belongs to (a reply within milliseconds of it could otherwise beat the bot's
        own bookkeeping, which no person does)."""
        await self._recorded(
            "SELECT 1 FROM message_map WHERE chat_id = ? AND message_id = ?",
            (message.chat_id, message.message_id),
            timeout,
        )

    async def _recorded(self, query: str, params: tuple[Any, ...], timeout: float) -> None:
        """Wait until ``query`` finds a row in the bot's database (no bot: no wait)."""
        if self.runtime is None or self.runtime.db is None:
            return
        db = self.runtime.db
        async with asyncio.timeout(timeout):
            while True:
                async with db.read() as tx:
                    row = await tx.one(query, params)
                if row is not None:
                    return
                await asyncio.sleep(0.005)


def make_people(tg: Driver, *, basic_group: bool = False) -> dict[str, Any]:
    """The cast: a traveller reporting, two dispatchers, a member who is no dispatcher."""
    reporter = tg.user(
        "Rina", last_name="Pemudik", username="rina_mudik", language_code="id", user_id=REPORTER_ID
    )
    dispatcher = tg.user("Sari", username="op_sari", language_code="id", user_id=DISPATCHER_ID)
    dispatcher2 = tg.user("Dimas", username="op_dimas", language_code="id", user_id=DISPATCHER2_ID)
    member = tg.user("Joko", username="joko_magang", language_code="id", user_id=MEMBER_ID)
    dispatch = tg.group(
        "Command Center 112 — Dispatch",
        members=[member],
        admins=[dispatcher, dispatcher2],
        basic=basic_group,
    )
    return {
        "reporter": reporter,
        "dispatcher": dispatcher,
        "dispatcher2": dispatcher2,
        "member": member,
        "dispatch": dispatch,
    }


@contextlib.asynccontextmanager
async def world(
    tmp_path: Path,
    *,
    clock: Clock | None = None,
    start_bot: bool = True,
    basic_group: bool = False,
    **settings: Any,
) -> AsyncIterator[World]:
    """Emulator + people + (unless ``start_bot=False``) the bot running in this loop."""
    async with BotApiServer() as server:
        tg = Driver(server, f.TOKEN)
        people = make_people(tg, basic_group=basic_group)
        config = f.settings(
            tmp_path,
            telegram_api_url=server.root_url,
            dispatch_chat_id=people["dispatch"].id,
            **settings,
        )
        if not start_bot:
            yield World(server, tg, config, None, **people)
            return
        async with BotRuntime(config, clock=clock, poll_timeout=1) as runtime:
            yield World(server, tg, config, runtime, **people)


def routing_with_agency_groups(path: Path, chats: dict[str, int]) -> Path:
    """The shipped routing file with a group chat for the given agencies, written to ``path``."""
    raw = resources.files("bot").joinpath("data/routing.toml").read_text("utf-8")
    for key, chat_id in chats.items():
        assert key in tomllib.loads(raw)["agencies"]
        raw = raw.replace(f"[agencies.{key}]\n", f"[agencies.{key}]\nchat_id = {chat_id}\n", 1)
    target = path / "routing.toml"
    target.write_text(raw, "utf-8")
    return target


async def file_report(
    w: World,
    *,
    details: str = "Motor tabrakan, satu orang luka.",
    before_send: Callable[[], object] | None = None,
) -> str:
    """Drive the whole report flow quickly; return the ticket number."""
    r = w.tg.world.chats[w.reporter.id]
    start = max(r.order, default=0)
    rep = w.reporter

    async def says(needle: str) -> Message:
        return await w.tg.wait_for(
            rep, lambda m: m.message_id > start and needle in m.text, timeout=10
        )

    await rep.send("/lapor")
    await rep.press(await says("Langkah 1"), "Kecelakaan")
    await says("Langkah 2")
    await rep.send_location(*f.SIMPANG_LIMA, horizontal_accuracy=35)
    await says("Langkah 3")
    await rep.send(details)
    await says("Langkah 4")
    await rep.send("⏭ Lewati")
    summary = await says("Periksa laporan")
    if before_send is not None:
        before_send()
    await rep.press(summary, "Kirim")
    sent = await says("Laporan terkirim")
    return sent.text.split("Nomor tiket: ")[1].split()[0]


# --- the bot as its own process ------------------------------------------------------------


@contextlib.asynccontextmanager
async def bot_process(
    w: World, log_path: Path, **env_over: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """Run ``python -m bot`` against the emulator; SIGTERM at the end (graceful stop)."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": f.TOKEN,
        "TELEGRAM_API_URL": w.server.root_url,
        "DISPATCH_CHAT_ID": str(w.dispatch.id),
        "DATABASE_PATH": str(w.settings.database_path),
        **({"DATABASE_URL": w.settings.database_url} if w.settings.database_url else {}),
        "LOG_LEVEL": "DEBUG",
        "SUMMARY_PICTURES": "false",
        **env_over,
    }
    log = log_path.open("ab")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=str(log_path.parent),
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        yield proc
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(15):
                    await proc.wait()
            except TimeoutError:
                proc.kill()
                await proc.wait()
        log.close()


async def press_forged(w: World, user: User, message: Message, data: str) -> str | None:
    """Press a button that does not exist: callback data as a hostile client would forge it.

    Returns the text of the bot's answer (every callback query must be answered).
    """
    return (await press_data(w, user, message, data)).text


async def press_data(w: World, user: User, message: Message, data: str) -> CallbackAnswer:
    """Press a button by its callback data whatever the message shows now (a client that
    has not yet received an edit still shows, and sends, the old keyboard)."""
    from emulator.world import CallbackQueryState

    world = w.tg.world
    chat = world.chats[message.chat_id]
    state = CallbackQueryState(
        id=world.unique(), chat_id=message.chat_id, message_id=message.message_id
    )
    world.callback_queries[state.id] = state
    world.enqueue_update(
        "callback_query",
        {
            "id": state.id,
            "from": user.data,
            "message": message.raw,
            "chat_instance": chat.chat_instance,
            "data": data,
        },
    )
    return await w.tg.wait_for_answer(state.id)


async def submit(w: World, n: int, *, who: User | None = None, lat: float = -6.95) -> str:
    """File the ``n``-th report of a surge straight through the service (no conversation),
    ``n`` × 1.1 km south of ``lat``, and wake the outbox: its ticket."""
    runtime = w.runtime
    assert runtime is not None and runtime.db is not None and runtime.outbox is not None
    cards = runtime.app.bot_data.services.cards  # type: ignore[union-attr]
    reporter = who or w.tg.user(f"Pemudik{n}", language_code="id")
    draft = Draft(
        chat_id=reporter.id,
        user_id=reporter.id,
        step=Step.CONFIRM,
        category=Category.TRAFFIC_ACCIDENT,
        location=ReportLocation(source=LocationSource.GPS, lat=lat - n * 0.01, lon=110.42),
        details=f"Kecelakaan di tol, kendaraan ke-{n}",
    )
    done = await submit_report(
        runtime.db,
        draft,
        f.reporter(reporter.id, first_name=f"Pemudik{n}"),
        Intake.from_settings(w.settings),
        runtime.clock.now(),
        lambda st: cards.on_submit(st, runtime.clock.now()),
    )
    assert isinstance(done, Submitted)
    runtime.outbox.wake()
    return done.report.ticket
