"""Rules that keep the command line from hurting the data.

* A command that reads the database refuses a missing one instead of creating it empty.
* A file a command writes may never be the live database (or its ``-wal`` / ``-shm`` /
  ``-journal`` files), with or without ``--force``.
* An existing file is replaced only with ``--force``, and then only once the new one is
  complete (written beside it, then renamed over it).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def missing_database(path: Path) -> str | None:
    """Why ``path`` is no database to read from, or None."""
    if path.is_dir():
        return f"DATABASE_PATH: {path} is a folder, not the bot's database"
    if not path.is_file():
        return (
            f"DATABASE_PATH: there is no database at {path}: set DATABASE_PATH to the "
            "bot's database file (nothing was created)"
        )
    return None


def _is_database_file(target: Path, database: Path) -> bool:
    try:
        if target.exists() and database.exists() and os.path.samefile(target, database):
            return True
    except OSError:
        pass
    resolved = target.resolve()
    base = str(database.resolve())
    return any(resolved == Path(base + suffix) for suffix in SQLITE_COMPANIONS)


def refuse_target(target: Path, database: Path | None, *, force: bool) -> str | None:
    """Why writing ``target`` is refused, or None when it may be written (``database``: the
    live SQLite file, None on PostgreSQL)."""
    if database is not None and _is_database_file(target, database):
        return (
            f"{target} is the live database (DATABASE_PATH): refusing to overwrite it, "
            "even with --force; choose another file name"
        )
    if target.is_dir():
        return f"{target} is a folder: give a file name inside it"
    if target.exists() and not force:
        return f"{target} already exists: choose a new file name, or add --force to replace it"
    return None


def partial_path(target: Path) -> Path:
    """Where a new file is written before it replaces ``target``."""
    return target.with_name(f".{target.name}.partial")


def write_replacing(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` (creating its folder), replacing it only when complete."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(target)
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
