"""The dispatch card: its text (report, status, timeline, clock), its keyboard per state,
and every outbound message a submission, a transition or a timer alert produces.

The card's first part (the report) never changes; the status block below it is redrawn
on every change. A fixed budget is kept for that block, so a long description splits
into the same continuation messages whatever the status says.
"""

from __future__ import annotations

import math
from datetime import datetime, tzinfo
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.config import Settings
from bot.domain import lifecycle
from bot.domain.categories import CHOOSABLE, delivery_priority, info
from bot.domain.geo import CityMap
from bot.domain.lifecycle import Disposition, EventKind, ReportState
from bot.domain.models import (
    Attachment,
    AttachmentKind,
    Draft,
    Language,
    LocationSource,
    Report,
    Reporter,
)
from bot.domain.routing import Agency, Routing
from bot.domain.timers import Alert, AlertKind
from handlers.callback_data import (
    CardAction,
    CardVerb,
    ExpandCard,
    OfficerAction,
    OfficerVerb,
    PickAgency,
    PickDisposition,
    SosAnswer,
)
from handlers.views.keyboards import main_menu
from handlers.views.rating import rating_request
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
from storage.outbox import OutboundMessage
from storage.reports import CardState

STATUS_BUDGET = 1100  # characters kept free in every card for the status block
TIMELINE_ROWS = 8
RULE = "━━━━━━━━━━━━"
FACILITY_ICON = {"fire_station": "🚒", "hospital": "🏥", "police": "👮"}

MEDIA_METHOD = {
    AttachmentKind.PHOTO: ("send_photo", "photo"),
    AttachmentKind.VOICE: ("send_voice", "voice"),
    AttachmentKind.VIDEO: ("send_video", "video"),
    AttachmentKind.VIDEO_NOTE: ("send_video_note", "video_note"),
    AttachmentKind.DOCUMENT: ("send_document", "document"),
}


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
    if report.sos:
        head.append(t(lang, "card_sos"))
    if report.for_someone_else:
        head.append(t(lang, "card_witness"))
    loc = report.location
    if loc is not None:
        if loc.outside_city:
            km = f"{(loc.distance_outside_m or 0) / 1000:.1f}"
            head.append(
                t(lang, "card_outside_city", km=km.replace(".", "," if lang == "id" else "."))
            )
        head.append(f"📍 <b>{t(lang, 'field_location')}:</b> {location_line(loc, lang)}")
        notes = []
        if loc.near_border_with:
            notes.append(t(lang, "card_near_border", other=esc(", ".join(loc.near_border_with))))
        if loc.source is LocationSource.LIVE and loc.updated_at is not None:
            key = "card_live" if loc.live_period else "card_live_ended"
            notes.append(t(lang, key, time=f"{loc.updated_at.astimezone(tz):%H:%M}"))
        if notes:
            head.append("   " + " · ".join(notes))
        links = map_links(loc)
        if links:
            head.append(f"🗺 {links}")
        if nearest:
            head.append(f"🧭 {t(lang, 'card_nearest')}: {nearest}")
    if suggested:
        head.append(f"🏢 {t(lang, 'card_suggested')}: {esc(suggested)}")
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

    frame = "\n".join(head) + "\n\n" + "\n".join(tail)
    details = report.details or ""
    label = f"📝 <b>{t(lang, 'field_details')}:</b>\n"
    budget = MAX_MESSAGE - STATUS_BUDGET - visible_len(frame) - visible_len(label) - 64
    continuation: list[str] = []
    if not details:
        body = f"📝 <b>{t(lang, 'field_details')}:</b> {t(lang, 'none')}"
    elif utf16_len(details) <= budget:
        body = label + esc(details)
    else:
        first, *rest = split_for_telegram(details, budget)
        body = label + esc(first) + f"… <i>({t(lang, 'card_continued')} ⤵️)</i>"
        heading = f"📝 <b>{report.ticket}</b> — <i>{t(lang, 'card_continuation')}</i>\n"
        for piece in split_for_telegram("".join(rest), MAX_MESSAGE - visible_len(heading) - 8):
            continuation.append(heading + esc(piece))
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
        if (now - start).total_seconds() >= target_min * 60:
            rows.append(t(lang, "card_overdue", minutes=elapsed, target=f"{target_min:g}"))
        else:
            rows.append(t(lang, "card_elapsed", minutes=elapsed))
    if state.possible_duplicate_of and not snap.is_closed:
        rows.append(t(lang, "card_possible_duplicate", other=esc(state.possible_duplicate_of)))
    if state.strikes:
        rows.append(t(lang, "card_strikes", strikes=state.strikes))
    rows.append(f"🕘 <b>{t(lang, 'card_timeline')}</b>")
    shown = [e for e in state.events if e.kind is not EventKind.ALERT][-TIMELINE_ROWS:]
    for event in shown:
        rows.append(f"{event.at.astimezone(tz):%H:%M} {event_line(event, lang, routing)}")
    return "\n".join(rows)


def event_line(event: lifecycle.Event, lang: Language, routing: Routing) -> str:
    """One timeline row."""
    who = esc(event.actor_name or "")
    agency = esc(agency_name(routing, str(event.data.get("agency") or "") or None))
    if event.kind is EventKind.REASSIGNED:
        who = esc(str(event.data.get("to_name") or who))
    text = t(lang, "ev_" + event.kind.value, who=who, agency=agency, disposition="")
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


def officer_keyboard(state: CardState, lang: Language) -> InlineKeyboardMarkup | None:
    """The buttons of an agency's copy: en route, on scene, need backup, done."""
    s, rid = state.snapshot.state, state.report.id

    def b(key: str, action: OfficerVerb) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            t(lang, key), callback_data=OfficerAction(report=rid, action=action).pack()
        )

    if s is ReportState.DISPATCHED:
        rows = [[b("btn_officer_en_route", "en_route"), b("btn_officer_on_scene", "on_scene")]]
    elif s is ReportState.EN_ROUTE:
        rows = [[b("btn_officer_on_scene", "on_scene")]]
    elif s is ReportState.ON_SCENE:
        rows = [[b("btn_officer_done", "done")]]
    else:
        return None
    rows.append([b("btn_officer_backup", "backup")])
    return InlineKeyboardMarkup(rows)


def card_keyboard(state: CardState, lang: Language) -> InlineKeyboardMarkup | None:
    """The buttons a card shows in its state."""
    snap, rid = state.snapshot, state.report.id

    def b(key: str, action: CardVerb, **values: Any) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            t(lang, key, **values),
            callback_data=CardAction(report=rid, action=action).pack(),
        )

    s = snap.state
    if s is ReportState.CLOSED:
        return None
    rows: list[list[InlineKeyboardButton]] = []
    if s in (ReportState.SUBMITTED, ReportState.RECEIVED):
        rows.append([b("btn_claim", "claim")])
    elif s is ReportState.CLAIMED:
        rows.append([b("btn_dispatch", "dispatch")])
    elif s is ReportState.DISPATCHED:
        rows.append([b("btn_en_route", "en_route"), b("btn_on_scene", "on_scene")])
    elif s is ReportState.EN_ROUTE:
        rows.append([b("btn_on_scene", "on_scene")])
    elif s is ReportState.ON_SCENE:
        rows.append(
            [
                InlineKeyboardButton(
                    close_button_text(lang, Disposition.RESOLVED),
                    callback_data=CardAction(report=rid, action="resolve").pack(),
                )
            ]
        )
    if state.possible_duplicate_of and not snap.is_closed:
        rows.append(
            [
                InlineKeyboardButton(
                    close_button_text(lang, Disposition.DUPLICATE, state.possible_duplicate_of),
                    callback_data=PickDisposition(
                        report=rid, disposition=Disposition.DUPLICATE
                    ).pack(),
                )
            ]
        )
    rows.append([b("btn_close", "close")])
    return InlineKeyboardMarkup(rows)


def agency_keyboard(
    state: CardState, lang: Language, routing: Routing, suggested: str | None
) -> InlineKeyboardMarkup:
    """All agencies, the suggested one first."""
    rid = state.report.id
    rows = [
        [
            InlineKeyboardButton(
                ("⭐ " if a.key == suggested else "") + a.short_name,
                callback_data=PickAgency(report=rid, agency=a.key).pack(),
            )
        ]
        for a in routing.agencies_ordered(suggested)
    ]
    rows.append(
        [
            InlineKeyboardButton(
                t(lang, "btn_back"), callback_data=CardAction(report=rid, action="back").pack()
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


CLOSE_BUTTONS: tuple[Disposition, ...] = (
    Disposition.RESOLVED,
    Disposition.TRANSFERRED,
    Disposition.FALSE_ALARM,
    Disposition.PRANK,
    Disposition.NO_FURTHER_ACTION,
)
DISPOSITION_ICON: dict[Disposition, str] = {
    Disposition.RESOLVED: "✅",
    Disposition.DUPLICATE: "🔁",
    Disposition.FALSE_ALARM: "🚫",
    Disposition.PRANK: "🤡",
    Disposition.NO_FURTHER_ACTION: "➖",
}


def close_button_text(lang: Language, disposition: Disposition, other: str = "") -> str:
    """A closing button: icon and the disposition's name; the transfer button says where."""
    if disposition is Disposition.TRANSFERRED:
        return t(lang, "btn_lapor")
    return f"{DISPOSITION_ICON[disposition]} {disposition_label(lang, disposition, other=other)}"


def close_keyboard(state: CardState, lang: Language) -> InlineKeyboardMarkup:
    """Closing reasons possible in the report's state."""
    rid = state.report.id
    allowed = lifecycle.allowed_dispositions(state.snapshot.state)
    rows = [
        [
            InlineKeyboardButton(
                close_button_text(lang, d),
                callback_data=PickDisposition(report=rid, disposition=d).pack(),
            )
        ]
        for d in CLOSE_BUTTONS
        if d in allowed
    ]
    if state.possible_duplicate_of and Disposition.DUPLICATE in allowed:
        rows.insert(
            0,
            [
                InlineKeyboardButton(
                    close_button_text(lang, Disposition.DUPLICATE, state.possible_duplicate_of),
                    callback_data=PickDisposition(
                        report=rid, disposition=Disposition.DUPLICATE
                    ).pack(),
                )
            ],
        )
    rows.append(
        [
            InlineKeyboardButton(
                t(lang, "btn_back"), callback_data=CardAction(report=rid, action="back").pack()
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


class CardRenderer:
    """Renders cards and builds the outbound messages of every change, from settings."""

    def __init__(self, settings: Settings, routing: Routing, city: CityMap | None = None) -> None:
        self.settings = settings
        self.routing = routing
        self.city = city or CityMap.load()
        self.lang: Language = settings.dispatch_language
        assert settings.dispatch_chat_id is not None
        self.chat: int = settings.dispatch_chat_id

    def suggested_agency(self, report: Report) -> str:
        """The agency the routing table suggests for the report (per kecamatan if set)."""
        kecamatan = report.location.kecamatan if report.location else None
        return self.routing.agency_for(report.category, kecamatan).key

    def nearest(self, report: Report) -> str | None:
        """Nearest fire station, hospital and police post, straight-line, honest if approximate."""
        loc = report.location
        if loc is None or loc.lat is None or loc.lon is None:
            return None
        found = self.city.nearest_facilities(loc.lat, loc.lon).found()
        parts = []
        for near in found:
            icon = FACILITY_ICON.get(near.facility.kind.value, "•")
            approx = f" ({t(self.lang, 'card_approx_mark')})" if near.approximate else ""
            km = f"{near.distance_m / 1000:.1f}"
            if self.lang == "id":
                km = km.replace(".", ",")
            parts.append(f"{icon} {esc(near.facility.short_name)} ~{km} km{approx}")
        return " · ".join(parts) or None

    def card_text(
        self, state: CardState, now: datetime, *, redact: bool = False
    ) -> tuple[str, list[str]]:
        """Card HTML (report + status) and the continuation messages.

        ``redact`` leaves out who reported (agency copies of an anonymous report).
        """
        suggested = agency_name(self.routing, self.suggested_agency(state.report))
        block, more = report_block(
            state.report,
            state.reporter,
            self.lang,
            self.settings.tz,
            suggested,
            self.nearest(state.report),
            redact=redact,
        )
        status = status_block(
            state,
            self.lang,
            self.settings.tz,
            now,
            self.routing,
            self.settings.response_target_minutes,
        )
        return block + "\n\n" + status, more

    def keyboard(self, state: CardState) -> InlineKeyboardMarkup | None:
        """The card's buttons."""
        return card_keyboard(state, self.lang)

    def _prio(self, state: CardState) -> int:
        return delivery_priority(state.report.category, to_dispatch=True, sos=state.report.sos)

    def digest(self, states: list[CardState], now: datetime) -> OutboundMessage:
        """Several new reports in one message, a button per ticket to open its card."""
        lines = [t(self.lang, "digest_title", count=len(states))]
        rows = []
        for state in states:
            r = state.report
            icon = "🆘" if r.sos else info(r.category).icon
            label = esc(category_label(self.lang, r.category))
            where = ""
            if r.location is not None:
                where = r.location.kecamatan or (r.location.text or "")[:40]
            lines.append(
                f"{icon} <code>{r.ticket}</code> · {label}"
                + (f" · {esc(where)}" if where else "")
                + f" · {r.submitted_at.astimezone(self.settings.tz):%H:%M}"
            )
            rows.append(
                [
                    InlineKeyboardButton(
                        t(self.lang, "btn_expand", ticket=r.ticket),
                        callback_data=ExpandCard(report=r.id).pack(),
                    )
                ]
            )
        return OutboundMessage(
            self.chat,
            "send_message",
            {
                "text": "\n".join(lines),
                "parse_mode": "HTML",
                "reply_markup": InlineKeyboardMarkup(rows).to_dict(),
            },
            role="digest",
            priority=max(self._prio(s) for s in states),
        )

    def expanded(self, state: CardState, now: datetime) -> list[OutboundMessage]:
        """A report's full card, opened from a digest (everything but the receipt)."""
        return [m for m in self.on_submit(state, now) if m.role in ("card", "card_extra")]

    def on_submit(self, state: CardState, now: datetime) -> list[OutboundMessage]:
        """Card, pin (reply to the card), continuation, media, and the reporter's receipt."""
        report, chat, prio = state.report, self.chat, self._prio(state)
        text, continuation = self.card_text(state, now)
        markup = self.keyboard(state)

        def extra(method: str, payload: dict[str, Any]) -> OutboundMessage:
            return OutboundMessage(
                chat,
                method,
                payload,
                role="card_extra",
                priority=prio,
                report_id=report.id,
                reply_to_key="card",
            )

        card_payload: dict[str, Any] = {"text": text, "parse_mode": "HTML"}
        if markup is not None:
            card_payload["reply_markup"] = markup.to_dict()
        out = [
            OutboundMessage(
                chat,
                "send_message",
                card_payload,
                role="card",
                priority=prio,
                report_id=report.id,
                key="card",
            )
        ]
        loc = report.location
        if loc is not None and loc.lat is not None and loc.lon is not None:
            if loc.source is LocationSource.VENUE and loc.text:
                title, _, address = loc.text.partition("\n")
                out.append(
                    extra(
                        "send_venue",
                        {
                            "latitude": loc.lat,
                            "longitude": loc.lon,
                            "title": title[:256] or report.ticket,
                            "address": address[:256] or report.ticket,
                        },
                    )
                )
            else:
                pin: dict[str, Any] = {"latitude": loc.lat, "longitude": loc.lon}
                if loc.accuracy_m is not None:
                    pin["horizontal_accuracy"] = min(loc.accuracy_m, 1500.0)
                out.append(extra("send_location", pin))
        out.extend(extra("send_message", {"text": p, "parse_mode": "HTML"}) for p in continuation)
        total = len(report.attachments)
        for n, attachment in enumerate(report.attachments, start=1):
            method, field = MEDIA_METHOD[attachment.kind]
            media: dict[str, Any] = {field: attachment.file_id}
            if attachment.kind is not AttachmentKind.VIDEO_NOTE:
                media["caption"] = f"{esc(report.ticket)} · {n}/{total}"
                media["parse_mode"] = "HTML"
            out.append(extra(method, media))
        if report.sos:
            out.append(sos_receipt(state))
        else:
            receipt = self.to_reporter(
                state, t(report.language, "receipt", ticket=report.ticket), "receipt"
            )
            # The main menu comes back with the receipt: the SOS button stays at hand.
            receipt.payload["reply_markup"] = main_menu(report.language).to_dict()
            out.append(receipt)
        return out

    def media_under_card(
        self, state: CardState, attachments: list[Attachment], caption: str | None = None
    ) -> list[OutboundMessage]:
        """Files added after sending, posted by file id as replies to the card."""
        out = []
        for attachment in attachments:
            method, field = MEDIA_METHOD[attachment.kind]
            payload: dict[str, Any] = {field: attachment.file_id}
            if caption and attachment.kind is not AttachmentKind.VIDEO_NOTE:
                payload["caption"] = caption[:1000]
                payload["parse_mode"] = "HTML"
            out.append(
                OutboundMessage(
                    self.chat,
                    method,
                    payload,
                    role="card_extra",
                    priority=self._prio(state),
                    report_id=state.report.id,
                    reply_to_outbox_id=state.card_outbox_id,
                )
            )
        return out

    def to_reporter(self, state: CardState, text: str, role: str = "notice") -> OutboundMessage:
        """A message to the reporter's private chat."""
        return OutboundMessage(
            state.report.chat_id,
            "send_message",
            {"text": text, "parse_mode": "HTML"},
            role=role,
            priority=delivery_priority(state.report.category, to_dispatch=False),
            report_id=state.report.id,
        )

    def to_group(self, state: CardState, text: str, role: str = "group_notice") -> OutboundMessage:
        """A message in the dispatchers' group, as a reply to the report's card."""
        return OutboundMessage(
            self.chat,
            "send_message",
            {"text": text, "parse_mode": "HTML"},
            role=role,
            priority=self._prio(state),
            report_id=state.report.id,
            reply_to_outbox_id=state.card_outbox_id,
        )

    def on_live_update(self, state: CardState, now: datetime) -> list[OutboundMessage]:
        """The reporter's live location moved: the card follows."""
        return self.card_edit(state, now)

    def card_edit(self, state: CardState, now: datetime) -> list[OutboundMessage]:
        """Redraw the card in place (status, timeline, keyboard), and every agency copy."""
        out: list[OutboundMessage] = []
        if state.card_outbox_id is not None:
            text, _ = self.card_text(state, now)
            out.append(
                self._edit(state, self.chat, state.card_outbox_id, text, self.keyboard(state))
            )
        for outbox_id, chat_id in state.agency_cards:
            agency = self.routing.agency_by_chat(chat_id)
            if agency is not None:
                text = self.agency_card_text(state, agency, now)
                out.append(
                    self._edit(state, chat_id, outbox_id, text, officer_keyboard(state, self.lang))
                )
        return out

    def _edit(
        self,
        state: CardState,
        chat_id: int,
        outbox_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None,
    ) -> OutboundMessage:
        payload: dict[str, Any] = {"text": text, "parse_mode": "HTML"}
        if markup is not None:  # an edit without reply_markup removes the buttons
            payload["reply_markup"] = markup.to_dict()
        return OutboundMessage(
            chat_id,
            "edit_message_text",
            payload,
            role="card_edit",
            priority=self._prio(state),
            report_id=state.report.id,
            edit_outbox_id=outbox_id,
        )

    def agency_card_text(self, state: CardState, agency: Agency, now: datetime) -> str:
        """The card as an agency's officers see it (no identity when the reporter asked)."""
        text, _ = self.card_text(state, now, redact=state.report.anonymous_to_agencies)
        return t(self.lang, "agency_card_title", agency=esc(agency.short_name)) + "\n\n" + text

    def agency_copy(self, state: CardState, agency: Agency, now: datetime) -> list[OutboundMessage]:
        """An agency with its own group gets the card, with its officers' buttons, and a pin."""
        assert agency.chat_id is not None
        payload: dict[str, Any] = {
            "text": self.agency_card_text(state, agency, now),
            "parse_mode": "HTML",
        }
        markup = officer_keyboard(state, self.lang)
        if markup is not None:
            payload["reply_markup"] = markup.to_dict()
        if agency.topic_id is not None:
            payload["message_thread_id"] = agency.topic_id
        out = [
            OutboundMessage(
                agency.chat_id,
                "send_message",
                payload,
                role="agency_card",
                priority=self._prio(state),
                report_id=state.report.id,
                key="agency_card",
            )
        ]
        loc = state.report.location
        if loc is not None and loc.lat is not None and loc.lon is not None:
            pin: dict[str, Any] = {"latitude": loc.lat, "longitude": loc.lon}
            if agency.topic_id is not None:
                pin["message_thread_id"] = agency.topic_id
            out.append(
                OutboundMessage(
                    agency.chat_id,
                    "send_location",
                    pin,
                    role="agency_extra",
                    priority=self._prio(state),
                    report_id=state.report.id,
                    reply_to_key="agency_card",
                )
            )
        return out

    def on_transition(
        self, state: CardState, step: lifecycle.Transition, now: datetime
    ) -> list[OutboundMessage]:
        """Card redraw, and the reporter told in their language."""
        out = self.card_edit(state, now)
        lang, ticket, snap = state.report.language, state.report.ticket, step.snapshot
        kind = step.event.kind
        if kind is EventKind.CLAIMED:
            out.append(self.to_reporter(state, t(lang, "notice_claimed", ticket=ticket)))
        elif kind is EventKind.DISPATCHED:
            agency = esc(self.routing.agency(snap.agency).name if snap.agency else "")
            out.append(
                self.to_reporter(state, t(lang, "notice_dispatched", ticket=ticket, agency=agency))
            )
        if kind in (EventKind.DISPATCHED, EventKind.DISPATCH_ADDED):
            key = str(step.event.data.get("agency") or "")
            target = self.routing.agency(key) if key else None
            if target is not None and target.chat_id is not None:
                out.extend(self.agency_copy(state, target, now))
        elif kind is EventKind.EN_ROUTE:
            out.append(self.to_reporter(state, t(lang, "notice_en_route", ticket=ticket)))
        elif kind is EventKind.ON_SCENE:
            out.append(self.to_reporter(state, t(lang, "notice_on_scene", ticket=ticket)))
        elif kind is EventKind.CLOSED and snap.disposition is not None:
            reason = t(
                lang,
                "notice_reason_" + snap.disposition.value,
                other=esc(snap.duplicate_of or ""),
                target=esc(snap.transfer_to or ""),
            )
            text = t(lang, "notice_closed", ticket=ticket, disposition=reason)
            if snap.disposition is Disposition.PRANK:
                max_strikes = self.settings.max_prank_strikes
                if state.strikes >= max_strikes:
                    text += "\n\n" + t(lang, "notice_blocked", strikes=state.strikes)
                else:
                    text += "\n\n" + t(
                        lang, "notice_strikes_left", left=max_strikes - state.strikes
                    )
            out.append(self.to_reporter(state, text))
            out.extend(rating_request(state, step))
            if snap.disposition is Disposition.CANCELLED_BY_REPORTER:
                out.append(
                    self.to_group(state, t(self.lang, "group_reporter_cancelled", ticket=ticket))
                )
        return out

    def on_draft_expired(self, draft: Draft, lang: Language, minutes: int) -> list[OutboundMessage]:
        """An unsent draft expired: its reporter is told (with the main menu back)."""
        return [
            OutboundMessage(
                draft.chat_id,
                "send_message",
                {
                    "text": t(lang, "draft_expired", minutes=minutes),
                    "parse_mode": "HTML",
                    "reply_markup": main_menu(lang).to_dict(),
                },
                role="notice",
                priority=5,
            )
        ]

    def on_alert(self, state: CardState, alert: Alert, now: datetime) -> list[OutboundMessage]:
        """A reminder in the group (a reply to the card); the overdue flag redraws the card."""
        start = state.snapshot.received_at or state.report.submitted_at
        minutes = _minutes(start, now)
        if alert.kind is AlertKind.UNCLAIMED_REMINDER:
            text = t(self.lang, "alert_unclaimed", ticket=state.report.ticket, minutes=minutes)
            return [self.to_group(state, text, role="alert")]
        text = t(
            self.lang,
            "alert_overdue",
            ticket=state.report.ticket,
            minutes=minutes,
            target=f"{self.settings.response_target_minutes:g}",
        )
        return [*self.card_edit(state, now), self.to_group(state, text, role="alert")]


def sos_category_keyboard(report_id: int, lang: Language) -> InlineKeyboardMarkup:
    """What happened: the categories, "for someone else", and skip."""
    buttons = [
        InlineKeyboardButton(
            f"{info(c).icon} {category_label(lang, c)}",
            callback_data=SosAnswer(report=report_id, choice=c.value).pack(),
        )
        for c in CHOOSABLE
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(
        [
            InlineKeyboardButton(
                t(lang, "btn_for_someone_else"),
                callback_data=SosAnswer(report=report_id, choice="witness").pack(),
            ),
            InlineKeyboardButton(
                t(lang, "btn_skip"), callback_data=SosAnswer(report=report_id, choice="skip").pack()
            ),
        ]
    )
    return InlineKeyboardMarkup(rows)


def sos_receipt(state: CardState) -> OutboundMessage:
    """The SOS reporter's receipt, which asks the first follow-up question."""
    report = state.report
    return OutboundMessage(
        report.chat_id,
        "send_message",
        {
            "text": t(report.language, "sos_receipt", ticket=report.ticket),
            "parse_mode": "HTML",
            "reply_markup": sos_category_keyboard(report.id, report.language).to_dict(),
        },
        role="receipt",
        priority=delivery_priority(report.category, to_dispatch=False),
        report_id=report.id,
    )
