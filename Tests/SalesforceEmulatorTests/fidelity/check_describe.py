#!/usr/bin/env python3
"""Fidelity check of describe (issue 15): simple-salesforce reads Contact/Account/Lead/Task describe from the
emulator and the fields Ringside relies on (name, type, createable, custom) have Salesforce's shape.

Usage: check_describe.py BASE_URL MODE
MODE "person-accounts": the demo org (Resources/emulator-seed.json).
MODE "restricted": an org without Person Accounts, a custom phone field Contact.Mobile_2__c, Opportunity
hidden from the user and Task.TaskSubtype without field-level edit access.
Exits 0 when every check passes, 1 on the first mismatch, 3 when simple-salesforce is missing.
"""
import sys

try:
    import fidelity_common
    from fidelity_common import check
    from simple_salesforce import Salesforce
    from simple_salesforce.exceptions import SalesforceMalformedRequest, SalesforceResourceNotFound
except ImportError as exc:
    print(f"FAIL: simple-salesforce is not importable ({exc}); run `pip install simple-salesforce`")
    sys.exit(3)

BASE, MODE = sys.argv[1].rstrip("/"), sys.argv[2]




sf = Salesforce(username="agent@ringside.example", password="demo-password", security_token="DEMOTOKEN",
                session=fidelity_common.loopback(BASE))
described = {}
for name in ["Contact", "Account", "Lead", "Task"]:
    d = getattr(sf, name).describe()
    described[name] = {f["name"]: f for f in d["fields"]}
    check(d["name"] == name and isinstance(d["fields"], list) and d["fields"], f"{name} describe: name and a field list")
    shapes = [(type(f.get("name")), type(f.get("type")), type(f.get("createable")), type(f.get("custom")))
              for f in d["fields"]]
    check(all(s == (str, str, bool, bool) for s in shapes),
          f"{name} describe: every field has name/type (str), createable/custom (bool)")
    check(described[name]["Id"]["type"] == "id" and described[name]["Id"]["createable"] is False,
          f"{name}.Id is an id, not createable")


def phones(name):
    return sorted(n for n, f in described[name].items() if f["type"] == "phone")


check({"Phone", "MobilePhone"} <= set(phones("Contact")), "Contact phone fields typed phone", phones("Contact"))
check("Phone" in phones("Account") and "Phone" in phones("Lead"), "Account/Lead Phone typed phone")
check(described["Task"]["Subject"]["createable"] and described["Task"]["WhoId"]["type"] == "reference",
      "Task.Subject createable, WhoId a reference")

if MODE == "person-accounts":
    check("IsPersonAccount" in described["Account"], "Person Accounts: Account.IsPersonAccount exists")
    check("PersonMobilePhone" in phones("Account"), "Person Accounts: PersonMobilePhone is a phone field")
    check(described["Task"]["TaskSubtype"]["createable"] is True, "TaskSubtype createable for a full profile")
    check(sf.query("SELECT Id FROM Account WHERE IsPersonAccount = true")["totalSize"] >= 0,
          "SOQL on IsPersonAccount is accepted")
elif MODE == "restricted":
    check("IsPersonAccount" not in described["Account"] and not any(p.startswith("Person") for p in phones("Account")),
          "no Person Accounts: no IsPersonAccount, no Person… phone fields")
    try:
        sf.query("SELECT Id FROM Account WHERE IsPersonAccount = true")
        check(False, "SOQL naming IsPersonAccount is refused")
    except SalesforceMalformedRequest as e:
        check(e.content[0]["errorCode"] == "INVALID_FIELD" and "IsPersonAccount" in e.content[0]["message"],
              "SOQL naming IsPersonAccount → 400 INVALID_FIELD", e.content)
    mobile2 = described["Contact"].get("Mobile_2__c")
    check(mobile2 is not None and mobile2["type"] == "phone" and mobile2["custom"] is True,
          "custom phone field Contact.Mobile_2__c: type phone, custom", mobile2)
    check(described["Task"]["TaskSubtype"]["createable"] is False, "TaskSubtype not createable without FLS")
    try:
        sf.Opportunity.describe()
        check(False, "a hidden object's describe is refused")
    except SalesforceResourceNotFound:
        check(True, "hidden Opportunity: describe → 404")
else:
    check(False, f"unknown mode {MODE}")

print(f"PASS: {fidelity_common.count} checks")
