"""Who acts on a report (actors) and what they do (typed actions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar

from bot.domain.lifecycle.states import Disposition


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


def actor_id(actor: Actor) -> int | None:
    return None if isinstance(actor, System) else actor.user_id


# -------------------------------------------------------------------------------------- actions


def clean_note(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text or None


def required(value: str, what: str) -> str:
    cleaned = clean_note(value)
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
        object.__setattr__(self, "agency", required(self.agency, "agency"))
        object.__setattr__(self, "unit_note", clean_note(self.unit_note))


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
        object.__setattr__(self, "duplicate_of", clean_note(self.duplicate_of))
        object.__setattr__(self, "transfer_to", clean_note(self.transfer_to))
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
