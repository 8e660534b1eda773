"""The questions an SOS report asks after it is filed, in order; each may be skipped."""

from __future__ import annotations

import hashlib
from typing import Final

from bot.domain.categories import Category
from bot.domain.models import Draft, ReportLocation, Step

QUESTIONS: Final = ("category", "details", "photo", "phone")
FIRST_QUESTION: Final = QUESTIONS[0]


def next_question(after: str) -> str | None:
    """The question after ``after``; None when all were asked."""
    i = QUESTIONS.index(after)
    return QUESTIONS[i + 1] if i + 1 < len(QUESTIONS) else None


def sos_draft(chat_id: int, user_id: int, message_id: int, location: ReportLocation) -> Draft:
    """The report a location message files at once: category "not known yet", flagged SOS.

    Its uid derives from the message, so the same location filed twice is one report.
    """
    return Draft(
        uid=hashlib.sha256(f"sos:{chat_id}:{message_id}".encode()).hexdigest()[:8],
        chat_id=chat_id,
        user_id=user_id,
        step=Step.CONFIRM,
        category=Category.UNKNOWN,
        location=location,
        sos=True,
    )
