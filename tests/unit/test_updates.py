"""getUpdates batches are parsed once; one update python-telegram-bot cannot parse is
skipped with a warning (``bot.runtime.updates``; end to end: ``tests/e2e/test_polling.py``)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from telegram import Update

from bot.runtime import updates

PRIVATE = {"id": 7001, "type": "private", "first_name": "Budi"}


def message(update_id: int, **content: Any) -> dict[str, Any]:
    body = {"message_id": update_id, "date": 1_700_000_000, "chat": PRIVATE, **content}
    return {"update_id": update_id, "message": body}


BROKEN = {
    "update_id": 2,
    "message": {"message_id": 2, "date": 1_700_000_000, "chat": PRIVATE, "location": "sini"},
}


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The update ids python-telegram-bot is asked to parse, in order."""
    seen: list[int] = []
    real = Update.de_json.__func__  # type: ignore[attr-defined]

    def counting(cls: type[Update], data: dict[str, Any], bot: Any = None) -> Update:
        seen.append(data["update_id"])
        return real(cls, data, bot)  # type: ignore[no-any-return]

    monkeypatch.setattr(Update, "de_json", classmethod(counting))
    return seen


def test_a_good_batch_is_parsed_once(parses: list[int], caplog: pytest.LogCaptureFixture) -> None:
    batch = [message(1, text="/lapor"), message(2, text="halo")]
    parsed = updates.parse_batch(batch, None)
    assert [u.update_id for u in parsed] == [1, 2]
    assert parsed[0].message is not None and parsed[0].message.text == "/lapor"
    assert parses == [1, 2]
    assert not caplog.records


def test_a_broken_update_is_skipped_with_a_warning(
    parses: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    batch = [message(1, text="/lapor"), BROKEN, message(3, text="halo")]
    parsed = updates.parse_batch(batch, None)
    assert [u.update_id for u in parsed] == [1, 2, 3]
    assert parsed[1].message is None and parsed[1].effective_chat is None  # matches no handler
    assert parsed[2].message is not None and parsed[2].message.text == "halo"
    assert parses == [1, 2, 1, 2, 3]  # the batch, then one by one
    assert [(r.levelno, r.getMessage()[:40]) for r in caplog.records] == [
        (logging.WARNING, "update 2 cannot be parsed and is skipped")
    ]


def test_a_broken_update_without_an_id_is_not_hidden() -> None:
    with pytest.raises(TypeError):
        updates.parse_batch([{"update_id": "zwei", "message": BROKEN["message"]}], None)
