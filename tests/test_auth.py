"""The recruiter signs in, secure by default: every recruiter route and page refuses anonymous callers; the
candidate's and the observer's links keep working, scoped to their interview and role; the session cookie's
flags, signature and expiry; CSRF; the generated admin token file; ``VIVA_AUTH=none``; malformed credentials;
``Cache-Control: no-store``."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import stat
import time
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import httpx
import pytest

from protocol.audio import INPUT_SAMPLE_RATE
from server.app import WEB_DIST
from server.audio.files import wav_bytes
from server.config import Settings
from server.http.openapi import all_operations
from server.http.pages import page_name
from server.services.auth import ADMIN_TOKEN_FILE, load_or_create_admin_token, recruiter_auth
from server.services.errors import Refused
from server.services.runtime import Services
from tests.api_support import app_client, start, with_settings
from tests.conftest import ServerProcess

SESSION = "viva_session"
CSRF = {"X-Viva-CSRF": "1"}
#: Routes anyone may call: liveness, the public configuration, this document, and signing in and out.
PUBLIC_ROUTES = {
    ("GET", "/health"),
    ("GET", "/health/live"),
    ("GET", "/api/v1/config"),
    ("GET", "/openapi.json"),
    ("POST", "/api/v1/auth/signin"),
    ("POST", "/api/v1/auth/signout"),
    ("GET", "/api/v1/auth/session"),
}
RECRUITER_PAGES = ("/", "/index.html", "/history.html", "/History.html")


def error_of(response: httpx.Response) -> tuple[int, str]:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    return response.status_code, body["error"]["code"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def set_cookie(response: httpx.Response) -> Any:
    """The session cookie the response sets, parsed (its flags as attributes)."""
    cookies = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        cookies.load(header)
    assert SESSION in cookies, response.headers
    return cookies[SESSION]


def signed_in_redirect(response: httpx.Response, reason: str) -> str:
    """The sign-in page a refused page redirects to; checks the reason and that no token is in the address."""
    assert response.status_code == 303, (response.status_code, response.text)
    location = response.headers["location"]
    assert location.startswith(f"/signin.html?reason={reason}&next="), location
    assert "token" not in location.split("next=", 1)[1], location
    assert response.headers["cache-control"] == "no-store"
    return location


@pytest.fixture(autouse=True)
def built_web_client() -> None:
    assert (WEB_DIST / "index.html").exists(), "web/dist is not built: run `make web`"


# ---------------------------------------------------------------------------------------------- anonymous callers


async def test_anonymous_callers_are_refused_on_every_route_but_the_public_ones(services: Services) -> None:
    async with app_client(services) as recruiter, app_client(services, signed_in=False) as anonymous:
        started = await start(recruiter)
        iid = started["interview_id"]
        operations = all_operations()
        assert {(op.method, op.path) for op in operations if op.access == "public"} == PUBLIC_ROUTES
        refused = {}
        for op in operations:
            if op.access == "public":
                continue
            url = op.path.replace("{interview_id}", iid)
            fields = {"interview_id": iid, "answer": "An answer.", "turn_index": 0, "link": "candidate"}
            body = {name: value for name, value in fields.items() if op.body and name in op.body.model_fields}
            response = await anonymous.request(op.method, url, json=body if op.method == "POST" else None)
            refused[op.method, op.path] = error_of(response)
        expected = {
            (op.method, op.path): (401, "token_required" if op.access == "candidate" else "sign_in_required")
            for op in operations
            if op.access != "public"
        }
        assert refused == expected
        assert ("GET", "/metrics") in refused and ("POST", "/api/v1/interview/start") in refused
        # Nothing was done on the way: the links were not revoked, no interview was created.
        question = {"interview_id": iid, "candidate_token": started["candidate_token"]}
        assert (await anonymous.post("/api/v1/interview/question", json=question)).status_code == 200
        assert (await recruiter.get("/api/v1/interviews")).json()["total"] == 1


async def test_anonymous_visitors_are_sent_to_sign_in_from_every_recruiter_page(services: Services) -> None:
    async with app_client(services) as recruiter, app_client(services, signed_in=False) as anonymous:
        iid = (await start(recruiter))["interview_id"]
        pages = (*RECRUITER_PAGES, f"/report.html?id={iid}", f"/observer.html?id={iid}", "/no-such-page.html")
        for page in pages:
            for method in ("GET", "HEAD"):
                location = signed_in_redirect(await anonymous.request(method, page), "sign_in_required")
                assert httpx.URL(location).params["next"] == page, "back to the same page after signing in"
        assert "next=%2Fhistory.html%3Fstatus%3Dcompleted" in signed_in_redirect(
            await anonymous.get("/history.html?status=completed"), "sign_in_required"
        )
        signed_in_redirect(await anonymous.get("/?token=not-the-admin-token"), "invalid_token")
        # The candidate's page, the sign-in page and the scripts are public.
        for public in ("/interview.html", "/signin.html", "/setup.js", "/style.css"):
            assert (await anonymous.get(public)).status_code == 200, public
        # The signed-in recruiter gets every page, never cached.
        for page in ("/", "/index.html", "/history.html", f"/report.html?id={iid}", f"/observer.html?id={iid}"):
            response = await recruiter.get(page)
            assert response.status_code == 200, page
            assert response.headers["cache-control"] == "no-store", page


async def test_metrics_are_public_only_when_configured(services: Services) -> None:
    async with app_client(services, signed_in=False) as anonymous:
        assert error_of(await anonymous.get("/metrics")) == (401, "sign_in_required")
        admin = services.auth.admin_token
        assert admin is not None
        metrics = await anonymous.get("/metrics", headers=bearer(admin))
        assert metrics.status_code == 200 and "viva_live_sessions" in metrics.text
        assert metrics.headers["cache-control"] == "no-store"
    async with app_client(with_settings(services, metrics_public=True), signed_in=False) as anonymous:
        assert (await anonymous.get("/metrics")).status_code == 200


# ---------------------------------------------------------------------------------------------- link scopes


async def test_observer_and_candidate_links_stay_scoped_to_their_interview_and_role(services: Services) -> None:
    async with app_client(services) as recruiter, app_client(services, signed_in=False) as anonymous:
        a, b = await start(recruiter), await start(recruiter)
        ia, ib = a["interview_id"], b["interview_id"]
        observer, candidate = bearer(a["observer_token"]), bearer(a["candidate_token"])

        # The observer link opens its own interview's report, results and live room...
        assert (await anonymous.get(f"/api/v1/interview/results/{ia}", headers=observer)).status_code == 200
        assert (await anonymous.get(f"/api/v1/interviews/{ia}", headers=observer)).status_code == 200
        assert (await anonymous.get(f"/report.html?id={ia}&token={a['observer_token']}")).status_code == 200
        assert (await anonymous.get(f"/observer.html?id={ia}&token={a['observer_token']}")).status_code == 200
        # ... and nothing of another interview's.
        for method, path in (
            ("GET", f"/api/v1/interview/results/{ib}"),
            ("GET", f"/api/v1/interviews/{ib}"),
            ("POST", f"/api/v1/interview/save/{ib}"),
            ("POST", f"/api/v1/interviews/{ib}/revoke"),
        ):
            response = await anonymous.request(method, path, headers=observer, json={"link": "candidate"})
            assert error_of(response) == (403, "invalid_token"), path
        signed_in_redirect(await anonymous.get(f"/report.html?id={ib}&token={a['observer_token']}"), "invalid_token")
        signed_in_redirect(await anonymous.get(f"/observer.html?id={ib}&token={a['observer_token']}"), "invalid_token")
        # Nor the recruiter's routes.
        for method, path in (
            ("GET", "/api/v1/interviews"),
            ("POST", "/api/v1/interview/start"),
            ("POST", "/api/v1/upload/txt"),
            ("GET", "/metrics"),
        ):
            assert error_of(await anonymous.request(method, path, headers=observer)) == (403, "invalid_token"), path
        signed_in_redirect(await anonymous.get(f"/history.html?token={a['observer_token']}"), "invalid_token")

        # The candidate link only answers.
        assert error_of(await anonymous.get(f"/api/v1/interview/results/{ia}", headers=candidate)) == (
            403,
            "wrong_link",
        )
        assert error_of(await anonymous.get(f"/api/v1/interviews/{ia}", headers=candidate)) == (403, "wrong_link")
        revoke = await anonymous.post(f"/api/v1/interviews/{ia}/revoke", headers=candidate, json={"link": "observer"})
        assert error_of(revoke) == (403, "wrong_link")
        signed_in_redirect(await anonymous.get(f"/report.html?id={ia}&token={a['candidate_token']}"), "wrong_link")
        assert error_of(await anonymous.get("/api/v1/interviews", headers=candidate)) == (403, "invalid_token")
        answer = {"interview_id": ia, "candidate_token": a["candidate_token"]}
        assert (await anonymous.post("/api/v1/interview/question", json=answer)).status_code == 200

        # A revoked observer link no longer opens the report page.
        assert (await recruiter.post(f"/api/v1/interviews/{ia}/revoke", json={"link": "observer"})).status_code == 200
        signed_in_redirect(await anonymous.get(f"/report.html?id={ia}&token={a['observer_token']}"), "token_revoked")


# ---------------------------------------------------------------------------------------------- the session cookie


async def test_signing_in_sets_a_strict_http_only_expiring_cookie(services: Services) -> None:
    services = with_settings(services, session_ttl_s=600)
    admin = services.auth.admin_token
    assert admin is not None
    async with app_client(services, signed_in=False) as client:
        assert error_of(await client.post("/api/v1/auth/signin", json={"token": "wrong"})) == (403, "invalid_token")
        before = time.time()
        response = await client.post("/api/v1/auth/signin", json={"token": admin})
        assert response.status_code == 200 and response.json()["signed_in"] is True
        assert response.headers["cache-control"] == "no-store"
        cookie = set_cookie(response)
        assert cookie["httponly"] is True and cookie["samesite"].lower() == "strict" and cookie["path"] == "/"
        assert cookie["max-age"] == "600" and not cookie["secure"], "no Secure flag over plain http"
        assert admin not in cookie.value, "the cookie does not carry the admin token"
        expires = int(cookie.value.split(".")[0])
        assert before + 600 - 5 <= expires <= time.time() + 600
        session = (await client.get("/api/v1/auth/session")).json()
        assert session["signed_in"] is True and session["expires_at"] is not None
        assert (await client.get("/api/v1/interviews")).status_code == 200

        # Signing out clears it.
        out = await client.post("/api/v1/auth/signout", headers=CSRF)
        assert out.status_code == 200 and set_cookie(out)["max-age"] == "0"
        assert error_of(await client.get("/api/v1/interviews")) == (401, "sign_in_required")
        assert (await client.get("/api/v1/auth/session")).json()["signed_in"] is False


async def test_the_printed_link_signs_in_and_drops_the_token_from_the_address(services: Services) -> None:
    admin = services.auth.admin_token
    assert admin is not None
    async with app_client(services, signed_in=False) as client:
        response = await client.get(f"/?token={admin}")
        assert response.status_code == 303 and response.headers["location"] == "/"
        assert response.headers["cache-control"] == "no-store"
        cookie = set_cookie(response)
        assert cookie["httponly"] is True and cookie["samesite"].lower() == "strict" and cookie["path"] == "/"
        assert (await client.get("/")).status_code == 200
        redirect = await client.get(f"/history.html?status=completed&token={admin}")
        assert redirect.headers["location"] == "/history.html?status=completed"
        assert (await client.get("/api/v1/interviews")).status_code == 200


async def test_the_cookie_is_secure_behind_https(services: Services) -> None:
    services = with_settings(services, public_url="https://viva.example.com")
    assert services.auth.admin_token is not None
    async with app_client(services, signed_in=False) as client:
        response = await client.post("/api/v1/auth/signin", json={"token": services.auth.admin_token})
        assert set_cookie(response)["secure"] is True


async def test_tampered_expired_and_foreign_cookies_are_refused(services: Services) -> None:
    auth = services.auth
    good = auth.new_session().value
    expires, nonce, signature = good.split(".")
    rotated = with_settings(services, admin_token="a-rotated-admin-token").auth.new_session().value
    cases = {
        "another signature": f"{expires}.{nonce}.{signature[::-1]}",
        "a later expiry": f"{int(expires) + 3600}.{nonce}.{signature}",
        "another nonce": f"{expires}.x{nonce}.{signature}",
        "signed with another admin token": rotated,
        "garbage": "not-a-session",
        "non-ASCII": "é.é.é",
        "expired": auth.new_session(now=time.time() - auth.session_ttl_s - 5).value,
    }
    async with app_client(services, signed_in=False) as client:
        for name, value in cases.items():
            cookie = {"Cookie": f"{SESSION}={value}".encode()}
            refused = await client.get("/api/v1/interviews", headers=cookie)
            assert error_of(refused) == (401, "sign_in_required"), name
            word = "expired" if name == "expired" else "not valid"
            assert word in refused.json()["error"]["message"], name
            reason = "session_expired" if name == "expired" else "session_invalid"
            signed_in_redirect(await client.get("/history.html", headers=cookie), reason)
        client.cookies.set(SESSION, good)
        assert (await client.get("/api/v1/interviews")).status_code == 200
    # Rotating the admin token ends every session signed for the old one.
    async with app_client(with_settings(services, admin_token="a-rotated-admin-token"), signed_in=False) as client:
        client.cookies.set(SESSION, good)
        assert error_of(await client.get("/api/v1/interviews")) == (401, "sign_in_required")


def test_page_names_are_normalised_before_they_are_judged() -> None:
    cases = {
        "/": "index.html",
        "//": "index.html",
        "/./history.html": "history.html",
        "//history.html": "history.html",
        "/js/../History.HTML": "history.html",
        "/interview.html": "interview.html",
        "/setup.js": None,
        "/style.css": None,
    }
    assert {path: page_name(path) for path in cases} == cases


async def test_the_signing_key_is_derived_not_the_admin_token(services: Services) -> None:
    auth = services.auth
    assert auth.admin_token is not None
    expires, nonce, signature = auth.new_session().value.split(".")
    keyed_by_token = hmac.new(auth.admin_token.encode(), f"{expires}.{nonce}".encode(), hashlib.sha256).digest()
    assert signature != base64.urlsafe_b64encode(keyed_by_token).rstrip(b"=").decode()


# ---------------------------------------------------------------------------------------------- CSRF


async def test_cookie_requests_that_change_something_need_the_csrf_header_and_no_foreign_origin(
    services: Services,
) -> None:
    async with app_client(services) as client:
        iid = (await start(client))["interview_id"]
        del client.headers["X-Viva-CSRF"]
        body = {"candidate_name": "Ada", "job_title": "Engineer"}
        start_url = "/api/v1/interview/start"
        assert error_of(await client.post(start_url, json=body)) == (403, "csrf_failed")
        assert "X-Viva-CSRF" in (await client.post(start_url, json=body)).json()["error"]["message"]
        for headers in (
            {**CSRF, "Origin": "https://evil.example.net"},
            {**CSRF, "Origin": "null"},
            {**CSRF, "Sec-Fetch-Site": "cross-site"},
            {**CSRF, "Sec-Fetch-Site": "same-site"},
            {"X-Viva-CSRF": "0"},
        ):
            assert error_of(await client.post(start_url, json=body, headers=headers)) == (403, "csrf_failed"), headers
        for path, payload in (
            (f"/api/v1/interviews/{iid}/revoke", {"link": "candidate"}),
            (f"/api/v1/interview/save/{iid}", None),
            ("/api/v1/auth/signout", None),
        ):
            assert error_of(await client.post(path, json=payload)) == (403, "csrf_failed"), path
        # From Viva's own page it works; reading needs no header.
        same = {**CSRF, "Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
        assert (await client.post(start_url, json=body, headers=same)).status_code == 201
        assert (await client.get("/api/v1/interviews")).json()["total"] == 2
        # The revoke refused above did nothing.
        started = (await client.post(start_url, json=body, headers=CSRF)).json()
        question = {"interview_id": started["interview_id"], "candidate_token": started["candidate_token"]}
        assert (await client.post("/api/v1/interview/question", json=question)).status_code == 200
        # Another site's page cannot sign in either.
        admin = services.auth.admin_token
        foreign = await client.post(
            "/api/v1/auth/signin", json={"token": admin}, headers={"Origin": "https://evil.example.net"}
        )
        assert error_of(foreign) == (403, "csrf_failed")


async def test_bearer_clients_need_no_csrf_header(services: Services) -> None:
    admin = services.auth.admin_token
    assert admin is not None
    async with app_client(services, signed_in=False) as client:
        response = await client.post(
            "/api/v1/interview/start", json={"candidate_name": "Ada", "job_title": "Engineer"}, headers=bearer(admin)
        )
        assert response.status_code == 201
        iid = response.json()["interview_id"]
        revoke_url = f"/api/v1/interviews/{iid}/revoke"
        revoke = await client.post(revoke_url, json={"link": "candidate"}, headers=bearer(admin))
        assert revoke.status_code == 200


# ---------------------------------------------------------------------------------------------- malformed credentials


async def test_a_malformed_or_non_ascii_bearer_token_is_a_json_401_not_a_crash(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    async with app_client(services) as recruiter, app_client(services, signed_in=False) as client:
        started = await start(recruiter)
        iid = started["interview_id"]
        caplog.set_level(logging.INFO)
        for header in ("Bearer ünïcødé".encode(), "Bearer tøken".encode("latin-1"), b"Bearer", b"Bearer two words"):
            for method, path, body in (
                ("GET", "/api/v1/interviews", None),
                ("GET", f"/api/v1/interview/results/{iid}", None),
                ("POST", "/api/v1/interview/question", {"interview_id": iid}),
                ("POST", "/api/v1/interview/start", {"candidate_name": "Ada", "job_title": "Engineer"}),
                ("GET", "/metrics", None),
            ):
                response = await client.request(method, path, json=body, headers={"Authorization": header})
                assert error_of(response) == (401, "invalid_authorization"), (header, path)
        # Non-ASCII tokens elsewhere (the query, the body, the sign-in form) are refused as wrong tokens.
        assert error_of(await client.get(f"/api/v1/interviews/{iid}", params={"token": "ünï"})) == (
            403,
            "invalid_token",
        )
        question = {"interview_id": iid, "candidate_token": "ünï"}
        assert error_of(await client.post("/api/v1/interview/question", json=question)) == (403, "invalid_token")
        assert error_of(await client.post("/api/v1/auth/signin", json={"token": "ünï"})) == (403, "invalid_token")
        signed_in_redirect(await client.get("/?token=%C3%BCn%C3%AF"), "invalid_token")
        # Another scheme (a proxy's Basic credentials) is not Viva's: the request is judged without it.
        basic = await client.get("/api/v1/interviews", headers={"Authorization": "Basic dXNlcjpwYXNz"})
        assert error_of(basic) == (401, "sign_in_required")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "no traceback logged"


# ---------------------------------------------------------------------------------------------- the admin token file


def test_the_generated_token_file_is_private_and_reused(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "fresh" / "data")
    old_umask = os.umask(0)  # even with a permissive umask
    try:
        first = recruiter_auth(settings)
    finally:
        os.umask(old_umask)
    path = settings.data_dir / ADMIN_TOKEN_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.source == "generated" and first.admin_token == path.read_text().strip()
    assert first.admin_token is not None and len(first.admin_token) >= 43
    assert [p.name for p in settings.data_dir.iterdir()] == [ADMIN_TOKEN_FILE], "no temporary file left"
    again = recruiter_auth(settings)
    assert again.source == "file" and again.admin_token == first.admin_token
    assert again.check_session(first.new_session().value) > time.time(), "sessions survive a restart"
    assert recruiter_auth(Settings(data_dir=tmp_path / "other")).admin_token != first.admin_token

    # A configured token wins and writes nothing; VIVA_AUTH=none generates nothing.
    configured = recruiter_auth(Settings(data_dir=tmp_path / "configured", admin_token="configured-token"))
    assert configured.source == "setting" and not (tmp_path / "configured").exists()
    assert recruiter_auth(Settings(data_dir=tmp_path / "open", auth="none")).admin_token is None
    assert not (tmp_path / "open").exists()


def test_a_token_file_readable_by_others_is_made_private_and_a_broken_one_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / ADMIN_TOKEN_FILE
    path.write_text("kept-token-1234\n")
    path.chmod(0o644)
    assert load_or_create_admin_token(path) == ("kept-token-1234", "file")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "readable by others" in caplog.text
    path.write_text("")
    with pytest.raises(Refused) as refused:
        load_or_create_admin_token(path)
    assert refused.value.code == "admin_token_file" and str(path) in refused.value.message


def test_the_admin_token_setting_must_fit_a_bearer_header() -> None:
    with pytest.raises(ValueError, match="printable ASCII"):
        Settings(admin_token="has a space")
    assert Settings(admin_token="").admin_token is None, "empty means unset"


def test_first_start_generates_a_token_prints_the_sign_in_link_and_reuses_both(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "server", env={"VIVA_ADMIN_TOKEN": ""})
    try:
        server.start()
        path = server.data_dir / ADMIN_TOKEN_FILE
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        token = path.read_text().strip()
        link = f"{server.url}/?token={token}"
        assert f"Viva is running: open {link}" in server.log()
        with httpx.Client(timeout=30) as browser:
            response = browser.get(link)
            assert response.status_code == 303 and response.headers["location"] == "/"
            assert browser.get(f"{server.url}/").status_code == 200
            assert browser.get(f"{server.url}/api/v1/interviews").status_code == 200
            server.stop()
            server.start()
            assert path.read_text().strip() == token
            assert server.log().count(f"Viva is running: open {link}") == 2
            assert browser.get(f"{server.url}/api/v1/interviews").status_code == 200, "the session survives"
        with httpx.Client(timeout=30) as anonymous:
            assert anonymous.get(f"{server.url}/api/v1/interviews").status_code == 401
    finally:
        server.stop()


async def test_a_configured_token_is_never_printed(services: Services, capsys: pytest.CaptureFixture[str]) -> None:
    async with app_client(with_settings(services, admin_token="configured-secret-77"), signed_in=False):
        pass
    printed = capsys.readouterr().err
    assert "Viva is running: open http://127.0.0.1:8000/ and sign in with the admin token" in printed
    assert "configured-secret-77" not in printed


# ---------------------------------------------------------------------------------------------- VIVA_AUTH=none


async def test_auth_none_opens_the_recruiter_side_and_says_so_loudly(
    services: Services, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.WARNING)
    async with app_client(with_settings(services, auth="none"), signed_in=False) as anonymous:
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "VIVA_AUTH=none" in r.getMessage()]
        assert warnings, "a warning at start-up"
        assert "VIVA_AUTH=none" in capsys.readouterr().err
        config = (await anonymous.get("/api/v1/config")).json()
        assert config["auth"]["mode"] == "none" and "development only" in config["auth"]["warning"]
        started = await start(anonymous)
        assert (await anonymous.get("/api/v1/interviews")).json()["total"] == 1
        assert (await anonymous.get(f"/api/v1/interview/results/{started['interview_id']}")).status_code == 200
        assert (await anonymous.get("/metrics")).status_code == 200
        for page in ("/", "/history.html", f"/report.html?id={started['interview_id']}"):
            assert (await anonymous.get(page)).status_code == 200, page
        # Another site's page still cannot change anything.
        foreign = await anonymous.post(
            "/api/v1/interview/start", json={"candidate_name": "A", "job_title": "B"}, headers={"Origin": "https://x.y"}
        )
        assert error_of(foreign) == (403, "csrf_failed")
        assert error_of(await anonymous.post("/api/v1/auth/signin", json={"token": "x"})) == (409, "sign_in_disabled")
    async with app_client(services, signed_in=False) as client:
        assert (await client.get("/api/v1/config")).json()["auth"] == {"mode": "token"}


# ---------------------------------------------------------------------------------------------- no-store


async def test_responses_carrying_tokens_or_candidate_data_are_not_stored(services: Services) -> None:
    async with app_client(services) as client:
        started = await client.post(
            "/api/v1/interview/start", json={"candidate_name": "Ada", "job_title": "Engineer", "num_questions": 1}
        )
        iid = started.json()["interview_id"]
        question = {"interview_id": iid, "candidate_token": started.json()["candidate_token"]}
        responses = {
            "start": started,
            "question": await client.post("/api/v1/interview/question", json=question),
            "results": await client.get(f"/api/v1/interview/results/{iid}"),
            "markdown report": await client.get(f"/api/v1/interview/results/{iid}", params={"format": "markdown"}),
            "save": await client.post(f"/api/v1/interview/save/{iid}"),
            "history": await client.get("/api/v1/interviews"),
            "detail": await client.get(f"/api/v1/interviews/{iid}"),
            "upload": await client.post("/api/v1/upload/txt", files={"file": ("cv.txt", b"Ada Lovelace, engineer.")}),
            "stt": await client.post(
                "/api/v1/audio/stt",
                content=wav_bytes(bytes(INPUT_SAMPLE_RATE // 5), INPUT_SAMPLE_RATE),
                headers={"content-type": "audio/wav"},
            ),
            "revoke": await client.post(f"/api/v1/interviews/{iid}/revoke", json={"link": "candidate"}),
            "refusal": await client.get("/api/v1/interviews/no-such"),
        }
    for name, response in responses.items():
        assert response.status_code < 500, (name, response.text)
        assert response.headers["cache-control"] == "no-store", name
