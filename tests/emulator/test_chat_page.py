"""`coach-bot try` end to end: the real coach behind the chat page, played over the page's
JSON API and WebSocket as the page's script does (tests/browser drives a real browser)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest

from bot import clock
from bot.emulator.chat_page import user_id_for
from bot.tryout import TryOut
from tests.emulator.page_tab import Json, PageTab


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
async def ann(tryout: TryOut, session: aiohttp.ClientSession) -> AsyncIterator[PageTab]:
    tab = PageTab(session, tryout.emulator.origin)
    await tab.hello("Ann")
    yield tab
    await tab.close()


async def onboard(tab: PageTab) -> None:
    """Onboarding by typed answers: kg, UTC, Monday and Thursday at 18:00, defaults after."""
    await tab.send("/start")
    await tab.bot_says("Kilograms or pounds?")
    for answer, asked in (
        ("kg", "time zone"),
        ("UTC", "Which two days"),
        ("Mon Thu", "remind you"),
        ("18:00", ""),
    ):
        await tab.send(answer)
        await tab.bot_says(asked)
    for _ in range(3):
        await tab.send("skip")
    await tab.bot_says("All set!")


async def test_a_tab_trains_with_the_real_coach_and_corrects_a_set_by_editing(
    ann: PageTab,
) -> None:
    commands = [command["command"] for command in ann.state["commands"]]
    assert "start_workout" in commands and "progress" in commands  # the bot's setMyCommands
    assert ann.state["messages"] == [] and ann.state["clock"]["ahead_seconds"] == 0
    assert abs(ann.state["clock"]["now"] - clock.now().timestamp()) < 5

    await ann.send("/start_workout")
    card = await ann.bot_says("1/4 · Straight-leg deadlift")
    assert card["buttons"] == [[{"text": "Form cues", "kind": "callback"}]]
    # Formatting arrives as text plus entities, never as HTML for the page to trust.
    assert "<b>" not in card["text"] and "bold" in {e["type"] for e in card["entities"]}
    await ann.bot_says("Set 1 of 3")
    await ann.press(card, "Form cues")
    await ann.bot_says("Watch for")

    logged = await ann.send("10 x 40")
    live = await ann.bot_says("✅ Set 1 · 10 × 40 kg")  # edited into the live message
    assert "next: set 2, 40 kg" in live["text"]  # the try-out rests a minute
    await ann.act("/api/edit", message_id=logged, text="12 x 40")
    mine = await ann.event(lambda e: e["type"] == "message" and e["message"]["id"] == logged)
    assert mine["message"]["text"] == "12 x 40" and mine["message"]["edited"]
    await ann.bot_says("Corrected Straight-leg deadlift, set 1: 10 × 40 kg → 12 × 40 kg")


async def test_the_demo_clock_ends_a_rest_and_brings_the_training_day_reminder(
    ann: PageTab,
) -> None:
    await onboard(ann)
    await ann.send("/start_workout")
    await ann.bot_says("Set 1 of 3")
    await ann.send("10 x 40")
    resting = await ann.bot_says("⏱ Rest until")
    # try mode rests a real minute; a minute on the demo clock ends it now.
    answer = await ann.act("/api/clock", minutes=1)
    assert answer["clock"]["ahead_seconds"] == 60
    assert abs(answer["clock"]["now"] - clock.now().timestamp()) < 5
    await ann.event(lambda e: e["type"] == "clock" and e["clock"]["ahead_seconds"] == 60)
    fresh = await ann.bot_says("Set 2 of 3")
    assert fresh["id"] != resting["id"]  # a new message, so the phone would buzz
    await ann.event(lambda e: e["type"] == "deleted" and e["message_id"] == resting["id"])
    await ann.send("/end")
    await ann.bot_says("Workout done")

    # Straight to the next training day's reminder (Mon or Thu at 18:00 UTC, within a week).
    before = clock.ahead()
    await ann.act("/api/clock", to="next_reminder")
    reminder = await ann.bot_says("Training day")
    assert reminder["buttons"] == [[{"text": "Start workout", "kind": "callback"}]]
    now = clock.now()
    assert (now.hour, now.minute) == (18, 0), now
    assert timedelta(minutes=1) < clock.ahead() - before <= timedelta(days=7)


async def test_sharing_a_location_picks_the_time_zone(ann: PageTab) -> None:
    await ann.send("/start")
    await ann.bot_says("Kilograms or pounds?")
    await ann.send("kg")
    keyboard = await ann.event(lambda e: e["type"] == "keyboard")
    first = keyboard["keyboard"]["keyboard"][0][0]
    assert first["request_location"] is True  # the page offers its location stand-in here
    await ann.act("/api/location", latitude=51.5072, longitude=-0.1276)  # London
    # The first location loads timezonefinder's data: seconds on a busy machine.
    await ann.bot_says("Time zone: Europe/London", within=30)
    removed = await ann.event(lambda e: e["type"] == "keyboard")
    assert removed["keyboard"] is None


async def test_photos_and_documents_are_served_to_the_page(
    ann: PageTab, session: aiohttp.ClientSession, tryout: TryOut
) -> None:
    await ann.send("/start_workout")
    await ann.bot_says("Set 1 of 3")
    await ann.send("10 x 40")
    await ann.bot_says("✅ Set 1 · 10 × 40 kg")
    await ann.send("/end")
    await ann.bot_says("Workout done")
    await ann.send("/progress")
    report = await ann.bot_says("Straight-leg deadlift")
    await ann.press(report, "📈 Chart")
    photo = await ann.event(lambda e: e["type"] == "message" and e["message"]["kind"] == "photo")
    async with session.get(tryout.emulator.origin + photo["message"]["file"]["url"]) as answer:
        assert answer.content_type == "image/png"
        assert (await answer.read()).startswith(b"\x89PNG")

    await ann.send("/export")
    document = await _document(ann, ".csv")
    async with session.get(tryout.emulator.origin + document["file"]["url"]) as answer:
        assert answer.content_type == "application/octet-stream"
        assert answer.headers["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
        assert document["file"]["name"] in answer.headers["Content-Disposition"]
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        rows = list(csv.reader(io.StringIO((await answer.read()).decode())))
    assert "Exercise Name" in rows[0] and len(rows) == 2


async def _document(tab: PageTab, suffix: str) -> Json:
    event = await tab.event(
        lambda e: (
            e["type"] == "message"
            and e["message"]["kind"] == "document"
            and e["message"]["file"]["name"].endswith(suffix)
        )
    )
    return dict(event["message"])


async def test_names_are_users_and_tabs_of_one_name_share_the_chat(
    tryout: TryOut, session: aiohttp.ClientSession, ann: PageTab
) -> None:
    ben = PageTab(session, tryout.emulator.origin)
    ann_again = PageTab(session, tryout.emulator.origin)
    await ben.hello("Ben")
    await ann_again.hello(" ann ")
    try:
        assert ben.user != ann.user and ann_again.user == ann.user == user_id_for("Ann")
        await ann.send("/help")
        help_text = await ann_again.bot_says("/start_workout")
        mine = [e for e in ann_again.events if e["type"] == "message"]
        assert mine[0]["message"]["from"] == "me" and mine[0]["message"]["text"] == "/help"
        assert help_text["from"] == "bot"
        # Ben's tab, open all along, heard nothing of Ann's chat: his first event is his own.
        await ben.send("/help")
        await ben.bot_says("/start_workout")
        assert [e["message"]["from"] for e in ben.events if "message" in e] == ["me", "bot"]
        # A fresh hello shows the whole chat so far.
        state = (await ann.post("/api/hello", name="Ann"))[1]
        assert [m["from"] for m in state["messages"]] == ["me", "bot"]
    finally:
        await ben.close()
        await ann_again.close()


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Origin": "http://evil.example"}, 403),  # another site open in the same browser
        ({"Host": "rebound.example"}, 403),  # a DNS name rebound to 127.0.0.1
    ],
)
async def test_only_the_page_itself_may_act(
    tryout: TryOut, session: aiohttp.ClientSession, headers: dict[str, str], status: int
) -> None:
    url = f"{tryout.emulator.origin}/api/hello"
    async with session.post(url, json={"name": "Mallory"}, headers=headers) as answer:
        assert answer.status == status
    assert tryout.emulator.chat_user(user_id_for("Mallory")) is None


async def test_the_page_refuses_what_a_user_could_not_do(
    ann: PageTab, tryout: TryOut, session: aiohttp.ClientSession
) -> None:
    origin = tryout.emulator.origin
    async with session.post(f"{origin}/api/send", data={"user": ann.user, "text": "hi"}) as r:
        assert r.status == 400  # a plain form post, as any site could send
    assert (await ann.post("/api/send", user=ann.user, text=" "))[0] == 400
    assert (await ann.post("/api/send", user=ann.user, text="x" * 4097))[0] == 400
    assert (await ann.post("/api/send", user=42, text="hi"))[0] == 400  # never said hello
    assert (await ann.post("/api/hello", name=""))[0] == 400
    assert (await ann.post("/api/edit", user=ann.user, message_id=999, text="hi"))[0] == 400
    assert (await ann.post("/api/press", user=ann.user, message_id=999, row=0, column=0))[0] == 400
    assert (await ann.post("/api/location", user=ann.user, latitude=91, longitude=0))[0] == 400
    assert (await ann.post("/api/clock", minutes=-60))[0] == 400  # the clock never goes back
    assert clock.ahead().total_seconds() == 0
    async with session.get(f"{origin}/static/..%2Fbot_api.py") as answer:
        assert answer.status == 404
    async with session.get(f"{origin}/") as answer:
        assert answer.status == 200
        assert "script-src" not in answer.headers["Content-Security-Policy"]
        assert "default-src 'self'" in answer.headers["Content-Security-Policy"]
        assert "Demo clock" in await answer.text()


async def test_a_tab_speaks_the_language_it_chose(
    tryout: TryOut, session: aiohttp.ClientSession
) -> None:
    bea = PageTab(session, tryout.emulator.origin)
    state = await bea.hello_in("Bea", "de")
    try:
        assert state["me"]["language"] == "de"
        await bea.send("/start")
        await bea.bot_says("Kilogramm oder Pfund?")  # coached in German
        await bea.send("kg")
        # The language is all the coach knows of Bea yet: it guesses her time zone from it.
        await bea.bot_says("Europe/Berlin")
    finally:
        await bea.close()
    assert (await bea.post("/api/hello", name="Bea", language="<x>"))[0] == 400
