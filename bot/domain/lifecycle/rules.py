"""The transition function: which action is allowed from which state, and what it records.

:func:`apply` validates an action against a snapshot with one small rule per action kind
(:func:`_validate` dispatches on the action's type) and folds the resulting event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import assert_never

from bot.domain.lifecycle.actions import (
    Action,
    ActorKind,
    CancelByReporter,
    CardDelivered,
    Claim,
    Close,
    Dispatch,
    Dispatcher,
    EnRoute,
    Officer,
    OnScene,
    Reassign,
    ReporterActor,
    actor_id,
    clean_note,
    required,
)
from bot.domain.lifecycle.errors import IllegalTransition, ParamValue, hhmm
from bot.domain.lifecycle.events import (
    Event,
    EventKind,
    EventValue,
    ReportSnapshot,
    Transition,
    fold,
)
from bot.domain.lifecycle.states import (
    AFTER_DISPATCH,
    STATE_ORDER,
    Disposition,
    ReportState,
    allowed_dispositions,
)

Outcome = tuple[EventKind, ReportState, dict[str, EventValue]]
"""What an allowed action records: the event kind, the state after, the event's data."""


def _check_time(snapshot: ReportSnapshot | None, at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("timestamps must be timezone-aware")
    if snapshot is not None and snapshot.updated_at is not None and at < snapshot.updated_at:
        raise ValueError(
            f"event time {at.isoformat()} is before the last event "
            f"{snapshot.updated_at.isoformat()}"
        )


def submit(ticket: str, reporter: ReporterActor, at: datetime) -> Transition:
    """Create a report: the first event of every log (state SUBMITTED)."""
    _check_time(None, at)
    event = Event(
        kind=EventKind.SUBMITTED,
        from_state=None,
        to_state=ReportState.SUBMITTED,
        actor_kind=ActorKind.REPORTER,
        actor_id=reporter.user_id,
        actor_name=reporter.name,
        at=at,
        data={"ticket": required(ticket, "ticket")},
    )
    return Transition(snapshot=fold(None, event), event=event)


def apply(snapshot: ReportSnapshot, action: Action, at: datetime) -> Transition:
    """Validate ``action`` against ``snapshot`` and return the new snapshot plus its event.

    Raises :class:`IllegalTransition` (check ``exc.noop`` for idempotent repeats) or
    ``ValueError`` for a naive or backwards ``at``.
    """
    _check_time(snapshot, at)
    kind, to_state, data = _validate(snapshot, action)
    actor = action.actor
    event = Event(
        kind=kind,
        from_state=snapshot.state,
        to_state=to_state,
        actor_kind=actor.kind,
        actor_id=actor_id(actor),
        actor_name=actor.name,
        at=at,
        note=clean_note(getattr(action, "note", None)),
        data=data,
    )
    return Transition(snapshot=fold(snapshot, event), event=event)


# ------------------------------------------------------------------------- shared refusals


@dataclass(frozen=True, slots=True)
class _Check:
    """One action against one snapshot, with the refusals the rules share."""

    s: ReportSnapshot
    action: Action

    @property
    def state(self) -> ReportState:
        return self.s.state

    def refuse(self, code: str, message: str, **params: ParamValue) -> IllegalTransition:
        return IllegalTransition(
            code, message, action=self.action.name, state=self.state.value, **params
        )

    def closed(self) -> IllegalTransition:
        disposition = None if self.s.disposition is None else self.s.disposition.value
        return self.refuse("report_closed", "report is closed", disposition=disposition)

    def noop(self, same: bool) -> IllegalTransition:
        state = self.state.value
        if same:
            return self.refuse("already_in_state", f"already {state}; nothing changed")
        return self.refuse("already_past", f"report is already {state}; nothing changed")

    def not_delivered(self) -> IllegalTransition:
        return self.refuse("not_delivered", "the card has not reached the dispatchers yet")

    def cancel_after_dispatch(self, disposition: Disposition) -> IllegalTransition:
        return self.refuse(
            "cancel_after_dispatch",
            "cancellation by the reporter is only possible before dispatch",
            disposition=disposition.value,
        )

    def agency_not_dispatched(self, agency: str) -> IllegalTransition:
        return self.refuse(
            "agency_not_dispatched",
            f"this report was not dispatched to {agency}",
            agency=agency,
        )

    def owned_by_other(self, dispatcher: Dispatcher) -> IllegalTransition | None:
        owner = self.s.claimed_by
        if owner is None or owner.user_id == dispatcher.user_id:
            return None
        return self.refuse(
            "claimed_by_other",
            f"report is handled by {owner.name} since {hhmm(self.s.claimed_by_since)}",
            by=owner.name,
            by_id=owner.user_id,
            since=self.s.claimed_by_since,
        )

    def require_delivered(self) -> None:
        """Refuse on a closed report, and on one whose card has not reached the group."""
        if self.state is ReportState.CLOSED:
            raise self.closed()
        if self.state is ReportState.SUBMITTED:
            raise self.not_delivered()


# ------------------------------------------------------------------------ one rule per action


def _validate(s: ReportSnapshot, action: Action) -> Outcome:
    c = _Check(s, action)
    match action:
        case CancelByReporter():
            return _cancel_by_reporter(c, action)
        case Close():
            return _close(c, action)
        case CardDelivered():
            return _card_delivered(c)
        case Claim():
            return _claim(c, action)
        case Reassign():
            return _reassign(c, action)
        case Dispatch():
            return _dispatch(c, action)
        case EnRoute() | OnScene():
            return _unit_progress(c, action)
        case _:  # pragma: no cover - every action kind is listed above
            assert_never(action)


def _cancel_by_reporter(c: _Check, action: CancelByReporter) -> Outcome:
    s = c.s
    if s.reporter_id is not None and action.reporter.user_id != s.reporter_id:
        raise c.refuse("not_reporter", "only the reporter can cancel this report")
    if c.state is ReportState.CLOSED:
        raise c.noop(True) if s.disposition is Disposition.CANCELLED_BY_REPORTER else c.closed()
    if c.state in AFTER_DISPATCH:
        raise c.cancel_after_dispatch(Disposition.CANCELLED_BY_REPORTER)
    return (
        EventKind.CLOSED,
        ReportState.CLOSED,
        {"disposition": Disposition.CANCELLED_BY_REPORTER.value},
    )


def _close(c: _Check, action: Close) -> Outcome:
    s, state = c.s, c.state
    if state is ReportState.CLOSED:
        same = (
            s.disposition is action.disposition
            and s.duplicate_of == action.duplicate_of
            and s.transfer_to == action.transfer_to
        )
        raise c.noop(True) if same else c.closed()
    if state is ReportState.SUBMITTED:
        raise c.not_delivered()
    if action.disposition not in allowed_dispositions(state):
        if action.disposition is Disposition.CANCELLED_BY_REPORTER:
            raise c.cancel_after_dispatch(action.disposition)
        raise c.refuse(
            "disposition_not_allowed",
            f"cannot close as {action.disposition.value} while {state.value}"
            + (" (claim it first)" if state is ReportState.RECEIVED else ""),
            disposition=action.disposition.value,
        )
    _check_closer(c, action)
    if action.duplicate_of is not None and action.duplicate_of == s.ticket:
        raise c.refuse(
            "duplicate_of_self",
            "a report cannot be a duplicate of itself",
            ticket=action.duplicate_of,
        )
    return (
        EventKind.CLOSED,
        ReportState.CLOSED,
        {
            "disposition": action.disposition.value,
            "duplicate_of": action.duplicate_of,
            "transfer_to": action.transfer_to,
        },
    )


def _check_closer(c: _Check, action: Close) -> None:
    """Officers close only as resolved, on scene, for their agency; dispatchers if they own it."""
    closer = action.actor
    if isinstance(closer, Officer):
        if action.disposition is not Disposition.RESOLVED or c.state is not ReportState.ON_SCENE:
            raise c.refuse(
                "disposition_not_allowed",
                "officers close a report only as resolved, once on scene",
                disposition=action.disposition.value,
            )
        if closer.agency not in c.s.agencies:
            raise c.agency_not_dispatched(closer.agency)
    elif (err := c.owned_by_other(closer)) is not None:
        raise err


def _card_delivered(c: _Check) -> Outcome:
    if c.state is ReportState.CLOSED:
        raise c.closed()
    if c.state is ReportState.SUBMITTED:
        return EventKind.CARD_DELIVERED, ReportState.RECEIVED, {}
    raise c.noop(c.state is ReportState.RECEIVED)


def _claim(c: _Check, action: Claim) -> Outcome:
    c.require_delivered()
    if c.state is ReportState.RECEIVED:
        return EventKind.CLAIMED, ReportState.CLAIMED, {}
    owner = c.s.claimed_by
    if owner is not None and owner.user_id == action.actor.user_id:
        raise c.noop(c.state is ReportState.CLAIMED)
    raise c.refuse(
        "already_claimed",
        f"already claimed by {owner.name if owner else '?'} at {hhmm(c.s.claimed_by_since)}",
        by=None if owner is None else owner.name,
        by_id=None if owner is None else owner.user_id,
        since=c.s.claimed_by_since,
    )


def _reassign(c: _Check, action: Reassign) -> Outcome:
    c.require_delivered()
    owner = c.s.claimed_by
    if c.state is ReportState.RECEIVED or owner is None:
        raise c.refuse("not_claimed", "report is not claimed yet; claim it instead")
    if owner.user_id == action.to.user_id:
        raise c.noop(True)
    return (
        EventKind.REASSIGNED,
        c.state,
        {
            "from_id": owner.user_id,
            "from_name": owner.name,
            "to_id": action.to.user_id,
            "to_name": action.to.name,
        },
    )


def _dispatch(c: _Check, action: Dispatch) -> Outcome:
    c.require_delivered()
    if c.state is ReportState.RECEIVED:
        raise c.refuse("not_claimed", "claim the report before dispatching")
    if action.agency in c.s.agencies and action.unit_note is None:
        raise c.noop(True)
    if (err := c.owned_by_other(action.actor)) is not None:
        raise err
    if action.agency in c.s.agencies:
        assert action.unit_note is not None
        return (
            EventKind.UNIT_NOTED,
            c.state,
            {"agency": action.agency, "unit_note": action.unit_note},
        )
    data: dict[str, EventValue] = {"agency": action.agency, "unit_note": action.unit_note}
    if c.state is ReportState.CLAIMED:
        return EventKind.DISPATCHED, ReportState.DISPATCHED, data
    return EventKind.DISPATCH_ADDED, c.state, data


def _unit_progress(c: _Check, action: EnRoute | OnScene) -> Outcome:
    """En route or on scene: after dispatch, by an officer of a dispatched agency or the owner."""
    c.require_delivered()
    target = ReportState.EN_ROUTE if isinstance(action, EnRoute) else ReportState.ON_SCENE
    if STATE_ORDER[c.state] < STATE_ORDER[ReportState.DISPATCHED]:
        verb = "go en route" if target is ReportState.EN_ROUTE else "go on scene"
        raise c.refuse("not_dispatched", f"cannot {verb} before dispatch")
    if STATE_ORDER[c.state] >= STATE_ORDER[target]:
        raise c.noop(c.state is target)
    actor = action.actor
    data: dict[str, EventValue] = {}
    if isinstance(actor, Officer):
        if actor.agency not in c.s.agencies:
            raise c.agency_not_dispatched(actor.agency)
        data = {"agency": actor.agency}
    elif (err := c.owned_by_other(actor)) is not None:
        raise err
    kind = EventKind.EN_ROUTE if target is ReportState.EN_ROUTE else EventKind.ON_SCENE
    return kind, target, data
