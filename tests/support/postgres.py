"""A real, throwaway PostgreSQL server for the tests: one cluster per test session.

The server binaries (``initdb``, ``pg_ctl``) come from the machine (Debian's ``postgresql``
package; ``.ci/run`` installs it where it is missing). PostgreSQL refuses to run as root,
so as root the cluster is created and started as the ``postgres`` user. Without the
binaries the PostgreSQL half of the suite is skipped — unless ``REQUIRE_POSTGRES=1`` (CI),
which turns the skip into a failure so the half cannot vanish silently.

Databases are cheap: :meth:`Cluster.database` creates one from a migrated template in a
few milliseconds, so each test (or module) gets its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

TEMPLATE = "migrated_template"


def _bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, check=True, text=True)
        if (Path(out.stdout.strip()) / "pg_ctl").exists():
            return Path(out.stdout.strip())
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


@dataclass
class Cluster:
    """A running server; :meth:`database` hands out fresh databases."""

    folder: Path
    port: int
    bindir: Path
    _names: Iterator[int] = field(default_factory=itertools.count)
    _template_ready: bool = False
    _template_error: BaseException | None = None
    _shared: set[str] = field(default_factory=set)

    def url(self, name: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def psql(self, sql: str) -> None:
        subprocess.run(
            [str(self.bindir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", self.url(), "-c", sql],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def _ensure_template(self) -> None:
        if self._template_ready:
            return
        if self._template_error is not None:
            raise self._template_error
        from storage.db import Database

        async def migrate() -> None:
            await (await Database.open(self.url(TEMPLATE))).close()

        try:
            self.psql(f"CREATE DATABASE {TEMPLATE}")
            with ThreadPoolExecutor(1) as pool:  # its own event loop, apart from the tests'
                pool.submit(asyncio.run, migrate()).result(timeout=120)
        except BaseException as exc:
            self._template_error = exc
            raise
        self._template_ready = True

    def database(self, prefix: str = "t", *, migrated: bool = True) -> str:
        """A new database's URL: migrated (a copy of the template) or empty."""
        name = f"{prefix}_{next(self._names)}"
        if migrated:
            self._ensure_template()
            self.psql(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY")
        else:
            self.psql(f"CREATE DATABASE {name} TEMPLATE template0 STRATEGY FILE_COPY")
        return self.url(name)

    def shared(self, name: str) -> str:
        """A migrated database made once per session under ``name`` (tests that share it
        empty it first: :func:`empty`)."""
        if name not in self._shared:
            self._ensure_template()
            self.psql(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
            self._shared.add(name)
        return self.url(name)

    def terminate(self, database_url: str, application_name: str | None = None) -> None:
        """End every session to that database (a cut connection, seen from the client)."""
        name = database_url.rsplit("/", 1)[1]
        extra = f" AND application_name = '{application_name}'" if application_name else ""
        self.psql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            f" WHERE datname = '{name}' AND pid <> pg_backend_pid(){extra}"
        )

    def stop(self) -> None:
        subprocess.run(
            [
                *_as_server_user(),
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster(listen: str = "127.0.0.1", trust: str | None = None) -> Cluster:
    """Create and start a throwaway cluster (about a second); raises if it cannot.

    ``listen``: its addresses; ``trust``: one more network (CIDR) allowed in."""
    bindir = _bindir()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL's server binaries (pg_ctl, initdb) are not installed")
    folder = Path(tempfile.mkdtemp(prefix="semarang112-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data = folder / "data"
    subprocess.run(
        [
            *_as_server_user(),
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    if trust is not None:
        with (data / "pg_hba.conf").open("a") as hba:
            hba.write(f"host all all {trust} trust\n")
    port = _free_port()
    options = (
        f"-p {port} -k {folder} -c listen_addresses='{listen}' -c fsync=off"
        " -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        " -c shared_buffers=32MB"
    )
    subprocess.run(
        [
            *_as_server_user(),
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "-l",
            str(folder / "log"),
            "start",
        ],
        check=True,
        capture_output=True,
        timeout=90,
    )
    return Cluster(folder, port, bindir)


_EMPTYING: dict[str, str] = {}


async def empty(url: str) -> None:
    """Every table of the database emptied and its ids restarted (the migrations' records
    stay, but for names a test added). DELETE with the triggers off (the test server's
    superuser may) is much faster than TRUNCATE for the few rows a test leaves."""
    import asyncpg

    from storage.migrations import MIGRATIONS

    conn = await asyncpg.connect(url, timeout=10)
    try:
        if url not in _EMPTYING:
            tables = await conn.fetch(
                "SELECT quote_ident(tablename) FROM pg_tables"
                " WHERE schemaname = current_schema() AND tablename <> '_migrations'"
            )
            sequences = await conn.fetch(
                "SELECT quote_ident(sequencename) FROM pg_sequences"
                " WHERE schemaname = current_schema()"
            )
            known = ", ".join(f"'{m.name}'" for m in MIGRATIONS)
            _EMPTYING[url] = "; ".join(
                [
                    "SET session_replication_role = replica",
                    *(f"DELETE FROM {t[0]}" for t in tables),
                    *(f"ALTER SEQUENCE {q[0]} RESTART" for q in sequences),
                    f"DELETE FROM _migrations WHERE name NOT IN ({known})",
                    "SET session_replication_role = DEFAULT",
                ]
            )
        await conn.execute(_EMPTYING[url])
    finally:
        await conn.close(timeout=5)


def required() -> bool:
    """CI sets REQUIRE_POSTGRES=1: a missing server fails instead of skipping."""
    return os.environ.get("REQUIRE_POSTGRES", "") not in ("", "0")


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """The session's PostgreSQL server (skips where there is none, unless required)."""
    try:
        cluster = start_cluster()
    except (OSError, subprocess.SubprocessError) as exc:
        if required():
            pytest.fail(f"REQUIRE_POSTGRES is set but no PostgreSQL server could start: {exc}")
        pytest.skip(f"no PostgreSQL server on this machine ({exc}); REQUIRE_POSTGRES=1 in CI")
    try:
        yield cluster
    finally:
        cluster.stop()
