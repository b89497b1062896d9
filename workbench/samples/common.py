"""Seeded fakes shared by every sample generator: people, companies, emails, phones, dates.

Everything draws from one `random.Random` per source, so a fixed seed reproduces each file byte
for byte. Iteration is always over lists or sorted keys, never over sets.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from workbench.samples.words import (
    ACCENTED_FIRST,
    ACCENTED_LAST,
    AND_NAMES,
    CITIES,
    FIRST_NAMES,
    FREE_DOMAINS,
    JOB_TITLES,
    LAST_NAMES,
    STEMS,
    STREETS,
    SUFFIXES,
    TLD,
    TRADES,
)


def rng_for(seed: int, source: str) -> random.Random:
    """One generator per source, so adding a source never shifts another's data."""
    return random.Random(f"{seed}:{source}")


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", plain.lower())


def strip_accents(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


# ---------------------------------------------------------------- companies


@dataclass
class Company:
    """A real-world business (one entity) and how it is written."""

    company_id: str  # true entity id, e.g. "CO0007"
    name: str  # canonical name without legal suffix
    country: str
    suffix: str  # canonical legal suffix ("" when none)
    domain: str
    industry: str
    employees: int
    similar_to: str = ""  # company_id of a different business with a look-alike name

    @property
    def display(self) -> str:
        return f"{self.name} {self.suffix}".strip()


def make_companies(rng: random.Random, count: int, hard_negatives: int) -> list[Company]:
    """Distinct businesses, the last `hard_negatives` of them look-alikes of earlier ones."""
    names: list[str] = []
    pool = [f"{s} {t}" for s in STEMS for t in TRADES]
    rng.shuffle(pool)
    and_names = [f"{a} {rng.choice(TRADES)}" for a in AND_NAMES]
    base = count - hard_negatives
    for i in range(base):
        names.append(and_names[i] if i < len(and_names) and i % 3 == 0 else pool.pop())
    companies: list[Company] = []
    used_domains: list[str] = []
    for i, name in enumerate(names):
        country = rng.choice(["US"] * 6 + ["GB", "GB", "DE", "FR", "NL", "ES", "AU", "CA"])
        if i % 17 == 5:
            name = f"The {name}"
        companies.append(_company(rng, i, name, country, used_domains))
    for j in range(hard_negatives):
        twin = companies[(j * 7) % base]
        core = twin.name
        variants = [
            f"{core} Group",
            f"{core} International",
            core.replace(core.split()[-1], core.split()[-1] + "s"),
            f"{core} of {rng.choice(CITIES)[0]}",
            f"New {core}",
        ]
        name = variants[j % len(variants)]
        comp = _company(rng, base + j, name, twin.country, used_domains)
        comp.similar_to = twin.company_id
        companies.append(comp)
    return companies


def _company(rng: random.Random, i: int, name: str, country: str, used: list[str]) -> Company:
    domain = f"{slug(name.removeprefix('The '))}.{TLD[country]}"
    while domain in used:
        domain = f"{slug(name)}{rng.randint(2, 99)}.{TLD[country]}"
    used.append(domain)
    suffix = rng.choice(SUFFIXES[country]) if rng.random() < 0.8 else ""
    return Company(
        f"CO{i + 1:04d}",
        name,
        country,
        suffix,
        domain,
        rng.choice(TRADES),
        rng.choice([3, 8, 12, 25, 40, 75, 150, 400, 1200]),
    )


def typo(rng: random.Random, text: str) -> str:
    """One keyboard slip: swap, drop or double a letter inside a word."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha() and 0 < i < len(text) - 1]
    if not letters:
        return text
    i = rng.choice(letters)
    kind = rng.randrange(3)
    if kind == 0 and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]


def company_mention(rng: random.Random, company: Company, messy: float = 0.45) -> tuple[str, str]:
    """How one row writes this company: (text, kind of variation)."""
    if rng.random() >= messy:
        return company.display, "canonical"
    kind = rng.choice(["case", "suffix", "no_suffix", "punct", "typo", "the", "and", "space"])
    name = company.name
    if kind == "case":
        return (company.display.upper() if rng.random() < 0.5 else company.display.lower()), kind
    if kind == "suffix":
        other = [s for s in SUFFIXES[company.country] if s != company.suffix]
        return f"{name} {rng.choice(other)}", kind
    if kind == "no_suffix":
        return name, kind
    if kind == "punct":
        return (f"{name}, {company.suffix}" if company.suffix else f"{name}."), kind
    if kind == "typo":
        return typo(rng, company.display), kind
    if kind == "the":
        if name.startswith("The "):
            return name.removeprefix("The ") + (
                f" {company.suffix}" if company.suffix else ""
            ), kind
        return f"The {company.display}", kind
    if kind == "and" and "&" in name:
        return company.display.replace("&", "and"), kind
    return f"  {company.display.replace(' ', '  ', 1)} ", "space"


def company_entries(
    rng: random.Random,
    companies: Sequence[Company],
    reentered_from: Sequence[Company],
    reentered: int,
) -> list[tuple[Company, str]]:
    """Each business once as written, plus `reentered` of `reentered_from` typed in again
    differently, shuffled: how a CRM ends up with duplicate company records."""
    entries = [(c, c.display) for c in companies]
    entries += [
        (c, company_mention(rng, c, messy=1.0)[0])
        for c in rng.sample(list(reentered_from), reentered)
    ]
    rng.shuffle(entries)
    return entries


def first_record_per_company(records: Sequence[tuple[str, Company, str]]) -> dict[str, str]:
    """The record id each business was first entered under; later records are its duplicates."""
    first: dict[str, str] = {}
    for rec_id, comp, _ in records:
        first.setdefault(comp.company_id, rec_id)
    return first


def duplicate_company_records(records: Sequence[tuple[str, Company, str]]) -> int:
    """Company records beyond the first one per business."""
    return len(records) - len({c.company_id for _, c, _ in records})


# ---------------------------------------------------------------- people


@dataclass
class Person:
    """A real person (one entity) before any row writes them."""

    person_id: str
    first: str
    last: str
    email: str  # clean, unique per person unless planted shared
    phone: str  # clean E.164-ish digits, e.g. "+14155550134"
    company: Company | None
    job_title: str
    city: tuple[str, str, str, str]
    street: str
    created: datetime


def make_people(
    rng: random.Random,
    count: int,
    companies: Sequence[Company],
    start: datetime,
    end: datetime,
    same_name_pairs: int = 0,
) -> list[Person]:
    """Distinct people; the last `same_name_pairs` share a full name with an earlier one."""
    people: list[Person] = []
    used_emails: list[str] = []
    span = int((end - start).total_seconds())
    for i in range(count):
        if i >= count - same_name_pairs:
            twin = people[(i * 13) % (count - same_name_pairs)]
            first, last = twin.first, twin.last
        else:
            first = rng.choice(ACCENTED_FIRST) if rng.random() < 0.1 else rng.choice(FIRST_NAMES)
            last = rng.choice(ACCENTED_LAST) if rng.random() < 0.1 else rng.choice(LAST_NAMES)
        company = rng.choice(companies) if companies and rng.random() < 0.72 else None
        domain = company.domain if company and rng.random() < 0.6 else rng.choice(FREE_DOMAINS)
        email = _unique_email(rng, first, last, domain, used_emails)
        city = rng.choice(CITIES)
        people.append(
            Person(
                person_id=f"P{i + 1:05d}",
                first=first,
                last=last,
                email=email,
                phone=_clean_phone(rng, city[3]),
                company=company,
                job_title=rng.choice(JOB_TITLES),
                city=city,
                street=f"{rng.randint(1, 9999)} {rng.choice(STREETS)}",
                created=start + timedelta(seconds=rng.randrange(span)),
            )
        )
    return people


def _unique_email(rng: random.Random, first: str, last: str, domain: str, used: list[str]) -> str:
    f, last_slug = slug(first) or "x", slug(last) or "y"
    local = rng.choice(
        [f"{f}.{last_slug}", f"{f[0]}{last_slug}", f"{f}{last_slug[0]}", f"{f}_{last_slug}"]
    )
    email = f"{local}@{domain}"
    n = 2
    while email in used:
        email = f"{local}{n}@{domain}"
        n += 1
    used.append(email)
    return email


def _clean_phone(rng: random.Random, country: str) -> str:
    if country in ("US", "CA"):
        return f"+1{rng.choice(['415', '512', '303', '617', '206', '305', '312', '503', '416'])}555{rng.randint(0, 9999):04d}"
    if country == "GB":
        return f"+447700{rng.randint(900000, 900999)}"
    if country == "DE":
        return f"+49301234{rng.randint(1000, 9999)}"
    if country == "FR":
        return f"+3314{rng.randint(1000000, 9999999)}"
    return (
        f"+31201234{rng.randint(100, 999)}"
        if country == "NL"
        else f"+3491{rng.randint(1000000, 9999999)}"
    )


def write_phone(rng: random.Random, phone: str) -> str:
    """A valid phone in one of the ways people type them."""
    if phone.startswith("+1"):
        a, b, c = phone[2:5], phone[5:8], phone[8:]
        return rng.choice(
            [
                f"({a}) {b}-{c}",
                f"{a}-{b}-{c}",
                f"{a}.{b}.{c}",
                f"+1 {a} {b} {c}",
                f"1{a}{b}{c}",
                f"{a}{b}{c}",
            ]
        )
    return rng.choice([phone, f"{phone[:3]} {phone[3:6]} {phone[6:]}", "00" + phone[1:]])


def excel_mangled(phone: str) -> str:
    """What Excel does to a 10+ digit phone: scientific notation, digits lost."""
    digits = re.sub(r"\D", "", phone)
    if phone.startswith("+1"):
        digits = digits[1:]
    return f"{digits[0]}.{digits[1:6]}E+{len(digits) - 1:02d}"


INVALID_PHONES = [
    "12345",
    "call me",
    "555-CALL-NOW",
    "0000000000",
    "n/a - cell",
    "+1 (555)",
    "ext 204",
    "999",
]


def invalid_email(rng: random.Random, person: Person) -> str:
    local = slug(person.first) + "." + slug(person.last)
    return rng.choice(
        [
            f"{local}@",
            f"{local}@gmail",
            f"{person.first} {person.last}@gmail.com",
            f"{local}.gmail.com",
            f"{local}@@yahoo.com",
            f"{local}@hotmail,com",
            "none",
            "unknown@",
        ]
    )


def email_case_variant(rng: random.Random, email: str) -> str:
    """The same address written differently: upper/title case, stray whitespace."""
    local, _, domain = email.partition("@")
    return rng.choice(
        [
            email.upper(),
            f" {email}",
            f"{email} ",
            f"{local.title()}@{domain.upper()}",
            f"{local.capitalize()}@{domain}",
        ]
    )


# ---------------------------------------------------------------- dates


def fmt_mixed_date(rng: random.Random, dt: datetime) -> tuple[str, str]:
    """A date written in one of several formats: (text, style)."""
    style = rng.choice(["iso", "us", "eu", "text", "dot", "iso"])
    if style == "iso":
        return dt.strftime("%Y-%m-%d"), style
    if style == "us":
        return dt.strftime("%m/%d/%Y"), style
    if style == "eu":
        return dt.strftime("%d/%m/%Y"), style
    if style == "dot":
        return dt.strftime("%d.%m.%Y"), style
    return dt.strftime("%b %d, %Y"), style


_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b")


def is_ambiguous_date(text: str) -> bool:
    """Day and month could be swapped: both parts ≤ 12 and different (03/04/2021)."""
    m = _NUMERIC_DATE.match(text or "")
    return (
        bool(m)
        and int(m.group(1)) <= 12
        and int(m.group(2)) <= 12
        and m.group(1).lstrip("0") != m.group(2).lstrip("0")
    )


def us_datetime(dt: datetime) -> str:
    """AllClients style: 2/15/2014 1:15:05 PM (no zero padding)."""
    hour = dt.hour % 12 or 12
    return f"{dt.month}/{dt.day}/{dt.year} {hour}:{dt.minute:02d}:{dt.second:02d} {'PM' if dt.hour >= 12 else 'AM'}"


# ---------------------------------------------------------------- workspace members

WORKSPACE_MEMBERS = [
    ("Alex", "Morgan", "alex.morgan@demo-agency.com"),
    ("Jordan", "Blake", "jordan.blake@demo-agency.com"),
    ("Casey", "Nguyen", "casey.nguyen@demo-agency.com"),
    ("Riley", "Okafor", "riley.okafor@demo-agency.com"),
    ("Sam", "Fischer", "sam.fischer@demo-agency.com"),
    ("Taylor", "Brooks", "taylor.brooks@demo-agency.com"),
    ("Morgan", "Ruiz", "morgan.ruiz@demo-agency.com"),
    ("Jamie", "Lindqvist", "jamie.lindqvist@demo-agency.com"),
]
# Former staff who still own records but are not in the Twenty workspace.
NON_MEMBER_OWNERS = [
    "pat.former@demo-agency.com",
    "intern2019@demo-agency.com",
    "sales@old-agency-domain.com",
]


def member_email_as_written(rng: random.Random, email: str) -> str:
    """Owner emails in exports are sometimes upper- or title-cased."""
    roll = rng.random()
    if roll < 0.1:
        return email.upper()
    if roll < 0.2:
        return email.title()
    return email


def write_workspace_members(out_dir: Path) -> None:
    members = [{"email": e, "firstName": f, "lastName": last} for f, last, e in WORKSPACE_MEMBERS]
    write_json(out_dir / "workspace_members.json", members)


# ---------------------------------------------------------------- writing


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    newline: str = "\n",
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> list[int]:
    """Write a CSV and return the physical line on which each data row starts."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=newline, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    line = 2
    starts: list[int] = []
    for row in rows:
        starts.append(line)
        before = buf.tell()
        writer.writerow(["" if v is None else str(v) for v in row])
        chunk = buf.getvalue()[before:]
        line += chunk.count("\n") if "\n" in newline else chunk.count("\r")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        fh.write(buf.getvalue())
    return starts


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n",
        encoding="utf-8",
        newline="\n",
    )


@dataclass
class Truth:
    """Ground truth collected while a source is generated, written to <source>/truth/."""

    company_mentions: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    associations: list[dict[str, Any]] = field(default_factory=list)
    columns: list[dict[str, Any]] = field(default_factory=list)
    companies: list[Company] = field(default_factory=list)

    def mention(
        self, file: str, line: int, row_id: str, column: str, text: str, company_id: str
    ) -> None:
        self.company_mentions.append(
            {
                "file": file,
                "line": line,
                "row_id": row_id,
                "column": column,
                "mention": text,
                "company_id": company_id,
            }
        )

    def person(self, file: str, line: int, row_id: str, person_id: str, dup_kind: str) -> None:
        self.people.append(
            {
                "file": file,
                "line": line,
                "row_id": row_id,
                "person_id": person_id,
                "duplicate_kind": dup_kind,
            }
        )

    def associate(self, file: str, line: int, row_id: str, **targets: str) -> None:
        self.associations.append(
            {
                "file": file,
                "line": line,
                "row_id": row_id,
                "company": targets.get("company", ""),
                "contact": targets.get("contact", ""),
                "other": targets.get("other", ""),
                "status": targets.get("status", "resolved"),
            }
        )

    def describe(self, file: str, columns: Sequence[tuple[str, str, str]]) -> None:
        for column, obj, target in columns:
            self.columns.append({"file": file, "column": column, "object": obj, "field": target})

    def describe_object(self, file: str, obj: str, fields: Sequence[tuple[str, str]]) -> None:
        """Columns of a file whose rows all land on one object: (column, field) pairs."""
        self.describe(file, [(column, obj, target) for column, target in fields])

    def write(self, truth_dir: Path, discovery: dict[str, Any]) -> None:
        def rows(items: list[dict[str, Any]]) -> list[list[Any]]:
            return [list(item.values()) for item in items]

        def dump(name: str, items: list[dict[str, Any]], header: list[str]) -> None:
            if items or header:
                write_csv(truth_dir / name, header, rows(items))

        dump(
            "company_mentions.csv",
            self.company_mentions,
            ["file", "line", "row_id", "column", "mention", "company_id"],
        )
        write_csv(
            truth_dir / "companies.csv",
            ["company_id", "name", "legal_suffix", "country", "domain", "similar_to"],
            [
                [c.company_id, c.name, c.suffix, c.country, c.domain, c.similar_to]
                for c in self.companies
            ],
        )
        dump("people.csv", self.people, ["file", "line", "row_id", "person_id", "duplicate_kind"])
        if self.notes:
            dump("notes.csv", self.notes, list(self.notes[0].keys()))
        dump(
            "associations.csv",
            self.associations,
            ["file", "line", "row_id", "company", "contact", "other", "status"],
        )
        dump("columns.csv", self.columns, ["file", "column", "object", "field"])
        write_json(truth_dir / "discovery.json", discovery)


def start_source(
    out_dir: Path, seed: int, source: str, companies: int, hard_negatives: int
) -> tuple[Path, random.Random, Truth, list[Company]]:
    """Empty the source's sample folder and draw its businesses, as every generator begins.

    Returns the folder, the source's seeded generator, its truth (holding the businesses) and
    the businesses themselves.
    """
    root = Path(out_dir) / source
    if root.exists():
        shutil.rmtree(root)
    rng = rng_for(seed, source)
    truth = Truth()
    truth.companies = make_companies(rng, companies, hard_negatives=hard_negatives)
    return root, rng, truth, truth.companies


def write_company_file(
    root: Path,
    truth: Truth,
    file: str,
    columns: Sequence[tuple[str, str]],
    name_column: str,
    records: Sequence[tuple[str, Company, str]],
    data: Sequence[Sequence[Any]],
) -> None:
    """Write a file of company records, noting which business each written name stands for."""
    starts = write_csv(root / file, [h for h, _ in columns], data)
    for (rec_id, company, text), line in zip(records, starts, strict=True):
        truth.mention(file, line, rec_id, name_column, text, company.company_id)
    truth.describe_object(file, "companies", columns)


def count_multi(values: Sequence[str], empty: Sequence[str] = ("",)) -> dict[str, int]:
    """Contacts per value of a comma/semicolon-separated column (values stripped, case kept)."""
    counts: dict[str, int] = {}
    for value in values:
        if value in empty:
            continue
        seen: list[str] = []
        for part in value.replace(";", ",").split(","):
            part = part.strip()
            if part and part not in seen:
                seen.append(part)
                counts[part] = counts.get(part, 0) + 1
    return dict(sorted(counts.items()))


def norm_name(first: str, last: str) -> str:
    """First+last as the note join compares them: accents, case and spacing ignored."""
    return " ".join(strip_accents(f"{first} {last}").casefold().split())
