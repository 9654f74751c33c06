"""Cleaning pasted and PDF-extracted documents before anything reads them: the one place that undoes
extraction artifacts, so every quote taken from a resume or a job description is clean text.

What PDF extraction and pasting leave behind, and what is done about it:

- ligatures (``ﬁ ﬂ ﬀ ﬃ ﬄ``), soft hyphens, zero-width characters and odd spaces: replaced by plain text;
- a word hyphenated across a line break (``experi-`` / ``ence``): joined;
- a sentence broken by hard line breaks (a wrapped bullet or paragraph): joined into one line;
- bullets (``•``, ``▪``, ``-``, ``*``, numbered items): the marker is removed, the line remembers it was one;
- page headers and footers (``Page 2 of 2``, ``Resume — 2/2``, ``name_resume.pdf``, a line repeated on
  every page): dropped.

The result is a list of logical lines (:class:`CleanLine`), one per heading, bullet or paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.text.sentences import split_sentences

_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
        "\u00ad": "",  # soft hyphen: an invisible break opportunity, never a character of the word
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\u2060": "",
        "\ufeff": "",
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\t": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2212": "-",
    }
)
_BULLET = re.compile(r"^\s*(?:[•▪◦‣●○■□➢►▸·∙*–—-]|\(?\d{1,2}[.)]|\(?[a-h][.)])\s+")
_PAGE_WORD = re.compile(r"\bpage\s+\d+(?:\s*(?:of|/)\s*\d+)?\b", re.IGNORECASE)
_PAGE_COUNT = re.compile(r"^\W*\d{1,2}\s*(?:/|of)\s*\d{1,2}\W*$", re.IGNORECASE)
_TRAILING_PAGE = re.compile(r"(?:^|\s)\d{1,2}\s*/\s*\d{1,2}\s*$")
_FILE_NAME = re.compile(r"\S+\.(?:pdf|docx?|rtf|txt)\b", re.IGNORECASE)
_RESUME_WORD = re.compile(r"\b(?:resume|résumé|cv|curriculum vitae)\b", re.IGNORECASE)
#: A line that continues the previous one when the previous ends with one of these.
_OPEN_END = re.compile(
    r"(?:[,+&/(\[:]|\b(?:and|or|of|to|the|a|an|with|for|in|on|at|by|from|into|across|including|per|via|as|"
    r"that|which|who|than|between|over|under|using))$",
    re.IGNORECASE,
)
_HYPHENATED_END = re.compile(r"[A-Za-z]-$")
_WIDE_GAP = re.compile(r" {3,}")
_SPACES = re.compile(r"[ ]{2,}")


@dataclass(frozen=True)
class CleanLine:
    """One logical line of a cleaned document: a bullet item, a paragraph or a heading, on one line."""

    text: str
    bullet: bool = False


def clean_characters(text: str) -> str:
    """Ligatures, soft hyphens, zero-width characters and odd spaces replaced; line ends normalised."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_LIGATURES)


def clean_lines(text: str) -> list[CleanLine]:
    """The logical lines of a document, artifacts of extraction removed (see the module docstring)."""
    raw = [_WIDE_GAP.sub("  ", line).rstrip() for line in clean_characters(text).split("\n")]
    raw = _drop_page_furniture(raw)
    lines: list[CleanLine] = []
    open_line: CleanLine | None = None  # the line a following line may continue
    for line in raw:
        stripped = line.strip()
        if not stripped:
            open_line = None
            continue
        bullet = bool(_BULLET.match(stripped))
        body = _BULLET.sub("", stripped).strip() if bullet else stripped
        if not body:
            continue
        if open_line is not None and not bullet and _continues(open_line.text, body):
            joined = CleanLine(_join(open_line.text, body), open_line.bullet)
            lines[-1] = joined
            open_line = joined
            continue
        current = CleanLine(body, bullet)
        lines.append(current)
        open_line = current
    return [CleanLine(_SPACES.sub(" ", line.text).strip(), line.bullet) for line in lines]


def clean_text(text: str) -> str:
    """The cleaned document as plain text, one logical line per line (bullet markers removed)."""
    return "\n".join(line.text for line in clean_lines(text))


def _continues(previous: str, current: str) -> bool:
    """Whether ``current`` is the rest of ``previous``, broken by a hard line break."""
    if _HYPHENATED_END.search(previous):
        return current[:1].isalpha()
    if _is_heading_like(previous):
        return False
    first = current[:1]
    if first.islower() or first in "([":
        return True
    if _OPEN_END.search(previous):
        return True
    return previous.count("(") > previous.count(")")


def _join(previous: str, current: str) -> str:
    if _HYPHENATED_END.search(previous):
        # "experi-" + "ence": a word hyphenated at the line end. A capital after the break ("Open-" +
        # "Telemetry") is a compound or a name: it keeps its hyphen.
        if current[:1].islower():
            return previous[:-1] + current
        return previous + current
    return f"{previous} {current}"


def _is_heading_like(line: str) -> bool:
    """A short line in capitals or ending in a colon: a heading, which nothing continues."""
    stripped = line.strip()
    if stripped.endswith(":"):
        return True
    letters = [c for c in stripped if c.isalpha()]
    return len(stripped.split()) <= 6 and bool(letters) and all(c.isupper() for c in letters)


def _drop_page_furniture(lines: list[str]) -> list[str]:
    """Page headers and footers: page numbers, file names, and short lines repeated verbatim."""
    kept: list[str] = []
    seen: set[str] = set()
    for line in lines:
        stripped = line.strip()
        key = re.sub(r"\W+", " ", stripped).strip().lower()
        if stripped and _is_page_furniture(stripped):
            continue
        short = len(stripped.split()) <= 8 and not _BULLET.match(stripped)
        if key and short and key in seen:
            continue  # the same short line again: a running header or footer
        if key:
            seen.add(key)
        kept.append(line)
    return kept


def _is_page_furniture(line: str) -> bool:
    words = line.split()
    if len(words) > 12:
        return False
    if _PAGE_COUNT.match(line) or re.fullmatch(r"[-–—\s]*page\s+\d+[-–—\s]*", line, re.IGNORECASE):
        return True
    if _PAGE_WORD.search(line) and len(words) <= 10:
        return True
    if _FILE_NAME.search(line) and len(words) <= 6:
        return True
    return bool(_TRAILING_PAGE.search(line) and (_RESUME_WORD.search(line) or len(words) <= 6))


def quotable_units(text: str) -> list[str]:
    """The sentences of a cleaned document, line by line: the units a quote can be taken from."""
    return [sentence for line in clean_lines(text) for sentence in split_sentences(line.text)]
