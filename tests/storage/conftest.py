"""Fixtures for the storage tests: a fresh, migrated SQLite database per test.

Every migration runs once per session, into a file each test's database starts as a copy
of (``Database.open`` then finds nothing left to apply). Migrating from an empty file is
tested on its own (``test_storage.py``) and by every end-to-end test.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from storage.db import Database


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("migrated") / "storage.sqlite3"

    async def migrate() -> None:
        await (await Database.open(path)).close()

    with ThreadPoolExecutor(1) as pool:  # its own event loop, apart from the tests' loops
        pool.submit(asyncio.run, migrate()).result()
    assert not path.with_name(path.name + "-wal").exists()  # closing checkpointed it all
    return path


@pytest.fixture
async def db(tmp_path: Path, migrated: Path) -> AsyncIterator[Database]:
    path = tmp_path / "storage.sqlite3"
    shutil.copyfile(migrated, path)
    database = await Database.open(path)
    yield database
    await database.close()
