"""Rebuild relations: a staged ref (source id, email or name) → the plan record it points at.

By source id first; by email (normalised); by name — a company name normalised exactly as in
dedupe and looked up among the clusters (a near-identical spelling is accepted only when it
clears the merge threshold against one cluster), a contact's first + last name only when it
names exactly one person. Whatever does not resolve comes back with its reason, for the queue.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from workbench.resolve.blocking import (
    DEFAULT_RULES,
    CompanyRules,
    base_scores,
    capped_score,
    word_checks,
)
from workbench.resolve.normalise import (
    normalise_company_name,
    normalise_email,
    normalise_person_name,
)
from workbench.resolve.owners import member_index

WORKSPACE_MEMBERS = "workspaceMembers"
TWENTY_PREFIX = "twenty:"


@dataclass(frozen=True)
class Resolution:
    """Where a ref points (`key`: a plan record key or `twenty:<uuid>`), how, and why not."""

    key: str | None
    how: str | None
    reason: str
    candidates: tuple[str, ...] = ()  # when ambiguous: the records it could be


@dataclass
class _Object:
    kind: str  # "companies", "people" or "plain"
    ids: dict[str, str] = field(default_factory=dict)
    emails: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    user_emails: dict[str, str] = field(default_factory=dict)  # source id → email (users)


class Resolver:
    """An index of the records a plan will load, answering refs against it."""

    def __init__(
        self,
        members: Sequence[Mapping[str, Any]] = (),
        *,
        rules: CompanyRules = DEFAULT_RULES,
    ) -> None:
        self.members = member_index(members)
        self.rules = rules
        self.objects: dict[str, _Object] = {}
        self.unavailable: dict[str, str] = {}  # record key → why it will not load

    def _object(self, map_object: str, kind: str = "plain") -> _Object:
        if map_object not in self.objects:
            self.objects[map_object] = _Object(kind)
        return self.objects[map_object]

    def name_key(self, map_object: str, name: str | None) -> str:
        kind = self.objects[map_object].kind if map_object in self.objects else "plain"
        if kind == "companies":
            return normalise_company_name(name)
        return normalise_person_name(name)

    def add(
        self,
        map_object: str,
        source_id: str,
        key: str,
        *,
        kind: str = "plain",
        emails: Iterable[str | None] = (),
        names: Iterable[str | None] = (),
    ) -> None:
        """Index one source record; `key` is the record it loads as (its survivor if merged)."""
        entry = self._object(map_object, kind)
        entry.ids.setdefault(str(source_id), key)
        for email in emails:
            if (normal := normalise_email(email)) and key not in entry.emails[normal]:
                entry.emails[normal].append(key)
        for name in names:
            if (normal := self.name_key(map_object, name)) and key not in entry.names[normal]:
                entry.names[normal].append(key)

    def add_user(self, map_object: str, source_id: str, email: str | None) -> None:
        """A source user (a map object whose target is workspaceMembers)."""
        if email:
            self._object(map_object, "users").user_emails[str(source_id)] = email

    def owner_email(self, ref: Mapping[str, Any]) -> str:
        """The email an owner ref stands for (a source user id becomes the user's email)."""
        value = str(ref.get("value") or "").strip()
        entry = self.objects.get(str(ref.get("map_object") or ""))
        if entry is not None and entry.kind == "users" and ref.get("by") == "source_id":
            return entry.user_emails.get(value, f"user {value}")
        return value

    def member(self, email: str | None) -> Resolution:
        normal = normalise_email(email)
        if normal is None:
            return Resolution(None, None, "no owner email")
        found = self.members.get(normal)
        if found is None:
            return Resolution(None, None, f"no workspace member with email {normal}")
        return Resolution(f"{TWENTY_PREFIX}{found['id']}", "email", f"workspace member {normal}")

    def resolve(self, ref: Mapping[str, Any]) -> Resolution:
        """Answer one staged ref: {"map_object", "by", "value", "alt"}."""
        target = str(ref.get("map_object") or "")
        by = str(ref.get("by") or "")
        value = (str(ref.get("value") or "")).strip()
        alt = (str(ref.get("alt") or "")).strip() or None
        if target == WORKSPACE_MEMBERS:
            return self.member(value)
        entry = self.objects.get(target)
        if entry is None:
            return Resolution(None, None, f"nothing is loaded as {target!r}")
        if entry.kind == "users":
            email = entry.user_emails.get(value) if by == "source_id" else value
            if email is None:
                return Resolution(None, None, f"no {target} user with id {value}")
            return self.member(email)
        if by == "source_id":
            result = self._by_id(target, entry, value)
            if result.key is None and alt:
                fallback = self._by_name(target, entry, alt)
                return (
                    fallback
                    if fallback.key
                    else Resolution(None, None, f"{result.reason}; {fallback.reason}")
                )
            return result
        if by == "email":
            result = self._by_email(target, entry, value, None)
            return result
        if by == "name":
            return self._by_name(target, entry, value)
        if by == "email_then_name":
            result = self._by_email(target, entry, value, alt)
            if result.key is not None or result.how == "ambiguous" or not alt:
                return result
            fallback = self._by_name(target, entry, alt)
            return (
                fallback
                if fallback.key
                else Resolution(None, fallback.how, f"{result.reason}; {fallback.reason}")
            )
        return Resolution(None, None, f"unknown ref kind by={by!r}")

    def _check(self, key: str, how: str, reason: str) -> Resolution:
        if key in self.unavailable:
            return Resolution(
                None, "unavailable", f"{reason}, but {key} will not load: {self.unavailable[key]}"
            )
        return Resolution(key, how, reason)

    def _by_id(self, target: str, entry: _Object, value: str) -> Resolution:
        if not value:
            return Resolution(None, None, f"no {target} id given")
        key = entry.ids.get(value)
        if key is None:
            earlier = self.unavailable.get(f"{target}:{value}")
            if earlier is not None:
                return Resolution(None, "unavailable", f"{target}:{value} will not load: {earlier}")
            return Resolution(None, None, f"no {target} record with id {value}")
        return self._check(key, "source_id", f"{target} id {value}")

    def _by_email(self, target: str, entry: _Object, value: str, name: str | None) -> Resolution:
        email = normalise_email(value)
        if email is None:
            return Resolution(None, None, "no email")
        found = entry.emails.get(email, [])
        if len(found) == 1:
            return self._check(found[0], "email", f"email {email}")
        if len(found) > 1:
            wanted = self.name_key(target, name) if name else ""
            named = [k for k in found if wanted and k in entry.names.get(wanted, [])]
            if len(named) == 1:
                return self._check(named[0], "email+name", f"email {email} and name {name!r}")
            return Resolution(
                None, "ambiguous", f"email {email} belongs to {len(found)} {target}", tuple(found)
            )
        return Resolution(None, None, f"no {target} record with email {email}")

    def _by_name(self, target: str, entry: _Object, value: str) -> Resolution:
        name = self.name_key(target, value)
        if not name:
            return Resolution(None, None, f"no {target} name given")
        found = entry.names.get(name, [])
        if not found and entry.kind == "people" and value.count(",") == 1:
            last, first = value.split(",")  # "Nelson, James"
            found = entry.names.get(self.name_key(target, f"{first} {last}"), [])
        if len(found) == 1:
            return self._check(found[0], "name", f"name {value!r}")
        if len(found) > 1:
            return Resolution(
                None, "ambiguous", f"name {value!r} matches {len(found)} {target}", tuple(found)
            )
        if entry.kind == "companies":
            return self._similar_company(target, entry, value, name)
        return Resolution(None, None, f"no {target} record named {value!r}")

    def _similar_company(self, target: str, entry: _Object, value: str, name: str) -> Resolution:
        """A spelling not seen in dedupe: accept one cluster that clears the merge threshold."""
        choices = list(entry.names)
        close = process.extract(
            name,
            choices,
            scorer=fuzz.token_sort_ratio,
            limit=5,
            score_cutoff=self.rules.review_at - 10,
        )
        if close:
            candidates = [c[0] for c in close]
            scores = base_scores([name] * len(candidates), candidates)
            good = {
                entry.names[c][0]
                for c, score in zip(candidates, scores.tolist(), strict=True)
                if capped_score({"score": score, **word_checks(name, c)}, self.rules)
                >= self.rules.merge_at
                and len(entry.names[c]) == 1
            }
            if len(good) == 1:
                return self._check(
                    good.pop(), "similar name", f"company name {value!r} (close spelling)"
                )
            if len(good) > 1:
                return Resolution(
                    None, "ambiguous", f"company name {value!r} is close to {len(good)} companies"
                )
            best = close[0][0]
            if float(scores[0]) >= self.rules.review_at:
                return Resolution(
                    None, "review", f"company name {value!r} is close to {best!r}: decide in review"
                )
        return Resolution(None, None, f"no {target} record named {value!r}")
