"""Operations settings from the environment: defaults, modes, one-line errors."""

from __future__ import annotations

import pytest

from bot.config import ConfigError
from bot.ops_settings import load_ops_settings

VARIABLES = (
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "LISTEN",
    "PORT",
    "LOG_FORMAT",
    "BACKUP_KEEP",
    "BACKUP_INTERVAL_HOURS",
    "HEALTH_MAX_AGE",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_defaults_are_polling_with_text_logs() -> None:
    ops = load_ops_settings()
    assert ops.mode == "polling"
    assert (ops.listen, ops.port, ops.log_format, ops.backup_keep) == ("0.0.0.0", 8080, "text", 7)
    assert ops.local_base_url == "http://127.0.0.1:8080"


def test_webhook_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/tg/hook")
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret_-X")
    monkeypatch.setenv("PORT", "8443")
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    ops = load_ops_settings()
    assert ops.mode == "webhook" and ops.webhook_path == "/tg/hook"
    assert ops.log_format == "json" and ops.local_base_url == "http://127.0.0.1:8443"


def test_a_webhook_without_a_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/hook")
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET is not set"):
        load_ops_settings()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("WEBHOOK_SECRET", "has spaces and é", "WEBHOOK_SECRET is invalid"),
        ("WEBHOOK_URL", "bot.example.org/hook", "WEBHOOK_URL is invalid"),
        ("PORT", "eighty", "PORT is invalid"),
        ("PORT", "70000", "PORT is invalid"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT is invalid"),
        ("BACKUP_KEEP", "0", "BACKUP_KEEP is invalid"),
    ],
)
def test_bad_values_name_the_variable_and_never_echo_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_ops_settings()
    assert message in str(caught.value) and "\n" not in str(caught.value)
    if name == "WEBHOOK_SECRET":
        assert value not in str(caught.value)
