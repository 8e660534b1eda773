"""A refused action, with a stable code the Telegram layer turns into words."""

from __future__ import annotations

from datetime import datetime
from typing import Final

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


def hhmm(at: datetime | None) -> str:
    return "?" if at is None else at.strftime("%H:%M")
