"""Inference tasks: the question asked about each case, its gold reference from TAB, and how answers score.

A task must have a reference that identity masking should not destroy, so that APR measures what
privacy protection costs in usefulness, not whether the applicant's name survived.

- ``respondent_state`` (default): "Against which State was the application lodged?" Reference:
  ``meta.countries`` (ISO alpha-3), present in the official files and in the offline test file. Score:
  1 when the answer names the respondent State (short or long name, or adjective) and no other State,
  else 0: a list of States, or the State beside another one's adjective, does not score.
- ``articles``: "Which Articles of the Convention does the applicant rely on?" Reference:
  ``meta.articles``; where that is null, the rule below over the text. Score: F1 between the sets of
  article numbers, those of the answer read after "Article(s)" (or an answer that is only a list of
  numbers); other numbers in an answer are no articles. Rule: every "Article N" / "Articles N, M and K" followed within the same sentence
  by "of the Convention" with 1 <= N <= 18 (the Convention's rights and the general clauses; 19-59
  concern the Court's procedure), plus "Article N of Protocol No. P" as "P<P>-<N>". Documents where
  neither gives an article have no reference and are left out of APR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .countries import states_named
from .tab import TabDocument


@dataclass(frozen=True)
class Task:
    name: str
    question: str
    reference: Callable[[TabDocument], object]
    score: Callable[[str, object], float]


def _respondent_reference(doc: TabDocument):
    return list(doc.countries) or None


def _respondent_score(answer: str, reference) -> float:
    if not reference or not answer:
        return 0.0
    named = states_named(answer)
    return 1.0 if named and named <= {c.upper() for c in reference} else 0.0


_ARTICLE_LIST = re.compile(
    r"\bArticles?\s+((?:\d+(?:\s*§+\s*\d+(?:\s*\([a-z]\))?)?(?:\s*,\s*|\s+and\s+|\s+or\s+)?)+)"
    r"(?:[^.;]{0,40}?)\bof\s+(the\s+Convention|Protocol\s+No\.?\s*(\d+))",
)


def articles_from_text(text: str) -> list[str]:
    """Articles of the Convention (1-18) and of its Protocols that the text cites (the documented rule)."""
    found: set[str] = set()
    for m in _ARTICLE_LIST.finditer(text):
        numbers = [int(n) for n in re.findall(r"(?:^|,|and|or)\s*(\d+)", m.group(1).strip())]
        protocol = m.group(3)
        for n in numbers:
            if protocol:
                found.add(f"P{protocol}-{n}")
            elif 1 <= n <= 18:
                found.add(str(n))
    return sorted(found, key=_article_key)


def _article_key(a: str):
    return (a.startswith("P"), [int(x) for x in re.findall(r"\d+", a)])


def _articles_reference(doc: TabDocument):
    if doc.articles:
        return sorted({str(a) for a in doc.articles}, key=_article_key)
    return articles_from_text(doc.text) or None


_NUMBER_LIST = re.compile(r"\s*\d{1,2}(?:\s*(?:,|and|&)\s*\d{1,2})*\s*\.?\s*")


def _articles_in_answer(answer: str) -> set[str]:
    """Article numbers an answer gives: after "Article(s)", or the whole answer as a list of numbers."""
    found = set(articles_from_text(answer))
    for m in re.finditer(r"\b[Aa]rt(?:icles?|s?\.)\s+((?:\d+(?:\s*§+\s*\d+)?\s*(?:,|and|or|&)?\s*)+)", answer):
        found.update(re.findall(r"(?<!§)(?<!§ )\b\d+", m.group(1)))
    if not found and _NUMBER_LIST.fullmatch(answer):
        found.update(re.findall(r"\d+", answer))
    return found


def _articles_score(answer: str, reference) -> float:
    if not reference or not answer:
        return 0.0
    gold, got = set(reference), _articles_in_answer(answer)
    hit = len(gold & got)
    if hit == 0:
        return 0.0
    precision, recall = hit / len(got), hit / len(gold)
    return 2 * precision * recall / (precision + recall)


TASKS: dict[str, Task] = {
    "respondent_state": Task(
        name="respondent_state",
        question=(
            "Against which State was this application to the European Court of Human Rights lodged? "
            "Answer with the name of the country only."
        ),
        reference=_respondent_reference,
        score=_respondent_score,
    ),
    "articles": Task(
        name="articles",
        question=(
            "Which Articles of the European Convention on Human Rights does the applicant rely on? "
            "Answer with the article numbers only, for example: Article 6, Article 13."
        ),
        reference=_articles_reference,
        score=_articles_score,
    ),
}


def is_task_question(task_name: str, question: str) -> bool:
    """Whether ``question`` is the fixed question of a known task (public wording, not sample data)."""
    task = TASKS.get(task_name)
    return task is not None and task.question == question


def get_task(name: str) -> Task:
    try:
        return TASKS[name]
    except KeyError:
        raise KeyError(f"unknown task {name!r}; known tasks: {', '.join(sorted(TASKS))}") from None
