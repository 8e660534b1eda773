"""``/kirim <ticket> <agency> [unit/officer]`` in the dispatch chat: dispatch with the unit
or officer sent — or, for an agency already dispatched, note which unit went. The note
shows on the card and on the agency's copy (both redrawn)."""

from __future__ import annotations

from telegram import Update

from bot.domain import lifecycle
from bot.domain.lifecycle import IllegalTransition
from bot.domain.models import parse_ticket
from bot.domain.routing import Agency, Routing
from bot.services import reports
from handlers.context import Context, answer
from handlers.guards import dispatcher_command, refusal
from handlers.views.render import esc
from handlers.views.texts import t
from storage import reports as store

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
    now = svc.clock.now()
    action = lifecycle.Dispatch(
        lifecycle.Dispatcher(user_id=user.id, name=user.full_name), agency.key, unit_note=note
    )
    try:
        await reports.apply_action(
            svc.db,
            report_id,
            action,
            now,
            lambda state, step: svc.cards.on_transition(state, step, now),
            strikes=svc.settings.strike_policy,
        )
    except IllegalTransition as exc:
        await answer(update, context, refusal(exc, lang, svc))
        return
    except LookupError:
        await answer(update, context, t(lang, "report_unknown", ticket=esc(ticket)))
        return
    svc.wake_outbox()
    unit = f" — {esc(action.unit_note)}" if action.unit_note else ""
    await answer(
        update,
        context,
        t(lang, "unit_recorded", ticket=esc(ticket), agency=esc(agency.short_name), unit=unit),
    )
