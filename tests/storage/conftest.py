"""Fixtures for the storage tests: a fresh, migrated database per test, on each backend.

``db`` runs every test that takes it twice: on SQLite and on PostgreSQL (a database of the
session's throwaway server, tests/support/postgres.py). SQLite: every migration runs once
per session, into a file each test's database starts as a copy of (``Database.open`` then
finds nothing left to apply). PostgreSQL: the tests share one migrated database, emptied
(every table truncated, ids restarted) before each test. Migrating from an empty database
is tested on its own (``test_storage.py``) and by every end-to-end test.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from storage.db import Database
from tests.support.postgres import Cluster, empty

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("migrated") / "storage.sqlite3"

    async def migrate() -> None:
        await (await Database.open(path)).close()

    with ThreadPoolExecutor(1) as pool:  # its own event loop, apart from the tests' loops
        pool.submit(asyncio.run, migrate()).result()
    assert not path.with_name(path.name + "-wal").exists()  # closing checkpointed it all
    return path


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def db(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path, migrated: Path
) -> AsyncIterator[Database]:
    if backend == "postgresql":
        cluster: Cluster = request.getfixturevalue("postgres_cluster")
        url = cluster.shared("storage")
        async with asyncio.timeout(30):
            await empty(url)
            database = await Database.open(url)
    else:
        path = tmp_path / "storage.sqlite3"
        shutil.copyfile(migrated, path)
        database = await Database.open(path)
    yield database
    async with asyncio.timeout(30):
        await database.close()
