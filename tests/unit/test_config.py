"""Settings: defaults, validation, and messages that name the setting."""

from pathlib import Path

import pytest

from bot.config import SettingsError, load_settings
from bot.runtime.logs import RedactFilter
from tests.support.factories import TOKEN
from tests.support.processes import SETTINGS_OF_THE_DEVELOPER


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in SETTINGS_OF_THE_DEVELOPER:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout


def test_no_token_means_demo() -> None:
    s = load_settings()
    assert s.demo and s.telegram_api_url == "https://api.telegram.org"


def test_token_requires_dispatch_chat(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    with pytest.raises(SettingsError, match="DISPATCH_CHAT_ID"):
        load_settings()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TELEGRAM_BOT_TOKEN", "not-a-token"),
        ("TELEGRAM_API_URL", "ftp://example"),
        ("TELEGRAM_API_URL", "http://127.0.0.1:8081/bot"),
        ("DISPATCH_CHAT_ID", "dispatch"),
        ("CITY_CODE", "semarang"),
        ("TIMEZONE", "Mars/Olympus"),
        ("DRAFT_TTL_MINUTES", "0"),
    ],
)
def test_malformed_settings_are_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DISPATCH_CHAT_ID", "-1001")
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as err:
        load_settings()
    assert name in str(err.value)
    assert TOKEN not in str(err.value)


def test_env_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        f"TELEGRAM_BOT_TOKEN={TOKEN}\nDISPATCH_CHAT_ID=-100200\nTELEGRAM_API_URL=http://127.0.0.1:8081/\n"
    )
    s = load_settings()
    assert s.dispatch_chat_id == -100200
    assert s.telegram_api_url == "http://127.0.0.1:8081"
    assert TOKEN not in repr(s)


def test_redact_filter_hides_secrets() -> None:
    import logging

    record = logging.LogRecord(
        "x", logging.INFO, "f", 1, "POST %s/bot%s/getMe", ("http://h", TOKEN), None
    )
    RedactFilter([TOKEN]).filter(record)
    assert TOKEN not in record.getMessage() and "<redacted>" in record.getMessage()


def test_empty_values_mean_not_set(tmp_path: Path) -> None:
    from tests.support.processes import copy_env_example

    copy_env_example(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, DISPATCH_CHAT_ID="-100200")
    s = load_settings()
    assert s.dispatch_chat_id == -100200 and not s.demo
    assert s.ops_chat_id is None and s.routing_path is None and s.webhook_url is None
    assert s.health_port is None and s.log_format == "text" and s.dispatcher_ids == []


def test_a_username_for_a_chat_id_says_how_to_find_the_number(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DISPATCH_CHAT_ID", "@cc112_dispatch")
    with pytest.raises(SettingsError) as err:
        load_settings()
    message = str(err.value)
    assert "\n" not in message
    assert "DISPATCH_CHAT_ID: @cc112_dispatch is a username, not a chat id" in message
    assert "/chatid" in message and "chat-id" in message


def test_several_malformed_settings_are_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DISPATCH_CHAT_ID", "-1001")
    monkeypatch.setenv("HEALTH_PORT", "0")
    monkeypatch.setenv("LOG_FORMAT", "yaml")
    with pytest.raises(SettingsError) as err:
        load_settings()
    message = str(err.value)
    assert "\n" not in message and "HEALTH_PORT: " in message and "LOG_FORMAT: " in message
    assert message.count("; ") == 1
