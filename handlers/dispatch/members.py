"""Membership of the dispatch chat: a promoted or demoted admin counts as such at once.

Telegram sends ``chat_member`` updates to a bot that is an admin of the group; python-
telegram-bot asks for them (``allowed_updates`` = all types). Without this, a demoted
admin would keep pressing Close until the cached answer expired.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram import Update

from bot.domain.card import CardState
from bot.domain.chats import topic_lost
from bot.domain.messages import OutboundMessage
from bot.services import chats, reports, topics
from handlers.context import Context, Services
from handlers.guards import forget_member
from handlers.views.render import esc
from handlers.views.texts import t
from storage.incidents import Incident

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


def alert_targets(svc: Services, refusing: set[int]) -> list[int]:
    """Who hears that a group refuses the bot: ``OPS_CHAT_ID``; without it (or when it
    refuses too), every other configured group that still takes the bot's messages — its
    admins learn it there; when no group is left, the ``DISPATCHER_IDS`` in their private
    chats with the bot (those who never opened one cannot be told). Empty: only the log."""
    ops = svc.settings.ops_chat_id
    if ops is not None and svc.chats.current(ops) not in refusing:
        return [svc.chats.current(ops)]
    agencies = sorted(svc.routing.agency_chat_ids())
    groups = [svc.cards.chat, *(svc.chats.current(c) for c in agencies)]
    out: list[int] = []
    for chat in groups:
        if chat not in refusing and chat not in out:
            out.append(chat)
    return out or list(svc.settings.dispatcher_ids)


def _role(svc: Services, chat_id: int) -> str | None:
    """Which configured group this is (None: one the bot does not serve)."""
    original = svc.chats.original(chat_id)
    if original in (svc.settings.dispatch_chat_id, svc.routing.outside_chat_id):
        return "dispatch"  # the luar-kota chat holds cards too
    if original in svc.routing.agency_chat_ids():
        return "agency"
    if svc.settings.ops_chat_id is not None and original == svc.settings.ops_chat_id:
        return "ops"
    return None


def _told(targets: list[int]) -> str:
    return ", ".join(map(str, targets)) if targets else "no other chat takes the bot's messages"


async def chat_cut_off(svc: Services, chat_id: int, why: str) -> None:
    """A group the bot serves refuses its messages (removed or kicked): an incident, not a
    failed message. What waits for it is held; every reporter whose card is held is told
    to phone 112 now (once: not again if a delay warned them already); the operators are
    told (OPS_CHAT_ID, else the other configured groups; the log always)."""
    role = _role(svc, chat_id)
    now = svc.clock.now()
    if role is None:  # a group it no longer serves (e.g. taken out of the routing file)
        dropped = await chats.give_up_chat(svc.db, chat_id, f"forbidden: {why}")
        log.warning("chat %s refuses messages (%s): %d message(s) given up", chat_id, why, dropped)
        return
    refusing = {i.chat_id for i in await chats.cut_off_chats(svc.db)} | {chat_id}
    targets = alert_targets(svc, refusing)

    def messages(states: list[CardState], first: bool) -> list[OutboundMessage]:
        out = [svc.cards.not_received(st) for st in states]
        if first:
            text = t(svc.settings.dispatch_language, f"cut_off_{role}", chat=chat_id, why=esc(why))
            out.extend(chats.ops_message(target, text) for target in targets)
        return out

    done = await chats.cut_off(svc.db, chat_id, why, now, messages)
    log.error(
        "%s chat %s refuses the bot's messages (%s): %d more report card(s) held, nothing"
        " dropped, %d reporter(s) told to phone 112; add the bot back to the group"
        " (operators told: %s)",
        role,
        chat_id,
        why,
        len(done.held),
        len(done.warned),
        _told(targets) if done.first else "before",
    )
    svc.wake_outbox()


async def alert_again(svc: Services, every: timedelta) -> datetime | None:
    """While a group refuses the bot, tell the operators again ``every`` so often (and the
    log, at ERROR); when to look next."""
    lang = svc.settings.dispatch_language
    now = svc.clock.now()
    for incident in await chats.cut_off_chats(svc.db):
        if _role(svc, incident.chat_id) is None:  # no longer configured: nobody to wait for
            dropped = await chats.drop_incident(svc.db, incident.chat_id, "no longer configured")
            log.warning(
                "chat %s is no longer configured: its incident ends, %d held message(s) given up",
                incident.chat_id,
                dropped,
            )
        elif await chats.takes_messages_again(svc.db, incident):  # a probe went through
            await back_in(svc, incident.chat_id)
        elif now - incident.last_alert_at >= every and await chats.probe(svc.db, incident.chat_id):
            # No membership update may ever say that the group takes messages again (a
            # restriction lifted, "only admins may post" switched off): try its oldest one.
            svc.wake_outbox()

    def messages(incident: Incident, refusing: list[int]) -> list[OutboundMessage]:
        minutes = int((svc.clock.now() - incident.since).total_seconds() // 60)
        since = incident.since.astimezone(svc.settings.tz).strftime("%H:%M")
        text = t(
            lang,
            f"cut_off_still_{_role(svc, incident.chat_id)}",
            chat=incident.chat_id,
            since=since,
            minutes=minutes,
            held=incident.held,
        )
        targets = alert_targets(svc, set(refusing))
        log.error(
            "%s chat %s still refuses the bot's messages since %s (%s): %d message(s) held;"
            " operators told again: %s",
            _role(svc, incident.chat_id),
            incident.chat_id,
            since,
            incident.reason,
            incident.held,
            _told(targets),
        )
        return [chats.ops_message(target, text) for target in targets]

    if await chats.repeat_alerts(svc.db, svc.clock.now(), every, messages):
        svc.wake_outbox()
    return await chats.next_alert_due(svc.db, every)


async def topic_refused(svc: Services, chat_id: int, thread_id: object, error: str) -> bool:
    """Telegram refused a message for a forum topic (deleted, or closed to the bot): it
    goes to General, with everything else waiting for that topic, and so do later cards;
    the operators are told once. False when the error is about something else."""
    if not isinstance(thread_id, int) or not topic_lost(error):
        return False
    svc.topics.add(chat_id, thread_id)
    refusing = {i.chat_id for i in await chats.cut_off_chats(svc.db)}
    targets = alert_targets(svc, refusing)
    text = t(
        svc.settings.dispatch_language, "topic_lost", chat=chat_id, topic=thread_id, why=esc(error)
    )
    alerts = [chats.ops_message(target, text) for target in targets]
    new, moved = await topics.topic_lost(svc.db, chat_id, thread_id, error, svc.clock.now(), alerts)
    log.error(
        "chat %s: forum topic %s refuses messages (%s): %d message(s) go to General instead,"
        " nothing dropped%s",
        chat_id,
        thread_id,
        error,
        moved,
        f"; operators told: {_told(targets)}" if new else "",
    )
    svc.wake_outbox()
    return True


CARD_GONE_ERRORS = ("message to edit not found",)
"""How Telegram says a message the bot edits is no longer in its chat."""


def edit_target_gone(role: str, error: str) -> bool:
    """Whether a refused card edit means the card itself is gone."""
    return role == "card_edit" and any(e in error.lower() for e in CARD_GONE_ERRORS)


async def message_gone(svc: Services, report_id: int | None, target: int | None, why: str) -> bool:
    """A card of the bot is no longer in the group (someone deleted it, or deleted its
    forum topic): Telegram cannot find it to edit, or a reply to it went out alone. An open
    report's card is posted again and the operators are told. False when ``target`` (an
    outbox id) is not the report's current card or the report is closed."""
    if report_id is None or target is None:
        return False
    now = svc.clock.now()
    state = await reports.card_vanished(
        svc.db, report_id, target, now, lambda st: svc.cards.expanded(st, now)
    )
    if state is None:
        return False
    ticket = state.report.ticket
    log.error("the card of %s is no longer in the group (%s): posted again", ticket, why)
    refusing = {i.chat_id for i in await chats.cut_off_chats(svc.db)}
    text = t(svc.settings.dispatch_language, "card_gone", ticket=ticket)
    for target in alert_targets(svc, refusing):
        await chats.notify_ops(svc.db, target, text, now)
    svc.wake_outbox()
    return True


async def note_topic_reopened(update: Update, context: Context) -> None:
    """A topic Telegram refused is open again: cards go there again."""
    msg = update.effective_message
    if msg is None or msg.forum_topic_reopened is None or msg.message_thread_id is None:
        return
    svc = context.services
    svc.topics.discard(msg.chat_id, msg.message_thread_id)
    if await topics.topic_found(svc.db, msg.chat_id, msg.message_thread_id):
        log.warning(
            "chat %s: forum topic %s was reopened; messages go there again",
            msg.chat_id,
            msg.message_thread_id,
        )


async def note_bot_membership(update: Update, context: Context) -> None:
    """The bot is back in a group it serves (or may write there again): what was held for
    it goes now, in order, and the operators hear that the incident is over."""
    change = update.my_chat_member
    if change is None:
        return
    member = change.new_chat_member
    writes = member.status in ("member", "administrator") or (
        member.status == "restricted" and bool(getattr(member, "can_send_messages", False))
    )
    if not writes:
        return
    await back_in(
        context.services,
        change.chat.id,
        rejoined=change.old_chat_member.status in ("left", "kicked"),
    )


async def back_in(svc: Services, chat_id: int, *, rejoined: bool = False) -> None:
    """A group takes the bot's messages again: release what was held, end the incident and
    tell the operators."""
    released, incident = await chats.reconnected(svc.db, chat_id)
    if released or incident is not None or rejoined:
        log.warning(
            "chat %s takes the bot's messages again: %d held report card(s) go now",
            chat_id,
            released,
        )
    if incident is not None:
        minutes = int((svc.clock.now() - incident.since).total_seconds() // 60)
        text = t(
            svc.settings.dispatch_language,
            "chat_back",
            chat=chat_id,
            minutes=minutes,
            count=released,
        )
        refusing = {i.chat_id for i in await chats.cut_off_chats(svc.db)}
        for target in alert_targets(svc, refusing):
            if target != chat_id:
                await chats.notify_ops(svc.db, target, text, svc.clock.now())
    svc.wake_outbox()
