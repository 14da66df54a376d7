"""The bot's settings: one class read from environment variables, one loader, and one clear
line for any bad value.

Every command reads the same environment, unprefixed. Running the bot (``factbot run``,
the notification worker) needs BOT_TOKEN; ``factbot health`` and ``factbot backup`` do not
(:func:`load_settings` with ``need_token=False``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# A Bot API token is "<bot id>:<secret>"; checking the shape catches placeholders
# ("changeme", "your-token-here") before the bot talks to anyone.
_TOKEN_SHAPE = re.compile(r"^\d{1,20}:\S{1,200}$")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# What Telegram accepts as X-Telegram-Bot-Api-Secret-Token (setWebhook's secret_token).
_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
#: BOT_TOKEN when it is not set (only the commands that never talk to Telegram go without).
NO_TOKEN = SecretStr("")


class ConfigError(Exception):
    """A missing or invalid setting; the message is one line naming the variable."""


@dataclass(frozen=True, slots=True)
class NotifySettings:
    """How the delivery worker paces notifications: NOTIFY_RATE, NOTIFY_MAX_IN_FLIGHT,
    NOTIFY_PER_CHAT_INTERVAL, NOTIFY_DIGEST_TIME (see :attr:`Settings.notify`)."""

    rate: float
    max_in_flight: int
    per_chat_interval: float
    digest_time: dt.time


class Settings(BaseSettings):
    """The bot's configuration.

    The bot: BOT_TOKEN, BOT_API_BASE_URL, DATA_DIR, ADMIN_IDS, LOG_LEVEL, REVIEW_MODE.
    Notifications: NOTIFY_RATE, NOTIFY_MAX_IN_FLIGHT, NOTIFY_PER_CHAT_INTERVAL,
    NOTIFY_DIGEST_TIME (handed to the delivery worker as :attr:`notify`).
    Operations: WEBHOOK_URL, WEBHOOK_SECRET, LISTEN, PORT, LOG_FORMAT, BACKUP_KEEP,
    BACKUP_INTERVAL_HOURS, HEALTH_MAX_AGE.
    """

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    #: NO_TOKEN when unset: :func:`load_settings` refuses that unless told the token is not needed.
    bot_token: SecretStr = Field(default=NO_TOKEN, validate_default=False)
    bot_api_base_url: str | None = None
    data_dir: Path = Path("./data")
    # NoDecode: the variable is "1,2", not the JSON list pydantic-settings expects.
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    log_level: str = "INFO"
    # Editors' changes become drafts that another admin approves (owners publish directly).
    review_mode: bool = False

    # --- notifications (the delivery worker's pace, see bot/delivery.py) ----------------
    #: Notifications per second overall (Telegram allows about 30).
    notify_rate: float = Field(default=30.0, gt=0, le=10_000)
    #: Sends in flight at once: 30/s at up to 250 ms a round trip.
    notify_max_in_flight: int = Field(default=8, ge=1, le=1024)
    #: Seconds between two messages to one chat.
    notify_per_chat_interval: float = Field(default=1.0, ge=0, le=3600)
    #: When the daily digest goes out (HH:MM, UTC).
    notify_digest_time: dt.time = dt.time(18, 0)

    # --- operations ----------------------------------------------------------------------
    #: Set: webhook mode (Telegram POSTs updates to this public https URL). Unset: polling.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    listen: str = "0.0.0.0"
    port: int = Field(default=8080, ge=1, le=65535)
    log_format: Literal["text", "json"] = "text"
    #: Daily snapshots kept in DATA_DIR/backups (the newest ones).
    backup_keep: int = Field(default=7, ge=1)
    backup_interval_hours: float = Field(default=24.0, gt=0)
    #: Seconds after which a heartbeat (polling mode) counts as stale.
    health_max_age: float = Field(default=90.0, gt=0)

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not _TOKEN_SHAPE.match(value.get_secret_value()):
            # Never echo the value: it may be a real token with a typo.
            raise ValueError("must be the token from @BotFather: digits, a colon, then the secret")
        return value

    @field_validator("bot_api_base_url")
    @classmethod
    def _base_url_shape(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL, e.g. http://127.0.0.1:8081/bot")
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            for part in parts:
                if not re.fullmatch(r"-?\d+", part):
                    raise ValueError(f"{part!r} is not a numeric Telegram user id")
            return [int(p) for p in parts]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in _LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(_LOG_LEVELS)}")
        return level

    @field_validator("webhook_url")
    @classmethod
    def _url_shape(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be a URL like https://bot.example.org/telegram")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not _SECRET_SHAPE.match(value.get_secret_value()):
            # Never echo the value.
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret is None:
            # Without it anyone who finds the URL can feed the bot forged updates.
            raise ValueError("WEBHOOK_SECRET is not set (it is required with WEBHOOK_URL)")
        return self

    @property
    def notify(self) -> NotifySettings:
        """The NOTIFY_* settings, as the delivery worker takes them."""
        return NotifySettings(
            rate=self.notify_rate,
            max_in_flight=self.notify_max_in_flight,
            per_chat_interval=self.notify_per_chat_interval,
            digest_time=self.notify_digest_time,
        )

    @property
    def mode(self) -> Literal["polling", "webhook"]:
        """How updates arrive: webhook when WEBHOOK_URL is set, else long polling."""
        return "webhook" if self.webhook_url else "polling"

    @property
    def webhook_path(self) -> str:
        """The path the webhook is served on: the path of WEBHOOK_URL."""
        return urlsplit(self.webhook_url or "").path or "/"

    @property
    def local_base_url(self) -> str:
        """Where this machine reaches the web server (for ``factbot health``)."""
        host = self.listen
        if host in ("", "0.0.0.0", "::"):
            host = "127.0.0.1"
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"


def _describe(exc: ValidationError) -> str:
    """One line naming every bad variable, never its value."""
    problems: list[str] = []
    for err in exc.errors():
        message = str(err["msg"]).removeprefix("Value error, ")
        if not err["loc"]:
            problems.append(message)
        elif err["type"] == "missing":
            problems.append(f"{str(err['loc'][0]).upper()} is not set")
        else:
            problems.append(f"{str(err['loc'][0]).upper()} is invalid: {message}")
    return "; ".join(problems)


def load_settings(*, need_token: bool = True, **overrides: Any) -> Settings:
    """Settings from the environment (keyword overrides win); ConfigError names every bad
    variable in one line. Without ``need_token`` BOT_TOKEN may be unset."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        problems = _describe(exc)
        if need_token and not _token_given(overrides):
            problems = f"BOT_TOKEN is not set; {problems}"
        raise ConfigError(problems) from None
    if need_token and not settings.bot_token.get_secret_value():
        raise ConfigError("BOT_TOKEN is not set")
    return settings


def _token_given(overrides: dict[str, Any]) -> bool:
    """Whether BOT_TOKEN was given at all (read as pydantic-settings reads it: any case)."""
    return "bot_token" in overrides or any(name.upper() == "BOT_TOKEN" for name in os.environ)
