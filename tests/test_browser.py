"""The real web client in headless Chromium against a real server: set-up form, and a spoken interview.

The microphone is a WAV made at test time in the product's Piper voice (Whisper hears it word for word).
Chromium starts playing it when the page opens the microphone (the microphone check before the interview):
a few words for the check, then a silence long enough for the greeting and the first question to be played in
full after Start; speech during them would be a barge-in, which is not what this test is about.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.browser_helpers import (
    RecordedPage,
    accept_and_start,
    artifacts_on_failure,
    chromium,
    fake_microphone_args,
)
from tests.conftest import ADMIN_TOKEN, recruiter_headers
from tests.speech import compose, write_wav

pytestmark = pytest.mark.browser

MIC_CHECK = "Testing, one, two, three."
#: When the test presses Start, counted from the microphone's opening: after the check's words (about 2 s).
START_AT_S = 3.0
ANSWER = "I built a payment service in Python and Kubernetes."
#: Silence from Start to the answer. The greeting for SETUP (a fixed template) and the first question have
#: played out about 17 s after Start; 8 s of silence after them earn a gentle prompt (``prompt_after_ms``).
#: Speaking at 21.5 s lands in the candidate's turn with margin on both sides (a prompt spoken over would be
#: interrupted, which this test tolerates; a greeting or question spoken over fails it).
GREETING_ALLOWANCE_S = 21.5
SETUP = {
    "candidate_name": "Ada Lovelace",
    "job_title": "Backend Engineer",
    "job_description": "",
    "resume_text": "",
    "interview_type": "behavioral",
    "num_questions": 2,
}

GREETING_PLAYED = """(v) => v.utterancesStarted.length > 0 && v.utterancesPlayed.includes(v.utterancesStarted[0])"""
FIRST_QUESTION_PLAYED = """(v) => v.utterancesStarted.length > 1
    && v.utterancesPlayed.includes(v.utterancesStarted[1])"""
ANSWER_TRANSCRIBED = """(v, word) => v.transcript.some(
    (e) => e.speaker === "candidate" && e.text.toLowerCase().includes(word))"""
#: An utterance that started after the candidate's first final transcript has been played to its end.
NEXT_UTTERANCE_PLAYED = """(v) => {
    const answered = v.timeline.findIndex((e) => e.type === "final_transcript");
    if (answered < 0) return false;
    const next = v.timeline.slice(answered).find((e) => e.type === "utterance_start");
    return next !== undefined && v.utterancesPlayed.includes(next.id);
}"""


def start_interview(base_url: str) -> str:
    response = httpx.post(f"{base_url}/api/v1/interview/start", json=SETUP, headers=recruiter_headers(), timeout=30)
    assert response.status_code == 201, response.text
    return str(response.json()["candidate_url"])


def test_spoken_interview_through_the_browser(live_server: str, tmp_path: Path) -> None:
    """The screen before the interview (microphone check, the AI notice to accept), the greeting, the first
    question heard in full and kept on its card, a spoken answer, and the interviewer's next words."""
    pause = START_AT_S - 0.3
    speech = compose(0.3, MIC_CHECK, pause, GREETING_ALLOWANCE_S, ANSWER, 3.0, voice="piper")
    wav = write_wav(tmp_path / "answer.wav", speech)
    candidate_url = start_interview(live_server)

    with chromium(fake_microphone_args(wav)) as browser:
        recorded = RecordedPage.open(browser)
        page = recorded.page
        with artifacts_on_failure(recorded, "test_spoken_interview_through_the_browser"):
            page.goto(live_server + candidate_url)
            recorded.wait_until("(v) => v.ready", "the server's ready message", 20)
            assert "2 questions" in page.locator("#expect-length").inner_text()
            assert "AI" in page.locator(".ai-notice").inner_text()
            assert page.locator("#live").is_hidden(), "the interview screen waits for Start"

            page.click("#mic-check")
            opened = time.monotonic()
            recorded.wait_until("(v) => v.micHeard", "the microphone check to hear the candidate", 10)
            assert page.locator("#mic-check-status").inner_text() == "We hear you."
            assert page.locator("#check-level").evaluate("(meter) => meter.value") > 0
            time.sleep(max(0.0, START_AT_S - (time.monotonic() - opened)))  # the check's words are over
            accept_and_start(page)
            assert page.locator("#intro").is_hidden() and page.locator("#live").is_visible()

            recorded.wait_until(
                "(v) => v.utterancesStarted.length === 1 && v.transcript.length === 1", "the greeting's words", 60
            )
            greeting = recorded.viva()
            assert greeting["question"] is None, "the greeting asks nothing: no question card"
            assert page.locator("#question-card").is_hidden()
            greeting_text = greeting["transcript"][0]
            assert greeting_text["speaker"] == "interviewer" and "Ada Lovelace" in greeting_text["text"]
            recorded.wait_until(GREETING_PLAYED, "the greeting to be played to its end", 90)
            assert recorded.viva()["micActive"], recorded.viva()["micError"]

            recorded.wait_until(FIRST_QUESTION_PLAYED, "the first question to be played to its end", 60)
            first = recorded.viva()
            assert first["utterancesInterrupted"] == [], "the greeting or question was cut off: see START_AT_S"
            asked = first["transcript"][1]
            assert asked["speaker"] == "interviewer" and not asked["interrupted"] and len(asked["text"]) > 20, asked
            assert first["question"] == {"number": 1, "label": "Question 1 of 2", "text": asked["text"], "followUp": ""}
            assert page.locator("#question-label").text_content() == "Question 1 of 2"
            assert page.locator("#question-now").inner_text() == asked["text"]

            recorded.wait_until(ANSWER_TRANSCRIBED, "the spoken answer's final transcript", 90, arg="python")
            recorded.wait_until(NEXT_UTTERANCE_PLAYED, "the interviewer's next utterance to be played", 120)

            viva = recorded.viva()
            replied = [e for e in viva["transcript"] if e["speaker"] == "interviewer"][-1]["text"]
            card = viva["question"]
            if card["number"] == 1:  # a follow-up, shown under the question it follows
                assert card["text"] == asked["text"] and card["followUp"] == replied, card
                assert page.locator("#question-follow-up").inner_text() == replied
            else:
                assert card == {"number": 2, "label": "Question 2 of 2", "text": replied, "followUp": ""}, card
            assert viva["badFrames"] == 0
            # The microphone streamed 20 ms frames in real time from Start for at least the rest of the WAV.
            wav_seconds = GREETING_ALLOWANCE_S + 3.0
            assert viva["framesSent"] >= 0.9 * wav_seconds / 0.02, viva["framesSent"]
            assert viva["audioFramesReceived"] >= viva["framesPlayed"] > 0
            assert viva["framesDropped"] == 0
            assert viva["errors"] == []
            assert viva["state"] in {"speaking", "listening", "thinking"}
            assert page.locator("#transcript li.candidate").first.inner_text().lower().count("python") >= 1


def test_setup_form_creates_an_interview_and_opens_it(live_server: str, tmp_path: Path) -> None:
    """The form shows both links (the report link is shown only once), then Start as candidate opens the page."""
    resume = tmp_path / "resume.txt"
    resume.write_text("Grace Hopper. Compiler engineer. Built the first COBOL compiler.\n")
    empty = tmp_path / "empty.txt"
    empty.write_text("")

    with chromium() as browser:
        recorded = RecordedPage.open(browser)
        page = recorded.page
        with artifacts_on_failure(recorded, "test_setup_form_creates_an_interview_and_opens_it"):
            # The sign-in link printed at start-up signs in and leaves no token in the address.
            page.goto(f"{live_server}/?token={ADMIN_TOKEN}")
            page.wait_for_url(f"{live_server}/", timeout=15_000)
            page.fill("#candidate-name", "Grace Hopper")
            page.fill("#job-title", "Compiler Engineer")
            page.fill("#job-description", "Write compilers in C and Python.")
            page.select_option("#interview-type", "technical")
            page.fill("#num-questions", "3")

            # A refused upload: the server's message appears next to the form, and nothing is lost.
            page.set_input_files("#resume", str(empty))
            page.click("#submit")
            error = page.locator("#form-error")
            error.wait_for(state="visible", timeout=15_000)
            assert "empty" in error.inner_text().lower()
            assert page.input_value("#candidate-name") == "Grace Hopper"
            assert page.locator("#submit").is_enabled()

            page.set_input_files("#resume", str(resume))
            page.click("#submit")
            page.locator("#created").wait_for(state="visible", timeout=15_000)
            assert page.locator("#setup-form").is_hidden()
            candidate_link = page.input_value("#candidate-link")
            observer_link = page.input_value("#observer-link")
            assert candidate_link.startswith(f"{live_server}/interview.html?id=")
            assert observer_link.startswith(f"{live_server}/report.html?id=")
            interview_id = parse_qs(urlsplit(candidate_link).query)["id"][0]
            assert parse_qs(urlsplit(observer_link).query)["id"] == [interview_id]
            assert page.get_attribute("#open-report", "href") == observer_link
            room_link = page.input_value("#room-link")
            assert room_link.startswith(f"{live_server}/observer.html?id={interview_id}&token=")
            assert page.get_attribute("#open-room", "href") == room_link

            with page.context.expect_page() as opened:
                page.click("#start-as-candidate")
            candidate = RecordedPage.attach(opened.value)
            candidate.page.wait_for_url(candidate_link, timeout=15_000)
            candidate.wait_until("(v) => v.ready", "the server's ready message", 20)
            info = candidate.page.locator("#interview-info").inner_text()
            assert info == "Compiler Engineer · Grace Hopper · 3 questions"
            assert candidate.page.locator("#start").is_disabled(), "Start waits for the AI notice to be accepted"
            candidate.page.check("#consent")
            assert candidate.page.locator("#start").is_enabled()
            assert page.locator("#created").is_visible(), "the links stay on the set-up page"


def test_typed_answers_without_a_microphone_and_reconnecting(live_server: str) -> None:
    """Microphone denied: typing still works; a connection taken over by another tab resumes on Reconnect; End
    asks first, in the page; the link of the finished interview then thanks the candidate."""
    candidate_url = start_interview(live_server)
    answer = "I led the migration of our billing system to Postgres."

    # A fake device but no automatic consent: Chromium refuses the microphone, as when a candidate says no.
    with chromium(["--use-fake-device-for-media-stream"]) as browser:
        recorded = RecordedPage.open(browser)
        page = recorded.page
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        with artifacts_on_failure(recorded, "test_typed_answers_without_a_microphone_and_reconnecting"):
            page.goto(live_server + candidate_url)
            recorded.wait_until("(v) => v.ready", "the server's ready message", 20)
            accept_and_start(page)
            recorded.wait_until("(v) => v.micError !== null", "the microphone to be refused", 20)
            notice = page.locator("#mic-notice").inner_text()
            assert "denied" in notice and "typing" in notice, notice

            recorded.wait_until("(v) => v.state === 'speaking'", "the greeting to start", 60)
            page.fill("#answer-text", answer)
            page.press("#answer-text", "Enter")
            recorded.wait_until(
                "(v, text) => v.transcript.some((e) => e.speaker === 'candidate' && e.typed && e.text === text)",
                "the typed answer's final transcript",
                30,
                arg=answer,
            )
            assert page.input_value("#answer-text") == ""
            recorded.wait_until("(v) => v.utterancesStarted.length >= 2", "the interviewer's reply", 60)

            # Another tab takes the interview over; this one says so and offers to reconnect.
            other = browser.new_page()
            other.goto(live_server + candidate_url)
            recorded.wait_until("(v) => v.closeCodes.includes(4009)", "this tab to be superseded", 60)
            assert "another tab" in page.locator("#connection-notice").inner_text()
            other.wait_for_function("() => window.__viva && window.__viva.ready", timeout=60_000)
            assert other.locator("#start").inner_text() == "Resume interview"

            page.click("#reconnect")
            recorded.wait_until(
                "(v) => v.ready && v.state !== 'disconnected' && v.utterancesStarted.length >= 1",
                "the interview to resume",
                60,
            )
            assert page.locator("#connection-notice").is_hidden()
            resumed = recorded.viva()
            assert any(e["typed"] and e["text"] == answer for e in resumed["transcript"]), resumed["transcript"]

            # End asks first; "Keep going" and Escape change nothing.
            end_dialog = page.locator("#end-dialog")
            page.click("#end")
            assert end_dialog.is_visible() and "End the interview now?" in end_dialog.inner_text()
            page.click("#end-cancel")
            assert end_dialog.is_hidden()
            page.click("#end")
            page.keyboard.press("Escape")
            assert end_dialog.is_hidden()
            assert page.locator("#end").is_enabled() and "end" not in {e["type"] for e in recorded.viva()["timeline"]}
            assert not recorded.viva()["ended"]
            page.click("#end")
            page.click("#end-confirm")
            recorded.wait_until("(v) => v.ended", "the interview to end", 60)
            assert end_dialog.is_hidden()
            summary = page.locator("#summary")
            assert summary.is_visible()
            assert answer in summary.inner_text()
            assert page.locator("#answer-text").is_disabled()

            # The link of the finished interview now opens the completed page, not a refused connection.
            page.reload()
            heading = page.locator("#complete-heading")
            heading.wait_for(state="visible", timeout=15_000)
            assert heading.inner_text() == "This interview is complete — thank you"
            assert page.evaluate("() => window.__viva ?? null") is None, "the completed page opens no interview"
            assert dialogs == []


def test_a_link_that_no_longer_works_says_why_calmly(live_server: str) -> None:
    """A revoked link, or one with the wrong token: a plain page saying why and what to do, no alarm, no retry."""
    response = httpx.post(f"{live_server}/api/v1/interview/start", json=SETUP, headers=recruiter_headers(), timeout=30)
    started = response.json()
    revoke = httpx.post(
        f"{live_server}/api/v1/interviews/{started['interview_id']}/revoke",
        json={"link": "candidate"},
        headers=recruiter_headers(),
        timeout=30,
    )
    assert revoke.status_code == 200, revoke.text
    wrong_token = f"/interview.html?id={started['interview_id']}&token=not-the-token"

    with chromium() as browser:
        recorded = RecordedPage.open(browser)
        page = recorded.page
        with artifacts_on_failure(recorded, "test_a_link_that_no_longer_works_says_why_calmly"):
            for url, code, heading in (
                (started["candidate_url"], 4012, "This interview link is no longer active"),
                (wrong_token, 4001, "This link does not open an interview"),
            ):
                page.goto(live_server + url)
                recorded.wait_until("(v) => v.closed !== null", "the page saying the link does not work", 20)
                assert recorded.viva()["closeCodes"] == [code]
                assert page.locator("#closed-heading").inner_text() == heading
                assert "invited you" in page.locator("#closed-text").inner_text()
                for hidden in ("#intro", "#live", "#connection-notice", "#server-error", "#reconnect"):
                    assert page.locator(hidden).is_hidden(), hidden
