"""Deterministic, deliberately messy sample exports with ground truth, one module per source.

`generate_all(out_dir, seed)` writes every source's export and its truth/ folder; the same seed
reproduces every file byte for byte.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

SAMPLE_SOURCES = ("kartra", "allclients", "smartcrm", "altcraft")
DEFAULT_SEED = 20240501


def generate_all(
    out_dir: Path, seed: int = DEFAULT_SEED, sources: list[str] | None = None
) -> list[str]:
    """Generate the named sources (default: all, Salesmate too when its generator exists)."""
    from workbench.samples.common import write_workspace_members
    from workbench.samples.readme import write_readme

    out_dir = Path(out_dir)
    wanted = list(sources or SAMPLE_SOURCES)
    if sources is None and importlib.util.find_spec("workbench.samples.salesmate") is not None:
        wanted.append("salesmate")
    for name in wanted:
        importlib.import_module(f"workbench.samples.{name}").generate(out_dir, seed)
    write_workspace_members(out_dir)
    write_readme(out_dir)
    return wanted


__all__ = ["DEFAULT_SEED", "SAMPLE_SOURCES", "generate_all"]
