from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings, SettingsError, load_settings

GOOD_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_missing_and_malformed_tokens_explain_how_to_get_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    with pytest.raises(SettingsError, match=r"not set.*@BotFather.*\.env"):
        settings().token()
    with pytest.raises(SettingsError, match=r"malformed.*@BotFather"):
        settings(telegram_bot_token="hello").token()
    assert settings(telegram_bot_token=GOOD_TOKEN).token() == GOOD_TOKEN


def test_defaults_and_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "LOG_LEVEL", "TELEGRAM_BOT_TOKEN", "WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    assert settings().database_url == "sqlite+aiosqlite:///coach.db"
    env = tmp_path / ".env"
    env.write_text(f"TELEGRAM_BOT_TOKEN={GOOD_TOKEN}\nLOG_LEVEL=debug\nWEBHOOK_URL=\n")
    loaded = load_settings(env)
    assert loaded.token() == GOOD_TOKEN
    assert loaded.log_level == "DEBUG"
    assert loaded.webhook_url is None


def test_bad_values_become_one_line_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "not-a-port")
    with pytest.raises(SettingsError, match=r"^PORT: "):
        load_settings()


def test_webhook_secret_is_checked() -> None:
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET must be set"):
        settings(webhook_url="https://coach.example").webhook_secret_value()
    with pytest.raises(SettingsError, match="may only use"):
        settings(webhook_secret="no spaces").webhook_secret_value()
    assert settings(webhook_secret="s3cret_-").webhook_secret_value() == "s3cret_-"
