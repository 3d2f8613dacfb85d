"""Batch planning: a token budget bounds each batch, and bucketing bounds the shapes a static cache compiles."""

import random

from privacy_edge.llm.batching import bucket_length, plan


def _covers_each_prompt_once(batches, n):
    seen = [i for b in batches for i in b.indices]
    assert sorted(seen) == list(range(n))


def test_when_unbucketed_then_batches_stay_within_the_budget_and_row_cap():
    lengths = [random.Random(0).randint(200, 1500) for _ in range(98)]
    batches = plan(lengths, token_budget=8192, max_rows=8)
    _covers_each_prompt_once(batches, 98)
    for b in batches:
        assert len(b.indices) <= 8 and b.rows == len(b.indices) and b.length is None
        assert len(b.indices) == 1 or len(b.indices) * max(lengths[i] for i in b.indices) <= 8192


def test_when_bucketed_then_98_prompts_compile_at_most_two_shapes_per_length_bucket():
    rng = random.Random(1)
    lengths = [rng.randint(300, 900) for _ in range(98)]  # like 2,000-character TAB excerpts
    batches = plan(lengths, token_budget=65536, max_rows=128, buckets=True)
    _covers_each_prompt_once(batches, 98)
    for b in batches:
        assert b.length in (512, 1024) and all(lengths[i] <= b.length for i in b.indices)
        assert b.rows >= len(b.indices) and b.rows & (b.rows - 1) == 0  # a power of two
        assert b.rows * b.length <= 65536
    assert len({b.shape for b in batches}) <= 4
    # The old way (a fixed count of 8, each batch padded to its longest prompt): a shape per batch.
    assert len({(8, max(lengths[i] for i in b.indices)) for b in plan(lengths, 10**9, 8)}) > 10


def test_bucket_length_is_a_power_of_two_capped_at_the_input_limit():
    assert [bucket_length(n, 4096) for n in (1, 128, 129, 600, 4000, 5000)] == [128, 128, 256, 1024, 4096, 4096]
    assert bucket_length(3000, 2500) == 2500


def test_a_prompt_longer_than_the_budget_still_gets_a_batch_of_its_own():
    batches = plan([5000, 10, 20], token_budget=1000, max_rows=64)
    assert [b.indices for b in batches] == [(1, 2), (0,)]
    assert plan([5000], token_budget=1000, max_rows=64, buckets=True)[0].rows == 1


def test_edge_batching_settings_are_validated_naming_the_setting():
    import pytest

    from privacy_edge.config import ConfigError, EdgeSettings, build

    assert build(EdgeSettings, {}, "EdgeModel").token_budget == "auto"
    for bad, key in (({"token_budget": 10}, "token_budget"), ({"token_budget": "big"}, "token_budget"),
                     ({"compile_min_prompts": 0}, "compile_min_prompts"), ({"concurrency": 0}, "concurrency"),
                     ({"backend": "vllm"}, "backend")):
        with pytest.raises(ConfigError, match=f"EdgeModel: {key}"):
            build(EdgeSettings, bad, "EdgeModel")
