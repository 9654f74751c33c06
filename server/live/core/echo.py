"""Tell the interviewer's own voice, coming back through the candidate's speakers, from the candidate.

Browsers cancel most echo, but not all (no headset, a laptop at full volume). Before a barge-in is
accepted, the candidate's audio is cross-correlated with the speech the server has just sent, at every
plausible delay: an echo is the interviewer's waveform again, delayed and attenuated, so some delay matches
it closely; a person talking over the interviewer does not. Pure numpy, no I/O.
"""

from __future__ import annotations

import numpy as np

from server.audio.pcm import resample, samples_of

RATE = 16_000
#: Normalized cross-correlation above which the candidate's audio is taken for an echo.
ECHO_CORRELATION = 0.6


class EchoGuard:
    """Keeps the last few seconds of interviewer speech sent to the client, at 16 kHz."""

    def __init__(self, sample_rate: int, history_ms: int = 4000) -> None:
        self.sample_rate = sample_rate
        self._max_samples = RATE * history_ms // 1000
        self._reference = np.zeros(0, dtype=np.float32)

    def sent(self, pcm: bytes) -> None:
        self._reference = np.concatenate([self._reference, resample(samples_of(pcm), self.sample_rate, RATE)])[
            -self._max_samples :
        ]

    def clear(self) -> None:
        self._reference = np.zeros(0, dtype=np.float32)

    def is_echo(self, candidate_pcm16k: bytes) -> bool:
        return self.similarity(candidate_pcm16k) >= ECHO_CORRELATION

    def similarity(self, candidate_pcm16k: bytes) -> float:
        """Best normalized cross-correlation of the candidate's audio with the reference at any delay."""
        probe = np.frombuffer(candidate_pcm16k, dtype="<i2").astype(np.float32)
        reference = self._reference
        if len(probe) < RATE // 20 or len(reference) < len(probe):
            return 0.0
        probe = probe - probe.mean()
        probe_energy = float(np.sqrt(np.sum(probe**2)))
        if probe_energy < 1.0:
            return 0.0
        size = 1 << int(np.ceil(np.log2(len(reference) + len(probe))))
        correlation = np.fft.irfft(np.fft.rfft(reference, size) * np.conj(np.fft.rfft(probe, size)), size)
        correlation = correlation[: len(reference) - len(probe) + 1]
        energy = np.cumsum(np.concatenate([[0.0], reference.astype(np.float64) ** 2]))
        window_energy = np.sqrt(np.maximum(energy[len(probe) :] - energy[: -len(probe)], 1e-6))
        return float(np.max(np.abs(correlation) / (window_energy * probe_energy)))
