import pytest

from workbench.resolve.normalise import (
    domain_from_email,
    domain_from_url,
    domain_in_name,
    is_free_mail,
    legal_form,
    normalise_company_name,
    normalise_email,
    normalise_person_name,
    normalise_phone,
    normalise_place,
)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("The Acme Company, Inc.", "acme"),
        ("ACME & co", "acme"),
        ("  acme   inc ", "acme"),
        ("Smith & Sons Ltd", "smith and sons"),
        ("Smith and Sons", "smith and sons"),
        ("Société Générale S.A.", "societe generale"),
        ("Müller GmbH & Co. KG", "muller"),
        ("Acme Pty. Ltd.", "acme"),
        ("Acme sp. z o.o.", "acme"),
        ("ООО Ромашка", "romashka"),
        ("Acme L.L.C.", "acme"),
        ("O'Brien Plumbing LLC", "obrien plumbing"),
        ("Acme Intl. Tech, Inc.", "acme international technology"),
        ("Acme Incorporatd", "acme"),  # a slip in the legal form still strips it
        ("Acme nIc.", "acme"),
        ("Acme BB.V.", "acme"),
        ("Ltd", "ltd"),  # never strip a name to nothing
        ("Acme Group", "acme group"),
        ("acme-international.com", "acme international"),  # typed as its website
        ("www.Windmill-Logistik.de ", "windmill logistik"),
        ("HTTP://Norris.com.au/", "norris"),
        ("Windmill Logistik Gesellschaft mit beschränkter Haftung", "windmill logistik"),
        ("Claes & Jansen Besloten Vennootschap", "claes and jansen"),
        ("Laine & Mäkelä Oyj Abp", "laine and makela"),
        ("Souza Tecnologia EIRELI", "souza tecnologia"),
        ("WeiÃŸ Handel GmbH", "weiss handel"),  # UTF-8 read back as Windows-1252
        ("Quarry Alimentos S A", "quarry alimentos"),  # a dotted form typed with spaces
        ("Brunet Assurances Unc", "brunet assurances"),  # one letter struck wrong
        ("Durand & Girard WAS", "durand and girard"),
        ("Smith Carl", "smith carl"),  # a short name keeps its last word
        ("", ""),
        (None, ""),
    ],
)
def test_company_names_normalise(written: str | None, expected: str) -> None:
    assert normalise_company_name(written) == expected


def test_domains_from_websites_and_emails() -> None:
    assert domain_from_url("https://www.Acme.co.uk/about") == "acme.co.uk"
    assert domain_from_url("shop.acme.com:8080/x") == "acme.com"
    assert domain_from_url("N/A") is None
    assert domain_from_url("") is None
    assert domain_from_email("bob@mail.acme.com") == "acme.com"
    assert domain_from_email("Bob@Gmail.com") is None
    assert domain_from_email("bob@gmail.com", keep_free_mail=True) == "gmail.com"
    assert domain_from_email("not an email") is None


@pytest.mark.parametrize(
    "domain",
    [
        "gmail.com",
        "yahoo.co.uk",
        "hotmail.fr",
        "outlook.com",
        "icloud.com",
        "proton.me",
        "protonmail.com",
        "gmx.de",
        "mail.ru",
        "yandex.ru",
        "web.de",
    ],
)
def test_free_mail_never_counts(domain: str) -> None:
    assert is_free_mail(domain)
    assert domain_from_email(f"someone@{domain}") is None


def test_company_domains_are_not_free_mail() -> None:
    assert not is_free_mail("acme.com")
    assert not is_free_mail("acmelogistics.de")


def test_emails_names_phones() -> None:
    assert normalise_email("  Bob.Smith@Example.COM ") == "bob.smith@example.com"
    assert normalise_email("LINDA@") == "linda@"  # compared as written, not validated
    assert normalise_email("   ") is None
    assert normalise_person_name("José", " O'Neil ") == "jose oneil"
    assert normalise_person_name(None, "Smith") == "smith"
    assert normalise_phone("+1 (415) 555-0100") == normalise_phone("415.555.0100")
    assert normalise_phone("12") is None


def test_a_company_typed_as_its_website_names_that_domain() -> None:
    assert domain_in_name("NORRIS.COM.AU") == "norris.com.au"
    assert domain_in_name("www.acme-intl.de/") == "acme-intl.de"
    assert domain_in_name("facebook.com") is None  # a platform is no company's domain
    assert domain_in_name("Acme Inc.") is None
    assert domain_in_name(None) is None


def test_towns_compare_without_case_accents_or_spacing() -> None:
    assert normalise_place("  Köln ") == normalise_place("KOLN") == "koln"
    assert normalise_place("") is None
    assert normalise_place(None) is None


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("Acme Inc.", "inc"),
        ("Acme Incorporated", "inc"),
        ("Vos & de Wit Besloten Vennootschap", "bv"),
        ("Maier Handel G.m.b.H.", "gmbh"),
        ("Souza Transportes S A", "sa"),
        ("Juniper International Company LLP", "llp"),
        ("Vista Pty. Ltd", "ptyltd"),
        ("Thomson Construction nIc", ""),  # misspelt: stripped, but says nothing
        ("Acme", ""),
        (None, ""),
    ],
)
def test_legal_form_is_the_form_ending_the_name_in_its_short_writing(
    name: str | None, form: str
) -> None:
    assert legal_form(name) == form
