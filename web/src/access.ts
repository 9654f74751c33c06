// Who the recruiter's pages act as: the signed-in recruiter (the session cookie, which scripts never see), or
// the holder of an interview's observer link (its token in the page's URL, sent as a Bearer token).
import { ApiError, call } from "./api";
import { byId } from "./dom";

/** Refusals that another token can cure (as opposed to a missing interview or a server fault). */
export function needsToken(status: number): boolean {
  return status === 401 || status === 403;
}

/** The server refused because this browser is not (or no longer) signed in. */
export function needsSignIn(error: unknown): boolean {
  return error instanceof ApiError && error.code === "sign_in_required";
}

/** The sign-in page, told why and to come back here afterwards (without any token in the address). */
export function signInHref(reason: string): string {
  const here = new URL(window.location.href);
  here.searchParams.delete("token");
  return `/signin.html?${new URLSearchParams({ reason, next: here.pathname + here.search })}`;
}

/** Wire a "Sign out" button: clear the session, then show the sign-in page. */
export function offerSignOut(button: HTMLButtonElement, status: HTMLElement): void {
  button.addEventListener("click", () => {
    button.disabled = true;
    call("/api/v1/auth/signout", { method: "POST" })
      .then(() => window.location.assign("/signin.html?reason=signed_out"))
      .catch((error: unknown) => {
        button.disabled = false;
        status.hidden = false;
        status.textContent = error instanceof ApiError ? error.message : `Could not sign out: ${String(error)}`;
      });
  });
}

/** Show the page's "Sign in" notice (#sign-in-needed) with the server's reason, linking back to this page.
 * `keepPage`: sign in in another tab, so what was typed here stays. */
export function showSignIn(message: string, keepPage = false): void {
  byId("sign-in-needed-text", HTMLElement).textContent = message;
  const link = byId("sign-in-link", HTMLAnchorElement);
  link.href = signInHref("session_expired");
  if (keepPage) {
    link.target = "_blank";
    link.rel = "noopener";
  }
  const notice = byId("sign-in-needed", HTMLElement);
  notice.hidden = false;
  notice.scrollIntoView({ block: "nearest" });
}

export function hideSignIn(): void {
  byId("sign-in-needed", HTMLElement).hidden = true;
}
