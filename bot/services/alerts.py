"""The 10-minute clock's use cases: fire the timer alerts that fell due, once each.

Which alerts are due and what a fired alert records are the domain's
(:mod:`bot.domain.timers`); a fired alert is an event in the report's timeline, so after
a restart nothing fires twice and nothing due is forgotten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.domain import timers
from bot.domain.card import CardState
from bot.domain.messages import OutboundMessage
from storage import events, outbox, reports
from storage.cards import card_state, load_card
from storage.db import Database

CardMessages = Callable[[CardState], list[OutboundMessage]]
AlertMessages = Callable[[CardState, timers.Alert], list[OutboundMessage]]


async def record_alert(
    db: Database, report_id: int, alert: timers.Alert, now: datetime, messages: CardMessages
) -> CardState | None:
    """Record a fired alert (:func:`bot.domain.timers.record_alert`) with its messages.

    None, with nothing written, when that alert was already fired or the report is no
    longer open.
    """
    async with db.transaction() as tx:
        before = await load_card(tx, report_id)
        snap = before.snapshot
        if alert.key in snap.alerts_fired or not snap.is_open:
            return None
        step = timers.record_alert(snap, alert, max(now, snap.updated_at or now))
        await events.append_event(tx, report_id, step.event)
        after = await load_card(tx, report_id)
        await outbox.enqueue(tx, messages(after), now)
    return after


@dataclass(frozen=True)
class AlertRound:
    """What one pass over the open reports did: alerts fired, and when the next falls due."""

    fired: int
    next_due: datetime | None


async def fire_due_alerts(
    db: Database,
    now: datetime,
    policy: timers.TimerPolicy,
    messages: AlertMessages,
    *,
    recompute: bool = False,
) -> AlertRound:
    """Fire every alert due now (each in its own transaction).

    Only reports whose indexed next alert is due, or not known yet, are loaded; after its
    alerts fire, each gets its next due time back in the same transaction that reads its
    state, so a claim in between cannot be overwritten by a stale schedule. ``recompute``
    (at start: the policy may have changed) works every open report out again.
    """
    if recompute:
        await reports.forget_alert_schedule(db)
    fired = 0
    for report_id in await reports.alerts_to_check(db, now):
        state = await card_state(db, report_id)
        for alert in timers.due_alerts(state.snapshot, now, state.snapshot.alerts_fired, policy):
            done = await record_alert(
                db,
                report_id,
                alert,
                now,
                lambda s, a=alert: messages(s, a),  # type: ignore[misc]
            )
            if done is not None:
                fired += 1
        async with db.transaction() as tx:
            snap = (await load_card(tx, report_id)).snapshot
            if snap.is_open:
                await reports.set_next_alert(
                    tx, report_id, timers.next_due(snap, snap.alerts_fired, policy)
                )
    return AlertRound(fired, await reports.next_alert(db))
