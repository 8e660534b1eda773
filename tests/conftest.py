"""The suite's shape: each test gets a marker from the folder it lives in.

    tests/unit/      unit      no database, no server, no process
    tests/storage/   storage   opens an SQLite database
    tests/drawing/   drawing   draws images with matplotlib (charts, the map): no database
                               or server, but a second or two each
    tests/e2e/       e2e       the bot end to end: through the Bot API emulator, or as its
                               own process
    tests/emulator/  emulator  the emulator's own tests; they start its server, real
                               python-telegram-bot clients and a process, so they are
                               e2e as well

``python -m pytest -m "not e2e and not drawing"`` is the quick run (unit and storage). A
folder whose tests ``-m`` leaves out entirely is not even imported, which keeps the quick
run quick. A test module outside these folders is refused, so every test is in exactly one
part.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

try:  # pytest's own parser of -m expressions; without it every folder is collected
    from _pytest.mark.expression import Expression
except ImportError:  # pragma: no cover
    Expression = None  # type: ignore[assignment,misc]

TESTS = Path(__file__).parent
FOLDER_MARKERS: dict[str, tuple[str, ...]] = {
    "unit": ("unit",),
    "storage": ("storage",),
    "drawing": ("drawing",),
    "e2e": ("e2e",),
    "emulator": ("emulator", "e2e"),
}
FOLDER_NAMES = {name for names in FOLDER_MARKERS.values() for name in names}


class _Undecided(Exception):
    """A marker with arguments in the expression: leave the decision to pytest."""


def could_select(markexpr: str, markers: tuple[str, ...]) -> bool:
    """Whether a test of a folder with ``markers`` can match ``-m markexpr``.

    Such a test carries exactly its folder's markers among the folder markers (enforced at
    collection) and may carry any other marker.
    """
    if Expression is None:
        return True
    try:
        expression = Expression.compile(markexpr)
    except SyntaxError:
        return True  # pytest itself reports the bad expression
    others = sorted(expression.idents() - FOLDER_NAMES)
    if len(others) > 10:
        return True
    for values in itertools.product((False, True), repeat=len(others)):
        present = {*markers, *(name for name, on in zip(others, values, strict=True) if on)}
        try:
            if expression.evaluate(_has_any_of(present)):
                return True
        except _Undecided:
            return True
    return False


def _has_any_of(present: set[str]) -> Callable[..., bool]:
    def has(name: str, /, **kwargs: object) -> bool:
        if kwargs:
            raise _Undecided
        return name in present

    return has


def left_out(config: pytest.Config) -> list[str]:
    """The folders ``-m`` leaves out entirely."""
    markexpr = config.getoption("markexpr")
    if not markexpr:
        return []
    return [f for f, markers in FOLDER_MARKERS.items() if not could_select(markexpr, markers)]


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if collection_path.parent == TESTS and collection_path.name in left_out(config):
        return True
    return None


def pytest_report_header(config: pytest.Config) -> str | None:
    folders = left_out(config)
    if not folders:
        return None
    return "not collected, -m leaves them out: " + ", ".join(f"tests/{f}/" for f in folders)


def folder_of(path: Path) -> str | None:
    relative = path.relative_to(TESTS)
    return relative.parts[0] if len(relative.parts) > 1 else None


@pytest.hookimpl(tryfirst=True)  # before -m selects on the markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        folder = folder_of(item.path)
        if folder not in FOLDER_MARKERS:
            raise pytest.UsageError(
                f"{item.nodeid}: test modules live in tests/{{{','.join(FOLDER_MARKERS)}}}/"
            )
        own = FOLDER_MARKERS[folder]
        for marker in item.iter_markers():
            if marker.name in FOLDER_NAMES and marker.name not in own:
                raise pytest.UsageError(
                    f"{item.nodeid}: marked {marker.name}; the folder gives the marker: move it"
                )
        for name in own:
            item.add_marker(name)


from tests.support.postgres import postgres_cluster  # noqa: E402  (the session's server)

__all__ = ["postgres_cluster"]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say which halves ran: SQLite and PostgreSQL (CI requires both)."""
    halves: dict[str, dict[str, int]] = {"sqlite": {}, "postgresql": {}}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(report, "nodeid", "")
            if report.when not in ("call", "setup") or (
                outcome == "passed" and report.when != "call"
            ):
                continue
            half = (
                "postgresql"
                if "[postgresql" in nodeid or "test_postgres.py" in nodeid
                else "sqlite"
                if "[sqlite" in nodeid
                else None
            )
            if half is not None:
                halves[half][outcome] = halves[half].get(outcome, 0) + 1
    if any(halves.values()):
        for half, counts in halves.items():
            said = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "none"
            terminalreporter.write_line(f"{half} half (tests run on both backends): {said}")
