// The set-up page (the signed-in recruiter's): upload the resume (optional), create the interview, then show
// its links: the candidate's, and the observer's report and live room links for a colleague who does not sign
// in, whose token the server shows only this once.
import { hideSignIn, needsSignIn, offerSignOut, showSignIn } from "./access";
import { ApiError, type InterviewType, resumeKind, type StartedInterview, startInterview, uploadResume } from "./api";
import { byId, showMessage } from "./dom";

const form = byId("setup-form", HTMLFormElement);
const nameInput = byId("candidate-name", HTMLInputElement);
const jobTitleInput = byId("job-title", HTMLInputElement);
const descriptionInput = byId("job-description", HTMLTextAreaElement);
const resumeInput = byId("resume", HTMLInputElement);
const typeSelect = byId("interview-type", HTMLSelectElement);
const questionsInput = byId("num-questions", HTMLInputElement);
const submitButton = byId("submit", HTMLButtonElement);
const errorRegion = byId("form-error", HTMLElement);
const statusRegion = byId("form-status", HTMLElement);
const created = {
  panel: byId("created", HTMLElement),
  heading: byId("created-heading", HTMLElement),
  summary: byId("created-summary", HTMLElement),
  candidateLink: byId("candidate-link", HTMLInputElement),
  observerLink: byId("observer-link", HTMLInputElement),
  copyCandidate: byId("copy-candidate-link", HTMLButtonElement),
  copyObserver: byId("copy-observer-link", HTMLButtonElement),
  roomLink: byId("room-link", HTMLInputElement),
  copyRoom: byId("copy-room-link", HTMLButtonElement),
  openRoom: byId("open-room", HTMLAnchorElement),
  copyStatus: byId("copy-status", HTMLElement),
  startAsCandidate: byId("start-as-candidate", HTMLAnchorElement),
  openReport: byId("open-report", HTMLAnchorElement),
  newInterview: byId("new-interview", HTMLButtonElement),
};

function isInterviewType(value: string): value is InterviewType {
  return value === "behavioral" || value === "technical" || value === "mixed";
}

resumeInput.addEventListener("change", () => {
  const file = resumeInput.files?.[0];
  showMessage(errorRegion, file && !resumeKind(file) ? "The resume must be a PDF or a plain-text (.txt) file." : "");
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  void submit();
});

async function submit(): Promise<void> {
  showMessage(errorRegion, "");
  hideSignIn();
  const interviewType = typeSelect.value;
  if (!isInterviewType(interviewType)) {
    showMessage(errorRegion, "Choose an interview type.");
    return;
  }
  submitButton.disabled = true;
  try {
    const file = resumeInput.files?.[0];
    let resumeText = "";
    if (file) {
      showMessage(statusRegion, "Reading the resume…");
      resumeText = await uploadResume(file);
    }
    showMessage(statusRegion, "Preparing the interview…");
    const started = await startInterview({
      candidate_name: nameInput.value.trim(),
      job_title: jobTitleInput.value.trim(),
      job_description: descriptionInput.value.trim(),
      resume_text: resumeText,
      interview_type: interviewType,
      num_questions: questionsInput.valueAsNumber,
    });
    showMessage(statusRegion, "");
    showCreated(started);
  } catch (error) {
    showMessage(statusRegion, "");
    if (needsSignIn(error)) {
      const message = error instanceof ApiError ? error.message : "";
      showSignIn(`${message} Sign in in the new tab, then start the interview again: what you typed stays here.`, true);
    } else {
      showMessage(errorRegion, error instanceof ApiError ? error.message : `Something went wrong: ${String(error)}`);
    }
    submitButton.disabled = false;
  }
}

function showCreated(started: StartedInterview): void {
  const candidateUrl = new URL(started.candidate_url, window.location.origin).href;
  const observerUrl = new URL(started.observer_url, window.location.origin).href;
  const roomUrl = new URL(started.observer_room_url, window.location.origin).href;
  created.summary.textContent = `${jobTitleInput.value.trim()} · ${nameInput.value.trim()}`;
  created.candidateLink.value = candidateUrl;
  created.observerLink.value = observerUrl;
  created.startAsCandidate.href = candidateUrl;
  created.openReport.href = observerUrl;
  created.roomLink.value = roomUrl;
  created.openRoom.href = roomUrl;
  showMessage(created.copyStatus, "");
  form.hidden = true;
  created.panel.hidden = false;
  created.heading.focus();
}

async function copyLink(input: HTMLInputElement, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(input.value);
    showMessage(created.copyStatus, `${what} copied.`);
  } catch {
    input.select();
    const selected = `The browser did not allow copying: the ${what.toLowerCase()} is selected, copy it with Ctrl+C.`;
    showMessage(created.copyStatus, selected);
  }
}

created.copyCandidate.addEventListener("click", () => void copyLink(created.candidateLink, "Candidate link"));
created.copyObserver.addEventListener("click", () => void copyLink(created.observerLink, "Report link"));
created.copyRoom.addEventListener("click", () => void copyLink(created.roomLink, "Live room link"));
created.newInterview.addEventListener("click", () => {
  form.reset();
  submitButton.disabled = false;
  created.panel.hidden = true;
  form.hidden = false;
  nameInput.focus();
});
offerSignOut(byId("sign-out", HTMLButtonElement), byId("sign-out-error", HTMLElement));
