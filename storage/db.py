"""The database: SQLite (embedded, the default) or PostgreSQL (shared by several machines).

All access goes through :class:`Database`: writes run in :meth:`Database.transaction`
(one writer at a time on both backends), reads in :meth:`Database.read` (a consistent
snapshot). :meth:`Database.open` takes ``DATABASE_URL``'s value — ``sqlite:///path``, a
plain path, or ``postgresql://…``.

SQLite (:class:`SqliteDatabase`): one connection, WAL, foreign keys, serialized access.
Writes run in ``BEGIN IMMEDIATE`` transactions; reads and writes take the same lock,
because one aiosqlite connection is shared by every task and SQLite transactions are per
connection. PostgreSQL: :mod:`storage.postgres`. The SQL is written once, in SQLite's
dialect, and translated for PostgreSQL in :mod:`storage.dialect`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from storage.base import (
    BACKENDS,
    Database,
    Executed,
    Params,
    Row,
    Tx,
    display_url,
    is_postgres_url,
    sqlite_path,
)
from storage.migrations import MIGRATIONS, Migration, in_order

__all__ = [
    "Database",
    "Executed",
    "Params",
    "Row",
    "SqliteDatabase",
    "Tx",
    "display_url",
    "is_postgres_url",
    "sqlite_path",
]

log = logging.getLogger(__name__)


class SqliteTx(Tx):
    """A running SQLite transaction (or read section): thin helpers over the connection."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def execute(self, sql: str, params: Params = ()) -> aiosqlite.Cursor:
        """Run one statement."""
        return await self.conn.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for many parameter rows."""
        await self.conn.executemany(sql, rows)

    async def one(self, sql: str, params: Params = ()) -> Row | None:
        """First row or None (one trip to the connection's thread)."""
        rows = await self.conn.execute_fetchall(sql, params)
        for row in rows:
            return row
        return None

    async def all(self, sql: str, params: Params = ()) -> list[Row]:
        """All rows (one trip to the connection's thread)."""
        return list(await self.conn.execute_fetchall(sql, params))

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT and return the new rowid (one trip to the connection's thread)."""
        row = await self.conn.execute_insert(sql, params)
        if row is None:  # pragma: no cover - sqlite always sets it for INSERT
            raise RuntimeError("no rowid")
        return int(row[0])


class SqliteDatabase(Database):
    """Owns the connection; apply migrations with :meth:`open`."""

    backend = "sqlite"

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self.path = path
        self.url = f"sqlite:///{path}"

    @classmethod
    async def open(cls, target: Path | str) -> SqliteDatabase:
        """Open (creating folders and file), configure and migrate the database."""
        path = sqlite_path(target)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA synchronous=FULL")
            db = cls(conn, path)
            await db.migrate(MIGRATIONS)
        except BaseException:
            await conn.close()  # its thread would keep the process alive
            raise
        return db

    async def close(self) -> None:
        """Close the connection (waits for a running transaction)."""
        async with self._lock:
            await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """A write transaction: BEGIN IMMEDIATE … COMMIT, rolled back on any error."""
        async with self._section("BEGIN IMMEDIATE") as tx:
            yield tx

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Tx]:
        """A consistent read section (a deferred transaction that is never written)."""
        async with self._section("BEGIN") as tx:
            yield tx

    @asynccontextmanager
    async def _section(self, begin: str) -> AsyncIterator[Tx]:
        """Hold the lock from ``begin`` to COMMIT (ROLLBACK on any error or cancellation).

        aiosqlite runs a statement in its thread even when the task awaiting it is cancelled.
        A BEGIN whose caller was cancelled would leave a transaction open on the shared
        connection, and every later BEGIN would fail ("cannot start a transaction within a
        transaction") until a restart — the outbox could never read its queue again. So an
        interrupted or failed BEGIN or COMMIT is followed by a ROLLBACK, queued behind it,
        before the lock is released.
        """
        async with self._lock:
            try:
                await self._conn.execute(begin)
            except BaseException:
                await self._settle()
                raise
            try:
                yield SqliteTx(self._conn)
                await self._conn.execute("COMMIT")
            except BaseException:
                await self._settle()
                raise

    async def _settle(self) -> None:
        """Roll back whatever is open once everything queued before has run (the connection's
        thread runs statements in order), even if this task is cancelled meanwhile.

        Nothing open (the statement before failed, or SQLite already rolled back) is fine.
        """
        job = asyncio.ensure_future(self._conn.execute("ROLLBACK"))
        while not job.done():
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait([job])
        if not job.cancelled() and job.exception() is not None:
            log.debug("rollback after an interrupted transaction: %s", job.exception())

    async def migrate(self, migrations: Sequence[Migration]) -> list[str]:
        """Apply the named migrations not yet recorded, each in its own transaction.

        Refuses (:class:`storage.migrations.DuplicateMigration`) a list naming one twice.
        """
        migrations = in_order(migrations)
        async with self._lock:
            await self._conn.execute(
                "CREATE TABLE IF NOT EXISTS _migrations ("
                " name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (datetime('now')))"
            )
        async with self.read() as tx:
            done = {row["name"] for row in await tx.all("SELECT name FROM _migrations")}
        applied = []
        for migration in migrations:
            if migration.name in done:
                continue
            async with self.transaction() as tx:
                for statement in migration.for_sqlite():
                    await tx.execute(statement)
                await tx.execute("INSERT INTO _migrations(name) VALUES (?)", (migration.name,))
            log.info("applied migration %s", migration.name)
            applied.append(migration.name)
        return applied

    async def backup(self, target: Path | str) -> None:
        """Online copy of the live database with SQLite's backup API."""
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        async with self._lock:
            async with aiosqlite.connect(target) as dest:
                await self._conn.backup(dest)


def _postgres() -> type[Database]:
    from storage.postgres import PostgresDatabase  # asyncpg: only where PostgreSQL is used

    return PostgresDatabase


BACKENDS["sqlite"] = lambda: SqliteDatabase
BACKENDS["postgresql"] = _postgres
