"""The four lifts of the programme and how to do them well.

Cues are written to be glanced at on a phone between sets, so each stays short.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.units import Equipment


def N_(text: str) -> str:
    """Marks a text for translation: `pybabel extract` finds it, the chat layer translates it
    (`bot.chat.names.said`); here it stays the programme's English."""
    return text


@dataclass(frozen=True)
class Cues:
    setup: str
    movement: str
    turnaround: str
    faults: tuple[str, ...]
    key: str = ""  # the programme's own words for the lift, shown on its first card
    # The set-up per equipment, for lifts done with more than one; `setup` covers them all.
    setups: tuple[tuple[Equipment, str], ...] = ()

    def setup_for(self, equipment: Equipment) -> str:
        return dict(self.setups).get(equipment, self.setup)

    def for_set(self, set_number: int) -> str:
        """One short line for a set prompt, a different one from set to set."""
        lines = (self.turnaround, *self.faults, self.movement)
        return lines[(set_number - 1) % len(lines)]


@dataclass(frozen=True)
class Exercise:
    slug: str  # stable: stored with every set, never rename
    name: str
    muscles: tuple[str, ...]  # the muscles doing most of the work
    helpers: tuple[str, ...]  # muscles that assist
    equipment: tuple[Equipment, ...]  # first = default
    one_leg_at_a_time: bool  # reps are counted per leg
    cues: Cues
    aliases: tuple[str, ...] = ()  # single words people type for it (starting loads)

    @property
    def default_equipment(self) -> Equipment:
        return self.equipment[0]


STRAIGHT_LEG_DEADLIFT = Exercise(
    slug="deadlift",
    name="Straight-leg deadlift",
    muscles=(N_("hamstrings"),),
    helpers=(),
    equipment=(Equipment.BARBELL,),
    one_leg_at_a_time=False,
    cues=Cues(
        setup=N_("Stand tall, bar hanging at arm's length against your thighs."),
        movement=N_("Fold forward from the hips, bar sliding down close to your legs."),
        turnaround=N_("Torso level with the floor? Stand back up."),
        faults=(
            N_("Soft knees: lock them straight."),
            N_("Rounded back: keep it flat and straight."),
        ),
        key=N_("Knees and back straight; fold until your back is parallel to the floor."),
    ),
    aliases=("deadlift", "deadlifts", "dl", "sldl"),
)

LYING_LEG_CURL = Exercise(
    slug="leg_curl",
    name="Lying leg curl",
    muscles=(N_("hamstrings"),),
    helpers=(),
    equipment=(Equipment.MACHINE,),
    one_leg_at_a_time=False,
    cues=Cues(
        setup=N_("Lie face down, pads on your lower calves, knees level with the machine's pivot."),
        movement=N_("Bend your knees and drive your heels toward your seat."),
        turnaround=N_("Heels near your seat: lower the pads under control."),
        faults=(
            N_("Knees off the pivot: shift until they line up with it."),
            N_("Hips lifting off the bench: press them down."),
        ),
        key=N_("Knees in line with the machine's axis; curl your feet up toward your butt."),
    ),
    aliases=("curl", "curls", "legcurl"),
)

SQUAT = Exercise(
    slug="squat",
    name="Squat",
    muscles=(N_("glutes"),),
    helpers=(N_("quadriceps"), N_("calves")),
    equipment=(Equipment.DUMBBELLS, Equipment.BARBELL),
    one_leg_at_a_time=False,
    cues=Cues(
        setup=N_("Dumbbells at your shoulders, or a loaded bar across your upper back."),
        movement=N_("Send your hips back, then bend your knees to sink down."),
        turnaround=N_("Thighs level with the floor at the lowest: drive back up."),
        faults=(
            N_("Knees first: start by pushing your butt back."),
            N_("Sinking below level thighs: stop at parallel."),
        ),
        key=N_(
            "Push your butt back and bend your knees until your thighs are parallel to the floor."
        ),
        setups=(
            (Equipment.DUMBBELLS, N_("Stand tall, a dumbbell held at each shoulder.")),
            (Equipment.BARBELL, N_("Stand tall, a loaded bar across the back of your shoulders.")),
        ),
    ),
    aliases=("squat", "squats"),
)

LUNGE = Exercise(
    slug="lunge",
    name="Lunge",
    muscles=(N_("glutes"),),
    helpers=(N_("quadriceps"), N_("calves")),
    equipment=(Equipment.DUMBBELLS, Equipment.BARBELL),
    one_leg_at_a_time=True,
    cues=Cues(
        setup=N_("Feet together, dumbbells at your sides or a bar on your upper back."),
        movement=N_("Take a long stride, then bend the front knee."),
        turnaround=N_("Rear knee just above the floor: push back to feet together."),
        faults=(
            N_("Short stride: step out further."),
            N_("Same leg every time: switch legs each rep."),
        ),
        key=N_("Take a big step, then bend the front knee until the back knee nears the floor."),
        setups=(
            (Equipment.DUMBBELLS, N_("Feet together, a dumbbell hanging at each side.")),
            (Equipment.BARBELL, N_("Feet together, a loaded bar across your upper back.")),
        ),
    ),
    aliases=("lunge", "lunges"),
)

# The catalogue, in workout order: hamstrings first, then glutes (see program.PROGRAMME).
EXERCISES: tuple[Exercise, ...] = (STRAIGHT_LEG_DEADLIFT, LYING_LEG_CURL, SQUAT, LUNGE)
