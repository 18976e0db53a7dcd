"""An exercise's card: what to do, how many, at what load, and the cues that matter most.

The card shows the programme's key cue and the set-up for the user's own equipment, so the
essentials are there without a tap; the full list stays behind the "Form cues" button.
"""

from __future__ import annotations

from html import escape

from bot.chat.loads import load_text
from bot.chat.programme_words import rep_range
from bot.domain import program
from bot.domain.workout import ShowCard
from bot.services.profile import Kit
from bot.services.workout import Athlete


def target_text(sets: int, load_grams: int | None, kit: Kit, exercise: str) -> str:
    at = "" if load_grams is None else f" at {load_text(load_grams, kit, exercise, plates=True)}"
    return f"{sets} sets × {rep_range()} reps{at}"


def card_text(card: ShowCard, athlete: Athlete) -> str:
    exercise = program.PROGRAMME.exercise(card.exercise)
    cues = exercise.cues
    helpers = f" (helped by {', '.join(exercise.helpers)})" if exercise.helpers else ""
    kit = athlete.equipment.get(exercise.slug, exercise.default_equipment)
    lines = [
        f"<b>{card.position}/{card.of} · {escape(exercise.name)}</b> — "
        f"{', '.join(exercise.muscles)}{helpers}",
        f"{target_text(card.sets, card.load_grams, athlete.kit, card.exercise)}"
        f"{' with ' + kit.value if len(exercise.equipment) > 1 else ''}",
    ]
    if card.more_sets:
        lines.append(f"🆕 {card.sets} sets of each exercise from today: you've earned them.")
    lines.append(f"\n<b>Set up:</b> {escape(cues.setup_for(kit))}")
    # The key cue says the movement in the programme's words; the rest is one tap away.
    lines.append(f"<b>Key:</b> {escape(cues.key or cues.movement)}")
    return "\n".join(lines)
