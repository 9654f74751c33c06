"""Measure how well an evaluator orders hand-graded answers (strong > medium > weak).

Reads ``tests/data/graded_answers_v1_in_sample.json``, scores every answer with the builtin evaluator, and prints:

- the Spearman rank correlation between the grades (strong=3, medium=2, weak=1) and the overall scores,
  over all answers;
- the mean Kendall tau within each question (1.0 when every question is ordered perfectly);
- how many questions are ordered exactly strong > medium > weak;
- whether scoring is deterministic (every answer scored twice gives the same result).

Run: ``python -m benchmarks.rank_correlation`` (``--json`` for machine-readable output).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from server.conversation.planning import default_question
from server.conversation.setup import InterviewSetup, InterviewType
from server.evaluation.scoring import evaluate_answer

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "graded_answers_v1_in_sample.json"
GRADES = {"strong": 3, "medium": 2, "weak": 1}


@dataclass(frozen=True)
class RankReport:
    answers: int
    questions: int
    spearman: float
    mean_kendall_tau: float
    perfectly_ordered: int
    deterministic: bool
    scores: dict[str, dict[str, float]]


def measure(data_path: Path = DATA) -> RankReport:
    data = json.loads(data_path.read_text(encoding="utf-8"))
    grades: list[float] = []
    overall: list[float] = []
    taus: list[float] = []
    ordered = 0
    deterministic = True
    scores: dict[str, dict[str, float]] = {}
    for item in data["items"]:
        setup = InterviewSetup(
            candidate_name="Candidate",
            job_title=data["job_title"],
            job_description=data["job_description"],
            interview_type=InterviewType(item["interview_type"]),
        )
        question = default_question(item["question"], setup.interview_type, number=1)
        item_scores: dict[str, float] = {}
        for grade, answer in item["answers"].items():
            first = evaluate_answer(question, answer, setup)
            deterministic &= first == evaluate_answer(question, answer, setup)
            item_scores[grade] = first.overall
            grades.append(GRADES[grade])
            overall.append(first.overall)
        scores[item["id"]] = item_scores
        ranked = [item_scores[g] for g in ("strong", "medium", "weak")]
        ordered += ranked[0] > ranked[1] > ranked[2]
        taus.append(kendall_tau([GRADES[g] for g in item_scores], list(item_scores.values())))
    return RankReport(
        answers=len(overall),
        questions=len(scores),
        spearman=round(spearman(grades, overall), 3),
        mean_kendall_tau=round(sum(taus) / len(taus), 3),
        perfectly_ordered=ordered,
        deterministic=deterministic,
        scores=scores,
    )


def ranks(values: list[float]) -> list[float]:
    """Ranks starting at 1, ties given their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(x: list[float], y: list[float]) -> float:
    """Pearson correlation of the ranks (correct with ties)."""
    rx, ry = ranks(x), ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sx = sum((a - mx) ** 2 for a in rx) ** 0.5
    sy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (sx * sy) if sx and sy else 0.0


def kendall_tau(x: list[float], y: list[float]) -> float:
    """Kendall's tau-a: (concordant - discordant) pairs over all pairs; a tie in scores counts as neither."""
    pairs = concordant = discordant = 0
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            pairs += 1
            product = (x[i] - x[j]) * (y[i] - y[j])
            concordant += product > 0
            discordant += product < 0
    return (concordant - discordant) / pairs if pairs else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    args = parser.parse_args(argv)
    report = measure()
    if args.json:
        print(json.dumps(asdict(report), indent=2))
        return 0
    for question, item_scores in report.scores.items():
        row = "  ".join(f"{g} {item_scores[g]:4.1f}" for g in ("strong", "medium", "weak"))
        print(f"{question:24s} {row}")
    print(
        f"\n{report.answers} answers, {report.questions} questions\n"
        f"Spearman rank correlation (grade vs overall score): {report.spearman:.3f}\n"
        f"Mean Kendall tau within questions: {report.mean_kendall_tau:.3f}\n"
        f"Questions ordered strong > medium > weak: {report.perfectly_ordered}/{report.questions}\n"
        f"Deterministic: {'yes' if report.deterministic else 'NO'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
