"""Report lifecycle: every state x action pair, idempotency, replay, response times."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.domain.lifecycle import (
    OPEN_STATES,
    RESPONSE_TARGET,
    Action,
    ActorKind,
    CancelByReporter,
    CardDelivered,
    Claim,
    Close,
    Dispatch,
    Dispatcher,
    Disposition,
    EnRoute,
    Event,
    EventKind,
    IllegalTransition,
    Officer,
    OnScene,
    Reassign,
    ReporterActor,
    ReportSnapshot,
    ReportState,
    ResponseTimes,
    allowed_dispositions,
    apply,
    replay,
    response_times,
    submit,
)

WIB = timezone(timedelta(hours=7), "WIB")
T_SUBMIT = datetime(2026, 3, 27, 14, 0, 0, tzinfo=WIB)
TICKET = "SMG-260327-0001"
OTHER_TICKET = "SMG-260327-0002"

REPORTER = ReporterActor(user_id=501, name="Wati")
STRANGER = ReporterActor(user_id=999)
SARI = Dispatcher(user_id=11, name="Sari")
BUDI = Dispatcher(user_id=12, name="Budi")
DAMKAR = Officer(user_id=31, agency="damkar", name="Pak Joko")
PMI = Officer(user_id=32, agency="pmi")
POLISI = Officer(user_id=33, agency="polisi")

S = ReportState


def at(minutes: float) -> datetime:
    """A moment ``minutes`` after submission."""
    return T_SUBMIT + timedelta(minutes=minutes)


# The happy path; a report "in state X" is built by applying a prefix of these steps.
HAPPY_PATH: list[tuple[ReportState, Action]] = [
    (S.RECEIVED, CardDelivered()),
    (S.CLAIMED, Claim(SARI)),
    (S.DISPATCHED, Dispatch(SARI, "damkar", "Pos Damkar Tugu")),
    (S.EN_ROUTE, EnRoute(DAMKAR)),
    (S.ON_SCENE, OnScene(DAMKAR)),
    (S.CLOSED, Close(SARI, Disposition.RESOLVED)),
]
ALL_STATES = [S.SUBMITTED, *(state for state, _ in HAPPY_PATH)]


def build(state: ReportState) -> tuple[ReportSnapshot, list[Event]]:
    """A report in ``state`` via legal steps, one minute apart; returns snapshot and log."""
    first = submit(TICKET, REPORTER, at(0))
    snapshot, events = first.snapshot, [first.event]
    for minute, (reached, action) in enumerate(HAPPY_PATH, start=1):
        if snapshot.state is state:
            break
        transition = apply(snapshot, action, at(minute))
        assert transition.state is reached
        snapshot = transition.snapshot
        events.append(transition.event)
    assert snapshot.state is state
    return snapshot, events


# ------------------------------------------------------------------ the full state x action table

OK = "ok"
ND, NC, AC = "not_delivered", "not_claimed", "already_claimed"
CBO, NDI, AND = "claimed_by_other", "not_dispatched", "agency_not_dispatched"
DNA, CAD, NR = "disposition_not_allowed", "cancel_after_dispatch", "not_reporter"
DOS, RC = "duplicate_of_self", "report_closed"
SAME, PAST = "already_in_state", "already_past"

# Columns: SUBMITTED, RECEIVED, CLAIMED, DISPATCHED, EN_ROUTE, ON_SCENE, CLOSED (resolved by Sari).
# A ReportState means "legal, goes to that state"; a string is the refusal code.
TABLE: dict[str, tuple[Action, tuple[ReportState | str, ...]]] = {
    "card_delivered": (CardDelivered(), (S.RECEIVED, SAME, PAST, PAST, PAST, PAST, RC)),
    "claim_by_owner": (Claim(SARI), (ND, S.CLAIMED, SAME, PAST, PAST, PAST, RC)),
    "claim_by_other": (Claim(BUDI), (ND, S.CLAIMED, AC, AC, AC, AC, RC)),
    "takeover_by_other": (
        Reassign(BUDI, to=BUDI),
        (ND, NC, S.CLAIMED, S.DISPATCHED, S.EN_ROUTE, S.ON_SCENE, RC),
    ),
    "reassign_to_owner": (Reassign(BUDI, to=SARI), (ND, NC, SAME, SAME, SAME, SAME, RC)),
    "dispatch_primary": (Dispatch(SARI, "damkar"), (ND, NC, S.DISPATCHED, SAME, SAME, SAME, RC)),
    "dispatch_backup": (
        Dispatch(SARI, "pmi"),
        (ND, NC, S.DISPATCHED, S.DISPATCHED, S.EN_ROUTE, S.ON_SCENE, RC),
    ),
    "dispatch_by_other": (Dispatch(BUDI, "pmi"), (ND, NC, CBO, CBO, CBO, CBO, RC)),
    "en_route_officer": (EnRoute(DAMKAR), (ND, NDI, NDI, S.EN_ROUTE, SAME, PAST, RC)),
    "en_route_wrong_agency": (EnRoute(POLISI), (ND, NDI, NDI, AND, SAME, PAST, RC)),
    "en_route_owner": (EnRoute(SARI), (ND, NDI, NDI, S.EN_ROUTE, SAME, PAST, RC)),
    "en_route_other_dispatcher": (EnRoute(BUDI), (ND, NDI, NDI, CBO, SAME, PAST, RC)),
    "on_scene_officer": (OnScene(DAMKAR), (ND, NDI, NDI, S.ON_SCENE, S.ON_SCENE, SAME, RC)),
    "on_scene_wrong_agency": (OnScene(POLISI), (ND, NDI, NDI, AND, AND, SAME, RC)),
    "on_scene_owner": (OnScene(SARI), (ND, NDI, NDI, S.ON_SCENE, S.ON_SCENE, SAME, RC)),
    "on_scene_other_dispatcher": (OnScene(BUDI), (ND, NDI, NDI, CBO, CBO, SAME, RC)),
    "close_resolved": (
        Close(SARI, Disposition.RESOLVED),
        (ND, DNA, S.CLOSED, S.CLOSED, S.CLOSED, S.CLOSED, SAME),
    ),
    "close_resolved_other": (
        Close(BUDI, Disposition.RESOLVED),
        (ND, DNA, CBO, CBO, CBO, CBO, SAME),
    ),
    "close_prank": (
        Close(SARI, Disposition.PRANK),
        (ND, S.CLOSED, S.CLOSED, S.CLOSED, S.CLOSED, S.CLOSED, RC),
    ),
    "close_prank_other": (
        Close(BUDI, Disposition.PRANK),
        (ND, S.CLOSED, CBO, CBO, CBO, CBO, RC),
    ),
    "close_false_alarm": (
        Close(SARI, Disposition.FALSE_ALARM),
        (ND, S.CLOSED, S.CLOSED, S.CLOSED, S.CLOSED, S.CLOSED, RC),
    ),
    "close_no_further_action": (
        Close(SARI, Disposition.NO_FURTHER_ACTION),
        (ND, S.CLOSED, S.CLOSED, S.CLOSED, S.CLOSED, S.CLOSED, RC),
    ),
    "close_duplicate": (
        Close(SARI, Disposition.DUPLICATE, duplicate_of=OTHER_TICKET),
        (ND, S.CLOSED, S.CLOSED, S.CLOSED, S.CLOSED, S.CLOSED, RC),
    ),
    "close_duplicate_of_self": (
        Close(SARI, Disposition.DUPLICATE, duplicate_of=TICKET),
        (ND, DOS, DOS, DOS, DOS, DOS, RC),
    ),
    "close_transferred": (
        Close(SARI, Disposition.TRANSFERRED, transfer_to="LAPOR!"),
        (ND, S.CLOSED, S.CLOSED, S.CLOSED, S.CLOSED, S.CLOSED, RC),
    ),
    "close_cancelled_by_reporter": (
        Close(SARI, Disposition.CANCELLED_BY_REPORTER),
        (ND, S.CLOSED, S.CLOSED, CAD, CAD, CAD, RC),
    ),
    "cancel_by_reporter": (
        CancelByReporter(REPORTER),
        (S.CLOSED, S.CLOSED, S.CLOSED, CAD, CAD, CAD, RC),
    ),
    "cancel_by_stranger": (CancelByReporter(STRANGER), (NR, NR, NR, NR, NR, NR, NR)),
}

CASES = [
    pytest.param(state, action, expected[i], id=f"{state.value}-{name}")
    for name, (action, expected) in TABLE.items()
    for i, state in enumerate(ALL_STATES)
]


@pytest.mark.parametrize(("state", "action", "expected"), CASES)
def test_state_action_table(
    state: ReportState, action: Action, expected: ReportState | str
) -> None:
    snapshot, events = build(state)
    when = at(30)
    if isinstance(expected, ReportState):
        transition = apply(snapshot, action, when)
        assert transition.state is expected
        event = transition.event
        assert event.from_state is state
        assert event.to_state is expected
        assert event.at == when
        assert event.actor_kind is action.actor.kind
        # The state is always derivable from the log.
        assert replay([*events, event]) == transition.snapshot
        assert transition.snapshot.updated_at == when
    else:
        with pytest.raises(IllegalTransition) as info:
            apply(snapshot, action, when)
        exc = info.value
        assert exc.code == expected
        assert exc.noop is (expected in {SAME, PAST})
        assert exc.params["action"] == action.name
        assert exc.params["state"] == state.value
        assert str(exc) == exc.message
        assert exc.message


def test_table_covers_every_action_type_and_state() -> None:
    kinds = {type(action) for action, _ in TABLE.values()}
    assert kinds == {
        CardDelivered,
        Claim,
        Reassign,
        Dispatch,
        EnRoute,
        OnScene,
        Close,
        CancelByReporter,
    }
    assert all(len(expected) == len(ALL_STATES) for _, expected in TABLE.values())
    assert set(ALL_STATES) == set(ReportState)
    closes = {a.disposition for a, _ in TABLE.values() if isinstance(a, Close)}
    assert closes == set(Disposition)


# ------------------------------------------------------------------------------- happy path


def test_happy_path_records_every_milestone() -> None:
    snapshot, events = build(S.CLOSED)
    assert [e.kind for e in events] == [
        EventKind.SUBMITTED,
        EventKind.CARD_DELIVERED,
        EventKind.CLAIMED,
        EventKind.DISPATCHED,
        EventKind.EN_ROUTE,
        EventKind.ON_SCENE,
        EventKind.CLOSED,
    ]
    assert snapshot.ticket == TICKET
    assert snapshot.reporter_id == REPORTER.user_id
    assert snapshot.submitted_at == at(0)
    assert (snapshot.t0, snapshot.t1, snapshot.t2, snapshot.t3, snapshot.t4) == (
        at(1),
        at(2),
        at(3),
        at(4),
        at(5),
    )
    assert snapshot.closed_at == at(6)
    assert snapshot.claimed_by == SARI
    assert snapshot.claimed_by_since == at(2)
    assert snapshot.agency == "damkar"
    assert snapshot.agencies == ("damkar",)
    assert snapshot.unit_note == "Pos Damkar Tugu"
    assert snapshot.disposition is Disposition.RESOLVED
    assert snapshot.is_closed and not snapshot.is_open
    assert replay(events) == snapshot


def test_event_payloads() -> None:
    _, events = build(S.CLOSED)
    submitted, delivered, claimed, dispatched, en_route, on_scene, closed = events
    assert submitted.data == {"ticket": TICKET}
    assert submitted.from_state is None
    assert (submitted.actor_kind, submitted.actor_id) == (ActorKind.REPORTER, 501)
    assert (delivered.actor_kind, delivered.actor_id, delivered.actor_name) == (
        ActorKind.SYSTEM,
        None,
        "system",
    )
    assert (claimed.actor_kind, claimed.actor_id, claimed.actor_name) == (
        ActorKind.DISPATCHER,
        11,
        "Sari",
    )
    assert dispatched.data == {"agency": "damkar", "unit_note": "Pos Damkar Tugu"}
    assert en_route.data == {"agency": "damkar"}
    assert (en_route.actor_kind, en_route.actor_id, en_route.actor_name) == (
        ActorKind.OFFICER,
        31,
        "Pak Joko",
    )
    assert on_scene.data == {"agency": "damkar"}
    assert closed.data == {"disposition": "resolved", "duplicate_of": None, "transfer_to": None}


def test_submitted_and_open_states() -> None:
    snapshot = submit(TICKET, REPORTER, at(0)).snapshot
    assert snapshot.state is S.SUBMITTED
    assert not snapshot.is_open
    assert snapshot.t0 is None
    assert OPEN_STATES == {S.RECEIVED, S.CLAIMED, S.DISPATCHED, S.EN_ROUTE, S.ON_SCENE}


def test_notes_are_trimmed_and_stored() -> None:
    snapshot, _ = build(S.DISPATCHED)
    transition = apply(snapshot, OnScene(DAMKAR, note="  unit 2 arrived  "), at(10))
    assert transition.event.note == "unit 2 arrived"
    transition = apply(
        transition.snapshot,
        Close(SARI, Disposition.NO_FURTHER_ACTION, note="   "),
        at(11),
    )
    assert transition.event.note is None


# -------------------------------------------------------------------------------- idempotency


def test_double_claim_by_same_dispatcher_is_a_noop() -> None:
    snapshot, _ = build(S.RECEIVED)
    claimed = apply(snapshot, Claim(SARI), at(2)).snapshot
    with pytest.raises(IllegalTransition) as info:
        apply(claimed, Claim(SARI), at(2))
    assert info.value.code == "already_in_state"
    assert info.value.noop


def test_claim_by_another_dispatcher_is_a_conflict_with_who_and_when() -> None:
    snapshot, _ = build(S.CLAIMED)  # claimed by Sari at 14:02 WIB
    with pytest.raises(IllegalTransition) as info:
        apply(snapshot, Claim(BUDI), at(3))
    exc = info.value
    assert exc.code == "already_claimed"
    assert not exc.noop
    assert exc.message == "already claimed by Sari at 14:02"
    assert exc.params["by"] == "Sari"
    assert exc.params["by_id"] == 11
    assert exc.params["since"] == at(2)


def test_double_close_same_disposition_is_a_noop_other_disposition_is_refused() -> None:
    snapshot, _ = build(S.CLAIMED)
    close = Close(SARI, Disposition.DUPLICATE, duplicate_of=OTHER_TICKET)
    closed = apply(snapshot, close, at(3)).snapshot
    with pytest.raises(IllegalTransition) as info:
        apply(closed, close, at(4))
    assert info.value.code == "already_in_state"
    other_ticket = Close(SARI, Disposition.DUPLICATE, duplicate_of="SMG-260327-0003")
    with pytest.raises(IllegalTransition) as info:
        apply(closed, other_ticket, at(4))
    assert info.value.code == "report_closed"
    assert info.value.message == "report is closed"
    assert info.value.params["disposition"] == "duplicate"


def test_double_cancel_by_reporter_is_a_noop() -> None:
    snapshot, _ = build(S.RECEIVED)
    closed = apply(snapshot, CancelByReporter(REPORTER), at(2)).snapshot
    assert closed.disposition is Disposition.CANCELLED_BY_REPORTER
    with pytest.raises(IllegalTransition) as info:
        apply(closed, CancelByReporter(REPORTER), at(3))
    assert info.value.code == "already_in_state"
    assert info.value.noop


def test_cancel_before_delivery_closes_without_t0() -> None:
    snapshot, events = build(S.SUBMITTED)
    transition = apply(snapshot, CancelByReporter(REPORTER, note="sudah aman"), at(0.5))
    assert transition.snapshot.state is S.CLOSED
    assert transition.snapshot.t0 is None
    assert transition.event.actor_kind is ActorKind.REPORTER
    assert replay([*events, transition.event]) == transition.snapshot
    with pytest.raises(IllegalTransition) as info:
        apply(transition.snapshot, CardDelivered(), at(1))
    assert info.value.code == "report_closed"


def test_refusal_messages_are_readable() -> None:
    received, _ = build(S.RECEIVED)
    with pytest.raises(IllegalTransition, match="cannot go on scene before dispatch"):
        apply(received, OnScene(DAMKAR), at(2))
    with pytest.raises(IllegalTransition, match="cannot go en route before dispatch"):
        apply(received, EnRoute(DAMKAR), at(2))
    dispatched, _ = build(S.DISPATCHED)
    with pytest.raises(
        IllegalTransition,
        match="cancellation by the reporter is only possible before dispatch",
    ):
        apply(dispatched, CancelByReporter(REPORTER), at(4))
    with pytest.raises(IllegalTransition, match="not dispatched to polisi") as info:
        apply(dispatched, OnScene(POLISI), at(4))
    assert info.value.params["agency"] == "polisi"
    with pytest.raises(IllegalTransition, match="handled by Sari since 14:02") as info:
        apply(dispatched, Close(BUDI, Disposition.PRANK), at(4))
    assert info.value.params["by_id"] == 11
    with pytest.raises(IllegalTransition, match="claim it first"):
        apply(received, Close(SARI, Disposition.RESOLVED), at(2))


# ---------------------------------------------------------------------- takeover, multi-agency


def test_takeover_changes_owner_not_t1() -> None:
    snapshot, events = build(S.DISPATCHED)
    transition = apply(snapshot, Reassign(BUDI, to=BUDI, note="shift change"), at(8))
    assert transition.event.kind is EventKind.REASSIGNED
    assert transition.event.data == {
        "from_id": 11,
        "from_name": "Sari",
        "to_id": 12,
        "to_name": "Budi",
    }
    taken = transition.snapshot
    assert taken.state is S.DISPATCHED
    assert taken.claimed_by == BUDI
    assert taken.claimed_by_since == at(8)
    assert taken.t1 == at(2)
    assert replay([*events, transition.event]) == taken
    # The previous owner is now "another dispatcher"; the new one may act.
    with pytest.raises(IllegalTransition) as info:
        apply(taken, Close(SARI, Disposition.FALSE_ALARM), at(9))
    assert info.value.code == "claimed_by_other"
    assert info.value.params["by"] == "Budi"
    assert apply(taken, Close(BUDI, Disposition.FALSE_ALARM), at(9)).state is S.CLOSED


def test_supervisor_can_hand_over_to_a_third_dispatcher() -> None:
    snapshot, _ = build(S.CLAIMED)
    rina = Dispatcher(user_id=13, name="Rina")
    taken = apply(snapshot, Reassign(BUDI, to=rina), at(3))
    assert taken.snapshot.claimed_by == rina
    assert taken.event.actor_id == BUDI.user_id


def test_backup_agency_can_report_on_scene() -> None:
    snapshot, events = build(S.DISPATCHED)
    added = apply(snapshot, Dispatch(SARI, "pmi", "ambulans PMI"), at(5))
    assert added.event.kind is EventKind.DISPATCH_ADDED
    assert added.snapshot.agencies == ("damkar", "pmi")
    assert added.snapshot.agency == "damkar"
    assert added.snapshot.t2 == at(3)
    assert added.snapshot.unit_note == "Pos Damkar Tugu"
    on_scene = apply(added.snapshot, OnScene(PMI), at(9))
    assert on_scene.snapshot.t4 == at(9)
    assert on_scene.event.data == {"agency": "pmi"}
    assert replay([*events, added.event, on_scene.event]) == on_scene.snapshot
    # Backup dispatched twice is "already done".
    with pytest.raises(IllegalTransition) as info:
        apply(on_scene.snapshot, Dispatch(SARI, "pmi"), at(10))
    assert info.value.code == "already_in_state"


def test_dispatcher_relays_on_scene_by_radio() -> None:
    snapshot, _ = build(S.DISPATCHED)
    transition = apply(snapshot, OnScene(SARI), at(7))
    assert transition.event.actor_kind is ActorKind.DISPATCHER
    assert transition.event.data == {}


# -------------------------------------------------------------------------- dispositions


def test_allowed_dispositions_table() -> None:
    triage = {
        Disposition.DUPLICATE,
        Disposition.TRANSFERRED,
        Disposition.FALSE_ALARM,
        Disposition.PRANK,
        Disposition.NO_FURTHER_ACTION,
    }
    cancel, resolved = Disposition.CANCELLED_BY_REPORTER, Disposition.RESOLVED
    assert allowed_dispositions(S.SUBMITTED) == set()
    assert allowed_dispositions(S.RECEIVED) == triage | {cancel}
    assert allowed_dispositions(S.CLAIMED) == triage | {cancel, resolved}
    for state in (S.DISPATCHED, S.EN_ROUTE, S.ON_SCENE):
        assert allowed_dispositions(state) == triage | {resolved}
    assert allowed_dispositions(S.CLOSED) == set()


def test_close_requires_its_ticket_or_target() -> None:
    with pytest.raises(ValueError, match="duplicate_of"):
        Close(SARI, Disposition.DUPLICATE)
    with pytest.raises(ValueError, match="duplicate_of"):
        Close(SARI, Disposition.DUPLICATE, duplicate_of="   ")
    with pytest.raises(ValueError, match="duplicate_of"):
        Close(SARI, Disposition.PRANK, duplicate_of=OTHER_TICKET)
    with pytest.raises(ValueError, match="transfer_to"):
        Close(SARI, Disposition.TRANSFERRED)
    with pytest.raises(ValueError, match="transfer_to"):
        Close(SARI, Disposition.RESOLVED, transfer_to="polisi")
    close = Close(SARI, Disposition.TRANSFERRED, transfer_to="  LAPOR! ")
    assert close.transfer_to == "LAPOR!"


def test_close_stores_duplicate_and_transfer_targets() -> None:
    snapshot, events = build(S.RECEIVED)
    dup = apply(snapshot, Close(BUDI, Disposition.DUPLICATE, duplicate_of=OTHER_TICKET), at(2))
    assert dup.snapshot.duplicate_of == OTHER_TICKET
    assert dup.snapshot.claimed_by is None
    assert replay([*events, dup.event]) == dup.snapshot
    moved = apply(snapshot, Close(BUDI, Disposition.TRANSFERRED, transfer_to="LAPOR!"), at(2))
    assert moved.snapshot.transfer_to == "LAPOR!"
    assert moved.snapshot.disposition is Disposition.TRANSFERRED


def test_dispatch_requires_an_agency() -> None:
    with pytest.raises(ValueError, match="agency"):
        Dispatch(SARI, "  ")
    dispatch = Dispatch(SARI, " damkar ", unit_note="  ")
    assert (dispatch.agency, dispatch.unit_note) == ("damkar", None)


# ------------------------------------------------------------------------------ time checks


def test_naive_and_backwards_timestamps_are_programming_errors() -> None:
    snapshot, _ = build(S.RECEIVED)
    with pytest.raises(ValueError, match="timezone-aware"):
        apply(snapshot, Claim(SARI), datetime(2026, 3, 27, 14, 5))
    with pytest.raises(ValueError, match="timezone-aware"):
        submit(TICKET, REPORTER, datetime(2026, 3, 27, 14, 5))
    with pytest.raises(ValueError, match="before the last event"):
        apply(snapshot, Claim(SARI), at(0.5))
    with pytest.raises(ValueError, match="ticket"):
        submit(" ", REPORTER, at(0))


def test_timezones_may_differ_between_events() -> None:
    snapshot, _ = build(S.RECEIVED)
    later_utc = at(2).astimezone(UTC)
    claimed = apply(snapshot, Claim(SARI), later_utc)
    assert response_times(claimed.snapshot).claim == timedelta(minutes=1)


# ----------------------------------------------------------------------------------- replay


def test_replay_of_every_prefix_matches_apply() -> None:
    first = submit(TICKET, REPORTER, at(0))
    snapshot, events = first.snapshot, [first.event]
    for minute, (_, action) in enumerate(HAPPY_PATH, start=1):
        transition = apply(snapshot, action, at(minute))
        events.append(transition.event)
        snapshot = transition.snapshot
        assert replay(events) == snapshot


def test_replay_through_json_dicts() -> None:
    snapshot, events = build(S.CLOSED)
    restored = [Event.from_dict(e.to_dict()) for e in events]
    assert restored == events
    assert replay(restored) == snapshot
    raw = events[3].to_dict()
    assert raw["kind"] == "dispatched"
    assert raw["at"] == "2026-03-27T14:03:00+07:00"


def test_from_dict_rejects_bad_data() -> None:
    raw = build(S.RECEIVED)[1][1].to_dict()
    with pytest.raises(ValueError, match="mapping"):
        Event.from_dict({**raw, "data": ["x"]})
    with pytest.raises(ValueError, match="str/int/None"):
        Event.from_dict({**raw, "data": {"x": 1.5}})


def test_replay_rejects_broken_logs() -> None:
    _, events = build(S.CLAIMED)
    with pytest.raises(ValueError, match="empty"):
        replay([])
    with pytest.raises(ValueError, match="must start with 'submitted'"):
        replay(events[1:])
    with pytest.raises(ValueError, match="only be the first"):
        replay([*events, events[0]])
    with pytest.raises(ValueError, match="starts from 'submitted'"):
        replay([events[0], events[1], events[1]])


# ---------------------------------------------------------------------------- response times


def snapshot_at(**times: float | None) -> ReportSnapshot:
    """A snapshot with milestones at the given minutes after submission (None = not reached)."""

    def moment(name: str) -> datetime | None:
        value = times.get(name)
        return None if value is None else at(value)

    return ReportSnapshot(
        state=S.ON_SCENE,
        received_at=moment("t0"),
        claimed_at=moment("t1"),
        dispatched_at=moment("t2"),
        en_route_at=moment("t3"),
        on_scene_at=moment("t4"),
    )


def test_response_times_hand_computed() -> None:
    # t0 14:00:30, t1 14:01:15, t2 14:03:00, t3 14:04:45, t4 14:09:30
    times = response_times(snapshot_at(t0=0.5, t1=1.25, t2=3, t3=4.75, t4=9.5))
    assert times == ResponseTimes(
        claim=timedelta(seconds=45),
        processing=timedelta(minutes=1, seconds=45),
        turnout=timedelta(minutes=1, seconds=45),
        travel=timedelta(minutes=4, seconds=45),
        dispatch_to_scene=timedelta(minutes=6, seconds=30),
        response=timedelta(minutes=9),
    )
    assert times.within_target()
    assert not times.within_target(timedelta(minutes=8))


def test_response_time_with_en_route_skipped() -> None:
    snapshot, _ = build(S.DISPATCHED)  # t0 14:01, t1 14:02, t2 14:03
    on_scene = apply(snapshot, OnScene(DAMKAR), at(12)).snapshot
    times = ResponseTimes.from_snapshot(on_scene)
    assert on_scene.t3 is None
    assert times.turnout is None
    assert times.travel is None
    assert times.dispatch_to_scene == timedelta(minutes=9)
    assert times.response == timedelta(minutes=11)
    assert times.within_target() is False


@pytest.mark.parametrize(
    ("t4", "within"),
    [(10.0, True), (10 + 1 / 60, False), (9.99, True), (None, None)],
    ids=["exactly-10-min", "10-min-1-s", "just-under", "not-on-scene"],
)
def test_within_target_boundary(t4: float | None, within: bool | None) -> None:
    times = response_times(snapshot_at(t0=0, t1=1, t2=2, t4=t4))
    assert times.within_target() is within
    assert RESPONSE_TARGET == timedelta(minutes=10)


def test_response_times_of_an_unfinished_report() -> None:
    times = response_times(snapshot_at(t0=0, t1=3))
    assert times.claim == timedelta(minutes=3)
    assert (times.processing, times.turnout, times.travel, times.response) == (
        None,
        None,
        None,
        None,
    )
    empty = response_times(ReportSnapshot())
    assert empty == ResponseTimes(None, None, None, None, None, None)


def test_snapshot_aliases() -> None:
    snapshot = snapshot_at(t0=1, t1=2, t2=3, t3=4, t4=5)
    getters: list[Callable[[ReportSnapshot], datetime | None]] = [
        lambda s: s.t0,
        lambda s: s.t1,
        lambda s: s.t2,
        lambda s: s.t3,
        lambda s: s.t4,
    ]
    assert [get(snapshot) for get in getters] == [at(m) for m in (1, 2, 3, 4, 5)]


def test_an_officer_of_a_dispatched_agency_may_close_as_resolved_once_on_scene() -> None:
    from bot.domain.lifecycle import CardDelivered as Delivered
    from bot.domain.lifecycle import (
        Claim,
        Close,
        Dispatch,
        Dispatcher,
        Disposition,
        IllegalTransition,
        Officer,
        OnScene,
        apply,
        submit,
    )
    from bot.domain.lifecycle import ReporterActor as Rep

    t0 = datetime(2026, 3, 27, 7, 0, tzinfo=UTC)
    sari = Dispatcher(1, "Sari")
    damkar = Officer(9, "damkar", "Bambang")
    snap = submit("SMG-260327-0001", Rep(5), t0).snapshot
    for action in (Delivered(), Claim(sari), Dispatch(sari, "damkar")):
        snap = apply(snap, action, t0).snapshot
    with pytest.raises(IllegalTransition) as early:
        apply(snap, Close(damkar, Disposition.RESOLVED), t0)
    assert early.value.code == "disposition_not_allowed"
    snap = apply(snap, OnScene(damkar), t0).snapshot
    with pytest.raises(IllegalTransition) as prank:
        apply(snap, Close(damkar, Disposition.PRANK), t0)
    assert prank.value.code == "disposition_not_allowed"
    with pytest.raises(IllegalTransition) as other:
        apply(snap, Close(Officer(8, "bpbd"), Disposition.RESOLVED), t0)
    assert other.value.code == "agency_not_dispatched"
    done = apply(snap, Close(damkar, Disposition.RESOLVED), t0)
    assert done.state.value == "closed" and done.event.actor_kind.value == "officer"


def test_a_unit_note_for_an_agency_already_dispatched_is_recorded() -> None:
    snapshot, events = build(S.EN_ROUTE)
    noted = apply(snapshot, Dispatch(SARI, "damkar", "Unit 3 — Pak Budi"), at(6))
    assert noted.event.kind is EventKind.UNIT_NOTED
    assert noted.state is S.EN_ROUTE and noted.snapshot.t2 == snapshot.t2
    assert noted.snapshot.unit_note == "Unit 3 — Pak Budi"
    assert noted.event.data == {"agency": "damkar", "unit_note": "Unit 3 — Pak Budi"}
    assert replay([*events, noted.event]) == noted.snapshot
    # Without a note it is still "already done"; another dispatcher may not change it.
    with pytest.raises(IllegalTransition) as info:
        apply(noted.snapshot, Dispatch(SARI, "damkar"), at(7))
    assert info.value.code == "already_in_state"
    with pytest.raises(IllegalTransition) as other:
        apply(noted.snapshot, Dispatch(BUDI, "damkar", "Unit 9"), at(7))
    assert other.value.code == "claimed_by_other"
    # A backup agency's unit note leaves the primary's alone.
    added = apply(noted.snapshot, Dispatch(SARI, "pmi"), at(8))
    backup = apply(added.snapshot, Dispatch(SARI, "pmi", "Ambulans 2"), at(9))
    assert backup.event.kind is EventKind.UNIT_NOTED
    assert backup.snapshot.unit_note == "Unit 3 — Pak Budi"
