"""The reporter's own reports: ``/status`` and cancelling one before dispatch."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)

from bot.domain import lifecycle
from bot.domain.lifecycle import IllegalTransition, ReportState
from handlers.callback_data import (
    CancelReport,
)
from handlers.context import Context, open_session, send
from handlers.guards import own_report_press, refusal
from handlers.views.card_text import status_label
from handlers.views.render import (
    category_html,
    local_time,
)
from handlers.views.texts import t
from storage import reports as store
from storage.cards import card_state


async def show_status(update: Update, context: Context) -> None:
    """/status: the reporter's open and recent reports; open ones can be cancelled."""
    s = await open_session(update, context)
    chat = update.effective_chat
    assert chat is not None
    reports = await store.reports_of(s.svc.db, s.reporter.user_id, limit=5)
    if not reports:
        await send(context, chat.id, t(s.lang, "status_none"))
        return
    lines = [t(s.lang, "status_title")]
    buttons = []
    for r in reports:
        state = await card_state(s.svc.db, r.id)
        snap = state.snapshot
        if snap.state is ReportState.SUBMITTED:  # the card is not in the group yet
            where = t(s.lang, "status_not_in_group")
        else:
            where = status_label(snap, s.lang, s.svc.routing)
        lines.append(
            f"<code>{r.ticket}</code> · {category_html(r.category, s.lang)} · "
            f"{local_time(r.submitted_at, s.svc.settings.tz)}\n   {where}"
        )
        if snap.state in (ReportState.SUBMITTED, ReportState.RECEIVED, ReportState.CLAIMED):
            buttons.append(
                [
                    InlineKeyboardButton(
                        t(s.lang, "btn_cancel_report", ticket=r.ticket),
                        callback_data=CancelReport(report=r.id).pack(),
                    )
                ]
            )
    await send(
        context, chat.id, "\n".join(lines), InlineKeyboardMarkup(buttons) if buttons else None
    )


async def cancel_own_report(update: Update, context: Context) -> None:
    """The reporter cancels an open report before dispatch."""
    pressed = await own_report_press(update, context, CancelReport)
    if pressed is None:
        return
    query, s, _, report = pressed
    actor = lifecycle.ReporterActor(user_id=s.reporter.user_id, name=s.reporter.full_name)
    try:
        await s.svc.act(report.id, lifecycle.CancelByReporter(actor))
    except IllegalTransition as exc:
        text = (
            t(s.lang, "cancel_refused")
            if exc.code == "cancel_after_dispatch"
            else refusal(exc, s.lang, s.svc)
        )
        await query.answer(text[:200], show_alert=True)
        return
    await query.answer("✅")
    await query.edit_message_reply_markup(None)
