"""The ways :mod:`benchmarks.end_of_turn` tries of deciding the end of a turn with Smart Turn beside the words:
the product's (the words decide, a voice left hanging vetoes a short silence) and, for comparison, the model
alone and the model before the words are known."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace

from server.engines.smart_turn import SmartTurn
from server.live.core.turns import TurnConfig, TurnDetector


@dataclass(frozen=True)
class Variant:
    """How the words and Smart Turn decide together. ``words``: the turn rules alone (``VIVA_TURN_MODEL=none``);
    ``veto``: the product's combination (``VIVA_TURN_MODEL=smart-turn``, the variant of that name): the words
    decide, and a voice the model hears left hanging turns a finished-sounding answer's short silence into a
    thinking pause; for comparison,
    ``model``: Smart Turn alone (finished: end at the setting's silence; not: the thinking pause), and
    ``either``: ``veto`` once the words are known, and before they are, a finished voice ends the turn at the
    setting's silence. The model judges the turn's audio once per pause, ``probe_ms`` into it, and its
    verdict counts as finished from ``threshold``."""

    rule: str
    probe_ms: float = 200
    threshold: float = 0.5

    @property
    def label(self) -> str:
        return self.rule if self.rule == "words" else f"{self.rule}@{self.probe_ms:g}/{self.threshold:g}"

    def config(self, base: TurnConfig) -> TurnConfig:
        probe = None if self.rule == "words" else self.probe_ms
        return replace(base, turn_model_probe_ms=probe, turn_model_threshold=self.threshold)


VARIANTS = {
    "words": Variant("words"),
    "smart-turn": Variant("veto"),
    "veto_early": Variant("veto", probe_ms=160),
    "veto_late": Variant("veto", probe_ms=300),
    "veto_strict": Variant("veto", threshold=0.8),
    "model": Variant("model"),
    "either": Variant("either"),
}


class ComparedDetector(TurnDetector):
    """The turn detector with the comparison variants' ways of combining the model's verdict and the words."""

    def __init__(self, config: TurnConfig, rule: str) -> None:
        super().__init__(config)
        self.rule = rule

    def combined(self, words_ms: float, verdict: float | None) -> float:
        config = self.config
        finished = verdict is not None and verdict >= config.turn_model_threshold
        if self.rule == "model":
            return config.end_silence_ms if finished else config.unfinished_silence_ms
        if self.rule == "either" and verdict is not None and self._hint_covers_ms < self.last_speech_end_ms:
            return config.end_silence_ms if finished else words_ms
        return super().combined(words_ms, verdict)


class Judge:
    """Smart Turn with a memory, like :class:`Recogniser`: each distinct audio is judged once, its cost kept."""

    def __init__(self) -> None:
        self.model = SmartTurn()
        self._memory: dict[str, tuple[float, float]] = {}
        self.costs_ms: list[float] = []

    def __call__(self, pcm: bytes) -> tuple[float, float]:
        key = hashlib.sha1(pcm).hexdigest()
        if key not in self._memory:
            started = time.perf_counter()
            probability = self.model.complete_probability(pcm)
            self._memory[key] = (probability, (time.perf_counter() - started) * 1000)
            self.costs_ms.append(self._memory[key][1])
        return self._memory[key]
