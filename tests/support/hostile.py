"""The harness of the hostile-input suite (``tests/e2e/hostile``): "never lose a report".

Each case drives the running bot through the Bot API emulator (one world for the whole
package, a fresh reporter per case). ``@hostile`` follows every case with the checks all
of them must pass: the bot is still up (every chat the case touched still gets an answer
to a normal action), nothing was logged at ERROR level, and the database is consistent:
drafts valid and only in private chats, no report without its card in the outbox, every
report's state equal to the replay of its events, no duplicate message map rows, no
outbound message refused by Telegram.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.domain import lifecycle
from bot.domain.card import CardState
from bot.domain.models import Draft, Step
from emulator.driver import Group, Message, User
from emulator.world import JSON, CallbackQueryState
from storage import reports as store
from storage.cards import card_state
from storage.db import Database
from storage.drafts import load_draft
from storage.events import load_events
from tests.support import factories as f
from tests.support.harness import World

PROMPT = {
    Step.CATEGORY: "Langkah 1",
    Step.LOCATION: "Langkah 2",
    Step.DETAILS: "Langkah 3",
    Step.PHONE: "Langkah 4",
    Step.CONFIRM: "Periksa laporan",
}
STALE = "Tombol ini sudah tidak berlaku."
NOT_DISPATCHER = "Hanya dispatcher"
NOT_OFFICER = "Tombol ini untuk petugas"
INVALID_LOCATION = "koordinat tidak valid"
NO_DRAFT = "Untuk melapor keadaan darurat"
UNUSABLE = "tidak bisa dipakai"
INJECTION = "<b>tebal</b> </code> &amp; *bold* _x_ [link](http://e.com) <i>"
HUGE = "9" * 30  # beyond SQLite's 64-bit integers
_ids = itertools.count(1)


def next_id() -> int:
    """A number no other case of the run has had (names of people and groups)."""
    return next(_ids)


# --- the world ---------------------------------------------------------------------------


class ErrorLog(logging.Handler):
    """Every record at ERROR or above, from any logger (handlers.errors, the outbox ...)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Env:
    """The package's running world (the `env` fixture), plus what the current case touched."""

    w: World
    damkar: Group
    bpbd: Group
    damkar_officer: User
    bpbd_officer: User
    stranger: Group
    errors: ErrorLog
    tmp: pytest.TempPathFactory
    users: list[User] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)

    @property
    def db(self) -> Database:
        assert self.w.runtime is not None and self.w.runtime.db is not None
        return self.w.runtime.db


# --- people, chats, waiting --------------------------------------------------------------


def person(
    env: Env,
    first_name: str | None = None,
    *,
    last_name: str | None = None,
    username: str | None = None,
    lang: str = "id",
) -> User:
    """A fresh reporter for one case (checked for liveness after the case)."""
    n = next_id()
    u = env.w.tg.user(
        first_name or f"Warga{n}",
        last_name=last_name,
        username=username or f"warga_hostile_{n}",
        language_code=lang,
    )
    env.users.append(u)
    return u


def mark(env: Env, chat: User | Group) -> int:
    """The newest message id in a chat (bot's or a person's)."""
    return max(env.w.tg.world.chats[chat.id].order, default=0)


async def said(
    env: Env, chat: User | Group, needle: str, since: int, timeout: float = 3
) -> Message:
    """The first bot message (or edit) newer than ``since`` containing ``needle``."""
    return await env.w.tg.wait_for(
        chat, lambda m: m.message_id > since and needle in m.text, timeout=timeout
    )


def bot_texts(env: Env, chat: User | Group, since: int) -> list[str]:
    return [m.text for m in env.w.tg.bot_messages(chat) if m.message_id > since]


async def draft_of(env: Env, r: User) -> Draft | None:
    stored = await load_draft(env.db, r.id)
    return stored.draft if stored else None


def inject(
    env: Env,
    user: User,
    content: JSON,
    *,
    chat: User | Group | None = None,
    keep: bool = True,
    kind: str = "message",
) -> JSON:
    """A raw update from ``user``: hand-made, malformed or forged content.

    With ``keep`` the message is stored in the emulator's chat (so it can be copied or
    replied to); malformed ones are only delivered (the transcript could not show them).
    """
    world = env.w.tg.world
    record = world.chats[(chat or user).id]
    if record.type == "private":
        user.record.started = True
    if keep:
        payload = world.add_message(record, content, sender=user.data, from_bot=False).data
    else:
        message_id = record.next_message_id
        record.next_message_id += 1
        payload = {
            "message_id": message_id,
            "from": user.data,
            "chat": record.to_json(),
            "date": world.now(),
            **content,
        }
    world.enqueue_update(kind, payload)
    return payload


def forged_query(env: Env, user: User, message: JSON, data: str | None, **extra: Any) -> str:
    """Enqueue a callback query on any (even inaccessible) message; returns its id."""
    world = env.w.tg.world
    chat_id = int(message["chat"]["id"])
    state = CallbackQueryState(
        id=world.unique(), chat_id=chat_id, message_id=int(message["message_id"])
    )
    world.callback_queries[state.id] = state
    payload: JSON = {
        "id": state.id,
        "from": user.data,
        "message": message,
        "chat_instance": world.chats[chat_id].chat_instance,
        **extra,
    }
    if data is not None:
        payload["data"] = data
    world.enqueue_update("callback_query", payload)
    return state.id


async def reach(
    env: Env,
    step: Step,
    r: User | None = None,
    *,
    details: str = "Gudang terbakar",
    location: tuple[float, float] = f.SIMPANG_LIMA,
) -> User:
    """A reporter brought to ``step`` of a fresh draft."""
    r = r or person(env)
    sent = await r.send("/lapor")
    ask = await said(env, r, PROMPT[Step.CATEGORY], sent.message_id)
    if step is Step.CATEGORY:
        return r
    await r.press(ask, "Kebakaran")
    await said(env, r, PROMPT[Step.LOCATION], ask.message_id)
    if step is Step.LOCATION:
        return r
    sent = await r.send_location(*location)
    await said(env, r, PROMPT[Step.DETAILS], sent.message_id)
    if step is Step.DETAILS:
        return r
    sent = await r.send(details)
    await said(env, r, PROMPT[Step.PHONE], sent.message_id)
    if step is Step.PHONE:
        return r
    sent = await r.send("0812 3456 7890")
    await said(env, r, PROMPT[Step.CONFIRM], sent.message_id)
    return r


async def finish(env: Env, r: User, details: str = "Gudang terbakar") -> User:
    """From step 3 of the reporter's draft to the summary."""
    sent = await r.send(details)
    await said(env, r, PROMPT[Step.PHONE], sent.message_id)
    sent = await r.send("0812 3456 7890")
    await said(env, r, PROMPT[Step.CONFIRM], sent.message_id)
    return r


async def type_place(env: Env, r: User, words: str) -> Message:
    """Type a place at step 2 and answer "don't know" to the kecamatan; the step 3 prompt."""
    since = mark(env, r)
    await r.send(words)
    pick = await env.w.tg.wait_for(
        r,
        lambda m: (
            m.message_id > since and ("Di kecamatan mana" in m.text or "Maksud Anda" in m.text)
        ),
    )
    if "Maksud Anda" in pick.text:
        await r.press(pick, "Bukan")
        pick = await said(env, r, "Di kecamatan mana", pick.message_id)
    await r.press(pick, "Tidak tahu")
    return await said(env, r, PROMPT[Step.DETAILS], pick.message_id)


def summary_of(env: Env, r: User) -> Message:
    """The reporter's latest summary (the one with the Send button)."""
    for m in reversed(env.w.tg.bot_messages(r)):
        if PROMPT[Step.CONFIRM] in m.text and m.inline_buttons:
            return m
    raise LookupError("no summary with buttons")


async def submit(env: Env, r: User) -> tuple[str, Message]:
    """Press Send on the reporter's summary; the ticket and its dispatch card."""
    summary = summary_of(env, r)
    answer = await r.press(summary, "Kirim")
    assert answer.text is not None and answer.text.startswith("✅ SMG-"), answer
    ticket = answer.text.removeprefix("✅ ")
    return ticket, await card_of(env, ticket)


async def card_of(env: Env, ticket: str) -> Message:
    return await env.w.tg.wait_for(
        env.w.dispatch, lambda m: "📌" in m.text and f"LAPORAN {ticket}" in m.text
    )


async def filed(env: Env, r: User | None = None, **kw: Any) -> tuple[User, str, Message]:
    r = await reach(env, Step.CONFIRM, r, **kw)
    ticket, card = await submit(env, r)
    await settle(env)  # the receipt too
    return r, ticket, card


async def report_state(env: Env, ticket: str) -> CardState:
    report_id = await store.report_id_by_ticket(env.db, ticket)
    assert report_id is not None
    return await card_state(env.db, report_id)


async def settle(env: Env) -> None:
    runtime = env.w.runtime
    assert runtime is not None and runtime.outbox is not None
    async with asyncio.timeout(10):
        await env.w.tg.wait_until_delivered()
        await runtime.outbox.wait_idle()


async def alive(env: Env) -> None:
    """A normal action still works in every chat the case touched."""
    for u in env.users:
        if u.has_blocked_bot:
            continue
        sent = await u.send("/help")
        await said(env, u, "/lapor", sent.message_id, timeout=8)
    for g in [env.w.dispatch, *env.groups]:
        if env.w.tg.world.chats[g.id].bot_status not in ("member", "administrator"):
            continue
        sent = await env.w.member.send("/chatid", chat=g)
        await said(env, g, str(g.id), sent.message_id, timeout=8)


@dataclass(frozen=True)
class Baseline:
    errors: int
    outbox_id: int
    group_drafts: frozenset[int]


async def baseline(env: Env) -> Baseline:
    async with env.db.read() as tx:
        top = await tx.one("SELECT COALESCE(MAX(id), 0) AS n FROM outbox")
        drafts = await tx.all("SELECT chat_id FROM drafts WHERE chat_id < 0")
    assert top is not None
    return Baseline(
        len(env.errors.records), int(top["n"]), frozenset(int(d["chat_id"]) for d in drafts)
    )


async def check_consistency(env: Env, before: Baseline) -> None:
    """The database invariants that hostile input must never break."""
    dispatch_id = env.w.dispatch.id
    async with env.db.read() as tx:
        for r in await tx.all("SELECT * FROM reports"):
            events = await load_events(tx, r["id"])
            snap = lifecycle.replay(events)
            assert r["state"] == snap.state.value, r["ticket"]
            assert r["claimed_by"] == (snap.claimed_by.user_id if snap.claimed_by else None)
            assert r["agency"] == snap.agency
            assert r["disposition"] == (snap.disposition.value if snap.disposition else None)
            assert r["category"] and r["location_json"], f"half-written report {r['ticket']}"
            card = await tx.one("SELECT * FROM outbox WHERE id = ?", (r["card_outbox_id"],))
            assert card is not None, f"report {r['ticket']} has no card in the outbox"
            assert card["role"] == "card" and card["report_id"] == r["id"]
            assert card["chat_id"] == dispatch_id
            assert card["status"] == "sent", (r["ticket"], card["status"], card["last_error"])
        cards = await tx.all(
            "SELECT report_id, COUNT(*) AS n FROM outbox WHERE role = 'card'"
            " GROUP BY report_id HAVING n > 1"
        )
        assert not [dict(c) for c in cards], "a report got more than one card"
        mapped = await tx.all(
            "SELECT chat_id, message_id, COUNT(*) AS n FROM message_map"
            " GROUP BY chat_id, message_id HAVING n > 1"
        )
        assert not mapped
        orphans = await tx.all(
            "SELECT m.* FROM message_map m LEFT JOIN reports r ON r.id = m.report_id"
            " WHERE r.id IS NULL"
        )
        assert not orphans
        refused = await tx.all(
            "SELECT id, method, role, last_error FROM outbox WHERE status = 'failed' AND id > ?",
            (before.outbox_id,),
        )
        assert not [dict(x) for x in refused], "Telegram refused outbound messages"
        for d in await tx.all("SELECT * FROM drafts"):
            draft = Draft.model_validate_json(d["data"])
            assert (d["chat_id"], d["uid"], d["step"]) == (
                draft.chat_id,
                draft.uid,
                draft.step.value,
            )
            if d["chat_id"] < 0:
                assert d["chat_id"] in before.group_drafts, "a draft was opened in a group"
        sent_drafts = await tx.all(
            "SELECT d.chat_id FROM drafts d JOIN reports r ON r.draft_uid = d.uid"
        )
        assert not sent_drafts, "a sent draft is still open"


BOOKKEEPING = {"last_message_id", "last_callback_id"}  # what the bot notes of each update


def core(d: Draft | None) -> dict[str, Any] | None:
    """A draft's content: what the reporter gave and where they are."""
    return None if d is None else d.model_dump(exclude=BOOKKEEPING)


def same_draft(before: Draft | None, after: Draft | None) -> None:
    assert before is not None and core(after) == core(before)


# --- the cases ---------------------------------------------------------------------------

Case = Callable[..., Awaitable[None]]


def hostile(case: Case) -> Case:
    """A hostile-input test: the case, then the checks every case must pass.

    The test keeps the case's name and parameters (``env`` and any parametrized ones).
    """

    @functools.wraps(case)
    async def checked(env: Env, **params: Any) -> None:
        env.users, env.groups = [], []
        before = await baseline(env)
        await case(env, **params)
        await alive(env)
        await settle(env)
        errors = [f"{r.name}: {r.getMessage()}" for r in env.errors.records[before.errors :]]
        assert not errors, errors
        await check_consistency(env, before)

    checked.hostile_case = True  # type: ignore[attr-defined]
    return checked


def is_hostile_case(test: object) -> bool:
    return getattr(test, "hostile_case", False) is True
