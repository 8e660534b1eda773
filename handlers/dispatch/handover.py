"""Shift hand-over in the dispatch chat: a card's 🔁 button (pick the dispatcher who takes
it), ``/alihkan <ticket> @dispatcher`` and, at the end of a shift,
``/alihkan semua @dispatcher`` (every open report the sender holds).

The new owner is named in the group (a mention notifies them), the card is redrawn with
its new owner and each hand-over is an event of its report (``reassigned``).
"""

from __future__ import annotations

import logging

from telegram import Message, MessageEntity, Update, User
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot.domain import lifecycle
from bot.domain.lifecycle import IllegalTransition
from bot.domain.models import parse_ticket
from bot.services import handover
from handlers.callback_data import CallbackDataError, HandOver, PickOwner
from handlers.context import Context, Services, answer, edit_tolerantly
from handlers.guards import (
    dispatcher_card_press,
    dispatcher_command,
    dispatcher_press,
    is_dispatcher,
    refusal,
)
from handlers.views.card_keyboards import HANDOVER_STATES
from handlers.views.handover import handover_all_notice, mention, owner_keyboard
from handlers.views.render import esc
from handlers.views.texts import t
from storage import reports as store

log = logging.getLogger(__name__)

ALL_WORDS = frozenset({"semua", "all"})
GONE = (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)


def as_dispatcher(user: User) -> lifecycle.Dispatcher:
    """The lifecycle's view of a dispatcher."""
    return lifecycle.Dispatcher(user_id=user.id, name=user.full_name)


async def dispatchers(context: Context, svc: Services) -> list[User]:
    """People who may take a report: the dispatch chat's admins and the ``DISPATCHER_IDS``
    still in it (bots left out)."""
    found: dict[int, User] = {}
    try:
        for member in await context.bot.get_chat_administrators(svc.dispatch_chat):
            if not member.user.is_bot:
                found[member.user.id] = member.user
    except TelegramError as exc:
        log.warning("cannot list the dispatch chat's admins: %s", exc)
    for user_id in sorted(svc.settings.dispatcher_ids):
        if user_id in found:
            continue
        try:
            member = await context.bot.get_chat_member(svc.dispatch_chat, user_id)
        except TelegramError:
            continue
        if member.status not in GONE and not member.user.is_bot:
            found[user_id] = member.user
    return list(found.values())


async def _member(context: Context, svc: Services, user_id: int) -> User | None:
    try:
        member = await context.bot.get_chat_member(svc.dispatch_chat, user_id)
    except TelegramError:
        return None
    return None if member.status in GONE else member.user


async def find_dispatcher(
    context: Context, svc: Services, message: Message, word: str
) -> User | None:
    """Whom ``word`` names: a mention of a person without a username, ``@username`` of a
    dispatcher, or a user id — None unless that person is a dispatcher."""
    user: User | None = None
    for entity in message.entities:
        if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None:
            user = entity.user
    if user is None and word.startswith("@") and len(word) > 1:
        wanted = word[1:].casefold()
        for candidate in await dispatchers(context, svc):
            if (candidate.username or "").casefold() == wanted:
                user = candidate
                break
    elif user is None and word.isdigit():
        user = await _member(context, svc, int(word))
    if user is None or user.is_bot or not await is_dispatcher(context, user):
        return None
    return user


async def hand_over_command(update: Update, context: Context) -> None:
    """/alihkan <ticket | semua> @dispatcher."""
    svc = await dispatcher_command(update, context)
    if svc is None:
        return
    lang = svc.settings.dispatch_language
    message, giver = update.effective_message, update.effective_user
    assert message is not None and giver is not None
    args = context.args or []
    if len(args) < 2:
        await answer(update, context, t(lang, "usage_handover"))
        return
    what, who = args[0], args[-1]
    taker = await find_dispatcher(context, svc, message, who)
    if taker is None:
        await answer(update, context, t(lang, "handover_not_dispatcher", who=esc(who)))
        return
    actor, to = as_dispatcher(giver), as_dispatcher(taker)
    now = svc.clock.now()
    if what.casefold() in ALL_WORDS:
        moved = await handover.hand_over_all(
            svc.db,
            actor,
            to,
            now,
            lambda state, step: [
                m for m in svc.cards.on_transition(state, step, now) if m.role == "card_edit"
            ],
            lambda states: [handover_all_notice(svc.cards.chat, states, actor, to, lang)],
        )
        if not moved:
            await answer(update, context, t(lang, "handover_all_none"))
            return
        svc.wake_outbox()
        await answer(
            update, context, t(lang, "handover_all_done", count=len(moved), to=esc(to.name))
        )
        return
    ticket = parse_ticket(what) or what
    report_id = await store.report_id_by_ticket(svc.db, ticket)
    if report_id is None:
        await answer(update, context, t(lang, "report_unknown", ticket=esc(ticket)))
        return
    try:
        await svc.act(report_id, lifecycle.Reassign(actor, to))
    except IllegalTransition as exc:
        text = (
            t(lang, "handover_self", who=esc(to.name))
            if exc.code == "already_in_state"
            else refusal(exc, lang, svc)
        )
        await answer(update, context, text)
        return
    await answer(update, context, t(lang, "handover_done", to=mention(to.user_id, to.name)))


async def press_hand_over(update: Update, context: Context) -> None:
    """A card's 🔁 button: the dispatchers who may take it, as buttons under the card."""
    pressed = await dispatcher_card_press(update, context, HandOver)
    if pressed is None:
        return
    query, svc, lang, data, state = pressed
    if state.snapshot.state not in HANDOVER_STATES:
        key = "refuse_report_closed" if state.snapshot.is_closed else "refuse_not_claimed"
        await query.answer(t(lang, key)[:200], show_alert=True)
        return
    owner = state.snapshot.claimed_by
    candidates = [
        (u.id, u.full_name)
        for u in await dispatchers(context, svc)
        if owner is None or u.id != owner.user_id
    ]
    if not candidates:
        await query.answer(t(lang, "handover_nobody"), show_alert=True)
        return
    await query.answer(t(lang, "handover_pick"))
    await edit_tolerantly(
        query.edit_message_reply_markup(owner_keyboard(data.report, candidates, lang))
    )


async def pick_owner(update: Update, context: Context) -> None:
    """The dispatcher chosen to take the report over."""
    pressed = await dispatcher_press(update, context)
    if pressed is None:
        return
    query, svc, lang = pressed
    try:
        data = PickOwner.unpack(query.data or "")
    except CallbackDataError:
        await query.answer(t(lang, "stale_button"))
        return
    taker = await _member(context, svc, data.user)
    if taker is None or taker.is_bot or not await is_dispatcher(context, taker):
        await query.answer(
            t(lang, "handover_not_dispatcher", who=str(data.user))[:200], show_alert=True
        )
        return
    try:
        await svc.act(
            data.report, lifecycle.Reassign(as_dispatcher(query.from_user), as_dispatcher(taker))
        )
    except IllegalTransition as exc:
        await query.answer(refusal(exc, lang, svc)[:200], show_alert=not exc.noop)
        return
    except LookupError:
        await query.answer(t(lang, "stale_button"))
        return
    await query.answer(t(lang, "handover_done", to=taker.full_name)[:200])
