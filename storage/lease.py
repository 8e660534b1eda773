"""Who is the active process, when several bots share one PostgreSQL: a lease.

The lease is a session advisory lock (:data:`storage.postgres.LEASE_LOCK`) held on a
connection of its own, outside the pool. PostgreSQL releases it the moment that session
ends — the process was killed, its connection was cut, or the server stopped hearing from
it — and a standby's next :meth:`Lease.try_acquire` takes it.

The server must notice a silent peer (a network partition) quickly, or the standby waits
for TCP's default of hours: the lease connection asks the server for short TCP
keepalives and a user time-out (:data:`SERVER_DROPS_AFTER`). The active process must stop
before that: it confirms the lease every few seconds and stops acting when a confirmation
does not come back in time (bot/runtime/app.py); until it has stopped, its writes are
refused by the fence (:class:`storage.postgres.PostgresDatabase`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable

import asyncpg

from storage.postgres import LEASE_LOCK

log = logging.getLogger(__name__)

SERVER_DROPS_AFTER = 5.0
"""Seconds of silence after which the server ends the lease's session (keepalive probes
every second after 2 s of quiet, 3 unanswered end it; unacknowledged data: the same)."""

_SERVER_SETTINGS = {
    "application_name": f"semarang112-lease-{os.getpid()}",
    "tcp_keepalives_idle": "2",
    "tcp_keepalives_interval": "1",
    "tcp_keepalives_count": "3",
    "tcp_user_timeout": str(int(SERVER_DROPS_AFTER * 1000)),
}

_HOLDS = (
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
    " AND pid = pg_backend_pid() AND objsubid = 1"
    " AND ((classid::bigint << 32) | objid::bigint) = $1)"
)


class Lease:
    """The active process's lease on one database."""

    def __init__(
        self, url: str, key: int = LEASE_LOCK, on_lost: Callable[[], None] | None = None
    ) -> None:
        self.url = url
        self.key = key
        self.on_lost = on_lost  # called at once when the held lease's session ends
        self._conn: asyncpg.Connection | None = None
        self.pid: int | None = None  # the lease session's server process, while held

    @property
    def held(self) -> bool:
        return self.pid is not None

    async def try_acquire(self, within: float) -> bool:
        """Take the lease if nobody holds it; False (never an error) otherwise."""
        try:
            async with asyncio.timeout(within):
                if self._conn is None or self._conn.is_closed():
                    self._conn = await asyncpg.connect(
                        self.url, timeout=within, server_settings=_SERVER_SETTINGS
                    )
                got = bool(await self._conn.fetchval("SELECT pg_try_advisory_lock($1)", self.key))
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            log.warning("lease: cannot reach the database: %s", exc)
            await self._drop()
            return False
        if got:
            self.pid = self._conn.get_server_pid()
            self._conn.add_termination_listener(self._ended)
        return got

    def _ended(self, conn: asyncpg.Connection) -> None:
        """The lease's session ended (the server ended it, or the connection broke): the
        lease is gone this instant, whatever the next confirmation would say."""
        if conn is self._conn and self.pid is not None and self.on_lost is not None:
            log.error("lease: its database session ended")
            self.on_lost()

    async def confirm(self, within: float) -> bool:
        """Whether the lease is still held, asked of the server within ``within`` seconds."""
        if self._conn is None or self.pid is None:
            return False
        try:
            async with asyncio.timeout(within):
                return bool(await self._conn.fetchval(_HOLDS, self.key))
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            log.error("lease: cannot confirm it: %s", exc)
            return False

    async def release(self) -> None:
        """Give the lease up (closing its session releases it)."""
        self.pid = None
        await self._drop()

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and not conn.is_closed():
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2):
                    await conn.close()
            if not conn.is_closed():
                conn.terminate()
