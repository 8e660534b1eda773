"""Rendering helpers: escaping, Telegram's length limit, locations, the draft summary.

Every value that came from a person (names, descriptions, typed places) passes through
:func:`esc`. Telegram limits a message to 4,096 characters (UTF-16 code units after
entity parsing): :func:`split_for_telegram` cuts long text so each piece fits once
escaped. The dispatch card itself is in ``handlers/card.py``.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, tzinfo

from telegram.helpers import mention_html

from bot.domain.categories import Category, info
from bot.domain.models import Draft, Language, Reporter, ReportLocation, clean_text
from handlers.views.texts import category_label, t

MAX_MESSAGE = 4096
MAX_CAPTION = 1024


def esc(text: str) -> str:
    """Escape a person's text for Telegram HTML."""
    return html.escape(text, quote=False)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


_TAG = re.compile(r"<[^>]+>")


def visible_len(html_text: str) -> int:
    """What Telegram counts of our own HTML: tags removed, entities decoded."""
    return utf16_len(html.unescape(_TAG.sub("", html_text)))


def split_for_telegram(text: str, limit: int) -> list[str]:
    """Cut plain text into pieces of at most ``limit`` UTF-16 units, at line or word ends."""
    pieces: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        cut = limit
        while utf16_len(rest[:cut]) > limit:
            cut -= 1
        window = rest[:cut]
        brk = max(window.rfind("\n"), window.rfind(" "))
        if brk > cut // 2:
            cut = brk + 1
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def category_html(category: Category | None, lang: Language) -> str:
    """Icon and name, escaped for HTML ("Keamanan & ketertiban" has an ampersand)."""
    if category is None:
        return t(lang, "none")
    return f"{info(category).icon} {esc(category_label(lang, category))}"


def coords(loc: ReportLocation) -> str:
    """Coordinates with 6 decimals (about 10 cm)."""
    return f"{loc.lat:.6f}, {loc.lon:.6f}"


def location_line(loc: ReportLocation, lang: Language) -> str:
    """One line a person reads: coordinates with source and accuracy, typed words, area."""
    parts = []
    if loc.has_point:
        parts.append(coords(loc))
        detail = t(lang, f"source_{loc.source}")
        if loc.accuracy_m is not None:
            detail += f", ±{loc.accuracy_m:.0f} m"
        if loc.approximate:
            detail += ", " + t(lang, "location_approximate")
        parts.append(f"({detail})")
    if loc.text:
        parts.append(("— " if loc.has_point else "") + esc(loc.text))
    if not loc.has_point:
        parts.append(f"({t(lang, f'source_{loc.source}')})")
    if loc.address:
        parts.append("· " + esc(loc.address))
    elif loc.kecamatan:
        parts.append(f"· Kec. {esc(loc.kecamatan)}")
    return " ".join(parts)


def map_links(loc: ReportLocation) -> str:
    """Links to open the point in map apps."""
    if not loc.has_point:
        return ""
    q = f"{loc.lat:.6f},{loc.lon:.6f}"
    return (
        f'<a href="https://www.google.com/maps/search/?api=1&amp;query={q}">Google Maps</a>'
        f' · <a href="https://www.openstreetmap.org/?mlat={loc.lat:.6f}&amp;mlon={loc.lon:.6f}'
        f'#map=18/{loc.lat:.6f}/{loc.lon:.6f}">OpenStreetMap</a>'
    )


def attachments_line(kinds: list[str], lang: Language) -> str:
    """E.g. "2× Foto, 1× Pesan suara"."""
    counts: dict[str, int] = {}
    for kind in kinds:
        counts[kind] = counts.get(kind, 0) + 1
    return ", ".join(f"{n}× {t(lang, 'kind_' + k)}" for k, n in counts.items())


SUMMARY_DETAILS = 1500  # UTF-16 units of the description shown in the summary
SUMMARY_PLACE = 600  # ... and of a typed place


def short_place(loc: ReportLocation) -> ReportLocation:
    """The location with its typed words clipped for display."""
    if loc.text and utf16_len(loc.text) > SUMMARY_PLACE:
        return loc.model_copy(update={"text": clip(loc.text, SUMMARY_PLACE)})
    return loc


def clip(text: str, limit: int) -> str:
    """At most ``limit`` UTF-16 units of ``text``, marked when cut (the full text is kept)."""
    if utf16_len(text) <= limit:
        return text
    head = split_for_telegram(text, limit - 2)[0]
    return head + "…"


def draft_summary(draft: Draft, lang: Language) -> str:
    """The summary the reporter checks before sending."""
    none = t(lang, "none")
    details = esc(clip(draft.details, SUMMARY_DETAILS)) if draft.details else none
    rows = [
        f"<b>{t(lang, 'field_category')}:</b> {category_html(draft.category, lang)}",
        f"<b>{t(lang, 'field_location')}:</b> "
        + (location_line(short_place(draft.location), lang) if draft.location else none),
        f"<b>{t(lang, 'field_details')}:</b> {details}",
    ]
    if draft.attachments:
        kinds = [a.kind.value for a in draft.attachments]
        rows.append(f"<b>{t(lang, 'field_attachments')}:</b> {attachments_line(kinds, lang)}")
    rows.append(f"<b>{t(lang, 'field_phone')}:</b> {esc(draft.phone) if draft.phone else none}")
    rows.append(
        f"<b>{t(lang, 'field_witness')}:</b> {t(lang, 'yes' if draft.for_someone_else else 'no')}"
    )
    hidden = "anonymous_on" if draft.anonymous_to_agencies else "anonymous_off"
    rows.append(f"<b>{t(lang, 'field_anonymous')}:</b> {t(lang, hidden)}")
    return t(lang, "draft_summary", body="\n".join(rows))


def local_time(moment: datetime, tz: tzinfo) -> str:
    """E.g. "27/03/2026 14:02 WIB"."""
    local = moment.astimezone(tz)
    return f"{local:%d/%m/%Y %H:%M} {local.tzname()}"


def reporter_line(reporter: Reporter) -> str:
    """Name linked to the Telegram profile, and the username."""
    # Names stored before they were cleaned on arrival are cleaned here too.
    line = mention_html(reporter.user_id, clean_text(reporter.full_name))
    if reporter.username:
        line += f" (@{esc(reporter.username)})"
    return line
