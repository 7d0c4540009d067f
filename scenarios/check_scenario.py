#!/usr/bin/env python3
"""Checks a heatplan scenario file without the Rust loader (Python 3.11+, stdlib only).

    python3 scenarios/check_scenario.py scenarios/tutorial.toml scenarios/city.toml

Mirrors src/scenario/types.rs (unknown keys are errors, required keys, value
types) and the rules of docs/scenario.md: ids unique, every reference resolves,
every station reachable from a heat source without `interconnection` segments,
rates cover every DN. Then prints the figures a planner wants first: pipe km,
stations, households, crew-days demanded per crew type against crew-days
available, open-trench load, and the earliest heat-ready date ignoring crews
(a resource-free critical path, so a lower bound).

This is a stand-in until the Rust validator exists; where they disagree, the
Rust loader is right.
"""

import datetime as dt
import heapq
import math
import sys
import tomllib
from collections import defaultdict

DATE = "date"
STR, INT, UINT, FLOAT, BOOL = "str", "int", "uint", "float", "bool"

# table -> {key: (type, required)}; "list:X" is a list of X; "table:NAME" a nested table
SCHEMA = {
    "root": {"programme": ("table:programme", True), "calendar": ("table:calendar", False),
             "sources": ("list:table:source", True), "nodes": ("list:table:node", True),
             "segments": ("list:table:segment", False), "stations": ("list:table:station", False),
             "templates": ("table:templates", True), "districts": ("list:table:district", True),
             "contractors": ("list:table:contractor", True), "tasks": ("list:table:task", False),
             "links": ("list:table:link", False), "milestones": ("list:table:milestone", False)},
    "programme": {"name": (STR, True), "window_start": (DATE, True), "window_end": (DATE, True),
                  "deadline": (DATE, True), "overrun_days": (UINT, False)},
    "calendar": {"rest_weekdays": ("list:str", False), "holidays": ("list:table:period", False),
                 "makeup_days": ("list:date", False), "bans": ("list:table:ban", False),
                 "productivity": ("list:table:productivity", False),
                 "stop_work": ("list:table:ban", False)},
    "period": {"name": (STR, True), "from": (DATE, True), "to": (DATE, False)},
    "ban": {"name": (STR, True), "from": (DATE, True), "to": (DATE, False),
            "tags": ("list:str", False), "districts": ("list:str", False)},
    "productivity": {"name": (STR, True), "from": (DATE, True), "to": (DATE, True),
                     "factor": (FLOAT, True), "tags": ("list:str", False)},
    "source": {"id": (STR, True), "name": (STR, False), "node": (STR, True)},
    "node": {"id": (STR, True), "x_km": (FLOAT, False), "y_km": (FLOAT, False)},
    "segment": {"id": (STR, True), "from": (STR, True), "to": (STR, True),
                "length_m": (FLOAT, True), "dn": (UINT, True), "district": (STR, True),
                "method": (STR, False), "tags": ("list:str", False)},
    "station": {"id": (STR, True), "name": (STR, False), "node": (STR, True),
                "heated_area_m2": (FLOAT, True), "households": (UINT, True),
                "district": (STR, True), "tags": ("list:str", False)},
    "templates": {"segment": ("list:table:step", True), "station": ("list:table:step", True)},
    "step": {"key": (STR, True), "name": (STR, True), "crew": (STR, True),
             "tags": ("list:str", False), "rates": ("list:table:rate", False),
             "days": (FLOAT, False), "days_per_10k_m2": (FLOAT, False), "link": (STR, False),
             "lag_days": (INT, False), "supply_ready": (BOOL, False)},
    "rate": {"dn_max": (UINT, True), "metres_per_day": (FLOAT, True)},
    "district": {"id": (STR, True), "name": (STR, False), "contractors": ("list:str", True),
                 "max_open_trenches": (UINT, True)},
    "contractor": {"id": (STR, True), "name": (STR, False), "crews": ("map:uint", True),
                   "productivity": ("map:float", False), "cost_per_crew_day": (FLOAT, False)},
    "task": {"id": (STR, True), "name": (STR, True), "days": (FLOAT, True),
             "district": (STR, False), "crew": (STR, False), "tags": ("list:str", False),
             "calendar_days": (BOOL, False), "not_before": (DATE, False)},
    "link": {"from": (STR, True), "to": (STR, True), "kind": (STR, False), "lag_days": (INT, False)},
    "milestone": {"id": (STR, True), "name": (STR, True), "after": ("list:str", False),
                  "due": (DATE, False)},
}
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


class Checker:
    def __init__(self, path):
        self.path = path
        self.errors = []
        self.warnings = []

    def err(self, msg):
        self.errors.append(msg)

    def scalar_ok(self, ty, v):
        if ty == STR:
            return isinstance(v, str)
        if ty in (INT, UINT):
            return isinstance(v, int) and not isinstance(v, bool) and (ty == INT or v >= 0)
        if ty == FLOAT:
            return isinstance(v, (int, float)) and not isinstance(v, bool)
        if ty == BOOL:
            return isinstance(v, bool)
        if ty == DATE:
            if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
                return True
            if isinstance(v, str):
                try:
                    dt.date.fromisoformat(v)
                    return True
                except ValueError:
                    return False
            return False
        raise ValueError(ty)

    def check_value(self, ty, v, where):
        if ty.startswith("table:"):
            self.check_table(ty[6:], v, where)
        elif ty.startswith("list:"):
            if not isinstance(v, list):
                self.err(f"{where}: expected an array")
                return
            for i, x in enumerate(v):
                self.check_value(ty[5:], x, f"{where}[{i}]")
        elif ty.startswith("map:"):
            if not isinstance(v, dict):
                self.err(f"{where}: expected a table")
                return
            for k, x in v.items():
                self.check_value(ty[4:], x, f"{where}.{k}")
        elif not self.scalar_ok(ty, v):
            self.err(f"{where}: expected {ty}, found {v!r}")

    def check_table(self, name, t, where):
        if not isinstance(t, dict):
            self.err(f"{where}: expected a table")
            return
        schema = SCHEMA[name]
        for k in t:
            if k not in schema:
                self.err(f"{where}: unknown field `{k}`")
        for k, (ty, req) in schema.items():
            if k in t:
                self.check_value(ty, t[k], f"{where}.{k}" if where else k)
            elif req:
                self.err(f"{where or 'file'}: missing field `{k}`")


def D(v):
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(v)


def check(path):
    with open(path, "rb") as f:
        sc = tomllib.load(f)
    c = Checker(path)
    c.check_table("root", sc, "")
    if c.errors:
        return c, None
    P = sc["programme"]
    cal = sc.get("calendar", {})
    nodes = {}
    for n in sc["nodes"]:
        if n["id"] in nodes:
            c.err(f"duplicate node id {n['id']}")
        nodes[n["id"]] = n
    # global element namespace
    kinds = {}
    for kind, key in [("segment", "segments"), ("station", "stations"), ("task", "tasks"),
                      ("milestone", "milestones"), ("district", "districts"),
                      ("contractor", "contractors"), ("source", "sources")]:
        for x in sc.get(key, []):
            if x["id"] in kinds:
                c.err(f"id {x['id']!r} used twice ({kinds[x['id']]} and {kind})")
            kinds[x["id"]] = kind
    segs = {s["id"]: s for s in sc.get("segments", [])}
    stas = {s["id"]: s for s in sc.get("stations", [])}
    tasks = {t["id"]: t for t in sc.get("tasks", [])}
    dists = {d["id"]: d for d in sc["districts"]}
    conts = {k["id"]: k for k in sc["contractors"]}
    mss = {m["id"]: m for m in sc.get("milestones", [])}
    crew_types = set()
    for k in conts.values():
        crew_types |= set(k["crews"])
        for ct in k.get("productivity", {}):
            if ct not in k["crews"]:
                c.err(f"contractor {k['id']}: productivity for crew type {ct} it has no crews of")
        for ct, v in k.get("productivity", {}).items():
            if v <= 0:
                c.err(f"contractor {k['id']}: productivity {ct} must be > 0")
    # programme
    ws, we, dl = D(P["window_start"]), D(P["window_end"]), D(P["deadline"])
    if not ws <= dl <= we:
        c.warnings.append(f"deadline {dl} outside the window {ws}..{we}")
    # calendar
    for w in cal.get("rest_weekdays", []):
        if w.lower()[:3] not in WEEKDAYS:
            c.err(f"rest_weekdays: unknown weekday {w!r}")
    for b in cal.get("bans", []) + cal.get("stop_work", []):
        for d in b.get("districts", []):
            if d not in dists:
                c.err(f"ban/stop_work {b['name']!r}: unknown district {d}")
    for pp in cal.get("productivity", []):
        if not 0 < pp["factor"] <= 1:
            c.err(f"productivity {pp['name']!r}: factor must be in (0, 1]")
    # templates
    T = sc["templates"]
    for kind in ("segment", "station"):
        keys = set()
        for st in T[kind]:
            if st["key"] in keys:
                c.err(f"templates.{kind}: duplicate key {st['key']}")
            keys.add(st["key"])
            if "/" in st["key"]:
                c.err(f"templates.{kind}: key {st['key']} must not contain '/'")
            if st["crew"] not in crew_types:
                c.err(f"templates.{kind}.{st['key']}: no contractor has crew type {st['crew']}")
            if st.get("link", "fs") not in ("fs", "ss"):
                c.err(f"templates.{kind}.{st['key']}: link must be fs or ss")
            has = [x for x in ("rates", "days", "days_per_10k_m2") if x in st]
            if kind == "segment" and "days_per_10k_m2" in st:
                c.err(f"templates.segment.{st['key']}: days_per_10k_m2 is for station steps")
            if kind == "station" and "rates" in st:
                c.err(f"templates.station.{st['key']}: rates are for segment steps")
            if kind == "segment" and "rates" in st and "days" in st:
                c.warnings.append(f"templates.segment.{st['key']}: both rates and days given")
            if not has:
                c.err(f"templates.{kind}.{st['key']}: no duration (rates, days or days_per_10k_m2)")
            dmax = [r["dn_max"] for r in st.get("rates", [])]
            if dmax != sorted(dmax):
                c.warnings.append(f"templates.{kind}.{st['key']}: rates not in increasing dn_max")
        if sum(1 for st in T[kind] if st.get("supply_ready")) > 1:
            c.err(f"templates.{kind}: more than one supply_ready step")
    seg_keys = {st["key"] for st in T["segment"]}
    sta_keys = {st["key"] for st in T["station"]}
    # districts and contractors
    needed = {st["crew"] for st in T["segment"] + T["station"]}
    for d in dists.values():
        for k in d["contractors"]:
            if k not in conts:
                c.err(f"district {d['id']}: unknown contractor {k}")
        have = set().union(*(set(conts[k]["crews"]) for k in d["contractors"] if k in conts)) \
            if d["contractors"] else set()
        for ct in needed:
            if ct not in have:
                c.err(f"district {d['id']}: no allowed contractor has a {ct} crew")
        if not d["contractors"]:
            c.err(f"district {d['id']}: no contractors")
    # network
    for s in sc["sources"]:
        if s["node"] not in nodes:
            c.err(f"source {s['id']}: unknown node {s['node']}")
    for s in segs.values():
        for e in ("from", "to"):
            if s[e] not in nodes:
                c.err(f"segment {s['id']}: unknown node {s[e]}")
        if s["district"] not in dists:
            c.err(f"segment {s['id']}: unknown district {s['district']}")
        if s.get("method", "open_cut") not in ("open_cut", "trenchless", "overhead"):
            c.err(f"segment {s['id']}: unknown method {s['method']}")
        if s["length_m"] <= 0:
            c.err(f"segment {s['id']}: length_m must be > 0")
        if s["from"] == s["to"]:
            c.err(f"segment {s['id']}: from and to are the same node")
        for st in T["segment"]:
            if "rates" in st and not any(r["dn_max"] >= s["dn"] for r in st["rates"]):
                c.err(f"segment {s['id']}: DN{s['dn']} above every dn_max of step {st['key']}")
    for s in stas.values():
        if s["node"] not in nodes:
            c.err(f"station {s['id']}: unknown node {s['node']}")
        if s["district"] not in dists:
            c.err(f"station {s['id']}: unknown district {s['district']}")
    for t in tasks.values():
        if "district" in t and t["district"] not in dists:
            c.err(f"task {t['id']}: unknown district {t['district']}")
        if "crew" in t:
            if "district" not in t:
                c.err(f"task {t['id']}: a task with a crew needs a district")
            elif not any(t["crew"] in conts[k]["crews"] for k in dists[t["district"]]["contractors"]
                         if k in conts):
                c.err(f"task {t['id']}: no contractor of {t['district']} has a {t['crew']} crew")

    def ref_ok(r, as_to=False, milestone=False):
        if "/" in r:
            el, key = r.split("/", 1)
            if el in segs:
                return key in seg_keys
            if el in stas:
                return key in sta_keys
            return False
        if r in segs or r in stas or r in tasks:
            return True
        if as_to and r in mss:
            return True
        if milestone and r in dists:
            return True
        return False

    for i, l in enumerate(sc.get("links", [])):
        if not ref_ok(l["from"]):
            c.err(f"links[{i}]: unknown predecessor {l['from']!r}")
        if not ref_ok(l["to"], as_to=True):
            c.err(f"links[{i}]: unknown successor {l['to']!r}")
        if l.get("kind", "fs") not in ("fs", "ss"):
            c.err(f"links[{i}]: kind must be fs or ss")
    for m in mss.values():
        for a in m.get("after", []):
            if not ref_ok(a, milestone=True):
                c.err(f"milestone {m['id']}: unknown reference {a!r}")
    # reachability (Dijkstra by length, without interconnection segments)
    adj = defaultdict(list)
    for s in segs.values():
        if "interconnection" in s.get("tags", []):
            continue
        adj[s["from"]].append((s["to"], s["length_m"], s["id"]))
        adj[s["to"]].append((s["from"], s["length_m"], s["id"]))
    dist, via = {}, {}
    pq = [(0.0, src["node"]) for src in sc["sources"]]
    for _, n in pq:
        dist[n] = 0.0
    heapq.heapify(pq)
    while pq:
        d0, n = heapq.heappop(pq)
        if d0 > dist.get(n, math.inf):
            continue
        for m, ln, sid in adj[n]:
            if d0 + ln < dist.get(m, math.inf):
                dist[m] = d0 + ln
                via[m] = (n, sid)
                heapq.heappush(pq, (d0 + ln, m))
    paths = {}
    for s in stas.values():
        if s["node"] not in dist:
            c.err(f"station {s['id']}: node {s['node']} not reachable from a heat source "
                  f"without interconnection segments")
            continue
        path, n = [], s["node"]
        while n in via:
            n, sid = via[n]
            path.append(sid)
        paths[s["id"]] = path
    return c, dict(sc=sc, segs=segs, stas=stas, tasks=tasks, dists=dists, conts=conts,
                   paths=paths, ws=ws, we=we, dl=dl, cal=cal, T=T)


def figures(m):
    sc, segs, stas, T, cal = m["sc"], m["segs"], m["stas"], m["T"], m["cal"]
    ws, we, dl = m["ws"], m["we"], m["dl"]
    out = []
    p = out.append
    rest = {WEEKDAYS[w.lower()[:3]] for w in cal.get("rest_weekdays", [])}
    hol = set()
    for h in cal.get("holidays", []):
        a = D(h["from"])
        b = D(h.get("to", h["from"]))
        while a <= b:
            hol.add(a)
            a += dt.timedelta(days=1)
    makeup = {D(x) for x in cal.get("makeup_days", [])}

    def days():
        d = ws
        while d <= we:
            yield d
            d += dt.timedelta(days=1)

    def working(d):
        if d in hol:
            return False
        return d in makeup or d.weekday() not in rest

    def factor(d, tags):
        """Output factor of generic work with these work tags (district-wide bans and
        stop-work with no district filter only; element tags ignored)."""
        if not working(d):
            return 0.0
        for b in cal.get("bans", []) + cal.get("stop_work", []):
            if b.get("districts"):
                continue
            if D(b["from"]) <= d <= D(b.get("to", b["from"])):
                bt = b.get("tags", [])
                if not bt or set(bt) & set(tags):
                    return 0.0
        f = 1.0
        for pp in cal.get("productivity", []):
            if D(pp["from"]) <= d <= D(pp["to"]):
                pt = pp.get("tags", [])
                if not pt or set(pt) & set(tags):
                    f = min(f, pp["factor"])
        return f

    wdays = sum(1 for d in days() if working(d))
    ndays = (we - ws).days + 1
    km = sum(s["length_m"] for s in segs.values()) / 1000
    p(f"window {ws}..{we}: {ndays} days, {wdays} working days; deadline {dl}")
    p(f"pipe {km:.1f} km in {len(segs)} segments (DN{min(s['dn'] for s in segs.values())}-"
      f"DN{max(s['dn'] for s in segs.values())}); {len(stas)} stations, "
      f"{sum(s['heated_area_m2'] for s in stas.values()) / 1e4:.1f} x 10,000 m2, "
      f"{sum(s['households'] for s in stas.values())} households")

    def rate(st, dn):
        for r in st["rates"]:
            if r["dn_max"] >= dn:
                return r["metres_per_day"]

    def seg_cd(st, s):
        v = st.get("days", 0.0)
        if "rates" in st:
            v += s["length_m"] / rate(st, s["dn"])
        return v

    def sta_cd(st, s):
        return st.get("days", 0.0) + s["heated_area_m2"] / 1e4 * st.get("days_per_10k_m2", 0.0)

    # demand, converted to "working crew-days" by each step's mean output factor
    demand = defaultdict(float)
    demand_cal = defaultdict(float)
    mean_f = {}

    def mf(tags):
        key = tuple(sorted(tags))
        if key not in mean_f:
            mean_f[key] = sum(factor(d, tags) for d in days()) / max(1, wdays)
        return mean_f[key]

    for s in segs.values():
        for st in T["segment"]:
            cd = seg_cd(st, s)
            demand[st["crew"]] += cd
            demand_cal[st["crew"]] += cd / mf(st.get("tags", []))
    for s in stas.values():
        for st in T["station"]:
            cd = sta_cd(st, s)
            demand[st["crew"]] += cd
            demand_cal[st["crew"]] += cd / mf(st.get("tags", []))
    for t in m["tasks"].values():
        if "crew" in t:
            demand[t["crew"]] += t["days"]
            demand_cal[t["crew"]] += t["days"] / mf(t.get("tags", []))
    p("crew-days by crew type: demand at productivity 1; 'needed' = demand / mean output factor")
    p("of each step's work tags (holidays, stop-work, rain); available = crews x productivity")
    p("x working days in the window")
    p(f"  {'crew type':14s} {'crews':>5s} {'demand':>7s} {'needed':>7s} {'available':>9s} {'use':>5s}")
    for ct in sorted(demand):
        crews = sum(k["crews"].get(ct, 0) for k in m["conts"].values())
        avail = sum(k["crews"].get(ct, 0) * k.get("productivity", {}).get(ct, 1.0)
                    for k in m["conts"].values()) * wdays
        p(f"  {ct:14s} {crews:5d} {demand[ct]:7.0f} {demand_cal[ct]:7.0f} {avail:9.0f} "
          f"{demand_cal[ct] / avail if avail else float('inf'):5.0%}")
    # resource-free earliest times (working days as calendar days scaled by 7/working share)
    # Simple CPM in working-day units at productivity 1, no calendar: a lower bound.
    dur = {}
    succ = defaultdict(list)   # (a, b, kind, lag)
    for s in segs.values():
        prev = None
        for st in T["segment"]:
            a = f"{s['id']}/{st['key']}"
            dur[a] = math.ceil(seg_cd(st, s))
            if prev:
                succ[prev].append((a, st.get("link", "fs"), st.get("lag_days", 0)))
            prev = a
    for s in stas.values():
        prev = None
        for st in T["station"]:
            a = f"{s['id']}/{st['key']}"
            dur[a] = math.ceil(sta_cd(st, s))
            if prev:
                succ[prev].append((a, st.get("link", "fs"), st.get("lag_days", 0)))
            prev = a
    for t in m["tasks"].values():
        dur[t["id"]] = math.ceil(t["days"] * (1 if t.get("calendar_days") else ndays / wdays))
    first = {}
    last = {}
    for s in segs:
        first[s], last[s] = f"{s}/{T['segment'][0]['key']}", f"{s}/{T['segment'][-1]['key']}"
    for s in stas:
        first[s], last[s] = f"{s}/{T['station'][0]['key']}", f"{s}/{T['station'][-1]['key']}"
    for l in sc.get("links", []):
        a = last.get(l["from"], l["from"])
        b = first.get(l["to"], l["to"])
        if b in dur:
            succ[a].append((b, l.get("kind", "fs"), l.get("lag_days", 0)))
    es = {a: 0 for a in dur}
    for t in m["tasks"].values():
        if "not_before" in t:
            es[t["id"]] = (D(t["not_before"]) - ws).days
    order = topo(dur, succ)
    if order is None:
        p("CYCLE in the links: no schedule possible")
        return out
    for a in order:
        for b, kind, lag in succ[a]:
            t0 = es[a] + (dur[a] if kind == "fs" else 0) + lag
            es[b] = max(es[b], t0)
    ef = {a: es[a] + dur[a] for a in dur}
    sr = next((st["key"] for st in T["segment"] if st.get("supply_ready")), T["segment"][-1]["key"])
    ready = {}
    for sid, path in m["paths"].items():
        ready[sid] = max([ef[last[sid]]] + [ef[f"{x}/{sr}"] for x in path])
    worst = max(ready.values()) if ready else 0
    # scale working days to calendar days
    scale = ndays / wdays
    p(f"resource-free critical path (lower bound): latest station heat-ready after about "
      f"{worst} working days ~ {worst * scale:.0f} calendar days, i.e. ~"
      f"{ws + dt.timedelta(days=round(worst * scale))} (deadline {dl})")
    p(f"longest activity chain overall: {max(ef.values())} working days")
    # trench load
    tl = defaultdict(float)
    for s in segs.values():
        if s.get("method", "open_cut") == "open_cut":
            tl[s["district"]] += sum(math.ceil(seg_cd(st, s)) for st in T["segment"])
    for d in m["dists"].values():
        cap = d["max_open_trenches"] * wdays
        p(f"  trenches {d['id']:10s} trench-days {tl[d['id']]:5.0f} / (limit {d['max_open_trenches']}"
          f" x {wdays}) = {tl[d['id']] / cap if cap else 0:.0%}")
    return out


def topo(dur, succ):
    indeg = defaultdict(int)
    for a in dur:
        for b, _, _ in succ[a]:
            indeg[b] += 1
    q = [a for a in dur if indeg[a] == 0]
    order = []
    while q:
        a = q.pop()
        order.append(a)
        for b, _, _ in succ[a]:
            indeg[b] -= 1
            if indeg[b] == 0:
                q.append(b)
    return order if len(order) == len(dur) else None


def main():
    ok = True
    for path in sys.argv[1:]:
        print(f"== {path}")
        c, m = check(path)
        for w in c.warnings:
            print(f"  warning: {w}")
        for e in c.errors:
            print(f"  error: {e}")
        if c.errors:
            ok = False
            continue
        print("  OK: keys, types, ids, references, rates, reachability")
        for line in figures(m):
            print("  " + line)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
