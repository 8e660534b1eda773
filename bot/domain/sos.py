"""The questions an SOS report asks after it is filed, in order; each may be skipped."""

from __future__ import annotations

from typing import Final

QUESTIONS: Final = ("category", "details", "photo", "phone")
FIRST_QUESTION: Final = QUESTIONS[0]


def next_question(after: str) -> str | None:
    """The question after ``after``; None when all were asked."""
    i = QUESTIONS.index(after)
    return QUESTIONS[i + 1] if i + 1 < len(QUESTIONS) else None
