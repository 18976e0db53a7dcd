"""Reading starting loads typed in one message: `deadlift 40, curl 25, squat 30, lunge 10`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from bot.domain.exercises import Exercise

# Words that qualify a lift's name without naming it ("straight-leg deadlift", "lying leg curl").
_QUALIFIERS = {"and", "straight", "leg", "lying"}

_PAIR = re.compile(r"([a-z][a-z\s-]*?)\s*[:=]?\s*(\d+(?:[.,]\d+)?)")


def parse_starting_loads(text: str, exercises: Sequence[Exercise]) -> dict[str, Decimal] | None:
    """Each lift named once with a positive load; anything unreadable makes the whole None."""
    names = {alias: e.slug for e in exercises for alias in e.aliases}
    cleaned = text.strip().lower()
    pairs = _PAIR.findall(cleaned)
    leftover = _PAIR.sub("", cleaned)
    if not pairs or re.sub(r"[\s,;&]|and", "", leftover):
        return None
    found: dict[str, Decimal] = {}
    for raw_name, raw_amount in pairs:
        words = raw_name.replace("-", " ").split()
        words = [w for w in words if w not in _QUALIFIERS] or ["legcurl"]
        if len(words) != 1 or words[0] not in names:
            return None
        slug = names[words[0]]
        try:
            amount = Decimal(raw_amount.replace(",", "."))
        except InvalidOperation:
            return None
        if slug in found or amount <= 0:
            return None
        found[slug] = amount
    return found
