"""Greeting, help, language, the menu, and the setup helpers (/chatid, joining groups)."""

from __future__ import annotations

import logging

from telegram import ChatMemberUpdated, Update
from telegram.constants import ChatType
from telegram.helpers import create_deep_linked_url

from bot.services import reporters
from handlers.callback_data import CallbackDataError, SetLanguage
from handlers.context import Context, open_session, send
from handlers.errors import answer_unknown_button
from handlers.prompts import prompt_step
from handlers.views import keyboards
from handlers.views.texts import t

log = logging.getLogger(__name__)


async def show_help(update: Update, context: Context) -> None:
    """/help: the commands."""
    s = await open_session(update, context)
    chat = update.effective_chat
    assert chat is not None
    await send(context, chat.id, t(s.lang, "help"), keyboards.main_menu(s.lang))


async def choose_language(update: Update, context: Context) -> None:
    """/language: offer Indonesian or English."""
    chat = update.effective_chat
    assert chat is not None
    s = await open_session(update, context)
    await send(context, chat.id, t(s.lang, "choose_language"), keyboards.languages())


async def set_language(update: Update, context: Context) -> None:
    """A language button: remember the choice, confirm in the new language."""
    query = update.callback_query
    assert query is not None and query.data is not None
    chat = update.effective_chat
    try:
        if chat is None or chat.type != ChatType.PRIVATE:  # forged onto a group message
            raise CallbackDataError("language buttons live in private chats")
        data = SetLanguage.unpack(query.data)
    except CallbackDataError:
        await answer_unknown_button(update, context)
        return
    svc = context.services
    s = await open_session(update, context)
    await reporters.set_language(svc.db, s.reporter.user_id, data.lang)
    await query.answer(t(data.lang, "language_set"))
    await query.edit_message_text(t(data.lang, "language_set"))
    s.reporter.language = data.lang
    if s.draft is not None:
        await prompt_step(context, s)


async def tell_chat_id(update: Update, context: Context) -> None:
    """/chatid anywhere: the chat's id, for configuring DISPATCH_CHAT_ID."""
    chat = update.effective_chat
    assert chat is not None
    lang = context.services.settings.dispatch_language
    log.info("chat id requested: %s (%s, %r)", chat.id, chat.type, chat.title)
    await send(context, chat.id, t(lang, "chat_id", chat_id=chat.id, kind=chat.type))


async def redirect_to_private(update: Update, context: Context) -> None:
    """/lapor or /start in a group: reports are made in a private chat."""
    chat = update.effective_chat
    assert chat is not None
    lang = context.services.settings.dispatch_language
    link = create_deep_linked_url(context.bot.username, "lapor")
    await send(context, chat.id, t(lang, "private_only", link=link))


async def note_membership(update: Update, context: Context) -> None:
    """The bot joined or left a chat: log the id (setup) and tell a new group its id."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None:
        return
    chat = change.chat
    status = change.new_chat_member.status
    log.info("bot is now %s in %s %r (chat id %s)", status, chat.type, chat.title, chat.id)
    svc = context.services
    joined = status in ("member", "administrator") and change.old_chat_member.status in (
        "left",
        "kicked",
    )
    if joined and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
        lang = svc.settings.dispatch_language
        await send(context, chat.id, t(lang, "chat_id", chat_id=chat.id, kind=chat.type))
