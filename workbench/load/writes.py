"""Writes to Twenty on behalf of the loader, each one recorded in the ledger around the request.

A batch is `planned`, then `sent` (committed before the request leaves), then `created` or
`failed`. Records a kill left `sent` are settled before anything is resent: looked up by their
key field (or, for link rows without one, by the ids they link) — found means created, not
found means send again. A batch Twenty refuses (400, or a 500 with database text) is split in
halves until the refused records stand alone; they keep Twenty's message as their reason.
"""

from __future__ import annotations

import json
from typing import Any

from workbench.errors import (
    AmbiguousWriteError,
    TransientError,
    TwentyAPIError,
    TwentyAuthError,
    TwentyError,
)
from workbench.load.ledger import Ledger
from workbench.records import Outcome, Phase
from workbench.twenty.rest_filters import Condition, write_filter

# After this many batches in a row fail with transient errors the destination is down: stop.
MAX_TRANSIENT_BATCHES = 3
# A batch whose answer was lost and whose records were then not found is sent again this often.
MAX_RESENDS = 3


def api_message(exc: TwentyError) -> str:
    """Twenty's own words for a refusal, as the ledger keeps them."""
    messages = getattr(exc, "messages", None) or []
    return "; ".join(str(m) for m in messages) or exc.message


def as_records(answer: Any) -> list[dict[str, Any]]:
    """find / find_by_values answers (an iterator, a list or a dict by value) as a list."""
    if answer is None:
        return []
    items = answer.values() if isinstance(answer, dict) else answer
    return [r for r in items if isinstance(r, dict)]


class Writer:
    """Creates, settles and updates records of one run, keeping the ledger one step ahead."""

    def __init__(self, client: Any, ledger: Ledger, run_id: str) -> None:
        self.client = client
        self.ledger = ledger
        self.run_id = run_id
        self.transient_streak = 0

    # -- creating ---------------------------------------------------------------------------

    def send_batch(self, phase: Phase, rows: list[dict[str, Any]], *, attempt: int = 0) -> None:
        """create_many one batch; split it when Twenty refuses it, to find the bad records."""
        batch_id = self.ledger.plan_batch(self.run_id, phase.name, phase.target, rows)
        self.ledger.mark_batch(batch_id, "sent")
        bodies = [json.loads(r["body"]) for r in rows]
        try:
            created = self.client.create_many(phase.target, bodies, key_field=phase.key_field)
        except TwentyAuthError:
            raise
        except AmbiguousWriteError as exc:
            # the client could not tell whether Twenty kept them: leave them `sent` and look
            self._transient(batch_id, rows, exc, keep_sent=True)
            self.settle_sent(phase)
            unsent = [
                r
                for r in rows
                if (self.ledger.row(r["source_key"]) or {}).get("state") == "planned"
            ]
            if unsent and attempt < MAX_RESENDS:
                self.send_batch(phase, unsent, attempt=attempt + 1)
            elif unsent:
                self._check_streak(exc)
            else:
                self.transient_streak = 0
                self.ledger.mark_batch(
                    batch_id, "created", "answer lost; every record found in Twenty"
                )
            return
        except TransientError as exc:
            self._transient(batch_id, rows, exc)
            self._check_streak(exc)
            return
        except TwentyAPIError as exc:
            self.transient_streak = 0
            if len(rows) > 1:
                self.ledger.mark_batch(batch_id, "split", api_message(exc))
                half = len(rows) // 2
                self.send_batch(phase, rows[:half])
                self.send_batch(phase, rows[half:])
                return
            self.ledger.mark_batch(batch_id, "failed", api_message(exc))
            outcome = Outcome.REJECTED if exc.status == 400 else Outcome.FAILED
            self.ledger.write([self._ended(rows[0], outcome, api_message(exc))])
            return
        self.transient_streak = 0
        pairs = self._match_created(phase, rows, as_records(created))
        self.ledger.confirm_created(self.run_id, pairs, batch_id=batch_id)
        if len(pairs) < len(rows):
            self.settle_sent(phase)

    def _ended(
        self, row: dict[str, Any], outcome: Outcome, reason: str, state: str = "done"
    ) -> dict[str, Any]:
        return {
            "source_key": row["source_key"],
            "state": state,
            "outcome": outcome.value,
            "reason": reason,
            "run_id": self.run_id,
        }

    def _transient(
        self,
        batch_id: int,
        rows: list[dict[str, Any]],
        exc: TwentyError,
        *,
        keep_sent: bool = False,
    ) -> None:
        self.transient_streak += 1
        self.ledger.mark_batch(batch_id, "failed", str(exc))
        state = "sent" if keep_sent else "done"
        self.ledger.write([self._ended(r, Outcome.FAILED, str(exc), state) for r in rows])

    def _check_streak(self, exc: TwentyError) -> None:
        if self.transient_streak >= MAX_TRANSIENT_BATCHES:
            raise TwentyError(
                f"{self.transient_streak} batches in a row failed ({exc}); Twenty is not answering. "
                "Run the load again later: it resumes where it stopped"
            )

    @staticmethod
    def _match_created(
        phase: Phase, rows: list[dict[str, Any]], created: list[dict[str, Any]]
    ) -> list[tuple[str, str]]:
        if phase.key_field:
            by_key = {str(c.get(phase.key_field)): c["id"] for c in created if c.get("id")}
            return [
                (r["source_key"], by_key[r["key_value"]]) for r in rows if r["key_value"] in by_key
            ]
        if len(created) == len(rows):
            return [(r["source_key"], c["id"]) for r, c in zip(rows, created, strict=True)]
        return []

    def settle_sent(self, phase: Phase) -> None:
        """Records sent without an answer: found in Twenty → created; not found → send again."""
        rows = self.ledger.rows(phase=phase.name, state="sent")
        if not rows:
            return
        pairs: list[tuple[str, str]] = []
        if phase.key_field:
            values = [r["key_value"] for r in rows if r["key_value"] is not None]
            found = {}
            for rec in as_records(
                self.client.find_by_values(phase.target, phase.key_field, values)
            ):
                found.setdefault(str(rec.get(phase.key_field)), rec["id"])
            pairs = [
                (r["source_key"], found[r["key_value"]]) for r in rows if r["key_value"] in found
            ]
        else:
            for row in rows:
                links = {k: v for k, v in json.loads(row["body"]).items() if k.endswith("Id") and v}
                if not links:
                    continue  # nothing to recognise it by: it is sent again
                flt = write_filter(*(Condition(k, "eq", v) for k, v in sorted(links.items())))
                hits = as_records(self.client.find(phase.target, filter=flt))
                if hits:
                    pairs.append((row["source_key"], hits[0]["id"]))
        self.ledger.confirm_created(self.run_id, pairs)
        settled = {k for k, _ in pairs}
        self.ledger.write(
            [
                {"source_key": r["source_key"], "state": "planned"}
                for r in rows
                if r["source_key"] not in settled
            ]
        )

    # -- updating ---------------------------------------------------------------------------

    def send_update(self, phase: Phase, row: dict[str, Any], new: dict[str, Any]) -> None:
        """PATCH the changed fields, storing Twenty's current values of them first (before-image)."""
        old_body = json.loads(row["body"] or "{}")
        new_body = json.loads(new["body"])
        patch = {k: v for k, v in new_body.items() if old_body.get(k) != v}
        # a link that can no longer be made is cleared; other fields the map dropped are left alone
        patch.update({k: None for k in old_body if k not in new_body and k.endswith("Id")})
        key, twenty_id = row["source_key"], row["twenty_id"]
        try:
            if self.ledger.pending_update(self.run_id, key) is None:
                current = self.client.get(phase.target, twenty_id)
                if current is None:  # deleted in Twenty since: create it again
                    self.ledger.write(
                        [
                            {
                                "source_key": key,
                                "twenty_id": None,
                                "state": "planned",
                                "outcome": None,
                            }
                        ]
                    )
                    self.send_batch(phase, [new])
                    return
                self.ledger.begin_update(self.run_id, row, {k: current.get(k) for k in patch})
            if patch:
                self.client.update(phase.target, twenty_id, patch)
        except TwentyAuthError:
            raise
        except TwentyError as exc:
            self.ledger.write(
                [self._ended(row, Outcome.FAILED, f"update refused: {api_message(exc)}")]
            )
            return
        fields = {
            k: new[k] for k in ("body", "payload_hash", "flags", "key_value", "run_id", "refs")
        }
        self.ledger.confirm_updated(self.run_id, key, {**fields, "reason": None})
