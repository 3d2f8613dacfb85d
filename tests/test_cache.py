"""The answer cache: keyed by model identity and exact prompt, atomic per entry."""

from privacy_edge.llm.base import Generation
from privacy_edge.llm.cache import AnswerCache, CachedModel


class CountingModel:
    def __init__(self, identity):
        self.identity, self.calls = identity, 0

    def generate(self, batch):
        self.calls += len(batch)
        return [Generation(f"answer {self.calls}", 0.5, 2, 10, 1.25) for _ in batch]


def test_second_call_is_a_hit_with_identical_answer_and_timing(tmp_path):
    cache = AnswerCache(tmp_path / "a.sqlite")
    model = CountingModel({"m": 1})
    cached = CachedModel(model, cache)
    msgs = [[{"role": "user", "content": "q1"}], [{"role": "user", "content": "q2"}]]
    first = cached.generate(msgs)
    second = cached.generate(msgs)
    assert model.calls == 2
    assert [g.text for g in first] == [g.text for g in second]
    assert all(g.cached for g in second) and second[0].seconds == 1.25  # the original cost is kept


def test_a_changed_parameter_or_prompt_misses(tmp_path):
    cache = AnswerCache(tmp_path / "a.sqlite")
    msgs = [[{"role": "user", "content": "q1"}]]
    CachedModel(CountingModel({"m": 1, "max_new_tokens": 32}), cache).generate(msgs)
    other = CountingModel({"m": 1, "max_new_tokens": 64})
    CachedModel(other, cache).generate(msgs)
    assert other.calls == 1
    same = CountingModel({"m": 1, "max_new_tokens": 32})
    CachedModel(same, cache).generate([[{"role": "user", "content": "q1 "}]])
    assert same.calls == 1


def test_entries_survive_reopening(tmp_path):
    path = tmp_path / "a.sqlite"
    CachedModel(CountingModel({"m": 1}), AnswerCache(path)).generate([[{"role": "user", "content": "q"}]])
    again = CountingModel({"m": 1})
    CachedModel(again, AnswerCache(path)).generate([[{"role": "user", "content": "q"}]])
    assert again.calls == 0
