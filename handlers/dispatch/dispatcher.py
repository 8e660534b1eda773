"""The dispatchers' group: acting on cards, relaying messages, the queue, unblocking.

Also the reporter's side of an open report: ``/status``, cancelling before dispatch, and
messages after sending, which are posted under the card.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, TelegramError

from bot.domain import lifecycle
from bot.domain.lifecycle import Disposition, IllegalTransition, ReportState
from bot.domain.models import Language, Report
from handlers.callback_data import (
    CallbackDataError,
    CancelReport,
    CardAction,
    ExpandCard,
    OfficerAction,
    PickAgency,
    PickDisposition,
)
from handlers.context import Context, Services, open_session, send, services
from handlers.reporter.report import attachment_of, own_report_press
from handlers.views.card import agency_keyboard, close_keyboard, status_label
from handlers.views.render import (
    MAX_MESSAGE,
    category_html,
    esc,
    local_time,
    split_for_telegram,
    visible_len,
)
from handlers.views.texts import t
from storage import reports as store
from storage.outbox import OutboundMessage

log = logging.getLogger(__name__)

ADMIN_CACHE_SECONDS = 300
_admin_cache: dict[tuple[int, int], tuple[bool, float]] = {}


async def is_dispatcher(context: Context, user: User | None) -> bool:
    """Listed in DISPATCHER_IDS, or an admin of the dispatch chat (cached 5 minutes)."""
    if user is None:
        return False
    svc = services(context)
    if user.id in svc.settings.dispatcher_ids:
        return True
    chat_id = svc.settings.dispatch_chat_id
    assert chat_id is not None
    key = (chat_id, user.id)
    cached = _admin_cache.get(key)
    if cached and cached[1] > time.monotonic():
        return cached[0]
    try:
        member = await context.bot.get_chat_member(chat_id, user.id)
        ok = member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)
    except TelegramError as exc:
        log.warning("cannot check whether %s is a dispatcher: %s", user.id, exc)
        return False
    _admin_cache[key] = (ok, time.monotonic() + ADMIN_CACHE_SECONDS)
    return ok


def in_dispatch_chat(update: Update, svc: Services) -> bool:
    """True if the update comes from the configured dispatch chat."""
    chat = update.effective_chat
    return chat is not None and chat.id == svc.settings.dispatch_chat_id


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
    svc = services(context)
    lang = svc.settings.dispatch_language
    if not in_dispatch_chat(update, svc) or not await is_dispatcher(context, query.from_user):
        await query.answer(t(lang, "not_dispatcher"), show_alert=True)
        return None
    return query, svc, lang


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
    svc = services(context)
    lang = svc.settings.dispatch_language
    now = svc.clock.now()
    try:
        await store.apply_action(
            svc.db,
            report_id,
            action,
            now,
            lambda state, step: svc.cards.on_transition(state, step, now),
            max_strikes=svc.settings.max_prank_strikes,
        )
    except IllegalTransition as exc:
        await query.answer(refusal(exc, lang, svc)[:200], show_alert=not exc.noop)
        return
    except LookupError:
        await query.answer(t(lang, "stale_button"))
        return
    svc.wake_outbox()
    await query.answer(t(lang, "done"))


async def _show_keyboard(query: CallbackQuery, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


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
            state = await store.card_state(svc.db, data.report)
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
    pressed = await dispatcher_press(update, context)
    if pressed is None:
        return
    query, svc, lang = pressed
    try:
        data = PickDisposition.unpack(query.data or "")
        state = await store.card_state(svc.db, data.report)
    except (CallbackDataError, LookupError):
        await query.answer(t(lang, "stale_button"))
        return
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
    svc = services(context)
    lang = svc.settings.dispatch_language
    chat = update.effective_chat
    agency = svc.routing.agency_by_chat(chat.id) if chat is not None else None
    try:
        data = OfficerAction.unpack(query.data)
    except CallbackDataError:
        await query.answer(t(lang, "stale_button"))
        return
    if agency is None:
        await query.answer(t(lang, "not_officer"), show_alert=True)
        return
    user = query.from_user
    officer = lifecycle.Officer(user_id=user.id, agency=agency.key, name=user.full_name)
    if data.action == "backup":
        try:
            state = await store.card_state(svc.db, data.report)
        except LookupError:
            await query.answer(t(lang, "stale_button"))
            return
        if agency.key not in state.snapshot.agencies or state.snapshot.is_closed:
            await query.answer(t(lang, "not_officer"), show_alert=True)
            return
        notice = t(
            lang,
            "backup_requested",
            agency=esc(agency.short_name),
            ticket=state.report.ticket,
            who=esc(user.full_name),
        )
        await store.queue_messages(
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
        opened = await store.open_card(
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


# --- relaying ----------------------------------------------------------------------------


def relay_texts(lang: Language, key: str, ticket: str, words: str) -> list[str]:
    """A relayed message with its header, split so every piece fits Telegram's limit."""
    header = t(lang, key, ticket=ticket, text="")
    room = MAX_MESSAGE - visible_len(header) - 16
    return [
        t(lang, key, ticket=ticket, text=esc(piece)) for piece in split_for_telegram(words, room)
    ]


def _text_of(message: Message) -> str | None:
    return message.text or message.caption


async def relay_to_reporter(update: Update, context: Context) -> None:
    """A dispatcher's reply to a card (or to a relayed message) reaches the reporter."""
    svc = services(context)
    msg = update.effective_message
    if msg is None or msg.reply_to_message is None or not in_dispatch_chat(update, svc):
        return
    report_id = await store.report_for_message(svc.db, msg.chat_id, msg.reply_to_message.message_id)
    if report_id is None or not await is_dispatcher(context, update.effective_user):
        return
    state = await store.card_state(svc.db, report_id)
    lang, ticket = state.report.language, state.report.ticket
    out: list[OutboundMessage] = []
    if msg.text:
        for text in relay_texts(lang, "relay_from_dispatch", ticket, msg.text):
            out.append(svc.cards.to_reporter(state, text, role="relay"))
    else:
        header = t(lang, "relay_from_dispatch", ticket=ticket, text="")
        out.append(svc.cards.to_reporter(state, header.rstrip(), role="relay"))
        out.append(
            OutboundMessage(
                state.report.chat_id,
                "copy_message",
                {"from_chat_id": msg.chat_id, "message_id": msg.message_id},
                role="relay",
                priority=10,
                report_id=report_id,
            )
        )
    incoming = (msg.chat_id, msg.message_id, report_id)
    if await store.queue_messages(svc.db, out, svc.clock.now(), incoming=incoming):
        svc.wake_outbox()


async def relay_to_dispatch(update: Update, context: Context, report: Report) -> None:
    """A reporter's message after sending: posted under the card, the reporter told."""
    svc = services(context)
    msg = update.effective_message
    assert msg is not None
    state = await store.card_state(svc.db, report.id)
    ticket = esc(state.report.ticket)
    lang = svc.settings.dispatch_language
    out: list[OutboundMessage] = []
    incoming: store.Incoming | None = (msg.chat_id, msg.message_id, report.id)
    if msg.text:
        for text in relay_texts(lang, "relay_from_reporter", ticket, msg.text):
            out.append(svc.cards.to_group(state, text, "relay"))
    elif (attachment := attachment_of(msg)) is not None:
        # A photo, voice note or video: listed with the report, posted under the card.
        now = svc.clock.now()
        words = esc(msg.caption or "")
        caption = t(lang, "relay_from_reporter", ticket=ticket, text=words).rstrip()
        updated = await store.update_report(
            svc.db,
            report.id,
            store.ReportChanges(attachments=[attachment]),
            now,
            lambda st: [
                *svc.cards.card_edit(st, now),
                *svc.cards.media_under_card(st, [attachment], caption),
            ],
            incoming=incoming,
        )
        if updated is None:
            return  # delivered twice: handled the first time
        incoming = None
    else:
        out.append(
            OutboundMessage(
                svc.cards.chat,
                "copy_message",
                {"from_chat_id": msg.chat_id, "message_id": msg.message_id},
                role="relay",
                priority=20,
                report_id=report.id,
                reply_to_outbox_id=state.card_outbox_id,
            )
        )
    out.append(svc.cards.to_reporter(state, t(report.language, "relayed", ticket=ticket), "ack"))
    if await store.queue_messages(svc.db, out, svc.clock.now(), incoming=incoming):
        svc.wake_outbox()


# --- the reporter's own reports ----------------------------------------------------------


async def show_status(update: Update, context: Context) -> None:
    """/status: the reporter's open and recent reports; open ones can be cancelled."""
    s = await open_session(update, context)
    chat = update.effective_chat
    assert chat is not None
    reports = await store.reports_of(s.svc.db, s.reporter.user_id, limit=5)
    if not reports:
        await send(context, chat.id, t(s.lang, "status_none"))
        return
    lines = [t(s.lang, "status_title")]
    buttons = []
    for r in reports:
        state = await store.card_state(s.svc.db, r.id)
        snap = state.snapshot
        where = status_label(snap, s.lang, s.svc.routing)
        lines.append(
            f"<code>{r.ticket}</code> · {category_html(r.category, s.lang)} · "
            f"{local_time(r.submitted_at, s.svc.settings.tz)}\n   {where}"
        )
        if snap.state in (ReportState.SUBMITTED, ReportState.RECEIVED, ReportState.CLAIMED):
            buttons.append(
                [
                    InlineKeyboardButton(
                        t(s.lang, "btn_cancel_report", ticket=r.ticket),
                        callback_data=CancelReport(report=r.id).pack(),
                    )
                ]
            )
    await send(
        context, chat.id, "\n".join(lines), InlineKeyboardMarkup(buttons) if buttons else None
    )


async def cancel_own_report(update: Update, context: Context) -> None:
    """The reporter cancels an open report before dispatch."""
    pressed = await own_report_press(update, context, CancelReport)
    if pressed is None:
        return
    query, s, _, report = pressed
    actor = lifecycle.ReporterActor(user_id=s.reporter.user_id, name=s.reporter.full_name)
    now = s.svc.clock.now()
    try:
        await store.apply_action(
            s.svc.db,
            report.id,
            lifecycle.CancelByReporter(actor),
            now,
            lambda state, step: s.svc.cards.on_transition(state, step, now),
        )
    except IllegalTransition as exc:
        text = (
            t(s.lang, "cancel_refused")
            if exc.code == "cancel_after_dispatch"
            else refusal(exc, s.lang, s.svc)
        )
        await query.answer(text[:200], show_alert=True)
        return
    s.svc.wake_outbox()
    await query.answer("✅")
    await query.edit_message_reply_markup(None)


# --- commands in the dispatch chat -------------------------------------------------------


async def show_queue(update: Update, context: Context) -> None:
    """/antrian: open reports, oldest first, with age and state."""
    svc = services(context)
    if not in_dispatch_chat(update, svc):
        return
    lang = svc.settings.dispatch_language
    now = svc.clock.now()
    ids = await store.open_report_ids(svc.db)
    if not ids:
        await send(context, svc.cards.chat, t(lang, "queue_empty"))
        return
    lines = [t(lang, "queue_title", count=len(ids))]
    for report_id in ids[:40]:
        state = await store.card_state(svc.db, report_id)
        snap = state.snapshot
        start = snap.received_at or state.report.submitted_at
        age = int((now - start).total_seconds() // 60)
        status = status_label(snap, lang, svc.routing)
        late = age >= svc.settings.response_target_minutes and snap.on_scene_at is None
        lines.append(
            f"<code>{state.report.ticket}</code> · {category_html(state.report.category, lang)}"
            f" · {t(lang, 'queue_age', minutes=age)}{' ⚠️' if late else ''}\n   {status}"
        )
    if len(ids) > 40:
        lines.append(f"… +{len(ids) - 40}")
    await send(context, svc.cards.chat, "\n".join(lines))


async def show_report(update: Update, context: Context) -> None:
    """/laporan <ticket>: one report with its card and timeline (reply to it to write)."""
    svc = services(context)
    if not in_dispatch_chat(update, svc):
        return
    lang = svc.settings.dispatch_language
    if not context.args:
        await send(context, svc.cards.chat, t(lang, "usage_report"))
        return
    from bot.domain.models import parse_ticket

    ticket = parse_ticket(" ".join(context.args)) or " ".join(context.args)
    report_id = await store.report_id_by_ticket(svc.db, ticket)
    if report_id is None:
        await send(context, svc.cards.chat, t(lang, "report_unknown", ticket=esc(ticket)))
        return
    state = await store.card_state(svc.db, report_id)
    text, _ = svc.cards.card_text(state, svc.clock.now())
    sent = await send(context, svc.cards.chat, text, svc.cards.keyboard(state))
    async with svc.db.transaction() as tx:
        await store.map_message(
            tx, sent.chat_id, sent.message_id, report_id, "card_copy", svc.clock.now()
        )


async def unblock_reporter(update: Update, context: Context) -> None:
    """/unblock <user id | @username>: lift a prank block (dispatchers only)."""
    svc = services(context)
    if not in_dispatch_chat(update, svc) or not await is_dispatcher(context, update.effective_user):
        return
    lang = svc.settings.dispatch_language
    if not context.args:
        await send(context, svc.cards.chat, t(lang, "usage_unblock"))
        return
    who = context.args[0]
    reporter = await store.unblock(svc.db, who)
    if reporter is None:
        await send(context, svc.cards.chat, t(lang, "unblock_unknown", who=esc(who)))
        return
    await send(context, svc.cards.chat, t(lang, "unblocked", who=esc(reporter.full_name)))
    await store.queue_messages(
        svc.db,
        [
            OutboundMessage(
                reporter.user_id,
                "send_message",
                {"text": t(reporter.lang, "you_are_unblocked"), "parse_mode": "HTML"},
                role="notice",
                priority=10,
            )
        ],
        svc.clock.now(),
    )
    svc.wake_outbox()
