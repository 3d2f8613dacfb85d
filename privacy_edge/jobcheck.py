"""Validate a whole Ianvs job before it runs: every file it names exists, every hyperparameter value
of every grid point is valid, every metric is known, the dataset parses, the metrics' settings and
background file are valid, and every remote cloud endpoint (CloudModelAPI's, the metrics' attacker
and reference) answers one tiny request with the configured key and model. One run of this takes a
second or two; the same mistake found by Ianvs costs the test cases that ran before it, and Ianvs
drops unknown keys without a word.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from .assemble import router, sanitizer_settings
from .layout import resolve
from .config import CloudSettings, ConfigError, EdgeSettings, RouterSettings, build, read_yaml
from .detect.config import load_detector_config
from .policy import Policy, base_method
from .sanitize import SANITIZERS

SETTINGS: dict[str, tuple[str, type[BaseModel]]] = {
    "edgemodel": ("EdgeModel", EdgeSettings),
    "cloudmodel": ("CloudModelAPI", CloudSettings),
    "hard_example_mining": ("OracleRouter", RouterSettings),
}


@dataclass
class JobSummary:
    test_cases: int = 0
    samples: int = 0
    algorithms: list[str] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)
    # Each remote endpoint probed: "model at host (users): seconds".
    endpoints: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Endpoints:
    """The remote endpoints a job uses, each once, with who uses it (for messages)."""

    def __init__(self):
        self.users: dict[tuple, list[str]] = {}
        self.clouds: list[tuple[str, object]] = []  # every CloudModelAPI grid point: (where, settings)
        self.resolved: dict[tuple, object] = {}

    def add(self, settings, user: str, where: str) -> None:
        endpoint = settings.resolve(where)  # a ConfigError when a remote endpoint lacks a model name
        if not endpoint.remote:
            return
        key = (endpoint.base_url, endpoint.key_env, endpoint.model)
        self.resolved.setdefault(key, endpoint)
        if user not in self.users.setdefault(key, []):
            self.users[key].append(user)


def _grid(module: dict, where: str) -> list[dict]:
    names, values = [], []
    for entry in module.get("hyperparameters") or []:
        if not isinstance(entry, dict) or len(entry) != 1:
            raise ConfigError(f"{where}: each hyperparameter is one `name: {{values: [...]}}` mapping")
        (name, spec), = entry.items()
        if not isinstance(spec, dict) or not isinstance(spec.get("values"), list) or not spec["values"]:
            raise ConfigError(f"{where}: hyperparameter {name!r} needs a non-empty `values` list")
        names.append(name)
        values.append(spec["values"])
    return [dict(zip(names, combo)) for combo in itertools.product(*values)] or [{}]


def check_components(module_type: str, settings) -> None:
    """What a module's settings name, resolved through the registries as the assembler will build it:
    the EdgeModel's every sanitizer and its settings, the detector YAML and its overrides; the
    OracleRouter's router with its own settings and every method its policy may choose."""
    if module_type == "edgemodel":
        sanitizer_settings(settings)
        load_detector_config(settings.detector_config, settings.detector or None)
    elif module_type == "hard_example_mining":
        router(settings)
        for method in Policy.from_name(settings.policy).methods():
            SANITIZERS.get(base_method(method))


def check_algorithm(path: Path, root: Path, endpoints: _Endpoints | None = None) -> int:
    data = read_yaml(path)
    alg = data.get("algorithm")
    if not isinstance(alg, dict) or alg.get("paradigm_type") != "jointinference":
        raise ConfigError(f"{path}: expected `algorithm:` with paradigm_type: jointinference")
    cases = 1
    types = set()
    for i, module in enumerate(alg.get("modules") or []):
        where = f"{path}: modules[{i}] ({module.get('name', '?')})"
        url = module.get("url")
        if not url or not resolve(url, root).exists():
            raise ConfigError(f"{where}: url {url!r} does not exist (paths are relative to where ianvs runs)")
        mtype = module.get("type")
        types.add(mtype)
        grid = _grid(module, where)
        cases *= len(grid)
        if mtype in SETTINGS:
            expected, model = SETTINGS[mtype]
            if module.get("name") != expected:
                raise ConfigError(f"{where}: name must be {expected!r} for type {mtype}")
            for point in grid:
                settings = build(model, point, f"{where} with {point}")
                try:
                    check_components(mtype, settings)
                except (ConfigError, RuntimeError) as err:
                    raise ConfigError(f"{where} with {point}: {err}") from None
                if mtype == "cloudmodel" and endpoints is not None:
                    endpoints.add(settings, f"CloudModelAPI in {path.name}", f"{where} with {point}")
                    endpoints.clouds.append((f"{path.name} {point}", settings))
    missing = {"edgemodel", "cloudmodel", "hard_example_mining"} - types
    if missing:
        raise ConfigError(f"{path}: missing modules {sorted(missing)}")
    return cases


LINKING_METRICS = ("IAR", "ASR-Link", "ASR-Link_n")
ATTACKER_METRICS = ("IAR", "ASR-LLM", "ASR-LLM_n")
REFERENCE_METRICS = ("APR", "APR_n")


def metric_settings(metric_module: Path):
    """The metrics' settings as the metric modules will read them: $PRIVACY_EDGE_METRICS, else the
    metrics.yaml beside the module, else the defaults; with the file they came from."""
    import os

    from .metrics.settings import ENV, MetricSettings

    settings_file = Path(os.environ[ENV]) if os.environ.get(ENV) else metric_module.with_name("metrics.yaml")
    if os.environ.get(ENV) and not settings_file.exists():
        raise ConfigError(f"${ENV} names {settings_file}, which does not exist")
    if settings_file.exists():
        return build(MetricSettings, read_yaml(settings_file), str(settings_file)), settings_file
    return MetricSettings(), settings_file


def check_background(root: Path, metric_module: Path) -> None:
    """The linking attack's background file must exist and parse, unless linking is switched off
    (`background: null`): found at metric time, a missing file would cost the whole job."""
    import os

    from .metrics.resources import read_background
    from .metrics.settings import background_path

    settings, settings_file = metric_settings(metric_module)
    path = background_path(settings)
    if path is None:
        return
    where = "$TAB_BACKGROUND" if os.environ.get("TAB_BACKGROUND") else f"{settings_file}: background"
    try:
        read_background(resolve(path, root))
    except (OSError, ValueError) as err:
        raise ConfigError(f"{where}: {err}") from None


def check_endpoints(endpoints: _Endpoints, summary: JobSummary) -> None:
    """One request of max_tokens 1 to each remote endpoint (never to the embedded server)."""
    from .llm.probe import probe

    for key, endpoint in endpoints.resolved.items():
        users = ", ".join(endpoints.users[key])
        seconds = probe(endpoint, users, timeout_s=30.0)
        summary.endpoints.append(f"{endpoint.model} at {endpoint.host} ({users}): answered in {seconds:.1f} s")


def check_job(job: str | Path, root: str | Path = ".", probe: bool = True) -> JobSummary:
    """``probe``: also send one tiny request to each remote endpoint the job and its metrics use."""
    from .metrics import METRICS, load_all
    from .record import Sample

    root = Path(root)
    job = Path(job)
    bj = read_yaml(job).get("benchmarkingjob")
    if not isinstance(bj, dict):
        raise ConfigError(f"{job}: expected a `benchmarkingjob:` mapping")
    summary = JobSummary()
    env_path = resolve(str(bj.get("testenv", "")), root)
    if not env_path.is_file():
        raise ConfigError(f"{job}: testenv {bj.get('testenv')!r} does not exist")
    env = read_yaml(env_path).get("testenv") or {}
    if env.get("hard_example_mining_mode") != "inference-then-mining":
        raise ConfigError(f"{env_path}: hard_example_mining_mode must be inference-then-mining")
    dataset = env.get("dataset") or {}
    test_data = resolve(str(dataset.get("test_data", "")), root)
    if not test_data.is_file():
        raise ConfigError(f"{env_path}: dataset.test_data {dataset.get('test_data')!r} does not exist "
                          "(run `python -m privacy_edge prepare` or `make data`)")
    import json

    for n, line in enumerate(test_data.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            raise ConfigError(f"{test_data}: line {n} is not JSON") from None
        Sample.from_question(row.get("question"), where=f"{test_data}: line {n}")
        if not isinstance(row.get("answer"), dict):
            raise ConfigError(f"{test_data}: line {n}: field 'answer' missing")
        summary.samples += 1
    load_all()
    for m in env.get("metrics") or []:
        if m.get("name") not in METRICS:
            raise ConfigError(f"{env_path}: unknown metric {m.get('name')!r}; known: {', '.join(METRICS.names())}")
        summary.metrics.append(m["name"])
    endpoints = _Endpoints()
    linking = [m for m in env.get("metrics") or [] if m["name"] in LINKING_METRICS]
    if linking:
        check_background(root, resolve(str(linking[0].get("url", "")), root))
    models = [m for m in env.get("metrics") or [] if m["name"] in ATTACKER_METRICS + REFERENCE_METRICS]
    if models:
        settings, settings_file = metric_settings(resolve(str(models[0].get("url", "")), root))
        if any(m["name"] in ATTACKER_METRICS for m in models):
            endpoints.add(settings.attacker, f"attacker in {settings_file.name}", f"{settings_file}: attacker")
        if any(m["name"] in REFERENCE_METRICS for m in models):
            endpoints.add(settings.reference, f"reference in {settings_file.name}", f"{settings_file}: reference")
    for alg in (bj.get("test_object") or {}).get("algorithms") or []:
        path = resolve(str(alg.get("url", "")), root)
        if not path.is_file():
            raise ConfigError(f"{job}: algorithm {alg.get('name')!r}: {alg.get('url')!r} does not exist")
        summary.test_cases += check_algorithm(path, root, endpoints)
        summary.algorithms.append(alg["name"])
    rank = bj.get("rank") or {}
    from .metrics import INFO

    for item in rank.get("sort_by") or []:
        for name, order in item.items():
            if name not in summary.metrics:
                raise ConfigError(f"{job}: rank.sort_by names {name!r}, which the testenv does not compute")
            best_first = "descend" if INFO[name].higher_is_better else "ascend"
            if order not in ("ascend", "descend"):
                raise ConfigError(f"{job}: rank.sort_by {name}: {order!r} is neither ascend nor descend")
            if order != best_first:
                summary.warnings.append(f"{job}: rank.sort_by {name}: {order} puts the worst first "
                                        f"({name} is better {'higher' if INFO[name].higher_is_better else 'lower'})")
    if models and any(m["name"] in REFERENCE_METRICS for m in models):
        summary.warnings += reference_mismatches(settings.reference, endpoints.clouds, settings_file)
    if probe:
        check_endpoints(endpoints, summary)
    return summary


# What makes the APR reference (the cloud on the raw text) the same request as the job's cloud.
SAME_REQUEST = ("model", "api_base_env", "api_key_env", "model_env", "max_tokens", "temperature", "embedded_weights")


def reference_mismatches(reference, clouds: list, settings_file: Path) -> list[str]:
    """A warning per CloudModelAPI grid point whose request differs from APR's reference: APR then
    compares two configurations, and the reference is not served from the cloud_only answers' cache."""
    out = []
    for where, cloud in clouds:
        diff = [f"{k} {getattr(reference, k)!r} vs {getattr(cloud, k)!r}" for k in SAME_REQUEST
                if getattr(reference, k) != getattr(cloud, k)]
        if diff:
            out.append(f"{settings_file}: reference differs from CloudModelAPI ({where}) in {', '.join(diff)}: "
                       "APR's reference is another configuration than the job's cloud")
    return out
