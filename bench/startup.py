"""How long `coach-bot run` takes to be ready: from the process start to its first getUpdates.

    .venv/bin/python -m bench.startup [--runs 9]

Runs the installed `coach-bot run` as an operator would, in polling mode against the fake Bot
API, on an SQLite database that is already at the newest schema (as on every start but the
first). Reports the median and the spread over the runs; the target is under 1.0 s.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import statistics
import tempfile
import time
from pathlib import Path

from bot.storage.database import Database
from bot.storage.migrate import upgrade
from tests.fakes.bot_api import FakeBotAPI
from tests.test_cli import COACH_BOT, clean_env


async def one_start(fake: FakeBotAPI, folder: Path, env: dict[str, str]) -> float:
    fake.requests.clear()
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        COACH_BOT,
        "run",
        cwd=folder,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    ready = await fake.wait_until(lambda: bool(fake.calls("getUpdates")), 60)
    elapsed = time.perf_counter() - started
    process.send_signal(signal.SIGINT)
    _, errors = await asyncio.wait_for(process.communicate(), 60)
    if not ready or process.returncode != 0:
        raise SystemExit(f"coach-bot run did not start cleanly:\n{errors.decode()}")
    return elapsed


async def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        url = f"sqlite+aiosqlite:///{folder / 'coach.db'}"
        db = Database(url)
        await upgrade(db.engine)
        await db.dispose()
        async with FakeBotAPI() as fake:
            env = clean_env(
                folder,
                DATABASE_URL=url,
                TELEGRAM_BOT_TOKEN=fake.token,
                TELEGRAM_API_URL=fake.base_url,
            )
            timings = [await one_start(fake, folder, env) for _ in range(runs)]
    print(
        f"coach-bot run → first getUpdates over {runs} runs: "
        f"median {statistics.median(timings):.3f} s "
        f"(min {min(timings):.3f}, max {max(timings):.3f}; target < 1.0 s)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    asyncio.run(main(parser.parse_args().runs))
