"""Command line of the development tools: `unionhub-dev demo-data`.

(`unionhub create-admin` is the production command line; the benchmark is
`python -m unionhub_dev.bench`.)
"""

import argparse
import asyncio

from unionhub_dev.demo.generator import load_demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="unionhub-dev", description="UnionHub development commands"
    )
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
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
