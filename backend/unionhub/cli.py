"""Command line: `unionhub create-admin` (the demo data is `unionhub-dev demo-data`)."""

import argparse
import asyncio
import getpass
import sys

from unionhub.workflows.first_admin import create_admin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="unionhub", description="UnionHub maintenance commands")
    sub = parser.add_subparsers(dest="command", required=True)

    admin = sub.add_parser("create-admin", help="Create an administrator account")
    admin.add_argument("username")
    admin.add_argument("--full-name", default="Quản trị hệ thống")
    admin.add_argument(
        "--root-code", help="Found the top-level union with this code if none exists"
    )
    admin.add_argument("--root-name", help="Name of that top-level union")

    args = parser.parse_args(argv)
    if args.command == "create-admin":
        password = getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline()
        root = (args.root_code, args.root_name) if args.root_code and args.root_name else None
        asyncio.run(create_admin(args.username, args.full_name, password.strip(), root))
        print(f"created administrator {args.username}")
        return 0
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
