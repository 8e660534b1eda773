"""Durations between a report's milestones (t0..t4) and the KPI check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.lifecycle.events import ReportSnapshot
from bot.domain.lifecycle.states import RESPONSE_TARGET


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
