"""How long the progress chart and the CSV export take for a user with a year of workouts.

    .venv/bin/python bench/chart_render.py [--runs 7]

Builds a throwaway SQLite database with 52 weeks of two workouts a week (16 sets each), then
reports the median chart render time (after a first, import-paying render), the PNG size, and
the time and peak Python memory (tracemalloc) of writing the CSV export.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.chat.chart import draw_chart, render_chart
from bot.services.export import write_sets_csv
from bot.services.progress import chart_of
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from tests.factories import add_user, add_year

USER = 42


async def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite+aiosqlite:///{folder}/bench.db")
        await upgrade(db.engine)
        await add_user(db, USER, days=(0, 3))
        workouts = await add_year(db, USER, date(2025, 6, 9))

        started = time.perf_counter()
        data = await chart_of(db, USER)
        query_seconds = time.perf_counter() - started
        assert data is not None

        started = time.perf_counter()
        png = await render_chart(data)  # the first one pays for importing matplotlib
        first = time.perf_counter() - started
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            png = draw_chart(data)
            timings.append(time.perf_counter() - started)

        export_timings = []
        for _ in range(runs):
            out = io.BytesIO()
            started = time.perf_counter()
            rows = await write_sets_csv(db, USER, out)
            export_timings.append(time.perf_counter() - started)
        # Memory in a separate run: tracing slows everything down several times.
        tracemalloc.start()
        await write_sets_csv(db, USER, io.BytesIO())
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        await db.dispose()

    print(f"a year: {workouts} workouts, {rows} sets")
    print(f"chart data query: {query_seconds * 1000:.0f} ms")
    print(f"chart first render (imports matplotlib): {first:.3f} s")
    print(f"chart render median of {runs}: {statistics.median(timings):.3f} s")
    print(f"chart PNG: {len(png) / 1024:.0f} kB")
    print(f"CSV export median of {runs}: {statistics.median(export_timings):.3f} s")
    print(f"CSV export size: {len(out.getvalue()) / 1024:.0f} kB")
    print(f"CSV export peak traced memory: {peak / 1024:.0f} kB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    asyncio.run(main(parser.parse_args().runs))
