//! An independent checker of plan.csv against a scenario file.
//!
//! It reads the scenario as plain TOML values (not through heatplan's types)
//! and re-derives every rule from the scenario format's documentation:
//! template order, supply-path precedences, explicit links, milestones, crew
//! instances (one activity at a time, no more crews than the contractor has,
//! only contractors allowed in the district), open-trench limits, and the
//! calendar (work happens only on working days not banned for the activity's
//! tags, and the work content fits between start and finish).

#![allow(dead_code)]

use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, HashMap, HashSet};
use toml::Value;

/// One row of plan.csv.
#[derive(Debug, Clone)]
pub struct Row {
    pub fields: HashMap<String, String>,
    pub start: NaiveDate,
    pub finish: NaiveDate,
    pub duration: i64,
}

impl Row {
    pub fn get(&self, k: &str) -> &str {
        self.fields.get(k).map(String::as_str).unwrap_or("")
    }
    /// Exclusive end date. A milestone (duration 0) is dated the day its
    /// last predecessor ends, inclusive: it stands at the close of that day.
    pub fn end(&self) -> NaiveDate {
        self.moment() + chrono::Duration::days(self.duration)
    }
    /// The first day on the grid: the start, or for a milestone the day
    /// after its date.
    pub fn moment(&self) -> NaiveDate {
        if self.duration == 0 {
            self.start + chrono::Duration::days(1)
        } else {
            self.start
        }
    }
}

/// Splits CSV text into records (the library's CSV reader).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    heatplan::csv_text::records(text)
        .expect("every quote is closed")
        .into_iter()
        .map(|r| r.fields)
        .collect()
}

/// Reads plan.csv into rows keyed by activity id.
pub fn read_plan(text: &str) -> BTreeMap<String, Row> {
    let recs = parse_csv(text);
    let header = &recs[0];
    let mut out = BTreeMap::new();
    for r in &recs[1..] {
        let fields: HashMap<String, String> =
            header.iter().cloned().zip(r.iter().cloned()).collect();
        let date = |k: &str| {
            NaiveDate::parse_from_str(&fields[k], "%Y-%m-%d")
                .unwrap_or_else(|_| panic!("bad {k} in {r:?}"))
        };
        let row = Row {
            start: date("start"),
            finish: date("finish"),
            duration: fields["duration"].parse().unwrap(),
            fields: fields.clone(),
        };
        out.insert(fields["id"].clone(), row);
    }
    out
}

fn s(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

fn arr<'a>(v: &'a Value, k: &str) -> Vec<&'a Value> {
    v.get(k)
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

fn strs(v: &Value, k: &str) -> Vec<String> {
    arr(v, k)
        .iter()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

fn num(v: &Value, k: &str) -> Option<f64> {
    v.get(k)
        .and_then(|x| x.as_float().or_else(|| x.as_integer().map(|i| i as f64)))
}

fn date(v: &Value, k: &str) -> Option<NaiveDate> {
    let x = v.get(k)?;
    let text = match x {
        Value::Datetime(d) => d.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok()
}

/// The scenario's daily output rules.
struct Cal {
    rest: HashSet<u32>,
    holidays: HashSet<NaiveDate>,
    makeup: HashSet<NaiveDate>,
    bans: Vec<(NaiveDate, NaiveDate, Vec<String>, Vec<String>)>,
    factors: Vec<(NaiveDate, NaiveDate, f64, Vec<String>)>,
}

impl Cal {
    fn new(sc: &Value) -> Cal {
        let empty = Value::Table(Default::default());
        let c = sc.get("calendar").unwrap_or(&empty);
        let rest = strs(c, "rest_weekdays")
            .iter()
            .map(|w| w.parse::<chrono::Weekday>().unwrap().num_days_from_monday())
            .collect();
        let mut holidays = HashSet::new();
        for h in arr(c, "holidays") {
            let a = date(h, "from").unwrap();
            let b = date(h, "to").unwrap_or(a);
            let mut d = a;
            while d <= b {
                holidays.insert(d);
                d = d.succ_opt().unwrap();
            }
        }
        let makeup = arr(c, "makeup_days")
            .iter()
            .map(|v| match v {
                Value::Datetime(d) => {
                    NaiveDate::parse_from_str(&d.to_string(), "%Y-%m-%d").unwrap()
                }
                Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap(),
                _ => panic!("bad make-up day"),
            })
            .collect();
        let bans = arr(c, "bans")
            .into_iter()
            .chain(arr(c, "stop_work"))
            .map(|b| {
                let a = date(b, "from").unwrap();
                (
                    a,
                    date(b, "to").unwrap_or(a),
                    strs(b, "tags"),
                    strs(b, "districts"),
                )
            })
            .collect();
        let factors = arr(c, "productivity")
            .into_iter()
            .map(|p| {
                (
                    date(p, "from").unwrap(),
                    date(p, "to").unwrap(),
                    num(p, "factor").unwrap(),
                    strs(p, "tags"),
                )
            })
            .collect();
        Cal {
            rest,
            holidays,
            makeup,
            bans,
            factors,
        }
    }

    fn output(&self, d: NaiveDate, tags: &[String], district: &str, calendar_days: bool) -> f64 {
        if calendar_days {
            return 1.0;
        }
        if self.holidays.contains(&d)
            || (self.rest.contains(&d.weekday().num_days_from_monday())
                && !self.makeup.contains(&d))
        {
            return 0.0;
        }
        let hits = |t: &Vec<String>| t.is_empty() || t.iter().any(|x| tags.contains(x));
        for (a, b, t, ds) in &self.bans {
            if d >= *a && d <= *b && hits(t) && (ds.is_empty() || ds.iter().any(|x| x == district))
            {
                return 0.0;
            }
        }
        self.factors
            .iter()
            .filter(|(a, b, _, t)| d >= *a && d <= *b && hits(t))
            .map(|f| f.2)
            .fold(1.0, f64::min)
    }
}

/// What the scenario says one activity is.
struct Spec {
    district: String,
    crew: Option<String>,
    tags: Vec<String>,
    work: f64,
    calendar_days: bool,
    not_before: Option<NaiveDate>,
}

/// Checks a plan against a scenario; returns every violation found.
pub fn check_plan(scenario_text: &str, plan_csv: &str) -> Vec<String> {
    let sc: Value = toml::from_str(scenario_text).expect("scenario parses");
    let rows = read_plan(plan_csv);
    let cal = Cal::new(&sc);
    let mut errs = Vec::new();
    let seg_tpl = arr(&sc["templates"], "segment");
    let st_tpl = arr(&sc["templates"], "station");
    let mut specs: BTreeMap<String, Spec> = BTreeMap::new();
    // element id -> (first step id, last step id)
    let mut bounds: HashMap<String, (String, String)> = HashMap::new();
    let mut chain_links = Vec::new();
    for (elements, tpl, is_seg) in [
        (arr(&sc, "segments"), &seg_tpl, true),
        (arr(&sc, "stations"), &st_tpl, false),
    ] {
        for e in elements {
            let id = s(e, "id");
            for (k, step) in tpl.iter().enumerate() {
                let aid = format!("{id}/{}", s(step, "key"));
                let mut tags = strs(step, "tags");
                tags.extend(strs(e, "tags"));
                let work = if let Some(d) = num(step, "days") {
                    d + if is_seg {
                        0.0
                    } else {
                        num(step, "days_per_10k_m2").unwrap_or(0.0)
                            * num(e, "heated_area_m2").unwrap()
                            / 1e4
                    }
                } else if is_seg {
                    let dn = num(e, "dn").unwrap();
                    let rate = arr(step, "rates")
                        .into_iter()
                        .find(|r| dn <= num(r, "dn_max").unwrap())
                        .map(|r| num(r, "metres_per_day").unwrap())
                        .unwrap();
                    num(e, "length_m").unwrap() / rate
                } else {
                    num(step, "days_per_10k_m2").unwrap_or(0.0) * num(e, "heated_area_m2").unwrap()
                        / 1e4
                };
                specs.insert(
                    aid.clone(),
                    Spec {
                        district: s(e, "district"),
                        crew: Some(s(step, "crew")),
                        tags,
                        work,
                        calendar_days: false,
                        not_before: None,
                    },
                );
                bounds.insert(aid.clone(), (aid.clone(), aid.clone()));
                if k > 0 {
                    let prev = format!("{id}/{}", s(tpl[k - 1], "key"));
                    let kind = if s(step, "link") == "ss" { "ss" } else { "fs" };
                    chain_links.push((
                        prev,
                        aid.clone(),
                        kind.to_string(),
                        num(step, "lag_days").unwrap_or(0.0) as i64,
                    ));
                }
            }
            let first = format!("{id}/{}", s(tpl[0], "key"));
            let last = format!("{id}/{}", s(tpl[tpl.len() - 1], "key"));
            bounds.insert(id, (first, last));
        }
    }
    for t in arr(&sc, "tasks") {
        let id = s(t, "id");
        specs.insert(
            id.clone(),
            Spec {
                district: s(t, "district"),
                crew: t.get("crew").and_then(Value::as_str).map(str::to_string),
                tags: strs(t, "tags"),
                work: num(t, "days").unwrap(),
                calendar_days: t
                    .get("calendar_days")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                not_before: date(t, "not_before"),
            },
        );
        bounds.insert(id.clone(), (id.clone(), id));
    }
    for m in arr(&sc, "milestones") {
        let id = s(m, "id");
        specs.insert(
            id.clone(),
            Spec {
                district: String::new(),
                crew: None,
                tags: vec![],
                work: 0.0,
                calendar_days: false,
                not_before: None,
            },
        );
        bounds.insert(id.clone(), (id.clone(), id));
    }
    // Every activity is planned, and nothing else.
    for id in specs.keys() {
        if !rows.contains_key(id) {
            errs.push(format!("{id}: missing from plan.csv"));
        }
    }
    for id in rows.keys() {
        if !specs.contains_key(id) {
            errs.push(format!("{id}: in plan.csv but not implied by the scenario"));
        }
    }
    if !errs.is_empty() {
        return errs;
    }
    let window_start = date(&sc["programme"], "window_start").unwrap();
    // Calendar and work content.
    let contractors: HashMap<String, &Value> = arr(&sc, "contractors")
        .into_iter()
        .map(|c| (s(c, "id"), c))
        .collect();
    for (id, sp) in &specs {
        let r = &rows[id];
        if r.start < window_start {
            errs.push(format!("{id}: starts {} before the window", r.start));
        }
        if let Some(nb) = sp.not_before {
            if r.start < nb {
                errs.push(format!(
                    "{id}: starts {} before its not_before {nb}",
                    r.start
                ));
            }
        }
        if sp.work <= 0.0 {
            if r.duration != 0 {
                errs.push(format!("{id}: a milestone with duration {}", r.duration));
            }
            continue;
        }
        let prod = match &sp.crew {
            Some(c) if !r.get("contractor").is_empty() => contractors
                .get(r.get("contractor"))
                .and_then(|x| x.get("productivity"))
                .and_then(|p| num(p, c))
                .unwrap_or(1.0),
            _ => 1.0,
        };
        let out = |d: NaiveDate| cal.output(d, &sp.tags, &sp.district, sp.calendar_days);
        if out(r.start) <= 0.0 {
            errs.push(format!(
                "{id}: starts on {} when its work may not proceed",
                r.start
            ));
        }
        if r.end() != r.finish + chrono::Duration::days(1) {
            errs.push(format!(
                "{id}: duration {} does not match {}..{}",
                r.duration, r.start, r.finish
            ));
        }
        let mut done = 0.0;
        let mut d = r.start;
        while d <= r.finish {
            done += out(d) * prod;
            d = d.succ_opt().unwrap();
        }
        if done + 1e-6 < sp.work {
            errs.push(format!(
                "{id}: {:.2} crew-days of work but only {done:.2} fit between {} and {}",
                sp.work, r.start, r.finish
            ));
        }
    }
    // Precedences.
    let mut links = chain_links;
    let network = supply_paths(&sc);
    for (station, path) in &network {
        let Some((_, last)) = bounds.get(station) else {
            continue;
        };
        for seg in path {
            let key = seg_tpl
                .iter()
                .position(|st| st.get("supply_ready").and_then(Value::as_bool) == Some(true))
                .unwrap_or(seg_tpl.len() - 1);
            links.push((
                format!("{seg}/{}", s(seg_tpl[key], "key")),
                last.clone(),
                "fs".into(),
                0,
            ));
        }
    }
    for l in arr(&sc, "links") {
        let kind = if s(l, "kind") == "ss" { "ss" } else { "fs" };
        let (f, t) = (&bounds[&s(l, "from")], &bounds[&s(l, "to")]);
        let from = if kind == "ss" {
            f.0.clone()
        } else {
            f.1.clone()
        };
        links.push((
            from,
            t.0.clone(),
            kind.into(),
            num(l, "lag_days").unwrap_or(0.0) as i64,
        ));
    }
    let districts: Vec<&Value> = arr(&sc, "districts");
    for m in arr(&sc, "milestones") {
        for a in strs(m, "after") {
            if let Some(b) = bounds.get(&a) {
                links.push((b.1.clone(), s(m, "id"), "fs".into(), 0));
            } else if districts.iter().any(|d| s(d, "id") == a) {
                for e in arr(&sc, "segments")
                    .into_iter()
                    .chain(arr(&sc, "stations"))
                    .chain(arr(&sc, "tasks"))
                {
                    if s(e, "district") == a {
                        links.push((bounds[&s(e, "id")].1.clone(), s(m, "id"), "fs".into(), 0));
                    }
                }
            } else {
                errs.push(format!("milestone {} waits for unknown {a}", s(m, "id")));
            }
        }
    }
    for (from, to, kind, lag) in &links {
        let (a, b) = (&rows[from], &rows[to]);
        let base = if kind == "ss" { a.moment() } else { a.end() };
        if b.moment() < base + chrono::Duration::days(*lag) {
            errs.push(format!(
                "{to} starts {} but {kind} link from {from} (lag {lag}) needs {}",
                b.start,
                base + chrono::Duration::days(*lag)
            ));
        }
    }
    // Crews.
    let mut by_crew: HashMap<String, Vec<(NaiveDate, NaiveDate, String)>> = HashMap::new();
    for (id, sp) in &specs {
        let r = &rows[id];
        let Some(crew_type) = &sp.crew else {
            if !r.get("crew").is_empty() {
                errs.push(format!("{id}: needs no crew but has {}", r.get("crew")));
            }
            continue;
        };
        let crew = r.get("crew");
        let parts: Vec<&str> = crew.split('/').collect();
        if parts.len() != 3 {
            errs.push(format!("{id}: crew `{crew}` is not CONTRACTOR/TYPE/N"));
            continue;
        }
        let (c, t, n) = (parts[0], parts[1], parts[2].parse::<i64>().unwrap_or(0));
        if t != crew_type || c != r.get("contractor") {
            errs.push(format!(
                "{id}: crew {crew} is not a {crew_type} crew of {}",
                r.get("contractor")
            ));
        }
        let allowed = districts
            .iter()
            .find(|d| s(d, "id") == sp.district)
            .map(|d| strs(d, "contractors"))
            .unwrap_or_default();
        if !allowed.iter().any(|x| x == c) {
            errs.push(format!(
                "{id}: contractor {c} may not work in district {}",
                sp.district
            ));
        }
        let have = contractors
            .get(c)
            .and_then(|x| x.get("crews"))
            .and_then(|cr| num(cr, t))
            .unwrap_or(0.0) as i64;
        if n < 1 || n > have {
            errs.push(format!(
                "{id}: crew {crew} does not exist ({c} has {have} {t} crews)"
            ));
        }
        by_crew
            .entry(crew.to_string())
            .or_default()
            .push((r.start, r.finish, id.clone()));
    }
    for (crew, mut jobs) in by_crew {
        jobs.sort();
        for w in jobs.windows(2) {
            if w[1].0 <= w[0].1 {
                errs.push(format!(
                    "crew {crew} does {} ({}..{}) and {} ({}..{}) at once",
                    w[0].2, w[0].0, w[0].1, w[1].2, w[1].0, w[1].1
                ));
            }
        }
    }
    // Open trenches.
    let mut open: BTreeMap<(String, NaiveDate), i64> = BTreeMap::new();
    for e in arr(&sc, "segments") {
        let method = s(e, "method");
        if !(method.is_empty() || method == "open_cut") {
            continue;
        }
        let (f, l) = &bounds[&s(e, "id")];
        let mut d = rows[f].start;
        while d <= rows[l].finish {
            *open.entry((s(e, "district"), d)).or_default() += 1;
            d = d.succ_opt().unwrap();
        }
    }
    for ((dist, day), n) in open {
        let limit = districts
            .iter()
            .find(|d| s(d, "id") == dist)
            .and_then(|d| num(d, "max_open_trenches"))
            .unwrap_or(0.0) as i64;
        if n > limit {
            errs.push(format!(
                "district {dist}: {n} trenches open on {day}, limit {limit}"
            ));
        }
    }
    errs
}

/// Each station's supply path (segment ids): the shortest path by length
/// from any heat source, not using interconnection segments.
pub fn supply_paths(sc: &Value) -> Vec<(String, Vec<String>)> {
    let segs: Vec<&Value> = arr(sc, "segments")
        .into_iter()
        .filter(|e| !strs(e, "tags").contains(&"interconnection".to_string()))
        .collect();
    let mut adj: HashMap<String, Vec<(String, f64, String)>> = HashMap::new();
    for e in &segs {
        let (a, b, len, id) = (
            s(e, "from"),
            s(e, "to"),
            num(e, "length_m").unwrap(),
            s(e, "id"),
        );
        adj.entry(a.clone())
            .or_default()
            .push((b.clone(), len, id.clone()));
        adj.entry(b).or_default().push((a, len, id));
    }
    // Bellman-Ford style relaxation: simple and independent of the library's Dijkstra.
    let mut dist: HashMap<String, (f64, Option<(String, String)>)> = HashMap::new();
    for src in arr(sc, "sources") {
        dist.insert(s(src, "node"), (0.0, None));
    }
    loop {
        let mut changed = false;
        let snapshot: Vec<(String, f64)> = dist.iter().map(|(k, v)| (k.clone(), v.0)).collect();
        for (node, d) in snapshot {
            for (next, len, id) in adj.get(&node).cloned().unwrap_or_default() {
                let nd = d + len;
                if dist.get(&next).is_none_or(|x| nd < x.0 - 1e-9) {
                    dist.insert(next, (nd, Some((node.clone(), id))));
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    arr(sc, "stations")
        .into_iter()
        .map(|st| {
            let mut path = Vec::new();
            let mut node = s(st, "node");
            while let Some((_, Some((prev, seg)))) = dist.get(&node) {
                path.push(seg.clone());
                node = prev.clone();
            }
            (s(st, "id"), path)
        })
        .collect()
}
