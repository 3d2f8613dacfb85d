"""What LLM backends share: chat messages in, ``Generation`` out."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Protocol, Sequence

Messages = list[dict]  # OpenAI-style chat messages: [{"role": ..., "content": ...}]


@dataclass(frozen=True)
class Generation:
    text: str
    confidence: float | None = None  # exp(mean token log-probability), where the backend gives log-probs
    tokens: int = 0  # completion tokens
    prompt_tokens: int = 0
    seconds: float = 0.0  # model time spent on this answer (a share of its batch when batched)
    cached: bool = False

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Generation":
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})


class PartialAnswers(RuntimeError):
    """Some answers of a batch failed and others did not: ``results`` holds, in input order, each
    sample's ``Generation`` or its exception, so that no answer already made is lost or asked again."""

    def __init__(self, results: Sequence["Generation | Exception"]):
        self.results = list(results)
        failed = [r for r in self.results if isinstance(r, Exception)]
        first = f"; first: {failed[0]}" if failed else ""
        super().__init__(f"{len(failed)} of {len(self.results)} answers failed{first}")


class ChatModel(Protocol):
    """A model that answers chat messages; ``identity`` names it for caches and records."""

    identity: dict

    def generate(self, batch: Sequence[Messages]) -> list[Generation]: ...


PLACEHOLDER_NOTE = (
    "Some details in the case text are replaced by placeholders such as [PERSON_1] or [LOC_2]; "
    "if the answer is such a detail, answer with its placeholder exactly as written."
)


def build_messages(question: str, text: str, placeholders: bool = False) -> Messages:
    """The chat prompt for a case, the same for edge and cloud.

    The question comes before and after the text: small models answer far better so (SmolLM2-135M
    as the embedded cloud: 0.90 vs 0.25 on the respondent-state task, 20 TAB documents).
    """
    before, after = prompt_parts(question, placeholders)
    return [{"role": "user", "content": before + text + after}]


def prompt_parts(question: str, placeholders: bool = False) -> tuple[str, str]:
    """The prompt's text before and after the case text."""
    note = f"\n{PLACEHOLDER_NOTE}" if placeholders else ""
    return f"{question}\n\nCase text:\n", f"\n\nQuestion: {question}{note}\nAnswer:"


def template_pieces(question: str, placeholders: bool = False, question_is_public: bool = True) -> tuple[str, ...]:
    """The fixed wording of the prompt, which alone the egress guard exempts: with the question when
    it is a task's own fixed question, else without it (a user's question is checked like the text)."""
    if question_is_public:
        return prompt_parts(question, placeholders)
    hole = "\x00"
    return tuple(p for part in prompt_parts(hole, placeholders) for p in part.split(hole) if p.strip())


def payload_text(messages: Messages) -> str:
    """All text a message list carries, as it would be read by whoever receives it."""
    return "\n".join(str(m.get("content", "")) for m in messages)


def case_text_of(payload: str) -> str:
    """The case text inside a payload made by ``build_messages`` (the whole payload otherwise)."""
    head, sep, rest = payload.partition("Case text:\n")
    if not sep:
        return payload
    text, sep, _ = rest.rpartition("\n\nQuestion: ")
    return text if sep else rest
