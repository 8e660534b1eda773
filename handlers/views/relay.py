"""Relayed messages: a header with the ticket, split to fit Telegram's limit."""

from __future__ import annotations

from bot.domain.models import Language
from handlers.views.render import (
    MAX_CAPTION,
    MAX_MESSAGE,
    esc,
    split_for_telegram,
    visible_len,
)
from handlers.views.texts import t


def relay_texts(lang: Language, key: str, ticket: str, words: str) -> list[str]:
    """A relayed message with its header, split so every piece fits Telegram's limit."""
    header = t(lang, key, ticket=ticket, text="")
    room = MAX_MESSAGE - visible_len(header) - 16
    return [
        t(lang, key, ticket=ticket, text=esc(piece)) for piece in split_for_telegram(words, room)
    ]


def relay_caption(lang: Language, key: str, ticket: str, words: str) -> tuple[str, list[str]]:
    """A relayed file's caption within Telegram's caption limit (1,024 UTF-16 units as
    Telegram counts them, the header included), and what does not fit as text messages."""
    header = t(lang, key, ticket=ticket, text="")
    if not words:
        return header.rstrip(), []
    first, *rest = split_for_telegram(words, MAX_CAPTION - visible_len(header) - 8)
    caption = t(lang, key, ticket=ticket, text=esc(first))
    return caption, relay_texts(lang, key, ticket, "".join(rest)) if rest else []
