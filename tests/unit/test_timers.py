"""The 10-minute clock with explicit ``now`` values (no sleeping, no real clock)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.domain.lifecycle import (
    CardDelivered,
    Claim,
    Close,
    Dispatch,
    Dispatcher,
    Disposition,
    EventKind,
    Officer,
    OnScene,
    ReporterActor,
    ReportSnapshot,
    ReportState,
    apply,
    replay,
    submit,
)
from bot.domain.timers import (
    DEFAULT_POLICY,
    Alert,
    AlertKind,
    TimerPolicy,
    alert_key,
    due_alerts,
    is_overdue,
    next_due,
    record_alert,
    waiting_past_target,
)

WIB = timezone(timedelta(hours=7), "WIB")
T0 = datetime(2026, 3, 27, 14, 0, tzinfo=WIB)
SARI = Dispatcher(user_id=11, name="Sari")
DAMKAR = Officer(user_id=31, agency="damkar")

REMINDER = AlertKind.UNCLAIMED_REMINDER
OVERDUE = AlertKind.RESPONSE_OVERDUE
ONCE = TimerPolicy(claim_reminder_repeat=None)


def m(minutes: float) -> datetime:
    """``minutes`` after t0."""
    return T0 + timedelta(minutes=minutes)


def received() -> ReportSnapshot:
    """A report whose card reached the dispatchers at t0 (submitted 10 s earlier)."""
    first = submit("SMG-260327-0001", ReporterActor(501), T0 - timedelta(seconds=10))
    return apply(first.snapshot, CardDelivered(), T0).snapshot


def claimed(at_minute: float = 1) -> ReportSnapshot:
    return apply(received(), Claim(SARI), m(at_minute)).snapshot


def keys(alerts: list[Alert]) -> list[str]:
    return [alert.key for alert in alerts]


def test_alert_keys() -> None:
    assert alert_key(REMINDER) == "unclaimed_reminder:1"
    assert alert_key(REMINDER, 3) == "unclaimed_reminder:3"
    assert alert_key(OVERDUE) == "response_overdue"
    assert Alert(REMINDER, m(4), 2).key == "unclaimed_reminder:2"


def test_default_policy() -> None:
    assert DEFAULT_POLICY.claim_reminder_after == timedelta(minutes=2)
    assert DEFAULT_POLICY.claim_reminder_repeat == timedelta(minutes=2)
    assert DEFAULT_POLICY.response_target == timedelta(minutes=10)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"claim_reminder_after": timedelta(seconds=-1)},
        {"claim_reminder_repeat": timedelta(0)},
        {"response_target": timedelta(0)},
    ],
)
def test_policy_validation(kwargs: dict[str, timedelta]) -> None:
    with pytest.raises(ValueError):
        TimerPolicy(**kwargs)


# -------------------------------------------------------------------------- unclaimed reminder


def test_submitted_report_has_no_clock() -> None:
    snapshot = submit("SMG-260327-0001", ReporterActor(501), T0).snapshot
    assert due_alerts(snapshot, m(60), set()) == []
    assert next_due(snapshot, set()) is None


def test_reminder_not_due_before_two_minutes() -> None:
    snapshot = received()
    assert due_alerts(snapshot, m(1.99), set()) == []
    assert next_due(snapshot, set()) == m(2)


def test_reminder_due_at_exactly_two_minutes() -> None:
    alerts = due_alerts(received(), m(2), set())
    assert alerts == [Alert(REMINDER, m(2), 1)]


def test_fired_reminder_is_not_repeated_until_the_interval() -> None:
    snapshot, fired = received(), {"unclaimed_reminder:1"}
    assert due_alerts(snapshot, m(3.5), fired) == []
    assert next_due(snapshot, fired) == m(4)
    assert keys(due_alerts(snapshot, m(4), fired)) == ["unclaimed_reminder:2"]


def test_reminders_missed_during_downtime_collapse_to_the_latest() -> None:
    snapshot = received()
    # Bot was down from t0+1 to t0+7: reminders 1 (2'), 2 (4'), 3 (6') were all missed.
    assert next_due(snapshot, set()) == m(2)  # in the past: run now
    alerts = due_alerts(snapshot, m(7), set())
    assert alerts == [Alert(REMINDER, m(6), 3)]
    assert next_due(snapshot, {"unclaimed_reminder:3"}) == m(8)


def test_reminder_once_policy() -> None:
    snapshot = received()
    assert due_alerts(snapshot, m(7), set(), ONCE) == [Alert(REMINDER, m(2), 1)]
    fired = {"unclaimed_reminder:1"}
    assert due_alerts(snapshot, m(9), fired, ONCE) == []
    assert next_due(snapshot, fired, ONCE) == m(10)  # only the overdue alert is left


def test_custom_reminder_timing() -> None:
    policy = TimerPolicy(
        claim_reminder_after=timedelta(minutes=1),
        claim_reminder_repeat=timedelta(minutes=3),
        response_target=timedelta(minutes=8),
    )
    snapshot = received()
    assert next_due(snapshot, set(), policy) == m(1)
    assert keys(due_alerts(snapshot, m(4), {"unclaimed_reminder:1"}, policy)) == [
        "unclaimed_reminder:2"
    ]
    assert keys(due_alerts(snapshot, m(8), {"unclaimed_reminder:3"}, policy)) == [
        "response_overdue"
    ]


def test_claim_stops_reminders() -> None:
    snapshot = claimed(at_minute=3)
    assert due_alerts(snapshot, m(5), {"unclaimed_reminder:1"}) == []
    assert next_due(snapshot, {"unclaimed_reminder:1"}) == m(10)


def test_unrelated_keys_in_fired_are_ignored() -> None:
    snapshot = received()
    fired = {"unclaimed_reminder:x", "something_else"}
    assert next_due(snapshot, fired) == m(2)


# ---------------------------------------------------------------------------- response overdue


def test_overdue_fires_at_ten_minutes_and_only_once() -> None:
    snapshot = claimed()
    assert due_alerts(snapshot, m(9.99), set()) == []
    assert due_alerts(snapshot, m(10), set()) == [Alert(OVERDUE, m(10))]
    assert due_alerts(snapshot, m(25), {"response_overdue"}) == []
    assert next_due(snapshot, {"response_overdue"}) is None


def test_unclaimed_at_ten_minutes_gets_both_alerts() -> None:
    alerts = due_alerts(received(), m(10), {"unclaimed_reminder:4"})
    assert alerts == [Alert(REMINDER, m(10), 5), Alert(OVERDUE, m(10))]


def test_alerts_come_oldest_first() -> None:
    alerts = due_alerts(received(), m(11), {"unclaimed_reminder:4"})
    assert alerts == [Alert(REMINDER, m(10), 5), Alert(OVERDUE, m(10))]  # tie: reminder first
    alerts = due_alerts(received(), m(12.5), {"unclaimed_reminder:4"})
    assert alerts == [Alert(OVERDUE, m(10)), Alert(REMINDER, m(12), 6)]


def test_on_scene_stops_the_clock() -> None:
    dispatched = apply(claimed(), Dispatch(SARI, "damkar"), m(2)).snapshot
    on_scene = apply(dispatched, OnScene(DAMKAR), m(9)).snapshot
    assert due_alerts(on_scene, m(30), set()) == []
    assert next_due(on_scene, set()) is None
    assert next_due(dispatched, set()) == m(10)


def test_closed_report_fires_nothing() -> None:
    closed = apply(received(), Close(SARI, Disposition.PRANK), m(1)).snapshot
    assert due_alerts(closed, m(30), set()) == []
    assert next_due(closed, set()) is None


# ------------------------------------------------------------------------- persistence / restart


def test_recorded_alerts_survive_a_restart_via_replay() -> None:
    first = submit("SMG-260327-0001", ReporterActor(501), T0 - timedelta(seconds=10))
    delivered = apply(first.snapshot, CardDelivered(), T0)
    events = [first.event, delivered.event]
    snapshot = delivered.snapshot
    for alert in due_alerts(snapshot, m(2.01), snapshot.alerts_fired):
        transition = record_alert(snapshot, alert, m(2.01))
        events.append(transition.event)
        snapshot = transition.snapshot
    event = events[-1]
    assert event.kind is EventKind.ALERT
    assert event.from_state is event.to_state is ReportState.RECEIVED
    assert event.data == {"key": "unclaimed_reminder:1", "alert": "unclaimed_reminder", "seq": 1}
    # "Restart": everything is rebuilt from the stored log.
    restored = replay(events)
    assert restored == snapshot
    assert restored.alerts_fired == {"unclaimed_reminder:1"}
    assert due_alerts(restored, m(3), restored.alerts_fired) == []
    assert next_due(restored, restored.alerts_fired) == m(4)
    # Alerts do not disturb later transitions.
    assert apply(restored, Claim(SARI), m(3)).snapshot.claimed_at == m(3)


def test_record_alert_checks_time() -> None:
    snapshot = received()
    alert = Alert(REMINDER, m(2), 1)
    with pytest.raises(ValueError, match="timezone-aware"):
        record_alert(snapshot, alert, datetime(2026, 3, 27, 14, 2))
    with pytest.raises(ValueError, match="before the last event"):
        record_alert(snapshot, alert, m(-1))


def test_scheduler_loop_sleeps_exactly_until_each_alert() -> None:
    """Simulate a scheduler: sleep until next_due, send what is due, record it; claim at 5'."""
    snapshot = received()
    sent: list[tuple[datetime, str]] = []
    wakeups = 0
    while (wake := next_due(snapshot, snapshot.alerts_fired)) is not None:
        wakeups += 1
        assert wakeups < 20, "scheduler would spin"
        if snapshot.state is ReportState.RECEIVED and wake > m(5):
            snapshot = apply(snapshot, Claim(SARI), m(5)).snapshot
            continue
        alerts = due_alerts(snapshot, wake, snapshot.alerts_fired)
        assert alerts, "woken up for nothing"
        for alert in alerts:
            snapshot = record_alert(snapshot, alert, wake).snapshot
            sent.append((wake, alert.key))
    assert sent == [
        (m(2), "unclaimed_reminder:1"),
        (m(4), "unclaimed_reminder:2"),
        (m(10), "response_overdue"),
    ]


# ------------------------------------------------------------------------------------ the ⚠ badge


def test_is_overdue() -> None:
    snapshot = claimed()
    assert not is_overdue(snapshot, m(9.99))
    assert is_overdue(snapshot, m(10))
    dispatched = apply(snapshot, Dispatch(SARI, "damkar"), m(2)).snapshot
    early = apply(dispatched, OnScene(DAMKAR), m(10)).snapshot
    late = apply(dispatched, OnScene(DAMKAR), m(10.5)).snapshot
    assert not is_overdue(early, m(60))
    assert is_overdue(late, m(60))
    assert is_overdue(late, m(60), target=timedelta(minutes=12)) is False
    closed = apply(snapshot, Close(SARI, Disposition.FALSE_ALARM), m(3)).snapshot
    assert not is_overdue(closed, m(60))
    assert not is_overdue(ReportSnapshot(), m(60))


def test_one_late_now_rule_for_the_queue_the_map_and_an_open_card() -> None:
    start = T0
    target = timedelta(minutes=10)
    at = start + target
    assert waiting_past_target(start, None, open_=True, now=at, target=target)
    assert not waiting_past_target(
        start, None, open_=True, now=at - timedelta(seconds=1), target=target
    )
    assert not waiting_past_target(start, at, open_=True, now=at, target=target)
    assert not waiting_past_target(start, None, open_=False, now=at, target=target)
    assert not waiting_past_target(None, None, open_=True, now=at, target=target)
