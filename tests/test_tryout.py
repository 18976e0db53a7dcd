"""`coach-bot try`'s small decisions: which browser to open, which database file to start."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest

from bot.tryout import fresh_database_url, open_in_browser


class _Opened(webbrowser.BackgroundBrowser):
    def __init__(self) -> None:
        super().__init__("a-desktop-browser")
        self.urls: list[str] = []

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.urls.append(url)
        return True


def test_a_desktop_browser_opens_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    browser = _Opened()
    monkeypatch.setattr(webbrowser, "get", lambda: browser)
    assert open_in_browser("http://127.0.0.1:1234/")
    assert browser.urls == ["http://127.0.0.1:1234/"]


def test_a_text_browser_would_take_over_the_terminal_so_none_is_opened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(webbrowser, "get", lambda: webbrowser.GenericBrowser("lynx"))
    assert not open_in_browser("http://127.0.0.1:1234/")


def test_no_browser_at_all_is_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def none() -> webbrowser.BaseBrowser:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", none)
    assert not open_in_browser("http://127.0.0.1:1234/")


def test_each_run_starts_a_fresh_database_file(tmp_path: Path) -> None:
    url, path = fresh_database_url(tmp_path)
    path.touch()
    second_url, second = fresh_database_url(tmp_path)
    assert path.name.startswith("coach-try-") and path.parent == tmp_path.resolve()
    assert url == f"sqlite+aiosqlite:///{path}"
    assert second != path and second_url.endswith(second.name)
