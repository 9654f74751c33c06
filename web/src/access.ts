// Which token the interviewer's pages send. A report link carries the interview's observer token in its URL;
// the admin token (needed only when the server sets VIVA_ADMIN_TOKEN) is typed once and kept for the tab's
// session, so the history and the reports it links to open without asking again.
const ADMIN_TOKEN_KEY = "viva.adminToken";

export function rememberedAdminToken(): string | null {
  try {
    return sessionStorage.getItem(ADMIN_TOKEN_KEY);
  } catch {
    return null; // storage disabled: the page asks each time
  }
}

export function rememberAdminToken(token: string): void {
  try {
    sessionStorage.setItem(ADMIN_TOKEN_KEY, token);
  } catch {
    // storage disabled: the token is used for this page only
  }
}

/** Refusals that another token can cure (as opposed to a missing interview or a server fault). */
export function needsToken(status: number): boolean {
  return status === 401 || status === 403;
}
