"""Reading what people type after a set: `10`, `10x40`, `10 @ 95 lb`, `10/9 x 12 kg`, `12 easy`,
and the lunge's legs as people write them: `10 and 9`, `L10 R9`, `9 each leg`.

Text is reduced to a row of token kinds (N number, R "reps", X "x"/"@", U unit, S leg separator)
and matched against the few shapes people actually use; anything else gets a reason code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bot.domain.progression import Effort
from bot.domain.units import Unit, format_load, max_load_in

MAX_REPS = 100
MAX_REPLY_CHARS = 200  # a set reply is a few words; longer is not a set reply


class Problem(StrEnum):
    EMPTY = "empty"
    NOT_UNDERSTOOD = "not_understood"
    REPS_TOO_HIGH = "reps_too_high"
    REPS_ZERO_OR_NEGATIVE = "reps_zero_or_negative"
    REPS_NOT_WHOLE = "reps_not_whole"
    LOAD_TOO_HIGH = "load_too_high"
    LOAD_NOT_POSITIVE = "load_not_positive"
    TOO_MANY_NUMBERS = "too_many_numbers"
    ONLY_EFFORT = "only_effort"  # "hard" with no reps: use parse_effort for that question


@dataclass(frozen=True)
class SetReply:
    reps: int  # the left leg on the lunge
    reps_other_leg: int | None
    load: Decimal | None  # in `unit`, or in the user's unit when `unit` is None
    unit: Unit | None
    effort: Effort | None

    @property
    def counted_reps(self) -> int:
        """What progression counts: on the lunge, the weaker leg."""
        return self.reps if self.reps_other_leg is None else min(self.reps, self.reps_other_leg)


@dataclass(frozen=True)
class Unparsed:
    problem: Problem


@dataclass(frozen=True)
class ReplyWords:
    """The words a set reply may hold, in the user's language (lower case)."""

    effort: Mapping[str, Effort]
    units: Mapping[str, Unit]
    reps: frozenset[str]
    times: frozenset[str]  # between reps and load: "x", "@", "at"
    leg_separators: frozenset[str]
    sides: Mapping[str, str]  # "l" -> "left", "r" -> "right"
    each: frozenset[str]  # "9 each leg"; after a load, "12 kg each" means each dumbbell
    legs: frozenset[str]


ENGLISH = ReplyWords(
    effort={
        "easy": Effort.EASY,
        "ok": Effort.OK,
        "okay": Effort.OK,
        "fine": Effort.OK,
        "hard": Effort.HARD,
        "tough": Effort.HARD,
    },
    units={
        "kg": Unit.KG,
        "kgs": Unit.KG,
        "kilo": Unit.KG,
        "kilos": Unit.KG,
        "kilogram": Unit.KG,
        "kilograms": Unit.KG,
        "lb": Unit.LB,
        "lbs": Unit.LB,
        "pound": Unit.LB,
        "pounds": Unit.LB,
    },
    reps=frozenset({"rep", "reps"}),
    times=frozenset({"x", "х", "at", "@", "×", "*"}),  # "х": Cyrillic, next to x on phones
    leg_separators=frozenset({"/", "-", "|", "&", "and"}),
    sides={"l": "left", "left": "left", "r": "right", "right": "right"},
    each=frozenset({"each", "per"}),
    legs=frozenset({"leg", "legs", "side", "sides"}),
)
# Symbols are words of every language.
_SYMBOL_TIMES = frozenset({"@", "×", "*", "x", "х"})
_SYMBOL_SEPARATORS = frozenset({"/", "-", "|", "&"})

# A minus sign right after a digit separates legs (10-9); elsewhere it makes a number negative.
_TOKEN = re.compile(
    r"(?P<num>(?<![0-9])-?[0-9]+(?:[.,][0-9]+)?|[0-9]+(?:[.,][0-9]+)?)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<sym>[@×*/|&\-])"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.DOTALL,
)

_SHAPES = tuple(
    re.compile(shape)
    for shape in (
        r"(?P<reps>N)R?",
        r"(?P<reps>N)R?S?(?P<other>N)R?",
        r"(?P<reps>N)R?X(?P<load>N)(?P<unit>U)?",
        r"(?P<reps>N)R?(?P<load>N)(?P<unit>U)",
        r"(?P<reps>N)R?S?(?P<other>N)R?X(?P<load>N)(?P<unit>U)?",
        r"(?P<reps>N)R?S?(?P<other>N)R?(?P<load>N)(?P<unit>U)",
        r"(?P<load>N)(?P<unit>U)X(?P<reps>N)R?",  # "40kg x 10": the unit says which is the load
    )
)


def _is_decoration(char: str) -> bool:
    """Emoji, their modifiers and stray punctuation: ignored, not misread."""
    category = unicodedata.category(char)
    return category in {"So", "Sk", "Cf", "Mn", "Me", "Cs", "Co"} or char in "!?.,;:()[]\"'…~"


def _tokens(text: str) -> list[tuple[str, str]] | None:
    """(kind, text) pairs; None if something can't be part of a set reply."""
    found: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(unicodedata.normalize("NFC", text).lower()):
        kind = match.lastgroup
        value = match.group()
        if kind == "space" or (kind == "other" and _is_decoration(value)):
            continue
        if kind == "other":
            return None
        assert kind is not None
        found.append((kind, value))
    return found


def _kind(kind: str, value: str, words: ReplyWords) -> str | None:
    if kind == "num":
        return "N"
    if value in words.reps:
        return "R"
    if value in words.times or value in _SYMBOL_TIMES:
        return "X"
    if value in words.units:
        return "U"
    if value in words.leg_separators or value in _SYMBOL_SEPARATORS:
        return "S"
    return None


def _legs_by_side(tokens: list[tuple[str, str]], words: ReplyWords) -> list[tuple[str, str]] | None:
    """`L10 R9` / `right 9 left 10` -> `10 / 9` (left first); None if the sides don't pair up."""
    named = words.sides
    sides = [(i, named[v]) for i, (k, v) in enumerate(tokens) if k == "word" and v in named]
    if not sides:
        return tokens
    if [i for i, _ in sides] != [0, 2] or {side for _, side in sides} != {"left", "right"}:
        return None
    counts = {side: tokens[i + 1] for i, side in sides if i + 1 < len(tokens)}
    if len(counts) != 2 or any(kind != "num" for kind, _ in counts.values()):
        return None
    return [counts["left"], ("sym", "/"), counts["right"], *tokens[4:]]


def _each_leg(
    tokens: list[tuple[str, str]], words: ReplyWords
) -> tuple[list[tuple[str, str]], bool]:
    """Drops "each leg"-like words; True when they follow the reps (the same on both legs)."""
    dropped = words.each | words.legs
    # "на каждую ногу": a word that joins reps to a load elsewhere goes with the "each".
    tokens = [
        (k, v)
        for i, (k, v) in enumerate(tokens)
        if not (v in words.times and i + 1 < len(tokens) and tokens[i + 1][1] in words.each)
    ]
    both = len(tokens) > 1 and tokens[1][1] in dropped
    kept = [(k, v) for k, v in tokens if not (k == "word" and v in dropped)]
    return kept, both


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def parse_effort(text: str, words: ReplyWords = ENGLISH) -> Effort | None:
    """An effort answer on its own ("hard 😅", "легко"), or None."""
    tokens = _tokens(text[:MAX_REPLY_CHARS])
    if tokens is None or len(tokens) != 1:
        return None
    return words.effort.get(tokens[0][1])


def _check_reps(reps: Decimal) -> Problem | None:
    if reps <= 0:
        return Problem.REPS_ZERO_OR_NEGATIVE
    if reps > MAX_REPS:
        return Problem.REPS_TOO_HIGH
    if reps != reps.to_integral_value():
        return Problem.REPS_NOT_WHOLE
    return None


def parse_set_reply(
    text: str, default_unit: Unit | None = None, *, words: ReplyWords = ENGLISH
) -> SetReply | Unparsed:
    """Reps (one or both legs), an optional load and unit, an optional effort word.

    `default_unit` is only used to bound a load typed without a unit; without it the looser
    pound limit applies and the caller should check the converted load.
    """
    if not text.strip():
        return Unparsed(Problem.EMPTY)
    if len(text) > MAX_REPLY_CHARS:
        return Unparsed(Problem.NOT_UNDERSTOOD)
    tokens = _tokens(text)
    if tokens is None:
        return Unparsed(Problem.NOT_UNDERSTOOD)

    efforts = [words.effort[v] for k, v in tokens if k == "word" and v in words.effort]
    tokens = [(k, v) for k, v in tokens if not (k == "word" and v in words.effort)]
    if len(set(efforts)) > 1:
        return Unparsed(Problem.NOT_UNDERSTOOD)
    effort = efforts[0] if efforts else None
    if not tokens:
        return Unparsed(Problem.ONLY_EFFORT if effort else Problem.NOT_UNDERSTOOD)

    tokens, both_legs = _each_leg(tokens, words)
    sided = _legs_by_side(tokens, words)
    if sided is None or not tokens:
        return Unparsed(Problem.NOT_UNDERSTOOD)
    tokens = sided
    kinds = [_kind(k, v, words) for k, v in tokens]
    if any(k is None for k in kinds):
        return Unparsed(Problem.NOT_UNDERSTOOD)
    shape = "".join(k for k in kinds if k is not None)
    match = next((m for s in _SHAPES if (m := s.fullmatch(shape))), None)
    if match is None:
        numbers = shape.count("N")
        return Unparsed(Problem.TOO_MANY_NUMBERS if numbers > 2 else Problem.NOT_UNDERSTOOD)

    def value(group: str) -> str | None:
        if match.groupdict().get(group) is None:
            return None
        return tokens[match.start(group)][1]

    reps_text, other_text = value("reps"), value("other")
    if both_legs:
        if other_text is not None:
            return Unparsed(Problem.NOT_UNDERSTOOD)  # "10/9 each leg": which is it?
        other_text = reps_text
    load_text, unit_text = value("load"), value("unit")
    assert reps_text is not None
    reps = _number(reps_text)
    other = None if other_text is None else _number(other_text)
    for count in (reps, other):
        if count is not None and (problem := _check_reps(count)) is not None:
            return Unparsed(problem)

    unit = None if unit_text is None else words.units[unit_text]
    load = None if load_text is None else _number(load_text)
    if load is not None:
        if load <= 0:
            return Unparsed(Problem.LOAD_NOT_POSITIVE)
        if load > max_load_in(unit or default_unit or Unit.LB):
            return Unparsed(Problem.LOAD_TOO_HIGH)

    return SetReply(
        reps=int(reps),
        reps_other_leg=None if other is None else int(other),
        load=load,
        unit=unit,
        effort=effort,
    )


def format_set(
    reps: int, load_grams: int | None, unit: Unit, reps_other_leg: int | None = None
) -> str:
    """How the bot writes a set back ("10 × 42.5 kg", "10/9 × 12 kg"); parse_set_reply reads it."""
    counted = str(reps) if reps_other_leg is None else f"{reps}/{reps_other_leg}"
    return counted if load_grams is None else f"{counted} × {format_load(load_grams, unit)}"


# "3x10" is gym shorthand for 3 sets of 10; read as a set it would be 3 reps at 10 kg. Only a
# small count before the x, and a whole number after it with no unit, can mean either.
MAX_SHORTHAND_SETS = 6
_SETS_OF_REPS = re.compile(r"\s*([1-9])\s*[xх×*]\s*([1-9][0-9]?)\s*")


@dataclass(frozen=True)
class SetsOfReps:
    sets: int
    reps: int


def sets_of_reps(text: str) -> SetsOfReps | None:
    """`3x10`, `3 x 10`, `3×10` as 3 sets of 10; None when the text can't mean that."""
    match = _SETS_OF_REPS.fullmatch(text.lower())
    if match is None:
        return None
    sets, reps = int(match[1]), int(match[2])
    return SetsOfReps(sets, reps) if 2 <= sets <= MAX_SHORTHAND_SETS else None


# A load this far from the one the user was at is more likely a slip (375 for 37.5, the
# other unit) than a real change: asked about before it is logged.
FAR_OFF = Decimal("0.5")


def far_off(load_grams: int, reference_grams: int) -> bool:
    """More than half away from the reference load, either way."""
    return abs(load_grams - reference_grams) > FAR_OFF * reference_grams
