"""Settings from the environment: defaults, parsing, and one clear line per bad variable."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from bot.ops.logs import RedactingFormatter, configure_logging
from bot.ops.settings import ConfigError, NotifySettings, Settings, load_settings

TOKEN = "123456789:" + "AAE" + "example" * 4 + "_12345"  # fake, token-shaped
VARIABLES = (
    "BOT_TOKEN",
    "BOT_API_BASE_URL",
    "DATA_DIR",
    "ADMIN_IDS",
    "LOG_LEVEL",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "LISTEN",
    "PORT",
    "LOG_FORMAT",
    "BACKUP_KEEP",
    "BACKUP_INTERVAL_HOURS",
    "HEALTH_MAX_AGE",
    "NOTIFY_RATE",
    "NOTIFY_MAX_IN_FLIGHT",
    "NOTIFY_PER_CHAT_INTERVAL",
    "NOTIFY_DIGEST_TIME",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_defaults_with_only_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    settings = load_settings()
    assert settings.bot_token.get_secret_value() == TOKEN
    assert settings.bot_api_base_url is None
    assert settings.data_dir == Path("./data")
    assert settings.admin_ids == []
    assert settings.log_level == "INFO"


def test_every_variable_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("BOT_API_BASE_URL", "http://127.0.0.1:8081/bot")
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ADMIN_IDS", " 11, 22 ,33,")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    settings = load_settings()
    assert settings.bot_api_base_url == "http://127.0.0.1:8081/bot"
    assert settings.data_dir == tmp_path
    assert settings.admin_ids == [11, 22, 33]
    assert settings.log_level == "DEBUG"


def test_the_notify_settings_reach_the_worker_as_one_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    assert load_settings().notify == NotifySettings(
        rate=30.0, max_in_flight=8, per_chat_interval=1.0, digest_time=dt.time(18, 0)
    )
    monkeypatch.setenv("NOTIFY_RATE", "12.5")
    monkeypatch.setenv("NOTIFY_MAX_IN_FLIGHT", "3")
    monkeypatch.setenv("NOTIFY_PER_CHAT_INTERVAL", "0")
    monkeypatch.setenv("NOTIFY_DIGEST_TIME", "07:30")
    assert load_settings().notify == NotifySettings(
        rate=12.5, max_in_flight=3, per_chat_interval=0.0, digest_time=dt.time(7, 30)
    )


def test_empty_admin_ids_and_base_url_mean_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("ADMIN_IDS", "")
    monkeypatch.setenv("BOT_API_BASE_URL", "")
    settings = load_settings()
    assert settings.admin_ids == []
    assert settings.bot_api_base_url is None


def test_keyword_construction_as_the_test_harness_does(tmp_path: Path) -> None:
    settings = Settings(
        bot_token="123456:TEST-not-a-real-token",  # type: ignore[arg-type]
        bot_api_base_url="http://127.0.0.1:1/bot",
        data_dir=tmp_path,
        admin_ids=[1, 2],
    )
    assert settings.admin_ids == [1, 2]


def test_missing_token_names_the_variable() -> None:
    with pytest.raises(ConfigError) as exc:
        load_settings()
    assert str(exc.value) == "BOT_TOKEN is not set"


@pytest.mark.parametrize("bad", ["changeme", "your-token-here", "12345", ":abc", "1:a b"])
def test_placeholder_token_is_refused_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch, bad: str
) -> None:
    monkeypatch.setenv("BOT_TOKEN", bad)
    with pytest.raises(ConfigError) as exc:
        load_settings()
    message = str(exc.value)
    assert message.startswith("BOT_TOKEN is invalid")
    assert bad not in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("ADMIN_IDS", "1,two", "ADMIN_IDS is invalid: 'two' is not a numeric Telegram user id"),
        ("BOT_API_BASE_URL", "127.0.0.1:8081", "BOT_API_BASE_URL is invalid: must be an http"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL is invalid: must be one of"),
        ("WEBHOOK_SECRET", "has spaces and é", "WEBHOOK_SECRET is invalid"),
        ("WEBHOOK_URL", "bot.example.org/hook", "WEBHOOK_URL is invalid"),
        ("PORT", "eighty", "PORT is invalid"),
        ("PORT", "70000", "PORT is invalid"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT is invalid"),
        ("BACKUP_KEEP", "0", "BACKUP_KEEP is invalid"),
        ("NOTIFY_RATE", "abc", "NOTIFY_RATE is invalid"),
        ("NOTIFY_DIGEST_TIME", "6pm", "NOTIFY_DIGEST_TIME is invalid"),
    ],
)
def test_invalid_variable_gives_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as exc:
        load_settings()
    assert str(exc.value).startswith(expected)
    assert "\n" not in str(exc.value)
    if name == "WEBHOOK_SECRET":
        assert value not in str(exc.value)


def test_several_problems_share_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", "x")
    with pytest.raises(ConfigError) as exc:
        load_settings()
    assert "BOT_TOKEN is not set" in str(exc.value)
    assert "ADMIN_IDS is invalid" in str(exc.value)
    assert "\n" not in str(exc.value)


def test_token_is_never_in_repr_or_str(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    settings = load_settings()
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings)
    assert TOKEN not in settings.model_dump_json()


# --- operations: webhook, port, log format, backups, health (no token needed) ---------------


def test_defaults_are_polling_with_text_logs() -> None:
    ops = load_settings(need_token=False)
    assert ops.mode == "polling"
    assert (ops.listen, ops.port, ops.log_format, ops.backup_keep) == ("0.0.0.0", 8080, "text", 7)
    assert ops.local_base_url == "http://127.0.0.1:8080"


def test_webhook_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/tg/hook")
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret_-X")
    monkeypatch.setenv("PORT", "8443")
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    ops = load_settings(need_token=False)
    assert ops.mode == "webhook" and ops.webhook_path == "/tg/hook"
    assert ops.log_format == "json" and ops.local_base_url == "http://127.0.0.1:8443"


def test_a_webhook_without_a_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/hook")
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET is not set"):
        load_settings(need_token=False)


def test_operations_alone_need_no_token_but_the_bot_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "8443")
    assert load_settings(need_token=False).port == 8443
    with pytest.raises(ConfigError, match=r"^BOT_TOKEN is not set$"):
        load_settings()
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).startswith("BOT_TOKEN is not set; PORT is invalid")


def test_log_formatter_redacts_tokens_in_messages_and_tracebacks() -> None:
    formatter = RedactingFormatter("%(message)s", secrets=["s3cret-value"])
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{TOKEN}/getMe failed")
    except RuntimeError as exc:
        record = logging.LogRecord(
            "x",
            logging.ERROR,
            __file__,
            1,
            "url %s and s3cret-value",
            (TOKEN,),
            (type(exc), exc, exc.__traceback__),
        )
    text = formatter.format(record)
    assert TOKEN not in text
    assert "s3cret-value" not in text
    assert "[REDACTED]" in text


def test_configure_logging_quiets_loggers_that_leak() -> None:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        configure_logging("DEBUG")
        assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING
        # PTB logs whole updates (users' texts) at DEBUG.
        assert logging.getLogger("telegram").getEffectiveLevel() >= logging.INFO
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
        logging.getLogger("telegram").setLevel(logging.NOTSET)
        logging.getLogger("httpx").setLevel(logging.NOTSET)
        logging.getLogger("httpcore").setLevel(logging.NOTSET)
