"""The report's inline buttons: the category, the summary's Send / Edit / Cancel and its
switches, up to the stored report.
"""

from __future__ import annotations

import logging
from typing import TypeVar

from telegram import CallbackQuery, Update
from telegram.constants import ParseMode

from bot.domain.models import (
    Step,
)
from bot.services import drafts
from bot.services.reports import Refused
from handlers.callback_data import (
    CallbackData,
    CallbackDataError,
    DraftAction,
    EditField,
    PickCategory,
)
from handlers.context import Context, Session, edit_tolerantly, open_session, send
from handlers.guards import refusal_text
from handlers.prompts import prompt_step, summary_keyboard
from handlers.views import keyboards
from handlers.views.render import category_html, draft_summary
from handlers.views.texts import t
from storage import reports as store

log = logging.getLogger(__name__)

PressT = TypeVar("PressT", bound=CallbackData)


async def _press(
    update: Update, context: Context, kind: type[PressT]
) -> tuple[CallbackQuery, Session, PressT] | None:
    """A button of the reporter's own chat: its session and its decoded data (or None,
    after answering that the button is no longer valid)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    s = await open_session(update, context)
    try:
        return query, s, kind.unpack(query.data)
    except CallbackDataError:
        await _stale(query, s)
        return None


async def _stale(query: CallbackQuery, s: Session) -> None:
    await query.answer(t(s.lang, "stale_button"), show_alert=False)


async def _finish_keyboard(query: CallbackQuery, text: str | None = None) -> None:
    """Replace a pressed message's buttons (and text) so it cannot be pressed again."""
    edit = (
        query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=None)
        if text is not None
        else query.edit_message_reply_markup(reply_markup=None)
    )
    await edit_tolerantly(edit, "not found")


async def choose_category(update: Update, context: Context) -> None:
    """Step 1 by button."""
    pressed = await _press(update, context, PickCategory)
    if pressed is None:
        return None
    query, s, data = pressed
    draft = s.draft
    if draft is None or draft.uid != data.draft or draft.step is not Step.CATEGORY:
        await _stale(query, s)
        return
    draft.category = data.category
    draft.advance()
    await s.save()
    await query.answer()
    label = category_html(data.category, s.lang)
    await _finish_keyboard(query, t(s.lang, "category_chosen", category=label))
    await prompt_step(context, s)
    return


async def edit_field(update: Update, context: Context) -> None:
    """From the summary's edit menu: go back to one step."""
    pressed = await _press(update, context, EditField)
    if pressed is None:
        return None
    query, s, data = pressed
    draft = s.draft
    if draft is None or draft.uid != data.draft or draft.step is not Step.CONFIRM:
        await _stale(query, s)
        return
    draft.edit(Step(data.field))
    await s.save()
    await query.answer()
    await _finish_keyboard(query)
    await prompt_step(context, s)
    return


async def act_on_summary(update: Update, context: Context) -> None:
    """Send, edit, back or cancel, pressed under the summary (or cancel at step 1)."""
    pressed = await _press(update, context, DraftAction)
    if pressed is None:
        return None
    query, s, data = pressed
    draft = s.draft
    if data.action == "send" and (draft is None or draft.uid != data.draft):
        # A second tap on Send, or Send on an old summary: say what became of it.
        existing = await _report_of_draft(s, data.draft)
        if existing is not None:
            await query.answer(
                t(s.lang, "already_sent", ticket=existing)
                .replace("<code>", "")
                .replace("</code>", "")
            )
            return None
    if draft is None or draft.uid != data.draft:
        await _stale(query, s)
        return None
    if data.action == "cancel":
        await drafts.discard_draft(s.svc.db, draft.chat_id, draft.uid)
        await query.answer()
        await _finish_keyboard(query, t(s.lang, "cancelled"))
        await send(context, draft.chat_id, "❌", keyboards.main_menu(s.lang))
        return None
    if draft.step is not Step.CONFIRM:
        await _stale(query, s)
        return
    if data.action == "edit":
        await query.answer()
        await query.edit_message_reply_markup(keyboards.edit_menu(draft.uid, s.lang))
        return
    if data.action == "back":
        await query.answer()
        await query.edit_message_reply_markup(summary_keyboard(draft, s.lang))
        return
    if data.action in ("witness", "anonymous"):
        if draft.last_callback_id == query.id:  # the same press delivered twice
            await query.answer("✅")
            return
        draft.last_callback_id = query.id
        if data.action == "witness":
            draft.for_someone_else = not draft.for_someone_else
        else:
            draft.anonymous_to_agencies = not draft.anonymous_to_agencies
        await s.save()
        await query.answer("✅")
        await query.edit_message_text(
            draft_summary(draft, s.lang),
            parse_mode=ParseMode.HTML,
            reply_markup=summary_keyboard(draft, s.lang),
        )
        return
    await _submit(context, s, query)
    return None


async def _report_of_draft(s: Session, uid: str) -> str | None:
    return await store.ticket_of_draft(s.svc.db, uid, s.reporter.user_id)


async def _submit(context: Context, s: Session, query: CallbackQuery) -> None:
    """Store the report and queue its card and receipt — one transaction."""
    draft = s.draft
    assert draft is not None
    if not draft.complete:
        draft.step = Step.CATEGORY if draft.category is None else Step.LOCATION
        await s.save()
        await query.answer()
        await prompt_step(context, s)
        return None
    result = await s.submit(draft)
    if isinstance(result, Refused):
        await query.answer()
        await send(context, draft.chat_id, refusal_text(s, result), keyboards.main_menu(s.lang))
        return None
    ticket = result.report.ticket
    await query.answer("✅ " + ticket)
    await _finish_keyboard(
        query,
        draft_summary(draft, s.lang).rsplit("\n\n", 1)[0]
        + "\n\n"
        + t(s.lang, "sent", ticket=ticket),
    )
    log.info("report %s submitted (%s)", ticket, result.report.category.value)
    return None
