"""Checks every handler shares: who is a dispatcher, which chat, whose report, who may file.

One place for each authorization rule, so every feature module asks the same question
the same way.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import TypeVar

from telegram import (
    CallbackQuery,
    Message,
    Update,
    User,
)
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot.domain.card import CardState
from bot.domain.lifecycle import IllegalTransition
from bot.domain.models import (
    Language,
    Report,
    parse_ticket,
)
from bot.domain.strikes import Refusal
from bot.services import delivery, reports
from bot.services.reports import Refused
from handlers.callback_data import (
    CallbackDataError,
    CancelReport,
    ReportButton,
    SosAnswer,
)
from handlers.context import Context, Services, Session, answer, open_session
from handlers.views.render import (
    local_time,
)
from handlers.views.texts import t
from storage import reports as store
from storage.cards import card_state
from storage.message_map import report_for_message

log = logging.getLogger(__name__)

ADMIN_CACHE_SECONDS = 30
"""How long "is an admin" is believed; a ``chat_member`` update ends it at once."""
REFUSAL_QUIET_SECONDS = 600
"""After one polite refusal, a non-dispatcher's further commands get silence this long."""


async def is_dispatcher(context: Context, user: User | None) -> bool:
    """Listed in DISPATCHER_IDS, or an admin of the dispatch chat (cached briefly)."""
    if user is None:
        return False
    svc = context.services
    if user.id in svc.settings.dispatcher_ids:
        return True
    chat_id = svc.dispatch_chat
    key = (chat_id, user.id)
    cache = svc.memo.admins
    cached = cache.get(key)
    if cached and cached[1] > time.monotonic():
        return cached[0]
    try:
        member = await context.bot.get_chat_member(chat_id, user.id)
        ok = member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)
    except TelegramError as exc:
        log.warning("cannot check whether %s is a dispatcher: %s", user.id, exc)
        return False
    cache[key] = (ok, time.monotonic() + ADMIN_CACHE_SECONDS)
    return ok


def forget_member(svc: Services, chat_id: int, user_id: int) -> None:
    """A member's rights changed (promoted, demoted, left): ask Telegram again next time."""
    svc.memo.admins.pop((chat_id, user_id), None)


async def dispatcher_command(update: Update, context: Context) -> Services | None:
    """The services if a dispatcher typed this command in the dispatch chat, else None.

    Elsewhere the command is ignored (another group's business). A member of the
    dispatch chat who is no dispatcher gets one polite refusal, then silence for a while:
    typing a command 25 times must not flood the dispatchers' chat with 25 refusals.
    """
    svc = context.services
    if not in_dispatch_chat(update, svc):
        return None
    user, chat = update.effective_user, update.effective_chat
    assert chat is not None
    if await is_dispatcher(context, user):
        return svc
    key = (chat.id, user.id if user else 0)
    now = time.monotonic()
    if svc.memo.refused.get(key, 0.0) <= now:
        svc.memo.refused[key] = now + REFUSAL_QUIET_SECONDS
        await answer(update, context, t(svc.settings.dispatch_language, "command_dispatchers_only"))
    return None


def in_dispatch_chat(update: Update, svc: Services) -> bool:
    """True if the update comes from the configured dispatch chat — or from the chat of
    reports from outside the city, when the routing file gives them one."""
    chat = update.effective_chat
    if chat is None:
        return False
    if chat.id == svc.dispatch_chat:
        return True
    outside = svc.routing.outside_chat_id
    return outside is not None and chat.id == svc.chats.current(outside)


def refusal(exc: IllegalTransition, lang: Language, svc: Services) -> str:
    """An IllegalTransition in words a dispatcher or reporter understands."""
    params: dict[str, object] = {}
    for key, value in exc.params.items():
        params[key] = (
            local_time(value, svc.settings.tz)[-9:-4] if isinstance(value, datetime) else value
        )
    try:
        return t(lang, "refuse_" + exc.code, **params)
    except KeyError:
        return exc.message


async def dispatcher_press(
    update: Update, context: Context
) -> tuple[CallbackQuery, Services, Language] | None:
    """A button press in the dispatch chat by a dispatcher; anyone else gets an alert."""
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = context.services
    lang = svc.settings.dispatch_language
    if not in_dispatch_chat(update, svc) or not await is_dispatcher(context, query.from_user):
        await query.answer(t(lang, "not_dispatcher"), show_alert=True)
        return None
    pressed = query.message
    if isinstance(pressed, Message) and not await report_for_message(
        svc.db, pressed.chat_id, pressed.message_id
    ):
        await lost_copy(context, pressed)  # its redraws will reach it too
    return query, svc, lang


async def lost_copy(context: Context, message: Message) -> int | None:
    """A message of the bot's that nothing maps: the first copy of a send whose answer was
    lost (then repeated, marked)? Its report is named in its text; the outbox confirms
    that report had such a repeat in this chat (``delivery.adopt_copy``), and the copy is
    mapped to it like the repeat. Returns the report, or None."""
    if message.from_user is None or message.from_user.id != context.bot.id:
        return None
    svc = context.services
    for word in (message.text or message.caption or "").split():
        ticket = parse_ticket(word.strip(".,:;!?()[]<>#"))
        report_id = None if ticket is None else await store.report_id_by_ticket(svc.db, ticket)
        if report_id is not None and await delivery.adopt_copy(
            svc.db, message.chat_id, message.message_id, report_id, svc.clock.now()
        ):
            return report_id
    return None


PressT = TypeVar("PressT", bound=ReportButton)


async def dispatcher_card_press(
    update: Update, context: Context, kind: type[PressT]
) -> tuple[CallbackQuery, Services, Language, PressT, CardState] | None:
    """A dispatcher's press on a card button whose data is ``kind``: the query, the
    services, the dispatch language, the button's data and the report's card now.

    Anyone else gets the dispatcher-only alert; a stale button (data that no longer
    parses, a report that is gone) gets "stale button". Either way None is returned and
    the press is answered.
    """
    pressed = await dispatcher_press(update, context)
    if pressed is None:
        return None
    query, svc, lang = pressed
    try:
        data = kind.unpack(query.data or "")
        state = await card_state(svc.db, data.report)
    except (CallbackDataError, LookupError):
        await query.answer(t(lang, "stale_button"))
        return None
    return query, svc, lang, data, state


async def may_not_file(s: Session) -> str | None:
    """Why this person may not file a new report now (prank block, too many), or None."""
    svc = s.svc
    refused = await reports.may_file(
        svc.db, s.reporter.user_id, svc.clock.now(), svc.settings.filing_limit
    )
    return None if refused is None else refusal_text(s, refused)


def refusal_text(s: Session, refused: Refused) -> str:
    """A refusal to file, in the reporter's words."""
    if refused.reason is Refusal.BLOCKED:
        return t(s.lang, "blocked")
    minutes = s.svc.settings.report_limit_minutes
    return t(s.lang, "rate_limited", count=refused.recent, minutes=f"{minutes:g}")


OwnReportT = TypeVar("OwnReportT", CancelReport, SosAnswer)


async def own_report_press(
    update: Update, context: Context, kind: type[OwnReportT]
) -> tuple[CallbackQuery, Session, OwnReportT, Report] | None:
    """A button about one of the presser's own reports (None, answered, if it is not)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    s = await open_session(update, context)
    try:
        data = kind.unpack(query.data)
        report = await store.get_report(s.svc.db, data.report)
    except CallbackDataError:
        report = None
    if report is None or report.reporter_id != s.reporter.user_id:
        await query.answer(t(s.lang, "stale_button"))
        return None
    return query, s, data, report
