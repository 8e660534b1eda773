"""The append-only event log, the snapshot it folds into, and the fold itself."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from bot.domain.lifecycle.actions import ActorKind, Dispatcher
from bot.domain.lifecycle.states import OPEN_STATES, Disposition, ReportState


class EventKind(StrEnum):
    SUBMITTED = "submitted"
    CARD_DELIVERED = "card_delivered"
    CLAIMED = "claimed"
    REASSIGNED = "reassigned"
    DISPATCHED = "dispatched"
    DISPATCH_ADDED = "dispatch_added"
    UNIT_NOTED = "unit_noted"
    """The unit or officer sent by an agency already dispatched; does not change the state."""
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
    """The primary agency's unit or officer (the latest note given for it)."""
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
    return _effect(replace(s, state=e.to_state, updated_at=e.at), e)


def _effect(s: ReportSnapshot, e: Event) -> ReportSnapshot:
    """What one event changes besides the state and the time of the last event."""
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
        case EventKind.UNIT_NOTED:
            if _str(e.data, "agency") != s.agency:
                return s
            return replace(s, unit_note=_str(e.data, "unit_note") or s.unit_note)
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
