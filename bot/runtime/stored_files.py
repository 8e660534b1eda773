"""Generated files the outbox sends (summary pictures): written under the data folder
before the row that sends them is queued, opened by the outbox worker at send time, and
removed once delivered (or given up), or after the retention period at the latest.

A payload refers to its file as ``{"stored_file": "<path>"}`` in an upload field
(``photo``, ``document``); :func:`upload` turns that into the uploaded file when the row
is sent, so a restart in between loses nothing.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram import InputFile
from telegram.error import BadRequest

from storage.db import Database
from storage.stored_files import file_references

log = logging.getLogger(__name__)

STORED = "stored_file"
UPLOAD_FIELDS = ("photo", "document")
ORPHAN_GRACE = timedelta(minutes=10)
"""A file no row refers to (its transaction failed, or the summary was posted already) is
removed after this."""


def reference(path: Path) -> dict[str, str]:
    """How a payload names a stored file."""
    return {STORED: str(path)}


def upload(value: Any) -> Any:
    """A payload value as the Bot API call takes it: a stored file is read now and
    uploaded; anything else (a file id, a URL) is passed on. A stored file that is gone
    makes the row fail (never retried)."""
    if not (isinstance(value, dict) and set(value) == {STORED}):
        return value
    path = Path(value[STORED])
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadRequest(f"stored file {path.name} cannot be read: {exc.strerror}") from None
    return InputFile(data, filename=path.name)


def uploads(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The call's arguments with every stored file made an upload."""
    for field in UPLOAD_FIELDS:
        if field in kwargs:
            kwargs[field] = upload(kwargs[field])
    return kwargs


class FileStore:
    """The folder of generated files (``files`` beside the database)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def store(self, stem: str, data: bytes, suffix: str = ".png") -> Path:
        """Write a file completely (a crash leaves no half file under its name)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem)[:80]
        path = self.folder / f"{safe}-{secrets.token_hex(4)}{suffix}"
        partial = path.with_suffix(path.suffix + ".part")
        partial.write_bytes(data)
        os.replace(partial, path)
        return path

    def discard(self, paths: list[Path]) -> None:
        """Remove files that will not be sent after all."""
        for path in paths:
            path.unlink(missing_ok=True)

    async def sweep(self, db: Database, keep_for: timedelta) -> int:
        """Remove files whose rows are delivered or given up, files no row refers to (after
        a grace period) and every file older than ``keep_for``; returns how many."""
        if not self.folder.is_dir():
            return 0
        files = [p for p in self.folder.iterdir() if p.is_file()]
        if not files:
            return 0  # the usual case: nothing to ask the database
        waiting, done = await file_references(db)
        now = time.time()
        removed = 0
        for path in files:
            try:
                age = now - path.stat().st_mtime
            except OSError:
                continue
            name = str(path)
            finished = name in done
            orphan = name not in waiting and age > ORPHAN_GRACE.total_seconds()
            expired = age > keep_for.total_seconds()
            if finished or orphan or expired:
                path.unlink(missing_ok=True)
                removed += 1
                if expired and name in waiting:
                    log.warning("stored file %s expired before it was sent", path.name)
        return removed
