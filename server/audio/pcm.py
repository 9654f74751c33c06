"""PCM16 conversions and the one resampler every part of the server uses.

Linear interpolation is enough for speech between the rates we meet (16, 22.05 and 24 kHz): the echo guard
compares waveforms, and the fallback voice only needs to play at the rate the client was told.
"""

from __future__ import annotations

import numpy as np


def samples_of(pcm: bytes) -> np.ndarray:
    """PCM16 little-endian bytes as float32 samples on the int16 scale (an odd trailing byte is dropped)."""
    return np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype="<i2").astype(np.float32)


def resample(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """``samples`` at ``from_rate`` Hz, linearly interpolated to ``to_rate`` Hz (float32)."""
    if from_rate == to_rate or len(samples) == 0:
        return samples.astype(np.float32, copy=False)
    count = max(1, round(len(samples) * to_rate / from_rate))
    positions = np.linspace(0, len(samples) - 1, count)
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)


def resample_pcm16(pcm: bytes, from_rate: int, to_rate: int) -> bytes:
    """One PCM16 chunk at ``from_rate`` Hz as PCM16 at ``to_rate`` Hz."""
    if from_rate == to_rate or not pcm:
        return pcm
    resampled = resample(samples_of(pcm), from_rate, to_rate)
    return np.clip(np.round(resampled), -32768, 32767).astype("<i2").tobytes()
