"""The 10-minute clock: which alerts are due for a report, and when the next one will be.

Pure functions of stored data (a :class:`~bot.domain.lifecycle.ReportSnapshot`, the set of
alert keys
already fired, a policy and an explicit ``now``). Nothing is kept in memory, so a scheduler can
restart at any time, recompute :func:`next_due` for every open report and sleep exactly until
the earliest one.

Alerts
------
``UNCLAIMED_REMINDER``
    The card is still unclaimed (state RECEIVED) ``claim_reminder_after`` (default 2 min) after
    t0. With ``claim_reminder_repeat`` set (default every 2 min) it repeats while the card stays
    unclaimed; each repetition has its own key ``"unclaimed_reminder:<n>"`` (n = 1, 2, ...), due
    at ``t0 + after + (n - 1) * repeat``. With ``claim_reminder_repeat=None`` it fires once
    (key ``"unclaimed_reminder:1"``). After downtime only the latest due repetition is reported:
    missed older ones are superseded, not replayed in a burst.
``RESPONSE_OVERDUE``
    Nobody is on scene ``response_target`` (default 10 min) after t0 while the report is still
    open (RECEIVED..EN_ROUTE). Fires once (key ``"response_overdue"``); the card gets ⚠.

Reports in SUBMITTED (no t0 yet), ON_SCENE (KPI met or missed, clock stopped) or CLOSED fire
nothing. Boundaries are inclusive: an alert due at ``T`` is due when ``now >= T``.

Recording: append :func:`record_alert`'s event to the report's log when an alert is sent; then
``replay(events).alerts_fired`` is exactly the ``fired`` set these functions expect.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from bot.domain.lifecycle import (
    RESPONSE_TARGET,
    ActorKind,
    Event,
    EventKind,
    ReportSnapshot,
    ReportState,
    Transition,
    fold,
)

__all__ = [
    "DEFAULT_POLICY",
    "Alert",
    "AlertKind",
    "TimerPolicy",
    "alert_key",
    "due_alerts",
    "is_overdue",
    "next_due",
    "record_alert",
]


class AlertKind(StrEnum):
    UNCLAIMED_REMINDER = "unclaimed_reminder"
    RESPONSE_OVERDUE = "response_overdue"


@dataclass(frozen=True, slots=True)
class TimerPolicy:
    """Alert timing. ``claim_reminder_repeat=None`` means the reminder fires only once."""

    claim_reminder_after: timedelta = timedelta(minutes=2)
    claim_reminder_repeat: timedelta | None = timedelta(minutes=2)
    response_target: timedelta = RESPONSE_TARGET

    def __post_init__(self) -> None:
        if self.claim_reminder_after < timedelta(0):
            raise ValueError("claim_reminder_after must not be negative")
        if self.claim_reminder_repeat is not None and self.claim_reminder_repeat <= timedelta(0):
            raise ValueError("claim_reminder_repeat must be positive (or None for once)")
        if self.response_target <= timedelta(0):
            raise ValueError("response_target must be positive")


DEFAULT_POLICY: Final = TimerPolicy()


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert instance. ``key`` identifies it in the fired set / event log."""

    kind: AlertKind
    due_at: datetime
    seq: int = 1
    """Repetition number (always 1 for RESPONSE_OVERDUE)."""

    @property
    def key(self) -> str:
        return alert_key(self.kind, self.seq)


def alert_key(kind: AlertKind, seq: int = 1) -> str:
    """``"unclaimed_reminder:<seq>"`` or ``"response_overdue"``."""
    if kind is AlertKind.RESPONSE_OVERDUE:
        return kind.value
    return f"{kind.value}:{seq}"


def _reminder_seq(key: str) -> int | None:
    prefix = f"{AlertKind.UNCLAIMED_REMINDER.value}:"
    if not key.startswith(prefix):
        return None
    try:
        return int(key[len(prefix) :])
    except ValueError:
        return None


def _reminder_due(t0: datetime, seq: int, policy: TimerPolicy) -> datetime:
    repeat = policy.claim_reminder_repeat or timedelta(0)
    return t0 + policy.claim_reminder_after + (seq - 1) * repeat


def _next_reminder(s: ReportSnapshot, fired: Set[str], policy: TimerPolicy) -> Alert | None:
    """The first reminder after the highest one already fired (may already be in the past)."""
    if s.state is not ReportState.RECEIVED or s.t0 is None:
        return None
    seqs = [n for n in map(_reminder_seq, fired) if n is not None]
    seq = max(seqs, default=0) + 1
    if policy.claim_reminder_repeat is None and seq > 1:
        return None
    return Alert(AlertKind.UNCLAIMED_REMINDER, _reminder_due(s.t0, seq, policy), seq)


def _overdue_alert(s: ReportSnapshot, fired: Set[str], policy: TimerPolicy) -> Alert | None:
    if s.t0 is None or s.t4 is not None or not s.is_open:
        return None
    alert = Alert(AlertKind.RESPONSE_OVERDUE, s.t0 + policy.response_target)
    return None if alert.key in fired else alert


def due_alerts(
    snapshot: ReportSnapshot,
    now: datetime,
    fired: Set[str],
    policy: TimerPolicy = DEFAULT_POLICY,
) -> list[Alert]:
    """Alerts to send now (not yet in ``fired``), oldest ``due_at`` first (reminder first on a tie).

    At most one reminder is returned: the latest repetition due at ``now``.
    """
    due: list[Alert] = []
    reminder = _next_reminder(snapshot, fired, policy)
    if reminder is not None and reminder.due_at <= now:
        if policy.claim_reminder_repeat is not None:
            # Skip repetitions missed during downtime: report only the latest one due.
            assert snapshot.t0 is not None
            elapsed = now - (snapshot.t0 + policy.claim_reminder_after)
            latest = elapsed // policy.claim_reminder_repeat + 1
            reminder = Alert(
                AlertKind.UNCLAIMED_REMINDER,
                _reminder_due(snapshot.t0, latest, policy),
                latest,
            )
        due.append(reminder)
    overdue = _overdue_alert(snapshot, fired, policy)
    if overdue is not None and overdue.due_at <= now:
        due.append(overdue)
    return sorted(due, key=lambda alert: alert.due_at)


def next_due(
    snapshot: ReportSnapshot,
    fired: Set[str],
    policy: TimerPolicy = DEFAULT_POLICY,
) -> datetime | None:
    """When the next not-yet-fired alert becomes due; ``None`` if none ever will.

    The result may lie in the past (an alert missed while the bot was down): the scheduler then
    runs :func:`due_alerts` immediately. After the due alerts are recorded as fired, this moves
    forward, so a scheduler loop never spins.
    """
    candidates = [
        alert.due_at
        for alert in (
            _next_reminder(snapshot, fired, policy),
            _overdue_alert(snapshot, fired, policy),
        )
        if alert is not None
    ]
    return min(candidates, default=None)


def is_overdue(
    snapshot: ReportSnapshot, now: datetime, target: timedelta = RESPONSE_TARGET
) -> bool:
    """Whether the card deserves ⚠: response target missed, or being missed right now.

    True if an officer arrived later than ``t0 + target``, or nobody is on scene at ``now >=
    t0 + target`` while the report is open. A closed report without anyone on scene is not
    marked (nothing left to chase).
    """
    if snapshot.t0 is not None and snapshot.t4 is not None:
        return snapshot.t4 > snapshot.t0 + target
    return waiting_past_target(snapshot.t0, None, open_=snapshot.is_open, now=now, target=target)


def waiting_past_target(
    start: datetime | None,
    on_scene_at: datetime | None,
    *,
    open_: bool,
    now: datetime,
    target: timedelta = RESPONSE_TARGET,
) -> bool:
    """The one "late now" rule (⚠ in ``/antrian``, on ``/peta`` and on an open card): the
    report is open, nobody is on scene, and ``target`` has passed since ``start``."""
    return start is not None and open_ and on_scene_at is None and now - start >= target


def record_alert(snapshot: ReportSnapshot, alert: Alert, at: datetime) -> Transition:
    """Record that ``alert`` was sent at ``at``: the event to append, and the new snapshot.

    The state does not change. The event's ``data`` is ``{"key": alert.key, "alert":
    alert.kind.value, "seq": alert.seq}``; :func:`bot.domain.lifecycle.replay` collects the keys
    into
    ``ReportSnapshot.alerts_fired``.
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("timestamps must be timezone-aware")
    if snapshot.updated_at is not None and at < snapshot.updated_at:
        raise ValueError("alert time is before the last event")
    event = Event(
        kind=EventKind.ALERT,
        from_state=snapshot.state,
        to_state=snapshot.state,
        actor_kind=ActorKind.SYSTEM,
        actor_id=None,
        actor_name="system",
        at=at,
        data={"key": alert.key, "alert": alert.kind.value, "seq": alert.seq},
    )
    return Transition(snapshot=fold(snapshot, event), event=event)
