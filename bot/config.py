"""Settings read from environment variables, with one clear line for any bad value."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# A Bot API token is "<bot id>:<secret>"; checking the shape catches placeholders
# ("changeme", "your-token-here") before the bot talks to anyone.
_TOKEN_SHAPE = re.compile(r"^\d{1,20}:\S{1,200}$")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(Exception):
    """A missing or invalid setting; the message is one line naming the variable."""


class Settings(BaseSettings):
    """The bot's configuration: BOT_TOKEN, BOT_API_BASE_URL, DATA_DIR, ADMIN_IDS, LOG_LEVEL."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    bot_token: SecretStr
    bot_api_base_url: str | None = None
    data_dir: Path = Path("./data")
    # NoDecode: the variable is "1,2", not the JSON list pydantic-settings expects.
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    log_level: str = "INFO"
    # Editors' changes become drafts that another admin approves (owners publish directly).
    review_mode: bool = False

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


def describe(exc: ValidationError, *, prefix: str = "") -> str:
    """One line naming every bad variable (``prefix`` + the field's name), never its value:
    the error of every settings loader."""
    problems: list[str] = []
    for err in exc.errors():
        message = str(err["msg"]).removeprefix("Value error, ")
        if not err["loc"]:
            problems.append(message)
        elif err["type"] == "missing":
            problems.append(f"{prefix}{str(err['loc'][0]).upper()} is not set")
        else:
            problems.append(f"{prefix}{str(err['loc'][0]).upper()} is invalid: {message}")
    return "; ".join(problems)


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment (keyword overrides win); ConfigError names a bad variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(describe(exc)) from None
