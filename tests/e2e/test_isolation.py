"""One user can never see another's data, through any command or button, forged or not."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from bot.storage.database import Database
from tests.e2e.harness import RunningBot
from tests.factories import add_user, add_workout
from tests.fakes.bot_api import FakeBotAPI, FakeUser

# Ann's numbers are ones Bob never logs, so any leak would show.
ANN_LOAD = 77_500
ANN_SIGNS = ("77.5", "Fri 7 Mar", "7 March")


async def everything_bob_can_try(bob: FakeUser, ann_workouts: list[int]) -> None:
    await bob.send("/progress")
    progress = await bob.reply()
    await bob.tap("📈 Chart", message=progress)
    chart = await bob.reply()
    assert chart.kind == "photo"
    await bob.send("/history")
    history = await bob.reply()
    for page in range(3):
        query = await bob.tap_data(f"h:p:{page}", history.message_id)
        await bob.callback_answer(query)
    for workout_id in ann_workouts:
        query = await bob.tap_data(f"h:w:{workout_id}", history.message_id)
        answer = await bob.callback_answer(query)
        assert answer.get("text") == "That workout isn't in your history."
    await bob.send("/export")
    sets_file, _plan = await bob.replies(2)
    assert sets_file.file_bytes is not None
    rows = list(csv.DictReader(io.StringIO(sets_file.file_bytes.decode())))
    assert rows and not {row["Workout Id"] for row in rows} & {str(i) for i in ann_workouts}
    assert {row["Weight"] for row in rows} == {"20"}


async def test_no_command_or_button_shows_one_user_another_users_data(
    bot: RunningBot, fake: FakeBotAPI, db: Database
) -> None:
    await add_user(db, 7001, first_name="Ann")
    ann_workouts = [
        await add_workout(
            db, 7001, date(2025, 3, 7) + timedelta(days=4 * n), {"deadlift": [(12, ANN_LOAD)] * 3}
        )
        for n in range(7)
    ]
    await add_user(db, 7002, first_name="Bob")
    for n in range(7):
        await add_workout(
            db, 7002, date(2025, 3, 10) + timedelta(days=4 * n), {"squat": [(10, 20_000)] * 3}
        )

    bob = fake.user(7002, "Bob")
    await everything_bob_can_try(bob, ann_workouts)
    for message in bob.messages:
        shown = (message.text or "") + str(message.reply_markup or "")
        for sign in ANN_SIGNS:
            assert sign not in shown, f"Bob saw {sign!r} of Ann's in: {shown}"

    # Bob erasing himself leaves Ann exactly as she was.
    await bob.send("/delete_me")
    await bob.tap("Yes, erase everything", message=await bob.reply())
    assert "erased" in ((await bob.reply()).text or "")
    ann = fake.user(7001, "Ann")
    await ann.send("/history")
    assert "1–5 of 7" in ((await ann.reply()).text or "")
    await ann.send("/progress")
    assert "best set 12 × 77.5 kg (Fri 7 Mar)" in ((await ann.reply()).text or "")
