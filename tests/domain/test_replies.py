from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.progression import Effort
from bot.domain.replies import (
    MAX_REPS,
    Problem,
    SetReply,
    SetsOfReps,
    Unparsed,
    far_off,
    format_set,
    parse_effort,
    parse_set_reply,
    sets_of_reps,
)
from bot.domain.units import MAX_LOAD_GRAMS, Unit, in_unit, round_to_step, to_grams

D = Decimal
KG, LB = Unit.KG, Unit.LB


def reply(
    reps: int,
    load: str | None = None,
    unit: Unit | None = None,
    effort: Effort | None = None,
    other: int | None = None,
) -> SetReply:
    return SetReply(reps, other, None if load is None else D(load), unit, effort)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10", reply(10)),
        ("10 reps", reply(10)),
        ("1 rep", reply(1)),
        ("10x40", reply(10, "40")),
        ("10 x 42.5kg", reply(10, "42.5", KG)),
        ("10 @ 95 lb", reply(10, "95", LB)),
        ("10×40", reply(10, "40")),
        ("10*40", reply(10, "40")),
        ("10 х 40", reply(10, "40")),  # Cyrillic х
        ("10 x 42,5", reply(10, "42.5")),
        ("10x42,5 kg", reply(10, "42.5", KG)),
        ("10 reps @ 40 kg", reply(10, "40", KG)),
        ("10 40kg", reply(10, "40", KG)),
        ("40 kg x 10", reply(10, "40", KG)),
        ("10 at 20 pounds", reply(10, "20", LB)),
        ("10/9", reply(10, other=9)),
        ("10 9", reply(10, other=9)),
        ("10-9", reply(10, other=9)),
        ("10/9 x 12 kg", reply(10, "12", KG, other=9)),
        ("10 9 x 12", reply(10, "12", other=9)),
        ("12 easy", reply(12, effort=Effort.EASY)),
        ("hard 9", reply(9, effort=Effort.HARD)),
        ("10 x 42.5 kg hard", reply(10, "42.5", KG, Effort.HARD)),
        ("  10  ", reply(10)),
        ("💪 10 reps 🔥", reply(10)),
        ("12 💪🏽", reply(12)),
        ("10 reps!", reply(10)),
        ("10 X 40 KG", reply(10, "40", KG)),
        ("100", reply(100)),
        ("10 x 1102 lb", reply(10, "1102", LB)),
    ],
)
def test_parses_what_people_type(text: str, expected: SetReply) -> None:
    assert parse_set_reply(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", Problem.EMPTY),
        ("   ", Problem.EMPTY),
        ("blah", Problem.NOT_UNDERSTOOD),
        ("👍", Problem.NOT_UNDERSTOOD),
        ("10x", Problem.NOT_UNDERSTOOD),
        ("ten", Problem.NOT_UNDERSTOOD),
        ("1e5", Problem.NOT_UNDERSTOOD),
        ("10 easy hard", Problem.NOT_UNDERSTOOD),
        ("10 <b>", Problem.NOT_UNDERSTOOD),
        ("1" * 300, Problem.NOT_UNDERSTOOD),
        ("101", Problem.REPS_TOO_HIGH),
        ("99999999999999999999", Problem.REPS_TOO_HIGH),
        ("10/101", Problem.REPS_TOO_HIGH),
        ("0", Problem.REPS_ZERO_OR_NEGATIVE),
        ("-5", Problem.REPS_ZERO_OR_NEGATIVE),
        ("10.5", Problem.REPS_NOT_WHOLE),
        ("42,5", Problem.REPS_NOT_WHOLE),
        ("10 x 501 kg", Problem.LOAD_TOO_HIGH),
        ("10 x 1103 lb", Problem.LOAD_TOO_HIGH),
        ("10 x 99999999999999999999", Problem.LOAD_TOO_HIGH),
        ("10 x 0", Problem.LOAD_NOT_POSITIVE),
        ("10 x -5 kg", Problem.LOAD_NOT_POSITIVE),
        ("10 9 8", Problem.TOO_MANY_NUMBERS),
        ("10 x 9 x 8 x 7", Problem.TOO_MANY_NUMBERS),
        ("hard", Problem.ONLY_EFFORT),
    ],
)
def test_gives_a_reason_when_it_cannot(text: str, problem: Problem) -> None:
    assert parse_set_reply(text) == Unparsed(problem)


def test_unitless_load_is_bounded_by_the_users_unit() -> None:
    assert parse_set_reply("10 x 600") == reply(10, "600")  # 600 lb is fine
    assert parse_set_reply("10 x 600", default_unit=KG) == Unparsed(Problem.LOAD_TOO_HIGH)
    assert parse_set_reply("10 x 600", default_unit=LB) == reply(10, "600")


def test_counted_reps_is_the_weaker_leg() -> None:
    assert reply(10, other=9).counted_reps == 9
    assert reply(10).counted_reps == 10


@pytest.mark.parametrize(
    ("text", "effort"),
    [("easy", Effort.EASY), (" hard 😅 ", Effort.HARD), ("OK", Effort.OK), ("10", None)],
)
def test_parse_effort(text: str, effort: Effort | None) -> None:
    assert parse_effort(text) is effort


def test_format_set() -> None:
    assert format_set(10, 42_500, KG) == "10 × 42.5 kg"
    assert format_set(10, 40_000, KG) == "10 × 40 kg"
    assert format_set(10, to_grams(D("95"), LB), LB) == "10 × 95 lb"
    assert format_set(10, 12_000, KG, reps_other_leg=9) == "10/9 × 12 kg"
    assert format_set(12, None, KG) == "12"


units = st.sampled_from(list(Unit))
steps = st.sampled_from([D(s) for s in ("1", "1.25", "2", "2.5", "5", "10")])
reps = st.integers(min_value=1, max_value=MAX_REPS)
other_leg = st.none() | reps
emoji = st.sampled_from(["", "💪", "🔥 ", " 😅", "👍🏽"])


@settings(max_examples=500)
@given(
    count=reps,
    other=other_leg,
    grams=st.integers(min_value=1, max_value=MAX_LOAD_GRAMS - 5_000),  # room to round up
    unit=units,
    step=steps,
    before=emoji,
    after=emoji,
)
def test_parsing_round_trips_a_displayed_set(
    count: int,
    other: int | None,
    grams: int,
    unit: Unit,
    step: D,
    before: str,
    after: str,
) -> None:
    load = round_to_step(grams, unit, step)
    parsed = parse_set_reply(f"{before}{format_set(count, load, unit, other)}{after}", unit)
    assert isinstance(parsed, SetReply)
    assert (parsed.reps, parsed.reps_other_leg, parsed.unit) == (count, other, unit)
    assert parsed.load is not None
    assert parsed.load == in_unit(load, unit)
    assert to_grams(parsed.load, unit) == load  # makeable loads survive exactly


@settings(max_examples=300)
@given(count=reps, other=other_leg, grams=st.integers(min_value=5, max_value=MAX_LOAD_GRAMS))
def test_parsing_round_trips_any_displayed_load(count: int, other: int | None, grams: int) -> None:
    for unit in Unit:
        parsed = parse_set_reply(format_set(count, grams, unit, other))
        assert isinstance(parsed, SetReply)
        assert (parsed.reps, parsed.reps_other_leg) == (count, other)
        assert parsed.load == in_unit(grams, unit)


@settings(max_examples=500)
@given(st.text(max_size=60))
def test_any_text_gets_an_answer(text: str) -> None:
    parsed = parse_set_reply(text)
    if isinstance(parsed, SetReply):
        assert 1 <= parsed.reps <= MAX_REPS
        assert parsed.load is None or parsed.load > 0


@pytest.mark.parametrize(
    ("text", "legs", "load"),
    [
        ("10 and 9", (10, 9), None),
        ("10 & 9 x 12", (10, 9), Decimal("12")),
        ("L10 R9", (10, 9), None),
        ("R9 L10", (10, 9), None),
        ("left 10 right 9 @ 12 kg", (10, 9), Decimal("12")),
        ("9 each leg", (9, 9), None),
        ("9 per side x 12", (9, 9), Decimal("12")),
    ],
)
def test_legs_as_people_write_them(text: str, legs: tuple[int, int], load: Decimal | None) -> None:
    reply = parse_set_reply(text)
    assert isinstance(reply, SetReply), text
    assert (reply.reps, reply.reps_other_leg, reply.load) == (*legs, load)


def test_each_after_a_load_means_each_dumbbell_not_each_leg() -> None:
    reply = parse_set_reply("10 x 12 kg each")
    assert isinstance(reply, SetReply)
    assert (reply.reps, reply.reps_other_leg, reply.load) == (10, None, Decimal("12"))


@pytest.mark.parametrize("text", ["L10", "L10 L9", "R10 9", "10 L9 R8", "each", "10 each 9"])
def test_sides_that_dont_pair_up_are_not_guessed(text: str) -> None:
    assert isinstance(parse_set_reply(text), Unparsed), text


@given(
    left=st.integers(min_value=1, max_value=100),
    right=st.integers(min_value=1, max_value=100),
    right_first=st.booleans(),
)
def test_sided_counts_read_as_left_slash_right(left: int, right: int, right_first: bool) -> None:
    text = f"R{right} L{left}" if right_first else f"L{left} R{right}"
    assert parse_set_reply(text) == parse_set_reply(f"{left}/{right}")
    assert parse_set_reply(f"{left} each leg") == parse_set_reply(f"{left}/{left}")


# --- "3x10" and loads far from the last one ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3x10", SetsOfReps(3, 10)),
        ("3 x 10", SetsOfReps(3, 10)),
        ("3×10", SetsOfReps(3, 10)),
        ("4 X 12", SetsOfReps(4, 12)),
        ("3 х 8", SetsOfReps(3, 8)),  # Cyrillic х
        ("10 x 40", None),  # ten sets is not a count anyone means
        ("1x10", None),
        ("3 x 10 kg", None),  # the unit says it's a load
        ("3 @ 10", None),
        ("3 x 42.5", None),
        ("3", None),
    ],
)
def test_gym_shorthand_for_sets_of_reps(text: str, expected: SetsOfReps | None) -> None:
    assert sets_of_reps(text) == expected


@given(sets=st.integers(min_value=2, max_value=6), reps=st.integers(min_value=1, max_value=99))
def test_shorthand_is_also_a_set_reply(sets: int, reps: int) -> None:
    """Whatever reads as sets of reps also reads as a set: that is why the bot asks."""
    text = f"{sets}x{reps}"
    assert sets_of_reps(text) == SetsOfReps(sets, reps)
    assert parse_set_reply(text) == reply(sets, str(reps))


@given(
    reference=st.integers(min_value=1_000, max_value=MAX_LOAD_GRAMS),
    ratio=st.decimals(min_value=D("0.01"), max_value=D("10"), places=2),
)
def test_a_load_is_far_off_beyond_half_away_either_way(reference: int, ratio: D) -> None:
    load = int(reference * ratio)
    assert far_off(load, reference) == (abs(load - reference) * 2 > reference)
    assert not far_off(reference, reference)
    if ratio >= 2 or ratio <= D("0.4"):
        assert far_off(load, reference)  # 375 for 37.5, or 37.5 for 375
