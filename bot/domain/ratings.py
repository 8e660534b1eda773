"""The reporter's rating of a closed report: which reports are rated, stars, comment."""

from __future__ import annotations

from typing import Final

from bot.domain.lifecycle import Disposition, ReportState

RATEABLE: Final[frozenset[Disposition]] = frozenset(
    {
        Disposition.RESOLVED,
        Disposition.TRANSFERRED,
        Disposition.FALSE_ALARM,
        Disposition.NO_FURTHER_ACTION,
    }
)
"""Closed reports a reporter is asked to rate (not prank, duplicate or their own cancel)."""

MAX_COMMENT_CHARS: Final = 1000


def is_rateable(state: str, disposition: str | None) -> bool:
    """True for a closed report whose reporter is asked to rate it."""
    return state == ReportState.CLOSED.value and disposition in RATEABLE


def check_stars(stars: int) -> int:
    """1 to 5 stars, else ValueError."""
    if not 1 <= stars <= 5:
        raise ValueError("stars must be 1 to 5")
    return stars


def clean_comment(text: str) -> str:
    """A comment as stored: trimmed, at most :data:`MAX_COMMENT_CHARS`."""
    return text.strip()[:MAX_COMMENT_CHARS]
