"""The one-tap SOS path: location first, the report at once, questions after.

A location sent with no report in progress (the "🆘 Darurat" button of the main menu
shares it in one tap) immediately files a report — category "not known yet", flagged
SOS, first in the outbox. Only then is the reporter asked, each question skippable:
what happened, a few words or a voice note, a photo, a call-back number. Each answer
updates the open report and redraws its card; nothing waits for the reporter to finish.
Whatever arrives during the questions is kept: words go to the details, media to the
attachments (and under the card), a contact or number to the phone.
"""

from __future__ import annotations

import logging

from telegram import Message, Update

from bot.domain.card import CardState, ReportChanges
from bot.domain.categories import CHOOSABLE, Category
from bot.domain.locating import with_area
from bot.domain.models import Report, clean_text, normalize_phone
from bot.domain.sos import next_question, sos_draft
from bot.services import reports
from bot.services.reports import Refused
from handlers.callback_data import SosAnswer
from handlers.context import Context, Session, send
from handlers.guards import own_report_press, refusal_text
from handlers.parsing import attachment_of, category_from_text, location_of
from handlers.views import keyboards
from handlers.views.texts import all_variants, t

log = logging.getLogger(__name__)


async def send_sos(update: Update, context: Context, s: Session) -> None:
    """A location with no report in progress: file an SOS report now, ask afterwards."""
    msg = update.effective_message
    assert msg is not None
    try:
        loc = location_of(msg)
    except ValueError:
        await send(context, msg.chat_id, t(s.lang, "location_invalid"), keyboards.main_menu(s.lang))
        return
    assert loc is not None
    # Derived from the message: the same location delivered twice files one report.
    draft = sos_draft(msg.chat_id, s.reporter.user_id, msg.message_id, with_area(loc, s.svc.city))
    result = await s.submit(draft)
    if isinstance(result, Refused):
        await send(context, msg.chat_id, refusal_text(s, result), keyboards.main_menu(s.lang))
        return
    log.info("SOS report %s submitted", result.report.ticket)


async def _apply(
    context: Context,
    s: Session,
    report: Report,
    changes: ReportChanges,
    message: Message | None = None,
) -> CardState | None:
    """Store an answer and redraw the card; None if this message was handled before."""
    svc = s.svc
    now = svc.clock.now()
    media = changes.attachments or []
    state = await reports.update_report(
        svc.db,
        report.id,
        changes,
        now,
        lambda st: [*svc.cards.card_edit(st, now), *svc.cards.media_under_card(st, media)],
        incoming=(message.chat_id, message.message_id, report.id) if message else None,
    )
    if state is not None:
        svc.wake_outbox()
    return state


async def ask(context: Context, s: Session, report: Report, question: str | None) -> None:
    """Ask the next SOS question (or say thank you)."""
    lang, chat = s.lang, report.chat_id
    if question == "details":
        await send(
            context, chat, t(lang, "sos_ask_details"), keyboards.details(lang, has_content=False)
        )
    elif question == "photo":
        await send(
            context, chat, t(lang, "sos_ask_photo"), keyboards.details(lang, has_content=False)
        )
    elif question == "phone":
        await send(context, chat, t(lang, "sos_ask_phone"), keyboards.phone_request(lang))
    elif question is None:
        await send(
            context, chat, t(lang, "sos_done", ticket=report.ticket), keyboards.main_menu(lang)
        )


def _absorb(message: Message, question: str, report: Report) -> ReportChanges:
    """Whatever arrived, kept: category, words, media, a number."""
    changes = ReportChanges()
    attachment = attachment_of(message)
    if attachment is not None:
        changes.attachments = [attachment]
    words = clean_text(message.text or message.caption or "")
    if message.contact is not None:
        changes.phone = normalize_phone(message.contact.phone_number)
    elif words and question == "phone" and (phone := normalize_phone(words)):
        changes.phone = phone
    elif words and question == "category" and (found := category_from_text(words)):
        changes.category = found
    elif words:
        changes.details = words
    return changes


async def answer_question(update: Update, context: Context, s: Session, report: Report) -> None:
    """A message while an SOS question is pending: keep it, then ask the next question."""
    msg = update.effective_message
    assert msg is not None and report.followup_step is not None
    question = report.followup_step
    skip = bool(msg.text) and msg.text in all_variants("btn_skip") | all_variants("btn_continue")
    changes = ReportChanges() if skip else _absorb(msg, question, report)
    nothing = not skip and changes == ReportChanges()
    if nothing:  # a sticker, a poll ...: say so, ask again
        await send(context, msg.chat_id, t(s.lang, "unexpected", what=t(s.lang, "what_other")))
        await ask(context, s, report, question)
        return
    following = next_question(question)
    if question == "details" and changes.attachments and not skip:
        following = "details"  # more voice notes or words may follow; "skip" moves on
        if report.attachments and len(report.attachments) >= 3:
            following = next_question(question)
    if following is None:
        changes.clear_followup = True
    else:
        changes.followup_step = following
    state = await _apply(context, s, report, changes, msg)
    if state is None:
        return  # the same message delivered twice
    if not skip:
        await send(context, msg.chat_id, t(s.lang, "sos_kept"))
    if following != "category":
        await ask(context, s, state.report, following)


async def choose_answer(update: Update, context: Context) -> None:
    """A button of the SOS category question: a category, "for someone else", or skip."""
    pressed = await own_report_press(update, context, SosAnswer)
    if pressed is None:
        return
    query, s, data, report = pressed
    if data.choice == "witness":
        await _apply(context, s, report, ReportChanges(for_someone_else=True))
        await query.answer("👥 ✅")
        return
    if report.followup_step != "category":
        await query.answer(t(s.lang, "stale_button"))
        return
    changes = ReportChanges(followup_step="details")
    if data.choice != "skip":
        if data.choice not in {c.value for c in CHOOSABLE}:
            await query.answer(t(s.lang, "stale_button"))
            return
        changes.category = Category(data.choice)
    state = await _apply(context, s, report, changes)
    await query.answer("✅")
    await query.edit_message_reply_markup(None)
    await ask(context, s, state.report if state else report, "details")
