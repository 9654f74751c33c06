"""Written text as an interviewer would say it aloud.

Resumes and job descriptions are written to be read: parentheses, lists, symbols, units and abbreviations
("≈400k series", "$1.6M ARR", "< 18 µs", "31% → 24%", "Go / Python / PostgreSQL"). Read aloud as written,
they sound like a machine. :func:`spoken` rewrites a phrase into the words a person would say: asides in
brackets dropped, lists of three or more shortened to their first two items, symbols and units said as
words ("eighteen microseconds", "1.6 million dollars of ARR", "forty percent", "from thirty-one percent to
twenty-four percent"), integers said as words (years and standard numbers such as "ASC 606" stay digits).

Deterministic and dependency-free, like the rest of :mod:`server.text`.
"""

from __future__ import annotations

import re

from server.text.cleaning import clean_characters
from server.text.words import word_list

_ONES = word_list(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen"""
)
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINAL_ENDINGS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}

#: Units written after a number, and how they are said (singular, plural).
_UNITS: dict[str, tuple[str, str]] = {
    "ns": ("nanosecond", "nanoseconds"),
    "µs": ("microsecond", "microseconds"),
    "μs": ("microsecond", "microseconds"),
    "us": ("microsecond", "microseconds"),
    "ms": ("millisecond", "milliseconds"),
    "s": ("second", "seconds"),
    "sec": ("second", "seconds"),
    "secs": ("second", "seconds"),
    "min": ("minute", "minutes"),
    "mins": ("minute", "minutes"),
    "h": ("hour", "hours"),
    "hr": ("hour", "hours"),
    "hrs": ("hour", "hours"),
    "µa": ("microamp", "microamps"),
    "μa": ("microamp", "microamps"),
    "ua": ("microamp", "microamps"),
    "ma": ("milliamp", "milliamps"),
    "mah": ("milliamp-hour", "milliamp-hours"),
    "µw": ("microwatt", "microwatts"),
    "μw": ("microwatt", "microwatts"),
    "uw": ("microwatt", "microwatts"),
    "mw": ("milliwatt", "milliwatts"),
    "kw": ("kilowatt", "kilowatts"),
    "mv": ("millivolt", "millivolts"),
    "v": ("volt", "volts"),
    "hz": ("hertz", "hertz"),
    "khz": ("kilohertz", "kilohertz"),
    "mhz": ("megahertz", "megahertz"),
    "ghz": ("gigahertz", "gigahertz"),
    "kb": ("kilobyte", "kilobytes"),
    "mb": ("megabyte", "megabytes"),
    "gb": ("gigabyte", "gigabytes"),
    "tb": ("terabyte", "terabytes"),
    "kbps": ("kilobit per second", "kilobits per second"),
    "mbps": ("megabit per second", "megabits per second"),
    "gbps": ("gigabit per second", "gigabits per second"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "kg": ("kilogram", "kilograms"),
    "km": ("kilometer", "kilometers"),
    "ft": ("foot", "feet"),
    "sq ft": ("square foot", "square feet"),
    "req/s": ("request per second", "requests per second"),
    "rps": ("request per second", "requests per second"),
    "qps": ("query per second", "queries per second"),
    "x": ("time", "times"),
}
_UNIT_PATTERN = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
_SCALES = {"k": "thousand", "K": "thousand", "M": "million", "B": "billion", "bn": "billion", "m": "million"}
_SLASH_WORDS = {
    "a/b": "A-B",
    "ci/cd": "CI-CD",
    "i/o": "I-O",
    "and/or": "or",
    "24/7": "around the clock",
    "p/l": "P and L",
    "p&l": "P and L",
}

_ASIDE = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\})")
_ARROW = re.compile(r"\s*(?:→|->|⟶|⇒|=>)\s*")
_SPACE = re.compile(r"\s+")


def number_words(n: int) -> str:
    """An integer in words, American style ("three hundred forty", "sixty thousand")."""
    if n < 0:
        return "minus " + number_words(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {number_words(rest)}" if rest else "")
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            high, rest = divmod(n, size)
            return f"{number_words(high)} {name}" + (f" {number_words(rest)}" if rest else "")
    raise AssertionError("unreachable")


def ordinal_words(n: int) -> str:
    """ "ninety-ninth", "fiftieth", "third"."""
    words = number_words(n)
    head, _, last = words.rpartition("-") if "-" in words.split(" ")[-1] else words.rpartition(" ")
    joiner = "-" if head and words[len(head)] == "-" else " "
    if last in _ORDINAL_ENDINGS:
        last = _ORDINAL_ENDINGS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head}{joiner}{last}" if head else last


def say_amount(number: str, scale: str = "") -> str:
    """A written amount said aloud: "60,000" → "sixty thousand", "1.6" + "M" → "1.6 million"."""
    value = float(number.replace(",", ""))
    scale_word = _SCALES.get(scale, scale.lower())
    if not scale_word and value >= 1_000_000:
        for size, name in ((10**9, "billion"), (10**6, "million")):
            if value >= size:
                value, scale_word = value / size, name
                break
    if value.is_integer() and value < 10**12:
        said = number_words(int(value))
    else:
        said = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{said} {scale_word}".strip()


def spoken(text: str) -> str:
    """``text`` rewritten to be said aloud (see the module docstring); empty when nothing is left."""
    said = clean_characters(text).replace("\n", " ")
    said = _drop_asides(said)
    said = _abbreviations(said)
    said = _arrows(said)
    said = _comparisons(said)
    said = _money(said)
    said = _percentages(said)
    said = _units(said)
    said = _plus_signs(said)
    said = _slashes(said)
    said = _integers(said)
    said = "; ".join(shorten_lists(clause) for clause in re.split(r"\s*;\s*", said))
    return _tidy(said)


def _drop_asides(text: str) -> str:
    text = re.sub(r"\b401\s?\(k\)", "401k", text, flags=re.IGNORECASE)
    previous = None
    while previous != text:
        previous, text = text, _ASIDE.sub("", text)
    text = re.sub(r"\s*[(\[{][^)\]}]*$", "", text)  # an aside cut off at the end of a quote
    return re.sub(r"[()\[\]{}]", "", text)


def _abbreviations(text: str) -> str:
    text = re.sub(r"\be\.g\.,?\s*", "for example ", text, flags=re.IGNORECASE)
    text = re.sub(r"\bi\.e\.,?\s*", "that is ", text, flags=re.IGNORECASE)
    text = re.sub(r",?\s*\betc\.?", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\bvs\.?(?=\s)", "versus", text, flags=re.IGNORECASE)
    text = re.sub(r"\bw/(?=\s)", "with", text)
    text = re.sub(r"\bFY\s?((?:19|20)\d\d)\b", r"fiscal \1", text)
    text = re.sub(r"\bp(50|75|90|95|99)\b", lambda m: f"{ordinal_words(int(m.group(1)))} percentile", text)
    text = re.sub(r"\bp999\b", "99.9th percentile", text)
    for written, said in _SLASH_WORDS.items():
        text = re.sub(rf"(?<![\w/]){re.escape(written)}(?![\w/])", said, text, flags=re.IGNORECASE)
    text = re.sub(r"\s*&\s*", " and ", text)
    text = re.sub(r"(\d)\s*[x×]\s*(?=\d)", r"\1 ", text)  # "3 x 12-hour shifts"
    return text


def _arrows(text: str) -> str:
    """ "MAPE 31% → 24%" → "MAPE from 31% to 24%"; "from 10 → 7" → "from 10 to 7"."""

    def replace(match: re.Match[str]) -> str:
        before = text[: match.start()]
        clause = re.split(r"[,;:]|\.(?!\d)", before)[-1]
        value = re.search(r"(?:[-~≈]?[$€£]?\d[\w.,%µμ/]*(?:\s?(?:[a-zA-Zµμ/]+))?)\s*$", clause)
        if value is None or re.search(r"\bfrom\s+\S+\s*$", clause):
            return " to "
        return "\0" + str(len(clause) - value.start()) + "\0 to "

    marked = _ARROW.sub(replace, text)
    # Insert "from" before each marked value (the marker holds how far back the value starts).
    out: list[str] = []
    for piece in marked.split("\0 to "):
        if "\0" in piece:
            head, _, back = piece.rpartition("\0")
            start = len(head) - int(back)
            out.append(f"{head[:start]}from {head[start:]}")
        else:
            out.append(piece)
    return " to ".join(out)


def _comparisons(text: str) -> str:
    text = re.sub(r"[≈~]\s*(?=[$€£]?\d)", "about ", text)
    text = re.sub(r"≥\s*", "at least ", text)
    text = re.sub(r"≤\s*", "at most ", text)
    text = re.sub(r"(?<![\w<])<\s*(?=[$€£]?\d)", "under ", text)
    text = re.sub(r"(?<![\w>])>\s*(?=[$€£]?\d)", "over ", text)
    text = re.sub(r"±\s*", "plus or minus ", text)
    # Ranges: "25–35", "5-6 patients", "2021 – present" (a minus sign is "-" right before a number).
    text = re.sub(r"(\d%?)\s*[–—]\s*(?=[$€£]?\d|present|now|today)", r"\1 to ", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<![\w.-])(\d+%?)-(?=[$€£]?\d+(?:%|\b)(?!-))", r"\1 to ", text)
    return re.sub(r"(?<![\w.])[-−](?=\d)", "minus ", text)


def _money(text: str) -> str:
    symbols = {"$": "dollars", "€": "euros", "£": "pounds"}

    def replace(match: re.Match[str]) -> str:
        currency = symbols[match.group("sym")]
        amount = say_amount(match.group("num"), match.group("scale") or "")
        per = match.group("per")
        of = match.group("of")
        said = f"{amount} {currency}"
        if of:
            said += f" of {of.strip()}"
        if per:
            said += f" {_per(per)}"
        return said

    pattern = (
        rf"(?P<sym>[$€£])\s?(?P<num>{_NUMBER})(?:\s?(?P<scale>bn|[kKMB](?![a-zA-Z])|million|billion|thousand))?"
        r"(?P<of>\s(?:ARR|MRR|ACV|TCV)\b)?(?:/(?P<per>hour|hr|day|week|month|year|yr)\b)?"
    )
    return re.sub(pattern, replace, text)


def _per(unit: str) -> str:
    """ "hour" → "an hour", "day" → "a day"."""
    unit = {"hr": "hour", "yr": "year"}.get(unit, unit)
    return f"an {unit}" if unit == "hour" or unit[0] in "aeiou" else f"a {unit}"


def _percentages(text: str) -> str:
    text = re.sub(rf"({_NUMBER})\s?%\s?\+", lambda m: f"{say_amount(m.group(1))} percent or more", text)
    return re.sub(rf"({_NUMBER})\s?%", lambda m: f"{say_amount(m.group(1))} percent", text)


def _units(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        number, scale, unit = match.group(1), match.group(2) or "", match.group(3)
        singular, plural = _UNITS[unit.lower()] if unit.lower() in _UNITS else _UNITS[unit]
        one = number == "1" and not scale
        if unit.lower() == "x":
            return "twice" if number == "2" else f"{_count(number, scale)} times"
        return f"{_count(number, scale)} {singular if one else plural}"

    text = re.sub(
        rf"(?<![\w.])({_NUMBER})\s?(?-i:(k|K|M|B))?\s?({_UNIT_PATTERN})(?![\w/])",
        replace,
        text,
        flags=re.IGNORECASE,
    )
    text = re.sub(rf"(?<![\w.])({_NUMBER})\s?(bn|[kKMB])(?![\w])", lambda m: say_amount(m.group(1), m.group(2)), text)
    # "orders/day", "/hour": a rate.
    return re.sub(r"(\w)/(hour|hr|day|week|month|year|shift)\b", lambda m: f"{m.group(1)} {_per(m.group(2))}", text)


def _count(number: str, scale: str) -> str:
    return say_amount(number, scale)


def _plus_signs(text: str) -> str:
    text = re.sub(rf"(?<![\w.])({_NUMBER})\+(?!\+)", r"\1 or more", text)  # "4+ years"
    text = re.sub(r"\s\+\s", " and ", text)  # "Airflow + Spark"
    return re.sub(r"(?<=[A-Za-z0-9])\+(?=[\s,.;:]|$)(?<!\+\+)", " plus", text)  # "Cortex-M0+"; "C++" stays


def _slashes(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        items = [p.strip() for p in match.group(0).split("/") if p.strip()]
        return join_items(items)

    return re.sub(r"(?<![\w/])[A-Za-z][\w.+#-]*(?:\s?/\s?[A-Za-z][\w.+#-]*)+", replace, text)


def join_items(items: list[str], conjunction: str = "and") -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(items) <= 2:
        return f" {conjunction} ".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def _integers(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        value = int(token.replace(",", ""))
        if "," not in token and 1900 <= value <= 2099:
            return token  # a year
        return say_amount(token)

    # Not inside names and model numbers ("nRF52840", "Cortex-M4", "I2C"), not after an acronym that names a
    # standard ("ASC 606", "IEC 62368"), not in decimals or times.
    return _INTEGER.sub(replace, text)


_INTEGER = re.compile(
    r"(?<![\w.,:/-])(?<![A-Z]{2} )\d{1,3}(?:,\d{3})+(?![\w.,:]\d)|(?<![\w.,:/-])(?<![A-Z]{2} )\d+(?![\w.,:]?\d|\w)"
)


def shorten_lists(text: str) -> str:
    """A list of three or more items cut to its first two: "picking, packing and shipping" → "picking and
    packing"; "Python, SQL, Spark" → "Python and SQL". Two items and comma clauses are left alone."""
    segments = re.split(r",\s+", text)
    out: list[str] = [segments[0]]
    index = 1
    while index < len(segments):
        if _ASIDE_START.match(segments[index]) or _PARTICIPLE_START.match(segments[index]):
            out.append(segments[index])  # a new phrase ("for promotions", "measured as …"), maybe a list's head
            index += 1
            continue
        end = index
        while end < len(segments) and _plain_item(segments[end]):
            end += 1
        plain = end - index
        closing = segments[end] if end < len(segments) and _closes_list(segments[end]) else None
        if closing is not None:
            items = 1 + plain + (1 if _CONJUNCTION.match(closing) else 2)
        else:
            items = 1 + plain if plain >= 2 else 0  # a bare list: "Rust, Zephyr, BLE certification"
        if items >= 3:
            # Keep the first item and the last, whose words may run on ("… and shipping for our clients").
            last = _last_item(closing) if closing is not None else segments[index]
            conjunction = "or" if closing is not None and re.search(r"\bor\b", closing) else "and"
            out[-1] = f"{out[-1]} {conjunction} {last}"
            index = end + (1 if closing is not None else 0)
            continue
        out.append(segments[index])
        index += 1
    return ", ".join(out)


_CONJUNCTION = re.compile(r"^(?:and|or)\s+", re.IGNORECASE)
_ASIDE_START = re.compile(
    r"^(?:including|especially|particularly|such as|like|with|without|for|from|in|into|on|at|to|by|via|which|"
    r"that|where|who|whose|while|when|roughly|about|around|plus|ideally|preferably|as|so|but|then)\b",
    re.IGNORECASE,
)
#: A clause opened by a participle ("measured as MAPE and bias"): an aside, unless it is a list of verbs
#: ("trained and held").
_PARTICIPLE_START = re.compile(r"^[a-z]{3,}ed\b(?!(?:\s+\S+)?\s+(?:and|or)\b)")
_INNER_CONJUNCTION = re.compile(r"\s(?:and|or)\s", re.IGNORECASE)


def _plain_item(segment: str) -> bool:
    """A short list item with no conjunction ("SQL", "order accuracy")."""
    return (
        len(segment.split()) <= 4
        and not re.search(r"[.;:?!]", segment)
        and not _CONJUNCTION.match(segment)
        and not _INNER_CONJUNCTION.search(segment)
    )


def _closes_list(segment: str) -> bool:
    """The last item of a list: "and shipping", "packing and shipping for e-commerce accounts" (not an aside
    such as "including A and B")."""
    if _ASIDE_START.match(segment) or _PARTICIPLE_START.match(segment):
        return False
    if _CONJUNCTION.match(segment):
        return len(segment.split()) <= 9
    head = _INNER_CONJUNCTION.split(segment, maxsplit=1)[0]
    return bool(_INNER_CONJUNCTION.search(segment)) and len(head.split()) <= 4 and len(segment.split()) <= 10


def _last_item(segment: str) -> str:
    if _CONJUNCTION.match(segment):
        return _CONJUNCTION.sub("", segment)
    return _INNER_CONJUNCTION.split(segment, maxsplit=1)[1]


def _tidy(text: str) -> str:
    text = text.replace("…", "").replace("“", "").replace("”", "").replace('"', "")
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])(?=[,;:.])", "", text)
    text = re.sub(r"\s*[;]\s*", ", ", text)
    text = _SPACE.sub(" ", text).strip(" ,;:-–—")
    return text
