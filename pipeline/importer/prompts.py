"""Is this paragraph (or cell) a question's prompt? Found by the form's words wherever they
stand and however they were edited: the prompt as written, shortened or reworded, or only its
number (`Question 3`, `Q3`, `3.`, or a Word-numbered item numbered 3)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pipeline.form import Question

_LABEL = re.compile(r"^\s*(?:question|q)\s*\.?\s*(\d{1,2})\b\s*[.:)\-–—]?\s*(.*)$", re.I | re.S)
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]\s*(.*)$", re.S)
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "and",
        "or",
        "in",
        "on",
        "for",
        "your",
        "you",
        "us",
        "we",
        "our",
        "please",
        "provide",
        "some",
        "any",
        "its",
        "it",
        "is",
        "are",
        "be",
        "that",
        "this",
        "how",
        "what",
        "which",
        "with",
        "by",
        "as",
        "at",
        "from",
        "into",
        "has",
        "have",
        "been",
        "there",
        "where",
        "below",
        "here",
        "tell",
        "give",
        "details",
        "detail",
    ]
)
_SAME = {
    "institution": "organisation",
    "organization": "organisation",
    "university": "organisation",
}


BY_NUMBER = "by its number"


@functools.lru_cache(maxsize=1024)
def words(text: str) -> tuple[str, ...]:
    """Content words, lower case, plural `s` and spelling variants folded (cached: the form's
    prompts are compared with every paragraph)."""
    found = []
    for word in re.findall(r"[a-z0-9]+", text.lower().replace("’", "'")):
        word = _SAME.get(word, word)
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if word not in _STOP:
            found.append(word)
    return tuple(found)


def squeeze(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@dataclass(frozen=True, slots=True)
class Match:
    number: int
    how: str
    """How it was known: `in the form's wording`, `by a shortened prompt`, `by a reworded
    prompt`, `by its number`."""


def _by_words(text: str, question: Question, prominent: bool) -> str | None:
    said = words(text)
    if not said:
        return None
    prompt = words(question.prompt)
    known = set(prompt) | set(words(question.title))
    if squeeze(question.prompt) in squeeze(text) and len(said) <= len(prompt) + 12:
        return "in the form's wording"
    covered = sum(w in known for w in said) / len(said)
    recall = len(set(said) & set(prompt)) / max(len(set(prompt)), 1)
    shared = len(set(said) & known)
    if covered >= 0.8 and shared >= 3 and (recall >= 0.3 or prominent):
        return "by a shortened prompt" if covered == 1 else "by a reworded prompt"
    if prominent and covered >= 0.6 and shared >= 3 and recall >= 0.3:
        return "by a reworded prompt"
    return None


def match(
    text: str,
    questions: dict[int, Question],
    prominent: bool,
    number: int | None = None,
) -> Match | None:
    """The question `text` asks, if it is a prompt. `prominent`: a heading, a bold or short
    paragraph, a table cell; `number`: the number Word shows for an ordered list item."""
    label = _LABEL.match(text)
    typed = _NUMBER.match(text) if label is None else None
    if label or typed or number is not None:
        found = label or typed
        n = int(found[1]) if found else number
        rest = found[2] if found else text
        question = questions.get(n or 0)
        if question is not None:
            if not rest.strip() or squeeze(rest) == squeeze(question.title):
                return Match(question.number, BY_NUMBER)
            how = _by_words(rest, question, True)
            if how:
                return Match(question.number, how)
            if label and (prominent and len(rest.split()) <= 15):
                return Match(question.number, BY_NUMBER)
    for question in questions.values():
        how = _by_words(text, question, prominent)
        if how:
            return Match(question.number, how)
    return None


GUIDANCE = re.compile(
    r"^\s*(\(?\s*(up to|maximum( of)?|max\.?|no more than|word limit:?)\s*\d+\s*words\s*\)?\.?"
    r"|guidance\b.*|(please )?(type|enter|write|insert) (your )?(answer|response|text)( here| below)?\.?"
    r"|click or tap here to enter text\.?|\[?answer here\]?)\s*$",
    re.I | re.S,
)
"""The form's own words around an answer: word limits, guidance, placeholders."""
