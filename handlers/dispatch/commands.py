"""Commands in the dispatch chat: ``/antrian``, ``/laporan``, ``/unblock``."""

from __future__ import annotations

from telegram import (
    Update,
)

from bot.domain.messages import OutboundMessage
from bot.domain.models import parse_ticket
from bot.domain.queue import QueueEntry
from bot.domain.timers import waiting_past_target
from bot.services import reporters, reports
from handlers.context import Context, answer
from handlers.guards import dispatcher_command
from handlers.views.card_text import status_label
from handlers.views.render import (
    category_html,
    esc,
)
from handlers.views.texts import t
from handlers.views.trust import badge_line
from handlers.views.whereabouts import queue_outside
from storage import reports as store
from storage.cards import card_state


async def show_queue(update: Update, context: Context) -> None:
    """/antrian: open reports in queue order (most urgent, then trusted reporters, then
    oldest: :mod:`bot.domain.queue`), with age and state."""
    svc = await dispatcher_command(update, context)
    if svc is None:
        return
    lang = svc.settings.dispatch_language
    now = svc.clock.now()
    entries = sorted(await store.open_queue(svc.db), key=QueueEntry.key)
    if not entries:
        await answer(update, context, t(lang, "queue_empty"))
        return
    lines = [t(lang, "queue_title", count=len(entries))]
    for entry in entries[:40]:
        state = await card_state(svc.db, entry.report_id)
        snap = state.snapshot
        start = snap.received_at or state.report.submitted_at
        # Telegram's clock and ours may differ by seconds: an age is never negative.
        age = max(0, int((now - start).total_seconds() // 60))
        status = status_label(snap, lang, svc.routing)
        late = waiting_past_target(
            start, snap.on_scene_at, open_=snap.is_open, now=now, target=svc.response_target
        )
        outside = queue_outside(state.report.location, lang)
        badge = f"\n   {badge_line(state.report.badge, lang)}" if state.report.badge else ""
        lines.append(
            f"<code>{state.report.ticket}</code> · {category_html(state.report.category, lang)}"
            f" · {t(lang, 'queue_age', minutes=age)}{' ⚠️' if late else ''}{badge}\n   {status}"
            + (f" · {outside}" if outside else "")
        )
    if len(entries) > 40:
        lines.append(f"… +{len(entries) - 40}")
    await answer(update, context, "\n".join(lines))


async def show_report(update: Update, context: Context) -> None:
    """/laporan <ticket>: one report with its card and timeline (reply to it to write)."""
    svc = await dispatcher_command(update, context)
    if svc is None:
        return
    lang = svc.settings.dispatch_language
    if not context.args:
        await answer(update, context, t(lang, "usage_report"))
        return
    ticket = parse_ticket(" ".join(context.args)) or " ".join(context.args)
    report_id = await store.report_id_by_ticket(svc.db, ticket)
    if report_id is None:
        await answer(update, context, t(lang, "report_unknown", ticket=esc(ticket)))
        return
    state = await card_state(svc.db, report_id)
    text, _ = svc.cards.card_text(state, svc.clock.now())
    sent = await answer(update, context, text, svc.cards.keyboard(state), report_id=report_id)
    if sent is None:  # the outbox sends it in the group's next slot (and maps it then)
        return
    await reports.remember_message(
        svc.db, sent.chat_id, sent.message_id, report_id, "card_copy", svc.clock.now()
    )


async def unblock_reporter(update: Update, context: Context) -> None:
    """/unblock <user id | @username>: lift a prank block (dispatchers only)."""
    svc = await dispatcher_command(update, context)
    if svc is None:
        return
    lang = svc.settings.dispatch_language
    if not context.args:
        await answer(update, context, t(lang, "usage_unblock"))
        return
    who = context.args[0]
    reporter = await reporters.unblock(
        svc.db,
        who,
        svc.clock.now(),
        lambda r: [
            OutboundMessage(
                r.user_id,
                "send_message",
                {"text": t(r.lang, "you_are_unblocked"), "parse_mode": "HTML"},
                role="notice",
                priority=10,
            )
        ],
    )
    if reporter is None:
        await answer(update, context, t(lang, "unblock_unknown", who=esc(who)))
        return
    await answer(update, context, t(lang, "unblocked", who=esc(reporter.full_name)))
    svc.wake_outbox()
