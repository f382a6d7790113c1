"""Command line import: ``python -m data_access.load FILE --kind KIND [--dry-run] ...``.

The same implementation as the Import page (``data_access.loaders.run_import``). Exit
status: 0 imported (or dry run clean), 1 problems found (nothing written unless
``--accept-valid-rows``), 2 usage error or refused.

The import acts as ``--user LOGIN`` (an active user row whose role may import) or, without
it, as the named system actor ``system (<OS login>)``; either way it is audited.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from sqlmodel import Session, select

from data_access.access.permissions import Actor, PermissionDenied, actor_from_user, system_actor
from data_access.db import create_schema, database_url, get_engine
from data_access.loaders import KINDS, Source, issue_text, layout_text, run_import, write_rejected

SHOWN_ISSUES = 30


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m data_access.load",
        description="Import a CSV (UTF-8/GBK/GB18030) or XLSX export into the dashboard database.",
    )
    parser.add_argument("file", type=Path, help="CSV or XLSX file")
    parser.add_argument("--kind", required=True, choices=KINDS, help="what the file holds")
    parser.add_argument("--dry-run", action="store_true", help="validate and count, write nothing")
    parser.add_argument("--accept-valid-rows", action="store_true",
                        help="import the valid rows even when other rows have problems")
    parser.add_argument("--rejected-out", type=Path, help="write the rejected rows (with the problem) to this CSV")
    parser.add_argument("--report-out", type=Path, help="write the full problem report to this CSV")
    parser.add_argument("--user", default=None,
                        help="login of the dashboard user who imports (default: the system actor, "
                             "named after the OS login)")
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL or the sample SQLite file")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the messages")
    return parser


def resolve_actor(engine: object, login: str | None) -> Actor | None:
    """The actor of ``--user LOGIN`` (None when no active user has it), or the system actor."""
    if login is None:
        return system_actor(getpass.getuser())
    from data_access.models.access import AppUser

    with Session(engine) as session:
        user = session.exec(select(AppUser).where(AppUser.login == login, AppUser.active == True)).first()  # noqa: E712
        return actor_from_user(user) if user is not None else None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.file.is_file():
        print(f"no such file: {args.file}", file=sys.stderr)
        return 2
    url = args.database_url or database_url()
    engine = get_engine(url)
    create_schema(engine)
    actor = resolve_actor(engine, args.user)
    if actor is None:
        print(f"no active user with login {args.user!r}", file=sys.stderr)
        return 2
    source = Source.from_path(args.file)
    try:
        result = run_import(source, args.kind, engine=engine, dry_run=args.dry_run,
                            accept_valid_rows=args.accept_valid_rows, actor=actor)
    except PermissionDenied:
        print(f"{actor.login} ({actor.role.value}) may not import data", file=sys.stderr)
        return 2
    lang = args.lang
    if result.file_problem is not None:
        print(issue_text(result.file_problem, lang), file=sys.stderr)
        return 1
    print(layout_text(result, lang, result.number_format))
    for issue in result.issues[:SHOWN_ISSUES]:
        print(f"row {issue.row} [{issue.column}] {issue_text(issue, lang)}", file=sys.stderr)
    for issue in result.warnings[:SHOWN_ISSUES]:
        print(f"row {issue.row} [{issue.column}] {issue_text(issue, lang)}", file=sys.stderr)
    if result.issues_total > SHOWN_ISSUES:
        print(f"... {result.issues_total - SHOWN_ISSUES} more problems", file=sys.stderr)
    if args.report_out and result.issues:
        from data_access.loaders import issues_frame
        from data_access.rules.export_cells import neutralise_csv_cell

        report = issues_frame(result.issues, lang).map(neutralise_csv_cell)
        args.report_out.write_bytes(report.to_csv(index=False).encode("utf-8-sig"))
    if args.rejected_out and result.rejected_rows:
        with open(args.rejected_out, "wb") as out:
            count = write_rejected(source, result.issues, result.rejected_rows, out, lang=lang,
                                   header_row=result.header_row)
        print(f"{count} rejected rows written to {args.rejected_out}")
    state = "dry run" if result.dry_run else ("imported" if result.committed else "NOT imported (fix the problems)")
    print(f"{args.kind} {args.file.name}: {state}; read {result.rows_read}, added {result.rows_added}, "
          f"updated {result.rows_updated}, unchanged {result.rows_unchanged}, rejected {result.rows_rejected}")
    return 0 if not result.has_errors else 1


if __name__ == "__main__":
    sys.exit(main())
