"""The egress guard (docs/architecture.md, "Invariants"): a sanitizer that leaks is caught and nothing reaches the server."""

from loopback import LoopbackServer

from privacy_edge import assemble
from privacy_edge.llm.openai_chat import OpenAIChat
from privacy_edge.pipeline import EdgeSide
from privacy_edge.record import Sample
from privacy_edge.sanitize.base import Sanitized, Sanitizer
from privacy_edge.sanitize.mask import MaskSanitizer

TEXT = "The application was lodged by Mr Tomas Wexley, who lives in Lindgrad, on 3 May 2001."
QUESTION = "Against which State was this application lodged?"


class LeakyMask(Sanitizer):
    """Deliberately broken: masks everything, then puts the first person's name back."""

    name = "mask"

    def sanitize(self, text, spans):
        good = MaskSanitizer().sanitize(text, spans)
        return Sanitized(good.text + " (applicant: Tomas Wexley)", "mask", {}, good.items, good.mapping)


def _pipeline(server, sanitizer):
    edge = EdgeSide(assemble.detector(), None, {"mask": sanitizer, "pseudonymize": sanitizer, "dp": sanitizer})
    cloud = OpenAIChat(server.base_url, "none", "loopback", max_retries=0)
    return assemble.pipeline(edge, cloud, "cloud_sanitized", 0.5, "mask")


def test_a_leaking_sanitizer_is_refused_and_no_request_is_sent():
    with LoopbackServer() as server:
        record = _pipeline(server, LeakyMask()).run([Sample("d1", TEXT, QUESTION)])[0]
        assert server.requests == []
    assert record["route"] == "cloud_sanitized"
    assert record["egress"] is None and record["answer"] is None
    assert record["error"].startswith("egress refused") and "PERSON" in record["error"]
    assert "Wexley" not in record["error"]


def test_a_correct_sanitizer_passes_and_exactly_the_recorded_egress_is_sent():
    with LoopbackServer() as server:
        record = _pipeline(server, MaskSanitizer()).run([Sample("d1", TEXT, QUESTION)])[0]
        assert len(server.requests) == 1
        sent = server.requests[0]["messages"][0]["content"]
    assert record["error"] is None and record["egress"] == sent
    assert "Wexley" not in sent and "Lindgrad" not in sent



def test_a_name_stored_backwards_is_refused_as_a_screen_shows_it_too():
    """Detection reads "\\u202evorteP navI" as "Ivan Petrov" and its span holds the stored characters;
    the pipeline forbids the displayed value as well."""
    import pytest

    from privacy_edge import guard
    from privacy_edge.spans import Span

    text = "The applicant, Mr \u202evorteP navI\u202c, was arrested."
    start = text.index("vorteP")
    span = Span(start, start + 11, "PERSON", 0.85, "spacy:PERSON", text[start : start + 11])  # as detection gives it
    for payload in ("Again Ivan Petrov.", "Again Petrov.", "Again \u202evorteP navI\u202c."):
        with guard.forbid(guard.as_shown(text, [span])):
            with pytest.raises(guard.EgressRefused):
                guard.check(payload)
    assert guard.as_shown("No override here.", [span]) == [span]


def test_a_name_run_together_or_in_markup_is_refused_as_a_reader_reads_it_too():
    """Detection reads "IvanPetrov" and "Iv&#97;n Petr&#111;v" as "Ivan Petrov" and its span holds the
    stored characters; the pipeline forbids the value as read, and its surname, as well."""
    import pytest

    from privacy_edge import guard
    from privacy_edge.spans import Span

    for name in ("IvanPetrov", "Iv&#97;n Petr&#111;v", "<b>Ivan</b> <b>Petrov</b>"):
        text = f"The applicant {name} was arrested."
        start = text.index(name)
        span = Span(start, start + len(name), "PERSON", 0.85, "spacy:PERSON", name)  # as detection gives it
        for payload in ("Again Ivan Petrov.", "Again Petrov."):
            with guard.forbid(guard.as_shown(text, [span])):
                with pytest.raises(guard.EgressRefused):
                    guard.check(payload)
