"""The user's language: from Telegram's language_code, changed with /language, everywhere."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, time, timedelta

import icalendar

from bot.storage.database import Database
from tests.e2e.harness import RunningBot, stored_user
from tests.e2e.test_reminders import bot_at, day
from tests.factories import add_user, add_workout
from tests.fakes.bot_api import BotMessage, FakeBotAPI

FIRST = date(2025, 3, 3)  # a Monday; then every Monday and Thursday


def text_of(message: BotMessage) -> str:
    return message.text or ""


async def test_german_onboarding_typed_in_german(bot: RunningBot, fake: FakeBotAPI) -> None:
    ann = fake.user(6001, "Ann", language_code="de")
    await ann.send("/start")
    hello = await ann.reply()
    assert "Hallo Ann!" in text_of(hello) and "Kilogramm oder Pfund?" in text_of(hello)
    await ann.send("kilo")
    zone = await ann.reply()
    assert "In welcher Zeitzone bist du?" in text_of(zone)
    assert zone.keyboard()[0] == ["📍 Standort teilen"]
    await ann.send("Europe/Berlin")
    confirmed, days = await ann.replies(2)
    assert "Zeitzone: Europe/Berlin" in text_of(confirmed)
    assert ["Di & Fr", "Di & Sa"] in days.buttons()
    await ann.send("Mo Di")
    assert "zu wenig Erholung" in text_of(await ann.reply())
    await ann.send("Di und Fr")
    asked_time = await ann.reply()
    assert "Wann soll ich dich" in text_of(asked_time)
    await ann.send("19 Uhr")
    await ann.reply()
    await ann.send("Langhantel")
    await ann.reply()
    await ann.send("Kurzhanteln")
    loads = await ann.reply()
    assert "Startgewichte" in text_of(loads)
    await ann.send("überspringen")
    done = await ann.reply()
    assert "Alles klar! Dienstag &amp; Freitag um 19:00" in done.html, done.html
    # "Dienstag, 1. Dez.": the locale's weekday and date.
    assert re.search(
        r"Ich erinnere dich am (Dienstag|Freitag), \d{1,2}\. \w+\.? um 19:00\.", done.html
    )
    user = await stored_user(bot, 6001)
    assert (user.unit, user.day_one, user.day_two, user.reminder_time) == (
        "kg",
        1,
        4,
        time(19, 0),
    )
    assert (user.squat_equipment, user.lunge_equipment) == ("barbell", "dumbbells")
    assert user.language is None, "nothing chosen: Telegram's language is followed"

    await ann.send("/help")
    help_text = text_of(await ann.reply())
    assert "Kreuzheben mit gestreckten Beinen" in help_text
    assert "/language — Sprache des Coachs ändern" in help_text


async def test_russian_onboarding_typed_in_russian(bot: RunningBot, fake: FakeBotAPI) -> None:
    ivan = fake.user(6002, "Иван", language_code="ru")
    await ivan.send("/start")
    assert "Привет, Иван!" in text_of(await ivan.reply())
    await ivan.send("кг")
    await ivan.reply()
    await ivan.send("Europe/Moscow")
    confirmed, days = await ivan.replies(2)
    assert "Часовой пояс: Europe/Moscow" in text_of(confirmed)
    assert ["Вт & Пт", "Вт & Сб"] in days.buttons()
    await ivan.send("вт и пт")
    await ivan.reply()
    await ivan.send("7:30")
    await ivan.reply()
    await ivan.send("штанга")
    await ivan.reply()
    await ivan.send("гантели")
    await ivan.reply()
    await ivan.send("пропустить")
    done = await ivan.reply()
    assert "Готово! Вторник и Пятница в 07:30" in text_of(done)
    user = await stored_user(bot, 6002)
    assert (user.day_one, user.day_two, user.reminder_time) == (1, 4, time(7, 30))
    assert (user.squat_equipment, user.lunge_equipment) == ("barbell", "dumbbells")


async def _twelve_workouts(db: Database, user_id: int, count: int = 12) -> None:
    await add_user(db, user_id, first_name="Cy")
    days = [FIRST + timedelta(days=7 * (n // 2) + 3 * (n % 2)) for n in range(count)]
    for number, on in enumerate(days, start=1):
        await add_workout(
            db,
            user_id,
            on,
            {"deadlift": [(10, 40_000 + 500 * number)] * 3, "lunge": [(10, 9, 8_000)] * 3},
            minutes=40 + number,
            effort="hard",
        )


async def test_german_history_and_progress(bot: RunningBot, fake: FakeBotAPI, db: Database) -> None:
    await _twelve_workouts(db, 6003)
    cy = fake.user(6003, "Cy", language_code="de-AT")
    await cy.send("/history")
    page = await cy.reply()
    assert "<b>Deine Trainings</b> · 1–5 von 12, neueste zuerst" in page.html
    assert "Do., 10. Apr. 2025 · 6 Sätze · 52 Min." in text_of(page)
    assert page.buttons()[-1] == ["Weiter ▶"]
    await cy.tap("Do., 10. Apr. 2025", message=page)
    sets = text_of(await cy.reply())
    assert "Donnerstag, 10. April 2025" in sets
    assert "Kreuzheben mit gestreckten Beinen: 10 × 46 kg, 10 × 46 kg" in sets
    assert "Ausfallschritt: 10/9 × 8 kg, 10/9 × 8 kg, 10/9 × 8 kg (je Hantel)" in sets
    assert "letzter Satz: es war schwer" in sets

    await cy.send("/progress")
    report = await cy.reply()
    assert "<b>Dein Fortschritt</b> · 12 Trainings geschafft" in report.html
    assert "Arbeitsgewicht 46 kg" in text_of(report)
    assert report.buttons() == [["📈 Diagramm"]]


async def test_russian_plural_forms(bot: RunningBot, fake: FakeBotAPI, db: Database) -> None:
    """One, few and many: 1 тренировка, 2 тренировки, 5 тренировок."""
    for user_id, count, expected in (
        (6011, 1, "1 тренировка позади"),
        (6012, 2, "2 тренировки позади"),
        (6015, 5, "5 тренировок позади"),
    ):
        await _twelve_workouts(db, user_id, count)
        user = fake.user(user_id, "Cy", language_code="ru")
        await user.send("/progress")
        report = text_of(await user.reply())
        assert expected in report, report
        await user.send("/history")
        page = text_of(await user.reply())
        assert "6 подходов" in page


async def test_language_switch_is_stored_and_wins_over_telegram(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(6020, "Ann", language_code="de")
    await ann.send("/start")
    await ann.reply()
    await ann.send("/language")
    asked = await ann.reply()
    assert "Jetzt: Deutsch" in text_of(asked)
    assert ["Deutsch", "Русский"] in asked.buttons()
    await ann.tap("Русский")
    assert "теперь я тренирую тебя по-русски" in text_of(await ann.reply())
    assert (await stored_user(bot, 6020)).language == "ru"
    await ann.send("/settings")
    assert "<b>Твои настройки</b>" in (await ann.reply()).html
    # Typed answers in the chosen language are understood.
    await ann.send("/pause 3 дня")
    assert "Напоминания на паузе" in text_of(await ann.reply())
    await ann.send("/language")
    await ann.reply()
    await ann.tap("English")
    assert "I'll coach you in English" in text_of(await ann.reply())
    await ann.send("/resume")
    assert "Reminders are on." in text_of(await ann.reply())


async def test_command_menu_per_language(bot: RunningBot, fake: FakeBotAPI) -> None:
    def described(language: str | None) -> dict[str, str]:
        return {c["command"]: c["description"] for c in fake.commands_for(language)}

    assert described(None)["start_workout"] == "Start or resume today's workout"
    assert described("de")["start_workout"] == "Heutiges Training starten oder fortsetzen"
    assert described("ru")["language"] == "Сменить язык тренера"
    assert described("pt-br").keys() == described(None).keys()
    assert described("fr") == described(None), "a language we don't ship gets English"


async def test_reminders_are_written_in_each_users_language(
    fake: FakeBotAPI, database_url: str
) -> None:
    """The sweep writes to each user in theirs: Telegram's language, or the one chosen."""
    grete = fake.user(6030, "Grete", language_code="de")
    olga = fake.user(6031, "Olga", language_code="en")  # chose Russian with /language
    sam = fake.user(6032, "Sam", language_code="fr")
    async with bot_at(fake, database_url, day(2, 12)) as (_bot, traveller):  # Wednesday noon
        await olga.send("/language")
        await olga.reply()
        await olga.tap("Русский")
        await olga.reply()
        for user, answers in (
            (grete, ("kg", "UTC", "Mo Do", "18 Uhr", "weiter", "weiter", "weiter")),
            (olga, ("кг", "UTC", "пн чт", "18:00", "нет", "нет", "нет")),
            (sam, ("kg", "UTC", "Mon Thu", "18:00", "skip", "skip", "skip")),
        ):
            await user.send("/start")
            await user.reply()
            for number, answer in enumerate(answers):
                await user.send(answer)
                await user.replies(2 if number == 1 else 1)
        traveller.move_to(day(3, 18) + timedelta(seconds=1))  # Thursday 18:00 UTC
        german, russian, english = await grete.reply(), await olga.reply(), await sam.reply()
    assert "<b>Trainingstag</b>, Grete! Dein üblicher Donnerstag." in german.html
    assert "Der Plan für heute:" in text_of(german)
    assert german.buttons() == [["Training starten"]]
    assert "<b>День тренировки</b>, Olga! Твой обычный день — четверг." in russian.html
    assert "Становая тяга на прямых ногах" in text_of(russian)
    assert russian.buttons() == [["Начать тренировку"]]
    assert "<b>Training day</b>, Sam! Your usual Thursday." in english.html


async def test_russian_export_names_our_columns_and_events_in_russian(
    bot: RunningBot, fake: FakeBotAPI, db: Database
) -> None:
    await _twelve_workouts(db, 6040, 2)
    olga = fake.user(6040, "Olga", language_code="ru")
    await olga.send("/export")
    sets_file, plan_file = await olga.replies(2)
    assert sets_file.file_bytes is not None and plan_file.file_bytes is not None
    header = next(csv.reader(io.StringIO(sets_file.file_bytes.decode("utf-8"))))
    assert header[:3] == ["Date", "Workout Name", "Duration"], "Strong's own headers stay"
    assert header[-5:] == [
        "Единица веса",
        "Повторы другой ногой",
        "Нагрузка",
        "ID тренировки",
        "Записано",
    ]
    assert "Все записанные подходы (12)" in text_of(sets_file)
    event = next(iter(icalendar.Calendar.from_ical(plan_file.file_bytes).walk("VEVENT")))
    assert str(event["SUMMARY"]) == "Тренировка задней поверхности бедра и ягодиц"
    assert "Становая тяга на прямых ногах: 3 × 8–12" in str(event["DESCRIPTION"])
    assert "0 секунд отдыха между подходами." in str(event["DESCRIPTION"])  # tests rest 0 s
