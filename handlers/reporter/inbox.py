"""Every private message, routed: to the draft's step, or — with no draft — to the menu,
an SOS, a pending SOS question or the open report's card.

The one module of the reporter's side that knows the others: it composes the features
(like :mod:`handlers`' ``register`` composes the handlers); feature modules never import
each other.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.domain.trust import token_from_payload
from bot.services import drafts
from handlers.callback_data import CallbackDataError, MenuAction
from handlers.context import Context, Session, open_session, send
from handlers.errors import answer_unknown_button
from handlers.prompts import prompt_step
from handlers.reporter import location_choice, sos
from handlers.reporter.invitation import accept_invitation
from handlers.reporter.relay import relay_to_dispatch
from handlers.reporter.report.steps import STEPS, start_report
from handlers.reporter.start import choose_language, show_help
from handlers.views import keyboards
from handlers.views.render import esc
from handlers.views.texts import all_variants, t
from storage import reports as store


async def receive_message(update: Update, context: Context) -> None:
    """Route a private message to the step the reporter's draft is at."""
    s = await open_session(update, context)
    msg, chat = update.effective_message, update.effective_chat
    assert msg is not None and chat is not None
    if s.expired is not None:
        await send(
            context,
            chat.id,
            t(s.lang, "draft_expired", minutes=s.svc.settings.draft_ttl_minutes),
            keyboards.main_menu(s.lang),
        )
        return None
    if s.draft is None:
        await without_draft(update, context, s)
        return None
    if msg.message_id <= s.draft.last_message_id:
        return  # delivered twice (e.g. re-sent after a crash): already handled
    s.draft.last_message_id = msg.message_id  # saved with the step's answer
    if msg.text and msg.text in all_variants("btn_cancel"):
        await drafts.discard_draft(s.svc.db, chat.id, s.draft.uid)
        await send(context, chat.id, t(s.lang, "cancelled"), keyboards.main_menu(s.lang))
        return None
    await STEPS[s.draft.step](update, context, s)


async def without_draft(update: Update, context: Context, s: Session) -> None:
    """A private message with no report being written.

    Menu buttons; a location, which is an SOS — or, with a report open, a question: an
    update to it or a new emergency; an answer to a pending SOS question; any other
    message while a report is open goes to its card; else, how to report.
    """
    msg = update.effective_message
    assert msg is not None
    if msg.text and msg.text in all_variants("btn_report"):
        await start_report(update, context)
        return
    if msg.text and msg.text in all_variants("btn_language"):
        await choose_language(update, context)
        return
    open_report = await store.latest_open_report(s.svc.db, s.reporter.user_id)
    if msg.location is not None or msg.venue is not None:
        if open_report is not None:  # an update to it, or a new emergency? They say.
            await location_choice.ask(update, context, s, open_report)
        else:
            await sos.send_sos(update, context, s)
        return
    followup = await store.followup_report(s.svc.db, s.reporter.user_id)
    if followup is not None:
        await sos.answer_question(update, context, s, followup)
        return
    if open_report is not None:
        await relay_to_dispatch(update, context, open_report)
        return
    await send(context, msg.chat_id, t(s.lang, "no_draft"), keyboards.main_menu(s.lang))


async def greet_reporter(update: Update, context: Context) -> None:
    """/start in a private chat: greeting, the 112 line, the menu; an open draft goes on.

    Deep links: ``?start=lapor`` starts a report, ``?start=inv_<token>`` opens an
    invitation to a trusted role."""
    if context.args and context.args[0] == "lapor":  # deep link t.me/<bot>?start=lapor
        await start_report(update, context)
        return
    token = token_from_payload(context.args[0]) if context.args else None
    if token is not None:  # an invitation to a trusted role: t.me/<bot>?start=inv_<token>
        await accept_invitation(update, context, token)
        return
    s = await open_session(update, context)
    chat = update.effective_chat
    assert chat is not None
    greeting = t(s.lang, "start", name=esc(s.reporter.first_name)) + "\n\n" + t(s.lang, "sos_hint")
    await send(context, chat.id, greeting, keyboards.main_menu(s.lang))

    if s.draft is not None:
        await prompt_step(context, s, t(s.lang, "in_progress"))


async def open_menu_item(update: Update, context: Context) -> None:
    """A main-menu button."""
    query = update.callback_query
    assert query is not None and query.data is not None
    chat = update.effective_chat
    try:
        if chat is None or chat.type != ChatType.PRIVATE:  # forged onto a group message
            raise CallbackDataError("menu buttons live in private chats")
        data = MenuAction.unpack(query.data)
    except CallbackDataError:
        # Also reached by empty callback data, which python-telegram-bot hands to the
        # first pattern handler whatever its pattern.
        await answer_unknown_button(update, context)
        return
    if data.action == "report":
        await start_report(update, context)
    elif data.action == "language":
        await query.answer()
        await choose_language(update, context)
    else:
        await query.answer()
        await show_help(update, context)
