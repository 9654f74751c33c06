"""Builds tests/data/graded_answers.json from the role_*.py files and checks the brief's constraints."""
import collections
import json
import sys
from pathlib import Path

import role_accountant
import role_backend
import role_customer_success
import role_data_scientist
import role_firmware
import role_nurse
import role_warehouse

MODULES = [role_data_scientist, role_customer_success, role_firmware, role_nurse,
           role_warehouse, role_accountant, role_backend]

KINDS = ["restated_jd", "restated_resume", "restated_question", "buzzwords", "fluent_empty",
         "confidently_wrong", "filler_heavy", "injection", "padded_weak"]

DESCRIPTION = (
    "Hand-written graded interview answers across seven roles in different fields (retail data science, "
    "B2B SaaS customer success, low-power embedded firmware, med-surg nursing, warehouse operations, "
    "corporate accounting, payments backend engineering). Each role has a recruiter-style job description and a "
    "candidate resume as PDF text extraction would produce it (ligatures, hyphenation across line breaks, bullets, "
    "hard line breaks, page headers). For every question there is a strong, a medium and a weak answer, written in "
    "spoken style as candidates really talk, before and without looking at the product's scorer or prompts. "
    "Grades follow a competent hiring manager's judgement: strong = concrete situation, the candidate's own actions, "
    "specifics, a result and often a lesson, technically correct; medium = on topic but thin (vague own role, no "
    "numbers, no result or reflection); weak = generic, evasive, or wrong approach. Answer length deliberately does "
    "not track grade: in many questions the medium or weak answer is the longest, and several strong answers are "
    "short. Adversarial answers probe failure modes of an automated scorer; each has expected='below_medium' "
    "(must score below that question's medium answer) except filler_heavy, which is the medium answer's content "
    "drowned in fillers and has expected='near_medium' with base='medium'. "
    "split: 'heldout' holds three whole roles that never appear in tuning (customer_success_saas, firmware_low_power, "
    "registered_nurse_medsurg) plus one question from each of the other four roles; 'tune' holds the remaining "
    "questions of those four roles. Tune prompts or thresholds only on split='tune'; report results on 'heldout'. "
    "question_checks lists, per role, the headline requirements a competent interviewer must ask about (with "
    "keywords/stems that indicate a question covers one; matching is meant case-insensitively, and a stem such as "
    "'idempoten' is a prefix) and JD sentences that are not requirements (company blurb, 'We are hiring', benefits) "
    "and must never be turned into questions. Fictional companies and people; numbers in strong answers are "
    "internally consistent with the resumes."
)


def words(s):
    return len(s.split())


def main():
    roles, checks, items = {}, {}, []
    for m in MODULES:
        roles[m.KEY] = m.ROLE
        checks[m.KEY] = m.QUESTION_CHECKS
        for it in m.ITEMS:
            it = dict(it)
            it = {"id": it["id"], "role": m.KEY, **{k: v for k, v in it.items() if k != "id"}}
            items.append(it)

    problems = []
    # ids unique
    ids = [i["id"] for i in items]
    if len(ids) != len(set(ids)):
        problems.append("duplicate ids")
    # not_requirements are verbatim JD text
    for key, c in checks.items():
        jd = roles[key]["job_description"]
        for s in c["not_requirements"]:
            if s not in jd:
                problems.append(f"{key}: not_requirement not in JD: {s!r}")
        if not 3 <= len(c["must_cover"]) <= 5:
            problems.append(f"{key}: must_cover count {len(c['must_cover'])}")
    # per role
    per_role_q = collections.Counter(i["role"] for i in items)
    per_role_adv = collections.Counter()
    kinds = collections.Counter()
    kinds_tune = collections.Counter()
    split_q = collections.Counter(i["split"] for i in items)
    longest_not_strong = []
    strong_concise = []
    for i in items:
        a = i["answers"]
        for g in ("strong", "medium", "weak"):
            n = len([s for s in a[g].replace("?", ".").split(". ") if s.strip()])
            if not 2 <= n <= 9:
                problems.append(f"{i['id']} {g}: {n} sentences")
        lens = {g: words(a[g]) for g in a}
        if max(lens, key=lens.get) != "strong":
            longest_not_strong.append(i["id"])
        if lens["strong"] < 110:
            strong_concise.append((i["id"], lens["strong"]))
        for adv in i["adversarial"]:
            per_role_adv[i["role"]] += 1
            kinds[adv["kind"]] += 1
            if i["split"] == "tune":
                kinds_tune[adv["kind"]] += 1
            if adv["kind"] not in KINDS:
                problems.append(f"{i['id']}: unknown kind {adv['kind']}")
        if i["interview_type"] not in ("behavioral", "technical", "mixed", "system_design"):
            problems.append(f"{i['id']}: bad interview_type")
    # heldout roles never in tune
    tune_roles = {i["role"] for i in items if i["split"] == "tune"}
    held_only = sorted({i["role"] for i in items} - tune_roles)
    if len(held_only) < 3:
        problems.append("fewer than 3 heldout-only roles")
    if split_q["heldout"] < 15:
        problems.append("fewer than 15 heldout questions")
    if len(longest_not_strong) * 3 < len(items):
        problems.append(f"only {len(longest_not_strong)} questions where medium/weak is longest")
    for r, n in per_role_adv.items():
        if n < 4:
            problems.append(f"{r}: only {n} adversarial")
    if sum(kinds.values()) < 30:
        problems.append("fewer than 30 adversarial")
    missing_tune = set(KINDS) - set(kinds_tune)
    if missing_tune:
        problems.append(f"kinds missing from tune: {missing_tune}")

    out = {
        "version": 2,
        "description": DESCRIPTION,
        "roles": roles,
        "question_checks": checks,
        "items": items,
    }
    with open(Path(__file__).resolve().parent.parent / "graded_answers.json", "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=2)
        f.write("\n")

    print("questions per role", dict(per_role_q))
    print("adversarial per role", dict(per_role_adv))
    print("split (questions)", dict(split_q), "heldout-only roles", held_only)
    print("split (adversarial)", {s: sum(len(i["adversarial"]) for i in items if i["split"] == s) for s in ("tune", "heldout")})
    print("kinds", dict(kinds), "total", sum(kinds.values()))
    print("kinds in tune", dict(kinds_tune))
    print("medium/weak longest:", len(longest_not_strong), "of", len(items), longest_not_strong)
    print("strong under 110 words:", strong_concise)
    for i in items:
        a = i["answers"]
        print(f"  {i['id']:28s} {i['split']:7s} S{words(a['strong']):4d} M{words(a['medium']):4d} W{words(a['weak']):4d}")
    if problems:
        print("PROBLEMS:", *problems, sep="\n  ")
        sys.exit(1)


if __name__ == "__main__":
    main()
