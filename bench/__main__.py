"""`python -m bench <part>`: generate, run, load, weight, phone, explain, lighthouse, report,
all."""

from __future__ import annotations

import argparse
import sys

import bench


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parts = parser.add_subparsers(dest="part", required=True)

    def part(name: str, help_: str, db: bool = True) -> argparse.ArgumentParser:
        sub = parts.add_parser(name, help=help_)
        if db:
            sub.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
        return sub

    gen = part("generate", "build the bench database (deterministic, Random(7))")
    gen.add_argument("--scale", choices=("full", "small"), default="full")
    run = part("run", "in-process latency and SQL statements per request (Flask test client)")
    run.add_argument("--only", default="", help="comma-separated page names")
    run.add_argument("--n", type=int, default=200, help="requests per fast page")
    run.add_argument("--quiet-load", type=float, default=None,
                     help="before each page, wait up to 90 s for the 1-min load to fall below")
    load = part("load", "gunicorn on loopback under wrk, 8 connections")
    load.add_argument("--seconds", type=int, default=10)
    load.add_argument("--workers", default="2,4")
    load.add_argument("--only", default="", help="comma-separated page names")
    part("weight", "compressed bytes and request counts of a cold load, fragment sizes")
    phone = part("phone", "Chromium with slow-4G and 4x CPU throttling: LCP and tap round trips")
    phone.add_argument("--runs", type=int, default=5)
    phone.add_argument("--only", default="", help="comma-separated page names")
    explain = part("explain", "query plans of the statements slower than --min-ms, per page")
    explain.add_argument("--only", default="", help="comma-separated page names")
    explain.add_argument("--min-ms", type=float, default=5.0)
    explain.add_argument("--profile", action="store_true", help="cProfile one request too")
    lighthouse = part("lighthouse", "Lighthouse (npm, mobile) scores of every key page, on the "
                                    "demo data set", db=False)
    lighthouse.add_argument("--runs", type=int, default=1,
                            help="runs per page; the median performance run is kept")
    lighthouse.add_argument("--only", default="", help="comma-separated key page names")
    demo_phone = part("demo-phone", "LCP of key pages of the demo (product photos included) on "
                                    "the emulated phone", db=False)
    demo_phone.add_argument("--only", default="", help="comma-separated key page names")
    part("report", "write bench/out/results.md and results.json from the saved parts", db=False)
    every = part("all", "generate (unless the database exists), run, explain, load, weight, "
                        "phone, report")
    every.add_argument("--scale", choices=("full", "small"), default="full")
    every.add_argument("--seconds", type=int, default=10)
    every.add_argument("--skip", default="", help="parts to leave out, e.g. load,phone")
    return parser


def _names(raw: str) -> list[str]:
    return [n.strip() for n in raw.split(",") if n.strip()]


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    bench.OUT.mkdir(parents=True, exist_ok=True)
    if args.part == "generate":
        from bench.generate import generate

        generate(args.db, args.scale)
    elif args.part == "run":
        from bench.inprocess import run

        run(args.db, only=_names(args.only), n=args.n, quiet_load=args.quiet_load)
    elif args.part == "load":
        from bench.load import run_load

        run_load(args.db, seconds=args.seconds, workers=[int(w) for w in _names(args.workers)],
                 only=_names(args.only))
    elif args.part == "weight":
        from bench.weight import run_weight

        run_weight(args.db)
    elif args.part == "phone":
        from bench.phone import run_phone

        run_phone(args.db, runs=args.runs, only=_names(args.only))
    elif args.part == "explain":
        from bench.explain import run_explain

        run_explain(args.db, only=_names(args.only), min_ms=args.min_ms, profile=args.profile)
    elif args.part == "lighthouse":
        from bench.lighthouse import run_lighthouse

        run_lighthouse(runs=args.runs, only=_names(args.only))
    elif args.part == "demo-phone":
        from bench.demo_phone import run_demo_phone

        run_demo_phone(only=_names(args.only))
    elif args.part == "report":
        from bench.report import write_report

        write_report()
    else:
        _all(args)


def _all(args) -> None:
    from bench.generate import existing, generate
    from bench.report import write_report

    skip = set(_names(args.skip))
    record = existing(args.db)
    if record is None or record.get("scale") != args.scale:
        generate(args.db, args.scale)
    else:
        bench.log(f"Using the existing {record['scale']} {args.db} database "
                  f"(generated {record['generated_at']})")
    if "run" not in skip:
        from bench.inprocess import run

        run(args.db)
    if "explain" not in skip:
        from bench.explain import run_explain

        run_explain(args.db)
    if "load" not in skip:
        from bench.load import run_load

        run_load(args.db, seconds=args.seconds)
    if "weight" not in skip:
        from bench.weight import run_weight

        run_weight(args.db)
    if "phone" not in skip:
        from bench.phone import run_phone

        run_phone(args.db)
    write_report()


if __name__ == "__main__":
    sys.exit(main())
