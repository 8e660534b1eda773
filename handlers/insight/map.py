"""``/peta [hari] [kecamatan]``: the city at a glance — a map of the open reports (or of
today's, closed ones faded), in the dispatch chat, for dispatchers only.

The map is drawn from the shipped boundaries (no tile server, nothing fetched) in a worker
thread, so the bot keeps answering while it draws; it reports no state change, so it is
sent directly rather than through the outbox. The caption counts what the map shows.
"""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update
from telegram.constants import ParseMode

from bot.domain import overview
from bot.domain.overview import MapCounts, MapRequest
from handlers.context import Context, Services, send
from handlers.guards import in_dispatch_chat, is_dispatcher
from handlers.views.texts import t
from storage.overview import map_points


async def show_map(update: Update, context: Context) -> None:
    """/peta [hari] [kecamatan]: the map as a photo with a caption that counts it."""
    svc = context.services
    if not in_dispatch_chat(update, svc):
        return
    lang = svc.settings.dispatch_language
    chat = update.effective_chat
    assert chat is not None
    chat_id = chat.id  # the dispatch chat, or the luar-kota chat it was asked in
    if not await is_dispatcher(context, update.effective_user):
        await send(context, chat_id, t(lang, "map_denied"))
        return
    request = overview.parse_map_request(context.words, svc.city)
    if request is None:
        await send(context, chat_id, t(lang, "map_usage"))
        return
    now = svc.clock.now()
    since = overview.today_start(now, svc.settings.tz) if request.today else None
    points = await map_points(svc.db, since)
    # matplotlib costs ~40 MB of memory: loaded when a map is first asked for.
    from handlers.views.map import MapSpec, draw_map

    spec = MapSpec(
        points=points,
        city=svc.city,
        now=now,
        tz=svc.settings.tz,
        target=svc.response_target,
        lang=lang,
        today=request.today,
        focus=request.focus,
    )
    picture = await asyncio.to_thread(draw_map, spec)
    counts = overview.count(points, now, svc.response_target)
    stamp = now.astimezone(svc.settings.tz)
    caption = map_caption(
        svc,
        request,
        counts,
        f"{stamp:%d/%m %H:%M}",
        picture.drawn,
        picture.beyond,
        picture.unlabelled,
    )
    await context.bot.send_photo(
        chat_id,
        InputFile(picture.png, filename=f"peta-{stamp:%Y%m%d-%H%M}.png"),
        caption=caption,
        parse_mode=ParseMode.HTML,
    )


def map_caption(
    svc: Services,
    request: MapRequest,
    counts: MapCounts,
    stamp: str,
    drawn: int,
    beyond: int,
    unlabelled: int,
) -> str:
    """What the map shows, counted: how many reports, on the map, beyond the frame (edge
    arrows), without coordinates; how many are late and outside the city."""
    lang = svc.settings.dispatch_language
    head = t(lang, "map_caption_today" if request.today else "map_caption_open", time=stamp)
    if request.focus is not None:
        head += t(lang, "map_caption_focus", name=request.focus.name)
    if not counts.total:
        empty = "map_caption_empty_today" if request.today else "map_caption_empty_open"
        return head + "\n" + t(lang, empty)
    line = t(lang, "map_caption_count", total=counts.total, drawn=drawn)
    if beyond:
        line += t(lang, "map_caption_beyond", n=beyond)
    if counts.without_point:
        line += t(lang, "map_caption_no_point", n=counts.without_point)
    if request.today:
        line += t(lang, "map_caption_split", open=counts.open, closed=counts.closed)
    extra = []
    if counts.late:
        minutes = f"{svc.response_target.total_seconds() / 60:g}"
        extra.append(t(lang, "map_caption_late", n=counts.late, minutes=minutes))
    if counts.outside_city:
        extra.append(t(lang, "map_caption_outside", n=counts.outside_city))
    if unlabelled:
        extra.append(t(lang, "map_caption_unlabelled", n=unlabelled))
    return "\n".join([head, line, *([" · ".join(extra)] if extra else [])])
