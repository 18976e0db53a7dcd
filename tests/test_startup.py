"""A start loads only what serving updates needs; charts, maps and migrations load on use."""

from __future__ import annotations

import asyncio
import sys

LOADED_ON_USE = ("matplotlib", "timezonefinder", "alembic")


async def test_importing_the_bot_leaves_heavy_libraries_unloaded() -> None:
    check = (
        "import sys\n"
        "import bot.app, bot.cli\n"
        f"print(sorted({{name.split('.')[0] for name in sys.modules}} & {set(LOADED_ON_USE)!r}))\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", check, stdout=asyncio.subprocess.PIPE
    )
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0
    assert output.decode().strip() == "[]"
