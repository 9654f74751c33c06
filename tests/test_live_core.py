"""The live core with a fake clock: turn-taking, barge-in, speaking, steering and the end, in milliseconds.

Each test drives :class:`~server.live.core.session.LiveCore` through :class:`tests.core_world.World`, which
stands in for the shell: the microphone's speech carries its words, engines answer after set delays, and
the client reports playback like the web client.
"""

from __future__ import annotations

import pytest

from protocol import messages as m
from server.conversation.machine import InterviewMachine, Policy
from server.live.core import io
from server.live.core.listening import LONG_BARGE_IN_MS
from server.live.core.replay import encode_header, encode_input, replay
from server.live.core.session import STORE_UNAVAILABLE_CLOSE, Resume
from server.live.core.speaking import REPORT_SLACK_MS
from server.live.core.turns import TurnConfig
from tests.core_world import Delays, World, config, setup

FINISHED = (
    "At Acme I designed the payments API in Python and it cut failed charges by forty percent last year. "
    "I owned it from the first design to production."
)


def listening_to_question_one(**overrides: object) -> World:
    world = World.create(**overrides)  # type: ignore[arg-type]
    world.start()
    world.until_listening()
    return world


def kinds(world: World) -> list[tuple[m.UtteranceKind, int]]:
    return [(s.kind, s.question_number) for s in world.of(m.UtteranceStart)]


def speaking_question_one(world: World, played_s: float = 1.0) -> m.UtteranceStart:
    """Stream silence until question 1 is on air and ``played_s`` of it has played."""
    while not any(s.kind is m.UtteranceKind.QUESTION for s in world.of(m.UtteranceStart)):
        world.silence(0.1)
    start = world.of(m.UtteranceStart)[-1]
    while not any(f.utterance_id == start.utterance_id for _, f in world.frames):
        world.silence(0.02)
    world.silence(played_s)
    return start


def test_a_short_greeting_then_the_first_question_as_its_own_utterance() -> None:
    world = listening_to_question_one()
    assert kinds(world) == [(m.UtteranceKind.GREETING, 0), (m.UtteranceKind.QUESTION, 1)]
    greeting, question = world.of(m.UtteranceEnd)
    assert "Ada" in greeting.text and len(greeting.text.split()) < 30
    states = [s.state for s in world.of(m.StateChanged)]
    assert states == [m.SessionState.THINKING, m.SessionState.SPEAKING, m.SessionState.LISTENING]
    assert world.core.phase == "listening" and question.text == world.machine.plan[0].text


def test_a_finished_answer_is_saved_then_answered_without_transcribing_again() -> None:
    world = listening_to_question_one()
    world.silence(0.3)
    world.say(FINISHED)
    decided_before = len(world.commands)
    world.silence(2.0)
    (final,) = world.of(m.FinalTranscript)
    assert final.text == FINISHED and world.saved[0].answer == FINISHED
    assert world.saved[0].question_number == 1 and world.saved[0].kind == "question"
    # The recogniser's confidence is kept with the turn and reaches the scorer (an unsure transcript is flagged).
    assert world.saved[0].confidence == 0.9 and [(s.question_number, s.confidence) for s in world.scores] == [(1, 0.9)]
    after_decision = [c for _, c in world.commands[decided_before:] if isinstance(c, io.Transcribe)]
    turn_end = next(t for t, s in world.messages if isinstance(s, m.SpeechActivity) and not s.active)
    late = [c for t, c in world.commands if isinstance(c, io.Transcribe) and t >= turn_end]
    assert not late, "the pause's transcript should have been reused"
    assert after_decision == [] or all(c.purpose != "segment" for c in late)
    # The reply goes on air only after the answer was saved and confirmed to the client.
    saved_at = next(t for t, msg in world.messages if isinstance(msg, m.FinalTranscript))
    reply_at = next(t for t, msg in world.messages if isinstance(msg, m.UtteranceStart) and t >= saved_at)
    assert reply_at >= saved_at


@pytest.mark.parametrize(
    ("before", "pause_s", "after"),
    [
        ("We picked Kafka because", 2.5, "we needed to replay old events when a consumer had a bug."),
        ("To roll back a bad Terraform change we would", 2.5, "revert the commit and apply the previous plan."),
        ("I led the migration to Postgres.", 2.0, "Then we moved the reports over to a read replica."),
        ("The hardest part was, um,", 3.0, "keeping the old and the new data in sync during the move."),
    ],
)
def test_a_thinking_pause_neither_cuts_the_answer_nor_loses_its_words(before: str, pause_s: float, after: str) -> None:
    world = listening_to_question_one()
    world.say(before)
    world.silence(pause_s)
    world.say(after)
    world.silence(4.5)
    finals = world.of(m.FinalTranscript)
    assert [f.text for f in finals] == [f"{before} {after}"]


def test_a_long_silence_earns_one_gentle_prompt_never_a_new_question() -> None:
    world = listening_to_question_one()
    world.silence(20)
    assert kinds(world)[2:] == [(m.UtteranceKind.PROMPT, 1)]
    world.send(m.TextAnswer(text="Sorry, I was thinking. I led a team of four on the billing rewrite."))
    world.silence(1)
    (final,) = world.of(m.FinalTranscript)
    assert world.saved[0].question_number == 1 and final.turn == 0


def test_end_turn_ends_the_spoken_turn_at_once() -> None:
    world = listening_to_question_one()
    world.say("I built a payment service in Python and")
    world.send(m.EndTurn())
    world.silence(0.5)
    assert [f.text for f in world.of(m.FinalTranscript)] == ["I built a payment service in Python and"]


def test_real_speech_over_the_interviewer_interrupts_it_quickly_and_keeps_what_was_heard() -> None:
    world = World.create(turns=TurnConfig(barge_in_confirm_ms=250))
    world.start()
    start = speaking_question_one(world, played_s=2.5)
    onset = world.now
    world.say("Sorry, could you say that again more slowly please")
    (interrupted,) = world.of(m.Interrupted)
    at = next(t for t, msg in world.messages if msg is interrupted)
    assert interrupted.utterance_id == start.utterance_id
    assert at - onset <= 0.25 + Delays().barge_in + 0.06  # confirmation, then the words check
    assert interrupted.played_text and interrupted.played_text.endswith("…")
    question = world.machine.plan[0].text
    assert question.startswith(interrupted.played_text[:-2].strip())  # cut inside the first sentence, not empty
    assert abs(interrupted.played_ms - 2500) < 400
    world.silence(4)  # a short, unfinished-sounding turn gets the thinking pause
    assert world.saved[0].interrupted and world.saved[0].question == interrupted.played_text


def test_a_question_cut_off_in_its_first_words_is_asked_again() -> None:
    world = World.create(turns=TurnConfig(barge_in_confirm_ms=250))
    world.start()
    speaking_question_one(world, played_s=0.3)
    world.say("Sorry, I can hear you now")
    world.silence(4)
    assert world.of(m.Interrupted)
    again = world.of(m.UtteranceStart)[-1]
    assert again.question_number == 1 and again.kind is m.UtteranceKind.QUESTION
    world.until_listening()
    assert world.of(m.UtteranceEnd)[-1].text.endswith(world.machine.plan[0].text)


@pytest.mark.parametrize("backchannel", ["okay", "mm-hm", "uh-huh", "right", "(coughs)"])
def test_backchannels_and_coughs_never_interrupt(backchannel: str) -> None:
    world = World.create(turns=TurnConfig(barge_in_confirm_ms=250))
    world.start()
    speaking_question_one(world, played_s=0.8)
    world.hear = lambda words, purpose: backchannel if purpose == "barge_in" or words == "mark" else words
    world.say("mark")  # a short sound the fake recogniser hears as the backchannel
    world.until_listening()
    assert world.of(m.Interrupted) == []
    assert world.of(m.FinalTranscript) == []
    assert world.of(m.UtteranceEnd)[-1].text == world.machine.plan[0].text


def test_the_interviewers_own_echo_never_interrupts_and_costs_no_transcription() -> None:
    world = World.create(turns=TurnConfig(barge_in_confirm_ms=250))
    world.start()
    speaking_question_one(world, played_s=2.0)
    echo = world.echo_of_last_utterance(1.2)
    world.stream(echo, [0.95] * (len(echo) // 640))
    world.until_listening()
    assert world.of(m.Interrupted) == []
    assert not [c for _, c in world.commands if isinstance(c, io.Transcribe) and c.purpose == "barge_in"]


def test_verifying_a_barge_in_never_blocks_the_session() -> None:
    world = World.create(turns=TurnConfig(barge_in_confirm_ms=250))
    world.delays.barge_in = 0.9  # a slow recogniser
    world.start()
    start = speaking_question_one(world, played_s=0.5)
    frames_before = len(world.frames)
    world.say("I think")  # 600 ms of speech: confirmed, then waiting for its words
    assert len(world.frames) > frames_before  # the interviewer's frames kept flowing meanwhile
    world.send(m.Playback(utterance_id=start.utterance_id, played_ms=900, done=False))
    assert world.core.speaking is not None and world.core.speaking.reported_at == world.now
    # The first check heard only "I" (one word that does not take the floor by itself) while more speech
    # followed: it is judged again on the whole of it, "I think", which interrupts.
    world.silence(2.0)
    assert world.of(m.Interrupted)


@pytest.mark.parametrize("check_s", [0.2, 0.6, 1.0, 1.5, 2.5, 4.0])
def test_a_backchannel_then_noise_then_echo_never_interrupt_however_slow_the_check(check_s: float) -> None:
    """On a loaded machine the check of the "mm-hm" answers while the noise after it plays: what it heard was
    harmless and is over, so the noise and then the echo are judged on their own, not as one long run of
    speech that interrupts by its length alone, or whose echo the recogniser hears as words."""
    world = World.create(turns=TurnConfig(barge_in_confirm_ms=250))
    world.delays.barge_in = check_s
    world.start()
    speaking_question_one(world, played_s=2.5)
    spoken = {"mm": "Mm-hmm.", "hiss": "", "echo": "they can see by forty percent"}
    world.hear = lambda words, purpose: " ".join(spoken.get(w, w) for w in words.split()).strip()
    world.say("mm mm")
    world.silence(0.6)
    hiss = world.label(bytes(640 * 40), "hiss")  # 0.8 s the VAD takes for speech
    world.stream(hiss, [0.9] * 40)
    world.silence(0.3)
    echo = world.label(world.echo_of_last_utterance(1.6), "echo")
    world.stream(echo, [0.95] * (len(echo) // 640))
    world.until_listening()
    assert world.of(m.Interrupted) == []
    assert world.of(m.FinalTranscript) == []


def test_speech_that_simply_goes_on_interrupts_before_its_words_are_known() -> None:
    world = World.create(turns=TurnConfig(barge_in_confirm_ms=250))
    world.delays.barge_in = 5.0
    world.start()
    speaking_question_one(world, played_s=0.5)
    onset = world.now
    world.say("I would like to stop you there for a moment")
    (interrupted,) = world.of(m.Interrupted)
    at = next(t for t, msg in world.messages if msg is interrupted)
    assert at - onset <= LONG_BARGE_IN_MS / 1000 + 0.1


def test_played_ms_follows_a_client_whose_playback_stalls() -> None:
    world = World.create(turns=TurnConfig(barge_in_confirm_ms=250))
    world.start()
    start = speaking_question_one(world, played_s=0.2)
    world.report_playback = False
    world.send(m.Playback(utterance_id=start.utterance_id, played_ms=600, done=False))
    for _ in range(6):  # the client keeps reporting, but its playback is stuck at 600 ms
        world.silence(0.25)
        world.send(m.Playback(utterance_id=start.utterance_id, played_ms=600, done=False))
    world.say("Sorry, could you repeat the question")
    (interrupted,) = world.of(m.Interrupted)
    assert 600 <= interrupted.played_ms <= 600 + REPORT_SLACK_MS


def test_a_typed_answer_while_the_interviewer_speaks_interrupts_it_and_answers() -> None:
    world = World.create()
    world.start()
    speaking_question_one(world, played_s=3.0)
    world.send(m.TextAnswer(text=FINISHED))
    world.silence(0.5)
    assert world.of(m.Interrupted) and [f.text for f in world.of(m.FinalTranscript)] == [FINISHED]
    assert world.saved[0].answered_by == "text"


def test_speaking_over_the_greeting_never_consumes_the_first_question() -> None:
    world = World.create(turns=TurnConfig(barge_in_confirm_ms=250))
    world.start()
    while not world.frames:
        world.silence(0.02)
    world.silence(0.8)
    world.say("Hi there, nice to meet you")
    world.silence(4)
    assert world.of(m.Interrupted)
    assert world.saved[0].kind == "greeting" and world.saved[0].question_number == 0
    world.until_listening()
    assert kinds(world)[-1] == (m.UtteranceKind.QUESTION, 1)
    assert world.of(m.UtteranceEnd)[-1].text.endswith(world.machine.plan[0].text)
    assert world.scores == []  # a hello is not scored


def test_a_reconnect_resumes_at_the_current_question() -> None:
    first = listening_to_question_one()
    first.say(FINISHED)
    first.silence(3)
    snapshot = first.machine.snapshot()
    history = list(first.core.history)
    resumed = World.create(
        resume=Resume("iv-1", "Ada", "Backend Engineer", 3, started=True, history=history),
        machine=InterviewMachine.restore(setup(), snapshot),
    )
    resumed.send(m.Hello())
    (ready,) = resumed.of(m.Ready)
    assert ready.started and ready.history == history
    resumed.send(m.Start())
    resumed.until_listening()
    (start,) = resumed.of(m.UtteranceStart)
    assert resumed.of(m.UtteranceEnd)[0].text.startswith("Welcome back, Ada")
    assert not [c for _, c in resumed.commands if isinstance(c, io.SaveStart)]
    resumed.send(m.TextAnswer(text="Yes, I measured it with dashboards."))
    resumed.silence(0.5)
    assert resumed.saved[0].index == 1 and resumed.saved[0].question_number == start.question_number


def test_silence_ends_the_interview_after_the_idle_timeout() -> None:
    world = listening_to_question_one(idle_timeout_s=30)
    world.run_until(world.now + 31)
    (ended,) = world.of(m.Ended)
    assert ended.reason is m.EndReason.IDLE_TIMEOUT and world.closed == io.Close(1000, "idle_timeout")
    finish = [c for _, c in world.commands if isinstance(c, io.Finish)]
    assert finish == [io.Finish("ended", m.EndReason.IDLE_TIMEOUT)]


def test_the_interview_ends_at_its_maximum_length_and_keeps_an_answer_in_progress() -> None:
    world = listening_to_question_one(max_interview_s=23)
    world.say("I designed the payments API in Python and I also")  # until ~21.5 s, then thinking
    world.run_until(23.5)
    assert [f.text for f in world.of(m.FinalTranscript)] == ["I designed the payments API in Python and I also"]
    assert world.of(m.Ended)[0].reason is m.EndReason.MAX_DURATION
    assert world.of(m.Ended)[0].summary[0].answer == world.saved[0].answer


def test_an_observers_question_is_asked_at_the_next_turn_boundary_with_its_request() -> None:
    world = listening_to_question_one()
    world.say("I designed the payments API in Python")
    action = m.AskQuestion(text="Which tests did you write for it?", request_id="r1")
    world.feed(io.Steer("c1", "Bo", m.encode(action)))
    assert world.records == [
        m.SteeringApplied(action="ask_question", status="queued", text=action.text, request_id="r1", by="Bo")
    ]
    world.say("and it cut failed charges by forty percent for every card payment we took. It still runs today.")
    world.silence(1.5)
    world.until_listening()
    asked = world.of(m.UtteranceStart)[-1]
    assert world.of(m.UtteranceEnd)[-1].text.endswith(action.text)
    assert asked.question_number == len(world.machine.plan) + 1  # numbered after the plan, and scored
    done = world.records[-1]
    assert done == m.SteeringApplied(action="ask_question", status="done", text=action.text, request_id="r1", by="Bo")
    world.send(m.TextAnswer(text="Unit tests and contract tests."))
    world.silence(0.5)
    assert world.saved[-1].asked_by == "observer"


def test_ending_from_the_live_room_is_queued_then_done_and_saves_the_answer_in_progress() -> None:
    world = listening_to_question_one()
    world.say("I designed the payments API")
    world.feed(io.Steer("c2", "Bo", m.encode(m.EndInterview(request_id="r2"))))
    world.silence(1)
    assert [(r.status, r.request_id, r.by) for r in world.records] == [("queued", "r2", "Bo"), ("done", "r2", "Bo")]
    assert world.of(m.Ended)[0].reason is m.EndReason.OBSERVER_ENDED
    assert world.saved[0].answer == "I designed the payments API"
    world.feed(io.Steer("c3", "Bo", m.encode(m.SkipTopic(request_id="r3"))))
    assert world.closed is not None


def test_steering_is_refused_once_the_closing_words_were_said() -> None:
    world = World.create(machine=InterviewMachine.start(setup(num_questions=1), Policy(max_follow_ups_per_question=0)))
    world.start()
    world.until_listening()
    world.send(m.TextAnswer(text=FINISHED + " I measured it with dashboards and load tests."))
    world.silence(0.3)
    world.feed(io.Steer("c4", "Bo", m.encode(m.AskQuestion(text="One more?", request_id="r4"))))
    assert world.refused and world.refused[0].request_id == "r4" and world.refused[0].code is m.ErrorCode.NOT_LIVE


def test_a_store_outage_is_retried_and_the_answer_saved_without_answering_again() -> None:
    world = listening_to_question_one()
    world.store_down = True
    world.send(m.TextAnswer(text=FINISHED))
    world.silence(1.2)
    errors = world.of(m.ErrorMessage)
    assert [e.code for e in errors] == [m.ErrorCode.STORE_UNAVAILABLE] and not errors[0].fatal
    assert world.of(m.FinalTranscript) == []  # not acknowledged before it is durable
    world.store_down = False
    world.silence(3)
    assert [f.text for f in world.of(m.FinalTranscript)] == [FINISHED] and len(world.saved) == 1


def test_a_store_that_never_returns_closes_with_try_again_later() -> None:
    world = listening_to_question_one()
    world.store_down = True
    world.send(m.TextAnswer(text=FINISHED))
    world.silence(40)
    assert world.closed == io.Close(*STORE_UNAVAILABLE_CLOSE)
    assert world.of(m.ErrorMessage)[-1].fatal


def test_a_recorded_session_replays_to_the_same_decisions() -> None:
    world = World.create(turns=TurnConfig(barge_in_confirm_ms=250))
    header = encode_header(config(turns=TurnConfig(barge_in_confirm_ms=250)), world.core.resume, 0.0)
    world.start()
    speaking_question_one(world, played_s=1.0)
    world.say("Sorry, what do you mean by that")
    world.silence(2)
    world.say(FINISHED)
    world.silence(2)
    lines = [header, *(encode_input(t, item) for t, item in world.inputs)]
    assert [c for _, c in world.commands] == replay(lines)
