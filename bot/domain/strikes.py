"""Who may file a report: the prank-strike policy and the per-reporter limit. Pure.

A report closed as a prank is a strike against its reporter (a false alarm, reported in
good faith, is not). At ``max_strikes`` the reporter is blocked from new reports until a
dispatcher lifts it (``/unblock``). The block is recorded when it is decided, so a later
change of the policy does not block or unblock anyone by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Final

from bot.domain.lifecycle import Disposition

__all__ = [
    "DEFAULT_STRIKE_POLICY",
    "FilingLimit",
    "Refusal",
    "StrikePolicy",
    "StrikeRecord",
    "counts_as_strike",
    "filing_refusal",
    "is_blocked",
    "record_strike",
    "strikes_left",
]


@dataclass(frozen=True, slots=True)
class StrikePolicy:
    """A reporter is blocked once they have ``max_strikes`` prank strikes (stored elsewhere)."""

    max_strikes: int = 3

    def __post_init__(self) -> None:
        if self.max_strikes < 1:
            raise ValueError("max_strikes must be at least 1")


DEFAULT_STRIKE_POLICY: Final = StrikePolicy()


def is_blocked(strikes: int, policy: StrikePolicy = DEFAULT_STRIKE_POLICY) -> bool:
    """True when ``strikes`` reached the policy's limit (3 strikes: blocked at the third)."""
    return strikes >= policy.max_strikes


def strikes_left(strikes: int, policy: StrikePolicy = DEFAULT_STRIKE_POLICY) -> int:
    """Strikes remaining before the block (0 when blocked), e.g. for a warning to the reporter."""
    return max(policy.max_strikes - strikes, 0)


def counts_as_strike(disposition: Disposition) -> bool:
    """Only a deliberate prank counts; a false alarm was reported in good faith."""
    return disposition is Disposition.PRANK


@dataclass(frozen=True, slots=True)
class StrikeRecord:
    """A reporter's strikes and whether they are blocked."""

    strikes: int = 0
    blocked: bool = False


def record_strike(
    record: StrikeRecord,
    disposition: Disposition,
    policy: StrikePolicy = DEFAULT_STRIKE_POLICY,
    *,
    trusted: bool = False,
) -> StrikeRecord | None:
    """The record after one of the reporter's reports closed with ``disposition``.

    None when the closing does not count; a block, once decided, stays until lifted. A
    report filed by a trusted reporter (with a badge) never counts automatically: a prank
    suspends their role instead (:func:`bot.domain.trust.after_close`).
    """
    if trusted or not counts_as_strike(disposition):
        return None
    strikes = record.strikes + 1
    return StrikeRecord(strikes, record.blocked or is_blocked(strikes, policy))


@dataclass(frozen=True, slots=True)
class FilingLimit:
    """At most ``count`` reports per person within ``window``."""

    count: int
    window: timedelta


class Refusal(StrEnum):
    """Why a person may not file a new report now."""

    BLOCKED = "blocked"
    RATE_LIMITED = "rate_limited"


def filing_refusal(blocked: bool, recent: int, limit: FilingLimit) -> Refusal | None:
    """Why a person with this record and ``recent`` reports in the window may not file."""
    if blocked:
        return Refusal.BLOCKED
    if recent >= limit.count:
        return Refusal.RATE_LIMITED
    return None
