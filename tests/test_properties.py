"""Property tests: random Unicode never crashes the detector or the sanitizers, offsets stay valid,
and masking never lets a detected value through (an oracle written apart from the guard decides)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from conftest import sanitizers

import leak_oracle
from privacy_edge import assemble

TEXTS = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8", categories=("L", "M", "N", "P", "Z", "S", "Cf")), max_size=300),
    st.lists(st.sampled_from(["Mr", "Tomas", "Wexley", "Lindgrad", "3 May 2001", "12345/67", "\u200b", "\u0301",
                              "\u202e", "שלום", "Ελλάδα", "x@y.org", ",", ".", "\n\n", " ", "Court", "EUR 5,000"]),
             max_size=40).map(" ".join),
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXTS)
def test_detector_never_crashes_and_offsets_are_valid(text):
    det = assemble.detector().detect(text)
    assert det.level in ("none", "low", "medium", "high") and 0.0 <= det.score <= 1.0
    for s in det.spans:
        assert 0 <= s.start < s.end <= len(text) and s.text == text[s.start : s.end]
    assert all(a.end <= b.start for a, b in zip(det.spans, det.spans[1:]))  # disjoint, ordered


@SETTINGS
@given(TEXTS)
def test_sanitizers_never_crash_and_masking_leaves_no_detected_value(text):
    det = assemble.detector().detect(text)
    for name, sanitizer in sanitizers().items():
        out = sanitizer.sanitize(text, det.spans)
        assert isinstance(out.text, str)
        if name in ("mask", "dp"):
            assert leak_oracle.survivors(out.text, [s.text for s in det.spans if any(c.isalnum() for c in s.text)]) == []
        for placeholder, original in out.mapping.items():
            assert out.restore(placeholder) == original
