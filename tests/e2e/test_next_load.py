"""The next load follows the heaviest load at which the range was met (issue 12 §2)."""

from __future__ import annotations

from bot.storage.database import Database
from tests.e2e.harness import RunningBot
from tests.factories import add_user
from tests.fakes.bot_api import FakeBotAPI


async def test_a_mistaken_first_load_does_not_set_the_next_one(
    bot: RunningBot, fake: FakeBotAPI, db: Database
) -> None:
    await add_user(db, 9201, first_name="Mia")
    mia = fake.user(9201, "Mia")
    # 40 lb typed by a kg user is 18.14 kg: set 1 is not the working load.
    await mia.send("/start_workout")
    await mia.changes(2)
    await mia.send("10 x 40 lb")
    await mia.changed()
    await mia.send("10 x 45")
    question = await mia.reply()  # far from the last set: confirmed before it is logged
    await mia.tap("Log 45 kg", message=question)
    await mia.changes(2)  # the question folded, the set logged into the live message
    await mia.send("12 x 40")
    await mia.changed()
    await mia.tap("Just about")
    await mia.changes(3)
    await mia.send("/end")
    summary = (await mia.changes(2))[-1].text or ""
    assert "Next time: stay at 45 kg" in summary, summary
    assert "18.14" not in summary, summary
    print("\n--- 18.14 kg user ---", summary, sep="\n")
