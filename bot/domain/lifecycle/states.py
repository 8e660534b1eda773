"""Report states, the city's response target and the dispositions a report closes with."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from enum import StrEnum
from typing import Final

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

STATE_ORDER: Final = {
    ReportState.SUBMITTED: 0,
    ReportState.RECEIVED: 1,
    ReportState.CLAIMED: 2,
    ReportState.DISPATCHED: 3,
    ReportState.EN_ROUTE: 4,
    ReportState.ON_SCENE: 5,
}
AFTER_DISPATCH: Final = frozenset(
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


TRIAGE: Final = frozenset(
    {
        Disposition.DUPLICATE,
        Disposition.TRANSFERRED,
        Disposition.FALSE_ALARM,
        Disposition.PRANK,
        Disposition.NO_FURTHER_ACTION,
    }
)
_DISPOSITIONS_BY_STATE: Final[Mapping[ReportState, frozenset[Disposition]]] = {
    ReportState.RECEIVED: TRIAGE | {Disposition.CANCELLED_BY_REPORTER},
    ReportState.CLAIMED: TRIAGE | {Disposition.RESOLVED, Disposition.CANCELLED_BY_REPORTER},
    ReportState.DISPATCHED: TRIAGE | {Disposition.RESOLVED},
    ReportState.EN_ROUTE: TRIAGE | {Disposition.RESOLVED},
    ReportState.ON_SCENE: TRIAGE | {Disposition.RESOLVED},
}


def allowed_dispositions(state: ReportState) -> frozenset[Disposition]:
    """Dispositions a dispatcher may close with from ``state`` (empty for SUBMITTED/CLOSED)."""
    return _DISPOSITIONS_BY_STATE.get(state, frozenset())
