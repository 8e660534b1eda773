"""Active / standby on PostgreSQL: how fast a standby takes over, and what is lost.

``python -m bench.failover --database postgresql://…`` (or ``--postgres-bin`` absent: a
throwaway server is started from this machine's PostgreSQL binaries). Two bot processes
run against one PostgreSQL database and the Bot API emulator; reporters file reports
continuously; the active process is killed with ``kill -9`` (or its database sessions
are ended: ``--cut``) again and again, the killed one restarted as the new standby. Each
takeover is timed two ways:

- **lease**: from the kill until the standby's ``/healthz`` says ``active``;
- **answer**: from the kill until a message sent right after it is answered (what a
  reporter sees).

At the end every ticket must have exactly one card in the dispatch group (a copy sent
again after a death is marked "dikirim ulang", a possible repeat), and every reporter's
report must have been filed (no draft lost). The same module drives the failover test
(tests/e2e/test_failover.py) with fewer rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import shutil
import signal
import statistics
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import aiohttp

from bench.support import ROOT, TICKET_RE, Process, python_argv, settings_free_environment
from emulator.driver import Driver, Group, Message, User
from emulator.server import BotApiServer

TOKEN = "123456789:FAILOVER-bench-token-emulator-only_01"
SIMPANG_LIMA = (-6.99046, 110.42285)
REPEAT_MARK = "dikirim ulang"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Replica:
    """One bot process of the pair, with its own health port."""

    name: str
    process: Process
    health_port: int
    host: str = "127.0.0.1"

    async def role(self, session: aiohttp.ClientSession) -> str | None:
        """What its /healthz says it is (None when it does not answer)."""
        if not self.process.alive:
            return None
        try:
            async with session.get(
                f"http://{self.host}:{self.health_port}/healthz",
                timeout=aiohttp.ClientTimeout(total=2),
            ) as answer:
                body = await answer.json(content_type=None)
                return str(body.get("role") or body.get("status"))
        except (aiohttp.ClientError, TimeoutError, ValueError):
            return None


@dataclass
class Pair:
    """Two replicas on one database and one emulator."""

    server: BotApiServer
    tg: Driver
    dispatch: Group
    database_url: str
    folder: Path
    replicas: list[Replica] = field(default_factory=list)
    session: aiohttp.ClientSession | None = None
    starts: int = 0

    def env(self, health_port: int) -> dict[str, str]:
        return {
            **settings_free_environment(),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": self.server.root_url,
            "DISPATCH_CHAT_ID": str(self.dispatch.id),
            "DATABASE_URL": self.database_url,
            "DATABASE_PATH": str(self.folder / "files" / "unused.sqlite3"),
            "HEALTH_PORT": str(health_port),
            "HEALTH_LISTEN": "127.0.0.1",
            "SUMMARY_PICTURES": "false",
            "GROUP_MESSAGES_PER_MINUTE": "60",
            "REPORT_LIMIT_COUNT": "100",
            "FAILOVER_CHECK_SECONDS": "0.5",
            "LOG_LEVEL": "INFO",
        }

    async def start(self, name: str) -> Replica:
        self.starts += 1
        port = free_port()
        log = self.folder / f"{name}-{self.starts}.log"
        process = Process(name, python_argv("-m", "bot", "run"), self.env(port), ROOT, log)
        await process.start()
        replica = Replica(name, process, port)
        self.replicas.append(replica)
        return replica

    async def roles(self) -> dict[str, str | None]:
        assert self.session is not None
        return {r.name: await r.role(self.session) for r in self.replicas}

    async def active(self, patience: float) -> Replica:
        """The one replica whose /healthz says active (waits for it)."""
        deadline = time.monotonic() + patience
        while True:
            assert self.session is not None
            for r in self.replicas:
                if await r.role(self.session) == "active":
                    return r
            if time.monotonic() > deadline:
                tails = "\n".join(f"--- {r.name}\n{r.process.log_tail()}" for r in self.replicas)
                raise RuntimeError(f"no active replica within {patience} s:\n{tails}")
            await asyncio.sleep(0.02)

    async def standby_ready(self, replica: Replica, patience: float) -> None:
        deadline = time.monotonic() + patience
        assert self.session is not None
        while await replica.role(self.session) != "standby":
            if not replica.process.alive or time.monotonic() > deadline:
                raise RuntimeError(f"{replica.name} is no standby:\n{replica.process.log_tail()}")
            await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def replicas(database_url: str, folder: Path, names: tuple[str, ...]) -> AsyncIterator[Pair]:
    """The emulator, the dispatch group and one replica per name: the first one active,
    the others standing by."""
    await asyncio.to_thread(shutil.rmtree, folder, ignore_errors=True)
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    async with BotApiServer() as server, aiohttp.ClientSession() as session:
        tg = Driver(server, TOKEN)
        dispatcher = tg.user("Sari", username="op_sari", language_code="id")
        dispatch = tg.group("Command Center 112 — Dispatch", admins=[dispatcher])
        p = Pair(server, tg, dispatch, database_url, folder, session=session)
        try:
            await p.start(names[0])
            await p.active(60)
            for name in names[1:]:
                await p.standby_ready(await p.start(name), 60)
            yield p
        finally:
            for r in p.replicas:
                await r.process.stop(grace=10)


def pair(database_url: str, folder: Path) -> contextlib.AbstractAsyncContextManager[Pair]:
    """The emulator, the dispatch group and two replicas (the first one active)."""
    return replicas(database_url, folder, ("a", "b"))


# --- reporters -----------------------------------------------------------------------------


GLITCH = "terjadi gangguan"  # the bot's "something went wrong, please try again"


UNANSWERED_AFTER = 10.0
"""A person who gets no answer for this long does it again (the update was taken by the
process that died: python-telegram-bot confirms a batch to Telegram as it polls for the
next one, so what the dying process was handling is not delivered again)."""


async def step(
    tg: Driver,
    rep: User,
    act: Callable[[], Awaitable[object]],
    needle: str | tuple[str, ...],
    since: int,
    counts: Counter[str],
) -> Message:
    """Do what a reporter does and wait for the answer; told to try again (the process
    lost its database in the middle of the step) or left without an answer, do it again,
    as a person would."""
    needles = (needle,) if isinstance(needle, str) else needle

    def wanted(m: Message) -> bool:
        return any(n in m.text for n in needles)

    last = ""
    for _ in range(4):
        chat = tg.world.chats.get(rep.id)
        after = max(chat.order, default=0) if chat is not None else 0

        def answer_to(m: Message, after: int = after) -> bool:
            # the summary becomes "sent" in place: an answer may be an edited message
            return (m.message_id > since and wanted(m)) or (
                m.message_id > after and GLITCH in m.text
            )

        try:
            await act()
        except LookupError:  # the button is gone: the earlier press went through, only its
            counts["went on without the answer"] += 1  # answer was lost; go on, as a person
            return tg.bot_messages(rep)[-1]  # would (the next step's answer tells)
        try:
            answer = await tg.wait_for(rep, answer_to, timeout=UNANSWERED_AFTER)
        except TimeoutError as exc:
            counts["unanswered"] += 1
            last = str(exc)
            continue
        if wanted(answer):  # the newest such answer (after a retry, not the first's)
            found = [m for m in tg.bot_messages(rep) if m.message_id > since and wanted(m)]
            return max(found, key=lambda m: m.message_id, default=answer)
        counts["told to try again"] += 1
    raise LookupError(f"{rep.first_name}: no answer after four tries at {needle!r}: {last}")


async def file_one(tg: Driver, rep: User, details: str, counts: Counter[str]) -> str:
    """The whole report flow, as a person goes through it: the ticket."""
    chat = tg.world.chats.get(rep.id)
    since = max(chat.order, default=0) if chat is not None else 0

    async def answer(
        act: Callable[[], Awaitable[object]], needle: str | tuple[str, ...]
    ) -> Message:
        return await step(tg, rep, act, needle, since, counts)

    press, wait = rep.press, UNANSWERED_AFTER
    # sent again after a death, /lapor may find the draft the dying process had begun
    first = await answer(lambda: rep.send("/lapor"), ("Langkah 1", "kita lanjutkan"))
    await answer(lambda: press(first, "Kecelakaan", timeout=wait), "Langkah 2")
    where = SIMPANG_LIMA
    await answer(lambda: rep.send_location(*where, horizontal_accuracy=35), "Langkah 3")
    await answer(lambda: rep.send(details), "Langkah 4")
    summary = await answer(lambda: rep.send("⏭ Lewati"), "Periksa laporan")
    sent = await answer(lambda: press(summary, "Kirim", timeout=wait), "Laporan terkirim")
    return sent.text.split("Nomor tiket: ")[1].split()[0]


@dataclass
class Surge:
    """Reporters filing one report after another until stopped."""

    tg: Driver
    people: int
    pause: float = 1.0  # between one person's reports
    each: int | None = None  # reports per person (None: until stopped)
    tickets: dict[str, str] = field(default_factory=dict)  # ticket -> details
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    errors: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    async def run(self) -> None:
        async def one(n: int) -> None:
            rep = self.tg.user(f"Warga{n}", username=f"warga_{n}", language_code="id")
            k = 0
            while not self.stop.is_set() and (self.each is None or k < self.each):
                k += 1
                details = f"Tabrakan nomor {n}-{k} di jalan"
                try:
                    self.tickets[await file_one(self.tg, rep, details, self.counts)] = details
                except (TimeoutError, LookupError) as exc:
                    seen = [
                        f"{m.message_id}{'<' if m.is_from_bot else '>'} {m.text[:50]!r}"
                        f" {sum(len(row) for row in m.inline_buttons)} buttons"
                        for m in self.tg.messages(rep)[-8:]
                    ]
                    self.errors.append(f"{rep.first_name} report {k}: {exc}"[:600] + f" {seen}")
                    return
                await asyncio.sleep(self.pause)

        await asyncio.gather(*(one(n) for n in range(self.people)))


def card_copies(tg: Driver, dispatch: Group, ticket: str) -> list[Message]:
    """The ticket's cards (a card names its own ticket first; a later one at the same
    place names it as a possible duplicate)."""
    return [
        m
        for m in tg.bot_messages(dispatch)
        if "📌" in m.text and (first := TICKET_RE.search(m.text)) and first.group() == ticket
    ]


def listed(tg: Driver, dispatch: Group, ticket: str) -> bool:
    """The ticket is in the group: its card, or a digest listing it (a surge packs cards)."""
    return any(ticket in m.text for m in tg.bot_messages(dispatch))


def check_cards(tg: Driver, dispatch: Group, tickets: dict[str, str]) -> list[str]:
    """Problems: a ticket not in the group, or with two unmarked cards."""
    problems = []
    for ticket in tickets:
        copies = card_copies(tg, dispatch, ticket)
        plain = [c for c in copies if REPEAT_MARK not in c.text]
        if not listed(tg, dispatch, ticket):
            problems.append(f"{ticket}: not in the dispatch group")
        elif len(plain) > 1:
            problems.append(f"{ticket}: {len(plain)} unmarked cards")
    return problems


async def wait_all_cards(
    tg: Driver, dispatch: Group, tickets: dict[str, str], patience: float
) -> None:
    deadline = time.monotonic() + patience
    while any(not listed(tg, dispatch, t) for t in tickets):
        if time.monotonic() > deadline:
            return
        await asyncio.sleep(0.1)


# --- one takeover ----------------------------------------------------------------------------


@dataclass
class Takeover:
    how: str
    lease_s: float  # kill -> the standby's /healthz says active
    answer_s: float  # kill -> a probe message sent right after it is answered
    resent: int  # the probe sent again (unanswered for 3 s: taken by the dying process)
    exit_code: int | None  # the old active's (kill: -9; cut: it must stop by itself)


def newer(after: int, m: Message) -> bool:
    return m.message_id > after


async def ask_until_answered(tg: Driver, probe: User, patience: float) -> int:
    """Send /start until the bot answers (again every 3 s, as a person would); returns how
    many times it was sent again."""
    deadline = time.monotonic() + patience
    for resent in itertools.count():
        chat = tg.world.chats.get(probe.id)
        after = max(chat.order, default=0) if chat is not None else 0
        await probe.send("/start")
        try:
            await tg.wait_for(probe, partial(newer, after), timeout=3)
            return resent
        except TimeoutError:
            if time.monotonic() > deadline:
                raise
    raise AssertionError("unreachable")


async def take_over(
    p: Pair, how: str, cut: Callable[[int], None], probe: User, patience: float = 30
) -> Takeover:
    """End the active replica (``kill`` -9, or ``cut``: its database sessions ended),
    time the takeover, then start the old one again as the new standby."""
    old = await p.active(patience)
    t0 = time.monotonic()
    if how == "kill":
        assert old.process._proc is not None
        old.process._proc.send_signal(signal.SIGKILL)
    else:
        cut(old.process.pid)
    answered = asyncio.ensure_future(ask_until_answered(p.tg, probe, patience))
    new = None
    while new is None:
        for r in p.replicas:
            if r is not old and p.session is not None and await r.role(p.session) == "active":
                new = r
        if time.monotonic() - t0 > patience:
            raise RuntimeError("no takeover within the patience")
        await asyncio.sleep(0.01)
    lease_s = time.monotonic() - t0
    resent = await answered
    answer_s = time.monotonic() - t0
    proc = old.process._proc
    assert proc is not None
    async with asyncio.timeout(patience):
        code = await proc.wait()  # a cut active stops by itself (exit 1)
    await old.process.stop()
    p.replicas.remove(old)
    await p.standby_ready(await p.start(old.name), 60)
    return Takeover(how, lease_s, answer_s, resent, code)


def terminate_sessions(cluster_psql: Callable[[str], None]) -> Callable[[int], None]:
    """A cut: every database session of the process ``pid`` is ended by the server."""

    def cut(pid: int) -> None:
        cluster_psql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            f" WHERE application_name LIKE 'semarang112%-{pid}'"
        )

    return cut


# --- the benchmark ---------------------------------------------------------------------------


async def run(
    database_url: str,
    psql: Callable[[str], None],
    rounds: int,
    folder: Path,
    *,
    pause: float = 2.0,
) -> dict[str, Any]:
    """``rounds`` takeovers (kill -9 and cut, in turn) with reporters filing throughout;
    ``pause`` seconds of filing before each and after the last."""
    async with pair(database_url, folder) as p:
        probe = p.tg.user("Pemeriksa", username="probe", language_code="id")
        surge = Surge(p.tg, people=4)
        filing = asyncio.ensure_future(surge.run())
        takeovers = []
        for n in range(rounds):
            await asyncio.sleep(pause)  # reports in every state when it dies
            how = "cut" if n % 2 else "kill"
            takeovers.append(await take_over(p, how, terminate_sessions(psql), probe))
            last = takeovers[-1]
            print(
                f"  {how}: lease {last.lease_s:.2f} s, answer {last.answer_s:.2f} s"
                f" (probe sent again {last.resent}×)"
            )
        await asyncio.sleep(pause)
        surge.stop.set()
        async with asyncio.timeout(120):
            await filing
        await wait_all_cards(p.tg, p.dispatch, surge.tickets, 30)
        problems = check_cards(p.tg, p.dispatch, surge.tickets) + surge.errors
        repeats = sum(
            1
            for t in surge.tickets
            for c in card_copies(p.tg, p.dispatch, t)
            if REPEAT_MARK in c.text
        )
    lease = [t.lease_s for t in takeovers]
    answer = [t.answer_s for t in takeovers]
    return {
        "rounds": rounds,
        "kills": sum(t.how == "kill" for t in takeovers),
        "cuts": sum(t.how == "cut" for t in takeovers),
        "lease_p50_s": statistics.median(lease),
        "lease_max_s": max(lease),
        "answer_p50_s": statistics.median(answer),
        "answer_max_s": max(answer),
        "exit_codes": [t.exit_code for t in takeovers],
        "probes_sent_again": [t.resent for t in takeovers],
        "reports": len(surge.tickets),
        "marked_repeats": repeats,
        "steps_done_again": dict(surge.counts),
        "problems": problems,
    }


UPDATES_PER_REPORT = 6  # /lapor, category, location, details, skip the phone, Send


async def throughput(database_url: str, folder: Path, people: int, each: int) -> dict[str, Any]:
    """One bot process on ``database_url``; ``people`` reporters file ``each`` reports at
    once, as fast as the bot answers: updates answered per second."""
    async with replicas(database_url, folder, ("solo",)) as p:
        surge = Surge(p.tg, people=people, pause=0, each=each)
        t0 = time.monotonic()
        async with asyncio.timeout(600):
            await surge.run()
        elapsed = time.monotonic() - t0
    updates = UPDATES_PER_REPORT * len(surge.tickets) + sum(surge.counts.values())
    return {
        "reports": len(surge.tickets),
        "updates": updates,
        "seconds": round(elapsed, 2),
        "updates_per_s": round(updates / elapsed, 1),
        "problems": surge.errors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=6, help="takeovers (kill, cut, kill …)")
    parser.add_argument("--folder", type=Path, default=Path("/tmp/semarang112-failover"))
    parser.add_argument(
        "--throughput",
        type=int,
        default=2,
        metavar="N",
        help="also measure updates/s on SQLite and on PostgreSQL, N rounds alternating (0: no)",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.support.postgres import start_cluster

    cluster = start_cluster()
    try:
        url = cluster.database("failover", migrated=False)
        result = asyncio.run(run(url, cluster.psql, args.rounds, args.folder))
        rates: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
        for n in range(args.throughput):
            for backend in ("sqlite", "postgresql"):
                where = (
                    f"sqlite:///{args.folder / f'rate-{n}.sqlite3'}"
                    if backend == "sqlite"
                    else cluster.database(f"rate{n}", migrated=False)
                )
                figures = asyncio.run(throughput(where, args.folder / "rate", 20, 3))
                print(f"  {backend}: {figures}")
                rates[backend].append(figures["updates_per_s"])
        if args.throughput:
            result["updates_per_s"] = {k: statistics.median(v) for k, v in rates.items()}
    finally:
        cluster.stop()
    print(json.dumps(result, indent=2))
    goal = result["answer_max_s"] < 10 and not result["problems"]
    print(f"takeover < 10 s over {args.rounds} rounds, nothing lost: {'PASS' if goal else 'MISS'}")
    return 0 if goal else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
