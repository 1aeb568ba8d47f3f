"""Command line: `unionhub demo-data`, `unionhub create-admin`."""

import argparse
import asyncio
import getpass
import sys

from unionhub.demo.generator import load_demo
from unionhub.workflows.first_admin import create_admin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="unionhub", description="UnionHub maintenance commands")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser(
        "demo-data", help="Load the Tiền Giang / Đồng Tháp demo data (idempotent)"
    )
    demo.add_argument("--seed", type=int, default=2018, help="Random seed (same seed, same data)")
    demo.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="Fraction of full size (1.0 = about 1,400 grassroots unions, 110,000 members)",
    )
    demo.add_argument(
        "--members",
        type=int,
        default=None,
        help="Members in all (default: 110,000 x scale); the union tree keeps its scale",
    )
    demo.add_argument(
        "--enterprises",
        type=int,
        default=None,
        help="Enterprises in all (default: one per enterprise union, plus 30%% without one)",
    )

    admin = sub.add_parser("create-admin", help="Create an administrator account")
    admin.add_argument("username")
    admin.add_argument("--full-name", default="Quản trị hệ thống")
    admin.add_argument(
        "--root-code", help="Found the top-level union with this code if none exists"
    )
    admin.add_argument("--root-name", help="Name of that top-level union")

    args = parser.parse_args(argv)
    if args.command == "demo-data":
        summary = asyncio.run(
            load_demo(
                seed=args.seed,
                scale=args.scale,
                members=args.members,
                enterprises=args.enterprises,
            )
        )
        print(summary)
        return 0
    if args.command == "create-admin":
        password = getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline()
        root = (args.root_code, args.root_name) if args.root_code and args.root_name else None
        asyncio.run(create_admin(args.username, args.full_name, password.strip(), root))
        print(f"created administrator {args.username}")
        return 0
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
