"""Domain models: locations, phone numbers, tickets, the draft's steps."""

import math
from datetime import date

import pytest
from pydantic import ValidationError

from bot.domain.models import (
    MAX_ATTACHMENTS,
    LocationSource,
    ReportLocation,
    Step,
    clean_text,
    client_language,
    format_ticket,
    normalize_phone,
    parse_ticket,
)
from tests.support import factories as f


def test_ticket_number_has_city_local_date_and_daily_sequence() -> None:
    assert format_ticket("SMG", date(2025, 3, 27), 42) == "SMG-250327-0042"
    assert format_ticket("SMG", date(2025, 3, 27), 12345) == "SMG-250327-12345"
    with pytest.raises(ValueError):
        format_ticket("SMG", date(2025, 3, 27), 0)


def test_ticket_parsing_tolerates_case_and_spaces() -> None:
    assert parse_ticket(" smg-250327-0042 ") == "SMG-250327-0042"
    assert parse_ticket("SMG-250327 -0042") == "SMG-250327-0042"
    assert parse_ticket("hello") is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0812 3456 7890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(024) 3515 112", "+62243515112"),
        ("0049 171 1234567", "+491711234567"),
        ("12", None),
        ("halo", None),
        ("08123", None),
        ("+62 812 3456 7890 1234 5", None),
    ],
)
def test_phone_numbers_are_normalized(typed: str, expected: str | None) -> None:
    assert normalize_phone(typed) == expected


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(math.nan, 110.4), (-6.9, math.inf), (91.0, 110.0), (-6.9, 181.0), (-91.0, 0.0)],
)
def test_invalid_coordinates_are_refused(lat: float, lon: float) -> None:
    with pytest.raises(ValidationError):
        ReportLocation(source=LocationSource.GPS, lat=lat, lon=lon)


def test_a_pin_needs_coordinates_and_typed_needs_words() -> None:
    with pytest.raises(ValidationError):
        ReportLocation(source=LocationSource.GPS)
    with pytest.raises(ValidationError):
        ReportLocation(source=LocationSource.TYPED, text="   ")
    assert ReportLocation(source=LocationSource.TYPED, text="Tugu Muda").has_point is False


def test_draft_walks_the_steps_and_returns_to_the_summary_after_an_edit() -> None:
    d = f.draft(step=Step.CATEGORY)
    assert [d.advance() for _ in range(4)] == [
        Step.LOCATION,
        Step.DETAILS,
        Step.PHONE,
        Step.CONFIRM,
    ]
    d.edit(Step.LOCATION)
    assert (d.step, d.editing) == (Step.LOCATION, True)
    assert d.advance() is Step.CONFIRM and not d.editing


def test_details_are_appended_and_cleaned() -> None:
    d = f.draft(details=None, step=Step.DETAILS)
    d.add_details("  asap \u200b tebal\u202e ")
    d.add_details("ada korban")
    assert d.details == "asap  tebal\nada korban"


def test_attachments_are_deduplicated_and_limited() -> None:
    d = f.draft()
    assert d.add_attachment(f.photo(1)) and d.add_attachment(f.photo(1))
    assert len(d.attachments) == 1
    for n in range(2, MAX_ATTACHMENTS + 1):
        assert d.add_attachment(f.photo(n))
    assert not d.add_attachment(f.photo(99))
    assert len(d.attachments) == MAX_ATTACHMENTS


def test_clean_text_removes_invisible_and_bidi_characters() -> None:
    assert clean_text("\u200b\u200f\u202etolong\u2066") == "tolong"


def test_language_follows_the_telegram_client() -> None:
    assert client_language("en-GB") == "en"
    assert client_language("id") == "id"
    assert client_language("de") == "id"
    assert client_language(None) == "id"
    assert f.reporter(client_language="en").lang == "en"
    assert f.reporter(client_language="en", language="id").lang == "id"
