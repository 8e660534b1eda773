"""The hostile suite itself: every case runs the checks, and the table stays large."""

from __future__ import annotations

import importlib
import math
import pkgutil
from types import ModuleType

import tests.e2e.hostile as package
from tests.support.hostile import is_hostile_case


def sections() -> list[ModuleType]:
    names = [m.name for m in pkgutil.iter_modules(package.__path__) if m.name.startswith("test_")]
    return [importlib.import_module(f"{package.__name__}.{n}") for n in names if n != "test_table"]


def test_every_case_runs_the_checks_and_the_table_is_large_enough() -> None:
    cases = 0
    for module in sections():
        for name, test in vars(module).items():
            if not (name.startswith("test_") and callable(test)):
                continue
            assert is_hostile_case(test), f"{module.__name__}.{name} is not decorated @hostile"
            marks = [m for m in getattr(test, "pytestmark", []) if m.name == "parametrize"]
            cases += math.prod(len(m.args[1]) for m in marks)
    assert cases >= 40
