"""AllClients-like contact rows that mention companies, with the true company of every row.

`python -m benchmarks.matching.generate_companies [out_dir]` writes dev.csv, test.csv,
companies_dev.csv and companies_test.csv (default benchmarks/matching/data/). The dev and test
sets come from different seeds and disjoint company universes (their distinctive name words are
split between them), so a matcher tuned on dev is scored on companies it has never seen.

Row columns: contact_id, firstname, lastname, email, company, website, city, state, phone, then
the truth: true_company_id (empty for a contact with no company) and error_kinds (the
perturbations applied to this row's company name, website and email domain, `;`-separated).
"""

from __future__ import annotations

import argparse
import random
import sys
from bisect import bisect_right
from itertools import accumulate
from pathlib import Path

import polars as pl

from benchmarks.matching.names import GIVEN_NAMES, SURNAMES
from benchmarks.matching.perturb import perturb_name
from benchmarks.matching.universe import Company, ascii_fold, build_universe, universe_frame
from benchmarks.matching.words import (
    COUNTRIES,
    FREEMAIL,
    WEBSITE_PATHS,
    WEBSITE_SUBDOMAINS,
)

ROW_COLUMNS = ("contact_id", "firstname", "lastname", "email", "company", "website", "city",
               "state", "phone", "true_company_id", "error_kinds")  # fmt: skip
DEFAULT_OUT = Path(__file__).resolve().parent / "data"
PLACEHOLDERS = ("N/A", "n/a", "-", "none", "Self-employed", "Self Employed", "Retired",
                "Private", "Student", "TBD", ".")  # fmt: skip
SOCIAL = ("facebook.com/{}", "www.facebook.com/{}", "linkedin.com/company/{}",
          "instagram.com/{}", "https://www.yelp.com/biz/{}")  # fmt: skip
# Kinds the generator can label; a test checks each one occurs.
ROW_KINDS = ("website_missing", "website_social", "domain_www", "domain_scheme", "domain_path",
             "domain_subdomain", "domain_cctld", "freemail", "email_domain_differs",
             "email_missing", "empty_company", "placeholder_company")  # fmt: skip


def mention_counts(n_companies: int, n_rows: int, rng: random.Random, cap: int = 15) -> list[int]:
    """Mentions per company: at least one, a long tail up to `cap`, summing to `n_rows`."""
    if not n_companies <= n_rows <= n_companies * cap:
        raise ValueError(f"{n_rows} rows cannot cover {n_companies} companies (1..{cap} each)")
    counts = [1] * n_companies
    weights = [rng.lognormvariate(0.0, 0.85) for _ in range(n_companies)]
    cumulative = list(accumulate(weights))
    for _ in range(n_rows - n_companies):
        i = bisect_right(cumulative, rng.random() * cumulative[-1])
        i = min(i, n_companies - 1)
        counts[i] += 1
        if counts[i] == cap:  # full: no more mentions for this one
            weights[i] = 0.0
            cumulative = list(accumulate(weights))
    return counts


def _local_part(first: str, last: str, rng: random.Random, free: bool) -> str:
    f = ascii_fold(first).lower().replace(" ", "").replace("'", "")
    l_ = ascii_fold(last).lower().replace(" ", "").replace("'", "")
    local = rng.choice((f"{f}.{l_}", f"{f[0]}{l_}", f, f"{f}{l_[0]}", f"{f}_{l_}"))
    if free and rng.random() < 0.6:
        local += str(rng.randint(1, 99) if rng.random() < 0.5 else rng.randint(1950, 2005))
    return local


def _other_domain(domain: str, rng: random.Random, taken: frozenset[str]) -> str:
    """A corporate mail domain that is not the website's (old brand, ccTLD, mail host).

    Never another company's domain: that would be evidence for the wrong company, not noise.
    """
    label, _, tld = domain.partition(".")
    options = [
        f"{label}.{'net' if tld != 'net' else 'com'}",
        f"{label.replace('-', '')}{rng.choice(('group', 'corp', 'hq', 'mail'))}.{tld}",
        f"mail.{domain}",
        f"{label}.{rng.choice(('co.uk', 'de', 'com.au', 'ca', 'fr', 'com'))}",
        f"{label[: max(4, len(label) // 2)]}.{tld}",  # a short brand domain
    ]
    return rng.choice([o for o in options if o != domain and o not in taken])


def _swap_tld(domain: str, rng: random.Random, taken: frozenset[str]) -> str:
    """The domain under another country's TLD, unless that one is another company's."""
    label = domain.split(".")[0]
    tlds = [t for c in COUNTRIES.values() for t in c.tlds if not domain.endswith("." + t)]
    swapped = f"{label}.{rng.choice(tlds)}"
    return domain if swapped in taken else swapped


def _website(company: Company, rng: random.Random, kinds: list[str], taken: frozenset[str]) -> str:
    """The row's website: missing, the bare domain, or the domain dressed up as people type it."""
    slug = "".join(ch for ch in ascii_fold(company.name).lower() if ch.isalnum())
    if company.domain is None:
        if rng.random() < 0.12:
            kinds.append("website_social")
            return rng.choice(SOCIAL).format(slug)
        return ""
    if rng.random() < 0.4:
        kinds.append("website_missing")
        return ""
    if rng.random() < 0.02:
        kinds.append("website_social")
        return rng.choice(SOCIAL).format(slug)
    if rng.random() < 0.45:
        return company.domain
    host, scheme, path = company.domain, "", ""
    if rng.random() < 0.1 and (swapped := _swap_tld(host, rng, taken)) != host:
        host = swapped
        kinds.append("domain_cctld")
    if rng.random() < 0.08:
        host = f"{rng.choice(WEBSITE_SUBDOMAINS)}.{host}"
        kinds.append("domain_subdomain")
    elif rng.random() < 0.6:
        host = ("WWW." if rng.random() < 0.1 else "www.") + host
        kinds.append("domain_www")
    if rng.random() < 0.45:
        scheme = rng.choice(("http://", "https://", "https://", "HTTP://"))
        kinds.append("domain_scheme")
    if rng.random() < 0.2:
        path = rng.choice(WEBSITE_PATHS)
        kinds.append("domain_path")
    if not (scheme or path or host != company.domain):
        host = "www." + host
        kinds.append("domain_www")
    return scheme + host + path


def _phone(country: str, rng: random.Random) -> str:
    spec = COUNTRIES[country]
    digits = "".join(str(rng.randint(0, 9)) for _ in range(9 if country != "US" else 7))
    if spec.calling_code == "1":
        area = rng.randint(201, 989)
        style = rng.random()
        if style < 0.4:
            return f"({area}) {digits[:3]}-{digits[3:7]}"
        if style < 0.7:
            return f"{area}-{digits[:3]}-{digits[3:7]}"
        return f"+1 {area} {digits[:3]} {digits[3:7]}"
    if rng.random() < 0.5:
        return f"+{spec.calling_code} {digits[:2]} {digits[2:5]} {digits[5:]}"
    return f"0{digits[:2]} {digits[2:]}"


def _person(language: str, rng: random.Random) -> tuple[str, str]:
    lang = language if rng.random() < 0.8 else "en"
    return rng.choice(GIVEN_NAMES[lang]), rng.choice(SURNAMES[lang])


def mention_row(
    company: Company, rng: random.Random, taken: frozenset[str] = frozenset()
) -> dict[str, str]:
    """One contact row mentioning `company`; `taken` are the universe's domains."""
    first, last = _person(company.language, rng)
    n_errors = rng.choices((0, 1, 2, 3), (0.4, 0.35, 0.18, 0.07))[0]
    name, kinds = perturb_name(company, rng, n_errors)
    email_domain = company.domain
    if company.domain and rng.random() < 0.04:
        name, kinds = "", ["empty_company"]
    elif company.domain is None or rng.random() < 0.28:
        email_domain = rng.choice(FREEMAIL[company.country])
        kinds.append("freemail")
    elif rng.random() < 0.14:
        email_domain = _other_domain(company.domain, rng, taken)
        kinds.append("email_domain_differs")
    email = f"{_local_part(first, last, rng, 'freemail' in kinds)}@{email_domain}"
    if rng.random() < 0.03 and "empty_company" not in kinds:
        email = ""
        kinds = [k for k in kinds if k not in ("freemail", "email_domain_differs")]
        if company.domain:
            kinds.append("email_missing")
    website = _website(company, rng, kinds, taken)
    city, state = company.city, company.state
    if rng.random() < 0.15:
        city, state = rng.choice(COUNTRIES[company.country].cities)
    return {
        "firstname": first, "lastname": last, "email": email, "company": name,
        "website": website, "city": city, "state": state,
        "phone": _phone(company.country, rng),
        "true_company_id": company.company_id, "error_kinds": ";".join(kinds),
    }  # fmt: skip


def unaffiliated_row(rng: random.Random) -> dict[str, str]:
    """A contact with no employer: blank company or a placeholder, a free-mail address."""
    country = rng.choice(("US", "US", "GB", "CA", "AU", "DE"))
    first, last = _person(COUNTRIES[country].language, rng)
    placeholder = rng.random() < 0.5
    city, state = rng.choice(COUNTRIES[country].cities)
    return {
        "firstname": first, "lastname": last,
        "email": f"{_local_part(first, last, rng, True)}@{rng.choice(FREEMAIL[country])}",
        "company": rng.choice(PLACEHOLDERS) if placeholder else "", "website": "",
        "city": city, "state": state, "phone": _phone(country, rng), "true_company_id": "",
        "error_kinds": "placeholder_company" if placeholder else "",
    }  # fmt: skip


def generate_split(
    split: int, n_companies: int, n_rows: int, seed: int, unaffiliated_rate: float = 0.04
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(contact rows, company universe) for one split (0 = dev, 1 = test)."""
    rng = random.Random(seed * 7919 + split)
    companies = build_universe(n_companies, split, seed)
    n_unaffiliated = round(n_rows * unaffiliated_rate)
    counts = mention_counts(len(companies), n_rows - n_unaffiliated, rng)
    taken = frozenset(c.domain for c in companies if c.domain)
    rows = [
        mention_row(c, rng, taken) for c, k in zip(companies, counts, strict=True) for _ in range(k)
    ]
    rows += [unaffiliated_row(rng) for _ in range(n_unaffiliated)]
    rng.shuffle(rows)
    ids = rng.sample(range(100_000, 999_999), len(rows))
    for row, contact_id in zip(rows, ids, strict=True):
        row["contact_id"] = str(contact_id)
    frame = pl.DataFrame(rows, schema={c: pl.Utf8 for c in ROW_COLUMNS})
    return frame, universe_frame(companies)


def write_sets(
    out_dir: Path,
    n_companies: int = 600,
    n_rows: int = 3000,
    dev_seed: int = 20240611,
    test_seed: int = 99173,
) -> dict[str, Path]:
    """Write the dev and test sets and their company universes; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for split, (name, seed) in enumerate((("dev", dev_seed), ("test", test_seed))):
        rows, universe = generate_split(split, n_companies, n_rows, seed)
        written[name] = out_dir / f"{name}.csv"
        written[f"companies_{name}"] = out_dir / f"companies_{name}.csv"
        rows.write_csv(written[name])
        universe.write_csv(written[f"companies_{name}"])
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--companies", type=int, default=600, help="companies per split")
    parser.add_argument("--rows", type=int, default=3000, help="contact rows per split")
    parser.add_argument("--dev-seed", type=int, default=20240611)
    parser.add_argument("--test-seed", type=int, default=99173)
    args = parser.parse_args(argv)
    written = write_sets(args.out_dir, args.companies, args.rows, args.dev_seed, args.test_seed)
    for name, path in written.items():
        print(f"{name}: {path} ({pl.read_csv(path, infer_schema=False).height} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
