"""The audio end-of-turn model beside the words: a voice left hanging keeps a finished-sounding pause safe,
and a model that fails, or answers late, changes nothing.

The core tests drive :class:`~server.live.core.session.LiveCore` with a fake clock (:mod:`tests.core_world`);
the last ones run the real Smart Turn model on real (Piper) speech.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from protocol import messages as m
from server.live.core import io
from server.live.core.replay import encode_header, encode_input, replay
from server.live.core.turns import TurnConfig
from tests.core_world import Delays, World, config

#: Two finished-sounding sentences, long enough for an open question: the words alone end the turn here.
FIRST = (
    "At Acme I designed the payments API in Python and it cut failed charges by forty percent last year. "
    "I owned it from the first design to production."
)
THEN = "Then we moved the reports over to a read replica so the API stayed fast."
WITH_MODEL = TurnConfig(turn_model_probe_ms=200)


def hanging_after_first(words: str) -> float:
    """A model that hears the voice left hanging after the first part (it hears only its last 8 s), and
    finished after the whole."""
    return 0.1 if words.endswith(FIRST[-30:]) else 0.95


def with_model(verdict: Any = None, delays: Delays | None = None) -> World:
    """A world whose core asks the turn model 200 ms into each pause; ``verdict`` None: the model fails."""
    world = World.create(turns=WITH_MODEL)
    world.verdict = verdict
    world.delays = delays or Delays()
    return world


def answer_with_pause(world: World, pause_s: float = 1.5) -> World:
    world.start()
    world.until_listening()
    world.say(FIRST)
    world.silence(pause_s)
    world.say(THEN)
    world.silence(5.0)
    return world


def turn_ends(world: World) -> list[float]:
    return [t for t, s in world.messages if isinstance(s, m.SpeechActivity) and not s.active]


def first_decision_delay(world: World) -> float:
    """Seconds from the end of the first speech to the first end-of-turn decision."""
    world.start()
    world.until_listening()
    world.say(FIRST)
    spoke_until = world.now
    world.silence(5.0)
    return turn_ends(world)[0] - spoke_until


def test_without_a_model_the_words_cut_this_pause_off() -> None:
    world = answer_with_pause(World.create())
    assert [f.text for f in world.of(m.FinalTranscript)] == [FIRST, THEN]
    assert not any(isinstance(c, io.JudgeTurn) for _, c in world.commands)


def test_a_voice_left_hanging_turns_a_finished_sounding_pause_into_a_thinking_pause() -> None:
    world = answer_with_pause(with_model(hanging_after_first))
    assert [f.text for f in world.of(m.FinalTranscript)] == [f"{FIRST} {THEN}"]
    judged = [c for _, c in world.commands if isinstance(c, io.JudgeTurn)]
    assert len(judged) == 2  # once per pause


def test_a_finished_voice_ends_the_turn_as_soon_as_the_words_alone_would() -> None:
    words_alone = first_decision_delay(World.create())
    judged = first_decision_delay(with_model(lambda words: 0.95))
    assert judged == pytest.approx(words_alone, abs=0.021)
    assert words_alone < 1.0


def test_a_failing_model_leaves_the_decision_to_the_words() -> None:
    words_alone = first_decision_delay(World.create())
    world = with_model()  # every judgement fails
    assert first_decision_delay(world) == pytest.approx(words_alone, abs=0.021)
    assert io.Count("engine_error", "turn_model") in [c for _, c in world.commands]


def test_a_verdict_later_than_the_words_decision_changes_nothing() -> None:
    world = answer_with_pause(with_model(hanging_after_first, Delays(judge=1.0)))
    assert [f.text for f in world.of(m.FinalTranscript)] == [FIRST, THEN]


def test_speech_that_goes_on_drops_the_judgement_of_the_pause_before() -> None:
    world = with_model(lambda words: 0.1, Delays(judge=0.5))
    world.start()
    world.until_listening()
    world.say("We picked Kafka")
    world.silence(0.3)  # judged at 200 ms; the verdict would come at 700 ms
    world.say(FIRST)
    judge = next(c for _, c in world.commands if isinstance(c, io.JudgeTurn))
    assert io.CancelJob(judge.job) in [c for _, c in world.commands]
    spoke_until = world.now
    world.silence(5.0)
    assert [f.text for f in world.of(m.FinalTranscript)] == [f"We picked Kafka {FIRST}"]
    assert turn_ends(world)[0] - spoke_until < 1.0  # the stale "hanging" verdict did not hold the floor (3.6 s)


def test_a_recorded_session_with_verdicts_replays_to_the_same_decisions() -> None:
    world = answer_with_pause(with_model(hanging_after_first))
    header = encode_header(config(turns=WITH_MODEL), world.core.resume, 0.0)
    lines = [header, *(encode_input(t, item) for t, item in world.inputs)]
    assert any('"TurnJudged"' in line for line in lines)
    assert [c for _, c in world.commands] == replay(lines)


# ---------------------------------------------------------------------------------------------- the real model


@pytest.fixture(scope="module")
def smart_turn() -> Any:
    from server.engines.smart_turn import SmartTurn

    return SmartTurn()


@pytest.mark.slow
def test_smart_turn_hears_a_finished_voice_and_one_left_hanging(smart_turn: Any) -> None:
    from tests.speech import silence, speak

    finished = silence(0.6) + speak("The hardest part was getting the finance team to trust the new numbers.")
    hanging = silence(0.6) + speak("I sat down with the daughter and")  # Piper's voice stays up on "and"
    assert smart_turn.complete_probability(finished + silence(0.2)) > 0.5
    assert smart_turn.complete_probability(hanging + silence(0.2)) < 0.5
    # On its own threads through the engine interface, the same verdict.
    judged = asyncio.run(smart_turn.judge(finished + silence(0.2)))
    assert judged == pytest.approx(smart_turn.complete_probability(finished + silence(0.2)))


def test_the_turn_model_is_chosen_by_viva_turn_model() -> None:
    from server.config import Settings
    from server.engines import create_turn_model

    assert create_turn_model(Settings(turn_model="none")) is None
