"""End-of-turn detection: a pure, synchronous state machine.

It is fed voice-activity probabilities with their position in the candidate's audio stream, and what the
candidate said so far, and answers with events. It never reads a clock and never touches a socket, so every
decision is reproducible from a labelled sequence of windows. Time is the position in the audio
(milliseconds since the stream began).

Why these rules: an interviewer that cuts a thinking candidate off is worse than a slow one, yet a finished
answer deserves a quick reply. So a turn ends after a short silence only when the words cover the whole
answer so far and sound finished (a complete statement, long enough for the question asked); an unfinished
sentence, a trailing "and" or filler, or an answer too short for an open question earns a thinking pause of
several seconds; "let me think" holds the floor, and a long silence earns a gentle prompt, never a new
question. With a turn model, the voice has a say too (:class:`JudgeDue`, :meth:`TurnDetector.set_verdict`):
finished-sounding words spoken in a voice left hanging get the thinking pause; the model can only lengthen a
silence, so one that fails or answers late leaves the words to decide alone. Speech must last a while
before it counts, longer while the interviewer itself talks (echo, coughs and "mm-hm" are short), so that
only confirmed speech barges in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from itertools import pairwise

from server.text.sentences import split_sentences


@dataclass(frozen=True)
class TurnConfig:
    speech_threshold: float = 0.5
    #: Probability below which a window counts as silence once speech was heard (hysteresis).
    silence_threshold: float = 0.35
    #: Continuous speech needed before the candidate is considered to be talking.
    speech_confirm_ms: float = 200
    #: Continuous speech needed to interrupt the interviewer while it speaks.
    barge_in_confirm_ms: float = 400
    #: Speech that stopped at most this long before the confirmed run belongs to the same turn: "Sorry," is
    #: often too short to be confirmed alone, and the words after its comma must not lose it.
    chain_gap_ms: float = 500
    #: How far before its confirmation a turn may begin (bounds the audio kept between turns).
    speech_lookback_ms: float = 1500
    #: Silence after which the words so far are worth transcribing (the reply is prepared speculatively).
    pause_probe_ms: float = 160
    #: Silence that ends a turn after a finished-sounding answer of two statements or more.
    end_silence_ms: float = 450
    #: ...and after a finished-sounding answer of one statement, which more often goes on after a breath.
    one_statement_silence_ms: float = 600
    #: Silence that ends a turn when the words so far sound unfinished (a thinking pause), or are unknown.
    unfinished_silence_ms: float = 3600
    #: Silence that ends a turn after the candidate asked for time ("let me think").
    hold_silence_ms: float = 60_000
    #: Silence after which the candidate gets a gentle prompt (once per question).
    prompt_after_ms: float = 8_000
    #: A turn longer than this ends at once (bounds the memory and the transcription cost).
    max_turn_ms: float = 120_000
    #: Silence at which the turn's audio goes to the turn model (``VIVA_TURN_MODEL``); None: there is none.
    turn_model_probe_ms: float | None = None
    #: The turn model's probability of a finished turn below which finished-sounding words still get a
    #: thinking pause: the voice was left hanging.
    turn_model_threshold: float = 0.5


class Phase(Enum):
    WAITING = "waiting"  # no confirmed speech in this turn yet
    TALKING = "talking"  # the candidate is speaking (or pausing inside the turn)


@dataclass(frozen=True)
class SpeechStarted:
    """Confirmed speech; ``at_ms`` is where it began (before the confirmation delay), with the short sounds
    chained before it; ``run_ms`` is where the run of speech that was confirmed began."""

    at_ms: float
    barge_in: bool
    run_ms: float


@dataclass(frozen=True)
class PauseStarted:
    """The candidate paused: the words up to ``speech_end_ms`` are worth transcribing now."""

    speech_end_ms: float


@dataclass(frozen=True)
class JudgeDue:
    """The pause has lasted the turn model's probe: the turn's audio up to now is worth judging."""

    speech_end_ms: float


@dataclass(frozen=True)
class PauseEnded:
    """Speech resumed after a pause: anything prepared for the pause is stale."""

    at_ms: float


@dataclass(frozen=True)
class LongSilence:
    """The candidate has been silent a long time: prompt them gently; the turn stays theirs."""

    at_ms: float


@dataclass(frozen=True)
class TurnEnded:
    """The candidate's turn is over. ``speech_start_ms``..``speech_end_ms`` spans the words."""

    speech_start_ms: float
    speech_end_ms: float
    decided_at_ms: float
    forced: bool = False


TurnEvent = SpeechStarted | PauseStarted | JudgeDue | PauseEnded | LongSilence | TurnEnded

_HOLD = re.compile(
    r"\b(let me think|let me see|give me a (moment|second|sec|minute)|one (moment|second|sec)|hold on|"
    r"just a (moment|second|sec))\b[\s.,!?…]*$"
)
_UNFINISHED_TAIL = re.compile(
    r"\b(and|so|but|or|because|then|um+|uh+|er+|erm|hmm+|like|which|that|the|a|an|to|of|with|for|my|our|is|"
    r"was|were|if|when|while|also|well|in|on|at|by|from|into|about|as|than|we|i|it|they)\W*$"
)
_CLOSED_QUESTION = re.compile(r"^(do|did|does|are|is|was|were|have|has|had|can|could|would|will|shall)\b")
_OPEN_QUESTION = re.compile(
    r"\b(design|walk me through|how would you|architecture|tell me (about|more)|describe|example|what did you|"
    r"how did you|explain|why|how do you|what do you|how have you|what would you|what are|what is your approach|"
    r"what signals|what makes)\b"
)
#: An answer that announces a count ("there were three reasons", "two big ones") owes that many points.
_ANNOUNCED = re.compile(
    r"\b(two|three|four|five|[2-5]|a couple of|a few|several)\s+(?:[a-z-]+\s+){0,2}?"
    r"(things|reasons|ones|steps|ways|points|parts|areas|factors|lessons|changes|signals|risks|questions|problems|"
    r"options|goals|stages|phases|rules|priorities|ideas|examples|mistakes|habits|skills|metrics|checks)\b"
)
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "a couple of": 2, "a few": 2, "several": 3}
_COUNTS |= {str(count): count for count in range(2, 6)}  # speech recognition writes "3 things" as often
#: A number alone, the mark of a numbered point ("1. The volume forecast."), which speech recognition makes a
#: sentence of its own: it is no point.
_POINT_NUMBER = re.compile(r"^(\d+|one|two|three|four|five)[.)]?$")
#: A point that opens a list ("First, ...", "One, ...") promises the next.
_LIST_OPENER = re.compile(r"^(first|firstly|the first|one|first of all|to start|to begin with)\b")
#: A last sentence that is only a subordinate clause ("When the outage started.") still owes its main clause;
#: speech recognition ends it with a full stop all the same.
_DANGLING_CLAUSE = re.compile(
    r"(?:^|[.!?]\s+)(when|whenever|if|while|although|though|unless|as soon as|looking back)\b[^,.!?]*[.!?]?$"
)
_WORD = re.compile(r"[\w'-]+")
#: A comma followed by a new subject may start a second statement: speech recognition often joins two spoken
#: sentences with a comma ("We chose Postgres for its consistency, the whole team knew it."), most of all when
#: the voice hardly pauses between them.
_NEW_SUBJECT = re.compile(
    r"^(?:(?:and|but|so|then)\s+)?(?:i|i'm|i've|i'd|we|we're|we've|we'd|you|he|she|it|it's|its|they|there|the|"
    r"this|that|these|those|my|our|their|every|each|most|all|everything|everyone|nobody|none)\s"
    # ...or a word or two and a verb ("..., entries are invalidated"), not a relative clause ("..., which is").
    r"|^(?!(?:which|who|whom|whose|where|when|what)\b)[\w'-]+(?:\s+[\w'-]+)?\s+"
    r"(?:is|are|was|were|has|have|had|will|would|can|could|did|does|do)\b"
)
#: ...unless what comes before the comma only introduces the sentence ("At my last job, I led...", "When it
#: failed, we..."): a phrase opening with one of these words is no statement of its own.
_INTRODUCER = re.compile(
    r"^(after|at|before|during|for|from|if|in|last|on|once|since|when|whenever|while|although|though|because|"
    r"as|by|with|without|over|under|until|unless|this|that|back|also|honestly|well|yes|no|yeah|okay)\b"
)


def expected_answer_words(question: str) -> int:
    """Fewest words a finished answer to ``question`` plausibly has; shorter answers get a thinking pause.

    Speech recognition often drops a trailing "and" or "um" and ends the fragment with a full stop, so the
    words alone cannot tell a thought broken off from a short finished answer; the length can. Only the
    question's last sentence counts: a greeting or an acknowledgement may come before it.
    """
    sentences = [s.lower() for s in split_sentences(question)]
    asked = next((s for s in reversed(sentences) if s.endswith("?")), sentences[-1] if sentences else "")
    if _OPEN_QUESTION.search(asked):
        return 15
    if _CLOSED_QUESTION.search(asked) and len(_WORD.findall(asked)) <= 14:
        return 1
    return 10


def expected_answer_sentences(question: str) -> int:
    """Fewest sentences a finished answer to ``question`` plausibly has: an open question ("tell me about",
    "how do you") is rarely answered in one, so a pause after the first sentence is a thinking pause."""
    sentences = [s.lower() for s in split_sentences(question)]
    asked = next((s for s in reversed(sentences) if s.endswith("?")), sentences[-1] if sentences else "")
    return 2 if _OPEN_QUESTION.search(asked) else 1


def statements(text: str) -> int:
    """How many statements ``text`` makes: its sentences, and the ones a comma joins to them (a new subject
    after a comma that follows a phrase of four words or more that does not only introduce: see
    :data:`_NEW_SUBJECT`). :func:`silence_needed` wants two for an open question, and ends two or more
    sooner than one."""
    count = 0
    for sentence in split_sentences(text):
        phrases = [phrase.strip() for phrase in sentence.lower().split(",")]
        count += 1 if sentence.strip() else 0
        for before, after in pairwise(phrases):
            if _NEW_SUBJECT.match(after) and len(_WORD.findall(before)) >= 4 and not _INTRODUCER.match(before):
                count += 1
    return count


def owes_more(text: str) -> bool:
    """True when the answer so far promised more than it gave: fewer points than it announced ("three
    reasons" and two given), or a list opened ("First, ...") and not yet continued."""
    sentences = [s.strip().lower() for s in split_sentences(text) if s.strip()]
    sentences = [sentence for sentence in sentences if not _POINT_NUMBER.match(sentence)]
    for index, sentence in enumerate(sentences):
        announced = _ANNOUNCED.search(sentence)
        if announced is not None:
            given = len(sentences) - index - 1
            # The points may follow in the announcing sentence itself ("..., our champion leaving, and ...").
            if given < _COUNTS[announced.group(1)] and sentence.count(",") < _COUNTS[announced.group(1)] - 1:
                return True
    return bool(sentences) and _LIST_OPENER.match(sentences[-1]) is not None


def silence_needed(hint: str | None, expected_words: int, config: TurnConfig, expected_sentences: int = 1) -> float:
    """How long a silence must last to end the turn, given the words heard so far (None: not known yet)."""
    if hint is None:
        return config.unfinished_silence_ms
    text = hint.strip().lower()
    if _HOLD.search(text):
        return config.hold_silence_ms
    made = statements(hint)
    if (
        not text
        or _UNFINISHED_TAIL.search(text)
        or _DANGLING_CLAUSE.search(text)
        or text.endswith((",", "-", "...", "…", ":", ";"))
        or len(_WORD.findall(text)) < expected_words
        or made < expected_sentences
        or owes_more(hint)
    ):
        return config.unfinished_silence_ms
    return config.end_silence_ms if made >= 2 else config.one_statement_silence_ms


class TurnDetector:
    """Feed it :meth:`feed` with each VAD window and :meth:`set_hint` with transcripts; act on its events."""

    def __init__(self, config: TurnConfig | None = None) -> None:
        self.config = config or TurnConfig()
        self.phase = Phase.WAITING
        self.interviewer_speaking = False
        self.expected_words = 10
        self.expected_sentences = 1
        self._hint: str | None = None
        self._hint_covers_ms = -1.0
        self._run_start: float | None = None  # start of the current unconfirmed speech run
        # Unconfirmed runs close enough together to be one turn: (start of the first, end of the last).
        self._chain: tuple[float, float] | None = None
        self._in_speech = False
        self._turn_start = 0.0
        self._last_speech_end = 0.0
        self._paused = False
        self._waiting_since: float | None = None
        self._prompted = False
        # The last answer of silence_needed(), with its inputs: it is asked every window, the words change rarely.
        self._needed: tuple[str | None, tuple[int, int], float] | None = None
        self._judged_end = -1.0  # the speech end the turn model was last asked about
        self._verdict: tuple[float, float] | None = None  # (the speech end it judged, probability finished)

    @property
    def paused(self) -> bool:
        """In a turn, and silent for at least the pause probe."""
        return self.phase is Phase.TALKING and self._paused

    @property
    def last_speech_end_ms(self) -> float:
        """Where the turn's speech last stopped (or still goes on)."""
        return self._last_speech_end

    @property
    def candidate_speaking(self) -> bool:
        """In a turn and not paused: the interviewer must not start talking now."""
        return self.phase is Phase.TALKING and not self._paused

    @property
    def silence_needed_ms(self) -> float:
        fresh = self._hint if self._hint_covers_ms >= self._last_speech_end else None
        expected = (self.expected_words, self.expected_sentences)
        if self._needed is None or self._needed[0] != fresh or self._needed[1] != expected:
            needed = silence_needed(fresh, self.expected_words, self.config, self.expected_sentences)
            self._needed = (fresh, expected, needed)
        return self.combined(self._needed[2], self.verdict)

    @property
    def verdict(self) -> float | None:
        """The turn model's probability that the turn is finished, if it judged the speech so far."""
        if self._verdict is None or self._verdict[0] < self._last_speech_end:
            return None
        return self._verdict[1]

    def combined(self, words_ms: float, verdict: float | None) -> float:
        """The silence the words need, and the voice's say: finished-sounding words whose voice the model
        hears left hanging get a thinking pause. Without a verdict (none asked, failed, or not back yet) the
        words decide alone, as without a model."""
        if (
            verdict is not None
            and words_ms <= max(self.config.end_silence_ms, self.config.one_statement_silence_ms)
            and verdict < self.config.turn_model_threshold
        ):
            return self.config.unfinished_silence_ms
        return words_ms

    def set_verdict(self, probability: float, speech_end_ms: float) -> None:
        """The turn model judged the turn's audio up to a pause after ``speech_end_ms``."""
        self._verdict = (speech_end_ms, probability)

    def set_interviewer_speaking(self, speaking: bool) -> None:
        self.interviewer_speaking = speaking

    def expect_answer(self, question: str, listening_from_ms: float) -> None:
        """A question was asked and the floor is the candidate's from ``listening_from_ms``."""
        self.expected_words = expected_answer_words(question)
        self.expected_sentences = expected_answer_sentences(question)
        self._waiting_since = listening_from_ms
        self._prompted = False

    def set_hint(self, transcript: str, covers_until_ms: float) -> None:
        """The words of this turn up to ``covers_until_ms``. Only a hint covering all speech so far is trusted."""
        if covers_until_ms >= self._hint_covers_ms:
            self._hint = transcript
            self._hint_covers_ms = covers_until_ms

    def feed(self, probability: float, start_ms: float, duration_ms: float) -> list[TurnEvent]:
        end_ms = start_ms + duration_ms
        threshold = self.config.silence_threshold if self._in_speech else self.config.speech_threshold
        self._in_speech = probability >= threshold
        if self.phase is Phase.WAITING:
            return self._feed_waiting(start_ms, end_ms)
        return self._feed_talking(end_ms)

    def end_turn_now(self, at_ms: float) -> list[TurnEvent]:
        """The candidate said they are done (button, key): end the turn without waiting for silence."""
        if self.phase is not Phase.TALKING:
            return []
        return [self._finish(at_ms, forced=True)]

    def reject_speech(self) -> None:
        """The speech just confirmed was not the candidate (an echo of the interviewer, a backchannel)."""
        self.phase = Phase.WAITING
        self._run_start = None
        self._chain = None

    def reset(self) -> None:
        """Forget the current turn (after it ended, or after a typed answer)."""
        self.phase = Phase.WAITING
        self._run_start = None
        self._chain = None
        self._in_speech = False
        self._hint = None
        self._hint_covers_ms = -1.0
        self._paused = False
        self._waiting_since = None
        self._verdict = None

    def _feed_waiting(self, start_ms: float, end_ms: float) -> list[TurnEvent]:
        if not self._in_speech:
            if self._run_start is not None:
                first = self._run_start if self._chain is None else self._chain[0]
                self._chain = (first, start_ms)
            self._run_start = None
            if self._chain is not None and start_ms - self._chain[1] > self.config.chain_gap_ms:
                self._chain = None
            return self._maybe_prompt(self._waiting_since, end_ms)
        if self._run_start is None:
            self._run_start = start_ms
        confirm = self.config.barge_in_confirm_ms if self.interviewer_speaking else self.config.speech_confirm_ms
        if end_ms - self._run_start < confirm:
            return []
        self.phase = Phase.TALKING
        run = self._run_start
        began = run if self._chain is None else self._chain[0]
        self._turn_start = max(began, end_ms - self.config.speech_lookback_ms)
        self._last_speech_end = end_ms
        self._run_start = None
        self._chain = None
        self._paused = False
        return [SpeechStarted(at_ms=self._turn_start, barge_in=self.interviewer_speaking, run_ms=run)]

    def _feed_talking(self, end_ms: float) -> list[TurnEvent]:
        events: list[TurnEvent] = []
        if self._in_speech:
            self._last_speech_end = end_ms
            if self._paused:
                self._paused = False
                events.append(PauseEnded(at_ms=end_ms))
        if end_ms - self._turn_start >= self.config.max_turn_ms:
            return [*events, self._finish(end_ms, forced=True)]
        silence = end_ms - self._last_speech_end
        if not self._paused and silence >= self.config.pause_probe_ms:
            self._paused = True
            events.append(PauseStarted(speech_end_ms=self._last_speech_end))
        probe = self.config.turn_model_probe_ms
        if probe is not None and silence >= probe and self._judged_end < self._last_speech_end:
            self._judged_end = self._last_speech_end
            events.append(JudgeDue(speech_end_ms=self._last_speech_end))
        if silence >= self.silence_needed_ms:
            return [*events, self._finish(end_ms)]
        return events + self._maybe_prompt(self._last_speech_end if self._paused else None, end_ms)

    def _maybe_prompt(self, silent_since: float | None, now_ms: float) -> list[TurnEvent]:
        if self._prompted or silent_since is None or self.interviewer_speaking:
            return []
        if now_ms - silent_since < self.config.prompt_after_ms:
            return []
        self._prompted = True
        return [LongSilence(at_ms=now_ms)]

    def _finish(self, decided_at_ms: float, forced: bool = False) -> TurnEnded:
        event = TurnEnded(self._turn_start, self._last_speech_end, decided_at_ms, forced)
        self.reset()
        return event
