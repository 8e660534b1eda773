"""Chosen end-to-end tests run on both backends: SQLite and PostgreSQL (a fresh, empty
database of the session's throwaway server, tests/support/postgres.py, which the bot
migrates as it starts).

A test takes ``backend_settings`` and passes it to ``world(…)``; a module-scoped world
is parametrized with :data:`BACKENDS` and :func:`settings_for`. The report flow
and its steps, SOS, dispatch, hand-over, agencies, places, the outbox, durability, timers,
statistics and export run twice; the rest of the end-to-end suite runs on SQLite only (the
storage suite covers the statements on both, tests/storage/test_dialect.py prepares every
one).
"""

from __future__ import annotations

from typing import Any

import pytest

BACKENDS = ("sqlite", "postgresql")


def settings_for(request: pytest.FixtureRequest, backend: str) -> dict[str, Any]:
    """Settings that put the bot on ``backend``."""
    if backend == "sqlite":
        return {}
    cluster = request.getfixturevalue("postgres_cluster")
    return {"database_url": cluster.database("e2e", migrated=False)}


@pytest.fixture(params=BACKENDS)
def backend_settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    return settings_for(request, str(request.param))
