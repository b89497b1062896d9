"""Load stage: the ledger, the loader, reconciliation and rollback."""

from workbench.load.ledger import LEDGER_FILE, Ledger, ledger_path, payload_hash
from workbench.load.loader import LINK_ONLY_TARGETS, check_plan, run_load, sample_quotas
from workbench.load.reconcile import PhaseCheck, Reconciliation, check_phase, reconcile
from workbench.load.report import LoadReport, PhaseReport
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
    "check_plan",
    "ledger_path",
    "payload_hash",
    "reconcile",
    "rollback",
    "run_load",
    "sample_quotas",
]
