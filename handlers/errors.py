"""The one error handler: log it, tell a waiting reporter, tell the operators' chat."""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from handlers.context import Context
from handlers.views.texts import t
from storage.reporters import get_reporter

log = logging.getLogger(__name__)


def describe(update: object) -> str:
    """A short, token-free description of an update for logs."""
    if isinstance(update, Update):
        chat = update.effective_chat
        kind = next(
            (
                k
                for k in ("message", "edited_message", "callback_query", "my_chat_member")
                if getattr(update, k) is not None
            ),
            "update",
        )
        return f"update {update.update_id} ({kind}) in chat {chat.id if chat else '?'}"
    return repr(update)[:200]


async def report_error(update: object, context: Context) -> None:
    """Log the exception; apologise to a reporter who waits; alert the ops chat if set."""
    error = context.error
    if isinstance(error, Forbidden) or (
        isinstance(error, BadRequest) and "query is too old" in error.message.lower()
    ):
        # The person blocked the bot, or a button press arrived twice / too late: nothing
        # to repair and nobody waiting.
        log.warning("%s: %s", describe(update), error.message)
        return
    log.error("error while handling %s", describe(update), exc_info=error)
    svc = context.services
    if isinstance(update, Update) and update.effective_chat is not None:
        chat = update.effective_chat
        if chat.type == ChatType.PRIVATE and update.effective_user is not None:
            reporter = await get_reporter(svc.db, update.effective_user.id)
            lang = reporter.lang if reporter else svc.settings.default_language
            try:
                await context.bot.send_message(chat.id, t(lang, "error"), parse_mode=ParseMode.HTML)
            except TelegramError:
                log.warning("could not apologise in chat %s", chat.id)
        if update.callback_query is not None:
            try:
                await update.callback_query.answer()
            except TelegramError:
                pass
    if svc.settings.ops_chat_id is not None:
        text = (
            f"⚠️ <b>Error</b> in {html.escape(describe(update))}\n"
            f"<code>{html.escape(type(error).__name__)}: {html.escape(str(error))[:3000]}</code>"
        )
        try:
            await context.bot.send_message(
                svc.settings.ops_chat_id, text, parse_mode=ParseMode.HTML
            )
        except TelegramError:
            log.warning("could not alert the ops chat")


async def answer_unknown_button(update: Update, context: Context) -> None:
    """A button whose data is not ours or is outdated: answer, change nothing."""
    query = update.callback_query
    assert query is not None
    lang = context.services.settings.default_language
    if update.effective_user is not None:
        reporter = await get_reporter(context.services.db, update.effective_user.id)
        if reporter is not None:
            lang = reporter.lang
    await query.answer(t(lang, "stale_button"))
