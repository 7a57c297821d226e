"""Shared by the simple-salesforce fidelity scripts: a session that reaches the emulator, and numbered checks."""
import sys

import requests

count = 0


class _Loopback(requests.Session):
    """simple-salesforce hard-codes https:// and login.salesforce.com; rewrite to the emulator."""

    base = ""

    def request(self, method, url, *args, **kwargs):
        url = url.replace("https://login.salesforce.com", self.base).replace("https://", "http://")
        return super().request(method, url, *args, **kwargs)


def loopback(base):
    session = _Loopback()
    session.base = base
    return session


def check(cond, what, detail=""):
    global count
    if not cond:
        print(f"FAIL: {what} {detail}")
        sys.exit(1)
    count += 1
    print(f"ok   {what}")
