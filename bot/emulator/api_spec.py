"""Checks the shape of Bot API requests against the trimmed spec in bot_api_spec.json.

A request arrives as form fields (every value a string; objects and arrays JSON-encoded),
multipart parts (strings and file uploads) or a JSON body.  ``BotApiSpec.check`` decodes
each parameter by its spec type and reports what is wrong with it.  Problems Telegram
ignores (an unknown parameter or object field) are reported without a refusal; the rest
carry the 400 description the fake answers with.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

SPEC_PATH = Path(__file__).with_name("bot_api_spec.json")
INTEGER = re.compile(r"-?\d+")
ARRAY = "Array of "


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart/form-data request."""

    filename: str | None
    content: bytes
    content_type: str | None = None


@dataclass(frozen=True)
class Problem:
    message: str  # human-readable, for FakeBotAPI.violations
    refusal: str | None = None  # the 400 description, or None when Telegram would go on


@dataclass
class CheckedRequest:
    params: dict[str, Any] = field(default_factory=dict)  # decoded by spec type
    problems: list[Problem] = field(default_factory=list)

    @property
    def refusal(self) -> str | None:
        return next((p.refusal for p in self.problems if p.refusal), None)


@dataclass(frozen=True)
class _Issue:
    path: str
    text: str
    fatal: bool = True


class BotApiSpec:
    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.version: str = spec["version"]
        self.limits: dict[str, dict[str, Any]] = spec["limits"]
        self.methods: dict[str, Any] = spec["methods"]
        self.types: dict[str, Any] = spec["types"]

    @classmethod
    def load(cls, path: Path = SPEC_PATH) -> BotApiSpec:
        return _load(path)

    def check(self, method: str, raw: Mapping[str, object]) -> CheckedRequest:
        """Decode and check one request's parameters (``method`` must be known)."""
        fields = {f["name"]: f for f in self.methods[method]["fields"]}
        checked = CheckedRequest()
        attached = _attached_part_names(raw)
        for name, value in raw.items():
            spec_field = fields.get(name)
            if spec_field is None:
                if name not in attached:
                    checked.problems.append(Problem(f"{method}: unknown parameter {name!r}"))
                checked.params[name] = value
                continue
            decoded, issues = self._decode(value, spec_field["types"], name)
            checked.params[name] = decoded
            checked.problems.extend(_problem(method, issue) for issue in issues)
        for name, spec_field in fields.items():
            if spec_field["required"] and name not in raw:
                checked.problems.append(
                    Problem(
                        f"{method}: missing required parameter {name!r}",
                        f'Bad Request: parameter "{name}" is required',
                    )
                )
        return checked

    def _decode(self, value: object, types: list[str], path: str) -> tuple[object, list[_Issue]]:
        if isinstance(value, Upload):
            if "InputFile" in types:
                return value, []
            return value, [_Issue(path, f"a file upload where {' or '.join(types)} is expected")]
        if not isinstance(value, str):  # already decoded: a JSON request body
            return value, self._check_union(value, types, path)
        candidates = [self._decode_string(value, type_expr, path) for type_expr in types]
        return min(candidates, key=lambda c: _score(c[1]))

    def _decode_string(self, value: str, type_expr: str, path: str) -> tuple[object, list[_Issue]]:
        """Form fields carry strings; Telegram reads them by the parameter's type."""
        wrong = [_Issue(path, f"expected {type_expr}, got {value!r}")]
        if type_expr in ("String", "InputFile"):
            return value, []
        if type_expr == "Integer":
            return (int(value), []) if INTEGER.fullmatch(value) else (value, wrong)
        if type_expr == "Float":
            try:
                return float(value), []
            except ValueError:
                return value, wrong
        if type_expr == "Boolean":
            return (value == "true", []) if value in ("true", "false") else (value, wrong)
        try:
            decoded = json.loads(value)
        except ValueError:
            return value, [_Issue(path, f"expected JSON-serialized {type_expr}, got {value!r}")]
        return decoded, self._check(decoded, type_expr, path)

    def _check_union(self, value: object, types: list[str], path: str) -> list[_Issue]:
        return min((self._check(value, t, path) for t in types), key=_score)

    def _check(self, value: object, type_expr: str, path: str) -> list[_Issue]:
        if type_expr.startswith(ARRAY):
            if not isinstance(value, list):
                return [_Issue(path, f"expected {type_expr}, got {value!r}")]
            item_type = type_expr.removeprefix(ARRAY)
            return [
                issue
                for index, item in enumerate(value)
                for issue in self._check(item, item_type, f"{path}[{index}]")
            ]
        if type_expr in PRIMITIVE_CHECKS:
            if PRIMITIVE_CHECKS[type_expr](value):
                return []
            return [_Issue(path, f"expected {type_expr}, got {value!r}")]
        spec = self.types[type_expr]
        if "subtypes" in spec:
            return self._check_union(value, spec["subtypes"], path)
        if not isinstance(value, dict):
            return [_Issue(path, f"expected a {type_expr} object, got {value!r}")]
        return self._check_object(value, type_expr, spec["fields"], path)

    def _check_object(
        self, value: dict[str, Any], type_name: str, fields: list[dict[str, Any]], path: str
    ) -> list[_Issue]:
        known = {f["name"]: f for f in fields}
        issues = [
            _Issue(path, f"unknown {type_name} field {key!r}", fatal=False)
            for key in value
            if key not in known
        ]
        for name, spec_field in known.items():
            field_path = f"{path}.{name}"
            if name not in value:
                if spec_field["required"]:
                    issues.append(_Issue(path, f"{type_name} is missing required field {name!r}"))
                continue
            issues.extend(self._check_union(value[name], spec_field["types"], field_path))
            if "const" in spec_field and value[name] != spec_field["const"]:
                const = spec_field["const"]
                issues.append(_Issue(field_path, f"{type_name} needs {const!r}"))
        return issues


PRIMITIVE_CHECKS = {
    "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "Float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "String": lambda v: isinstance(v, str),
    "Boolean": lambda v: isinstance(v, bool),
    "InputFile": lambda v: isinstance(v, str) and v.startswith("attach://"),
}


@cache
def _load(path: Path) -> BotApiSpec:
    return BotApiSpec(json.loads(path.read_text(encoding="utf-8")))


def _score(issues: list[_Issue]) -> tuple[int, int]:
    """Order union candidates: fewest refusals first, then fewest ignorable issues."""
    fatal = sum(issue.fatal for issue in issues)
    return fatal, len(issues) - fatal


def _problem(method: str, issue: _Issue) -> Problem:
    message = f"{method}: {issue.path}: {issue.text}"
    refusal = f"Bad Request: can't parse {issue.path}: {issue.text}" if issue.fatal else None
    return Problem(message, refusal)


def _attached_part_names(raw: Mapping[str, object]) -> set[str]:
    """Parts referenced as attach://<name> from another parameter are not parameters."""
    text = " ".join(
        v if isinstance(v, str) else json.dumps(v)
        for v in raw.values()
        if not isinstance(v, Upload)
    )
    return set(re.findall(r"attach://([\w-]+)", text))
