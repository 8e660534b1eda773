"""The lease (storage/lease.py) and its fence (storage/postgres.py), on PostgreSQL: one
holder at a time; a process whose lease session ended can write nothing more, even while
its other connections work."""

from __future__ import annotations

import asyncio

import pytest

from storage.db import Database
from storage.lease import Lease
from storage.postgres import LeaseLost, PostgresDatabase

ON_POSTGRESQL = pytest.mark.parametrize("backend", ["postgresql"])


@ON_POSTGRESQL
async def test_one_holder_at_a_time_and_a_lost_lease_fences_every_write(db: Database) -> None:
    assert isinstance(db, PostgresDatabase)
    ended = asyncio.Event()
    first, second = Lease(db.url, on_lost=ended.set), Lease(db.url)
    try:
        assert await first.try_acquire(within=5)
        assert not await second.try_acquire(within=5)  # held: the standby waits
        assert await first.confirm(within=5)
        db.fence_pid = first.pid
        async with db.transaction() as tx:  # the holder writes
            await tx.execute("INSERT INTO _migrations(name) VALUES ('while-held')")

        async with db.transaction() as tx:  # the server ends the lease's session (a cut)
            await tx.execute("SELECT pg_terminate_backend(?)", (first.pid,))
        async with asyncio.timeout(5):
            await ended.wait()  # noticed at once, not at the next confirmation
        assert not await first.confirm(within=5)
        assert await second.try_acquire(within=5)  # the standby takes over

        with pytest.raises(LeaseLost):  # the old holder's pool still works, but not for it
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO _migrations(name) VALUES ('after-loss')")
        async with db.read() as tx:
            names = {r["name"] for r in await tx.all("SELECT name FROM _migrations")}
        assert "while-held" in names and "after-loss" not in names

        db.fence_pid = second.pid  # as the new active process's database
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO _migrations(name) VALUES ('new-holder')")
    finally:
        db.fence_pid = None
        await first.release()
        await second.release()


@ON_POSTGRESQL
async def test_releasing_the_lease_lets_the_next_one_take_it(db: Database) -> None:
    first, second = Lease(db.url), Lease(db.url)
    try:
        assert await first.try_acquire(within=5)
        await first.release()  # a graceful stop
        assert await second.try_acquire(within=5)
        assert not first.held and second.held
    finally:
        await second.release()


async def test_an_unreachable_server_is_no_lease_and_no_error() -> None:
    lease = Lease("postgresql://nobody@127.0.0.1:9/none")
    assert not await lease.try_acquire(within=2)
    assert not await lease.confirm(within=2)
