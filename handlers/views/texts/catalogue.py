"""The shape of the text catalogue and how its table is built.

Each part of the catalogue (``reporter``, ``dispatch``, ``insight``, ``labels``) is a
tuple of :class:`Text` entries; :func:`build` merges them into one table and refuses a
key defined twice, within a part or across parts, so the import itself fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from bot.domain.models import Language

Table = Mapping[str, Mapping[Language, str]]


class Text(NamedTuple):
    """One sentence (or label) in every language: Bahasa Indonesia and English."""

    key: str
    id: str
    en: str


class DuplicateTextError(ValueError):
    """A key is defined more than once in the catalogue."""


def build(*parts: Iterable[Text]) -> Table:
    """One table from the parts: key → language → text; a repeated key raises."""
    table: dict[str, Mapping[Language, str]] = {}
    for part in parts:
        for entry in part:
            if entry.key in table:
                raise DuplicateTextError(f"text {entry.key!r} is defined twice")
            table[entry.key] = {"id": entry.id, "en": entry.en}
    return table
