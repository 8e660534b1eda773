"""Reporters, drafts, reports, events, attachments and the message↔report map."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from bot.domain import lifecycle
from bot.domain.categories import Category
from bot.domain.lifecycle import Event, ReporterActor, ReportSnapshot, ReportState
from bot.domain.models import (
    MAX_DETAILS_CHARS,
    Attachment,
    Draft,
    Language,
    Report,
    Reporter,
    ReportLocation,
    format_ticket,
    from_iso,
    utc_iso,
)
from storage.db import Database, Row, Tx
from storage.outbox import OutboundMessage, enqueue

SUBMITTED = ReportState.SUBMITTED.value
SOS_FIRST_QUESTION = "category"


# --- reporters ---------------------------------------------------------------------------


async def upsert_reporter(tx: Tx, reporter: Reporter, now: datetime) -> None:
    """Insert or refresh what Telegram tells about a reporter (choices are kept)."""
    await tx.execute(
        """
        INSERT INTO reporters (user_id, first_name, last_name, username, client_language,
                               created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (user_id) DO UPDATE SET
            first_name = excluded.first_name, last_name = excluded.last_name,
            username = excluded.username, client_language = excluded.client_language,
            updated_at = excluded.updated_at
        """,
        (
            reporter.user_id,
            reporter.first_name,
            reporter.last_name,
            reporter.username,
            reporter.client_language,
            utc_iso(now),
            utc_iso(now),
        ),
    )


def _reporter(row: Row) -> Reporter:
    return Reporter(
        user_id=row["user_id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        username=row["username"],
        client_language=row["client_language"],
        language=row["language"],
        phone=row["phone"],
    )


async def get_reporter(db: Database, user_id: int) -> Reporter | None:
    """A stored reporter, or None."""
    async with db.read() as tx:
        row = await tx.one("SELECT * FROM reporters WHERE user_id = ?", (user_id,))
    return _reporter(row) if row else None


async def touch_reporter(db: Database, reporter: Reporter, now: datetime) -> Reporter:
    """Record the reporter as Telegram describes them; return the stored view."""
    async with db.transaction() as tx:
        await upsert_reporter(tx, reporter, now)
        row = await tx.one("SELECT * FROM reporters WHERE user_id = ?", (reporter.user_id,))
    assert row is not None
    return _reporter(row)


async def set_language(db: Database, user_id: int, language: Language) -> None:
    """Remember a reporter's explicit language choice."""
    async with db.transaction() as tx:
        await tx.execute("UPDATE reporters SET language = ? WHERE user_id = ?", (language, user_id))


# --- drafts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredDraft:
    """A draft and when it expires."""

    draft: Draft
    expires_at: datetime


async def load_draft(db: Database, chat_id: int) -> StoredDraft | None:
    """The draft of a private chat, expired or not."""
    async with db.read() as tx:
        row = await tx.one("SELECT data, expires_at FROM drafts WHERE chat_id = ?", (chat_id,))
    if row is None:
        return None
    return StoredDraft(Draft.model_validate_json(row["data"]), from_iso(row["expires_at"]))


async def save_draft(db: Database, draft: Draft, now: datetime, ttl: timedelta) -> None:
    """Store the draft after an answer; its idle expiry moves forward."""
    async with db.transaction() as tx:
        await tx.execute(
            """
            INSERT INTO drafts (chat_id, user_id, uid, step, data, created_at, updated_at,
                                expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (chat_id) DO UPDATE SET
                user_id = excluded.user_id, uid = excluded.uid, step = excluded.step,
                data = excluded.data, updated_at = excluded.updated_at,
                expires_at = excluded.expires_at
            """,
            (
                draft.chat_id,
                draft.user_id,
                draft.uid,
                draft.step.value,
                draft.model_dump_json(),
                utc_iso(now),
                utc_iso(now),
                utc_iso(now + ttl),
            ),
        )


async def delete_draft(db: Database, chat_id: int, uid: str | None = None) -> bool:
    """Remove a chat's draft (only the one named by ``uid`` if given); True if removed."""
    async with db.transaction() as tx:
        if uid is None:
            cur = await tx.execute("DELETE FROM drafts WHERE chat_id = ?", (chat_id,))
        else:
            cur = await tx.execute(
                "DELETE FROM drafts WHERE chat_id = ? AND uid = ?", (chat_id, uid)
            )
        return bool(cur.rowcount)


async def expired_drafts(db: Database, now: datetime) -> list[Draft]:
    """Drafts idle past their expiry."""
    async with db.read() as tx:
        rows = await tx.all("SELECT data FROM drafts WHERE expires_at <= ?", (utc_iso(now),))
    return [Draft.model_validate_json(r["data"]) for r in rows]


# --- reports -----------------------------------------------------------------------------


def _report(row: Row, attachments: Sequence[Row] = ()) -> Report:
    location = None
    if row["location_json"]:
        location = ReportLocation.model_validate_json(row["location_json"])
    elif row["location_source"] is not None:
        location = ReportLocation(
            source=row["location_source"],
            lat=row["lat"],
            lon=row["lon"],
            accuracy_m=row["accuracy_m"],
            text=row["location_text"],
        )
    return Report(
        id=row["id"],
        ticket=row["ticket"],
        reporter_id=row["reporter_id"],
        chat_id=row["chat_id"],
        language=row["language"],
        category=Category(row["category"]),
        state=row["state"],
        location=location,
        details=row["details"],
        phone=row["phone"],
        submitted_at=from_iso(row["submitted_at"]),
        received_at=from_iso(row["received_at"]) if row["received_at"] else None,
        attachments=[
            Attachment(kind=a["kind"], file_id=a["file_id"], file_unique_id=a["file_unique_id"])
            for a in attachments
        ],
        sos=bool(row["sos"]),
        for_someone_else=bool(row["for_someone_else"]),
        anonymous_to_agencies=bool(row["anonymous_to_agencies"]),
        followup_step=row["followup_step"],
    )


async def _report_in(tx: Tx, where: str, params: Sequence[Any]) -> Report | None:
    row = await tx.one(f"SELECT * FROM reports WHERE {where}", params)
    if row is None:
        return None
    atts = await tx.all("SELECT * FROM attachments WHERE report_id = ? ORDER BY id", (row["id"],))
    return _report(row, atts)


async def get_report(db: Database, report_id: int) -> Report | None:
    """A report by id."""
    async with db.read() as tx:
        return await _report_in(tx, "id = ?", (report_id,))


async def get_report_by_ticket(db: Database, ticket: str) -> Report | None:
    """A report by its ticket number."""
    async with db.read() as tx:
        return await _report_in(tx, "ticket = ?", (ticket,))


async def load_events(tx: Tx, report_id: int) -> list[Event]:
    """The report's timeline, oldest first, as lifecycle events."""
    rows = await tx.all("SELECT * FROM report_events WHERE report_id = ? ORDER BY id", (report_id,))
    return [
        Event.from_dict({**dict(r), "data": json.loads(r["data"]) if r["data"] else {}})
        for r in rows
    ]


async def report_events(db: Database, report_id: int) -> list[Event]:
    """The report's timeline, oldest first."""
    async with db.read() as tx:
        return await load_events(tx, report_id)


async def append_event(tx: Tx, report_id: int, event: Event) -> int:
    """Append one event to a report's timeline (the table refuses updates)."""
    return await tx.insert(
        "INSERT INTO report_events (report_id, kind, from_state, to_state, at, actor_kind,"
        " actor_id, actor_name, note, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            report_id,
            event.kind.value,
            event.from_state.value if event.from_state else None,
            event.to_state.value,
            utc_iso(event.at),
            event.actor_kind.value,
            event.actor_id,
            event.actor_name,
            event.note,
            json.dumps(dict(event.data), ensure_ascii=False) if event.data else None,
        ),
    )


def _opt_iso(moment: datetime | None) -> str | None:
    return utc_iso(moment) if moment is not None else None


async def store_snapshot(tx: Tx, report_id: int, snap: ReportSnapshot) -> None:
    """Keep the report's columns equal to the replay of its events."""
    await tx.execute(
        """
        UPDATE reports SET state = ?, received_at = ?, claimed_at = ?, dispatched_at = ?,
            en_route_at = ?, on_scene_at = ?, closed_at = ?, claimed_by = ?,
            claimed_by_name = ?, agency = ?, disposition = ?, duplicate_of = ?,
            transfer_to = ?, updated_at = ?
        WHERE id = ?
        """,
        (
            snap.state.value,
            _opt_iso(snap.received_at),
            _opt_iso(snap.claimed_at),
            _opt_iso(snap.dispatched_at),
            _opt_iso(snap.en_route_at),
            _opt_iso(snap.on_scene_at),
            _opt_iso(snap.closed_at),
            snap.claimed_by.user_id if snap.claimed_by else None,
            snap.claimed_by.name if snap.claimed_by else None,
            snap.agency,
            snap.disposition.value if snap.disposition else None,
            snap.duplicate_of,
            snap.transfer_to,
            _opt_iso(snap.updated_at),
            report_id,
        ),
    )


@dataclass(frozen=True)
class Submitted:
    """The outcome of pressing Send: the report, and whether this press created it."""

    report: Report
    created: bool


async def _next_ticket(tx: Tx, city_code: str, local_day: str) -> str:
    row = await tx.one(
        "INSERT INTO ticket_counters (day, last_seq) VALUES (?, 1)"
        " ON CONFLICT (day) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq",
        (local_day,),
    )
    assert row is not None
    return format_ticket(city_code, datetime.fromisoformat(local_day).date(), row["last_seq"])


async def submit_draft(
    db: Database,
    draft: Draft,
    reporter: Reporter,
    *,
    city_code: str,
    tz: tzinfo,
    now: datetime,
    messages: Callable[[CardState], list[OutboundMessage]],
    possible_duplicate_of: str | None = None,
) -> Submitted:
    """Turn a complete draft into a report — stored, timeline started, deliveries queued.

    One transaction: the report, its first event, its attachments, the outbound messages
    (dispatch card, receipt …) and the draft's removal commit together or not at all.
    Pressing Send twice returns the first report (``created=False``).
    """
    if draft.category is None or draft.location is None:
        raise ValueError("draft is not complete")
    async with db.transaction() as tx:
        existing = await _report_in(tx, "draft_uid = ?", (draft.uid,))
        if existing is not None:
            return Submitted(existing, created=False)
        await upsert_reporter(tx, reporter, now)
        ticket = await _next_ticket(tx, city_code, now.astimezone(tz).date().isoformat())
        loc = draft.location
        report_id = await tx.insert(
            """
            INSERT INTO reports (ticket, draft_uid, reporter_id, chat_id, language, category,
                                 state, location_source, lat, lon, accuracy_m, location_text,
                                 details, phone, submitted_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (
                ticket,
                draft.uid,
                reporter.user_id,
                draft.chat_id,
                reporter.lang,
                draft.category.value,
                SUBMITTED,
                loc.source.value,
                loc.lat,
                loc.lon,
                loc.accuracy_m,
                loc.text,
                draft.details,
                draft.phone,
                utc_iso(now),
                utc_iso(now),
            ),
        )
        if draft.phone:
            await tx.execute(
                "UPDATE reporters SET phone = ? WHERE user_id = ?", (draft.phone, reporter.user_id)
            )
        await tx.executemany(
            "INSERT OR IGNORE INTO attachments (report_id, kind, file_id, file_unique_id,"
            " created_at) VALUES (?, ?, ?, ?, ?)",
            [
                (report_id, a.kind.value, a.file_id, a.file_unique_id, utc_iso(now))
                for a in draft.attachments
            ],
        )
        first = lifecycle.submit(ticket, ReporterActor(reporter.user_id, reporter.full_name), now)
        await append_event(tx, report_id, first.event)
        await tx.execute(
            "UPDATE reports SET location_json = ?, kecamatan = ?, kelurahan = ?,"
            " outside_city = ?, address = ?, live_message_id = ?, sos = ?,"
            " for_someone_else = ?, anonymous_to_agencies = ?, followup_step = ? WHERE id = ?",
            (
                loc.model_dump_json(exclude_none=True),
                loc.kecamatan,
                loc.kelurahan,
                int(loc.outside_city),
                loc.address,
                loc.live_message_id,
                int(draft.sos),
                int(draft.for_someone_else),
                int(draft.anonymous_to_agencies),
                SOS_FIRST_QUESTION if draft.sos else None,
                report_id,
            ),
        )
        if possible_duplicate_of is not None:
            await tx.execute(
                "UPDATE reports SET possible_duplicate_of = ? WHERE id = ?",
                (possible_duplicate_of, report_id),
            )
        state = await _card_state(tx, report_id)
        report = state.report
        outgoing = messages(state)
        ids = await enqueue(tx, outgoing, now)
        card_ids = [i for i, m in zip(ids, outgoing, strict=True) if m.role == "card"]
        if card_ids:
            await tx.execute(
                "UPDATE reports SET card_outbox_id = ? WHERE id = ?", (card_ids[0], report_id)
            )
        await tx.execute("DELETE FROM drafts WHERE chat_id = ?", (draft.chat_id,))
    return Submitted(report, created=True)


async def mark_received(tx: Tx, report_id: int, at: datetime) -> bool:
    """t0: the report's card reached the dispatchers. Recorded once; True if now."""
    snap = lifecycle.replay(await load_events(tx, report_id))
    if snap.state is not ReportState.SUBMITTED:
        return False
    step = lifecycle.apply(snap, lifecycle.CardDelivered(), max(at, snap.updated_at or at))
    await append_event(tx, report_id, step.event)
    await store_snapshot(tx, report_id, step.snapshot)
    return True


async def map_message(
    tx: Tx, chat_id: int, message_id: int, report_id: int, role: str, now: datetime
) -> None:
    """Remember which report a message belongs to (exactly once per message)."""
    await tx.execute(
        "INSERT INTO message_map (chat_id, message_id, report_id, role, created_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id, message_id) DO NOTHING",
        (chat_id, message_id, report_id, role, utc_iso(now)),
    )


async def report_for_message(db: Database, chat_id: int, message_id: int) -> int | None:
    """The report a message belongs to, if any."""
    async with db.read() as tx:
        row = await tx.one(
            "SELECT report_id FROM message_map WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
    return int(row["report_id"]) if row else None


async def reports_of(db: Database, reporter_id: int, limit: int = 10) -> list[Report]:
    """A reporter's latest reports, newest first."""
    async with db.read() as tx:
        rows = await tx.all(
            "SELECT * FROM reports WHERE reporter_id = ? ORDER BY submitted_at DESC LIMIT ?",
            (reporter_id, limit),
        )
    return [_report(r) for r in rows]


# --- the dispatcher workflow -------------------------------------------------------------


@dataclass(frozen=True)
class CardState:
    """Everything a card shows: the report, who filed it, where it stands, its timeline."""

    report: Report
    reporter: Reporter
    snapshot: ReportSnapshot
    events: list[Event]
    card_outbox_id: int | None
    possible_duplicate_of: str | None
    strikes: int
    agency_cards: tuple[tuple[int, int], ...] = ()  # (outbox id, chat id) of agency copies


async def _card_state(tx: Tx, report_id: int) -> CardState:
    report = await _report_in(tx, "id = ?", (report_id,))
    if report is None:
        raise LookupError(f"no report {report_id}")
    row = await tx.one(
        "SELECT r.card_outbox_id, r.possible_duplicate_of, p.*"
        " FROM reports r JOIN reporters p ON p.user_id = r.reporter_id WHERE r.id = ?",
        (report_id,),
    )
    assert row is not None
    events = await load_events(tx, report_id)
    copies = await tx.all(
        "SELECT id, chat_id FROM outbox WHERE report_id = ? AND role = 'agency_card'"
        " AND status IN ('pending', 'sending', 'sent') ORDER BY id",
        (report_id,),
    )
    return CardState(
        report=report,
        reporter=_reporter(row),
        snapshot=lifecycle.replay(events),
        events=events,
        card_outbox_id=row["card_outbox_id"],
        possible_duplicate_of=row["possible_duplicate_of"],
        strikes=row["strikes"],
        agency_cards=tuple((int(c["id"]), int(c["chat_id"])) for c in copies),
    )


async def card_state(db: Database, report_id: int) -> CardState:
    """A report with everything its card shows."""
    async with db.read() as tx:
        return await _card_state(tx, report_id)


async def apply_action(
    db: Database,
    report_id: int,
    action: lifecycle.Action,
    now: datetime,
    messages: Callable[[CardState, lifecycle.Transition], list[OutboundMessage]],
    *,
    max_strikes: int | None = None,
) -> tuple[CardState, lifecycle.Transition]:
    """Apply one lifecycle action: event, snapshot, strikes and messages in one transaction.

    Raises :class:`bot.domain.lifecycle.IllegalTransition` (nothing is written) when refused.
    """
    async with db.transaction() as tx:
        before = await _card_state(tx, report_id)
        at = max(now, before.snapshot.updated_at or now)
        step = lifecycle.apply(before.snapshot, action, at)
        await append_event(tx, report_id, step.event)
        await store_snapshot(tx, report_id, step.snapshot)
        if step.snapshot.disposition is lifecycle.Disposition.PRANK and max_strikes:
            await tx.execute(
                "UPDATE reporters SET strikes = strikes + 1,"
                " blocked_at = CASE WHEN strikes + 1 >= ? THEN COALESCE(blocked_at, ?)"
                " ELSE blocked_at END WHERE user_id = ?",
                (max_strikes, utc_iso(at), before.report.reporter_id),
            )
        after = await _card_state(tx, report_id)
        await enqueue(tx, messages(after, step), now)
    return after, step


async def record_alert(
    db: Database,
    report_id: int,
    alert_key: str,
    now: datetime,
    messages: Callable[[CardState], list[OutboundMessage]],
) -> CardState | None:
    """Record a fired timer alert once (with its messages); None if it was already fired."""
    async with db.transaction() as tx:
        before = await _card_state(tx, report_id)
        if alert_key in before.snapshot.alerts_fired or not before.snapshot.is_open:
            return None
        at = max(now, before.snapshot.updated_at or now)
        event = lifecycle.Event(
            kind=lifecycle.EventKind.ALERT,
            from_state=before.snapshot.state,
            to_state=before.snapshot.state,
            actor_kind=lifecycle.ActorKind.SYSTEM,
            actor_id=None,
            actor_name="system",
            at=at,
            data={"key": alert_key},
        )
        await append_event(tx, report_id, event)
        after = await _card_state(tx, report_id)
        await enqueue(tx, messages(after), now)
    return after


async def open_report_ids(db: Database) -> list[int]:
    """Reports not closed yet (including those whose card is still on its way), oldest first."""
    async with db.read() as tx:
        rows = await tx.all(
            "SELECT id FROM reports WHERE state != ? ORDER BY submitted_at, id",
            (ReportState.CLOSED.value,),
        )
    return [int(r["id"]) for r in rows]


async def open_reports_near(
    db: Database, category: str, since: datetime
) -> list[tuple[str, datetime, float, float]]:
    """Open reports of a category submitted since a time, with coordinates."""
    async with db.read() as tx:
        rows = await tx.all(
            "SELECT ticket, submitted_at, lat, lon FROM reports WHERE category = ?"
            " AND state != ? AND submitted_at >= ? AND lat IS NOT NULL",
            (category, ReportState.CLOSED.value, utc_iso(since)),
        )
    return [(r["ticket"], from_iso(r["submitted_at"]), r["lat"], r["lon"]) for r in rows]


async def latest_open_report(db: Database, reporter_id: int) -> Report | None:
    """The reporter's most recent report that is not closed."""
    async with db.read() as tx:
        return await _report_in(
            tx,
            "reporter_id = ? AND state != ? ORDER BY submitted_at DESC LIMIT 1",
            (reporter_id, ReportState.CLOSED.value),
        )


async def message_target(
    db: Database, report_id: int, chat_id: int, role: str = "card"
) -> int | None:
    """The outbox row that sent a report's message of a role to a chat (for replies)."""
    async with db.read() as tx:
        row = await tx.one(
            "SELECT id FROM outbox WHERE report_id = ? AND chat_id = ? AND role = ?"
            " AND status IN ('pending', 'sending', 'sent') ORDER BY id LIMIT 1",
            (report_id, chat_id, role),
        )
    return int(row["id"]) if row else None


Incoming = tuple[int, int, int]  # (chat id, message id, report id) of a person's message


async def _first_time(tx: Tx, incoming: Incoming | None, now: datetime) -> bool:
    """Record a person's message as belonging to a report; False if it was seen before."""
    if incoming is None:
        return True
    chat_id, message_id, report_id = incoming
    cur = await tx.execute(
        "INSERT INTO message_map (chat_id, message_id, report_id, role, created_at)"
        " VALUES (?, ?, ?, 'incoming', ?) ON CONFLICT (chat_id, message_id) DO NOTHING",
        (chat_id, message_id, report_id, utc_iso(now)),
    )
    return bool(cur.rowcount)


async def queue_messages(
    db: Database,
    messages: list[OutboundMessage],
    now: datetime,
    *,
    incoming: Incoming | None = None,
) -> bool:
    """Queue messages that report no state change of their own (relays, alerts).

    With ``incoming`` (the message being relayed), a message delivered twice is relayed
    once: False means it was already handled.
    """
    async with db.transaction() as tx:
        if not await _first_time(tx, incoming, now):
            return False
        await enqueue(tx, messages, now)
    return True


async def strikes_of(db: Database, user_id: int) -> tuple[int, bool]:
    """A reporter's prank strikes and whether they are blocked from new reports."""
    async with db.read() as tx:
        row = await tx.one(
            "SELECT strikes, blocked_at FROM reporters WHERE user_id = ?", (user_id,)
        )
    if row is None:
        return 0, False
    return int(row["strikes"]), row["blocked_at"] is not None


async def unblock(db: Database, who: str) -> Reporter | None:
    """Lift a reporter's block and strikes, by user id or @username; None if unknown."""
    who = who.strip().removeprefix("@")
    async with db.transaction() as tx:
        if who.lstrip("-").isdigit():
            if abs(int(who)) >= 2**63:  # not an id SQLite (or Telegram) can hold
                return None
            row = await tx.one("SELECT * FROM reporters WHERE user_id = ?", (int(who),))
        else:
            row = await tx.one("SELECT * FROM reporters WHERE lower(username) = lower(?)", (who,))
        if row is None:
            return None
        await tx.execute(
            "UPDATE reporters SET strikes = 0, blocked_at = NULL WHERE user_id = ?",
            (row["user_id"],),
        )
    return _reporter(row)


async def set_possible_duplicate(db: Database, report_id: int, ticket: str) -> None:
    """Mark a report as a possible duplicate of another open one."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE reports SET possible_duplicate_of = ? WHERE id = ?", (ticket, report_id)
        )


async def report_id_by_ticket(db: Database, ticket: str) -> int | None:
    """A report's id from its ticket number."""
    async with db.read() as tx:
        row = await tx.one("SELECT id FROM reports WHERE ticket = ?", (ticket,))
    return int(row["id"]) if row else None


async def update_live_location(
    db: Database,
    chat_id: int,
    message_id: int,
    location: ReportLocation,
    now: datetime,
    messages: Callable[[CardState], list[OutboundMessage]],
) -> CardState | None:
    """A live-location update for an open report: store it and queue the card's redraw.

    ``location`` is the new point (with its area); None when no open report follows
    that message.
    """
    async with db.transaction() as tx:
        row = await tx.one(
            "SELECT id FROM reports WHERE chat_id = ? AND live_message_id = ? AND state != ?",
            (chat_id, message_id, ReportState.CLOSED.value),
        )
        if row is None:
            return None
        await tx.execute(
            "UPDATE reports SET location_json = ?, lat = ?, lon = ?, accuracy_m = ?,"
            " kecamatan = ?, kelurahan = ?, outside_city = ?, address = ?, updated_at = ?"
            " WHERE id = ?",
            (
                location.model_dump_json(exclude_none=True),
                location.lat,
                location.lon,
                location.accuracy_m,
                location.kecamatan,
                location.kelurahan,
                int(location.outside_city),
                location.address,
                utc_iso(now),
                row["id"],
            ),
        )
        state = await _card_state(tx, row["id"])
        await enqueue(tx, messages(state), now)
    return state


@dataclass
class ReportChanges:
    """What an SOS follow-up answer (or a later message) adds to a submitted report."""

    category: Category | None = None
    details: str | None = None  # appended
    attachments: list[Attachment] | None = None
    phone: str | None = None
    for_someone_else: bool | None = None
    followup_step: str | None = None
    clear_followup: bool = False


async def update_report(
    db: Database,
    report_id: int,
    changes: ReportChanges,
    now: datetime,
    messages: Callable[[CardState], list[OutboundMessage]],
    *,
    incoming: Incoming | None = None,
) -> CardState | None:
    """Add to a report (never remove): one transaction with the card's redraw queued.

    None when ``incoming`` (the message that brought the change) was handled before.
    """
    async with db.transaction() as tx:
        row = await tx.one("SELECT details FROM reports WHERE id = ?", (report_id,))
        if row is None:
            raise LookupError(f"no report {report_id}")
        if not await _first_time(tx, incoming, now):
            return None
        sets: list[str] = ["updated_at = ?"]
        params: list[Any] = [utc_iso(now)]
        if changes.category is not None:
            sets.append("category = ?")
            params.append(changes.category.value)
        if changes.details:
            joined = f"{row['details']}\n{changes.details}" if row["details"] else changes.details
            sets.append("details = ?")
            params.append(joined[:MAX_DETAILS_CHARS])
        if changes.phone is not None:
            sets.append("phone = ?")
            params.append(changes.phone)
        if changes.for_someone_else is not None:
            sets.append("for_someone_else = ?")
            params.append(int(changes.for_someone_else))
        if changes.followup_step is not None or changes.clear_followup:
            sets.append("followup_step = ?")
            params.append(None if changes.clear_followup else changes.followup_step)
        await tx.execute(f"UPDATE reports SET {', '.join(sets)} WHERE id = ?", (*params, report_id))
        for a in changes.attachments or []:
            await tx.execute(
                "INSERT OR IGNORE INTO attachments (report_id, kind, file_id, file_unique_id,"
                " created_at) VALUES (?, ?, ?, ?, ?)",
                (report_id, a.kind.value, a.file_id, a.file_unique_id, utc_iso(now)),
            )
        state = await _card_state(tx, report_id)
        await enqueue(tx, messages(state), now)
    return state


async def followup_report(db: Database, reporter_id: int) -> Report | None:
    """The reporter's open SOS report that still has a question pending."""
    async with db.read() as tx:
        return await _report_in(
            tx,
            "reporter_id = ? AND state != ? AND followup_step IS NOT NULL"
            " ORDER BY submitted_at DESC LIMIT 1",
            (reporter_id, ReportState.CLOSED.value),
        )


async def reports_since(db: Database, reporter_id: int, since: datetime) -> int:
    """How many reports a person filed since a time (per-reporter limit)."""
    async with db.read() as tx:
        row = await tx.one(
            "SELECT COUNT(*) AS n FROM reports WHERE reporter_id = ? AND submitted_at >= ?",
            (reporter_id, utc_iso(since)),
        )
    return int(row["n"]) if row else 0


async def expire_drafts(
    db: Database, now: datetime, messages: Callable[[Draft, Language], list[OutboundMessage]]
) -> list[Draft]:
    """Remove drafts idle past their expiry, queueing a notice for each, in one go."""
    async with db.transaction() as tx:
        rows = await tx.all(
            "SELECT d.data, p.* FROM drafts d JOIN reporters p ON p.user_id = d.user_id"
            " WHERE d.expires_at <= ?",
            (utc_iso(now),),
        )
        drafts = []
        for row in rows:
            draft = Draft.model_validate_json(row["data"])
            drafts.append(draft)
            await tx.execute(
                "DELETE FROM drafts WHERE chat_id = ? AND uid = ?", (draft.chat_id, draft.uid)
            )
            await enqueue(tx, messages(draft, _reporter(row).lang), now)
    return drafts


async def next_draft_expiry(db: Database) -> datetime | None:
    """When the next draft expires."""
    async with db.read() as tx:
        row = await tx.one("SELECT MIN(expires_at) AS t FROM drafts")
    return from_iso(row["t"]) if row and row["t"] else None


async def open_card(
    db: Database,
    report_id: int,
    now: datetime,
    messages: Callable[[CardState], list[OutboundMessage]],
) -> bool:
    """Queue a report's full card (from a digest); False if its card is already out."""
    async with db.transaction() as tx:
        row = await tx.one(
            "SELECT o.status FROM reports r LEFT JOIN outbox o ON o.id = r.card_outbox_id"
            " WHERE r.id = ?",
            (report_id,),
        )
        if row is None:
            raise LookupError(f"no report {report_id}")
        if row["status"] in ("pending", "sending", "sent"):
            return False
        state = await _card_state(tx, report_id)
        outgoing = messages(state)
        ids = await enqueue(tx, outgoing, now)
        card = next(i for i, m in zip(ids, outgoing, strict=True) if m.role == "card")
        await tx.execute("UPDATE reports SET card_outbox_id = ? WHERE id = ?", (card, report_id))
    return True
