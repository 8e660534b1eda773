"""Forum topics of the dispatch group: where cards, digests and agency copies are aimed,
and a refused topic sending what waits for it to General."""

from __future__ import annotations

from pathlib import Path

from bot.domain.categories import Category
from bot.domain.chats import LostTopics
from bot.domain.routing import Routing
from bot.services import reports, topics
from bot.services.reports import Submitted
from handlers.views.card import CardRenderer
from storage import outbox
from storage.cards import card_state
from storage.db import Database
from tests.support import factories as f

ROUTING = """
[agencies.command_center]
name = "Command Center 112"
short_name = "CC 112"
[agencies.damkar]
name = "Damkar"
short_name = "Damkar"
topic_id = 9
[categories]
""" + "".join(f'{c.value} = "damkar"\n' for c in Category)


async def test_cards_digests_and_topic_only_agencies_are_aimed_at_their_topics(
    db: Database, tmp_path: Path
) -> None:
    settings = f.settings(tmp_path, dispatch_topic_id=5)
    lost = LostTopics()
    renderer = CardRenderer(settings, Routing.from_toml(ROUTING), topics=lost)
    done = await reports.submit_report(
        db, f.draft(), f.reporter(), f.intake(), f.at(5), lambda st: renderer.on_submit(st, f.at(5))
    )
    assert isinstance(done, Submitted)
    state = await card_state(db, done.report.id)
    chat = renderer.chat
    card = renderer.on_submit(state, f.at(5))[0]
    assert card.role == "card" and card.payload["message_thread_id"] == 5
    assert renderer.digest([state], f.at(5)).payload["message_thread_id"] == 5
    damkar = Routing.from_toml(ROUTING).agency("damkar")
    copy = renderer.agency_copy(state, damkar, f.at(5))[0]
    assert copy.chat_id == chat and copy.payload["message_thread_id"] == 9
    assert renderer.agency_of_copy(chat, 9) == damkar
    assert renderer.agency_of_copy(chat, 5) is None
    # A copy that fell back to General: known by the one topic-only agency dispatched.
    assert renderer.agency_of_copy(chat, None, ("damkar",)) == damkar
    assert renderer.agency_of_copy(chat, None) is None

    # Telegram refuses topic 5: what waits for it goes to General, later cards too.
    new, moved = await topics.topic_lost(db, chat, 5, "Bad Request: TOPIC_CLOSED", f.at(5), [])
    assert new and moved == 1
    lost.add(chat, 5)
    due = [m for m in await outbox.due(db, f.at(6)) if m.role == "card"]
    assert due and "message_thread_id" not in due[0].payload
    assert "message_thread_id" not in renderer.on_submit(state, f.at(5))[0].payload
    assert (await topics.topic_lost(db, chat, 5, "again", f.at(6), []))[0] is False
    assert await topics.topic_found(db, chat, 5)
