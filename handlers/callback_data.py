"""Typed, versioned inline-button payloads with Telegram's 64-byte guard.

Each payload class has a short ``prefix`` and a ``version``; packed form is
``<prefix><version>:<field>:<field>…``. Unpacking checks prefix, version, field count
and field types, so forged, truncated or outdated data is recognised and refused
(:class:`CallbackDataError`) instead of reaching a handler.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from bot.domain.categories import Category
from bot.domain.lifecycle import Disposition

MAX_BYTES = 64
SEPARATOR = ":"


class CallbackDataError(ValueError):
    """The button's data is not ours, malformed, or from an older version of the bot."""


_REGISTRY: dict[str, type[CallbackData]] = {}


class CallbackData(BaseModel):
    """Base class: subclasses declare ``prefix`` and fields (str, int, enums, literals)."""

    model_config = ConfigDict(frozen=True)

    prefix: ClassVar[str]
    version: ClassVar[int] = 1

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Register the payload class; a second class with the same prefix fails at import
        (two kinds of button must never decode each other's data)."""
        super().__pydantic_init_subclass__(**kwargs)
        if cls.__dict__.get("abstract", False):
            return  # a base shared by several kinds of button, not a button itself
        if not re.fullmatch(r"[a-z]+", cls.prefix):
            raise TypeError(f"{cls.__name__}.prefix must be lower-case letters: {cls.prefix!r}")
        taken = _REGISTRY.get(cls.prefix)
        if taken is not None:
            raise TypeError(
                f"callback prefix {cls.prefix!r} of {cls.__name__} is taken by {taken.__name__}"
            )
        _REGISTRY[cls.prefix] = cls

    def pack(self) -> str:
        """Encode; raises ValueError when a field contains the separator or it exceeds 64 B."""
        parts = [f"{self.prefix}{self.version}"]
        for name in type(self).model_fields:
            value = getattr(self, name)
            text = "" if value is None else str(getattr(value, "value", value))
            if SEPARATOR in text:
                raise ValueError(f"{name} may not contain {SEPARATOR!r}")
            parts.append(text)
        packed = SEPARATOR.join(parts)
        if len(packed.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {packed!r}")
        return packed

    @classmethod
    def unpack(cls, data: str) -> Self:
        """Decode data packed by this class, or raise :class:`CallbackDataError`."""
        head, *values = data.split(SEPARATOR)
        match = re.fullmatch(r"([a-z]+)(\d+)", head)
        if match is None or match.group(1) != cls.prefix:
            raise CallbackDataError(f"not a {cls.__name__}: {data!r}")
        if int(match.group(2)) != cls.version:
            raise CallbackDataError(f"outdated {cls.__name__} version: {data!r}")
        names = list(cls.model_fields)
        if len(values) != len(names):
            raise CallbackDataError(f"wrong field count for {cls.__name__}: {data!r}")
        raw: dict[str, Any] = {
            n: (v if v != "" else None) for n, v in zip(names, values, strict=True)
        }
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            raise CallbackDataError(f"malformed {cls.__name__}: {data!r}") from exc

    @classmethod
    def matches(cls) -> Callable[[object], bool]:
        """A ``CallbackQueryHandler(pattern=…)`` predicate for this class's prefix."""
        head = re.compile(rf"^{cls.prefix}\d+{SEPARATOR}")

        def check(data: object) -> bool:
            return isinstance(data, str) and head.match(data) is not None

        return check


ReportId = Annotated[int, Field(ge=1, le=2**63 - 1)]  # SQLite's INTEGER range
DraftUid = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8}$")]


class ReportButton(CallbackData):
    """A button about one report (its field comes first in the packed data)."""

    abstract: ClassVar[bool] = True
    report: ReportId


class MenuAction(CallbackData):
    """Main-menu buttons."""

    prefix: ClassVar[str] = "m"
    action: Literal["report", "language", "help"]


class SetLanguage(CallbackData):
    """Choose the conversation language."""

    prefix: ClassVar[str] = "l"
    lang: Literal["id", "en"]


class PickCategory(CallbackData):
    """Step 1: the kind of emergency, for one draft."""

    prefix: ClassVar[str] = "c"
    draft: DraftUid
    category: Category


DraftActionVerb = Literal["send", "edit", "cancel", "back", "witness", "anonymous"]


class DraftAction(CallbackData):
    """Buttons under the summary and the edit menu, for one draft."""

    prefix: ClassVar[str] = "d"
    draft: DraftUid
    action: DraftActionVerb


class EditField(CallbackData):
    """Which part of the draft to change from the summary."""

    prefix: ClassVar[str] = "e"
    draft: DraftUid
    field: Literal["category", "location", "details", "phone"]


CardVerb = Literal["claim", "dispatch", "en_route", "on_scene", "resolve", "close", "back"]


class CardAction(ReportButton):
    """A button on a dispatch card."""

    prefix: ClassVar[str] = "k"
    action: CardVerb


class PickAgency(ReportButton):
    """The agency chosen in a card's dispatch menu."""

    prefix: ClassVar[str] = "a"
    agency: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,40}$")]


class PickDisposition(ReportButton):
    """The closing reason chosen in a card's close menu."""

    prefix: ClassVar[str] = "x"
    disposition: Disposition


class CancelReport(ReportButton):
    """The reporter cancels their own report (from /status)."""

    prefix: ClassVar[str] = "r"


class PickPlace(CallbackData):
    """A place offered for a typed location (index into the draft's candidates; -1: none)."""

    prefix: ClassVar[str] = "p"
    draft: DraftUid
    index: Annotated[int, Field(ge=-1, le=9)]


class PickKecamatan(CallbackData):
    """The kecamatan of a typed location ("01".."16" of 33.74.xx; "00": unknown)."""

    prefix: ClassVar[str] = "q"
    draft: DraftUid
    code: Annotated[str, StringConstraints(pattern=r"^\d{2}$")]


OfficerVerb = Literal["en_route", "on_scene", "backup", "done"]


class OfficerAction(ReportButton):
    """A button on an agency's copy of a card."""

    prefix: ClassVar[str] = "o"
    action: OfficerVerb


class SosAnswer(ReportButton):
    """An answer to an SOS follow-up question: a category, "skip" or "witness"."""

    prefix: ClassVar[str] = "v"
    choice: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,30}$")]


class ExpandCard(ReportButton):
    """Open one report of a surge digest as its full card."""

    prefix: ClassVar[str] = "g"


class RateReport(ReportButton):
    """A reporter's rating button (1–5 stars) or Skip (no comment)."""

    prefix: ClassVar[str] = "s"
    choice: Literal["1", "2", "3", "4", "5", "skip"]


class HandOver(ReportButton):
    """A card's hand-over button: shows the dispatchers who may take the report."""

    prefix: ClassVar[str] = "h"


class PickOwner(ReportButton):
    """The dispatcher chosen to take a report over (shift hand-over)."""

    prefix: ClassVar[str] = "w"
    user: Annotated[int, Field(ge=1, le=2**63 - 1)]


class AskUnit(ReportButton):
    """A card's unit button: asks the dispatcher which unit or officer went (a reply)."""

    prefix: ClassVar[str] = "u"


class LocationChoice(CallbackData):
    """A reporter with an open report sent a location: it updates that report, or it is a
    new emergency (``pending`` is the kept location's id)."""

    prefix: ClassVar[str] = "n"
    pending: ReportId
    choice: Literal["update", "new"]


ALL: tuple[type[CallbackData], ...] = tuple(_REGISTRY.values())
"""Every payload class, in definition order (prefixes unique by construction)."""
