"""Every sentence a person reads, in Bahasa Indonesia (``id``, the default) and English.

Reporters, dispatchers, officers, the daily and monthly summaries, chart labels and the
human-readable words of exports all come from this one catalogue. It is kept in parts by
audience (``reporter``, ``dispatch``, ``insight``, ``labels``, ``trust``) and merged at import into
one table, :data:`TEXTS`; a key defined twice anywhere makes the import fail.

:func:`t` looks a text up. Texts are Telegram HTML: callers fill placeholders with
already-escaped values (see ``handlers/views/render.py``); the ``labels`` part is plain
text, escaped by whoever puts it into HTML.
"""

from __future__ import annotations

from typing import Final

from bot.domain.categories import Category
from bot.domain.lifecycle import Disposition
from bot.domain.models import Language
from handlers.views.texts import (
    city,
    dispatch,
    insight,
    labels,
    reporter,
    reporter_more,
    trust,
)
from handlers.views.texts.catalogue import DuplicateTextError, Table, Text, build

LANGUAGES: Final[tuple[Language, ...]] = ("id", "en")
"""Every language of the catalogue, the default (Bahasa Indonesia) first."""

TEXTS: Final[Table] = build(
    reporter.TEXTS,
    reporter_more.TEXTS,
    dispatch.TEXTS,
    insight.TEXTS,
    labels.TEXTS,
    trust.TEXTS,
    city.TEXTS,
)


def t(lang: Language, key: str, **values: object) -> str:
    """The text ``key`` in ``lang``, with ``values`` filled in."""
    text = TEXTS[key][lang]
    return text.format(**values) if values else text


def all_variants(key: str) -> set[str]:
    """A text in every language (a reply-keyboard press arrives as plain text)."""
    return set(TEXTS[key].values())


def category_label(lang: Language, category: Category | str) -> str:
    """A category's name, plain text ("Keamanan & ketertiban"); an unknown key as given."""
    key = f"category_{category}"
    return t(lang, key) if key in TEXTS else str(category)


def disposition_label(
    lang: Language, disposition: Disposition | str, *, other: str = "", target: str = ""
) -> str:
    """A closing reason's one name, with the original ticket or the transfer target when
    known ("Duplikat dari SMG-…"); an unknown key as given. Values are inserted as passed."""
    if disposition == Disposition.DUPLICATE and other:
        return t(lang, "disposition_duplicate_of", other=other)
    if disposition == Disposition.TRANSFERRED and target:
        return t(lang, "disposition_transferred_to", target=target)
    key = f"disposition_{disposition}"
    return t(lang, key) if key in TEXTS else str(disposition)


class ExportWords:
    """The words of exports (``bot.domain.export.ExportLabels``), from this catalogue."""

    def category(self, lang: Language, key: str) -> str:
        """A category's name."""
        return category_label(lang, key)

    def disposition(self, lang: Language, key: str, *, other: str, target: str) -> str:
        """A closing reason."""
        return disposition_label(lang, key, other=other, target=target)

    def state(self, lang: Language, key: str) -> str:
        """Where an open report stands."""
        name = f"export_state_{key}"
        return t(lang, name) if name in TEXTS else key


EXPORT_WORDS: Final = ExportWords()

__all__ = [
    "EXPORT_WORDS",
    "LANGUAGES",
    "TEXTS",
    "DuplicateTextError",
    "ExportWords",
    "Text",
    "all_variants",
    "build",
    "category_label",
    "disposition_label",
    "t",
]
