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
from bot.domain.duplicates import ReportPoint, find_possible_duplicate
from bot.domain.locating import with_area
from bot.domain.models import (
    MAX_ATTACHMENTS,
    Draft,
    Language,
    LocationSource,
    PlaceCandidate,
    ReportLocation,
    Step,
    clean_text,
    normalize_phone,
)
from handlers.callback_data import (
    CallbackData,
    CallbackDataError,
    DraftAction,
    EditField,
    PickCategory,
    PickKecamatan,
    PickPlace,
)
from handlers.context import Context, Services, Session, open_session, send
from handlers.errors import answer_unknown_button
from handlers.guards import may_not_file
from handlers.parsing import attachment_of, category_from_text, location_of, seconds_of, what_is
from handlers.prompts import prompt_step, summary_keyboard
from handlers.views import keyboards
from handlers.views.render import category_html, draft_summary, esc, location_line
from handlers.views.texts import all_variants, t
from storage import reports as store

log = logging.getLogger(__name__)

MIN_TYPED_LOCATION = 4


# --- prompts -----------------------------------------------------------------------------


# --- starting and cancelling -------------------------------------------------------------


async def start_report(update: Update, context: Context) -> None:
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
        return
    chat = update.effective_chat
    assert chat is not None
    refusal = await may_not_file(s)
    if refusal is not None:
        await send(context, chat.id, refusal, keyboards.main_menu(s.lang))
        return None
    s.draft = Draft(chat_id=chat.id, user_id=s.reporter.user_id)
    await s.save()
    await prompt_step(context, s)
    return


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


async def keep_useful(s: Session, message: Message) -> str | None:
    """Keep what a report can use from any message; return an acknowledgement, or None."""
    draft = s.draft
    assert draft is not None
    lang = s.lang
    attachment = attachment_of(message)
    if attachment is not None:
        if not draft.add_attachment(attachment):
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
        if s.svc.geocoder.enabled and loc.lat is not None and loc.lon is not None:
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
    if not candidates and s.svc.geocoder.enabled:
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


async def choose_place(update: Update, context: Context) -> None:
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
        return
    if data.index < 0:
        await query.answer()
        await _finish_keyboard(query)
        await ask_kecamatan(context, s)
        return
    picked = draft.place_candidates[data.index]
    loc = ReportLocation(
        source=LocationSource.TYPED,
        lat=picked.lat,
        lon=picked.lon,
        approximate=True,
        text=f"{draft.typed_place} → {picked.label}"[:512],
    )
    await _typed_location_done(query, context, s, with_area(loc, s.svc.city))
    return


async def choose_kecamatan(update: Update, context: Context) -> None:
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
        return
    loc = ReportLocation(
        source=LocationSource.TYPED,
        text=draft.typed_place,
        kecamatan=kecamatan.name if kecamatan else None,
    )
    await _typed_location_done(query, context, s, loc)
    return


# --- the steps ---------------------------------------------------------------------------


async def keep_or_reprompt(context: Context, s: Session, msg: Message) -> None:
    """Not this step's answer: keep what the report can use, say so (or that it cannot
    be used here), and ask the step again."""
    draft = s.draft
    assert draft is not None
    kept = await keep_useful(s, msg)
    if kept:
        await s.save()
    await prompt_step(context, s, kept or t(s.lang, "unexpected", what=t(s.lang, what_is(msg))))
    return


async def at_category(update: Update, context: Context, s: Session) -> None:
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
        return
    kept = await keep_useful(s, msg)
    if kept:
        await s.save()
    note = kept or t(s.lang, "unexpected", what=t(s.lang, what_is(msg)))
    await prompt_step(context, s, note)
    return


async def at_location(update: Update, context: Context, s: Session) -> None:
    """Step 2: a pin, a venue, or typed words."""
    draft, msg = s.draft, update.effective_message
    assert draft is not None and msg is not None
    if msg.location is not None or msg.venue is not None:
        kept = await keep_useful(s, msg)
        if draft.location is not None and kept != t(s.lang, "location_invalid"):
            draft.advance()
        await s.save()
        await prompt_step(context, s, kept)
        return
    if msg.text:
        words = clean_text(msg.text)
        if len(words) < MIN_TYPED_LOCATION or not any(ch.isalnum() for ch in words):
            await prompt_step(context, s, t(s.lang, "location_typed_short"))
            return
        await offer_places(context, s, words[:512])
        return
    await keep_or_reprompt(context, s, msg)


async def at_details(update: Update, context: Context, s: Session) -> None:
    """Step 3: words (advance), media (stay, ask for more), skip/continue (advance)."""
    draft, msg = s.draft, update.effective_message
    assert draft is not None and msg is not None
    if msg.text and msg.text in all_variants("btn_skip") | all_variants("btn_continue"):
        draft.advance()
        await s.save()
        await prompt_step(context, s)
        return
    if msg.text:
        draft.add_details(msg.text)
        if draft.details:
            draft.advance()
            await s.save()
            await prompt_step(context, s, t(s.lang, "details_ok"))
            return
    await keep_or_reprompt(context, s, msg)


async def at_phone(update: Update, context: Context, s: Session) -> None:
    """Step 4: a shared contact or a typed number, or skip."""
    draft, msg = s.draft, update.effective_message
    assert draft is not None and msg is not None
    if msg.text and msg.text in all_variants("btn_skip"):
        draft.phone, draft.phone_skipped = None, True
        draft.advance()
        await s.save()
        await prompt_step(context, s, t(s.lang, "phone_skipped"))
        return
    if msg.contact is not None or msg.text:
        phone = normalize_phone(msg.contact.phone_number if msg.contact else msg.text or "")
        if phone is None:
            await prompt_step(context, s, t(s.lang, "phone_invalid"))
            return
        draft.phone, draft.phone_skipped = phone, False
        draft.advance()
        await s.save()
        await prompt_step(context, s, t(s.lang, "phone_ok", phone=esc(phone)))
        return
    await keep_or_reprompt(context, s, msg)


async def at_summary(update: Update, context: Context, s: Session) -> None:
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
    return


STEPS: dict[Step, Callable[[Update, Context, Session], Awaitable[None]]] = {
    Step.CATEGORY: at_category,
    Step.LOCATION: at_location,
    Step.DETAILS: at_details,
    Step.PHONE: at_phone,
    Step.CONFIRM: at_summary,
}


async def unknown_command(update: Update, context: Context) -> None:
    """A command the bot does not know: say so, then re-ask the current step."""
    s = await open_session(update, context)
    chat = update.effective_chat
    assert chat is not None
    note = t(s.lang, "unknown_command")
    if s.draft is None:
        await send(context, chat.id, note + "\n\n" + t(s.lang, "help"), keyboards.main_menu(s.lang))
        return None
    await prompt_step(context, s, note)
    return


# --- inline buttons ----------------------------------------------------------------------

PressT = TypeVar("PressT", bound=CallbackData)


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


async def choose_category(update: Update, context: Context) -> None:
    """Step 1 by button."""
    pressed = await _press(update, context, PickCategory)
    if pressed is None:
        return None
    query, s, data = pressed
    draft = s.draft
    if draft is None or draft.uid != data.draft or draft.step is not Step.CATEGORY:
        await _stale(query, s)
        return
    draft.category = data.category
    draft.advance()
    await s.save()
    await query.answer()
    label = category_html(data.category, s.lang)
    await _finish_keyboard(query, t(s.lang, "category_chosen", category=label))
    await prompt_step(context, s)
    return


async def edit_field(update: Update, context: Context) -> None:
    """From the summary's edit menu: go back to one step."""
    pressed = await _press(update, context, EditField)
    if pressed is None:
        return None
    query, s, data = pressed
    draft = s.draft
    if draft is None or draft.uid != data.draft or draft.step is not Step.CONFIRM:
        await _stale(query, s)
        return
    draft.edit(Step(data.field))
    await s.save()
    await query.answer()
    await _finish_keyboard(query)
    await prompt_step(context, s)
    return


async def act_on_summary(update: Update, context: Context) -> None:
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
        return
    if data.action == "edit":
        await query.answer()
        await query.edit_message_reply_markup(keyboards.edit_menu(draft.uid, s.lang))
        return
    if data.action == "back":
        await query.answer()
        await query.edit_message_reply_markup(summary_keyboard(draft, s.lang))
        return
    if data.action in ("witness", "anonymous"):
        if draft.last_callback_id == query.id:  # the same press delivered twice
            await query.answer("✅")
            return
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
        return
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
            live_period=seconds_of(msg.location.live_period),
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
