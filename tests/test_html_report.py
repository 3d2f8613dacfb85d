"""The HTML report (report_html.py): one file that opens from disk, checked in a real headless browser.

The job: two invented TAB documents through the real pipeline (the real detector and sanitizers; a
scripted edge model, confident on one document only, and a cloud that echoes the question back behind an
HTML payload), seven test cases written as the Ianvs modules write them, and a rank CSV: PDR, SELS and
Accuracy computed by the registered metrics, IAR and APR invented (they need models). The cloud_only
baseline sends the raw text, so every gold token leaks there ("Wexley" among them).

Browser tests skip where no Chromium and chromedriver are found (bench/bench_html_report.py says how to
install them). HTML_REPORT_SCREENSHOT=images/html-report.png also saves the screenshot for the README.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import tomllib

import pytest
from conftest import ROOT

from bench.bench_html_report import chromium, find_browser, render_ms
from privacy_edge import assemble
from privacy_edge.data.prepare import prepare
from privacy_edge.llm.base import Generation
from privacy_edge.llm.cache import CachedModel
from privacy_edge.metrics import METRICS, load_all
from privacy_edge.pipeline import EdgeSide
from privacy_edge.record import Sample, write_run
from privacy_edge.report_html import embed_json, render, report_data, write_html

PAYLOAD = "</script><img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>"
# (algorithm, router, policy, threshold): the default job's shape, small
CASES = [("privacy-router", "confidence", "mask", "0.3"), ("privacy-router", "confidence", "mask", "0.5"),
         ("privacy-router", "confidence", "mask", "0.9"), ("privacy-router", "confidence", "pseudonymize", "0.5"),
         ("baselines", "edge_only", "mask", "0.6"), ("baselines", "cloud_sanitized", "mask", "0.6"),
         ("baselines", "cloud_only", "mask", "0.6")]
LEAKED_DOC, LEAKED_TOKEN = "900-00001", "Wexley"  # "Mr Tomas Wexley", the applicant of the first document


class ScriptedEdge:
    identity = {"backend": "scripted"}

    def generate(self, batch):  # unsure of the Wexley case only: it goes to the cloud below t=0.4
        return [Generation("Ruritania " + PAYLOAD, 0.35 if LEAKED_TOKEN in m[-1]["content"] else 0.8, 3)
                for m in batch]


class EchoCloud:
    identity = {"backend": "echo"}

    def generate(self, batch):
        return [Generation(PAYLOAD + " It concerns " + m[-1]["content"][-80:], None, 5) for m in batch]


def _rank_row(records, gold, k):
    load_all()
    row = {m: METRICS.get(m)(records, gold, None) for m in ("PDR", "SELS", "SELS_lo", "SELS_hi", "Accuracy")}
    row["IAR"] = 1.0 - 0.5 * row["SELS"]
    row["APR"] = 1.0 - 0.05 * k
    row.update({"IAR_lo": row["IAR"] - 0.1, "IAR_hi": min(1.0, row["IAR"] + 0.1), "APR_lo": row["APR"] - 0.2,
                "APR_hi": row["APR"] + 0.1, "CPP_n": sum(bool(r.get("egress")) for r in records)})
    return row


@pytest.fixture(scope="module")
def job(tmp_path_factory, invented_tab):
    tmp = tmp_path_factory.mktemp("html")
    data = tmp / "data.jsonl"
    prepare([str(invented_tab)], data, max_docs=2, max_chars=2000, background=None)
    lines = [json.loads(line) for line in data.read_text().splitlines()]
    samples = [Sample.from_question(x["question"]) for x in lines]
    gold = [x["answer"] for x in lines]
    ws, cache = tmp / "workspace" / "tab_privacy", tmp / "cache"
    edge = EdgeSide(assemble.detector(), ScriptedEdge(), assemble.sanitizers(cache_dir=str(cache)))
    cloud = CachedModel(EchoCloud(), assemble.cache_for(str(cache)))
    rows = []
    for k, (algorithm, router, policy, threshold) in enumerate(CASES):
        pipe = assemble.pipeline(edge.fresh(), cloud, router, float(threshold), policy)
        traces = []
        for sample in samples:
            trace = pipe.edge_step(sample)
            if pipe.route(trace):
                pipe.cloud_step(trace)
            traces.append(trace)
        hps = {"hard_example_mining-router": router, "hard_example_mining-policy": policy,
               "hard_example_mining-threshold": threshold, "edgemodel-model": "scripted"}
        write_run(traces, hps, ws / algorithm / "records", models={"edge": "scripted", "cloud": "echo"})
        records = [t.to_record() for t in traces]
        rows.append({"rank": k + 1, "algorithm": algorithm, **_rank_row(records, gold, k), **hps,
                     "time": f"2026-01-01 00:00:{k:02d}"})
    (ws / "rank").mkdir(parents=True)
    with open(ws / "rank" / "all_rank.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["", *rows[0]])
        w.writeheader()
        for k, row in enumerate(rows):
            w.writerow({"": k, **row})
    html = write_html(ws, tmp / "report.html", data)
    return ws, data, html


# -- without a browser -----------------------------------------------------------------------------

def test_the_json_blob_cannot_close_its_script_element_and_parses_back():
    value = {"t": PAYLOAD + " <!-- & \u2028", "n": float("nan")}
    text = embed_json(value)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"t": value["t"], "n": None}


def test_the_page_holds_one_blob_no_network_and_the_payload_only_escaped(job):
    ws, data, html = job
    page = html.read_text(encoding="utf-8")
    assert page.count("</script>") == 2 and page.count("<script") == 2  # the data blob and the code
    assert "<img" not in page and "onerror=\"document" not in page.replace("\\u003c", "")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing fetched from anywhere
    assert "@import" not in page and not re.search(r"""url\(\s*["']?(?!#)""", page)  # in-page refs only
    blob = page.split('<script type="application/json" id="data">', 1)[1].split("</script>", 1)[0]
    assert any(PAYLOAD in str(text) for text in json.loads(blob)["strings"])  # the answers, intact


def test_the_data_knows_what_left_the_edge_and_which_gold_tokens_leaked(job):
    ws, data, _ = job
    d = report_data(ws, data)
    cases = {c["label"]: c for c in d["cases"]}
    assert set(cases) >= {"cloud_only", "edge_only", "confidence mask t=0.5"}
    raw = {s["doc"]: s for s in cases["cloud_only"]["samples"]}[LEAKED_DOC]
    doc = d["docs"][LEAKED_DOC]
    assert raw["route"] == "cloud_raw" and len(raw["leaks"]) == len(doc["mentions"])  # raw text: all leak
    assert any(LEAKED_TOKEN.lower() in toks for _, _, toks in raw["leaks"])
    egress = d["strings"][raw["eg"]]
    marks = d["strings"][raw["marks"]]
    assert any(egress[a:b] == LEAKED_TOKEN for a, b, kind in marks if kind == "leak")
    assert not [m for m in marks if m[2] == "sub"]  # the raw text is the original, word for word
    for s in cases["edge_only"]["samples"]:
        assert s["route"] == "edge" and s["eg"] is None and s["leaks"] == [] and s["bytes"] == 0
    masked = {s["doc"]: s for s in cases["confidence mask t=0.5"]["samples"]}[LEAKED_DOC]
    assert masked["route"] == "cloud_sanitized"
    sent = d["strings"][masked["eg"]]
    subs = [sent[a:b] for a, b, kind in d["strings"][masked["marks"]] if kind == "sub"]
    assert any(s.startswith("[PERSON_") for s in subs) and LEAKED_TOKEN not in sent
    assert d["provenance"]["commit"] and d["provenance"]["machine"]
    assert "edge: scripted" in d["provenance"]["models"]
    assert d["definitions"]["SELS"]["better"] == "lower" and "Sensitive Entity Leakage" in d["definitions"]["SELS"]["doc"]


def test_the_report_command_writes_the_html(job, tmp_path, capsys):
    from privacy_edge.cli import main

    ws, data, _ = job
    out = tmp_path / "r.html"
    assert main(["report", str(ws), "--no-plots", "--data", str(data), "--html", str(out)]) == 0
    assert f"html: {out}" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_template_ships_as_package_data():
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["privacy_edge"]
    assert "templates/*.html" in globs
    assert "{{DATA}}" in (ROOT / "privacy_edge/templates/report.html").read_text()
    assert render({"title": "<b>x</b>", "n": 1}).count("&lt;b&gt;x&lt;/b&gt;") == 2


# -- in a real browser ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    found = find_browser()
    if isinstance(found, str):
        pytest.skip(found)
    driver = chromium(1400, 1800)
    yield driver
    driver.quit()


def _errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _case_order(driver) -> list[str]:
    return [tr.get_attribute("data-case") for tr in driver.find_elements("css selector", "#rank tbody tr")]


def test_in_a_browser_sort_click_a_sample_and_see_the_leaked_token_in_red(job, browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.support.ui import Select

    ws, data, html = job
    url = html.resolve().as_uri()
    ms = render_ms(browser, url)
    assert ms < 2000, f"the ranking took {ms:.0f} ms to show"
    assert _errors(browser) == []
    assert browser.title != "pwned" and browser.execute_script("return document.images.length") == 0

    # the ranking: every test case; sorting by SELS reorders the rows, a second click reverses them
    initial = _case_order(browser)
    assert len(initial) == len(CASES)

    def sels() -> list[float]:
        col = [th.get_attribute("data-key") for th in browser.find_elements("css selector", "#rank thead th")].index("SELS")
        return [float(tr.find_elements("tag name", "td")[col].get_attribute("data-value"))
                for tr in browser.find_elements("css selector", "#rank tbody tr")]

    browser.find_element("css selector", '#rank th[data-key="SELS"] span.h').click()
    assert sels() == sorted(sels()) and _case_order(browser) != initial
    assert _case_order(browser)[-1] == "cloud_only"  # every gold token leaked
    browser.find_element("css selector", '#rank th[data-key="SELS"] span.h').click()
    assert sels() == sorted(sels(), reverse=True) and _case_order(browser)[0] == "cloud_only"
    # a definition one click away; the rows of one router
    browser.find_element("css selector", '#rank th[data-key="SELS"] button.q').click()
    assert "Sensitive Entity Leakage" in browser.find_element("id", "defbox").text
    Select(browser.find_element("id", "f-router")).select_by_value("confidence")
    assert len(_case_order(browser)) == 4
    Select(browser.find_element("id", "f-router")).select_by_value("")

    # the frontier: the point under the pointer names its test case
    point = browser.find_element("css selector", '#frontier g.pt[data-case="cloud_only"] .mk')
    ActionChains(browser).move_to_element(point).perform()
    assert browser.find_element("id", "tip").text.startswith("cloud_only")

    # the samples: filter by route, then click the raw-text sample of the Wexley case
    Select(browser.find_element("id", "f-route")).select_by_value("edge")
    routes = {td.text for td in browser.find_elements("css selector", "#samples tbody td:nth-child(3)")}
    assert routes == {"edge"}
    Select(browser.find_element("id", "f-route")).select_by_value("")
    browser.find_element("css selector", f'#samples tr[data-case="cloud_only"][data-sample="{LEAKED_DOC}"]').click()
    assert "cloud_only" in browser.current_url and f"sample={LEAKED_DOC}" in browser.current_url
    leaks = browser.find_elements("css selector", "#egress span.leak")
    wexley = [s for s in leaks if s.text == LEAKED_TOKEN]
    assert wexley, [s.text for s in leaks]
    style = browser.execute_script("const s = getComputedStyle(arguments[0]); return [s.color, s.fontWeight]", wexley[0])
    assert style == ["rgb(192, 0, 0)", "700"]
    assert PAYLOAD in browser.find_element("id", "detail").text  # the cloud's answer, shown as text
    assert browser.title != "pwned" and browser.execute_script("return document.images.length") == 0
    browser.save_screenshot(str(tmp_path / "html-report-ranking.png"))

    # a sample's view from its URL: the masked sample sent placeholders, and no leak of the name
    browser.get(url + f"#case=confidence-mask-t-0.5&sample={LEAKED_DOC}")
    assert browser.find_element("css selector", "#detail h3").text == f"confidence mask t=0.5 — {LEAKED_DOC}"
    subs = [s.text for s in browser.find_elements("css selector", "#egress span.sub")]
    assert any(s.startswith("[PERSON_") for s in subs)
    assert LEAKED_TOKEN not in {s.text for s in browser.find_elements("css selector", "#egress span.leak")}
    assert browser.find_elements("css selector", "#orig span.det")  # detected spans highlighted in the original
    assert _errors(browser) == []
    shot = tmp_path / "html-report.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("HTML_REPORT_SCREENSHOT"):
        target = ROOT / os.environ["HTML_REPORT_SCREENSHOT"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target)
