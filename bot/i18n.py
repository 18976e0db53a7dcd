"""The user's language: translated texts, the locale's numbers and dates, the words we read.

One `Language` per shipped language, built on first use: its catalog is compiled in memory from
`bot/locales/<tag>/LC_MESSAGES/messages.po` (no compile step on a fresh machine), and its word
lists are read from `bot/locales/<tag>/words.toml`, merged with the English ones so that English
typing works whatever the language.

The language an update is answered in is set once per update (`use`), from the user's stored
choice or Telegram's `language_code`, and read by `_`/`ngettext` wherever a text is made.
Placeholders are named (`%(name)s`); `ngettext` always fills `%(count)s` with the count.
Scheduled jobs, which answer no update, say whom they speak to with `speaking(tag)`.
"""

from __future__ import annotations

import gettext
import io
import re
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import get_decimal_symbol

from bot.domain.clock_times import DateWords, DayWords
from bot.domain.progression import Effort
from bot.domain.replies import ReplyWords
from bot.domain.starting_loads import LiftWords
from bot.domain.units import Equipment, Unit, format_amount, in_unit

LOCALES = Path(__file__).resolve().parent / "locales"
ENGLISH = "en"
# Shipped languages, as stored in users.language and named in the locales folder.
SHIPPED = ("en", "es", "de", "ru", "pt_BR")
# How each language names itself on the /language buttons.
NAMES = {
    "en": "English",
    "es": "Español",
    "de": "Deutsch",
    "ru": "Русский",
    "pt_BR": "Português (Brasil)",
}


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; translated where it is shown."""
    return message


# How units are written after a load.
UNIT_NAMES = {Unit.KG: N_("kg"), Unit.LB: N_("lb")}
# British English, without the commas en_GB puts after the weekday: "Tue 1 Dec 2026".
_ENGLISH_PATTERNS = {"yMMMEd": "EEE d MMM y", "full": "EEEE d MMMM y"}
_BABEL_LOCALES = {"en": "en_GB", "es": "es", "de": "de", "ru": "ru", "pt_BR": "pt_BR"}


def language_of(code: str | None) -> str:
    """The shipped language for a stored tag or a Telegram `language_code` (`pt-br` -> pt_BR);
    English for anything else."""
    if not code:
        return ENGLISH
    lowered = code.strip().replace("-", "_").lower()
    base = lowered.split("_")[0]
    if base == "pt":
        return "pt_BR"  # the one Portuguese we ship reads better to Portugal than English does
    return base if base in ("es", "de", "ru") else ENGLISH


def language_for(chosen: str | None, telegram_code: str | None) -> str:
    """The user's choice from /language if any, else what their Telegram app is set to."""
    return language_of(chosen) if chosen else language_of(telegram_code)


@dataclass(frozen=True)
class Words:
    """What we read in typed answers, in this language and in English."""

    reply: ReplyWords
    days: DayWords
    dates: DateWords
    hour_words: tuple[str, ...]
    skip: frozenset[str]
    kg: frozenset[str]
    lb: frozenset[str]
    dumbbells: tuple[str, ...]  # prefixes: "dumb", "hantel", "гант"
    barbell: tuple[str, ...]
    lifts: LiftWords  # lift names in starting loads: "kreuzheben 40, beinbeuger 25"


@dataclass(frozen=True)
class Language:
    tag: str
    translations: gettext.NullTranslations
    locale: Locale
    words: Words

    def gettext(self, message: str, **values: Any) -> str:
        text = self.translations.gettext(message)
        return _filled(text, values) if values else text

    def ngettext(self, singular: str, plural: str, count: int, **values: Any) -> str:
        text = self.translations.ngettext(singular, plural, count)
        return _filled(text, {"count": count, **values})

    def in_sentence(self, name: str) -> str:
        """A name inside a sentence: `squat` in English, but German nouns keep their capital."""
        return name if self.tag == "de" else name[:1].lower() + name[1:]

    def amount(self, number: Decimal | int) -> str:
        """`42,5` in German, `42.5` in English; no trailing zeros, no grouping."""
        return format_amount(Decimal(number)).replace(".", get_decimal_symbol(self.locale))

    def load(self, grams: int, unit: Unit) -> str:
        """`42,5 kg`, `42.5 kg`, `42,5 кг`."""
        return f"{self.amount(in_unit(grams, unit))} {self.unit(unit)}"

    def unit(self, unit: Unit) -> str:
        return self.gettext(UNIT_NAMES[unit])

    def weekday(self, day: date) -> str:
        """`Tuesday`, `Dienstag`, `вторник`."""
        return format_date(day, "EEEE", locale=self.locale)

    def short_day(self, day: date) -> str:
        """`Tue 1 Dec`, `Di., 1. Dez.`, `вт, 1 дек.`."""
        return format_date(day, self._pattern("MMMEd"), locale=self.locale)

    def day(self, day: date) -> str:
        """`Tuesday 1 Dec`, `Dienstag, 1. Dez.`."""
        pattern = re.sub(r"(?<![Ec])([Ec])\1{0,2}(?![Ec])", r"\1\1\1\1", self._pattern("MMMEd"))
        return format_date(day, pattern, locale=self.locale)

    def month_day(self, day: date) -> str:
        """`1 Dec`, `1. Dez.`, `1 дек.`."""
        return format_date(day, self._pattern("MMMd"), locale=self.locale)

    def short_date(self, day: date) -> str:
        """`Tue 1 Dec 2026`, `Di., 1. Dez. 2026`: with the year."""
        return format_date(day, self._pattern("yMMMEd"), locale=self.locale)

    def long_date(self, day: date) -> str:
        """`Tuesday 1 December 2026`, `Dienstag, 1. Dezember 2026`."""
        return format_date(day, self._pattern("full"), locale=self.locale)

    def _pattern(self, skeleton: str) -> str:
        if self.tag == ENGLISH and skeleton in _ENGLISH_PATTERNS:
            return _ENGLISH_PATTERNS[skeleton]
        if skeleton == "full":
            return str(self.locale.date_formats["full"].pattern)
        return str(self.locale.datetime_skeletons[skeleton].pattern)


def _filled(text: str, values: dict[str, Any]) -> str:
    """`text % values`; a value that ends a sentence with its own stop ("1. Dez.") takes the
    place of the sentence's stop, so no sentence ends "Dez.."."""
    for name, value in values.items():
        if isinstance(value, str) and value.endswith("."):
            text = text.replace(f"%({name})s.", f"%({name})s")
    return text % values


def _catalog(tag: str) -> gettext.NullTranslations:
    """The .po compiled in memory; fuzzy entries are left out, as msgfmt would."""
    if tag == ENGLISH:
        return gettext.NullTranslations()
    path = LOCALES / tag / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        catalog = read_po(po, locale=tag)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _read_words(tag: str) -> dict[str, Any]:
    path = LOCALES / tag / "words.toml"
    with path.open("rb") as toml:
        return tomllib.load(toml)


def _merged(*tables: Mapping[str, Any]) -> dict[str, list[str]]:
    """Each table maps a key to a list of words; lists of the same key are joined, in order."""
    merged: dict[str, list[str]] = {}
    for table in tables:
        for key, words in table.items():
            merged.setdefault(key, [])
            merged[key] += [w.lower() for w in words if w.lower() not in merged[key]]
    return merged


def _words(tag: str) -> Words:
    own = _read_words(tag)
    english = _read_words(ENGLISH) if tag != ENGLISH else {}
    # The user's language first: on weekday prefixes it wins a tie-break over English.
    sources = [own, english] if english else [own]

    def table(name: str) -> dict[str, list[str]]:
        return _merged(*(source.get(name, {}) for source in sources))

    reply, effort, units, settings = (
        table("reply"),
        table("effort"),
        table("units"),
        table("settings"),
    )
    days = [table("weekdays").get(str(n), []) for n in range(1, 8)]
    months = [table("months").get(str(n), []) for n in range(1, 13)]
    return Words(
        reply=ReplyWords(
            effort={word: Effort(name) for name in ("easy", "ok", "hard") for word in effort[name]},
            units={word: Unit.KG for word in units["kg"]} | {word: Unit.LB for word in units["lb"]},
            reps=frozenset(reply["reps"]),
            times=frozenset(reply["times"]),
            leg_separators=frozenset(reply["leg_separators"]),
            sides={word: "left" for word in reply["left"]}
            | {word: "right" for word in reply["right"]},
            each=frozenset(reply["each"]),
            legs=frozenset(reply["legs"]),
        ),
        days=DayWords(
            names=tuple(tuple(names) for names in days),
            joiners=tuple(reply["joiners"]),
        ),
        dates=DateWords(
            months=tuple(tuple(names) for names in months),
            tomorrow=tuple(table("dates")["tomorrow"]),
            days=tuple(table("dates")["days"]),
            weeks=tuple(table("dates")["weeks"]),
            one=tuple(table("dates")["one"]),
        ),
        hour_words=tuple(reply["hours"]),
        skip=frozenset(settings["skip"]),
        kg=frozenset(units["kg"]),
        lb=frozenset(units["lb"]),
        dumbbells=tuple(settings[Equipment.DUMBBELLS.value]),
        barbell=tuple(settings[Equipment.BARBELL.value]),
        lifts=LiftWords(
            names={
                word: slug
                for slug, names in table("lifts").items()
                if slug != "qualifiers"
                for word in names
            },
            qualifiers=frozenset(table("lifts").get("qualifiers", [])),
            joiners=frozenset(reply["joiners"]),
        ),
    )


@cache
def language(tag: str) -> Language:
    """The shipped language `tag` (English for an unknown one), built once per process."""
    tag = language_of(tag)
    return Language(
        tag=tag,
        translations=_catalog(tag),
        locale=Locale.parse(_BABEL_LOCALES[tag]),
        words=_words(tag),
    )


_current: ContextVar[str] = ContextVar("language", default=ENGLISH)


def use(tag: str) -> None:
    """From here on in this update (this task), texts are in `tag`."""
    _current.set(language_of(tag))


@contextmanager
def speaking(tag: str) -> Iterator[Language]:
    """Texts made inside the block are in `tag`; the language before it is restored after."""
    token = _current.set(language_of(tag))
    try:
        yield language(tag)
    finally:
        _current.reset(token)


def current() -> Language:
    return language(_current.get())


def _(message: str, **values: Any) -> str:
    """The message in the current language, its `%(name)s` placeholders filled."""
    return current().gettext(message, **values)


def ngettext(singular: str, plural: str, count: int, **values: Any) -> str:
    """The plural form for `count` in the current language; `%(count)s` is the count."""
    return current().ngettext(singular, plural, count, **values)
