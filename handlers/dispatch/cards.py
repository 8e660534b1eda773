"""Buttons on dispatch cards and agency copies: claim, dispatch, en route, on scene, close,
backup, and the surge digest's "open card".
"""

from __future__ import annotations

import contextlib

from telegram import (
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)

from bot.domain import lifecycle
from bot.domain.lifecycle import Disposition, IllegalTransition, ReportState
from bot.services import reports
from handlers.callback_data import (
    CallbackDataError,
    CardAction,
    ExpandCard,
    OfficerAction,
    PickAgency,
    PickDisposition,
)
from handlers.context import Context, edit_tolerantly
from handlers.guards import dispatcher_card_press, dispatcher_press, refusal
from handlers.views.card_keyboards import agency_keyboard, close_keyboard
from handlers.views.render import (
    esc,
)
from handlers.views.texts import t
from storage.cards import card_state


def field_action(verb: str, actor: lifecycle.Dispatcher | lifecycle.Officer) -> lifecycle.Action:
    """What a field button means: claim, en route, on scene, or done (resolved)."""
    if verb == "claim":
        assert isinstance(actor, lifecycle.Dispatcher)
        return lifecycle.Claim(actor)
    if verb == "en_route":
        return lifecycle.EnRoute(actor)
    if verb == "on_scene":
        return lifecycle.OnScene(actor)
    return lifecycle.Close(actor, Disposition.RESOLVED)


def dispatcher_actor(user: User) -> lifecycle.Dispatcher:
    """The lifecycle's view of a pressing dispatcher."""
    return lifecycle.Dispatcher(user_id=user.id, name=user.full_name)


async def _apply(
    query: CallbackQuery, context: Context, report_id: int, action: lifecycle.Action
) -> None:
    """Apply an action and answer the press: recorded, or why not."""
    svc = context.services
    lang = svc.settings.dispatch_language
    try:
        await svc.act(report_id, action)
    except IllegalTransition as exc:
        await query.answer(refusal(exc, lang, svc)[:200], show_alert=not exc.noop)
        return
    except LookupError:
        await query.answer(t(lang, "stale_button"))
        return
    await query.answer(t(lang, "done"))


async def _show_keyboard(query: CallbackQuery, markup: InlineKeyboardMarkup | None) -> None:
    await edit_tolerantly(query.edit_message_reply_markup(markup))


async def press_card(update: Update, context: Context) -> None:
    """A button on a dispatch card (claim, dispatch menu, en route, on scene, close menu)."""
    pressed = await dispatcher_press(update, context)
    if pressed is None:
        return
    query, svc, lang = pressed
    try:
        data = CardAction.unpack(query.data or "")
    except CallbackDataError:
        await query.answer(t(lang, "stale_button"))
        return
    user = query.from_user
    if data.action in ("dispatch", "close", "back"):
        try:
            state = await card_state(svc.db, data.report)
        except LookupError:
            await query.answer(t(lang, "stale_button"))
            return
        if state.snapshot.state is ReportState.CLOSED:
            await query.answer(t(lang, "refuse_report_closed"), show_alert=True)
            return
        markup: InlineKeyboardMarkup | None
        if data.action == "dispatch":
            markup = agency_keyboard(
                state, lang, svc.routing, svc.cards.suggested_agency(state.report)
            )
        elif data.action == "close":
            markup = close_keyboard(state, lang)
        else:
            markup = svc.cards.keyboard(state)
        await query.answer()
        await _show_keyboard(query, markup)
        return
    await _apply(query, context, data.report, field_action(data.action, dispatcher_actor(user)))


async def pick_agency(update: Update, context: Context) -> None:
    """An agency chosen in the dispatch menu."""
    pressed = await dispatcher_press(update, context)
    if pressed is None:
        return
    query, svc, lang = pressed
    try:
        data = PickAgency.unpack(query.data or "")
        svc.routing.agency(data.agency)
    except (CallbackDataError, KeyError):
        await query.answer(t(lang, "stale_button"))
        return
    await _apply(
        query,
        context,
        data.report,
        lifecycle.Dispatch(dispatcher_actor(query.from_user), data.agency),
    )


async def pick_disposition(update: Update, context: Context) -> None:
    """A closing reason chosen in the close menu (or the duplicate button)."""
    pressed = await dispatcher_card_press(update, context, PickDisposition)
    if pressed is None:
        return
    query, _, lang, data, state = pressed
    actor = dispatcher_actor(query.from_user)
    if data.disposition is Disposition.DUPLICATE:
        if not state.possible_duplicate_of:
            await query.answer(t(lang, "stale_button"))
            return
        action = lifecycle.Close(actor, data.disposition, duplicate_of=state.possible_duplicate_of)
    elif data.disposition is Disposition.TRANSFERRED:
        action = lifecycle.Close(actor, data.disposition, transfer_to="LAPOR!")
    elif data.disposition is Disposition.CANCELLED_BY_REPORTER:
        await query.answer(t(lang, "refuse_not_reporter"), show_alert=True)
        return
    else:
        action = lifecycle.Close(actor, data.disposition)
    await _apply(query, context, data.report, action)


async def press_officer(update: Update, context: Context) -> None:
    """A button on an agency's copy: pressed by one of that agency's officers."""
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = context.services
    lang = svc.settings.dispatch_language
    chat = update.effective_chat
    message = query.message
    in_topic = isinstance(message, Message) and message.is_topic_message
    thread = message.message_thread_id if isinstance(message, Message) and in_topic else None
    agency = svc.cards.agency_of_copy(chat.id, thread) if chat is not None else None
    try:
        data = OfficerAction.unpack(query.data)
    except CallbackDataError:
        await query.answer(t(lang, "stale_button"))
        return
    if agency is None and chat is not None and thread is None:
        # A topic-only agency's copy that went to General (its topic was refused).
        with contextlib.suppress(LookupError):
            dispatched = (await card_state(svc.db, data.report)).snapshot.agencies
            agency = svc.cards.agency_of_copy(chat.id, None, dispatched)
    if agency is None:
        await query.answer(t(lang, "not_officer"), show_alert=True)
        return
    user = query.from_user
    officer = lifecycle.Officer(user_id=user.id, agency=agency.key, name=user.full_name)
    if data.action == "backup":
        try:
            state = await card_state(svc.db, data.report)
        except LookupError:
            await query.answer(t(lang, "stale_button"))
            return
        if agency.key not in state.snapshot.agencies or state.snapshot.is_closed:
            await query.answer(t(lang, "not_officer"), show_alert=True)
            return
        if not svc.memo.backup_due((data.report, agency.key)):
            await query.answer(t(lang, "backup_already"), show_alert=True)
            return
        notice = t(
            lang,
            "backup_requested",
            agency=esc(agency.short_name),
            ticket=state.report.ticket,
            who=esc(user.full_name),
        )
        await reports.relay(
            svc.db, [svc.cards.to_group(state, notice, role="alert")], svc.clock.now()
        )
        svc.wake_outbox()
        await query.answer(t(lang, "done"))
        return
    await _apply(query, context, data.report, field_action(data.action, officer))


async def expand_card(update: Update, context: Context) -> None:
    """A ticket's button in a surge digest: its full card comes."""
    pressed = await dispatcher_press(update, context)
    if pressed is None:
        return
    query, svc, lang = pressed
    try:
        data = ExpandCard.unpack(query.data or "")
        now = svc.clock.now()
        opened = await reports.open_card(
            svc.db, data.report, now, lambda st: svc.cards.expanded(st, now)
        )
    except (CallbackDataError, LookupError):
        await query.answer(t(lang, "stale_button"))
        return
    if not opened:
        await query.answer(t(lang, "already_open"))
        return
    svc.wake_outbox()
    await query.answer("📄")
