// The sign-in page: signin.html?reason=<why you are here>&next=<where to go back to>.
//
// Says why the recruiter was sent here (no session, an expired one, a refused link), then takes the admin
// token and signs in with it (the server sets the session cookie), and goes back where they were going.
// A browser already signed in goes straight back: a link followed from another site arrives without the
// cookie (SameSite=Strict), which this same-origin check does carry.
import { ApiError, call } from "./api";
import { byId, showMessage } from "./dom";

interface SessionState {
  auth: "token" | "none";
  signed_in: boolean;
  expires_at: string | null;
}

const REASONS: Record<string, string> = {
  sign_in_required: "Sign in to set up interviews, read the history and the reports.",
  session_expired: "Your session has expired. Sign in again.",
  session_invalid: "Your session is no longer valid (the admin token may have changed). Sign in again.",
  signed_out: "You are signed out.",
  invalid_token:
    "The token in that link was refused. If you are the recruiter, sign in with the admin token; otherwise ask " +
    "the recruiter for a new link.",
  wrong_link: "That is the candidate's link: it opens only the interview page.",
  token_expired: "That link has expired. Ask the recruiter for a new one, or sign in as the recruiter.",
  token_revoked: "That link has been revoked. Ask the recruiter for a new one, or sign in as the recruiter.",
};

const ui = {
  reason: byId("signin-reason", HTMLElement),
  form: byId("signin-form", HTMLFormElement),
  token: byId("signin-token", HTMLInputElement),
  submit: byId("signin-submit", HTMLButtonElement),
  error: byId("signin-error", HTMLElement),
};

const params = new URLSearchParams(window.location.search);
const reason = params.get("reason") ?? "sign_in_required";

/** Where to go after signing in: a path of this server only (never another site, whatever the URL says). */
function nextPage(): string {
  const next = params.get("next") ?? "/";
  return next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

async function signIn(): Promise<void> {
  showMessage(ui.error, "");
  ui.submit.disabled = true;
  try {
    await call<SessionState>("/api/v1/auth/signin", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: ui.token.value.trim() }),
    });
    window.location.replace(nextPage());
  } catch (error) {
    showMessage(ui.error, error instanceof ApiError ? error.message : `Something went wrong: ${String(error)}`);
    ui.submit.disabled = false;
    ui.token.select();
  }
}

ui.reason.textContent = REASONS[reason] ?? REASONS["sign_in_required"] ?? "";
ui.form.addEventListener("submit", (event) => {
  event.preventDefault();
  void signIn();
});
if (reason !== "signed_out") {
  call<SessionState>("/api/v1/auth/session")
    .then((state) => {
      if (state.signed_in) window.location.replace(nextPage());
    })
    .catch(() => undefined); // the form is there either way
}
ui.token.focus();
