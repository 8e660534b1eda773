"""The reporter's guided report: category → location → details → phone → summary → send.

The draft lives in SQLite and is saved after every answer, so a restart loses nothing
and the reporter continues at the same step. Private messages are routed by the draft's
step (:func:`receive_message`); inline buttons carry the draft's uid, so a button from an
older draft or an already-sent report changes nothing. Anything unexpected at a step
gets a clear answer and the step's prompt again; whatever the reporter sent that the
report can use (a location, a photo, a number) is kept, whatever the step.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Message, Update
from telegram.constants import ChatType

from bot.domain.locating import with_area
from bot.domain.models import (
    MAX_ATTACHMENTS,
    Draft,
    Step,
    clean_text,
    normalize_phone,
)
from bot.services import drafts
from handlers.context import Context, Session, open_session, send
from handlers.errors import answer_unknown_button
from handlers.guards import may_not_file
from handlers.parsing import attachment_of, category_from_text, location_of, what_is
from handlers.prompts import prompt_step
from handlers.reporter.report.places import MIN_TYPED_LOCATION, location_ack, offer_places
from handlers.views import keyboards
from handlers.views.render import category_html, esc
from handlers.views.texts import all_variants, t

log = logging.getLogger(__name__)


# --- prompts -----------------------------------------------------------------------------


# --- starting and cancelling -------------------------------------------------------------


async def start_report(update: Update, context: Context) -> None:
    """Begin a report (/lapor or the menu button); an open draft is continued, not reset."""
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:  # a forged menu button in a group
        if update.callback_query is not None:
            await answer_unknown_button(update, context)
        return None
    s = await open_session(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer()
    if s.draft is not None:
        await prompt_step(context, s, t(s.lang, "in_progress"))
        return
    chat = update.effective_chat
    assert chat is not None
    refusal = await may_not_file(s)
    if refusal is not None:
        await send(context, chat.id, refusal, keyboards.main_menu(s.lang))
        return None
    s.draft = Draft(chat_id=chat.id, user_id=s.reporter.user_id)
    await s.save()
    await prompt_step(context, s)
    return


async def cancel_report(update: Update, context: Context) -> None:
    """Drop the draft (/batal or the cancel button); nothing was sent."""
    s = await open_session(update, context)
    chat = update.effective_chat
    assert chat is not None
    if s.draft is None:
        await send(context, chat.id, t(s.lang, "nothing_to_cancel"), keyboards.main_menu(s.lang))
        return
    await drafts.discard_draft(s.svc.db, chat.id, s.draft.uid)
    await send(context, chat.id, t(s.lang, "cancelled"), keyboards.main_menu(s.lang))


# --- what a message is -------------------------------------------------------------------


async def keep_useful(s: Session, message: Message) -> str | None:
    """Keep what a report can use from any message; return an acknowledgement, or None."""
    draft = s.draft
    assert draft is not None
    lang = s.lang
    attachment = attachment_of(message)
    if attachment is not None:
        if not draft.add_attachment(attachment):
            return t(lang, "attachment_limit", limit=MAX_ATTACHMENTS)
        if message.caption:
            draft.add_details(message.caption)
        return t(
            lang,
            "attachment_added",
            kind=t(lang, "kind_" + attachment.kind.value),
            count=len(draft.attachments),
        )
    if message.venue is not None or message.location is not None:
        try:
            loc = location_of(message)
        except ValueError:  # includes pydantic's ValidationError
            return t(lang, "location_invalid")
        assert loc is not None
        loc = with_area(loc, s.svc.city)
        if s.svc.geocoder.enabled and loc.lat is not None and loc.lon is not None:
            # A street address reads better than coordinates; it gives up fast when slow.
            address = await s.svc.geocoder.reverse(loc.lat, loc.lon)
            if address:
                loc = loc.model_copy(update={"address": address[:512]})
        draft.location = loc
        draft.typed_place, draft.place_candidates = None, []
        return location_ack(loc, lang)
    if message.contact is not None:
        phone = normalize_phone(message.contact.phone_number)
        if phone is None:
            return t(lang, "phone_invalid")
        draft.phone, draft.phone_skipped = phone, False
        return t(lang, "phone_ok", phone=esc(phone))
    return None


# --- where is it -------------------------------------------------------------------------


# --- the steps ---------------------------------------------------------------------------


async def keep_or_reprompt(context: Context, s: Session, msg: Message) -> None:
    """Not this step's answer: keep what the report can use, say so (or that it cannot
    be used here), and ask the step again."""
    draft = s.draft
    assert draft is not None
    album = msg.media_group_id
    if album is not None and album == draft.last_album_id:
        await keep_useful(s, msg)  # the rest of an album already answered: kept, silently
        await s.save()
        return
    kept = await keep_useful(s, msg)
    if album is not None:
        draft.last_album_id = album
        kept = t(s.lang, "album_added", limit=MAX_ATTACHMENTS)
    if kept:
        await s.save()
    await prompt_step(context, s, kept or t(s.lang, "unexpected", what=t(s.lang, what_is(msg))))


async def at_category(update: Update, context: Context, s: Session) -> None:
    """Step 1 by message: a typed category name is accepted; anything else re-prompts."""
    draft, msg = s.draft, update.effective_message
    assert draft is not None and msg is not None
    if msg.text and (category := category_from_text(msg.text)) is not None:
        draft.category = category
        draft.advance()
        await s.save()
        await prompt_step(
            context, s, t(s.lang, "category_chosen", category=category_html(category, s.lang))
        )
        return
    kept = await keep_useful(s, msg)
    if kept:
        await s.save()
    note = kept or t(s.lang, "unexpected", what=t(s.lang, what_is(msg)))
    await prompt_step(context, s, note)
    return


async def at_location(update: Update, context: Context, s: Session) -> None:
    """Step 2: a pin, a venue, or typed words."""
    draft, msg = s.draft, update.effective_message
    assert draft is not None and msg is not None
    if msg.location is not None or msg.venue is not None:
        kept = await keep_useful(s, msg)
        if draft.location is not None and kept != t(s.lang, "location_invalid"):
            draft.advance()
        await s.save()
        await prompt_step(context, s, kept)
        return
    if msg.text:
        words = clean_text(msg.text)
        if len(words) < MIN_TYPED_LOCATION or not any(ch.isalnum() for ch in words):
            await prompt_step(context, s, t(s.lang, "location_typed_short"))
            return
        await offer_places(context, s, words[:512])
        return
    await keep_or_reprompt(context, s, msg)


async def at_details(update: Update, context: Context, s: Session) -> None:
    """Step 3: words (advance), media (stay, ask for more), skip/continue (advance)."""
    draft, msg = s.draft, update.effective_message
    assert draft is not None and msg is not None
    if msg.text and msg.text in all_variants("btn_skip") | all_variants("btn_continue"):
        draft.advance()
        await s.save()
        await prompt_step(context, s)
        return
    if msg.text:
        draft.add_details(msg.text)
        if draft.details:
            draft.advance()
            await s.save()
            await prompt_step(context, s, t(s.lang, "details_ok"))
            return
    await keep_or_reprompt(context, s, msg)


async def at_phone(update: Update, context: Context, s: Session) -> None:
    """Step 4: a shared contact or a typed number, or skip."""
    draft, msg = s.draft, update.effective_message
    assert draft is not None and msg is not None
    if msg.text and msg.text in all_variants("btn_skip"):
        draft.phone, draft.phone_skipped = None, True
        draft.advance()
        await s.save()
        await prompt_step(context, s, t(s.lang, "phone_skipped"))
        return
    if msg.contact is not None or msg.text:
        phone = normalize_phone(msg.contact.phone_number if msg.contact else msg.text or "")
        if phone is None:
            await prompt_step(context, s, t(s.lang, "phone_invalid"))
            return
        draft.phone, draft.phone_skipped = phone, False
        draft.advance()
        await s.save()
        await prompt_step(context, s, t(s.lang, "phone_ok", phone=esc(phone)))
        return
    await keep_or_reprompt(context, s, msg)


async def at_summary(update: Update, context: Context, s: Session) -> None:
    """At the summary, more words are added to the details; media and pins are kept."""
    draft, msg = s.draft, update.effective_message
    assert draft is not None and msg is not None
    note: str | None
    if msg.text:
        draft.add_details(msg.text)
        note = t(s.lang, "details_ok")
    else:
        note = await keep_useful(s, msg)
    if note:
        await s.save()
    await prompt_step(context, s, note or t(s.lang, "unexpected", what=t(s.lang, what_is(msg))))
    return


STEPS: dict[Step, Callable[[Update, Context, Session], Awaitable[None]]] = {
    Step.CATEGORY: at_category,
    Step.LOCATION: at_location,
    Step.DETAILS: at_details,
    Step.PHONE: at_phone,
    Step.CONFIRM: at_summary,
}


async def unknown_command(update: Update, context: Context) -> None:
    """A command the bot does not know: say so, then re-ask the current step."""
    s = await open_session(update, context)
    chat = update.effective_chat
    assert chat is not None
    note = t(s.lang, "unknown_command")
    if s.draft is None:
        await send(context, chat.id, note + "\n\n" + t(s.lang, "help"), keyboards.main_menu(s.lang))
        return None
    await prompt_step(context, s, note)
    return


# --- inline buttons ----------------------------------------------------------------------
