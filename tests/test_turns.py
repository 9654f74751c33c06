"""The turn detector on labelled window sequences: no audio, no clock, every decision reproducible."""

from __future__ import annotations

import pytest

from server.live.core.listening import barge_in_verdict
from server.live.core.turns import (
    LongSilence,
    PauseEnded,
    PauseStarted,
    Phase,
    SpeechStarted,
    TurnConfig,
    TurnDetector,
    TurnEnded,
    expected_answer_sentences,
    expected_answer_words,
    owes_more,
    silence_needed,
    statements,
)

WINDOW = 32.0
CONFIG = TurnConfig()
FINISHED = "I led the migration of our billing system to PostgreSQL. It cut costs by a third."


def feed(detector: TurnDetector, labels: str, start_ms: float = 0.0) -> list[tuple[int, object]]:
    """Feed one window per label ('s' speech, '.' silence, '~' uncertain); return (window index, event)."""
    probability = {"s": 0.95, ".": 0.02, "~": 0.4}
    events = []
    for i, label in enumerate(labels):
        for event in detector.feed(probability[label], start_ms + i * WINDOW, WINDOW):
            events.append((i, event))
    return events


def kinds(events: list[tuple[int, object]]) -> list[type]:
    return [type(event) for _, event in events]


def windows(ms: float) -> int:
    return int(ms // WINDOW) + 1


def talking(hint: str | None, speech_windows: int = 60) -> TurnDetector:
    """A detector in a turn of ``speech_windows`` of speech, with a transcript covering it."""
    detector = TurnDetector(CONFIG)
    feed(detector, "s" * speech_windows)
    if hint is not None:
        detector.set_hint(hint, speech_windows * WINDOW + 200)
    return detector


def test_a_finished_answer_ends_after_the_short_silence() -> None:
    detector = TurnDetector(CONFIG)
    events = feed(detector, "." * 10 + "s" * 60 + "." * windows(CONFIG.pause_probe_ms))
    assert kinds(events) == [SpeechStarted, PauseStarted]
    started, pause = events[0][1], events[1][1]
    assert isinstance(started, SpeechStarted) and started.at_ms == 10 * WINDOW and not started.barge_in
    assert isinstance(pause, PauseStarted) and pause.speech_end_ms == 70 * WINDOW
    detector.set_hint(FINISHED, 70 * WINDOW + 200)  # the transcript started at the pause arrives
    events = feed(
        detector, "." * windows(CONFIG.end_silence_ms), start_ms=(70 + windows(CONFIG.pause_probe_ms)) * WINDOW
    )
    assert kinds(events) == [TurnEnded]
    ended = events[0][1]
    assert isinstance(ended, TurnEnded)
    assert (ended.speech_start_ms, ended.speech_end_ms) == (10 * WINDOW, 70 * WINDOW)
    assert CONFIG.end_silence_ms <= ended.decided_at_ms - ended.speech_end_ms < CONFIG.end_silence_ms + WINDOW
    assert detector.phase is Phase.WAITING


def test_one_finished_statement_waits_longer_than_two() -> None:
    """A candidate often breathes after a first complete sentence and goes on; after two, they are done."""
    one = "I led the migration of our billing system to PostgreSQL and cut costs by a third."
    waited = {}
    for hint in (one, FINISHED):
        detector = talking(hint)
        events = feed(detector, "." * windows(CONFIG.one_statement_silence_ms + 100), start_ms=60 * WINDOW)
        ended = next(e for _, e in events if isinstance(e, TurnEnded))
        waited[hint] = ended.decided_at_ms - ended.speech_end_ms
    assert CONFIG.end_silence_ms <= waited[FINISHED] < CONFIG.end_silence_ms + WINDOW
    assert CONFIG.one_statement_silence_ms <= waited[one] < CONFIG.one_statement_silence_ms + WINDOW


def test_without_a_transcript_covering_the_pause_the_detector_waits() -> None:
    detector = talking(None)
    detector.set_hint(FINISHED, 30 * WINDOW)  # a stale partial: covers only half of the speech
    assert feed(detector, "." * windows(3000), start_ms=60 * WINDOW)[1:] == []


def test_speech_resuming_after_a_pause_says_so() -> None:
    detector = talking(FINISHED)
    events = feed(detector, "." * 8 + "s" * 3, start_ms=60 * WINDOW)
    assert kinds(events) == [PauseStarted, PauseEnded]
    assert detector.candidate_speaking


@pytest.mark.parametrize(
    "hint",
    [
        "I worked on the payment system and",
        "so the, um",
        "We used Kafka because",
        "The first thing I would do is",
        "I redesigned the cache,",
        "Yes.",  # too short for an open question
    ],
)
def test_unfinished_words_earn_a_thinking_pause_of_three_seconds(hint: str) -> None:
    detector = TurnDetector(CONFIG)
    detector.expect_answer("Tell me about a system you designed.", 0)
    feed(detector, "s" * 40)
    detector.set_hint(hint, 40 * WINDOW + 200)
    assert TurnEnded not in kinds(feed(detector, "." * windows(3000), start_ms=40 * WINDOW))
    rest = feed(detector, "." * windows(CONFIG.unfinished_silence_ms - 3000), start_ms=(40 + windows(3000)) * WINDOW)
    assert kinds(rest) == [TurnEnded]


def test_asking_for_time_holds_the_floor_and_earns_one_gentle_prompt() -> None:
    detector = talking("Hmm, let me think.", speech_windows=30)
    events = feed(detector, "." * windows(20_000), start_ms=30 * WINDOW)
    assert kinds(events) == [PauseStarted, LongSilence]
    index, prompt = events[1]
    assert isinstance(prompt, LongSilence)
    assert CONFIG.prompt_after_ms <= (index + 1) * WINDOW < CONFIG.prompt_after_ms + 2 * WINDOW
    assert detector.phase is Phase.TALKING


def test_silence_before_any_answer_earns_a_prompt_not_a_new_question() -> None:
    detector = TurnDetector(CONFIG)
    detector.expect_answer("Tell me about yourself.", listening_from_ms=0)
    events = feed(detector, "." * windows(30_000))
    assert kinds(events) == [LongSilence]
    assert detector.phase is Phase.WAITING


def test_no_prompt_while_the_interviewer_speaks() -> None:
    detector = TurnDetector(CONFIG)
    detector.expect_answer("Tell me about yourself.", listening_from_ms=0)
    detector.set_interviewer_speaking(True)
    assert feed(detector, "." * windows(10_000)) == []


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        (None, CONFIG.unfinished_silence_ms),
        ("", CONFIG.unfinished_silence_ms),
        ("I led the team of five engineers.", CONFIG.one_statement_silence_ms),
        ("I led the team of five engineers. We shipped in May.", CONFIG.end_silence_ms),
        ("I led the team and", CONFIG.unfinished_silence_ms),
        ("it was, uh", CONFIG.unfinished_silence_ms),
        ("we chose Postgres for the ledger,", CONFIG.unfinished_silence_ms),
        ("Give me a moment.", CONFIG.hold_silence_ms),
        ("Let me think about that.", CONFIG.unfinished_silence_ms),
        ("When the outage started in the middle of the night.", CONFIG.unfinished_silence_ms),
        ("We rolled back. Looking back at that project.", CONFIG.unfinished_silence_ms),
        ("When the outage started, I paged the on-call engineer.", CONFIG.one_statement_silence_ms),
    ],
)
def test_silence_needed_follows_the_words(hint: str | None, expected: float) -> None:
    assert silence_needed(hint, 6, CONFIG) == expected


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("Did you use Kubernetes in that role?", 1),
        ("Thanks. Have you managed people before?", 1),
        ("Walk me through how you would design a rate limiter.", 15),
        ("Great answer. Tell me about a conflict in your team.", 15),
        ("What was the outcome?", 10),
        ("Could you tell me more? A specific example would help.", 15),
    ],
)
def test_the_question_sets_how_long_a_finished_answer_is(question: str, words: int) -> None:
    assert expected_answer_words(question) == words


def test_a_yes_to_a_yes_no_question_ends_quickly() -> None:
    detector = TurnDetector(CONFIG)
    detector.expect_answer("Did you use Kubernetes there?", 0)
    feed(detector, "s" * 12)
    detector.set_hint("Yes, I did.", 12 * WINDOW + 200)
    events = feed(detector, "." * windows(CONFIG.one_statement_silence_ms), start_ms=12 * WINDOW)
    assert kinds(events) == [PauseStarted, TurnEnded]


def test_blips_shorter_than_the_confirmation_are_ignored() -> None:
    detector = TurnDetector(CONFIG)
    blip = "s" * (windows(CONFIG.speech_confirm_ms) - 2)
    assert feed(detector, ("." * 5 + blip) * 10 + "." * 40) == []
    assert detector.phase is Phase.WAITING


def test_barge_in_needs_longer_speech_while_the_interviewer_talks() -> None:
    detector = TurnDetector(CONFIG)
    detector.set_interviewer_speaking(True)
    backchannel = "s" * (windows(CONFIG.barge_in_confirm_ms) - 2)  # longer than 200 ms, shorter than 400
    assert windows(CONFIG.speech_confirm_ms) < len(backchannel)
    assert feed(detector, "." * 5 + backchannel + "." * 20) == []
    events = feed(detector, "s" * windows(CONFIG.barge_in_confirm_ms), start_ms=10_000)
    assert kinds(events) == [SpeechStarted]
    started = events[0][1]
    assert isinstance(started, SpeechStarted) and started.barge_in and started.at_ms == 10_000


def test_rejected_speech_is_forgotten() -> None:
    detector = TurnDetector(CONFIG)
    detector.set_interviewer_speaking(True)
    feed(detector, "s" * windows(CONFIG.barge_in_confirm_ms))
    assert detector.phase is Phase.TALKING
    detector.reject_speech()
    assert detector.phase is Phase.WAITING
    assert feed(detector, "." * 200, start_ms=5000) == []


def test_hysteresis_keeps_uncertain_windows_inside_speech() -> None:
    detector = TurnDetector(CONFIG)
    events = feed(detector, "s" * 10 + "~" * 40 + "." * windows(CONFIG.pause_probe_ms))
    pauses = [e for _, e in events if isinstance(e, PauseStarted)]
    assert pauses and pauses[0].speech_end_ms == 50 * WINDOW
    assert feed(TurnDetector(CONFIG), "~" * 50) == []  # ...but uncertain windows cannot start speech


def test_the_candidate_can_end_the_turn_at_once() -> None:
    detector = TurnDetector(CONFIG)
    assert detector.end_turn_now(0) == []
    feed(detector, "s" * 20)
    detector.set_hint("and then", 20 * WINDOW)
    events = detector.end_turn_now(20 * WINDOW)
    assert len(events) == 1 and isinstance(events[0], TurnEnded) and events[0].forced


def test_a_turn_longer_than_the_maximum_is_ended() -> None:
    detector = TurnDetector(TurnConfig(max_turn_ms=2000))
    ended = [(i, e) for i, e in feed(detector, "s" * 100) if isinstance(e, TurnEnded)]
    assert len(ended) == 1
    index, event = ended[0]
    assert isinstance(event, TurnEnded) and event.forced and (index + 1) * WINDOW >= 2000


@pytest.mark.parametrize(("gap_windows", "starts_at_first"), [(8, True), (17, False)])
def test_a_short_first_word_before_a_pause_starts_the_turn_it_belongs_to(
    gap_windows: int, starts_at_first: bool
) -> None:
    """ "Sorry, [pause] could you repeat that?" over the interviewer: "Sorry" alone is too short to confirm, yet it
    begins the turn (within the chain gap); speech that far apart is not one turn."""
    detector = TurnDetector(CONFIG)
    detector.set_interviewer_speaking(True)
    short = windows(CONFIG.barge_in_confirm_ms) - 4  # not confirmed alone
    events = feed(detector, "." * 5 + "s" * short + "." * gap_windows + "s" * 20)
    assert kinds(events) == [SpeechStarted]
    started = events[0][1]
    assert isinstance(started, SpeechStarted) and started.barge_in
    second = (5 + short + gap_windows) * WINDOW
    assert started.at_ms == (5 * WINDOW if starts_at_first else second)


@pytest.mark.parametrize(
    ("words", "more_to_hear", "verdict"),
    [
        ("Sorry.", False, "interrupt"),
        ("Wait.", True, "interrupt"),
        ("Could you", False, "interrupt"),
        ("Mm-hmm.", False, "ignore"),
        ("Uh-uh.", False, "ignore"),
        ("Okay.", True, "listen_more"),  # "okay, so what I meant..." may follow
        ("Amen.", True, "listen_more"),  # the first 250 ms of "mm-hmm"
        ("Amen.", False, "ignore"),
        ("(coughs)", False, "ignore"),
        ("M. M. M. M. M.", True, "listen_more"),  # "mm hmm" and its pause, as Whisper heard it on a loaded node
        ("M-M-", False, "ignore"),
        ("Hmm, mhm.", False, "ignore"),
        ("Yeah man.", False, "ignore"),  # a murmured "mm-hmm", as Whisper tiny hears it on some alignments
        ("Yeah man.", True, "listen_more"),
        ("Yeah, so I think", False, "interrupt"),
        ("Okay, wait.", True, "interrupt"),
        ("Oh okay.", False, "ignore"),
        ("", True, "listen_more"),
    ],
)
def test_speech_over_the_interviewer_is_judged_by_its_first_words(words: str, more_to_hear: bool, verdict: str) -> None:
    assert barge_in_verdict(words, more_to_hear=more_to_hear) == verdict


@pytest.mark.parametrize(
    ("text", "owes"),
    [
        ("There were three reasons.", True),
        ("There were three reasons. First, our data was relational.", True),
        ("I'd say there are two big ones. The first is scope creep. The second is the vendor.", False),
        ("The big ones are usage dropping, our champion leaving, and tickets piling up.", False),  # given inline
        ("First, I send a short introduction with my phone number.", True),
        # Speech recognition writes numbers as digits, and a point's number as a sentence of its own.
        ("I check 3 things before the huddle. 1. The volume forecast by hour. 2. Who called out.", True),
        ("I check 3 things. 1. The forecast. 2. Who called out. 3. What is down.", False),
        ("I led the migration and it took three months.", False),
    ],
)
def test_an_answer_owes_the_points_it_announced(text: str, owes: bool) -> None:
    assert owes_more(text) is owes


def test_an_open_question_is_rarely_answered_in_one_sentence() -> None:
    assert expected_answer_sentences("Tell me about your leadership experience.") == 2
    assert expected_answer_sentences("How do you decide what goes into a release?") == 2
    assert expected_answer_sentences("Have you worked in retail before?") == 1
    one = "I led a team of six engineers for about two years."
    assert silence_needed(one, 10, CONFIG, expected_sentences=2) == CONFIG.unfinished_silence_ms
    two = one + " Before that I was the tech lead on a smaller project."
    assert silence_needed(two, 10, CONFIG, expected_sentences=2) == CONFIG.end_silence_ms


@pytest.mark.parametrize(
    ("text", "count"),
    [
        # Two spoken sentences that speech recognition joined with a comma (heard so in the turn benchmark).
        ("We chose posters for its strong consistency, the whole team already knew how to run it in production.", 2),
        ("The project was late, so I cut the scope to three features, we shipped on time.", 3),
        ("I asked each of them to write down the trade-offs, and we picked one together.", 2),
        ("I would cache the catalog close to the users, entries are invalidated when the stock changes.", 2),
        ("Our monitoring used Prometheus and Grafana, every team owned the dashboards and alerts of its services.", 2),
        # One statement: an introducing phrase, a relative clause, an aside, or no new subject after the comma.
        ("At my last job, I led a team of six engineers.", 1),
        ("We moved the labels to eye level, which was cheap.", 1),
        ("When the deploy failed at midnight, we rolled it back.", 1),
        ("I lock out and tag the breaker myself, even if someone tells me it's already off.", 1),
        ("Honestly, a logic analyzer.", 1),
        ("I led a team. Then we shipped.", 2),
    ],
)
def test_statements_count_sentences_a_comma_joined(text: str, count: int) -> None:
    assert statements(text) == count


def test_a_comma_spliced_second_sentence_answers_an_open_question() -> None:
    spliced = "We chose Postgres for its strong consistency, the whole team already knew how to run it in production."
    assert silence_needed(spliced, 15, CONFIG, expected_sentences=2) == CONFIG.end_silence_ms
    opening = "At my last job, I led a team of six engineers for about two years."
    assert silence_needed(opening, 10, CONFIG, expected_sentences=2) == CONFIG.unfinished_silence_ms


def test_speech_heard_as_no_word_at_all_is_judged_like_a_fragment() -> None:
    assert barge_in_verdict("¿", more_to_hear=True) == "listen_more"
    assert barge_in_verdict("¿", more_to_hear=False) == "ignore"
