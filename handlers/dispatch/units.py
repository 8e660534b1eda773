"""Which unit or officer went: ``/kirim <ticket> <agency> [unit/officer]`` in the dispatch
chat (dispatch with the unit, or note it for an agency already dispatched), or the card's
🚓 button, which asks the dispatcher and takes their reply as the note. The note shows on
the card and on the agency's copy (both redrawn)."""

from __future__ import annotations

import re

from telegram import ForceReply, ReplyParameters, Update
from telegram.constants import ParseMode
from telegram.ext import ApplicationHandlerStop

from bot.domain import lifecycle
from bot.domain.lifecycle import IllegalTransition
from bot.domain.models import parse_ticket
from bot.domain.routing import Agency, Routing
from handlers.callback_data import AskUnit
from handlers.context import Context, Services, answer
from handlers.guards import (
    dispatcher_card_press,
    dispatcher_command,
    in_dispatch_chat,
    is_dispatcher,
    refusal,
)
from handlers.views.card_keyboards import UNIT_STATES
from handlers.views.handover import mention
from handlers.views.render import esc
from handlers.views.texts import t
from storage import reports as store
from storage.cards import card_state

MAX_UNIT_NOTE = 120


def find_agency(routing: Routing, word: str) -> Agency | None:
    """An agency by its key or its short name (case-insensitive)."""
    wanted = word.casefold()
    for agency in routing.agencies():
        if wanted in (agency.key.casefold(), agency.short_name.casefold()):
            return agency
    return None


async def dispatch_with_unit(update: Update, context: Context) -> None:
    """/kirim <ticket> <agency> [unit/officer]."""
    svc = await dispatcher_command(update, context)
    if svc is None:
        return
    lang = svc.settings.dispatch_language
    user = update.effective_user
    assert user is not None
    args = context.args or []
    keys = ", ".join(f"<code>{esc(a.key)}</code>" for a in svc.routing.agencies())
    if len(args) < 2:
        await answer(update, context, t(lang, "usage_unit", agencies=keys))
        return
    ticket = parse_ticket(args[0]) or args[0]
    agency = find_agency(svc.routing, args[1])
    if agency is None:
        await answer(
            update, context, t(lang, "unit_agency_unknown", agency=esc(args[1]), agencies=keys)
        )
        return
    note = " ".join(args[2:])[:MAX_UNIT_NOTE] or None
    report_id = await store.report_id_by_ticket(svc.db, ticket)
    if report_id is None:
        await answer(update, context, t(lang, "report_unknown", ticket=esc(ticket)))
        return
    action = lifecycle.Dispatch(
        lifecycle.Dispatcher(user_id=user.id, name=user.full_name), agency.key, unit_note=note
    )
    await _dispatch(update, context, svc, report_id, ticket, agency, action)


async def _dispatch(
    update: Update,
    context: Context,
    svc: Services,
    report_id: int,
    ticket: str,
    agency: Agency,
    action: lifecycle.Dispatch,
) -> None:
    """Apply a dispatch (or a unit note) and say what was recorded, or why not."""
    lang = svc.settings.dispatch_language
    try:
        await svc.act(report_id, action)
    except IllegalTransition as exc:
        await answer(update, context, refusal(exc, lang, svc))
        return
    except LookupError:
        await answer(update, context, t(lang, "report_unknown", ticket=esc(ticket)))
        return
    unit = f" — {esc(action.unit_note)}" if action.unit_note else ""
    await answer(
        update,
        context,
        t(lang, "unit_recorded", ticket=esc(ticket), agency=esc(agency.short_name), unit=unit),
    )


UNIT_PROMPT_MARK = "🚓✍️"
TICKET_IN_TEXT = re.compile(r"\b[A-Z]{2,5}-\d{6}-\d{4,}\b")
"""How a unit question starts (a reply to it is the unit note, not a reply to the reporter)."""


async def ask_unit(update: Update, context: Context) -> None:
    """A card's 🚓 button: the dispatcher is asked, as a reply to the card, which unit or
    officer went; their reply to that question is the note."""
    pressed = await dispatcher_card_press(update, context, AskUnit)
    if pressed is None:
        return
    query, svc, lang, _, state = pressed
    snap = state.snapshot
    if snap.state not in UNIT_STATES or snap.agency is None:
        key = "refuse_report_closed" if snap.is_closed else "refuse_not_dispatched"
        await query.answer(t(lang, key)[:200], show_alert=True)
        return
    await query.answer()
    user = query.from_user
    agency = svc.routing.agency(snap.agency).short_name if snap.agency else ""
    message = query.message
    await context.bot.send_message(
        message.chat.id if message is not None else svc.dispatch_chat,
        t(
            lang,
            "unit_prompt",
            who=mention(user.id, user.full_name),
            agency=esc(agency),
            ticket=state.report.ticket,
        ),
        parse_mode=ParseMode.HTML,
        reply_markup=ForceReply(selective=True, input_field_placeholder="Unit 3 — Pak Budi"),
        reply_parameters=(
            ReplyParameters(message_id=message.message_id, allow_sending_without_reply=True)
            if message is not None
            else None
        ),
    )


async def capture_unit_reply(update: Update, context: Context) -> None:
    """A dispatcher's reply to a unit question: the unit note of the report's (primary)
    agency. Any other reply passes on (to the reporter, by the relay)."""
    svc = context.services
    msg = update.effective_message
    if msg is None or msg.reply_to_message is None or not in_dispatch_chat(update, svc):
        return
    asked = msg.reply_to_message
    if asked.from_user is None or asked.from_user.id != context.bot.id:
        return
    if not (asked.text or "").startswith(UNIT_PROMPT_MARK):
        return
    found = TICKET_IN_TEXT.search(asked.text or "")
    ticket = parse_ticket(found.group(0)) if found else None
    note = (msg.text or "").strip()
    if ticket is None or not await is_dispatcher(context, update.effective_user):
        raise ApplicationHandlerStop  # a unit question's reply never reaches the reporter
    lang = svc.settings.dispatch_language
    if not note:  # a photo, a sticker …: say what is wanted instead of dropping it
        await answer(update, context, t(lang, "unit_note_text_only", ticket=esc(ticket)))
        raise ApplicationHandlerStop
    report_id = await store.report_id_by_ticket(svc.db, ticket)
    state = None if report_id is None else await card_state(svc.db, report_id)
    if state is None or state.snapshot.agency is None:
        await answer(update, context, t(lang, "report_unknown", ticket=esc(ticket)))
        raise ApplicationHandlerStop
    user = update.effective_user
    assert user is not None
    agency = svc.routing.agency(state.snapshot.agency)
    action = lifecycle.Dispatch(
        lifecycle.Dispatcher(user_id=user.id, name=user.full_name),
        agency.key,
        unit_note=note[:MAX_UNIT_NOTE],
    )
    await _dispatch(update, context, svc, state.report.id, ticket, agency, action)
    raise ApplicationHandlerStop
