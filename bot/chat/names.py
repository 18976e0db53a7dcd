"""The programme's lifts by name, in the user's language (the domain names them in English)."""

from __future__ import annotations

from bot import i18n
from bot.domain import program
from bot.i18n import N_, _

_NAMES = {
    "deadlift": N_("Straight-leg deadlift"),
    "leg_curl": N_("Lying leg curl"),
    "squat": N_("Squat"),
    "lunge": N_("Lunge"),
}


def exercise_name(slug: str) -> str:
    """`Straight-leg deadlift`, `Rumänisches Kreuzheben`; a lift we have no words for keeps the
    domain's name."""
    if slug in _NAMES:
        return _(_NAMES[slug])
    return program.PROGRAMME.exercise(slug).name if program.PROGRAMME.holds(slug) else slug


def lift_names() -> str:
    """`straight-leg deadlift, lying leg curl, squat and lunge`, in the user's language."""
    language = i18n.current()
    names = [language.in_sentence(exercise_name(e.slug)) for e in program.PROGRAMME.exercises]
    if len(names) == 1:
        return names[0]
    return _("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])


def said(text: str) -> str:
    """A text the domain marked with `N_` (a cue, a muscle), in the user's language."""
    return _(text)
