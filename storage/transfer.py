"""Moving up: copy an SQLite database into an empty PostgreSQL one, then verify it.

Both are migrated first (the same migrations), so their tables and columns match. Every
table is copied with its ids, in one PostgreSQL transaction: a failure leaves the target
empty. Foreign keys that point forward (``reports.card_outbox_id`` names an outbox row,
``outbox.report_id`` a report) are copied as NULL first and filled in once every table is
there; generated columns are computed by PostgreSQL; identities continue after the
largest id copied. At the end every table's row count is compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storage.base import Database
from storage.postgres import PostgresDatabase, PostgresTx, coerce

BATCH = 1000


class TargetNotEmpty(RuntimeError):
    """The PostgreSQL database already holds data: nothing is copied over it."""


class CountMismatch(RuntimeError):
    """A table has a different number of rows after the copy."""


@dataclass(frozen=True)
class Link:
    column: str
    table: str  # the table it points to


async def _sqlite_tables(source: Database) -> dict[str, list[Link]]:
    """Tables of the SQLite database (without SQLite's and the migrations' own) and their
    foreign keys."""
    tables: dict[str, list[Link]] = {}
    async with source.read() as tx:
        rows = await tx.all(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' AND name != '_migrations' ORDER BY name"
        )
        for row in rows:
            name = str(row["name"])
            keys = await tx.all(f"SELECT * FROM pragma_foreign_key_list('{name}')")
            tables[name] = [Link(str(k["from"]), str(k["table"])) for k in keys]
    return tables


def _order(tables: dict[str, list[Link]], nullable: set[tuple[str, str]]) -> list[str]:
    """Tables so that foreign keys point backwards, except nullable ones that close a cycle
    (those are filled in once every table is there)."""
    done: list[str] = []
    pending = dict(tables)

    def forward(t: str) -> list[Link]:
        return [link for link in pending[t] if link.table not in done and link.table != t]

    while pending:
        ready = [t for t in sorted(pending) if not forward(t)]
        if not ready:  # a cycle: break it where the forward keys may wait as NULL
            breakable = [
                t for t in sorted(pending) if all((t, k.column) in nullable for k in forward(t))
            ]
            if not breakable:
                raise RuntimeError(f"no order copies these tables: {sorted(pending)}")
            ready = [min(breakable, key=lambda t: len(forward(t)))]
        for t in ready:
            done.append(t)
            pending.pop(t)
    return done


async def _target_columns(tx: PostgresTx, table: str) -> list[str]:
    rows = await tx.conn.fetch(
        "SELECT column_name::text FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = $1"
        " AND is_generated = 'NEVER' ORDER BY ordinal_position",
        table,
    )
    return [str(r[0]) for r in rows]


async def _count(tx: Any, table: str) -> int:
    row = await tx.one(f"SELECT count(*) AS n FROM {table}")
    return int(row["n"]) if row else 0


async def copy_database(source: Database, target: PostgresDatabase) -> dict[str, int]:
    """Copy every row of ``source`` (SQLite) into ``target`` (empty); the rows per table.

    Raises :class:`TargetNotEmpty` before copying anything into a database with data, and
    :class:`CountMismatch` (nothing committed) when a count differs afterwards.
    """
    tables = await _sqlite_tables(source)
    counts: dict[str, int] = {}
    async with target.transaction() as tx:
        assert isinstance(tx, PostgresTx)
        nullable = {
            (str(r[0]), str(r[1]))
            for r in await tx.conn.fetch(
                "SELECT table_name::text, column_name::text FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND is_nullable = 'YES'"
            )
        }
        order = _order(tables, nullable)
        for table in order:
            if await _count(tx, table):
                raise TargetNotEmpty(f"the target's table {table} is not empty")
        later: list[tuple[str, str, str]] = []  # table, column, key column
        copied: set[str] = set()
        for table in order:
            columns = await _target_columns(tx, table)
            forward = {
                link.column
                for link in tables[table]
                if link.table not in copied and link.table != table
            }
            key = target.keys.get(table, ("rowid",))[0]
            later.extend((table, column, key) for column in sorted(forward))
            counts[table] = await _copy_table(source, tx, table, columns, forward)
            copied.add(table)
        for table, column, key in later:
            await _fill_in(source, tx, table, column, key)
        for table in order:
            if (found := await _count(tx, table)) != counts[table]:
                raise CountMismatch(f"{table}: {counts[table]} rows read, {found} in the target")
    await target.reset_sequences()
    async with source.read() as stx, target.read() as ttx:
        for table in order:  # after the commit, as anyone reading it will see it
            if (a := await _count(stx, table)) != (b := await _count(ttx, table)):
                raise CountMismatch(f"{table}: {a} rows in SQLite, {b} in PostgreSQL")
    return counts


async def _copy_table(
    source: Database, tx: PostgresTx, table: str, columns: Sequence[str], forward: set[str]
) -> int:
    names = ", ".join(columns)
    marks = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
    stmt = await tx.conn.prepare(f"INSERT INTO {table} ({names}) VALUES ({marks})")
    types = [t.name for t in stmt.get_parameters()]
    async with source.read() as stx:
        rows = await stx.all(f"SELECT {names} FROM {table} ORDER BY rowid")
    for start in range(0, len(rows), BATCH):
        await stmt.executemany(
            [
                tuple(
                    None if column in forward else coerce(row[i], types[i])
                    for i, column in enumerate(columns)
                )
                for row in rows[start : start + BATCH]
            ]
        )
    return len(rows)


async def _fill_in(source: Database, tx: PostgresTx, table: str, column: str, key: str) -> None:
    async with source.read() as stx:
        rows = await stx.all(
            f"SELECT {key} AS k, {column} AS v FROM {table} WHERE {column} IS NOT NULL"
        )
    stmt = await tx.conn.prepare(f"UPDATE {table} SET {column} = $1 WHERE {key} = $2")
    value_type, key_type = (t.name for t in stmt.get_parameters())
    await stmt.executemany([(coerce(r["v"], value_type), coerce(r["k"], key_type)) for r in rows])
