"""The user's language: from Telegram's language_code, changed with /language, everywhere."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, time, timedelta

import icalendar
import time_machine
from sqlalchemy import func, select

from bot.storage.database import Database
from bot.storage.models import LoggedSet
from tests.e2e.harness import RunningBot, settings_for, stored_user
from tests.e2e.test_reminders import bot_at, day
from tests.e2e.transcript import Transcript
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
    assert "Alles klar! Dienstag und Freitag um 19:00" in done.html, done.html
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
    assert "Готово! Тренировки: вторник и пятница в 07:30" in text_of(done)
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
    assert (await ann.wait_edit(asked.message_id)).buttons() == []  # the question is answered
    assert (await stored_user(bot, 6020)).language == "ru"
    await ann.send("/settings")
    assert "<b>Твои настройки</b>" in (await ann.reply()).html
    # Typed answers in the chosen language are understood.
    await ann.send("/pause 3 дня")
    assert "Напоминания на паузе" in text_of(await ann.reply())
    await ann.send("/language")
    await ann.reply()
    # Her chat's command menu follows the choice, though her app is in German.
    menu = {c["command"]: c["description"] for c in fake.commands_for("de", ann.id)}
    assert menu["language"] == "Сменить язык тренера"
    await ann.tap("English")
    assert "I'll coach you in English" in text_of(await ann.reply())
    menu = {c["command"]: c["description"] for c in fake.commands_for("de", ann.id)}
    assert menu["language"] == "Change the language I coach you in"
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


# --- a full first workout, typed in the user's language --------------------------------------


@dataclass(frozen=True)
class FullWorkout:
    """What a user types at each step, in their language, and what the coach must say."""

    language: str
    name: str
    deadlift: tuple[str, str, str]  # three sets
    effort_alone: str  # the answer to "2 more reps?" on its own
    leg_curl: tuple[str, str, str]
    effort_ok: str
    squat: tuple[str, str, str]
    effort_hard: str
    lunge: tuple[str, str, str]  # the last one carries its effort word
    expected: tuple[str, ...]  # in the summary's HTML


FULL_WORKOUTS = {
    "ru": FullWorkout(
        language="ru",
        name="Ольга",
        deadlift=("10 раз на 42,5 кг", "11", "12"),
        effort_alone="легко",
        leg_curl=("12 по 30", "12", "11 повторений"),
        effort_ok="норм",
        squat=("10 x 50", "9", "8"),
        effort_hard="тяжело",
        lunge=("10 и 9 на 12", "10 на каждую ногу", "11 и 9 тяжело"),
        expected=(
            "<b>Тренировка завершена</b>",
            "<b>Становая тяга на прямых ногах</b>: 10 × 42,5 кг, 11 × 42,5 кг, 12 × 42,5 кг",
            "<b>Выпады</b>: 10/9 × 12 кг, 10 × 12 кг, 11/9 × 12 кг (каждая гантель)",
            "Объём 1403 кг · лучший подход 12 × 42,5 кг",
            "Следующая тренировка:",
        ),
    ),
    "de": FullWorkout(
        language="de",
        name="Grete",
        deadlift=("10 mit 42,5 kg", "11", "12"),
        effort_alone="locker",
        leg_curl=("12 x 30", "12", "11 Wdh"),
        effort_ok="passt",
        squat=("10 mit 50", "9", "8"),
        effort_hard="schwer",
        lunge=("10 und 9 mit 12", "10 je Bein", "11 und 9 schwer"),
        expected=(
            "<b>Training geschafft</b>",
            "<b>Kreuzheben mit gestreckten Beinen</b>: 10 × 42,5 kg, 11 × 42,5 kg, 12 × 42,5 kg",
            "<b>Ausfallschritt</b>: 10/9 × 12 kg, 10 × 12 kg, 11/9 × 12 kg (je Hantel)",
            "Volumen 1403 kg · bester Satz 12 × 42,5 kg",
            "Nächstes Training:",
        ),
    ),
    "es": FullWorkout(
        language="es",
        name="Lucía",
        deadlift=("10 con 42,5 kg", "11", "12"),
        effort_alone="fácil",
        leg_curl=("12 x 30", "12", "11 reps"),
        effort_ok="bien",
        squat=("10 con 50", "9", "8"),
        effort_hard="difícil",
        lunge=("10 y 9 con 12", "10 cada pierna", "11 y 9 duro"),
        expected=(
            "<b>Peso muerto con piernas rectas</b>: 10 × 42,5 kg, 11 × 42,5 kg, 12 × 42,5 kg",
            "<b>Zancada</b>: 10/9 × 12 kg, 10 × 12 kg, 11/9 × 12 kg (cada mancuerna)",
            "Volumen 1403 kg · mejor serie 12 × 42,5 kg",
            "Próximo entrenamiento:",
        ),
    ),
    "pt_BR": FullWorkout(
        language="pt_BR",
        name="Ana",
        deadlift=("10 com 42,5 kg", "11", "12"),
        effort_alone="fácil",
        leg_curl=("12 x 30", "12", "11 reps"),
        effort_ok="normal",
        squat=("10 com 50", "9", "8"),
        effort_hard="pesado",
        lunge=("10 e 9 com 12", "10 cada perna", "11 e 9 pesado"),
        expected=(
            "<b>Stiff</b>: 10 × 42,5 kg, 11 × 42,5 kg, 12 × 42,5 kg",
            "<b>Afundo</b>: 10/9 × 12 kg, 10 × 12 kg, 11/9 × 12 kg (cada halter)",
            "Volume 1403 kg · melhor série 12 × 42,5 kg",
            "Próximo treino:",
        ),
    ),
}


async def play_full_workout(
    fake: FakeBotAPI,
    database_url: str,
    language: str,
    rest_seconds: int = 0,
    traveller: time_machine.Traveller | None = None,
) -> str:
    """Onboarding skipped, then a whole first workout typed in `language` (each set typed
    before its rest is over); returns the transcript. Checks the summary on the way."""
    script = FULL_WORKOUTS[language]
    bot = RunningBot(settings_for(fake, database_url, rest_seconds=rest_seconds))
    await bot.start()
    try:
        user = fake.user(6100 + len(language), script.name, language_code=language)
        chat = Transcript(fake, user)

        async def send(text: str, changes: int) -> list[BotMessage]:
            chat.said(text)
            await user.send(text)
            got = await user.changes(changes)
            chat.read()
            return got

        await send("/start", 1)
        for step in range(7):  # every onboarding question skipped, by its own button
            question = user.messages[-1]
            skip = (question.buttons() or question.keyboard())[-1][0]
            chat.tapped(skip)
            if question.buttons():
                await user.tap(skip, message=question)
            else:
                await user.send(skip)  # the time zone's reply keyboard
            await user.changes(2 if step == 1 else 1)
            chat.read()
        await send("/start_workout", 2)
        exercises = (
            (script.deadlift, script.effort_alone),
            (script.leg_curl, script.effort_ok),
            (script.squat, script.effort_hard),
        )
        for sets, effort in exercises:
            for typed in sets:
                await send(typed, 1)
                if traveller is not None and typed == script.deadlift[0]:
                    # One rest runs its course: the live message arrives anew, to buzz.
                    traveller.shift(timedelta(seconds=rest_seconds + 1))
                    chat.note(f"{rest_seconds} s later")
                    await user.changes(1)
                    chat.read()
            await send(effort, 3)  # the exercise folds, the next card, its live message
        first, second, last = script.lunge
        await send(first, 1)
        await send(second, 1)
        _folded, summary = await send(last, 2)  # its effort word answers the last question
        for expected in script.expected:
            assert expected in summary.html, summary.html
        return chat.text()
    finally:
        await bot.stop()


async def test_a_full_first_workout_typed_in_russian(
    fake: FakeBotAPI, database_url: str, db: Database
) -> None:
    transcript = await play_full_workout(fake, database_url, "ru")
    assert "Подход 1 из 3" in transcript and "Ещё 2 повторения были бы по силам?" in transcript
    assert await _sets_logged(db, 6102) == 12


async def test_a_full_first_workout_typed_in_german(
    fake: FakeBotAPI, database_url: str, db: Database
) -> None:
    transcript = await play_full_workout(fake, database_url, "de")
    assert "Satz 1 von 3" in transcript and "Hättest du noch 2 Wiederholungen" in transcript
    assert await _sets_logged(db, 6102) == 12


async def test_a_full_first_workout_typed_in_spanish(
    fake: FakeBotAPI, database_url: str, db: Database
) -> None:
    transcript = await play_full_workout(fake, database_url, "es")
    assert "Serie 1 de 3" in transcript
    assert await _sets_logged(db, 6102) == 12


async def test_a_full_first_workout_typed_in_brazilian_portuguese(
    fake: FakeBotAPI, database_url: str, db: Database
) -> None:
    await play_full_workout(fake, database_url, "pt_BR")
    assert await _sets_logged(db, 6105) == 12


async def _sets_logged(db: Database, user_id: int) -> int:
    async with db.reading() as session:
        query = select(func.count()).select_from(LoggedSet).where(LoggedSet.user_id == user_id)
        return int((await session.execute(query)).scalar_one())


async def test_switching_language_mid_workout_changes_the_next_message_and_loses_nothing(
    bot: RunningBot, fake: FakeBotAPI, db: Database
) -> None:
    grete = fake.user(6200, "Grete", language_code="de")
    await grete.send("/start_workout")
    card, live = await grete.changes(2)
    assert "1/4 · Kreuzheben mit gestreckten Beinen" in text_of(card)
    assert "Satz 1 von 3" in text_of(live)
    await grete.send("10 mit 40")
    live = await grete.changed()
    assert "✅ Satz 1 · 10 × 40 kg" in text_of(live) and "Satz 2 von 3" in text_of(live)

    await grete.send("/language")
    await grete.changed()
    await grete.tap("Русский")
    answered, done = await grete.changes(2)
    assert answered.buttons() == [] and "по-русски" in text_of(done)

    # The very next message is Russian, the set before the switch still there.
    await grete.tap("11", message=live)
    live = await grete.changed()
    assert "✅ Подход 1 · 10 × 40 кг" in text_of(live)
    assert "✅ Подход 2 · 11 × 40 кг" in text_of(live)
    assert "Подход 3 из 3" in text_of(live)
    assert live.buttons()[-1] == ["↩️ Отменить подход 2"]
    # Russian words are understood now, German ones no longer needed.
    await grete.send("12 легко")
    _folded, card, live = await grete.changes(3)
    assert "2/4 · Сгибание ног лёжа" in text_of(card)
    assert await _sets_logged(db, 6200) == 3


async def test_questions_before_logging_are_asked_in_the_users_language(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    """`3x10` and a load far from the last one are asked about, in German."""
    grete = fake.user(6300, "Grete", language_code="de")
    await grete.send("/start_workout")
    await grete.changes(2)
    await grete.send("10 mit 40")
    await grete.changed()
    await grete.send("3x10")
    asked = await grete.changed()
    assert "3 Sätze à 10 Wdh. mit 40 kg oder ein Satz mit 3 Wdh. und 10 kg?" in text_of(asked)
    assert asked.buttons() == [["3 Sätze à 10"], ["3 Wdh. mit 10 kg"]]
    await grete.send("10 x 400")
    far = await grete.changed()
    assert "400 kg? Das ist weit weg von deinen bisherigen 40 kg." in text_of(far)
    assert far.buttons() == [["400 kg eintragen"], ["Es waren 40 kg"]]
    await grete.tap("Es waren 40 kg")
    answered, live = await grete.changes(2)
    assert answered.buttons() == []
    assert "✅ Satz 2 · 10 × 40 kg" in text_of(live), text_of(live)


async def test_the_apps_language_is_followed_until_one_is_chosen(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    """Reminders, which answer no message, speak the app's latest language too."""
    sam = fake.user(6400, "Sam", language_code="en")
    await sam.send("/start")
    assert "Kilograms or pounds?" in text_of(await sam.reply())
    sam.language_code = "ru"  # the app switched to Russian
    await sam.send("/settings")
    assert "Твои настройки" in text_of(await sam.reply())
    stored = await stored_user(bot, 6400)
    assert (stored.language, stored.language_code) == (None, "ru")
