"""Rebuild ``bot_api_spec.json`` from the scraped Bot API description.

Usage (from the repository root)::

    python tests/fakes/regenerate_spec.py [path/to/api.min.json]

The default source is ``../shared/telegram-bot-api/api.min.json`` beside the repository.
The output keeps the methods the bot uses and every type their parameters reference,
with field names, types and required flags only.  The limits the fake Bot API enforces are
written down here, and each is checked against the prose it comes from, so that a newer
spec with different limits fails loudly instead of silently.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "telegram-bot-api" / "api.min.json"
OUTPUT = REPO_ROOT / "bot" / "emulator" / "bot_api_spec.json"

SOURCE_LINE = (
    "Bot API 10.0 from PaulSonOfLars/telegram-bot-api-spec commit 9dca8b0 (MIT licence, "
    "see BOT_API_SPEC_LICENSE), trimmed by tests/fakes/regenerate_spec.py"
)

METHODS = (
    "getMe",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "sendMessage",
    "editMessageText",
    "editMessageReplyMarkup",
    "deleteMessage",
    "answerCallbackQuery",
    "sendPhoto",
    "sendDocument",
    "setMyCommands",
    "deleteMyCommands",
    "sendChatAction",
    "close",
    "logOut",
)

PRIMITIVES = frozenset({"Integer", "String", "Boolean", "Float"})
INPUT_FILE = {"upload": "a multipart/form-data file part, or attach://<part name> inside JSON"}

# name -> (limit, "Owner.field" whose description states it, the phrase stating it)
LIMITS: dict[str, tuple[dict[str, Any], str, str]] = {
    "text_chars": (
        {"min": 1, "max": 4096, "counted": "after entity parsing"},
        "sendMessage.text",
        "1-4096 characters after entities parsing",
    ),
    "caption_chars": (
        {"min": 0, "max": 1024, "counted": "after entity parsing"},
        "sendPhoto.caption",
        "0-1024 characters after entities parsing",
    ),
    "callback_data_bytes": (
        {"min": 1, "max": 64, "counted": "UTF-8 bytes"},
        "InlineKeyboardButton.callback_data",
        "1-64 bytes",
    ),
    "callback_answer_text_chars": (
        {"min": 0, "max": 200},
        "answerCallbackQuery.text",
        "0-200 characters",
    ),
    "bot_command_chars": (
        {"min": 1, "max": 32, "pattern": "^[a-z0-9_]+$"},
        "BotCommand.command",
        "1-32 characters. Can contain only lowercase English letters, digits and underscores",
    ),
    "bot_command_description_chars": (
        {"min": 1, "max": 256},
        "BotCommand.description",
        "1-256 characters",
    ),
}

# "Scope type, must be chat" / 'Type of the reaction, always "emoji"'
CONSTANT = re.compile(r'(?:must be|always) "?([a-z_]+)"?$')


def referenced_types(type_expr: str) -> str | None:
    """The type name inside ``Array of Array of X``, or None for a primitive."""
    name = type_expr.removeprefix("Array of ")
    while name.startswith("Array of "):
        name = name.removeprefix("Array of ")
    return None if name in PRIMITIVES else name


def trim_fields(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    trimmed = []
    for field in fields:
        entry: dict[str, Any] = {
            "name": field["name"],
            "types": field["types"],
            "required": field["required"],
        }
        constant = CONSTANT.search(field.get("description", ""))
        if field["name"] == "type" and constant:
            entry["const"] = constant.group(1)
        trimmed.append(entry)
    return trimmed


def type_closure(source: dict[str, Any]) -> list[str]:
    """Every type reachable from the kept methods' parameters, subtypes included."""
    pending = [
        name
        for method in METHODS
        for field in source["methods"][method].get("fields", [])
        for type_expr in field["types"]
        if (name := referenced_types(type_expr))
    ]
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        spec = source["types"][name]
        pending.extend(spec.get("subtypes", []))
        for field in spec.get("fields", []):
            pending.extend(n for t in field["types"] if (n := referenced_types(t)))
    return sorted(seen)


def description_of(source: dict[str, Any], where: str) -> str:
    owner, field_name = where.split(".")
    spec = source["methods"].get(owner) or source["types"][owner]
    return str(next(f["description"] for f in spec["fields"] if f["name"] == field_name))


def checked_limits(source: dict[str, Any]) -> dict[str, Any]:
    limits = {}
    for name, (limit, where, phrase) in LIMITS.items():
        if phrase not in description_of(source, where):
            raise ValueError(f"limit {name!r}: {where} no longer says {phrase!r}")
        limits[name] = {**limit, "source": where}
    return limits


def build_spec(source: dict[str, Any]) -> dict[str, Any]:
    methods = {}
    for name in METHODS:
        method = source["methods"][name]
        methods[name] = {
            "fields": trim_fields(method.get("fields", [])),
            "returns": method["returns"],
        }
    types: dict[str, Any] = {}
    for name in type_closure(source):
        spec = source["types"][name]
        if name == "InputFile":
            types[name] = INPUT_FILE
        elif "subtypes" in spec:
            types[name] = {"subtypes": spec["subtypes"]}
        else:
            types[name] = {"fields": trim_fields(spec.get("fields", []))}
    return {
        "source": SOURCE_LINE,
        "version": source["version"],
        "limits": checked_limits(source),
        "methods": methods,
        "types": types,
    }


def render(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=1, ensure_ascii=False) + "\n"


def regenerate(source_path: Path) -> str:
    source = json.loads(source_path.read_text(encoding="utf-8"))
    return render(build_spec(source))


def main(argv: list[str]) -> None:
    source_path = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    OUTPUT.write_text(regenerate(source_path), encoding="utf-8")
    print(f"wrote {OUTPUT} from {source_path}")


if __name__ == "__main__":
    main(sys.argv)
