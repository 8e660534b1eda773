"""Where it is: typed words checked against the gazetteer and the geocoder, the 16
kecamatan buttons, and a live location followed as it moves.
"""

from __future__ import annotations

from pydantic import ValidationError
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.domain import gazetteer
from bot.domain.locating import with_area
from bot.domain.models import (
    Language,
    LocationSource,
    PlaceCandidate,
    ReportLocation,
)
from bot.services import reports
from handlers.callback_data import (
    PickKecamatan,
    PickPlace,
)
from handlers.context import Context, Session, open_session, send
from handlers.parsing import seconds_of
from handlers.prompts import prompt_step
from handlers.reporter.report.summary import _finish_keyboard, _press, _stale
from handlers.views.render import esc, location_line
from handlers.views.texts import t
from handlers.views.whereabouts import outside_notice

MIN_TYPED_LOCATION = 4


def location_ack(loc: ReportLocation, lang: Language) -> str:
    """ "Location received", with the area, and the outside-the-city notice for travellers."""
    text = t(lang, "location_ok", location=location_line(loc, lang))
    notice = outside_notice(loc, lang)
    return text + "\n\n" + notice if notice else text


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
    state = await reports.follow_live_location(
        s.svc.db,
        msg.chat_id,
        msg.message_id,
        moved,
        now,
        lambda st: s.svc.cards.on_live_update(st, now),
    )
    if state is not None:
        s.svc.wake_outbox()
