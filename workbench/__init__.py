"""Twenty Migration Workbench."""
