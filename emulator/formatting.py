"""Telegram text formatting: parse ``parse_mode`` markup into plain text plus entities.

Telegram stores a formatted message as *plain text* plus a list of ``MessageEntity``
objects whose ``offset``/``length`` count UTF-16 code units.  This module reproduces that
for the emulator:

* :func:`parse_html` - a real parser of Telegram's HTML subset (``b``/``strong``,
  ``i``/``em``, ``u``/``ins``, ``s``/``strike``/``del``, ``span class="tg-spoiler"``,
  ``tg-spoiler``, ``a href``, ``code``, ``pre`` (with an optional inner
  ``code class="language-x"``), ``blockquote`` (optionally ``expandable``) and ``tg-emoji``;
  the entities ``&lt; &gt; &amp; &quot;`` and numeric references).  Errors raise
  :class:`EntityParseError` with tdlib's wording, e.g. ``Unsupported start tag "br" at byte
  offset 5``.
* :func:`parse_markdown_v2` - a compact MarkdownV2 parser (reserved characters must be
  escaped, as on Telegram).
* :func:`entities_to_html` - the reverse direction, used by the test driver to show what a
  person would see (``msg.html``).
* :func:`utf16_len` and :func:`strip_text` - helpers for Telegram's length rules.

Deliberate deviation: Telegram itself treats a bare ``&`` that starts no known entity as a
literal character.  With ``strict_ampersand=True`` (the emulator's default) it is rejected,
so a bot that forgets to escape user input fails in tests even on inputs without ``<``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "EntityParseError",
    "entities_to_html",
    "parse_html",
    "parse_markdown_v2",
    "parse_text",
    "strip_text",
    "utf16_len",
]

Entity = dict[str, Any]


class EntityParseError(ValueError):
    """Raised for malformed markup; ``str(exc)`` is the text after "can't parse entities: "."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (how Telegram counts lengths and offsets)."""
    # Fast path: most texts are in the Basic Multilingual Plane.
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _utf16_index_map(text: str) -> list[int]:
    """Map every UTF-16 offset (0..utf16_len) to a Python string index."""
    mapping: list[int] = []
    for index, ch in enumerate(text):
        mapping.append(index)
        if ord(ch) > 0xFFFF:
            mapping.append(index)  # the low surrogate points at the same character
    mapping.append(len(text))
    return mapping


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


_TAG_TYPES: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}

_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#[xX]([0-9a-fA-F]{1,8})|#([0-9]{1,10})|([a-zA-Z]+));?")


@dataclass(slots=True)
class _OpenTag:
    name: str
    start: int  # UTF-16 offset in the output text
    byte_offset: int
    attrs: dict[str, str]
    language: str | None = None
    children: list[Entity] = field(default_factory=list)


def _decode_entity(source: str, index: int, *, strict: bool) -> tuple[str, int] | None:
    """Decode the character reference at ``source[index] == "&"``.

    Returns ``(decoded, next_index)``, or ``None`` when it is not a valid reference (then the
    ``&`` is a literal character, as on Telegram, unless ``strict``).
    """
    match = _ENTITY_RE.match(source, index)
    if match is None:
        return None
    hex_digits, dec_digits, name = match.groups()
    if name is not None:
        decoded = _NAMED_ENTITIES.get(name)
        if decoded is None:
            return None
        return decoded, match.end()
    code = int(hex_digits, 16) if hex_digits is not None else int(dec_digits)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), match.end()


def _parse_attributes(source: str, index: int, tag: str, begin: int) -> tuple[dict[str, str], int]:
    """Parse ``name="value"`` pairs up to ``>``; returns them and the index after ``>``."""
    attrs: dict[str, str] = {}
    n = len(source)
    while True:
        while index < n and source[index].isspace():
            index += 1
        if index >= n:
            raise EntityParseError(
                f"Unclosed start tag at byte offset {_byte_offset(source, begin)}"
            )
        if source[index] == ">":
            return attrs, index + 1
        if source[index] == "/" and index + 1 < n and source[index + 1] == ">":
            return attrs, index + 2
        name_start = index
        while index < n and not source[index].isspace() and source[index] not in "=>":
            index += 1
        name = source[name_start:index].lower()
        if not name:
            raise EntityParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset '
                f"{_byte_offset(source, begin)}"
            )
        while index < n and source[index].isspace():
            index += 1
        if index >= n:
            raise EntityParseError(
                f"Unclosed start tag at byte offset {_byte_offset(source, begin)}"
            )
        if source[index] != "=":
            attrs[name] = ""  # attribute without a value, e.g. <blockquote expandable>
            continue
        index += 1
        while index < n and source[index].isspace():
            index += 1
        if index >= n:
            raise EntityParseError(
                f"Unclosed start tag at byte offset {_byte_offset(source, begin)}"
            )
        quote = source[index]
        if quote in "\"'":
            end = source.find(quote, index + 1)
            if end == -1:
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(source, begin)}"
                )
            raw_value = source[index + 1 : end]
            index = end + 1
        else:
            value_start = index
            while index < n and not source[index].isspace() and source[index] != ">":
                index += 1
            raw_value = source[value_start:index]
        attrs[name] = _decode_attribute(raw_value)


def _decode_attribute(raw: str) -> str:
    if "&" not in raw:
        return raw
    parts: list[str] = []
    i = 0
    while i < len(raw):
        if raw[i] == "&":
            decoded = _decode_entity(raw, i, strict=False)
            if decoded is not None:
                parts.append(decoded[0])
                i = decoded[1]
                continue
        parts.append(raw[i])
        i += 1
    return "".join(parts)


def parse_html(source: str, *, strict_ampersand: bool = True) -> tuple[str, list[Entity]]:
    """Parse Telegram-flavoured HTML into ``(plain_text, entities)``.

    Raises :class:`EntityParseError` for unknown tags, unclosed or mismatched tags, a bare
    ``<`` and (with ``strict_ampersand``) a bare ``&``.  The text is *not* stripped here.
    """
    out: list[str] = []
    pos = 0  # current UTF-16 offset in the output
    stack: list[_OpenTag] = []
    entities: list[Entity] = []
    i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        if ch == "&":
            decoded = _decode_entity(source, i, strict=strict_ampersand)
            if decoded is not None:
                out.append(decoded[0])
                pos += utf16_len(decoded[0])
                i = decoded[1]
                continue
            if strict_ampersand:
                raise EntityParseError(
                    f'Character "&" must be escaped as "&amp;" at byte offset '
                    f"{_byte_offset(source, i)}"
                )
        if ch != "<":
            start = i
            # Copy a run of ordinary characters at once.
            while i < n and source[i] not in "<&":
                i += 1
            if i == start:
                i += 1
            chunk = source[start:i]
            out.append(chunk)
            pos += utf16_len(chunk)
            continue

        begin = i
        if i + 1 < n and source[i + 1] == "/":
            end = source.find(">", i + 2)
            if end == -1:
                raise EntityParseError(
                    f"Unclosed end tag at byte offset {_byte_offset(source, begin)}"
                )
            name = source[i + 2 : end].strip().lower()
            if not stack:
                raise EntityParseError(
                    f"Unexpected end tag at byte offset {_byte_offset(source, begin)}"
                )
            top = stack[-1]
            if name != top.name:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(source, begin)}, "
                    f'expected "</{top.name}>", found "</{name}>"'
                )
            stack.pop()
            _close_tag(top, pos, stack, entities)
            i = end + 1
            continue

        j = i + 1
        while j < n and not source[j].isspace() and source[j] not in ">/":
            j += 1
        if j >= n:
            raise EntityParseError(
                f"Unclosed start tag at byte offset {_byte_offset(source, begin)}"
            )
        name = source[i + 1 : j].lower()
        if name not in _TAG_TYPES:
            raise EntityParseError(
                f'Unsupported start tag "{name}" at byte offset {_byte_offset(source, begin)}'
            )
        attrs, i = _parse_attributes(source, j, name, begin)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset '
                f"{_byte_offset(source, begin)}"
            )
        if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise EntityParseError(
                f'Tag "tg-emoji" must have a valid "emoji-id" attribute at byte offset '
                f"{_byte_offset(source, begin)}"
            )
        stack.append(_OpenTag(name, pos, _byte_offset(source, begin), attrs))

    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _close_tag(tag: _OpenTag, pos: int, stack: list[_OpenTag], entities: list[Entity]) -> None:
    length = pos - tag.start
    kind = _TAG_TYPES[tag.name]
    if kind == "code" and stack and stack[-1].name == "pre":
        language = tag.attrs.get("class", "")
        if language.startswith("language-") and len(language) > len("language-"):
            stack[-1].language = language[len("language-") :]
            return
    if length <= 0:
        return
    entity: Entity = {"type": kind, "offset": tag.start, "length": length}
    if kind == "text_link":
        url = tag.attrs.get("href", "")
        if not url:
            return  # Telegram silently drops links without a URL
        match = re.fullmatch(r"tg://user\?id=(\d+)", url)
        if match:
            entity = {
                "type": "text_mention",
                "offset": tag.start,
                "length": length,
                "user": {"id": int(match.group(1)), "is_bot": False, "first_name": ""},
            }
        else:
            entity["url"] = url
    elif kind == "pre" and tag.language:
        entity["language"] = tag.language
    elif kind == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = tag.attrs["emoji-id"]
    entities.append(entity)


_MD_RESERVED = set("_*[]()~`>#+-=|{}.!")
_MD_MARKERS = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough", "||": "spoiler"}


def parse_markdown_v2(source: str) -> tuple[str, list[Entity]]:
    """Parse Telegram MarkdownV2 (bold, italic, underline, strike, spoiler, code, pre, links).

    Reserved characters outside markup must be escaped with ``\\``, as on Telegram.
    Block quotations (``>``) are not supported and rejected as unescaped characters.
    """
    out: list[str] = []
    pos = 0
    stack: list[tuple[str, int]] = []  # (marker, start offset)
    link_stack: list[int] = []
    entities: list[Entity] = []
    i = 0
    n = len(source)

    def emit(text: str) -> None:
        nonlocal pos
        out.append(text)
        pos += utf16_len(text)

    while i < n:
        ch = source[i]
        if ch == "\\":
            if i + 1 >= n:
                raise EntityParseError("Character '\\' is reserved and must be escaped")
            emit(source[i + 1])
            i += 2
            continue
        if ch == "`":
            if source.startswith("```", i):
                end = source.find("```", i + 3)
                if end == -1:
                    raise EntityParseError("Can't find end of Pre entity")
                body = source[i + 3 : end]
                language = ""
                if "\n" in body:
                    first, rest = body.split("\n", 1)
                    if first and not first.isspace():
                        language, body = first.strip(), rest
                body = re.sub(r"\\([`\\])", r"\1", body)
                start = pos
                emit(body)
                entity: Entity = {"type": "pre", "offset": start, "length": pos - start}
                if language:
                    entity["language"] = language
                if pos > start:
                    entities.append(entity)
                i = end + 3
                continue
            end = source.find("`", i + 1)
            if end == -1:
                raise EntityParseError("Can't find end of Code entity")
            start = pos
            emit(re.sub(r"\\([`\\])", r"\1", source[i + 1 : end]))
            if pos > start:
                entities.append({"type": "code", "offset": start, "length": pos - start})
            i = end + 1
            continue
        marker = source[i : i + 2] if source[i : i + 2] in ("__", "||") else ch
        if marker in _MD_MARKERS:
            if stack and stack[-1][0] == marker:
                _, start = stack.pop()
                if pos > start:
                    entities.append(
                        {"type": _MD_MARKERS[marker], "offset": start, "length": pos - start}
                    )
            else:
                stack.append((marker, pos))
            i += len(marker)
            continue
        if ch == "[":
            link_stack.append(pos)
            i += 1
            continue
        if ch == "]" and link_stack:
            start = link_stack.pop()
            if i + 1 >= n or source[i + 1] != "(":
                raise EntityParseError("Can't find end of a URL")
            end = source.find(")", i + 2)
            if end == -1:
                raise EntityParseError("Can't find end of a URL")
            url = source[i + 2 : end].replace("\\)", ")").replace("\\\\", "\\")
            if pos > start and url:
                entities.append(
                    {"type": "text_link", "offset": start, "length": pos - start, "url": url}
                )
            i = end + 1
            continue
        if ch in _MD_RESERVED:
            raise EntityParseError(
                f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
            )
        emit(ch)
        i += 1
    if stack:
        marker = stack[-1][0]
        names = {"*": "Bold", "_": "Italic", "__": "Underline", "~": "Strikethrough"}
        raise EntityParseError(f"Can't find end of {names.get(marker, 'Spoiler')} entity")
    if link_stack:
        raise EntityParseError("Can't find end of TextUrl entity")
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def strip_text(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Strip leading/trailing whitespace as Telegram does, shifting and clipping entities."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    if not stripped:
        return "", []
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    new_len = utf16_len(stripped)
    result: list[Entity] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, new_len)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, result


def parse_text(
    text: str,
    parse_mode: str | None,
    entities: list[Entity] | None,
    *,
    strict_ampersand: bool = True,
) -> tuple[str, list[Entity]]:
    """Apply ``parse_mode`` (or explicit ``entities``) and Telegram's whitespace stripping.

    Raises :class:`EntityParseError` for malformed markup and :class:`ValueError` for an
    unsupported ``parse_mode``.
    """
    if entities is not None:
        parsed_text, parsed = text, sorted(entities, key=lambda e: (e["offset"], -e["length"]))
    elif parse_mode is None or parse_mode == "":
        parsed_text, parsed = text, []
    elif parse_mode.lower() == "html":
        parsed_text, parsed = parse_html(text, strict_ampersand=strict_ampersand)
    elif parse_mode.lower() == "markdownv2":
        parsed_text, parsed = parse_markdown_v2(text)
    else:
        raise ValueError(parse_mode)
    return strip_text(parsed_text, parsed)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _tags_for(entity: Entity) -> tuple[str, str] | None:
    kind = entity.get("type")
    simple = {
        "bold": "b",
        "italic": "i",
        "underline": "u",
        "strikethrough": "s",
        "spoiler": "tg-spoiler",
        "code": "code",
        "blockquote": "blockquote",
    }
    if kind in simple:
        tag = simple[kind]
        return f"<{tag}>", f"</{tag}>"
    if kind == "expandable_blockquote":
        return "<blockquote expandable>", "</blockquote>"
    if kind == "pre":
        language = entity.get("language")
        if language:
            return f'<pre><code class="language-{_escape(language)}">', "</code></pre>"
        return "<pre>", "</pre>"
    if kind == "text_link":
        url = _escape(str(entity.get("url", ""))).replace('"', "&quot;")
        return f'<a href="{url}">', "</a>"
    if kind == "text_mention":
        user_id = entity.get("user", {}).get("id", 0)
        return f'<a href="tg://user?id={user_id}">', "</a>"
    if kind == "custom_emoji":
        return f'<tg-emoji emoji-id="{entity.get("custom_emoji_id", "")}">', "</tg-emoji>"
    return None


def entities_to_html(text: str, entities: list[Entity] | None) -> str:
    """Render plain text plus entities back to Telegram HTML (inverse of :func:`parse_html`)."""
    if not entities:
        return _escape(text)
    mapping = _utf16_index_map(text)
    opens: dict[int, list[tuple[int, int, str]]] = {}
    closes: dict[int, list[tuple[int, str]]] = {}
    for order, entity in enumerate(sorted(entities, key=lambda e: (e["offset"], -e["length"]))):
        tags = _tags_for(entity)
        if tags is None:
            continue
        start_u16 = int(entity["offset"])
        end_u16 = start_u16 + int(entity["length"])
        if start_u16 < 0 or end_u16 >= len(mapping) or end_u16 <= start_u16:
            continue
        start, end = mapping[start_u16], mapping[end_u16]
        opens.setdefault(start, []).append((end, order, tags[0]))
        closes.setdefault(end, []).append((order, tags[1]))
    parts: list[str] = []
    for index in range(len(text) + 1):
        for _, close_tag in sorted(closes.get(index, ()), reverse=True):
            parts.append(close_tag)
        for _, _, open_tag in sorted(opens.get(index, ()), key=lambda o: (-o[0], o[1])):
            parts.append(open_tag)
        if index < len(text):
            parts.append(_escape(text[index]))
    return "".join(parts)
