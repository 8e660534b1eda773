"""The emulator's world state: users, chats, stored messages, files and the update queue.

One :class:`BotWorld` exists per registered bot token (file ids, chats and updates are
per-bot on Telegram too).  Everything here is plain synchronous Python mutated from the
server's event loop; waiting code (long polling, the test driver) sleeps on
:class:`Signal` objects that are notified after each change.

The state is exposed so tests can inspect it, but normally you use it through
:class:`emulator.driver.Driver` (the people's side) and :class:`emulator.server.BotApiServer`
(the bot's side).
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
import struct
import time
import zlib
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

__all__ = [
    "ALL_UPDATE_TYPES",
    "DEFAULT_ALLOWED_UPDATES",
    "JSON",
    "TOPIC_COLORS",
    "ApiCall",
    "ApiError",
    "BotWorld",
    "CallbackQueryState",
    "ChatRecord",
    "ChatType",
    "FileRecord",
    "ForumError",
    "MemberStatus",
    "Signal",
    "StoredMessage",
    "TopicRecord",
    "Upload",
    "UserRecord",
    "bad_request",
    "image_size",
    "make_png",
    "member_json",
    "migrated_error",
]

JSON = dict[str, Any]

ALL_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
DEFAULT_ALLOWED_UPDATES = ALL_UPDATE_TYPES - {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def to_json(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(text: str) -> ApiError:
    """``400 Bad Request: <text>``."""
    return ApiError(400, f"Bad Request: {text}")


def migrated_error(new_chat_id: int) -> ApiError:
    """What Telegram answers to any call naming a basic group that became a supergroup.

    python-telegram-bot turns ``parameters.migrate_to_chat_id`` into ``ChatMigrated``.
    """
    return ApiError(
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        {"migrate_to_chat_id": new_chat_id},
    )


class ForumError(Exception):
    """A message cannot go to the requested thread; ``text`` is Telegram's wording."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class ApiCall(NamedTuple):
    """One recorded API call (``status`` 0 means the connection was dropped)."""

    method: str
    params: JSON
    status: int
    time: float


@dataclass(frozen=True, slots=True)
class Upload:
    """A file uploaded with a multipart request."""

    filename: str | None
    content_type: str
    data: bytes


class Signal:
    """A broadcast wake-up: every :meth:`wait` in progress returns at the next :meth:`notify`.

    Waiters must re-check their condition after waking; there is no lost-wake-up race
    because checking and waiting happen without an ``await`` in between.
    """

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float | None) -> bool:
        """Wait for the next notification, at most ``seconds``; ``False`` on timeout."""
        event = self._event
        if seconds is not None and seconds <= 0:
            return False
        try:
            async with asyncio.timeout(seconds):
                await event.wait()
        except TimeoutError:
            return False
        return True


@dataclass(slots=True)
class UserRecord:
    """A (human) Telegram user as the bot sees them."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False
    started: bool = False  # has sent something to the bot in private
    blocked: bool = False

    def to_json(self) -> JSON:
        data: JSON = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name


@dataclass(slots=True)
class StoredMessage:
    """A message as stored by the emulator: current Telegram JSON plus its edit history."""

    data: JSON
    from_bot: bool
    history: list[JSON] = field(default_factory=list)  # earlier versions, oldest first
    deleted: bool = False
    sent_markup: JSON | None = None  # any reply_markup the bot sent (incl. reply keyboards)
    live_stopped: bool = False

    @property
    def message_id(self) -> int:
        return int(self.data["message_id"])

    @property
    def chat_id(self) -> int:
        return int(self.data["chat"]["id"])

    @property
    def version(self) -> int:
        """Number of edits so far (0 for an unedited message)."""
        return len(self.history)


ChatType = Literal["private", "group", "supergroup", "channel"]
MemberStatus = Literal["creator", "administrator", "member", "restricted", "left", "kicked"]

TOPIC_COLORS = (0x6FB9F0, 0xFFD67E, 0xCB86DB, 0x8EEE98, 0xFF93B2, 0xFB6F5F)


@dataclass(slots=True)
class TopicRecord:
    """A forum topic; its id is the ``message_id`` of its ``forum_topic_created`` message."""

    thread_id: int
    name: str
    icon_color: int
    creator_id: int
    icon_custom_emoji_id: str | None = None
    closed: bool = False
    deleted: bool = False

    def to_json(self) -> JSON:
        """The ``ForumTopic`` object (what ``createForumTopic`` answers)."""
        data: JSON = {
            "message_thread_id": self.thread_id,
            "name": self.name,
            "icon_color": self.icon_color,
        }
        if self.icon_custom_emoji_id:
            data["icon_custom_emoji_id"] = self.icon_custom_emoji_id
        return data


@dataclass(slots=True)
class ChatRecord:
    """A chat (private chat with a user, or a group) and all of its messages."""

    id: int
    type: ChatType
    title: str | None = None
    username: str | None = None
    is_forum: bool = False
    user: UserRecord | None = None  # the other side of a private chat
    members: dict[int, MemberStatus] = field(default_factory=dict)
    bot_status: MemberStatus = "member"
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    order: list[int] = field(default_factory=list)
    next_message_id: int = 1
    changes: list[int] = field(default_factory=list)  # message id per new message or edit
    unconsumed: deque[int] = field(default_factory=deque)  # bot messages for next_bot_message
    keyboard: JSON | None = None  # the reply keyboard currently shown
    pinned: list[int] = field(default_factory=list)
    menu_button: JSON | None = None
    chat_instance: str = field(default_factory=lambda: str(secrets.randbits(62)))
    signal: Signal = field(default_factory=Signal)
    topics: dict[int, TopicRecord] = field(default_factory=dict)  # forum topics by thread id
    bot_rights: JSON = field(default_factory=dict)  # overrides of the bot's admin rights
    migrated_to: int | None = None  # a basic group upgraded to this supergroup
    migrated_from: int | None = None  # a supergroup upgraded from this basic group

    def to_json(self) -> JSON:
        """The short ``Chat`` object embedded in messages."""
        if self.type == "private" and self.user is not None:
            data: JSON = {"id": self.id, "type": "private", "first_name": self.user.first_name}
            if self.user.last_name:
                data["last_name"] = self.user.last_name
            if self.user.username:
                data["username"] = self.user.username
            return data
        data = {"id": self.id, "type": self.type, "title": self.title or ""}
        if self.username:
            data["username"] = self.username
        if self.is_forum:
            data["is_forum"] = True
        return data

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    def bot_can(self, right: str) -> bool:
        """Whether the bot, as an administrator of this group, holds ``right``."""
        if self.bot_status == "creator":
            return True
        if self.bot_status != "administrator":
            return False
        return bool(self.bot_rights.get(right, _ADMIN_RIGHTS.get(right, False)))

    def live_topic(self, thread_id: int) -> TopicRecord:
        """The open-or-closed, undeleted topic ``thread_id``; ``ForumError`` otherwise."""
        topic = self.topics.get(thread_id)
        if topic is None or topic.deleted:
            raise ForumError("message thread not found")
        return topic

    def thread_fields(self, thread_id: int | None, reply_to: StoredMessage | None) -> JSON:
        """``message_thread_id`` / ``is_topic_message`` / implicit reply for a new message.

        Telegram's rules (see the module docstring of :mod:`emulator.driver`):

        * in a forum, ``thread_id`` must name a live topic; the message then carries
          ``message_thread_id``, ``is_topic_message`` and, unless it replies to something
          else, ``reply_to_message`` = the topic's creation message;
        * without ``thread_id`` a reply goes to the thread of the message it replies to;
          a reply outside any topic (forum General, or a plain supergroup) carries the id of
          the first message of the reply chain as ``message_thread_id``, without
          ``is_topic_message`` - an id that is *not* a valid ``message_thread_id`` to send to;
        * basic groups have no threads (``thread_id`` is ignored there); private chats are
          left to the caller (the emulator keeps a given ``message_thread_id`` as is).
        """
        if self.type != "supergroup":
            return {}
        if thread_id is None and reply_to is not None:
            if reply_to.data.get("is_topic_message"):
                thread_id = int(reply_to.data["message_thread_id"])
            else:
                root = reply_to.data.get("message_thread_id", reply_to.message_id)
                return {"message_thread_id": int(root)}
        if thread_id is None:
            return {}
        if not self.is_forum:
            raise ForumError("message thread not found")
        topic = self.live_topic(thread_id)
        fields: JSON = {"message_thread_id": topic.thread_id, "is_topic_message": True}
        root = self.messages.get(topic.thread_id)
        if reply_to is None and root is not None:
            fields["reply_to_message"] = {
                k: v for k, v in root.data.items() if k != "reply_to_message"
            }
        return fields

    def topic_of(self, fields: JSON) -> TopicRecord | None:
        """The topic a message with these fields goes to (``None`` for none)."""
        if not fields.get("is_topic_message"):
            return None
        return self.topics.get(int(fields["message_thread_id"]))

    def in_topic(self, message: StoredMessage, thread_id: int | None) -> bool:
        """Whether ``message`` is shown in topic ``thread_id`` (``None`` = General)."""
        data = message.data
        if not data.get("is_topic_message"):
            return thread_id is None
        return data.get("message_thread_id") == thread_id


@dataclass(slots=True)
class FileRecord:
    """A stored file; ``kind`` is the Telegram type name (``photo``, ``voice``, ...)."""

    file_id: str
    file_unique_id: str
    kind: str
    data: bytes
    file_path: str
    mime_type: str | None = None
    file_name: str | None = None
    width: int | None = None
    height: int | None = None
    duration: int | None = None
    photo_sizes: list[JSON] | None = None  # for photos: the PhotoSize list, smallest first

    def media_json(self) -> JSON:
        """The object placed in a message (``voice``, ``video``, ``document``, ...)."""
        data: JSON = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
        }
        if self.kind in ("video", "animation", "sticker", "video_note"):
            data["width"] = self.width or 0
            data["height"] = self.height or 0
        if self.kind in ("voice", "video", "audio", "animation", "video_note"):
            data["duration"] = self.duration or 0
        if self.kind == "sticker":
            data.update(type="regular", is_animated=False, is_video=False, emoji="👍")
        if self.mime_type and self.kind not in ("sticker", "video_note"):
            data["mime_type"] = self.mime_type
        if self.file_name and self.kind in ("document", "animation", "audio", "video"):
            data["file_name"] = self.file_name
        return data

    def file_json(self) -> JSON:
        """The ``File`` object returned by ``getFile``."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


@dataclass(slots=True)
class CallbackQueryState:
    """A pressed inline button awaiting ``answerCallbackQuery``."""

    id: str
    chat_id: int | None
    message_id: int | None
    answered: bool = False
    answer: JSON | None = None
    signal: Signal = field(default_factory=Signal)


def make_png(width: int = 4, height: int = 4, rgb: tuple[int, int, int] = (220, 30, 40)) -> bytes:
    """A tiny but valid PNG image (solid colour)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    row = b"\x00" + bytes(rgb) * width
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG or JPEG image, if recognisable."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        if data[12:16] == b"IHDR" and 0 < width <= 20_000 and 0 < height <= 20_000:
            return int(width), int(height)
        return None
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker = data[i + 1]
            length = int.from_bytes(data[i + 2 : i + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return (int(width), int(height)) if width and height else None
            i += 2 + length
    return None


_MIME_EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "audio/ogg": "oga",
    "video/mp4": "mp4",
    "application/pdf": "pdf",
    "image/webp": "webp",
    "audio/mpeg": "mp3",
}
_KIND_DIRS = {
    "photo": "photos",
    "voice": "voice",
    "video": "videos",
    "document": "documents",
    "audio": "music",
    "sticker": "stickers",
    "animation": "animations",
    "video_note": "video_notes",
}


class BotWorld:
    """All state belonging to one bot token."""

    def __init__(
        self,
        token: str,
        bot_user: JSON,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.token = token
        self.bot_user = bot_user
        self.clock = clock
        self.users: dict[int, UserRecord] = {}
        self.chats: dict[int, ChatRecord] = {}
        self.files: dict[str, FileRecord] = {}
        self.files_by_path: dict[str, FileRecord] = {}
        self.updates: deque[JSON] = deque()
        self.update_signal = Signal()
        self.next_update_id = 100_000_001
        self.allowed_updates: frozenset[str] = DEFAULT_ALLOWED_UPDATES
        self.poll_generation = 0
        self.callback_queries: dict[str, CallbackQueryState] = {}
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.webhook: JSON | None = None
        self.descriptions: dict[tuple[str, str], str] = {}
        self.default_menu_button: JSON = {"type": "commands"}
        self.calls: list[ApiCall] = []
        self.call_counts: Counter[tuple[str, str | None, bool]] = Counter()
        self.flood_rejections = 0
        self.status_counts: Counter[tuple[int, str | None]] = Counter()  # (status, chat id)
        self.world_signal = Signal()  # notified on every new message / edit in any chat
        self._ids = itertools.count(1)
        self._user_ids = itertools.count(700_000_001, 7919)
        self._group_ids = itertools.count(1_001_234_567_001, 1)

    # ----------------------------------------------------------------- ids, people
    @property
    def bot_id(self) -> int:
        return int(self.bot_user["id"])

    def unique(self, prefix: str = "") -> str:
        return f"{prefix}{next(self._ids)}{secrets.token_hex(6)}"

    def now(self) -> int:
        return int(self.clock())

    def add_user(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        user_id: int | None = None,
    ) -> UserRecord:
        uid = user_id if user_id is not None else next(self._user_ids)
        if uid in self.users or uid <= 0:
            raise ValueError(f"user id {uid} is taken or invalid")
        user = UserRecord(uid, first_name, last_name, username, language_code)
        self.users[uid] = user
        self.chats[uid] = ChatRecord(id=uid, type="private", user=user)
        return user

    def add_group(
        self,
        title: str,
        *,
        chat_type: ChatType = "supergroup",
        username: str | None = None,
        is_forum: bool = False,
        bot_status: MemberStatus = "member",
    ) -> ChatRecord:
        if is_forum and chat_type != "supergroup":
            raise ValueError("only supergroups can be forums")
        number = next(self._group_ids)
        chat_id = -number if chat_type == "supergroup" else -(number % 1_000_000_000)
        chat = ChatRecord(
            id=chat_id,
            type=chat_type,
            title=title,
            username=username,
            is_forum=is_forum,
            bot_status=bot_status,
        )
        if is_forum:
            chat.next_message_id = 2  # #1 is the "group created" message; no topic has id 1
        self.chats[chat_id] = chat
        return chat

    def member_status(self, chat: ChatRecord, user_id: int) -> MemberStatus:
        if user_id == self.bot_id:
            return chat.bot_status
        if chat.type == "private":
            return "member" if user_id == chat.id else "left"
        return chat.members.get(user_id, "left")

    def chat_member_json(self, chat: ChatRecord, user_id: int) -> JSON:
        status = self.member_status(chat, user_id)
        if user_id == self.bot_id:
            user_json = {
                k: v
                for k, v in self.bot_user.items()
                if not k.startswith(("can_", "has_", "supports_"))
            }
        elif user_id in self.users:
            user_json = self.users[user_id].to_json()
        else:
            user_json = {"id": user_id, "is_bot": False, "first_name": "Unknown"}
        rights = chat.bot_rights if user_id == self.bot_id else None
        return member_json(status, user_json, rights)

    # ----------------------------------------------------------------- updates
    def enqueue_update(self, kind: str, payload: JSON) -> JSON:
        update = {"update_id": self.next_update_id, kind: payload}
        self.next_update_id += 1
        self.updates.append(update)
        self.update_signal.notify()
        return update

    def confirm_updates(self, offset: int | None) -> None:
        """Apply getUpdates' ``offset``: forget confirmed updates (or keep the last -offset)."""
        if offset is None:
            return
        if offset < 0:
            while len(self.updates) > -offset:
                self.updates.popleft()
            return
        while self.updates and self.updates[0]["update_id"] < offset:
            self.updates.popleft()

    def pending_updates(self, limit: int) -> list[JSON]:
        result: list[JSON] = []
        for update in self.updates:
            kind = next(k for k in update if k != "update_id")
            if kind in self.allowed_updates:
                result.append(update)
                if len(result) >= limit:
                    break
        return result

    # ----------------------------------------------------------------- messages
    def add_message(
        self,
        chat: ChatRecord,
        content: JSON,
        *,
        sender: JSON,
        from_bot: bool,
        sent_markup: JSON | None = None,
    ) -> StoredMessage:
        """Store a new message; ``content`` holds the type-specific fields."""
        message_id = chat.next_message_id
        chat.next_message_id += 1
        data: JSON = {
            "message_id": message_id,
            "from": sender,
            "chat": chat.to_json(),
            "date": self.now(),
        }
        data.update(content)
        stored = StoredMessage(data=data, from_bot=from_bot, sent_markup=sent_markup)
        chat.messages[message_id] = stored
        chat.order.append(message_id)
        chat.changes.append(message_id)
        if from_bot:
            chat.unconsumed.append(message_id)
            if sent_markup is not None:
                self._apply_keyboard(chat, sent_markup)
        chat.signal.notify()
        self.world_signal.notify()
        return stored

    @staticmethod
    def _apply_keyboard(chat: ChatRecord, markup: JSON) -> None:
        if "keyboard" in markup:
            chat.keyboard = markup
        elif markup.get("remove_keyboard"):
            chat.keyboard = None

    def edit_message(
        self, stored: StoredMessage, changes: JSON, *, drop: tuple[str, ...] = ()
    ) -> None:
        """Apply an edit; earlier versions are kept in ``stored.history``."""
        stored.history.append(dict(stored.data))
        new = dict(stored.data)
        for key in drop:
            new.pop(key, None)
        new.update(changes)
        new["edit_date"] = self.now()
        stored.data = new
        chat = self.chats[stored.chat_id]
        chat.changes.append(stored.message_id)
        chat.signal.notify()
        self.world_signal.notify()

    def delete_message(self, stored: StoredMessage) -> None:
        stored.deleted = True
        chat = self.chats[stored.chat_id]
        chat.changes.append(stored.message_id)
        chat.signal.notify()
        self.world_signal.notify()

    # ----------------------------------------------------------------- files
    def create_file(
        self,
        kind: str,
        data: bytes,
        *,
        mime_type: str | None = None,
        file_name: str | None = None,
        width: int | None = None,
        height: int | None = None,
        duration: int | None = None,
    ) -> FileRecord:
        """Store file bytes and return the new record (for photos, with a PhotoSize list)."""
        if kind == "photo":
            size = image_size(data) or (width or 1280, height or 960)
            width, height = size
            mime_type = mime_type or ("image/png" if data.startswith(b"\x89PNG") else "image/jpeg")
        extension = _MIME_EXTENSIONS.get(mime_type or "", "")
        if not extension and file_name and "." in file_name:
            extension = file_name.rsplit(".", 1)[1]
        number = next(self._ids)
        path = f"{_KIND_DIRS.get(kind, 'documents')}/file_{number}" + (
            f".{extension}" if extension else ""
        )
        prefix = {"photo": "AgAC", "voice": "AwAC", "video": "BAAC", "sticker": "CAAC"}.get(
            kind, "BQAC"
        )
        record = FileRecord(
            file_id=f"{prefix}{number:06d}{secrets.token_urlsafe(18)}",
            file_unique_id=f"AQAD{number:04d}{secrets.token_hex(3)}",
            kind=kind,
            data=data,
            file_path=path,
            mime_type=mime_type,
            file_name=file_name,
            width=width,
            height=height,
            duration=duration,
        )
        self.files[record.file_id] = record
        self.files_by_path[record.file_path] = record
        if kind == "photo":
            w, h = record.width or 0, record.height or 0
            scale = min(1.0, 90 / max(w, h, 1))
            thumb = FileRecord(
                file_id=f"{prefix}{number:06d}{secrets.token_urlsafe(18)}",
                file_unique_id=f"AQAD{number:04d}{secrets.token_hex(3)}",
                kind="photo",
                data=data,
                file_path=f"photos/file_{number}_s.{extension or 'jpg'}",
                mime_type=mime_type,
                width=max(1, round(w * scale)),
                height=max(1, round(h * scale)),
            )
            sizes = [
                _photo_size(thumb),
                _photo_size(record),
            ]
            record.photo_sizes = thumb.photo_sizes = sizes
            self.files[thumb.file_id] = thumb
            self.files_by_path[thumb.file_path] = thumb
        return record

    # ----------------------------------------------------------------- calls
    def record_call(self, call: ApiCall) -> None:
        self.calls.append(call)
        chat_id = call.params.get("chat_id")
        ok = call.status == 200
        self.call_counts[(call.method, None, ok)] += 1
        self.status_counts[(call.status, None)] += 1
        if chat_id is not None:
            self.call_counts[(call.method, str(chat_id), ok)] += 1
            self.status_counts[(call.status, str(chat_id))] += 1


def _photo_size(record: FileRecord) -> JSON:
    return {
        "file_id": record.file_id,
        "file_unique_id": record.file_unique_id,
        "file_size": len(record.data),
        "width": record.width or 0,
        "height": record.height or 0,
    }


_ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
    "can_manage_topics": True,
}


def member_json(status: str, user: JSON, rights: JSON | None = None) -> JSON:
    """A ``ChatMember`` object of the given status (``rights`` override an admin's rights)."""
    data: JSON = {"status": status, "user": user}
    if status == "creator":
        data["is_anonymous"] = False
    elif status == "administrator":
        data.update(_ADMIN_RIGHTS)
        if rights:
            data.update({k: v for k, v in rights.items() if k in _ADMIN_RIGHTS})
    elif status == "kicked":
        data["until_date"] = 0
    elif status == "restricted":
        data.update(
            is_member=True,
            can_send_messages=False,
            can_send_audios=False,
            can_send_documents=False,
            can_send_photos=False,
            can_send_videos=False,
            can_send_video_notes=False,
            can_send_voice_notes=False,
            can_send_polls=False,
            can_send_other_messages=False,
            can_add_web_page_previews=False,
            can_change_info=False,
            can_invite_users=False,
            can_pin_messages=False,
            can_manage_topics=False,
            until_date=0,
        )
    return data
