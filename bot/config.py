"""Settings from the environment or a ``.env`` file, validated at start.

Every setting is documented in ``.env.example``. A missing or malformed setting stops
the start with a message that names it (see :func:`load_settings`).
"""

from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings import SettingsError as SourceError

from bot.domain.strikes import FilingLimit, StrikePolicy

TELEGRAM_API_DEFAULT = "https://api.telegram.org"
_TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")

Language = Literal["id", "en"]


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it."""


class Settings(BaseSettings):
    """All runtime configuration. Field names map to upper-case environment variables."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
        env_ignore_empty=True,  # `OPS_CHAT_ID=` as copied from .env.example means "not set"
    )

    telegram_bot_token: SecretStr | None = Field(
        default=None, description="Token from BotFather; unset starts the offline demo."
    )
    telegram_api_url: str = Field(
        default=TELEGRAM_API_DEFAULT,
        description="Bot API server root; the bot calls {root}/bot{token}/{method}.",
    )
    dispatch_chat_id: int | None = Field(
        default=None, description="Chat id of the dispatchers' group (negative for groups)."
    )
    ops_chat_id: int | None = Field(
        default=None, description="Optional chat that receives error reports for operators."
    )
    dispatch_topic_id: int | None = Field(
        default=None,
        ge=1,
        description="Forum topic (message_thread_id) of the dispatch group for report cards.",
    )
    not_received_warning_seconds: float = Field(
        default=45,
        ge=5,
        le=600,
        description="A card not in the dispatch group this long after Send: the reporter"
        " is told to phone 112 now.",
    )
    cut_off_alert_minutes: float = Field(
        default=15,
        gt=0,
        le=24 * 60,
        description="While a group refuses the bot, the operators are told again this often.",
    )
    database_path: Path = Field(default=Path("data/semarang112.sqlite3"))
    database_url: str | None = Field(
        default=None,
        description="sqlite:///path (the default: DATABASE_PATH) or postgresql://user@host/db"
        " — PostgreSQL lets several bot processes share one store, one active at a time.",
    )
    failover_check_seconds: float = Field(
        default=1,
        ge=0.1,
        le=10,
        description="PostgreSQL: how often the active process confirms its lease (and a"
        " standby tries to take it); it stops acting when it cannot confirm within twice"
        " this.",
    )
    city_code: str = Field(default="SMG", description="Prefix of ticket numbers.")
    timezone: str = Field(default="Asia/Jakarta", description="Zone of times people see.")
    dispatch_language: Language = Field(default="id")
    default_language: Language = Field(default="id")
    draft_ttl_minutes: int = Field(default=60, ge=5, le=24 * 60)
    max_concurrent_updates: int = Field(default=64, ge=1, le=1024)
    group_messages_per_minute: int = Field(
        default=20,
        ge=1,
        le=60,
        description="Telegram's budget for one group: with TELEGRAM_FLOOD_LIMITS the outbox"
        " paces its messages to it (waiting cards go as one digest at each slot).",
    )
    telegram_flood_limits: bool = Field(
        default=True,
        description="Pace every message to Telegram's flood limits (a group: "
        "GROUP_MESSAGES_PER_MINUTE and one a second; a private chat one a second; 30 a "
        "second overall) instead of sending into 429 answers. Off only for tests.",
    )
    report_limit_count: int = Field(
        default=3, ge=1, le=100, description="Reports one person may file within the window."
    )
    report_limit_minutes: float = Field(default=10, gt=0, le=24 * 60)
    dispatcher_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list,
        description="Telegram user ids allowed to act on cards besides the group's admins.",
    )
    routing_path: Path | None = Field(
        default=None, description="Category → agency TOML file; the built-in default if unset."
    )
    claim_reminder_minutes: float = Field(default=2, gt=0, le=120)
    response_target_minutes: float = Field(default=10, gt=0, le=240)
    max_prank_strikes: int = Field(default=3, ge=1, le=100)
    duplicate_radius_m: float = Field(default=500, gt=0, le=50_000)
    duplicate_window_minutes: float = Field(default=30, gt=0, le=24 * 60)
    geocoder_enabled: bool = Field(
        default=False, description="Use a Nominatim geocoder for typed places and addresses."
    )
    geocoder_url: str = Field(
        default="https://nominatim.openstreetmap.org", description="Nominatim server root."
    )
    geocoder_user_agent: str = Field(default="semarang112-bot", min_length=3)
    geocoder_timeout_seconds: float = Field(default=3, gt=0, le=30)
    webhook_url: str | None = Field(
        default=None,
        description="Public https URL Telegram posts updates to; unset = long polling.",
    )
    webhook_secret: SecretStr | None = Field(
        default=None, description="Secret token Telegram sends with every webhook update."
    )
    webhook_listen: str = Field(default="127.0.0.1", description="Address the webhook binds.")
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    retention_days: int = Field(
        default=90,
        ge=1,
        le=3650,
        description="Days after closing before a report's personal data is purged (UU 27/2022).",
    )
    telegram_timeout_seconds: float = Field(
        default=15, gt=0, le=120, description="Read timeout of one Bot API request."
    )
    daily_summary: bool = Field(default=True, description="Post the daily summary.")
    daily_summary_time: time = Field(
        default=time(7, 0), description="Local time (WIB) of the daily summary (previous day)."
    )
    monthly_summary: bool = Field(default=True, description="Post the monthly summary on the 1st.")
    monthly_summary_time: time = Field(
        default=time(7, 0), description="Local time on the 1st of the monthly summary."
    )
    summary_pictures: bool = Field(
        default=True,
        description="Summaries carry pictures: yesterday's map; per kecamatan, response times.",
    )
    summary_catch_up_hours: float = Field(
        default=12, ge=0, le=48, description="A summary missed while down is still posted within."
    )
    rating_comment_minutes: float = Field(
        default=5, gt=0, le=60, description="How long after rating a message is taken as comment."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = Field(
        default="text", description="text: one readable line per event; json: JSON lines."
    )
    health_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="Port of /healthz and /metrics; unset = no health server.",
    )
    health_listen: str = Field(
        default="127.0.0.1", description="Address the health server binds (0.0.0.0: all)."
    )
    startup_retry_seconds: float = Field(
        default=60,
        ge=0,
        le=3600,
        description="How long the start keeps retrying an unreachable Bot API server.",
    )

    @field_validator("dispatch_chat_id", "ops_chat_id", mode="before")
    @classmethod
    def _numeric_chat(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().startswith("@"):
            raise ValueError(
                f"{value.strip()} is a username, not a chat id: add the bot to the group and "
                "send /chatid there (or run `python -m bot chat-id`), then use the number "
                "it prints, e.g. -1001234567890"
            )
        return value

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        if not _TOKEN_RE.match(value.get_secret_value().strip()):
            raise ValueError("expected the shape 123456789:AAE... given by BotFather")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("dispatcher_ids", mode="before")
    @classmethod
    def _id_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not value.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise ValueError("must start with sqlite:/// or postgresql://")
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("expected an http(s) URL of the Bot API server root")
        if value.endswith("/bot"):
            raise ValueError("give the server root, without the trailing /bot")
        return value

    @field_validator("geocoder_url")
    @classmethod
    def _geocoder_url(cls, value: str) -> str:
        if not re.fullmatch(r"https?://[^/\s]+/?", value.strip()):
            raise ValueError("expected http(s)://host[:port] of a Nominatim server")
        return value.strip().rstrip("/")

    @field_validator("city_code")
    @classmethod
    def _city_code(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z]{2,5}", value):
            raise ValueError("expected 2 to 5 capital letters, e.g. SMG")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not re.match(r"^https?://[^/\s]+", value.strip()):
            raise ValueError("expected the public https URL Telegram posts updates to")
        return value.strip()

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", value.get_secret_value()):
            raise ValueError("16-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url is not None and self.webhook_secret is None:
            raise ValueError("WEBHOOK_SECRET is required with WEBHOOK_URL")
        return self

    @model_validator(mode="after")
    def _dispatch_needed(self) -> Settings:
        if self.telegram_bot_token is not None and self.dispatch_chat_id is None:
            raise ValueError(
                "DISPATCH_CHAT_ID is required when TELEGRAM_BOT_TOKEN is set "
                "(run `python -m bot chat-id` to find it)"
            )
        return self

    @property
    def tz(self) -> ZoneInfo:
        """The zone in which people see times (WIB by default)."""
        return ZoneInfo(self.timezone)

    @property
    def strike_policy(self) -> StrikePolicy:
        """Prank strikes before a reporter is blocked."""
        return StrikePolicy(self.max_prank_strikes)

    @property
    def filing_limit(self) -> FilingLimit:
        """Reports one person may file within the window."""
        return FilingLimit(self.report_limit_count, timedelta(minutes=self.report_limit_minutes))

    @property
    def duplicate_window(self) -> timedelta:
        """How far apart in time two reports may still be the same emergency."""
        return timedelta(minutes=self.duplicate_window_minutes)

    @property
    def database(self) -> str:
        """The database to open: DATABASE_URL, or the SQLite file DATABASE_PATH."""
        return self.database_url or f"sqlite:///{self.database_path}"

    @property
    def shared_database(self) -> bool:
        """PostgreSQL: other processes may run against the same store (active/standby)."""
        return self.database.startswith(("postgresql://", "postgres://"))

    @property
    def sqlite_file(self) -> Path:
        """The SQLite file (DATABASE_URL's, else DATABASE_PATH)."""
        if self.database_url and self.database_url.startswith("sqlite:///"):
            return Path(self.database_url.removeprefix("sqlite:///"))
        return self.database_path

    @property
    def demo(self) -> bool:
        """True when no token is configured: the offline demo runs instead."""
        return self.telegram_bot_token is None


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning validation errors into one line naming each setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except SourceError as exc:  # a value that could not even be read (e.g. bad JSON)
        raise SettingsError(f"Invalid settings: {' '.join(str(exc).split())}") from None
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = "_".join(str(p) for p in err["loc"]).upper() or "configuration"
            msg = " ".join(err["msg"].removeprefix("Value error, ").split())
            lines.append(f"{name}: {msg}" if name != "configuration" else msg)
        raise SettingsError("Invalid settings: " + "; ".join(lines)) from None
