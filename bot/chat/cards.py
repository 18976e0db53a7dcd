"""An exercise's card: what to do, how many, at what load, and the cues that matter most.

The card shows the programme's key cue and the set-up for the user's own equipment, so the
essentials are there without a tap; the full list stays behind the "Form cues" button.
"""

from __future__ import annotations

from html import escape

from bot.chat.loads import load_text
from bot.chat.names import exercise_name, said
from bot.chat.programme_words import rep_range
from bot.domain import program
from bot.domain.units import Equipment
from bot.domain.workout import ShowCard
from bot.i18n import N_, _
from bot.services.profile import Kit
from bot.services.workout import Athlete


def target_text(sets: int, load_grams: int | None, kit: Kit, exercise: str) -> str:
    if load_grams is None:
        return _("%(sets)s sets × %(reps)s reps", sets=sets, reps=rep_range())
    return _(
        "%(sets)s sets × %(reps)s reps at %(load)s",
        sets=sets,
        reps=rep_range(),
        load=load_text(load_grams, kit, exercise, plates=True),
    )


def card_text(card: ShowCard, athlete: Athlete) -> str:
    exercise = program.PROGRAMME.exercise(card.exercise)
    cues = exercise.cues
    muscles = ", ".join(said(muscle) for muscle in exercise.muscles)
    if exercise.helpers:
        helpers = ", ".join(said(helper) for helper in exercise.helpers)
        muscles = _("%(muscles)s (helped by %(helpers)s)", muscles=muscles, helpers=helpers)
    kit = athlete.equipment.get(exercise.slug, exercise.default_equipment)
    target = target_text(card.sets, card.load_grams, athlete.kit, card.exercise)
    if len(exercise.equipment) > 1:
        target = _("%(target)s with %(equipment)s", target=target, equipment=equipment_name(kit))
    lines = [
        f"<b>{card.position}/{card.of} · {escape(exercise_name(exercise.slug))}</b> — "
        f"{escape(muscles)}",
        target,
    ]
    if card.more_sets:
        lines.append(
            "🆕 "
            + _("%(sets)s sets of each exercise from today: you've earned them.", sets=card.sets)
        )
    lines.append("\n" + _("<b>Set up:</b> %(cue)s", cue=escape(said(cues.setup_for(kit)))))
    # The key cue says the movement in the programme's words; the rest is one tap away.
    lines.append(_("<b>Key:</b> %(cue)s", cue=escape(said(cues.key or cues.movement))))
    return "\n".join(lines)


def equipment_name(equipment: Equipment) -> str:
    """`dumbbells`, `a barbell`, `the machine`: after "with"."""
    names = {
        Equipment.DUMBBELLS: N_("dumbbells"),
        Equipment.BARBELL: N_("barbell"),
        Equipment.MACHINE: N_("machine"),
    }
    return _(names[equipment]) if equipment in names else equipment.value
