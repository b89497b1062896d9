"""The `workbench` command: the notebook sequence and each stage, from a terminal."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from workbench.errors import ConfigError, WorkbenchError


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
    _print_results(result.run_dir / "reconciliation" / "summary.json")
    _print_not_read(result.run_dir / "discovery.json")
    print(f"run folder:        {result.run_dir}")
    print(f"migration summary: {result.migration_summary}")
    print(f"scope document:    {result.scope_document}")
    return 0


OUTCOMES = ("created", "updated", "unchanged", "merged", "rejected", "queued", "failed")


def _print_results(summary_json: Path) -> None:
    """Where every source row ended, per object, from the run's reconciliation."""
    if not summary_json.is_file():
        return
    summary = json.loads(summary_json.read_text(encoding="utf-8"))
    objects = [o for o in summary.get("objects", []) if o.get("source_rows")]
    width = max((len(o["object"]) for o in objects), default=0)
    print("where every source row ended:")
    for o in objects:
        ends = ", ".join(f"{o[k]:,} {k}" for k in OUTCOMES if o.get(k))
        print(f"  {o['object']:<{width}}  {o['source_rows']:>7,} rows: {ends}")
    verdict = "every row accounted for" if summary.get("ok") else "DIFFERENCES, see summary"
    print(f"reconciliation:    {verdict}")


def _cmd_discover(args: argparse.Namespace) -> int:
    from workbench.reports.discovery_cli import discover_to_folder

    paths = discover_to_folder(Path(args.export), Path(args.out), source=args.source)
    _print_not_read(paths["discovery.json"])
    for label, path in paths.items():
        print(f"{label}: {path}")
    return 0


def _print_not_read(discovery_json: Path) -> None:
    """The export's files that discovery left out, each with its reason."""
    if not discovery_json.is_file():
        return
    not_read = json.loads(discovery_json.read_text(encoding="utf-8")).get("not_read") or []
    if not not_read:
        return
    from workbench.sources.base import UnreadFile
    from workbench.sources.unread import display_lines

    items = [UnreadFile(i["file"], i["reason"], i.get("line")) for i in not_read]
    print(f"files not read ({len(items)}):")
    for text in display_lines(items):
        print(f"  {text}")


def _cmd_emulator(args: argparse.Namespace) -> int:
    from workbench.twenty.emulator import serve

    db = Path(args.db)
    print(f"Twenty emulator on http://127.0.0.1:{args.port} (state in {db}); Ctrl-C stops it")
    serve(args.port, db)
    return 0


def _cmd_rollback(args: argparse.Namespace) -> int:
    from workbench.load.rollback import rollback_run

    run_dir = Path(args.run_dir)
    if not (run_dir / "ledger.sqlite").is_file():
        raise ConfigError(f"{run_dir} is not a run folder: it has no ledger.sqlite to roll back")
    report = rollback_run(run_dir)
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
        source=args.source,
        object_name=args.object,
    )
    print(summary)
    return 0


def _cmd_join_notes(args: argparse.Namespace) -> int:
    from workbench.resolve.batch import join_notes_file

    summary = join_notes_file(
        Path(args.contacts),
        Path(args.notes),
        Path(args.out),
        email_column=args.email_column,
        first_column=args.first_name_column,
        last_column=args.last_name_column,
        contact_id_column=args.contact_id_column or None,
        source=args.source,
    )
    print(summary)
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


COLUMN_HELP = (
    "(default: %(default)s, the schema's field name; headers are resolved first, so the "
    "export's own label for it, in any case or spacing, answers to it)"
)


def _add_schema_options(parser: argparse.ArgumentParser, *, object_help: bool) -> None:
    """Which source's schema resolves the file's headers (and, for one file, which object)."""
    parser.add_argument(
        "--source",
        default="allclients",
        help="source system whose header forms resolve the file(s) (default: %(default)s)",
    )
    if object_help:
        parser.add_argument(
            "--object",
            default="contacts",
            help="the source object the file holds (default: %(default)s)",
        )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Twenty Migration Workbench: move a CRM export into Twenty, intact.",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the full trace of an unexpected failure"
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
    _add_schema_options(companies, object_help=True)
    companies.add_argument(
        "--name-column", default="company", help=f"company name column {COLUMN_HELP}"
    )
    companies.add_argument(
        "--domain-column",
        default="website",
        help=f"website or domain column, '' for none {COLUMN_HELP}",
    )
    companies.add_argument(
        "--email-column", default="email", help=f"contact email column, '' for none {COLUMN_HELP}"
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
    _add_schema_options(notes, object_help=False)
    notes.add_argument("--email-column", default="email", help=f"both files {COLUMN_HELP}")
    notes.add_argument("--first-name-column", default="firstname", help=f"both files {COLUMN_HELP}")
    notes.add_argument("--last-name-column", default="lastname", help=f"both files {COLUMN_HELP}")
    notes.add_argument(
        "--contact-id-column",
        default="id",
        help=f"contacts file; '' to key contacts by row {COLUMN_HELP}",
    )
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
    except Exception as exc:  # a defect: say so in a sentence, keep the trace for --debug
        if args.debug:
            raise
        print(
            f"error: the workbench stopped on an unexpected internal error"
            f" ({type(exc).__name__}: {exc}). This is a defect in the workbench, not in your"
            " input; run again with --debug to see the full trace",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
