"""Command-line interface: one function per verb (synth, validate, run, run-all, scan, schema).

Exit codes (documented in the README):

- 0: done, everything succeeded (validate: no fatal problem and no quarantined row; scan: clean);
- 1: done, but something needs attention (a measure failed, validation found fatal problems or
  quarantined rows, the scanner found possible personal data);
- 2: the command could not run (bad command line, invalid params file, unreadable data); the
  message names the file, table, column or rule — never personal data.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evalkit.errors import EvalkitError

OK, ATTENTION, UNUSABLE = 0, 1, 2


def cmd_synth(args: argparse.Namespace) -> int:
    """Write the synthetic municipality (DuckDB) and its true effects."""
    from evalkit.data.synth import write_synth

    path = write_synth(
        Path(args.out),
        persons=args.persons,
        seed=args.seed,
        dirty=args.dirty,
        scenario=args.scenario,
    )
    print(
        f"synthetic municipality written to {path} ({args.persons} persons, seed {args.seed}, "
        f"scenario {args.scenario})"
    )
    return OK


def _source_dict(params: object) -> dict:
    """The params' ``data.source`` as a plain dict."""
    source = params.data.source  # type: ignore[attr-defined]
    if hasattr(source, "model_dump"):
        return source.model_dump(exclude_none=True)
    return dict(source)


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate a params file, then load and validate its data; print the validation report."""
    from evalkit import project, runner

    params = runner.load_checked_params(args.params)
    project.ensure_demo_key(project.source_path(params))
    source = _source_dict(params)
    source.pop("columns", None)
    mode = getattr(params.data, "mode", "registers")
    print(f"params OK: {args.params} (measure {runner.measure_id_of(params, args.params)})")
    if mode != "registers":
        from evalkit.data.sources import load_table

        frame = load_table(source)
        print(f"{mode} mode: {len(frame)} rows, {len(frame.columns)} columns loaded")
        return OK
    quarantine = Path(args.quarantine) if args.quarantine else None
    validated = params.load_registers(quarantine_path=quarantine, raise_fatal=False)
    report = validated.report
    print(report.summary())
    n_quarantined = sum(report.n_quarantined.values())
    return ATTENTION if report.fatal or n_quarantined else OK


def cmd_run(args: argparse.Namespace) -> int:
    """Run one measure into a new dated folder under ``--out``."""
    from evalkit import runner

    run_dir, outcome = runner.run_one(args.params, args.out, timeout=args.timeout)
    print(f"report: {outcome.html}")
    return OK if outcome.ok else ATTENTION


def cmd_run_all(args: argparse.Namespace) -> int:
    """Run every measure of a params folder, then the portfolio page."""
    from evalkit import runner

    summary = runner.run_all(args.params_dir, args.out, jobs=args.jobs, timeout=args.timeout)
    if summary.index is not None:
        print(f"overview: {summary.index}")
    return OK if summary.ok else ATTENTION


def cmd_scan(args: argparse.Namespace) -> int:
    """Scan a run folder for personal data; list findings without their values."""
    from evalkit.audit.leaks import format_findings, scan

    path = Path(args.run_dir)
    if not path.exists():
        raise EvalkitError(f"nothing to scan at {path}")
    findings = scan(path, min_cell=args.min_cell)
    print(format_findings(findings) if findings else f"{path}: no personal data found")
    return ATTENTION if findings else OK


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the results file's JSON Schema, generated from the results models."""
    import json

    from evalkit.results import results_schema

    print(json.dumps(results_schema(), indent=2, ensure_ascii=False))
    return OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per verb."""
    parser = argparse.ArgumentParser(
        prog="evalkit",
        description="Effect evaluation of labour-market measures, with HTML audit reports.",
        epilog="Exit codes: 0 all well, 1 something needs attention (a failed measure, "
        "quarantined rows, possible personal data), 2 the command could not run.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("synth", help="write the synthetic demo municipality")
    p.add_argument("--out", required=True, help="DuckDB file to write, e.g. data/demo.duckdb")
    p.add_argument("--persons", type=int, default=30_000, help="number of persons")
    p.add_argument("--seed", type=int, default=20261126, help="random seed")
    p.add_argument("--dirty", action="store_true", help="inject rule-breaking rows")
    p.add_argument(
        "--scenario",
        choices=("observables", "dip", "hidden_drive", "calendar", "attrition"),
        default="dip",
        help="how participants are picked (default dip, the demo city)",
    )
    p.set_defaults(func=cmd_synth)

    p = sub.add_parser("validate", help="check a params file and its data; run nothing")
    p.add_argument("params", help="params YAML file")
    p.add_argument("--quarantine", help="also write the quarantined rows to this CSV file")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("run", help="run one measure: notebook, HTML and JSON")
    p.add_argument("params", help="params YAML file")
    p.add_argument("--out", required=True, help="reports folder; a dated run folder is made in it")
    p.add_argument("--timeout", type=int, default=1800, help="seconds one notebook cell may run")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("run-all", help="run every measure of a folder, then index.html")
    p.add_argument("params_dir", help="folder of params YAML files (defaults.yaml is skipped)")
    p.add_argument("--out", required=True, help="reports folder; a dated run folder is made in it")
    p.add_argument("--jobs", type=int, default=2, help="measures run in parallel")
    p.add_argument("--timeout", type=int, default=1800, help="seconds one notebook cell may run")
    p.set_defaults(func=cmd_run_all)

    p = sub.add_parser("scan", help="scan a run folder for personal data")
    p.add_argument("run_dir", help="run folder (or one file)")
    p.add_argument("--min-cell", type=int, default=5, help="smallest count a table may show")
    p.set_defaults(func=cmd_scan)

    p = sub.add_parser("schema", help="print the JSON Schema of a results file")
    p.set_defaults(func=cmd_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``evalkit`` console script; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except EvalkitError as exc:
        print(f"evalkit {args.command}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return UNUSABLE
    except KeyboardInterrupt:
        print(f"evalkit {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
