#!/usr/bin/env python3
# What a user would write instead of `crm dashboard`: PyYAML's C loader over
# the same files, two worker processes, the dashboard's SPEC keys as JSON.
# bench/run.sh times it beside crm; it is the yardstick, not a second crm
# (no filters, no --at, no formulas: the generator's repositories only).
#
#   python3 bench/dashboard.py REPO      (CRM_TODAY=YYYY-MM-DD pins "today")
import configparser
import datetime
import json
import os
import sys
from decimal import Decimal, ROUND_HALF_UP
from multiprocessing import Pool

import yaml

LOADER = yaml.CSafeLoader   # libyaml: the fastest PyYAML has
CENT = Decimal("0.01")


def money(text):
    """'28000.00 EUR' -> (Decimal, 'EUR')"""
    amount, _, cur = str(text).partition(" ")
    return Decimal(amount), cur or None


def day(v):
    if isinstance(v, datetime.datetime):
        return v.date()
    if isinstance(v, datetime.date):
        return v
    if isinstance(v, str):
        try:
            return datetime.date.fromisoformat(v[:10])
        except ValueError:
            return None
    return None


def read(path):
    """One file reduced to what the dashboard needs, in a worker."""
    with open(path, "rb") as f:
        doc = yaml.load(f, Loader=LOADER)
    if not isinstance(doc, dict):
        return None
    if "/opportunities/" in path:
        hist = [day(h.get("date")) for h in doc.get("history") or [] if isinstance(h, dict)]
        return ("o", os.path.basename(path)[:-5], doc.get("stage"), doc.get("amount"),
                day(doc.get("created")), day(doc.get("closed")), [h for h in hist if h])
    if "/activities/" in path:
        about = doc.get("about")
        if isinstance(about, str) and about.startswith("opportunity/"):
            return ("a", about[12:], day(doc.get("date")))
        return None
    if "/invoices/" in path:
        return ("i", doc.get("number"), doc.get("status"), doc.get("type"),
                doc.get("currency"), doc.get("lines") or [], doc.get("payments") or [])
    return None


def files(root):
    for folder in ("opportunities", "activities", "invoices"):
        for top, _, names in os.walk(os.path.join(root, folder)):
            for n in names:
                if n.endswith(".yaml"):
                    yield os.path.join(top, n)


def main():
    root = sys.argv[1]
    ini = configparser.ConfigParser(inline_comment_prefixes=(";", "#"), interpolation=None)
    ini.read(os.path.join(root, "crm.ini"))
    base = ini.get("crm", "currency", fallback="EUR")
    stages, rates, taxes = {}, {base: Decimal(1)}, {}
    for sec in ini.sections():
        name = sec.split('"')[1] if '"' in sec else None
        if sec.startswith("stage "):
            stages[name] = (Decimal(ini.get(sec, "probability", fallback="0")),
                            ini.get(sec, "outcome", fallback="open"))
        elif sec.startswith("rate "):
            rates[name] = Decimal(ini.get(sec, "value"))
        elif sec.startswith("tax "):
            taxes[name] = Decimal(ini.get(sec, "rate").rstrip("%")) / 100
    stalled_days = ini.getint("dashboard", "stalled_days", fallback=30)
    env = os.environ.get("CRM_TODAY")
    today = datetime.date.fromisoformat(env) if env else datetime.date.today()

    with Pool(2) as pool:
        rows = [r for r in pool.imap_unordered(read, files(root), chunksize=256) if r]

    touched = {}
    for r in rows:
        if r[0] == "a" and r[2]:
            touched[r[1]] = max(touched.get(r[1], r[2]), r[2])
    z = Decimal(0)
    f = dict(open_count=0, won_count=0, lost_count=0, stalled_count=0)
    pipeline = weighted = won = lost = invoiced = paid = z

    def base_amount(text, default=None):
        a, cur = money(text)
        return a * rates[cur or default or base]

    for r in rows:
        if r[0] != "o":
            continue
        _, oid, stage, amount, created, closed, hist = r
        prob, outcome = stages.get(stage, (None, "open"))
        a = base_amount(amount) if amount else None
        if outcome == "open":
            f["open_count"] += 1
            pipeline += a or z
            if prob is not None and a is not None:
                weighted += a * prob / 100
            last = max([created] + hist + ([touched[oid]] if oid in touched else []))
            if (today - last).days > stalled_days:
                f["stalled_count"] += 1
        elif outcome == "won":
            f["won_count"] += 1
            won += a or z
        elif outcome == "lost":
            f["lost_count"] += 1
            lost += a or z
    for r in rows:
        if r[0] != "i" or not r[1] or r[2] in ("rejected", "cancelled"):
            continue
        _, number, status, typ, cur, lines, payments = r
        sign = -1 if typ == "credit-note" else 1
        nets = {}
        for ln in lines:
            p, pcur = money(ln["unit_price"])
            net = (Decimal(str(ln.get("quantity", 1))) * p).quantize(CENT, ROUND_HALF_UP)
            nets[ln.get("tax")] = nets.get(ln.get("tax"), z) + net
        total = sum((n + (n * taxes.get(t, z)).quantize(CENT, ROUND_HALF_UP)
                     for t, n in nets.items()), z)
        invoiced += sign * total * rates[cur or base]
        for p in payments:
            paid += sign * base_amount(p["amount"], cur)

    def m(v):
        return {"amount": str(v.quantize(CENT, ROUND_HALF_UP)), "currency": base}
    closed = f["won_count"] + f["lost_count"]
    out = dict(open_count=f["open_count"], pipeline_total=m(pipeline),
               pipeline_weighted=m(weighted), won_count=f["won_count"], won_total=m(won),
               lost_count=f["lost_count"], lost_total=m(lost),
               win_rate=float((Decimal(f["won_count"]) / closed).quantize(Decimal("0.0001")))
               if closed else None,
               avg_deal_size=m(won / f["won_count"]) if f["won_count"] else None,
               stalled_count=f["stalled_count"], invoiced_total=m(invoiced),
               paid_total=m(paid))
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
