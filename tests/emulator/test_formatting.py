"""Unit tests for the emulator's Telegram HTML / MarkdownV2 parsing."""

from __future__ import annotations

import re

import pytest

from emulator.formatting import (
    EntityParseError,
    entities_to_html,
    parse_html,
    parse_markdown_v2,
    parse_text,
    utf16_len,
)


def test_parse_html_nested_tags_and_entities() -> None:
    text, entities = parse_html(
        '<b>Lapor <i>darurat</i></b> &lt;112&gt; &amp; <a href="https://x.id/?a=1&amp;b=2">peta</a>'
    )
    assert text == "Lapor darurat <112> & peta"
    assert entities == [
        {"type": "bold", "offset": 0, "length": 13},
        {"type": "italic", "offset": 6, "length": 7},
        {"type": "text_link", "offset": 22, "length": 4, "url": "https://x.id/?a=1&b=2"},
    ]


def test_parse_html_all_supported_tags() -> None:
    source = (
        "<strong>a</strong><em>b</em><u>c</u><ins>d</ins><s>e</s><strike>f</strike><del>g</del>"
        '<span class="tg-spoiler">h</span><tg-spoiler>i</tg-spoiler><code>j</code>'
        '<pre><code class="language-python">k</code></pre><blockquote>l</blockquote>'
        '<blockquote expandable>m</blockquote><tg-emoji emoji-id="5368324170671202286">n'
        "</tg-emoji>&#128680;&#x1F6A8;&quot;"
    )
    text, entities = parse_html(source)
    assert text == 'abcdefghijklmn🚨🚨"'
    kinds = [e["type"] for e in entities]
    assert kinds == [
        "bold",
        "italic",
        "underline",
        "underline",
        "strikethrough",
        "strikethrough",
        "strikethrough",
        "spoiler",
        "spoiler",
        "code",
        "pre",
        "blockquote",
        "expandable_blockquote",
        "custom_emoji",
    ]
    pre = next(e for e in entities if e["type"] == "pre")
    assert pre["language"] == "python"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("baris<br>baru", 'Unsupported start tag "br" at byte offset 5'),
        ("<b>tebal", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("Tom & Jerry", 'Character "&" must be escaped as "&amp;" at byte offset 4'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b", "Unclosed start tag at byte offset 0"),
    ],
)
def test_parse_html_errors(source: str, message: str) -> None:
    with pytest.raises(EntityParseError) as info:
        parse_html(source)
    assert str(info.value) == message


def test_bare_ampersand_allowed_when_not_strict() -> None:
    assert parse_html("Tom & Jerry", strict_ampersand=False) == ("Tom & Jerry", [])


def test_offsets_count_utf16_units_and_bytes_count_utf8() -> None:
    text, entities = parse_html("🚨 <b>Api</b>")
    assert entities == [{"type": "bold", "offset": 3, "length": 3}]
    assert utf16_len(text) == 6
    with pytest.raises(EntityParseError, match="byte offset 5"):
        parse_html("🚨 <x>")


def test_parse_text_strips_whitespace_and_shifts_entities() -> None:
    text, entities = parse_text("  <b>halo</b>  \n", "HTML", None)
    assert text == "halo"
    assert entities == [{"type": "bold", "offset": 0, "length": 4}]


def test_entities_to_html_round_trip() -> None:
    source = (
        '<b>Kebakaran <i>🔥 besar</i></b> di <a href="https://maps.example/?q=1">Tugu</a> &amp; x'
    )
    text, entities = parse_html(source)
    rendered = entities_to_html(text, entities)
    assert rendered == (
        '<b>Kebakaran <i>🔥 besar</i></b> di <a href="https://maps.example/?q=1">Tugu</a> &amp; x'
    )
    assert parse_html(rendered) == (text, entities)


def test_markdown_v2() -> None:
    text, entities = parse_markdown_v2("*tebal* _miring_ `kode` [peta](https://x.id) 1\\.5")
    assert text == "tebal miring kode peta 1.5"
    assert [e["type"] for e in entities] == ["bold", "italic", "code", "text_link"]
    with pytest.raises(EntityParseError, match=re.escape("Character '.' is reserved")):
        parse_markdown_v2("Selesai.")
