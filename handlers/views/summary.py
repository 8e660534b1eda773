"""The daily and monthly summary as the dispatch chat reads it, and the KPI lines it shares
with ``/statistik``.

The city's terms: "Februari 2025: 1.308 laporan tertangani" (Babel's Indonesian month
names and thousands separator), or English. ``bot/services/summaries.py`` decides when a
summary is due and posts it; :func:`render_summary` is the renderer it is given.
"""

from __future__ import annotations

import html

from bot.domain import stats
from bot.domain.models import Language
from bot.domain.stats import Statistics
from bot.services.summaries import SummaryKind
from handlers.views.texts import category_label, t


def kpi_lines(st: Statistics, lang: Language) -> list[str]:
    """The shared KPI block: on scene within target, response and claim times."""
    o = st.overall
    target = f"{st.target_s / 60:g}"
    lines = []
    if o.response.count:
        lines.append(
            t(
                lang,
                "kpi_within",
                target=target,
                share=stats.fmt_share(o.within_target_share, lang),
                n=stats.fmt_int(o.within_target, lang),
                total=stats.fmt_int(o.response.count, lang),
            )
        )
    else:
        lines.append(t(lang, "kpi_within_none", target=target))
    for key, dist in (("kpi_response", o.response), ("kpi_claim", o.claim)):
        if dist.count:
            lines.append(
                t(
                    lang,
                    key,
                    median=stats.fmt_duration(dist.median, lang),
                    p90=stats.fmt_duration(dist.p90, lang),
                )
            )
        else:
            lines.append(t(lang, key, median=t(lang, "kpi_no_data"), p90="–"))
    return lines


def render_summary(st: Statistics, kind: SummaryKind, lang: Language) -> str:
    """The summary message (Telegram HTML)."""
    o = st.overall
    lines = [
        t(lang, f"summary_{kind}_title"),
        t(
            lang,
            "summary_headline",
            period=st.period.label(lang),
            count=stats.fmt_int(o.reports, lang),
        ),
    ]
    if o.reports:
        lines.append("")
        lines.extend(kpi_lines(st, lang))
        top = ", ".join(
            f"{html.escape(category_label(lang, g.key))} {stats.fmt_int(g.reports, lang)}"
            for g in st.by_category[:3]
        )
        lines.append(t(lang, "summary_top", items=top))
        lines.append(
            t(
                lang,
                "summary_pranks",
                n=stats.fmt_int(o.pranks, lang),
                share=stats.fmt_share(o.prank_share, lang),
            )
        )
        if st.rating_average is not None:
            lines.append(
                t(
                    lang,
                    "stats_rating",
                    avg=stats.fmt_number(st.rating_average, lang),
                    n=stats.fmt_int(st.ratings, lang),
                )
            )
    lines.append("")
    lines.append(t(lang, "summary_more"))
    return "\n".join(lines)
