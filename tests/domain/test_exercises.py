import itertools

import pytest

from bot.domain.exercises import EXERCISES, Exercise
from bot.domain.program import PROGRAMME
from bot.domain.units import Equipment

SEED = "/work/shared/seed/toning-hamstrings-and-glutes.txt"  # the copied-prose check needs it


def test_catalogue_in_workout_order() -> None:
    assert [e.slug for e in EXERCISES] == ["deadlift", "leg_curl", "squat", "lunge"]
    assert [e.name for e in EXERCISES] == [
        "Straight-leg deadlift",
        "Lying leg curl",
        "Squat",
        "Lunge",
    ]


def test_muscles_from_the_seed() -> None:
    assert PROGRAMME.exercise("deadlift").muscles == ("hamstrings",)
    assert PROGRAMME.exercise("leg_curl").muscles == ("hamstrings",)
    for slug in ("squat", "lunge"):
        assert PROGRAMME.exercise(slug).muscles == ("glutes",)
        assert PROGRAMME.exercise(slug).helpers == ("quadriceps", "calves")


def test_equipment() -> None:
    assert PROGRAMME.exercise("deadlift").equipment == (Equipment.BARBELL,)
    assert PROGRAMME.exercise("leg_curl").equipment == (Equipment.MACHINE,)
    for slug in ("squat", "lunge"):
        assert PROGRAMME.exercise(slug).equipment == (Equipment.DUMBBELLS, Equipment.BARBELL)
        assert PROGRAMME.exercise(slug).default_equipment is Equipment.DUMBBELLS


def test_only_the_lunge_counts_reps_per_leg() -> None:
    assert [e.one_leg_at_a_time for e in EXERCISES] == [False, False, False, True]


def test_unknown_slug() -> None:
    with pytest.raises(KeyError):
        PROGRAMME.exercise("bench_press")


def test_cues_carry_the_seed_facts() -> None:
    deadlift = PROGRAMME.exercise("deadlift").cues
    assert "floor" in deadlift.turnaround
    assert any("knee" in f.lower() for f in deadlift.faults)
    assert any("back" in f.lower() for f in deadlift.faults)
    assert "pivot" in PROGRAMME.exercise("leg_curl").cues.setup
    squat = PROGRAMME.exercise("squat").cues
    assert any("butt" in f for f in squat.faults)
    assert "level with the floor" in squat.turnaround
    lunge = PROGRAMME.exercise("lunge").cues
    assert "long stride" in lunge.movement
    assert "knee" in lunge.turnaround and "floor" in lunge.turnaround
    assert any("switch legs" in f for f in lunge.faults)


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.slug)
def test_cues_fit_a_phone_screen(ex: Exercise) -> None:
    texts = [ex.cues.setup, ex.cues.movement, ex.cues.turnaround, *ex.cues.faults]
    assert all(0 < len(t) <= 90 for t in texts)
    assert ex.cues.faults


def test_cues_are_our_own_words() -> None:
    from pathlib import Path

    seed = Path(SEED)
    if not seed.exists():
        pytest.skip("seed text not available")
    words = seed.read_text(encoding="utf-8").lower().split()
    seed_runs = {" ".join(words[i : i + 6]) for i in range(len(words) - 5)}
    for ex in EXERCISES:
        for text in (ex.cues.setup, ex.cues.movement, ex.cues.turnaround, *ex.cues.faults):
            mine = text.lower().split()
            for i in range(len(mine) - 5):
                assert " ".join(mine[i : i + 6]) not in seed_runs, text


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.slug)
def test_each_set_gets_a_short_cue_different_from_the_set_before(exercise: Exercise) -> None:
    cues = [exercise.cues.for_set(n) for n in range(1, 9)]
    assert all(0 < len(cue) <= 80 for cue in cues)
    assert all(a != b for a, b in itertools.pairwise(cues))
    assert exercise.cues.key  # the programme's own cue for the card


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.slug)
def test_the_set_up_is_for_the_equipment_in_hand(exercise: Exercise) -> None:
    words = {Equipment.BARBELL: "bar ", Equipment.DUMBBELLS: "dumbbell", Equipment.MACHINE: "pad"}
    for kit in exercise.equipment:
        others = [words[other] for other in exercise.equipment if other is not kit]
        setup = exercise.cues.setup_for(kit).lower()
        assert not any(other in setup for other in others), (kit, setup)
