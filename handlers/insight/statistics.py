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
from typing import Final

from telegram import InputFile, Update

from bot.domain import stats
from bot.domain.models import Language
from bot.domain.routing import Routing
from bot.domain.stats import GroupStats, Statistics
from bot.domain.trust_stats import trust_share
from handlers.context import Context, answer, thread_of
from handlers.guards import dispatcher_command
from handlers.views.summary import kpi_lines
from handlers.views.texts import category_label, disposition_label, t
from handlers.views.trust import trust_share_lines
from storage import stats as store
from storage import trust as trust_store

"""Default of the proposed RATING_COMMENT_MINUTES setting."""
MESSAGE_BUDGET: Final = 3900


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
    if dimension == "region":
        if key == stats.BEYOND_JAVA:
            return t(lang, "area_beyond_java")
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
        ("region", st.by_region),
        ("agency", st.by_agency),
    ):
        if not groups:
            continue
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
    svc = await dispatcher_command(update, context)
    if svc is None:
        return
    lang = svc.settings.dispatch_language
    chat = update.effective_chat
    assert chat is not None
    chat_id = chat.id  # the dispatch chat, or the luar-kota chat it was asked in
    args = context.words
    kind = stats.parse_period_word(args[0]) if args else "day"
    if kind is None or len(args) > 1:
        await answer(update, context, t(lang, "stats_usage"))
        return
    period = stats.period_for(kind, svc.clock.now(), svc.settings.tz)
    facts = await store.report_facts(svc.db, period.start, period.end)
    st = stats.compute(facts, period, svc.response_target)
    sections = statistics_sections(st, lang, svc.routing)
    if st.overall.reports:  # trusted reporters against the public, after the headline
        share = trust_share(await trust_store.trust_facts(svc.db, period.start, period.end), period)
        sections.insert(1, trust_share_lines(share, lang))
    for body in pack_messages(sections):
        await answer(update, context, body)
    # matplotlib costs ~40 MB of memory: loaded when a chart is first asked for.
    from handlers.views import charts

    png = await asyncio.to_thread(charts.statistics_chart, st, stats.activity(facts, period), lang)
    await context.bot.send_photo(
        chat_id,
        InputFile(png, filename=f"statistik-{period.slug}.png"),
        message_thread_id=thread_of(update),
    )


# --- /ekspor -----------------------------------------------------------------------------


# --- ratings -----------------------------------------------------------------------------
