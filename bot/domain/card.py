"""What a report's card shows, as one value, and what a later message adds to a report."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.categories import Category
from bot.domain.lifecycle import Event, ReportSnapshot
from bot.domain.models import MAX_DETAILS_CHARS, Attachment, Report, Reporter
from bot.domain.trust import Standing


@dataclass(frozen=True)
class CardState:
    """Everything a card shows: the report, who filed it, where it stands, its timeline."""

    report: Report
    reporter: Reporter
    snapshot: ReportSnapshot
    events: list[Event]
    card_outbox_id: int | None
    possible_duplicate_of: str | None
    strikes: int
    agency_cards: tuple[tuple[int, int, int | None], ...] = ()
    """(outbox id, chat id, forum topic) of the agency copies."""
    trust: Standing | None = None  # the reporter's trusted role now (the report's badge is
    # what it was when filed)
    card_chat_id: int | None = None  # the chat the card was queued for (None: no card yet)
    lost_copies: tuple[int, ...] = ()
    """Message ids (in ``card_chat_id``) of earlier copies of the card whose answer was
    lost, found later (a reply or a press on them): redrawn with the card."""


@dataclass
class ReportChanges:
    """What an SOS follow-up answer (or a later message) adds to a submitted report.

    Nothing is ever removed: details are appended, attachments added.
    """

    category: Category | None = None
    details: str | None = None  # appended
    attachments: list[Attachment] | None = None
    phone: str | None = None
    for_someone_else: bool | None = None
    followup_step: str | None = None
    clear_followup: bool = False

    def details_after(self, current: str | None) -> str | None:
        """The report's details once these changes are added (None: unchanged)."""
        if not self.details:
            return None
        joined = f"{current}\n{self.details}" if current else self.details
        return joined[:MAX_DETAILS_CHARS]

    @property
    def changes_followup(self) -> bool:
        """True when the pending SOS question changes (to the next one, or to none)."""
        return self.followup_step is not None or self.clear_followup

    @property
    def next_followup(self) -> str | None:
        """The SOS question pending after these changes (when :attr:`changes_followup`)."""
        return None if self.clear_followup else self.followup_step
