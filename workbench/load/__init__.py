"""Load stage: the ledger, the loader, reconciliation and rollback."""

from workbench.load.ledger import LEDGER_FILE, Ledger, ledger_path, payload_hash
from workbench.load.loader import (
    LINK_ONLY_TARGETS,
    LoadReport,
    PhaseReport,
    run_load,
    sample_quotas,
)
from workbench.load.reconcile import PhaseCheck, Reconciliation, check_phase, reconcile
from workbench.load.rollback import RollbackReport, rollback

__all__ = [
    "LEDGER_FILE",
    "LINK_ONLY_TARGETS",
    "Ledger",
    "LoadReport",
    "PhaseCheck",
    "PhaseReport",
    "Reconciliation",
    "RollbackReport",
    "check_phase",
    "ledger_path",
    "payload_hash",
    "reconcile",
    "rollback",
    "run_load",
    "sample_quotas",
]
