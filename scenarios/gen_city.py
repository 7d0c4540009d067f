#!/usr/bin/env python3
"""Generates scenarios/city.toml, the realistic city programme, and
scenarios/tight.toml, the same city with too few station MEP crews.

    python3 scenarios/gen_city.py                    # writes scenarios/city.toml, prints the arithmetic
    python3 scenarios/gen_city.py --check            # only prints the arithmetic
    python3 scenarios/gen_city.py --tight            # writes scenarios/tight.toml
    python3 scenarios/gen_city.py --tight --check    # its arithmetic
    python3 scenarios/gen_city.py --scale 5          # writes scenarios/city300.toml (5 cities, ~310 km)

The tight programme (`--tight`) is the city with the same network, calendar
and contractors, but one station MEP crew per contractor at productivity 1
(six crews instead of ten): the MEP work is about 115 % of the crew-days the
window holds, the crews about 13-15 % short, so some stations must be late
whatever the order. It is what heatplan's lateness bound and lateness
search are measured on (README, Performance).

Python 3 standard library only; deterministic (fixed seed), so running it again
gives the same file byte for byte.

What it models (see docs/scenario.md for the file format):
  * two coal-fired CHP plants, north-east (NE) and south-west (SW) of town;
  * from each plant one trunk main (DN1000 then DN800, about 5 km) runs towards
    the centre; the two trunk ends are joined by an interconnection line (DN800,
    about 3 km, tagged `interconnection`, with a trenchless river crossing);
  * from trunk nodes, distribution laterals (DN300-600) branch off alternately
    to the left and right of the trunk; from every lateral node a branch
    (DN150-250) runs to a heat-exchange station;
  * the left/right side of each trunk is a district: NE plant -> chengbei
    (north-west side) and chengdong (south-east side); SW plant -> chengxi
    (north-west side) and chengnan (south-east side).
  * diameters come from the heated area downstream (a crude table standing in
    for hydraulic sizing), station areas from a triangular distribution
    30,000-200,000 m2, households = area / (72..88 m2 per household).

Rates and crew numbers are estimates (see RATE NOTES below and the header of
the generated file); the crew numbers are chosen so that the crew-days the
programme demands are 60-80 % of the crew-days available in the window, per
crew type -- demanding but feasible.
"""

import datetime as dt
import math
import random
import sys
from collections import defaultdict
from pathlib import Path

SEED = 20220401
OUT = Path(__file__).with_name("city.toml")
TIGHT_OUT = Path(__file__).with_name("tight.toml")
# Set by --tight: station MEP crews cut (see make_tight).
TIGHT = False

WINDOW_START = dt.date(2022, 4, 1)
WINDOW_END = dt.date(2022, 9, 30)
DEADLINE = dt.date(2022, 9, 30)

# ---------------------------------------------------------------- calendar
# 2022 public holidays (State Council notice of 2021-10-25, 国办发明电〔2021〕11号)
# that fall in the window, with their make-up working days (调休).
HOLIDAYS = [
    ("Qingming Festival 清明节", "2022-04-03", "2022-04-05"),
    ("Labour Day 劳动节", "2022-04-30", "2022-05-04"),
    ("Dragon Boat Festival 端午节", "2022-06-03", "2022-06-05"),
    ("Mid-Autumn Festival 中秋节", "2022-09-10", "2022-09-12"),
]
MAKEUP_DAYS = ["2022-04-02", "2022-04-24", "2022-05-07"]
# Heavy-pollution (orange alert) days: illustrative dates, NOT the real 2022 alerts.
STOP_WORK = [
    ("Heavy-pollution orange alert (dust/sand)", "2022-04-12", "2022-04-13"),
    ("Heavy-pollution orange alert", "2022-04-27", "2022-04-27"),
    ("Heavy-pollution orange alert (ozone)", "2022-05-18", "2022-05-19"),
]
RAIN = ("Rainy season 雨季 (July-August)", "2022-07-01", "2022-08-31", 0.75)
GAOKAO = ("Gaokao noise ban near exam venues 高考禁噪", "2022-06-07", "2022-06-10")

# ---------------------------------------------------------------- templates
# RATE NOTES (metres per crew-day at productivity 1; estimates):
#  * DESIGN.md section 6: an all-in pipe front makes about 57-58 m/day at DN200-500,
#    so the pacing trade (lay & weld) is set to 55-70 m/day there;
#  * a DN800 weld takes about 4 h: with 12 m pipe lengths and two welding teams a
#    crew makes about 3 welds a day per team, ~30-35 m/day at DN800-1000;
#  * digging with shoring is faster than laying; backfill and surface
#    restoration faster still; testing (NDT + strength test 1.5 x PN + joint
#    insulation) goes section by section, a few hundred metres a day.
SEG_STEPS = [
    dict(key="trench", name="Trench and supports (excavate, shore, dewater)",
         crew="earthworks", tags=["earthworks", "outdoor", "noisy"],
         rates=[(250, 120.0), (600, 80.0), (1000, 45.0)]),
    dict(key="lay", name="Lay and weld pre-insulated pipe",
         crew="pipe", tags=["outdoor", "noisy"],
         rates=[(250, 100.0), (400, 70.0), (600, 55.0), (1000, 32.0)]),
    dict(key="test", name="NDT of welds, strength test 1.5 x PN, joint insulation",
         crew="testing", tags=["outdoor"],
         rates=[(250, 400.0), (600, 300.0), (1000, 200.0)], supply_ready=True),
    dict(key="backfill", name="Backfill, compact and restore the surface",
         crew="earthworks", tags=["earthworks", "outdoor", "noisy"],
         rates=[(250, 150.0), (600, 100.0), (1000, 60.0)]),
]
# Station steps: days + heated area / 10,000 m2 x days_per_10k_m2 (estimates).
STA_STEPS = [
    dict(key="civil", name="Civil works: foundations, plant room, cable and pipe entries",
         crew="station_civil", tags=["outdoor", "noisy"], days=8.0, per10k=1.0),
    dict(key="mep", name="Heat exchangers, pumps, station piping, electrics and controls",
         crew="station_mep", tags=[], days=6.0, per10k=1.2),
    dict(key="commission", name="Flushing, tightness test 1.25 x PN, cold commissioning",
         crew="testing", tags=[], days=5.0, per10k=0.0),
]
CREW_TYPES = ["earthworks", "pipe", "testing", "station_civil", "station_mep"]

# ---------------------------------------------------------------- organisation
DISTRICTS = [
    # id, name, allowed contractors
    ("chengbei", "城北区 (North district)", ["relijianshe", "beifangguanxian", "hengyuan"]),
    ("chengdong", "城东区 (East district)", ["relijianshe", "antai"]),
    ("chengxi", "城西区 (West district)", ["shizheng1", "beifangguanxian"]),
    ("chengnan", "城南区 (South district)", ["shizheng1", "antai", "xinglong"]),
]
# Crews by type; chosen from the demand printed by --check (target 60-80 % use).
CONTRACTORS = [
    ("relijianshe", "市热力工程建设有限公司 (City Heating Engineering Construction Co.)",
     dict(earthworks=3, pipe=3, testing=2, station_civil=3, station_mep=2),
     dict(pipe=1.1, station_mep=1.1), 5200.0),
    ("shizheng1", "市政建设集团第一工程公司 (Municipal Construction Group No. 1)",
     dict(earthworks=4, pipe=2, testing=1, station_civil=2, station_mep=2),
     dict(earthworks=1.1), 4800.0),
    ("beifangguanxian", "北方管线工程有限公司 (Beifang Pipeline Engineering Co.)",
     dict(earthworks=3, pipe=2, testing=1, station_civil=2, station_mep=2),
     dict(), 4600.0),
    ("antai", "安泰建筑安装工程有限公司 (Antai Building Installation Co.)",
     dict(earthworks=2, pipe=1, testing=1, station_civil=2, station_mep=2),
     dict(station_mep=1.1), 4500.0),
    ("hengyuan", "恒远市政工程有限公司 (Hengyuan Municipal Engineering Co.)",
     dict(earthworks=1, pipe=1, testing=0, station_civil=1, station_mep=1),
     dict(earthworks=0.9, pipe=0.9), 4000.0),
    ("xinglong", "兴隆建设工程有限公司 (Xinglong Construction Co.)",
     dict(earthworks=1, pipe=1, testing=0, station_civil=1, station_mep=1),
     dict(), 3900.0),
]
# Share of the whole trench-days (open-cut segments, sum of their steps) that
# the district limit may allow at most; the limit is the smallest integer with
# (trench-days) / (limit x working days) <= this.
TRENCH_USE = 0.55

COMPOUNDS = [
    "幸福里", "光明小区", "和平里", "新华苑", "建设小区", "朝阳园", "胜利小区", "民主里",
    "友谊小区", "工人新村", "铁路小区", "电业小区", "纺织小区", "机床厂小区", "红旗小区", "东风里",
    "团结小区", "前进里", "向阳小区", "春华苑", "秋实苑", "金桥小区", "银河小区", "花园里",
    "松林小区", "柳园", "桃源里", "杏林苑", "梨园小区", "枫叶小区", "丁香苑", "槐树里",
    "北湖小区", "南湖小区", "西苑", "东苑", "文化里", "体育场小区", "医院家属院", "教师新村",
    "邮电小区", "粮库小区", "化肥厂小区", "水泥厂小区", "煤机小区", "热电小区", "供销小区", "商业小区",
    "新城花园", "锦绣园", "富民小区", "安居小区", "康乐里", "长青苑", "翠微小区", "青年里",
    "福康小区", "瑞祥苑", "祥和里", "永安小区", "平安里", "兴华小区", "振兴小区", "华新苑",
    "育才里", "书香苑", "明珠小区", "星光小区",
]


def r1(x):
    return round(x, 1)


class Net:
    def __init__(self):
        self.nodes = []       # (id, x, y)
        self.segments = []    # dict
        self.stations = []    # dict
        self.sources = []     # (id, name, node)


def build(seed=SEED):
    rng = random.Random(seed)
    net = Net()
    plants = [
        # id, name, plant xy, trunk prefix, left district, right district
        ("chp_ne", "东北热电厂 (North-east CHP plant)", (11.0, 10.0), "ne"),
        ("chp_sw", "西南热电厂 (South-west CHP plant)", (2.0, 1.5), "sw"),
    ]
    sides = {"ne": ("chengbei", "chengdong"), "sw": ("chengxi", "chengnan")}
    compounds = list(COMPOUNDS)
    rng.shuffle(compounds)
    counters = defaultdict(int)
    trunk_ends = {}

    def add_node(nid, x, y):
        net.nodes.append((nid, r1(x * 10) / 10 if False else round(x, 2), round(y, 2)))

    def seg(sid, a, b, length, dn, district, tags=(), method="open_cut", kind=""):
        net.segments.append(dict(id=sid, frm=a, to=b, length=float(round(length)), dn=dn,
                                 district=district, tags=list(tags), method=method, kind=kind))

    for pid, pname, (px, py), pre in plants:
        other = plants[1][2] if pre == "ne" else plants[0][2]
        dx, dy = other[0] - px, other[1] - py
        d = math.hypot(dx, dy)
        ux, uy = dx / d, dy / d
        # left (+90 deg) and right (-90 deg) normals; choose which points north-west
        n1 = (-uy, ux)
        n2 = (uy, -ux)
        nw, se = (n1, n2) if (n1[1] - n1[0]) > 0 else (n2, n1)
        d_nw, d_se = sides[pre]
        src_node = f"{pre}_plant"
        add_node(src_node, px, py)
        net.sources.append((pid, pname, src_node))
        # trunk: 10 segments
        prev = src_node
        x, y = px, py
        trunk_nodes = []
        for i in range(10):
            trenchless = (pre == "ne" and i == 3)
            length = 120.0 if trenchless else rng.uniform(430, 570)
            straight = length / 1000 / 1.04
            jit = rng.uniform(-0.04, 0.04)
            x += ux * straight + nw[0] * jit
            y += uy * straight + nw[1] * jit
            nid = f"{pre}_t{i + 1:02d}"
            add_node(nid, x, y)
            dn = 1000 if i < 5 else 800
            district = (d_se if i < 5 else d_nw) if pre == "ne" else (d_se if i < 5 else d_nw)
            tags = []
            if trenchless:
                tags = ["railway_crossing"]
            seg(f"{pre.upper()}-T{i + 1:02d}", prev, nid, length, dn, district, tags,
                "trenchless" if trenchless else "open_cut", kind="trunk")
            trunk_nodes.append(nid)
            prev = nid
        trunk_ends[pre] = (prev, x, y)
        # laterals at trunk nodes 1..8 (index 0..7), alternately north-west / south-east
        for k in range(8):
            tnode = trunk_nodes[k] if k < 3 else trunk_nodes[k + 1]
            tx, ty = [(n[1], n[2]) for n in net.nodes if n[0] == tnode][0]
            side, district = ((nw, d_nw) if k % 2 == 0 else (se, d_se))
            counters[district] += 1
            lat_no = counters[district]
            short = district[5:7].upper() if False else {"chengbei": "BQ", "chengdong": "DQ",
                                                         "chengxi": "XQ", "chengnan": "NQ"}[district]
            ang = math.atan2(side[1], side[0]) + math.radians(rng.uniform(-15, 15))
            lx, ly = math.cos(ang), math.sin(ang)
            # station areas first (diameters depend on what is downstream)
            areas = [float(round(rng.triangular(30000, 200000, 85000), -3)) for _ in range(4)]
            prev = tnode
            x, y = tx, ty
            for j in range(4):
                length = rng.uniform(300, 600)
                straight = length / 1000 / 1.06
                x += lx * straight
                y += ly * straight
                nid = f"{short.lower()}_l{lat_no}_{j + 1}"
                add_node(nid, x, y)
                down = sum(areas[j:])
                dn = 600 if down > 400000 else 500 if down > 280000 else 400 if down > 160000 else 300
                sid = f"{short}-L{lat_no}-{j + 1}"
                seg(sid, prev, nid, length, dn, district, kind="distribution")
                prev = nid
                # branch to a station, alternating sides of the lateral
                area = areas[j]
                bsign = 1 if j % 2 == 0 else -1
                blen = rng.uniform(150, 500)
                bx = x + (-ly) * bsign * blen / 1000 / 1.1
                by = y + lx * bsign * blen / 1000 / 1.1
                st_node = f"{short.lower()}_s{lat_no}_{j + 1}"
                add_node(st_node, bx, by)
                bdn = 150 if area <= 70000 else 200 if area <= 130000 else 250
                seg(f"{short}-B{lat_no}-{j + 1}", nid, st_node, blen, bdn, district, kind="branch")
                cname = compounds.pop()
                hh = int(round(area / rng.uniform(72, 88)))
                net.stations.append(dict(id=f"{short}-S{lat_no}-{j + 1}", name=f"{cname}换热站",
                                         node=st_node, area=area, hh=hh, district=district,
                                         tags=[]))
    # interconnection: segments from the NE trunk end to the SW trunk end
    (ne_end, ax, ay), (sw_end, bx, by) = trunk_ends["ne"], trunk_ends["sw"]
    gap = math.hypot(bx - ax, by - ay)
    n_ic, river = 7, 3          # segments; index of the trenchless river crossing
    rest = (gap * 1000 * 1.08 - 90.0) / (n_ic - 1)
    prev = ne_end
    for i in range(n_ic):
        length = 90.0 if i == river else rest * rng.uniform(0.9, 1.1)
        f = (i + 1) / n_ic
        nid = sw_end if i == n_ic - 1 else f"ic_{i + 1}"
        if i < n_ic - 1:
            add_node(nid, ax + (bx - ax) * f + rng.uniform(-0.05, 0.05), ay + (by - ay) * f)
        district = "chengbei" if i <= river else "chengxi"
        tags = ["interconnection"] + (["river_crossing"] if i == river else [])
        seg(f"IC-{i + 1}", prev, nid, length, 800, district, tags,
            "trenchless" if i == river else "open_cut", kind="interconnection")
        prev = nid

    # arterial roads: trunk segments 2 and 7 of each trunk, first lateral segment of laterals 2 and 3
    arterial = {"NE-T02": "东环路 Donghuan Lu", "NE-T07": "建设大街 Jianshe Dajie",
                "SW-T03": "西环路 Xihuan Lu", "SW-T08": "建设大街 Jianshe Dajie",
                "IC-1": "人民路 Renmin Lu", "IC-6": "人民路 Renmin Lu"}
    for s in net.segments:
        if s["kind"] == "distribution" and s["id"].endswith("-1") and s["id"][4] in "23" \
                and s["id"][3] == "L":
            arterial[s["id"]] = "解放路 Jiefang Lu"
    for s in net.segments:
        if s["id"] in arterial:
            s["tags"].append("arterial_road")
            s["road"] = arterial[s["id"]]
    # near schools: one lateral per district (its 3rd and 4th segments + branches
    # + one station)
    for short in ["BQ", "DQ", "XQ", "NQ"]:
        lat = rng.choice([1, 2, 3, 4])
        for s in net.segments:
            if s["id"] in (f"{short}-L{lat}-3", f"{short}-L{lat}-4", f"{short}-B{lat}-3"):
                s["tags"].append("near_school")
        for st in net.stations:
            if st["id"] == f"{short}-S{lat}-3":
                st["tags"].append("near_school")
    # shift so that every coordinate is >= 0.5 km
    minx = min(n[1] for n in net.nodes)
    miny = min(n[2] for n in net.nodes)
    sx, sy = 0.5 - min(minx, 0.5), 0.5 - min(miny, 0.5)
    net.nodes = [(i, round(x + sx, 2), round(y + sy, 2)) for i, x, y in net.nodes]
    return net


# ---------------------------------------------------------------- arithmetic
def dates(a, b):
    d = a
    while d <= b:
        yield d
        d += dt.timedelta(days=1)


def D(s):
    return dt.date.fromisoformat(s)


def day_factor(day, tags):
    """Daily output factor of work with `tags` on `day` (0 = no work), ignoring
    element tags (the gaokao ban only hits near_school elements)."""
    for _, a, b in HOLIDAYS:
        if D(a) <= day <= D(b):
            return 0.0
    for _, a, b in STOP_WORK:
        if D(a) <= day <= D(b) and "earthworks" in tags:
            return 0.0
    name, a, b, f = RAIN
    if D(a) <= day <= D(b) and ({"earthworks", "outdoor"} & set(tags)):
        return f
    return 1.0


def rate_for(step, dn):
    for dn_max, r in step["rates"]:
        if dn >= 0 and dn <= dn_max:
            return r
    raise ValueError(dn)


def arithmetic(net, out=print):
    days = list(dates(WINDOW_START, WINDOW_END))
    working = [d for d in days if day_factor(d, []) > 0]
    crew_tags = {"earthworks": ["earthworks", "outdoor"], "pipe": ["outdoor"],
                 "testing": ["outdoor"], "station_civil": ["outdoor"], "station_mep": []}
    eff_days = {c: sum(day_factor(d, t) for d in days) for c, t in crew_tags.items()}
    demand = defaultdict(float)                     # crew type -> crew-days at productivity 1
    ddemand = defaultdict(lambda: defaultdict(float))
    trench_days = defaultdict(float)
    for s in net.segments:
        tot = 0.0
        for st in SEG_STEPS:
            cd = s["length"] / rate_for(st, s["dn"])
            demand[st["crew"]] += cd
            ddemand[s["district"]][st["crew"]] += cd
            tot += math.ceil(cd)
        if s["method"] == "open_cut":
            trench_days[s["district"]] += tot
    for t in TASKS:
        if t.get("crew"):
            demand[t["crew"]] += t["days"]
            ddemand[t["district"]][t["crew"]] += t["days"]
    for stn in net.stations:
        for st in STA_STEPS:
            cd = st["days"] + stn["area"] / 10000 * st["per10k"]
            demand[st["crew"]] += cd
            ddemand[stn["district"]][st["crew"]] += cd
    lines = []
    p = lines.append
    km = sum(s["length"] for s in net.segments) / 1000
    p(f"window {WINDOW_START}..{WINDOW_END}: {len(days)} calendar days, {len(working)} working days "
      f"(7-day week, {len(days) - len(working)} holiday days)")
    p(f"pipe: {km:.1f} km in {len(net.segments)} segments; stations: {len(net.stations)}; "
      f"heated area {sum(s['area'] for s in net.stations) / 1e4:.0f} x 10,000 m2; "
      f"households {sum(s['hh'] for s in net.stations)}")
    for kind in ["trunk", "interconnection", "distribution", "branch"]:
        ss = [s for s in net.segments if s["kind"] == kind]
        p(f"  {kind:15s} {len(ss):3d} segments {sum(s['length'] for s in ss) / 1000:6.1f} km "
          f"DN{min(s['dn'] for s in ss)}-{max(s['dn'] for s in ss)}")
    p("crew-days per crew type (demand at productivity 1 / capacity):")
    p("  capacity = sum over contractors of crews x productivity x effective days,")
    p("  effective days = working days less stop-work days (earthworks) with")
    p(f"  July-August counted at {RAIN[3]} for outdoor/earthworks work.")
    p(f"  {'crew type':14s} {'crews':>5s} {'eff.days':>8s} {'capacity':>9s} {'demand':>8s} {'use':>6s}")
    use = {}
    for c in CREW_TYPES:
        crews = sum(k[2].get(c, 0) for k in CONTRACTORS)
        cap = sum(k[2].get(c, 0) * k[3].get(c, 1.0) for k in CONTRACTORS) * eff_days[c]
        use[c] = demand[c] / cap
        p(f"  {c:14s} {crews:5d} {eff_days[c]:8.1f} {cap:9.0f} {demand[c]:8.0f} {use[c]:6.0%}")
    p("per district (capacity counts a shared contractor's crews once for each district it")
    p("may work in, so the use figures here are lower bounds):")
    for did, _, allowed in DISTRICTS:
        parts = []
        for c in CREW_TYPES:
            cap = sum(k[2].get(c, 0) * k[3].get(c, 1.0) for k in CONTRACTORS if k[0] in allowed) \
                * eff_days[c]
            parts.append(f"{c} {ddemand[did][c]:.0f}/{cap:.0f}")
        p(f"  {did:10s} " + ", ".join(parts))
    p("worst group of districts (Hall's condition: the demand of any set of districts must fit")
    p("the crews of the contractors allowed in at least one of them; shown: the tightest set):")
    ids = [d[0] for d in DISTRICTS]
    allowed_of = {d[0]: set(d[2]) for d in DISTRICTS}
    for c in CREW_TYPES if len(ids) <= 8 else []:   # 2^districts sets: only for small files
        worst = (0.0, ())
        for mask in range(1, 1 << len(ids)):
            group = [ids[i] for i in range(len(ids)) if mask >> i & 1]
            conts = set().union(*(allowed_of[g] for g in group))
            cap = sum(k[2].get(c, 0) * k[3].get(c, 1.0) for k in CONTRACTORS if k[0] in conts) \
                * eff_days[c]
            dem = sum(ddemand[g][c] for g in group)
            if cap == 0 and dem > 0:
                worst = (float("inf"), tuple(group))
            elif cap > 0 and dem / cap > worst[0]:
                worst = (dem / cap, tuple(group))
        p(f"  {c:14s} {worst[0]:5.0%}  ({' + '.join(worst[1])})")
    p("open trenches (open-cut segments; trench-days = sum of their step durations, no waiting):")
    limits = {}
    for did, _, _ in DISTRICTS:
        lim = math.ceil(trench_days[did] / (TRENCH_USE * len(working)))
        limits[did] = lim
        p(f"  {did:10s} trench-days {trench_days[did]:5.0f}  limit {lim}  "
          f"-> {trench_days[did] / (lim * len(working)):.0%} of limit x working days")
    # longest chain of a single segment / station (working days at productivity 1, no rain)
    longest_seg = max(sum(math.ceil(s["length"] / rate_for(st, s["dn"])) for st in SEG_STEPS)
                      for s in net.segments)
    longest_sta = max(sum(math.ceil(st["days"] + x["area"] / 1e4 * st["per10k"]) for st in STA_STEPS)
                      for x in net.stations)
    p(f"longest single segment chain {longest_seg} working days; longest station chain "
      f"{longest_sta} working days; longest permit {max(t['days'] for t in TASKS if t.get('calendar_days'))} "
      f"calendar days (window {len(days)} days)")
    for line in lines:
        out(line)
    return lines, limits, use


TASKS = []   # filled by make_tasks


def make_tight():
    """The tight programme's crews: one station MEP crew per contractor, no
    MEP productivity bonus (six crews for about 115 % of their crew-days)."""
    global TIGHT
    TIGHT = True
    for i, (cid, name, crews, prod, cost) in enumerate(CONTRACTORS):
        crews = dict(crews, station_mep=1)
        prod = {c: v for c, v in prod.items() if c != "station_mep"}
        CONTRACTORS[i] = (cid, name, crews, prod, cost)


def make_tasks(net):
    TASKS.clear()
    links = []
    # road-opening permits, one per (district, road)
    permits = {}
    for s in net.segments:
        if "road" in s:
            key = (s["district"], s["road"])
            if key not in permits:
                slug = s["road"].split(" ")[1].lower()
                pid = f"permit-{s['district']}-{slug}"
                permits[key] = pid
                late = "Jianshe" in s["road"]
                TASKS.append(dict(id=pid,
                                  name=f"Road-opening permit 占道挖掘许可: {s['road']} ({s['district']})",
                                  days=30.0 if late else 20.0, district=s["district"],
                                  calendar_days=True, not_before="2022-04-01"))
            links.append((permits[key], s["id"], "fs", 0))
    TASKS.append(dict(id="permit-railway", name="Railway crossing approval (railway bureau)",
                      days=40.0, district="chengdong", calendar_days=True, not_before="2022-04-01"))
    links.append(("permit-railway", "NE-T04", "fs", 0))
    TASKS.append(dict(id="jack-railway", name="Pipe jacking DN1000 casing under the railway",
                      days=12.0, district="chengdong", crew="pipe", tags=["outdoor", "noisy"]))
    links.append(("NE-T04/trench", "jack-railway", "fs", 0))
    links.append(("jack-railway", "NE-T04/lay", "fs", 0))
    TASKS.append(dict(id="jack-river", name="Pipe jacking DN800 casing under the river",
                      days=14.0, district="chengbei", crew="pipe", tags=["outdoor", "noisy"]))
    links.append(("IC-4/trench", "jack-river", "fs", 0))
    links.append(("jack-river", "IC-4/lay", "fs", 0))
    TASKS.append(dict(id="ic-tiein", name="Interconnection tie-in: valve chambers at both trunk ends",
                      days=8.0, district="chengbei", crew="pipe", tags=["outdoor"]))
    for s in net.segments:
        if s["kind"] == "interconnection":
            links.append((f"{s['id']}/test", "ic-tiein", "fs", 0))
    return links


# ---------------------------------------------------------------- output
def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def arr(xs):
    return "[" + ", ".join(q(x) for x in xs) + "]"


def emit(net, links, arith_lines, limits):
    o = []
    w = o.append
    if TIGHT:
        w("# heatplan scenario: TIGHT city programme 2022 (too few station MEP crews, generated)")
        w("#")
        w("# GENERATED by scenarios/gen_city.py --tight (Python 3 stdlib, fixed seed "
          f"{SEED}) -- do not edit by hand;")
        w("# change the generator and run `python3 scenarios/gen_city.py --tight` again.")
        w("#")
        w("# The city programme (city.toml) with one station MEP crew per contractor at")
        w("# productivity 1: six crews where the work needs about seven, so some stations")
        w("# must be late whatever the order (see `station_mep` in the figures below).")
    else:
        w("# heatplan scenario: city programme 2022 (realistic, generated)")
        w("#")
        w("# GENERATED by scenarios/gen_city.py (Python 3 stdlib, fixed seed "
          f"{SEED}) -- do not edit by hand;")
        w("# change the generator and run `python3 scenarios/gen_city.py` again.")
    w("# Format: docs/scenario.md.")
    w("#")
    w("# Modelled on the programme described in DESIGN.md section 1: two CHP plants (NE and SW),")
    w("# trunk mains DN800-1000, distribution DN300-600, branches DN150-250 to heat-exchange")
    w("# stations, four districts, six contractors, window 1 April - 30 September 2022, and the")
    w("# two plants' networks interconnected. The network is synthetic (no real city's map).")
    w("#")
    w("# Where the numbers come from (be honest about it):")
    w("#  * 2022 public holidays and make-up days: State Council notice for 2022.")
    w("#  * Gaokao 7-10 June (national papers 7-8 June, provincial papers to 10 June in many provinces).")
    w("#  * Heavy-pollution stop-work days: ILLUSTRATIVE dates, not the real 2022 alerts.")
    w("#  * Rainy-season factor 0.75 in July-August: an estimate.")
    w("#  * Rates: estimates, anchored on DESIGN.md section 6 (all-in pipe front ~57 m/day at")
    w("#    DN200-500; a DN800 weld ~4 h; strength test 1.5 x PN then joint insulation and")
    w("#    backfill, tightness test 1.25 x PN and flushing per CJJ 28).")
    w("#  * Pipe diameters: from the heated area downstream by a crude table, not hydraulics.")
    w("#  * Station areas 30,000-200,000 m2; households = area / 72..88 m2 (about 80 m2 each).")
    if TIGHT:
        w("#  * Crew numbers: as the city's (60-80 % of capacity) but station MEP crews short (below).")
    else:
        w("#  * Crew numbers: chosen so demand is 60-80 % of capacity per crew type (below).")
    w("#  * Open-trench limits: chosen so the open-cut segments' step durations fill at most")
    w(f"#    {TRENCH_USE:.0%} of (limit x working days) per district.")
    w("#")
    w("# Calendar choice: sites work 7 days a week (no rest weekday). The golden season is")
    w("# short, the October heat-ready date is a hard political deadline, and Chinese")
    w("# municipal sites customarily work every day in season, resting crews in rotation;")
    w("# public holidays are kept as no-work days. The make-up working days (调休) are listed")
    w("# for completeness; with a 7-day week they change nothing.")
    w("#")
    w("# Figures (printed by `python3 scenarios/gen_city.py --check`):")
    for line in arith_lines:
        w("#   " + line)
    w("")
    w("[programme]")
    title = "City district-heating network extension 2022 (two CHP plants, four districts)"
    if TIGHT:
        title = "Tight city programme 2022: too few station MEP crews (two CHP plants, four districts)"
    w(q("name")[1:-1] + " = " + q(title))
    w(f"window_start = {WINDOW_START}")
    w(f"window_end = {WINDOW_END}")
    w(f"deadline = {DEADLINE}")
    w("overrun_days = 92")
    w("")
    w("# ------------------------------------------------------------------ calendar")
    w("[calendar]")
    w("rest_weekdays = []   # 7-day week in the golden season (see header)")
    w("holidays = [")
    for n, a, b in HOLIDAYS:
        w(f"  {{ name = {q(n)}, from = {a}, to = {b} }},")
    w("]")
    w("makeup_days = [" + ", ".join(MAKEUP_DAYS) + "]   # 调休 (no effect with a 7-day week)")
    w("bans = [")
    w(f"  {{ name = {q(GAOKAO[0])}, from = {GAOKAO[1]}, to = {GAOKAO[2]}, tags = [\"near_school\"] }},")
    w("]")
    w("productivity = [")
    w(f"  {{ name = {q(RAIN[0])}, from = {RAIN[1]}, to = {RAIN[2]}, factor = {RAIN[3]}, "
      "tags = [\"earthworks\", \"outdoor\"] },")
    w("]")
    w("stop_work = [   # illustrative heavy-pollution alerts: earthworks stop")
    for n, a, b in STOP_WORK:
        w(f"  {{ name = {q(n)}, from = {a}, to = {b}, tags = [\"earthworks\"] }},")
    w("]")
    w("")
    w("# ------------------------------------------------------------------ work templates")
    w("# Segment steps run in this order, each after the previous one (fs, lag 0).")
    w("# Duration = length_m / metres_per_day of the first rate with dn_max >= the segment's DN,")
    w("# divided by the contractor's productivity. The trench stays open from `trench` start to")
    w("# `backfill` end; the pipe can carry heat once `test` is done (supply_ready).")
    for st in SEG_STEPS:
        w("[[templates.segment]]")
        w(f"key = {q(st['key'])}")
        w(f"name = {q(st['name'])}")
        w(f"crew = {q(st['crew'])}")
        w(f"tags = {arr(st['tags'])}")
        w("rates = [" + ", ".join(f"{{ dn_max = {a}, metres_per_day = {b} }}" for a, b in st["rates"]) + "]")
        if st.get("supply_ready"):
            w("supply_ready = true")
        w("")
    w("# Station steps: days + heated area / 10,000 m2 x days_per_10k_m2.")
    for st in STA_STEPS:
        w("[[templates.station]]")
        w(f"key = {q(st['key'])}")
        w(f"name = {q(st['name'])}")
        w(f"crew = {q(st['crew'])}")
        if st["tags"]:
            w(f"tags = {arr(st['tags'])}")
        w(f"days = {st['days']}")
        if st["per10k"]:
            w(f"days_per_10k_m2 = {st['per10k']}")
        w("")
    w("# ------------------------------------------------------------------ districts and contractors")
    for did, name, allowed in DISTRICTS:
        w("[[districts]]")
        w(f"id = {q(did)}")
        w(f"name = {q(name)}")
        w(f"contractors = {arr(allowed)}")
        w(f"max_open_trenches = {limits[did]}")
        w("")
    for cid, name, crews, prod, cost in CONTRACTORS:
        w("[[contractors]]")
        w(f"id = {q(cid)}")
        w(f"name = {q(name)}")
        w("crews = { " + ", ".join(f"{c} = {crews[c]}" for c in CREW_TYPES if crews.get(c)) + " }")
        if prod:
            w("productivity = { " + ", ".join(f"{c} = {v}" for c, v in prod.items()) + " }")
        w(f"cost_per_crew_day = {cost}   # CNY, estimate")
        w("")
    w("# ------------------------------------------------------------------ heat sources and nodes")
    for sid, name, node in net.sources:
        w("[[sources]]")
        w(f"id = {q(sid)}")
        w(f"name = {q(name)}")
        w(f"node = {q(node)}")
        w("")
    w("# Coordinates in km (east, north) for diagrams.")
    for nid, x, y in net.nodes:
        w("[[nodes]]")
        w(f"id = {q(nid)}")
        w(f"x_km = {x}")
        w(f"y_km = {y}")
    w("")
    w("# ------------------------------------------------------------------ pipe segments")
    w("# Ids: NE-/SW-Txx trunk, IC-n interconnection, XX-Ln-m lateral (distribution),")
    w("# XX-Bn-m branch to station XX-Sn-m (BQ chengbei, DQ chengdong, XQ chengxi, NQ chengnan).")
    w("# Trenchless crossings (NE-T04 railway, IC-4 river) go through the same template: there")
    w("# `trench` stands for the jacking and receiving pits, `backfill` for closing them, and the")
    w("# jacking itself is an extra task linked between `trench` and `lay`.")
    for s in net.segments:
        w("")
        w("[[segments]]")
        w(f"id = {q(s['id'])}")
        w(f"from = {q(s['frm'])}")
        w(f"to = {q(s['to'])}")
        w(f"length_m = {s['length']}")
        w(f"dn = {s['dn']}")
        w(f"district = {q(s['district'])}")
        if s["method"] != "open_cut":
            w(f"method = {q(s['method'])}")
        if s["tags"]:
            w(f"tags = {arr(s['tags'])}" + (f"   # {s['road']}" if 'road' in s else ""))
    w("")
    w("# ------------------------------------------------------------------ heat-exchange stations")
    for st in net.stations:
        w("")
        w("[[stations]]")
        w(f"id = {q(st['id'])}")
        w(f"name = {q(st['name'])}")
        w(f"node = {q(st['node'])}")
        w(f"heated_area_m2 = {st['area']}")
        w(f"households = {st['hh']}")
        w(f"district = {q(st['district'])}")
        if st["tags"]:
            w(f"tags = {arr(st['tags'])}")
    w("")
    w("# ------------------------------------------------------------------ extra tasks and links")
    w("# Permits count calendar days and need no crew; jacking and the tie-in need a pipe crew.")
    for t in TASKS:
        w("[[tasks]]")
        w(f"id = {q(t['id'])}")
        w(f"name = {q(t['name'])}")
        w(f"days = {t['days']}")
        w(f"district = {q(t['district'])}")
        if t.get("crew"):
            w(f"crew = {q(t['crew'])}")
        if t.get("tags"):
            w(f"tags = {arr(t['tags'])}")
        if t.get("calendar_days"):
            w("calendar_days = true")
        if t.get("not_before"):
            w(f"not_before = {t['not_before']}")
        w("")
    w("# A bare element id means its last step as predecessor and its first step as successor;")
    w("# ELEMENT/key names one step.")
    for a, b, kind, lag in links:
        w("[[links]]")
        w(f"from = {q(a)}")
        w(f"to = {q(b)}")
        if kind != "fs":
            w(f"kind = {q(kind)}")
        if lag:
            w(f"lag_days = {lag}")
    w("")
    w("# ------------------------------------------------------------------ milestones")
    trunk_tests = [f"{s['id']}/test" for s in net.segments if s["kind"] == "trunk"]
    ms = [
        ("m-trunks", "Both trunk mains pressure-tested (mid-season node)", trunk_tests, "2022-07-31"),
        ("m-interconnection", "Plants interconnected: line tested and tied in",
         [s["id"] for s in net.segments if s["kind"] == "interconnection"] + ["ic-tiein"], "2022-09-15"),
    ]
    for did, name, _ in DISTRICTS:
        ms.append((f"m-{did}", f"{name.split(' ')[0]} complete (all work incl. restoration)", [did],
                   "2022-09-30"))
    for mid, name, after, due in ms:
        w("[[milestones]]")
        w(f"id = {q(mid)}")
        w(f"name = {q(name)}")
        if len(after) > 4:
            w("after = [")
            for i in range(0, len(after), 5):
                w("  " + ", ".join(q(x) for x in after[i:i + 5]) + ",")
            w("]")
        else:
            w(f"after = {arr(after)}")
        w(f"due = {due}")
        w("")
    return "\n".join(o).rstrip("\n") + "\n"


# The [risk] section (docs/risk.md), written as it is: illustrative values.
RISK = '''
# ------------------------------------------------------------------ risk
# What is uncertain about the season, for `heatplan risk` (docs/risk.md).
# ILLUSTRATIVE values: rainy days per month are of the order of the climate
# normals of a central-plains city (days with rain >= 0.1 mm); alert rates,
# productivity spreads and delays are assumptions to be replaced by the
# programme's own records. The random rain and alerts stand in for the fixed
# rainy-season factor and the illustrative alert days of [calendar].
[risk]
replaces = [
  "Rainy season 雨季 (July-August)",
  "Heavy-pollution orange alert (dust/sand)",
  "Heavy-pollution orange alert",
  "Heavy-pollution orange alert (ozone)",
]

[risk.rain]
days_per_month = { 4 = 3, 5 = 4, 6 = 5, 7 = 11, 8 = 10, 9 = 5, 10 = 4, 11 = 3 }   # days of rain that stops or slows a site
factor = 0.5                      # a rainy day gives half a day's earthworks and outdoor output
tags = ["earthworks", "outdoor"]
persistence = 0.5                 # wet days cluster into spells: one wet week slows every open trench

[[risk.alerts]]
level = "orange"                  # stops earthworks (and outdoor welding/cutting) in Henan
per_month = 0.3
days = [1, 2, 4]
tags = ["earthworks"]

[[risk.alerts]]
level = "red"                     # stops all outdoor work
per_month = 0.05
days = [2, 3, 5]
tags = ["outdoor"]
months = [4, 5, 10, 11]

[risk.productivity]
default = [0.9, 1.0, 1.15]        # output relative to the plan's rate: min, likely, max
correlation = 0.5                 # half of a contractor's activities of a step share its draw
steps = { trench = [0.75, 1.0, 1.2], lay = [0.8, 1.0, 1.15], mep = [0.85, 1.0, 1.15] }

[[risk.delays]]
name = "Road-opening permits 占道挖掘许可"
tasks = [
  "permit-chengdong-donghuan", "permit-chengbei-jianshe", "permit-chengbei-jiefang",
  "permit-chengdong-jiefang", "permit-chengnan-xihuan", "permit-chengxi-jianshe",
  "permit-chengxi-jiefang", "permit-chengnan-jiefang", "permit-chengbei-renmin",
  "permit-chengxi-renmin",
]
days = [0, 7, 30]
probability = 0.4

[[risk.delays]]
name = "Railway crossing approval 铁路穿越审批"
tasks = ["permit-railway"]
days = [0, 7, 30]
probability = 0.3

[[risk.delays]]
name = "Station equipment delivery 换热机组到货"
steps = ["mep"]
days = [0, 5, 20]
probability = 0.3
'''


# ---------------------------------------------------------------- scale
def build_scaled(k):
    """`--scale K`: K copies of the city side by side (14 km apart, each drawn with its
    own seed), for timing the optimiser on a bigger programme. Copy n > 1 prefixes its
    ids with `Cn-` and its districts with `_n`; the contractors come in two sets of six
    (copies 1, 3, 5, ... hire set 1, copies 2, 4, ... set 2, whose ids end in `_2`), each
    set's crews multiplied by the number of copies it serves, so every crew type keeps
    the city's load. Returns the merged network and its links; rebinds DISTRICTS and
    CONTRACTORS."""
    global DISTRICTS, CONTRACTORS
    base_d, base_c = DISTRICTS, CONTRACTORS
    served = [len(range(s, k, 2)) for s in (0, 1)]
    CONTRACTORS = [(cid + ("_2" if s else ""), name + (" 2" if s else ""),
                    {c: n * served[s] for c, n in crews.items()}, prod, cost)
                   for s in (0, 1) if served[s] for cid, name, crews, prod, cost in base_c]
    DISTRICTS, merged, links, tasks = [], Net(), [], []
    for n in range(k):
        pre = f"C{n + 1}-" if n else ""
        dsuf = f"_{n + 1}" if n else ""
        csuf = "_2" if n % 2 else ""
        net = build(SEED + n)
        ren = {}
        for nid, x, y in net.nodes:
            merged.nodes.append((pre + nid, round(x + 14.0 * n, 2), y))
        for s in net.segments:
            ren[s["id"]] = pre + s["id"]
            merged.segments.append(dict(s, id=pre + s["id"], frm=pre + s["frm"], to=pre + s["to"],
                                        district=s["district"] + dsuf))
        for st in net.stations:
            ren[st["id"]] = pre + st["id"]
            merged.stations.append(dict(st, id=pre + st["id"], node=pre + st["node"],
                                        district=st["district"] + dsuf,
                                        name=st["name"] + (f" {n + 1}" if n else "")))
        for sid, name, node in net.sources:
            merged.sources.append((pre + sid, name + (f" {n + 1}" if n else ""), pre + node))
        for did, name, allowed in base_d:
            DISTRICTS.append((did + dsuf, name + (f" {n + 1}" if n else ""),
                              [c + csuf for c in allowed]))

        def r(x):
            el, _, step = x.partition("/")
            el = ren.get(el, el if el not in {t["id"] for t in TASKS} else pre + el)
            return el + ("/" + step if step else "")
        for a, b, kind, lag in make_tasks(net):
            links.append((r(a), r(b), kind, lag))
        for t in TASKS:
            tasks.append(dict(t, id=pre + t["id"], district=t["district"] + dsuf))
    TASKS[:] = tasks
    return merged, links


def main():
    if "--tight" in sys.argv:
        make_tight()
    scale = int(sys.argv[sys.argv.index("--scale") + 1]) if "--scale" in sys.argv else 1
    if scale > 1 and TIGHT:
        sys.exit("--scale and --tight do not combine")
    if scale > 1:
        net, links = build_scaled(scale)
    else:
        net = build()
        links = make_tasks(net)
    lines, limits, use = arithmetic(net)
    if "--check" in sys.argv:
        return
    text = emit(net, links, lines, limits) + (RISK if scale == 1 else "")
    if TIGHT:
        out = TIGHT_OUT
    elif scale == 1:
        out = OUT
    else:
        out = OUT.with_name(f"city{60 * scale}.toml")
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({text.count(chr(10))} lines)")


if __name__ == "__main__":
    main()
