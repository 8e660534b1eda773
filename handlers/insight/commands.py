"""Command-center insight: ``/statistik``, ``/ekspor`` and the reporters' ratings.

``/statistik [hari|minggu|bulan]`` and ``/ekspor [csv|open311|eido] [hari|minggu|bulan]``
answer in the dispatch chat only (exports, which hold phone numbers, to dispatchers only).
They report no state change, so they answer directly rather than through the outbox.

Ratings: when a report is closed as resolved, transferred, false alarm or no further
action, :func:`rating_request` queues (in the closing transaction) a question to the
reporter with 1–5 star buttons (:class:`RateReport`). After a press, the reporter's next
text message within the comment window is stored as a comment (:func:`capture_comment`,
registered in an earlier handler group so it sees the message first), unless they press
Skip or start a new report.
"""

from __future__ import annotations

import asyncio
import html
import logging
from datetime import timedelta
from typing import ClassVar, Final, Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop

from bot.domain import export as exports
from bot.domain import stats
from bot.domain.categories import delivery_priority
from bot.domain.lifecycle import EventKind, Transition
from bot.domain.models import Language
from bot.domain.routing import Routing
from bot.domain.stats import GroupStats, Statistics
from bot.runtime.export_cli import export_bytes
from handlers.callback_data import CallbackData, CallbackDataError
from handlers.context import Context, Services, send, services
from handlers.dispatch.dispatcher import in_dispatch_chat, is_dispatcher
from handlers.views.summary import kpi_lines
from handlers.views.texts import EXPORT_WORDS, category_label, disposition_label, t
from storage import reports as report_store
from storage import stats as store
from storage.outbox import OutboundMessage
from storage.reports import CardState

log = logging.getLogger(__name__)

COMMENT_WINDOW_MINUTES: Final = 5.0
"""Default of the proposed RATING_COMMENT_MINUTES setting."""
MESSAGE_BUDGET: Final = 3900
RATING_PRIORITY: Final = 5


class RateReport(CallbackData):
    """A reporter's rating button (1–5 stars) or Skip (no comment)."""

    prefix: ClassVar[str] = "s"
    report: int
    choice: Literal["1", "2", "3", "4", "5", "skip"]


def _settings_minutes(svc: Services) -> float:
    value = getattr(svc.settings, "rating_comment_minutes", None)
    return float(value) if isinstance(value, int | float) else COMMENT_WINDOW_MINUTES


def _target(svc: Services) -> timedelta:
    return timedelta(minutes=svc.settings.response_target_minutes)


def _args(context: Context) -> list[str]:
    return [a for a in (context.args or []) if a.strip()]


# --- /statistik --------------------------------------------------------------------------


def _agency_name(routing: Routing, key: str) -> str:
    try:
        return routing.agency(key).short_name
    except KeyError:
        return key


def group_name(dimension: str, key: str, lang: Language, routing: Routing) -> str:
    """A group's name as people read it (escaped)."""
    if dimension == "category":
        return html.escape(category_label(lang, key))
    if dimension == "kecamatan":
        if key == stats.OUTSIDE_CITY:
            return t(lang, "area_outside")
        if key == stats.UNKNOWN:
            return t(lang, "area_unknown")
        return html.escape(key)
    if dimension == "agency":
        return (
            t(lang, "agency_none")
            if key == stats.NOT_DISPATCHED
            else html.escape(_agency_name(routing, key))
        )
    if key == stats.STILL_OPEN:
        return t(lang, "stats_still_open")
    return html.escape(disposition_label(lang, key))


def group_line(g: GroupStats, st: Statistics, lang: Language, name: str, detail: bool) -> str:
    """``Damkar: 12 · ≤10 mnt 80,0% (8/10) · median 7 mnt, p90 9 mnt · iseng 1``."""
    within = median = pranks = ""
    if detail and g.response.count:
        within = t(
            lang,
            "stats_group_within",
            target=f"{st.target_s / 60:g}",
            share=stats.fmt_share(g.within_target_share, lang),
            n=stats.fmt_int(g.within_target, lang),
            total=stats.fmt_int(g.response.count, lang),
        )
        median = t(
            lang,
            "stats_group_median",
            median=stats.fmt_duration(g.response.median, lang),
            p90=stats.fmt_duration(g.response.p90, lang),
        )
    if detail and g.pranks:
        pranks = t(lang, "stats_group_pranks", n=stats.fmt_int(g.pranks, lang))
    return t(
        lang,
        "stats_group",
        name=name,
        count=stats.fmt_int(g.reports, lang),
        within=within,
        median=median,
        pranks=pranks,
    )


def statistics_sections(st: Statistics, lang: Language, routing: Routing) -> list[str]:
    """The answer to /statistik as sections (each well under Telegram's limit)."""
    o = st.overall
    head = [t(lang, "stats_title", period=st.period.label(lang))]
    if not o.reports:
        head.append(t(lang, "stats_empty"))
        return ["\n".join(head)]
    head.append(
        t(
            lang,
            "stats_count",
            count=stats.fmt_int(o.reports, lang),
            pranks=stats.fmt_int(o.pranks, lang),
            share=stats.fmt_share(o.prank_share, lang),
        )
    )
    head.extend(kpi_lines(st, lang))
    if st.rating_average is not None:
        head.append(
            t(
                lang,
                "stats_rating",
                avg=stats.fmt_number(st.rating_average, lang),
                n=stats.fmt_int(st.ratings, lang),
            )
        )
    else:
        head.append(t(lang, "stats_rating_none"))
    sections = ["\n".join(head)]
    for dimension, groups in (
        ("category", st.by_category),
        ("kecamatan", st.by_kecamatan),
        ("agency", st.by_agency),
    ):
        lines = [t(lang, f"stats_by_{dimension}")]
        lines.extend(
            group_line(g, st, lang, group_name(dimension, g.key, lang, routing), True)
            for g in groups
        )
        sections.append("\n".join(lines))
    outcome = " · ".join(
        f"{group_name('disposition', g.key, lang, routing)} {stats.fmt_int(g.reports, lang)}"
        for g in st.by_disposition
    )
    sections.append(t(lang, "stats_by_disposition") + "\n" + outcome)
    sections.append(t(lang, "stats_method"))
    return sections


def pack_messages(sections: list[str], budget: int = MESSAGE_BUDGET) -> list[str]:
    """Join sections into as few messages as fit Telegram's limit."""
    out: list[str] = []
    for section in sections:
        if out and len(out[-1]) + 2 + len(section) <= budget:
            out[-1] += "\n\n" + section
        else:
            out.append(section[:budget])
    return out


async def show_statistics(update: Update, context: Context) -> None:
    """/statistik [hari|minggu|bulan]: the period's figures and a chart, in the dispatch chat."""
    svc = services(context)
    if not in_dispatch_chat(update, svc):
        return
    lang = svc.settings.dispatch_language
    chat_id = svc.settings.dispatch_chat_id
    assert chat_id is not None
    args = _args(context)
    kind = stats.parse_period_word(args[0]) if args else "day"
    if kind is None or len(args) > 1:
        await send(context, chat_id, t(lang, "stats_usage"))
        return
    period = stats.period_for(kind, svc.clock.now(), svc.settings.tz)
    facts = await store.report_facts(svc.db, period.start, period.end)
    st = stats.compute(facts, period, _target(svc))
    for body in pack_messages(statistics_sections(st, lang, svc.routing)):
        await send(context, chat_id, body)
    # matplotlib costs ~40 MB: loaded when a chart is first asked for.
    from handlers.views import charts

    png = await asyncio.to_thread(charts.statistics_chart, st, stats.activity(facts, period), lang)
    await context.bot.send_photo(chat_id, InputFile(png, filename=f"statistik-{period.slug}.png"))


# --- /ekspor -----------------------------------------------------------------------------


async def export_reports(update: Update, context: Context) -> None:
    """/ekspor [csv|open311|eido] [hari|minggu|bulan]: the period's reports as a file."""
    svc = services(context)
    if not in_dispatch_chat(update, svc):
        return
    lang = svc.settings.dispatch_language
    chat_id = svc.settings.dispatch_chat_id
    assert chat_id is not None
    if not await is_dispatcher(context, update.effective_user):
        await send(context, chat_id, t(lang, "export_denied"))
        return
    fmt: exports.ExportFormat = "csv"
    kind: stats.PeriodKind = "day"
    for arg in _args(context):
        as_fmt, as_period = exports.parse_format(arg), stats.parse_period_word(arg)
        if as_fmt is not None:
            fmt = as_fmt
        elif as_period is not None:
            kind = as_period
        else:
            await send(context, chat_id, t(lang, "export_usage"))
            return
    period = stats.period_for(kind, svc.clock.now(), svc.settings.tz)
    data, count = await export_bytes(svc.db, period, fmt, svc.routing, _target(svc), EXPORT_WORDS)
    caption = t(
        lang,
        "export_caption",
        fmt=fmt.upper() if fmt == "csv" else {"open311": "Open311", "eido": "EIDO"}[fmt],
        period=period.label(lang),
        count=stats.fmt_int(count, lang),
    )
    await context.bot.send_document(
        chat_id,
        InputFile(data, filename=exports.filename(fmt, period.slug)),
        caption=caption,
    )


# --- ratings -----------------------------------------------------------------------------


def stars(n: int) -> str:
    """⭐⭐⭐ for 3."""
    return "⭐" * n


def rating_keyboard(report_id: int) -> InlineKeyboardMarkup:
    """Five buttons, 1 to 5 stars."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"{n}⭐",
                    callback_data=RateReport(report=report_id, choice=str(n)).pack(),
                )
                for n in range(1, 6)
            ]
        ]
    )


def rating_request(state: CardState, step: Transition) -> list[OutboundMessage]:
    """The question to the reporter after a close, to queue with the close's messages.

    Empty unless ``step`` closed the report with a rateable disposition (not prank,
    duplicate or the reporter's own cancellation).
    """
    snap = step.snapshot
    if step.event.kind is not EventKind.CLOSED or snap.disposition is None:
        return []
    if snap.disposition.value not in store.RATEABLE:
        return []
    report = state.report
    return [
        OutboundMessage(
            report.chat_id,
            "send_message",
            {
                "text": t(report.language, "rating_ask", ticket=html.escape(report.ticket)),
                "parse_mode": "HTML",
                "reply_markup": rating_keyboard(report.id).to_dict(),
            },
            role="rating_request",
            priority=min(RATING_PRIORITY, delivery_priority(report.category, to_dispatch=False)),
            report_id=report.id,
        )
    ]


async def _edit(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    query = update.callback_query
    assert query is not None
    try:
        await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


async def press_rating(update: Update, context: Context) -> None:
    """A star (or Skip) pressed under the rating question."""
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = services(context)
    user = query.from_user
    try:
        data = RateReport.unpack(query.data)
    except CallbackDataError:
        await query.answer(t(svc.settings.default_language, "rating_refused"))
        return
    report = await report_store.get_report(svc.db, data.report)
    if report is None or report.reporter_id != user.id:
        await query.answer(t(svc.settings.default_language, "rating_refused"))
        return
    lang = report.language
    ticket = html.escape(report.ticket)
    if data.choice == "skip":
        await store.skip_comment(svc.db, report.id, user.id)
        await query.answer("✅")
        rated = await store.rating_of(svc.db, report.id)
        n = rated[0] if rated else 0
        await _edit(update, t(lang, "rating_done", ticket=ticket, stars=stars(n), n=n))
        return
    minutes = _settings_minutes(svc)
    saved = await store.save_rating(
        svc.db, report.id, user.id, int(data.choice), svc.clock.now(), timedelta(minutes=minutes)
    )
    if saved is None:
        await query.answer(t(lang, "rating_refused"), show_alert=True)
        return
    await query.answer(stars(saved.stars))
    skip = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(lang, "btn_skip"),
                    callback_data=RateReport(report=report.id, choice="skip").pack(),
                )
            ]
        ]
    )
    await _edit(
        update,
        t(
            lang,
            "rating_thanks",
            ticket=ticket,
            stars=stars(saved.stars),
            n=saved.stars,
            minutes=f"{minutes:g}",
        ),
        skip,
    )


async def capture_comment(update: Update, context: Context) -> None:
    """A reporter's text right after rating becomes the comment (stops other handlers);
    any other message passes through untouched."""
    msg, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if msg is None or user is None or chat is None or not msg.text:
        return
    svc = services(context)
    taken = await store.take_comment(svc.db, user.id, chat.id, msg.text, svc.clock.now())
    if taken is None:
        return
    ticket, lang = taken
    await send(context, chat.id, t(lang, "rating_comment_saved", ticket=html.escape(ticket)))
    raise ApplicationHandlerStop


__all__ = [
    "RateReport",
    "capture_comment",
    "export_reports",
    "press_rating",
    "rating_keyboard",
    "rating_request",
    "show_statistics",
    "statistics_sections",
]
