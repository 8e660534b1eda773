"""Asking a reporter for the step their draft is at (shared by every reporter feature)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.domain.models import (
    Draft,
    Language,
    Step,
)
from handlers.context import REMOVE_KEYBOARD, Context, Session, send
from handlers.views import keyboards
from handlers.views.render import draft_summary
from handlers.views.texts import t


async def prompt_step(context: Context, s: Session, prefix: str | None = None) -> None:
    """Ask for the draft's current step (optionally after an acknowledgement line)."""
    draft = s.draft
    assert draft is not None
    lang, chat = s.lang, draft.chat_id
    lead = f"{prefix}\n\n" if prefix else ""
    if draft.step is Step.CATEGORY:
        await send(
            context, chat, lead + t(lang, "ask_category"), keyboards.categories(draft.uid, lang)
        )
    elif draft.step is Step.LOCATION:
        await send(context, chat, lead + t(lang, "ask_location"), keyboards.location_request(lang))
    elif draft.step is Step.DETAILS:
        has = bool(draft.details or draft.attachments)
        await send(
            context, chat, lead + t(lang, "ask_details"), keyboards.details(lang, has_content=has)
        )
    elif draft.step is Step.PHONE:
        await send(context, chat, lead + t(lang, "ask_phone"), keyboards.phone_request(lang))
    else:
        if prefix:
            await send(context, chat, prefix, REMOVE_KEYBOARD)
        await send(context, chat, draft_summary(draft, lang), summary_keyboard(draft, lang))


def summary_keyboard(draft: Draft, lang: Language) -> InlineKeyboardMarkup:
    """The summary's buttons with the draft's switches shown as they stand."""
    return keyboards.summary(
        draft.uid, lang, witness=draft.for_someone_else, anonymous=draft.anonymous_to_agencies
    )
