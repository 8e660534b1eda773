"""Membership of the dispatch chat: a promoted or demoted admin counts as such at once.

Telegram sends ``chat_member`` updates to a bot that is an admin of the group; python-
telegram-bot asks for them (``allowed_updates`` = all types). Without this, a demoted
admin would keep pressing Close until the cached answer expired.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.domain.card import CardState
from bot.domain.messages import OutboundMessage
from bot.services import chats
from handlers.context import Context, Services
from handlers.guards import forget_member
from handlers.views.texts import t

log = logging.getLogger(__name__)


async def note_member_change(update: Update, context: Context) -> None:
    """Forget what we believed about this member's rights."""
    change = update.chat_member
    if change is None:
        return
    user = change.new_chat_member.user
    forget_member(context.services, change.chat.id, user.id)
    log.info("chat %s: member %s is now %s", change.chat.id, user.id, change.new_chat_member.status)


async def note_migration(update: Update, context: Context) -> None:
    """A group the bot serves became a supergroup (Telegram gives it a new id): cards,
    commands, buttons and relays follow it at once, and the move is kept across restarts.

    Telegram posts a service message in both chats: ``migrate_to_chat_id`` in the old
    group and ``migrate_from_chat_id`` in the new supergroup; either is enough.
    """
    msg = update.effective_message
    if msg is None:
        return
    if msg.migrate_to_chat_id is not None:
        old, new = msg.chat_id, msg.migrate_to_chat_id
    elif msg.migrate_from_chat_id is not None:
        old, new = msg.migrate_from_chat_id, msg.chat_id
    else:
        return
    svc = context.services
    configured = {
        svc.settings.dispatch_chat_id,
        svc.routing.outside_chat_id,
        *svc.routing.agency_chat_ids(),
    } - {None}
    if svc.chats.original(old) not in configured:
        return  # not a chat the bot serves
    await follow_move(svc, old, new)


async def follow_move(svc: Services, old: int, new: int) -> None:
    """Use the new id from now on (also after a restart) and tell the operators — once,
    however the bot learned of the move (a service message or Telegram's answer)."""
    svc.chats.add(old, new)
    if not await chats.chat_moved(svc.db, old, new, svc.clock.now()):
        return  # known already
    log.warning(
        "chat %s became supergroup %s: the bot uses the new id from now on (also after a"
        " restart); set it in the configuration (DISPATCH_CHAT_ID or the routing file)",
        old,
        new,
    )
    text = t(svc.settings.dispatch_language, "chat_migrated", old=old, new=new)
    await chats.notify_ops(svc.db, svc.settings.ops_chat_id or new, text, svc.clock.now())
    svc.wake_outbox()


async def chat_cut_off(svc: Services, chat_id: int, why: str) -> None:
    """A group the bot serves refuses its messages (removed or kicked): an incident, not a
    failed message. What waits for it is held; every reporter whose card is held is told
    to phone 112 now; the operators are told (OPS_CHAT_ID; the log always)."""
    original = svc.chats.original(chat_id)
    cards_chats = (svc.settings.dispatch_chat_id, svc.routing.outside_chat_id)
    role = "dispatch" if original in cards_chats else "agency"  # the luar-kota chat holds cards
    now = svc.clock.now()

    def messages(states: list[CardState], first: bool) -> list[OutboundMessage]:
        out = [
            svc.cards.to_reporter(
                st, t(st.report.language, "not_received_call_112", ticket=st.report.ticket)
            )
            for st in states
        ]
        ops = svc.settings.ops_chat_id
        if first and ops is not None and ops != chat_id:
            text = t(svc.settings.dispatch_language, f"cut_off_{role}", chat=chat_id)
            out.append(chats.ops_message(ops, text))
        return out

    held = await chats.cut_off(svc.db, chat_id, now, messages)
    log.error(
        "%s chat %s refuses the bot's messages (%s): %d more report card(s) held, nothing"
        " dropped; add the bot back to the group",
        role,
        chat_id,
        why,
        len(held),
    )
    svc.wake_outbox()


async def note_bot_membership(update: Update, context: Context) -> None:
    """The bot is back in a group it serves: what was held for it goes now, in order."""
    change = update.my_chat_member
    if change is None or change.new_chat_member.status not in ("member", "administrator"):
        return
    svc = context.services
    released = await chats.reconnected(svc.db, change.chat.id)
    if released or change.old_chat_member.status in ("left", "kicked"):
        log.warning(
            "chat %s takes the bot's messages again: %d held report card(s) go now",
            change.chat.id,
            released,
        )
    svc.wake_outbox()
