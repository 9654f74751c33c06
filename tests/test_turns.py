"""The turn detector on labelled window sequences: no audio, no clock, every decision reproducible."""

from __future__ import annotations

import pytest

from server.turns import Phase, SpeechStarted, TurnConfig, TurnDetector, TurnEnded, silence_needed

WINDOW = 32.0
CONFIG = TurnConfig()


def feed(detector: TurnDetector, labels: str, start_ms: float = 0.0) -> list[tuple[int, object]]:
    """Feed one window per label ('s' speech, '.' silence, '~' uncertain); return (window index, event)."""
    probability = {"s": 0.95, ".": 0.02, "~": 0.4}
    events = []
    for i, label in enumerate(labels):
        for event in detector.feed(probability[label], start_ms + i * WINDOW, WINDOW):
            events.append((i, event))
    return events


def windows(ms: float) -> int:
    return int(ms // WINDOW) + 1


def test_a_finished_answer_ends_after_the_end_silence() -> None:
    detector = TurnDetector(CONFIG)
    labels = "." * 10 + "s" * 60 + "." * windows(CONFIG.end_silence_ms)
    events = feed(detector, labels)
    kinds = [type(event) for _, event in events]
    assert kinds == [SpeechStarted, TurnEnded]
    started = events[0][1]
    ended = events[1][1]
    assert isinstance(started, SpeechStarted) and isinstance(ended, TurnEnded)
    assert started.at_ms == 10 * WINDOW and not started.barge_in
    assert ended.speech_start_ms == 10 * WINDOW
    assert ended.speech_end_ms == 70 * WINDOW
    assert ended.decided_at_ms - ended.speech_end_ms >= CONFIG.end_silence_ms
    assert ended.decided_at_ms - ended.speech_end_ms < CONFIG.end_silence_ms + WINDOW
    assert detector.phase is Phase.WAITING


def test_a_short_pause_inside_an_answer_does_not_end_it() -> None:
    detector = TurnDetector(CONFIG)
    pause = "." * windows(CONFIG.end_silence_ms - 2 * WINDOW)
    events = feed(detector, "s" * 30 + pause + "s" * 30 + "." * 5)
    assert [type(e) for _, e in events] == [SpeechStarted]
    assert detector.phase is Phase.TALKING


@pytest.mark.parametrize("hint", ["I worked on the payment system and", "so the, um", "we used Kafka because"])
def test_unfinished_words_earn_a_thinking_pause_of_three_seconds(hint: str) -> None:
    detector = TurnDetector(CONFIG)
    feed(detector, "s" * 40)
    detector.set_hint(hint)
    events = feed(detector, "." * windows(3000), start_ms=40 * WINDOW)
    assert events == []
    events = feed(detector, "." * windows(CONFIG.unfinished_silence_ms - 3000), start_ms=(40 + windows(3000)) * WINDOW)
    assert [type(e) for _, e in events] == [TurnEnded]


def test_asking_for_time_holds_the_floor() -> None:
    detector = TurnDetector(CONFIG)
    feed(detector, "s" * 30)
    detector.set_hint("Hmm, let me think.")
    assert feed(detector, "." * windows(8000), start_ms=30 * WINDOW) == []


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        ("", CONFIG.end_silence_ms),
        ("I led the team of five.", CONFIG.end_silence_ms),
        ("I led the team and", CONFIG.unfinished_silence_ms),
        ("it was, uh", CONFIG.unfinished_silence_ms),
        ("we chose Postgres,", CONFIG.unfinished_silence_ms),
        ("Give me a moment.", CONFIG.hold_silence_ms),
    ],
)
def test_silence_needed_follows_the_words(hint: str, expected: float) -> None:
    assert silence_needed(hint, CONFIG) == expected


def test_blips_shorter_than_the_confirmation_are_ignored() -> None:
    detector = TurnDetector(CONFIG)
    blip = "s" * (windows(CONFIG.speech_confirm_ms) - 2)
    assert feed(detector, ("." * 5 + blip) * 10 + "." * 40) == []
    assert detector.phase is Phase.WAITING


def test_barge_in_needs_longer_speech_while_the_interviewer_talks() -> None:
    detector = TurnDetector(CONFIG)
    detector.set_interviewer_speaking(True)
    backchannel = "s" * (windows(CONFIG.barge_in_confirm_ms) - 2)  # an "mm-hm": longer than 200 ms, shorter than 400
    assert windows(CONFIG.speech_confirm_ms) < len(backchannel)
    assert feed(detector, "." * 5 + backchannel + "." * 20) == []
    events = feed(detector, "s" * windows(CONFIG.barge_in_confirm_ms), start_ms=10_000)
    assert len(events) == 1
    started = events[0][1]
    assert isinstance(started, SpeechStarted) and started.barge_in
    assert started.at_ms == 10_000


def test_hysteresis_keeps_uncertain_windows_inside_speech() -> None:
    detector = TurnDetector(CONFIG)
    # '~' (0.4) is below the start threshold but above the silence threshold: it continues speech.
    events = feed(detector, "s" * 10 + "~" * 40 + "." * windows(CONFIG.end_silence_ms))
    ended = [e for _, e in events if isinstance(e, TurnEnded)]
    assert ended and ended[0].speech_end_ms == 50 * WINDOW
    # ...but cannot start it.
    assert feed(TurnDetector(CONFIG), "~" * 50) == []


def test_the_candidate_can_end_the_turn_at_once() -> None:
    detector = TurnDetector(CONFIG)
    assert detector.end_turn_now(0) == []
    feed(detector, "s" * 20)
    detector.set_hint("and then")
    events = detector.end_turn_now(20 * WINDOW)
    assert len(events) == 1 and isinstance(events[0], TurnEnded) and events[0].forced


def test_a_turn_longer_than_the_maximum_is_ended() -> None:
    detector = TurnDetector(TurnConfig(max_turn_ms=2000))
    events = feed(detector, "s" * 100)
    ended = [(i, e) for i, e in events if isinstance(e, TurnEnded)]
    assert len(ended) == 1
    index, event = ended[0]
    assert isinstance(event, TurnEnded) and event.forced
    assert (index + 1) * WINDOW >= 2000
