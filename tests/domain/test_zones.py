from __future__ import annotations

import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.zones import (
    Found,
    Suggestions,
    build_index,
    city_of,
    find_zone,
    guess_from_language,
)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("Munich", "Europe/Berlin"),
        ("UTC", "UTC"),
    ],
)
def test_finds_zone_names_and_cities(text: str, zone: str) -> None:
    assert find_zone(text) == Found(zone)


def test_a_typo_offers_close_matches() -> None:
    found = find_zone("Berlinn")
    assert isinstance(found, Suggestions)
    assert "Europe/Berlin" in found.zones
    typo = find_zone("Amsterdm")
    assert isinstance(typo, Suggestions) and typo.zones[0] == "Europe/Amsterdam"


def test_nonsense_finds_nothing() -> None:
    assert find_zone("qqqqqqqq") == Suggestions(())
    assert find_zone("") == Suggestions(())


REGIONAL = sorted(
    z for z in zoneinfo.available_timezones() if z.split("/")[0] in {"Europe", "Asia"}
)


@given(st.sampled_from(REGIONAL))
def test_every_city_finds_a_zone_with_that_city(zone: str) -> None:
    found = find_zone(city_of(zone))
    assert isinstance(found, Found)
    assert city_of(found.zone) == city_of(zone)


def test_index_is_built_from_given_names() -> None:
    assert build_index(["Europe/Paris"])["paris"] == "Europe/Paris"


def test_language_gives_only_a_guess_where_one_is_sensible() -> None:
    assert guess_from_language("de") == "Europe/Berlin"
    assert guess_from_language("pt-br") == "America/Sao_Paulo"
    assert guess_from_language("en") is None
    assert guess_from_language(None) is None


def test_cities_as_the_coached_languages_write_them() -> None:
    """Accents fold ("São Paulo"), and the big cities have their Russian and German names."""
    assert find_zone("São Paulo") == Found("America/Sao_Paulo")
    assert find_zone("sao paulo") == Found("America/Sao_Paulo")
    assert find_zone("Москва") == Found("Europe/Moscow")
    assert find_zone("Нижний Новгород") == Found("Europe/Moscow")
    assert find_zone("Köln") == Found("Europe/Berlin")
    assert find_zone("Zürich") == Found("Europe/Zurich")
