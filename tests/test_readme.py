"""The README stays true: every setting is documented, and the two commands are the ones the Makefile has."""

from __future__ import annotations

import re
from pathlib import Path

from server.config import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_every_setting_is_documented() -> None:
    missing = [f"VIVA_{name.upper()}" for name in Settings.model_fields if f"VIVA_{name.upper()}" not in README]
    assert not missing, f"document these settings in README.md: {missing}"


def test_documented_settings_exist() -> None:
    documented = set(re.findall(r"`(VIVA_[A-Z0-9_]+)`", README))
    known = {f"VIVA_{name.upper()}" for name in Settings.model_fields}
    assert documented <= known, f"README.md documents settings that do not exist: {sorted(documented - known)}"


def test_the_two_commands_exist() -> None:
    makefile = (ROOT / "Makefile").read_text()
    for target in ("run", "test", "install", "bench"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target
        assert f"make {target}" in README
