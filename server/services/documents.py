"""Text from uploaded documents (resume, job description): PDF through pypdf, or plain text.

The type is decided by the bytes, never by the file name. Every refusal is a :class:`DocumentError` with a
stable code and an explanation the candidate or recruiter can act on. Extraction is synchronous and CPU-bound;
callers run it in a worker process (:mod:`server.services.document_pool`, which also kills a parse that runs
over its time inside a page). A PDF is bounded in pages and in time (also checked between pages).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from io import BytesIO

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

#: Longest text kept from one document; longer text is cut here and flagged ``truncated``.
MAX_DOCUMENT_CHARS = 50_000

# Leading bytes of formats people upload by mistake, to name what was sent instead.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (such as a Word .docx file)"),
    (b"\xd0\xcf\x11\xe0", "a legacy Microsoft Office file (such as a Word .doc file)"),
    (b"{\\rtf", "an RTF document"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")  # a PDF's broken text encoding; not Unicode, so not storable


class DocumentError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ExtractedText:
    text: str
    pages: int
    chars: int
    truncated: bool


def sniff(data: bytes) -> str | None:
    """What the bytes are, when they are one of the known non-text formats."""
    head = data[:1024]
    if b"%PDF-" in head:  # the PDF header may follow a little junk; readers accept that, so do we
        return "a PDF document"
    for signature, description in _SIGNATURES:
        if head.startswith(signature):
            return description
    return None


def normalize(text: str) -> tuple[str, bool]:
    """Tidy whitespace, turn control characters into spaces, and cut at :data:`MAX_DOCUMENT_CHARS`.

    A control character (NUL included) stands between words more often than inside one (a field separator, a
    NUL-padded export), so it becomes a space rather than vanishing and gluing two words together. The text
    then passes the REST API's own check (``protocol.messages.Text``) when it is sent back in a set-up.
    """
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _SURROGATE.sub("\ufffd", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    if len(text) > MAX_DOCUMENT_CHARS:
        return text[:MAX_DOCUMENT_CHARS], True
    return text, False


def _result(text: str, pages: int) -> ExtractedText:
    tidy, truncated = normalize(text)
    return ExtractedText(text=tidy, pages=pages, chars=len(tidy), truncated=truncated)


def _decode_text(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DocumentError(
                    422, "text_undecodable", f"The file starts like {encoding} text but is not valid {encoding}."
                ) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    controls = sum(1 for byte in data if byte < 0x20 and byte not in b"\t\n\r\f")
    if b"\x00" in data or controls > len(data) // 100:
        raise DocumentError(
            415, "not_text", "The file is not plain text (it contains binary data). Upload a .txt or a PDF."
        )
    return data.decode("cp1252", errors="replace")  # legacy Windows text, the common non-UTF-8 case


def extract_txt(data: bytes) -> ExtractedText:
    if not data:
        raise DocumentError(422, "empty_file", "The file is empty.")
    kind = sniff(data)
    if kind == "a PDF document":
        raise DocumentError(415, "unsupported_type", "This file is a PDF. Upload it as a PDF, not as text.")
    if kind is not None:
        raise DocumentError(415, "unsupported_type", f"This file is {kind}, not plain text.")
    result = _result(_decode_text(data), pages=1)
    if not result.text:
        raise DocumentError(422, "no_text", "The file holds no text, only whitespace.")
    return result


def _open_pdf(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(BytesIO(data))
        # Many PDFs are encrypted only to set permissions, with an empty password: those open fine.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise DocumentError(
                422,
                "pdf_encrypted",
                "The PDF is protected by a password. Save a copy without a password (or print it to a "
                "new PDF) and upload that, or upload the text as a .txt file.",
            )
        return reader
    except DocumentError:
        raise
    except (DependencyError, FileNotDecryptedError) as exc:
        raise DocumentError(
            422,
            "pdf_encrypted",
            f"The PDF is encrypted in a way the server cannot open ({exc}). Upload an unprotected copy.",
        ) from exc
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, IndexError, OSError) as exc:
        raise DocumentError(
            422, "pdf_corrupt", f"The PDF is damaged and cannot be read ({exc}). Export it again and retry."
        ) from exc


def extract_pdf(data: bytes, *, max_pages: int, timeout_s: float) -> ExtractedText:
    if not data:
        raise DocumentError(422, "empty_file", "The file is empty.")
    kind = sniff(data)
    if kind != "a PDF document":
        sent = f"this file is {kind}" if kind else "this file does not start with a PDF header"
        raise DocumentError(415, "unsupported_type", f"Expected a PDF, but {sent}.")
    deadline = time.monotonic() + timeout_s
    reader = _open_pdf(data)
    try:
        page_count = len(reader.pages)
    except Exception as exc:  # pypdf raises many types on a broken page tree
        raise DocumentError(422, "pdf_corrupt", f"The PDF's page list cannot be read ({exc}).") from exc
    if page_count == 0:
        raise DocumentError(422, "pdf_corrupt", "The PDF has no pages.")
    if page_count > max_pages:
        raise DocumentError(
            422,
            "pdf_too_many_pages",
            f"The PDF has {page_count} pages; at most {max_pages} are accepted. Upload the resume alone.",
        )
    texts: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        if time.monotonic() > deadline:
            raise DocumentError(
                422,
                "pdf_timeout",
                f"Reading the PDF took longer than {timeout_s:g} s (stopped at page {number} of "
                f"{page_count}). Upload a simpler PDF or the text as a .txt file.",
            )
        try:
            texts.append(page.extract_text() or "")
        except Exception as exc:  # a single broken content stream
            raise DocumentError(
                422, "pdf_corrupt", f"Page {number} of the PDF is damaged and cannot be read ({exc})."
            ) from exc
    result = _result("\n\n".join(texts), pages=page_count)
    if not result.text:
        raise DocumentError(
            422,
            "pdf_no_text",
            "The PDF has no selectable text; it is probably a scanned image. The server does not run OCR: "
            "export the resume from its editor as a PDF, or paste the text instead.",
        )
    return result
