"""The emulator refuses record bodies as Twenty 1.7 does (SERVER_RULES.md, "Record payloads").

One test per rule; each names the server source it follows. Before these rules the emulator
stored every one of these bodies (or refused them with its own words).
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from emulator_helpers import client_for, gql


@pytest.fixture
def client(tmp_path: Path) -> httpx.Client:
    with client_for(tmp_path / "w.sqlite") as c:
        yield c


def refused(response: httpx.Response, message: str, error: str = "Error") -> None:
    assert response.status_code == 400, response.text
    assert response.json() == {"statusCode": 400, "error": error, "messages": [message]}


def person(phones: dict, email: str = "p@example.com") -> dict:
    return {"name": {"firstName": "P"}, "emails": {"primaryEmail": email}, "phones": phones}


UK_AS_US = {
    "primaryPhoneNumber": "7700900557",
    "primaryPhoneCallingCode": "+44",
    "primaryPhoneCountryCode": "US",
}


# -- phones: record-transformer/utils/transform-phones-value.util.ts ----------------------------
def test_country_code_must_belong_to_the_calling_code(client: httpx.Client) -> None:
    """The payload a real Twenty refused 105 times in the Kartra sample: the whole batch fails."""
    good = person({"primaryPhoneNumber": "2025550123", "primaryPhoneCallingCode": "+1"}, "a@x.io")
    r = client.post("/rest/batch/people", json=[good, person(UK_AS_US, "b@x.io")])
    refused(r, "Provided country code and calling code are conflicting")
    assert client.get("/rest/people").json()["totalCount"] == 0


def test_unknown_country_code_is_refused(client: httpx.Client) -> None:
    r = client.post("/rest/people", json=person({"primaryPhoneCountryCode": "XX"}))
    refused(r, "Invalid country code XX")


def test_calling_code_of_no_country_is_refused(client: httpx.Client) -> None:
    r = client.post("/rest/people", json=person({"primaryPhoneCallingCode": "+800"}))
    refused(r, "Invalid calling code +800")


def test_unreadable_number_is_refused(client: httpx.Client) -> None:
    r = client.post(
        "/rest/people",
        json=person({"primaryPhoneNumber": "call me", "primaryPhoneCountryCode": "US"}),
    )
    refused(r, "Provided phone number is invalid call me")


def test_national_number_without_any_code_is_refused(client: httpx.Client) -> None:
    r = client.post("/rest/people", json=person({"primaryPhoneNumber": "5550100"}))
    refused(r, "Provided phone number is invalid 5550100")


def test_country_the_number_belongs_to_must_match(client: httpx.Client) -> None:
    """A Toronto number is CA: sending it as US (same +1) is refused."""
    phones = {
        "primaryPhoneNumber": "4165550123",
        "primaryPhoneCallingCode": "+1",
        "primaryPhoneCountryCode": "US",
    }
    refused(
        client.post("/rest/people", json=person(phones)),
        "Provided and inferred country code are conflicting",
    )


def test_calling_code_the_number_carries_must_match(client: httpx.Client) -> None:
    phones = {
        "primaryPhoneNumber": "+447700900557",
        "primaryPhoneCallingCode": "+1",
        "primaryPhoneCountryCode": "US",
    }
    refused(
        client.post("/rest/people", json=person(phones)),
        "Provided and inferred calling code are conflicting",
    )


def test_additional_phones_are_checked_too(client: httpx.Client) -> None:
    phones = {
        "primaryPhoneNumber": "2025550123",
        "primaryPhoneCountryCode": "US",
        "additionalPhones": [{"number": "7700900557", "callingCode": "+44", "countryCode": "US"}],
    }
    refused(
        client.post("/rest/people", json=person(phones)),
        "Provided country code and calling code are conflicting",
    )


def test_phones_are_stored_national_with_inferred_codes(client: httpx.Client) -> None:
    phones = {
        "primaryPhoneNumber": "+33 6 12 34 56 78",
        "additionalPhones": [{"number": "7700900557", "callingCode": "+44"}],
    }
    created = client.post("/rest/people", json=person(phones)).json()["data"]["createPerson"]
    assert created["phones"] == {
        "primaryPhoneNumber": "612345678",
        "primaryPhoneCountryCode": "FR",
        "primaryPhoneCallingCode": "+33",
        "additionalPhones": [{"callingCode": "+44", "number": "7700900557"}],
    }


def test_graphql_refuses_a_phone_with_the_exception_code(client: httpx.Client) -> None:
    r = gql(
        client,
        "mutation($d: [PersonCreateInput!]!) { createPeople(data: $d) { id } }",
        {"d": [person(UK_AS_US)]},
    )
    assert r.status_code == 200
    error = r.json()["errors"][0]
    assert error["message"] == "Provided country code and calling code are conflicting"
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["subCode"] == "CONFLICTING_PHONE_CALLING_CODE_AND_COUNTRY_CODE"
    assert r.json()["data"] == {"createPeople": None}


# -- links: record-transformer/utils/remove-empty-links.ts, twenty-shared isValidUrl ------------
@pytest.mark.parametrize(
    "links",
    [
        {"primaryLinkUrl": "not a url"},
        {"primaryLinkUrl": "12345"},
        {"primaryLinkUrl": "https://ok.example.com", "secondaryLinks": [{"url": "http://bad_"}]},
    ],
)
def test_link_urls_must_be_valid(client: httpx.Client, links: dict) -> None:
    r = client.post("/rest/companies", json={"name": "Acme", "domainName": links})
    refused(r, "The URL of the link is not valid")


def test_hosts_without_scheme_and_ips_are_valid_urls(client: httpx.Client) -> None:
    for url in ("acme.example.com/about", "http://10.0.0.1", "localhost"):
        r = client.post(
            "/rest/companies", json={"name": url, "domainName": {"primaryLinkUrl": url}}
        )
        assert r.status_code == 201, r.text


# -- emails: record-transformer/services/record-input-transformer.service.ts ---------------------
def test_emails_written_without_primary_email_blank_it(client: httpx.Client) -> None:
    created = client.post("/rest/people", json={"emails": {"primaryEmail": "A@x.io"}}).json()
    pid = created["data"]["createPerson"]["id"]
    r = client.patch(f"/rest/people/{pid}", json={"emails": {"additionalEmails": ["b@x.io"]}})
    assert r.json()["data"]["updatePerson"]["emails"] == {
        "primaryEmail": "",
        "additionalEmails": ["b@x.io"],
    }


def test_a_primary_email_that_is_not_text_is_a_type_error(client: httpx.Client) -> None:
    r = client.post("/rest/people", json={"emails": {"primaryEmail": 42}})
    refused(r, "value.primaryEmail.toLowerCase is not a function", error="TypeError")


# -- rich text: composite-types/rich-text-v2.composite-type.ts (richTextV2ValueSchema) -----------
def test_rich_text_markdown_may_be_null_but_not_a_number(client: httpx.Client) -> None:
    r = client.post("/rest/notes", json={"title": "n", "bodyV2": {"markdown": None}})
    assert r.status_code == 201, r.text
    r = client.post("/rest/notes", json={"title": "n", "bodyV2": {"markdown": 5}})
    assert r.status_code == 400 and r.json()["error"] == "ZodError"
    assert "expected string, received number" in r.json()["messages"][0]


# -- NUMBER: record-input-transformer.service.ts (Number(value)) ---------------------------------
def test_numbers_written_as_text_are_converted(client: httpx.Client) -> None:
    r = client.post("/rest/companies", json={"name": "Acme", "employees": "12"})
    assert r.json()["data"]["createCompany"]["employees"] == 12


# -- bodies: rest-api-create-one.handler.ts, rest-api-create-many.handler.ts, format-data.util.ts -
def test_a_batch_item_that_is_not_an_object_fails_as_its_fields(client: httpx.Client) -> None:
    r = client.post("/rest/batch/people", json=[{"name": {"firstName": "A"}}, "Bob"])
    refused(r, 'Field metadata for field "0" is missing in object metadata person')


def test_a_null_batch_item_is_a_type_error(client: httpx.Client) -> None:
    r = client.post("/rest/batch/people", json=[None])
    refused(r, "Cannot read properties of null (reading 'id')", error="TypeError")


def test_an_array_posted_as_one_record_fails_as_field_zero(client: httpx.Client) -> None:
    r = client.post("/rest/people", json=[{"name": {"firstName": "A"}}])
    refused(r, 'Field metadata for field "0" is missing in object metadata person')


def test_every_record_is_transformed_before_any_is_inserted(client: httpx.Client) -> None:
    """The first record's unknown field would fail at insert; the second's phone fails first."""
    r = client.post("/rest/batch/people", json=[{"noSuchField": 1}, person(UK_AS_US)])
    refused(r, "Provided country code and calling code are conflicting")


def test_an_id_given_twice_in_one_batch_is_a_duplicate_entry(client: httpx.Client) -> None:
    rid = "6f1c1d2e-1111-4a4a-9b9b-0123456789ab"
    r = client.post("/rest/batch/companies", json=[{"id": rid}, {"id": rid}])
    refused(r, "A duplicate entry was detected", error="BadRequestException")


# -- Postgres input, surfaced by twenty-orm/error-handling/compute-twenty-orm-exception.ts -------
def test_booleans_follow_postgres_input_rules(client: httpx.Client, tmp_path: Path) -> None:
    """'yes' is true to Postgres; 'maybe' is 22P02, a 500 with the raw message."""
    field = {"objectMetadataId": _person_object_id(client), "type": "BOOLEAN", "name": "vip",
             "label": "VIP", "isNullable": True}  # fmt: skip
    assert client.post("/rest/metadata/fields", json=field).status_code == 201
    r = client.post("/rest/people", json={"vip": "yes"})
    assert r.json()["data"]["createPerson"]["vip"] is True
    r = client.post("/rest/people", json={"vip": "maybe"})
    assert r.status_code == 500
    assert r.json()["messages"] == ['invalid input syntax for type boolean: "maybe"']


def test_a_scalar_for_a_list_field_is_a_malformed_array(client: httpx.Client) -> None:
    field = {"objectMetadataId": _person_object_id(client), "type": "ARRAY", "name": "labels",
             "label": "Labels", "isNullable": True}  # fmt: skip
    assert client.post("/rest/metadata/fields", json=field).status_code == 201
    r = client.post("/rest/people", json={"labels": "vip"})
    assert r.status_code == 500
    assert r.json()["messages"] == ['malformed array literal: "vip"']


def _person_object_id(client: httpx.Client) -> str:
    objects = client.get("/rest/metadata/objects").json()["data"]["objects"]
    return next(o["id"] for o in objects if o["nameSingular"] == "person")


# -- GraphQL documents: graphql-js ValuesOfCorrectTypeRule / coerceVariableValues over Twenty's
# -- input types (workspace-schema-builder/graphql-type-generators/input-types/*) ----------------
def test_graphql_refuses_unknown_composite_sub_fields_inline(client: httpx.Client) -> None:
    r = gql(client, 'mutation { createPerson(data: {name: {first: "A"}}) { id } }')
    assert r.status_code == 200
    assert r.json() == {
        "errors": [
            {
                "message": 'Field "first" is not defined by type "FullNameCreateInput".',
                "locations": [{"line": 1, "column": 39}],
            }
        ]
    }
    assert client.get("/rest/people").json()["totalCount"] == 0


def test_graphql_refuses_unknown_fields_in_variables_as_graphql_js_words_it(
    client: httpx.Client,
) -> None:
    r = gql(
        client,
        "mutation($d: [PersonCreateInput!]!) { createPeople(data: $d, upsert: true) { id } }",
        {"d": [{"name": {"firstName": "A"}}, {"emial": "x", "phones": {"number": "1"}}]},
    )
    assert r.json() == {
        "errors": [
            {
                "message": 'Variable "$d" got invalid value { number: "1" } at "d[1].phones"; '
                'Field "number" is not defined by type "PhonesCreateInput".',
                "locations": [{"line": 1, "column": 10}],
            },
            {
                "message": 'Variable "$d" got invalid value { emial: "x", phones: { number: "1" } } '
                'at "d[1]"; Field "emial" is not defined by type "PersonCreateInput". '
                'Did you mean "emails"?',
                "locations": [{"line": 1, "column": 10}],
            },
        ]
    }


def test_graphql_update_input_is_checked_too(client: httpx.Client) -> None:
    pid = client.post("/rest/people", json={}).json()["data"]["createPerson"]["id"]
    r = gql(
        client,
        f'mutation {{ updatePerson(id: "{pid}", data: {{jobTitel: "CEO"}}) {{ id }} }}',
    )
    message = r.json()["errors"][0]["message"]
    assert (
        message
        == 'Field "jobTitel" is not defined by type "PersonUpdateInput". Did you mean "jobTitle"?'
    )


def test_rest_ignores_unknown_sub_fields_of_a_composite(client: httpx.Client) -> None:
    """format-data.util.ts writes only the composite type's own properties."""
    r = client.post("/rest/people", json={"name": {"firstName": "A", "nickname": "Al"}})
    assert r.status_code == 201
    assert r.json()["data"]["createPerson"]["name"] == {"firstName": "A", "lastName": ""}


def test_server_rules_name_tests_that_exist() -> None:
    """Every test SERVER_RULES.md names under "Record payloads" is a test in tests/twenty."""
    import re

    root = Path(__file__).resolve().parents[2]
    rules = (root / "workbench" / "twenty" / "emulator" / "SERVER_RULES.md").read_text()
    section = rules.split("## Record payloads", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(test_\w+)`", section))
    defined = {
        m
        for f in (root / "tests" / "twenty").glob("test_*.py")
        for m in re.findall(r"^def (test_\w+)", f.read_text(), re.M)
    }
    assert named and named <= defined, sorted(named - defined)


# -- GraphQL arguments: get-resolver-args.util.ts, type-mapper.service.ts (applyTypeOptions) -----
def test_graphql_refuses_unknown_arguments_before_running_anything(client: httpx.Client) -> None:
    r = gql(
        client,
        'mutation { a: createPerson(data: {city: "X"}) { id } '
        'b: createPeople(data: [{city: "Y"}], upsertt: true) { id } }',
    )
    assert r.json() == {
        "errors": [
            {
                "message": 'Unknown argument "upsertt" on field "Mutation.createPeople". '
                'Did you mean "upsert"?',
                "locations": [{"line": 1, "column": 91}],
            }
        ]
    }
    assert client.get("/rest/people").json()["totalCount"] == 0


def test_graphql_variables_must_fit_the_argument_type(client: httpx.Client) -> None:
    """Records data is `[PersonCreateInput!]` (list items non-null, nothing else)."""
    r = gql(
        client,
        "mutation($d: [CompanyCreateInput!]) { createPeople(data: $d) { id } }",
        {"d": [{}]},
    )
    assert r.json()["errors"] == [
        {
            "message": 'Variable "$d" of type "[CompanyCreateInput!]" used in position '
            'expecting type "[PersonCreateInput!]".',
            "locations": [{"line": 1, "column": 10}, {"line": 1, "column": 58}],
        }
    ]
    ok = gql(
        client,
        "mutation($d: [PersonCreateInput!]!) { createPeople(data: $d) { id } }",
        {"d": [{}]},
    )
    assert "errors" not in ok.json()
