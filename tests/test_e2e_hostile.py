"""End to end: "Never lose a report" under hostile input.

A table of cases, each driven through the Bot API emulator against the running bot (one
world for the module, a fresh reporter per case). After every case the runner checks
that the bot is still up (every chat the case touched still gets an answer to a normal
action), that nothing was logged at ERROR level, and that the database is consistent:
drafts valid and only in private chats, no report without its card in the outbox, every
report's state equal to the replay of its events, no duplicate message map rows, no
outbound message refused by Telegram.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import math
import re
import tomllib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.domain import lifecycle
from bot.domain.card import CardState
from bot.domain.models import Draft, Step, clean_text
from bot.runtime.app import BotRuntime
from emulator.driver import Group, Message, User
from emulator.world import JSON, CallbackQueryState
from storage import reports as store
from storage.cards import card_state
from storage.db import Database
from storage.drafts import load_draft
from storage.events import load_events
from tests import factories as f
from tests.harness import World, press_forged, world

pytestmark = pytest.mark.asyncio(loop_scope="module")

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
    """The module's running world, plus what the current case touched."""

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


def routing_with_agency_groups(path: Path, chats: dict[str, int]) -> Path:
    raw = resources.files("bot").joinpath("data/routing.toml").read_text("utf-8")
    for key, chat_id in chats.items():
        assert key in tomllib.loads(raw)["agencies"]
        raw = raw.replace(f"[agencies.{key}]\n", f"[agencies.{key}]\nchat_id = {chat_id}\n", 1)
    target = path / "routing.toml"
    target.write_text(raw, "utf-8")
    return target


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Env]:
    tmp = tmp_path_factory.mktemp("hostile")
    errors = ErrorLog()
    root = logging.getLogger()
    root.addHandler(errors)
    try:
        async with world(tmp, start_bot=False) as w:
            damkar_officer = w.tg.user("Bambang", username="damkar_bambang", language_code="id")
            bpbd_officer = w.tg.user("Wulan", username="bpbd_wulan", language_code="id")
            damkar = w.tg.group("Damkar — Piket", members=[damkar_officer])
            bpbd = w.tg.group("BPBD — Piket", members=[bpbd_officer])
            stranger = w.tg.group("Arisan RT 05", members=[w.member])
            routing = routing_with_agency_groups(tmp, {"damkar": damkar.id, "bpbd": bpbd.id})
            settings = w.settings.model_copy(update={"routing_path": routing})
            async with BotRuntime(settings, poll_timeout=1) as runtime:
                w.runtime = runtime
                yield Env(
                    w,
                    damkar,
                    bpbd,
                    damkar_officer,
                    bpbd_officer,
                    stranger,
                    errors,
                    tmp_path_factory,
                )
    finally:
        root.removeHandler(errors)


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
    n = next(_ids)
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


# --- the table ---------------------------------------------------------------------------

Case = Callable[[Env], Awaitable[None]]
CASES: list[Any] = []


def case(case_id: str, *, bug: str | None = None) -> Callable[[Case], Case]:
    """Register a case; ``bug`` marks it as a known bot bug (strict xfail)."""

    def register(fn: Case) -> Case:
        marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
        CASES.append(pytest.param(fn, id=case_id, marks=marks))
        return fn

    return register


@pytest.mark.parametrize("run", CASES)
async def test_hostile_input(env: Env, run: Case) -> None:
    env.users, env.groups = [], []
    before = await baseline(env)
    await run(env)
    await alive(env)
    await settle(env)
    errors = [f"{r.name}: {r.getMessage()}" for r in env.errors.records[before.errors :]]
    assert not errors, errors
    await check_consistency(env, before)


# --- injection: the card shows the text exactly as typed --------------------------------


@case("inj-details-card-summary")
async def _(env: Env) -> None:
    r = await reach(env, Step.CONFIRM, details=INJECTION)
    assert INJECTION in summary_of(env, r).text
    _, card = await submit(env, r)
    assert f"Keterangan:\n{INJECTION}" in card.text


@case("inj-typed-location")
async def _(env: Env) -> None:
    r = await reach(env, Step.LOCATION)
    typed = "Jl. <b>Pemuda</b> no 5 & *gang* _x_ [peta](http://e.com) </code>"
    since = mark(env, r)
    await type_place(env, r, typed)
    assert any(typed in t for t in bot_texts(env, r, since))
    await finish(env, r)
    assert typed in summary_of(env, r).text
    _, card = await submit(env, r)
    assert f"Lokasi: {typed} (diketik pelapor)" in card.text


@case("inj-reporter-names")
async def _(env: Env) -> None:
    r = person(
        env, "<b>Rina</b> *bold*", last_name="</code> &amp; _x_", username="[l](http://e.com)"
    )
    sent = await r.send("/start")
    hello = await said(env, r, "Halo", sent.message_id)
    assert "Halo <b>Rina</b> *bold*!" in hello.text
    _, _, card = await filed(env, r)
    assert "Pelapor: <b>Rina</b> *bold* </code> &amp; _x_ (@[l](http://e.com))" in card.text


@case("inj-venue-title-address")
async def _(env: Env) -> None:
    r = await reach(env, Step.LOCATION)
    title, address = "<i>Toko</i> & *Bandeng*", "</code>[x](http://e.com) _Jl._ &lt;"
    sent = await r.send_venue(-6.9839, 110.4106, title, address)
    ack = await said(env, r, "Lokasi diterima", sent.message_id)
    assert f"{title}\n{address}" in ack.text
    await finish(env, r)
    _, card = await submit(env, r)
    assert f"{title}\n{address}" in card.text
    venue = await env.w.tg.wait_for(
        env.w.dispatch, lambda m: m.venue is not None and m.reply_to_message_id == card.message_id
    )
    assert venue.venue is not None and venue.venue["title"] == title


@case("inj-dispatcher-name")
async def _(env: Env) -> None:
    n = next(_ids)
    op = env.w.tg.user("</code><b>Op", last_name="&amp; *x*", username=f"op_hostile_{n}")
    env.w.dispatch.add_member(op, status="administrator")
    r, ticket, card = await filed(env)
    since = mark(env, r)
    assert (await op.press(card, "Ambil")).text == "✅ Tercatat"
    await env.w.tg.wait_for(
        env.w.dispatch, lambda m: ticket in m.text and "DIAMBIL — </code><b>Op &amp; *x*" in m.text
    )
    await said(env, r, "sedang ditangani", since)


@case("inj-relay-both-ways")
async def _(env: Env) -> None:
    r, ticket, card = await filed(env)
    since = mark(env, env.w.dispatch)
    await r.send(INJECTION)
    posted = await said(env, env.w.dispatch, INJECTION, since)
    assert posted.reply_to_message_id == card.message_id
    since_r = mark(env, r)
    answer = "</code> *ok* &amp; <a href='x'>y</a>"
    await env.w.dispatcher.send(answer, chat=env.w.dispatch, reply_to=card)
    told = await said(env, r, answer, since_r)
    assert ticket in told.text


@case("inj-dispatch-commands")
async def _(env: Env) -> None:
    d = env.w.dispatch
    since = mark(env, d)
    await env.w.dispatcher.send("/laporan <b>SMG</b>&amp;", chat=d)
    await said(env, d, "Tiket <b>SMG</b>&amp; tidak ditemukan.", since)
    await env.w.dispatcher.send("/unblock <i>x</i>", chat=d)
    await said(env, d, "Pelapor <i>x</i> tidak dikenal.", since)
    await env.w.dispatcher.send("/laporan ' OR 1=1; DROP TABLE reports; --", chat=d)
    await said(env, d, "' OR 1=1; DROP TABLE reports; -- tidak ditemukan", since)


# --- long, invisible and odd text --------------------------------------------------------


def numbered_words(count: int, word: str = "kata") -> str:
    return " ".join(f"{word}{i:04d}<&>" for i in range(count))


@case("text-over-4096-details-reaches-card-whole")
async def _(env: Env) -> None:
    text = numbered_words(600)  # 6,000 characters, each word escaped on the way
    assert len(text) > 4096
    r = await reach(env, Step.CONFIRM, details=text)
    assert (await draft_of(env, r)) is not None
    summary = summary_of(env, r)
    assert "kata0000<&>" in summary.text
    ticket, card = await submit(env, r)
    await settle(env)
    shown = "".join(
        m.text
        for m in env.w.tg.bot_messages(env.w.dispatch)
        if m.message_id >= card.message_id and ticket in m.text
    )
    missing = [w for w in text.split() if w not in shown]
    assert not missing, missing[:5]


@case(
    "text-emoji-long-typed-place-and-details-summary-fits",
)
async def _(env: Env) -> None:
    r = await reach(env, Step.LOCATION)
    asked = await type_place(env, r, "Gang " + "🔥" * 600)
    await r.send("🚒" * 2500)
    await said(env, r, PROMPT[Step.PHONE], asked.message_id)
    await r.tap("⏭ Lewati")
    await said(env, r, PROMPT[Step.CONFIRM], asked.message_id)
    ticket, _ = await submit(env, r)
    assert ticket


@case("text-over-4096-typed-location")
async def _(env: Env) -> None:
    r = await reach(env, Step.LOCATION)
    since = mark(env, r)
    await r.send("Jalan " + "x" * 5000)
    await said(env, r, "Di kecamatan mana", since)
    d = await draft_of(env, r)
    assert d is not None and d.step is Step.LOCATION
    assert d.typed_place is not None and len(d.typed_place) == 512


@case("text-4096-from-reporter-after-sending-reaches-dispatch")
async def _(env: Env) -> None:
    r, _, card = await filed(env)
    text = numbered_words(400, "w")[:4096]
    since, since_r = mark(env, env.w.dispatch), mark(env, r)
    await r.send(text)
    await said(env, r, "Pesan diteruskan", since_r)
    await settle(env)
    posted = [m for m in env.w.tg.bot_messages(env.w.dispatch) if m.message_id > since]
    assert all(m.reply_to_message_id == card.message_id for m in posted)
    shown = " ".join(m.text for m in posted)
    missing = [w for w in text.split() if w not in shown]
    assert not missing, missing[:5]


@case("text-4096-from-dispatcher-reaches-reporter")
async def _(env: Env) -> None:
    r, _, card = await filed(env)
    await env.w.dispatcher.press(card, "Ambil")
    text = numbered_words(400, "d")[:4096]
    since = mark(env, r)
    await env.w.dispatcher.send(text, chat=env.w.dispatch, reply_to=card)
    await settle(env)
    shown = " ".join(bot_texts(env, r, since))
    missing = [w for w in text.split() if w not in shown]
    assert not missing, missing[:5]


@case("text-zero-width-and-rtl-override-are-stripped")
async def _(env: Env) -> None:
    typed = "\u200b\u202eApi\u202c di \u2066gudang\u2069\ufeff lantai\u200d 2"
    r, _, card = await filed(env, details=typed)
    assert "Keterangan:\nApi di gudang lantai 2" in card.text
    assert not any(ch in card.text for ch in "\u200b\u202e\u2066\ufeff")
    assert r is not None


@case("text-control-characters-are-stripped")
async def _(env: Env) -> None:
    typed = "\x00\x01\x07Api\x1f besar\x0b\x0c di pasar"
    _, _, card = await filed(env, details=typed)
    assert f"Keterangan:\n{clean_text(typed)}" in card.text
    assert clean_text(typed) == "Api besar di pasar"


@case("text-emoji-only-details")
async def _(env: Env) -> None:
    _, _, card = await filed(env, details="🔥🚒🔥")
    assert "Keterangan:\n🔥🚒🔥" in card.text


BOOKKEEPING = {"last_message_id", "last_callback_id"}  # what the bot notes of each update


def core(d: Draft | None) -> dict[str, Any] | None:
    """A draft's content: what the reporter gave and where they are."""
    return None if d is None else d.model_dump(exclude=BOOKKEEPING)


def _same(before: Draft | None, after: Draft | None) -> None:
    assert before is not None and core(after) == core(before)


ODD_TEXT: dict[str, str] = {
    "whitespace": " \t \n  ",
    "zero-width-only": "\u200b\u200c\u200d\u2060\ufeff",
    "emoji-only": "🔥",
    "single-char": "a",
}
ODD_EXPECT: dict[tuple[str, Step], str] = {
    # (text, step) -> what the reporter is told; the draft never changes, except details
    # (a single character or an emoji is a description) and words at the summary.
    **{(k, Step.CATEGORY): UNUSABLE for k in ODD_TEXT},
    **{(k, Step.LOCATION): "Alamat terlalu singkat" for k in ODD_TEXT},
    **{(k, Step.PHONE): "Nomor itu tidak valid" for k in ODD_TEXT},
    ("whitespace", Step.DETAILS): UNUSABLE,
    ("zero-width-only", Step.DETAILS): UNUSABLE,
    ("emoji-only", Step.DETAILS): PROMPT[Step.PHONE],
    ("single-char", Step.DETAILS): PROMPT[Step.PHONE],
}


def odd_text_case(name: str) -> Case:
    async def run(env: Env) -> None:
        text = ODD_TEXT[name]
        for step in (Step.CATEGORY, Step.LOCATION, Step.DETAILS, Step.PHONE):
            r = await reach(env, step)
            before = await draft_of(env, r)
            since = mark(env, r)
            await r.send(text)
            await said(env, r, ODD_EXPECT[(name, step)], since)
            after = await draft_of(env, r)
            if (name, step) in (("emoji-only", Step.DETAILS), ("single-char", Step.DETAILS)):
                assert after is not None and after.details == text and after.step is Step.PHONE
            else:
                _same(before, after)
                await said(env, r, PROMPT[step], since)

    return run


for _name in ODD_TEXT:
    case(f"text-{_name}-at-every-step")(odd_text_case(_name))


# --- coordinates -------------------------------------------------------------------------

NAN = math.nan
BAD_POINTS: dict[str, JSON] = {
    "nan": {"location": {"latitude": NAN, "longitude": 110.42}},
    "lat-91": {"location": {"latitude": 91, "longitude": 110.42}},
    "lon-minus-181": {"location": {"latitude": -6.99, "longitude": -181}},
    "strings": {"location": {"latitude": "abc", "longitude": "-6,99"}},
    "nulls": {"location": {"latitude": None, "longitude": None}},
    "lat-null": {"location": {"latitude": None, "longitude": 110.42}},
    "infinite-accuracy": {
        "location": {"latitude": -6.99, "longitude": 110.42, "horizontal_accuracy": "inf"}
    },
    "venue-nan": {
        "venue": {
            "location": {"latitude": NAN, "longitude": NAN},
            "title": "Lawang Sewu",
            "address": "Jl. Pemuda",
        },
        "location": {"latitude": NAN, "longitude": NAN},
    },
}


def bad_point_at_location(name: str) -> Case:
    async def run(env: Env) -> None:
        r = await reach(env, Step.LOCATION)
        before = await draft_of(env, r)
        since = mark(env, r)
        inject(env, r, BAD_POINTS[name], keep=False)
        reply = await said(env, r, INVALID_LOCATION, since)
        assert PROMPT[Step.LOCATION] in reply.text
        _same(before, await draft_of(env, r))

    return run


for _name in BAD_POINTS:
    case(f"geo-{_name}-at-location-step")(bad_point_at_location(_name))


@case(
    "geo-venue-without-location",
)
async def _(env: Env) -> None:
    r = await reach(env, Step.LOCATION)
    before = await draft_of(env, r)
    since = mark(env, r)
    inject(env, r, {"venue": {"location": None, "title": "X", "address": "Y"}}, keep=False)
    await said(env, r, INVALID_LOCATION, since)
    _same(before, await draft_of(env, r))


@case("geo-out-of-range-at-other-steps-and-without-draft")
async def _(env: Env) -> None:
    for step in (Step.CATEGORY, Step.DETAILS, Step.PHONE, Step.CONFIRM):
        r = await reach(env, step)
        before = await draft_of(env, r)
        since = mark(env, r)
        inject(env, r, BAD_POINTS["lat-91"], keep=False)
        await said(env, r, INVALID_LOCATION, since)
        await said(env, r, PROMPT[step], since)
        _same(before, await draft_of(env, r))
    r = person(env)
    since = mark(env, r)
    inject(env, r, BAD_POINTS["nan"], keep=False)  # would be an SOS, were it a valid point
    await said(env, r, INVALID_LOCATION, since)
    assert await draft_of(env, r) is None


@case("geo-edge-of-the-world-is-kept-and-forwarded")
async def _(env: Env) -> None:
    r = await reach(env, Step.LOCATION)
    since = mark(env, r)
    await r.send_location(90, 180)
    await said(env, r, "di luar Kota Semarang", since)
    await finish(env, r)
    _, card = await submit(env, r)
    assert "90.000000, 180.000000" in card.text


@case("geo-live-location-edited-to-nan-keeps-last-point")
async def _(env: Env) -> None:
    r = await reach(env, Step.LOCATION)
    live = await r.send_location(-6.9905, 110.4229, live_period=900)
    await said(env, r, PROMPT[Step.DETAILS], live.message_id)
    before = await draft_of(env, r)
    bad = dict(live.raw)
    bad["location"] = {"latitude": NAN, "longitude": 400, "live_period": 900}
    bad["edit_date"] = env.w.tg.world.now()
    env.w.tg.world.enqueue_update("edited_message", bad)
    await r.send("/help")  # handled after the edit (one chat, in order)
    await said(env, r, "/lapor", live.message_id)
    _same(before, await draft_of(env, r))


@case(
    "geo-location-without-latitude-does-not-stall-the-bot",
)
async def _(env: Env) -> None:
    async with world(env.tmp.mktemp("poison")) as w2:
        r = w2.reporter
        sent = await r.send("/lapor")
        await w2.tg.wait_for(r, lambda m: m.message_id > sent.message_id and "Langkah 1" in m.text)
        record = w2.tg.world.chats[r.id]
        mid = record.next_message_id
        record.next_message_id += 1
        poison = w2.tg.world.enqueue_update(
            "message",
            {
                "message_id": mid,
                "from": r.data,
                "chat": record.to_json(),
                "date": w2.tg.world.now(),
                "location": {"longitude": 110.42},
            },
        )
        try:
            other = w2.member
            sent = await other.send("/help")
            await w2.tg.wait_for(
                other, lambda m: m.message_id > sent.message_id and "/lapor" in m.text, timeout=3
            )
        finally:
            # The bot's shutdown fetches pending updates once more and would fail on the
            # same update (leaving the database open): take it out of the queue first.
            if poison in w2.tg.world.updates:
                w2.tg.world.updates.remove(poison)


# --- forged, truncated and misplaced buttons ---------------------------------------------


def uid_of(draft: Draft | None) -> str:
    assert draft is not None
    return draft.uid


def forged_private(uid: str) -> dict[str, list[str]]:
    """Forged data per prefix, pressed by a reporter at step 1 of a draft with ``uid``."""
    return {
        "m": ["m1:", "m1:nuke", "m2:report", "m1:report:x", "m"],
        "l": ["l1:", "l1:fr", "l9:en", "l1:en:x", "l1:' OR 1=1 --"],
        "c": [
            "c1:",
            f"c1:{uid}:",
            f"c1:{uid}:nuclear",
            f"c1:{uid}:fire:x",
            "c1:ZZZZZZZZ:fire",
            "c1:'; DROP TABLE drafts;--:fire",
            f"c2:{uid}:fire",
        ],
        "d": ["d1:", f"d1:{uid}:launch", "d1:00000000:send", f"d1:{uid}:send", f"d0:{uid}:cancel"],
        "e": ["e1:", f"e1:{uid}:location", f"e1:{uid}:ticket", f"e1:{uid.upper()}:phone"],
        "p": ["p1:", f"p1:{uid}:-1", f"p1:{uid}:9", f"p1:{uid}:-2", f"p1:{uid}:{HUGE}"],
        "q": ["q1:", f"q1:{uid}:00", f"q1:{uid}:99", f"q1:{uid}:01' --", f"q1:{uid}:1"],
        "r": ["r1:", "r1:-1", "r1:0", "r1:abc", "r1:1 OR 1=1", f"r1:{HUGE}"],
        "k": ["k1:", "k1:1:claim", f"k1:{HUGE}:claim", "k9:1:claim"],
        "a": ["a1:", "a1:1:damkar", f"a1:{HUGE}:damkar"],
        "x": ["x1:", "x1:1:prank", "x1:-1:resolved"],
        "o": ["o1:", "o1:1:done", f"o1:{HUGE}:done"],
        "v": ["v1:", "v1:1:fire", "v1:-1:skip", "v1:1:FIRE", "v1:x:skip"],
        "g": ["g1:", "g1:1", "g1:-1", "g1:abc", "g1:1:2"],
        "other": ["", "zz", "💥" * 10, "k" + "9" * 63, "\x00", "c1:" + "a" * 200],
    }


PRIVATE_REFUSALS = (STALE, NOT_DISPATCHER, NOT_OFFICER)


def forged_in_private(prefix: str, *, bug: str | None = None) -> None:
    async def run(env: Env) -> None:
        r = await reach(env, Step.CATEGORY)
        ask = env.w.tg.bot_messages(r)[-1]
        before = await draft_of(env, r)
        for data in forged_private(uid_of(before))[prefix]:
            answer = await press_forged(env.w, r, ask, data)
            assert answer in PRIVATE_REFUSALS or (answer or "").startswith(PRIVATE_REFUSALS), (
                data,
                answer,
            )
            assert core(await draft_of(env, r)) == core(before), data
        assert (await r.press(ask, "Kebakaran")).text is None  # the real button still works
        after = await draft_of(env, r)
        assert after is not None and after.step is Step.LOCATION

    case(f"cb-forged-{prefix}-in-private", bug=bug)(run)


for _prefix in ("m", "l", "c", "d", "e", "p", "q", "k", "a", "x", "o", "v", "g", "other"):
    forged_in_private(_prefix)
forged_in_private("r")


@case(
    "cb-huge-report-ids-on-a-card",
)
async def _(env: Env) -> None:
    _, ticket, card = await filed(env)
    for data in (f"k1:{HUGE}:claim", f"k1:{HUGE}:close", f"a1:{HUGE}:damkar", f"x1:{HUGE}:prank"):
        assert await press_forged(env.w, env.w.dispatcher, card, data) == STALE, data
    assert (await report_state(env, ticket)).snapshot.state.value == "received"


@case("cb-negative-and-unknown-report-ids-on-a-card")
async def _(env: Env) -> None:
    _, ticket, card = await filed(env)
    for data in ("k1:-1:claim", "k1:0:close", "a1:-5:damkar", "x1:999999:prank", "k1:1:fly"):
        assert await press_forged(env.w, env.w.dispatcher, card, data) == STALE, data
    assert (await report_state(env, ticket)).snapshot.state.value == "received"


@case("cb-card-buttons-by-member-and-by-reporter")
async def _(env: Env) -> None:
    r, ticket, card = await filed(env)
    state = await report_state(env, ticket)
    rid = state.report.id
    answer = await env.w.member.press(card, "Ambil")
    assert answer.show_alert and NOT_DISPATCHER in (answer.text or "")
    for data in (f"k1:{rid}:claim", f"a1:{rid}:damkar", f"x1:{rid}:prank"):
        assert NOT_DISPATCHER in (await press_forged(env.w, env.w.member, card, data) or "")
        assert NOT_DISPATCHER in (await press_forged(env.w, r, card, data) or "")
    receipt = await said(env, r, ticket, 0)
    for data in (f"k1:{rid}:claim", f"x1:{rid}:resolved"):
        assert NOT_DISPATCHER in (await press_forged(env.w, r, receipt, data) or "")
    assert (await report_state(env, ticket)).snapshot.state.value == "received"
    assert len((await report_state(env, ticket)).events) == len(state.events)


@case("cb-officer-buttons-from-the-wrong-chat")
async def _(env: Env) -> None:
    r, ticket, card = await filed(env)
    rid = (await report_state(env, ticket)).report.id
    await env.w.dispatcher.press(card, "Ambil")
    card = await env.w.tg.wait_for(
        env.w.dispatch, lambda m: ticket in m.text and "DIAMBIL" in m.text
    )
    await env.w.dispatcher.press(card, "Kirim instansi")
    await env.w.dispatcher.press(await env.w.tg.wait_for_edit(card), "Damkar")
    copy = await env.w.tg.wait_for(env.damkar, lambda m: ticket in m.text and "Tugas" in m.text)
    env.groups += [env.damkar, env.bpbd]
    since = mark(env, env.bpbd)
    await env.bpbd_officer.send("/chatid", chat=env.bpbd)
    elsewhere = await said(env, env.bpbd, str(env.bpbd.id), since)
    # BPBD was not sent: its officer cannot move the report, from BPBD's group.
    for verb in ("en_route", "on_scene", "done", "backup"):
        answer = await press_forged(env.w, env.bpbd_officer, elsewhere, f"o1:{rid}:{verb}")
        assert answer, verb
        assert "Tercatat" not in answer, verb
    # Officer buttons in the dispatch group, in a private chat, in a stranger group.
    for who, msg in ((env.w.dispatcher, card), (r, summary_of_any(env, r))):
        assert await press_forged(env.w, who, msg, f"o1:{rid}:on_scene") == (
            "Tombol ini untuk petugas instansi yang ditugaskan."
        )
    state = await report_state(env, ticket)
    assert state.snapshot.state.value == "dispatched" and state.snapshot.agency == "damkar"
    # The damkar officer on its own copy still works.
    assert (await env.damkar_officer.press(copy, "Berangkat")).text == "✅ Tercatat"


def summary_of_any(env: Env, r: User) -> Message:
    return env.w.tg.bot_messages(r)[-1]


@case(
    "cb-language-button-forged-on-a-card",
)
async def _(env: Env) -> None:
    _, ticket, card = await filed(env)
    version = card.stored.version
    answer = await press_forged(env.w, env.w.member, card, "l1:en")
    assert answer
    await asyncio.sleep(0.2)
    assert card.stored.version == version and f"LAPORAN {ticket}" in card.text, card.text[:80]
    assert card.inline_buttons


@case(
    "cb-menu-report-forged-in-the-dispatch-group",
)
async def _(env: Env) -> None:
    _, _, card = await filed(env)
    since = mark(env, env.w.dispatch)
    await press_forged(env.w, env.w.member, card, "m1:report")  # answered (empty is fine)
    await asyncio.sleep(0.3)
    assert not [t for t in bot_texts(env, env.w.dispatch, since) if PROMPT[Step.CATEGORY] in t]
    assert (await load_draft(env.db, env.w.dispatch.id)) is None


@case(
    "cb-send-with-another-reporters-draft-uid",
)
async def _(env: Env) -> None:
    a = await reach(env, Step.CONFIRM)
    data = summary_of(env, a).button("Kirim").callback_data
    assert data is not None
    ticket_a, _ = await submit(env, a)
    b = await reach(env, Step.CATEGORY)
    before = await draft_of(env, b)
    answer = await press_forged(env.w, b, env.w.tg.bot_messages(b)[-1], data)
    assert answer == STALE and ticket_a not in (answer or "")
    _same(before, await draft_of(env, b))
    assert len(await store.reports_of(env.db, b.id)) == 0


@case("cb-close-menu-on-an-inaccessible-card")
async def _(env: Env) -> None:
    _, ticket, card = await filed(env)
    rid = (await report_state(env, ticket)).report.id
    gone = {"chat": env.w.dispatch.chat.to_json(), "message_id": card.message_id, "date": 0}
    version = card.stored.version
    qid = forged_query(env, env.w.dispatcher, gone, f"k1:{rid}:close")
    await env.w.tg.wait_for_answer(qid)
    menu = await env.w.tg.wait_for_edit(card)
    assert card.stored.version > version and "Alarm palsu" in str(menu.inline_buttons)


@case("cb-send-on-an-inaccessible-summary")
async def _(env: Env) -> None:
    r = await reach(env, Step.CONFIRM)
    summary = summary_of(env, r)
    data = summary.button("Kirim").callback_data
    gone = {
        "chat": env.w.tg.world.chats[r.id].to_json(),
        "message_id": summary.message_id,
        "date": 0,
    }
    since = mark(env, r)
    qid = forged_query(env, r, gone, data)
    answer = await env.w.tg.wait_for_answer(qid)
    assert (answer.text or "").startswith("✅ SMG-")
    await said(env, r, "diterima", since)  # the receipt
    await settle(env)
    assert not [t for t in bot_texts(env, r, since) if "terjadi gangguan" in t]


@case("cb-game-query-without-data")
async def _(env: Env) -> None:
    r = await reach(env, Step.CATEGORY)
    before = await draft_of(env, r)
    msg = env.w.tg.bot_messages(r)[-1]
    qid = forged_query(env, r, msg.raw, None, game_short_name="tetris")
    answer = await env.w.tg.wait_for_answer(qid)
    assert answer.text == STALE
    _same(before, await draft_of(env, r))


# --- the dispatch group and strangers' groups --------------------------------------------


@case("grp-replies-to-unrelated-messages-are-not-relayed")
async def _(env: Env) -> None:
    r, _, _card = await filed(env)
    d = env.w.dispatch
    since_r = mark(env, r)
    chatter = inject(env, env.w.member, {"text": "makan siang di mana?"}, chat=d)
    inject(
        env,
        env.w.dispatcher,
        {"text": "warung padang", "reply_to_message": dict(chatter)},
        chat=d,
    )
    since = mark(env, d)
    await env.w.member.send("/chatid", chat=d)
    notice = await said(env, d, str(d.id), since)
    await env.w.dispatcher.send("terima kasih bot", chat=d, reply_to=notice)
    await env.w.dispatcher.send("/antrian", chat=d)
    queue = await said(env, d, "Antrian", since)
    await env.w.dispatcher.send("oke", chat=d, reply_to=queue)
    await asyncio.sleep(0.3)
    assert bot_texts(env, r, since_r) == []


@case("grp-reply-to-the-card-of-a-closed-report")
async def _(env: Env) -> None:
    r, ticket, card = await filed(env)
    await env.w.dispatcher.press(card, "Tutup")
    menu = await env.w.tg.wait_for_edit(card)
    await env.w.dispatcher.press(menu, "Alarm palsu")
    closed = await env.w.tg.wait_for(
        env.w.dispatch, lambda m: ticket in m.text and "DITUTUP" in m.text
    )
    await settle(env)
    since = mark(env, r)
    words = "Unit kami cek ulang besok pagi"
    await env.w.dispatcher.send(words, chat=env.w.dispatch, reply_to=closed)
    assert ticket in (await said(env, r, words, since)).text
    since = mark(env, r)
    await r.send("tapi apinya masih ada!")
    await said(env, r, NO_DRAFT, since)
    assert (await report_state(env, ticket)).snapshot.state.value == "closed"


@case("grp-media-replies-to-a-card-are-copied")
async def _(env: Env) -> None:
    r, ticket, card = await filed(env)
    d = env.w.dispatch
    since = mark(env, r)
    await env.w.dispatcher.send_sticker(chat=d)  # not a reply: not seen, not relayed
    await env.w.dispatcher.send_photo(caption="<b>peta</b>", chat=d, reply_to=card)
    inject(
        env,
        env.w.dispatcher,
        {"dice": {"emoji": "🎲", "value": 3}, "reply_to_message": dict(card.raw)},
        chat=d,
    )
    await said(env, r, ticket, since)
    await env.w.tg.wait_for(r, lambda m: m.message_id > since and m.caption == "<b>peta</b>")
    await env.w.tg.wait_for(r, lambda m: m.message_id > since and "dice" in m.raw)


@case("grp-commands-in-a-strangers-group-leak-nothing")
async def _(env: Env) -> None:
    _, ticket, _ = await filed(env)
    g = env.stranger
    env.groups.append(g)
    since = mark(env, g)
    for text in ("/antrian", f"/laporan {ticket}", "/unblock 7001", "/status", "/batal", "/xyz"):
        await env.w.member.send(text, chat=g)
    await env.w.member.send("/lapor sekarang", chat=g)
    await said(env, g, "chat pribadi", since)
    await env.w.member.send("/start@othername_bot", chat=g)
    texts = bot_texts(env, g, since)
    assert not [t for t in texts if ticket in t or "Antrian" in t], texts


@case("grp-replies-in-a-strangers-group-are-ignored")
async def _(env: Env) -> None:
    r, _, _ = await filed(env)
    g = env.stranger
    env.groups.append(g)
    since = mark(env, g)
    await env.w.member.send("/chatid", chat=g)
    notice = await said(env, g, str(g.id), since)
    since_r = mark(env, r)
    await env.w.member.send("balas ke bot", chat=g, reply_to=notice)
    await env.w.member.send_photo(caption="foto", chat=g, reply_to=notice)
    await asyncio.sleep(0.3)
    assert bot_texts(env, r, since_r) == []


@case("grp-bot-added-to-and-removed-from-a-random-group")
async def _(env: Env) -> None:
    n = next(_ids)
    g = env.w.tg.group(f"<b>Grup</b> acak {n}", members=[env.w.member], add_bot=False)
    env.w.tg.add_bot_to_group(g, by=env.w.member)
    await said(env, g, str(g.id), 0)
    env.groups.append(g)
    since = mark(env, g)
    await env.w.member.send("/lapor", chat=g)
    await said(env, g, "chat pribadi", since)
    h = env.w.tg.group(f"Grup lain {n}", members=[env.w.member])
    env.w.tg.remove_bot_from_group(h, by=env.w.member)
    inject(env, env.w.member, {"text": "/chatid", "entities": [_cmd(7)]}, chat=h, keep=False)


def _cmd(length: int) -> JSON:
    return {"type": "bot_command", "offset": 0, "length": length}


@case(
    "grp-unblock-with-a-huge-user-id",
)
async def _(env: Env) -> None:
    d = env.w.dispatch
    since = mark(env, d)
    await env.w.dispatcher.send(f"/unblock {HUGE}", chat=d)
    await said(env, d, "tidak dikenal", since)


@case("grp-unblock-by-a-member-and-odd-arguments")
async def _(env: Env) -> None:
    d = env.w.dispatch
    since = mark(env, d)
    await env.w.member.send("/unblock 7001", chat=d)  # not a dispatcher: silence
    await env.w.dispatcher.send("/unblock -", chat=d)
    await said(env, d, "Pelapor - tidak dikenal", since)
    await env.w.dispatcher.send("/unblock @", chat=d)
    await said(env, d, "Pelapor @ tidak dikenal", since)
    assert not [t for t in bot_texts(env, d, since) if "dapat melapor lagi" in t]


@case("grp-command-as-a-reply-to-a-card-is-not-relayed")
async def _(env: Env) -> None:
    r, _, card = await filed(env)
    since_r, since = mark(env, r), mark(env, env.w.dispatch)
    await env.w.dispatcher.send("/antrian", chat=env.w.dispatch, reply_to=card)
    await said(env, env.w.dispatch, "Antrian", since)
    await asyncio.sleep(0.2)
    assert bot_texts(env, r, since_r) == []


@case("upd-updates-the-bot-has-no-handler-for")
async def _(env: Env) -> None:
    world = env.w.tg.world
    u = person(env)
    channel = world.add_group("Kanal Berita", chat_type="channel")
    world.enqueue_update(
        "channel_post",
        {"message_id": 1, "chat": channel.to_json(), "date": world.now(), "text": "/lapor"},
    )
    world.enqueue_update(
        "poll_answer",
        {"poll_id": "p1", "user": u.data, "option_ids": [0], "option_persistent_ids": ["0"]},
    )
    world.enqueue_update(
        "inline_query", {"id": "iq1", "from": u.data, "query": "<b>", "offset": ""}
    )
    world.enqueue_update(
        "message_reaction",
        {
            "chat": world.chats[u.id].to_json(),
            "message_id": 1,
            "user": u.data,
            "date": world.now(),
            "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": "🔥"}],
        },
    )
    await asyncio.sleep(0.2)


# --- anything at any step ----------------------------------------------------------------

Act = Callable[[Env, User], Awaitable[object]]


async def _dice(env: Env, r: User) -> None:
    inject(env, r, {"dice": {"emoji": "🎲", "value": 6}})


async def _unknown(env: Env, r: User) -> None:
    inject(env, r, {"hologram": {"id": 1, "depth": "∞"}})


async def _other_contact(env: Env, r: User) -> None:
    await r.send_contact("+62 812-9999-0000", "Budi", last_name="<b>Tetangga</b>", user_id=0)


async def _sticker(env: Env, r: User) -> None:
    await r.send_sticker()


async def _poll(env: Env, r: User) -> None:
    await r.send_poll("<b>Siapa?</b>", ["a", "b"])


async def _voice(env: Env, r: User) -> None:
    await r.send_voice(caption="</code>")


async def _document(env: Env, r: User) -> None:
    await r.send_document("<script>.pdf", caption="*dok*")


async def _animation(env: Env, r: User) -> None:
    await r.send_animation()


# kind -> (act, what the reporter is told, what happens to the draft)
KINDS: dict[str, tuple[Act, str, str]] = {
    "sticker": (lambda e, r: _sticker(e, r), "stiker " + UNUSABLE, "same"),
    "poll": (lambda e, r: _poll(e, r), "polling " + UNUSABLE, "same"),
    "dice": (_dice, "pesan seperti ini " + UNUSABLE, "same"),
    "unknown-type": (_unknown, "pesan seperti ini " + UNUSABLE, "same"),
    "voice": (_voice, "Pesan suara diterima", "attachment"),
    "document": (_document, "Dokumen diterima", "attachment"),
    "animation": (_animation, "diterima", "attachment"),
    "contact-of-someone-else": (_other_contact, "+6281299990000", "phone"),
}


def kind_at_every_step(name: str) -> Case:
    act, needle, effect = KINDS[name]

    async def run(env: Env) -> None:
        for step in Step:
            r = await reach(env, step)
            before = await draft_of(env, r)
            assert before is not None
            since = mark(env, r)
            await act(env, r)
            await said(env, r, needle, since)
            after = await draft_of(env, r)
            assert after is not None
            if effect == "same":
                assert core(after) == core(before), step
            elif effect == "attachment":
                assert len(after.attachments) == len(before.attachments) + 1, step
                rest = after.model_copy(update={"attachments": before.attachments})
                if after.details != before.details:  # a caption is kept as words
                    rest = rest.model_copy(update={"details": before.details})
                assert core(rest) == core(before), step
            else:
                assert after.phone == "+6281299990000", step
                moved = Step.CONFIRM if step is Step.PHONE else step
                assert after.step is moved, step
            expected = Step.CONFIRM if (effect == "phone" and step is Step.PHONE) else step
            await said(env, r, PROMPT[expected], since)
        r = person(env)
        since = mark(env, r)
        await act(env, r)
        await said(env, r, NO_DRAFT, since)
        assert await draft_of(env, r) is None

    return run


for _kind in KINDS:
    case(f"media-{_kind}-at-every-step-and-without-draft")(kind_at_every_step(_kind))


# --- commands in the middle of the flow --------------------------------------------------

COMMANDS: dict[str, str] = {
    "/start": "Halo",
    "/start@semarang112_bot": "Halo",
    "/start <b>x</b> extra": "Halo",
    "/start lapor": "sedang membuat laporan",
    "/lapor sekarang juga": "sedang membuat laporan",
    "/help": "Perintah",
    "/language": "Choose a language",
    "/status": "belum pernah membuat laporan",
    "/xyz": "Perintah tidak dikenal",
    "/start@othername_bot": "Perintah tidak dikenal",
}


def command_at_every_step(command: str) -> Case:
    async def run(env: Env) -> None:
        for step in Step:
            r = await reach(env, step)
            before = await draft_of(env, r)
            since = mark(env, r)
            await r.send(command)
            await said(env, r, COMMANDS[command], since)
            _same(before, await draft_of(env, r))

    return run


for _command in COMMANDS:
    _slug = re.sub(r"[^a-z0-9]+", "-", _command.lower()).strip("-")
    case(f"cmd-{_slug}-mid-flow")(command_at_every_step(_command))


@case("cmd-batal-with-arguments-cancels-and-nothing-is-sent")
async def _(env: Env) -> None:
    r = await reach(env, Step.CONFIRM)
    since = mark(env, r)
    await r.send("/batal sekarang <b>juga</b>")
    await said(env, r, "Laporan dibatalkan", since)
    assert await draft_of(env, r) is None
    assert await store.reports_of(env.db, r.id) == []


# --- edited messages never move a step ---------------------------------------------------

EDIT_TO = {
    Step.CATEGORY: "kebakaran",
    Step.LOCATION: "Jl. Pemuda 150 dekat Lawang Sewu",
    Step.DETAILS: "Api besar di lantai dua",
    Step.PHONE: "0812 9999 8888",
    Step.CONFIRM: "tambahan keterangan",
}


@case("edit-text-at-every-step-changes-nothing")
async def _(env: Env) -> None:
    for step in Step:
        r = await reach(env, step)
        before = await draft_of(env, r)
        mine = [m for m in env.w.tg.messages(r) if not m.is_from_bot and "text" in m.raw]
        for m in mine:
            await r.edit(m, EDIT_TO[step])
        sent = await r.send("/help")
        await said(env, r, "Perintah", sent.message_id)
        _same(before, await draft_of(env, r))
        since = mine[0].message_id
        assert not [t for t in bot_texts(env, r, since) if "tidak dikenal" in t]


@case("edit-into-batal-does-not-cancel")
async def _(env: Env) -> None:
    r = await reach(env, Step.DETAILS)
    before = await draft_of(env, r)
    first = next(m for m in env.w.tg.messages(r) if not m.is_from_bot)
    await r.edit(first, "/batal")
    sent = await r.send("/help")
    await said(env, r, "Perintah", sent.message_id)
    _same(before, await draft_of(env, r))


@case("edit-of-a-static-location-and-of-old-details-after-sending")
async def _(env: Env) -> None:
    r = await reach(env, Step.CONFIRM, details="Rumah roboh")
    pin = next(m for m in env.w.tg.messages(r) if m.location is not None)
    words = next(m for m in env.w.tg.messages(r) if m.text == "Rumah roboh")
    ticket, _ = await submit(env, r)
    since = mark(env, env.w.dispatch)
    env.w.tg.world.edit_message(pin.stored, {"location": {"latitude": -7.0, "longitude": 110.3}})
    env.w.tg.world.enqueue_update("edited_message", pin.raw)
    await r.edit(words, "Rumah roboh, DUA korban <b>meninggal</b>")
    sent = await r.send("/help")
    await said(env, r, "Perintah", sent.message_id)
    state = await report_state(env, ticket)
    assert state.report.details == "Rumah roboh"
    assert state.report.location is not None and state.report.location.lat == f.SIMPANG_LIMA[0]
    await asyncio.sleep(0.2)
    assert not [t for t in bot_texts(env, env.w.dispatch, since) if "korban" in t]


# --- the same update twice ---------------------------------------------------------------


@case("dup-details-message-delivered-twice")
async def _(env: Env) -> None:
    r = await reach(env, Step.DETAILS)
    since = mark(env, r)
    payload = inject(env, r, {"text": "Api di lantai dua"})
    await said(env, r, PROMPT[Step.PHONE], since)
    env.w.tg.world.enqueue_update("message", payload)
    sent = await r.send("/help")
    await said(env, r, "Perintah", sent.message_id)
    d = await draft_of(env, r)
    assert d is not None and d.details == "Api di lantai dua" and d.step is Step.PHONE
    assert d.phone is None
    assert not [t for t in bot_texts(env, r, since) if "tidak valid" in t]
    await r.send("⏭ Lewati")
    await said(env, r, PROMPT[Step.CONFIRM], sent.message_id)
    ticket, card = await submit(env, r)
    assert len(await store.reports_of(env.db, r.id)) == 1
    assert "Keterangan:\nApi di lantai dua\n" in card.text and ticket in card.text


@case("dup-summary-words-delivered-twice")
async def _(env: Env) -> None:
    r = await reach(env, Step.CONFIRM)
    since = mark(env, r)
    payload = inject(env, r, {"text": "Ada korban terjebak"})
    await said(env, r, "Ada korban terjebak", since)
    env.w.tg.world.enqueue_update("message", payload)
    sent = await r.send("/help")
    await said(env, r, "Perintah", sent.message_id)
    d = await draft_of(env, r)
    assert d is not None and d.details == "Gudang terbakar\nAda korban terjebak"


@case("dup-location-delivered-twice")
async def _(env: Env) -> None:
    r = await reach(env, Step.LOCATION)
    since = mark(env, r)
    payload = inject(env, r, {"location": {"latitude": -6.98, "longitude": 110.41}})
    await said(env, r, PROMPT[Step.DETAILS], since)
    env.w.tg.world.enqueue_update("message", payload)
    sent = await r.send("/help")
    await said(env, r, "Perintah", sent.message_id)
    d = await draft_of(env, r)
    assert d is not None and d.step is Step.DETAILS
    assert d.location is not None and (d.location.lat, d.location.lon) == (-6.98, 110.41)


@case(
    "dup-send-callback-delivered-twice",
)
async def _(env: Env) -> None:
    r = await reach(env, Step.CONFIRM)
    summary = summary_of(env, r)
    data = summary.button("Kirim").callback_data
    world = env.w.tg.world
    qid = forged_query(env, r, summary.raw, data)
    update = world.updates[-1]
    answer = await env.w.tg.wait_for_answer(qid)
    assert (answer.text or "").startswith("✅ SMG-")
    ticket = (answer.text or "").removeprefix("✅ ")
    world.enqueue_update("callback_query", update["callback_query"])  # redelivered
    await settle(env)
    await asyncio.sleep(0.2)
    assert [x.ticket for x in await store.reports_of(env.db, r.id)] == [ticket]
    cards = [m for m in env.w.tg.bot_messages(env.w.dispatch) if f"LAPORAN {ticket}" in m.text]
    assert len(cards) == 1


@case("dup-send-double-tap-and-send-after-cancel")
async def _(env: Env) -> None:
    r = await reach(env, Step.CONFIRM)
    summary = summary_of(env, r)
    first = r.press_nowait(summary, "Kirim")
    second = r.press_nowait(summary, "Kirim")
    texts = [
        (await env.w.tg.wait_for_answer(first.id)).text or "",
        (await env.w.tg.wait_for_answer(second.id)).text or "",
    ]
    assert sum(t.startswith("✅ SMG-") for t in texts) == 1, texts
    assert len(await store.reports_of(env.db, r.id)) == 1
    r2 = await reach(env, Step.CONFIRM)
    old = summary_of(env, r2)
    data = old.button("Kirim").callback_data
    assert data is not None
    since = mark(env, r2)
    await r2.send("/batal")
    await said(env, r2, "dibatalkan", since)
    assert await press_forged(env.w, r2, old, data) == STALE
    assert await store.reports_of(env.db, r2.id) == []


async def test_the_table_is_large_enough() -> None:
    ids = [p.id for p in CASES]
    assert len(ids) == len(set(ids)) >= 40
