// The set-up page: upload the resume (optional), create the interview, then go to the candidate's page.
import { ApiError, type InterviewType, resumeKind, startInterview, uploadResume } from "./api";
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
    showMessage(statusRegion, "Opening the interview…");
    window.location.assign(started.candidate_url);
  } catch (error) {
    showMessage(statusRegion, "");
    showMessage(errorRegion, error instanceof ApiError ? error.message : `Something went wrong: ${String(error)}`);
    submitButton.disabled = false;
  }
}
