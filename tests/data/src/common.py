"""Small helpers shared by the role files. Each role file defines ROLE (dict) and ITEMS (list)."""


def A(kind, text):
    adv = {"kind": kind, "text": text}
    if kind == "filler_heavy":
        adv["expected"] = "near_medium"
        adv["base"] = "medium"
    else:
        adv["expected"] = "below_medium"
    return adv


def Q(qid, interview_type, split, question, strong, medium, weak, adversarial=()):
    return {
        "id": qid,
        "interview_type": interview_type,
        "split": split,
        "question": question,
        "answers": {"strong": strong, "medium": medium, "weak": weak},
        "adversarial": list(adversarial),
    }


def req(requirement, keywords):
    return {"requirement": requirement, "keywords": keywords}
