"""PostgreSQL, for a command center that runs the bot on more than one machine.

The same storage code runs here as on SQLite: each statement, written in SQLite's dialect,
is translated once (:mod:`storage.dialect`, cached) and run through asyncpg with a
connection pool.

- **Writes** (:meth:`PostgresDatabase.transaction`) take a transaction-scoped advisory
  lock first (:data:`WRITE_LOCK`): one writer at a time across every process, exactly as
  SQLite's ``BEGIN IMMEDIATE`` — the outbox, the ticket sequence and every
  read-then-write keep the behaviour they were written for. Reads run in ``REPEATABLE
  READ READ ONLY`` snapshots and never wait for a writer.
- **Fencing**: while a process is the active one (:mod:`storage.lease`), every write
  transaction also checks, in the same round trip as the lock, that the process's lease
  connection still holds the lease. A process that lost it can write nothing more: the
  standby that took over writes first.
- **Types**: SQLite stores what it is given; PostgreSQL checks. A parameter whose Python
  type differs from the column's (an ``int`` compared with a JSON text, a ``bool`` for an
  integer) is converted once the statement's parameter types are known.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg

from storage.base import Database, Executed, Params, Row, Tx
from storage.dialect import Translation, to_postgres
from storage.migrations import MIGRATIONS, Migration, in_order

log = logging.getLogger(__name__)

WRITE_LOCK = 0x5E112_0001
"""The advisory lock every write transaction holds (the cluster-wide ``BEGIN IMMEDIATE``)."""

LEASE_LOCK = 0x5E112_0002
"""The advisory lock the active process holds on its lease connection (storage/lease.py)."""

_INT_TYPES = {"int2", "int4", "int8"}
_TEXT_TYPES = {"text", "varchar", "bpchar", "name"}
_FLOAT_TYPES = {"float4", "float8", "numeric"}


def _numeric(text: str) -> int | float:
    """``sum()`` and ``avg()`` of integers are ``numeric``: SQLite gives int (or float)."""
    value = Decimal(text)
    if value == value.to_integral_value() and "." not in text and "e" not in text.lower():
        return int(value)
    return float(value)


def coerce(value: Any, pg_type: str) -> Any:
    """A Python value as a parameter of PostgreSQL type ``pg_type`` (SQLite took it as is)."""
    if value is None:
        return None
    if pg_type in _TEXT_TYPES and not isinstance(value, str):
        return str(int(value)) if isinstance(value, bool) else str(value)
    if pg_type in _INT_TYPES:
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, str):
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
    if pg_type == "bool" and not isinstance(value, bool):
        return bool(value)
    if pg_type in _FLOAT_TYPES and isinstance(value, (int, str)):
        return float(value) if pg_type != "numeric" else Decimal(str(value))
    return value


def _positional(params: Params) -> tuple[Any, ...]:
    if isinstance(params, dict):
        raise TypeError("named parameters are not supported: use ? placeholders")
    return tuple(params)


_CAST_FOR = {bool: "bigint", int: "bigint", float: "float8", str: "text"}


class _Status:
    """asyncpg's command tag as a cursor's ``rowcount``."""

    def __init__(self, tag: str | None) -> None:
        last = (tag or "").rsplit(" ", 1)[-1]
        self.rowcount = int(last) if last.isdigit() else -1


class PostgresTx(Tx):
    """A running PostgreSQL transaction: the statements translated, the values typed."""

    def __init__(self, db: PostgresDatabase, conn: asyncpg.Connection) -> None:
        self.db = db
        self.conn = conn

    def _tr(self, sql: str) -> Translation:
        tr = self.db.translated.get(sql)
        if tr is None:
            tr = self.db.translated[sql] = to_postgres(sql, self.db.keys)
        return tr

    async def _run(self, sql: str, args: tuple[Any, ...], fetch: bool) -> tuple[list[Row], str]:
        """Run one translated statement: rows (when ``fetch``) and the command tag."""
        plan = self.db.plans.get(sql)
        run_sql = sql
        if plan is not None:
            run_sql, types = plan
            args = tuple(coerce(v, t) for v, t in zip(args, types, strict=True))
        try:
            if fetch:
                rows = await self.conn.fetch(run_sql, *args)
                return rows, f"SELECT {len(rows)}"
            return [], await self.conn.execute(run_sql, *args)
        except (asyncpg.DataError, asyncpg.IndeterminateDatatypeError, TypeError) as exc:
            if plan is not None:
                raise
            self.db.plans[sql] = await self._plan(sql, args, exc)
            return await self._run(sql, args, fetch)

    async def _plan(
        self, sql: str, args: tuple[Any, ...], exc: Exception
    ) -> tuple[str, tuple[str, ...]]:
        """A statement whose values need converting (or casting, where PostgreSQL cannot
        tell a parameter's type from the statement alone)."""
        final = sql
        if isinstance(exc, asyncpg.IndeterminateDatatypeError):
            casts = [_CAST_FOR.get(type(v), "text") for v in args]
            final = re.sub(r"\$(\d+)\b", lambda m: f"{m.group(0)}::{casts[int(m[1]) - 1]}", sql)
        stmt = await self.conn.prepare(final)
        types = tuple(t.name for t in stmt.get_parameters())
        log.debug("typed statement %s as %s", final, types)
        return final, types

    async def _statement(self, sql: str, params: Params, fetch: bool) -> tuple[list[Row], str]:
        tr = self._tr(sql)
        args = _positional(params)
        if len(tr.statements) > 1:  # schema only (a trigger and its function)
            for statement in tr.statements:
                await self.conn.execute(statement)
            return [], ""
        if not tr.ignore_conflict:
            return await self._run(tr.sql, args, fetch or tr.returns_rows)
        try:
            async with self.conn.transaction():  # a savepoint
                return await self._run(tr.sql, args, fetch)
        except asyncpg.UniqueViolationError:
            return [], "UPDATE 0"

    async def execute(self, sql: str, params: Params = ()) -> Executed:
        rows, tag = await self._statement(sql, params, False)
        if not tag and rows is not None:
            tag = f"SELECT {len(rows)}"
        return _Status(tag)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        for params in rows:
            await self.execute(sql, params)

    async def one(self, sql: str, params: Params = ()) -> Row | None:
        rows, _ = await self._statement(sql, params, True)
        return rows[0] if rows else None

    async def all(self, sql: str, params: Params = ()) -> list[Row]:
        rows, _ = await self._statement(sql, params, True)
        return list(rows)

    async def insert(self, sql: str, params: Params = ()) -> int:
        tr = self._tr(sql)
        target = re.search(r"\bINTO\s+(\w+)", tr.sql, re.IGNORECASE)
        table = target.group(1).lower() if target else ""
        (key,) = self.db.keys.get(table, ("id",))[:1]
        returning = f"{tr.sql} RETURNING {key}" if not tr.returns_rows else tr.sql
        rows, _ = await self._run(returning, _positional(params), True)
        if not rows:
            raise RuntimeError(f"no row inserted by {sql!r}")
        return int(rows[0][0])


async def _setup(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec(
        "numeric", encoder=str, decoder=_numeric, schema="pg_catalog", format="text"
    )


# Checked after the write lock is taken: a standby that took the lease over has written
# (if at all) before, and this process writes nothing after.
_HOLDS_LEASE = (
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
    " AND pid = $1 AND objsubid = 1 AND database = (SELECT oid FROM pg_database"
    " WHERE datname = current_database())"
    " AND ((classid::bigint << 32) | objid::bigint) = $2)"
)


PostgresError: tuple[type[Exception], ...] = (asyncpg.PostgresError, asyncpg.InterfaceError)
"""What asyncpg raises for a refused, failed or broken connection or statement."""


class LeaseLost(RuntimeError):
    """This process is no longer the active one: it may write nothing more."""


class PostgresDatabase(Database):
    """A pool of connections to one PostgreSQL database."""

    backend = "postgresql"

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        self.pool = pool
        self.url = url
        self.keys: dict[str, tuple[str, ...]] = {}  # table -> primary key columns
        self.plans: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.translated: dict[str, Translation] = {}
        self.fence_pid: int | None = None  # the lease connection's backend, while active
        self.path = Path(".")  # no file; stored files live beside DATABASE_PATH

    @classmethod
    async def open(cls, target: Path | str, *, max_size: int = 10) -> PostgresDatabase:
        url = str(target)
        pool = await asyncpg.create_pool(
            url,
            min_size=1,
            max_size=max_size,
            init=_setup,
            timeout=10,
            # the process id names every session, so an operator (or a test) can tell
            # the replicas apart in pg_stat_activity
            server_settings={"application_name": f"semarang112-{os.getpid()}"},
        )
        db = cls(pool, url)
        try:
            await db.migrate(MIGRATIONS)
        except BaseException:
            await db.close()
            raise
        return db

    async def close(self) -> None:
        try:
            async with asyncio.timeout(10):
                await self.pool.close()
        except TimeoutError:
            self.pool.terminate()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK)
            fence = self.fence_pid
            if fence is not None and not await conn.fetchval(_HOLDS_LEASE, fence, LEASE_LOCK):
                raise LeaseLost("the lease is lost: another process is the active one")
            yield PostgresTx(self, conn)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Tx]:
        async with (
            self.pool.acquire() as conn,
            conn.transaction(isolation="repeatable_read", readonly=True),
        ):
            yield PostgresTx(self, conn)

    async def _load_keys(self, conn: asyncpg.Connection) -> None:
        rows = await conn.fetch(
            "SELECT tc.table_name, array_agg(k.column_name::text ORDER BY k.ordinal_position)"
            " FROM information_schema.table_constraints tc"
            " JOIN information_schema.key_column_usage k"
            "  ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema"
            " WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema()"
            " GROUP BY tc.table_name"
        )
        self.keys = {r[0]: tuple(r[1]) for r in rows}

    async def migrate(self, migrations: Sequence[Migration]) -> list[str]:
        migrations = in_order(migrations)
        async with self.pool.acquire() as conn:
            done = set()
            if await conn.fetchval("SELECT to_regclass('_migrations') IS NOT NULL"):
                done = {r[0] for r in await conn.fetch("SELECT name FROM _migrations")}
        applied = []
        if any(m.name not in done for m in migrations):
            async with self.transaction() as tx:  # several processes may start at once
                await tx.execute(
                    "CREATE TABLE IF NOT EXISTS _migrations ("
                    " name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (datetime('now')))"
                )
            for migration in migrations:
                if migration.name in done:
                    continue
                async with self.transaction() as tx:
                    assert isinstance(tx, PostgresTx)
                    if await tx.one("SELECT 1 FROM _migrations WHERE name = ?", (migration.name,)):
                        continue  # another process applied it meanwhile
                    for statement in migration.statements:
                        if isinstance(statement, str):
                            await tx.execute(statement)
                        else:
                            await tx.conn.execute(statement.postgres)
                    await tx.execute("INSERT INTO _migrations(name) VALUES (?)", (migration.name,))
                log.info("applied migration %s", migration.name)
                applied.append(migration.name)
        async with self.pool.acquire() as conn:
            await self._load_keys(conn)
        return applied

    async def reset_sequences(self) -> None:
        """After rows were copied in with their ids: identities continue after the largest."""
        async with self.transaction() as tx:
            assert isinstance(tx, PostgresTx)
            rows = await tx.conn.fetch(
                "SELECT table_name::text, column_name::text FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND is_identity = 'YES'"
            )
            for table, column in rows:
                await tx.conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'),"
                    f" coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)"
                )


@contextlib.asynccontextmanager
async def connect(url: str) -> AsyncIterator[asyncpg.Connection]:
    """One plain connection (tests and tools)."""
    conn = await asyncpg.connect(url, timeout=10)
    try:
        yield conn
    finally:
        await conn.close(timeout=5)


__all__: Sequence[str] = [
    "LEASE_LOCK",
    "WRITE_LOCK",
    "LeaseLost",
    "PostgresDatabase",
    "PostgresError",
    "PostgresTx",
    "coerce",
    "connect",
]
