"""The test driver: simulated people talking to a bot through :class:`BotApiServer`.

Typical use in an end-to-end test::

    async with BotApiServer() as server:
        tg = Driver(server, TOKEN)                      # registers the bot
        budi = tg.user("Budi", username="budi_smg", language_code="id")
        op1 = tg.user("Sari")
        dispatch = tg.group("112 Dispatch", members=[op1], admins=[op1])
        ...start the bot against server.root_url...
        await budi.send("/start")
        msg = await tg.next_bot_message(budi, timeout=5)
        answer = await budi.press(msg, "Kirim")
        await budi.send_location(-6.9905, 110.4229, horizontal_accuracy=35)
        card = await tg.wait_for(dispatch, lambda m: "LAPORAN" in m.text)
        await op1.send("OTW", chat=dispatch, reply_to=card)
        print(tg.transcript(budi))

Everything a person does is injected as a Telegram update (``message``,
``edited_message``, ``callback_query``, ``my_chat_member``) with increasing ``update_id``;
everything the bot does is read back from the server's stored messages.  Waits depend only
on server state and asyncio events, so the bot may run in the same event loop or in
another process.  The driver must run in the event loop of the server.

Private chats: a user must have "started" the bot (sent anything in private) before the bot
can write to them.  ``await budi.open_link("https://t.me/<bot>?start=<payload>")`` opens a
deep link as Telegram's apps do: the bot receives ``/start <payload>`` in the private chat
(a link to another bot, or a payload Telegram does not allow, raises ``ValueError``).
In groups the bot has privacy mode on by default (it receives commands,
replies to its messages, mentions and service messages; everything if it is an
administrator or registered with ``can_read_all_group_messages=True``).

Group life (details and Telegram's exact answers in :mod:`emulator.groups`):

* membership - ``tg.remove_bot_from_group(g, by=admin, status="kicked" | "left")`` and
  ``tg.add_bot_to_group(g, by=admin, admin=False)`` deliver ``my_chat_member`` (plus the
  ``left_chat_member`` / ``new_chat_members`` service message); while removed, every send,
  edit, pin, delete or chat action answers 403 ("Forbidden: bot was kicked from the
  supergroup chat").  ``tg.set_bot_status(g, "administrator", by=owner, rights={...})``
  promotes the bot.  ``tg.promote(g, user, by=owner)`` / ``tg.demote(...)`` /
  ``tg.set_member_status(g, user, status, by=...)`` change a person's status at once for
  ``getChatMember``/``getChatAdministrators`` and deliver ``chat_member`` only to an
  administrator bot that polls with ``"chat_member"`` in ``allowed_updates``;
* migration - ``g = tg.group(..., basic=True)``; ``sg = tg.migrate_to_supergroup(g, by=owner)``
  returns the new supergroup (``-100...`` id, messages numbered from 1); both service
  messages reach the bot; the old id answers 400 with ``parameters.migrate_to_chat_id``
  (python-telegram-bot raises ``ChatMigrated``);
* forums - ``tg.group(..., is_forum=True)`` (or ``tg.set_forum(g)``);
  ``t = tg.create_topic(g, "Kebakaran", by=op)`` returns a :class:`Topic` (``t.id`` is the
  ``message_thread_id``); ``await op.send("...", chat=g, thread_id=t)``;
  ``tg.close_topic(t, by=op)`` / ``tg.reopen_topic`` / ``tg.rename_topic`` /
  ``tg.delete_topic(t)``; read with ``tg.topic_messages(g, t)`` /
  ``tg.bot_topic_messages(g, None)`` (``None`` = General) or ``Message.topic_id``.
  As on Telegram, a message in a topic carries ``message_thread_id`` and
  ``is_topic_message`` and, unless it replies to something else, replies to the topic's
  creation message; a reply outside topics carries the reply chain's first message id as
  ``message_thread_id`` (without ``is_topic_message``) - sending to that id, to 1
  (General) or to a deleted topic answers 400 "Bad Request: message thread not found";
  a closed topic answers "Bad Request: TOPIC_CLOSED" unless the bot is an administrator
  with ``can_manage_topics`` (pass ``bot_rights={"can_manage_topics": False}`` to make a
  closed topic refuse an admin bot); a reply without ``message_thread_id`` goes to the
  thread of the message replied to;
* answers - ``tg.too_many_requests(chat)`` counts 429 answers per chat (``tg.answers(status,
  chat)`` any status); fault modes that hide a delivered send live on the server
  (``add_timeout_after_delivery``, ``add_error_after_delivery``, ``add_garbled_answer``).
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import re
import time
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from emulator import groups
from emulator.formatting import entities_to_html, utf16_len
from emulator.methods import bot_member_json, build_poll
from emulator.server import BotApiServer
from emulator.world import (
    JSON,
    TOPIC_COLORS,
    ApiCall,
    BotWorld,
    CallbackQueryState,
    ChatRecord,
    ForumError,
    MemberStatus,
    StoredMessage,
    TopicRecord,
    UserRecord,
    make_png,
)

__all__ = [
    "WIB",
    "Button",
    "CallbackAnswer",
    "Driver",
    "Group",
    "KeyboardButton",
    "Message",
    "Topic",
    "User",
]

DEEP_LINK_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
"""What Telegram accepts as a deep link's ``start`` parameter."""
WIB = dtm.timezone(dtm.timedelta(hours=7), "WIB")

_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![^\s.,!?;:])")
_MENTION_RE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{4,32}\b")
_URL_RE = re.compile(r"(?<!\S)https?://[^\s<>\"]+")


@dataclass(frozen=True, slots=True)
class Button:
    """An inline keyboard button."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class KeyboardButton:
    """A reply keyboard button."""

    text: str
    request_location: bool = False
    request_contact: bool = False


@dataclass(frozen=True, slots=True)
class CallbackAnswer:
    """What the bot answered to a button press (``answerCallbackQuery``)."""

    text: str | None
    show_alert: bool = False
    url: str | None = None


class Message:
    """A live view of one stored message (bot's or a person's).

    Properties read the *current* state, so edits show up; ``seen_version`` remembers the
    edit count when this wrapper was made (used by :meth:`Driver.wait_for_edit`).
    ``text`` is the text or the caption, ``""`` for messages with neither.
    """

    __slots__ = ("_stored", "seen_version")

    def __init__(self, stored: StoredMessage) -> None:
        self._stored = stored
        self.seen_version = stored.version

    @property
    def stored(self) -> StoredMessage:
        return self._stored

    @property
    def raw(self) -> JSON:
        """The message as Telegram JSON (current version)."""
        return self._stored.data

    @property
    def message_id(self) -> int:
        return self._stored.message_id

    @property
    def chat_id(self) -> int:
        return self._stored.chat_id

    @property
    def thread_id(self) -> int | None:
        """``message_thread_id`` as Telegram sends it (also set on plain reply chains)."""
        value = self.raw.get("message_thread_id")
        return int(value) if value is not None else None

    @property
    def topic_id(self) -> int | None:
        """The forum topic the message is in; ``None`` for General (and non-forums)."""
        if not self.raw.get("is_topic_message"):
            return None
        return self.thread_id

    @property
    def date(self) -> int:
        return int(self.raw["date"])

    @property
    def from_user(self) -> JSON:
        return dict(self.raw.get("from") or {})

    @property
    def is_from_bot(self) -> bool:
        return self._stored.from_bot

    @property
    def text(self) -> str:
        return str(self.raw.get("text") or self.raw.get("caption") or "")

    @property
    def caption(self) -> str | None:
        value = self.raw.get("caption")
        return str(value) if value is not None else None

    @property
    def entities(self) -> list[JSON]:
        key = "entities" if "text" in self.raw else "caption_entities"
        return list(self.raw.get(key) or [])

    @property
    def html(self) -> str:
        """The text rendered back to Telegram HTML (how the formatting looks)."""
        return entities_to_html(self.text, self.entities)

    @property
    def reply_markup(self) -> JSON | None:
        """The markup the bot sent with the message (inline or reply keyboard), raw."""
        return self._stored.sent_markup or self.raw.get("reply_markup")

    @property
    def inline_buttons(self) -> list[list[Button]]:
        markup = self.raw.get("reply_markup") or {}
        return [
            [Button(b["text"], b.get("callback_data"), b.get("url")) for b in row]
            for row in markup.get("inline_keyboard", [])
        ]

    @property
    def reply_keyboard(self) -> list[list[KeyboardButton]]:
        markup = self._stored.sent_markup or {}
        return [
            [
                KeyboardButton(
                    b["text"], bool(b.get("request_location")), bool(b.get("request_contact"))
                )
                for b in row
            ]
            for row in markup.get("keyboard", [])
        ]

    @property
    def removes_keyboard(self) -> bool:
        return bool((self._stored.sent_markup or {}).get("remove_keyboard"))

    @property
    def reply_to_message_id(self) -> int | None:
        reply = self.raw.get("reply_to_message")
        return int(reply["message_id"]) if reply else None

    @property
    def location(self) -> JSON | None:
        return self.raw.get("location")

    @property
    def venue(self) -> JSON | None:
        return self.raw.get("venue")

    @property
    def contact(self) -> JSON | None:
        return self.raw.get("contact")

    @property
    def photo(self) -> list[JSON] | None:
        return self.raw.get("photo")

    @property
    def media_group_id(self) -> str | None:
        return self.raw.get("media_group_id")

    @property
    def edits(self) -> list[str]:
        """Texts (or captions) of the earlier versions, oldest first."""
        return [str(v.get("text") or v.get("caption") or "") for v in self._stored.history]

    @property
    def edited(self) -> bool:
        return self._stored.version > 0

    @property
    def deleted(self) -> bool:
        return self._stored.deleted

    def button(self, text: str | None = None, *, callback_data: str | None = None) -> Button:
        """Find an inline button by exact text, then substring, or by ``callback_data``."""
        buttons = [b for row in self.inline_buttons for b in row]
        if callback_data is not None:
            found = [b for b in buttons if b.callback_data == callback_data]
        elif text is not None:
            found = [b for b in buttons if b.text == text]
            if not found:
                found = [b for b in buttons if text.casefold() in b.text.casefold()]
        else:
            raise ValueError("give a button text or callback_data")
        if not found:
            wanted = text if callback_data is None else f"callback_data={callback_data!r}"
            labels = [b.text for b in buttons]
            raise LookupError(f"no inline button {wanted!r} on message; buttons: {labels}")
        return found[0]

    def __repr__(self) -> str:
        who = "bot" if self.is_from_bot else self.from_user.get("first_name", "?")
        return f"<Message #{self.message_id} in {self.chat_id} from {who}: {self.text[:40]!r}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and other._stored is self._stored

    def __hash__(self) -> int:
        return hash((self.chat_id, self.message_id))


class Topic:
    """A forum topic (live view: ``closed``/``deleted``/``name`` follow the world)."""

    __slots__ = ("group", "record")

    def __init__(self, group: Group, record: TopicRecord) -> None:
        self.group = group
        self.record = record

    @property
    def id(self) -> int:
        """The topic's ``message_thread_id``."""
        return self.record.thread_id

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def closed(self) -> bool:
        return self.record.closed

    @property
    def deleted(self) -> bool:
        return self.record.deleted

    def __repr__(self) -> str:
        return f"<Topic {self.name!r} #{self.id} in {self.group.title!r}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Topic) and other.record is self.record

    def __hash__(self) -> int:
        return hash((self.group.id, self.id))


class Group:
    """A (super)group in the emulated world."""

    def __init__(self, driver: Driver, chat: ChatRecord) -> None:
        self.driver = driver
        self.chat = chat

    @property
    def id(self) -> int:
        return self.chat.id

    @property
    def title(self) -> str:
        return self.chat.title or ""

    @property
    def is_forum(self) -> bool:
        return self.chat.is_forum

    @property
    def migrated_to(self) -> int | None:
        """The supergroup id this basic group was upgraded to (``None`` if it was not)."""
        return self.chat.migrated_to

    @property
    def topics(self) -> list[Topic]:
        """The forum's undeleted topics, oldest first."""
        return [Topic(self, t) for t in self.chat.topics.values() if not t.deleted]

    def topic(self, thread_id: int) -> Topic:
        """A topic by id (also one the bot created with ``createForumTopic``)."""
        record = self.chat.topics.get(thread_id)
        if record is None:
            raise LookupError(f"no topic #{thread_id} in {self!r}")
        return Topic(self, record)

    def member_status(self, user: User) -> str:
        return self.driver.world.member_status(self.chat, user.id)

    def add_member(self, user: User, *, status: str = "member") -> None:
        """Make ``user`` a member (``member``, ``administrator`` or ``creator``)."""
        if status not in ("member", "administrator", "creator", "restricted"):
            raise ValueError(status)
        self.chat.members[user.id] = status  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Group {self.title!r} {self.id}>"


class User:
    """A simulated person; every action injects the update Telegram would send."""

    def __init__(self, driver: Driver, record: UserRecord) -> None:
        self.driver = driver
        self.record = record

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def chat_id(self) -> int:
        """The id of this user's private chat with the bot (equal to the user id)."""
        return self.record.id

    @property
    def first_name(self) -> str:
        return self.record.first_name

    @property
    def username(self) -> str | None:
        return self.record.username

    @property
    def data(self) -> JSON:
        """The ``User`` object as Telegram sends it."""
        return self.record.to_json()

    @property
    def has_blocked_bot(self) -> bool:
        return self.record.blocked

    def __repr__(self) -> str:
        return f"<User {self.record.full_name!r} {self.id}>"

    # ----------------------------------------------------------------- messages
    async def send(
        self,
        text: str,
        *,
        chat: Group | User | int | None = None,
        reply_to: Message | int | None = None,
        entities: list[JSON] | None = None,
        thread_id: int | Topic | None = None,
    ) -> Message:
        """Send a text message (commands get ``bot_command`` entities automatically).

        ``thread_id`` (a :class:`Topic` or its id) posts in a forum topic; a reply goes to
        the thread of the message replied to, as in Telegram's apps.
        """
        if not text:
            raise ValueError("Telegram clients cannot send empty messages")
        content: JSON = {"text": text}
        found = detect_entities(text) if entities is None else entities
        if found:
            content["entities"] = found
        return self.driver._inject(self, chat, content, reply_to=reply_to, thread_id=thread_id)

    async def open_link(self, url: str) -> Message:
        """Open a deep link to the bot (``t.me/<bot>?start=<payload>``): ``/start <payload>``
        in the private chat, as Telegram's apps send it when START is pressed."""
        parts = urllib.parse.urlsplit(url)
        username = parts.path.strip("/")
        if parts.netloc not in ("t.me", "telegram.me") or username != self.driver.bot_username:
            raise ValueError(f"not a link to @{self.driver.bot_username}: {url}")
        values = urllib.parse.parse_qs(parts.query).get("start", [])
        payload = values[0] if values else ""
        if not DEEP_LINK_PAYLOAD.fullmatch(payload):
            raise ValueError(f"Telegram allows 1-64 characters A-Z a-z 0-9 _ - as payload: {url}")
        return await self.send(f"/start {payload}")

    async def send_location(
        self,
        latitude: float,
        longitude: float,
        *,
        horizontal_accuracy: float | None = None,
        live_period: int | None = None,
        chat: Group | User | int | None = None,
        reply_to: Message | int | None = None,
        thread_id: int | Topic | None = None,
    ) -> Message:
        """Share a location (a live location if ``live_period`` is given)."""
        location: JSON = {"latitude": latitude, "longitude": longitude}
        if horizontal_accuracy is not None:
            location["horizontal_accuracy"] = horizontal_accuracy
        if live_period is not None:
            location["live_period"] = live_period
        return self.driver._inject(
            self, chat, {"location": location}, reply_to=reply_to, thread_id=thread_id
        )

    async def edit_live_location(
        self,
        message: Message,
        latitude: float,
        longitude: float,
        *,
        horizontal_accuracy: float | None = None,
        heading: int | None = None,
    ) -> Message:
        """Move a live location (an ``edited_message`` update)."""
        old = message.location
        if old is None or "live_period" not in old:
            raise ValueError("not a live location message")
        location: JSON = {
            "latitude": latitude,
            "longitude": longitude,
            "live_period": old["live_period"],
        }
        if horizontal_accuracy is not None:
            location["horizontal_accuracy"] = horizontal_accuracy
        if heading is not None:
            location["heading"] = heading
        return self.driver._inject_edit(self, message, {"location": location})

    async def stop_live_location(self, message: Message) -> Message:
        """Stop sharing: Telegram sends a last ``edited_message`` without ``live_period``."""
        old = message.location
        if old is None or "live_period" not in old:
            raise ValueError("not a live location message")
        location = {k: v for k, v in old.items() if k not in ("live_period", "heading")}
        return self.driver._inject_edit(self, message, {"location": location})

    async def send_venue(
        self,
        latitude: float,
        longitude: float,
        title: str,
        address: str,
        *,
        chat: Group | User | int | None = None,
        reply_to: Message | int | None = None,
        thread_id: int | Topic | None = None,
    ) -> Message:
        location = {"latitude": latitude, "longitude": longitude}
        venue = {"location": location, "title": title, "address": address}
        return self.driver._inject(
            self,
            chat,
            {"venue": venue, "location": location},
            reply_to=reply_to,
            thread_id=thread_id,
        )

    async def send_contact(
        self,
        phone_number: str = "+628123456789",
        first_name: str | None = None,
        *,
        last_name: str | None = None,
        user_id: int | None = None,
        chat: Group | User | int | None = None,
        thread_id: int | Topic | None = None,
    ) -> Message:
        """Share a contact; by default the user's own (``user_id`` = own id; 0 = none)."""
        contact: JSON = {
            "phone_number": phone_number,
            "first_name": first_name or self.record.first_name,
        }
        last = last_name if first_name is not None else (last_name or self.record.last_name)
        if last:
            contact["last_name"] = last
        uid = self.id if user_id is None else user_id
        if uid:
            contact["user_id"] = uid
        return self.driver._inject(self, chat, {"contact": contact}, thread_id=thread_id)

    async def send_photo(
        self,
        caption: str | None = None,
        *,
        data: bytes | None = None,
        chat: Group | User | int | None = None,
        reply_to: Message | int | None = None,
        thread_id: int | Topic | None = None,
    ) -> Message:
        """Send a photo (a small generated PNG unless ``data`` is given)."""
        record = self.driver.world.create_file("photo", data or make_png(32, 24))
        content: JSON = {"photo": list(record.photo_sizes or [])}
        self._caption(content, caption)
        return self.driver._inject(self, chat, content, reply_to=reply_to, thread_id=thread_id)

    async def send_album(
        self,
        count: int,
        caption: str | None = None,
        *,
        chat: Group | User | int | None = None,
    ) -> list[Message]:
        """Send ``count`` photos as one album: as Telegram delivers albums, one message
        per photo sharing a ``media_group_id``, the caption on the first."""
        group_id = str(self.driver.world.unique())
        sent = []
        for n in range(count):
            record = self.driver.world.create_file("photo", make_png(32, 24, (n % 256, 90, 40)))
            content: JSON = {"photo": list(record.photo_sizes or []), "media_group_id": group_id}
            if n == 0:
                self._caption(content, caption)
            sent.append(self.driver._inject(self, chat, content))
        return sent

    async def send_voice(
        self,
        duration: int = 3,
        *,
        caption: str | None = None,
        chat: Group | User | int | None = None,
        thread_id: int | Topic | None = None,
    ) -> Message:
        record = self.driver.world.create_file(
            "voice", b"OggS\x00\x02" + bytes(64), mime_type="audio/ogg", duration=duration
        )
        content: JSON = {"voice": record.media_json()}
        self._caption(content, caption)
        return self.driver._inject(self, chat, content, thread_id=thread_id)

    async def send_video(
        self,
        duration: int = 5,
        *,
        caption: str | None = None,
        chat: Group | User | int | None = None,
        thread_id: int | Topic | None = None,
    ) -> Message:
        record = self.driver.world.create_file(
            "video",
            b"\x00\x00\x00\x18ftypmp42" + bytes(64),
            mime_type="video/mp4",
            duration=duration,
            width=640,
            height=360,
            file_name="video.mp4",
        )
        content: JSON = {"video": record.media_json()}
        self._caption(content, caption)
        return self.driver._inject(self, chat, content, thread_id=thread_id)

    async def send_document(
        self,
        file_name: str = "laporan.pdf",
        *,
        data: bytes | None = None,
        mime_type: str = "application/pdf",
        caption: str | None = None,
        chat: Group | User | int | None = None,
        thread_id: int | Topic | None = None,
    ) -> Message:
        record = self.driver.world.create_file(
            "document", data or b"%PDF-1.4\n%%EOF\n", mime_type=mime_type, file_name=file_name
        )
        content: JSON = {"document": record.media_json()}
        self._caption(content, caption)
        return self.driver._inject(self, chat, content, thread_id=thread_id)

    async def send_sticker(self, *, chat: Group | User | int | None = None) -> Message:
        record = self.driver.world.create_file(
            "sticker", b"RIFF\x00\x00\x00\x00WEBP", mime_type="image/webp", width=512, height=512
        )
        return self.driver._inject(self, chat, {"sticker": record.media_json()})

    async def send_animation(
        self, *, caption: str | None = None, chat: Group | User | int | None = None
    ) -> Message:
        record = self.driver.world.create_file(
            "animation",
            b"\x00\x00\x00\x18ftypmp42" + bytes(32),
            mime_type="video/mp4",
            width=320,
            height=240,
            duration=2,
            file_name="animation.mp4",
        )
        content: JSON = {"animation": record.media_json(), "document": record.media_json()}
        self._caption(content, caption)
        return self.driver._inject(self, chat, content)

    async def send_poll(
        self,
        question: str,
        options: Sequence[str],
        *,
        chat: Group | User | int | None = None,
    ) -> Message:
        poll = build_poll(self.driver.world.unique("poll"), question, list(options))
        return self.driver._inject(self, chat, {"poll": poll})

    @staticmethod
    def _caption(content: JSON, caption: str | None) -> None:
        if caption:
            content["caption"] = caption
            found = detect_entities(caption)
            if found:
                content["caption_entities"] = found

    async def edit(self, message: Message, new_text: str) -> Message:
        """Edit one of the user's own messages (an ``edited_message`` update)."""
        key = "text" if "text" in message.raw else "caption"
        if key not in message.raw and not any(
            k in message.raw for k in ("photo", "video", "document", "voice", "animation")
        ):
            raise ValueError("message has no text or caption to edit")
        changes: JSON = {key: new_text}
        found = detect_entities(new_text)
        entity_key = "entities" if key == "text" else "caption_entities"
        if found:
            changes[entity_key] = found
        return self.driver._inject_edit(self, message, changes, drop=(entity_key,))

    # ----------------------------------------------------------------- buttons
    async def press(
        self,
        message: Message,
        text: str | None = None,
        *,
        callback_data: str | None = None,
        timeout: float = 5.0,
    ) -> CallbackAnswer:
        """Press an inline button and wait for the bot's ``answerCallbackQuery``.

        The button is found by exact text, else by (case-insensitive) substring, or by
        ``callback_data``.  Raises :class:`TimeoutError` if the bot does not answer.
        """
        state = self.press_nowait(message, text, callback_data=callback_data)
        return await self.driver.wait_for_answer(state.id, timeout=timeout)

    def press_nowait(
        self, message: Message, text: str | None = None, *, callback_data: str | None = None
    ) -> CallbackQueryState:
        """Press an inline button without waiting; returns the query (see ``.answered``)."""
        if message.deleted:
            raise LookupError(f"message #{message.message_id} was deleted")
        button = message.button(text, callback_data=callback_data)
        if button.callback_data is None:
            raise ValueError(f"button {button.text!r} has no callback_data (url={button.url!r})")
        world = self.driver.world
        chat = world.chats[message.chat_id]
        state = CallbackQueryState(
            id=world.unique(), chat_id=message.chat_id, message_id=message.message_id
        )
        world.callback_queries[state.id] = state
        payload: JSON = {
            "id": state.id,
            "from": self.data,
            "message": message.raw,
            "chat_instance": chat.chat_instance,
            "data": button.callback_data,
        }
        world.enqueue_update("callback_query", payload)
        after = max(chat.order, default=message.message_id)
        pressed = (after, world.clock(), dict(self.data), button.text)
        self.driver.presses.setdefault(message.chat_id, []).append(pressed)
        return state

    async def tap(
        self,
        text: str,
        *,
        location: tuple[float, float] | None = None,
        chat: Group | User | int | None = None,
    ) -> Message:
        """Tap a button of the reply keyboard currently shown in the chat.

        Plain buttons send their text; ``request_location`` buttons send ``location``
        (required); ``request_contact`` buttons share the user's own contact.
        """
        record = self.driver._chat(chat if chat is not None else self)
        keyboard = record.keyboard
        if keyboard is None:
            raise LookupError("no reply keyboard is shown in this chat")
        buttons = [b for row in keyboard.get("keyboard", []) for b in row]
        matching = [b for b in buttons if b.get("text") == text] or [
            b for b in buttons if text.casefold() in str(b.get("text", "")).casefold()
        ]
        if not matching:
            raise LookupError(
                f"no keyboard button {text!r}; buttons: {[b['text'] for b in buttons]}"
            )
        button = matching[0]
        if keyboard.get("one_time_keyboard"):
            record.keyboard = None
        if button.get("request_location"):
            if location is None:
                raise ValueError("this button shares a location: pass location=(lat, lon)")
            return await self.send_location(*location, chat=chat)
        if button.get("request_contact"):
            return await self.send_contact(chat=chat)
        return await self.send(str(button["text"]), chat=chat)

    # ----------------------------------------------------------------- blocking
    def block_bot(self) -> None:
        """Block the bot (it gets a ``my_chat_member`` update; sends then fail with 403)."""
        if not self.record.blocked:
            self.record.blocked = True
            self.driver._private_member_update(self, "member", "kicked")

    def unblock_bot(self) -> None:
        if self.record.blocked:
            self.record.blocked = False
            self.driver._private_member_update(self, "kicked", "member")


class Driver:
    """Drive a bot under test: create people and groups, act as them, read the bot's side.

    ``Driver(server, token)`` registers the bot (if needed) on ``server``.
    """

    def __init__(
        self,
        server: BotApiServer,
        token: str,
        *,
        username: str = "semarang112_bot",
        first_name: str = "Semarang 112",
        can_read_all_group_messages: bool = False,
    ) -> None:
        self.server = server
        self.token = token
        server.register_bot(
            token,
            username=username,
            first_name=first_name,
            can_read_all_group_messages=can_read_all_group_messages,
        )
        self.world: BotWorld = server.world(token)
        self._users: dict[int, User] = {}
        # Inline-button presses per chat, for transcripts: (message id the chat had last
        # when the button was pressed, when, who, button text).
        self.presses: dict[int, list[tuple[int, float, JSON, str]]] = {}

    @property
    def bot(self) -> JSON:
        """The bot's ``User`` object."""
        return dict(self.world.bot_user)

    @property
    def bot_username(self) -> str:
        return str(self.world.bot_user.get("username", ""))

    # ----------------------------------------------------------------- world building
    def user(
        self,
        first_name: str,
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = None,
        user_id: int | None = None,
    ) -> User:
        """Create a person (positive, distinct id; private chat id == user id)."""
        record = self.world.add_user(
            first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            user_id=user_id,
        )
        user = User(self, record)
        self._users[record.id] = user
        return user

    def group(
        self,
        title: str,
        *,
        members: Iterable[User] = (),
        admins: Iterable[User] = (),
        owner: User | None = None,
        username: str | None = None,
        is_forum: bool = False,
        add_bot: bool = True,
        bot_admin: bool = False,
        bot_rights: JSON | None = None,
        basic: bool = False,
    ) -> Group:
        """Create a supergroup (id like ``-100...``), or a basic group with ``basic=True``.

        With ``add_bot`` (default) the bot is already a member, silently; use
        ``add_bot=False`` plus :meth:`add_bot_to_group` to test the ``my_chat_member`` flow.
        ``bot_rights`` overrides single administrator rights of the bot, e.g.
        ``{"can_manage_topics": False}`` (an admin bot without it cannot post in closed
        topics).  ``is_forum`` makes a forum supergroup (see :meth:`create_topic`).
        """
        bot_status: MemberStatus = (
            ("administrator" if bot_admin else "member") if add_bot else "left"
        )
        chat = self.world.add_group(
            title,
            chat_type="group" if basic else "supergroup",
            username=username,
            is_forum=is_forum,
            bot_status=bot_status,
        )
        chat.bot_rights = dict(bot_rights or {})
        for user in members:
            chat.members[user.id] = "member"
        for user in admins:
            chat.members[user.id] = "administrator"
        if owner is not None:
            chat.members[owner.id] = "creator"
        return Group(self, chat)

    # ----------------------------------------------------------------- membership
    def add_bot_to_group(self, group: Group, *, by: User, admin: bool = False) -> None:
        """``by`` adds the bot: a ``my_chat_member`` update plus a ``new_chat_members`` message.

        Works after a removal too (re-adding); sends are accepted again at once.
        """
        if by.id not in group.chat.members:
            group.chat.members[by.id] = "member"
        self.set_bot_status(group, "administrator" if admin else "member", by=by)

    def remove_bot_from_group(
        self, group: Group, *, by: User, status: Literal["kicked", "left"] = "kicked"
    ) -> None:
        """``by`` removes the bot (``kicked``: banned, the default; ``left``: just removed).

        The bot gets ``my_chat_member`` (old status -> ``status``) and the
        ``left_chat_member`` service message; from then on every send, edit, pin, delete
        or chat action there answers 403 "Forbidden: bot was kicked from the supergroup
        chat" (``left``: "Forbidden: bot is not a member of the supergroup chat"; "group
        chat" for basic groups) until :meth:`add_bot_to_group`.
        """
        self.set_bot_status(group, status, by=by)

    def set_bot_status(
        self, group: Group, status: MemberStatus, *, by: User, rights: JSON | None = None
    ) -> None:
        """Change the bot's status (e.g. promote it to ``administrator``): ``my_chat_member``.

        ``rights`` replaces the bot's administrator rights overrides.  Nothing happens
        (no update) if the status does not change.
        """
        chat = self._live_group(group)
        if rights is not None:
            chat.bot_rights = dict(rights)
        groups.set_bot_status(self.world, chat, status, by=by.data)

    def set_member_status(
        self, group: Group, user: User, status: MemberStatus, *, by: User
    ) -> bool:
        """``by`` changes ``user``'s status; ``getChatMember``/``getChatAdministrators``
        show it at once.

        A ``chat_member`` update (``from`` = ``by``, old and new ``ChatMember``) is created
        only when the bot is an administrator there and its ``getUpdates`` asked for
        ``chat_member`` (as Telegram does); returns whether it was.
        """
        chat = self._live_group(group)
        return groups.set_member_status(self.world, chat, user.record, status, by=by.data)

    def promote(self, group: Group, user: User, *, by: User) -> bool:
        """Make ``user`` an administrator (see :meth:`set_member_status`)."""
        return self.set_member_status(group, user, "administrator", by=by)

    def demote(self, group: Group, user: User, *, by: User) -> bool:
        """Make administrator ``user`` a plain member (see :meth:`set_member_status`)."""
        return self.set_member_status(group, user, "member", by=by)

    # ----------------------------------------------------------------- migration
    def migrate_to_supergroup(self, group: Group, *, by: User) -> Group:
        """Upgrade basic group ``group`` to a supergroup (done by ``by``); the new Group.

        The supergroup gets a ``-100...`` id and numbers its messages afresh from 1 (its
        first message is the ``migrate_from_chat_id`` service message); the old group gets
        a ``migrate_to_chat_id`` service message; both reach the bot.  Afterwards every
        method naming the old id answers 400 "Bad Request: group chat was upgraded to a
        supergroup chat" with ``parameters.migrate_to_chat_id`` (python-telegram-bot:
        ``ChatMigrated``).  Members, administrators and the bot's membership carry over.
        The old ``Group`` keeps showing the old chat; people can no longer write there.
        """
        chat = group.chat
        if chat.type != "group" or chat.migrated_to is not None:
            raise ValueError(f"{group!r} is not a basic group that can be upgraded")
        return Group(self, groups.migrate(self.world, chat, by=by.data))

    # ----------------------------------------------------------------- forum topics
    def set_forum(self, group: Group, enabled: bool = True) -> None:
        """Turn topics on (or off) in a supergroup, as an owner does in the group settings."""
        chat = self._live_group(group)
        if chat.type != "supergroup":
            raise ValueError("only supergroups can have topics")
        chat.is_forum = enabled
        if enabled and chat.next_message_id == 1:
            chat.next_message_id = 2

    def create_topic(
        self,
        group: Group,
        name: str,
        *,
        by: User,
        icon_color: int = TOPIC_COLORS[0],
        icon_custom_emoji_id: str | None = None,
    ) -> Topic:
        """``by`` opens a forum topic; the ``forum_topic_created`` message reaches the bot.

        The topic id (``message_thread_id``) is that service message's ``message_id``.
        """
        chat = self._live_group(group)
        if not chat.is_forum:
            raise ValueError(f"{group!r} is not a forum (use is_forum=True or set_forum)")
        record = groups.create_topic(
            self.world,
            chat,
            name,
            by=by.data,
            icon_color=icon_color,
            icon_custom_emoji_id=icon_custom_emoji_id,
        )
        return Topic(group, record)

    def close_topic(self, topic: Topic, *, by: User) -> None:
        """Close a topic: bot sends there answer 400 "Bad Request: TOPIC_CLOSED" unless the
        bot is an administrator allowed to manage topics; a ``forum_topic_closed`` message."""
        chat, record = self._live_topic(topic)
        if not record.closed:
            groups.close_topic(self.world, chat, record, by=by.data)

    def reopen_topic(self, topic: Topic, *, by: User) -> None:
        chat, record = self._live_topic(topic)
        if record.closed:
            groups.reopen_topic(self.world, chat, record, by=by.data)

    def rename_topic(self, topic: Topic, name: str, *, by: User) -> None:
        chat, record = self._live_topic(topic)
        groups.edit_topic(self.world, chat, record, by=by.data, name=name)

    def delete_topic(self, topic: Topic) -> None:
        """Delete a topic and its messages; sends to it then answer 400 "Bad Request:
        message thread not found" (no update reaches the bot)."""
        chat, record = self._live_topic(topic)
        groups.delete_topic(self.world, chat, record)

    def _live_topic(self, topic: Topic) -> tuple[ChatRecord, TopicRecord]:
        chat = self._live_group(topic.group)
        if topic.record.deleted:
            raise LookupError(f"{topic!r} was deleted")
        return chat, topic.record

    def _live_group(self, group: Group) -> ChatRecord:
        chat = group.chat
        if chat.migrated_to is not None:
            raise ValueError(f"{group!r} was upgraded to supergroup {chat.migrated_to}")
        return chat

    def _private_member_update(self, user: User, old: str, new: str) -> None:
        chat = self.world.chats[user.id]
        self.world.enqueue_update(
            "my_chat_member",
            {
                "chat": chat.to_json(),
                "from": user.data,
                "date": self.world.now(),
                "old_chat_member": bot_member_json(self.world, old),
                "new_chat_member": bot_member_json(self.world, new),
            },
        )

    # ----------------------------------------------------------------- injection
    def _chat(self, target: Group | User | Message | int) -> ChatRecord:
        if isinstance(target, Group):
            return target.chat
        if isinstance(target, User):
            return self.world.chats[target.id]
        if isinstance(target, Message):
            return self.world.chats[target.chat_id]
        try:
            return self.world.chats[int(target)]
        except KeyError:
            raise LookupError(f"unknown chat {target!r}") from None

    def _bot_sees(self, chat: ChatRecord, data: JSON) -> bool:
        """Whether Telegram would deliver this message to the bot (privacy mode)."""
        if chat.type == "private":
            return True
        if chat.bot_status not in ("member", "administrator", "creator"):
            return False
        if chat.bot_status == "administrator":
            return True
        if self.world.bot_user.get("can_read_all_group_messages"):
            return True
        if any(k in data for k in groups.SERVICE_KEYS):
            return True
        reply = data.get("reply_to_message")
        if reply and reply.get("from", {}).get("id") == self.world.bot_id:
            return True
        text = str(data.get("text") or data.get("caption") or "")
        username = self.bot_username.lower()
        for entity in data.get("entities") or data.get("caption_entities") or []:
            piece = _utf16_slice(text, entity["offset"], entity["length"]).lower()
            if entity["type"] == "bot_command" and (
                "@" not in piece or piece.endswith("@" + username)
            ):
                return True
            if entity["type"] == "mention" and piece == "@" + username:
                return True
            if (
                entity["type"] == "text_mention"
                and entity.get("user", {}).get("id") == self.world.bot_id
            ):
                return True
        return False

    def _inject(
        self,
        user: User,
        chat: Group | User | int | None,
        content: JSON,
        *,
        reply_to: Message | int | None = None,
        thread_id: int | Topic | None = None,
    ) -> Message:
        record = self._chat(chat if chat is not None else user)
        if record.type == "private":
            if record.id != user.id:
                raise ValueError("a user can only write to the bot in their own private chat")
            if user.record.blocked:
                raise RuntimeError(f"{user!r} has blocked the bot; call unblock_bot() first")
            user.record.started = True
        elif record.migrated_to is not None:
            raise ValueError(f"group {record.id} was upgraded to supergroup {record.migrated_to}")
        target: StoredMessage | None = None
        if reply_to is not None:
            reply_id = reply_to.message_id if isinstance(reply_to, Message) else int(reply_to)
            target = record.messages.get(reply_id)
            if target is None:
                raise LookupError(f"no message #{reply_id} in chat {record.id}")
        data = self._thread_fields(user, record, thread_id, target)
        data.update(content)
        if target is not None:
            data["reply_to_message"] = {
                k: v for k, v in target.data.items() if k != "reply_to_message"
            }
        stored = self.world.add_message(record, data, sender=user.data, from_bot=False)
        if self._bot_sees(record, stored.data):
            self.world.enqueue_update("message", stored.data)
        return Message(stored)

    @staticmethod
    def _thread_fields(
        user: User, record: ChatRecord, thread: int | Topic | None, target: StoredMessage | None
    ) -> JSON:
        thread_id = thread.id if isinstance(thread, Topic) else thread
        if record.type == "private":
            return {} if thread_id is None else {"message_thread_id": thread_id}
        try:
            fields = record.thread_fields(thread_id, target)
        except ForumError as exc:
            raise LookupError(f"cannot post in thread {thread_id}: {exc.text}") from None
        topic = record.topic_of(fields)
        status = record.members.get(user.id)
        if topic is not None and topic.closed and status not in ("administrator", "creator"):
            raise RuntimeError(f"topic {topic.name!r} is closed; only admins can post there")
        return fields

    def _inject_edit(
        self, user: User, message: Message, changes: JSON, *, drop: tuple[str, ...] = ()
    ) -> Message:
        stored = message.stored
        if stored.from_bot or stored.data.get("from", {}).get("id") != user.id:
            raise ValueError("users can only edit their own messages")
        if stored.deleted:
            raise LookupError("message was deleted")
        self.world.edit_message(stored, changes, drop=drop)
        chat = self.world.chats[stored.chat_id]
        if self._bot_sees(chat, stored.data):
            self.world.enqueue_update("edited_message", stored.data)
        return Message(stored)

    # ----------------------------------------------------------------- reading
    def messages(self, chat: Group | User | Message | int) -> list[Message]:
        """All messages in the chat, both directions, in order, edits applied."""
        record = self._chat(chat)
        return [
            Message(record.messages[mid])
            for mid in record.order
            if not record.messages[mid].deleted
        ]

    def bot_messages(self, chat: Group | User | Message | int) -> list[Message]:
        """The bot's (undeleted) messages in the chat, in order."""
        return [m for m in self.messages(chat) if m.is_from_bot]

    def topic_messages(self, group: Group, topic: Topic | int | None) -> list[Message]:
        """Messages shown in one forum topic (``None`` = General), both directions, in order.

        A message belongs to a topic when it has ``is_topic_message`` and that
        ``message_thread_id``; everything else is in General (also replies that carry a
        reply-chain ``message_thread_id``).
        """
        thread_id = topic.id if isinstance(topic, Topic) else topic
        record = group.chat
        return [m for m in self.messages(group) if record.in_topic(m.stored, thread_id)]

    def bot_topic_messages(self, group: Group, topic: Topic | int | None) -> list[Message]:
        """The bot's messages in one forum topic (``None`` = General)."""
        return [m for m in self.topic_messages(group, topic) if m.is_from_bot]

    def last_bot_message(self, chat: Group | User | Message | int) -> Message | None:
        found = self.bot_messages(chat)
        return found[-1] if found else None

    def current_keyboard(self, chat: Group | User | int) -> list[list[KeyboardButton]]:
        """The reply keyboard currently shown in the chat (empty if none)."""
        keyboard = self._chat(chat).keyboard or {}
        return [
            [
                KeyboardButton(
                    b["text"], bool(b.get("request_location")), bool(b.get("request_contact"))
                )
                for b in row
            ]
            for row in keyboard.get("keyboard", [])
        ]

    async def next_bot_message(
        self,
        chat: Group | User | int,
        timeout: float = 5.0,
    ) -> Message:
        """The next bot message in the chat not yet returned by this method (waits)."""
        record = self._chat(chat)
        deadline = time.monotonic() + timeout
        while True:
            while record.unconsumed:
                stored = record.messages[record.unconsumed.popleft()]
                if not stored.deleted:
                    return Message(stored)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(
                    f"no new bot message in {self._chat_name(record)} within {timeout}s"
                    + self._tail(record)
                )
            await record.signal.wait(remaining)

    async def wait_for(
        self,
        chat: Group | User | int,
        predicate: Callable[[Message], bool],
        timeout: float = 5.0,
        *,
        only_new: bool = False,
    ) -> Message:
        """First bot message in the chat (existing or future, incl. edits) matching.

        With ``only_new`` messages that exist already are skipped unless they are
        edited (or sent) after this call.
        """
        record = self._chat(chat)
        deadline = time.monotonic() + timeout
        if not only_new:
            for mid in record.order:
                stored = record.messages[mid]
                if stored.from_bot and not stored.deleted and predicate(Message(stored)):
                    return Message(stored)
        seen = len(record.changes)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(
                    f"no matching bot message in {self._chat_name(record)} within {timeout}s"
                    + self._tail(record)
                )
            await record.signal.wait(remaining)
            changed = record.changes[seen:]
            seen = len(record.changes)
            for mid in dict.fromkeys(changed):
                stored = record.messages[mid]
                if stored.from_bot and not stored.deleted and predicate(Message(stored)):
                    return Message(stored)

    async def wait_for_edit(
        self,
        message: Message,
        timeout: float = 5.0,
    ) -> Message:
        """Wait until ``message`` has been edited after the wrapper was made; a fresh wrapper."""
        stored = message.stored
        record = self.world.chats[stored.chat_id]
        deadline = time.monotonic() + timeout
        while stored.version <= message.seen_version:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(
                    f"message #{stored.message_id} was not edited within {timeout}s"
                    + self._tail(record)
                )
            await record.signal.wait(remaining)
        return Message(stored)

    async def wait_for_answer(
        self,
        query_id: str,
        timeout: float = 5.0,
    ) -> CallbackAnswer:
        """Wait for ``answerCallbackQuery`` on a query made with ``press_nowait``."""
        state = self.world.callback_queries[query_id]
        deadline = time.monotonic() + timeout
        while not state.answered:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(
                    f"the bot did not answer callback query {query_id} within {timeout}s"
                )
            await state.signal.wait(remaining)
        answer = state.answer or {}
        return CallbackAnswer(answer.get("text"), bool(answer.get("show_alert")), answer.get("url"))

    async def assert_no_bot_message(self, chat: Group | User | int, within: float = 0.3) -> None:
        """Fail if the bot sends a new message to the chat within ``within`` seconds."""
        record = self._chat(chat)
        before = len(record.order)
        await asyncio.sleep(within)
        new = [
            record.messages[mid] for mid in record.order[before:] if record.messages[mid].from_bot
        ]
        if new:
            raise AssertionError(f"unexpected bot message: {Message(new[0])!r}")

    async def wait_until_delivered(self, timeout: float = 5.0) -> None:
        """Wait until the bot has fetched all pending updates (confirmed by a later poll)."""
        deadline = time.monotonic() + timeout
        while self.world.updates:
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{len(self.world.updates)} updates still pending")
            await asyncio.sleep(0.01)

    @property
    def pending_updates(self) -> int:
        """Updates the bot has not confirmed yet."""
        return len(self.world.updates)

    def calls(self, method: str | None = None) -> list[ApiCall]:
        """Recorded API calls of this bot (optionally of one method)."""
        return [c for c in self.world.calls if method is None or c.method == method]

    def answers(self, status: int, chat: Group | User | int | None = None) -> int:
        """How many API answers had HTTP ``status`` (for calls naming ``chat``, if given)."""
        key = None if chat is None else str(self._chat(chat).id)
        return self.world.status_counts[(status, key)]

    def too_many_requests(self, chat: Group | User | int | None = None) -> int:
        """How many 429 answers the bot got (flood limits and injected 429s), per chat.

        ``tg.too_many_requests(dispatch) == 0`` asserts "no 429 in the group".
        """
        return self.answers(429, chat)

    def call_count(
        self, method: str, chat: Group | User | int | None = None, *, ok_only: bool = False
    ) -> int:
        """How many times the bot called ``method`` (for ``chat``; only successes if asked)."""
        key = None if chat is None else str(self._chat(chat).id)
        counts = self.world.call_counts
        total = counts[(method, key, True)]
        if not ok_only:
            total += counts[(method, key, False)]
        return total

    # ----------------------------------------------------------------- transcript
    def _chat_name(self, record: ChatRecord) -> str:
        if record.type == "private" and record.user is not None:
            return f"private chat with {record.user.full_name}"
        return f"group {record.title!r}"

    def _tail(self, record: ChatRecord, lines: int = 8) -> str:
        text = self.transcript(record.id)
        if not text:
            return " (chat is empty)"
        return "; last messages:\n" + "\n".join(text.splitlines()[-lines:])

    def transcript(self, chat: Group | User | int, *, tz: dtm.tzinfo = WIB) -> str:
        """A readable transcript of the chat (time in WIB, sender, content, buttons, and
        the inline buttons people pressed: ``[taps ✅ Kirim]``)."""
        record = self._chat(chat)
        presses = sorted(self.presses.get(record.id, []), key=lambda p: p[0])
        lines: list[str] = []
        for mid in record.order:
            stored = record.messages[mid]
            if not stored.deleted:
                lines.extend(self._render(Message(stored), tz))
            while presses and presses[0][0] <= mid:
                _, at, who, label = presses.pop(0)
                stamp = dtm.datetime.fromtimestamp(at, tz).strftime("%H:%M:%S")
                lines.append(f"[{stamp}] {self._sender_name({'from': who})}: [taps {label}]")
        return "\n".join(lines)

    def _sender_name(self, data: JSON) -> str:
        sender = data.get("from") or {}
        if sender.get("id") == self.world.bot_id:
            return f"🤖 {self.world.bot_user.get('first_name', 'bot')}"
        name = str(sender.get("first_name", "?"))
        if sender.get("last_name"):
            name += f" {sender['last_name']}"
        return name

    def _render(self, message: Message, tz: dtm.tzinfo) -> list[str]:
        data = message.raw
        stamp = dtm.datetime.fromtimestamp(message.date, tz).strftime("%H:%M:%S")
        head = f"[{stamp}] {self._sender_name(data)}"
        reply = data.get("reply_to_message")
        if reply:
            snippet = str(reply.get("text") or reply.get("caption") or _describe(reply))
            snippet = snippet.splitlines()[0] if snippet else ""
            if len(snippet) > 30:
                snippet = snippet[:29] + "…"
            head += f" (↩ {self._sender_name(reply)}: {snippet})"
        body = _describe(data)
        if message.edited:
            body += " (edited)"
        body_lines = body.split("\n")
        indent = " " * 11
        lines = [f"{head}: {body_lines[0]}"]
        lines.extend(indent + line for line in body_lines[1:])
        for row in message.inline_buttons:
            lines.append(indent + " ".join(f"[{b.text}]" for b in row))
        keyboard = message.reply_keyboard
        if keyboard:
            for key_row in keyboard:
                cells = []
                for key in key_row:
                    icon = "📍 " if key.request_location else "📞 " if key.request_contact else ""
                    cells.append(f"[{icon}{key.text}]")
                lines.append(indent + "⌨ " + " ".join(cells))
        elif message.removes_keyboard:
            lines.append(indent + "⌨ (keyboard removed)")
        return lines


def _describe(data: JSON) -> str:
    """Human-readable content of a message (text, location, photo, ...)."""
    parts: list[str] = []
    if "forward_origin" in data:
        origin = data["forward_origin"]
        source = origin.get("sender_user") or origin.get("sender_chat") or origin.get("chat") or {}
        parts.append(f"↪ forwarded from {source.get('first_name') or source.get('title', '?')}:")
    caption = data.get("caption")
    if "text" in data:
        parts.append(str(data["text"]))
    elif "venue" in data:
        venue = data["venue"]
        loc = venue["location"]
        where = f"{loc['latitude']:.5f}, {loc['longitude']:.5f}"
        parts.append(f"📍 {venue['title']} — {venue['address']} ({where})")
    elif "location" in data:
        loc = data["location"]
        text = f"📍 {loc['latitude']:.5f}, {loc['longitude']:.5f}"
        if loc.get("horizontal_accuracy") is not None:
            text += f" ±{loc['horizontal_accuracy']:g} m"
        if loc.get("live_period"):
            text += f" (live, {int(loc['live_period']) // 60} min)"
        parts.append(text)
    elif "photo" in data:
        parts.append("🖼 photo")
    elif "contact" in data:
        contact = data["contact"]
        name = " ".join(filter(None, [contact.get("first_name"), contact.get("last_name")]))
        parts.append(f"📞 contact {name} {contact['phone_number']}")
    elif "voice" in data:
        parts.append(f"🎤 voice ({data['voice'].get('duration', 0)} s)")
    elif "animation" in data:
        parts.append("🎞 GIF")
    elif "video" in data:
        parts.append(f"🎬 video ({data['video'].get('duration', 0)} s)")
    elif "sticker" in data:
        parts.append(f"🏷 sticker {data['sticker'].get('emoji', '')}".rstrip())
    elif "document" in data:
        parts.append(f"📄 {data['document'].get('file_name', 'document')}")
    elif "poll" in data:
        poll = data["poll"]
        options = " | ".join(o["text"] for o in poll["options"])
        parts.append(f"📊 poll: {poll['question']} [{options}]")
    elif "dice" in data:
        parts.append(f"{data['dice']['emoji']} = {data['dice']['value']}")
    elif "new_chat_members" in data:
        names = ", ".join(u.get("first_name", "?") for u in data["new_chat_members"])
        parts.append(f"➕ added {names}")
    elif "left_chat_member" in data:
        parts.append(f"➖ {data['left_chat_member'].get('first_name', '?')} left")
    elif "migrate_to_chat_id" in data:
        parts.append(f"⤴ upgraded to supergroup {data['migrate_to_chat_id']}")
    elif "migrate_from_chat_id" in data:
        parts.append(f"⤴ upgraded from group {data['migrate_from_chat_id']}")
    elif "forum_topic_created" in data:
        parts.append(f"🗂 topic created: {data['forum_topic_created'].get('name', '')}")
    elif "forum_topic_edited" in data:
        parts.append(f"🗂 topic renamed: {data['forum_topic_edited'].get('name', '')}")
    elif "forum_topic_closed" in data:
        parts.append("🗂 topic closed")
    elif "forum_topic_reopened" in data:
        parts.append("🗂 topic reopened")
    else:
        parts.append("(message)")
    if caption:
        parts[-1] += f": {caption}"
    return " ".join(parts)


def _utf16_slice(text: str, offset: int, length: int) -> str:
    encoded = text.encode("utf-16-le")
    return encoded[offset * 2 : (offset + length) * 2].decode("utf-16-le", errors="replace")


def detect_entities(text: str) -> list[JSON]:
    """Entities a Telegram client would attach: bot commands, @mentions and URLs."""
    found: list[JSON] = []
    for pattern, kind in ((_COMMAND_RE, "bot_command"), (_MENTION_RE, "mention"), (_URL_RE, "url")):
        for match in pattern.finditer(text):
            found.append(
                {
                    "type": kind,
                    "offset": utf16_len(text[: match.start()]),
                    "length": utf16_len(match.group(0)),
                }
            )
    found.sort(key=lambda e: e["offset"])
    return found
