"""`python -m bench.evaluation`: docs/EVALUATION.md and its calibration plots, in one run.

``--quick`` runs two small slices of two leagues instead of the five leagues (for tests);
``--jobs`` replays that many leagues at once.

    python -m bench.evaluation [--out docs/EVALUATION.md] [--quick] [--data ../shared/data] [--jobs 2]
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bench.evaluation.leagues import DATA, ROOT
from bench.evaluation.report import build


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.evaluation", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "EVALUATION.md")
    parser.add_argument("--quick", action="store_true", help="a tiny run on two slices (for tests)")
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--jobs", type=int, default=2, help="leagues replayed at once")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S", stream=sys.stderr
    )
    build(args.out, quick=args.quick, data=args.data, jobs=args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
