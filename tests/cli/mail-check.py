# Parses a message crm invoice send wrote (t0740) with python's email module
# and prints what the test compares: headers decoded, each part's type and
# name, and whether each attachment equals a file given on the command line.
# usage: mail-check.py MESSAGE [NAME=FILE...]
import email
import email.policy
import email.utils
import re
import sys

raw = open(sys.argv[1], "rb").read()
expected = dict(a.split("=", 1) for a in sys.argv[2:])
lines = raw.split(b"\r\n")
assert raw.endswith(b"\r\n"), "no CRLF at the end"
assert b"\n" not in raw.replace(b"\r\n", b""), "a bare LF"
assert max(len(l) for l in lines) <= 78, "a line longer than 78"
for l in lines:
    if re.fullmatch(rb"[A-Za-z0-9+/=]{20,}", l):
        assert len(l) <= 76, "a base64 line longer than 76"
msg = email.message_from_bytes(raw, policy=email.policy.default)
print("From:", msg["From"].addresses[0].display_name, "|", msg["From"].addresses[0].addr_spec)
print("To:", msg["To"].addresses[0].display_name, "|", msg["To"].addresses[0].addr_spec)
print("Subject:", msg["Subject"])
assert email.utils.parsedate_to_datetime(msg["Date"]) is not None
assert re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", msg["Message-ID"].strip()), msg["Message-ID"]
print("Content-Type:", msg.get_content_type())
for part in msg.iter_parts():
    name = part.get_filename()
    body = part.get_content()
    if name is None:
        print("part:", part.get_content_type(), "charset=" + part.get_content_charset())
        assert "\n" not in body.replace("\r\n", ""), "a bare LF in the body"
        print(body.replace("\r\n", "\n").rstrip("\n"))
        continue
    same = "equal" if name in expected and open(expected[name], "rb").read() == body else "DIFFERENT"
    print("part:", part.get_content_type(), name, same)
