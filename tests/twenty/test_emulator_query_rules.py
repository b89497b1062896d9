"""The emulator reads REST query parameters as Twenty 1.7 does, mistakes included.

One test per rule of workbench/twenty/emulator/SERVER_RULES.md ("REST query parameters"); the
rule number is in each test's name.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from emulator_helpers import client_for

COMPANIES = [
    {"name": "Co 554", "kartraCompanyId": "554", "employees": 5},
    {"name": "Co 548", "kartraCompanyId": "548", "employees": 12},
    {"name": "Vanguard Media, Ltd.", "allclientsCompanyKey": "vanguard media, ltd."},
    {"name": "Acme & Sons.", "allclientsCompanyKey": "acme & sons."},
    {"name": "Co_554"},
    {"name": 'a\\"b'},
    {"name": 'a"b'},
]


def _object_id(client: httpx.Client, singular: str) -> str:
    objects = client.get("/rest/metadata/objects").json()["data"]["objects"]
    return next(o["id"] for o in objects if o["nameSingular"] == singular)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    db = tmp_path_factory.mktemp("rules") / "w.sqlite"
    with client_for(db) as c:
        company = _object_id(c, "company")
        for name in ("kartraCompanyId", "allclientsCompanyKey"):
            field = {"objectMetadataId": company, "type": "TEXT", "name": name, "label": name}
            assert c.post("/rest/metadata/fields", json=field).status_code == 201
        event = {
            "nameSingular": "behaviorEvent",
            "namePlural": "behaviorEvents",
            "labelSingular": "Behavior Event",
            "labelPlural": "Behavior Events",
        }
        assert c.post("/rest/metadata/objects", json=event).status_code == 201
        for row in COMPANIES:
            assert c.post("/rest/companies", json=row).status_code == 201
        yield c


def total(client: httpx.Client, flt: str, **params: Any) -> int:
    response = client.get("/rest/companies", params={"filter": flt, **params})
    assert response.status_code == 200, response.text
    return response.json()["totalCount"]


def refused(client: httpx.Client, path: str = "/rest/companies", **params: Any) -> dict:
    response = client.get(path, params=params)
    assert response.status_code == 400, response.text
    return response.json()


def test_q13_a_spaced_in_list_matches_only_its_first_value(client: httpx.Client) -> None:
    assert total(client, 'kartraCompanyId[in]:["554", "548"]') == 1
    assert total(client, 'kartraCompanyId[in]:["554","548"]') == 2


def test_q13_an_in_list_is_split_on_commas_inside_quotes(client: httpx.Client) -> None:
    assert total(client, 'allclientsCompanyKey[in]:["vanguard media, ltd."]') == 0
    assert total(client, 'allclientsCompanyKey[eq]:"vanguard media, ltd."') == 1
    assert total(client, 'allclientsCompanyKey[in]:["acme & sons."]') == 1


def test_q13_in_without_brackets_is_refused(client: httpx.Client) -> None:
    body = refused(client, filter="kartraCompanyId[in]:554")
    assert body["messages"] == [
        "'filter' invalid for 'in' operator. Received '554' but array value expected eg: 'field[in]:[value_1,value_2]'"
    ]


def test_q1_a_repeated_or_nested_filter_filters_nothing(client: httpx.Client) -> None:
    everything = client.get("/rest/companies").json()["totalCount"]
    twice = [("filter", "name[eq]:Co 554"), ("filter", "name[eq]:Co 548")]
    assert client.get("/rest/companies", params=twice).json()["totalCount"] == everything
    nested = client.get("/rest/companies", params={"filter[name]": "x"})
    assert nested.json()["totalCount"] == everything
    plus = client.get("/rest/companies?filter=name%5Beq%5D%3ACo+554").json()
    assert plus["totalCount"] == 1  # '+' is a space


def test_q2_an_empty_filter_is_refused(client: httpx.Client) -> None:
    body = refused(client, filter="")
    assert body["messages"] == ["'filter' invalid for 'and()'. eg: price[gte]:10"]


def test_q3_parentheses_are_counted_in_values_too(client: httpx.Client) -> None:
    body = refused(client, filter='name[eq]:"Acme (UK"')
    assert body["messages"] == ["'filter' invalid. 1 close bracket is missing in the query"]
    body = refused(client, filter="name[eq]:a)),kartraCompanyId[eq]:1")
    assert body["messages"] == ["'filter' invalid. 2 open brackets are missing in the query"]


def test_q4_a_parenthesis_in_a_value_stops_the_default_and(client: httpx.Client) -> None:
    # read as ONE condition: kartraCompanyId = '554,name[neq]:(x)'
    assert total(client, "kartraCompanyId[eq]:554,name[neq]:(x)") == 0
    assert total(client, "and(kartraCompanyId[eq]:554,name[neq]:(x))") == 1


def test_q5_an_apostrophe_swallows_the_commas_after_it(client: httpx.Client) -> None:
    assert total(client, "or(name[eq]:O'Brien,kartraCompanyId[eq]:554)") == 0
    assert total(client, "or(name[eq]:OBrien,kartraCompanyId[eq]:554)") == 1


def test_q6_not_takes_one_condition(client: httpx.Client) -> None:
    body = refused(client, filter="not(name[eq]:a,name[eq]:b)")
    assert body["messages"] == [
        "'filter' invalid. 'not' conjunction should contain only 1 condition. eg: not(field[eq]:1)"
    ]


def test_q7_a_line_break_in_a_value_is_refused(client: httpx.Client) -> None:
    body = refused(client, filter='name[eq]:"a\nb"')
    assert body["messages"] == ["'filter' invalid for 'and(name[eq]:\"a\nb\")'. eg: price[gte]:10"]


def test_q8_the_value_runs_to_the_end(client: httpx.Client) -> None:
    assert total(client, 'name[eq]:a\\"b') == 1  # unquoted: taken as written


def test_q9_an_unknown_comparator_is_refused(client: httpx.Client) -> None:
    body = refused(client, filter="name[contains]:x")
    assert body["messages"][0].startswith(
        "'filter' invalid for 'name[contains]:x', comparator contains not in eq, neq, in"
    )


def test_q10_each_path_part_is_checked_alone_and_custom_tables_are_prefixed(
    client: httpx.Client,
) -> None:
    body = refused(client, filter="name.nosuch[eq]:1")
    assert body["messages"] == ["field 'nosuch' does not exist in 'company' object"]
    body = refused(client, "/rest/behaviorEvents", filter="nosuch[eq]:1")
    assert body["messages"] == ["field 'nosuch' does not exist in '_behaviorEvent' object"]


def test_q11_paths_that_pass_the_check_can_still_fail_as_plain_errors(
    client: httpx.Client,
) -> None:
    body = refused(client, filter="primaryLinkUrl[eq]:x")
    assert body == {
        "statusCode": 400,
        "error": "Error",
        "messages": ["Field metadata not found for field: primaryLinkUrl"],
    }
    body = refused(client, filter="domainName[eq]:x")
    assert body["messages"] == ["Sub field metadata not found for composite type: LINKS"]


def test_q12_select_values_are_checked_before_unquoting(client: httpx.Client) -> None:
    assert total(client, "idealCustomerProfile[eq]:true") >= 0  # BOOLEAN: no enum check
    response = client.get("/rest/opportunities", params={"filter": 'stage[eq]:"MEETING"'})
    assert response.status_code == 400
    assert response.json()["messages"][0].startswith(
        "'filter' enum value '\"MEETING\"' not available in 'stage' enum. Available enum values are ['NEW', "
    )
    ok = client.get("/rest/opportunities", params={"filter": "stage[in]:[MEETING,NULL]"})
    assert ok.status_code == 200


def test_q14_quotes_are_stripped_as_a_pair_of_any_kind_and_never_unescaped(
    client: httpx.Client,
) -> None:
    assert total(client, "name[eq]:'Co 554\"") == 1
    assert total(client, 'name[eq]:"a\\"b"') == 1  # the record named a\"b, not a"b
    assert total(client, 'name[eq]:"a"b"') == 1


def test_q15_numbers_go_through_parse_float(client: httpx.Client) -> None:
    assert total(client, 'employees[eq]:"5"') == 0  # parseFloat('"5"') is NaN
    assert total(client, "employees[eq]:5abc") == 1
    assert total(client, "employees[in]:[5,12]") == 2


def test_q16_only_the_exact_text_null_means_is_null(client: httpx.Client) -> None:
    assert total(client, "kartraCompanyId[is]:NULL") == 0
    everything = client.get("/rest/companies").json()["totalCount"]
    assert total(client, "kartraCompanyId[is]:null") == everything
    assert total(client, 'kartraCompanyId[is]:"NULL"') == everything


def test_q17_like_escapes_with_backslash_and_starts_with_adds_no_wildcard(
    client: httpx.Client,
) -> None:
    assert total(client, "name[like]:Co\\_554") == 1
    assert total(client, "name[like]:Co_554") == 2
    assert total(client, 'name[startsWith]:"Co "') == 0
    assert total(client, "name[startsWith]:Co 554") == 1


def test_q18_limit_follows_javascript_numbers_and_zero_means_no_limit(
    client: httpx.Client,
) -> None:
    everything = client.get("/rest/companies").json()["totalCount"]
    assert len(client.get("/rest/companies", params={"limit": 0}).json()["data"]["companies"]) == (
        everything
    )
    assert (
        len(client.get("/rest/companies", params={"limit": "2e0"}).json()["data"]["companies"]) == 2
    )
    body = refused(client, limit=["1", "2"])
    assert body["messages"] == ["limit '1,2' is invalid. Should be an integer"]


def test_q19_depth_two_is_refused(client: httpx.Client) -> None:
    body = refused(client, depth=2)
    assert body["messages"] == ["'depth=2' parameter invalid. Allowed values are 0, 1"]


def test_q20_order_by_directions_and_empty_items(client: httpx.Client) -> None:
    body = refused(client, order_by="name[Up]")
    assert body["messages"] == [
        "'order_by' direction 'Up' invalid. Allowed values are 'AscNullsFirst', 'AscNullsLast', 'DescNullsFirst', 'DescNullsLast'. eg: ?order_by=field_1[AscNullsFirst],field_2[DescNullsLast],field_3"
    ]
    assert refused(client, order_by="name,")["messages"] == [
        "field '' does not exist in 'company' object"
    ]


def _cursor(data: Any, alphabet: str = "standard") -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    if alphabet == "urlsafe":
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return base64.b64encode(raw).decode()


def test_q21_cursors_are_read_leniently_and_refused_in_the_server_words(
    client: httpx.Client,
) -> None:
    body = refused(client, starting_after="not-json")
    assert body["messages"] == ["Invalid cursor: not-json"]
    ids = [r["id"] for r in client.get("/rest/companies").json()["data"]["companies"]]
    after = client.get(
        "/rest/companies", params={"starting_after": _cursor({"id": ids[0]}, "urlsafe")}
    )
    assert [r["id"] for r in after.json()["data"]["companies"]] == ids[1:]
    scalar = client.get("/rest/companies", params={"starting_after": _cursor(5)})
    assert len(scalar.json()["data"]["companies"]) == len(ids)


def test_q22_going_backwards_never_has_a_next_page(client: httpx.Client) -> None:
    ids = [r["id"] for r in client.get("/rest/companies").json()["data"]["companies"]]
    page = client.get(
        "/rest/companies", params={"ending_before": _cursor({"id": ids[-1]}), "limit": 2}
    ).json()
    assert page["pageInfo"]["hasNextPage"] is False
    assert page["pageInfo"]["hasPreviousPage"] is True
    assert [r["id"] for r in page["data"]["companies"]] == ids[-3:-1]
    both = client.get(
        "/rest/companies",
        params={"starting_after": _cursor({"id": ids[2]}), "ending_before": "x", "limit": 10},
    ).json()
    assert [r["id"] for r in both["data"]["companies"]] == ids[:2]


def test_q23_errors_come_in_the_server_order(client: httpx.Client) -> None:
    body = refused(client, limit=-1, order_by="nosuch", depth=5)
    assert body["messages"] == ["limit '-1' is invalid. Should be an integer"]
    body = refused(client, order_by="nosuch", depth=5, filter="nosuch2[eq]:1")
    assert body["messages"] == ["field 'nosuch2' does not exist in 'company' object"]
    body = refused(client, depth=5, starting_after="not-json")
    assert body["messages"] == ["Invalid cursor: not-json"]


def test_q24_cursor_keys_are_walked_in_their_own_order_and_nulls_match_nothing(
    client: httpx.Client,
) -> None:
    ids = [r["id"] for r in client.get("/rest/companies").json()["data"]["companies"]]
    body = refused(client, starting_after=_cursor({"id": ids[0], "name": "Co 554"}))
    assert body == {"statusCode": 400, "error": "Error", "messages": ["Invalid cursor"]}
    body = refused(client, "/rest/people", starting_after=_cursor({"companyId": ids[0]}))
    assert body["messages"] == ["Field metadata not found for key: companyId"]
    nulls = client.get(
        "/rest/companies",
        params={
            "order_by": "employees[AscNullsFirst]",
            "starting_after": _cursor({"employees": None, "id": ids[0]}),
        },
    ).json()
    assert nulls["data"]["companies"] == [] and nulls["totalCount"] == 0
