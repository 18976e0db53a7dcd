"""Finding an IANA time zone from what a person types: a zone name, a city, or a near miss.

Offline: cities come from the zone names themselves (`Europe/Berlin` -> "berlin",
`America/New_York` -> "new york") plus a few big cities that have no zone of their own.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

REGIONS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)

# Big cities people type that are not in any zone name.
ALIASES: Mapping[str, str] = {
    "washington": "America/New_York",
    "boston": "America/New_York",
    "philadelphia": "America/New_York",
    "miami": "America/New_York",
    "atlanta": "America/New_York",
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "portland": "America/Los_Angeles",
    "san diego": "America/Los_Angeles",
    "houston": "America/Chicago",
    "dallas": "America/Chicago",
    "austin": "America/Chicago",
    "munich": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "cologne": "Europe/Berlin",
    "milan": "Europe/Rome",
    "barcelona": "Europe/Madrid",
    "geneva": "Europe/Zurich",
    "manchester": "Europe/London",
    "edinburgh": "Europe/London",
    "st petersburg": "Europe/Moscow",
    "saint petersburg": "Europe/Moscow",
    "kiev": "Europe/Kyiv",
    "beijing": "Asia/Shanghai",
    "shenzhen": "Asia/Shanghai",
    "mumbai": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "osaka": "Asia/Tokyo",
    "sydney": "Australia/Sydney",
    "rio de janeiro": "America/Sao_Paulo",
    "montreal": "America/Toronto",
    "utc": "UTC",
    "gmt": "UTC",
    # As the coached languages write them (accents are folded: "Köln" is "koln").
    "munchen": "Europe/Berlin",
    "koln": "Europe/Berlin",
    "wien": "Europe/Vienna",
    "moskau": "Europe/Moscow",
    "londres": "Europe/London",
    "nueva york": "America/New_York",
    "nova york": "America/New_York",
    "ciudad de mexico": "America/Mexico_City",
    "brasilia": "America/Sao_Paulo",
    "belo horizonte": "America/Sao_Paulo",
    "porto alegre": "America/Sao_Paulo",
    "curitiba": "America/Sao_Paulo",
    "salvador": "America/Bahia",
    "lisboa": "Europe/Lisbon",
    "москва": "Europe/Moscow",
    "санкт петербург": "Europe/Moscow",
    "питер": "Europe/Moscow",
    "казань": "Europe/Moscow",
    "нижний новгород": "Europe/Moscow",
    "екатеринбург": "Asia/Yekaterinburg",
    "новосибирск": "Asia/Novosibirsk",
    "минск": "Europe/Minsk",
    "киев": "Europe/Kyiv",
    "алматы": "Asia/Almaty",
}

# A guess from the Telegram language code, only ever offered for the user to confirm.
LANGUAGE_GUESSES: Mapping[str, str] = {
    "de": "Europe/Berlin",
    "fr": "Europe/Paris",
    "es": "Europe/Madrid",
    "it": "Europe/Rome",
    "nl": "Europe/Amsterdam",
    "pl": "Europe/Warsaw",
    "pt": "Europe/Lisbon",
    "pt-br": "America/Sao_Paulo",
    "ru": "Europe/Moscow",
    "uk": "Europe/Kyiv",
    "tr": "Europe/Istanbul",
    "cs": "Europe/Prague",
    "sv": "Europe/Stockholm",
    "da": "Europe/Copenhagen",
    "fi": "Europe/Helsinki",
    "nb": "Europe/Oslo",
    "el": "Europe/Athens",
    "hu": "Europe/Budapest",
    "ro": "Europe/Bucharest",
    "ja": "Asia/Tokyo",
    "ko": "Asia/Seoul",
    "zh": "Asia/Shanghai",
    "zh-hans": "Asia/Shanghai",
    "hi": "Asia/Kolkata",
    "id": "Asia/Jakarta",
    "en-gb": "Europe/London",
    "en-us": "America/New_York",
    "en-au": "Australia/Sydney",
}


@dataclass(frozen=True)
class Found:
    zone: str


@dataclass(frozen=True)
class Suggestions:
    """No exact match; these are close (possibly none)."""

    zones: tuple[str, ...]


def _key(text: str) -> str:
    """Lower case, accents folded ("São Paulo" is "sao paulo"), separators as one space."""
    folded = "".join(
        char
        for char in unicodedata.normalize("NFKD", text.strip().lower())
        if not unicodedata.combining(char)
    )
    # NFKD splits "й" too: put Cyrillic letters back together.
    folded = unicodedata.normalize("NFC", folded.replace("и\u0306", "й"))
    return re.sub(r"[\s_\-.']+", " ", folded).strip()


def city_of(zone: str) -> str:
    """`America/Argentina/Buenos_Aires` -> `Buenos Aires`."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def build_index(zone_names: Iterable[str]) -> dict[str, str]:
    """City (and full zone name) keys to zone names, for the regional IANA zones."""
    index: dict[str, str] = {}
    names = sorted(zone_names)
    for zone in names:
        if zone.split("/", 1)[0] in REGIONS and "/" in zone:
            index.setdefault(_key(city_of(zone)), zone)
    for alias, zone in ALIASES.items():
        index.setdefault(_key(alias), zone)
    return index


@cache
def _default_index() -> dict[str, str]:
    return build_index(zoneinfo.available_timezones())


@cache
def _known_zones() -> dict[str, str]:
    return {zone.lower(): zone for zone in zoneinfo.available_timezones()}


def is_zone(name: str) -> bool:
    return name in zoneinfo.available_timezones()


def find_zone(text: str, *, index: Mapping[str, str] | None = None) -> Found | Suggestions:
    """An exact zone name or city, else up to three close matches."""
    cleaned = text.strip()
    if not cleaned or len(cleaned) > 64:
        return Suggestions(())
    exact = _known_zones().get(cleaned.lower().replace(" ", "_"))
    if exact is not None:
        return Found(exact)
    cities = index if index is not None else _default_index()
    key = _key(cleaned.rsplit("/", 1)[-1])
    if key in cities:
        return Found(cities[key])
    close = difflib.get_close_matches(key, list(cities), n=6, cutoff=0.75)
    zones: list[str] = []
    for match in close:
        if cities[match] not in zones:
            zones.append(cities[match])
    return Suggestions(tuple(zones[:3]))


def guess_from_language(language_code: str | None) -> str | None:
    if not language_code:
        return None
    code = language_code.lower()
    return LANGUAGE_GUESSES.get(code) or LANGUAGE_GUESSES.get(code.split("-", 1)[0])
