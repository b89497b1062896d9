"""Name parts for the company generator: industry words, surnames, given names, brand stems.

Hand-written per language; surname lists hold real names a letter apart (Jansen / Janssen) on
purpose, since distinct companies named after them are the hardest negatives.
"""

from __future__ import annotations

# fmt: off
# Industry words per language: (singular activity noun, a close cousin for look-alikes).
INDUSTRIES: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("Consulting", "Consultants"), ("Traders", "Trading Co"), ("Logistics", "Logistic"),
        ("Plumbing", "Plumbing & Heating"), ("Dental", "Dental Care"),
        ("Construction", "Constructions"), ("Engineering", "Engineers"),
        ("Manufacturing", "Manufacturers"), ("Services", "Service"), ("Associates", "Partners"),
        ("Solutions", "Systems"), ("Technologies", "Technology"), ("Software", "Softworks"),
        ("Marketing", "Media"), ("Realty", "Real Estate"), ("Properties", "Property Group"),
        ("Insurance", "Insurance Brokers"), ("Financial", "Finance"),
        ("Capital", "Capital Partners"), ("Landscaping", "Landscapes"), ("Roofing", "Roofers"),
        ("Electric", "Electrical"), ("Foods", "Food Co"), ("Bakery", "Bakeries"),
        ("Brewing", "Brewery"), ("Veterinary Clinic", "Vet Clinic"), ("Law Group", "Law Firm"),
        ("Accounting", "Accountants"), ("Pharmacy", "Pharmaceuticals"), ("Laboratories", "Labs"),
        ("Fitness", "Fitness Club"), ("Motors", "Motor Co"), ("Auto Repair", "Automotive"),
        ("Printing", "Print & Design"), ("Design Studio", "Designs"),
        ("Architects", "Architecture"), ("Staffing", "Recruitment"),
        ("Security", "Security Services"), ("Cleaning", "Cleaners"), ("Health", "Healthcare"),
        ("Energy", "Power"), ("Solar", "Solar Energy"), ("Travel", "Tours"),
        ("Publishing", "Press"), ("Distribution", "Distributors"), ("Industries", "Industrial"),
        ("Brothers", "Bros Trading"), ("Management", "Managers"), ("Development", "Developments"),
        ("International", "Worldwide"), ("Furniture", "Furnishings"), ("Textiles", "Fabrics"),
    ),
    "de": (
        ("Maschinenbau", "Maschinentechnik"), ("Logistik", "Spedition"),
        ("Bau", "Bauunternehmung"), ("Elektrotechnik", "Elektro"),
        ("Immobilien", "Immobilienverwaltung"), ("Steuerberatung", "Steuerberater"),
        ("Software", "Softwareentwicklung"), ("Handel", "Handelsgesellschaft"),
        ("Beratung", "Consulting"), ("Metallbau", "Metalltechnik"), ("Druckerei", "Druck"),
        ("Autohaus", "Automobile"), ("Gartenbau", "Garten"), ("Medizintechnik", "Medizin"),
        ("Versicherungsmakler", "Versicherungen"),
    ),
    "fr": (
        ("Conseil", "Consultants"), ("Transports", "Transport"), ("Bâtiment", "Construction"),
        ("Immobilier", "Immobilière"), ("Informatique", "Logiciels"),
        ("Boulangerie", "Pâtisserie"), ("Électricité", "Électrique"),
        ("Distribution", "Distributeurs"), ("Ingénierie", "Études"), ("Assurances", "Courtage"),
        ("Imprimerie", "Impression"), ("Architecture", "Architectes"),
    ),
    "nl": (
        ("Logistiek", "Transport"), ("Bouw", "Bouwbedrijf"),
        ("Installatietechniek", "Installaties"), ("Advies", "Adviesgroep"),
        ("Handelsonderneming", "Handel"), ("Vastgoed", "Makelaardij"), ("Software", "ICT"),
        ("Schilders", "Schildersbedrijf"), ("Accountants", "Administratie"),
    ),
    "it": (
        ("Costruzioni", "Edilizia"), ("Trasporti", "Logistica"), ("Consulenze", "Consulting"),
        ("Meccanica", "Meccanica di Precisione"), ("Impianti", "Impiantistica"),
        ("Alimentari", "Alimentare"), ("Arredamenti", "Mobili"), ("Informatica", "Software"),
        ("Tessuti", "Tessile"), ("Immobiliare", "Immobili"),
    ),
    "es": (
        ("Consultores", "Consultoría"), ("Construcciones", "Constructora"),
        ("Transportes", "Logística"), ("Distribuciones", "Distribuidora"),
        ("Inmobiliaria", "Inmuebles"), ("Ingeniería", "Ingenieros"), ("Asesores", "Asesoría"),
        ("Alimentación", "Alimentos"), ("Informática", "Sistemas"),
    ),
    "sv": (
        ("Bygg", "Byggnads"), ("Konsult", "Konsulter"), ("Transport", "Åkeri"),
        ("Fastigheter", "Fastighet"), ("Data", "IT"), ("Elektriska", "El"),
        ("Revision", "Redovisning"), ("Trä", "Snickeri"),
    ),
    "fi": (
        ("Rakennus", "Rakennuspalvelu"), ("Kuljetus", "Logistiikka"),
        ("Konsultointi", "Konsultit"), ("Sähkö", "Sähköasennus"),
        ("Kiinteistöt", "Kiinteistöpalvelut"), ("Tilitoimisto", "Tilipalvelu"),
    ),
    "da": (
        ("Byg", "Entreprise"), ("Transport", "Vognmand"), ("Rådgivning", "Consult"),
        ("El-Service", "El"), ("Ejendomme", "Ejendomsadministration"), ("Revision", "Revisorer"),
    ),
    "ja": (
        ("Shoji", "Shokai"), ("Kogyo", "Kogyosho"), ("Seisakusho", "Seiki"), ("Denki", "Denko"),
        ("Kensetsu", "Kenchiku"), ("Unyu", "Butsuryu"), ("Sangyo", "Kogyo Sangyo"),
        ("Trading", "Boeki"), ("Foods", "Shokuhin"),
    ),
    "pt": (
        ("Construções", "Construtora"), ("Transportes", "Logística"),
        ("Consultoria", "Consultores"), ("Comércio", "Comercial"), ("Engenharia", "Engenheiros"),
        ("Alimentos", "Alimentícia"), ("Imóveis", "Imobiliária"), ("Tecnologia", "Sistemas"),
    ),
}

# Surnames per language; pairs that differ by a letter are real, distinct names.
SURNAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "Hartley", "Whitaker", "Donovan", "Bishop", "Calloway", "Pendleton", "Ashford", "Kendrick",
        "Gallagher", "McAllister", "O'Brien", "Fitzgerald", "Harrington", "Sullivan", "Brennan",
        "Lawson", "Prescott", "Thornton", "Waverly", "Holloway", "Barrett", "Coleman", "Fletcher",
        "Garrison", "Hawkins", "Jennings", "Langley", "Mercer", "Norris", "Osborne", "Patel",
        "Quinn", "Ramsey", "Sinclair", "Tucker", "Vaughn", "Walsh", "Yates", "Baker", "Howell",
        "Stein", "Stine", "Meyers", "Myers", "Thompson", "Thomson", "Reid", "Reed", "Clarke",
        "Clark", "Nguyen", "Kowalski", "Okafor", "Chen", "Singh", "Abernathy", "Delgado",
        "Ferreira", "Haddad", "Ibrahim", "Johansson", "Kaplan", "Kaplin", "Lindgren", "Moreau",
        "Novak", "Petrov", "Rosenberg", "Sato", "Tanaka", "Underwood", "Vasquez", "Winslow",
    ),
    "de": (
        "Müller", "Schneider", "Fischer", "Weber", "Schäfer", "Becker", "Hoffmann", "Schröder",
        "Koch", "Bauer", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Krüger", "Zimmermann",
        "Braun", "Hofmann", "Lange", "Schmitt", "Schmidt", "Maier", "Meier", "Meyer", "Jäger",
        "Köhler", "Vogel", "Groß", "Huber", "Lehmann", "Weiß", "Kühn", "Böhm",
    ),
    "fr": (
        "Dupont", "Durand", "Lefèvre", "Moreau", "Laurent", "Girard", "Bonnet", "Rousseau",
        "Fournier", "Mercier", "Lambert", "Faure", "Chevalier", "Gauthier", "Perrin", "Roussel",
        "Leroy", "Lerois", "Dubois", "Duboix", "Brunet", "Blanchard",
    ),
    "nl": (
        "de Vries", "van Dijk", "Jansen", "Janssen", "Bakker", "Visser", "Smit", "Smits", "Meijer",
        "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
        "Dekker", "Brouwer", "de Wit", "Verbeek", "Peeters", "Maes", "Claes",
    ),
    "it": (
        "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino",
        "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo",
        "Lombardi", "Moretti", "Barbieri", "Fontana",
    ),
    "es": (
        "García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez",
        "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez",
        "Romero", "Navarro", "Torres", "Domínguez", "Vázquez",
    ),
    "sv": (
        "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
        "Persson", "Svensson", "Gustafsson", "Lindqvist", "Lindquist", "Berg", "Bergström",
        "Hansen", "Johansen", "Olsen", "Nordström", "Sjöberg",
    ),
    "fi": (
        "Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine",
        "Heikkinen", "Koskinen", "Järvinen", "Lehtonen", "Saarinen",
    ),
    "da": (
        "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
        "Rasmussen", "Jørgensen", "Madsen", "Kristensen",
    ),
    "ja": (
        "Tanaka", "Suzuki", "Takahashi", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi",
        "Kato", "Yoshida", "Yamada", "Sasaki", "Matsumoto", "Inoue", "Kimura", "Hayashi",
    ),
    "pt": (
        "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
        "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Araújo",
    ),
}

GIVEN_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "David", "Linda", "William",
        "Elizabeth", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Chris", "Karen",
        "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Sandra", "Steven",
        "Ashley", "Kevin", "Emily", "Brian", "Donna", "Priya", "Wei", "Aisha", "Mohammed",
        "Olivia", "Liam", "Noah", "Emma", "Grace", "Owen", "Sean", "Siobhan", "Jack", "Chloe",
    ),
    "de": (
        "Lukas", "Anna", "Jonas", "Lena", "Maximilian", "Laura", "Felix", "Julia", "Jürgen",
        "Sabine", "Stefan", "Katrin", "Andreas", "Birgit", "Tobias", "Sophie",
    ),
    "fr": (
        "Jean", "Marie", "Pierre", "Camille", "Nicolas", "Julie", "François", "Élodie", "Thomas",
        "Léa", "Antoine", "Chloé", "Sébastien", "Manon",
    ),
    "nl": (
        "Daan", "Emma", "Sem", "Julia", "Bram", "Sanne", "Joost", "Anouk", "Pieter", "Fleur",
        "Wouter", "Lotte", "Maarten", "Eva",
    ),
    "it": (
        "Marco", "Giulia", "Luca", "Francesca", "Alessandro", "Chiara", "Matteo", "Sara",
        "Lorenzo", "Valentina", "Davide", "Elena",
    ),
    "es": (
        "Javier", "María", "Carlos", "Lucía", "Alejandro", "Carmen", "Pablo", "Laura", "Sergio",
        "Marta", "Jorge", "Ana", "José",
    ),
    "sv": (
        "Erik", "Anna", "Lars", "Karin", "Anders", "Eva", "Johan", "Maria", "Per", "Sofia",
        "Björn", "Ingrid", "Magnus", "Astrid",
    ),
    "fi": ("Mikko", "Anna", "Juha", "Laura", "Jussi", "Hanna", "Timo", "Maria", "Antti", "Riikka"),
    "da": ("Mads", "Sofie", "Rasmus", "Ida", "Søren", "Mette", "Frederik", "Camilla", "Henrik"),
    "ja": ("Hiroshi", "Yuki", "Takeshi", "Aiko", "Kenji", "Haruka", "Daisuke", "Naoko", "Shota"),
    "pt": ("João", "Maria", "Pedro", "Ana", "Lucas", "Juliana", "Gabriel", "Fernanda", "Rafael"),
}

# Brand stems: coined and descriptive words that companies are named after.
BRAND_STEMS: tuple[str, ...] = (
    "Acme", "Northwind", "Bluepeak", "Silver Oak", "Redwood", "Ironbridge", "Keystone", "Summit",
    "Pinnacle", "Horizon", "Evergreen", "Granite", "Lakeside", "Riverbend", "Brightpath",
    "Clearwater", "Cornerstone", "Falcon", "Harbor", "Highland", "Liberty", "Meridian", "Oakridge",
    "Pioneer", "Sterling", "Stonegate", "Trident", "Vanguard", "Westfield", "Zenith", "Apex",
    "Atlas", "Beacon", "Cascade", "Crescent", "Crown", "Delta", "Eagle", "Elm Street", "Fairview",
    "Frontier", "Golden Gate", "Greenleaf", "Heritage", "Hilltop", "Juniper", "Kestrel",
    "Lighthouse", "Maple Leaf", "Monarch", "Nexus", "Nova", "Orion", "Paragon", "Polaris",
    "Quantum", "Radiant", "Sapphire", "Sequoia", "Skyline", "Solstice", "Spectrum", "Tidewater",
    "Timberline", "Trinity", "Union Square", "Valley", "Vertex", "Willow Creek", "Aurora",
    "Bayside", "Birchwood", "Blue Ridge", "Cedar", "Copperfield", "Coral", "Driftwood", "Emerald",
    "Foxglove", "Glacier", "Hawthorn", "Ivory", "Kingsway", "Lakeview", "Magnolia", "Mosaic",
    "Oakwood", "Pacific", "Peregrine", "Prairie", "Quarry", "Red Rock", "Sandstone", "Seaside",
    "Shoreline", "Starling", "Sunrise", "Thistle", "True North", "Vista", "Wildflower", "Windmill",
    "Alpine", "Arrowhead", "Bridgewater", "Canyon", "Compass", "Daybreak", "Echo", "Firefly",
    "Gateway", "Harvest", "Ironwood", "Jetstream", "Keel", "Lantern", "Millstone", "Nimbus",
    "Obsidian", "Parkway", "Riverside", "Saltmarsh", "Tamarack", "Upland", "Velvet", "Waypoint",
    "Yellowstone", "Zephyr", "Allied", "Premier", "Superior", "United", "National", "Continental",
    "Metro", "Capital City", "Tri-County", "First Choice", "Reliable", "Precision", "Advanced",
    "Integrated", "Global", "Dynamic",
)
# fmt: on
