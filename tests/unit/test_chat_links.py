"""Forum topics Telegram refuses, and chats that moved: pure rules."""

from __future__ import annotations

from bot.domain.chats import LostTopics, topic_lost


def test_deleted_and_closed_topics_are_told_apart_from_other_refusals() -> None:
    assert topic_lost("Bad Request: message thread not found")
    assert topic_lost("Topic_closed")
    assert topic_lost("Bad Request: TOPIC_DELETED")
    assert not topic_lost("Bad Request: chat not found")
    assert not topic_lost("Bad Request: message is too long")


def test_a_lost_topic_is_unusable_until_found_again() -> None:
    topics = LostTopics({(-100, 7)})
    assert not topics.usable(-100, 7)
    assert topics.usable(-100, 8) and topics.usable(-200, 7)
    topics.discard(-100, 7)
    assert topics.usable(-100, 7)
    topics.add(-100, 9)
    assert not topics.usable(-100, 9)
