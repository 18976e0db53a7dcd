"""Every shipped language is complete, well-formed and fits Telegram.

Fails when a message of the code lacks a translation in a shipped language (or the catalogs
were not updated after a text changed), is fuzzy, has placeholders other than the English, or
breaks Telegram's HTML or a length limit once its placeholders are filled with long values.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from gettext import c2py
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from bot import i18n
from bot.emulator.telegram_html import HtmlError, parse_html, utf16_length

BOT = Path(i18n.__file__).resolve().parent
TRANSLATED = [tag for tag in i18n.SHIPPED if tag != i18n.ENGLISH]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
TAG = re.compile(r"</?([a-z-]+)[^>]*>")
# Long values for every placeholder: a long first name, a long zone, a big number of workouts.
LONG_VALUE = "W" * 64
MAX_CAPTION = 1024  # the tightest limit a text of ours may meet (captions; messages: 4096)
MAX_CALLBACK_ANSWER = 200


def _catalog(tag: str) -> Catalog:
    with (BOT / "locales" / tag / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=tag)


def _code_messages() -> set[str]:
    """The msgids the code holds now, extracted as `pybabel extract -F babel.cfg -k N_` does."""
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(BOT), method_map=[("**.py", "python")], keywords=keywords
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _messages(catalog: Catalog) -> Iterator[Message]:
    return (message for message in catalog if message.id)


def _ids(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, (list, tuple)) else (message.id,)


def _strings(message: Message) -> tuple[str, ...]:
    """The translations (an untranslated message fails its own test, not every test)."""
    string = message.string
    return tuple(string) if isinstance(string, (list, tuple)) else (string,)


def _fill(text: str) -> str:
    return PLACEHOLDER.sub(LONG_VALUE, text.replace("%%", "%"))


@pytest.fixture(scope="module", params=TRANSLATED)
def catalog(request: pytest.FixtureRequest) -> Catalog:
    return _catalog(request.param)


def test_the_template_and_catalogs_hold_every_message_of_the_code(catalog: Catalog) -> None:
    in_code = _code_messages()
    with (BOT / "locales" / "messages.pot").open("rb") as pot:
        template = {_ids(m)[0] for m in _messages(read_po(pot))}
    in_catalog = {_ids(m)[0] for m in _messages(catalog)}
    assert in_code - template == set(), "run pybabel extract (bot/locales/README.md)"
    assert in_code - in_catalog == set(), "run pybabel update (bot/locales/README.md)"
    assert in_catalog - in_code == set(), "catalog holds messages the code no longer uses"


def test_every_message_is_translated_and_none_is_fuzzy(catalog: Catalog) -> None:
    plurals = catalog.num_plurals
    for message in _messages(catalog):
        assert not message.fuzzy, f"{catalog.locale}: fuzzy {message.id!r}"
        strings = _strings(message)
        assert all(strings), f"{catalog.locale}: untranslated {message.id!r}"
        if message.pluralizable:
            assert len(strings) == plurals, f"{catalog.locale}: plural forms of {message.id!r}"


def test_babel_checks_pass(catalog: Catalog) -> None:
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check() if errors]
    assert problems == []


def _only_for_one(catalog: Catalog) -> set[int]:
    """The plural forms used for n == 1 alone: those may say "a minute" without the count."""
    form_of = c2py(catalog.plural_expr)
    numbers: dict[int, set[int]] = {}
    for n in range(1000):
        numbers.setdefault(form_of(n), set()).add(n)
    return {form for form, ns in numbers.items() if ns == {1}}


def test_placeholders_are_those_of_the_english(catalog: Catalog) -> None:
    for_one = _only_for_one(catalog)
    for message in _messages(catalog):
        ids = _ids(message)
        english = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for form, string in enumerate(_strings(message)):
            if not string:
                continue
            found = set(PLACEHOLDER.findall(string))
            if message.pluralizable and form in for_one:
                found |= {"count"}
            assert found == english, f"{catalog.locale}: {message.id!r} -> {string!r}"
            # A lone % would break the %-formatting: only %(name)s and %%.
            assert "%" not in PLACEHOLDER.sub("", string).replace("%%", ""), string


def test_translations_are_telegram_html_with_the_english_tags(catalog: Catalog) -> None:
    for message in _messages(catalog):
        english_tags = Counter(TAG.findall(_ids(message)[0]))
        for string in filter(None, _strings(message)):
            try:
                parse_html(_fill(string))
            except HtmlError as error:
                pytest.fail(f"{catalog.locale}: {string!r}: {error}")
            assert Counter(TAG.findall(string)) == english_tags, string


def test_filled_translations_fit_telegram(catalog: Catalog) -> None:
    for message in _messages(catalog):
        for string in _strings(message):
            visible = parse_html(_fill(string)).text
            assert utf16_length(visible) <= MAX_CAPTION, string


def test_short_answers_fit_a_callback_answer(catalog: Catalog) -> None:
    """The texts shown as a tap's answer (a toast): 200 characters at most."""
    answers = {"That button has expired.", "Drawing your chart…", "Kept"}
    answers |= {"That workout isn't in your history."}
    for message in _messages(catalog):
        if _ids(message)[0] in answers:
            assert all(len(s) <= MAX_CALLBACK_ANSWER for s in _strings(message))


def test_english_placeholders_are_named() -> None:
    """Positional placeholders can't be reordered by a translator."""
    for message in _code_messages():
        assert not re.search(r"%[sd]", message.replace("%%", "")), message


def test_every_shipped_language_loads_and_a_telegram_code_finds_it() -> None:
    for tag in i18n.SHIPPED:
        assert i18n.language(tag).tag == tag
    assert i18n.language_of("pt-br") == "pt_BR"
    assert i18n.language_of("pt") == "pt_BR"
    assert i18n.language_of("de-AT") == "de"
    assert i18n.language_of("RU") == "ru"
    assert i18n.language_of("fr") == "en"
    assert i18n.language_of(None) == "en"
    assert i18n.language_for("ru", "de") == "ru"
    assert i18n.language_for(None, "de") == "de"


def test_russian_has_three_plural_forms() -> None:
    russian = i18n.language("ru")
    forms = [russian.ngettext("%(count)s workout", "%(count)s workouts", n) for n in (1, 2, 5)]
    assert forms == ["1 тренировка", "2 тренировки", "5 тренировок"]


def test_numbers_and_dates_follow_the_locale() -> None:
    from datetime import date
    from decimal import Decimal

    german = i18n.language("de")
    assert german.load(42_500, i18n.Unit.KG) == "42,5 kg"
    assert german.day(date(2026, 12, 1)) == "Dienstag, 1. Dez."
    assert german.amount(Decimal("40.00")) == "40"
    assert i18n.language("en").day(date(2026, 12, 1)) == "Tuesday 1 Dec"
    assert i18n.language("en").load(42_500, i18n.Unit.KG) == "42.5 kg"


# Texts shown on buttons: short enough to read on a phone, two to a row.
BUTTON_LABELS = {
    "Units",
    "Time zone",
    "Training days",
    "Reminder time",
    "Squat kit",
    "Lunge kit",
    "Starting loads",
    "Bar weight",
    "Skip",
    "Keep as is",
    "Dumbbells",
    "Barbell",
    "For a week",
    "For two weeks",
    "Until I /resume",
    "📈 Chart",
    "◀ Previous",
    "Next ▶",
    "Yes, erase everything",
    "No, keep my data",
    "Start workout",
    "📍 Share my location",
    "kg",
    "lb",
    "Form cues",
    "Train anyway",
    "I'll rest",
    "Keep my sets",
    "Discard them",
    "Skip rest",
    "Yes, easily",
    "Just about",
    "No, it was hard",
    "Undo set %(number)s",
    "%(sets)s sets of %(each)s",
}
MAX_LABEL = 28


def test_button_labels_are_short(catalog: Catalog) -> None:
    seen = set()
    for message in _messages(catalog):
        if _ids(message)[0] in BUTTON_LABELS:
            seen.add(_ids(message)[0])
            for string in _strings(message):
                label = PLACEHOLDER.sub("12", string)  # counts and set numbers are short
                assert len(label) <= MAX_LABEL, f"{catalog.locale}: {string!r}"
    assert seen == BUTTON_LABELS, "a label left the code: update BUTTON_LABELS"
