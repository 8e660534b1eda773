"""Group life as Telegram reports it to a bot: membership, migration and forum topics.

Each function changes a :class:`emulator.world.BotWorld` the way Telegram would and
enqueues the updates Telegram sends for it.  Both sides use them: the test driver (people
acting) and the Bot API methods (the bot acting: ``leaveChat``, ``createForumTopic``, ...).
Callers validate; these functions only carry out.

What is simulated, and the choices made where Telegram's documentation is silent:

* **Membership** - the bot's own status changes produce a ``my_chat_member`` update
  (``ChatMemberUpdated``: ``chat``, ``from`` = who did it, ``date``, old and new
  ``ChatMember`` of the bot).  Removal also stores a ``left_chat_member`` service message
  and delivers it (the Bot API documents that this member "may be the bot itself");
  adding stores and delivers ``new_chat_members``.  A human member's status change
  produces a ``chat_member`` update only if the bot is an administrator of the chat and
  its last ``getUpdates`` asked for ``chat_member`` in ``allowed_updates`` - otherwise
  Telegram never creates the update, so neither does the emulator.  ``getChat``,
  ``getChatMember`` and ``getChatAdministrators`` keep answering for a group the bot was
  removed from (a lenient choice, not checked against Telegram); everything that writes
  answers 403.
* **Migration** of a basic group to a supergroup: the supergroup gets a new ``-100...`` id
  and its own message numbering, starting at 1 with the ``migrate_from_chat_id`` service
  message (supergroups number their messages per chat; the old group's ids mean nothing
  there).  The old group gets a ``migrate_to_chat_id`` service message.  Both go to the
  bot, the supergroup's first (the order reported by other bot authors; do not rely on
  it).  Members, administrators, the bot's status and rights carry over; afterwards every
  method naming the old id answers 400 "group chat was upgraded to a supergroup chat"
  with ``parameters.migrate_to_chat_id``.  No ``my_chat_member`` is sent for the move.
* **Forum topics**: a topic's id (``message_thread_id``) is the ``message_id`` of its
  ``forum_topic_created`` service message.  Closing/reopening/renaming add
  ``forum_topic_closed``/``forum_topic_reopened``/``forum_topic_edited`` service
  messages inside the topic.  Deleting a topic deletes every message in it and sends no
  update.  Service messages made by the bot itself are not delivered back to it.
"""

from __future__ import annotations

from emulator.world import (
    JSON,
    BotWorld,
    ChatRecord,
    MemberStatus,
    StoredMessage,
    TopicRecord,
    UserRecord,
    member_json,
)

__all__ = [
    "PRESENT",
    "SERVICE_KEYS",
    "bot_member",
    "close_topic",
    "create_topic",
    "delete_topic",
    "deliver",
    "edit_topic",
    "migrate",
    "reopen_topic",
    "set_bot_status",
    "set_member_status",
    "short_bot_user",
]

PRESENT: frozenset[str] = frozenset({"creator", "administrator", "member", "restricted"})

# Service messages reach every bot in the chat, privacy mode notwithstanding.
SERVICE_KEYS = frozenset(
    {
        "new_chat_members",
        "left_chat_member",
        "pinned_message",
        "migrate_to_chat_id",
        "migrate_from_chat_id",
        "forum_topic_created",
        "forum_topic_edited",
        "forum_topic_closed",
        "forum_topic_reopened",
    }
)


def short_bot_user(world: BotWorld) -> JSON:
    """The bot as a plain ``User`` (as it appears inside messages and members)."""
    keys = ("id", "is_bot", "first_name", "username")
    return {k: v for k, v in world.bot_user.items() if k in keys}


def bot_member(world: BotWorld, chat: ChatRecord, status: str) -> JSON:
    """The bot as a ``ChatMember`` of ``status`` in ``chat`` (with its admin rights)."""
    return member_json(status, short_bot_user(world), chat.bot_rights)


def _member_updated(world: BotWorld, chat: ChatRecord, by: JSON, old: JSON, new: JSON) -> JSON:
    return {
        "chat": chat.to_json(),
        "from": by,
        "date": world.now(),
        "old_chat_member": old,
        "new_chat_member": new,
    }


def deliver(world: BotWorld, chat: ChatRecord, stored: StoredMessage) -> None:
    """Send a service message to the bot as a ``message`` update if the bot is there."""
    if not stored.from_bot and chat.bot_status in PRESENT:
        world.enqueue_update("message", stored.data)


def set_bot_status(world: BotWorld, chat: ChatRecord, status: MemberStatus, *, by: JSON) -> None:
    """Change the bot's status in a group: ``my_chat_member`` plus the join/leave message.

    ``by`` is the ``User`` who did it (the bot itself for ``leaveChat``: then no service
    message is delivered).
    """
    old = chat.bot_status
    if old == status:
        return
    chat.bot_status = status
    world.enqueue_update(
        "my_chat_member",
        _member_updated(
            world, chat, by, bot_member(world, chat, old), bot_member(world, chat, status)
        ),
    )
    if by.get("id") == world.bot_id:
        return
    bot_user = short_bot_user(world)
    content: JSON | None = None
    if old not in PRESENT and status in PRESENT:
        content = {
            "new_chat_members": [bot_user],
            "new_chat_member": bot_user,
            "new_chat_participant": bot_user,
        }
    elif old in PRESENT and status not in PRESENT:
        content = {"left_chat_member": bot_user, "left_chat_participant": bot_user}
    if content is not None:
        stored = world.add_message(chat, content, sender=by, from_bot=False)
        world.enqueue_update("message", stored.data)


def set_member_status(
    world: BotWorld, chat: ChatRecord, user: UserRecord, status: MemberStatus, *, by: JSON
) -> bool:
    """Change a person's status; ``chat_member`` goes to an admin bot that asked for it.

    Returns whether a ``chat_member`` update was created.
    """
    old = world.member_status(chat, user.id)
    if old == status:
        return False
    chat.members[user.id] = status
    if not chat.bot_can("can_manage_chat") or "chat_member" not in world.allowed_updates:
        return False
    user_json = user.to_json()
    world.enqueue_update(
        "chat_member",
        _member_updated(
            world, chat, by, member_json(old, user_json), member_json(status, user_json)
        ),
    )
    return True


def migrate(world: BotWorld, chat: ChatRecord, *, by: JSON) -> ChatRecord:
    """Upgrade basic group ``chat`` to a new supergroup and return the supergroup."""
    new = world.add_group(
        chat.title or "", chat_type="supergroup", username=chat.username, bot_status="left"
    )
    new.bot_status = chat.bot_status
    new.members = dict(chat.members)
    new.bot_rights = dict(chat.bot_rights)
    new.menu_button = chat.menu_button
    chat.migrated_to = new.id
    new.migrated_from = chat.id
    upgraded = world.add_message(new, {"migrate_from_chat_id": chat.id}, sender=by, from_bot=False)
    moved = world.add_message(chat, {"migrate_to_chat_id": new.id}, sender=by, from_bot=False)
    deliver(world, new, upgraded)
    deliver(world, chat, moved)
    return new


def create_topic(
    world: BotWorld,
    chat: ChatRecord,
    name: str,
    *,
    by: JSON,
    icon_color: int,
    icon_custom_emoji_id: str | None = None,
) -> TopicRecord:
    """Open a topic in forum ``chat``: a ``forum_topic_created`` message starts it."""
    thread_id = chat.next_message_id
    topic = TopicRecord(
        thread_id=thread_id,
        name=name,
        icon_color=icon_color,
        creator_id=int(by["id"]),
        icon_custom_emoji_id=icon_custom_emoji_id,
    )
    created: JSON = {"name": name, "icon_color": icon_color}
    if icon_custom_emoji_id:
        created["icon_custom_emoji_id"] = icon_custom_emoji_id
    chat.topics[thread_id] = topic
    from_bot = by.get("id") == world.bot_id
    stored = world.add_message(
        chat,
        {"message_thread_id": thread_id, "is_topic_message": True, "forum_topic_created": created},
        sender=by,
        from_bot=from_bot,
    )
    deliver(world, chat, stored)
    return topic


def _topic_event(
    world: BotWorld, chat: ChatRecord, topic: TopicRecord, content: JSON, by: JSON
) -> StoredMessage:
    fields = chat.thread_fields(topic.thread_id, None)
    fields.update(content)
    stored = world.add_message(chat, fields, sender=by, from_bot=by.get("id") == world.bot_id)
    deliver(world, chat, stored)
    return stored


def close_topic(world: BotWorld, chat: ChatRecord, topic: TopicRecord, *, by: JSON) -> None:
    """Close a topic: only administrators who may manage topics can still post in it."""
    _topic_event(world, chat, topic, {"forum_topic_closed": {}}, by)
    topic.closed = True


def reopen_topic(world: BotWorld, chat: ChatRecord, topic: TopicRecord, *, by: JSON) -> None:
    topic.closed = False
    _topic_event(world, chat, topic, {"forum_topic_reopened": {}}, by)


def edit_topic(
    world: BotWorld,
    chat: ChatRecord,
    topic: TopicRecord,
    *,
    by: JSON,
    name: str | None = None,
    icon_custom_emoji_id: str | None = None,
) -> None:
    """Rename a topic (or change its icon): a ``forum_topic_edited`` service message."""
    edited: JSON = {}
    if name is not None:
        topic.name = name
        edited["name"] = name
    if icon_custom_emoji_id is not None:
        topic.icon_custom_emoji_id = icon_custom_emoji_id or None
        edited["icon_custom_emoji_id"] = icon_custom_emoji_id
    _topic_event(world, chat, topic, {"forum_topic_edited": edited}, by)


def delete_topic(world: BotWorld, chat: ChatRecord, topic: TopicRecord) -> None:
    """Delete a topic with all its messages (no update is sent)."""
    topic.deleted = True
    for message_id in chat.order:
        stored = chat.messages[message_id]
        if not stored.deleted and chat.topic_of(stored.data) is topic:
            world.delete_message(stored)
