// REST plumbing shared by the pages, and the set-up page's calls. Errors arrive as
// {"error": {"code", "message"}} with a 4xx/5xx status and become an ApiError with the server's message.
// A signed-in recruiter is known by the session cookie the browser sends with every same-origin request;
// whatever changes something also carries the CSRF header, which only this server's own pages can send.

export type InterviewType = "behavioral" | "technical" | "mixed";

export interface InterviewRequest {
  candidate_name: string;
  job_title: string;
  job_description: string;
  resume_text: string;
  interview_type: InterviewType;
  num_questions: number;
}

export interface StartedInterview {
  interview_id: string;
  candidate_token: string;
  candidate_url: string;
  observer_token: string;
  observer_url: string;
  observer_room_url: string;
}

/** A refused request, with the server's own explanation. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Authorization headers for a token (none without one: the server may not require it). */
export function bearer(token: string | null): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** The header the server requires on a state-changing request signed in by the session cookie. */
export const CSRF_HEADERS: Record<string, string> = { "X-Viva-CSRF": "1" };

async function send(url: string, init: RequestInit, accept: string): Promise<Response> {
  const method = (init.method ?? "GET").toUpperCase();
  const csrf = method === "GET" || method === "HEAD" ? {} : CSRF_HEADERS;
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      credentials: "same-origin",
      headers: { Accept: accept, ...csrf, ...init.headers },
    });
  } catch {
    throw new ApiError(0, "network", "The server could not be reached. Check your connection and try again.");
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const message = typeof error?.message === "string" ? error.message : `Request failed (HTTP ${response.status}).`;
    const code = typeof error?.code === "string" ? error.code : "http_error";
    throw new ApiError(response.status, code, message);
  }
  return response;
}

/** A JSON request; the parsed body, or an ApiError. */
export async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await send(url, init, "application/json");
  const body: unknown = await response.json().catch(() => null);
  if (body === null) throw new ApiError(response.status, "bad_response", "The server sent an unreadable answer.");
  return body as T;
}

/** A request whose answer is text (a Markdown report). */
export async function callText(url: string, init: RequestInit = {}): Promise<string> {
  const response = await send(url, init, "text/*");
  return response.text();
}

/** The resume's kind, from its name or MIME type; null when it is neither PDF nor plain text. */
export function resumeKind(file: File): "pdf" | "txt" | null {
  const name = file.name.toLowerCase();
  if (file.type === "application/pdf" || name.endsWith(".pdf")) return "pdf";
  if (file.type === "text/plain" || name.endsWith(".txt")) return "txt";
  return null;
}

/** Upload a resume and return its extracted text. */
export async function uploadResume(file: File): Promise<string> {
  const kind = resumeKind(file);
  if (!kind) throw new ApiError(0, "unsupported_file", "The resume must be a PDF or a plain-text (.txt) file.");
  const form = new FormData();
  form.append("file", file);
  const result = await call<{ text: string }>(`/api/v1/upload/${kind}`, { method: "POST", body: form });
  return result.text;
}

export function startInterview(request: InterviewRequest): Promise<StartedInterview> {
  return call<StartedInterview>("/api/v1/interview/start", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(request),
  });
}
