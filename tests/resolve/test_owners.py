import pytest

from workbench.errors import ResolveError
from workbench.resolve.owners import match_owners, owner_queue

MEMBERS = [
    {
        "id": "m1",
        "userEmail": "Alex.Morgan@Demo-Agency.com",
        "name": {"firstName": "Alex", "lastName": "Morgan"},
    }
]


def test_owners_match_by_email_in_any_case() -> None:
    found = match_owners(
        ["alex.morgan@demo-agency.com", " ALEX.MORGAN@demo-agency.com", "pat@old.com", None],
        MEMBERS,
    )
    assert found.select("email", "member_id", "status").rows() == [
        ("alex.morgan@demo-agency.com", "m1", "matched"),
        ("pat@old.com", None, "unmatched"),
    ]
    assert found["member_name"][0] == "Alex Morgan"
    assert "invite" in found["reason"][1]


def test_unmatched_owners_are_queued_with_their_records() -> None:
    queue = owner_queue(
        [("Pat@old.com", "deals:1", "accountOwnerId"), ("pat@old.com", "tasks:7", "assigneeId")]
    )
    assert queue.row(0, named=True)["records"] == 2
    assert queue["record_keys"][0].to_list() == ["deals:1", "tasks:7"]


def test_members_need_id_and_email() -> None:
    with pytest.raises(ResolveError, match="needs an id and a userEmail"):
        match_owners(["a@b.com"], [{"userEmail": "a@b.com"}])
