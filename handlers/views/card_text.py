"""The words of a dispatch card: the report block, the status block with its timeline."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, tzinfo

from bot.domain import lifecycle
from bot.domain.card import CardState
from bot.domain.categories import info
from bot.domain.lifecycle import Disposition, EventKind, ReportState
from bot.domain.models import (
    Language,
    LocationSource,
    Report,
    Reporter,
    ReportLocation,
)
from bot.domain.routing import Routing
from bot.domain.timers import is_overdue
from handlers.views.render import (
    MAX_MESSAGE,
    attachments_line,
    esc,
    local_time,
    location_line,
    map_links,
    reporter_line,
    split_for_telegram,
    utf16_len,
    visible_len,
)
from handlers.views.texts import category_label, disposition_label, t
from handlers.views.trust import badge_line
from handlers.views.whereabouts import card_outside_line

STATUS_BUDGET = 1100  # characters kept free in every card for the status block


TIMELINE_ROWS = 8


RULE = "━━━━━━━━━━━━"


FACILITY_ICON = {"fire_station": "🚒", "hospital": "🏥", "police": "👮"}


def _location_lines(loc: ReportLocation, lang: Language, tz: tzinfo) -> list[str]:
    """Where it is: the outside-city flag, the place, border and live notes, map links."""
    lines = []
    outside = card_outside_line(loc, lang)
    if outside:
        lines.append(outside)
    lines.append(f"📍 <b>{t(lang, 'field_location')}:</b> {location_line(loc, lang)}")
    notes = []
    if loc.near_border_with:
        notes.append(t(lang, "card_near_border", other=esc(", ".join(loc.near_border_with))))
    if loc.source is LocationSource.LIVE and loc.updated_at is not None:
        key = "card_live" if loc.live_period else "card_live_ended"
        notes.append(t(lang, key, time=f"{loc.updated_at.astimezone(tz):%H:%M}"))
    if notes:
        lines.append("   " + " · ".join(notes))
    links = map_links(loc)
    if links:
        lines.append(f"🗺 {links}")
    return lines


def _reporter_lines(report: Report, reporter: Reporter, lang: Language, redact: bool) -> list[str]:
    """Who reported (hidden from agencies on request), attachments, language."""
    if redact:
        hidden = t(lang, "card_reporter_hidden")
        tail = [
            f"👤 <b>{t(lang, 'card_reporter')}:</b> <i>{hidden}</i>",
            f"📞 <b>{t(lang, 'field_phone')}:</b> <i>{hidden}</i>",
        ]
    else:
        tail = [
            f"👤 <b>{t(lang, 'card_reporter')}:</b> {reporter_line(reporter)}",
            f"📞 <b>{t(lang, 'field_phone')}:</b> "
            + (esc(report.phone) if report.phone else t(lang, "none")),
        ]
        if report.anonymous_to_agencies:
            tail.append(t(lang, "card_anonymous"))
    if report.attachments:
        kinds = [a.kind.value for a in report.attachments]
        tail.append(f"📎 <b>{t(lang, 'field_attachments')}:</b> {attachments_line(kinds, lang)}")
    tail.append(f"🌐 {t(lang, 'card_language')}: {report.language.upper()}")
    return tail


def _details(report: Report, lang: Language, room: int) -> tuple[str, list[str]]:
    """The details within ``room`` UTF-16 units, and continuation messages for the rest."""
    details = report.details or ""
    label = f"📝 <b>{t(lang, 'field_details')}:</b>\n"
    budget = room - visible_len(label) - 64
    if not details:
        return f"📝 <b>{t(lang, 'field_details')}:</b> {t(lang, 'none')}", []
    if utf16_len(details) <= budget:
        return label + esc(details), []
    first, *rest = split_for_telegram(details, budget)
    body = label + esc(first) + f"… <i>({t(lang, 'card_continued')} ⤵️)</i>"
    heading = f"📝 <b>{report.ticket}</b> — <i>{t(lang, 'card_continuation')}</i>\n"
    continuation = [
        heading + esc(piece)
        for piece in split_for_telegram("".join(rest), MAX_MESSAGE - visible_len(heading) - 8)
    ]
    return body, continuation


def report_block(
    report: Report,
    reporter: Reporter,
    lang: Language,
    tz: tzinfo,
    suggested: str | None,
    nearest: str | None = None,
    *,
    redact: bool = False,
) -> tuple[str, list[str]]:
    """The unchanging part of the card, and continuation messages for long details."""
    c = info(report.category)
    head = [
        f"{'🆘' if report.sos else c.icon} <b>{t(lang, 'card_title')} {report.ticket}</b>",
        f"<b>{esc(category_label(lang, report.category))}</b>",
        f"🕒 {t(lang, 'card_time')}: {local_time(report.submitted_at, tz)}",
    ]
    if report.badge is not None:  # shown on agency copies too, even with the identity hidden
        head.append(badge_line(report.badge, lang))
    if report.sos:
        head.append(t(lang, "card_sos"))
    if report.for_someone_else:
        head.append(t(lang, "card_witness"))
    if report.location is not None:
        head.extend(_location_lines(report.location, lang, tz))
        if nearest:
            head.append(f"🧭 {t(lang, 'card_nearest')}: {nearest}")
    if suggested:
        head.append(f"🏢 {t(lang, 'card_suggested')}: {esc(suggested)}")
    tail = _reporter_lines(report, reporter, lang, redact)
    frame = "\n".join(head) + "\n\n" + "\n".join(tail)
    body, continuation = _details(report, lang, MAX_MESSAGE - STATUS_BUDGET - visible_len(frame))
    return "\n".join(head) + "\n\n" + body + "\n\n" + "\n".join(tail), continuation


def disposition_name(snap: lifecycle.ReportSnapshot, lang: Language) -> str:
    """The closing reason in a few words."""
    if snap.disposition is None:
        return ""
    return disposition_label(
        lang,
        snap.disposition,
        other=esc(snap.duplicate_of or ""),
        target=esc(snap.transfer_to or ""),
    )


def _minutes(a: datetime, b: datetime) -> int:
    return max(0, math.floor((b - a).total_seconds() / 60))


def agency_name(routing: Routing, key: str | None) -> str:
    """Short name of an agency key (the key itself if unknown)."""
    if key is None:
        return "—"
    try:
        return routing.agency(key).short_name
    except KeyError:
        return key


def status_label(snap: lifecycle.ReportSnapshot, lang: Language, routing: Routing) -> str:
    """Where a report stands, in a few words (HTML)."""
    agency = esc(agency_name(routing, snap.agency))
    if snap.state in (ReportState.SUBMITTED, ReportState.RECEIVED):
        return t(lang, "state_received")
    if snap.state is ReportState.CLAIMED:
        who = esc(snap.claimed_by.name) if snap.claimed_by else "?"
        return t(lang, "state_claimed", who=who)
    if snap.state is ReportState.CLOSED:
        return t(lang, "state_closed", disposition=disposition_name(snap, lang))
    return t(lang, "state_" + snap.state.value, agency=agency)


def status_block(
    state: CardState, lang: Language, tz: tzinfo, now: datetime, routing: Routing, target_min: float
) -> str:
    """Status, clock, warnings and the latest timeline rows."""
    snap = state.snapshot
    status = status_label(snap, lang, routing)
    rows = [RULE, f"📌 <b>{t(lang, 'card_status')}:</b> {status}"]
    if snap.claimed_by and snap.state is not ReportState.CLAIMED:
        rows.append(f"🙋 {esc(snap.claimed_by.name)}")
    start = snap.received_at
    if snap.on_scene_at and start:
        rows.append(t(lang, "card_response", minutes=_minutes(start, snap.on_scene_at)))
    elif start and not snap.is_closed:
        elapsed = _minutes(start, now)
        if is_overdue(snap, now, timedelta(minutes=target_min)):
            rows.append(t(lang, "card_overdue", minutes=elapsed, target=f"{target_min:g}"))
        else:
            rows.append(t(lang, "card_elapsed", minutes=elapsed))
    units = unit_notes(state.events, routing)
    if units:
        rows.append(f"<b>{t(lang, 'card_units')}:</b> {units}")
    if state.possible_duplicate_of and not snap.is_closed:
        rows.append(t(lang, "card_possible_duplicate", other=esc(state.possible_duplicate_of)))
    if state.strikes:
        rows.append(t(lang, "card_strikes", strikes=state.strikes))
    rows.append(f"🕘 <b>{t(lang, 'card_timeline')}</b>")
    shown = [e for e in state.events if e.kind is not EventKind.ALERT][-TIMELINE_ROWS:]
    for event in shown:
        rows.append(f"{event.at.astimezone(tz):%H:%M} {event_line(event, lang, routing)}")
    return "\n".join(rows)


UNIT_EVENTS = frozenset({EventKind.DISPATCHED, EventKind.DISPATCH_ADDED, EventKind.UNIT_NOTED})


def unit_notes(events: list[lifecycle.Event], routing: Routing) -> str:
    """The unit or officer each dispatched agency sent (its latest note), HTML."""
    latest: dict[str, str] = {}
    for event in events:
        note = event.data.get("unit_note")
        agency = event.data.get("agency")
        if event.kind in UNIT_EVENTS and note and agency:
            latest[str(agency)] = str(note)
    return "; ".join(
        f"{esc(agency_name(routing, agency))}: {esc(note)}" for agency, note in latest.items()
    )


def event_line(event: lifecycle.Event, lang: Language, routing: Routing) -> str:
    """One timeline row."""
    who = esc(event.actor_name or "")
    agency = esc(agency_name(routing, str(event.data.get("agency") or "") or None))
    if event.kind is EventKind.REASSIGNED:
        who = esc(str(event.data.get("to_name") or who))
    unit = esc(str(event.data.get("unit_note") or ""))
    text = t(lang, "ev_" + event.kind.value, who=who, agency=agency, disposition="", unit=unit)
    if event.kind is EventKind.CLOSED:
        disp = str(event.data.get("disposition") or "")
        snap_like = lifecycle.ReportSnapshot(
            disposition=Disposition(disp) if disp else None,
            duplicate_of=_str(event.data.get("duplicate_of")),
            transfer_to=_str(event.data.get("transfer_to")),
        )
        text = t(lang, "ev_closed", disposition=disposition_name(snap_like, lang))
    if event.note:
        text += f" — <i>{esc(event.note)}</i>"
    return text


def _str(value: object) -> str | None:
    return None if value is None else str(value)
