"""bench/bench_detector.py: a missing Presidio gives the install hint, not a traceback."""

from __future__ import annotations

import importlib.util
import sys

import pytest
from detect_support import ROOT


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_detector", ROOT / "bench" / "bench_detector.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_missing_presidio_exits_with_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "presidio_analyzer", None)  # makes "import presidio_analyzer" fail
    bench = load_bench()
    with pytest.raises(SystemExit) as exit_info:
        bench.presidio_analyzer(batch_size=4)
    assert "pip install" in str(exit_info.value) and "compare" in str(exit_info.value)


def test_bench_table_formats_rows():
    from privacy_edge.metrics.detection import DetectionScores

    bench = load_bench()
    row = {"system": "x", "words_per_s": 1234.0, "scores": DetectionScores(pdr=0.5, er_di=1.0, er_qi=0.25,
                                                                            token_recall=0.75, token_precision=0.6)}
    table = bench.table([row])
    assert "1,234" in table and "0.250" in table and "words/s" in table


def test_bench_runs_both_systems_offline_on_the_fixture(capsys):
    pytest.importorskip("presidio_analyzer")
    from detect_support import INVENTED

    assert load_bench().main([str(INVENTED)]) == 0
    out = capsys.readouterr().out
    assert "privacy_edge Detector" in out and "Presidio AnalyzerEngine" in out and "x Presidio's words/s" in out
