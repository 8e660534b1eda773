"""The reporter rates a closed report (1–5 stars) and may add a comment.

After a press, the reporter's next text message within the comment window is stored as
a comment (:func:`capture_comment`, registered in an earlier handler group so it sees
the message first), unless they press Skip or start a new report.
"""

from __future__ import annotations

import html
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationHandlerStop

from bot.services import insight
from handlers.callback_data import CallbackDataError, RateReport
from handlers.context import Context, edit_tolerantly, send
from handlers.views.rating import stars
from handlers.views.texts import t
from storage import reports as report_store
from storage.ratings import rating_of


async def _edit(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    query = update.callback_query
    assert query is not None
    await edit_tolerantly(query.edit_message_text(text, parse_mode="HTML", reply_markup=markup))


async def press_rating(update: Update, context: Context) -> None:
    """A star (or Skip) pressed under the rating question."""
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = context.services
    user = query.from_user
    try:
        data = RateReport.unpack(query.data)
    except CallbackDataError:
        await query.answer(t(svc.settings.default_language, "rating_refused"))
        return
    report = await report_store.get_report(svc.db, data.report)
    if report is None or report.reporter_id != user.id:
        await query.answer(t(svc.settings.default_language, "rating_refused"))
        return
    lang = report.language
    ticket = html.escape(report.ticket)
    if data.choice == "skip":
        await insight.skip_comment(svc.db, report.id, user.id)
        await query.answer("✅")
        rated = await rating_of(svc.db, report.id)
        n = rated[0] if rated else 0
        await _edit(update, t(lang, "rating_done", ticket=ticket, stars=stars(n), n=n))
        return
    minutes = svc.settings.rating_comment_minutes
    saved = await insight.rate(
        svc.db, report.id, user.id, int(data.choice), svc.clock.now(), timedelta(minutes=minutes)
    )
    if saved is None:
        await query.answer(t(lang, "rating_refused"), show_alert=True)
        return
    await query.answer(stars(saved.stars))
    skip = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(lang, "btn_skip"),
                    callback_data=RateReport(report=report.id, choice="skip").pack(),
                )
            ]
        ]
    )
    await _edit(
        update,
        t(
            lang,
            "rating_thanks",
            ticket=ticket,
            stars=stars(saved.stars),
            n=saved.stars,
            minutes=f"{minutes:g}",
        ),
        skip,
    )


async def capture_comment(update: Update, context: Context) -> None:
    """A reporter's text right after rating becomes the comment (stops other handlers);
    any other message passes through untouched."""
    msg, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if msg is None or user is None or chat is None or not msg.text:
        return
    svc = context.services
    taken = await insight.take_comment(svc.db, user.id, chat.id, msg.text, svc.clock.now())
    if taken is None:
        return
    ticket, lang = taken
    await send(context, chat.id, t(lang, "rating_comment_saved", ticket=html.escape(ticket)))
    raise ApplicationHandlerStop
