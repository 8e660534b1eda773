"""Shift hand-over of a whole shift and locations kept for their reporter's answer, against
a real database: one transaction each, nothing moved that should not be."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import lifecycle
from bot.domain.card import CardState
from bot.domain.lifecycle import Disposition
from bot.domain.messages import OutboundMessage
from bot.domain.models import LocationSource, ReportLocation
from bot.services import handover, locations, reports
from bot.services.locations import Moved
from storage import outbox
from storage.cards import card_state
from storage.db import Database
from tests.storage.test_services import POLICY, close, delivered, no_messages, submitted
from tests.support import factories as f

SARI = lifecycle.Dispatcher(7, "Sari")
DIMAS = lifecycle.Dispatcher(8, "Dimas")
TEMBALANG = ReportLocation(
    source=LocationSource.GPS, lat=-7.0563, lon=110.4380, kecamatan="Tembalang"
)


def edits(state: CardState, step: lifecycle.Transition) -> list[OutboundMessage]:
    return [OutboundMessage(-100, "send_message", {"text": state.report.ticket}, "card_edit")]


def redraw(state: CardState) -> list[OutboundMessage]:
    assert state.report.location is not None
    return [OutboundMessage(-100, "send_message", {"text": str(state.report.location.lat)}, "x")]


async def claimed(db: Database, chat_id: int, by: lifecycle.Dispatcher) -> int:
    report = (await submitted(db, f.draft(chat_id))).report
    await delivered(db, report.id)
    claim = lifecycle.Claim(by)
    await reports.apply_action(db, report.id, claim, f.at(5, 2), no_messages, strikes=POLICY)
    return report.id


async def test_a_whole_shift_is_handed_over_in_one_go(db: Database) -> None:
    mine = [await claimed(db, 2001 + i, SARI) for i in range(3)]
    other = await claimed(db, 2101, DIMAS)
    await close(db, mine[2], Disposition.RESOLVED, 3)
    before = (await outbox.counts(db)).get("pending", 0)
    summaries: list[list[str]] = []

    def summary(states: list[CardState]) -> list[OutboundMessage]:
        summaries.append([s.report.ticket for s in states])
        return [OutboundMessage(-100, "send_message", {"text": "shift"}, "group_notice")]

    moved = await handover.hand_over_all(db, SARI, DIMAS, f.at(5, 4), edits, summary)
    assert [s.report.id for s in moved] == mine[:2]  # open ones only, oldest first
    assert summaries == [[s.report.ticket for s in moved]]
    assert (await outbox.counts(db)).get("pending", 0) == before + 3  # 2 redraws, 1 notice
    for report_id in mine[:2]:
        state = await card_state(db, report_id)
        assert state.snapshot.claimed_by == DIMAS and state.events[-1].kind.value == "reassigned"
    assert (await card_state(db, mine[2])).snapshot.is_closed
    assert (await card_state(db, other)).snapshot.claimed_by == DIMAS
    # Nothing left: nothing recorded, nothing queued.
    again = await handover.hand_over_all(db, SARI, DIMAS, f.at(5, 5), edits, summary)
    assert again == [] and len(summaries) == 1


async def test_a_kept_location_moves_its_report_once(db: Database) -> None:
    report = (await submitted(db, f.draft(3001))).report
    now = f.at(5, 3)
    kept = await locations.keep(db, 3001, 77, report.reporter_id, report.id, TEMBALANG, now)
    assert kept is not None
    assert await locations.keep(db, 3001, 77, report.reporter_id, report.id, TEMBALANG, now) is None
    # Not this reporter's question: stale, nothing moved.
    other = await locations.move_report(db, kept, 9999, now, redraw)
    assert other.outcome is Moved.STALE
    moved = await locations.move_report(db, kept, report.reporter_id, now, redraw)
    assert moved.outcome is Moved.UPDATED and moved.state is not None
    location = (await card_state(db, report.id)).report.location
    assert location is not None and (location.lat, location.kecamatan) == (-7.0563, "Tembalang")
    again = await locations.move_report(db, kept, report.reporter_id, now, redraw)
    assert again.outcome is Moved.STALE


async def test_a_closed_report_is_not_moved_and_questions_expire(db: Database) -> None:
    report = (await submitted(db, f.draft(3101))).report
    await delivered(db, report.id)
    now = f.at(5, 3)
    kept = await locations.keep(db, 3101, 5, report.reporter_id, report.id, TEMBALANG, now)
    assert kept is not None
    await close(db, report.id, Disposition.FALSE_ALARM, 4)
    closed = await locations.move_report(db, kept, report.reporter_id, f.at(5, 5), redraw)
    assert closed.outcome is Moved.CLOSED and closed.ticket == report.ticket
    # Still waiting for "new emergency" — until it expires.
    assert await locations.pending(db, kept, report.reporter_id, f.at(5, 6)) is not None
    later = now + timedelta(hours=1, minutes=1)
    assert await locations.pending(db, kept, report.reporter_id, later) is None
    await locations.forget_expired(db, later)
    async with db.read() as tx:
        assert await tx.all("SELECT id FROM pending_locations") == []
