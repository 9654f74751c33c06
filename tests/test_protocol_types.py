"""The committed TypeScript types of the web client must match the pydantic models they are generated from."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from protocol.messages import json_schema
from protocol.schema import schema_text

WEB = Path(__file__).resolve().parent.parent / "web"
COMMITTED = WEB / "src" / "protocol.ts"
REGENERATE = ".venv/bin/python -m protocol.schema | (cd web && npm run --silent gen-types)"


def generate_types(out: Path, schema: str) -> None:
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is not installed: Node.js 20+ is needed to generate web/src/protocol.ts")
    if not (WEB / "node_modules" / "json-schema-to-typescript").is_dir():
        pytest.fail("web/node_modules is missing: run `cd web && npm ci` first")
    result = subprocess.run(
        [npm, "run", "--silent", "gen-types", "--", "--out", str(out)],
        cwd=WEB,
        input=schema,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"gen-types failed:\n{result.stdout}\n{result.stderr}"


def test_committed_typescript_types_match_the_protocol_models(tmp_path: Path) -> None:
    generated = tmp_path / "protocol.ts"
    generate_types(generated, schema_text())
    assert generated.read_text() == COMMITTED.read_text(), (
        f"web/src/protocol.ts is out of date with protocol/messages.py; regenerate it with: {REGENERATE}"
    )


def test_a_change_to_the_models_changes_the_generated_types(tmp_path: Path) -> None:
    """The check can fail: a field added to a model in the schema appears in the regenerated types."""
    schema = json_schema()
    schema["$defs"]["Ready"]["properties"]["interviewer_name"] = {"type": "string", "title": "Interviewer Name"}
    generated = tmp_path / "protocol.ts"
    generate_types(generated, json.dumps(schema))
    text = generated.read_text()
    assert text != COMMITTED.read_text()
    ready = text[text.index("export interface Ready {") :]
    assert "interviewer_name: string;" in ready[: ready.index("}")]
