"""The domain stays pure: standard library only, and no reading of the clock."""

import ast
import sys
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "bot" / "domain"
MODULES = sorted(DOMAIN.glob("*.py"))


def _imported(tree: ast.Module) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            assert node.module is not None
            names.append(node.module)
    return names


def test_all_domain_modules_are_checked() -> None:
    assert {p.stem for p in MODULES} >= {
        "units",
        "exercises",
        "program",
        "progression",
        "schedule",
        "replies",
    }


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_imports_only_the_standard_library_or_the_domain(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for name in _imported(tree):
        top = name.split(".")[0]
        assert top in sys.stdlib_module_names or name.startswith("bot.domain"), name


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_never_reads_the_clock(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            assert node.attr not in {"now", "today", "utcnow", "time_ns"}, ast.unparse(node)
