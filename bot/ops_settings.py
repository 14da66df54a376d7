"""Operations settings (webhook, health, backups, log format), read from environment variables.

Kept apart from :class:`bot.config.Settings` (the bot's own settings) so that ``factbot
health`` can run without a bot token; both read the same environment, unprefixed.
"""

from __future__ import annotations

import re
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.config import ConfigError, describe

# What Telegram accepts as X-Telegram-Bot-Api-Secret-Token (setWebhook's secret_token).
_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class OpsSettings(BaseSettings):
    """WEBHOOK_URL, WEBHOOK_SECRET, LISTEN, PORT, LOG_FORMAT, BACKUP_KEEP,
    BACKUP_INTERVAL_HOURS, HEALTH_MAX_AGE."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

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
    def _webhook_needs_secret(self) -> OpsSettings:
        if self.webhook_url and self.webhook_secret is None:
            # Without it anyone who finds the URL can feed the bot forged updates.
            raise ValueError("WEBHOOK_SECRET is not set (it is required with WEBHOOK_URL)")
        return self

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


def load_ops_settings(**overrides: Any) -> OpsSettings:
    """Operations settings from the environment; ConfigError names a bad variable."""
    try:
        return OpsSettings(**overrides)
    except ValidationError as exc:
        raise ConfigError(describe(exc)) from None
