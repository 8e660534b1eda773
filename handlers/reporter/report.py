"""The reporter's guided report: category → location → details → phone → summary → send.

The draft lives in SQLite and is saved after every answer, so a restart loses nothing
and the reporter continues at the same step. Private messages are routed by the draft's
step (:func:`receive_message`); inline buttons carry the draft's uid, so a button from an
older draft or an already-sent report changes nothing. Anything unexpected at a step
gets a clear answer and the step's prompt again; whatever the reporter sent that the
report can use (a location, a photo, a number) is kept, whatever the step.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TypeVar

from pydantic import ValidationError
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest

from bot.domain import gazetteer
from bot.domain.categories import CHOOSABLE, Category
from bot.domain.duplicates import ReportPoint, find_possible_duplicate
from bot.domain.locating import with_area
from bot.domain.models import (
    Attachment,
    AttachmentKind,
    Draft,
    Language,
    LocationSource,
    PlaceCandidate,
    Report,
    ReportLocation,
    Step,
    clean_text,
    normalize_phone,
)
from handlers.callback_data import (
    CallbackData,
    CallbackDataError,
    CancelReport,
    DraftAction,
    EditField,
    PickCategory,
    PickKecamatan,
    PickPlace,
    SosAnswer,
)
from handlers.context import REMOVE_KEYBOARD, Context, Services, Session, open_session, send
from handlers.views import keyboards
from handlers.views.render import category_html, draft_summary, esc, location_line
from handlers.views.texts import all_variants, t
from storage import reports as store

log = logging.getLogger(__name__)

MIN_TYPED_LOCATION = 4


# --- prompts -----------------------------------------------------------------------------


async def prompt_step(context: Context, s: Session, prefix: str | None = None) -> None:
    """Ask for the draft's current step (optionally after an acknowledgement line)."""
    draft = s.draft
    assert draft is not None
    lang, chat = s.lang, draft.chat_id
    lead = f"{prefix}\n\n" if prefix else ""
    if draft.step is Step.CATEGORY:
        await send(
            context, chat, lead + t(lang, "ask_category"), keyboards.categories(draft.uid, lang)
        )
    elif draft.step is Step.LOCATION:
        await send(context, chat, lead + t(lang, "ask_location"), keyboards.location_request(lang))
    elif draft.step is Step.DETAILS:
        has = bool(draft.details or draft.attachments)
        await send(
            context, chat, lead + t(lang, "ask_details"), keyboards.details(lang, has_content=has)
        )
    elif draft.step is Step.PHONE:
        await send(context, chat, lead + t(lang, "ask_phone"), keyboards.phone_request(lang))
    else:
        if prefix:
            await send(context, chat, prefix, REMOVE_KEYBOARD)
        await send(context, chat, draft_summary(draft, lang), summary_keyboard(draft, lang))


def summary_keyboard(draft: Draft, lang: Language) -> InlineKeyboardMarkup:
    """The summary's buttons with the draft's switches shown as they stand."""
    return keyboards.summary(
        draft.uid, lang, witness=draft.for_someone_else, anonymous=draft.anonymous_to_agencies
    )


# --- starting and cancelling -------------------------------------------------------------


async def may_not_file(s: Session) -> str | None:
    """Why this person may not file a new report now (prank block, too many), or None."""
    _, blocked = await store.strikes_of(s.svc.db, s.reporter.user_id)
    if blocked:
        return t(s.lang, "blocked")
    settings = s.svc.settings
    window = timedelta(minutes=settings.report_limit_minutes)
    recent = await store.reports_since(s.svc.db, s.reporter.user_id, s.svc.clock.now() - window)
    if recent >= settings.report_limit_count:
        return t(s.lang, "rate_limited", count=recent, minutes=f"{settings.report_limit_minutes:g}")
    return None


async def start_report(update: Update, context: Context) -> Step | None:
    """Begin a report (/lapor or the menu button); an open draft is continued, not reset."""
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:  # a forged menu button in a group
        if update.callback_query is not None:
            await answer_unknown_button(update, context)
        return None
    s = await open_session(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer()
    if s.draft is not None:
        await prompt_step(context, s, t(s.lang, "in_progress"))
        return s.draft.step
    chat = update.effective_chat
    assert chat is not None
    refusal = await may_not_file(s)
    if refusal is not None:
        await send(context, chat.id, refusal, keyboards.main_menu(s.lang))
        return None
    s.draft = Draft(chat_id=chat.id, user_id=s.reporter.user_id)
    await s.save()
    await prompt_step(context, s)
    return s.draft.step


async def cancel_report(update: Update, context: Context) -> None:
    """Drop the draft (/batal or the cancel button); nothing was sent."""
    s = await open_session(update, context)
    chat = update.effective_chat
    assert chat is not None
    if s.draft is None:
        await send(context, chat.id, t(s.lang, "nothing_to_cancel"), keyboards.main_menu(s.lang))
        return
    await store.delete_draft(s.svc.db, chat.id, s.draft.uid)
    await send(context, chat.id, t(s.lang, "cancelled"), keyboards.main_menu(s.lang))


# --- what a message is -------------------------------------------------------------------

Kept = tuple[str, str]  # (what kind of thing was kept, acknowledgement text)


def attachment_of(message: Message) -> Attachment | None:
    """The file in a message, if it is one a report can carry."""
    if message.photo:
        p = message.photo[-1]
        return Attachment(
            kind=AttachmentKind.PHOTO, file_id=p.file_id, file_unique_id=p.file_unique_id
        )
    media = (
        (AttachmentKind.VOICE, message.voice),
        (AttachmentKind.VIDEO, message.video),
        (AttachmentKind.VIDEO_NOTE, message.video_note),
        (AttachmentKind.DOCUMENT, message.document),
    )
    for kind, item in media:
        if item is not None:
            return Attachment(kind=kind, file_id=item.file_id, file_unique_id=item.file_unique_id)
    return None


def location_of(message: Message) -> ReportLocation | None:
    """A location or venue message as a report location; raises ValueError if invalid."""
    if message.venue is not None:
        v = message.venue
        if v.location is None:
            raise ValueError("a venue without a location")
        return ReportLocation(
            source=LocationSource.VENUE,
            lat=v.location.latitude,
            lon=v.location.longitude,
            text=clean_text(f"{v.title}\n{v.address}")[:512] or None,
        )
    if message.location is not None:
        loc = message.location
        live = loc.live_period is not None
        return ReportLocation(
            source=LocationSource.LIVE if live else LocationSource.GPS,
            live_message_id=message.message_id if live else None,
            lat=loc.latitude,
            lon=loc.longitude,
            accuracy_m=loc.horizontal_accuracy,
            live_period=_seconds(loc.live_period),
        )
    return None


def what_is(message: Message) -> str:
    """Name of a message's kind, for "sorry, X cannot be used here"."""
    for attr, key in (
        ("sticker", "what_sticker"),
        ("voice", "what_voice"),
        ("video", "what_video"),
        ("video_note", "what_video"),
        ("document", "what_document"),
        ("photo", "what_photo"),
        ("poll", "what_poll"),
        ("contact", "what_contact"),
        ("location", "what_location"),
        ("text", "what_text"),
    ):
        if getattr(message, attr):
            return key
    return "what_other"


async def keep_useful(s: Session, message: Message) -> str | None:
    """Keep what a report can use from any message; return an acknowledgement, or None."""
    draft = s.draft
    assert draft is not None
    lang = s.lang
    attachment = attachment_of(message)
    if attachment is not None:
        if not draft.add_attachment(attachment):
            from bot.domain.models import MAX_ATTACHMENTS

            return t(lang, "attachment_limit", limit=MAX_ATTACHMENTS)
        if message.caption:
            draft.add_details(message.caption)
        return t(
            lang,
            "attachment_added",
            kind=t(lang, "kind_" + attachment.kind.value),
            count=len(draft.attachments),
        )
    if message.venue is not None or message.location is not None:
        try:
            loc = location_of(message)
        except ValueError:  # includes pydantic's ValidationError
            return t(lang, "location_invalid")
        assert loc is not None
        loc = with_area(loc, s.svc.city)
        if s.svc.geocoder.settings.enabled and loc.lat is not None and loc.lon is not None:
            # A street address reads better than coordinates; it gives up fast when slow.
            address = await s.svc.geocoder.reverse(loc.lat, loc.lon)
            if address:
                loc = loc.model_copy(update={"address": address[:512]})
        draft.location = loc
        draft.typed_place, draft.place_candidates = None, []
        return location_ack(loc, lang)
    if message.contact is not None:
        phone = normalize_phone(message.contact.phone_number)
        if phone is None:
            return t(lang, "phone_invalid")
        draft.phone, draft.phone_skipped = phone, False
        return t(lang, "phone_ok", phone=esc(phone))
    return None


# --- where is it -------------------------------------------------------------------------


def location_ack(loc: ReportLocation, lang: Language) -> str:
    """ "Location received", with the area, and the outside-the-city notice for travellers."""
    text = t(lang, "location_ok", location=location_line(loc, lang))
    if loc.outside_city:
        km = f"{(loc.distance_outside_m or 0) / 1000:.1f}".replace(
            ".", "," if lang == "id" else "."
        )
        text += "\n\n" + t(lang, "outside_city", km=km)
    return text


async def offer_places(context: Context, s: Session, words: str) -> None:
    """Typed words: offer matching places to confirm, else ask for the kecamatan.

    The offline gazetteer first; when it knows nothing, the geocoder (if enabled; it gives
    up fast and never raises). Failing both, 16 kecamatan buttons: the report never
    stalls on geocoding.
    """
    draft = s.draft
    assert draft is not None
    draft.typed_place = words
    candidates = [
        PlaceCandidate(label=m.label, lat=m.lat, lon=m.lon, source="gazetteer")
        for m in gazetteer.search(words, limit=4)
    ]
    if not candidates and s.svc.geocoder.settings.enabled:
        candidates = [
            PlaceCandidate(label=c.display_name[:256], lat=c.lat, lon=c.lon, source="geocoder")
            for c in (await s.svc.geocoder.search(words))[:4]
        ]
    draft.place_candidates = candidates
    await s.save()
    if candidates:
        rows = [
            [
                InlineKeyboardButton(
                    f"📍 {c.label}"[:64], callback_data=PickPlace(draft=draft.uid, index=i).pack()
                )
            ]
            for i, c in enumerate(candidates)
        ]
        rows.append(
            [
                InlineKeyboardButton(
                    t(s.lang, "place_none_of_these"),
                    callback_data=PickPlace(draft=draft.uid, index=-1).pack(),
                )
            ]
        )
        await send(context, draft.chat_id, t(s.lang, "place_pick"), InlineKeyboardMarkup(rows))
        return
    await ask_kecamatan(context, s)


async def ask_kecamatan(context: Context, s: Session) -> None:
    """The fallback for a typed place: the 16 kecamatan as buttons."""
    draft = s.draft
    assert draft is not None
    buttons = [
        InlineKeyboardButton(
            k.name, callback_data=PickKecamatan(draft=draft.uid, code=k.code[-2:]).pack()
        )
        for k in s.svc.city.kecamatan_list()
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(
        [
            InlineKeyboardButton(
                t(s.lang, "kecamatan_unknown"),
                callback_data=PickKecamatan(draft=draft.uid, code="00").pack(),
            )
        ]
    )
    await send(
        context,
        draft.chat_id,
        t(s.lang, "kecamatan_pick", text=esc(draft.typed_place or "")),
        InlineKeyboardMarkup(rows),
    )


async def _typed_location_done(
    query: CallbackQuery, context: Context, s: Session, loc: ReportLocation
) -> None:
    draft = s.draft
    assert draft is not None
    draft.location = loc
    draft.typed_place, draft.place_candidates = None, []
    draft.advance()
    await s.save()
    await query.answer()
    await _finish_keyboard(query, location_ack(loc, s.lang))
    await prompt_step(context, s)


async def choose_place(update: Update, context: Context) -> Step | None:
    """A place confirmed for typed words (or "none of these": pick a kecamatan)."""
    pressed = await _press(update, context, PickPlace)
    if pressed is None:
        return None
    query, s, data = pressed
    draft = s.draft
    if (
        draft is None
        or draft.uid != data.draft
        or draft.typed_place is None
        or data.index >= len(draft.place_candidates)
    ):
        await _stale(query, s)
        return draft.step if draft else None
    if data.index < 0:
        await query.answer()
        await _finish_keyboard(query)
        await ask_kecamatan(context, s)
        return draft.step
    picked = draft.place_candidates[data.index]
    loc = ReportLocation(
        source=LocationSource.TYPED,
        lat=picked.lat,
        lon=picked.lon,
        approximate=True,
        text=f"{draft.typed_place} → {picked.label}"[:512],
    )
    await _typed_location_done(query, context, s, with_area(loc, s.svc.city))
    return draft.step


async def choose_kecamatan(update: Update, context: Context) -> Step | None:
    """The kecamatan of a typed place that matched nothing."""
    pressed = await _press(update, context, PickKecamatan)
    if pressed is None:
        return None
    query, s, data = pressed
    draft = s.draft
    kecamatan = s.svc.city.kecamatan_by_code(f"33.74.{data.code}")
    if (
        draft is None
        or draft.uid != data.draft
        or draft.typed_place is None
        or (kecamatan is None and data.code != "00")
    ):
        await _stale(query, s)
        return draft.step if draft else None
    loc = ReportLocation(
        source=LocationSource.TYPED,
        text=draft.typed_place,
        kecamatan=kecamatan.name if kecamatan else None,
    )
    await _typed_location_done(query, context, s, loc)
    return draft.step


# --- the steps ---------------------------------------------------------------------------


async def keep_or_reprompt(context: Context, s: Session, msg: Message) -> Step:
    """Not this step's answer: keep what the report can use, say so (or that it cannot
    be used here), and ask the step again."""
    draft = s.draft
    assert draft is not None
    kept = await keep_useful(s, msg)
    if kept:
        await s.save()
    await prompt_step(context, s, kept or t(s.lang, "unexpected", what=t(s.lang, what_is(msg))))
    return draft.step


def category_from_text(text: str) -> Category | None:
    """A category named in typed text ("kebakaran", "Fire"), if exactly one matches."""
    needle = clean_text(text).casefold()
    if len(needle) < 3:
        return None
    hits = {
        key
        for key in CHOOSABLE
        for label in all_variants(f"category_{key}")
        if needle in label.casefold() or label.casefold() in needle
    }
    return hits.pop() if len(hits) == 1 else None


async def at_category(update: Update, context: Context, s: Session) -> Step:
    """Step 1 by message: a typed category name is accepted; anything else re-prompts."""
    draft, msg = s.draft, update.effective_message
    assert draft is not None and msg is not None
    if msg.text and (category := category_from_text(msg.text)) is not None:
        draft.category = category
        draft.advance()
        await s.save()
        await prompt_step(
            context, s, t(s.lang, "category_chosen", category=category_html(category, s.lang))
        )
        return draft.step
    kept = await keep_useful(s, msg)
    if kept:
        await s.save()
    note = kept or t(s.lang, "unexpected", what=t(s.lang, what_is(msg)))
    await prompt_step(context, s, note)
    return draft.step


async def at_location(update: Update, context: Context, s: Session) -> Step:
    """Step 2: a pin, a venue, or typed words."""
    draft, msg = s.draft, update.effective_message
    assert draft is not None and msg is not None
    if msg.location is not None or msg.venue is not None:
        kept = await keep_useful(s, msg)
        if draft.location is not None and kept != t(s.lang, "location_invalid"):
            draft.advance()
        await s.save()
        await prompt_step(context, s, kept)
        return draft.step
    if msg.text:
        words = clean_text(msg.text)
        if len(words) < MIN_TYPED_LOCATION or not any(ch.isalnum() for ch in words):
            await prompt_step(context, s, t(s.lang, "location_typed_short"))
            return draft.step
        await offer_places(context, s, words[:512])
        return draft.step
    return await keep_or_reprompt(context, s, msg)


async def at_details(update: Update, context: Context, s: Session) -> Step:
    """Step 3: words (advance), media (stay, ask for more), skip/continue (advance)."""
    draft, msg = s.draft, update.effective_message
    assert draft is not None and msg is not None
    if msg.text and msg.text in all_variants("btn_skip") | all_variants("btn_continue"):
        draft.advance()
        await s.save()
        await prompt_step(context, s)
        return draft.step
    if msg.text:
        draft.add_details(msg.text)
        if draft.details:
            draft.advance()
            await s.save()
            await prompt_step(context, s, t(s.lang, "details_ok"))
            return draft.step
    return await keep_or_reprompt(context, s, msg)


async def at_phone(update: Update, context: Context, s: Session) -> Step:
    """Step 4: a shared contact or a typed number, or skip."""
    draft, msg = s.draft, update.effective_message
    assert draft is not None and msg is not None
    if msg.text and msg.text in all_variants("btn_skip"):
        draft.phone, draft.phone_skipped = None, True
        draft.advance()
        await s.save()
        await prompt_step(context, s, t(s.lang, "phone_skipped"))
        return draft.step
    if msg.contact is not None or msg.text:
        phone = normalize_phone(msg.contact.phone_number if msg.contact else msg.text or "")
        if phone is None:
            await prompt_step(context, s, t(s.lang, "phone_invalid"))
            return draft.step
        draft.phone, draft.phone_skipped = phone, False
        draft.advance()
        await s.save()
        await prompt_step(context, s, t(s.lang, "phone_ok", phone=esc(phone)))
        return draft.step
    return await keep_or_reprompt(context, s, msg)


async def at_summary(update: Update, context: Context, s: Session) -> Step:
    """At the summary, more words are added to the details; media and pins are kept."""
    draft, msg = s.draft, update.effective_message
    assert draft is not None and msg is not None
    note: str | None
    if msg.text:
        draft.add_details(msg.text)
        note = t(s.lang, "details_ok")
    else:
        note = await keep_useful(s, msg)
    if note:
        await s.save()
    await prompt_step(context, s, note or t(s.lang, "unexpected", what=t(s.lang, what_is(msg))))
    return draft.step


STEPS: dict[Step, Callable[[Update, Context, Session], Awaitable[Step]]] = {
    Step.CATEGORY: at_category,
    Step.LOCATION: at_location,
    Step.DETAILS: at_details,
    Step.PHONE: at_phone,
    Step.CONFIRM: at_summary,
}


async def receive_message(update: Update, context: Context) -> Step | None:
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
        return s.draft.step  # delivered twice (e.g. re-sent after a crash): already handled
    s.draft.last_message_id = msg.message_id  # saved with the step's answer
    if msg.text and msg.text in all_variants("btn_cancel"):
        await store.delete_draft(s.svc.db, chat.id, s.draft.uid)
        await send(context, chat.id, t(s.lang, "cancelled"), keyboards.main_menu(s.lang))
        return None
    return await STEPS[s.draft.step](update, context, s)


async def without_draft(update: Update, context: Context, s: Session) -> None:
    """A private message with no report being written.

    Menu buttons; an answer to a pending SOS question; a location, which is an SOS; any
    other message while a report is open goes to its card; else, how to report.
    """
    from handlers.dispatch.dispatcher import relay_to_dispatch
    from handlers.reporter import sos
    from handlers.reporter.start import choose_language

    msg = update.effective_message
    assert msg is not None
    if msg.text and msg.text in all_variants("btn_report"):
        await start_report(update, context)
        return
    if msg.text and msg.text in all_variants("btn_language"):
        await choose_language(update, context)
        return
    followup = await store.followup_report(s.svc.db, s.reporter.user_id)
    if followup is not None:
        await sos.answer_question(update, context, s, followup)
        return
    if msg.location is not None or msg.venue is not None:
        await sos.send_sos(update, context, s)
        return
    open_report = await store.latest_open_report(s.svc.db, s.reporter.user_id)
    if open_report is not None:
        await relay_to_dispatch(update, context, open_report)
        return
    await send(context, msg.chat_id, t(s.lang, "no_draft"), keyboards.main_menu(s.lang))


async def unknown_command(update: Update, context: Context) -> Step | None:
    """A command the bot does not know: say so, then re-ask the current step."""
    s = await open_session(update, context)
    chat = update.effective_chat
    assert chat is not None
    note = t(s.lang, "unknown_command")
    if s.draft is None:
        await send(context, chat.id, note + "\n\n" + t(s.lang, "help"), keyboards.main_menu(s.lang))
        return None
    await prompt_step(context, s, note)
    return s.draft.step


# --- inline buttons ----------------------------------------------------------------------

PressT = TypeVar("PressT", bound=CallbackData)
OwnReportT = TypeVar("OwnReportT", CancelReport, SosAnswer)


async def _press(
    update: Update, context: Context, kind: type[PressT]
) -> tuple[CallbackQuery, Session, PressT] | None:
    """A button of the reporter's own chat: its session and its decoded data (or None,
    after answering that the button is no longer valid)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    s = await open_session(update, context)
    try:
        return query, s, kind.unpack(query.data)
    except CallbackDataError:
        await _stale(query, s)
        return None


async def _stale(query: CallbackQuery, s: Session) -> None:
    await query.answer(t(s.lang, "stale_button"), show_alert=False)


async def _finish_keyboard(query: CallbackQuery, text: str | None = None) -> None:
    """Replace a pressed message's buttons (and text) so it cannot be pressed again."""
    try:
        if text is not None:
            await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=None)
        else:
            await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest as exc:
        if "not modified" not in exc.message.lower() and "not found" not in exc.message.lower():
            raise


async def choose_category(update: Update, context: Context) -> Step | None:
    """Step 1 by button."""
    pressed = await _press(update, context, PickCategory)
    if pressed is None:
        return None
    query, s, data = pressed
    draft = s.draft
    if draft is None or draft.uid != data.draft or draft.step is not Step.CATEGORY:
        await _stale(query, s)
        return draft.step if draft else None
    draft.category = data.category
    draft.advance()
    await s.save()
    await query.answer()
    label = category_html(data.category, s.lang)
    await _finish_keyboard(query, t(s.lang, "category_chosen", category=label))
    await prompt_step(context, s)
    return draft.step


async def edit_field(update: Update, context: Context) -> Step | None:
    """From the summary's edit menu: go back to one step."""
    pressed = await _press(update, context, EditField)
    if pressed is None:
        return None
    query, s, data = pressed
    draft = s.draft
    if draft is None or draft.uid != data.draft or draft.step is not Step.CONFIRM:
        await _stale(query, s)
        return draft.step if draft else None
    draft.edit(Step(data.field))
    await s.save()
    await query.answer()
    await _finish_keyboard(query)
    await prompt_step(context, s)
    return draft.step


async def act_on_summary(update: Update, context: Context) -> Step | None:
    """Send, edit, back or cancel, pressed under the summary (or cancel at step 1)."""
    pressed = await _press(update, context, DraftAction)
    if pressed is None:
        return None
    query, s, data = pressed
    draft = s.draft
    if data.action == "send" and (draft is None or draft.uid != data.draft):
        # A second tap on Send, or Send on an old summary: say what became of it.
        existing = await _report_of_draft(s, data.draft)
        if existing is not None:
            await query.answer(
                t(s.lang, "already_sent", ticket=existing)
                .replace("<code>", "")
                .replace("</code>", "")
            )
            return None
    if draft is None or draft.uid != data.draft:
        await _stale(query, s)
        return None
    if data.action == "cancel":
        await store.delete_draft(s.svc.db, draft.chat_id, draft.uid)
        await query.answer()
        await _finish_keyboard(query, t(s.lang, "cancelled"))
        await send(context, draft.chat_id, "❌", keyboards.main_menu(s.lang))
        return None
    if draft.step is not Step.CONFIRM:
        await _stale(query, s)
        return draft.step
    if data.action == "edit":
        await query.answer()
        await query.edit_message_reply_markup(keyboards.edit_menu(draft.uid, s.lang))
        return draft.step
    if data.action == "back":
        await query.answer()
        await query.edit_message_reply_markup(summary_keyboard(draft, s.lang))
        return draft.step
    if data.action in ("witness", "anonymous"):
        if draft.last_callback_id == query.id:  # the same press delivered twice
            await query.answer("✅")
            return draft.step
        draft.last_callback_id = query.id
        if data.action == "witness":
            draft.for_someone_else = not draft.for_someone_else
        else:
            draft.anonymous_to_agencies = not draft.anonymous_to_agencies
        await s.save()
        await query.answer("✅")
        await query.edit_message_text(
            draft_summary(draft, s.lang),
            parse_mode=ParseMode.HTML,
            reply_markup=summary_keyboard(draft, s.lang),
        )
        return draft.step
    await _submit(context, s, query)
    return None


async def _report_of_draft(s: Session, uid: str) -> str | None:
    async with s.svc.db.read() as tx:
        row = await tx.one(
            "SELECT ticket FROM reports WHERE draft_uid = ? AND reporter_id = ?",
            (uid, s.reporter.user_id),
        )
    return str(row["ticket"]) if row else None


async def _submit(context: Context, s: Session, query: CallbackQuery) -> None:
    """Store the report and queue its card and receipt — one transaction."""
    draft = s.draft
    assert draft is not None
    if not draft.complete:
        draft.step = Step.CATEGORY if draft.category is None else Step.LOCATION
        await s.save()
        await query.answer()
        await prompt_step(context, s)
        return None
    svc = s.svc
    now = svc.clock.now()
    result = await store.submit_draft(
        svc.db,
        draft,
        s.reporter,
        city_code=svc.settings.city_code,
        tz=svc.settings.tz,
        now=now,
        messages=lambda state: svc.cards.on_submit(state, now),
        possible_duplicate_of=await _possible_duplicate(svc, draft, now),
    )
    svc.wake_outbox()
    ticket = result.report.ticket
    await query.answer("✅ " + ticket)
    await _finish_keyboard(
        query,
        draft_summary(draft, s.lang).rsplit("\n\n", 1)[0]
        + "\n\n"
        + t(s.lang, "sent", ticket=ticket),
    )
    log.info("report %s submitted (%s)", ticket, result.report.category.value)
    return None


async def answer_unknown_button(update: Update, context: Context) -> None:
    """A button whose data is not ours or is outdated: answer, change nothing."""
    query = update.callback_query
    assert query is not None
    lang = context.bot_data["services"].settings.default_language
    if update.effective_user is not None:
        reporter = await store.get_reporter(
            context.bot_data["services"].db, update.effective_user.id
        )
        if reporter is not None:
            lang = reporter.lang
    await query.answer(t(lang, "stale_button"))


async def _possible_duplicate(svc: Services, draft: Draft, now: datetime) -> str | None:
    """An open report of the same kind nearby and recent, which this one may repeat."""
    loc = draft.location
    if draft.category is None or loc is None or loc.lat is None or loc.lon is None:
        return None
    window = timedelta(minutes=svc.settings.duplicate_window_minutes)
    candidates = [
        ReportPoint(ticket=ticket, category=draft.category.value, at=at, lat=lat, lon=lon)
        for ticket, at, lat, lon in await store.open_reports_near(
            svc.db, draft.category.value, now - window
        )
    ]
    new = ReportPoint(
        ticket="(new)", category=draft.category.value, at=now, lat=loc.lat, lon=loc.lon
    )
    found = find_possible_duplicate(
        new, candidates, radius_m=svc.settings.duplicate_radius_m, window=window
    )
    return found.report.ticket if found else None


async def follow_live_location(update: Update, context: Context) -> None:
    """A live-location update (an edited message): the draft or the open report follows it."""
    msg = update.edited_message
    if msg is None or msg.location is None:
        return
    s = await open_session(update, context)
    now = s.svc.clock.now()
    try:
        moved = ReportLocation(
            source=LocationSource.LIVE,
            lat=msg.location.latitude,
            lon=msg.location.longitude,
            accuracy_m=msg.location.horizontal_accuracy,
            live_period=_seconds(msg.location.live_period),
            live_message_id=msg.message_id,
            updated_at=now,
        )
    except ValidationError:
        return  # a broken update: keep the last good point
    moved = with_area(moved, s.svc.city)
    draft = s.draft
    if draft is not None and draft.location is not None:
        if draft.location.live_message_id == msg.message_id:
            draft.location = moved
            await s.save()
            return
    state = await store.update_live_location(
        s.svc.db,
        msg.chat_id,
        msg.message_id,
        moved,
        now,
        lambda st: s.svc.cards.on_live_update(st, now),
    )
    if state is not None:
        s.svc.wake_outbox()


def _seconds(period: object) -> int | None:
    if period is None:
        return None
    if isinstance(period, timedelta):
        return int(period.total_seconds())
    return int(period) if isinstance(period, int | float) else None


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
