#!/usr/bin/env python3
# A generated deal history for t0850-forecast.sh and an independent reference
# of the forecast and backtest rules (README "Forecasts"), in Python decimals:
#   forecast-ref.py gen DIR                      writes the data repository
#   forecast-ref.py forecast METHOD TODAY N      the expected `crm forecast --json`
#   forecast-ref.py backtest TODAY N             the expected `crm forecast --backtest --json`
#   forecast-ref.py compare EXPECTED ACTUAL      exact comparison of the figures
import datetime as dt
import json
import os
import sys
from decimal import Decimal, ROUND_HALF_UP

STAGES = [("lead", 10, "open"), ("qualified", 30, "open"), ("proposal", 60, "open"),
          ("won", 100, "won"), ("lost", 0, "lost"), ("void", 0, "void")]
SI = {s[0]: i for i, s in enumerate(STAGES)}
OWNERS = ["ann", "bob", "ann", "cy", "bob", "ann"]


def q(x, places):
    return x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def lcg(state):
    return (state * 1103515245 + 12345) % (1 << 31)


def deals():
    """60 deals created every 9 days from 2024-01-03; a fixed pseudo-random
    walk through the pipeline, closing as won, lost or void or still open
    on 2025-07-15."""
    out, r = [], 2024
    today = dt.date(2025, 7, 15)
    for i in range(60):
        r = lcg(r)
        created = dt.date(2024, 1, 3) + dt.timedelta(days=9 * i)
        amount = Decimal(1000 + (r >> 8) % 40 * 250)
        if i % 7 == 3:
            amount += Decimal("0.35")
        usd = i % 11 == 5
        d = {"id": "deal-%02d" % i, "owner": OWNERS[i % 6], "created": created,
             "usd": usd, "amount_text": "%s %s" % (amount, "USD" if usd else "EUR"),
             "amount": q(amount * Decimal("0.92"), 2) if usd else amount,
             "confidence": None if i % 4 == 1 else 1 + (r >> 12) % 5,
             "ec": created + dt.timedelta(days=60 + (r >> 14) % 150),
             "tags": ["seo"] if i % 3 == 0 else [], "history": [], "closed": None}
        day, stage = created, "lead"
        d["history"].append((day, stage))
        for _ in range(3):
            r = lcg(r)
            day = day + dt.timedelta(days=10 + (r >> 10) % 45)
            if day > today:
                break
            roll = (r >> 16) % 10
            if stage == "proposal" or roll >= 8:
                # the last step: won, lost or (rarely) void
                stage = "won" if roll < 5 + (2 if d["owner"] == "ann" else 0) else \
                    ("void" if roll == 9 and i % 2 else "lost")
                d["history"].append((day, stage))
                break
            stage = STAGES[SI[stage] + 1][0]
            d["history"].append((day, stage))
        d["stage"] = stage
        if STAGES[SI[stage]][2] != "open" and i % 5 != 2:
            d["closed"] = d["history"][-1][0]       # else taken from history
        out.append(d)
    return out


def gen(root):
    os.makedirs(os.path.join(root, "opportunities"))
    os.makedirs(os.path.join(root, "clients"))
    with open(os.path.join(root, "crm.ini"), "w") as f:
        f.write("[crm]\ncurrency = EUR\ntimezone = UTC\n\n")
        for name, p, o in STAGES:
            f.write('[stage "%s"]\nprobability = %d\n' % (name, p))
            if o != "open":
                f.write("outcome = %s\n" % o)
        f.write('\n[rate "USD"]\nvalue = 0.92\n')
    with open(os.path.join(root, "clients", "acme.yaml"), "w") as f:
        f.write("name: Acme\n")
    for d in deals():
        lines = ["title: Deal %s" % d["id"], "client: acme", "stage: %s" % d["stage"],
                 'amount: "%s"' % d["amount_text"], "expected_close: %s" % d["ec"],
                 "owner: %s" % d["owner"], "created: %s" % d["created"]]
        if d["confidence"] is not None:
            lines.append("confidence: %d" % d["confidence"])
        if d["tags"]:
            lines.append("tags: [%s]" % ", ".join(d["tags"]))
        if d["stage"] == "lost":
            lines.append("lost_reason: price")
        if d["closed"]:
            lines.append("closed: %s" % d["closed"])
        lines.append("history:")
        for day, stage in d["history"]:
            lines.append("  - {date: %s, stage: %s, by: %s}" % (day, stage, d["owner"]))
        with open(os.path.join(root, "opportunities", d["id"] + ".yaml"), "w") as f:
            f.write("\n".join(lines) + "\n")


# ---- the reference model -------------------------------------------------

def outcome(s):
    return "void" if s is None else STAGES[s][2]


def first_open():
    return 0


def stage_at(d, day):
    if d["created"] > day:
        return None
    last = None
    for hd, hs in d["history"]:
        if hd <= day:
            last = SI[hs]
    if last is not None:
        return last
    s0 = SI[d["history"][0][1]]
    return s0 if outcome(s0) == "open" else first_open()


def closed_on(d):
    if outcome(SI[d["stage"]]) not in ("won", "lost"):
        return None
    return d["closed"] or d["history"][-1][0]


def outcome_at(d, day):
    c = closed_on(d)
    if c is not None and c <= day:
        return outcome(SI[d["stage"]])
    return outcome(stage_at(d, day))


def month_of(day):
    return day.year * 12 + day.month - 1


def month_text(m):
    return "%04d-%02d" % (m // 12, m % 12 + 1)


def learn(ds, as_of):
    won = [0] * len(STAGES)
    closed = [0] * len(STAGES)
    for d in ds:
        o = outcome_at(d, as_of)
        if o not in ("won", "lost"):
            continue
        now = stage_at(d, as_of)
        for s in range(len(STAGES)):
            if now == s or any(hd <= as_of and SI[hs] == s for hd, hs in d["history"]):
                closed[s] += 1
                won[s] += o == "won"
    rate = [q(Decimal(won[s]) / closed[s], 8) if closed[s] >= 3
            else q(Decimal(STAGES[s][1]) / 100, 8) for s in range(len(STAGES))]
    owners = {}
    for d in ds:
        o = outcome_at(d, as_of)
        if o not in ("won", "lost"):
            continue
        c = closed_on(d)
        before = stage_at(d, c - dt.timedelta(days=1))
        if outcome(before) != "open":
            continue
        w = owners.setdefault(d["owner"], [0, Decimal(0), Decimal(0)])
        w[0] += 1
        if o == "won":
            w[1] += d["amount"]
        w[2] += q(d["amount"] * rate[before], 6)
    factor = {k: q(v[1] / v[2], 8) for k, v in owners.items() if v[0] >= 5 and v[2] != 0}
    end = month_of(as_of + dt.timedelta(days=1)) - 1
    closes = [month_of(closed_on(d)) for d in ds if closed_on(d) is not None]
    closes = [m for m in closes if m <= end]
    season = None
    if closes and end - min(closes) + 1 >= 12:
        years = (end - min(closes) + 1) // 12
        lo = end - 12 * years + 1
        by, total, n = [Decimal(0)] * 12, Decimal(0), 0
        for d in ds:
            c = closed_on(d)
            if c is None or d["stage"] != "won" or not lo <= month_of(c) <= end:
                continue
            n += 1
            by[month_of(c) % 12] += d["amount"]
            total += d["amount"]
        if total > 0:
            season = [q((12 * n * by[k] + 24 * total) / (total * (n + 24)), 8) for k in range(12)]
    return rate, factor, season


def run(ds, method, model, as_of, first, nmonths, selected=lambda d: True):
    rate, factor, season = model
    items = []
    for d in ds:
        if not selected(d):
            continue
        s = stage_at(d, as_of)
        if outcome(s) != "open":
            continue
        m = max(month_of(d["ec"]), first)
        if m >= first + nmonths:
            continue
        prob = q(Decimal(STAGES[s][1]) / 100, 8)
        own, sea = Decimal(1), Decimal(1)
        if method == "stage":
            base = prob
        elif method == "confidence":
            base = q(Decimal(d["confidence"]) / 5, 8) if d["confidence"] is not None else prob
        else:
            base = rate[s]
            own = factor.get(d["owner"], Decimal(1))
            if season:
                sea = season[m % 12]
        w = q(q(base * own, 8) * sea, 8)
        items.append((d, m, w, q(d["amount"] * w, 6)))
    return items


def forecast(method, today, n):
    ds = deals()
    today = dt.date.fromisoformat(today)
    first = month_of(today)
    items = run(ds, method, learn(ds, today), today, first, n)
    rows = {}
    for k in range(n):
        its = [it for it in items if it[1] == first + k]
        rows[month_text(first + k)] = {"count": len(its),
                                       "expected": str(q(sum((it[3] for it in its), Decimal(0)), 2)),
                                       "pipeline": str(q(sum((it[0]["amount"] for it in its), Decimal(0)), 2))}
    return {"rows": rows, "total": str(q(sum((it[3] for it in items), Decimal(0)), 2)),
            "weights": {it[0]["id"]: str(it[2].normalize()) for it in items}}


def backtest(today, n):
    ds = deals()
    today = dt.date.fromisoformat(today)
    last = month_of(today) - 1
    first = max(last - n + 1, min(month_of(d["created"]) for d in ds) + 1)
    months, errs = [], {}
    for m in range(first, last + 1):
        as_of = dt.date(m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
        actual = q(sum((d["amount"] for d in ds if d["stage"] == "won" and
                        month_of(closed_on(d)) == m), Decimal(0)), 2)
        model = learn(ds, as_of)
        pred = {meth: q(sum((it[3] for it in run(ds, meth, model, as_of, m, 1)), Decimal(0)), 2)
                for meth in ("stage", "confidence", "historical")}
        months.append((m, actual, pred))
    for meth in ("stage", "confidence", "historical"):
        ape = [q(abs(p[meth] - a) / a, 8) for _, a, p in months if a > 0]
        sa = sum(a for _, a, _ in months)
        sp = sum(p[meth] for _, _, p in months)
        errs[meth] = {"mape": str(q(sum(ape) / len(ape), 4)) if ape else None,
                      "bias": str(q((sp - sa) / sa, 4)) if sa > 0 else None}
    return {"months": {month_text(m): {"actual": str(a), **{k: str(v) for k, v in p.items()}}
                       for m, a, p in months}, "errors": errs}


def from_crm(doc):
    """The same shape from crm's JSON output."""
    if "rows" in doc:
        weights = {}
        for r in doc["rows"]:
            for it in r.get("deals", []):
                weights[it["id"]] = str(Decimal(str(it["weight"])).normalize())
        return {"rows": {r["key"]: {"count": r["count"], "expected": r["expected"]["amount"],
                                    "pipeline": r["pipeline"]["amount"]} for r in doc["rows"]},
                "total": doc["total"]["expected"]["amount"], "weights": weights}
    return {"months": {m["month"]: {"actual": m["actual"]["amount"],
                                    **{k: v["amount"] for k, v in m["predicted"].items()}}
                       for m in doc["months"]},
            "errors": {e["method"]: {"mape": None if e["mape"] is None else str(e["mape"]),
                                     "bias": None if e["bias"] is None else str(e["bias"])}
                       for e in doc["methods"]}}


def main():
    cmd = sys.argv[1]
    if cmd == "gen":
        gen(sys.argv[2])
    elif cmd == "forecast":
        print(json.dumps(forecast(sys.argv[2], sys.argv[3], int(sys.argv[4])), indent=1,
                         sort_keys=True))
    elif cmd == "backtest":
        print(json.dumps(backtest(sys.argv[2], int(sys.argv[3])), indent=1, sort_keys=True))
    elif cmd == "compare":
        with open(sys.argv[2]) as f:
            want = json.load(f)
        with open(sys.argv[3]) as f:
            got = from_crm(json.load(f, parse_float=Decimal))
        got = json.loads(json.dumps(got, indent=1, sort_keys=True))
        if want != got:
            print("expected:", json.dumps(want, indent=1, sort_keys=True))
            print("got:", json.dumps(got, indent=1, sort_keys=True))
            sys.exit(1)


if __name__ == "__main__":
    main()
