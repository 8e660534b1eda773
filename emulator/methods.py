"""Bot API method implementations on top of :class:`emulator.world.BotWorld`.

Every method takes decoded request :class:`Params` and returns the ``result`` value of a
successful answer, or raises :class:`emulator.world.ApiError` with Telegram's wording.
All methods except ``getUpdates`` are synchronous, so each one is atomic with respect to
the event loop (no other request can interleave with it).

The HTTP layer, fault injection and flood limits live in :mod:`emulator.server`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from emulator import groups
from emulator.formatting import EntityParseError, parse_text, utf16_len
from emulator.world import (
    ALL_UPDATE_TYPES,
    DEFAULT_ALLOWED_UPDATES,
    JSON,
    TOPIC_COLORS,
    ApiError,
    BotWorld,
    ChatRecord,
    FileRecord,
    ForumError,
    StoredMessage,
    TopicRecord,
    Upload,
    bad_request,
    member_json,
    migrated_error,
)

__all__ = [
    "EDIT_METHODS",
    "SEND_METHODS",
    "EmulatorOptions",
    "MethodHandlers",
    "Params",
    "bot_member_json",
    "build_poll",
]

SEND_METHODS = frozenset(
    {
        "sendMessage",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "sendPhoto",
        "sendVoice",
        "sendVideo",
        "sendDocument",
        "sendAudio",
        "sendAnimation",
        "sendSticker",
        "sendVideoNote",
        "sendMediaGroup",
        "sendPoll",
        "sendDice",
        "copyMessage",
        "forwardMessage",
    }
)
EDIT_METHODS = frozenset(
    {
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
        "editMessageLiveLocation",
        "stopMessageLiveLocation",
    }
)

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_CALLBACK_ANSWER = 200
_MEDIA_KINDS = ("photo", "video", "document", "audio", "voice", "animation")
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_COPY_SKIP = frozenset(
    {
        "message_id",
        "from",
        "chat",
        "date",
        "reply_to_message",
        "reply_markup",
        "edit_date",
        "message_thread_id",
        "is_topic_message",
        "forward_origin",
        "has_protected_content",
        "media_group_id",
        "author_signature",
        "sender_chat",
        "is_automatic_forward",
    }
)


@dataclass(slots=True)
class EmulatorOptions:
    """Behaviour switches shared by all bots of one server (changeable at runtime)."""

    strict_ampersand: bool = True  # reject a bare "&" in HTML (Telegram itself accepts it)


class Params:
    """Request parameters from query string, form, multipart or JSON body.

    Python-telegram-bot sends strings raw and every other value JSON-encoded, so values
    are decoded on access according to the type the method expects.
    """

    __slots__ = ("raw",)

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw

    def get(self, name: str) -> Any:
        return self.raw.get(name)

    def text(self, name: str) -> str | None:
        value = self.raw.get(name)
        if value is None:
            return None
        if isinstance(value, Upload):
            raise bad_request(f"{name} must be a string")
        if isinstance(value, str):
            return value
        return json.dumps(value) if isinstance(value, dict | list) else str(value)

    def integer(self, name: str) -> int | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            try:
                number = float(str(value))
            except ValueError:
                raise bad_request(f"invalid {name} specified") from None
            if not number.is_integer():
                raise bad_request(f"invalid {name} specified") from None
            return int(number)

    def number(self, name: str) -> float | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, int | float):
            return float(value)
        try:
            return float(str(value))
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        value = self.raw.get(name)
        if isinstance(value, bool):
            return value
        if value is None:
            return False
        return str(value).strip().lower() in ("true", "1", "yes")

    def json(self, name: str) -> Any:
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
        if isinstance(value, Upload):
            raise bad_request(f"can't parse {name} JSON object")
        return value

    def recordable(self) -> JSON:
        """The parameters for the call log (file uploads replaced by a short description)."""
        out: JSON = {}
        for key, value in self.raw.items():
            if isinstance(value, Upload):
                out[key] = f"<upload {value.filename!r}>"
            else:
                out[key] = value
        return out


Handler = Callable[[Params], Any]


class MethodHandlers:
    """The Bot API methods for one :class:`BotWorld`."""

    def __init__(self, world: BotWorld, options: EmulatorOptions) -> None:
        self.world = world
        self.options = options
        table: dict[str, Handler] = {
            "getMe": self.get_me,
            "logOut": self.true,
            "close": self.true,
            "deleteWebhook": self.delete_webhook,
            "setWebhook": self.set_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "sendMessage": self.send_message,
            "sendLocation": self.send_location,
            "sendVenue": self.send_venue,
            "sendContact": self.send_contact,
            "sendPhoto": self._file_sender("photo"),
            "sendVoice": self._file_sender("voice"),
            "sendVideo": self._file_sender("video"),
            "sendDocument": self._file_sender("document"),
            "sendAudio": self._file_sender("audio"),
            "sendAnimation": self._file_sender("animation"),
            "sendSticker": self._file_sender("sticker"),
            "sendVideoNote": self._file_sender("video_note"),
            "sendMediaGroup": self.send_media_group,
            "sendPoll": self.send_poll,
            "sendDice": self.send_dice,
            "copyMessage": self.copy_message,
            "forwardMessage": self.forward_message,
            "editMessageText": self.edit_message_text,
            "editMessageCaption": self.edit_message_caption,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "editMessageLiveLocation": self.edit_message_live_location,
            "stopMessageLiveLocation": self.stop_message_live_location,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "setChatMenuButton": self.set_chat_menu_button,
            "getChatMenuButton": self.get_chat_menu_button,
            "getChat": self.get_chat,
            "getChatMember": self.get_chat_member,
            "getChatAdministrators": self.get_chat_administrators,
            "getChatMemberCount": self.get_chat_member_count,
            "sendChatAction": self.send_chat_action,
            "pinChatMessage": self.pin_chat_message,
            "unpinChatMessage": self.unpin_chat_message,
            "unpinAllChatMessages": self.unpin_all_chat_messages,
            "leaveChat": self.leave_chat,
            "createForumTopic": self.create_forum_topic,
            "editForumTopic": self.edit_forum_topic,
            "closeForumTopic": self.close_forum_topic,
            "reopenForumTopic": self.reopen_forum_topic,
            "deleteForumTopic": self.delete_forum_topic,
            "getFile": self.get_file,
            "setMyDescription": self._text_setting("description", "description"),
            "getMyDescription": self._text_getting("description", "description"),
            "setMyShortDescription": self._text_setting("short_description", "short_description"),
            "getMyShortDescription": self._text_getting("short_description", "short_description"),
            "setMyName": self._text_setting("name", "name"),
            "getMyName": self._text_getting("name", "name"),
        }
        self.table: dict[str, tuple[str, Handler]] = {
            name.lower(): (name, handler) for name, handler in table.items()
        }

    # ================================================================= helpers
    def canonical(self, method: str) -> str | None:
        """The official spelling of ``method`` (Telegram matches names case-insensitively)."""
        if method.lower() == "getupdates":
            return "getUpdates"
        entry = self.table.get(method.lower())
        return entry[0] if entry else None

    def resolve_chat(self, raw: Any) -> ChatRecord | None:
        """Find a chat by numeric id or ``@username``."""
        if isinstance(raw, str) and raw.startswith("@"):
            name = raw[1:].lower()
            for chat in self.world.chats.values():
                if chat.username and chat.username.lower() == name:
                    return chat
            return None
        try:
            chat_id = int(raw)
        except (TypeError, ValueError):
            return None
        return self.world.chats.get(chat_id)

    def peek_chat_id(self, params: Params) -> int | None:
        """The target chat of a request, if it names an existing one (for flood limits)."""
        chat = self.resolve_chat(params.get("chat_id"))
        return chat.id if chat else None

    def _chat(self, p: Params, name: str = "chat_id", *, check_access: bool = True) -> ChatRecord:
        raw = p.get(name)
        if raw is None or raw == "":
            raise bad_request(f"{name} is empty")
        chat = self.resolve_chat(raw)
        if chat is None:
            raise bad_request("chat not found")
        if chat.migrated_to is not None:
            raise migrated_error(chat.migrated_to)
        if check_access:
            self.check_access(chat)
        return chat

    def check_access(self, chat: ChatRecord) -> None:
        """Raise 403 when the bot may not write to ``chat``."""
        if chat.type == "private":
            user = chat.user
            if user is None:
                raise bad_request("chat not found")
            if user.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if not user.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            return
        kind = "supergroup chat" if chat.type == "supergroup" else f"{chat.type} chat"
        if chat.bot_status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {kind}")
        if chat.bot_status == "left":
            raise ApiError(403, f"Forbidden: bot is not a member of the {kind}")

    def _formatted(
        self, p: Params, field: str, entities_field: str, *, caption: bool
    ) -> tuple[str, list[JSON]]:
        raw = p.text(field) or ""
        parse_mode = p.text("parse_mode")
        entities = p.json(entities_field)
        if entities is not None and not (
            isinstance(entities, list)
            and all(
                isinstance(e, dict)
                and isinstance(e.get("type"), str)
                and isinstance(e.get("offset"), int)
                and isinstance(e.get("length"), int)
                for e in entities
            )
        ):
            raise bad_request(f"can't parse {entities_field} JSON object")
        try:
            text, parsed = parse_text(
                raw, parse_mode, entities, strict_ampersand=self.options.strict_ampersand
            )
        except EntityParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
        except ValueError:
            raise bad_request("unsupported parse_mode") from None
        length = utf16_len(text)
        if caption:
            if length > MAX_CAPTION:
                raise bad_request("message caption is too long")
        else:
            if not text:
                raise bad_request("message text is empty")
            if length > MAX_TEXT:
                raise bad_request("message is too long")
        return text, parsed

    def _caption_content(self, p: Params) -> JSON:
        caption, entities = self._formatted(p, "caption", "caption_entities", caption=True)
        content: JSON = {}
        if caption:
            content["caption"] = caption
            if entities:
                content["caption_entities"] = entities
        if p.flag("show_caption_above_media"):
            content["show_caption_above_media"] = True
        if p.flag("has_spoiler"):
            content["has_media_spoiler"] = True
        return content

    def _markup(self, p: Params) -> tuple[JSON | None, JSON | None]:
        """Validate ``reply_markup``; returns (inline markup stored on the message, raw)."""
        markup = p.json("reply_markup")
        if markup is None:
            return None, None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise bad_request("can't parse inline keyboard markup JSON object")
            clean_rows: list[list[JSON]] = []
            for row in rows:
                clean_row: list[JSON] = []
                for button in row:
                    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                        raise bad_request(
                            "can't parse inline keyboard button: Text is not a string"
                        )
                    clean_row.append(self._check_inline_button(button))
                if clean_row:
                    clean_rows.append(clean_row)
            clean = {"inline_keyboard": clean_rows}
            return (clean if clean_rows else None), clean
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise bad_request("can't parse reply keyboard markup JSON object")
            normal = dict(markup)
            normal["keyboard"] = [
                [{"text": b} if isinstance(b, str) else b for b in row] for row in rows
            ]
            for row in normal["keyboard"]:
                for button in row:
                    if not isinstance(button, dict) or not button.get("text"):
                        raise bad_request("can't parse keyboard button: Text must be non-empty")
            return None, normal
        if markup.get("remove_keyboard") or markup.get("force_reply"):
            return None, markup
        raise bad_request("can't parse reply keyboard markup JSON object")

    @staticmethod
    def _check_inline_button(button: JSON) -> JSON:
        if not button["text"]:
            raise bad_request("can't parse inline keyboard button: Text must be non-empty")
        actions = [
            k
            for k in (
                "url",
                "callback_data",
                "web_app",
                "login_url",
                "switch_inline_query",
                "switch_inline_query_current_chat",
                "switch_inline_query_chosen_chat",
                "copy_text",
                "callback_game",
                "pay",
            )
            if k in button
        ]
        if len(actions) != 1:
            raise bad_request(
                "can't parse inline keyboard button: Text buttons are unallowed in the inline "
                "keyboard"
            )
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                raise bad_request("BUTTON_DATA_INVALID")
        if "url" in button:
            url = button["url"]
            if not isinstance(url, str) or not re.match(r"(https?|tg)://\S+$", url):
                raise bad_request("BUTTON_URL_INVALID")
        return button

    def _reply(self, p: Params, chat: ChatRecord) -> tuple[JSON | None, StoredMessage | None]:
        """The reply fields and, for a reply in the same chat, the message replied to."""
        params = p.json("reply_parameters")
        allow = False
        target_chat = chat
        if isinstance(params, dict):
            message_id = params.get("message_id")
            allow = bool(params.get("allow_sending_without_reply"))
            if params.get("chat_id") is not None:
                other = self.resolve_chat(params["chat_id"])
                if other is None:
                    raise bad_request("chat not found")
                target_chat = other
        else:
            message_id = p.integer("reply_to_message_id")
            allow = p.flag("allow_sending_without_reply")
        if message_id is None:
            return None, None
        try:
            stored = target_chat.messages.get(int(message_id))
        except (TypeError, ValueError):
            raise bad_request("invalid reply_parameters specified") from None
        if stored is None or stored.deleted:
            if allow:
                return None, None
            raise bad_request("message to be replied not found")
        reply = {k: v for k, v in stored.data.items() if k != "reply_to_message"}
        if target_chat is not chat:
            external = {
                "origin": _origin(stored),
                "chat": target_chat.to_json(),
                "message_id": stored.message_id,
            }
            return {"external_reply": external}, None
        return {"reply_to_message": reply}, stored

    def _thread(self, p: Params, chat: ChatRecord, reply_to: StoredMessage | None) -> JSON:
        """Thread fields of a message the bot sends (see ``ChatRecord.thread_fields``).

        A closed topic refuses the bot unless it is an administrator allowed to manage
        topics (as Telegram's apps let such administrators write in closed topics).
        """
        thread_id = p.integer("message_thread_id")
        if chat.type == "private":
            return {} if thread_id is None else {"message_thread_id": thread_id}
        try:
            fields = chat.thread_fields(thread_id, reply_to)
        except ForumError as exc:
            raise bad_request(exc.text) from None
        topic = chat.topic_of(fields)
        if topic is not None and topic.closed and not chat.bot_can("can_manage_topics"):
            raise bad_request("TOPIC_CLOSED")
        return fields

    def _deliver(self, p: Params, chat: ChatRecord, content: JSON) -> StoredMessage:
        """Common tail of every send method: reply, markup, thread, then store."""
        reply, reply_to = self._reply(p, chat)
        inline, raw_markup = self._markup(p)
        data = self._thread(p, chat, reply_to)
        data.update(content)
        if reply:
            data.update(reply)
        if inline is not None:
            data["reply_markup"] = inline
        if p.flag("protect_content"):
            data["has_protected_content"] = True
        return self.world.add_message(
            chat, data, sender=self.world.bot_user, from_bot=True, sent_markup=raw_markup
        )

    def _file(self, p: Params, value: Any, kind: str) -> FileRecord:
        """Resolve an input file: upload, ``attach://name``, URL or existing file_id."""
        if isinstance(value, str) and value.startswith("attach://"):
            value = p.get(value[len("attach://") :])
            if value is None:
                raise bad_request("wrong file identifier/HTTP URL specified")
        if isinstance(value, Upload):
            data = value.data
            if not data:
                raise bad_request("file must be non-empty")
            return self.world.create_file(
                kind,
                data,
                mime_type=value.content_type
                if value.content_type != "application/octet-stream"
                else None,
                file_name=value.filename,
                duration=p.integer("duration"),
                width=p.integer("width"),
                height=p.integer("height"),
            )
        if not isinstance(value, str) or not value:
            raise bad_request(f"there is no {kind} in the request")
        if re.match(r"https?://", value):
            # The emulator has no internet: pretend the download worked.
            placeholder = value.encode()
            return self.world.create_file(kind, placeholder, file_name=value.rsplit("/", 1)[-1])
        record = self.world.files.get(value)
        if record is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if record.kind != kind and kind != "document":
            raise bad_request(
                f"can't use file of type {record.kind.title()} as {kind.replace('_', ' ').title()}"
            )
        if record.kind == "photo" and record.photo_sizes:
            return self.world.files[record.photo_sizes[-1]["file_id"]]
        return record

    @staticmethod
    def _media_content(record: FileRecord, kind: str) -> JSON:
        if kind == "photo":
            return {"photo": list(record.photo_sizes or [])}
        if record.kind == "photo":  # a photo sent as document
            return {kind: {**record.media_json(), "file_name": record.file_path.rsplit("/", 1)[-1]}}
        content: JSON = {kind: record.media_json()}
        if kind == "animation":
            content["document"] = record.media_json()
        return content

    # ================================================================= basics
    def true(self, p: Params) -> bool:
        return True

    def get_me(self, p: Params) -> JSON:
        return dict(self.world.bot_user)

    def delete_webhook(self, p: Params) -> bool:
        self.world.webhook = None
        if p.flag("drop_pending_updates"):
            self.world.updates.clear()
        return True

    def set_webhook(self, p: Params) -> bool:
        url = p.text("url") or ""
        if not url:
            self.world.webhook = None
            return True
        if not url.startswith("https://") and not url.startswith("http://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.world.webhook = {
            "url": url,
            "max_connections": p.integer("max_connections") or 40,
            "allowed_updates": p.json("allowed_updates"),
            "has_secret_token": bool(p.text("secret_token")),
        }
        if p.flag("drop_pending_updates"):
            self.world.updates.clear()
        return True

    def get_webhook_info(self, p: Params) -> JSON:
        hook = self.world.webhook
        info: JSON = {
            "url": hook["url"] if hook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.world.updates),
        }
        if hook:
            info["max_connections"] = hook["max_connections"]
            if hook["allowed_updates"] is not None:
                info["allowed_updates"] = hook["allowed_updates"]
        return info

    def set_allowed_updates(self, allowed: Any) -> None:
        if allowed is None:
            return
        if not isinstance(allowed, list):
            raise bad_request("can't parse allowed_updates JSON object")
        chosen = frozenset(str(a) for a in allowed) & ALL_UPDATE_TYPES
        self.world.allowed_updates = chosen or DEFAULT_ALLOWED_UPDATES

    # ================================================================= sending
    def send_message(self, p: Params) -> JSON:
        chat = self._chat(p)
        text, entities = self._formatted(p, "text", "entities", caption=False)
        content: JSON = {"text": text}
        if entities:
            content["entities"] = entities
        preview = p.json("link_preview_options")
        if isinstance(preview, dict):
            content["link_preview_options"] = preview
        elif p.flag("disable_web_page_preview"):
            content["link_preview_options"] = {"is_disabled": True}
        return self._deliver(p, chat, content).data

    def _location(self, p: Params) -> JSON:
        latitude = p.number("latitude")
        longitude = p.number("longitude")
        if latitude is None or longitude is None:
            raise bad_request("wrong location")
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise bad_request("wrong location")
        location: JSON = {"latitude": latitude, "longitude": longitude}
        accuracy = p.number("horizontal_accuracy")
        if accuracy is not None:
            if not 0 <= accuracy <= 1500:
                raise bad_request("wrong horizontal accuracy")
            location["horizontal_accuracy"] = accuracy
        return location

    def send_location(self, p: Params) -> JSON:
        chat = self._chat(p)
        location = self._location(p)
        live_period = p.integer("live_period")
        if live_period is not None:
            if not (60 <= live_period <= 86400 or live_period == 0x7FFFFFFF):
                raise bad_request("wrong live period specified")
            location["live_period"] = live_period
            for name in ("heading", "proximity_alert_radius"):
                value = p.integer(name)
                if value is not None:
                    location[name] = value
        return self._deliver(p, chat, {"location": location}).data

    def send_venue(self, p: Params) -> JSON:
        chat = self._chat(p)
        location = self._location(p)
        title = p.text("title")
        address = p.text("address")
        if not title:
            raise bad_request("venue title is empty")
        if address is None:
            raise bad_request("venue address is empty")
        venue: JSON = {"location": location, "title": title, "address": address}
        for name in ("foursquare_id", "foursquare_type", "google_place_id", "google_place_type"):
            value = p.text(name)
            if value:
                venue[name] = value
        return self._deliver(p, chat, {"venue": venue, "location": location}).data

    def send_contact(self, p: Params) -> JSON:
        chat = self._chat(p)
        phone = p.text("phone_number")
        first_name = p.text("first_name")
        if not phone:
            raise bad_request("phone number is empty")
        if not first_name:
            raise bad_request("first name is empty")
        contact: JSON = {"phone_number": phone, "first_name": first_name}
        for name in ("last_name", "vcard"):
            value = p.text(name)
            if value:
                contact[name] = value
        return self._deliver(p, chat, {"contact": contact}).data

    def _file_sender(self, kind: str) -> Handler:
        def send(p: Params) -> JSON:
            chat = self._chat(p)
            content = {} if kind in ("sticker", "video_note") else self._caption_content(p)
            record = self._file(p, p.get(kind), kind)
            content.update(self._media_content(record, kind))
            return self._deliver(p, chat, content).data

        return send

    def send_media_group(self, p: Params) -> list[JSON]:
        chat = self._chat(p)
        media = p.json("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise bad_request("wrong number of media items: must be between 2 and 10")
        contents: list[JSON] = []
        for item in media:
            if not isinstance(item, dict) or item.get("type") not in (
                "photo",
                "video",
                "document",
                "audio",
            ):
                raise bad_request("can't parse InputMedia JSON object")
            kind = str(item["type"])
            item_params = Params({k: v for k, v in item.items() if k != "media"})
            content = self._caption_content(item_params)
            record = self._file(p, item.get("media"), kind)
            content.update(self._media_content(record, kind))
            contents.append(content)
        group_id = str(self.world.unique())
        reply, reply_to = self._reply(p, chat)
        thread = self._thread(p, chat, reply_to)
        results: list[JSON] = []
        for content in contents:
            data = dict(thread)
            data.update(content)
            data["media_group_id"] = group_id
            if reply:
                data.update(reply)
            stored = self.world.add_message(chat, data, sender=self.world.bot_user, from_bot=True)
            results.append(stored.data)
        return results

    def send_poll(self, p: Params) -> JSON:
        chat = self._chat(p)
        question = p.text("question")
        options = p.json("options")
        if not question:
            raise bad_request("poll question must be non-empty")
        if not isinstance(options, list) or not 2 <= len(options) <= 12:
            raise bad_request("poll must have at least 2 options")
        poll = build_poll(
            self.world.unique("poll"),
            question,
            [o["text"] if isinstance(o, dict) else str(o) for o in options],
            is_anonymous=p.get("is_anonymous") is None or p.flag("is_anonymous"),
            poll_type=p.text("type") or "regular",
            allows_multiple_answers=p.flag("allows_multiple_answers"),
        )
        return self._deliver(p, chat, {"poll": poll}).data

    def send_dice(self, p: Params) -> JSON:
        chat = self._chat(p)
        emoji = p.text("emoji") or "🎲"
        value = 1 + self.world.next_update_id % 6
        return self._deliver(p, chat, {"dice": {"emoji": emoji, "value": value}}).data

    def _source(self, p: Params, what: str) -> StoredMessage:
        source_chat = self._chat(p, "from_chat_id", check_access=False)
        message_id = p.integer("message_id")
        stored = source_chat.messages.get(message_id) if message_id is not None else None
        if stored is None or stored.deleted:
            raise bad_request(f"message to {what} not found")
        if stored.data.get("has_protected_content"):
            raise bad_request(f"message has protected content and can't be {what}ed")
        return stored

    def forward_message(self, p: Params) -> JSON:
        chat = self._chat(p)
        source = self._source(p, "forward")
        content = {k: v for k, v in source.data.items() if k not in _COPY_SKIP}
        content["forward_origin"] = source.data.get("forward_origin") or _origin(source)
        data = self._thread(p, chat, None)
        data.update(content)
        if p.flag("protect_content"):
            data["has_protected_content"] = True
        stored = self.world.add_message(chat, data, sender=self.world.bot_user, from_bot=True)
        return stored.data

    def copy_message(self, p: Params) -> JSON:
        chat = self._chat(p)
        source = self._source(p, "copy")
        content = {k: v for k, v in source.data.items() if k not in _COPY_SKIP}
        if any(k in content for k in ("new_chat_members", "left_chat_member", "pinned_message")):
            raise bad_request("message can't be copied")
        if p.get("caption") is not None:
            if not any(k in content for k in _MEDIA_KINDS):
                raise bad_request("message caption can't be changed")
            content.pop("caption", None)
            content.pop("caption_entities", None)
            content.update(self._caption_content(p))
        stored = self._deliver(p, chat, content)
        return {"message_id": stored.message_id}

    # ================================================================= editing
    def _target(self, p: Params) -> StoredMessage:
        if p.get("inline_message_id") is not None:
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._chat(p)
        message_id = p.integer("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        stored = chat.messages.get(message_id)
        if stored is None or stored.deleted:
            raise bad_request("message to edit not found")
        if not stored.from_bot:
            raise bad_request("message can't be edited")
        return stored

    def edit_message_text(self, p: Params) -> JSON:
        stored = self._target(p)
        if "text" not in stored.data:
            raise bad_request("there is no text in the message to edit")
        text, entities = self._formatted(p, "text", "entities", caption=False)
        inline, _ = self._markup(p)
        current = stored.data
        if (
            text == current["text"]
            and entities == current.get("entities", [])
            and inline == current.get("reply_markup")
        ):
            raise bad_request(NOT_MODIFIED)
        changes: JSON = {"text": text}
        if entities:
            changes["entities"] = entities
        if inline is not None:
            changes["reply_markup"] = inline
        preview = p.json("link_preview_options")
        if isinstance(preview, dict):
            changes["link_preview_options"] = preview
        self.world.edit_message(stored, changes, drop=("entities", "reply_markup"))
        return stored.data

    def edit_message_caption(self, p: Params) -> JSON:
        stored = self._target(p)
        if not any(k in stored.data for k in _MEDIA_KINDS):
            raise bad_request("there is no caption in the message to edit")
        content = self._caption_content(p)
        inline, _ = self._markup(p)
        current = stored.data
        if (
            content.get("caption") == current.get("caption")
            and content.get("caption_entities", []) == current.get("caption_entities", [])
            and inline == current.get("reply_markup")
        ):
            raise bad_request(NOT_MODIFIED)
        if inline is not None:
            content["reply_markup"] = inline
        self.world.edit_message(
            stored, content, drop=("caption", "caption_entities", "reply_markup")
        )
        return stored.data

    def edit_message_reply_markup(self, p: Params) -> JSON:
        stored = self._target(p)
        inline, _ = self._markup(p)
        if inline == stored.data.get("reply_markup"):
            raise bad_request(NOT_MODIFIED)
        changes: JSON = {} if inline is None else {"reply_markup": inline}
        self.world.edit_message(stored, changes, drop=("reply_markup",))
        return stored.data

    def _live_target(self, p: Params) -> StoredMessage:
        stored = self._target(p)
        location = stored.data.get("location")
        if (
            not isinstance(location, dict)
            or "live_period" not in location
            or "venue" in stored.data
        ):
            raise bad_request("message can't be edited")
        period = int(location["live_period"])
        expired = period != 0x7FFFFFFF and self.world.now() > int(stored.data["date"]) + period
        if stored.live_stopped or expired:
            raise bad_request("message can't be edited")
        return stored

    def edit_message_live_location(self, p: Params) -> JSON:
        stored = self._live_target(p)
        new_location = self._location(p)
        for name in ("heading", "proximity_alert_radius"):
            value = p.integer(name)
            if value is not None:
                new_location[name] = value
        old = stored.data["location"]
        location = {"live_period": old["live_period"], **new_location}
        live_period = p.integer("live_period")
        if live_period is not None:
            location["live_period"] = live_period
        inline, _ = self._markup(p)
        if location == old and inline == stored.data.get("reply_markup"):
            raise bad_request(NOT_MODIFIED)
        changes: JSON = {"location": location}
        if inline is not None:
            changes["reply_markup"] = inline
        self.world.edit_message(stored, changes, drop=("reply_markup",))
        return stored.data

    def stop_message_live_location(self, p: Params) -> JSON:
        stored = self._live_target(p)
        inline, _ = self._markup(p)
        stored.live_stopped = True
        changes: JSON = {} if inline is None else {"reply_markup": inline}
        self.world.edit_message(stored, changes, drop=("reply_markup",))
        return stored.data

    def delete_message(self, p: Params) -> bool:
        chat = self._chat(p)
        message_id = p.integer("message_id")
        stored = chat.messages.get(message_id) if message_id is not None else None
        if stored is None or stored.deleted:
            raise bad_request("message to delete not found")
        if not (stored.from_bot or chat.type == "private" or chat.bot_can("can_delete_messages")):
            raise bad_request("message can't be deleted")
        self.world.delete_message(stored)
        return True

    # ================================================================= callbacks, commands
    def answer_callback_query(self, p: Params) -> bool:
        query_id = p.text("callback_query_id") or ""
        state = self.world.callback_queries.get(query_id)
        if state is None or state.answered:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = p.text("text")
        if text is not None and utf16_len(text) > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        state.answered = True
        state.answer = {
            "text": text,
            "show_alert": p.flag("show_alert"),
            "url": p.text("url"),
            "cache_time": p.integer("cache_time") or 0,
        }
        state.signal.notify()
        return True

    def _commands_key(self, p: Params) -> tuple[str, str]:
        scope = p.json("scope") or {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise bad_request("can't parse BotCommandScope JSON object")
        return json.dumps(scope, sort_keys=True), p.text("language_code") or ""

    def set_my_commands(self, p: Params) -> bool:
        commands = p.json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        clean: list[JSON] = []
        for command in commands:
            if not isinstance(command, dict):
                raise bad_request("can't parse BotCommand JSON object")
            name = str(command.get("command", ""))
            description = str(command.get("description", ""))
            if not _COMMAND_RE.fullmatch(name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            clean.append({"command": name, "description": description})
        self.world.commands[self._commands_key(p)] = clean
        return True

    def get_my_commands(self, p: Params) -> list[JSON]:
        return list(self.world.commands.get(self._commands_key(p), []))

    def delete_my_commands(self, p: Params) -> bool:
        self.world.commands.pop(self._commands_key(p), None)
        return True

    def set_chat_menu_button(self, p: Params) -> bool:
        button = p.json("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or "type" not in button:
            raise bad_request("can't parse menu button JSON object")
        if p.get("chat_id") is None:
            self.world.default_menu_button = button
        else:
            self._chat(p, check_access=False).menu_button = button
        return True

    def get_chat_menu_button(self, p: Params) -> JSON:
        if p.get("chat_id") is None:
            return self.world.default_menu_button
        chat = self._chat(p, check_access=False)
        return chat.menu_button or self.world.default_menu_button

    def _text_setting(self, kind: str, field: str) -> Handler:
        def setter(p: Params) -> bool:
            self.world.descriptions[(kind, p.text("language_code") or "")] = p.text(field) or ""
            return True

        return setter

    def _text_getting(self, kind: str, field: str) -> Handler:
        def getter(p: Params) -> JSON:
            language = p.text("language_code") or ""
            value = self.world.descriptions.get((kind, language))
            if value is None:
                value = self.world.descriptions.get((kind, ""), "")
            if kind == "name" and not value:
                value = str(self.world.bot_user["first_name"])
            return {field: value}

        return getter

    # ================================================================= chats
    def get_chat(self, p: Params) -> JSON:
        chat = self._chat(p, check_access=False)
        info = chat.to_json()
        info.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        if chat.pinned:
            pinned = chat.messages.get(chat.pinned[-1])
            if pinned is not None and not pinned.deleted:
                info["pinned_message"] = pinned.data
        if chat.is_group:
            info["permissions"] = {"can_send_messages": True}
        return info

    def _user_id(self, p: Params) -> int:
        user_id = p.integer("user_id")
        if user_id is None:
            raise bad_request("user_id is empty")
        return user_id

    def get_chat_member(self, p: Params) -> JSON:
        chat = self._chat(p, check_access=False)
        user_id = self._user_id(p)
        if user_id != self.world.bot_id and user_id not in self.world.users:
            raise bad_request("user not found")
        return self.world.chat_member_json(chat, user_id)

    def get_chat_administrators(self, p: Params) -> list[JSON]:
        chat = self._chat(p, check_access=False)
        if chat.type == "private":
            raise bad_request("there are no administrators in the private chat")
        ids = [uid for uid, s in chat.members.items() if s in ("creator", "administrator")]
        if chat.bot_status == "administrator":
            ids.append(self.world.bot_id)
        return [self.world.chat_member_json(chat, uid) for uid in ids]

    def get_chat_member_count(self, p: Params) -> int:
        chat = self._chat(p, check_access=False)
        if chat.type == "private":
            return 2
        present = ("creator", "administrator", "member", "restricted")
        count = sum(1 for s in chat.members.values() if s in present)
        return count + (1 if chat.bot_status in present else 0)

    def send_chat_action(self, p: Params) -> bool:
        self._chat(p)
        if p.text("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def pin_chat_message(self, p: Params) -> bool:
        chat = self._chat(p)
        message_id = p.integer("message_id")
        stored = chat.messages.get(message_id) if message_id is not None else None
        if stored is None or stored.deleted:
            raise bad_request("message to pin not found")
        if chat.is_group and not chat.bot_can("can_pin_messages"):
            raise bad_request("not enough rights to manage pinned messages in the chat")
        if stored.message_id in chat.pinned:
            chat.pinned.remove(stored.message_id)
        chat.pinned.append(stored.message_id)
        return True

    def unpin_chat_message(self, p: Params) -> bool:
        chat = self._chat(p)
        message_id = p.integer("message_id")
        if message_id is None:
            if chat.pinned:
                chat.pinned.pop()
        elif message_id in chat.pinned:
            chat.pinned.remove(message_id)
        else:
            raise bad_request("message to unpin not found")
        return True

    def unpin_all_chat_messages(self, p: Params) -> bool:
        self._chat(p).pinned.clear()
        return True

    def leave_chat(self, p: Params) -> bool:
        chat = self._chat(p)
        if chat.type == "private":
            raise bad_request("chat member status can't be changed in private chats")
        groups.set_bot_status(self.world, chat, "left", by=groups.short_bot_user(self.world))
        return True

    # ================================================================= forum topics
    def _forum(self, p: Params) -> ChatRecord:
        chat = self._chat(p)
        if not chat.is_forum:
            raise bad_request("the chat is not a forum")
        return chat

    def _topic(self, p: Params, chat: ChatRecord, *, right: str) -> TopicRecord:
        thread_id = p.integer("message_thread_id")
        try:
            topic = chat.live_topic(thread_id if thread_id is not None else 0)
        except ForumError as exc:
            raise bad_request(exc.text) from None
        if not (chat.bot_can(right) or topic.creator_id == self.world.bot_id):
            raise bad_request("CHAT_ADMIN_REQUIRED")
        return topic

    def create_forum_topic(self, p: Params) -> JSON:
        chat = self._forum(p)
        if not chat.bot_can("can_manage_topics"):
            raise bad_request("not enough rights to create a topic")
        name = p.text("name") or ""
        if not name:
            raise bad_request("TOPIC_TITLE_EMPTY")
        if len(name) > 128:
            raise bad_request("TOPIC_TITLE_TOO_LONG")
        topic = groups.create_topic(
            self.world,
            chat,
            name,
            by=groups.short_bot_user(self.world),
            icon_color=p.integer("icon_color") or TOPIC_COLORS[0],
            icon_custom_emoji_id=p.text("icon_custom_emoji_id") or None,
        )
        return topic.to_json()

    def edit_forum_topic(self, p: Params) -> bool:
        chat = self._forum(p)
        topic = self._topic(p, chat, right="can_manage_topics")
        name = p.text("name")
        emoji = p.text("icon_custom_emoji_id")
        if name is None and emoji is None:
            raise bad_request("TOPIC_NOT_MODIFIED")
        groups.edit_topic(
            self.world,
            chat,
            topic,
            by=groups.short_bot_user(self.world),
            name=name or None,
            icon_custom_emoji_id=emoji,
        )
        return True

    def close_forum_topic(self, p: Params) -> bool:
        chat = self._forum(p)
        topic = self._topic(p, chat, right="can_manage_topics")
        if topic.closed:
            raise bad_request("TOPIC_NOT_MODIFIED")
        groups.close_topic(self.world, chat, topic, by=groups.short_bot_user(self.world))
        return True

    def reopen_forum_topic(self, p: Params) -> bool:
        chat = self._forum(p)
        topic = self._topic(p, chat, right="can_manage_topics")
        if not topic.closed:
            raise bad_request("TOPIC_NOT_MODIFIED")
        groups.reopen_topic(self.world, chat, topic, by=groups.short_bot_user(self.world))
        return True

    def delete_forum_topic(self, p: Params) -> bool:
        chat = self._forum(p)
        topic = self._topic(p, chat, right="can_delete_messages")
        groups.delete_topic(self.world, chat, topic)
        return True

    def get_file(self, p: Params) -> JSON:
        record = self.world.files.get(p.text("file_id") or "")
        if record is None:
            raise bad_request("invalid file_id")
        return record.file_json()


def _origin(stored: StoredMessage) -> JSON:
    """The ``MessageOrigin`` for forwarding ``stored``."""
    sender = stored.data.get("from")
    chat = stored.data["chat"]
    if chat.get("type") == "channel":
        return {
            "type": "channel",
            "chat": chat,
            "message_id": stored.message_id,
            "date": stored.data["date"],
        }
    if sender is None:
        return {"type": "chat", "sender_chat": chat, "date": stored.data["date"]}
    return {"type": "user", "sender_user": sender, "date": stored.data["date"]}


def build_poll(
    poll_id: str,
    question: str,
    options: list[str],
    *,
    is_anonymous: bool = True,
    poll_type: str = "regular",
    allows_multiple_answers: bool = False,
) -> JSON:
    """A ``Poll`` object in the shape python-telegram-bot 22.8 requires."""
    return {
        "id": poll_id,
        "question": question,
        "options": [
            {"text": text, "voter_count": 0, "persistent_id": str(index)}
            for index, text in enumerate(options)
        ],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": is_anonymous,
        "type": poll_type,
        "allows_multiple_answers": allows_multiple_answers,
        "allows_revoting": True,
        "members_only": False,
    }


def bot_member_json(world: BotWorld, status: str) -> JSON:
    """The bot as a ``ChatMember`` of ``status`` (for my_chat_member updates)."""
    user = {
        k: v for k, v in world.bot_user.items() if not k.startswith(("can_", "has_", "supports_"))
    }
    return member_json(status, user)
