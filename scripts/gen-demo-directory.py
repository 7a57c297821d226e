#!/usr/bin/env python3
"""Generate Resources/demo-directory.json, the demo CRM directory.

Deterministic (seeded RNG, stdlib only): running it twice gives the same file.

The directory holds Accounts (companies), Contacts, Person Accounts, Leads and
some Cases and Opportunities, with phone numbers in GB, US, JP, DE, FR, AU and
IN written the way people type them (`07814 256404`, `+44 (0)20 7946 0018`,
`+1 (415) 555-0123`, `+81 3-1234-5678`, ...) so that matching across formats
is exercised. The default region is GB, so numbers of other countries are
written in international form (with `+`, `00` or `(0)`), as a GB organisation
would store them; a national `(415) 555-0123` would mean a GB number there.

It also contains deliberate edge cases: Japanese, accented and very long
names, one hostile name with a terminal escape sequence, a switchboard shared
by three contacts of one account and a family number on a Contact and a Lead.
Landlines come from ranges reserved for drama where those are valid numbers
(Ofcom 020 7946 0xxx and 0161/0113/0121… 496 0xxx, NANP 555-01xx, ACMA
02 5550 xxxx / 0491 570 xxx, ARCEP 01 99 00 xx xx); mobiles are random
numbers in ordinary mobile ranges.

Usage: scripts/gen-demo-directory.py [OUTPUT]   (default Resources/demo-directory.json)
"""

import json
import os
import random
import sys
from datetime import datetime, timedelta, timezone

SEED = 20261001
rng = random.Random(SEED)

# --------------------------------------------------------------------------
# Salesforce IDs
# --------------------------------------------------------------------------

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
PREFIX = {"Account": "001", "Contact": "003", "Lead": "00Q", "Case": "500", "Opportunity": "006"}
_used_ids = set()


def id_suffix(id15):
    """The documented 15 -> 18 checksum: per 5-char chunk, bit i = char i is A-Z."""
    out = ""
    for chunk in range(3):
        bits = 0
        for i in range(5):
            if "A" <= id15[chunk * 5 + i] <= "Z":
                bits |= 1 << i
        out += SUFFIX_ALPHABET[bits]
    return out


def new_id(record_type):
    """An 18-char ID: key prefix, instance `8d`, reserved `0000`, 6 base62 chars."""
    while True:
        body = "".join(rng.choice(BASE62) for _ in range(6))
        id15 = PREFIX[record_type] + "8d0000" + body
        if id15.lower() not in _used_ids:  # 18-char IDs are case-insensitive
            _used_ids.add(id15.lower())
            return id15 + id_suffix(id15)


# --------------------------------------------------------------------------
# Phone numbers: canonical (country code, national number) rendered in a
# randomly chosen human format.
# --------------------------------------------------------------------------

_used_numbers = set()


def claim(cc, nsn):
    key = "+" + cc + nsn
    if key in _used_numbers:
        return False
    _used_numbers.add(key)
    return True


def digits(n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def fresh(cc, make):
    while True:
        nsn = make()
        if claim(cc, nsn):
            return cc, nsn


def gb_mobile():
    # Ordinary mobile ranges (074xx-079xx); not 076 (pagers) nor 07700 900 (drama, unassigned).
    def make():
        nsn = "7" + rng.choice("45789") + digits(8)
        return make() if nsn.startswith("7700900") else nsn
    return fresh("44", make)


def gb_landline():
    area = rng.choice(["20", "20", "20", "161", "113", "121", "117", "131", "118"])
    if area == "20":
        return fresh("44", lambda: "2079460" + digits(3))
    return fresh("44", lambda: area + "4960" + digits(3))


def us_number():
    area = rng.choice(["415", "212", "312", "617", "206", "512", "303", "646"])
    return fresh("1", lambda: area + "5550" + rng.choice("1") + digits(2))


def jp_number():
    kind = rng.choice(["3", "6", "45", "90", "80"])
    if kind == "45":
        return fresh("81", lambda: "45" + rng.choice("2345689") + digits(6))
    return fresh("81", lambda: kind + rng.choice("123456789") + digits(7))


def de_number():
    kind = rng.choice(["30", "89", "40", "221", "151", "171"])
    if kind in ("151",):
        return fresh("49", lambda: kind + digits(8))
    if kind in ("171",):
        return fresh("49", lambda: kind + digits(7))
    return fresh("49", lambda: kind + digits(7))


def fr_number():
    return fresh("33", lambda: rng.choice(["199001" + digits(3), "6" + rng.choice("12345") + digits(7)]))


def au_number():
    return fresh("61", lambda: rng.choice(["25550" + digits(4), "491570" + rng.choice("01") + digits(2)]))


def in_number():
    return fresh("91", lambda: rng.choice("6789") + digits(9))


MAKERS = {"GB-M": gb_mobile, "GB-L": gb_landline, "US": us_number, "JP": jp_number,
          "DE": de_number, "FR": fr_number, "AU": au_number, "IN": in_number}

FULLWIDTH = {c: chr(0xFF10 + int(c)) for c in "0123456789"}


def group(s, sizes, sep=" "):
    out, i = [], 0
    for k, size in enumerate(sizes):
        if i >= len(s):
            break
        end = len(s) if k == len(sizes) - 1 else i + size
        out.append(s[i:end])
        i = end
    return sep.join(out)


def gb_groups(nsn):
    if nsn.startswith("7"):
        return [4, 6]
    if nsn.startswith("2"):
        return [2, 4, 4]
    if nsn[1] == "1" or nsn[2] == "1":
        return [3, 3, 4]
    return [4, 6]


def render(cc, nsn):
    """One of the ways people write this number, for a GB organisation."""
    if cc == "44":
        g = gb_groups(nsn)
        nat = "0" + group(nsn, g)
        styles = [
            nat, nat, "0" + nsn, "+44 " + group(nsn, g), "+44" + nsn,
            "+44 (0)" + group(nsn, g), "0044 " + group(nsn, g), "0" + group(nsn, g, "-"),
            "(0" + group(nsn, g).replace(" ", ") ", 1), "0" + group(nsn, g, "."),
        ]
        if nsn.startswith("20"):
            styles.append("0" + nsn[:3] + " " + nsn[3:6] + " " + nsn[6:])  # 0207 946 0018
        return rng.choice(styles)
    if cc == "1":
        a, b, c = nsn[:3], nsn[3:6], nsn[6:]
        return rng.choice([f"+1 ({a}) {b}-{c}", f"+1 {a}-{b}-{c}", f"+1 {a} {b} {c}", f"+1{a}{b}{c}",
                           f"001 {a} {b} {c}", f"+1.{a}.{b}.{c}", f"00 1 ({a}) {b}-{c}"])
    if cc == "81":
        g = [1, 4, 4] if nsn[0] in "36" else [2, 3, 4] if len(nsn) == 9 else [2, 4, 4]
        dashed = group(nsn, g, "-")
        return rng.choice([f"+81 {dashed}", f"+81 (0){group(nsn, g)}", f"+81{nsn}", f"0081 {group(nsn, g)}",
                           "＋８１ " + "".join(FULLWIDTH.get(ch, ch) for ch in dashed), f"+81-{dashed}"])
    if cc == "49":
        area = 3 if nsn[:3] in ("151", "171", "221") else 2
        a, rest = nsn[:area], nsn[area:]
        return rng.choice([f"+49 {a} {rest}", f"+49 (0){a} {rest}", f"0049 {a} {rest}", f"+49-{a}-{rest}",
                           f"+49 (0) {a} / {rest}", f"+49{nsn}"])
    if cc == "33":
        g = group(nsn, [1, 2, 2, 2, 2])
        return rng.choice([f"+33 {g}", f"+33 (0){g}", f"0033 {g}", "+33 " + g.replace(" ", ".")])
    if cc == "61":
        g = group(nsn, [3, 3, 3] if nsn[0] == "4" else [1, 4, 4])
        return rng.choice([f"+61 {g}", f"+61 (0){g}", f"0061 {g}", f"+61{nsn}"])
    if cc == "91":
        g = group(nsn, [5, 5])
        return rng.choice([f"+91 {g}", f"+91-{g.replace(' ', '-')}", f"0091 {g}", f"+91{nsn}"])
    raise ValueError(cc)


def phone(field, kind):
    cc, nsn = MAKERS[kind]()
    return {"field": field, "raw": render(cc, nsn)}


# --------------------------------------------------------------------------
# People and companies
# --------------------------------------------------------------------------

FIRST = {
    "GB": ["Oliver", "Amelia", "Harry", "Isla", "George", "Ava", "Jack", "Emily", "Charlie", "Sophie", "Thomas",
           "Grace", "James", "Lucy", "William", "Chloe", "Daniel", "Hannah", "Rhys", "Niamh", "Callum", "Priya",
           "Mohammed", "Aisha", "Eilidh", "Owen"],
    "US": ["Liam", "Olivia", "Noah", "Emma", "Ethan", "Madison", "Mason", "Harper", "Logan", "Avery", "Carlos",
           "Maria", "Jamal", "Keisha", "Tyler", "Brooke"],
    "JP": ["Haruto", "Yui", "Sota", "Hina", "Ren", "Aoi", "Kaito", "Sakura", "Yuto", "Mio"],
    "DE": ["Lukas", "Lena", "Felix", "Hannah", "Jonas", "Leonie", "Maximilian", "Katharina", "Tobias", "Anja"],
    "FR": ["Louis", "Camille", "Hugo", "Léa", "Gabriel", "Chloé", "Théo", "Manon"],
    "AU": ["Jack", "Charlotte", "Cooper", "Matilda", "Riley", "Zara"],
    "IN": ["Aarav", "Ananya", "Vihaan", "Diya", "Arjun", "Saanvi", "Rohan", "Kavya"],
}
LAST = {
    "GB": ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
           "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
           "Patel", "Khan", "Murphy", "MacDonald", "Hughes", "O'Neill"],
    "US": ["Johnson", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Anderson", "Thomas", "Moore",
           "Jackson", "Lee", "Harris", "Washington", "Nguyen"],
    "JP": ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Nakamura", "Kobayashi"],
    "DE": ["Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Schäfer", "Koch"],
    "FR": ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand"],
    "AU": ["Smith", "Nguyen", "Kelly", "Mitchell", "Campbell", "Murray"],
    "IN": ["Sharma", "Verma", "Iyer", "Reddy", "Nair", "Gupta", "Mehta", "Kapoor"],
}
JAPANESE_NAMES = ["山田 太郎", "佐藤 花子", "鈴木 一郎", "高橋 美咲", "田中 健太", "伊藤 さくら"]
ACCENTED_NAMES = [("Zoë Müller", "DE"), ("José Núñez", "GB"), ("François Lefèvre", "FR"), ("Søren Ødegård", "GB"),
                  ("Björn Ångström", "DE"), ("Siobhán Ó Súilleabháin", "GB"), ("Renée Côté", "US")]
LONG_NAME = "Maximilian Alexander Friedrich Wilhelm von Hohenzollern-Sigmaringen-Württemberg-Hechingen III"
HOSTILE_NAME = "\u001b]0;pwned\u0007Mallory"

COMPANIES = [
    ("Bloggs Ltd", "GB"), ("Harbour & Finch LLP", "GB"), ("Northwind Logistics Ltd", "GB"),
    ("Pennine Water Services", "GB"), ("Kestrel Insurance plc", "GB"), ("Thames Valley Dental", "GB"),
    ("Greenway Builders Ltd", "GB"), ("Castle Street Bakery", "GB"), ("Orbital Telecom UK", "GB"),
    ("Highland Estates", "GB"), ("Redbrick Lettings", "GB"), ("Mersey Marine Supplies", "GB"),
    ("Golden Gate Analytics Inc.", "US"), ("Lakeshore Freight LLC", "US"), ("Brightwater Health", "US"),
    ("Empire State Printing Co.", "US"), ("Cascade Outdoor Gear", "US"),
    ("株式会社さくら商事", "JP"), ("Tokyo Precision Industries K.K.", "JP"), ("Osaka Bay Foods", "JP"),
    ("Müller & Söhne GmbH", "DE"), ("Berliner Feinkost AG", "DE"), ("Isar Maschinenbau GmbH", "DE"),
    ("Lefèvre Conseil SARL", "FR"), ("Southern Cross Solar Pty Ltd", "AU"), ("Bengaluru Softworks Pvt Ltd", "IN"),
    ("Clyde Engineering Group", "GB"), ("Wessex Veterinary Partners", "GB"), ("Saltaire Textiles", "GB"),
    ("Avon Legal Services", "GB"), ("Fenland Farms Ltd", "GB"), ("Cotswold Travel", "GB"),
]
OWNERS = ["Sam Agent", "Priya Shah", "Tom Clarke", "Aiko Tanaka", "Megan Lloyd"]

START = datetime(2026, 1, 5, tzinfo=timezone.utc)


def modified():
    moment = START + timedelta(seconds=rng.randrange(0, 300 * 24 * 3600))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def person_name(country):
    return f"{rng.choice(FIRST[country])} {rng.choice(LAST[country])}"


def landline_kind(country):
    return "GB-L" if country == "GB" else country


def mobile_kind(country):
    return "GB-M" if country == "GB" else country


def record(rtype, name, phones, account=None, person_account=False, rid=None):
    r = {"type": rtype, "id": rid or new_id(rtype), "name": name}
    if account is not None:
        r["accountId"] = account["id"]
        r["accountName"] = account["name"]
    r["phones"] = phones
    r["owner"] = rng.choice(OWNERS)
    r["lastModified"] = modified()
    r["isPersonAccount"] = person_account
    return r


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "Resources", "demo-directory.json")

    accounts, contacts, person_accounts, leads, cases, opportunities = [], [], [], [], [], []
    scenarios = {}
    # Numbers with a fixed role are reserved before any random number is drawn.
    for cc, nsn in [("44", "7814256404"), ("44", "7700900123"), ("44", "2079460018"), ("81", "312345678"),
                    ("44", "7700900666"), ("44", "1614960777"), ("44", "2079460555"), ("44", "1134960199"),
                    ("44", "2079460999")]:
        claim(cc, nsn)

    # Companies, each with a main number.
    for name, country in COMPANIES:
        accounts.append(record("Account", name, [phone("Phone", landline_kind(country))]) | {"_country": country})

    # Fred Bloggs of Bloggs Ltd: the single-match scenario.
    bloggs = accounts[0]
    fred = record("Contact", "Fred Bloggs", [{"field": "Phone", "raw": "07814 256404"},
                                             {"field": "MobilePhone", "raw": "+44 7700 900123"}], account=bloggs)
    contacts.append(fred)
    scenarios["singleMatch"] = "+44 (0)7814 256404"

    # A switchboard shared by three contacts of Harbour & Finch (the account's own
    # Phone is its reception line, so the switchboard matches exactly three records).
    harbour = accounts[1]
    for raw, person in [("020 7946 0018", "Eleanor Finch"), ("+44 (0)20 7946 0018", "Marcus Harbour"),
                        ("02079460018 ext. 204", "Ruth Okafor")]:
        contacts.append(record("Contact", person, [{"field": "Phone", "raw": raw},
                                                   phone("MobilePhone", "GB-M")], account=harbour))
    scenarios["multipleMatch"] = "+44 20 7946 0018"

    # Ordinary contacts across the companies.
    for account in accounts:
        country = account["_country"]
        for _ in range(rng.choice([2, 3, 3, 4])):
            phones = [phone("Phone", landline_kind(country))]
            if rng.random() < 0.7:
                phones.append(phone("MobilePhone", mobile_kind(country)))
            if rng.random() < 0.15:
                phones.append(phone("HomePhone", mobile_kind(country)))
            if rng.random() < 0.1:
                phones.append(phone("OtherPhone", landline_kind(country)))
            if rng.random() < 0.1:
                phones.append(phone("AssistantPhone", landline_kind(country)))
            name = person_name(country)
            contacts.append(record("Contact", name, phones, account=account))

    # Japanese-named contacts at the Japanese companies; the first is the scenario.
    jp_accounts = [a for a in accounts if a["_country"] == "JP"]
    for i, name in enumerate(JAPANESE_NAMES):
        phones = [phone("Phone", "JP")]
        if i == 0:
            phones = [{"field": "Phone", "raw": "＋８１ ３-１２３４-５６７８"}, phone("MobilePhone", "JP")]
        contacts.append(record("Contact", name, phones, account=jp_accounts[i % len(jp_accounts)]))
    # With a GB default region the national form 03-1234-5678 would be a GB
    # number, so the scenario is written internationally.
    scenarios["japanese"] = "+81 3-1234-5678"

    # Accented and very long names.
    for name, country in ACCENTED_NAMES:
        account = rng.choice([a for a in accounts if a["_country"] == country])
        contacts.append(record("Contact", name, [phone("Phone", landline_kind(country)),
                                                 phone("MobilePhone", mobile_kind(country))], account=account))
    contacts.append(record("Contact", LONG_NAME, [phone("Phone", "DE")],
                           account=next(a for a in accounts if a["name"] == "Müller & Söhne GmbH")))

    # The hostile record: a name that would retitle the terminal if printed raw.
    hostile = record("Lead", HOSTILE_NAME, [{"field": "MobilePhone", "raw": "07700 900666"}])
    leads.append(hostile)
    scenarios["hostile"] = "+447700900666"

    # A family number on a Contact and a Lead (two matches).
    family_contact = record("Contact", "Gareth Hughes", [{"field": "HomePhone", "raw": "0161 496 0777"},
                                                         phone("MobilePhone", "GB-M")],
                            account=next(a for a in accounts if a["name"] == "Mersey Marine Supplies"))
    contacts.append(family_contact)
    leads.append(record("Lead", "Bethan Hughes", [{"field": "Phone", "raw": "+44 161 496 0777"}]))

    # Person Accounts (consumers): Phone plus personal fields.
    for _ in range(22):
        country = rng.choice(["GB"] * 6 + ["US", "DE", "FR", "AU", "IN", "JP"])
        phones = [phone("Phone", landline_kind(country))]
        if rng.random() < 0.8:
            phones.append(phone("PersonMobilePhone", mobile_kind(country)))
        if rng.random() < 0.3:
            phones.append(phone("PersonHomePhone", landline_kind(country)))
        if rng.random() < 0.15:
            phones.append(phone("PersonOtherPhone", mobile_kind(country)))
        person_accounts.append(record("Account", person_name(country), phones, person_account=True))

    # Leads.
    for _ in range(55):
        country = rng.choice(["GB"] * 6 + ["US", "US", "DE", "JP", "FR", "AU", "IN"])
        phones = [phone("Phone", landline_kind(country))] if rng.random() < 0.8 else []
        if not phones or rng.random() < 0.5:
            phones.append(phone("MobilePhone", mobile_kind(country)))
        leads.append(record("Lead", person_name(country), phones))

    # A couple of numbers written unusually (tel: URI, extension).
    leads.append(record("Lead", "Imogen Price", [{"field": "Phone", "raw": "tel:+44-20-7946-0555"}]))
    contacts.append(record("Contact", "Declan Moore", [{"field": "Phone", "raw": "0113 496 0199 x12"}],
                           account=next(a for a in accounts if a["name"] == "Northwind Logistics Ltd")))

    # Cases and Opportunities linked to accounts (no phones).
    case_subjects = ["Delivery delayed", "Invoice query", "Login problem", "Damaged goods", "Change of address",
                     "Refund request", "Service outage", "Warranty claim", "Missing parts", "Billing error",
                     "Password reset", "Cancel subscription", "Upgrade request", "Complaint about call", "Data request"]
    for subject in case_subjects:
        account = rng.choice(accounts)
        cases.append(record("Case", subject, [], account=account))
    opp_names = ["Renewal 2027", "Fleet expansion", "New office fit-out", "Support contract", "Pilot project",
                 "Cloud migration", "Annual licence", "Training package", "Hardware refresh", "Consulting retainer",
                 "Phase 2 rollout", "Solar install", "Catering contract", "Marketing campaign", "Upsell: premium"]
    for opp in opp_names:
        account = rng.choice(accounts)
        opportunities.append(record("Opportunity", f"{account['name']} – {opp}", [], account=account))

    for a in accounts:
        del a["_country"]
    records = accounts + contacts + person_accounts + leads + cases + opportunities
    records.sort(key=lambda r: (["Account", "Contact", "Lead", "Case", "Opportunity"].index(r["type"]), r["name"]))

    scenarios["noMatch"] = "020 7946 0999"
    scenarios["internal"] = "2001"
    favourites = [fred["id"], harbour["id"], contacts[1]["id"], family_contact["id"],
                  next(r["id"] for r in contacts if r["name"] == JAPANESE_NAMES[0]), person_accounts[0]["id"]]

    doc = {
        "version": 1,
        "defaultRegion": "GB",
        "scenarios": {k: scenarios[k] for k in
                      ["singleMatch", "multipleMatch", "noMatch", "internal", "japanese", "hostile"]},
        "favourites": favourites,
        "records": records,
    }
    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as f:
        # ensure_ascii=False keeps names readable; control characters are still \u-escaped.
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {len(records)} records to {os.path.relpath(out_path)}", file=sys.stderr)


if __name__ == "__main__":
    main()
