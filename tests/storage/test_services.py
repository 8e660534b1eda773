"""Services: each use case one transaction, using the domain's rules (strikes, alerts,
duplicates, who may file) against a real database."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.domain import lifecycle, timers
from bot.domain.card import CardState, ReportChanges
from bot.domain.lifecycle import Disposition
from bot.domain.messages import OutboundMessage
from bot.domain.models import Draft, Reporter
from bot.domain.strikes import FilingLimit, Refusal, StrikePolicy, StrikeRecord
from bot.services import alerts, delivery, drafts, reporters, reports
from bot.services.reports import Refused, Submitted
from storage import outbox
from storage import reports as reports_store
from storage.cards import card_state
from storage.db import Database
from storage.events import report_events
from storage.reporters import strike_record
from tests.support import factories as f

SARI = lifecycle.Dispatcher(7, "Sari")
POLICY = StrikePolicy(max_strikes=2)


def card(state: CardState) -> list[OutboundMessage]:
    report = state.report
    return [OutboundMessage(-100, "send_message", {"text": report.ticket}, "card", 20, report.id)]


def no_messages(state: CardState, step: lifecycle.Transition) -> list[OutboundMessage]:
    return []


async def submitted(db: Database, draft: Draft, minute: int = 0, **intake: object) -> Submitted:
    done = await reports.submit_report(
        db, draft, f.reporter(draft.user_id), f.intake(**intake), f.at(5, minute), card
    )
    assert isinstance(done, Submitted)
    return done


async def delivered(db: Database, report_id: int, minute: int = 1) -> None:
    async with db.transaction() as tx:
        assert await delivery.mark_received(tx, report_id, f.at(5, minute))


async def close(db: Database, report_id: int, disposition: Disposition, minute: int) -> None:
    action = lifecycle.Close(SARI, disposition)
    await reports.apply_action(db, report_id, action, f.at(5, minute), no_messages, strikes=POLICY)


async def pending(db: Database) -> int:
    return (await outbox.counts(db)).get("pending", 0)


# --- strikes: the domain's policy, stored -------------------------------------------------


async def test_a_prank_is_a_strike_and_the_policy_blocks_at_its_limit(db: Database) -> None:
    first = (await submitted(db, f.draft(uid="aaaaaaaa"))).report
    await delivered(db, first.id)
    await close(db, first.id, Disposition.FALSE_ALARM, 2)  # good faith: no strike
    assert await strike_record(db, 1001) == StrikeRecord(0, False)

    for n, uid in enumerate(("bbbbbbbb", "cccccccc"), start=1):
        report = (await submitted(db, f.draft(uid=uid), minute=10 * n)).report
        await delivered(db, report.id, 10 * n + 1)
        await close(db, report.id, Disposition.PRANK, 10 * n + 2)
        assert await strike_record(db, 1001) == StrikeRecord(n, n == POLICY.max_strikes)
        assert (await card_state(db, report.id)).strikes == n

    refused = await reports.may_file(db, 1001, f.at(6), FilingLimit(3, timedelta(minutes=10)))
    assert refused == Refused(Refusal.BLOCKED, 0)
    again = await reports.submit_report(
        db, f.draft(uid="dddddddd"), f.reporter(), f.intake(), f.at(6), card
    )
    assert again == Refused(Refusal.BLOCKED, 0)
    assert await strike_record(db, 2002) == StrikeRecord(0, False)  # someone else


async def test_a_refused_action_records_no_strike(db: Database) -> None:
    report = (await submitted(db, f.draft())).report  # not delivered yet: no close
    with pytest.raises(lifecycle.IllegalTransition):
        await close(db, report.id, Disposition.PRANK, 2)
    assert await strike_record(db, 1001) == StrikeRecord(0, False)
    assert [e.kind.value for e in await report_events(db, report.id)] == ["submitted"]


async def test_unblock_lifts_the_block_and_queues_the_notice_in_one_go(db: Database) -> None:
    report = (await submitted(db, f.draft())).report
    await delivered(db, report.id)
    await close(db, report.id, Disposition.PRANK, 2)
    await close_twice_more(db)
    assert (await strike_record(db, 1001)).blocked
    before = await pending(db)

    def notice(r: Reporter) -> list[OutboundMessage]:
        return [OutboundMessage(r.user_id, "send_message", {"text": "ok"}, "notice")]

    assert await reporters.unblock(db, "@nobody", f.at(7), notice) is None
    lifted = await reporters.unblock(db, "@Budi_SMG", f.at(7), notice)
    assert lifted is not None and lifted.user_id == 1001
    assert await strike_record(db, 1001) == StrikeRecord(0, False)
    assert await pending(db) == before + 1


async def close_twice_more(db: Database) -> None:
    report = (await submitted(db, f.draft(uid="eeeeeeee"), minute=20)).report
    await delivered(db, report.id, 21)
    await close(db, report.id, Disposition.PRANK, 22)


# --- filing: who may, duplicates, one transaction ----------------------------------------


async def test_the_filing_limit_refuses_and_leaves_nothing_behind(db: Database) -> None:
    limit = FilingLimit(2, timedelta(minutes=10))
    await submitted(db, f.draft(uid="aaaaaaaa"), limit=limit)
    await submitted(db, f.draft(uid="bbbbbbbb"), minute=1, limit=limit)
    third = f.draft(uid="cccccccc")
    await drafts.save_draft(db, third, f.at(5, 2), timedelta(hours=1))
    before = await pending(db)
    done = await reports.submit_report(
        db, third, f.reporter(), f.intake(limit=limit), f.at(5, 2), card
    )
    assert done == Refused(Refusal.RATE_LIMITED, 2)
    assert await pending(db) == before
    assert (await drafts.open_session(db, f.reporter(), 1001, f.at(5, 3))).draft == third
    # The same draft sent again after it was filed is the first report, never a refusal.
    first = await reports.submit_report(
        db, f.draft(uid="aaaaaaaa"), f.reporter(), f.intake(limit=limit), f.at(5, 4), card
    )
    assert isinstance(first, Submitted) and not first.created
    later = await submitted(db, third, minute=11, limit=limit)  # the window moved on
    assert later.created


async def test_possible_duplicates_nearby_or_the_reporters_own_open_report(db: Database) -> None:
    first = (await submitted(db, f.draft(uid="aaaaaaaa"))).report
    near = f.location(lat=f.SIMPANG_LIMA[0] + 0.001)  # about 110 m away
    other = (await submitted(db, f.draft(2002, uid="bbbbbbbb", location=near), 5)).report
    assert (await card_state(db, other.id)).possible_duplicate_of == first.ticket
    far = f.location(lat=f.SIMPANG_LIMA[0] + 0.05)
    away = (await submitted(db, f.draft(3003, uid="cccccccc", location=far), 6)).report
    assert (await card_state(db, away.id)).possible_duplicate_of is None
    sos = f.draft(3003, uid="dddddddd", location=far, sos=True)
    filed = (await submitted(db, sos, 7)).report
    state = await card_state(db, filed.id)
    assert state.possible_duplicate_of == away.ticket  # the same person's open report
    assert filed.followup_step == "category"


# --- alerts: the domain's timers, recorded once ------------------------------------------


async def test_due_alerts_fire_once_with_the_domains_event(db: Database) -> None:
    report = (await submitted(db, f.draft())).report
    await delivered(db, report.id, 0)
    policy = timers.TimerPolicy(claim_reminder_after=timedelta(minutes=2))
    seen: list[str] = []

    def messages(state: CardState, alert: timers.Alert) -> list[OutboundMessage]:
        seen.append(alert.key)
        return [OutboundMessage(-100, "send_message", {"text": alert.key}, "alert")]

    early = await alerts.fire_due_alerts(db, f.at(5, 1), policy, messages)
    assert early == alerts.AlertRound(0, f.at(5, 2))
    due = await alerts.fire_due_alerts(db, f.at(5, 3), policy, messages)
    assert due.fired == 1 and seen == ["unclaimed_reminder:1"]
    again = await alerts.fire_due_alerts(db, f.at(5, 3), policy, messages)
    assert again.fired == 0 and seen == ["unclaimed_reminder:1"]
    assert again.next_due == f.at(5, 4)
    async with db.read() as tx:
        row = await tx.one("SELECT data, actor_kind FROM report_events WHERE kind = 'alert'")
    assert row is not None and row["actor_kind"] == "system"
    assert json.loads(row["data"]) == {
        "key": "unclaimed_reminder:1",
        "alert": "unclaimed_reminder",
        "seq": 1,
    }
    alert = timers.Alert(timers.AlertKind.UNCLAIMED_REMINDER, f.at(5, 2), 1)
    assert await alerts.record_alert(db, report.id, alert, f.at(5, 5), card) is None


async def test_a_closed_report_fires_nothing(db: Database) -> None:
    report = (await submitted(db, f.draft())).report
    await delivered(db, report.id, 0)
    await close(db, report.id, Disposition.FALSE_ALARM, 1)
    overdue = timers.Alert(timers.AlertKind.RESPONSE_OVERDUE, f.at(5, 10))
    assert await alerts.record_alert(db, report.id, overdue, f.at(5, 30), card) is None
    done = await alerts.fire_due_alerts(db, f.at(6), timers.DEFAULT_POLICY, lambda s, a: [])
    assert done == alerts.AlertRound(0, None)


async def test_the_scheduler_loads_only_reports_whose_alert_is_due_or_unknown(db: Database) -> None:
    first = (await submitted(db, f.draft(uid="aaaaaaaa"))).report
    second = (await submitted(db, f.draft(uid="bbbbbbbb", user_id=1002))).report
    for report in (first, second):
        await delivered(db, report.id, 0)
    policy = timers.TimerPolicy(claim_reminder_after=timedelta(minutes=2))

    def messages(state: CardState, alert: timers.Alert) -> list[OutboundMessage]:
        return []

    assert await reports_store.alerts_to_check(db, f.at(5, 1)) == [first.id, second.id]
    round_ = await alerts.fire_due_alerts(db, f.at(5, 1), policy, messages)
    assert round_.next_due == f.at(5, 2)
    assert await reports_store.alerts_to_check(db, f.at(5, 1)) == []  # nothing loaded in vain
    assert await reports_store.alerts_to_check(db, f.at(5, 2)) == [first.id, second.id]

    # A claim changes the schedule: that report is worked out again, the other is not.
    action = lifecycle.Claim(SARI)
    await reports.apply_action(db, first.id, action, f.at(5, 1), no_messages, strikes=POLICY)
    assert await reports_store.alerts_to_check(db, f.at(5, 1)) == [first.id]
    round_ = await alerts.fire_due_alerts(db, f.at(5, 1), policy, messages)
    assert await reports_store.alerts_to_check(db, f.at(5, 1)) == []
    claimed_next = timers.next_due((await card_state(db, first.id)).snapshot, frozenset(), policy)
    assert claimed_next is not None and claimed_next > f.at(5, 2)
    assert round_.next_due == f.at(5, 2)  # the unclaimed one's reminder

    # At start the policy may have changed: everything is worked out again.
    slower = timers.TimerPolicy(claim_reminder_after=timedelta(minutes=5))
    round_ = await alerts.fire_due_alerts(db, f.at(5, 1), slower, messages, recompute=True)
    assert round_ == alerts.AlertRound(0, f.at(5, 5))


# --- adding to a report, relays ----------------------------------------------------------


async def test_a_message_adds_to_a_report_once(db: Database) -> None:
    report = (await submitted(db, f.draft())).report
    changes = ReportChanges(details="Ada asap hitam", attachments=[f.photo(9)])
    incoming = (1001, 555, report.id)
    first = await reports.update_report(db, report.id, changes, f.at(5, 3), card, incoming=incoming)
    assert first is not None
    assert first.report.details == f"{report.details}\nAda asap hitam"
    assert len(first.report.attachments) == 1
    again = await reports.update_report(db, report.id, changes, f.at(5, 4), card, incoming=incoming)
    assert again is None
    assert await reports.relay(db, [], f.at(5, 5), incoming=incoming) is False
    with pytest.raises(LookupError):
        await reports.update_report(db, 999, changes, f.at(5, 5), card)


async def test_a_card_opened_from_a_digest_only_once(db: Database) -> None:
    report = (await submitted(db, f.draft())).report
    assert await reports.open_card(db, report.id, f.at(5, 1), card) is False  # already queued
    async with db.transaction() as tx:
        await tx.execute("UPDATE outbox SET status = 'superseded'")
    assert await reports.open_card(db, report.id, f.at(5, 2), card) is True
    assert await reports.open_card(db, report.id, f.at(5, 3), card) is False
    with pytest.raises(LookupError):
        await reports.open_card(db, 999, f.at(5, 3), card)


async def test_a_live_location_moves_only_an_open_reports_card(db: Database) -> None:
    live = f.location(f.LocationSource.LIVE, live_message_id=77)
    report = (await submitted(db, f.draft(location=live))).report
    moved = f.location(f.LocationSource.LIVE, lat=-6.995, live_message_id=77)
    assert await reports.follow_live_location(db, 1001, 78, moved, f.at(5, 2), card) is None
    state = await reports.follow_live_location(db, 1001, 77, moved, f.at(5, 2), card)
    assert state is not None and state.report.id == report.id
    assert state.report.location is not None and state.report.location.lat == -6.995
    await delivered(db, report.id, 3)
    await close(db, report.id, Disposition.FALSE_ALARM, 4)
    assert await reports.follow_live_location(db, 1001, 77, moved, f.at(5, 5), card) is None
