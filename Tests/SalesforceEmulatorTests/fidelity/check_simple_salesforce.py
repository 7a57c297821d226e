#!/usr/bin/env python3
"""Fidelity check: drive the emulator with the independent PyPI client simple-salesforce.

Usage: check_simple_salesforce.py BASE_URL
The emulator must be seeded with Resources/emulator-seed.json (credentials and records below).
Exits 0 when every check passes, 1 on the first mismatch, 3 when simple-salesforce is missing.
"""
import datetime
import json
import sys
import urllib.request

try:
    import requests
    import fidelity_common
    from fidelity_common import check
    from simple_salesforce import Salesforce
    from simple_salesforce.exceptions import (SalesforceExpiredSession, SalesforceMalformedRequest,
                                              SalesforceResourceNotFound, SalesforceAuthenticationFailed)
except ImportError as exc:  # CI installs it: pip install simple-salesforce
    print(f"FAIL: simple-salesforce is not importable ({exc}); run `pip install simple-salesforce`")
    sys.exit(3)

BASE = sys.argv[1].rstrip("/")
USERNAME, PASSWORD, TOKEN = "agent@ringside.example", "demo-password", "DEMOTOKEN"
CLIENT_ID, CLIENT_SECRET = "3MVG9ringside-demo-client", "ringside-demo-secret"
ANN = "003Dg0000000001IAA"
ACME = "001Dg0000000001IAA"


def LoopbackSession():
    return fidelity_common.loopback(BASE)


def control(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(BASE + "/__emulator/" + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        raw = r.read()
        return json.loads(raw) if raw else None


control("POST", "reset")

# --- Login: SOAP (username + password + security token) and OAuth username-password ---
sf = Salesforce(username=USERNAME, password=PASSWORD, security_token=TOKEN, session=LoopbackSession())
check(sf.sf_instance == BASE.split("//")[1], "SOAP login sets sf_instance", sf.sf_instance)
sf_oauth = Salesforce(username=USERNAME, password=PASSWORD + TOKEN, consumer_key=CLIENT_ID,
                      consumer_secret=CLIENT_SECRET, session=LoopbackSession())
check(sf_oauth.session_id.startswith("00D"), "OAuth password login returns an access token")
try:
    Salesforce(username=USERNAME, password="wrong", security_token=TOKEN, session=LoopbackSession())
    check(False, "bad SOAP password is rejected")
except SalesforceAuthenticationFailed as e:
    check(e.code == "INVALID_LOGIN", "bad SOAP password → INVALID_LOGIN", e)
try:
    Salesforce(username=USERNAME, password="wrong", consumer_key=CLIENT_ID, consumer_secret=CLIENT_SECRET,
               session=LoopbackSession())
    check(False, "bad OAuth password is rejected")
except SalesforceAuthenticationFailed as e:
    check(e.code == "invalid_grant" and "authentication failure" in str(e), "bad OAuth password → invalid_grant", e)

# --- query with paging ---
control("POST", "records/Contact", [{"FirstName": "Bulk", "LastName": f"Person{i:04d}", "Phone": f"+4411300{i:05d}"}
                                    for i in range(450)])
first = sf.query("SELECT Id, Name FROM Contact WHERE FirstName = 'Bulk' ORDER BY LastName",
                 headers={"Sforce-Query-Options": "batchSize=200"})
check(first["totalSize"] == 450 and len(first["records"]) == 200 and first["done"] is False,
      "query pages at batchSize=200", {k: first[k] for k in ("totalSize", "done")})
check(first["nextRecordsUrl"].startswith("/services/data/v59.0/query/01g"), "nextRecordsUrl shape", first["nextRecordsUrl"])
second = sf.query_more(first["nextRecordsUrl"], identifier_is_url=True)
check(len(second["records"]) == 200 and second["records"][0]["Name"] == "Bulk Person0200", "query_more returns page 2")
everything = sf.query_all("SELECT Id, Name, Phone FROM Contact WHERE FirstName = 'Bulk'")
check(everything["totalSize"] == 450 and len(everything["records"]) == 450 and everything["done"],
      "query_all follows nextRecordsUrl to the end")
rel = sf.query(f"SELECT Id, Name, Account.Name FROM Contact WHERE Id = '{ANN}'")
check(rel["records"][0]["Account"]["Name"] == "Acme Logistics Ltd", "relationship field Account.Name")
check(rel["records"][0]["attributes"]["type"] == "Contact", "records carry attributes.type")
esc = sf.query("SELECT Name FROM Contact WHERE LastName = 'O\\'Brien'")
check(esc["totalSize"] == 1, "escaped quote in a SOQL literal")
count = sf.query("SELECT COUNT() FROM Contact WHERE FirstName = 'Bulk'")
check(count["totalSize"] == 450 and count["records"] == [], "SELECT COUNT()")
try:
    sf.query("SELECT Id FROM Contact WHERE")
    check(False, "malformed SOQL raises")
except SalesforceMalformedRequest as e:
    check(e.content[0]["errorCode"] == "MALFORMED_QUERY", "malformed SOQL → 400 MALFORMED_QUERY")
try:
    sf.query("SELECT Nope FROM Contact")
    check(False, "unknown field raises")
except SalesforceMalformedRequest as e:
    check(e.content[0]["errorCode"] == "INVALID_FIELD", "unknown field → 400 INVALID_FIELD")

# --- search (SOSL) ---
found = sf.search("FIND {07814256404} IN PHONE FIELDS RETURNING Contact(Id, Name, Phone, MobilePhone), "
                  "Account(Id, Name, Phone, IsPersonAccount, PersonMobilePhone), "
                  "Lead(Id, Name, Phone WHERE IsConverted = false)")
ids = [r["Id"] for r in found["searchRecords"]]
check(ANN in ids, "SOSL phone search finds the contact", ids)
person = sf.search("FIND {\\+44 7700 900123} IN PHONE FIELDS RETURNING Account(Id, Name, IsPersonAccount, PersonMobilePhone)")
check(any(r.get("IsPersonAccount") for r in person["searchRecords"]), "SOSL escaped '+' finds the person account")
try:
    sf.search("FIND {+44-7700} IN PHONE FIELDS")
    check(False, "unescaped reserved characters raise")
except SalesforceMalformedRequest as e:
    check(e.content[0]["errorCode"] == "MALFORMED_SEARCH", "unescaped '+' → MALFORMED_SEARCH")

# --- sObjects ---
created = sf.Task.create({"Subject": "Call +44 7814 256404", "WhoId": ANN, "WhatId": ACME, "Status": "Completed",
                          "CallType": "Inbound", "CallDurationInSeconds": 65, "TaskSubtype": "Call",
                          "ActivityDate": "2026-11-30"})
check(created["success"] is True and created["errors"] == [] and created["id"].startswith("00T")
      and len(created["id"]) == 18, "Task.create → 201 with an 18-char 00T id", created)
task = sf.Task.get(created["id"])
check(task["IsClosed"] is True and task["AccountId"] == ACME, "Task derived fields (IsClosed, AccountId)")
try:
    sf.Task.create({"Subject": "x", "CallType": "Sideways"})
    check(False, "restricted picklist raises")
except SalesforceMalformedRequest as e:
    check(e.content[0]["errorCode"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "bad CallType → restricted picklist")
contact = sf.Contact.get(ANN)
check(contact["Name"] == "Ann Lee" and contact["attributes"]["type"] == "Contact", "Contact.get")
status = sf.Contact.update(ANN, {"Title": "Head of Ops"})
check(status == 204, "Contact.update → 204", status)
check(sf.Contact.get(ANN)["Title"] == "Head of Ops", "update is visible")
try:
    sf.Contact.get("003Dg0000000099IAA")
    check(False, "unknown id raises")
except SalesforceResourceNotFound:
    check(True, "Contact.get unknown id → 404")
# --- upsert by External ID (org option callIdField: Task.Ringside_Call_Id__c, issue 14) ---
try:
    sf.Task.upsert("Ringside_Call_Id__c/call-0", {"Subject": "No field yet"})
    check(False, "upsert without the External ID field is refused")
except SalesforceResourceNotFound as e:
    check("external ID field" in str(e), "upsert without the External ID field → 404 NOT_FOUND", e)
control("POST", "org", {"callIdField": True})
field = next((f for f in sf.Task.describe()["fields"] if f["name"] == "Ringside_Call_Id__c"), None)
check(field is not None and field["externalId"] and field["unique"] and field["length"] == 64,
      "describe: Ringside_Call_Id__c is a unique External ID Text(64)", field)
upsert = sf.Task.upsert("Ringside_Call_Id__c/call-123", {"Subject": "Upserted", "Status": "Completed"})
check(upsert == 201, "Task.upsert by external id creates (201)", upsert)
check(sf.Task.upsert("Ringside_Call_Id__c/call-123", {"Subject": "Upserted again"}) == 200, "second upsert updates (200)")
by_id = sf.Task.get_by_custom_id("Ringside_Call_Id__c", "call-123")
check(by_id["Subject"] == "Upserted again", "Task.get_by_custom_id reads the upserted record", by_id.get("Subject"))
coll_up = sf.restful("composite/sobjects/Task/Ringside_Call_Id__c", method="PATCH", json={"allOrNone": False, "records": [
    {"attributes": {"type": "Task"}, "Ringside_Call_Id__c": "call-123", "Subject": "Batch update"},
    {"attributes": {"type": "Task"}, "Ringside_Call_Id__c": "call-124", "Subject": "Batch create"},
    {"attributes": {"type": "Task"}, "Ringside_Call_Id__c": "call-125", "Subject": "Bad", "CallType": "Bogus"}]})
check([r["success"] for r in coll_up] == [True, True, False] and coll_up[0]["created"] is False
      and coll_up[1]["created"] is True and coll_up[0]["id"] == by_id["Id"]
      and coll_up[2]["errors"][0]["statusCode"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
      "composite/sobjects/Task/Ringside_Call_Id__c upsert: per-record results, created/updated", coll_up)
again = sf.restful("composite/sobjects/Task/Ringside_Call_Id__c", method="PATCH", json={"allOrNone": False, "records": [
    {"attributes": {"type": "Task"}, "Ringside_Call_Id__c": "call-124", "Subject": "Batch create"}]})
check(again[0]["created"] is False, "the same batch upsert again updates, never duplicates", again)
check(sf.query("SELECT COUNT() FROM Task WHERE Ringside_Call_Id__c IN ('call-123', 'call-124')")["totalSize"] == 2,
      "one Task per call id after repeated upserts")

# --- sObject Collections via restful ---
coll = sf.restful("composite/sobjects", method="POST", json={"allOrNone": False, "records": [
    {"attributes": {"type": "Task"}, "Subject": "Call 1", "WhoId": ANN, "Status": "Completed"},
    {"attributes": {"type": "Task"}, "Subject": "Call 2", "CallType": "Bogus"},
]})
check(isinstance(coll, list) and coll[0]["success"] and not coll[1]["success"]
      and coll[1]["errors"][0]["statusCode"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
      "composite/sobjects partial success", coll)
rolled = sf.restful("composite/sobjects", method="POST", json={"allOrNone": True, "records": [
    {"attributes": {"type": "Task"}, "Subject": "Rolled back"},
    {"attributes": {"type": "Task"}, "Subject": "Bad", "WhoId": "not-an-id"},
]})
check(not rolled[0]["success"] and rolled[0]["errors"][0]["statusCode"] == "ALL_OR_NONE_OPERATION_ROLLED_BACK"
      and rolled[1]["errors"][0]["statusCode"] == "MALFORMED_ID", "allOrNone rolls back", rolled)
check(sf.query("SELECT COUNT() FROM Task WHERE Subject = 'Rolled back'")["totalSize"] == 0, "rolled-back record absent")

# --- deleted / updated, limits, usage header ---
sf.Contact.delete(created_contact := sf.Contact.create({"LastName": "Temp"})["id"])
now = datetime.datetime.now(datetime.timezone.utc)
window = (now - datetime.timedelta(minutes=5), now + datetime.timedelta(minutes=1))
deleted = sf.Contact.deleted(*window)
check(any(d["id"] == created_contact for d in deleted["deletedRecords"]) and "latestDateCovered" in deleted,
      "SFType.deleted lists the deleted id")
updated = sf.Contact.updated(*window)
check(ANN in updated["ids"], "SFType.updated lists the updated id")
check(sf.query("SELECT Id FROM Contact WHERE Id = '%s'" % created_contact, include_deleted=True)["totalSize"] == 1,
      "queryAll includes deleted records")
limits = sf.limits()
check(limits["DailyApiRequests"]["Max"] == 15000, "limits DailyApiRequests")
usage = sf.api_usage.get("api-usage")
check(usage is not None and usage.total == 15000 and usage.used > 0, "Sforce-Limit-Info parsed into api_usage", usage)

# --- expired session: simple-salesforce re-logs in on 401 INVALID_SESSION_ID ---
old = sf.session_id
control("POST", "expire-tokens")
again = sf.query(f"SELECT Id FROM Contact WHERE Id = '{ANN}'")
check(again["totalSize"] == 1 and sf.session_id != old, "401 INVALID_SESSION_ID triggers re-login and retry")
direct = Salesforce(instance_url=BASE, session_id=old, session=LoopbackSession())
try:
    direct.query("SELECT Id FROM Contact")
    check(False, "expired token raises")
except SalesforceExpiredSession:
    check(True, "expired token without credentials → SalesforceExpiredSession")

print(f"PASS: {fidelity_common.count} checks")
