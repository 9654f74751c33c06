"""Text extraction from uploads: PDF and plain text, with a distinct, explained error for each bad input."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from server.services.documents import MAX_DOCUMENT_CHARS, DocumentError, extract_pdf, extract_txt


def text_pdf(pages: list[str]) -> bytes:
    """A real PDF whose pages draw ``pages`` as text with the standard Helvetica font."""
    writer = PdfWriter()
    for text in pages:
        page = writer.add_blank_page(612, 792)
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        stream = DecodedStreamObject()
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream.set_data(f"BT /F1 12 Tf 72 720 Td ({escaped}) Tj ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf(["Secret resume"])))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def code_of(call) -> tuple[int, str]:
    with pytest.raises(DocumentError) as info:
        call()
    assert info.value.message
    return info.value.status, info.value.code


def test_pdf_text_from_every_page() -> None:
    result = extract_pdf(text_pdf(["Jane Doe, Python engineer", "Built a payments API"]), max_pages=5, timeout_s=5)
    assert result.pages == 2
    assert "Jane Doe, Python engineer" in result.text
    assert "Built a payments API" in result.text
    assert result.chars == len(result.text)
    assert not result.truncated


def test_pdf_encrypted_with_empty_password_still_opens() -> None:
    assert "Secret resume" in extract_pdf(encrypted_pdf(""), max_pages=5, timeout_s=5).text


def test_pdf_refusals_are_distinct() -> None:
    cases = {
        "pdf_encrypted": encrypted_pdf("hunter2"),
        "pdf_no_text": blank_pdf(2),
        "pdf_corrupt": b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage",
        "pdf_too_many_pages": text_pdf(["x"] * 4),
    }
    seen = {
        code: code_of(lambda data=data: extract_pdf(data, max_pages=3, timeout_s=5)) for code, data in cases.items()
    }
    assert seen == {code: (422, code) for code in cases}


def test_pdf_truncated_file_is_corrupt() -> None:
    data = text_pdf(["A resume that gets cut in half"])
    assert code_of(lambda: extract_pdf(data[: len(data) // 3], max_pages=5, timeout_s=5)) == (422, "pdf_corrupt")


def test_pdf_time_limit() -> None:
    data = text_pdf([f"page {n}" for n in range(30)])
    assert code_of(lambda: extract_pdf(data, max_pages=50, timeout_s=1e-9)) == (422, "pdf_timeout")


def test_pdf_type_decided_by_content() -> None:
    assert code_of(lambda: extract_pdf(b"just some text", max_pages=5, timeout_s=5)) == (415, "unsupported_type")
    png = b"\x89PNG\r\n\x1a\n" + bytes(100)
    with pytest.raises(DocumentError, match="PNG image"):
        extract_pdf(png, max_pages=5, timeout_s=5)
    assert code_of(lambda: extract_pdf(b"", max_pages=5, timeout_s=5)) == (422, "empty_file")


def test_txt_encodings_and_whitespace() -> None:
    assert extract_txt("Zoë  \t Müller\r\n\r\n\r\n\r\nSenior dev".encode()).text == "Zoë Müller\n\nSenior dev"
    assert extract_txt("naïve résumé".encode("utf-16")).text == "naïve résumé"
    assert extract_txt("café".encode("cp1252")).text == "café"


def test_txt_refuses_other_types_by_content() -> None:
    assert code_of(lambda: extract_txt(text_pdf(["hi"]))) == (415, "unsupported_type")
    assert code_of(lambda: extract_txt(b"PK\x03\x04" + bytes(50))) == (415, "unsupported_type")
    assert code_of(lambda: extract_txt(bytes(range(256)) * 4)) == (415, "not_text")
    assert code_of(lambda: extract_txt(b" \n\t ")) == (422, "no_text")
    assert code_of(lambda: extract_txt(b"")) == (422, "empty_file")


def test_long_text_is_cut_and_flagged() -> None:
    result = extract_txt(b"a" * (MAX_DOCUMENT_CHARS + 10))
    assert result.truncated
    assert result.chars == MAX_DOCUMENT_CHARS


def test_pdf_aes_encrypted_with_empty_password_opens() -> None:
    """Word and others export permission-only PDFs with AES; they open without a password in any viewer."""
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf(["AES resume"])))
    writer.encrypt(user_password="", owner_password="owner-secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    assert "AES resume" in extract_pdf(out.getvalue(), max_pages=5, timeout_s=5).text
