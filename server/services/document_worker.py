"""A document worker process (``python -m server.services.document_worker``), run by :mod:`document_pool`.

It reads jobs from standard input, one after another: a JSON line ``{"kind", "max_pages", "timeout_s",
"size"}`` followed by ``size`` bytes of the document. It answers each on standard output with one JSON line:
``{"ok": {"text", "pages", "chars", "truncated"}}`` or ``{"refused": [status, code, message]}``. It imports
the parser and nothing of the server besides, so it starts fast and holds little memory.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from dataclasses import asdict
from typing import Any, BinaryIO

from server.services.documents import DocumentError, extract_pdf, extract_txt


def answer_for(job: dict[str, Any], data: bytes) -> dict[str, Any]:
    """Extract one document; every failure becomes a refusal (a parser bug is unreadable input, not a crash)."""
    kind = job.get("kind")
    try:
        if kind == "pdf":
            result = extract_pdf(data, max_pages=int(job["max_pages"]), timeout_s=float(job["timeout_s"]))
        else:
            result = extract_txt(data)
        return {"ok": asdict(result)}
    except DocumentError as exc:
        return {"refused": [exc.status, exc.code, exc.message]}
    except Exception as exc:  # pypdf raises many types on broken files
        code = "pdf_corrupt" if kind == "pdf" else "not_text"
        return {"refused": [422, code, f"The document is damaged and cannot be read ({type(exc).__name__})."]}


def serve(jobs: BinaryIO, answers: BinaryIO) -> None:
    """Answer jobs until the pool closes our standard input."""
    while header := jobs.readline():
        job = json.loads(header)
        data = jobs.read(int(job["size"]))
        answers.write(json.dumps(answer_for(job, data)).encode() + b"\n")
        answers.flush()


def main() -> None:
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd files are not the server's log
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # a stray print must never corrupt the answers
    serve(sys.stdin.buffer, answers)


if __name__ == "__main__":
    main()
