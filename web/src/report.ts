// The results page of one interview: report.html?id=<interview id>&token=<observer token>.
//
// Loads the results as the signed-in recruiter (the history links here with only the id), or with the
// observer link's token as a Bearer header, renders them, and offers them as JSON and Markdown. A refused
// token shows the server's reason and a field for another; an expired session a link to sign in again; a
// running interview shows what is scored so far.
import { needsSignIn, needsToken, showSignIn } from "./access";
import { ApiError } from "./api";
import { byId, saveFile, showMessage } from "./dom";
import { renderResults } from "./report-view";
import { fetchMarkdownReport, fetchResults, type Results } from "./reports";

const ui = {
  loadStatus: byId("load-status", HTMLElement),
  loadError: byId("load-error", HTMLElement),
  loadErrorText: byId("load-error-text", HTMLElement),
  tokenForm: byId("token-form", HTMLFormElement),
  tokenInput: byId("token-input", HTMLInputElement),
  report: byId("report", HTMLElement),
  downloadJson: byId("download-json", HTMLButtonElement),
  downloadMarkdown: byId("download-markdown", HTMLButtonElement),
  refresh: byId("refresh", HTMLButtonElement),
  actionStatus: byId("action-status", HTMLElement),
};

const params = new URLSearchParams(window.location.search);
const interviewId = params.get("id") ?? "";
let token: string | null = params.get("token") || null;
let results: Results | null = null;

/** The interview id as a file-name part. */
const fileStem = `viva-interview-${interviewId.replace(/[^\w-]/g, "")}`;

function explain(error: unknown): string {
  return error instanceof ApiError ? error.message : `Something went wrong: ${String(error)}`;
}

function showLoadError(message: string, askForToken: boolean): void {
  showMessage(ui.loadStatus, "");
  ui.report.hidden = true;
  ui.loadError.hidden = false;
  ui.loadErrorText.textContent = message;
  ui.tokenForm.hidden = !askForToken;
  if (askForToken) ui.tokenInput.focus();
}

async function load(): Promise<void> {
  ui.refresh.disabled = true;
  showMessage(ui.loadStatus, results ? "" : "Loading the results…");
  showMessage(ui.actionStatus, results ? "Refreshing…" : "");
  try {
    results = await fetchResults(interviewId, token);
    renderResults(results);
    showMessage(ui.loadStatus, "");
    showMessage(ui.actionStatus, "");
    ui.loadError.hidden = true;
    ui.report.hidden = false;
  } catch (error) {
    if (needsSignIn(error)) showSignIn(explain(error));
    if (results) showMessage(ui.actionStatus, explain(error));
    else showLoadError(explain(error), error instanceof ApiError && needsToken(error.status));
  } finally {
    ui.refresh.disabled = false;
  }
}

async function downloadMarkdown(): Promise<void> {
  ui.downloadMarkdown.disabled = true;
  showMessage(ui.actionStatus, "Preparing the Markdown report…");
  try {
    saveFile(`${fileStem}.md`, await fetchMarkdownReport(interviewId, token), "text/markdown");
    showMessage(ui.actionStatus, "");
  } catch (error) {
    showMessage(ui.actionStatus, explain(error));
  } finally {
    ui.downloadMarkdown.disabled = false;
  }
}

ui.downloadJson.addEventListener("click", () => {
  if (results) saveFile(`${fileStem}.json`, `${JSON.stringify(results, null, 2)}\n`, "application/json");
});
ui.downloadMarkdown.addEventListener("click", () => void downloadMarkdown());
ui.refresh.addEventListener("click", () => void load());
ui.tokenForm.addEventListener("submit", (event) => {
  event.preventDefault();
  token = ui.tokenInput.value.trim() || null;
  void load();
});

if (interviewId) {
  void load();
} else {
  showLoadError(
    "This link has no interview id. Open the report from the link given when the interview was created, " +
      "or from the interview history.",
    false,
  );
}
