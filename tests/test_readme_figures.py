"""Figures with one source: the README quotes its results table from docs/results.md (written by
`make results`, with the commit, machine and documents) and holds no other measured rate."""

from __future__ import annotations

import re

from conftest import ROOT

from privacy_edge.commands.results import BEGIN, END, replace_block

RATE = re.compile(r"(?<![\w.=])[01]\.\d{3}(?![\w.])")  # a rate as the tables print it, e.g. 0.812


def readme_parts() -> tuple[str, str]:
    text = (ROOT / "README.md").read_text()
    assert text.count(BEGIN) == 1 and text.count(END) == 1, "the README needs one results block"
    before, rest = text.split(BEGIN)
    block, after = rest.split(END)
    return block.strip(), before + after


def test_the_readme_table_is_the_one_in_docs_results():
    block, _ = readme_parts()
    results = (ROOT / "docs/results.md").read_text()
    assert block and block.startswith("| test case |")
    assert block in results, "README's results table differs from docs/results.md: run `make results`"
    head = results.split("## Summary")[0]
    assert re.search(r"on commit [0-9a-f]{7,}", head) and re.search(r"Data: \d+ TAB test documents", head)


def test_no_other_measured_rate_in_the_readme():
    _, rest = readme_parts()
    rates = RATE.findall(rest)
    assert not rates, f"rates quoted outside the generated table (move them to docs/ or cite a file): {rates[:5]}"


def test_make_results_rewrites_only_the_block():
    readme = f"intro\n{BEGIN}\n| old |\n{END}\nafter\n"
    assert replace_block(readme, "| new |", "README.md") == f"intro\n{BEGIN}\n| new |\n{END}\nafter\n"
