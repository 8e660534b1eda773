"""A reporter with an open report sends a location: one question — is it an update to
that report (its card and pin follow, the dispatchers are told) or a new emergency (an
SOS report, as with no open report)? A stale press is answered clearly."""

from __future__ import annotations

import logging

from telegram import Update

from bot.domain.locating import with_area
from bot.domain.models import Report
from bot.domain.sos import sos_draft
from bot.services import locations
from bot.services.locations import Moved
from bot.services.reports import Refused
from handlers.callback_data import CallbackDataError, LocationChoice
from handlers.context import Context, Session, edit_tolerantly, open_session, send
from handlers.guards import refusal_text
from handlers.parsing import location_of
from handlers.views import keyboards
from handlers.views.location_choice import (
    choice_keyboard,
    location_moved,
    location_sent,
    question,
)
from handlers.views.texts import t

log = logging.getLogger(__name__)


async def ask(update: Update, context: Context, s: Session, report: Report) -> None:
    """Keep the location and ask what it is for (once per location message)."""
    msg = update.effective_message
    assert msg is not None
    svc = s.svc
    try:
        loc = location_of(msg)
    except ValueError:
        await send(context, msg.chat_id, t(s.lang, "location_invalid"), keyboards.main_menu(s.lang))
        return
    assert loc is not None
    pending_id = await locations.keep(
        svc.db,
        msg.chat_id,
        msg.message_id,
        s.reporter.user_id,
        report.id,
        with_area(loc, svc.city),
        svc.clock.now(),
        lambda state, kept: location_sent(svc.cards, state, kept),
    )
    if pending_id is None:
        return  # the same location delivered twice: asked already
    svc.wake_outbox()  # the dispatchers see it at once
    await send(
        context,
        msg.chat_id,
        question(report, s.lang, svc.settings.tz),
        choice_keyboard(pending_id, report.ticket, s.lang),
    )


async def choose(update: Update, context: Context) -> None:
    """The answer: move the open report, or file a new emergency."""
    query = update.callback_query
    assert query is not None
    s = await open_session(update, context)
    svc, lang = s.svc, s.lang
    try:
        data = LocationChoice.unpack(query.data or "")
    except CallbackDataError:
        await query.answer(t(lang, "stale_button"))
        return
    now = svc.clock.now()
    if data.choice == "update":
        moved = await locations.move_report(
            svc.db,
            data.pending,
            s.reporter.user_id,
            now,
            lambda state: location_moved(svc.cards, state, now),
        )
        if moved.outcome is Moved.CLOSED:
            await query.answer(
                t(lang, "location_report_closed", ticket=moved.ticket)[:200], show_alert=True
            )
            return
        if moved.outcome is Moved.STALE:
            await stale(update, context)
            return
        svc.wake_outbox()
        await query.answer("✅")
        await edit_tolerantly(query.edit_message_reply_markup(None))
        await send(context, s.reporter.user_id, t(lang, "location_updated", ticket=moved.ticket))
        return
    kept = await locations.pending(svc.db, data.pending, s.reporter.user_id, now)
    if kept is None:
        await stale(update, context)
        return
    draft = sos_draft(kept.chat_id, s.reporter.user_id, kept.message_id, kept.location)
    result = await s.submit(draft, confirmed_new=True)
    if isinstance(result, Refused):
        # Refused (a filing limit, a block): the question stays, so "update my report"
        # still works for this location.
        await query.answer()
        await send(context, kept.chat_id, refusal_text(s, result), keyboards.main_menu(lang))
        return
    await locations.forget(svc.db, data.pending)
    await query.answer("🆘")
    await edit_tolerantly(query.edit_message_reply_markup(None))
    log.info("new SOS report %s filed from a location question", result.report.ticket)


async def stale(update: Update, context: Context) -> None:
    """A press on a question already answered or expired: say so, take its buttons away."""
    query = update.callback_query
    assert query is not None
    s = await open_session(update, context)
    await query.answer(t(s.lang, "location_question_stale")[:200], show_alert=True)
    await edit_tolerantly(query.edit_message_reply_markup(None))
