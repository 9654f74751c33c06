"""Print the JSON Schema of the wire contract, the input of ``web/``'s TypeScript type generation.

Usage: ``python -m protocol.schema | (cd web && npm run --silent gen-types)``.
"""

from __future__ import annotations

import json
import sys

from protocol.messages import json_schema


def schema_text() -> str:
    """The schema as stable, indented JSON (sorted keys, so regenerating gives identical types)."""
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"


def main() -> None:
    sys.stdout.write(schema_text())


if __name__ == "__main__":
    main()
