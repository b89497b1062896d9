"""The `workbench` command: the notebook sequence and each stage, from a terminal."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError


def _parse_value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _cmd_run(args: argparse.Namespace) -> int:
    from workbench.pipeline import default_run_name, run_sequence
    from workbench.settings import Settings
    from workbench.twenty.budget import settings_notice

    parameters = {}
    for item in args.parameter or []:
        name, _, value = item.partition("=")
        parameters[name.strip()] = _parse_value(value)
    out = Path(args.out) if args.out else Path("runs") / default_run_name(args.source)
    notice = settings_notice(Settings.from_env())
    if notice:
        print(notice, flush=True)  # the load runs inside a notebook; say it here first
    result = run_sequence(
        args.source,
        Path(args.export),
        out,
        parameters=parameters,
        replace=args.replace,
        workspace_from=Path(args.workspace_from) if args.workspace_from else None,
    )
    print(f"run folder:        {result.run_dir}")
    print(f"migration summary: {result.migration_summary}")
    print(f"scope document:    {result.scope_document}")
    return 0


def _cmd_discover(args: argparse.Namespace) -> int:
    from workbench.reports.discovery_cli import discover_to_folder

    paths = discover_to_folder(Path(args.export), Path(args.out), source=args.source)
    for label, path in paths.items():
        print(f"{label}: {path}")
    return 0


def _cmd_emulator(args: argparse.Namespace) -> int:
    from workbench.twenty.emulator import serve

    db = Path(args.db)
    print(f"Twenty emulator on http://127.0.0.1:{args.port} (state in {db}); Ctrl-C stops it")
    serve(args.port, db)
    return 0


def _cmd_rollback(args: argparse.Namespace) -> int:
    from workbench.load.rollback import rollback_run

    report = rollback_run(Path(args.run_dir))
    print(report.summary())
    return 0


def _cmd_dedupe_companies(args: argparse.Namespace) -> int:
    from workbench.resolve.batch import dedupe_companies_file

    summary = dedupe_companies_file(
        Path(args.input),
        Path(args.out),
        name_column=args.name_column,
        domain_column=args.domain_column or None,
        email_column=args.email_column or None,
    )
    print(summary)
    return 0


def _cmd_join_notes(args: argparse.Namespace) -> int:
    from workbench.resolve.batch import join_notes_file

    print(join_notes_file(Path(args.contacts), Path(args.notes), Path(args.out)))
    return 0


def _cmd_extract_salesmate(args: argparse.Namespace) -> int:
    from workbench.settings import Settings
    from workbench.sources.salesmate_api import SalesmateExtractor

    report = SalesmateExtractor.from_settings(Settings.from_env()).extract(Path(args.out))
    print(report)
    return 0


def _cmd_confirm_map(args: argparse.Namespace) -> int:
    from workbench.mapping import confirm_map

    confirm_map(Path(args.map), args.by)
    print(f"confirmed {args.map} by {args.by}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Twenty Migration Workbench: move a CRM export into Twenty, intact.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="execute the whole notebook sequence headlessly")
    run.add_argument(
        "--source", required=True, help="kartra, allclients, smartcrm, altcraft, salesmate"
    )
    run.add_argument("--export", required=True, help="folder holding the client's export")
    run.add_argument("--out", help="run folder (default runs/<source>-<timestamp>)")
    run.add_argument("--replace", action="store_true", help="start the run folder afresh")
    run.add_argument(
        "--workspace-from",
        metavar="RUN_DIR",
        help="start the emulated workspace as a copy of another run's (consolidating sources)",
    )
    run.add_argument(
        "-p",
        "--parameter",
        action="append",
        metavar="NAME=VALUE",
        help="notebook parameter (JSON value or text); never a secret",
    )
    run.set_defaults(func=_cmd_run)

    discover = sub.add_parser("discover", help="profile an export: discovery.json and HTML")
    discover.add_argument("--export", required=True, help="export folder")
    discover.add_argument(
        "--source", help="source system; without it every CSV is profiled generically"
    )
    discover.add_argument("--out", required=True, help="output folder")
    discover.set_defaults(func=_cmd_discover)

    emulator = sub.add_parser("emulator", help="serve the built-in Twenty emulator on 127.0.0.1")
    emulator.add_argument("--port", type=int, default=3000)
    emulator.add_argument("--db", default="emulator.sqlite", help="SQLite file holding its state")
    emulator.set_defaults(func=_cmd_emulator)

    rollback = sub.add_parser("rollback", help="undo what a run created or updated in Twenty")
    rollback.add_argument("run_dir", help="the run folder (holds ledger.sqlite)")
    rollback.set_defaults(func=_cmd_rollback)

    dedupe = sub.add_parser("dedupe", help="batch resolution: dedupe a file")
    dedupe_sub = dedupe.add_subparsers(dest="what", required=True, metavar="WHAT")
    companies = dedupe_sub.add_parser("companies", help="cluster company names in a CSV")
    companies.add_argument("--input", required=True)
    companies.add_argument("--name-column", default="company", help="default: AllClients' company")
    companies.add_argument(
        "--domain-column", default="website", help="website or domain column; '' for none"
    )
    companies.add_argument(
        "--email-column", default="email", help="contact email column; '' for none"
    )
    companies.add_argument(
        "--out", required=True, help="clusters.csv: row, cluster id, canonical name"
    )
    companies.set_defaults(func=_cmd_dedupe_companies)

    join = sub.add_parser("join", help="batch resolution: join a separately exported file")
    join_sub = join.add_subparsers(dest="what", required=True, metavar="WHAT")
    notes = join_sub.add_parser("notes", help="join notes to contacts (email, then name)")
    notes.add_argument("--contacts", required=True)
    notes.add_argument("--notes", required=True)
    notes.add_argument(
        "--out", required=True, help="joined.csv: note row, contact row, status, reason"
    )
    notes.set_defaults(func=_cmd_join_notes)

    extract = sub.add_parser("extract", help="pull an export from a source system's API")
    extract_sub = extract.add_subparsers(dest="what", required=True, metavar="SOURCE")
    salesmate = extract_sub.add_parser(
        "salesmate",
        help="Salesmate REST API v4; SALESMATE_LINK_NAME and SALESMATE_ACCESS_KEY from the environment",
    )
    salesmate.add_argument("--out", required=True, help="export folder to write")
    salesmate.set_defaults(func=_cmd_extract_salesmate)

    confirm = sub.add_parser("confirm-map", help="confirm a reviewed map (records who and a hash)")
    confirm.add_argument("map", help="the map's YAML file")
    confirm.add_argument("--by", required=True, help="who confirms")
    confirm.set_defaults(func=_cmd_confirm_map)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except WorkbenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
