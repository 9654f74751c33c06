"""``POST /api/v1/upload/pdf`` and ``/upload/txt``: a document in, its text out."""

from __future__ import annotations

from dataclasses import asdict

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from server.http.access import require_recruiter
from server.http.bodies import read_upload
from server.http.errors import ApiError
from server.http.schemas import ExtractedDocument
from server.http.spec import Operation
from server.services.document_pool import DocumentKind, DocumentPool
from server.services.documents import DocumentError
from server.services.runtime import Services


async def _extract(request: Request, kind: DocumentKind) -> JSONResponse:
    """Parse the upload in a worker process (:class:`DocumentPool`), never on the server's own threads."""
    services: Services = request.app.state.services
    require_recruiter(request, services)
    settings = services.settings
    data = await read_upload(request, settings.max_upload_bytes)
    pool: DocumentPool = request.app.state.documents
    try:
        result = await pool.extract(kind, data, max_pages=settings.max_pdf_pages, timeout_s=settings.pdf_timeout_s)
    except DocumentError as exc:
        raise ApiError(exc.status, exc.code, exc.message) from exc
    return JSONResponse(ExtractedDocument.model_validate(asdict(result)).model_dump())


async def upload_pdf(request: Request) -> JSONResponse:
    return await _extract(request, "pdf")


async def upload_txt(request: Request) -> JSONResponse:
    return await _extract(request, "txt")


routes = [
    Route("/api/v1/upload/pdf", upload_pdf, methods=["POST"]),
    Route("/api/v1/upload/txt", upload_txt, methods=["POST"]),
]

_UPLOAD_ERRORS = (400, 401, 403, 413, 415, 422, 503)
operations = [
    Operation(
        "POST",
        "/api/v1/upload/pdf",
        "Extract the text of a PDF",
        "The type is judged by content. Encrypted (with a password), damaged, image-only (scanned), too long "
        "(`VIVA_MAX_PDF_PAGES`) and too slow (`VIVA_PDF_TIMEOUT_S`, killed even inside a page) PDFs each get their "
        "own 4xx code. Documents are read in worker processes, `VIVA_DOCUMENT_WORKERS` at once and "
        "`VIVA_DOCUMENT_QUEUE` more waiting; beyond that, 503 `busy` with `Retry-After`.",
        upload=("multipart/form-data",),
        response=ExtractedDocument,
        errors=_UPLOAD_ERRORS,
        access="recruiter",
    ),
    Operation(
        "POST",
        "/api/v1/upload/txt",
        "Extract the text of a plain-text file",
        "UTF-8, UTF-16 (with BOM) or Windows-1252. Binary files and other documents are refused by content.",
        upload=("multipart/form-data",),
        response=ExtractedDocument,
        errors=_UPLOAD_ERRORS,
        access="recruiter",
    ),
]
