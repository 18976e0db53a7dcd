"""The installed entry point, run as an operator would."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp

from tests.emulator.page_tab import PageTab
from tests.fakes.bot_api import FakeBotAPI

COACH_BOT = shutil.which("coach-bot", path=str(Path(sys.executable).parent)) or "coach-bot"


def clean_env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    env.update(values)
    return env


async def run(tmp_path: Path, *args: str, **env: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        COACH_BOT,
        *args,
        cwd=tmp_path,
        env=clean_env(tmp_path, **env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, output.decode()


async def test_run_without_a_token_prints_one_line_and_fails(tmp_path: Path) -> None:
    code, output = await run(tmp_path, "run")
    assert code == 2
    assert output.count("\n") == 1
    assert "TELEGRAM_BOT_TOKEN is not set" in output and "BotFather" in output
    assert "Traceback" not in output


async def test_migrate_creates_the_database(tmp_path: Path) -> None:
    code, output = await run(tmp_path, "migrate")
    assert code == 0, output
    assert (tmp_path / "coach.db").exists()


async def test_coach_bot_run_answers_and_never_logs_the_token(tmp_path: Path) -> None:
    async with FakeBotAPI() as fake:
        process = await asyncio.create_subprocess_exec(
            COACH_BOT,
            "run",
            cwd=tmp_path,
            env=clean_env(
                tmp_path,
                TELEGRAM_BOT_TOKEN=fake.token,
                TELEGRAM_API_URL=fake.base_url,
                LOG_LEVEL="DEBUG",
            ),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            ann = fake.user(4001, "Ann")
            await ann.send("/start")
            greeting = await ann.reply(timeout=30)
            await ann.send("/help")
            await ann.reply()
        finally:
            process.send_signal(signal.SIGINT)
            output, _ = await asyncio.wait_for(process.communicate(), 30)
        fake.assert_no_violations()
    log = output.decode()
    assert "Hi Ann!" in (greeting.text or "")
    assert process.returncode == 0, log
    assert "DEBUG" in log and "<token>" in log  # it did log the URLs, redacted
    assert fake.token not in log
    assert fake.token.split(":")[1] not in log


def try_databases(folder: Path) -> list[Path]:
    return sorted(folder.glob("coach-try-*.db"))


@asynccontextmanager
async def try_out(tmp_path: Path, *args: str) -> AsyncIterator[tuple[str, str]]:
    """`coach-bot try` running; yields the page's address and what it printed so far."""
    process = await asyncio.create_subprocess_exec(
        COACH_BOT,
        "try",
        "--no-browser",
        *args,
        cwd=tmp_path,
        env=clean_env(tmp_path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert process.stdout is not None
    printed = ""
    try:
        async with asyncio.timeout(60):
            while "Ctrl+C stops it." not in printed:
                line = await process.stdout.readline()
                assert line, printed
                printed += line.decode()
        found = re.search(r"ready at (http://127\.0\.0\.1:\d+/)", printed)
        assert found is not None, printed
        yield found.group(1), printed
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, printed + output.decode()
    assert "Traceback" not in printed + output.decode()


async def test_coach_bot_try_serves_the_coach_and_carries_on_with_its_database(
    tmp_path: Path,
) -> None:
    async with aiohttp.ClientSession() as session:
        async with try_out(tmp_path) as (url, printed):
            [database] = try_databases(tmp_path)
            assert str(database) in printed and "--database-url" in printed
            async with session.get(url) as page:
                assert page.status == 200 and "Demo clock" in await page.text()
            ann = PageTab(session, url.rstrip("/"))
            await ann.hello("Ann")
            await ann.send("/start_workout")
            await ann.bot_says("Set 1 of 3", within=30)
            await ann.send("10 x 40")
            await ann.bot_says("✅ Set 1 · 10 × 40 kg")
            await ann.close()
        database_url = f"sqlite+aiosqlite:///{database}"
        async with try_out(tmp_path, "--database-url", database_url) as (url, printed):
            assert database_url in printed
            assert try_databases(tmp_path) == [database]  # no fresh file
            ann = PageTab(session, url.rstrip("/"))
            await ann.hello("Ann")
            await ann.send("/start_workout")
            await ann.bot_says("Picking up where you were: Straight-leg deadlift, set 2 of 3", 30)
            await ann.close()
