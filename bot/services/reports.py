"""Use cases of a report, each one transaction: file it, act on it, add to it, relay.

Every function opens its transaction, asks the domain what the change is, stores it
through ``storage``, queues the messages that report it (built by the ``messages``
callable the caller passes: the card renderer) and commits — all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from bot.config import Settings
from bot.domain import lifecycle
from bot.domain.card import CardState, ReportChanges
from bot.domain.duplicates import ReportPoint, possible_duplicate_of
from bot.domain.lifecycle import EventKind, ReporterActor
from bot.domain.messages import Incoming, OutboundMessage
from bot.domain.models import Draft, Report, Reporter, ReportLocation
from bot.domain.sos import FIRST_QUESTION
from bot.domain.strikes import FilingLimit, Refusal, StrikePolicy, filing_refusal, record_strike
from bot.domain.trust import TrustEvent, TrustEventKind, after_close
from storage import drafts, events, message_map, outbox, receipts, reporters, reports, trust
from storage.cards import load_card
from storage.db import Database, Tx

CardMessages = Callable[[CardState], list[OutboundMessage]]
TransitionMessages = Callable[[CardState, lifecycle.Transition], list[OutboundMessage]]


@dataclass(frozen=True)
class Intake:
    """The rules of filing a report: ticket numbering, the per-person limit, duplicates."""

    city_code: str
    tz: tzinfo
    limit: FilingLimit
    duplicate_radius_m: float
    duplicate_window: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> Intake:
        """The rules as configured."""
        return cls(
            city_code=settings.city_code,
            tz=settings.tz,
            limit=settings.filing_limit,
            duplicate_radius_m=settings.duplicate_radius_m,
            duplicate_window=settings.duplicate_window,
        )


@dataclass(frozen=True)
class Submitted:
    """The outcome of pressing Send: the report, and whether this press created it."""

    report: Report
    created: bool


@dataclass(frozen=True)
class Refused:
    """The person may not file now: why, and how many reports they filed in the window."""

    reason: Refusal
    recent: int


# --- filing ------------------------------------------------------------------------------


async def _refusal(tx: Tx, reporter_id: int, now: datetime, limit: FilingLimit) -> Refused | None:
    record = await reporters.strike_record_in(tx, reporter_id)
    recent = await reports.reports_since(tx, reporter_id, now - limit.window)
    reason = filing_refusal(record.blocked, recent, limit)
    return None if reason is None else Refused(reason, recent)


async def may_file(
    db: Database, reporter_id: int, now: datetime, limit: FilingLimit
) -> Refused | None:
    """Why this person may not file a new report now (prank block, too many), or None."""
    async with db.read() as tx:
        return await _refusal(tx, reporter_id, now, limit)


async def _possible_duplicate(
    tx: Tx, draft: Draft, reporter: Reporter, now: datetime, intake: Intake, confirmed_new: bool
) -> str | None:
    """The open report this new one may repeat (see :func:`possible_duplicate_of`); not
    the reporter's own open report when they said this is a new emergency."""
    assert draft.category is not None and draft.location is not None
    loc = draft.location
    has_point = loc.lat is not None and loc.lon is not None
    own_open = None
    nearby: list[ReportPoint] = []
    if draft.sos and not confirmed_new:
        other = await reports.latest_open_report_in(tx, reporter.user_id)
        own_open = other.ticket if other else None
    elif has_point:
        nearby = await reports.open_reports_near(
            tx, draft.category.value, now - intake.duplicate_window
        )
    new = ReportPoint(
        ticket="(new)",
        category=draft.category.value,
        at=now,
        lat=loc.lat if has_point else None,
        lon=loc.lon if has_point else None,
    )
    return possible_duplicate_of(
        new,
        sos=draft.sos,
        own_open=own_open,
        nearby=nearby,
        radius_m=intake.duplicate_radius_m,
        window=intake.duplicate_window,
    )


async def _queue_with_card(
    tx: Tx, report_id: int, messages: list[OutboundMessage], now: datetime
) -> None:
    """Queue messages; the first card among them becomes the report's card."""
    ids = await outbox.enqueue(tx, messages, now)
    card_ids = [i for i, m in zip(ids, messages, strict=True) if m.role == "card"]
    if card_ids:
        await reports.set_card_outbox(tx, report_id, card_ids[0])


async def submit_report(
    db: Database,
    draft: Draft,
    reporter: Reporter,
    intake: Intake,
    now: datetime,
    messages: CardMessages,
    *,
    confirmed_new: bool = False,
) -> Submitted | Refused:
    """Turn a complete draft (or a one-tap SOS) into a report, if its reporter may file.

    One transaction: the report with its possible duplicate, its first event, its
    attachments, the outbound messages (dispatch card, receipt …) and the draft's removal
    commit together or not at all. The same draft sent twice returns the first report
    (``created=False``); a blocked or too busy reporter gets :class:`Refused`.
    ``confirmed_new``: the reporter said an SOS location is a new emergency, not their
    open report again (it is not marked as a possible duplicate of it).
    """
    if draft.category is None or draft.location is None:
        raise ValueError("draft is not complete")
    async with db.transaction() as tx:
        existing = await reports.report_of_draft(tx, draft.uid)
        if existing is not None:
            return Submitted(existing, created=False)
        refused = await _refusal(tx, reporter.user_id, now, intake.limit)
        if refused is not None:
            return refused
        await reporters.upsert_reporter(tx, reporter, now)
        duplicate = await _possible_duplicate(tx, draft, reporter, now, intake, confirmed_new)
        ticket = await reports.next_ticket(
            tx, intake.city_code, now.astimezone(intake.tz).date().isoformat()
        )
        report_id = await reports.insert_report(
            tx,
            draft,
            reporter,
            ticket,
            now,
            followup_step=FIRST_QUESTION if draft.sos else None,
            possible_duplicate_of=duplicate,
        )
        if draft.phone:
            await reporters.set_phone(tx, reporter.user_id, draft.phone)
        standing = await trust.standing_in(tx, reporter.user_id)
        if standing is not None and standing.badge is not None:
            await trust.set_badge(tx, report_id, standing.badge)
        first = lifecycle.submit(ticket, ReporterActor(reporter.user_id, reporter.full_name), now)
        await events.append_event(tx, report_id, first.event)
        state = await load_card(tx, report_id)
        await _queue_with_card(tx, report_id, messages(state), now)
        await receipts.hold_receipt(tx, report_id)  # "received" = the card is in the group
        await drafts.delete_draft(tx, draft.chat_id)
    return Submitted(state.report, created=True)


# --- acting on a report ------------------------------------------------------------------


async def apply_action(
    db: Database,
    report_id: int,
    action: lifecycle.Action,
    now: datetime,
    messages: TransitionMessages,
    *,
    strikes: StrikePolicy,
) -> tuple[CardState, lifecycle.Transition]:
    """Apply one lifecycle action: event, snapshot, the reporter's strikes and the
    messages, in one transaction.

    Closing as a prank records a strike against the reporter (and a block at the
    policy's limit, :func:`bot.domain.strikes.record_strike`), or suspends a trusted
    reporter's role when the report carries a badge (:func:`bot.domain.trust.after_close`).
    Raises
    :class:`bot.domain.lifecycle.IllegalTransition` (nothing is written) when refused,
    LookupError for an unknown report.
    """
    async with db.transaction() as tx:
        before = await load_card(tx, report_id)
        at = max(now, before.snapshot.updated_at or now)
        step = lifecycle.apply(before.snapshot, action, at)
        await events.append_event(tx, report_id, step.event)
        await reports.store_snapshot(tx, report_id, step.snapshot)
        disposition = step.snapshot.disposition
        if step.event.kind is EventKind.CLOSED and disposition is not None:
            await _after_close(tx, before, step.event, disposition, strikes)
            await receipts.report_closed(tx, report_id)
        after = await load_card(tx, report_id)
        await outbox.enqueue(tx, messages(after, step), now)
    return after, step


async def _after_close(
    tx: Tx,
    before: CardState,
    event: lifecycle.Event,
    disposition: lifecycle.Disposition,
    strikes: StrikePolicy,
) -> None:
    """A closed report's consequences for its reporter: a prank strike (and a block at
    the limit) — or, for a report filed with a badge, no strike and the role suspended
    pending review (audited)."""
    reporter_id, badge = before.report.reporter_id, before.report.badge
    record = await reporters.strike_record_in(tx, reporter_id)
    changed = record_strike(record, disposition, strikes, trusted=badge is not None)
    if changed is not None:
        await reporters.store_strikes(tx, reporter_id, changed, event.at)
    standing = await trust.standing_in(tx, reporter_id)
    suspended = after_close(disposition, badge, standing, event.at)
    if suspended is None:
        return
    await trust.set_status(tx, reporter_id, suspended.status, event.at)
    await trust.append_event(
        tx,
        TrustEvent(
            TrustEventKind.SUSPENDED,
            event.at,
            actor_id=event.actor_id,
            actor_name=event.actor_name,
            subject_id=reporter_id,
            subject_name=before.reporter.full_name,
            role=suspended.role,
            community=suspended.community,
            note=before.report.ticket,
        ),
    )


async def open_card(db: Database, report_id: int, now: datetime, messages: CardMessages) -> bool:
    """Queue a report's full card (from a digest); False if its card is already out.

    LookupError for an unknown report.
    """
    async with db.transaction() as tx:
        row = await reports.card_columns(tx, report_id)
        if await outbox.row_status(tx, row["card_outbox_id"]) in outbox.LIVE_STATUSES:
            return False
        state = await load_card(tx, report_id)
        await _queue_with_card(tx, report_id, messages(state), now)
    return True


async def card_vanished(
    db: Database, report_id: int, card_outbox_id: int, now: datetime, messages: CardMessages
) -> CardState | None:
    """The report's card is no longer in the group (deleted, or its forum topic deleted):
    while the report is open, its full card is posted again. The state, or None when
    there is nothing to do (closed, or that card was already replaced).
    """
    async with db.transaction() as tx:
        row = await reports.card_columns(tx, report_id)
        state = await load_card(tx, report_id)
        if row["card_outbox_id"] != card_outbox_id or not state.snapshot.is_open:
            return None
        await outbox.mark_gone(tx, card_outbox_id, "the card is no longer in the chat")
        await _queue_with_card(tx, report_id, messages(state), now)
    return state


# --- adding to a report ------------------------------------------------------------------


async def update_report(
    db: Database,
    report_id: int,
    changes: ReportChanges,
    now: datetime,
    messages: CardMessages,
    *,
    incoming: Incoming | None = None,
) -> CardState | None:
    """Add to a report (never remove): one transaction with the card's redraw queued.

    None when ``incoming`` (the message that brought the change) was handled before;
    LookupError for an unknown report.
    """
    async with db.transaction() as tx:
        current = await reports.report_in(tx, report_id)
        if current is None:
            raise LookupError(f"no report {report_id}")
        if incoming is not None and not await message_map.first_time(tx, incoming, now):
            return None
        await reports.apply_changes(tx, report_id, current, changes, now)
        state = await load_card(tx, report_id)
        await outbox.enqueue(tx, messages(state), now)
    return state


async def follow_live_location(
    db: Database,
    chat_id: int,
    message_id: int,
    location: ReportLocation,
    now: datetime,
    messages: CardMessages,
) -> CardState | None:
    """A live-location update for an open report: store it and queue the card's redraw.

    ``location`` is the new point (with its area); None when no open report follows
    that message.
    """
    async with db.transaction() as tx:
        report_id = await reports.live_report_id(tx, chat_id, message_id)
        if report_id is None:
            return None
        await reports.set_location(tx, report_id, location, now)
        state = await load_card(tx, report_id)
        await outbox.enqueue(tx, messages(state), now)
    return state


# --- messages that change no state -------------------------------------------------------


async def relay(
    db: Database,
    messages: list[OutboundMessage],
    now: datetime,
    *,
    incoming: Incoming | None = None,
) -> bool:
    """Queue messages that report no state change of their own (relays, notices).

    With ``incoming`` (the message being relayed), a message delivered twice is relayed
    once: False means it was already handled.
    """
    async with db.transaction() as tx:
        if incoming is not None and not await message_map.first_time(tx, incoming, now):
            return False
        await outbox.enqueue(tx, messages, now)
    return True


async def queue_later(
    db: Database, messages: list[OutboundMessage], now: datetime, not_before: datetime
) -> None:
    """Queue messages that may not go before ``not_before`` (a chat's flood wait)."""
    async with db.transaction() as tx:
        ids = await outbox.enqueue(tx, messages, now)
        for outbox_id in ids:
            await outbox.reschedule(tx, outbox_id, not_before, "retry after")


async def remember_message(
    db: Database, chat_id: int, message_id: int, report_id: int, role: str, now: datetime
) -> None:
    """A message sent outside the outbox belongs to a report (replies to it reach it)."""
    async with db.transaction() as tx:
        await message_map.map_message(tx, chat_id, message_id, report_id, role, now)
