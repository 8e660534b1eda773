"""Forum supergroups (topics) through the real HTTP server with python-telegram-bot."""

from __future__ import annotations

import pytest
import telegram
from telegram import ReplyParameters
from telegram.error import BadRequest

from emulator import Driver, Topic, User
from emulator.world import make_png


def forum_with_topic(
    tg: Driver, *, bot_rights: dict[str, bool] | None = None
) -> tuple[User, User, Topic]:
    owner = tg.user("Pak Kepala")
    sari = tg.user("Sari")
    forum = tg.group(
        "112 Dispatch",
        members=[sari],
        owner=owner,
        is_forum=True,
        bot_admin=True,
        bot_rights=bot_rights,
    )
    return owner, sari, tg.create_topic(forum, "Kebakaran", by=owner, icon_color=0xFF93B2)


async def test_people_post_in_topics_and_the_bot_answers_there(
    bot: telegram.Bot, tg: Driver
) -> None:
    _, sari, fire = forum_with_topic(tg)
    forum = fire.group
    assert (await bot.get_chat(forum.id)).is_forum
    command = await sari.send("/antrian", chat=forum, thread_id=fire)
    updates = await bot.get_updates()
    created, posted = (u.message for u in updates)
    assert created is not None and created.forum_topic_created is not None
    assert created.forum_topic_created.name == "Kebakaran"
    assert created.forum_topic_created.icon_color == 0xFF93B2
    assert created.message_id == created.message_thread_id == fire.id > 1
    assert posted is not None and posted.chat.is_forum
    assert posted.message_thread_id == fire.id and posted.is_topic_message
    assert posted.reply_to_message is not None  # Telegram: the topic's creation message
    assert posted.reply_to_message.forum_topic_created is not None
    sent = [
        await bot.send_message(forum.id, "antrian kosong", message_thread_id=fire.id),
        await bot.send_photo(forum.id, make_png(), caption="foto", message_thread_id=fire.id),
        await bot.send_location(forum.id, -6.99, 110.42, message_thread_id=fire.id),
        await bot.send_venue(forum.id, -6.99, 110.42, "Pos", "Jl. A", message_thread_id=fire.id),
    ]
    for message in sent:
        assert message.message_thread_id == fire.id and message.is_topic_message
        assert message.reply_to_message is not None
        assert message.reply_to_message.message_id == fire.id
    album = await bot.send_media_group(
        forum.id,
        [telegram.InputMediaPhoto(make_png()), telegram.InputMediaPhoto(make_png())],
        message_thread_id=fire.id,
    )
    assert {m.message_thread_id for m in album} == {fire.id}
    reply = await bot.send_message(
        forum.id, "dibalas", reply_parameters=ReplyParameters(command.message_id)
    )
    assert reply.message_thread_id == fire.id and reply.is_topic_message
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.message_id == command.message_id
    general = await bot.send_message(forum.id, "pengumuman umum")
    assert general.message_thread_id is None and not general.is_topic_message
    in_topic = tg.bot_topic_messages(forum, fire)
    assert [m.text for m in in_topic] == ["antrian kosong", "foto", "", "", "", "", "dibalas"]
    assert {m.topic_id for m in in_topic} == {fire.id}
    assert [m.text for m in tg.bot_topic_messages(forum, None)] == ["pengumuman umum"]
    assert [m.text for m in tg.topic_messages(forum, fire.id)][:2] == ["", "/antrian"]
    assert "🗂 topic created: Kebakaran" in tg.transcript(forum)
    assert forum.topics == [fire] and forum.topic(fire.id) == fire


async def test_thread_ids_that_are_not_topics_are_refused(bot: telegram.Bot, tg: Driver) -> None:
    _, sari, fire = forum_with_topic(tg)
    forum = fire.group
    question = await sari.send("siapa yang jaga?", chat=forum)  # General
    answer = await sari.send("saya", chat=forum, reply_to=question)
    assert answer.thread_id == question.message_id and answer.topic_id is None
    for thread_id in (answer.thread_id, 1, 999):
        with pytest.raises(BadRequest, match=r"^Message thread not found$"):
            await bot.send_message(forum.id, "x", message_thread_id=thread_id)
    reply = await bot.send_message(
        forum.id, "ok", reply_parameters=ReplyParameters(answer.message_id)
    )
    assert reply.message_thread_id == question.message_id and not reply.is_topic_message
    assert tg.bot_topic_messages(forum, None)[-1].text == "ok"
    plain = tg.group("Grup biasa", members=[sari])
    first = await sari.send("halo", chat=plain)
    second = await sari.send("halo juga", chat=plain, reply_to=first)
    assert second.thread_id == first.message_id  # reply chains have a thread id, too
    with pytest.raises(BadRequest, match="Message thread not found"):
        await bot.send_message(plain.id, "x", message_thread_id=second.thread_id)
    with pytest.raises(LookupError, match="message thread not found"):
        await sari.send("x", chat=forum, thread_id=999)


async def test_closed_and_deleted_topics(bot: telegram.Bot, tg: Driver) -> None:
    owner, sari, fire = forum_with_topic(tg, bot_rights={"can_manage_topics": False})
    forum = fire.group
    before = await bot.send_message(forum.id, "sebelum ditutup", message_thread_id=fire.id)
    tg.close_topic(fire, by=owner)
    assert fire.closed
    with pytest.raises(BadRequest, match=r"^Topic_closed$"):
        await bot.send_message(forum.id, "x", message_thread_id=fire.id)
    with pytest.raises(BadRequest, match="Topic_closed"):  # a reply goes to the same topic
        await bot.send_message(forum.id, "x", reply_parameters=ReplyParameters(before.message_id))
    await bot.edit_message_text("diedit", chat_id=forum.id, message_id=before.message_id)
    with pytest.raises(RuntimeError, match="closed"):
        await sari.send("boleh?", chat=forum, thread_id=fire)
    await owner.send("admin boleh", chat=forum, thread_id=fire)
    tg.reopen_topic(fire, by=owner)
    await bot.send_message(forum.id, "dibuka lagi", message_thread_id=fire.id)
    updates = await bot.get_updates()
    service = [u.message for u in updates if u.message and u.message.is_topic_message]
    assert [
        (m.forum_topic_closed is not None, m.forum_topic_reopened is not None) for m in service
    ] == [(False, False), (True, False), (False, False), (False, True)]
    tg.rename_topic(fire, "Kebakaran (selesai)", by=owner)
    assert fire.name == "Kebakaran (selesai)"
    tg.delete_topic(fire)
    assert fire.deleted and tg.topic_messages(forum, fire) == [] and forum.topics == []
    with pytest.raises(BadRequest, match=r"^Message thread not found$"):
        await bot.send_message(forum.id, "x", message_thread_id=fire.id)
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(forum.id, "x", reply_parameters=ReplyParameters(before.message_id))
    with pytest.raises(LookupError):
        await sari.send("x", chat=forum, thread_id=fire)
    renamed = await bot.get_updates(offset=updates[-1].update_id + 1)  # deletion sends none
    assert [u.message.forum_topic_edited.name for u in renamed if u.message] == [
        "Kebakaran (selesai)"
    ]
    await bot.send_message(forum.id, "ke General")


async def test_an_admin_bot_that_manages_topics_may_post_in_closed_ones(
    bot: telegram.Bot, tg: Driver
) -> None:
    owner, _, fire = forum_with_topic(tg)
    tg.close_topic(fire, by=owner)
    sent = await bot.send_message(fire.group.id, "tetap boleh", message_thread_id=fire.id)
    assert sent.is_topic_message


async def test_the_bot_manages_topics(bot: telegram.Bot, tg: Driver) -> None:
    owner = tg.user("Pak Kepala")
    forum = tg.group("112 Dispatch", owner=owner, is_forum=True, bot_admin=True)
    topic = await bot.create_forum_topic(forum.id, "SOS", icon_color=0xFB6F5F)
    assert topic.name == "SOS" and topic.icon_color == 0xFB6F5F
    assert forum.topic(topic.message_thread_id).name == "SOS"
    assert await bot.get_updates() == ()  # the bot's own service message is not echoed
    await bot.send_message(forum.id, "kartu", message_thread_id=topic.message_thread_id)
    assert await bot.close_forum_topic(forum.id, topic.message_thread_id)
    with pytest.raises(BadRequest, match="Topic_not_modified"):
        await bot.close_forum_topic(forum.id, topic.message_thread_id)
    assert await bot.reopen_forum_topic(forum.id, topic.message_thread_id)
    assert await bot.edit_forum_topic(forum.id, topic.message_thread_id, name="SOS aktif")
    assert forum.topic(topic.message_thread_id).name == "SOS aktif"
    assert await bot.delete_forum_topic(forum.id, topic.message_thread_id)
    with pytest.raises(BadRequest, match="Message thread not found"):
        await bot.close_forum_topic(forum.id, topic.message_thread_id)
    plain = tg.group("Grup biasa", owner=owner, bot_admin=True)
    with pytest.raises(BadRequest, match="The chat is not a forum"):
        await bot.create_forum_topic(plain.id, "x")
    member_only = tg.group("Forum lain", owner=owner, is_forum=True)
    with pytest.raises(BadRequest, match="Not enough rights to create a topic"):
        await bot.create_forum_topic(member_only.id, "x")
    mine = tg.create_topic(member_only, "Topik warga", by=owner)
    with pytest.raises(BadRequest, match="Chat_admin_required"):
        await bot.close_forum_topic(member_only.id, mine.id)
    tg.set_forum(plain)
    assert (await bot.get_chat(plain.id)).is_forum
