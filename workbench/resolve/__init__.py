"""Resolution: company dedupe, duplicate people, joins, associations, owners, review → LoadPlan."""

from workbench.resolve.associations import Resolution, Resolver
from workbench.resolve.batch import dedupe_companies_file, join_notes_file
from workbench.resolve.blocking import DEFAULT_RULES, BlockingRule, CompanyRules, name_scores
from workbench.resolve.companies import (
    CompanyClusters,
    PairMetrics,
    dedupe_companies,
    pairwise_metrics,
)
from workbench.resolve.decisions import (
    Decisions,
    load_decisions,
    pair_id,
    read_decisions,
    save_decisions,
)
from workbench.resolve.merging import merge_payloads
from workbench.resolve.normalise import (
    domain_from_email,
    domain_from_url,
    is_free_mail,
    normalise_company_name,
    normalise_email,
    normalise_person_name,
)
from workbench.resolve.notes import join_notes, join_to_contacts
from workbench.resolve.owners import match_owners, owner_queue
from workbench.resolve.people import PeopleDuplicates, dedupe_people
from workbench.resolve.plan import (
    ObjectInfo,
    PlanParams,
    Resolved,
    build_load_plan,
    objects_info,
    resolve_staged,
)
from workbench.resolve.review import ReviewWidget

resolve = build_load_plan  # the name docs/architecture.md gives the stage's entry point

__all__ = [
    "DEFAULT_RULES",
    "BlockingRule",
    "CompanyClusters",
    "CompanyRules",
    "Decisions",
    "ObjectInfo",
    "PairMetrics",
    "PeopleDuplicates",
    "PlanParams",
    "Resolution",
    "Resolved",
    "Resolver",
    "ReviewWidget",
    "build_load_plan",
    "dedupe_companies",
    "dedupe_companies_file",
    "dedupe_people",
    "domain_from_email",
    "domain_from_url",
    "is_free_mail",
    "join_notes",
    "join_notes_file",
    "join_to_contacts",
    "load_decisions",
    "match_owners",
    "merge_payloads",
    "name_scores",
    "normalise_company_name",
    "normalise_email",
    "normalise_person_name",
    "objects_info",
    "owner_queue",
    "pair_id",
    "pairwise_metrics",
    "read_decisions",
    "resolve",
    "resolve_staged",
    "save_decisions",
]
