"""End of turn, measured the way eot-bench does: false cut-offs at 300 ms and 600 ms of silence, and the
latency at a 5 % cut-off budget, on the 78 spoken answers of ``tests/data/eot_answers.json``.

Each answer is spoken by Piper (strings back to back, ``pause_s`` as exact silences: every such pause is a
thinking pause, the candidate is not done) and run through the live session's own listening core
(:class:`server.live.core.listening.Listener`: the turn detector, speculative transcription, segments) with
the real engines: Silero VAD on every window and Whisper tiny.en on every transcription the core asks for.
Time is the audio's: a transcription's result arrives as long after its request as Whisper took to compute
it here, on the product's lanes (:class:`Lanes`: the turn's words and barge-in checks on
``VIVA_WHISPER_WORKERS`` workers, most urgent first; captions on a worker of their own that waits for the
live lane to rest, at most ``CAPTION_YIELD_S``), so a run is far faster than real time yet decides as a live
session would on an idle node. Jobs that overlap are each timed alone: on 2 cores they would share the CPU,
so latencies here are a lower bound where captions and words overlap.

For each end-of-turn setting (one silence that ends every finished-sounding answer), and for the product's
own silences (``end_silence_ms`` after two statements or more, ``one_statement_silence_ms`` after one), it
reports:

- false cut-offs: thinking pauses at which the turn ended, out of all thinking pauses;
- latency: from the last spoken sample to the decision (``speech`` ``active: false``), on the true ends;
- lost words: thinking pauses after which fewer than half the words of what followed reached the saved
  answer (cut off or not).

``eot_breath_cutoffs``: the finished answers again with a 0.35 s breath between their sentences, the share
of breaths the product's silences cut (a quick end of turn risks these, not the thinking pauses).

``eot_latency_ms_at_5pct`` is the p50 latency of the fastest setting whose false cut-offs stay within 5 %.
The answers are split in two by their number (odd: tune, even: held out); the headline figures are the
held-out half's, which no rule was tuned on.

Each setting is run with the words alone and with Smart Turn beside them (``VIVA_TURN_MODEL``), and with
``--variants all`` the other ways of combining them (:class:`Variant`); ``smart_turn_ms_p50/p95`` is the
model's compute time per verdict here.

Run: ``python -m benchmarks.end_of_turn [--settings 300,600] [--variants all]``.
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from benchmarks.eot_variants import VARIANTS, ComparedDetector, Judge, Variant
from benchmarks.support import machine, percentile
from protocol import messages as m
from protocol.audio import INPUT_FRAME_BYTES, INPUT_FRAME_MS
from server.config import Settings
from server.engines.embedded import CAPTION_YIELD_S, WhisperSpeechToText
from server.engines.silero import SileroModel, SileroStream
from server.live.core.echo import EchoGuard
from server.live.core.io import CancelJob, Jobs, JudgeTurn, Send, Transcribe
from server.live.core.listening import Answered, Listener
from server.live.core.turns import TurnConfig
from tests.speech import silence, speak

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "eot_answers.json"
LOUD = 300  # a sample louder than this (of 32767) is speech
LEAD_S, TAIL_S = 0.6, 5.0
BREATH_S = 0.35
PRIORITY = {"barge_in": 0, "segment": 1, "partial": 2}
#: The row of the product's own silences (``end_silence_ms`` after two statements or more,
#: ``one_statement_silence_ms`` after one), beside the settings that use one silence for every answer.
PRODUCT = 10**6
#: The figures ``make bench`` repeats at the end (held-out half).
HEADLINE = (
    "eot_false_cutoffs_at_300ms",
    "eot_false_cutoffs_at_600ms",
    "eot_latency_ms_at_5pct",
    "eot_latency_p50_ms_default",
    "lost_words_after_pause",
    "thinking_pauses",
)
_WORD = re.compile(r"[a-z0-9']+")
#: Words of spoken numbers, which speech recognition writes as digits ("ninety-eight point six percent" is
#: "98.6%"): the lost-words check does not look for them.
_NUMBER_WORD = re.compile(
    r"(zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(thir|four|fif|six|seven|eigh|nine)teen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|point|percent|dollars)"
)


@dataclass(frozen=True)
class Answer:
    id: str
    kind: str
    question: str
    pcm: bytes
    pauses: list[tuple[float, float]]  # thinking pauses: (last sample before, first sample after), in ms
    after_pause: list[str]  # the words spoken after each pause
    speech_end_ms: float


@dataclass
class Outcome:
    cut_at: list[int] = field(default_factory=list)  # indexes of the pauses at which the turn ended
    latency_ms: float | None = None  # last spoken sample -> the decision that followed it
    lost_after: list[int] = field(default_factory=list)  # pauses whose following words did not reach the answer
    words: str = ""


def _loud_span(pcm: bytes) -> tuple[int, int]:
    import numpy as np

    samples = np.abs(np.frombuffer(pcm, dtype="<i2").astype(np.int32))
    loud = np.flatnonzero(samples > LOUD)
    return int(loud[0]), int(loud[-1])


def load_answers() -> list[Answer]:
    return [spoken_answer(item) for item in json.loads(DATA.read_text())["items"]]


def breath_answers() -> list[Answer]:
    """The finished answers again, with a breath of :data:`BREATH_S` between their sentences: a pause the
    candidate does not mean as the end, short of a thinking pause, that a quick end of turn may cut."""
    answers = []
    for item in json.loads(DATA.read_text())["items"]:
        if item["kind"] == "finished":
            segments = [part for sentence in item["segments"] for part in ({"pause_s": BREATH_S}, sentence)][1:]
            answers.append(spoken_answer({**item, "segments": segments}))
    return answers


def spoken_answer(item: dict[str, Any]) -> Answer:
    """The item spoken: strings back to back in one Piper run, each pause an exact silence."""
    # Runs of consecutive strings, each with the pause before it (None for the first).
    runs: list[tuple[float | None, list[str]]] = [(None, [])]
    for segment in item["segments"]:
        if isinstance(segment, str):
            runs[-1][1].append(segment)
        else:
            runs.append((segment["pause_s"], []))
    pcm = bytearray(silence(LEAD_S))
    pauses: list[tuple[float, float]] = []
    after: list[str] = []
    last_loud_ms = 0.0
    for pause_s, strings in runs:
        if pause_s is not None:
            pcm.extend(silence(pause_s))
        if not strings:
            continue
        text = " ".join(strings)
        audio = speak(text)
        first, last = _loud_span(audio)
        start_ms = len(pcm) / 32
        if pause_s is not None:
            pauses.append((last_loud_ms, start_ms + first / 16))
            after.append(text)
        pcm.extend(audio)
        last_loud_ms = start_ms + last / 16
    pcm.extend(silence(TAIL_S))
    return Answer(item["id"], item["kind"], item["question"], bytes(pcm), pauses, after, last_loud_ms)


def split_of(answer: Answer) -> str:
    return "tune" if int(answer.id.rsplit("_", 1)[1]) % 2 else "heldout"


class Recogniser:
    """Whisper with a memory: the same audio is transcribed once, and its compute time kept with the words."""

    def __init__(self) -> None:
        self.whisper = WhisperSpeechToText()
        self._memory: dict[tuple[str, bool], tuple[str, float, float]] = {}

    def __call__(self, pcm: bytes, partial: bool) -> tuple[str, float | None, float]:
        key = (hashlib.sha1(pcm).hexdigest(), partial)
        if key not in self._memory:
            started = time.perf_counter()
            heard = self.whisper.transcribe_now(pcm, partial, caption=partial)  # as the product routes captions
            elapsed_ms = (time.perf_counter() - started) * 1000
            self._memory[key] = (heard.text, heard.confidence or 0.0, elapsed_ms)
        text, confidence, elapsed_ms = self._memory[key]
        return text, confidence, elapsed_ms


class Lanes:
    """Whisper's lanes as the product has them (``WhisperSpeechToText``), in audio time: ``workers`` for the
    turns' words and barge-in checks, most urgent first, and one for captions, which starts a caption once the
    live lane has nothing queued or running, or after it waited ``CAPTION_YIELD_S``. A job's result is due as
    long after it starts as Whisper took to compute it here (alone)."""

    def __init__(self, workers: int, recognise: Recogniser) -> None:
        self.recognise = recognise
        self.workers = {"live": workers, "caption": 1}
        self.waiting: dict[str, list[tuple[int, int, float, Transcribe]]] = {"live": [], "caption": []}
        self.running: list[tuple[float, str, int, str, float | None]] = []  # (due, lane, job, text, confidence)

    def request(self, now_ms: float, command: Transcribe) -> None:
        lane = "caption" if command.purpose == "partial" else "live"
        heapq.heappush(self.waiting[lane], (PRIORITY[command.purpose], command.job, now_ms, command))

    def due(self, now_ms: float, cancelled: set[int]) -> list[tuple[int, str, float | None]]:
        """Start what can start by ``now_ms``; return the results due by then, in order."""
        self._start(now_ms, cancelled)
        ready = sorted(r for r in self.running if r[0] <= now_ms)
        self.running = [r for r in self.running if r[0] > now_ms]
        return [(job, text, confidence) for _due, _lane, job, text, confidence in ready]

    def _start(self, now_ms: float, cancelled: set[int]) -> None:
        for lane in ("live", "caption"):
            queue = self.waiting[lane]
            while queue:
                if queue[0][1] in cancelled:
                    heapq.heappop(queue)
                    continue
                busy = sum(1 for due, on, *_ in self.running if on == lane and due > now_ms)
                if busy >= self.workers[lane]:
                    break
                _priority, job, asked_ms, request = queue[0]
                live_busy = bool(self.waiting["live"]) or any(r[1] == "live" for r in self.running)
                if lane == "caption" and live_busy and now_ms - asked_ms < CAPTION_YIELD_S * 1000:
                    break
                heapq.heappop(queue)
                text, confidence, cost_ms = self.recognise(request.pcm, request.purpose != "segment")
                self.running.append((now_ms + cost_ms, lane, job, text, confidence))


def is_turn_end(message: object) -> bool:
    """``speech`` ``active: false``: the decision that the candidate's turn is over."""
    return isinstance(message, m.SpeechActivity) and not message.active


def run_answer(
    answer: Answer, config: TurnConfig, recognise: Recogniser, vad: SileroModel, variant: Variant, judge: Judge
) -> Outcome:
    """One answer through the listening core, in audio time; see the module's docstring. Smart Turn has a
    worker of its own beside Whisper's, so its verdict arrives as long after its request as it took here."""
    stream = SileroStream(vad)
    config = variant.config(config)
    listener = Listener(config, stream.window_ms, EchoGuard(22_050), 1000, Jobs())
    if variant.rule in ("model", "either"):
        listener.detector = ComparedDetector(config, variant.rule)
    verdicts: list[tuple[float, int, float]] = []  # (arrives at ms, job, probability), in order
    model_free_ms = 0.0
    listener.detector.expect_answer(answer.question, 0.0)
    lanes = Lanes(Settings().whisper_workers, recognise)
    cancelled: set[int] = set()
    decisions: list[float] = []
    turns: list[str] = []

    def take(now_ms: float, commands: Sequence[object], signals: Sequence[object]) -> None:
        nonlocal model_free_ms
        for command in commands:
            if isinstance(command, JudgeTurn):
                probability, cost_ms = judge(command.pcm)
                model_free_ms = max(model_free_ms, now_ms) + cost_ms
                verdicts.append((model_free_ms, command.job, probability))
            elif isinstance(command, Transcribe):
                lanes.request(now_ms, command)
            elif isinstance(command, CancelJob):
                cancelled.add(command.job)
            elif (
                isinstance(command, Send)
                and isinstance(command.message, m.SpeechActivity)
                and not command.message.active
            ):
                decisions.append(now_ms)
        for signal in signals:
            if isinstance(signal, Answered):
                turns.append(signal.turn.words())

    for index in range(0, len(answer.pcm), INPUT_FRAME_BYTES):
        now_ms = index / INPUT_FRAME_BYTES * INPUT_FRAME_MS
        while verdicts and verdicts[0][0] <= now_ms:
            _arrives, job, probability = verdicts.pop(0)
            if job not in cancelled:
                listener.on_judged(job, probability)
        for job, text, confidence in lanes.due(now_ms, cancelled):
            if job not in cancelled:
                take(now_ms, *listener.on_transcript(job, text, confidence))
        frame = answer.pcm[index : index + INPUT_FRAME_BYTES]
        listener.on_audio(frame)
        take(now_ms, *listener.on_vad(now_ms / 1000, tuple(stream.process(frame))))
    return score(answer, decisions, turns)


def score(answer: Answer, decisions: list[float], turns: list[str]) -> Outcome:
    outcome = Outcome(words=" ".join(turns))
    for decided in decisions:
        for number, (before, after) in enumerate(answer.pauses):
            if before < decided < after:
                outcome.cut_at.append(number)
    outcome.latency_ms = next((d - answer.speech_end_ms for d in decisions if d > answer.speech_end_ms), None)
    heard = set(_WORD.findall(outcome.words.lower()))
    for number, text in enumerate(answer.after_pause):
        said = [w for w in _WORD.findall(text.lower()) if not _NUMBER_WORD.fullmatch(w)]
        words = [w for w in said if len(w) > 3] or said
        if sum(w in heard for w in words) < len(words) / 2:
            outcome.lost_after.append(number)
    return outcome


@dataclass
class Figures:
    pauses: int
    cut: int
    lost: int
    latencies: list[float]
    cut_ids: list[str]

    @property
    def cutoff_rate(self) -> float:
        return self.cut / self.pauses if self.pauses else 0.0


def evaluate(
    answers: list[Answer], config: TurnConfig, recognise: Recogniser, vad: SileroModel, variant: Variant, judge: Judge
) -> Figures:
    figures = Figures(0, 0, 0, [], [])
    for answer in answers:
        outcome = run_answer(answer, config, recognise, vad, variant, judge)
        figures.pauses += len(answer.pauses)
        figures.cut += len(set(outcome.cut_at))
        figures.lost += len(outcome.lost_after)
        if outcome.cut_at:
            figures.cut_ids.append(answer.id)
        if outcome.latency_ms is not None:
            figures.latencies.append(outcome.latency_ms)
    return figures


def run(
    settings: tuple[int, ...] = (200, 300, 400, 600, 800),
    variants: tuple[str, ...] = ("words", "smart-turn"),
    verbose: bool = True,
) -> dict[str, float]:
    """Each variant at every setting on both halves. The headline figures are the product's (the variant its
    default ``VIVA_TURN_MODEL`` names); the others carry their variant's name (``..._at_300ms_words``)."""
    product = "words" if Settings().turn_model == "none" else Settings().turn_model
    started = time.monotonic()
    answers, breathed = load_answers(), breath_answers()
    recognise, vad, judge = Recogniser(), SileroModel(), Judge()
    base = TurnConfig()
    results: dict[tuple[str, str, int], Figures] = {}
    breathing: dict[tuple[str, str], Figures] = {}
    for name in variants:
        for split in ("tune", "heldout"):
            chosen = [a for a in answers if split_of(a) == split]
            for end_ms in sorted({*settings, 300, 600}):
                config = replace(base, end_silence_ms=end_ms, one_statement_silence_ms=end_ms)
                results[name, split, end_ms] = evaluate(chosen, config, recognise, vad, VARIANTS[name], judge)
            results[name, split, PRODUCT] = evaluate(chosen, base, recognise, vad, VARIANTS[name], judge)
            breaths = [a for a in breathed if split_of(a) == split]
            breathing[name, split] = evaluate(breaths, base, recognise, vad, VARIANTS[name], judge)
    figures: dict[str, float] = {}
    for name in variants:
        for split in ("tune", "heldout"):
            mine = {end: f for (v, s, end), f in sorted(results.items()) if v == name and s == split}
            suffix = ("" if name == product else f"_{name}") + ("" if split == "heldout" else "_tune")
            within = [end for end, f in mine.items() if end != PRODUCT and f.cutoff_rate <= 0.05]
            figures[f"eot_false_cutoffs_at_300ms{suffix}"] = round(mine[300].cutoff_rate, 3)
            figures[f"eot_false_cutoffs_at_600ms{suffix}"] = round(mine[600].cutoff_rate, 3)
            fastest = mine[within[0]] if within else None
            figures[f"eot_latency_ms_at_5pct{suffix}"] = round(percentile(fastest.latencies, 50)) if fastest else -1
            default = mine[PRODUCT]
            figures[f"eot_latency_p50_ms_default{suffix}"] = round(percentile(default.latencies, 50))
            figures[f"eot_latency_p95_ms_default{suffix}"] = round(percentile(default.latencies, 95))
            figures[f"lost_words_after_pause{suffix}"] = default.lost
            figures[f"thinking_pauses{suffix}"] = default.pauses
            figures[f"eot_breath_cutoffs{suffix}"] = round(breathing[name, split].cutoff_rate, 3)
    if judge.costs_ms:
        figures["smart_turn_ms_p50"] = round(percentile(judge.costs_ms, 50), 1)
        figures["smart_turn_ms_p95"] = round(percentile(judge.costs_ms, 95), 1)
    if verbose:
        print(f"End of turn on {len(answers)} spoken answers in {time.monotonic() - started:.0f} s; {machine()}")
        header = f"  {'variant':<18}{'split':<8}{'end ms':>7}{'cut-offs':>14}{'p50 ms':>8}{'p95 ms':>8}{'lost':>6}"
        print(f"{header}  cut answers")
        for (name, split, end_ms), f in results.items():
            p50, p95 = percentile(f.latencies, 50), percentile(f.latencies, 95)
            setting = "product" if end_ms == PRODUCT else str(end_ms)
            rate = f"{f.cut}/{f.pauses} {f.cutoff_rate:.0%}"
            label = VARIANTS[name].label
            print(
                f"  {label:<18}{split:<8}{setting:>7}{rate:>14}{p50:>8.0f}{p95:>8.0f}{f.lost:>6}  {' '.join(f.cut_ids)}"
            )
        for key, value in figures.items():
            print(f"{key}={value}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--settings", default="200,300,400,600,800", help="end-of-turn silences to try, in ms")
    parser.add_argument("--variants", default="words,smart-turn", help=f"of {', '.join(VARIANTS)}, or all")
    args = parser.parse_args()
    variants = tuple(VARIANTS) if args.variants == "all" else tuple(args.variants.split(","))
    run(tuple(int(x) for x in args.settings.split(",")), variants)


if __name__ == "__main__":
    main()
