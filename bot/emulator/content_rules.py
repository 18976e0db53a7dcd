"""What Telegram checks in a request's content, beyond its shape: formatting and limits."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.api_spec import Problem
from bot.emulator.telegram_html import HtmlError, ParsedText, parse_html

TEXT_FIELDS = {
    "sendMessage": "text",
    "editMessageText": "text",
    "sendPhoto": "caption",
    "sendDocument": "caption",
}
PARSE_MODES = {"html", "markdown", "markdownv2"}
BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


@dataclass
class ContentCheck:
    problems: list[Problem] = field(default_factory=list)
    rendered: ParsedText | None = None  # the text or caption as the user sees it

    def refuse(self, method: str, message: str, refusal: str) -> None:
        self.problems.append(Problem(f"{method}: {message}", refusal))


def check_content(
    method: str, params: Mapping[str, Any], limits: Mapping[str, Mapping[str, Any]]
) -> ContentCheck:
    check = ContentCheck()
    text_field = TEXT_FIELDS.get(method)
    if text_field and isinstance(params.get(text_field), str):
        check.rendered = _render(method, params, text_field, limits, check)
    markup = params.get("reply_markup")
    if isinstance(markup, dict) and isinstance(markup.get("inline_keyboard"), list):
        _check_inline_keyboard(method, markup["inline_keyboard"], limits, check)
    if method == "answerCallbackQuery":
        _check_callback_answer(params, limits, check)
    if method == "setMyCommands" and isinstance(params.get("commands"), list):
        _check_commands(params["commands"], limits, check)
    return check


def _render(
    method: str,
    params: Mapping[str, Any],
    text_field: str,
    limits: Mapping[str, Mapping[str, Any]],
    check: ContentCheck,
) -> ParsedText:
    source: str = params[text_field]
    parse_mode = params.get("parse_mode")
    rendered = ParsedText(source)
    if isinstance(parse_mode, str) and parse_mode.lower() not in PARSE_MODES:
        check.refuse(
            method, f"unsupported parse_mode {parse_mode!r}", "Bad Request: unsupported parse_mode"
        )
    elif isinstance(parse_mode, str) and parse_mode.lower() == "html":
        try:
            rendered = parse_html(source)
        except HtmlError as error:
            description = f"Bad Request: can't parse entities: {error}"
            check.refuse(method, f"{text_field} {source[:80]!r}: {error}", description)
    visible = rendered.text
    if text_field == "text":
        maximum = limits["text_chars"]["max"]
        if not visible.strip():
            check.refuse(
                method, "text is empty after entity parsing", "Bad Request: message text is empty"
            )
        elif len(visible) > maximum:
            message = f"text is {len(visible)} characters after entity parsing (max {maximum})"
            check.refuse(method, message, "Bad Request: message is too long")
    elif len(visible) > (maximum := limits["caption_chars"]["max"]):
        message = f"caption is {len(visible)} characters after entity parsing (max {maximum})"
        check.refuse(method, message, "Bad Request: message caption is too long")
    return rendered


def _check_inline_keyboard(
    method: str, rows: list[Any], limits: Mapping[str, Mapping[str, Any]], check: ContentCheck
) -> None:
    bounds = limits["callback_data_bytes"]
    for row in rows:
        for button in row if isinstance(row, list) else []:
            if not isinstance(button, dict):
                continue
            label = button.get("text")
            actions = [action for action in BUTTON_ACTIONS if action in button]
            if len(actions) != 1:
                message = f"button {label!r} needs exactly one action field, has {actions}"
                check.refuse(
                    method,
                    message,
                    "Bad Request: text buttons are unallowed in the inline keyboard",
                )
            data = button.get("callback_data")
            if isinstance(data, str) and not bounds["min"] <= len(data.encode()) <= bounds["max"]:
                size = len(data.encode())
                message = f"button {label!r}: callback_data {data!r} is {size} bytes (1-64)"
                check.refuse(method, message, "Bad Request: BUTTON_DATA_INVALID")


def _check_callback_answer(
    params: Mapping[str, Any], limits: Mapping[str, Mapping[str, Any]], check: ContentCheck
) -> None:
    text = params.get("text")
    maximum = limits["callback_answer_text_chars"]["max"]
    if isinstance(text, str) and len(text) > maximum:
        message = f"text is {len(text)} characters (max {maximum})"
        check.refuse("answerCallbackQuery", message, "Bad Request: MESSAGE_TOO_LONG")


def _check_commands(
    commands: list[Any], limits: Mapping[str, Mapping[str, Any]], check: ContentCheck
) -> None:
    name_rule = limits["bot_command_chars"]
    description_rule = limits["bot_command_description_chars"]
    for command in commands:
        if not isinstance(command, dict):
            continue
        name, description = command.get("command"), command.get("description")
        if isinstance(name, str) and not (
            name_rule["min"] <= len(name) <= name_rule["max"]
            and re.fullmatch(name_rule["pattern"], name)
        ):
            check.refuse(
                "setMyCommands", f"command {name!r} is invalid", "Bad Request: BOT_COMMAND_INVALID"
            )
        if isinstance(description, str) and not (
            description_rule["min"] <= len(description) <= description_rule["max"]
        ):
            message = f"description of {name!r} is {len(description)} characters (1-256)"
            check.refuse("setMyCommands", message, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
