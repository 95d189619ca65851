"""Run the benchmarks: `python -m bench [--quick] [NAME ...]` (NAME is a module suffix, e.g. devig).

Each figure is printed on its own line as its benchmark finishes (ours, the peer's, the ratio,
the target and a note), then all of them again in one table. See bench/README.md.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

from bench.harness import Figure, table


def discover() -> list[str]:
    folder = Path(__file__).resolve().parent
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(folder)])
        if m.name.startswith("bench_")
    )


def run(names: list[str], *, quick: bool) -> list[Figure]:
    figures: list[Figure] = []
    for name in names:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"running {name} ...", file=sys.stderr, flush=True)
        measured = module.run(quick=quick)
        for figure in measured:
            print(f"  {figure.line()}", flush=True)
        figures.extend(measured)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (default: all of {', '.join(discover())})"
    )
    parser.add_argument("--quick", action="store_true", help="tiny inputs: a smoke test, not a measurement")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(discover()))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    figures = run(args.names or discover(), quick=args.quick)
    print()
    print(table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
