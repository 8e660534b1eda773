"""Benchmark plumbing: processes under test, the message recorder, figures.

Everything here runs in the benchmark's own event loop, the loop of the Bot API
emulator (the emulator's state may only be touched from that loop).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import platform
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from emulator.world import JSON, BotWorld, ChatRecord, Signal, StoredMessage

ROOT = Path(__file__).resolve().parent.parent
TICKET_RE = re.compile(r"\b[A-Z]{2,6}-\d{6}-\d{3,}\b")
CARD_MARK = "📌"  # the status line every dispatch card carries (handlers/card.py)
REMINDER_MARK = "⏰"  # an unclaimed-card reminder (text "alert_unclaimed")
REPEAT_MARK = "dikirim ulang"  # an outbox copy sent again after a time-out (bot/outbox.py)
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- figures -----------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``inf`` entries allowed: "not seen"); NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(0, math.ceil(q / 100 * len(ordered)) - 1)
    return ordered[rank]


def fmt_ms(seconds: float) -> str:
    """Seconds as a readable duration (ms below 10 s)."""
    if math.isnan(seconds):
        return "n/a"
    if math.isinf(seconds):
        return "not seen"  # not within the phase's deadline
    if seconds < 10:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.1f} s"


def summary(values: Sequence[float]) -> dict[str, float | int]:
    """Count and the usual percentiles of a list of durations (seconds)."""
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values) if values else math.nan,
    }


def machine() -> dict[str, str | int]:
    """Where the figures come from."""
    model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_total = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_total = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    load = os.getloadavg()
    commit = dirty = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
        ).stdout.splitlines()
        dirty = f"{len(changed)} changed/untracked paths" if changed else "clean"
    return {
        "commit": commit,
        "worktree": dirty,
        "cpu": model,
        "cores": os.cpu_count() or 0,
        "memory": mem_total,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "loadavg_at_start": f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
    }


# --- the process under test ----------------------------------------------------------------


def proc_memory_kib(pid: int) -> dict[str, int]:
    """``VmHWM`` (peak RSS) and ``VmRSS`` of a live process, in KiB."""
    found: dict[str, int] = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                found[key] = int(value.split()[0])
    return found


def proc_cpu_seconds(pid: int) -> float:
    """User + system CPU time a live process used so far."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return math.nan
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def system_busy_seconds() -> float:
    """CPU time all processes on the machine spent so far (``/proc/stat``, all cores):
    what the bot and the benchmark did not use of it went to other programs."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return math.nan
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLK_TCK


def settings_free_environment() -> dict[str, str]:
    """This process's environment without any of the bot's own settings, so that a
    developer's exported ``TELEGRAM_BOT_TOKEN`` or ``DISPATCHER_IDS`` cannot leak in."""
    from bot.config import Settings

    names = {name.upper() for name in Settings.model_fields}
    env = {k: v for k, v in os.environ.items() if k.upper() not in names}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


class Process:
    """A bot under test, run as its own process so that its memory and CPU are its own."""

    def __init__(
        self, name: str, argv: list[str], env: dict[str, str], cwd: Path, log_path: Path
    ) -> None:
        self.name = name
        self.argv = argv
        self.env = env
        self.cwd = cwd
        self.log_path = log_path
        self._proc: asyncio.subprocess.Process | None = None
        self._log: IO[bytes] | None = None
        self.final_memory: dict[str, int] = {}
        self.final_cpu = math.nan
        self.returncode: int | None = None

    @property
    def pid(self) -> int:
        assert self._proc is not None
        return self._proc.pid

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.returncode is None

    async def start(self) -> None:
        """Start the process, its output going to the log file."""
        self._log = self.log_path.open("ab")
        self._proc = await asyncio.create_subprocess_exec(
            *self.argv,
            cwd=str(self.cwd),
            env=self.env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=self._log,
            stderr=self._log,
        )

    def memory_kib(self) -> dict[str, int]:
        """Current ``VmHWM``/``VmRSS`` (the last reading once it has stopped)."""
        return proc_memory_kib(self.pid) if self.alive else self.final_memory

    def cpu_seconds(self) -> float:
        return proc_cpu_seconds(self.pid) if self.alive else self.final_cpu

    async def wait_polling(self, world: BotWorld, patience: float) -> None:
        """Until the process has asked for updates (it is up), or fail with its log."""
        deadline = time.monotonic() + patience
        while world.poll_generation == 0:
            if not self.alive:
                raise RuntimeError(f"{self.name} exited at start:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{self.name} did not poll within {patience} s:\n{self.log_tail()}"
                )
            await asyncio.sleep(0.05)

    async def stop(self, grace: float = 20.0) -> None:
        """SIGTERM (graceful), then SIGKILL after ``grace`` seconds; readings are kept."""
        proc = self._proc
        if proc is None:
            return
        if proc.returncode is None:
            self.final_memory = proc_memory_kib(proc.pid)
            self.final_cpu = proc_cpu_seconds(proc.pid)
            proc.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(grace):
                    await proc.wait()
            except TimeoutError:
                proc.kill()
                await proc.wait()
        self.returncode = proc.returncode
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_lines(self) -> list[str]:
        try:
            return self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return []

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_lines()[-lines:])

    def log_problems(self) -> Counter[str]:
        """ERROR/CRITICAL log lines and tracebacks, grouped by their message."""
        found: Counter[str] = Counter()
        for line in self.log_lines():
            if " ERROR " in line or " CRITICAL " in line or line.startswith("Traceback"):
                found[re.sub(r"\d+", "N", line.split(" - ", 1)[-1])[:160]] += 1
        return found


def python_argv(*args: str) -> list[str]:
    return [sys.executable, *args]


# --- the recorder --------------------------------------------------------------------------


@dataclass(slots=True)
class Event:
    """A bot message arriving (``new``) or a bot message being edited, in one chat."""

    t: float
    new: bool
    message_id: int
    text: str


@dataclass
class ChatLog:
    """What the bot did in one watched chat, in order."""

    events: list[Event] = field(default_factory=list)
    signal: Signal = field(default_factory=Signal)
    pos: int = 0  # next event for :meth:`Recorder.next_new`


@dataclass
class GroupLog:
    """What appeared in a watched group, by ticket."""

    first_seen: dict[str, float] = field(default_factory=dict)  # ticket: any message/edit
    first_card: dict[str, float] = field(default_factory=dict)  # ticket: its full card
    cards: Counter[str] = field(default_factory=Counter)  # ticket: new card messages
    listings: Counter[str] = field(default_factory=Counter)  # ticket: digests naming it
    kinds: Counter[str] = field(default_factory=Counter)  # new messages by kind
    repeats: int = 0  # copies marked "sent again, may be a duplicate"
    foreign_mentions: int = 0  # cards that name a second ticket (e.g. possible duplicate)
    signal: Signal = field(default_factory=Signal)


def message_text(data: JSON) -> str:
    return str(data.get("text") or data.get("caption") or "")


class Recorder:
    """Time-stamps every bot message and edit the moment the emulator stores it.

    It wraps the world's ``add_message`` and ``edit_message`` (instance attributes shadow
    the methods; the emulator itself is unchanged), so arrival times do not depend on
    when a waiting task gets scheduled, and waits are per chat: nothing rescans a chat's
    history, however many messages a group collects.
    """

    def __init__(self, world: BotWorld) -> None:
        self.world = world
        self.chats: dict[int, ChatLog] = {}
        self.groups: dict[int, GroupLog] = {}
        self.receipts: dict[str, float] = {}  # ticket: first new private message naming it
        self.receipt_signal = Signal()
        add, edit = world.add_message, world.edit_message

        def add_message(
            chat: ChatRecord,
            content: JSON,
            *,
            sender: JSON,
            from_bot: bool,
            sent_markup: JSON | None = None,
        ) -> StoredMessage:
            stored = add(chat, content, sender=sender, from_bot=from_bot, sent_markup=sent_markup)
            if from_bot:
                self._seen(stored, new=True)
            return stored

        def edit_message(
            stored: StoredMessage, changes: JSON, *, drop: tuple[str, ...] = ()
        ) -> None:
            edit(stored, changes, drop=drop)
            if stored.from_bot:
                self._seen(stored, new=False)

        setattr(world, "add_message", add_message)  # noqa: B010 - shadow the method
        setattr(world, "edit_message", edit_message)  # noqa: B010

    def watch_chat(self, chat_id: int) -> ChatLog:
        return self.chats.setdefault(chat_id, ChatLog())

    def watch_group(self, chat_id: int) -> GroupLog:
        return self.groups.setdefault(chat_id, GroupLog())

    def _seen(self, stored: StoredMessage, *, new: bool) -> None:
        now = time.monotonic()
        chat_id = stored.chat_id
        text = message_text(stored.data)
        log = self.chats.get(chat_id)
        if log is not None:
            log.events.append(Event(now, new, stored.message_id, text))
            log.signal.notify()
        tickets = TICKET_RE.findall(text) if text else []
        group = self.groups.get(chat_id)
        if group is None:
            if new and chat_id > 0:
                for ticket in tickets:
                    self.receipts.setdefault(ticket, now)
                if tickets:
                    self.receipt_signal.notify()
            return
        for ticket in tickets:
            group.first_seen.setdefault(ticket, now)
        if new:
            if CARD_MARK in text and tickets:
                group.cards[tickets[0]] += 1
                group.first_card.setdefault(tickets[0], now)
                group.kinds["card"] += 1
                if len(set(tickets)) > 1:
                    group.foreign_mentions += 1
            elif "location" in stored.data or "venue" in stored.data:
                group.kinds["pin"] += 1
            elif REMINDER_MARK in text:
                group.kinds["reminder"] += 1
            elif tickets:  # a digest (or any other listing of tickets)
                group.kinds["digest"] += 1
                for ticket in set(tickets):
                    group.listings[ticket] += 1
            else:
                group.kinds["other"] += 1
            if REPEAT_MARK in text:
                group.repeats += 1
        group.signal.notify()

    async def next_new(self, log: ChatLog, deadline: float) -> Event | None:
        """The chat's next new bot message not yet taken (edits are passed over)."""
        while True:
            while log.pos < len(log.events):
                event = log.events[log.pos]
                log.pos += 1
                if event.new:
                    return event
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            await log.signal.wait(remaining)

    async def find(
        self, log: ChatLog, start: int, match: Callable[[Event], bool], deadline: float
    ) -> Event | None:
        """The first event from index ``start`` on that matches (does not take events)."""
        index = start
        while True:
            while index < len(log.events):
                event = log.events[index]
                index += 1
                if match(event):
                    return event
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            await log.signal.wait(remaining)

    async def all_receipts(self, tickets: Iterable[str], deadline: float) -> None:
        """Until every ticket's receipt has reached its reporter, or the deadline."""
        wanted = set(tickets)
        while True:
            wanted -= self.receipts.keys()
            remaining = deadline - time.monotonic()
            if not wanted or remaining <= 0:
                return
            await self.receipt_signal.wait(remaining)

    async def all_visible(self, group: GroupLog, tickets: Iterable[str], deadline: float) -> None:
        """Until every ticket has appeared in the group, or the deadline."""
        wanted = set(tickets)
        while True:
            wanted -= group.first_seen.keys()
            remaining = deadline - time.monotonic()
            if not wanted or remaining <= 0:
                return
            await group.signal.wait(remaining)


# --- the bot's database, read after the run --------------------------------------------------


def queued_now(path: Path, waiting_since: datetime) -> dict[str, int]:
    """Rows of the running bot's outbox still waiting (pending or in flight) that were due
    before ``waiting_since``, by role (read-only; SQLite's WAL lets a reader in)."""
    from bot.domain.models import utc_iso

    if not path.exists():
        return {}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT role, COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"
            " AND held = 0 AND not_before <= ? GROUP BY role",
            (utc_iso(waiting_since),),
        ).fetchall()
    finally:
        conn.close()
    return {str(role): int(n) for role, n in rows}


def read_database(path: Path, group_id: int) -> dict[str, Any]:
    """Outbox and report figures from the stopped bot's SQLite file (read-only)."""
    from bot.domain.models import from_iso

    if not path.exists():
        return {}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        result: dict[str, Any] = {}
        if "drafts" in tables:
            result["drafts"] = conn.execute("SELECT COUNT(*) FROM drafts").fetchone()[0]
        if "reports" not in tables or "outbox" not in tables:
            return result
        submitted = {
            r[0]: from_iso(r[1]).timestamp()
            for r in conn.execute("SELECT ticket, submitted_at FROM reports")
        }
        result["tickets"] = list(submitted)
        result["submitted_at"] = submitted  # ticket: epoch seconds the bot stored it
        rows = conn.execute(
            "SELECT o.role, o.status, o.chat_id, o.attempts, o.created_at, o.sent_at,"
            " r.ticket FROM outbox o LEFT JOIN reports r ON r.id = o.report_id"
        ).fetchall()
        by_status: Counter[str] = Counter()
        group_pending: Counter[str] = Counter()
        group_rows: dict[str, set[str]] = {}  # ticket: statuses of its rows for the group
        queue_waits: dict[str, list[float]] = {}
        sent_times: list[tuple[datetime, datetime]] = []
        retries = 0
        for row in rows:
            where = "group" if row["chat_id"] == group_id else "private"
            by_status[f"{where}:{row['role']}:{row['status']}"] += 1
            if row["chat_id"] == group_id and row["status"] in ("pending", "sending"):
                group_pending[row["role"]] += 1
            if row["chat_id"] == group_id and row["ticket"]:
                group_rows.setdefault(row["ticket"], set()).add(row["status"])
            retries += max(0, (row["attempts"] or 0) - 1)
            if row["sent_at"]:
                created, sent = from_iso(row["created_at"]), from_iso(row["sent_at"])
                sent_times.append((created, sent))
                queue_waits.setdefault(row["role"], []).append((sent - created).total_seconds())
        if "digest_members" in tables:  # a digest lists reports it has no report_id for
            for row in conn.execute(
                "SELECT r.ticket, o.status FROM digest_members d"
                " JOIN outbox o ON o.id = d.outbox_id JOIN reports r ON r.id = d.report_id"
            ):
                group_rows.setdefault(row[0], set()).add(row[1])
        result.update(
            outbox=dict(sorted(by_status.items())),
            group_pending=dict(group_pending),
            group_rows={t: sorted(v) for t, v in group_rows.items()},
            queue_wait={role: summary(v) for role, v in sorted(queue_waits.items())},
            retries=retries,
        )
        result["outbox_sent"] = len(sent_times)
        if len(sent_times) >= 2:
            first = min(c for c, _ in sent_times)
            last = max(s for _, s in sent_times)
            span = (last - first).total_seconds()
            result["outbox_rate"] = len(sent_times) / span if span > 0 else math.nan
            gaps = sorted(
                (b - a).total_seconds()
                for a, b in zip(
                    sorted(s for _, s in sent_times),
                    sorted(s for _, s in sent_times)[1:],
                    strict=False,
                )
            )
            result["outbox_gap_p50"] = percentile(gaps, 50)
        return result
    finally:
        conn.close()
