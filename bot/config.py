"""Settings from the environment and a `.env` file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# BotFather tokens look like "123456789:AA...": digits, a colon, then 30+ URL-safe characters.
TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")

TOKEN_HELP = (
    "TELEGRAM_BOT_TOKEN is {problem}. Get a token from @BotFather in Telegram (/newbot) "
    "and put it in the environment or in a .env file: TELEGRAM_BOT_TOKEN=123456:ABC..."
)


class SettingsError(Exception):
    """A configuration problem, explained in one line for the operator."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    database_url: str = "sqlite+aiosqlite:///coach.db"
    telegram_api_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    port: int = Field(default=8443, ge=1, le=65535)
    listen: str = "0.0.0.0"
    # Serves /metrics and /health on this port too (polling mode has no other HTTP server).
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # The programme says about a minute; tests shorten it.
    rest_seconds: int = Field(default=60, ge=0, le=600)
    # Messages a second to Telegram overall (its documented limit is about 30); 0: no limit,
    # for a self-hosted Bot API server or a benchmark of the bot itself.
    send_rate: int = Field(default=30, ge=0, le=1000)
    # How often the reminder sweep looks for due reminders and finished rests.
    sweep_seconds: float = Field(default=20.0, gt=0, le=3600)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("telegram_api_url", "webhook_url", "metrics_port", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value

    def token(self) -> str:
        """The bot token, checked; raises SettingsError with the one-line fix."""
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value():
            raise SettingsError(TOKEN_HELP.format(problem="not set"))
        value = self.telegram_bot_token.get_secret_value().strip()
        if not TOKEN_PATTERN.match(value):
            raise SettingsError(TOKEN_HELP.format(problem="malformed"))
        return value

    def webhook_secret_value(self) -> str:
        if self.webhook_secret is None or not self.webhook_secret.get_secret_value():
            raise SettingsError(
                "WEBHOOK_SECRET must be set in webhook mode (1-256 characters A-Z a-z 0-9 _ -)."
            )
        secret = self.webhook_secret.get_secret_value()
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise SettingsError("WEBHOOK_SECRET may only use A-Z a-z 0-9 _ - (1-256 characters).")
        return secret


def load_settings(env_file: Path | None = None) -> Settings:
    """Read settings; any invalid value becomes a one-line SettingsError."""
    try:
        if env_file is None:
            return Settings()
        return Settings(_env_file=env_file)  # type: ignore[call-arg]
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]).upper()
        raise SettingsError(f"{field}: {first['msg']}") from None
