"""Command line for accounts: ``python -m data_access.users create-admin NAME``.

The first administrator of a production database comes from here; everything else is
done on the Users page. The password is read from a prompt (twice) or, with
``--password-stdin``, from the first line of standard input (for scripts). It is never
echoed, logged or audited.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from data_access.access.users import UserError, create_admin
from data_access.db import database_url, ensure_database, session_scope


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise SystemExit("error: the passwords differ")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_access.users", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    admin = commands.add_parser("create-admin", help="create an administrator account")
    admin.add_argument("login", help="the login name (no spaces)")
    admin.add_argument("--display-name", help="the name shown in the app (default: the login)")
    admin.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    admin.add_argument("--database-url", help="default: DATABASE_URL, else the sample SQLite file")
    args = parser.parse_args(argv)

    url = args.database_url or database_url()
    password = _password(args.password_stdin)
    ensure_database(url)
    try:
        with session_scope(url) as session:
            user = create_admin(session, args.login, password, display_name=args.display_name)
            login = user.login
    except UserError as error:
        print(f"error: {error.code.replace('_', ' ').replace('pw.', 'password ')}", file=sys.stderr)
        return 2
    print(f"administrator {login} created")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
