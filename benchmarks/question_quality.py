"""Would a competent interviewer ask these questions? A checklist over every planned question.

For each role of ``tests/data/graded_answers.json`` (seven fields, recruiter-style job descriptions and
PDF-extracted resumes), the builtin engine plans an interview of five questions for each interview type that
fits the role (behavioral, technical and mixed for all; system design where the role's graded items use it).
Every planned question (its wording and its rephrasing, both are spoken) is checked:

- ``list_read_aloud``: no list of three or more comma-separated items;
- ``raw_bracket``: no parenthesis or bracket;
- ``raw_unit``: no unit, abbreviation or symbol read as written (µs, us, ms, %, $, k, M, "4+", p99, →, a
  slash, an en-dash range);
- ``pdf_artifact``: no ligature, soft hyphen or word broken by a line-end hyphen;
- ``grounding``: a grounding quote that is real text of its source (after undoing PDF artifacts);
- ``template_repeated``: no template used twice in one interview;
- ``not_requirement``: not grounded on (or quoting) a sentence the data marks as not a requirement
  (company blurb, "We are hiring …", benefits).

``headline_coverage`` is the share of each role's headline requirements (``question_checks.must_cover``)
that some question of the interview asks about, by the data's keywords (case-insensitive; a keyword is
matched at the start of a word, so "idempoten" matches "idempotent").

The checks are written independently of the planner (they do not use its cleaning or spoken-form code).
Figures are printed separately for the tuning roles and the held-out roles (``split`` in the data).

Run: ``python -m benchmarks.question_quality`` (``--split tune`` to see only the tuning roles, ``--show`` to
print every question and its failures).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project's packages importable
    sys.path.insert(0, str(ROOT))

from server.conversation.planning import plan_questions  # noqa: E402
from server.conversation.questions import GroundingSource, PlannedQuestion  # noqa: E402
from server.conversation.setup import InterviewSetup, InterviewType  # noqa: E402

DATA = ROOT / "tests" / "data" / "graded_answers.json"
CHECKS = (
    "list_read_aloud",
    "raw_bracket",
    "raw_unit",
    "pdf_artifact",
    "grounding",
    "template_repeated",
    "not_requirement",
)
NUM_QUESTIONS = 5

_ITEM = r"[\w'’+#-]+(?:\.\w+)*(?: [\w'’+#-]+(?:\.\w+)*){0,3}"
_NOT_ITEM_START = re.compile(r"^(?:what|how|why|where|when|who|which|then|and|or|but|so|if|that|is|was)\b", re.I)
_LIST = re.compile(rf"({_ITEM}), ({_ITEM}),? (?:and|or) ({_ITEM})|({_ITEM}), ({_ITEM}), ({_ITEM})")
_BRACKET = re.compile(r"[()\[\]{}]")
_RAW_UNIT = re.compile(
    r"[$€£%µμ→≈≥≤~<>±&•▪]|\d\s?(?:us|µs|ms|ns|s|sec|min|h|hr|hrs|k|K|M|B|bn|x|mA|uA|mAh|lbs?|kg|GB|MB|TB|kHz|MHz|"
    r"GHz|V|W)\b|\bp\d{2,3}\b|\d\+|\d\s?[–—]\s?\d|\w/\w"
)
_LIGATURE = re.compile("[\ufb00-\ufb06\u00ad]")


@dataclass
class Interview:
    role: str
    split: str
    interview_type: str
    questions: list[PlannedQuestion]
    failures: dict[int, list[str]] = field(default_factory=dict)
    covered: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        total = len(self.covered) + len(self.missed)
        return len(self.covered) / total if total else 1.0


def _normalise(text: str) -> str:
    """Source text with PDF artifacts undone, for checking that a quote is real: ligatures and soft hyphens,
    words hyphenated across lines, line breaks and bullets."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    text = re.sub(r"[•▪\n\r\t ]+", " ", text)
    return re.sub(r"[^\w%$]+", " ", text).lower().strip()


def _broken_fragments(*documents: str) -> list[re.Pattern[str]]:
    """Words a PDF hyphenated at a line end ("experi-" / "ence"): the two halves apart in a question are an
    artifact."""
    patterns = []
    for document in documents:
        for head, tail in re.findall(r"(\w+)-\n(\w+)", document):
            patterns.append(re.compile(rf"\b{re.escape(head)}-?\s+{re.escape(tail)}\b", re.IGNORECASE))
            patterns.append(re.compile(rf"^{re.escape(tail)}\b", re.IGNORECASE))
    return patterns


def _lists(text: str) -> bool:
    for sentence in re.split(r"(?<=[.!?])\s+", text):  # a list never runs across a full stop
        for match in _LIST.finditer(sentence):
            items = [g for g in match.groups() if g]
            if not any(_NOT_ITEM_START.match(item) for item in items[1:]):
                return True
    return False


def check_question(
    question: PlannedQuestion, role: dict, not_requirements: list[str], fragments: list[re.Pattern[str]]
) -> list[str]:
    """The checks ``question`` fails (empty: it passes them all)."""
    failed: list[str] = []
    spoken = [question.text, question.rephrased]
    if any(_lists(text) for text in spoken):
        failed.append("list_read_aloud")
    if any(_BRACKET.search(text) for text in spoken):
        failed.append("raw_bracket")
    if any(_RAW_UNIT.search(text) for text in spoken):
        failed.append("raw_unit")
    if any(_LIGATURE.search(text) or any(p.search(text) for p in fragments) for text in spoken):
        failed.append("pdf_artifact")
    if not _grounded(question, role):
        failed.append("grounding")
    quote = _normalise(question.grounding.quote)
    for sentence in not_requirements:
        banned = _normalise(sentence)
        if _overlap(quote, banned) >= 0.6 or (quote and (quote in banned or banned in quote)):
            failed.append("not_requirement")
            break
    return failed


def _grounded(question: PlannedQuestion, role: dict) -> bool:
    quote = question.grounding.quote.strip()
    if not quote:
        return False
    source = {
        GroundingSource.JOB_DESCRIPTION: role["job_description"],
        GroundingSource.RESUME: role["resume_text"],
        GroundingSource.JOB_TITLE: role["job_title"],
    }.get(question.grounding.source)
    if source is None:
        return False
    return _normalise(quote.rstrip("…")) in _normalise(source)


def _overlap(a: str, b: str) -> float:
    left, right = set(a.split()), set(b.split())
    return len(left & right) / len(left | right) if left and right else 0.0


def _covers(texts: list[str], keywords: list[str]) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(k)}", text, re.IGNORECASE) for k in keywords for text in texts)


def interview_types(name: str, data: dict) -> list[str]:
    """Behavioral, technical and mixed for every role, and system design where the role's items use it."""
    used = {item["interview_type"] for item in data["items"] if item["role"] == name}
    return [t.value for t in InterviewType if t.value in {"behavioral", "technical", "mixed"} | used]


def role_split(name: str, data: dict) -> str:
    """A role is held out when the data holds it out whole (every item of it is held out)."""
    splits = {item["split"] for item in data["items"] if item["role"] == name}
    return "heldout" if splits == {"heldout"} else "tune"


def run(split: str | None = None, data_path: Path = DATA) -> list[Interview]:
    data = json.loads(data_path.read_text(encoding="utf-8"))
    interviews: list[Interview] = []
    for name, role in data["roles"].items():
        if split is not None and role_split(name, data) != split:
            continue
        checks = data["question_checks"][name]
        fragments = _broken_fragments(role["job_description"], role["resume_text"])
        for kind in interview_types(name, data):
            setup = InterviewSetup(
                candidate_name="Alex",
                job_title=role["job_title"],
                job_description=role["job_description"],
                resume_text=role["resume_text"],
                interview_type=InterviewType(kind),
                num_questions=NUM_QUESTIONS,
            )
            plan = plan_questions(setup)
            interview = Interview(name, role_split(name, data), kind, plan)
            templates = Counter(q.template for q in plan if q.template)
            for question in plan:
                failed = check_question(question, role, checks["not_requirements"], fragments)
                if question.template and templates[question.template] > 1:
                    failed.append("template_repeated")
                interview.failures[question.number] = failed
            for headline in checks["must_cover"]:
                texts = [q.text for q in plan]
                target = interview.covered if _covers(texts, headline["keywords"]) else interview.missed
                target.append(headline["requirement"])
            interviews.append(interview)
    return interviews


def figures(interviews: list[Interview]) -> dict[str, float | int]:
    """``question_quality``, ``headline_coverage`` and failures per check, per split and overall."""
    out: dict[str, float | int] = {}
    for split in ("tune", "heldout", None):
        chosen = [i for i in interviews if split is None or i.split == split]
        if not chosen:
            continue
        suffix = f"_{split}" if split else ""
        results = [failed for i in chosen for failed in i.failures.values()]
        out[f"questions{suffix}"] = len(results)
        out[f"question_quality{suffix}"] = round(sum(not f for f in results) / len(results), 3)
        out[f"headline_coverage{suffix}"] = round(sum(i.coverage for i in chosen) / len(chosen), 3)
        counts = Counter(check for failed in results for check in failed)
        for check in CHECKS:
            out[f"failed_{check}{suffix}"] = counts.get(check, 0)
    return out


def show(interviews: list[Interview]) -> None:
    for interview in interviews:
        print(
            f"\n== {interview.role} ({interview.split}), {interview.interview_type}: "
            f"coverage {interview.coverage:.2f}; missed: {', '.join(interview.missed) or 'none'}"
        )
        for question in interview.questions:
            failed = interview.failures[question.number]
            print(f"  {question.number}. [{question.template}] {question.text}")
            print(f"     grounded on {question.grounding.source.value}: {question.grounding.quote}")
            if failed:
                print(f"     FAILS: {', '.join(failed)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("tune", "heldout"), help="only the tuning or the held-out roles")
    parser.add_argument("--show", action="store_true", help="print every planned question and what it fails")
    args = parser.parse_args()
    interviews = run(args.split)
    if args.show:
        show(interviews)
        print()
    for name, value in figures(interviews).items():
        print(f"{name}={value}")


if __name__ == "__main__":
    main()
