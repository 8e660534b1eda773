"""Measured speed: the real bot, as its own process, against the Bot API emulator.

Not a test. From the repository root, after the README's install command::

    .venv/bin/python -m bench            # full run (about 16 minutes)
    .venv/bin/python -m bench --quick    # everything small (under about 2 minutes)
    .venv/bin/python -m bench --help     # every knob

Phases (``--phases`` picks some), each with a fresh bot process and a fresh database on
one emulator whose every API call waits ``--latency`` (default 50 ms, about Indonesia to
Telegram):

``main``
    ``--reporters`` (200) people file whole reports at once: /lapor, category button,
    location, details, "skip phone", Send. Updates per second; injection-to-answer
    latency; Send-to-card latency in the dispatchers' group; per-chat order; peak RSS.
    Then ``--probe-reports`` reports one at a time: the same path with no queue.
``ceiling``
    ``bench/bare_bot.py``, a bot that answers each update with one message (same
    concurrency policy), driven with the same update mix, chats and pattern.
``surge``
    ``--surge-reports`` (600) reports at ``--surge-rate`` (1/s) into one group with the
    emulator's flood limits on (20/min per group, 1/s per chat, 30/s overall). Lost,
    duplicated, and Send-to-visible (a card, or any group message naming the ticket).
``budgets``
    Flood limits on: one reporter's ``--relays`` (45) follow-up messages, then another
    report (its Send-to-visible against one filed alone); a plain member's ``--commands``
    (25) commands in the group, then a dispatcher's press (press to answer, against a
    quiet press).
``memory``
    ``--drafts`` (1000) reporters each left at the details step: peak RSS.

Goals are printed next to the figures (PASS/MISS); ``--json PATH`` saves everything.
See ``docs/benchmarks.md`` for what the figures mean and the latest ones.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # python bench/bench.py

from bench.support import (
    TICKET_RE,
    ChatLog,
    Event,
    Process,
    Recorder,
    fmt_ms,
    machine,
    python_argv,
    queued_now,
    read_database,
    settings_free_environment,
    summary,
    system_busy_seconds,
)
from emulator.driver import Driver, Message, User
from emulator.server import BotApiServer
from handlers.callback_data import CallbackDataError, DraftAction, PickCategory

# What answers each step of a report (Indonesian client). The "summary" is the second
# message answering "skip": it carries the Send button.
REAL_MARKERS = {
    "lapor": "Langkah 1",
    "category": "Langkah 2",
    "location": "Langkah 3",
    "details": "Langkah 4",
    "skip": "Tanpa nomor telepon",
    "summary": "Periksa laporan",
}
BARE_MARKERS = {
    "lapor": "ack text:/lapor",
    "category": "ack button",
    "location": "ack location",
    "details": "ack text:Motor",
    "skip": "ack text:⏭",
    "send": "ack button",
}
SKIP = "⏭ Lewati"
DETAILS = (
    "Motor tabrakan dengan mobil di perempatan, satu orang luka di kaki.",
    "Asap tebal dari gudang, api mulai terlihat di atap.",
    "Pohon tumbang menutup jalan, kabel listrik ikut putus.",
    "Orang tua pingsan di halte, tidak sadar, napas lemah.",
)


@dataclass
class Config:
    latency: float = 0.05
    reporters: int = 200
    concurrency: int = 64
    probe_reports: int = 10
    drain: float = 120.0
    surge_reports: int = 600
    surge_rate: float = 1.0
    surge_drain: float = 120.0
    drafts: int = 1000
    step_timeout: float = 60.0
    pipeline: bool = True
    log_level: str = "INFO"
    relays: int = 45
    commands: int = 25
    phases: tuple[str, ...] = ("main", "ceiling", "surge", "budgets", "memory")
    bot_env: dict[str, str] = field(default_factory=dict)
    json_path: Path | None = None
    keep: bool = False
    quick: bool = False
    repeat: int = 3


FULL = {"reporters": 200, "probe_reports": 10, "surge_reports": 600, "surge_rate": 1.0}
FULL |= {"surge_drain": 120.0, "drafts": 1000, "drain": 120.0, "step_timeout": 60.0}
FULL |= {"repeat": 3}
QUICK = {"reporters": 20, "probe_reports": 3, "surge_reports": 60, "surge_rate": 2.0}
QUICK |= {"surge_drain": 20.0, "drafts": 300, "drain": 30.0, "step_timeout": 20.0}
QUICK |= {"repeat": 1}


def parse_args(argv: list[str] | None = None) -> Config:
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--quick", action="store_true", help="everything small (under ~2 min)")
    p.add_argument("--latency", type=float, default=0.05, help="seconds per API call")
    p.add_argument("--reporters", type=int, help="main/ceiling: concurrent reporters (200)")
    p.add_argument(
        "--concurrency", type=int, default=64, help="MAX_CONCURRENT_UPDATES of both bots"
    )
    p.add_argument("--probe-reports", type=int, help="main: reports one at a time after (10)")
    p.add_argument("--drain", type=float, help="main: seconds to wait for cards after (120)")
    p.add_argument("--surge-reports", type=int, help="surge: reports (600)")
    p.add_argument("--surge-rate", type=float, help="surge: reports per second (1)")
    p.add_argument("--surge-drain", type=float, help="surge: seconds to wait after the last (120)")
    p.add_argument("--drafts", type=int, help="memory: open drafts (1000)")
    p.add_argument("--relays", type=int, default=45, help="budgets: one reporter's follow-ups")
    p.add_argument("--commands", type=int, default=25, help="budgets: a member's commands")
    p.add_argument(
        "--repeat",
        type=int,
        help="main+ceiling rounds, alternating; the median ratio is reported (3; quick 1)",
    )
    p.add_argument("--step-timeout", type=float, help="patience per answer (60 s)")
    p.add_argument(
        "--no-pipeline",
        dest="pipeline",
        action="store_false",
        help="wait for each answer (default: location, details and skip are sent at once)",
    )
    p.add_argument("--log-level", default="INFO", help="LOG_LEVEL of the bot under test")
    p.add_argument(
        "--phases", default="main,ceiling,surge,budgets,memory", help="comma list of phases to run"
    )
    p.add_argument(
        "--bot-env", action="append", default=[], metavar="KEY=VALUE", help="extra bot setting"
    )
    p.add_argument("--json", dest="json_path", type=Path, help="write all figures as JSON")
    p.add_argument("--keep", action="store_true", help="keep the work folder (logs, databases)")
    args = p.parse_args(argv)
    profile = QUICK if args.quick else FULL
    values: dict[str, Any] = {}
    for name, default in profile.items():
        given = getattr(args, name)
        values[name] = default if given is None else given
    phases = tuple(x.strip() for x in args.phases.split(",") if x.strip())
    unknown = set(phases) - {"main", "ceiling", "surge", "budgets", "memory"}
    if unknown:
        p.error(f"unknown phase(s): {', '.join(sorted(unknown))}")
    extra = {}
    for item in args.bot_env:
        key, sep, value = item.partition("=")
        if not sep:
            p.error(f"--bot-env wants KEY=VALUE, not {item!r}")
        extra[key.strip().upper()] = value
    return Config(
        latency=args.latency,
        concurrency=args.concurrency,
        pipeline=args.pipeline,
        log_level=args.log_level.upper(),
        relays=args.relays,
        commands=args.commands,
        phases=phases,
        bot_env=extra,
        json_path=args.json_path,
        keep=args.keep,
        quick=args.quick,
        **values,
    )


def city_points() -> list[tuple[float, float]]:
    """Grid points inside Kota Semarang about 690 m apart (more than the 500 m duplicate
    radius), so no report is a "possible duplicate" of another: each card then names
    only its own ticket and "visible in the group" cannot be fooled."""
    from bot.domain.geo import CityMap

    city = CityMap.load()
    step = 0.0062
    points = []
    for i in range(40):
        for j in range(45):
            lat, lon = -7.15 + i * step, 110.25 + j * step
            if city.locate(lat, lon).in_service_area:
                points.append((round(lat, 6), round(lon, 6)))
    return points


# --- one bot under test ------------------------------------------------------------------


@dataclass
class Tally:
    """What the simulated people saw in one phase."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    first_injection: float = math.inf
    last_answer: float = 0.0
    answered: int = 0
    violations: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    timeouts: list[str] = field(default_factory=list)
    completed: int = 0
    send_at: dict[str, float] = field(default_factory=dict)  # ticket: Send pressed

    def injected(self, t: float) -> None:
        self.first_injection = min(self.first_injection, t)

    def answer(self, step: str, injected: float, answered: float) -> None:
        self.latencies.setdefault(step, []).append(answered - injected)
        self.answered += 1
        self.last_answer = max(self.last_answer, answered)

    @property
    def all_latencies(self) -> list[float]:
        return [x for values in self.latencies.values() for x in values]

    @property
    def updates_per_second(self) -> float:
        span = self.last_answer - self.first_injection
        return self.answered / span if span > 0 else math.nan

    def figures(self) -> dict[str, Any]:
        return {
            "answered_updates": self.answered,
            "completed": self.completed,
            "span_s": self.last_answer - self.first_injection if self.answered else math.nan,
            "updates_per_s": self.updates_per_second,
            "latency": summary(self.all_latencies),
            "latency_by_step": {s: summary(v) for s, v in self.latencies.items()},
            "ordering_violations": self.violations,
            "unexpected_answers": self.unexpected,
            "timeouts": self.timeouts,
        }


class Stage:
    """One bot process under test: token, world, people, group, recorder, process."""

    _numbers = itertools.count(1)

    def __init__(
        self,
        server: BotApiServer,
        workdir: Path,
        cfg: Config,
        name: str,
        *,
        bare: bool,
        paced: bool = True,
    ):
        number = next(self._numbers)
        self.name = name
        self.cfg = cfg
        self.bare = bare
        self.token = f"{880_000_000 + number}:BENCH-{name}-emulator-only-token-00"
        self.tg = Driver(server, self.token)
        self.world = self.tg.world
        self.rec = Recorder(self.world)
        dispatcher = self.tg.user("Sari", username="op_sari", language_code="id")
        self.group = self.tg.group("Command Center 112 — Dispatch", admins=[dispatcher])
        self.dispatcher = dispatcher
        self.glog = self.rec.watch_group(self.group.id)
        self.dir = workdir / name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.db_path = self.dir / "bot.sqlite3"
        env = settings_free_environment()
        env |= {
            "TELEGRAM_BOT_TOKEN": self.token,
            "TELEGRAM_API_URL": server.root_url,
            "MAX_CONCURRENT_UPDATES": str(cfg.concurrency),
        }
        if not bare:
            env |= {
                "DISPATCH_CHAT_ID": str(self.group.id),
                "DATABASE_PATH": str(self.db_path),
                "LOG_LEVEL": cfg.log_level,
                # Phases without the emulator's flood limits measure the bot unpaced too
                # ("not flood-limited"); --bot-env TELEGRAM_FLOOD_LIMITS=true overrides.
                "TELEGRAM_FLOOD_LIMITS": "true" if paced else "false",
                **cfg.bot_env,
            }
        argv = python_argv("-m", "bench.bare_bot") if bare else python_argv("-m", "bot", "run")
        # The bot's working folder is the stage's own: no developer's .env is read.
        self.proc = Process(name, argv, env, self.dir, self.dir / "bot.log")
        self._users = itertools.count(1)

    async def start(self) -> None:
        await self.proc.start()
        await self.proc.wait_polling(self.world, patience=60)

    async def stop(self) -> None:
        await self.proc.stop()

    def people(self, n: int) -> list[User]:
        out = []
        for _ in range(n):
            k = next(self._users)
            user = self.tg.user(f"Pelapor {k}", username=f"pelapor_{k}", language_code="id")
            self.rec.watch_chat(user.chat_id)
            out.append(user)
        return out

    def calls(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for (method, chat, _ok), count in self.world.call_counts.items():
            if chat is None:
                totals[method] = totals.get(method, 0) + count
        return dict(sorted(totals.items()))


class People:
    """Drives reports through a stage and tallies what the people saw."""

    def __init__(self, stage: Stage, tally: Tally, points: list[tuple[float, float]]):
        self.stage = stage
        self.rec = stage.rec
        self.tally = tally
        self.points = points
        self.timeout = stage.cfg.step_timeout
        self.pipeline = stage.cfg.pipeline

    def _message(self, chat_id: int, message_id: int) -> Message:
        return Message(self.stage.world.chats[chat_id].messages[message_id])

    async def _expect(
        self,
        who: User,
        log: ChatLog,
        step: str,
        injected: float | None,
        markers: dict[str, str],
    ) -> Event | None:
        """The chat's next bot message must answer ``step``; anything else is tallied."""
        event = await self.rec.next_new(log, time.monotonic() + self.timeout)
        name = who.first_name
        if event is None:
            self.tally.timeouts.append(f"{name}: no answer to {step} within {self.timeout:g} s")
            return None
        if markers[step] not in event.text:
            other = next((s for s, m in markers.items() if m in event.text), None)
            head = event.text.splitlines()[0][:80] if event.text else "(no text)"
            if other is not None:
                self.tally.violations.append(
                    f"{name}: the answer to {other!r} came where the answer to {step!r}"
                    f" was due: {head!r}"
                )
            else:
                self.tally.unexpected.append(f"{name}: at {step!r} the bot said {head!r}")
            return None
        if injected is not None:
            self.tally.answer(step, injected, event.t)
        return event

    async def _inject(self, action: Callable[[], Awaitable[object]]) -> float:
        t = time.monotonic()
        self.tally.injected(t)
        await action()
        return t

    async def report(self, who: User, index: int, *, upto_details: bool = False) -> str | None:
        """The whole report (or up to the details step); the ticket once Send is answered."""
        log = self.rec.watch_chat(who.chat_id)
        m = REAL_MARKERS
        t = await self._inject(lambda: who.send("/lapor"))
        event = await self._expect(who, log, "lapor", t, m)
        if event is None:
            return None
        prompt = self._message(who.chat_id, event.message_id)
        categories = []
        for row in prompt.inline_buttons:
            for button in row:
                with contextlib.suppress(CallbackDataError):
                    if button.callback_data is not None:
                        PickCategory.unpack(button.callback_data)
                        categories.append(button.callback_data)
        if not categories:
            self.tally.unexpected.append(f"{who.first_name}: no category buttons")
            return None
        data = categories[index % len(categories)]
        t = await self._inject(lambda: self._press(who, prompt, data))
        if await self._expect(who, log, "category", t, m) is None:
            return None
        lat, lon = self.points[index % len(self.points)]
        actions: list[tuple[str, Callable[[], Coroutine[Any, Any, object]]]] = [
            ("location", lambda: who.send_location(lat, lon, horizontal_accuracy=25)),
            ("details", lambda: who.send(DETAILS[index % len(DETAILS)])),
            ("skip", lambda: who.send(SKIP)),
        ]
        if upto_details:
            actions = actions[:1]
        if not await self._steps(who, log, actions, m):
            return None
        if upto_details:
            self.tally.completed += 1
            return None
        summary_event = await self._expect(who, log, "summary", None, m)
        if summary_event is None:
            return None
        summary_msg = self._message(who.chat_id, summary_event.message_id)
        send = None
        for row in summary_msg.inline_buttons:
            for button in row:
                with contextlib.suppress(CallbackDataError):
                    if button.callback_data is not None:
                        if DraftAction.unpack(button.callback_data).action == "send":
                            send = button.callback_data
        if send is None:
            self.tally.unexpected.append(f"{who.first_name}: no Send button on the summary")
            return None
        start = len(log.events)
        pressed = await self._inject(lambda: self._press(who, summary_msg, send))
        edited = await self.rec.find(
            log,
            start,
            lambda e: (
                e.message_id == summary_msg.message_id and TICKET_RE.search(e.text) is not None
            ),
            time.monotonic() + self.timeout,
        )
        if edited is None:
            self.tally.timeouts.append(f"{who.first_name}: Send was not answered")
            return None
        found = TICKET_RE.search(edited.text)
        assert found is not None
        ticket = found.group(0)
        self.tally.answer("send", pressed, edited.t)
        self.tally.send_at[ticket] = pressed
        self.tally.completed += 1
        return ticket

    async def bare_report(self, who: User) -> None:
        """The same update mix, chats and pattern against the bare bot."""
        log = self.rec.watch_chat(who.chat_id)
        m = BARE_MARKERS
        t = await self._inject(lambda: who.send("/lapor"))
        event = await self._expect(who, log, "lapor", t, m)
        if event is None:
            return
        ack = self._message(who.chat_id, event.message_id)
        t = await self._inject(lambda: self._press(who, ack, "next"))
        if await self._expect(who, log, "category", t, m) is None:
            return
        actions: list[tuple[str, Callable[[], Coroutine[Any, Any, object]]]] = [
            ("location", lambda: who.send_location(-6.99046, 110.42285, horizontal_accuracy=25)),
            ("details", lambda: who.send(DETAILS[0])),
            ("skip", lambda: who.send(SKIP)),
        ]
        last = await self._steps(who, log, actions, m)
        if last is None:
            return
        ack = self._message(who.chat_id, last.message_id)
        t = await self._inject(lambda: self._press(who, ack, "next"))
        if await self._expect(who, log, "send", t, m) is None:
            return
        self.tally.completed += 1

    async def _steps(
        self,
        who: User,
        log: ChatLog,
        actions: list[tuple[str, Callable[[], Coroutine[Any, Any, object]]]],
        markers: dict[str, str],
    ) -> Event | None:
        """Message steps: all sent at once (pipeline) or one answer at a time."""
        last: Event | None = None
        if self.pipeline:
            times = [(step, await self._inject(action)) for step, action in actions]
            for step, t in times:
                last = await self._expect(who, log, step, t, markers)
                if last is None:
                    return None
            return last
        for step, action in actions:
            t = await self._inject(action)
            last = await self._expect(who, log, step, t, markers)
            if last is None:
                return None
        return last

    @staticmethod
    async def _press(who: User, message: Message, data: str) -> None:
        who.press_nowait(message, callback_data=data)


async def run_all(tasks: list[Coroutine[Any, Any, object]], limit_s: float) -> int:
    """Run the people's tasks with one deadline; returns how many were cut off."""
    running = [asyncio.ensure_future(t) for t in tasks]
    if not running:
        return 0
    _done, pending = await asyncio.wait(running, timeout=limit_s)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    for task in _done:
        problem = task.exception()
        if problem is not None:
            raise problem
    return len(pending)


POLLING = {"getUpdates", "getMe", "deleteWebhook", "setMyCommands", "getChat"}


def calls_per_update(calls: dict[str, int], answered: int, outbox_sent: int) -> dict[str, float]:
    """Bot API calls per answered update: while answering, and by the outbox."""
    total = sum(n for method, n in calls.items() if method not in POLLING)
    if not answered:
        return {}
    return {
        "api_calls_per_update": (total - outbox_sent) / answered,
        "outbox_calls_per_update": outbox_sent / answered,
    }


def split_at_storing(
    send_at: dict[str, float], submitted: dict[str, float], visible: dict[str, float]
) -> dict[str, Any]:
    """Send -> visible, split where the bot stored the report (``submitted_at``): before,
    the press waits to be handled; after, the outbox delivers."""
    offset = time.time() - time.monotonic()  # the database keeps wall-clock times
    stored = {t: submitted[t] - offset for t in send_at if t in submitted}
    return {
        "send_to_stored": summary([stored[t] - send_at[t] for t in stored]),
        "stored_to_visible": summary([visible.get(t, math.inf) - stored[t] for t in stored]),
    }


def bench_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def memory_mb(kib: int | None) -> float:
    return (kib or 0) * 1024 / 1e6


@dataclass
class Clocks:
    """CPU clocks at the start of a phase: the bot's, the benchmark's, the machine's."""

    wall: float
    bot: float
    bench: float
    system: float

    @classmethod
    def read(cls, stage: Stage) -> Clocks:
        return cls(time.monotonic(), stage.proc.cpu_seconds(), bench_cpu(), system_busy_seconds())


def process_figures(stage: Stage, start: Clocks) -> dict[str, Any]:
    """Peak RSS of the bot, and where the CPU went during the phase: the bot, the emulator
    with the simulated people (this process), and other programs on the machine."""
    now = Clocks.read(stage)
    mem = stage.proc.memory_kib()
    wall = now.wall - start.wall
    bot_cpu, bench = now.bot - start.bot, now.bench - start.bench
    load = os.getloadavg()
    return {
        "peak_rss_mb": memory_mb(mem.get("VmHWM")),
        "rss_mb": memory_mb(mem.get("VmRSS")),
        "bot_cpu_s": bot_cpu,
        "bot_cpu_share": bot_cpu / wall if wall > 0 else math.nan,
        "bench_cpu_s": bench,
        "others_cpu_s": max(0.0, now.system - start.system - bot_cpu - bench),
        "wall_s": wall,
        "loadavg_at_end": f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
    }


# --- phases ------------------------------------------------------------------------------


async def phase_main(
    server: BotApiServer,
    workdir: Path,
    cfg: Config,
    points: list[tuple[float, float]],
    name: str = "main",
) -> dict[str, Any]:
    stage = Stage(server, workdir, cfg, name, bare=False, paced=False)
    tally = Tally()
    people = People(stage, tally, points)
    users = stage.people(cfg.reporters)
    try:
        await stage.start()
        start = Clocks.read(stage)
        t0 = start.wall
        cut = await run_all(
            [people.report(u, i) for i, u in enumerate(users)], cfg.step_timeout * 8
        )
        talk_end = time.monotonic()
        talk_cpu = stage.proc.cpu_seconds() - start.bot
        await stage.rec.all_visible(stage.glog, tally.send_at, time.monotonic() + cfg.drain)
        await stage.rec.all_receipts(tally.send_at, time.monotonic() + 30)
        procs = process_figures(stage, start)
        calls = stage.calls()
        # The same path with nobody else around: one report at a time.
        probe = Tally()
        probing = People(stage, probe, points)
        for k, user in enumerate(stage.people(cfg.probe_reports)):
            ticket = await probing.report(user, cfg.reporters + k)
            if ticket is not None:
                await stage.rec.all_visible(stage.glog, [ticket], time.monotonic() + 30)
                await asyncio.sleep(0.2)
        all_calls = stage.calls()
    finally:
        await stage.stop()
    db = read_database(stage.db_path, stage.group.id)
    visible, cards = stage.glog.first_seen, stage.glog.first_card
    send_to_visible = [visible.get(t, math.inf) - s for t, s in tally.send_at.items()]
    send_to_card = [cards[t] - s for t, s in tally.send_at.items() if t in cards]
    receipts = stage.rec.receipts
    send_to_receipt = [receipts.get(t, math.inf) - s for t, s in tally.send_at.items()]
    card_to_receipt = [
        receipts.get(t, math.inf) - visible[t] for t in tally.send_at if t in visible
    ]
    probe_cards = [visible.get(t, math.inf) - s for t, s in probe.send_at.items()]
    via_digest = sum(
        1 for t in tally.send_at if t in visible and cards.get(t, math.inf) > visible[t]
    )
    return {
        "reporters": cfg.reporters,
        "cut_off": cut,
        "conversation_s": talk_end - t0,
        "conversation_bot_cpu_share": talk_cpu / (talk_end - t0),
        "bot_cpu_ms_per_update": talk_cpu / tally.answered * 1000 if tally.answered else math.nan,
        **tally.figures(),
        "send_to_visible": summary(send_to_visible),
        "send_to_card": summary(send_to_card),
        "send_to_receipt": summary(send_to_receipt),
        "card_to_receipt": summary(card_to_receipt),
        "not_visible": sum(math.isinf(x) for x in send_to_visible),
        "first_visible_in_digest": via_digest,
        "duplicated": sum(1 for n in stage.glog.cards.values() if n > 1),
        "probe_send_to_visible": summary(probe_cards),
        **split_at_storing(tally.send_at, db.get("submitted_at", {}), visible),
        **calls_per_update(all_calls, tally.answered + probe.answered, db.get("outbox_sent", 0)),
        "probe_latency": summary(probe.all_latencies),
        "group_messages": dict(stage.glog.kinds),
        "api_calls": calls,
        **procs,
        "log_problems": dict(stage.proc.log_problems()),
        "database": {k: v for k, v in db.items() if k not in ("group_rows", "submitted_at")},
    }


async def phase_ceiling(
    server: BotApiServer, workdir: Path, cfg: Config, name: str = "ceiling"
) -> dict[str, Any]:
    stage = Stage(server, workdir, cfg, name, bare=True)
    tally = Tally()
    people = People(stage, tally, [])
    users = stage.people(cfg.reporters)
    try:
        await stage.start()
        start = Clocks.read(stage)
        cut = await run_all([people.bare_report(u) for u in users], cfg.step_timeout * 8)
        procs = process_figures(stage, start)
    finally:
        await stage.stop()
    return {
        "reporters": cfg.reporters,
        "cut_off": cut,
        **tally.figures(),
        "bot_cpu_ms_per_update": (
            procs["bot_cpu_s"] / tally.answered * 1000 if tally.answered else math.nan
        ),
        "api_calls": stage.calls(),
        **calls_per_update(stage.calls(), tally.answered, 0),
        **procs,
        "log_problems": dict(stage.proc.log_problems()),
    }


async def phase_surge(
    server: BotApiServer, workdir: Path, cfg: Config, points: list[tuple[float, float]]
) -> dict[str, Any]:
    stage = Stage(server, workdir, cfg, "surge", bare=False)
    tally = Tally()
    people = People(stage, tally, points)
    users = stage.people(cfg.surge_reports)
    t0 = time.monotonic()

    async def later(user: User, index: int) -> None:
        await asyncio.sleep(max(0.0, t0 + index / cfg.surge_rate - time.monotonic()))
        await people.report(user, index)

    try:
        await stage.start()
        server.set_flood_limits()  # Telegram-like: 20/min per group, 1/s per chat, 30/s overall
        start = Clocks.read(stage)
        t0 = start.wall
        length = cfg.surge_reports / cfg.surge_rate
        cut = await run_all(
            [later(u, i) for i, u in enumerate(users)], length + cfg.step_timeout * 8
        )
        last_send = max(tally.send_at.values(), default=time.monotonic())
        surge_cpu = process_figures(stage, start)  # the surge itself: first to last Send
        await stage.rec.all_visible(stage.glog, tally.send_at, last_send + cfg.surge_drain)
        # Nothing may still wait 60 s after the last Send (reminders included): rows due
        # 10 s or more before that moment and still not sent.
        await asyncio.sleep(max(0.0, last_send + 60 - time.monotonic()))
        wall_offset = time.time() - time.monotonic()
        queued_60s = queued_now(
            stage.db_path, datetime.fromtimestamp(last_send + 50 + wall_offset, UTC)
        )
        procs = process_figures(stage, start)
        calls = stage.calls()
        rejections = stage.world.flood_rejections
        group_rejections = stage.world.status_counts[(429, str(stage.group.id))]
    finally:
        server.disable_flood_limits()
        await stage.stop()
    db = read_database(stage.db_path, stage.group.id)
    visible = stage.glog.first_seen
    tickets = dict(tally.send_at)
    unseen_by_people = [t for t in db.get("tickets", []) if t not in tickets]
    to_visible = [visible.get(t, math.inf) - s for t, s in tickets.items()]
    not_visible = [t for t in [*tickets, *unseen_by_people] if t not in visible]
    rows = {t: set(v) for t, v in db.get("group_rows", {}).items()}
    waiting = {"pending", "sending"}
    still_queued = [t for t in not_visible if rows.get(t, set()) & waiting]
    failed = [
        t for t in not_visible if rows.get(t) and not rows[t] & waiting and "failed" in rows[t]
    ]
    missing = [t for t in not_visible if not rows.get(t)]
    duplicated = {t: n for t, n in stage.glog.cards.items() if n > 1}
    cards = stage.glog.first_card
    via_digest = sum(1 for t in tickets if t in visible and cards.get(t, math.inf) > visible[t])
    pending = db.get("group_pending", {})
    backlog = sum(pending.values())
    return {
        "reports": cfg.surge_reports,
        "rate_per_s": cfg.surge_rate,
        "drain_s": cfg.surge_drain,
        "cut_off": cut,
        "submitted": len(tickets) + len(unseen_by_people),
        "submitted_without_answer": len(unseen_by_people),
        **tally.figures(),
        "send_to_visible": summary(to_visible),
        "send_to_visible_seen": summary([x for x in to_visible if not math.isinf(x)]),
        **split_at_storing(tickets, db.get("submitted_at", {}), visible),
        "visible": len(tickets) + len(unseen_by_people) - len(not_visible),
        "not_visible": len(not_visible),
        "not_visible_still_queued": len(still_queued),
        "not_visible_failed": len(failed),
        "not_visible_no_group_row": len(missing),
        "not_visible_other": len(not_visible) - len(still_queued) - len(failed) - len(missing),
        "first_visible_in_digest": via_digest,
        "listed_in_several_digests": sum(1 for n in stage.glog.listings.values() if n > 1),
        "duplicated": len(duplicated),
        "duplicated_tickets": duplicated,
        "repeat_marked_copies": stage.glog.repeats,
        "cards_naming_other_tickets": stage.glog.foreign_mentions,
        "group_messages": dict(stage.glog.kinds),
        "group_backlog_at_stop": pending,
        "backlog_drain_estimate_min": backlog / 20 if backlog else 0.0,
        "flood_rejections": rejections,
        "group_flood_rejections": group_rejections,
        "queued_60s_after_last_send": queued_60s,
        "surge_bot_cpu_share": surge_cpu["bot_cpu_share"],
        "surge_s": surge_cpu["wall_s"],
        "api_calls": calls,
        **procs,
        "log_problems": dict(stage.proc.log_problems()),
        "database": {
            k: v for k, v in db.items() if k not in ("group_rows", "tickets", "submitted_at")
        },
    }


async def phase_budgets(
    server: BotApiServer, workdir: Path, cfg: Config, points: list[tuple[float, float]]
) -> dict[str, Any]:
    """Under flood limits: one reporter's ``--relays`` follow-up messages, then another
    report (how long until its card is visible); a plain member's ``--commands`` commands
    in the group, then a dispatcher's press (how long until it is answered)."""
    stage = Stage(server, workdir, cfg, "budgets", bare=False)
    tally = Tally()
    people = People(stage, tally, points)
    chatty, other, quiet = stage.people(3)
    member = stage.tg.user("Joko", username="joko_magang", language_code="id")
    stage.group.add_member(member)
    dispatcher = stage.dispatcher
    out: dict[str, Any] = {"relays": cfg.relays, "commands": cfg.commands}
    try:
        await stage.start()
        server.set_flood_limits()
        start = Clocks.read(stage)
        alone = await people.report(quiet, 1)  # nobody else around: the path's own time
        first = await people.report(chatty, 0)
        if alone is None or first is None:
            raise RuntimeError("the budgets phase could not file its reports")
        await stage.rec.all_visible(stage.glog, [alone, first], time.monotonic() + 60)
        for n in range(cfg.relays):
            await chatty.send(f"Tolong cepat, pesan ke-{n + 1} — api makin besar")
        await asyncio.sleep(0.5)  # the relays are queued
        ticket = await people.report(other, 2)
        if ticket is None:
            raise RuntimeError("the budgets phase could not file the other report")
        await stage.rec.all_visible(stage.glog, [ticket], time.monotonic() + 120)
        visible = stage.glog.first_seen
        out["alone_send_to_visible"] = visible.get(alone, math.inf) - tally.send_at[alone]
        out["other_send_to_visible"] = visible.get(ticket, math.inf) - tally.send_at[ticket]
        out["relay_delay"] = out["other_send_to_visible"] - out["alone_send_to_visible"]

        def card_of(ticket: str) -> Message:
            return next(
                m for m in stage.tg.bot_messages(stage.group) if ticket in m.text and "📌" in m.text
            )

        card = card_of(first)
        for _ in range(cfg.commands):
            await member.send("/antrian", chat=stage.group)
        await asyncio.sleep(0.2)
        pressed = time.monotonic()
        query = dispatcher.press_nowait(card, "Ambil")
        await stage.tg.wait_for_answer(query.id, timeout=60)
        out["press_to_answer"] = time.monotonic() - pressed
        # The same press with nothing else going on, for comparison.
        second = card_of(alone)
        await asyncio.sleep(2)
        pressed = time.monotonic()
        query = dispatcher.press_nowait(second, "Ambil")
        await stage.tg.wait_for_answer(query.id, timeout=60)
        out["quiet_press_to_answer"] = time.monotonic() - pressed
        out["command_delay"] = out["press_to_answer"] - out["quiet_press_to_answer"]
        procs = process_figures(stage, start)
        out["group_flood_rejections"] = stage.world.status_counts[(429, str(stage.group.id))]
        out["flood_rejections"] = stage.world.flood_rejections
    finally:
        server.disable_flood_limits()
        await stage.stop()
    out["group_messages"] = dict(stage.glog.kinds)
    out.update(procs)
    out["log_problems"] = dict(stage.proc.log_problems())
    return out


async def phase_memory(
    server: BotApiServer, workdir: Path, cfg: Config, points: list[tuple[float, float]]
) -> dict[str, Any]:
    stage = Stage(server, workdir, cfg, "memory", bare=False, paced=False)
    tally = Tally()
    people = People(stage, tally, points)
    users = stage.people(cfg.drafts)
    try:
        await stage.start()
        await asyncio.sleep(1.0)
        idle = stage.proc.memory_kib()
        start = Clocks.read(stage)
        cut = await run_all(
            [people.report(u, i, upto_details=True) for i, u in enumerate(users)],
            cfg.step_timeout * 4,
        )
        await asyncio.sleep(1.0)
        procs = process_figures(stage, start)
    finally:
        await stage.stop()
    db = read_database(stage.db_path, stage.group.id)
    return {
        "drafts_wanted": cfg.drafts,
        "cut_off": cut,
        "drafts_open": db.get("drafts"),
        "idle_rss_mb": memory_mb(idle.get("VmRSS")),
        **tally.figures(),
        **procs,
        "log_problems": dict(stage.proc.log_problems()),
    }


# --- report ------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def goals(results: dict[str, Any], cfg: Config) -> list[dict[str, Any]]:
    """The issue's goals, judged on this run's figures."""
    out: list[dict[str, Any]] = []
    main, ceiling = results.get("main"), results.get("ceiling")
    surge, memory = results.get("surge"), results.get("memory")
    if main and ceiling:
        ratio = results.get("ratio") or main["updates_per_s"] / ceiling["updates_per_s"]
        results["ratio"] = ratio
        note = "" if cfg.reporters == 200 else f" (at {cfg.reporters} reporters; goal is at 200)"
        out.append(
            {
                "goal": "updates/s bot/ceiling >= 0.5 with 200 concurrent reporters",
                "figure": f"{ratio:.2f}{note}",
                "ok": ratio >= 0.5,
            }
        )
    ordering = sum(len(r["ordering_violations"]) for r in (surge, memory) if r)
    if "rounds" in results:
        ordering += sum(r["ordering_violations"] for r in results["rounds"])
    elif main:
        ordering += len(main["ordering_violations"])
    if main or surge or memory:
        out.append(
            {"goal": "no per-chat ordering violation", "figure": str(ordering), "ok": not ordering}
        )
    if main:
        p99 = main["send_to_visible"]["p99"]
        out.append(
            {
                "goal": "p99 Send->card (or digest) visible < 300 ms (not flood-limited)",
                "figure": fmt_ms(p99),
                "ok": p99 < 0.3,
            }
        )
    if main:
        stored = main["stored_to_visible"]["p99"]
        out.append(
            {
                "goal": "outbox: p99 stored->visible < 300 ms (200 simultaneous Sends)",
                "figure": fmt_ms(stored),
                "ok": stored < 0.3,
            }
        )
        receipt = main["card_to_receipt"]["p99"]
        out.append(
            {
                "goal": "the reporter's receipt p99 < 1 s after the card",
                "figure": fmt_ms(receipt),
                "ok": receipt < 1.0,
            }
        )
    budgets = results.get("budgets")
    if budgets:
        delay = budgets["relay_delay"]
        out.append(
            {
                "goal": f"{budgets['relays']} relays from one reporter delay another card < 5 s",
                "figure": f"{fmt_ms(delay)} (Send->visible"
                f" {fmt_ms(budgets['other_send_to_visible'])}"
                f" vs {fmt_ms(budgets['alone_send_to_visible'])} alone)",
                "ok": delay < 5,
            }
        )
        delay = budgets["command_delay"]
        out.append(
            {
                "goal": f"{budgets['commands']} member commands delay a dispatcher's press < 1 s",
                "figure": f"{fmt_ms(delay)} (press->answer {fmt_ms(budgets['press_to_answer'])}"
                f" vs {fmt_ms(budgets['quiet_press_to_answer'])} quiet)",
                "ok": delay < 1,
            }
        )
    if surge:
        lost = surge["not_visible"]
        out.append(
            {
                "goal": "surge: nothing lost (every ticket visible in the group)",
                "figure": f"{lost} not visible after {surge['drain_s']:g} s drain "
                f"({surge['not_visible_still_queued']} still queued,"
                f" {surge['not_visible_failed']} failed, {surge['not_visible_no_group_row']}"
                " never queued for the group)",
                "ok": lost == 0,
            }
        )
        out.append(
            {
                "goal": "surge: nothing duplicated",
                "figure": str(surge["duplicated"]),
                "ok": surge["duplicated"] == 0,
            }
        )
        p95 = surge["send_to_visible"]["p95"]
        out.append(
            {
                "goal": "surge: p95 Send->visible <= 5 s",
                "figure": fmt_ms(p95),
                "ok": p95 <= 5,
            }
        )
        rejected = surge["group_flood_rejections"]
        out.append(
            {
                "goal": "surge: group 429 answers ~ 0",
                "figure": f"{rejected} in the group ({surge['flood_rejections']} in all chats)",
                "ok": rejected <= 1,
            }
        )
        queued = surge["queued_60s_after_last_send"]
        out.append(
            {
                "goal": "surge: nothing queued 60 s after the last Send (reminders included)",
                "figure": str(sum(queued.values())) + (f" {queued}" if queued else ""),
                "ok": not queued,
            }
        )
        share = surge["surge_bot_cpu_share"]
        out.append(
            {
                "goal": "surge: bot CPU <= 15 % of a core during the surge",
                "figure": f"{share:.1%} over {surge['surge_s']:.0f} s",
                "ok": share <= 0.15,
            }
        )
    if memory:
        peak = memory["peak_rss_mb"]
        note = "" if memory["drafts_wanted"] == 1000 else f" (at {memory['drafts_wanted']})"
        out.append(
            {
                "goal": "1,000 open drafts: peak RSS < 100 MB",
                "figure": f"{peak:.1f} MB{note}",
                "ok": peak < 100,
            }
        )
    return out


def lat_line(name: str, s: dict[str, Any]) -> str:
    return (
        f"  {name:<34} p50 {fmt_ms(s['p50']):>9}  p95 {fmt_ms(s['p95']):>9}"
        f"  p99 {fmt_ms(s['p99']):>9}  (n={s['n']})"
    )


def print_phase(name: str, r: dict[str, Any]) -> None:
    print(f"\n== {name} ==")
    if "updates_per_s" in r and r["answered_updates"]:
        print(
            f"  updates answered {r['answered_updates']} in {r['span_s']:.2f} s:"
            f" {r['updates_per_s']:.1f} updates/s; completed {r['completed']}"
        )
        print(lat_line("injection -> answer", r["latency"]))
        for step, s in r["latency_by_step"].items():
            print(lat_line(f"  {step}", s))
    for key, label in (
        ("send_to_visible", "Send -> visible in group"),
        ("send_to_visible_seen", "  of those seen in the group"),
        ("send_to_card", "Send -> full card (if one came)"),
        ("send_to_receipt", "Send -> receipt to reporter"),
        ("card_to_receipt", "visible in group -> receipt"),
        ("probe_send_to_visible", "Send -> visible, one report at a time"),
        ("send_to_stored", "  Send -> stored (press handled)"),
        ("stored_to_visible", "  stored -> visible (outbox)"),
    ):
        if key in r:
            print(lat_line(label, r[key]))
    if "not_visible" in r and "surge" not in name:
        print(
            f"  not visible {r['not_visible']}; first seen in a digest"
            f" {r['first_visible_in_digest']}; duplicated cards {r['duplicated']};"
            f" group messages {r['group_messages']}"
        )
    if "conversation_bot_cpu_share" in r:
        print(
            f"  bot CPU while the people talked: {r['conversation_bot_cpu_share']:.0%} of a core"
            f" over {r['conversation_s']:.1f} s"
        )
    if "peak_rss_mb" in r:
        idle = f", idle {r['idle_rss_mb']:.1f} MB" if "idle_rss_mb" in r else ""
        print(
            f"  peak RSS {r['peak_rss_mb']:.1f} MB (now {r['rss_mb']:.1f} MB{idle});"
            f" CPU: bot {r['bot_cpu_s']:.1f} s ({r['bot_cpu_share']:.0%} of a core),"
            f" emulator+driver {r['bench_cpu_s']:.1f} s, other programs"
            f" {r['others_cpu_s']:.1f} s, over {r['wall_s']:.1f} s"
        )
    for key in ("ordering_violations", "unexpected_answers", "timeouts"):
        items = r.get(key) or []
        if items:
            print(f"  {key.replace('_', ' ')}: {len(items)}; first: {items[0]}")
    if "surge" in name:
        print(
            f"  submitted {r['submitted']}, visible {r['visible']}, not visible"
            f" {r['not_visible']} ({r['not_visible_still_queued']} still queued,"
            f" {r['not_visible_failed']} failed), first seen in a digest"
            f" {r['first_visible_in_digest']}, duplicated {r['duplicated']},"
            f" 429 answers {r['flood_rejections']} ({r['group_flood_rejections']} in the group)"
        )
        print(
            f"  bot CPU during the surge {r['surge_bot_cpu_share']:.1%} of a core over"
            f" {r['surge_s']:.0f} s; queued 60 s after the last Send:"
            f" {r['queued_60s_after_last_send'] or 'nothing'}"
        )
        print(
            f"  group messages: {r['group_messages']}; group backlog at stop:"
            f" {r['group_backlog_at_stop']} (~{r['backlog_drain_estimate_min']:.0f} min at 20/min)"
        )
    if "drafts_open" in r:
        print(f"  open drafts in the database: {r['drafts_open']}")
    if r.get("api_calls"):
        print(f"  API calls: {r['api_calls']}")
    if "api_calls_per_update" in r:
        print(
            f"  API calls per answered update: {r['api_calls_per_update']:.2f} while answering"
            f" + {r['outbox_calls_per_update']:.2f} by the outbox"
        )
    db = r.get("database") or {}
    if db.get("queue_wait"):
        waits = ", ".join(
            f"{role} p50 {fmt_ms(s['p50'])} p99 {fmt_ms(s['p99'])}"
            for role, s in db["queue_wait"].items()
        )
        print(f"  outbox queue wait (created -> sent): {waits}")
        print(
            f"  outbox: {db.get('outbox_rate', math.nan):.1f} messages/s sent;"
            f" median gap between sends {fmt_ms(db.get('outbox_gap_p50', math.nan))}"
        )
    if r.get("log_problems"):
        print(f"  bot log errors: {r['log_problems']}")


def print_budgets(r: dict[str, Any]) -> None:
    print("\n== budgets: one group, flood limits on ==")
    print(
        f"  another report while {r['relays']} relays wait: Send -> visible"
        f" {fmt_ms(r['other_send_to_visible'])} (alone {fmt_ms(r['alone_send_to_visible'])})"
    )
    print(
        f"  a dispatcher's press after {r['commands']} member commands: answered in"
        f" {fmt_ms(r['press_to_answer'])} (quiet {fmt_ms(r['quiet_press_to_answer'])})"
    )
    print(
        f"  429 answers: {r['group_flood_rejections']} in the group, {r['flood_rejections']}"
        f" in all; group messages {r['group_messages']}"
    )
    if r.get("log_problems"):
        print(f"  bot log errors: {r['log_problems']}")


async def main_and_ceiling(
    server: BotApiServer,
    workdir: Path,
    cfg: Config,
    points: list[tuple[float, float]],
    results: dict[str, Any],
) -> None:
    """The bot and the ceiling, alternating for ``--repeat`` rounds (other programs on a
    shared machine move the figures); the round with the median ratio is reported."""
    both = "main" in cfg.phases and "ceiling" in cfg.phases
    rounds = max(1, cfg.repeat) if both else 1
    done: list[dict[str, Any]] = []
    for k in range(1, rounds + 1):
        tag = f" (round {k} of {rounds})" if rounds > 1 else ""
        suffix = f"-{k}" if rounds > 1 else ""
        one: dict[str, Any] = {}
        if "main" in cfg.phases:
            print(f"\nmain{tag}: {cfg.reporters} reporters at once …", flush=True)
            one["main"] = await phase_main(server, workdir, cfg, points, f"main{suffix}")
            print_phase(f"main: the bot{tag}", one["main"])
        if "ceiling" in cfg.phases:
            print(f"\nceiling{tag}: {cfg.reporters} chats against the bare bot …", flush=True)
            one["ceiling"] = await phase_ceiling(server, workdir, cfg, f"ceiling{suffix}")
            print_phase(f"ceiling: bare python-telegram-bot{tag}", one["ceiling"])
        if both:
            one["ratio"] = one["main"]["updates_per_s"] / one["ceiling"]["updates_per_s"]
        done.append(one)
    if both:
        ordered = sorted(done, key=lambda r: float(r["ratio"]))
        results.update(ordered[(len(ordered) - 1) // 2])
        results["rounds"] = [
            {
                "ratio": r["ratio"],
                "bot_updates_per_s": r["main"]["updates_per_s"],
                "ceiling_updates_per_s": r["ceiling"]["updates_per_s"],
                "bot_cpu_ms_per_update": r["main"]["bot_cpu_ms_per_update"],
                "ceiling_cpu_ms_per_update": r["ceiling"]["bot_cpu_ms_per_update"],
                "others_cpu_s": r["main"]["others_cpu_s"] + r["ceiling"]["others_cpu_s"],
                "send_to_visible_p99": r["main"]["send_to_visible"]["p99"],
                "ordering_violations": len(r["main"]["ordering_violations"]),
            }
            for r in done
        ]
    else:
        results.update(done[0])


async def run(cfg: Config) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": machine(), "config": config_dict(cfg)}
    info = results["machine"]
    print(
        f"{info['cpu']}, {info['cores']} cores, Python {info['python']}, {info['date']},"
        f" load {info['loadavg_at_start']}, commit {info['commit']} ({info['worktree']})"
    )
    print(
        f"latency {cfg.latency * 1000:g} ms per API call, MAX_CONCURRENT_UPDATES"
        f" {cfg.concurrency}, pipelined message steps: {cfg.pipeline}"
    )
    points = city_points()
    workdir = Path(tempfile.mkdtemp(prefix="semarang112-bench-"))
    ok = False
    try:
        async with BotApiServer(latency=cfg.latency) as server:
            await main_and_ceiling(server, workdir, cfg, points, results)
            if "surge" in cfg.phases:
                print(
                    f"\nsurge: {cfg.surge_reports} reports at {cfg.surge_rate:g}/s with flood"
                    f" limits, then up to {cfg.surge_drain:g} s …",
                    flush=True,
                )
                results["surge"] = await phase_surge(server, workdir, cfg, points)
                print_phase("surge: one group, flood limits on", results["surge"])
            if "budgets" in cfg.phases:
                print(
                    f"\nbudgets: {cfg.relays} relays from one reporter, {cfg.commands} member"
                    " commands, flood limits on …",
                    flush=True,
                )
                results["budgets"] = await phase_budgets(server, workdir, cfg, points)
                print_budgets(results["budgets"])
            if "memory" in cfg.phases:
                print(f"\nmemory: {cfg.drafts} open drafts …", flush=True)
                results["memory"] = await phase_memory(server, workdir, cfg, points)
                print_phase("memory: open drafts", results["memory"])
            if server.internal_errors:
                results["emulator_errors"] = [repr(e) for e in server.internal_errors[:5]]
        verdicts = goals(results, cfg)
        results["goals"] = verdicts
        print("\n== goals ==")
        for k, r in enumerate(results.get("rounds", []), start=1):
            print(
                f"  round {k}: bot {r['bot_updates_per_s']:.1f} updates/s"
                f" ({r['bot_cpu_ms_per_update']:.1f} ms CPU each), ceiling"
                f" {r['ceiling_updates_per_s']:.1f} updates/s"
                f" ({r['ceiling_cpu_ms_per_update']:.1f} ms CPU each): ratio {r['ratio']:.2f};"
                f" other programs used {r['others_cpu_s']:.0f} CPU-s meanwhile"
            )
        if "ratio" in results:
            print(
                f"  reported (median round): bot {results['main']['updates_per_s']:.1f}"
                f" updates/s, ceiling {results['ceiling']['updates_per_s']:.1f} updates/s:"
                f" ratio {results['ratio']:.2f}"
            )
        for g in verdicts:
            print(f"  {verdict(g['ok'])}  {g['goal']}: {g['figure']}")
        ok = True
    finally:
        if cfg.keep or not ok:
            print(f"\nwork folder (logs, databases): {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return results


def config_dict(cfg: Config) -> dict[str, Any]:
    out = dict(vars(cfg))
    out["json_path"] = str(cfg.json_path) if cfg.json_path else None
    out["phases"] = list(cfg.phases)
    return out


def main(argv: list[str] | None = None) -> int:
    cfg = parse_args(argv)
    started = time.monotonic()
    results = asyncio.run(run(cfg))
    results["total_s"] = time.monotonic() - started
    print(f"\ntotal {results['total_s']:.0f} s")
    if cfg.json_path is not None:
        cfg.json_path.write_text(json.dumps(results, indent=2, default=str, ensure_ascii=False))
        print(f"figures written to {cfg.json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
