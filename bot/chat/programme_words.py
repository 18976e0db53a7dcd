"""The programme's numbers in words, for every text that mentions them."""

from __future__ import annotations

from bot.domain import program


def rep_range() -> str:
    """ "8–12"."""
    return f"{program.PROGRAMME.rep_min}–{program.PROGRAMME.rep_max}"


def top_reps() -> int:
    return program.PROGRAMME.rep_max


def lift_names() -> str:
    """ "straight-leg deadlift, lying leg curl, squat and lunge"."""
    names = [e.name.lower() for e in program.PROGRAMME.exercises]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def rest_words(seconds: int) -> str:
    """How long a rest is, said the way a coach would: "about a minute", "90 seconds"."""
    if seconds % 60 == 0 and seconds > 0:
        minutes = seconds // 60
        return "about a minute" if minutes == 1 else f"about {minutes} minutes"
    return f"{seconds} seconds"
