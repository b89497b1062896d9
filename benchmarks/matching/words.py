"""Word lists for the company generator: countries, legal forms, abbreviations, mail providers.

Hand-written lists; nothing here is drawn from the workbench's own normalisation tables, so
the generated names do not echo what the matcher already knows.
"""

from __future__ import annotations

from dataclasses import dataclass

# fmt: off


@dataclass(frozen=True)
class Country:
    """What a company registered in one country looks like."""

    code: str
    tlds: tuple[str, ...]  # first is the usual one
    suffixes: tuple[str, ...]  # legal forms, most common first (canonical spelling)
    cities: tuple[tuple[str, str], ...]  # (city, state/region as a CRM would hold it)
    calling_code: str
    language: str  # picks industry words and personal names
    suffix_rate: float  # share of canonical names that carry a legal form


COUNTRIES: dict[str, Country] = {
    c.code: c
    for c in (
        Country(
            "US",
            ("com", "net", "us", "io", "co"),
            ("Inc", "LLC", "Corp", "Co", "LLP", "PC"),
            (
                ("Austin", "TX"), ("Houston", "TX"), ("Denver", "CO"), ("Portland", "OR"),
                ("Seattle", "WA"), ("Chicago", "IL"), ("Columbus", "OH"), ("Atlanta", "GA"),
                ("Raleigh", "NC"), ("Phoenix", "AZ"), ("Boston", "MA"), ("Nashville", "TN"),
                ("San Diego", "CA"), ("Sacramento", "CA"), ("Tampa", "FL"), ("Omaha", "NE"),
                ("Madison", "WI"), ("Boise", "ID"), ("Springfield", "IL"), ("Springfield", "MO"),
                ("Richmond", "VA"), ("Albany", "NY"), ("Buffalo", "NY"), ("Tulsa", "OK"),
            ),
            "1", "en",
            0.75,
        ),
        Country(
            "CA", ("ca", "com"),
            ("Inc", "Ltd", "Corp"),
            (
                ("Toronto", "ON"), ("Ottawa", "ON"), ("Calgary", "AB"), ("Vancouver", "BC"),
                ("Halifax", "NS"), ("Winnipeg", "MB"), ("Richmond", "BC"),
            ),
            "1", "en",
            0.7,
        ),
        Country(
            "GB",
            ("co.uk", "com", "uk"),
            ("Ltd", "plc", "LLP"),
            (
                ("London", ""), ("Leeds", "West Yorkshire"), ("Bristol", ""), ("Manchester", ""),
                ("Glasgow", "Scotland"), ("Cardiff", "Wales"), ("Norwich", "Norfolk"),
                ("Reading", "Berkshire"), ("Richmond", "Surrey"),
            ),
            "44", "en",
            0.8,
        ),
        Country(
            "IE", ("ie", "com"), ("Ltd", "DAC"),
            (("Dublin", ""), ("Cork", "Co. Cork"), ("Galway", "Co. Galway")),
            "353", "en",
            0.75,
        ),
        Country(
            "AU",
            ("com.au", "au", "com"),
            ("Pty Ltd", "Ltd"),
            (
                ("Sydney", "NSW"), ("Melbourne", "VIC"), ("Brisbane", "QLD"), ("Perth", "WA"),
                ("Adelaide", "SA"), ("Hobart", "TAS"), ("Newcastle", "NSW"),
            ),
            "61", "en",
            0.85,
        ),
        Country(
            "NZ", ("co.nz", "nz"), ("Ltd", "Limited"),
            (("Auckland", ""), ("Wellington", ""), ("Christchurch", "Canterbury")),
            "64", "en",
            0.75,
        ),
        Country("SG", ("com.sg", "sg", "com"), ("Pte Ltd",), (("Singapore", ""),), "65", "en", 0.9),
        Country(
            "DE",
            ("de", "com", "eu"),
            ("GmbH", "AG", "KG", "GmbH & Co. KG", "e.K."),
            (
                ("Berlin", "Berlin"), ("Hamburg", "Hamburg"), ("München", "Bayern"),
                ("Köln", "NRW"), ("Stuttgart", "BW"), ("Leipzig", "Sachsen"),
                ("Düsseldorf", "NRW"), ("Nürnberg", "Bayern"), ("Frankfurt am Main", "Hessen"),
            ),
            "49", "de",
            0.9,
        ),
        Country(
            "AT", ("at", "com"), ("GmbH", "AG"),
            (("Wien", ""), ("Graz", "Steiermark"), ("Linz", "Oberösterreich")),
            "43", "de",
            0.9,
        ),
        Country(
            "CH", ("ch", "com"),
            ("AG", "GmbH", "SA", "Sàrl"),
            (("Zürich", "ZH"), ("Basel", "BS"), ("Genève", "GE"), ("Bern", "BE")),
            "41", "de",
            0.9,
        ),
        Country(
            "FR",
            ("fr", "com", "eu"),
            ("SARL", "SAS", "S.A.", "EURL"),
            (
                ("Paris", "Île-de-France"), ("Lyon", ""), ("Nantes", ""), ("Lille", ""),
                ("Bordeaux", ""), ("Toulouse", "Occitanie"), ("Marseille", ""),
            ),
            "33", "fr",
            0.85,
        ),
        Country(
            "BE",
            ("be", "com", "eu"),
            ("N.V.", "BV", "SA", "SRL"),
            (("Antwerpen", ""), ("Bruxelles", ""), ("Gent", ""), ("Liège", "")),
            "32", "nl",
            0.85,
        ),
        Country(
            "NL",
            ("nl", "com", "eu"),
            ("B.V.", "N.V.", "V.O.F."),
            (
                ("Amsterdam", "NH"), ("Rotterdam", "ZH"), ("Utrecht", "UT"), ("Eindhoven", "NB"),
                ("Groningen", "GR"),
            ),
            "31", "nl",
            0.85,
        ),
        Country(
            "IT",
            ("it", "com", "eu"),
            ("S.r.l.", "S.p.A.", "S.n.c.", "S.a.s."),
            (
                ("Milano", "MI"), ("Torino", "TO"), ("Bologna", "BO"), ("Roma", "RM"),
                ("Napoli", "NA"), ("Firenze", "FI"),
            ),
            "39", "it",
            0.9,
        ),
        Country(
            "ES",
            ("es", "com", "eu"),
            ("S.L.", "S.A.", "S.L.U."),
            (
                ("Madrid", "Madrid"), ("Barcelona", "Cataluña"), ("Valencia", "Valencia"),
                ("Sevilla", "Andalucía"), ("Bilbao", "País Vasco"),
            ),
            "34", "es",
            0.85,
        ),
        Country(
            "SE", ("se", "com"), ("AB", "HB"),
            (("Stockholm", ""), ("Göteborg", ""), ("Malmö", ""), ("Uppsala", "")),
            "46", "sv",
            0.9,
        ),
        Country(
            "FI", ("fi", "com"),
            ("Oy", "Oyj", "Ky"),
            (("Helsinki", ""), ("Espoo", ""), ("Tampere", ""), ("Oulu", "")),
            "358", "fi",
            0.9,
        ),
        Country(
            "DK", ("dk", "com"),
            ("A/S", "ApS", "I/S"),
            (("København", ""), ("Aarhus", ""), ("Odense", ""), ("Aalborg", "")),
            "45", "da",
            0.9,
        ),
        Country(
            "NO", ("no", "com"), ("AS", "ASA"),
            (("Oslo", ""), ("Bergen", ""), ("Trondheim", "")),
            "47", "sv",
            0.9,
        ),
        Country(
            "JP",
            ("co.jp", "jp", "com"),
            ("K.K.", "Co., Ltd.", "G.K."),
            (
                ("Tokyo", ""), ("Osaka", ""), ("Nagoya", "Aichi"), ("Fukuoka", ""),
                ("Sapporo", "Hokkaido"),
            ),
            "81", "ja",
            0.9,
        ),
        Country(
            "BR",
            ("com.br", "br", "com"),
            ("Ltda", "S.A.", "EIRELI"),
            (
                ("São Paulo", "SP"), ("Rio de Janeiro", "RJ"), ("Curitiba", "PR"),
                ("Belo Horizonte", "MG"),
            ),
            "55", "pt",
            0.9,
        ),
    )
}

# Share of companies per country (an English-speaking CRM with an international tail).
COUNTRY_WEIGHTS: dict[str, float] = {
    "US": 38, "CA": 5, "GB": 10, "IE": 1.5, "AU": 5, "NZ": 1.5, "SG": 1, "DE": 7, "AT": 1.5,
    "CH": 2, "FR": 5, "BE": 1.5, "NL": 3, "IT": 3.5, "ES": 3, "SE": 2, "FI": 1.5, "DK": 1.5,
    "NO": 1, "JP": 2.5, "BR": 2,
}

# Other spellings of each legal form seen in the wild (punctuation, long form, comma); a
# change of case alone is case noise, not a variant.
SUFFIX_VARIANTS: dict[str, tuple[str, ...]] = {
    "Inc": ("Inc.", ", Inc.", "Incorporated", ", Inc"),
    "LLC": ("L.L.C.", ", LLC", "Limited Liability Company"),
    "Corp": ("Corp.", "Corporation", ", Corp."),
    "Co": ("Co.", "Company", "& Co", "& Co."),
    "LLP": ("L.L.P.", ", LLP"),
    "PC": ("P.C.", ", P.C."),
    "Ltd": ("Ltd.", "Limited", ", Ltd.", "Ltd ."),
    "Limited": ("Ltd", "Ltd."),
    "plc": ("p.l.c.", "Public Limited Company"),
    "DAC": ("D.A.C.", "Designated Activity Company"),
    "Pty Ltd": ("Pty. Ltd.", "Pty Limited", "Proprietary Limited", "Pty. Ltd"),
    "Pte Ltd": ("Pte. Ltd.", "Private Limited", "Pte. Ltd"),
    "GmbH": ("G.m.b.H.", "Gesellschaft mit beschränkter Haftung"),
    "AG": ("A.G.", "Aktiengesellschaft"),
    "KG": ("K.G.", "Kommanditgesellschaft"),
    "GmbH & Co. KG": ("GmbH & Co KG", "GmbH&Co.KG", "GmbH + Co. KG"),
    "e.K.": ("e. K.", "eK"),
    "SA": ("S.A.", "S.A"),
    "Sàrl": ("Sarl", "SARL", "S.à r.l."),
    "SARL": ("S.A.R.L.", "S.à.r.l."),
    "SAS": ("S.A.S.", "S.A.S"),
    "S.A.": ("SA", "S.A", "Société Anonyme", "S. A."),
    "EURL": ("E.U.R.L.",),
    "N.V.": ("NV", "N.V", "Naamloze Vennootschap"),
    "BV": ("B.V.", "B.V"),
    "B.V.": ("BV", "B.V", "Besloten Vennootschap"),
    "SRL": ("S.R.L.",),
    "V.O.F.": ("VOF", "vof"),
    "S.r.l.": ("Srl", "SRL"),
    "S.p.A.": ("SpA", "SPA"),
    "S.n.c.": ("Snc", "SNC"),
    "S.a.s.": ("Sas", "SAS"),
    "S.L.": ("SL", "S.L", "Sociedad Limitada", "S. L."),
    "S.L.U.": ("SLU", "S.L.U"),
    "AB": ("A.B.", "Aktiebolag"),
    "HB": ("H.B.", "Handelsbolag"),
    "Oy": ("Oy Ab",),
    "Oyj": ("Oyj Abp",),
    "A/S": ("AS", "A.S."),
    "I/S": ("IS",),
    "AS": ("A/S", "A.S."),
    "ASA": ("A.S.A.",),
    "K.K.": ("KK", "Kabushiki Kaisha", "K. K."),
    "Co., Ltd.": ("Co. Ltd.", "Co Ltd", "Company Limited", "Co.,Ltd."),
    "G.K.": ("GK", "Godo Kaisha"),
    "Ltda": ("Ltda.", "Limitada"),
}

# Legal forms a clerk may type instead of the right one (swaps).
SUFFIX_SWAPS: dict[str, tuple[str, ...]] = {
    "en": ("Inc", "LLC", "Ltd", "Corp", "Co", "Limited", "plc"),
    "de": ("GmbH", "AG", "KG", "Ltd"),
    "fr": ("SARL", "SAS", "S.A.", "Inc"),
    "nl": ("B.V.", "N.V.", "BV", "Ltd"),
    "it": ("S.r.l.", "S.p.A.", "Srl", "Ltd"),
    "es": ("S.L.", "S.A.", "Inc"),
    "sv": ("AB", "AS", "Ltd"),
    "fi": ("Oy", "Oyj", "Ltd"),
    "da": ("A/S", "ApS", "Ltd"),
    "ja": ("K.K.", "Co., Ltd.", "Inc", "Corp"),
    "pt": ("Ltda", "S.A.", "Inc"),
}

# Words added to a name by someone who half-remembers it.
ADDED_WORDS: tuple[str, ...] = ("Group", "Holdings", "Company", "Worldwide", "Enterprises")

# Word-level abbreviations in both directions (full form, short forms).
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "International": ("Intl", "Int'l", "Intl."),
    "Manufacturing": ("Mfg", "Mfg."),
    "Manufacturers": ("Mfrs",),
    "Services": ("Svcs", "Svc", "Servs"),
    "Service": ("Svc",),
    "Associates": ("Assoc", "Assoc.", "Assocs"),
    "Brothers": ("Bros", "Bros."),
    "Company": ("Co", "Co."),
    "Technologies": ("Tech", "Techs"),
    "Technology": ("Tech",),
    "Systems": ("Sys",),
    "Management": ("Mgmt", "Mgt"),
    "Engineering": ("Eng", "Engg"),
    "Development": ("Dev",),
    "Developments": ("Devs",),
    "Laboratories": ("Labs", "Lab"),
    "Distribution": ("Dist", "Distr"),
    "Distributors": ("Dist",),
    "Industries": ("Inds", "Ind"),
    "Construction": ("Const", "Constr"),
    "Accounting": ("Acctg",),
    "Accountants": ("Accts",),
    "National": ("Natl", "Nat'l"),
    "Consulting": ("Cnsltg",),
    "Financial": ("Fin", "Finl"),
    "Insurance": ("Ins",),
    "Properties": ("Props",),
    "Pharmaceuticals": ("Pharma",),
    "Automotive": ("Auto",),
    "Saint": ("St", "St."),
    "Mountain": ("Mtn",),
    "Street": ("St",),
    "Worldwide": ("WW",),
    "Veterinary": ("Vet",),
    "Electrical": ("Elec",),
    "Electric": ("Elec",),
    "Enterprises": ("Ent",),
    "Partners": ("Ptnrs",),
}

# Free and ISP mail domains that say nothing about the employer.
FREEMAIL: dict[str, tuple[str, ...]] = {
    "US": (
        "gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "aol.com", "icloud.com",
        "comcast.net", "verizon.net", "att.net", "protonmail.com",
    ),
    "CA": ("gmail.com", "yahoo.ca", "hotmail.ca", "shaw.ca", "rogers.com", "outlook.com"),
    "GB": (
        "gmail.com", "yahoo.co.uk", "hotmail.co.uk", "btinternet.com", "outlook.com", "sky.com",
        "live.co.uk",
    ),
    "IE": ("gmail.com", "eircom.net", "hotmail.com", "yahoo.ie"),
    "AU": ("gmail.com", "bigpond.com", "optusnet.com.au", "yahoo.com.au", "outlook.com"),
    "NZ": ("gmail.com", "xtra.co.nz", "hotmail.co.nz"),
    "SG": ("gmail.com", "singnet.com.sg", "yahoo.com.sg"),
    "DE": ("gmx.de", "web.de", "t-online.de", "gmail.com", "freenet.de", "posteo.de", "mail.ru"),
    "AT": ("gmx.at", "aon.at", "gmail.com"),
    "CH": ("bluewin.ch", "gmx.ch", "gmail.com"),
    "FR": ("orange.fr", "free.fr", "laposte.net", "wanadoo.fr", "gmail.com", "sfr.fr"),
    "BE": ("skynet.be", "telenet.be", "gmail.com"),
    "NL": ("ziggo.nl", "kpnmail.nl", "hotmail.nl", "gmail.com", "xs4all.nl"),
    "IT": ("libero.it", "virgilio.it", "tiscali.it", "gmail.com", "alice.it"),
    "ES": ("telefonica.net", "yahoo.es", "hotmail.es", "gmail.com"),
    "SE": ("telia.com", "hotmail.se", "gmail.com", "bredband.net"),
    "FI": ("luukku.com", "gmail.com", "elisanet.fi"),
    "DK": ("mail.dk", "jubii.dk", "gmail.com"),
    "NO": ("online.no", "gmail.com", "hotmail.no"),
    "JP": ("yahoo.co.jp", "docomo.ne.jp", "gmail.com", "nifty.com"),
    "BR": ("uol.com.br", "bol.com.br", "terra.com.br", "gmail.com", "yandex.ru"),
}

WEBSITE_PATHS: tuple[str, ...] = (
    "/", "/about", "/about-us/", "/contact", "/contact.html", "/en/", "/index.php",
    "/?utm_source=crm", "/home", "/services/",
)
WEBSITE_SUBDOMAINS: tuple[str, ...] = ("shop", "blog", "en", "uk", "info", "portal", "mail")
# fmt: on
