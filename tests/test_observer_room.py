"""The live room over real sockets to a real server: observers watch a candidate's live interview (history then
live, no gap, no duplicate) and steer it (a question asked at the next turn boundary, skip, note, end).

The candidate answers in text: speech is not the point here, and typed answers keep the tests fast.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from protocol import messages as m
from protocol.audio import OutputFrame
from tests.live_client import LiveClient, dump, is_type, start_interview
from tests.observer_client import ObserverClient, assert_gapless

pytestmark = pytest.mark.slow

OBSERVER_QUESTION = "Which monitoring did you add after the migration?"
NOTE = "Private: strong on ownership <b>not bold</b>"


async def open_interview(base_url: str, **setup: object) -> tuple[dict, LiveClient]:
    created = start_interview(base_url, num_questions=2, **setup)
    candidate = await LiveClient.connect(base_url, created["interview_id"], created["candidate_token"])
    return created, candidate


async def start(candidate: LiveClient) -> None:
    await candidate.handshake()
    await candidate.send(m.Start())


async def answer(candidate: LiveClient, text: str, turn: int) -> m.FinalTranscript:
    """Answer as soon as the candidate may after the previous answer (while the interviewer speaks, a typed answer
    interrupts it)."""
    finals = [i for i, r in enumerate(candidate.received) if isinstance(r.message, m.FinalTranscript)]
    since = finals[-1] + 1 if finals else 0
    await candidate.wait_for(
        lambda msg: isinstance(msg, m.StateChanged) and msg.state in ("speaking", "listening"), 90, start=since
    )
    await candidate.send(m.TextAnswer(text=text))
    final: m.FinalTranscript = await candidate.wait_for(is_type(m.FinalTranscript, turn=turn), 30)
    return final


async def wait_for_first_question(candidate: LiveClient) -> None:
    """The greeting asks nothing; once it was heard, the interviewer asks question 1 (utterance 1). Wait until it
    was said whole (an answer over its first words would only have it finished)."""
    await candidate.wait_for(is_type(m.UtteranceEnd, utterance_id=1), 90)


def results(base_url: str, created: dict) -> dict:
    response = httpx.get(
        f"{base_url}/api/v1/interview/results/{created['interview_id']}",
        headers={"Authorization": f"Bearer {created['observer_token']}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_late_observers_get_the_history_then_live_events_without_gap_or_duplicate(live_server: str) -> None:
    created, candidate = await open_interview(live_server)
    interview_id, token = created["interview_id"], created["observer_token"]
    early = await ObserverClient.connect(live_server, interview_id, token)
    await early.wait_for(lambda msg: isinstance(msg, m.History), 10)
    await start(candidate)
    # Joins while the greeting's sentences are streaming.
    await early.wait_for(is_type(m.UtteranceText, sentence=1), 60)
    late = await ObserverClient.connect(live_server, interview_id, token)
    await wait_for_first_question(candidate)
    await answer(candidate, "I built payment services in Python.", turn=0)
    later = await ObserverClient.connect(live_server, interview_id, token)
    await answer(candidate, "We cut latency by 40 percent with caching.", turn=1)
    await candidate.send(m.End())
    await candidate.wait_for(is_type(m.Ended), 60)
    for observer in (early, late, later):
        await observer.wait_for(is_type(m.CandidateConnection, connected=False), 30)

    everything = early.events()
    assert_gapless(everything)
    # How many score events land depends on scoring time: a re-score that finishes first supersedes the earlier one.
    assert len(everything) >= 18, " ".join(type(e.event).__name__ for e in everything)
    for observer in (late, later):
        history = observer.messages(m.History)
        assert len(history) == 1 and history[0].complete and history[0].events, "a late observer gets a history"
        assert observer.events() == everything, "history then live must equal what was seen from the start"
    kinds = [type(e.event) for e in everything]
    for kind in (m.CandidateConnection, m.UtteranceText, m.FinalTranscript, m.StateChanged, m.Ended):
        assert kind in kinds, kind
    # The candidate's messages reached the observers in the order the candidate got them.
    seen = [msg for msg in candidate.messages(m.FinalTranscript)]
    assert [e for e in early.payloads(m.FinalTranscript)] == seen

    resumed = await ObserverClient.connect(live_server, interview_id, token, after_seq=everything[10].seq)
    await resumed.wait_for(is_type(m.CandidateConnection, connected=False), 10)
    assert resumed.events() == everything[11:]
    for observer in (early, late, later, resumed):
        await observer.close()


async def test_an_observers_question_is_asked_at_the_next_turn_boundary_and_recorded(live_server: str) -> None:
    created, candidate = await open_interview(live_server)
    observer = await ObserverClient.connect(live_server, created["interview_id"], created["observer_token"], name="Bo")
    await start(candidate)
    await candidate.wait_for(is_type(m.StateChanged, state=m.SessionState.SPEAKING), 60)
    await observer.send(m.AskQuestion(text=OBSERVER_QUESTION, request_id="q-1"))
    queued = await observer.wait_for(is_type(m.SteeringApplied, status="queued"), 10)
    assert (queued.action, queued.text, queued.by, queued.request_id) == (
        "ask_question",
        OBSERVER_QUESTION,
        "Bo",
        "q-1",
    )

    # The greeting plays out, then the first planned question: the observer's question waits for the candidate's
    # answer (a turn boundary), it is never asked over the interviewer's own words.
    first: m.UtteranceStart = await candidate.wait_for(
        lambda msg: isinstance(msg, m.UtteranceStart) and msg.utterance_id == 1, 90
    )
    assert first.question_number == 1
    await candidate.wait_for(is_type(m.StateChanged, state=m.SessionState.LISTENING), 90)
    await asyncio.sleep(1.5)
    assert len(candidate.messages(m.UtteranceStart)) == 2, dump(candidate)

    await candidate.send(m.TextAnswer(text="I moved our billing service to Kubernetes and led the rollout."))
    asked: m.UtteranceStart = await candidate.wait_for(
        lambda msg: isinstance(msg, m.UtteranceStart) and msg.utterance_id == 2, 60
    )
    # Its own number after the two planned questions, so that its answer is scored as its own item.
    assert asked.kind is m.UtteranceKind.QUESTION and asked.question_number == 3
    end: m.UtteranceEnd = await candidate.wait_for(is_type(m.UtteranceEnd, utterance_id=2), 60)
    assert end.text == f"My colleague would like to ask: {OBSERVER_QUESTION}", "introduced, then word for word"
    frames = [f for f in candidate.messages(OutputFrame) if f.utterance_id == 2 and f.pcm]
    assert sum(len(f.pcm) for f in frames) > 10_000, "in the interviewer's voice"
    await observer.wait_for(is_type(m.SteeringApplied, status="done"), 10)

    await candidate.wait_for(is_type(m.StateChanged, state=m.SessionState.LISTENING), 60)
    await candidate.send(m.TextAnswer(text="Prometheus alerts on error rates and a latency dashboard."))
    after: m.UtteranceStart = await candidate.wait_for(
        lambda msg: isinstance(msg, m.UtteranceStart) and msg.utterance_id == 3, 60
    )
    assert after.question_number in (1, 2), "then the interviewer goes on with its own questions"
    await candidate.send(m.End())
    await candidate.wait_for(is_type(m.Ended), 60)
    await observer.wait_for(is_type(m.CandidateConnection, connected=False), 30)

    # The observer saw it queued, then the boundary (the answer), then it asked.
    kinds = [(type(e.event).__name__, getattr(e.event, "status", "")) for e in observer.events()]
    queued_at = kinds.index(("SteeringApplied", "queued"))
    done_at = kinds.index(("SteeringApplied", "done"))
    answered_at = kinds.index(("FinalTranscript", ""))
    assert queued_at < answered_at < done_at

    body = results(live_server, created)
    report = body["report"]
    observer_turns = [t for t in report["transcript"] if t["asked_by"] == "observer"]
    assert [(t["question"], t["answer"]) for t in observer_turns] == [
        (
            f"My colleague would like to ask: {OBSERVER_QUESTION}",
            "Prometheus alerts on error rates and a latency dashboard.",
        )
    ]
    assert report["questions_planned"] == 3, "two planned questions and the observer's"
    scored = {q["question_number"]: q for q in body["questions"]}
    assert scored[3]["question_text"] == OBSERVER_QUESTION and scored[3]["score"] > 0, "scored like any other answer"
    assert scored[3]["grounding"] == {"source": "observer", "quote": OBSERVER_QUESTION}
    assert [(a["action"], a["text"], a["by"]) for a in report["observer_actions"]] == [
        ("ask_question", OBSERVER_QUESTION, "Bo")
    ]
    await observer.close()


async def test_skip_note_and_end_reach_the_session_and_the_note_stays_private(live_server: str) -> None:
    created, candidate = await open_interview(live_server)
    observer = await ObserverClient.connect(live_server, created["interview_id"], created["observer_token"])
    await start(candidate)
    await candidate.wait_for(is_type(m.StateChanged, state=m.SessionState.SPEAKING), 60)
    await observer.send(m.SkipTopic(request_id="s-1"))
    await observer.send(m.AddNote(text=NOTE, request_id="n-1"))
    await observer.wait_for(is_type(m.NoteAdded, request_id="n-1"), 10)
    await observer.wait_for(is_type(m.SteeringApplied, action=m.SteeringAction.SKIP_TOPIC, status="queued"), 10)

    await wait_for_first_question(candidate)
    await answer(candidate, "We moved it.", turn=0)  # thin: without the skip it would get a follow-up
    moved: m.UtteranceStart = await candidate.wait_for(
        lambda msg: isinstance(msg, m.UtteranceStart) and msg.utterance_id == 2, 60
    )
    assert (moved.kind, moved.question_number) == (m.UtteranceKind.QUESTION, 2)
    first = await candidate.wait_for(is_type(m.UtteranceText, utterance_id=2, sentence=0), 30)
    assert first.text == "Let's leave that topic there."
    await observer.wait_for(is_type(m.SteeringApplied, action=m.SteeringAction.SKIP_TOPIC, status="done"), 10)

    await observer.send(m.EndInterview(request_id="e-1"))
    ended: m.Ended = await candidate.wait_for(is_type(m.Ended), 30)
    assert ended.reason is m.EndReason.OBSERVER_ENDED
    await asyncio.wait_for(candidate.closed.wait(), 10)
    assert candidate.close_code == m.CloseCode.NORMAL
    await observer.wait_for(is_type(m.Ended, reason=m.EndReason.OBSERVER_ENDED), 10)

    candidate_saw = dump(candidate) + "".join(str(r.message) for r in candidate.received)
    assert "strong on ownership" not in candidate_saw, "a private note reached the candidate"
    body = results(live_server, created)
    assert body["status"] == "ended"
    actions = [(a["action"], a["text"]) for a in body["report"]["observer_actions"]]
    assert actions == [("skip_topic", ""), ("note", NOTE), ("end_interview", "")]
    markdown = httpx.get(
        f"{live_server}/api/v1/interview/results/{created['interview_id']}",
        params={"format": "markdown", "token": created["observer_token"]},
        timeout=60,
    ).text
    assert NOTE in markdown and "## Observers" in markdown
    await observer.close()


async def test_steering_while_the_candidate_is_away_is_refused(live_server: str) -> None:
    created = start_interview(live_server)
    observer = await ObserverClient.connect(live_server, created["interview_id"], created["observer_token"])
    ready: m.ObserverReady = await observer.wait_for(lambda msg: isinstance(msg, m.ObserverReady), 10)
    assert ready.status == "created" and ready.live is m.LiveStatus.LIVE
    await observer.send(m.AskQuestion(text="Anyone there?", request_id="q-9"))
    refused: m.SteeringRefused = await observer.wait_for(lambda msg: isinstance(msg, m.SteeringRefused), 10)
    assert (refused.request_id, refused.code) == ("q-9", m.ErrorCode.NOT_LIVE)
    await observer.close()


async def test_an_observer_cannot_answer_or_send_audio(live_server: str) -> None:
    created, candidate = await open_interview(live_server)
    observer = await ObserverClient.connect(live_server, created["interview_id"], created["observer_token"])
    await start(candidate)
    await candidate.wait_for(is_type(m.StateChanged, state=m.SessionState.SPEAKING), 60)
    await observer.send_raw(bytes(640))
    await observer.send_raw(m.encode(m.TextAnswer(text="an answer from the observer")))
    await observer.send_raw(m.encode(m.Hello()))
    await observer.send_raw('{"type": "ask_question", "text": ""}')
    errors = []
    for _ in range(4):
        errors.append(await observer.wait_for(lambda msg: isinstance(msg, m.ErrorMessage) and msg not in errors, 10))
    assert [e.code for e in errors] == [
        m.ErrorCode.INVALID_MESSAGE,
        m.ErrorCode.UNKNOWN_TYPE,
        m.ErrorCode.UNKNOWN_TYPE,
        m.ErrorCode.INVALID_MESSAGE,
    ]
    assert not any(e.fatal for e in errors)
    # The candidate answers: the first answer of the interview must be theirs, nothing the observer sent.
    final = await answer(candidate, "I led the billing migration to Kubernetes.", turn=0)
    assert final.text == "I led the billing migration to Kubernetes."
    assert [f.text for f in candidate.messages(m.FinalTranscript)] == [final.text]
    await candidate.close()
    await observer.close()
