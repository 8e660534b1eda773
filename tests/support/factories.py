"""Factories for tests: small, explicit builders with sensible defaults."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.domain.categories import Category
from bot.domain.models import (
    Attachment,
    AttachmentKind,
    Draft,
    LocationSource,
    Reporter,
    ReportLocation,
    Step,
)
from bot.domain.strikes import FilingLimit
from bot.services.reports import Intake

TOKEN = "123456789:TEST-token-for-the-emulator-only_0001"
DISPATCH_CHAT = -1001234567890
SIMPANG_LIMA = (-6.99046, 110.42285)


def settings(tmp_path: Path, **over: Any) -> Settings:
    """Settings for a test database, pointed at nothing unless told."""
    values: dict[str, Any] = {
        "telegram_bot_token": TOKEN,
        "telegram_api_url": "http://127.0.0.1:9",
        "dispatch_chat_id": DISPATCH_CHAT,
        "database_path": tmp_path / "test.sqlite3",
        # Drawing a summary's pictures takes a second of matplotlib: tests that want them
        # ask (tests/e2e/test_summary_pictures.py).
        "summary_pictures": False,
        # Pacing to Telegram's flood limits makes every test wait for its slots: tests
        # that emulate the limits ask for it (tests/e2e/test_pacing.py).
        "telegram_flood_limits": False,
    }
    values.update(over)
    return Settings(_env_file=None, **values)


def reporter(user_id: int = 1001, **over: Any) -> Reporter:
    """A reporter as Telegram would describe them."""
    values: dict[str, Any] = {
        "user_id": user_id,
        "first_name": "Budi",
        "last_name": "Santoso",
        "username": "budi_smg",
        "client_language": "id",
    }
    values.update(over)
    return Reporter(**values)


def location(source: LocationSource = LocationSource.GPS, **over: Any) -> ReportLocation:
    """A pin at Simpang Lima unless told otherwise."""
    values: dict[str, Any] = {"source": source, "lat": SIMPANG_LIMA[0], "lon": SIMPANG_LIMA[1]}
    if source is LocationSource.TYPED:
        values = {"source": source, "text": "Simpang Lima depan Matahari"}
    values.update(over)
    return ReportLocation(**values)


def draft(chat_id: int = 1001, **over: Any) -> Draft:
    """A complete draft at the summary step."""
    values: dict[str, Any] = {
        "chat_id": chat_id,
        "user_id": chat_id,
        "step": Step.CONFIRM,
        "category": Category.TRAFFIC_ACCIDENT,
        "location": location(),
        "details": "Motor tabrakan dengan mobil, satu orang luka.",
        "phone": "+6281234567890",
    }
    values.update(over)
    return Draft(**values)


def photo(n: int = 1) -> Attachment:
    """A photo attachment."""
    return Attachment(kind=AttachmentKind.PHOTO, file_id=f"PHOTO-{n}", file_unique_id=f"u{n}")


def at(hour: int = 5, minute: int = 0, day: int = 27) -> datetime:
    """A UTC time on 2026-03-(day)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def intake(**over: Any) -> Intake:
    """Filing rules for storage-level tests: Semarang's tickets, no practical limit."""
    values: dict[str, Any] = {
        "city_code": "SMG",
        "tz": ZoneInfo("Asia/Jakarta"),
        "limit": FilingLimit(1000, timedelta(minutes=10)),
        "duplicate_radius_m": 500.0,
        "duplicate_window": timedelta(minutes=30),
    }
    values.update(over)
    return Intake(**values)
