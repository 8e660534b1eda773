"""The dispatch card: its text (report, status, timeline, clock), its keyboard per state,
and every outbound message a submission, a transition or a timer alert produces.

The card's first part (the report) never changes; the status block below it is redrawn
on every change. A fixed budget is kept for that block, so a long description splits
into the same continuation messages whatever the status says.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.config import Settings
from bot.domain import lifecycle
from bot.domain.card import CardState
from bot.domain.categories import delivery_priority, info
from bot.domain.chats import ChatMoves, LostTopics
from bot.domain.geo import CityMap
from bot.domain.lifecycle import Disposition, EventKind
from bot.domain.messages import OutboundMessage
from bot.domain.models import (
    Attachment,
    AttachmentKind,
    Draft,
    Language,
    LocationSource,
    Report,
)
from bot.domain.queue import report_queue_key
from bot.domain.routing import Agency, Routing
from bot.domain.strikes import is_blocked, strikes_left
from bot.domain.timers import Alert, AlertKind
from handlers.callback_data import (
    ExpandCard,
)
from handlers.views.card_keyboards import card_keyboard, officer_keyboard
from handlers.views.card_text import (
    FACILITY_ICON,
    _minutes,
    agency_name,
    report_block,
    status_block,
)
from handlers.views.handover import handover_notice
from handlers.views.keyboards import main_menu
from handlers.views.rating import rating_request
from handlers.views.render import (
    esc,
)
from handlers.views.sos import sos_ack
from handlers.views.texts import category_label, t
from handlers.views.trust import prank_notes

NOT_RECEIVED_ROLE = "not_received"  # storage.receipts.WARNING_ROLE
NOT_RECEIVED_PRIORITY = 15  # after cards (one due now makes it moot), before other notices

MEDIA_METHOD = {
    AttachmentKind.PHOTO: ("send_photo", "photo"),
    AttachmentKind.VOICE: ("send_voice", "voice"),
    AttachmentKind.VIDEO: ("send_video", "video"),
    AttachmentKind.VIDEO_NOTE: ("send_video_note", "video_note"),
    AttachmentKind.DOCUMENT: ("send_document", "document"),
}


def location_pin(report: Report) -> tuple[str, dict[str, Any]] | None:
    """The native location (or venue) message shown under a card, if the report has a point."""
    loc = report.location
    if loc is None or loc.lat is None or loc.lon is None:
        return None
    if loc.source is LocationSource.VENUE and loc.text:
        title, _, address = loc.text.partition("\n")
        return "send_venue", {
            "latitude": loc.lat,
            "longitude": loc.lon,
            "title": title[:256] or report.ticket,
            "address": address[:256] or report.ticket,
        }
    pin: dict[str, Any] = {"latitude": loc.lat, "longitude": loc.lon}
    if loc.accuracy_m is not None:
        pin["horizontal_accuracy"] = min(loc.accuracy_m, 1500.0)
    return "send_location", pin


def media_payloads(report: Report) -> list[tuple[str, dict[str, Any]]]:
    """A report's attachments as send calls, each captioned with the ticket and n/total."""
    total = len(report.attachments)
    out = []
    for n, attachment in enumerate(report.attachments, start=1):
        method, field = MEDIA_METHOD[attachment.kind]
        media: dict[str, Any] = {field: attachment.file_id}
        if attachment.kind is not AttachmentKind.VIDEO_NOTE:
            media["caption"] = f"{esc(report.ticket)} · {n}/{total}"
            media["parse_mode"] = "HTML"
        out.append((method, media))
    return out


class CardRenderer:
    """Renders cards and builds the outbound messages of every change, from settings."""

    def __init__(
        self,
        settings: Settings,
        routing: Routing,
        city: CityMap | None = None,
        chats: ChatMoves | None = None,
        topics: LostTopics | None = None,
    ) -> None:
        self.settings = settings
        self.routing = routing
        self.city = city or CityMap.load()
        self.chats = chats or ChatMoves()
        self.topics = topics or LostTopics()
        self.lang: Language = settings.dispatch_language
        assert settings.dispatch_chat_id is not None
        self._dispatch_chat = settings.dispatch_chat_id

    @property
    def chat(self) -> int:
        """The dispatch chat, where it lives now (a group upgraded to a supergroup moves)."""
        return self.chats.current(self._dispatch_chat)

    def card_place(self, state: CardState) -> tuple[int, int | None]:
        """The chat (where it lives now) and forum topic of a report's card: where it was
        sent — or, for a new card, the luar-kota chat or topic when the routing file gives
        reports from outside the city one, else the dispatch chat (and DISPATCH_TOPIC_ID)."""
        route = self.routing.outside_city
        outside = state.report.location is not None and state.report.location.outside_city
        place: tuple[int, int | None] = (self.chat, self.settings.dispatch_topic_id)
        if route is not None and outside:
            chat = self.chat if route.chat_id is None else self.chats.current(route.chat_id)
            place = (chat, route.topic_id)
        if state.card_chat_id is not None:
            chat = self.chats.current(state.card_chat_id)
            if not self.chats.same(chat, place[0]):
                place = (chat, self.settings.dispatch_topic_id if chat == self.chat else None)
        return place

    def in_place(
        self, state: CardState, payload: dict[str, Any], *, top_level: bool = False
    ) -> tuple[int, dict[str, Any]]:
        """The card's chat, and the payload: a new message at the top level (the card, a
        digest) goes into the card's topic (General if Telegram refused it); a reply to the
        card follows the card wherever it is."""
        chat, topic = self.card_place(state)
        payload = dict(payload)
        if top_level:
            self.in_topic(payload, chat, topic)
        return chat, payload

    def agency_chat(self, agency: Agency) -> int:
        """An agency's own group where it lives now (the dispatch chat for an agency with
        only a ``topic_id`` there)."""
        if agency.chat_id is None:
            return self.chat
        return self.chats.current(agency.chat_id)

    def in_topic(self, payload: dict[str, Any], chat_id: int, thread_id: int | None) -> None:
        """Aim a new message at a forum topic, unless Telegram refused that topic (deleted
        or closed): then it goes to General."""
        if thread_id is not None and self.topics.usable(chat_id, thread_id):
            payload["message_thread_id"] = thread_id

    def agency_of_copy(
        self, chat_id: int, thread_id: int | None, dispatched: tuple[str, ...] = ()
    ) -> Agency | None:
        """The agency a copy in this chat (and topic) is for. A copy that went to General
        because its topic was refused is known only when one topic-only agency of the
        ``dispatched`` ones can have sent it."""
        agency = self.routing.agency_by_chat(self.chats.original(chat_id))
        if agency is None and self.chats.same(chat_id, self.chat):
            agency = self.routing.agency_by_topic(thread_id)
            if agency is None and thread_id is None and dispatched:
                topical = [
                    a
                    for a in self.routing.agencies()
                    if a.chat_id is None and a.topic_id is not None and a.key in dispatched
                ]
                agency = topical[0] if len(topical) == 1 else None
        return agency

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
        """Several new reports in one message, a button per ticket to open its card; in
        queue order (:func:`bot.domain.queue.report_queue_key`: most urgent, then trusted
        reporters ✅, then oldest)."""
        lines = [t(self.lang, "digest_title", count=len(states))]
        rows = []
        for state in sorted(states, key=lambda s: report_queue_key(s.report)):
            r = state.report
            icon = ("🆘" if r.sos else info(r.category).icon) + (" ✅" if r.badge else "")
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
        chat, payload = self.in_place(
            states[0],
            {
                "text": "\n".join(lines),
                "parse_mode": "HTML",
                "reply_markup": InlineKeyboardMarkup(rows).to_dict(),
            },
            top_level=True,
        )
        return OutboundMessage(
            chat,
            "send_message",
            payload,
            role="digest",
            priority=max(self._prio(s) for s in states),
        )

    def reminder_board(
        self, chat_id: int, first: dict[str, object], texts: list[str], total: int
    ) -> OutboundMessage:
        """Several reminders and alerts waiting for a busy group: one message listing them
        (in the first one's forum topic)."""
        payload: dict[str, object] = {
            "text": "\n".join([t(self.lang, "reminders_title", count=total), *texts]),
            "parse_mode": "HTML",
        }
        if "message_thread_id" in first:
            payload["message_thread_id"] = first["message_thread_id"]
        return OutboundMessage(chat_id, "send_message", payload, role="reminders", priority=5)

    def relay_batch(self, state: CardState, texts: list[str]) -> OutboundMessage:
        """A reporter's relayed messages that piled up for a busy group, as one message
        under the card."""
        title = t(self.lang, "relays_more", count=len(texts), ticket=state.report.ticket)
        message = self.to_group(state, "\n\n".join([title, *texts]), role="relays")
        message.priority = min(message.priority, 10)
        return message

    def expanded(self, state: CardState, now: datetime) -> list[OutboundMessage]:
        """A report's full card, opened from a digest (everything but the receipt)."""
        return [m for m in self.on_submit(state, now) if m.role in ("card", "card_extra")]

    def on_submit(self, state: CardState, now: datetime) -> list[OutboundMessage]:
        """Card, pin (reply to the card), continuation, media, and the reporter's receipt."""
        report, prio = state.report, self._prio(state)
        text, continuation = self.card_text(state, now)
        markup = self.keyboard(state)

        def extra(method: str, payload: dict[str, Any]) -> OutboundMessage:
            chat, payload = self.in_place(state, payload)
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
        chat, card_payload = self.in_place(state, card_payload, top_level=True)
        card = OutboundMessage(
            chat,
            "send_message",
            card_payload,
            role="card",
            priority=prio,
            report_id=report.id,
            key="card",
        )
        pin = location_pin(report)
        return [
            card,
            *([extra(*pin)] if pin else []),
            *(extra("send_message", {"text": p, "parse_mode": "HTML"}) for p in continuation),
            *(extra(method, media) for method, media in media_payloads(report)),
            *self._receipts(state),
        ]

    def _receipts(self, state: CardState) -> list[OutboundMessage]:
        """The reporter's receipt, held until the card is in the group; an SOS reporter is
        also answered at once (ticket and the first question) so that they never wait in
        silence while the card is on its way."""
        report = state.report
        receipt = self.to_reporter(
            state, t(report.language, "receipt", ticket=report.ticket), "receipt"
        )
        if report.sos:  # the follow-up questions are under way: no menu in between
            return [sos_ack(state), receipt]
        # The main menu comes back with the receipt: the SOS button stays at hand.
        receipt.payload["reply_markup"] = main_menu(report.language).to_dict()
        return [receipt]

    def not_received(self, state: CardState) -> OutboundMessage:
        """The reporter told that the report has not reached the dispatchers yet: phone 112
        now (the receipt follows once it does)."""
        report = state.report
        msg = self.to_reporter(
            state,
            t(report.language, "not_received_call_112", ticket=report.ticket),
            NOT_RECEIVED_ROLE,
        )
        msg.priority = NOT_RECEIVED_PRIORITY
        return msg

    def media_under_card(
        self, state: CardState, attachments: list[Attachment], caption: str | None = None
    ) -> list[OutboundMessage]:
        """Files added after sending, posted by file id as replies to the card."""
        out = []
        for attachment in attachments:
            method, field = MEDIA_METHOD[attachment.kind]
            payload: dict[str, Any] = {field: attachment.file_id}
            if caption and attachment.kind is not AttachmentKind.VIDEO_NOTE:
                payload["caption"] = caption  # fitted by the caller (views.relay)
                payload["parse_mode"] = "HTML"
            chat, payload = self.in_place(state, payload)
            out.append(
                OutboundMessage(
                    chat,
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
        chat, payload = self.in_place(state, {"text": text, "parse_mode": "HTML"})
        return OutboundMessage(
            chat,
            "send_message",
            payload,
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
            chat, _topic = self.card_place(state)
            out.append(self._edit(state, chat, state.card_outbox_id, text, self.keyboard(state)))
            if state.card_chat_id is not None:
                for message_id in state.lost_copies:  # an earlier copy, found later
                    edit = self._edit(state, state.card_chat_id, None, text, self.keyboard(state))
                    edit.payload["message_id"] = message_id
                    out.append(edit)
        for outbox_id, chat_id, thread_id in state.agency_cards:
            agency = self.agency_of_copy(chat_id, thread_id, tuple(state.snapshot.agencies))
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
        outbox_id: int | None,
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
        """An agency with its own group (or its own topic of the dispatch chat) gets the
        card, with its officers' buttons, and a pin."""
        chat = self.agency_chat(agency)
        payload: dict[str, Any] = {
            "text": self.agency_card_text(state, agency, now),
            "parse_mode": "HTML",
        }
        markup = officer_keyboard(state, self.lang)
        if markup is not None:
            payload["reply_markup"] = markup.to_dict()
        self.in_topic(payload, chat, agency.topic_id)
        out = [
            OutboundMessage(
                chat,
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
            self.in_topic(pin, chat, agency.topic_id)
            out.append(
                OutboundMessage(
                    chat,
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
            if target is not None and (target.chat_id is not None or target.topic_id is not None):
                out.extend(self.agency_copy(state, target, now))
        elif kind is EventKind.REASSIGNED:
            out.append(self.to_group(state, handover_notice(state, step.event, self.lang)))
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
            group_note = None
            if snap.disposition is Disposition.PRANK and state.report.badge is not None:
                note, group_note = prank_notes(state, self.lang)  # no strike: role suspended
                text += "\n\n" + note
            elif snap.disposition is Disposition.PRANK:
                policy = self.settings.strike_policy
                if is_blocked(state.strikes, policy):
                    text += "\n\n" + t(lang, "notice_blocked", strikes=state.strikes)
                else:
                    left = strikes_left(state.strikes, policy)
                    text += "\n\n" + t(lang, "notice_strikes_left", left=left)
            out.append(self.to_reporter(state, text))
            if group_note is not None:
                out.append(self.to_group(state, group_note))
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
            return [self.to_group(state, text, role="reminder")]
        text = t(
            self.lang,
            "alert_overdue",
            ticket=state.report.ticket,
            minutes=minutes,
            target=f"{self.settings.response_target_minutes:g}",
        )
        return [*self.card_edit(state, now), self.to_group(state, text, role="alert")]
