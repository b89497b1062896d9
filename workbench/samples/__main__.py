"""Regenerate every sample export: `python -m workbench.samples [--out data/samples] [--seed N]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.samples import DEFAULT_SEED, SAMPLE_SOURCES, generate_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workbench.samples", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("data/samples"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--source",
        action="append",
        choices=[*SAMPLE_SOURCES, "salesmate"],
        help="only these sources (repeatable); default: all",
    )
    args = parser.parse_args(argv)
    done = generate_all(args.out, args.seed, sources=args.source)
    print(f"wrote {', '.join(done)} under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
