"""Error models: how one mention of a company's name goes wrong when a person types it.

Each model takes the mention and a seeded generator and returns the changed mention, or None when
it does not apply (no legal form to drop, a one-word name to reorder…). The caller records the
model's kind only when the rendered text actually changed, so every label is true of its row.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace

from benchmarks.matching.universe import Company, ascii_fold
from benchmarks.matching.words import (
    ABBREVIATIONS,
    ADDED_WORDS,
    COUNTRIES,
    SUFFIX_SWAPS,
    SUFFIX_VARIANTS,
)

_SHORT_TO_FULL = {short: full for full, shorts in ABBREVIATIONS.items() for short in shorts}
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS: dict[str, str] = {}
for _r, _row in enumerate(_KEYBOARD_ROWS):
    for _c, _ch in enumerate(_row):
        _near = [_row[i] for i in (_c - 1, _c + 1) if 0 <= i < len(_row)]
        for _other in (_r - 1, _r + 1):
            if 0 <= _other < len(_KEYBOARD_ROWS):
                _near += [_KEYBOARD_ROWS[_other][i] for i in (_c - 1, _c, _c + 1)
                         if 0 <= i < len(_KEYBOARD_ROWS[_other])]  # fmt: skip
        _NEIGHBOURS[_ch] = "".join(_near)


@dataclass(frozen=True)
class Mention:
    """A company name as typed on one contact row, still in parts."""

    the: bool
    words: tuple[str, ...]
    suffix: str | None
    language: str
    country: str
    city: str = ""
    domain: str | None = None
    qualifier: str | None = None  # branch or department typed after the name

    @classmethod
    def of(cls, company: Company) -> Mention:
        return cls(company.the, tuple(company.words), company.suffix, company.language,
                   company.country, company.city, company.domain)  # fmt: skip

    def render(self) -> str:
        text = " ".join((["The"] if self.the else []) + list(self.words))
        if self.suffix:
            text += self.suffix if self.suffix.startswith(",") else f" {self.suffix}"
        return f"{text} {self.qualifier}" if self.qualifier else text


def _suffix_added(m: Mention, rng: random.Random) -> Mention | None:
    if m.suffix:
        return None
    return replace(m, suffix=rng.choice(COUNTRIES[m.country].suffixes))


def _suffix_dropped(m: Mention, rng: random.Random) -> Mention | None:
    return replace(m, suffix=None) if m.suffix else None


def _suffix_swapped(m: Mention, rng: random.Random) -> Mention | None:
    if not m.suffix:
        return None
    options = [s for s in SUFFIX_SWAPS[m.language] if s != m.suffix]
    return replace(m, suffix=rng.choice(options))


def _suffix_variant(m: Mention, rng: random.Random) -> Mention | None:
    if not m.suffix or m.suffix not in SUFFIX_VARIANTS:
        return None
    return replace(m, suffix=rng.choice(SUFFIX_VARIANTS[m.suffix]))


def _leading_the(m: Mention, rng: random.Random) -> Mention | None:
    return replace(m, the=not m.the) if m.language == "en" else None


def _word_added(m: Mention, rng: random.Random) -> Mention | None:
    extra = rng.choice([w for w in ADDED_WORDS if w not in m.words])
    return replace(m, words=m.words + (extra,))


def _word_dropped(m: Mention, rng: random.Random) -> Mention | None:
    content = [i for i, w in enumerate(m.words) if w not in ("&", "and")]
    if len(content) < 2:
        return None
    drop = rng.choice(content[1:])
    words = [w for i, w in enumerate(m.words) if i != drop]
    while words and words[-1] in ("&", "and"):
        words.pop()
    return replace(m, words=tuple(words))


def _abbreviation(m: Mention, rng: random.Random) -> Mention | None:
    spots = [i for i, w in enumerate(m.words) if w in ABBREVIATIONS or w in _SHORT_TO_FULL]
    if not spots:
        return None
    i = rng.choice(spots)
    word = m.words[i]
    new = rng.choice(ABBREVIATIONS[word]) if word in ABBREVIATIONS else _SHORT_TO_FULL[word]
    return replace(m, words=m.words[:i] + (new,) + m.words[i + 1 :])


def _ampersand(m: Mention, rng: random.Random) -> Mention | None:
    swap = {"&": "and", "and": "&", "And": "&"}
    if not any(w in swap for w in m.words):
        if m.language == "en" and len(m.words) >= 2 and m.words[-1] in ("Sons", "Partners"):
            return replace(m, words=m.words[:-1] + ("&", m.words[-1]))
        return None
    return replace(m, words=tuple(swap.get(w, w) for w in m.words))


def _initials(m: Mention, rng: random.Random) -> Mention | None:
    letters = [w[0].upper() for w in m.words if w[:1].isalpha() and w not in ("and", "of")]
    if len(letters) < 2:
        return None
    style = rng.random()
    if style < 0.5:
        text = "".join(letters)
    elif style < 0.8:
        text = ".".join(letters) + "."
    else:
        text = " ".join(letters)
    suffix = m.suffix if rng.random() < 0.5 else None
    return replace(m, the=False, words=(text,), suffix=suffix)


def _word_order(m: Mention, rng: random.Random) -> Mention | None:
    words = list(m.words)
    joiners = [i for i, w in enumerate(words) if w in ("&", "and")]
    if joiners:  # "Baker & Howell Associates" -> "Howell & Baker Associates"
        cut = joiners[0]
        tail = [words.pop()] if words[-1] in ("Sons", "Associates", "Partners", "Company") else []
        left, right = words[:cut], words[cut + 1 :]
        if not right:
            return None
        words = right + [words[cut]] + left + tail
    elif len(words) >= 3:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    elif len(words) == 2:  # directory style: "Plumbing, Hartley"
        words = [words[1] + ",", words[0]]
    else:
        return None
    return replace(m, words=tuple(words))


def _diacritics(m: Mention, rng: random.Random) -> Mention | None:
    german = m.language == "de" and rng.random() < 0.5
    return replace(m, words=tuple(ascii_fold(w, german) for w in m.words))


def _qualifier(m: Mention, rng: random.Random) -> Mention | None:
    templates = ("- Accounts Payable", "(Head Office)", "- {city}", "({country})", "(HQ)",
                 "/ Marketing Dept", "- {city} office", "- Sales", "c/o Reception")  # fmt: skip
    return replace(m, qualifier=rng.choice(templates).format(city=m.city, country=m.country))


def _name_is_domain(m: Mention, rng: random.Random) -> Mention | None:
    if not m.domain:
        return None
    style = rng.random()
    text = m.domain.capitalize() if style < 0.4 else m.domain
    text = "www." + text if style > 0.8 else text
    return replace(m, the=False, words=(text,), suffix=None)


STRUCTURAL: dict[str, Callable[[Mention, random.Random], Mention | None]] = {
    "suffix_added": _suffix_added,
    "suffix_dropped": _suffix_dropped,
    "suffix_swapped": _suffix_swapped,
    "suffix_variant": _suffix_variant,
    "leading_the": _leading_the,
    "word_added": _word_added,
    "word_dropped": _word_dropped,
    "abbreviation": _abbreviation,
    "ampersand": _ampersand,
    "initials": _initials,
    "word_order": _word_order,
    "diacritics": _diacritics,
    "qualifier": _qualifier,
    "name_is_domain": _name_is_domain,
}
WHOLE_NAME = ("initials", "name_is_domain")  # replace the name: applied before the others


def _letter_positions(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if ch.isalpha()]


def typo_keyboard(text: str, rng: random.Random) -> str:
    spots = [i for i in _letter_positions(text) if text[i].lower() in _NEIGHBOURS]
    if not spots:
        return text
    i = rng.choice(spots)
    new = rng.choice(_NEIGHBOURS[text[i].lower()])
    return text[:i] + (new.upper() if text[i].isupper() else new) + text[i + 1 :]


def typo_transpose(text: str, rng: random.Random) -> str:
    spots = [i for i in range(1, len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()]
    if not spots:
        return text
    i = rng.choice(spots)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def typo_omission(text: str, rng: random.Random) -> str:
    spots = _letter_positions(text)[1:]
    if len(spots) < 4:
        return text
    i = rng.choice(spots)
    return text[:i] + text[i + 1 :]


def typo_double(text: str, rng: random.Random) -> str:
    spots = _letter_positions(text)
    if not spots:
        return text
    i = rng.choice(spots)
    return text[: i + 1] + text[i] + text[i + 1 :]


def case_noise(text: str, rng: random.Random) -> str:
    style = rng.random()
    if style < 0.4:
        return text.upper()
    if style < 0.75:
        return text.lower()
    return text.title()


def whitespace_noise(text: str, rng: random.Random) -> str:
    style = rng.random()
    gaps = [i for i, ch in enumerate(text) if ch == " "]
    if style < 0.3 or not gaps:
        return rng.choice(("  ", " ", "\u00a0")) + text + rng.choice((" ", "  ", "\t"))
    i = rng.choice(gaps)
    if style < 0.6:
        return text[:i] + rng.choice(("  ", "   ", "\u00a0")) + text[i + 1 :]
    if style < 0.8:
        return text[:i] + text[i + 1 :]  # words run together (BluePeak)
    return text.replace(" ", "  ")


def mojibake(text: str, rng: random.Random) -> str:
    """UTF-8 bytes read back as Windows-1252, as a mis-declared CSV export does (Ã¶ for ö)."""
    raw = text.encode("utf-8")
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


TEXTUAL: dict[str, Callable[[str, random.Random], str]] = {
    "typo_keyboard": typo_keyboard,
    "typo_transpose": typo_transpose,
    "typo_omission": typo_omission,
    "typo_double": typo_double,
    "case_noise": case_noise,
    "whitespace_noise": whitespace_noise,
    "mojibake": mojibake,
}

# How often each model is drawn when a mention is perturbed (relative weights).
NAME_WEIGHTS: dict[str, float] = {
    "suffix_added": 6, "suffix_dropped": 10, "suffix_swapped": 3, "suffix_variant": 10,
    "leading_the": 2, "word_added": 3, "word_dropped": 3, "abbreviation": 5, "ampersand": 3,
    "initials": 2, "word_order": 1.5, "diacritics": 3, "typo_keyboard": 5,
    "typo_transpose": 4, "typo_omission": 3, "typo_double": 2, "case_noise": 6,
    "whitespace_noise": 5, "qualifier": 2, "name_is_domain": 1.5, "mojibake": 2,
}  # fmt: skip


def _family(kind: str) -> str:
    """Models of one family exclude each other: a later one would hide the earlier's effect."""
    if kind in WHOLE_NAME:
        return "whole"
    return kind.split("_")[0] if kind.startswith(("suffix_", "typo_")) else kind


def _reshapes(kind: str) -> bool:
    return kind in STRUCTURAL and kind != "qualifier"


def perturb_name(company: Company, rng: random.Random, n_errors: int) -> tuple[str, list[str]]:
    """The company's name with up to `n_errors` errors, and the kinds that changed it."""
    base = Mention.of(company)
    probe = random.Random(0)  # applicability checks must not shift the seeded stream
    # A weighted random order of all models (Efraimidis-Spirakis keys); the first that apply win.
    keys = {k: rng.random() ** (1.0 / w) for k, w in NAME_WEIGHTS.items()}
    selected: list[str] = []
    for kind in sorted(NAME_WEIGHTS, key=keys.__getitem__, reverse=True):
        if len(selected) == n_errors:
            break
        if _family(kind) in {_family(k) for k in selected}:
            continue
        if (
            _reshapes(kind)
            and any(_reshapes(k) for k in selected)
            and "name_is_domain" in (kind, *selected)
        ):
            continue  # a name typed as its domain keeps no legal form, "The" or extra word
        if kind in STRUCTURAL and STRUCTURAL[kind](base, probe) is None:
            continue
        selected.append(kind)
    # whole-name replacements first, then a dropped word (so no later change is dropped with it),
    # then the other structural models, then typing noise
    selected.sort(key=lambda k: (k not in WHOLE_NAME, k != "word_dropped", k in TEXTUAL))
    mention, applied = base, []
    for kind in (k for k in selected if k in STRUCTURAL):
        changed = STRUCTURAL[kind](mention, rng)
        if changed is not None and changed.render() != mention.render():
            mention = changed
            applied.append(kind)
    text = mention.render()
    for kind in (k for k in selected if k in TEXTUAL):
        changed_text = TEXTUAL[kind](text, rng)
        if changed_text != text:
            text = changed_text
            applied.append(kind)
    return text, applied
