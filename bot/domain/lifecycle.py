"""Report lifecycle: states, typed actions, the transition function and the event log fold.

This is a pure domain module: no Telegram, no SQL, no I/O and no clock. Every timestamp is
passed in by the caller and must be timezone-aware.

Timeline and KPI
----------------
``t0`` the card reached the dispatchers' group (``RECEIVED``), ``t1`` a dispatcher claimed it
(``CLAIMED``), ``t2`` it was dispatched to an agency/OPD (``DISPATCHED``), ``t3`` a unit reported
en route (``EN_ROUTE``), ``t4`` an officer reported on scene (``ON_SCENE``). The city's KPI is the
response time ``t4 - t0 <= 10 minutes``.

::

    SUBMITTED -> RECEIVED -> CLAIMED -> DISPATCHED -> EN_ROUTE -> ON_SCENE
                                            |                        ^
                                            +------------------------+  (EN_ROUTE may be skipped)

    RECEIVED .. ON_SCENE -> CLOSED   (Close, see the disposition table)
    SUBMITTED, RECEIVED, CLAIMED -> CLOSED   (cancelled by the reporter)

Allowed transitions (anything else raises :class:`IllegalTransition`)
---------------------------------------------------------------------
======================  =============================  ==================================
Action                  From                           To / effect
======================  =============================  ==================================
``submit()``            (nothing)                      SUBMITTED (first event of the log)
``CardDelivered``       SUBMITTED                      RECEIVED, sets t0
``Claim``               RECEIVED                       CLAIMED, sets t1 and the owner
``Reassign``            CLAIMED..ON_SCENE              same state, new owner (t1 unchanged)
``Dispatch``            CLAIMED                        DISPATCHED, sets t2 and the agency
``Dispatch`` (other     DISPATCHED..ON_SCENE           same state, agency added as backup
agency)                                                (t2 unchanged)
``EnRoute``             DISPATCHED                     EN_ROUTE, sets t3
``OnScene``             DISPATCHED, EN_ROUTE           ON_SCENE, sets t4
``Close``               RECEIVED..ON_SCENE (see        CLOSED, sets closed_at and the
                        the disposition table)         disposition
``CancelByReporter``    SUBMITTED, RECEIVED, CLAIMED   CLOSED (cancelled_by_reporter)
======================  =============================  ==================================

Decisions:

* **No claim from SUBMITTED.** The card has not reached the group yet, so no dispatcher can
  have seen it; pressing Claim there is refused with ``not_delivered``. Only ``CardDelivered``
  and ``CancelByReporter`` are accepted in SUBMITTED.
* **Ownership.** Once claimed, only the owner may ``Dispatch``, ``Close`` or (on behalf of a
  unit, e.g. relayed by radio) press ``EnRoute``/``OnScene``; others get ``claimed_by_other``.
  Closing an *unclaimed* RECEIVED card (triage: duplicate, prank, ...) is open to any dispatcher.
* **Takeover.** Shift hand-over is explicit: ``Reassign(actor, to)`` is allowed from CLAIMED up to
  ON_SCENE by any dispatcher (a supervisor handing over, or a colleague taking over). It changes
  the owner only; t1 keeps measuring the first claim. Claim by a second dispatcher is always a
  conflict (``already_claimed``), never an implicit takeover.
* **Skipping EN_ROUTE** is allowed: officers often forget to press it. Then t3 is ``None``;
  turnout and travel times are ``None`` but the response time t4 - t0 is still defined.
* **Multi-agency.** A second ``Dispatch`` to a *different* agency while DISPATCHED/EN_ROUTE/
  ON_SCENE records a backup agency (``dispatch_added``) without touching t2. t3/t4 are the first
  unit's times, whichever agency it belongs to (the KPI is "an officer on scene"). Officers may
  press EnRoute/OnScene only for a report dispatched to their agency.
* **Officers do not close reports**; closing is a dispatcher decision.

Dispositions allowed per state (``Close``)
------------------------------------------
=========================  ========  =======  ==========  ========  ========
Disposition                RECEIVED  CLAIMED  DISPATCHED  EN_ROUTE  ON_SCENE
=========================  ========  =======  ==========  ========  ========
resolved                   no        yes      yes         yes       yes
duplicate (needs ticket)   yes       yes      yes         yes       yes
transferred (needs target) yes       yes      yes         yes       yes
cancelled_by_reporter      yes       yes      no          no        no
false_alarm                yes       yes      yes         yes       yes
prank                      yes       yes      yes         yes       yes
no_further_action          yes       yes      yes         yes       yes
=========================  ========  =======  ==========  ========  ========

``resolved`` from CLAIMED covers a case handled entirely by phone (advice given, no unit
needed); it is refused from an unclaimed RECEIVED card because someone must own a resolution.
The triage dispositions (duplicate, transferred, false alarm, prank, no further action) are
allowed from every open state. ``cancelled_by_reporter`` - whether recorded by the reporter
(``CancelByReporter``) or by a dispatcher after a phone call (``Close``) - is only possible
before dispatch (``cancel_after_dispatch``); after dispatch the dispatcher decides (e.g.
``no_further_action`` or ``false_alarm``) because units are already moving.

Idempotency
-----------
An action whose outcome already holds raises :class:`IllegalTransition` with ``code ==
"already_in_state"`` (exact repeat: Claim by the owner while CLAIMED, the same Close twice, ...)
or ``"already_past"`` (a stale button: Claim by the owner after dispatch, EnRoute after on
scene, CardDelivered twice). Both have ``exc.noop is True``: the UI says "already done" and
stores nothing. Every other code is a real refusal.

Error codes: ``already_in_state``, ``already_past``, ``not_delivered``, ``not_claimed``,
``already_claimed``, ``claimed_by_other``, ``not_dispatched``, ``agency_not_dispatched``,
``disposition_not_allowed``, ``cancel_after_dispatch``, ``not_reporter``,
``duplicate_of_self``, ``report_closed``. ``exc.params`` always holds ``action`` and ``state``
plus code-specific values (see :class:`IllegalTransition`).

Programming errors (naive datetimes, an event earlier than the last one, a Close without its
required ticket/target) raise ``ValueError`` instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import ClassVar, Final

__all__ = [
    "NOOP_CODES",
    "OPEN_STATES",
    "RESPONSE_TARGET",
    "Action",
    "Actor",
    "ActorKind",
    "CancelByReporter",
    "CardDelivered",
    "Claim",
    "Close",
    "Dispatch",
    "Dispatcher",
    "Disposition",
    "EnRoute",
    "Event",
    "EventKind",
    "IllegalTransition",
    "Officer",
    "OnScene",
    "Reassign",
    "ReportSnapshot",
    "ReportState",
    "ReporterActor",
    "ResponseTimes",
    "System",
    "Transition",
    "allowed_dispositions",
    "apply",
    "fold",
    "replay",
    "response_times",
    "submit",
]

RESPONSE_TARGET: Final = timedelta(minutes=10)
"""The city's KPI: an officer on scene within 10 minutes of the card reaching the dispatchers."""


class ReportState(StrEnum):
    SUBMITTED = "submitted"
    """Stored, card not yet delivered to the dispatchers' group."""
    RECEIVED = "received"
    """t0: the card reached the dispatchers' group."""
    CLAIMED = "claimed"
    """t1: a dispatcher took ownership."""
    DISPATCHED = "dispatched"
    """t2: handed to an agency/OPD."""
    EN_ROUTE = "en_route"
    """t3: a unit is on its way."""
    ON_SCENE = "on_scene"
    """t4: an officer is on scene (KPI end point)."""
    CLOSED = "closed"
    """Terminal; see :class:`Disposition`."""


OPEN_STATES: Final = frozenset(
    {
        ReportState.RECEIVED,
        ReportState.CLAIMED,
        ReportState.DISPATCHED,
        ReportState.EN_ROUTE,
        ReportState.ON_SCENE,
    }
)
"""States a dispatcher can act on (SUBMITTED is invisible to them, CLOSED is final)."""

_ORDER: Final = {
    ReportState.SUBMITTED: 0,
    ReportState.RECEIVED: 1,
    ReportState.CLAIMED: 2,
    ReportState.DISPATCHED: 3,
    ReportState.EN_ROUTE: 4,
    ReportState.ON_SCENE: 5,
}
_AFTER_DISPATCH: Final = frozenset(
    {ReportState.DISPATCHED, ReportState.EN_ROUTE, ReportState.ON_SCENE}
)


class Disposition(StrEnum):
    RESOLVED = "resolved"
    DUPLICATE = "duplicate"
    """Duplicate of another ticket (``duplicate_of`` required)."""
    TRANSFERRED = "transferred"
    """Handed to another agency or to LAPOR! for a non-emergency (``transfer_to`` required)."""
    CANCELLED_BY_REPORTER = "cancelled_by_reporter"
    FALSE_ALARM = "false_alarm"
    """Reported in good faith, nothing found."""
    PRANK = "prank"
    """Deliberate misuse (counts as a strike against the reporter)."""
    NO_FURTHER_ACTION = "no_further_action"


_TRIAGE: Final = frozenset(
    {
        Disposition.DUPLICATE,
        Disposition.TRANSFERRED,
        Disposition.FALSE_ALARM,
        Disposition.PRANK,
        Disposition.NO_FURTHER_ACTION,
    }
)
_DISPOSITIONS_BY_STATE: Final[Mapping[ReportState, frozenset[Disposition]]] = {
    ReportState.RECEIVED: _TRIAGE | {Disposition.CANCELLED_BY_REPORTER},
    ReportState.CLAIMED: _TRIAGE | {Disposition.RESOLVED, Disposition.CANCELLED_BY_REPORTER},
    ReportState.DISPATCHED: _TRIAGE | {Disposition.RESOLVED},
    ReportState.EN_ROUTE: _TRIAGE | {Disposition.RESOLVED},
    ReportState.ON_SCENE: _TRIAGE | {Disposition.RESOLVED},
}


def allowed_dispositions(state: ReportState) -> frozenset[Disposition]:
    """Dispositions a dispatcher may close with from ``state`` (empty for SUBMITTED/CLOSED)."""
    return _DISPOSITIONS_BY_STATE.get(state, frozenset())


# --------------------------------------------------------------------------------------- actors


class ActorKind(StrEnum):
    DISPATCHER = "dispatcher"
    OFFICER = "officer"
    REPORTER = "reporter"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Dispatcher:
    """A dispatcher in the command center group. Identity is ``user_id``; ``name`` is display."""

    user_id: int
    name: str
    kind: ClassVar[ActorKind] = ActorKind.DISPATCHER


@dataclass(frozen=True, slots=True)
class Officer:
    """A field officer of an agency/OPD (``agency`` is the agency key, e.g. ``"damkar"``)."""

    user_id: int
    agency: str
    name: str | None = None
    kind: ClassVar[ActorKind] = ActorKind.OFFICER


@dataclass(frozen=True, slots=True)
class ReporterActor:
    """The citizen who filed the report."""

    user_id: int
    name: str | None = None
    kind: ClassVar[ActorKind] = ActorKind.REPORTER


@dataclass(frozen=True, slots=True)
class System:
    """The bot itself (card delivery, timers)."""

    name: str = "system"
    kind: ClassVar[ActorKind] = ActorKind.SYSTEM


Actor = Dispatcher | Officer | ReporterActor | System


def _actor_id(actor: Actor) -> int | None:
    return None if isinstance(actor, System) else actor.user_id


# -------------------------------------------------------------------------------------- actions


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text or None


def _required(value: str, what: str) -> str:
    cleaned = _clean(value)
    if cleaned is None:
        raise ValueError(f"{what} must not be empty")
    return cleaned


@dataclass(frozen=True, slots=True)
class CardDelivered:
    """The card reached the dispatchers' group (sets t0)."""

    actor: System = field(default_factory=System)
    name: ClassVar[str] = "card_delivered"


@dataclass(frozen=True, slots=True)
class Claim:
    actor: Dispatcher
    name: ClassVar[str] = "claim"


@dataclass(frozen=True, slots=True)
class Reassign:
    """Hand the report over to ``to`` (shift change or takeover); ``actor`` may equal ``to``."""

    actor: Dispatcher
    to: Dispatcher
    note: str | None = None
    name: ClassVar[str] = "reassign"


@dataclass(frozen=True, slots=True)
class Dispatch:
    """Dispatch to an agency/OPD key, with an optional unit or officer note."""

    actor: Dispatcher
    agency: str
    unit_note: str | None = None
    name: ClassVar[str] = "dispatch"

    def __post_init__(self) -> None:
        object.__setattr__(self, "agency", _required(self.agency, "agency"))
        object.__setattr__(self, "unit_note", _clean(self.unit_note))


@dataclass(frozen=True, slots=True)
class EnRoute:
    """A unit is on its way; pressed by an officer or relayed by the owning dispatcher."""

    actor: Officer | Dispatcher
    note: str | None = None
    name: ClassVar[str] = "en_route"


@dataclass(frozen=True, slots=True)
class OnScene:
    """An officer is on scene (sets t4); pressed by an officer or the owning dispatcher."""

    actor: Officer | Dispatcher
    note: str | None = None
    name: ClassVar[str] = "on_scene"


@dataclass(frozen=True, slots=True)
class Close:
    """Close with a disposition.

    ``duplicate_of`` is required for (and only allowed with) ``DUPLICATE``; ``transfer_to`` is
    required for (and only allowed with) ``TRANSFERRED``. Violations raise ``ValueError``.
    An ``Officer`` of a dispatched agency may only close as ``RESOLVED`` once on scene (the
    "done" button on the agency's copy of the card); every other closing is a dispatcher's.
    """

    actor: Dispatcher | Officer
    disposition: Disposition
    duplicate_of: str | None = None
    transfer_to: str | None = None
    note: str | None = None
    name: ClassVar[str] = "close"

    def __post_init__(self) -> None:
        object.__setattr__(self, "disposition", Disposition(self.disposition))
        object.__setattr__(self, "duplicate_of", _clean(self.duplicate_of))
        object.__setattr__(self, "transfer_to", _clean(self.transfer_to))
        is_dup = self.disposition is Disposition.DUPLICATE
        is_transfer = self.disposition is Disposition.TRANSFERRED
        if is_dup != (self.duplicate_of is not None):
            raise ValueError("duplicate_of is required for, and only allowed with, 'duplicate'")
        if is_transfer != (self.transfer_to is not None):
            raise ValueError("transfer_to is required for, and only allowed with, 'transferred'")


@dataclass(frozen=True, slots=True)
class CancelByReporter:
    """The reporter withdraws the report (only before dispatch)."""

    reporter: ReporterActor
    note: str | None = None
    name: ClassVar[str] = "cancel_by_reporter"

    @property
    def actor(self) -> ReporterActor:
        return self.reporter


Action = CardDelivered | Claim | Reassign | Dispatch | EnRoute | OnScene | Close | CancelByReporter


# --------------------------------------------------------------------------------------- events


class EventKind(StrEnum):
    SUBMITTED = "submitted"
    CARD_DELIVERED = "card_delivered"
    CLAIMED = "claimed"
    REASSIGNED = "reassigned"
    DISPATCHED = "dispatched"
    DISPATCH_ADDED = "dispatch_added"
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    CLOSED = "closed"
    ALERT = "alert"
    """A timer alert was fired (``data["key"]``); does not change the state."""


EventValue = str | int | None


@dataclass(frozen=True, slots=True)
class Event:
    """One append-only log entry. ``data`` holds JSON-compatible values only."""

    kind: EventKind
    from_state: ReportState | None
    to_state: ReportState
    actor_kind: ActorKind
    actor_id: int | None
    actor_name: str | None
    at: datetime
    note: str | None = None
    data: Mapping[str, EventValue] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (``at`` as ISO 8601)."""
        return {
            "kind": self.kind.value,
            "from_state": None if self.from_state is None else self.from_state.value,
            "to_state": self.to_state.value,
            "actor_kind": self.actor_kind.value,
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "at": self.at.isoformat(),
            "note": self.note,
            "data": dict(self.data),
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, object]) -> Event:
        """Inverse of :meth:`to_dict`."""
        from_state = raw.get("from_state")
        actor_id = raw.get("actor_id")
        actor_name = raw.get("actor_name")
        note = raw.get("note")
        data = raw.get("data") or {}
        if not isinstance(data, Mapping):
            raise ValueError("event data must be a mapping")
        clean: dict[str, EventValue] = {}
        for key, value in data.items():
            if value is not None and not isinstance(value, str | int):
                raise ValueError(f"event data value for {key!r} is not str/int/None")
            clean[str(key)] = value
        return cls(
            kind=EventKind(str(raw["kind"])),
            from_state=None if from_state is None else ReportState(str(from_state)),
            to_state=ReportState(str(raw["to_state"])),
            actor_kind=ActorKind(str(raw["actor_kind"])),
            actor_id=None if actor_id is None else int(str(actor_id)),
            actor_name=None if actor_name is None else str(actor_name),
            at=datetime.fromisoformat(str(raw["at"])),
            note=None if note is None else str(note),
            data=clean,
        )


# ------------------------------------------------------------------------------------- snapshot


@dataclass(frozen=True, slots=True)
class ReportSnapshot:
    """The current state of one report, always derivable from its event log via :func:`replay`."""

    state: ReportState = ReportState.SUBMITTED
    ticket: str | None = None
    reporter_id: int | None = None
    submitted_at: datetime | None = None
    received_at: datetime | None = None
    claimed_at: datetime | None = None
    dispatched_at: datetime | None = None
    en_route_at: datetime | None = None
    on_scene_at: datetime | None = None
    closed_at: datetime | None = None
    claimed_by: Dispatcher | None = None
    """Current owner (changes on Reassign)."""
    claimed_by_since: datetime | None = None
    """When the current owner took the report (t1 or the last reassignment)."""
    agency: str | None = None
    """Primary agency (first dispatch)."""
    agencies: tuple[str, ...] = ()
    """All dispatched agencies, primary first."""
    unit_note: str | None = None
    disposition: Disposition | None = None
    duplicate_of: str | None = None
    transfer_to: str | None = None
    alerts_fired: frozenset[str] = frozenset()
    """Keys of timer alerts recorded with ``EventKind.ALERT`` (see ``bot.domain.timers``)."""
    updated_at: datetime | None = None
    """Time of the last event."""

    @property
    def t0(self) -> datetime | None:
        return self.received_at

    @property
    def t1(self) -> datetime | None:
        return self.claimed_at

    @property
    def t2(self) -> datetime | None:
        return self.dispatched_at

    @property
    def t3(self) -> datetime | None:
        return self.en_route_at

    @property
    def t4(self) -> datetime | None:
        return self.on_scene_at

    @property
    def is_open(self) -> bool:
        """True for RECEIVED..ON_SCENE (SUBMITTED is not yet visible, CLOSED is final)."""
        return self.state in OPEN_STATES

    @property
    def is_closed(self) -> bool:
        return self.state is ReportState.CLOSED


@dataclass(frozen=True, slots=True)
class Transition:
    """Result of :func:`apply`: the new snapshot and the event to append to the log."""

    snapshot: ReportSnapshot
    event: Event

    @property
    def state(self) -> ReportState:
        return self.snapshot.state


# ---------------------------------------------------------------------------------------- errors

ParamValue = str | int | datetime | None

NOOP_CODES: Final = frozenset({"already_in_state", "already_past"})


class IllegalTransition(Exception):
    """A refused action.

    ``code`` is stable (the Telegram layer maps it to Indonesian/English text), ``params`` holds
    the values for that text, ``message`` is a human-readable English reason. ``params`` always
    contains ``action`` (the action name) and ``state`` (the current state). Code-specific keys:

    * ``already_claimed`` / ``claimed_by_other``: ``by`` (name), ``by_id``, ``since`` (datetime)
    * ``disposition_not_allowed`` / ``cancel_after_dispatch``: ``disposition``
    * ``agency_not_dispatched``: ``agency`` (the officer's agency)
    * ``report_closed``: ``disposition``
    * ``duplicate_of_self``: ``ticket``
    """

    def __init__(self, code: str, message: str, **params: ParamValue) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params: dict[str, ParamValue] = params

    @property
    def noop(self) -> bool:
        """True when the action's outcome already holds: show "already done", store nothing."""
        return self.code in NOOP_CODES

    def __repr__(self) -> str:
        return f"IllegalTransition(code={self.code!r}, message={self.message!r})"


def _hhmm(at: datetime | None) -> str:
    return "?" if at is None else at.strftime("%H:%M")


# ------------------------------------------------------------------------------------ transition


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
        data={"ticket": _required(ticket, "ticket")},
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
        actor_id=_actor_id(actor),
        actor_name=actor.name,
        at=at,
        note=_clean(getattr(action, "note", None)),
        data=data,
    )
    return Transition(snapshot=fold(snapshot, event), event=event)


_Outcome = tuple[EventKind, ReportState, dict[str, EventValue]]


def _validate(s: ReportSnapshot, action: Action) -> _Outcome:
    state = s.state

    def refuse(code: str, message: str, **params: ParamValue) -> IllegalTransition:
        return IllegalTransition(code, message, action=action.name, state=state.value, **params)

    def closed() -> IllegalTransition:
        disposition = None if s.disposition is None else s.disposition.value
        return refuse("report_closed", "report is closed", disposition=disposition)

    def noop(same: bool) -> IllegalTransition:
        if same:
            return refuse("already_in_state", f"already {state.value}; nothing changed")
        return refuse("already_past", f"report is already {state.value}; nothing changed")

    def not_delivered() -> IllegalTransition:
        return refuse("not_delivered", "the card has not reached the dispatchers yet")

    def owned_by_other(dispatcher: Dispatcher) -> IllegalTransition | None:
        owner = s.claimed_by
        if owner is None or owner.user_id == dispatcher.user_id:
            return None
        return refuse(
            "claimed_by_other",
            f"report is handled by {owner.name} since {_hhmm(s.claimed_by_since)}",
            by=owner.name,
            by_id=owner.user_id,
            since=s.claimed_by_since,
        )

    if isinstance(action, CancelByReporter):
        if s.reporter_id is not None and action.reporter.user_id != s.reporter_id:
            raise refuse("not_reporter", "only the reporter can cancel this report")
        if state is ReportState.CLOSED:
            raise noop(True) if s.disposition is Disposition.CANCELLED_BY_REPORTER else closed()
        if state in _AFTER_DISPATCH:
            raise refuse(
                "cancel_after_dispatch",
                "cancellation by the reporter is only possible before dispatch",
                disposition=Disposition.CANCELLED_BY_REPORTER.value,
            )
        return (
            EventKind.CLOSED,
            ReportState.CLOSED,
            {"disposition": Disposition.CANCELLED_BY_REPORTER.value},
        )

    if isinstance(action, Close):
        if state is ReportState.CLOSED:
            same = (
                s.disposition is action.disposition
                and s.duplicate_of == action.duplicate_of
                and s.transfer_to == action.transfer_to
            )
            raise noop(True) if same else closed()
        if state is ReportState.SUBMITTED:
            raise not_delivered()
        if action.disposition not in allowed_dispositions(state):
            if action.disposition is Disposition.CANCELLED_BY_REPORTER:
                raise refuse(
                    "cancel_after_dispatch",
                    "cancellation by the reporter is only possible before dispatch",
                    disposition=action.disposition.value,
                )
            raise refuse(
                "disposition_not_allowed",
                f"cannot close as {action.disposition.value} while {state.value}"
                + (" (claim it first)" if state is ReportState.RECEIVED else ""),
                disposition=action.disposition.value,
            )
        closer = action.actor
        if isinstance(closer, Officer):
            if action.disposition is not Disposition.RESOLVED or state is not ReportState.ON_SCENE:
                raise refuse(
                    "disposition_not_allowed",
                    "officers close a report only as resolved, once on scene",
                    disposition=action.disposition.value,
                )
            if closer.agency not in s.agencies:
                raise refuse(
                    "agency_not_dispatched",
                    f"this report was not dispatched to {closer.agency}",
                    agency=closer.agency,
                )
        elif (err := owned_by_other(closer)) is not None:
            raise err
        if action.duplicate_of is not None and action.duplicate_of == s.ticket:
            raise refuse(
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

    if state is ReportState.CLOSED:
        raise closed()

    if isinstance(action, CardDelivered):
        if state is ReportState.SUBMITTED:
            return EventKind.CARD_DELIVERED, ReportState.RECEIVED, {}
        raise noop(state is ReportState.RECEIVED)

    if state is ReportState.SUBMITTED:
        raise not_delivered()

    if isinstance(action, Claim):
        if state is ReportState.RECEIVED:
            return EventKind.CLAIMED, ReportState.CLAIMED, {}
        owner = s.claimed_by
        if owner is not None and owner.user_id == action.actor.user_id:
            raise noop(state is ReportState.CLAIMED)
        raise refuse(
            "already_claimed",
            f"already claimed by {owner.name if owner else '?'} at {_hhmm(s.claimed_by_since)}",
            by=None if owner is None else owner.name,
            by_id=None if owner is None else owner.user_id,
            since=s.claimed_by_since,
        )

    if isinstance(action, Reassign):
        if state is ReportState.RECEIVED or s.claimed_by is None:
            raise refuse("not_claimed", "report is not claimed yet; claim it instead")
        if s.claimed_by.user_id == action.to.user_id:
            raise noop(True)
        return (
            EventKind.REASSIGNED,
            state,
            {
                "from_id": s.claimed_by.user_id,
                "from_name": s.claimed_by.name,
                "to_id": action.to.user_id,
                "to_name": action.to.name,
            },
        )

    if isinstance(action, Dispatch):
        if state is ReportState.RECEIVED:
            raise refuse("not_claimed", "claim the report before dispatching")
        if action.agency in s.agencies:
            raise noop(True)
        if (err := owned_by_other(action.actor)) is not None:
            raise err
        data: dict[str, EventValue] = {"agency": action.agency, "unit_note": action.unit_note}
        if state is ReportState.CLAIMED:
            return EventKind.DISPATCHED, ReportState.DISPATCHED, data
        return EventKind.DISPATCH_ADDED, state, data

    # EnRoute / OnScene
    target = ReportState.EN_ROUTE if isinstance(action, EnRoute) else ReportState.ON_SCENE
    if _ORDER[state] < _ORDER[ReportState.DISPATCHED]:
        verb = "go en route" if target is ReportState.EN_ROUTE else "go on scene"
        raise refuse("not_dispatched", f"cannot {verb} before dispatch")
    if _ORDER[state] >= _ORDER[target]:
        raise noop(state is target)
    actor = action.actor
    if isinstance(actor, Officer):
        if actor.agency not in s.agencies:
            raise refuse(
                "agency_not_dispatched",
                f"this report was not dispatched to {actor.agency}",
                agency=actor.agency,
            )
        unit_data: dict[str, EventValue] = {"agency": actor.agency}
    else:
        if (err := owned_by_other(actor)) is not None:
            raise err
        unit_data = {}
    kind = EventKind.EN_ROUTE if target is ReportState.EN_ROUTE else EventKind.ON_SCENE
    return kind, target, unit_data


# -------------------------------------------------------------------------------------- replay


def _str(data: Mapping[str, EventValue], key: str) -> str | None:
    value = data.get(key)
    return None if value is None else str(value)


def fold(s: ReportSnapshot | None, e: Event) -> ReportSnapshot:
    """Apply one stored event to a snapshot (``None`` before the first event).

    The single source of truth for state changes: :func:`apply` and :func:`replay` both use it.
    Does not re-validate business rules; raises ``ValueError`` for a structurally broken log.
    """
    if s is None:
        if e.kind is not EventKind.SUBMITTED:
            raise ValueError(f"an event log must start with 'submitted', got {e.kind.value!r}")
        return ReportSnapshot(
            state=ReportState.SUBMITTED,
            ticket=_str(e.data, "ticket"),
            reporter_id=e.actor_id,
            submitted_at=e.at,
            updated_at=e.at,
        )
    if e.kind is EventKind.SUBMITTED:
        raise ValueError("'submitted' can only be the first event")
    if e.from_state is not None and e.from_state is not s.state:
        raise ValueError(
            f"event {e.kind.value!r} starts from {e.from_state.value!r} "
            f"but the report is {s.state.value!r}"
        )
    s = replace(s, state=e.to_state, updated_at=e.at)
    match e.kind:
        case EventKind.CARD_DELIVERED:
            return replace(s, received_at=e.at)
        case EventKind.CLAIMED:
            owner = Dispatcher(user_id=e.actor_id or 0, name=e.actor_name or "")
            return replace(s, claimed_at=e.at, claimed_by=owner, claimed_by_since=e.at)
        case EventKind.REASSIGNED:
            to_id = e.data.get("to_id")
            owner = Dispatcher(
                user_id=int(to_id) if to_id is not None else 0,
                name=_str(e.data, "to_name") or "",
            )
            return replace(s, claimed_by=owner, claimed_by_since=e.at)
        case EventKind.DISPATCHED:
            agency = _str(e.data, "agency")
            return replace(
                s,
                dispatched_at=e.at,
                agency=agency,
                agencies=(agency,) if agency else (),
                unit_note=_str(e.data, "unit_note"),
            )
        case EventKind.DISPATCH_ADDED:
            agency = _str(e.data, "agency")
            return replace(s, agencies=(*s.agencies, agency) if agency else s.agencies)
        case EventKind.EN_ROUTE:
            return replace(s, en_route_at=e.at)
        case EventKind.ON_SCENE:
            return replace(s, on_scene_at=e.at)
        case EventKind.CLOSED:
            disposition = _str(e.data, "disposition")
            return replace(
                s,
                closed_at=e.at,
                disposition=None if disposition is None else Disposition(disposition),
                duplicate_of=_str(e.data, "duplicate_of"),
                transfer_to=_str(e.data, "transfer_to"),
            )
        case EventKind.ALERT:
            key = _str(e.data, "key")
            return replace(s, alerts_fired=(s.alerts_fired | {key}) if key else s.alerts_fired)
    raise ValueError(f"unknown event kind {e.kind!r}")  # pragma: no cover


def replay(events: Iterable[Event]) -> ReportSnapshot:
    """Fold an event log (oldest first, starting with ``submitted``) into a snapshot.

    Raises ``ValueError`` for an empty or inconsistent log.
    """
    snapshot: ReportSnapshot | None = None
    for event in events:
        snapshot = fold(snapshot, event)
    if snapshot is None:
        raise ValueError("cannot replay an empty event log")
    return snapshot


# ------------------------------------------------------------------------------- response times


def _delta(start: datetime | None, end: datetime | None) -> timedelta | None:
    return None if start is None or end is None else end - start


@dataclass(frozen=True, slots=True)
class ResponseTimes:
    """Durations between milestones; ``None`` where a milestone was not reached (or skipped)."""

    claim: timedelta | None
    """t1 - t0: card delivered to claimed."""
    processing: timedelta | None
    """t2 - t1: claimed to dispatched."""
    turnout: timedelta | None
    """t3 - t2: dispatched to en route (None when EN_ROUTE was skipped)."""
    travel: timedelta | None
    """t4 - t3: en route to on scene (None when EN_ROUTE was skipped)."""
    dispatch_to_scene: timedelta | None
    """t4 - t2: defined even when EN_ROUTE was skipped."""
    response: timedelta | None
    """t4 - t0: the KPI."""

    @classmethod
    def from_snapshot(cls, s: ReportSnapshot) -> ResponseTimes:
        return cls(
            claim=_delta(s.t0, s.t1),
            processing=_delta(s.t1, s.t2),
            turnout=_delta(s.t2, s.t3),
            travel=_delta(s.t3, s.t4),
            dispatch_to_scene=_delta(s.t2, s.t4),
            response=_delta(s.t0, s.t4),
        )

    def within_target(self, target: timedelta = RESPONSE_TARGET) -> bool | None:
        """``response <= target``; ``None`` when nobody reached the scene (no response time)."""
        return None if self.response is None else self.response <= target


def response_times(snapshot: ReportSnapshot) -> ResponseTimes:
    return ResponseTimes.from_snapshot(snapshot)
