"""The linking attacker's two retrievers: TF-IDF and dense (all-MiniLM-L6-v2); linked when either wins."""

from privacy_edge.metrics.attacks import linking_by_retriever, linking_outcomes
from privacy_edge.metrics.resources import Linker

JUDGMENTS = {
    "a": ("The applicant, a fisherman from a small coastal village, complained that the authorities had "
          "confiscated his boat and nets without compensation after a dispute over fishing quotas. "
          "He argued that the seizure breached his right to the peaceful enjoyment of possessions. ") * 3,
    "b": ("The applicant, a journalist, was convicted of criminal defamation for an article criticising the "
          "mayor's handling of public procurement contracts for the construction of a new hospital. "
          "She maintained that the conviction violated her freedom of expression. ") * 3,
    "c": ("The applicant was detained on remand for four years pending trial on charges of fraud; his repeated "
          "requests for release were dismissed with identical stereotyped reasoning by the regional court. "
          "He relied on his right to be tried within a reasonable time or released. ") * 3,
}


def test_dense_retriever_ranks_an_exact_copy_first_and_keeps_the_embeddings(tmp_path):
    index = Linker(JUDGMENTS, chunk_words=40, cache_dir=str(tmp_path))
    excerpts = [JUDGMENTS[k][:300] for k in ("b", "c", "a")]
    assert index.dense_top1(excerpts) == ["b", "c", "a"]
    assert index.ranked_first(excerpts) == {"tfidf": ["b", "c", "a"], "dense": ["b", "c", "a"]}
    assert list((tmp_path / "linking").glob("*.npz"))  # the judgments are embedded once, then read back
    again = Linker(JUDGMENTS, chunk_words=40, cache_dir=str(tmp_path))
    assert again.dense_top1(excerpts) == ["b", "c", "a"]


class Stub:
    """An index whose retrievers disagree: TF-IDF gets a right, dense gets b right."""

    doc_ids = ["a", "b", "z"]

    def ranked_first(self, texts):
        return {"tfidf": ["a", "z", "z"][: len(texts)], "dense": ["z", "b", "z"][: len(texts)]}


def test_a_sample_is_linked_when_either_retriever_ranks_the_true_case_first():
    records = [{"doc_id": d, "egress": f"text of {d}"} for d in ("a", "b", "c")]
    gold = [{"doc_id": d} for d in ("a", "b", "c")]
    assert linking_by_retriever(records, gold, Stub()) == {"tfidf": [True, False, None],
                                                           "dense": [False, True, None]}
    assert linking_outcomes(records, gold, Stub()) == [True, True, None]
