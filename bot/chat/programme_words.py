"""The programme's numbers in words, for every text that mentions them."""

from __future__ import annotations

from bot.domain import program


def rep_range() -> str:
    """ "8–12"."""
    return f"{program.PROGRAMME.rep_min}–{program.PROGRAMME.rep_max}"


def top_reps() -> int:
    return program.PROGRAMME.rep_max
