"""The bot's import footprint: resident memory after importing what ``python -m bot run``
loads, step by step, and what each heavy library costs alone.

``python -m bench.imports`` (Linux: RSS from ``/proc/self/status``). Every figure comes
from a fresh interpreter, so nothing one step loaded hides in another's figure. The
cumulative column follows the order the running bot imports things in; the "alone"
column is each library imported into an empty interpreter (libraries share their own
dependencies — ssl, yarl, typing_extensions … — so the "alone" figures overlap and do
not add up). ``--json PATH`` saves the figures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What ``python -m bot run`` loads, grouped by the libraries each step brings in.
STEPS: list[tuple[str, list[str]]] = [
    ("settings (pydantic, pydantic-settings)", ["bot.config"]),
    ("city map, regions of Java (numpy, shapely)", ["bot.domain.geo", "bot.domain.regions"]),
    ("python-telegram-bot (with httpx, tornado)", ["telegram", "telegram.ext"]),
    ("aiohttp (the HTTP client)", ["aiohttp", "bot.runtime.http"]),
    ("handlers, services, storage (aiosqlite, rapidfuzz, babel)", ["handlers"]),
    ("runtime and command line (prometheus-client …)", ["bot.runtime.app", "bot.runtime.cli"]),
]
ALONE = [
    "numpy",
    "shapely",
    "geographiclib.geodesic",
    "geopy.geocoders",
    "pydantic",
    "pydantic_settings",
    "telegram",
    "telegram.ext",
    "httpx",
    "aiohttp",
    "aiosqlite",
    "rapidfuzz",
    "babel.numbers",
    "prometheus_client",
    "matplotlib.figure",
]
WATCH = ["numpy", "shapely", "geopy", "matplotlib", "httpx", "aiohttp", "tornado", "PIL"]

PROBE = """
import importlib, json, sys
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / 1e6
out = {"start": rss(), "after": []}
for group in json.loads(sys.argv[1]):
    for name in group:
        importlib.import_module(name)
    out["after"].append(rss())
out["loaded"] = sorted(m for m in json.loads(sys.argv[2]) if m in sys.modules)
print(json.dumps(out))
"""


@dataclass
class Probe:
    """RSS (MB) of a fresh interpreter at start and after each group of imports."""

    start: float
    after: list[float]
    loaded: list[str]


def probe(groups: list[list[str]]) -> Probe:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(groups), json.dumps(WATCH)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return Probe(**json.loads(done.stdout))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__)
    p.add_argument("--json", dest="json_path", type=Path, help="write the figures as JSON")
    args = p.parse_args(argv)
    steps = probe([modules for _, modules in STEPS])
    start, after = steps.start, steps.after
    print(f"{'step':<62} {'RSS MB':>7} {'+MB':>6}")
    print(f"{'python itself':<62} {start:7.1f}")
    before = start
    for (label, _), rss in zip(STEPS, after, strict=True):
        print(f"{label:<62} {rss:7.1f} {rss - before:+6.1f}")
        before = rss
    print(f"heavy libraries loaded at start: {', '.join(steps.loaded)}")
    alone: dict[str, float] = {}
    for name in ALONE:
        one = probe([[name]])
        alone[name] = one.after[0] - one.start
    print("\nalone (fresh interpreter, MB over python itself):")
    for name, cost in alone.items():
        print(f"  {name:<28} {cost:+6.1f}")
    if args.json_path is not None:
        figures = {
            "python": start,
            "steps": dict(zip([s for s, _ in STEPS], after, strict=True)),
            "loaded": steps.loaded,
            "alone": alone,
        }
        args.json_path.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
