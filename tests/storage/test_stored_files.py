"""Generated files the outbox sends: a row names its file, the worker uploads it when it
sends the row, and the file goes once its row is delivered or given up (or after the
retention period, or when no row names it)."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram import InputFile
from telegram.error import BadRequest

from bot.runtime.stored_files import FileStore, reference, upload, uploads
from bot.services.summaries import summary_message, summary_photo
from storage import outbox
from storage.db import Database
from storage.stored_files import file_references

NOW = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
CHAT = -100123


def test_a_stored_file_is_uploaded_and_other_values_pass(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    path = store.store("daily-2026-11-30-peta", b"\x89PNG fake")
    assert path.parent == tmp_path / "files" and path.name.startswith("daily-2026-11-30-peta-")
    assert not list(path.parent.glob("*.part"))
    made = upload(reference(path))
    assert isinstance(made, InputFile) and made.filename == path.name
    assert upload("AgACAgIAAx0-file-id") == "AgACAgIAAx0-file-id"
    assert uploads({"text": "x"}) == {"text": "x"}
    path.unlink()
    with pytest.raises(BadRequest, match="cannot be read"):  # the row fails, not retried
        upload(reference(path))


async def test_files_go_once_their_rows_are_decided(db: Database, tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    sent, waiting, failed, orphan, old = (
        store.store(name, b"png") for name in ("sent", "waiting", "failed", "orphan", "old")
    )
    async with db.transaction() as tx:
        ids = await outbox.enqueue(
            tx,
            [
                summary_message(CHAT, "Ringkasan"),
                summary_photo(CHAT, reference(sent), "a"),
                summary_photo(CHAT, reference(waiting), "b"),
                summary_photo(CHAT, reference(failed), "c"),
                summary_photo(CHAT, reference(old), "d"),
            ],
            NOW,
        )
        await outbox.mark_sent(tx, ids[1], 11, NOW)
        await outbox.mark_failed(tx, ids[3], "bad request")
    assert await file_references(db) == ({str(waiting), str(old)}, {str(sent), str(failed)})

    # A fresh orphan stays for the grace period (its transaction may still commit).
    assert await store.sweep(db, timedelta(days=90)) == 2
    assert sorted(p.name for p in store.folder.iterdir()) == sorted(
        p.name for p in (waiting, orphan, old)
    )
    stale = time.time() - 3600
    os.utime(orphan, (stale, stale))
    ancient = time.time() - 91 * 86400
    os.utime(old, (ancient, ancient))
    assert await store.sweep(db, timedelta(days=90)) == 2
    assert [p.name for p in store.folder.iterdir()] == [waiting.name]


async def test_sweeping_an_empty_or_missing_folder_asks_nothing(
    db: Database, tmp_path: Path
) -> None:
    assert await FileStore(tmp_path / "nothing").sweep(db, timedelta(days=1)) == 0
    (tmp_path / "empty").mkdir()
    assert await FileStore(tmp_path / "empty").sweep(db, timedelta(days=1)) == 0
