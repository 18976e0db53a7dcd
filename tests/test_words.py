"""Each language's word lists (bot/locales/<lang>/words.toml) through the pure parsers."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import i18n
from bot.domain import program, replies
from bot.domain.clock_times import parse_clock_time, parse_date, parse_weekday_pair
from bot.domain.progression import Effort
from bot.domain.replies import SetReply, parse_effort, parse_set_reply
from bot.domain.starting_loads import parse_starting_loads
from bot.domain.units import Unit

LANGUAGES = list(i18n.SHIPPED)
TODAY = date(2026, 11, 29)


def words(tag: str) -> i18n.Words:
    return i18n.language(tag).words


def test_english_words_are_the_domains_defaults() -> None:
    english = words("en").reply
    assert english.effort == replies.ENGLISH.effort
    assert english.units == replies.ENGLISH.units
    assert english.each == replies.ENGLISH.each
    assert english.legs == replies.ENGLISH.legs


@pytest.mark.parametrize("tag", LANGUAGES)
def test_no_word_means_two_things(tag: str) -> None:
    """A word is one kind of thing: an effort word is never a unit, a side or a separator."""
    reply = words(tag).reply
    kinds = [
        set(reply.effort),
        set(reply.units),
        set(reply.reps),
        set(reply.times),
        set(reply.leg_separators),
        set(reply.sides),
        set(reply.each),
        set(reply.legs),
    ]
    for i, first in enumerate(kinds):
        for second in kinds[i + 1 :]:
            assert not first & second, (tag, first & second)


@pytest.mark.parametrize("tag", LANGUAGES)
@given(reps=st.integers(1, 100), data=st.data())
def test_effort_words_alone_and_after_the_reps(tag: str, reps: int, data: st.DataObject) -> None:
    reply = words(tag).reply
    word, effort = data.draw(st.sampled_from(sorted(reply.effort.items())))
    shown = data.draw(st.sampled_from([word, word.upper(), word.capitalize()]))
    assert parse_effort(shown, reply) is effort
    assert parse_set_reply(f"{reps} {shown}", words=reply) == SetReply(
        reps, None, None, None, effort
    )


@pytest.mark.parametrize("tag", LANGUAGES)
@given(reps=st.integers(1, 100), tenths=st.integers(1, 2000), data=st.data())
def test_loads_with_a_unit_word(tag: str, reps: int, tenths: int, data: st.DataObject) -> None:
    reply = words(tag).reply
    unit_word, unit = data.draw(st.sampled_from(sorted(reply.units.items())))
    joiner = data.draw(st.sampled_from(sorted(reply.times | {"x", "×", "@"})))
    load = Decimal(tenths) / 10
    typed = f"{reps} {joiner} {load} {unit_word}".replace(".", data.draw(st.sampled_from(".,")))
    parsed = parse_set_reply(typed, words=reply)
    assert parsed == SetReply(reps, None, load, unit, None), typed


@pytest.mark.parametrize("tag", LANGUAGES)
@given(left=st.integers(1, 100), right=st.integers(1, 100), data=st.data())
def test_both_legs(tag: str, left: int, right: int, data: st.DataObject) -> None:
    reply = words(tag).reply
    separator = data.draw(st.sampled_from(sorted(reply.leg_separators | {"/"})))
    assert parse_set_reply(f"{left} {separator} {right}", words=reply) == SetReply(
        left, right, None, None, None
    )
    each = data.draw(st.sampled_from(sorted(reply.each)))
    leg = data.draw(st.sampled_from(sorted(reply.legs)))
    assert parse_set_reply(f"{left} {each} {leg}", words=reply) == SetReply(
        left, left, None, None, None
    )
    left_word = data.draw(st.sampled_from(sorted(w for w, s in reply.sides.items() if s == "left")))
    right_word = data.draw(
        st.sampled_from(sorted(w for w, s in reply.sides.items() if s == "right"))
    )
    typed = f"{right_word} {right} {left_word} {left}"
    assert parse_set_reply(typed, words=reply) == SetReply(left, right, None, None, None), typed


@pytest.mark.parametrize("tag", LANGUAGES)
@given(data=st.data())
def test_any_two_weekday_names_make_the_pair(tag: str, data: st.DataObject) -> None:
    days = words(tag).days
    first, second = data.draw(
        st.lists(st.integers(0, 6), min_size=2, max_size=2, unique=True), label="days"
    )
    name_one = data.draw(st.sampled_from(list(days.names[first])))
    name_two = data.draw(st.sampled_from(list(days.names[second])))
    joiner = data.draw(st.sampled_from([" ", ", ", " & ", *(f" {j} " for j in days.joiners)]))
    typed = data.draw(st.sampled_from([str.lower, str.capitalize, str.upper]))(
        f"{name_one}{joiner}{name_two}"
    )
    assert parse_weekday_pair(typed, days) == tuple(sorted((first, second))), typed


@pytest.mark.parametrize("tag", LANGUAGES)
@given(hour=st.integers(0, 23), minute=st.integers(0, 59), data=st.data())
def test_times_with_an_hour_word(tag: str, hour: int, minute: int, data: st.DataObject) -> None:
    hour_words = words(tag).hour_words
    assert parse_clock_time(f"{hour}:{minute:02d}", hour_words) == time(hour, minute)
    if hour_words:
        word = data.draw(st.sampled_from(list(hour_words)))
        space = data.draw(st.sampled_from(["", " "]))
        assert parse_clock_time(f"{hour}{space}{word}", hour_words) == time(hour, 0)
        assert parse_clock_time(f"{hour}:{minute:02d} {word}", hour_words) == time(hour, minute)


@pytest.mark.parametrize("tag", LANGUAGES)
@given(day=st.integers(1, 28), month=st.integers(1, 12), data=st.data())
def test_dates_with_a_month_name(tag: str, day: int, month: int, data: st.DataObject) -> None:
    dates = words(tag).dates
    name = data.draw(st.sampled_from(list(dates.months[month - 1])))
    found = parse_date(f"{day} {name}", TODAY, dates)
    assert found is not None and (found.day, found.month) == (day, month)
    assert parse_date(dates.tomorrow[0], TODAY, dates) == date(2026, 11, 30)


@pytest.mark.parametrize("tag", LANGUAGES)
def test_english_still_works(tag: str) -> None:
    language = words(tag)
    assert parse_set_reply("10 x 40 kg easy", words=language.reply) == SetReply(
        10, None, Decimal(40), Unit.KG, Effort.EASY
    )
    assert parse_set_reply("9 each leg", words=language.reply) == SetReply(9, 9, None, None, None)
    assert parse_weekday_pair("Tue and Fri", language.days) == (1, 4)
    assert parse_clock_time("7pm", language.hour_words) == time(19, 0)
    assert parse_date("20 Dec", TODAY, language.dates) == date(2026, 12, 20)
    assert {"skip", "keep"} <= language.skip


def test_the_issues_examples() -> None:
    assert parse_effort("fácil", words("es").reply) is Effort.EASY
    assert parse_effort("leicht", words("de").reply) is Effort.EASY
    assert parse_effort("легко", words("ru").reply) is Effort.EASY
    assert parse_weekday_pair("mar vie", words("es").days) == (1, 4)
    assert parse_weekday_pair("Di Fr", words("de").days) == (1, 4)
    assert parse_weekday_pair("вт пт", words("ru").days) == (1, 4)
    assert parse_weekday_pair("terça-feira e sexta-feira", words("pt_BR").days) == (1, 4)
    assert parse_clock_time("19 h", words("es").hour_words) == time(19, 0)
    assert parse_clock_time("19 Uhr", words("de").hour_words) == time(19, 0)
    assert parse_set_reply("9 cada pierna", words=words("es").reply) == SetReply(
        9, 9, None, None, None
    )
    assert parse_set_reply("9 je Bein", words=words("de").reply) == SetReply(9, 9, None, None, None)
    assert parse_set_reply("9 на каждую ногу", words=words("ru").reply) == SetReply(
        9, 9, None, None, None
    )
    assert parse_set_reply("10 раз на 42,5 кг тяжело", words=words("ru").reply) == SetReply(
        10, None, Decimal("42.5"), Unit.KG, Effort.HARD
    )


@pytest.mark.parametrize("tag", LANGUAGES)
@given(data=st.data())
def test_starting_loads_with_the_languages_lift_names(tag: str, data: st.DataObject) -> None:
    lifts = words(tag).lifts
    by_slug: dict[str, list[str]] = {}
    for name, slug in lifts.names.items():
        by_slug.setdefault(slug, []).append(name)
    for exercise in program.PROGRAMME.exercises:
        by_slug.setdefault(exercise.slug, []).extend(exercise.aliases)
    chosen = data.draw(
        st.lists(st.sampled_from(sorted(by_slug)), min_size=1, max_size=4, unique=True)
    )
    loads = {slug: Decimal(data.draw(st.integers(1, 200))) for slug in chosen}
    separator = data.draw(st.sampled_from([", ", "; ", *(f" {j} " for j in lifts.joiners)]))
    typed = separator.join(
        f"{data.draw(st.sampled_from(sorted(by_slug[slug])))} {load}"
        for slug, load in loads.items()
    )
    assert parse_starting_loads(typed, program.PROGRAMME.exercises, lifts) == loads, typed


@pytest.mark.parametrize("tag", LANGUAGES)
def test_the_starting_loads_example_shown_is_understood(tag: str) -> None:
    """The example the onboarding question shows reads back as all four lifts."""
    asked = i18n.language(tag).gettext(
        "Know your starting loads? Send them in one message, like <code>deadlift 40, curl 25, "
        "squat 30, lunge 10</code> (%(unit)s). Otherwise I'll ask at your first set.",
        unit="kg",
    )
    example = asked.split("<code>")[1].split("</code>")[0]
    lifts = words(tag).lifts
    found = parse_starting_loads(example, program.PROGRAMME.exercises, lifts)
    assert found is not None and set(found) == {e.slug for e in program.PROGRAMME.exercises}
