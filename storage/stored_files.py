"""Which generated files (summary pictures) the outbox still needs: a row's payload names
its file as ``{"stored_file": "<path>"}`` (see ``bot/runtime/stored_files.py``)."""

from __future__ import annotations

import json
from typing import Any

from storage.db import Database

WAITING = ("pending", "sending")


def _files_in(payload: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(payload, dict):
        path = payload.get("stored_file")
        if isinstance(path, str) and len(payload) == 1:
            found.add(path)
        for value in payload.values():
            found |= _files_in(value)
    return found


async def file_references(db: Database) -> tuple[set[str], set[str]]:
    """The stored files of rows still to be sent (pending, sending — held ones included),
    and those of rows whose fate is decided (sent, failed, superseded …)."""
    waiting: set[str] = set()
    done: set[str] = set()
    async with db.read() as tx:
        rows = await tx.all(
            "SELECT status, payload FROM outbox WHERE payload LIKE ?", ('%"stored_file"%',)
        )
    for row in rows:
        files = _files_in(json.loads(row["payload"]))
        (waiting if row["status"] in WAITING else done).update(files)
    return waiting, done - waiting
