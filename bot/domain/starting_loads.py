"""Reading starting loads typed in one message: `deadlift 40, curl 25, squat 30, lunge 10`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from bot.domain.exercises import Exercise

# Words that qualify a lift's name without naming it ("straight-leg deadlift", "lying leg curl").
_QUALIFIERS = {"and", "straight", "leg", "lying"}

_PAIR = re.compile(r"([^\W\d_](?:[^\W\d_]|[\s-])*?)\s*[:=]?\s*(\d+(?:[.,]\d+)?)")


@dataclass(frozen=True)
class LiftWords:
    """Lift names in the user's language, besides the exercises' own English aliases."""

    names: Mapping[str, str] = field(default_factory=dict)  # "kreuzheben" -> "deadlift"
    qualifiers: Collection[str] = ()  # words around a name: "mit", "gestreckten", "beinen"
    joiners: Collection[str] = ()  # between pairs: "und", "и"


def parse_starting_loads(
    text: str, exercises: Sequence[Exercise], words: LiftWords = LiftWords()
) -> dict[str, Decimal] | None:
    """Each lift named once with a positive load; anything unreadable makes the whole None."""
    slugs = {e.slug for e in exercises}
    names = {alias: e.slug for e in exercises for alias in e.aliases}
    names |= {name: slug for name, slug in words.names.items() if slug in slugs}
    qualifiers = _QUALIFIERS | set(words.qualifiers)
    cleaned = unicodedata.normalize("NFC", text).strip().lower()
    pairs = _PAIR.findall(cleaned)
    leftover = _PAIR.sub(" ", cleaned).split()
    if not pairs or any(w.strip(",;&") not in {"", "and", *words.joiners} for w in leftover):
        return None
    found: dict[str, Decimal] = {}
    for raw_name, raw_amount in pairs:
        typed = raw_name.replace("-", " ").split()
        typed = [w for w in typed if w not in qualifiers and w not in words.joiners]
        typed = [w for w in typed if w != "and"] or ["legcurl"]
        if len(typed) != 1 or typed[0] not in names:
            return None
        slug = names[typed[0]]
        try:
            amount = Decimal(raw_amount.replace(",", "."))
        except InvalidOperation:
            return None
        if slug in found or amount <= 0:
            return None
        found[slug] = amount
    return found
