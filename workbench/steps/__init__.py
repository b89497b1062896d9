"""One module per notebook: the run-folder plumbing and the tables a notebook shows.

Each stage's logic lives in its own package (sources, discovery, mapping, resolve, twenty,
load, reports); a step reads the previous notebook's artifacts from the run folder, calls the
stage, writes its own artifacts, and hands the notebook frames and figures to display.
"""
