"""Company dedupe at scale: 100,000 generated company mentions with true entities.

Prints the time and pairwise precision/recall of `dedupe_companies`, then puts the same data
through recordlinkage (blocked, Jaro-Winkler on the normalised name, connected components) as a
reference point. Run: .venv/bin/python benchmarks/bench_resolve.py [--rows 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import time

import polars as pl

from workbench.resolve.companies import dedupe_companies, pairwise_metrics
from workbench.resolve.normalise import normalise_company_name

SURNAMES = (
    "Miller Smith Johnson Brown Garcia Martinez Anderson Taylor Thomas Moore Jackson Martin "
    "Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Green "
    "Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Torres Parker "
    "Collins Edwards Stewart Morris Murphy Cook Rogers Morgan Peterson Cooper Reed Bailey Bell "
    "Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray James Hughes Price Sanders "
    "Myers Long Ross Foster Powell Jenkins Perry Russell Sullivan Fisher Henderson Coleman "
    "Müller Schmidt Schneider Fischer Weber Becker Wagner Hoffmann Dubois Lefèvre Moreau Girard "
    "Rossi Russo Bianchi Romano Ivanov Petrov Sokolov Novak Kowalski Nowak Jansen Bakker "
    "Andersson Johansson Nielsen Hansen Silva Santos Oliveira Pereira Costa Sánchez Ramírez"
).split()
ADJECTIVES = (
    "Blue Red Green Silver Golden Northern Southern Eastern Western Bright Rapid Summit Prime "
    "Pioneer Evergreen Clear Pacific Atlantic Alpine Coastal Urban Royal Global United Modern "
    "Classic Future Smart Swift Iron Stone Oak Maple Cedar Pine River Lake Harbor Valley Ridge "
    "Sunrise Sunset Crystal Liberty Heritage Keystone Landmark Horizon Vertex Apex Zenith Nova"
).split()
NOUNS = (
    "Bridge Peak Point Path Gate Field Wave Star Stream Rock Tree Leaf Hawk Eagle Fox Wolf Bear "
    "Lion Arrow Anchor Beacon Castle Crown Forge Harvest Haven Lantern Mill Orchard Shield Spark "
    "Tower Trail Vista Works Circle Square Line Craft Bay Creek Falls Hollow Meadow Springs"
).split()
TRADES = (
    "Consulting Logistics Solutions Systems Technologies Partners Media Design Studio Labs "
    "Capital Ventures Holdings Foods Bakery Construction Engineering Dental Health Wealth Legal "
    "Realty Properties Insurance Analytics Software Energy Motors Marketing Travel Fitness "
    "Pharma Textiles Electric Plumbing Roofing Landscaping Printing Security Networks Trading"
).split()
SUFFIXES = (
    "Inc.|Inc|LLC|L.L.C.|Ltd|Ltd.|Limited|Corp.|Corporation|Co.|GmbH|AG|S.A.|SARL|S.r.l.|"
    "B.V.|N.V.|Pty Ltd|Oy|AB|A/S|plc|S.p.A.|KG|Sp. z o.o."
).split("|")
ABBREVIATIONS = {"International": "Intl", "Technologies": "Tech", "Brothers": "Bros"}


def _base_name(rng: random.Random) -> str:
    pattern = rng.random()
    if pattern < 0.3:
        return f"{rng.choice(SURNAMES)} {rng.choice(TRADES)}"
    if pattern < 0.55:
        return f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(TRADES)}"
    if pattern < 0.7:
        return f"{rng.choice(SURNAMES)} & {rng.choice(SURNAMES)}"
    if pattern < 0.8:
        return f"{rng.choice(SURNAMES)} Brothers {rng.choice(TRADES)}"
    if pattern < 0.9:
        return f"{rng.choice(ADJECTIVES)}{rng.choice(NOUNS).lower()} {rng.choice(TRADES)}"
    return f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} International"


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiounrst") + word[i + 1 :]


def _variant(name: str, suffix: str | None, rng: random.Random) -> str:
    words = name.split()
    if rng.random() < 0.15:
        words = [ABBREVIATIONS.get(w, w) for w in words]
    if rng.random() < 0.12:
        position = max(range(len(words)), key=lambda k: len(words[k]))
        words[position] = _typo(words[position], rng)
    text = " ".join(words)
    if rng.random() < 0.2:
        text = text.replace("&", "and") if "&" in text else text.replace(" and ", " & ")
    if rng.random() < 0.1:
        text = "The " + text
    if suffix and rng.random() < 0.6:
        text = (
            f"{text}{',' if rng.random() < 0.3 else ''} {rng.choice([suffix, suffix.rstrip('.')])}"
        )
    elif rng.random() < 0.1:
        text = f"{text} {rng.choice(SUFFIXES)}"
    case = rng.random()
    if case < 0.1:
        text = text.upper()
    elif case < 0.2:
        text = text.lower()
    if rng.random() < 0.1:
        text = f"  {text.replace(' ', '  ', 1)} "
    return text


def generate_companies(rows: int, seed: int) -> pl.DataFrame:
    """`rows` company mentions: name as written, contact email, true company id."""
    rng = random.Random(seed)
    names: list[str] = []
    emails: list[str | None] = []
    truth: list[str] = []
    seen: set[str] = set()
    entity = 0
    while len(names) < rows:
        base = _base_name(rng)
        key = normalise_company_name(base)
        identity = "".join(sorted(key.split()))  # "A & B" and "B & A" are one company
        if identity in seen or key.replace(" ", "") in seen:
            continue
        seen.update((identity, key.replace(" ", "")))
        entity += 1
        domain = key.replace(" ", "")[:20] + rng.choice([".com", ".com", ".net", ".de", ".co.uk"])
        suffix = rng.choice(SUFFIXES) if rng.random() < 0.7 else None
        for _ in range(min(rows - len(names), 1 + int(rng.expovariate(0.5)))):
            names.append(_variant(base, suffix, rng))
            kind = rng.random()
            emails.append(
                f"person{len(names)}@{domain}"
                if kind < 0.4
                else f"person{len(names)}@gmail.com"
                if kind < 0.7
                else None
            )
            truth.append(f"E{entity}")
    order = list(range(rows))
    rng.shuffle(order)
    return pl.DataFrame(
        {
            "Company": [names[i] for i in order],
            "Email": [emails[i] for i in order],
            "truth": [truth[i] for i in order],
        }
    )


def run_recordlinkage(frame: pl.DataFrame) -> tuple[float, object]:
    """The reference point: recordlinkage with sorted-neighbourhood blocking."""
    import recordlinkage

    started = time.perf_counter()
    data = frame.select(
        pl.col("Company").map_elements(normalise_company_name, return_dtype=pl.Utf8).alias("name")
    ).to_pandas()
    indexer = recordlinkage.Index()
    indexer.sortedneighbourhood("name", window=9)
    candidates = indexer.index(data)
    compare = recordlinkage.Compare()
    compare.string("name", "name", method="jarowinkler", threshold=0.93, label="name")
    features = compare.compute(candidates, data)
    matches = features[features["name"] == 1].index
    parent = list(range(len(data)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in matches:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    labels = [find(i) for i in range(len(data))]
    elapsed = time.perf_counter() - started
    return elapsed, pairwise_metrics(labels, frame["truth"].to_list())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-recordlinkage", action="store_true")
    args = parser.parse_args()

    frame = generate_companies(args.rows, args.seed)
    print(f"{frame.height} mentions of {frame['truth'].n_unique()} companies")
    started = time.perf_counter()
    result = dedupe_companies(frame, "Company", email_col="Email")
    elapsed = time.perf_counter() - started
    metrics = result.metrics(frame["truth"].to_list())
    print(
        f"workbench dedupe_companies: {elapsed:.1f} s, {result.clusters.height} clusters, "
        f"{result.review.height} pairs for review; {metrics}"
    )
    if not args.skip_recordlinkage:
        rl_elapsed, rl_metrics = run_recordlinkage(frame)
        print(
            f"recordlinkage (sorted neighbourhood w=9, Jaro-Winkler ≥0.93): {rl_elapsed:.1f} s; {rl_metrics}"
        )


if __name__ == "__main__":
    main()
