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
    note = f"\n{PLACEHOLDER_NOTE}" if placeholders else ""
    user = f"{question}\n\nCase text:\n{text}\n\nQuestion: {question}{note}\nAnswer:"
    return [{"role": "user", "content": user}]


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
