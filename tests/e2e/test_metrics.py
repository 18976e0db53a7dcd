"""Prometheus metrics, scraped over HTTP as Prometheus would, before and after real traffic."""

from __future__ import annotations

import socket
from collections.abc import Callable
from datetime import timedelta

import aiohttp
import time_machine
from prometheus_client.parser import text_string_to_metric_families

from bot.chat.errors import REPLY_LOST
from tests.e2e.harness import WEBHOOK_SECRET, RunningBot, settings_for, webhook_instances
from tests.e2e.test_reminders import day, onboard
from tests.fakes.bot_api import FakeBotAPI, FakeUser

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


async def scrape(url: str) -> tuple[str, Samples]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        assert response.status == 200
        assert response.content_type == "text/plain"
        text = await response.text()
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    return text, samples


async def scrape_until(
    fake: FakeBotAPI, url: str, done: Callable[[Samples], bool]
) -> tuple[str, Samples]:
    """Metrics move as the bot works, a little after the replies a user sees."""
    found = await scrape(url)
    for _ in range(50):
        if done(found[1]):
            break
        await fake.wait_until(lambda: False, 0.1)
        found = await scrape(url)
    return found


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


def assert_nothing_private(text: str, fake: FakeBotAPI, *users: FakeUser) -> None:
    assert fake.token not in text and fake.token.split(":")[1] not in text
    assert WEBHOOK_SECRET not in text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            for value in sample.labels.values():
                assert all(str(user.id) not in value for user in users), sample


async def full_workout(user: FakeUser) -> None:
    """Four exercises of three sets; every reply counted, so nothing is still in flight."""
    await user.send("/start_workout")
    await user.changes(2)  # card, live message
    for exercise in range(4):
        for reps in ("10 x 40", "10", "10"):
            await user.send(reps)
            await user.changed()  # set in; the next prompt or the effort question
        await user.send("ok")
        if exercise < 3:
            await user.changes(3)  # the message folded; next card, live message
    assert "Workout done" in ((await user.changes(2))[-1].text or "")


async def test_metrics_after_a_workout_in_webhook_mode(fake: FakeBotAPI, database_url: str) -> None:
    async with webhook_instances(fake, database_url, count=1) as [port]:
        url = f"http://127.0.0.1:{port}/metrics"
        _, before = await scrape(url)
        ann = fake.user(9_100_000_001, "Ann")
        await full_workout(ann)
        fake.redeliver(fake.last_update_id)
        fake.fail_next("sendMessage", status=502, description="Bad Gateway")
        await ann.send("/help")
        assert REPLY_LOST in ((await ann.reply()).text or "")
        text, after = await scrape_until(
            fake,
            url,
            lambda now: (
                moved(before, now, "coach_updates_handled_total", kind="message") >= 19
                and moved(before, now, "coach_sweep_seconds_count") >= 1  # the first after 1 s
            ),
        )
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{port}/health") as r,
        ):
            assert r.status == 200

    # /start_workout, 16 answers, /help, and the redelivered "ok".
    assert moved(before, after, "coach_updates_handled_total", kind="message") == 19
    assert moved(before, after, "coach_handler_seconds_count") == 19
    assert moved(before, after, "coach_redeliveries_total") == 1
    assert moved(before, after, "coach_workouts_started_total") == 1
    assert moved(before, after, "coach_workouts_finished_total") == 1
    assert moved(before, after, "coach_telegram_errors_total", code="502") == 1
    # Every reply the user got, and the apology for the lost one.
    replies = moved(before, after, "coach_replies_sent_total", method="sendMessage")
    # Four cards, four live messages, the summary, the apology.
    assert replies == len(ann.messages) == 4 * 2 + 1 + 1
    assert moved(before, after, "coach_sweep_seconds_count") >= 1
    assert moved(before, after, "coach_database_errors_total") == 0
    assert_nothing_private(text, fake, ann)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_metrics_port_in_polling_mode_counts_reminders(
    fake: FakeBotAPI, database_url: str
) -> None:
    port = free_port()
    settings = settings_for(fake, database_url, metrics_port=port, listen="127.0.0.1")
    ann, bob = fake.user(9_200_000_001, "Ann"), fake.user(9_200_000_002, "Bob")
    cal = fake.user(9_200_000_003, "Cal")
    with time_machine.travel(day(3, 9), tick=True) as traveller:  # a Thursday, 09:00 UTC
        bot = RunningBot(settings)
        await bot.start()
        try:
            url = f"http://127.0.0.1:{port}/metrics"
            await onboard(ann, "UTC", "Mon Thu", "18:00")
            await onboard(bob, "UTC", "Mon Thu", "18:00")
            await onboard(cal, "UTC", "Mon Thu", "19:00")
            _, before = await scrape(url)
            fake.blocked_users.add(bob.id)
            traveller.move_to(day(3, 18) + timedelta(seconds=1))
            assert "Training day" in ((await ann.reply()).text or "")
            # Cal's 19:00 reminder is only swept at 22:30: too late in the day to send.
            traveller.move_to(day(3, 22, 30))
            text, after = await scrape_until(
                fake, url, lambda now: moved(before, now, "coach_reminders_due_total") >= 3
            )
            async with (
                aiohttp.ClientSession() as http,
                http.get(f"http://127.0.0.1:{port}/health") as response,
            ):
                assert response.status == 200
        finally:
            await bot.stop()
    assert moved(before, after, "coach_reminders_due_total") == 3
    assert moved(before, after, "coach_reminders_sent_total") == 1
    assert moved(before, after, "coach_reminders_undeliverable_total") == 1
    assert moved(before, after, "coach_reminders_dropped_total") == 1
    assert moved(before, after, "coach_sweep_seconds_count") >= 2
    assert_nothing_private(text, fake, ann, bob, cal)
    # The metrics server went away with the bot.
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


async def test_no_label_carries_the_token_the_secret_or_a_user_id(
    fake: FakeBotAPI, database_url: str
) -> None:
    async with webhook_instances(fake, database_url, count=1) as [port]:
        url = f"http://127.0.0.1:{port}/metrics"
        _, before = await scrape(url)
        bea = fake.user(9_300_000_001, "Bea", username="bea9300000001")
        await bea.send("/start_workout")
        await bea.changes(2)
        message_id = await bea.send("10 x 40")
        await bea.changed()
        await bea.edit(message_id, "11 x 40")
        assert "Corrected" in ((await bea.reply()).text or "")
        await bea.tap("10")
        await bea.changed()
        fake.fail_next("sendMessage", status=403, description="Forbidden: bot was blocked")
        await bea.send("/cues")
        text, after = await scrape_until(
            fake,
            url,
            lambda now: moved(before, now, "coach_telegram_errors_total", code="403") >= 1,
        )
    assert moved(before, after, "coach_updates_handled_total", kind="edited_message") == 1
    assert moved(before, after, "coach_updates_handled_total", kind="callback_query") == 1
    assert_nothing_private(text, fake, bea)
