// The interview history: GET /api/v1/interviews, newest first, a page at a time, filtered by job title and
// status. The filters live in the page's URL, so a reload or the back button shows the same page. The page is
// the signed-in recruiter's: the session cookie opens the history and the reports it links to (no token in
// their addresses); when the session has expired, the page says so and links to the sign-in page.
import { hideSignIn, needsSignIn, offerSignOut, showSignIn } from "./access";
import { ApiError } from "./api";
import { byId, make, showMessage } from "./dom";
import * as format from "./format";
import {
  fetchHistory,
  type HistoryFilters,
  type HistoryItem,
  type HistoryPage,
  isInterviewStatus,
  STATUS_LABELS,
} from "./reports";

const ui = {
  filters: byId("filters", HTMLFormElement),
  jobTitle: byId("filter-job-title", HTMLInputElement),
  status: byId("filter-status", HTMLSelectElement),
  clear: byId("clear-filters", HTMLButtonElement),
  error: byId("history-error", HTMLElement),
  errorText: byId("history-error-text", HTMLElement),
  loadStatus: byId("history-status", HTMLElement),
  table: byId("history-table", HTMLTableElement),
  rows: byId("history-rows", HTMLTableSectionElement),
  previous: byId("previous-page", HTMLButtonElement),
  next: byId("next-page", HTMLButtonElement),
  pageInfo: byId("page-info", HTMLElement),
};

/** The page shown and the filters it was asked with; paging keeps those filters, whatever is typed since. */
let current: { page: HistoryPage; filters: HistoryFilters } | null = null;

function filtersFromUrl(): HistoryFilters {
  const params = new URLSearchParams(window.location.search);
  const status = params.get("status") ?? "";
  const offset = Number.parseInt(params.get("offset") ?? "0", 10);
  return {
    job_title: params.get("job_title") ?? "",
    status: isInterviewStatus(status) ? status : "",
    offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
  };
}

function filtersFromForm(): HistoryFilters {
  const status = ui.status.value;
  return { job_title: ui.jobTitle.value.trim(), status: isInterviewStatus(status) ? status : "", offset: 0 };
}

function showFilters(filters: HistoryFilters): void {
  ui.jobTitle.value = filters.job_title;
  ui.status.value = filters.status;
}

function keepInUrl(filters: HistoryFilters): void {
  const params = new URLSearchParams();
  if (filters.job_title) params.set("job_title", filters.job_title);
  if (filters.status) params.set("status", filters.status);
  if (filters.offset) params.set("offset", String(filters.offset));
  const query = params.toString();
  window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
}

function reportLink(item: HistoryItem): HTMLAnchorElement {
  const link = make("a", "", item.candidate_name);
  link.href = `report.html?${new URLSearchParams({ id: item.interview_id })}`;
  return link;
}

function row(item: HistoryItem): HTMLTableRowElement {
  const tr = make("tr");
  tr.dataset["interviewId"] = item.interview_id;
  const candidate = make("td");
  candidate.append(reportLink(item));
  const status = make("td", "status-cell", STATUS_LABELS[item.status]);
  status.dataset["status"] = item.status;
  tr.append(
    candidate,
    make("td", "", item.job_title),
    make("td", "", format.label(item.interview_type)),
    status,
    make("td", "", format.dateTime(item.started_at)),
    make("td", "", format.dateTime(item.ended_at)),
    make("td", "number", String(item.turn_count)),
    make("td", "number score", format.score(item.final_score)),
  );
  return tr;
}

function render(page: HistoryPage, filters: HistoryFilters): void {
  ui.rows.replaceChildren(...page.items.map(row));
  ui.table.hidden = page.items.length === 0;
  const filtered = filters.job_title !== "" || filters.status !== "";
  if (page.items.length) showMessage(ui.loadStatus, "");
  else if (page.total > 0) showMessage(ui.loadStatus, "There are no interviews on this page.");
  else showMessage(ui.loadStatus, filtered ? "No interview matches these filters." : "No interviews yet.");
  const first = page.items.length ? page.offset + 1 : 0;
  ui.pageInfo.textContent = page.total ? `${first}–${page.offset + page.items.length} of ${page.total}` : "";
  ui.previous.disabled = page.offset === 0;
  ui.next.disabled = page.next_offset === null;
}

async function load(filters: HistoryFilters): Promise<void> {
  showFilters(filters);
  keepInUrl(filters);
  showMessage(ui.loadStatus, "Loading…");
  ui.previous.disabled = ui.next.disabled = true;
  try {
    const page = await fetchHistory(filters);
    current = { page, filters };
    ui.error.hidden = true;
    hideSignIn();
    render(page, filters);
  } catch (error) {
    current = null;
    showMessage(ui.loadStatus, "");
    ui.table.hidden = true;
    ui.pageInfo.textContent = "";
    if (needsSignIn(error)) {
      showSignIn(error instanceof ApiError ? error.message : "Sign in again.");
      return;
    }
    ui.error.hidden = false;
    ui.errorText.textContent = error instanceof ApiError ? error.message : `Something went wrong: ${String(error)}`;
  }
}

ui.filters.addEventListener("submit", (event) => {
  event.preventDefault();
  void load(filtersFromForm());
});
ui.status.addEventListener("change", () => void load(filtersFromForm()));
ui.clear.addEventListener("click", () => void load({ job_title: "", status: "", offset: 0 }));
ui.previous.addEventListener("click", () => {
  if (current) void load({ ...current.filters, offset: Math.max(0, current.page.offset - current.page.limit) });
});
ui.next.addEventListener("click", () => {
  const next = current?.page.next_offset;
  if (current && next != null) void load({ ...current.filters, offset: next });
});
offerSignOut(byId("sign-out", HTMLButtonElement), byId("sign-out-error", HTMLElement));

void load(filtersFromUrl());
