"""Reading starting loads typed in one message: `deadlift 40, curl 25, squat 30, lunge 10`."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Words people use for each lift, to its stable slug.
NAMES = {
    "deadlift": "deadlift",
    "deadlifts": "deadlift",
    "dl": "deadlift",
    "sldl": "deadlift",
    "curl": "leg_curl",
    "curls": "leg_curl",
    "legcurl": "leg_curl",
    "squat": "squat",
    "squats": "squat",
    "lunge": "lunge",
    "lunges": "lunge",
}

_PAIR = re.compile(r"([a-z][a-z\s-]*?)\s*[:=]?\s*(\d+(?:[.,]\d+)?)")


def parse_starting_loads(text: str) -> dict[str, Decimal] | None:
    """Each lift named once with a positive load; anything unreadable makes the whole None."""
    cleaned = text.strip().lower()
    pairs = _PAIR.findall(cleaned)
    leftover = _PAIR.sub("", cleaned)
    if not pairs or re.sub(r"[\s,;&]|and", "", leftover):
        return None
    found: dict[str, Decimal] = {}
    for raw_name, raw_amount in pairs:
        words = raw_name.replace("-", " ").split()
        words = [w for w in words if w not in {"and", "straight", "leg", "lying"}] or ["legcurl"]
        if len(words) != 1 or words[0] not in NAMES:
            return None
        slug = NAMES[words[0]]
        try:
            amount = Decimal(raw_amount.replace(",", "."))
        except InvalidOperation:
            return None
        if slug in found or amount <= 0:
            return None
        found[slug] = amount
    return found
