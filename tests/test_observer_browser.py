"""The observer room in headless Chromium beside the candidate's own page, against a real server that sends its
own Content-Security-Policy. Names, answers, questions and notes full of markup and script show literally, and
nothing in them runs. The room's state line follows the candidate's connection, and steering opens only while
the candidate is connected and the interview under way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser_helpers import RecordedPage, accept_and_start, artifacts_on_failure, chromium
from tests.conftest import recruiter_headers

pytestmark = pytest.mark.browser

NAME = """Ada <img src=x onerror="window.__xss='name'">"""
ANSWER = (
    """<img src=x onerror="window.__xss='answer'"><script>window.__xss='script'</script> """
    "I led the migration of our billing service to Kubernetes and cut deploy time by 40 percent."
)
QUESTION = "What about <i onmouseover=\"window.__xss='question'\">tests</i>?"
NOTE = "<b>Strong</b> answer <svg onload=\"window.__xss='note'\"></svg>"
OBSERVER_NAME = "<u>Bo</u>"


def wait_room(page: Page, predicate_js: str, what: str, timeout_s: float = 60) -> None:
    """Wait until ``predicate_js`` (a JS function of the room's ``window.__vivaObserver``) is true."""
    try:
        page.wait_for_function(
            f"() => {{ const o = window.__vivaObserver; return !!o && ({predicate_js})(o); }}",
            timeout=timeout_s * 1000,
            polling=200,
        )
    except PlaywrightTimeoutError:
        state = json.dumps(page.evaluate("() => window.__vivaObserver ?? null"), indent=1)[-4000:]
        raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}; room={state}") from None


def room(page: Page) -> dict[str, Any]:
    return dict(page.evaluate("() => window.__vivaObserver"))


def no_markup_ran(page: Page, selector: str) -> None:
    assert page.evaluate("() => window.__xss ?? null") is None, "injected script ran"
    for tag in ("img", "script", "svg", "i", "b", "u"):
        assert page.locator(f"{selector} {tag}").count() == 0, f"a <{tag}> element was created in {selector}"


def test_untrusted_text_shows_literally_in_the_observer_room_and_nothing_runs(live_server: str, tmp_path: Path) -> None:
    created = httpx.post(
        f"{live_server}/api/v1/interview/start",
        json={"candidate_name": NAME, "job_title": "Backend <em>Engineer</em>", "num_questions": 2},
        headers=recruiter_headers(),
        timeout=30,
    ).json()
    dialogs: list[str] = []

    with chromium(["--use-fake-device-for-media-stream"]) as browser:
        observer = RecordedPage.open(browser)
        observer.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        candidate = RecordedPage.open(browser)
        with artifacts_on_failure(observer, "observer_room_xss"), artifacts_on_failure(candidate, "observer_candidate"):
            response = observer.page.goto(f"{live_server}{created['observer_room_url']}&name={quote(OBSERVER_NAME)}")
            assert response is not None
            csp = response.headers["content-security-policy"]
            assert "script-src 'self'" in csp and "unsafe-inline" not in csp
            wait_room(observer.page, "(o) => o.ready && o.historyComplete", "the room to open", 20)
            assert (
                observer.page.locator("#room-info").inner_text() == f"Backend <em>Engineer</em> · {NAME} · 2 questions"
            )

            candidate.page.goto(live_server + created["candidate_url"])
            candidate.wait_until("(v) => v.ready", "the candidate's page", 20)
            accept_and_start(candidate.page)
            candidate.wait_until("(v) => v.state === 'speaking'", "the greeting", 60)
            wait_room(
                observer.page,
                "(o) => o.transcript.some((e) => e.speaker === 'interviewer' && e.text.includes('Ada'))",
                "the greeting in the room",
            )
            assert NAME in observer.page.locator("#transcript li.interviewer .text").first.inner_text()
            # Answered once question 1 is asked (words said over the greeting answer no question, and get no score).
            candidate.wait_until("(v) => v.question !== null", "the first question", 60)
            candidate.page.fill("#answer-text", ANSWER)
            candidate.page.press("#answer-text", "Enter")

            wait_room(
                observer.page,
                "(o) => o.transcript.some((e) => e.speaker === 'candidate' && e.text.includes('billing service'))",
                "the candidate's answer in the room",
            )
            answers = observer.page.locator("#transcript li.candidate .text")
            assert answers.first.inner_text() == ANSWER

            observer.page.fill("#question-text", QUESTION)
            observer.page.click("#ask")
            observer.page.fill("#note-text", NOTE)
            observer.page.click("#add-note")
            wait_room(observer.page, "(o) => o.notes.length === 1", "the note")
            assert observer.page.locator("#notes li").first.inner_text() == f"{OBSERVER_NAME}: {NOTE}"
            timeline = observer.page.locator("#timeline").inner_text()
            assert f"{OBSERVER_NAME} queued a question: “{QUESTION}”" in timeline
            wait_room(observer.page, "(o) => o.scores.length >= 1", "the answer's score")
            assert observer.page.locator("#scores li").first.inner_text().startswith("Question 1 · ")

            for selector in ("#transcript", "#notes", "#timeline", "#scores", "#room-info"):
                no_markup_ran(observer.page, selector)
            assert candidate.page.evaluate("() => window.__xss ?? null") is None
            assert NOTE not in candidate.page.content(), "the private note reached the candidate's page"

            # Reloading rebuilds the room from the history: every event once, in order.
            seen = len(room(observer.page)["seqs"])
            observer.page.reload()
            wait_room(observer.page, f"(o) => o.historyComplete && o.seqs.length >= {seen}", "the history again")
            seqs = room(observer.page)["seqs"]
            assert seqs == list(range(1, len(seqs) + 1))
            assert observer.page.locator("#transcript li.candidate .text").first.inner_text() == ANSWER
            assert observer.page.locator("#notes li").count() == 1
            no_markup_ran(observer.page, "#transcript")

            assert dialogs == []
            for recorded in (observer, candidate):
                problems = [
                    line for line in recorded.console if "[pageerror]" in line or "Content Security Policy" in line
                ]
                assert problems == [], problems


def steering_enabled(page: Page) -> dict[str, bool]:
    return {button: page.locator(f"#{button}").is_enabled() for button in ("ask", "skip", "end", "add-note")}


def test_the_room_follows_the_candidates_connection_and_steers_only_while_the_interview_runs(
    live_server: str,
) -> None:
    created = httpx.post(
        f"{live_server}/api/v1/interview/start",
        json={"candidate_name": "Ada", "job_title": "Backend Engineer", "num_questions": 2},
        headers=recruiter_headers(),
        timeout=30,
    ).json()
    closed = dict.fromkeys(("ask", "skip", "end", "add-note"), False)

    with chromium(["--use-fake-device-for-media-stream"]) as browser:
        observer = RecordedPage.open(browser)
        candidate = RecordedPage.open(browser)
        with artifacts_on_failure(observer, "observer_room_presence"), artifacts_on_failure(candidate, "presence"):
            observer.page.goto(live_server + created["observer_room_url"])
            wait_room(observer.page, "(o) => o.ready && o.historyComplete", "the room to open", 20)
            state = observer.page.locator("#state")
            assert state.inner_text() == "Waiting for the candidate to join"
            assert steering_enabled(observer.page) == closed
            assert "once the candidate has joined" in observer.page.locator("#steer-hint").inner_text()

            # Joined, not started: a note may be taken, the interviewer is not steered yet.
            candidate.page.goto(live_server + created["candidate_url"])
            candidate.wait_until("(v) => v.ready", "the candidate's page", 20)
            wait_room(observer.page, "(o) => o.candidateConnected", "the candidate to join")
            assert state.inner_text() == "The candidate has joined — waiting for them to start"
            assert steering_enabled(observer.page) == {**closed, "add-note": True}

            accept_and_start(candidate.page)
            wait_room(observer.page, "(o) => o.underway", "the interview to be under way")
            assert steering_enabled(observer.page) == dict.fromkeys(closed, True)
            assert observer.page.locator("#steer-hint").is_hidden()
            candidate.wait_until("(v) => v.state === 'speaking'", "the greeting", 60)
            wait_room(observer.page, "(o) => o.state === 'speaking'", "the interviewer speaking in the room")
            assert state.inner_text() == "The interviewer is speaking"

            # The candidate leaves: said so, whatever the interviewer was doing, and steering closes.
            candidate.page.close()
            wait_room(observer.page, "(o) => !o.candidateConnected", "the candidate to leave")
            assert state.inner_text() == "Candidate disconnected — waiting for them to come back"
            assert steering_enabled(observer.page) == closed

            # A room opened later rebuilds the same from the history.
            observer.page.reload()
            wait_room(observer.page, "(o) => o.ready && o.historyComplete", "the room to open again", 20)
            assert state.inner_text() == "Candidate disconnected — waiting for them to come back"
            assert steering_enabled(observer.page) == closed
