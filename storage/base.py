"""What every backend of the database offers (storage/db.py: SQLite; storage/postgres.py:
PostgreSQL). Import :class:`Database` from :mod:`storage.db`, which loads both backends."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from storage.migrations import Migration

BACKENDS: dict[str, Callable[[], type[Database]]] = {}
"""Each backend's class by name, loaded when first asked for (storage/db.py fills it: an
SQLite deployment never imports the PostgreSQL driver)."""

Params = Sequence[Any] | dict[str, Any]


class Row(Protocol):
    """A result row: by column name or position (aiosqlite.Row, asyncpg.Record)."""

    def __getitem__(self, key: str | int, /) -> Any: ...

    def keys(self) -> Any: ...

    def __len__(self) -> int: ...


class Executed(Protocol):
    """What running a statement tells: how many rows it changed."""

    @property
    def rowcount(self) -> int: ...


def is_postgres_url(target: object) -> bool:
    """Whether a DATABASE_URL names a PostgreSQL server."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def display_url(url: str) -> str:
    """A database URL without its password (for logs and messages)."""
    scheme, sep, rest = url.partition("://")
    who, at, where = rest.rpartition("@")
    return f"{scheme}{sep}{who.split(':')[0]}{at}{where}" if at else url


def sqlite_path(target: Path | str) -> Path:
    """The file a DATABASE_URL (``sqlite:///relative`` or ``sqlite:////absolute``) or a
    plain path names."""
    if isinstance(target, str) and target.startswith("sqlite://"):
        return Path(target.removeprefix("sqlite://").removeprefix("/") or ":memory:")
    return Path(target)


class Tx:
    """A running transaction (or read section): the same helpers on every backend."""

    async def execute(self, sql: str, params: Params = ()) -> Executed:
        """Run one statement."""
        raise NotImplementedError

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for many parameter rows."""
        raise NotImplementedError

    async def one(self, sql: str, params: Params = ()) -> Row | None:
        """First row or None."""
        raise NotImplementedError

    async def all(self, sql: str, params: Params = ()) -> list[Row]:
        """All rows."""
        raise NotImplementedError

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT and return the new row's id (its integer primary key)."""
        raise NotImplementedError


class Database:
    """A migrated database; :meth:`open` picks the backend from the URL."""

    backend: str = "?"
    url: str = ""
    path: Path  # SQLite's file; stored files live beside it (DATABASE_PATH) on any backend
    fence_pid: int | None = None
    """PostgreSQL, while this process is the active one: the lease session every write
    transaction checks (storage/postgres.py). Unused by SQLite (one process)."""

    @classmethod
    async def open(cls, target: Path | str) -> Database:
        """Open and migrate ``target``: a DATABASE_URL or a path (SQLite)."""
        if cls is not Database:
            raise NotImplementedError
        backend = BACKENDS["postgresql" if is_postgres_url(target) else "sqlite"]()
        return await backend.open(target)

    async def close(self) -> None:
        """Close every connection (waits for a running transaction)."""
        raise NotImplementedError

    def transaction(self) -> contextlib.AbstractAsyncContextManager[Tx]:
        """A write transaction: one writer at a time; rolled back on any error."""
        raise NotImplementedError

    def read(self) -> contextlib.AbstractAsyncContextManager[Tx]:
        """A consistent read section that is never written."""
        raise NotImplementedError

    async def migrate(self, migrations: Sequence[Migration]) -> list[str]:
        """Apply the named migrations not yet recorded, each in its own transaction."""
        raise NotImplementedError

    async def backup(self, target: Path | str) -> None:
        """Online copy into a new SQLite file (SQLite only; PostgreSQL: ``pg_dump``)."""
        raise NotImplementedError(
            "backup copies an SQLite database; back PostgreSQL up with pg_dump"
        )
