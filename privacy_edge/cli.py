"""Command line: ``python -m privacy_edge <command> ...``.

Each command lives in its own module exposing ``configure(parser)`` and ``run(args) -> int``; this
file only dispatches, so ``--help`` stays fast and one command's heavy imports never slow another.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = {
    "prepare": ("privacy_edge.commands.prepare", "turn TAB documents into the Ianvs JSONL dataset"),
    "detect": ("privacy_edge.commands.detect", "detect private spans in TAB documents, write {doc_id: spans}"),
    "score": ("privacy_edge.commands.score", "score detected spans against TAB gold (PDR, ER_di, ER_qi, tokens)"),
    "fit": ("privacy_edge.commands.fit", "fit the detector's learned parts on TAB's train split (make detector-model)"),
    "check": ("privacy_edge.commands.check", "validate an Ianvs job before running it"),
    "report": ("privacy_edge.commands.report", "plots and a table from an Ianvs workspace"),
    "results": ("privacy_edge.commands.results", "write a finished job's figures to docs/results.md (make results)"),
    "edge-worker": ("privacy_edge.commands.edge_worker", "KubeEdge: the JointInferenceService edge worker (Sedna)"),
    "cloud-worker": ("privacy_edge.commands.cloud_worker", "KubeEdge: the JointInferenceService cloud worker (Sedna)"),
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m privacy_edge", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        parser.print_help()
        return 0 if not argv or argv[0] in ("-h", "--help") else 2
    name = argv[0]
    module = importlib.import_module(COMMANDS[name][0])
    cmd_parser = argparse.ArgumentParser(prog=f"python -m privacy_edge {name}", description=COMMANDS[name][1])
    module.configure(cmd_parser)
    args = cmd_parser.parse_args(argv[1:])
    try:
        return int(module.run(args) or 0)
    except (ValueError, KeyError, FileNotFoundError, RuntimeError) as err:
        # Config and input errors carry their own file/document/field; a traceback adds nothing.
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
