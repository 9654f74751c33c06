"""Headless Chromium for the browser tests: a fake microphone from a WAV, waits on the page's own counters,
and screenshots plus console logs kept in ``test-artifacts/`` when a test fails.

Uses the system Chromium (Debian package) through Playwright; ``playwright install`` is never needed.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
WEB_DIST = ROOT / "web" / "dist"

#: Quiet, offline Chromium: no background traffic, audio allowed to start without a gesture.
CHROMIUM_ARGS = [
    "--autoplay-policy=no-user-gesture-required",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--no-default-browser-check",
    "--disable-gpu",
]


def fake_microphone_args(wav: Path) -> list[str]:
    """The microphone plays ``wav`` once (``%noloop``), then digital silence; permission is granted."""
    return [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={wav.resolve()}%noloop",
    ]


def require_browser_environment() -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install the Debian package `chromium` (make system-packages)")
    if not (WEB_DIST / "interview.html").exists():
        pytest.fail("web/dist is not built: run `cd web && npm ci && npm run build` (or `make web`)")


@contextlib.contextmanager
def chromium(extra_args: list[str] | None = None) -> Iterator[Browser]:
    require_browser_environment()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *(extra_args or [])])
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class RecordedPage:
    """A page whose console output and errors are kept, to be saved if the test fails."""

    page: Page
    console: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, browser: Browser) -> RecordedPage:
        return cls.attach(browser.new_page())

    @classmethod
    def attach(cls, page: Page) -> RecordedPage:
        """Record a page opened some other way (a link that opens a new tab)."""
        recorded = cls(page)
        recorded.page.on("console", lambda msg: recorded.console.append(f"[{msg.type}] {msg.text}"))
        recorded.page.on("pageerror", lambda error: recorded.console.append(f"[pageerror] {error}"))
        recorded.page.on(
            "response",
            lambda response: (
                recorded.console.append(f"[http {response.status}] {response.url}") if response.status >= 400 else None
            ),
        )
        return recorded

    def viva(self) -> dict[str, Any]:
        """The interview page's test hooks (``window.__viva``), or an empty dict on other pages."""
        value = self.page.evaluate("() => window.__viva ?? null")
        return dict(value) if value else {}

    def wait_until(self, predicate_js: str, what: str, timeout_s: float, arg: Any = None) -> None:
        """Wait until ``predicate_js`` (a JS function of ``window.__viva`` and ``arg``) returns true."""
        try:
            self.page.wait_for_function(
                f"([arg]) => {{ const v = window.__viva; return !!v && ({predicate_js})(v, arg); }}",
                arg=[arg],
                timeout=timeout_s * 1000,
                polling=200,
            )
        except PlaywrightTimeoutError:
            state = json.dumps(self.viva(), indent=1)[-5000:]
            raise AssertionError(
                f"timed out after {timeout_s:.0f} s waiting for {what}; window.__viva={state}"
            ) from None

    def save_artifacts(self, name: str) -> Path:
        folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", name)
        folder.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(Exception):
            self.page.screenshot(path=str(folder / "screenshot.png"), full_page=True)
        with contextlib.suppress(Exception):
            (folder / "viva.json").write_text(json.dumps(self.viva(), indent=1))
        (folder / "console.log").write_text("\n".join(self.console) + "\n")
        return folder


def accept_and_start(page: Page) -> None:
    """On the candidate's page before the interview: Start waits for the AI notice to be accepted."""
    assert page.locator("#start").is_disabled(), "Start was enabled before the candidate accepted the AI notice"
    page.check("#consent")
    page.click("#start")


@contextlib.contextmanager
def artifacts_on_failure(recorded: RecordedPage, name: str) -> Iterator[None]:
    """Keep a screenshot, the console log and the page's counters when the block fails."""
    try:
        yield
    except BaseException:
        folder = recorded.save_artifacts(name)
        print(f"browser test artifacts saved in {folder}")
        raise
