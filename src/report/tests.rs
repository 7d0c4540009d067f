//! Tests of the renderers on the fixture scenario: files parse back, links
//! match the plan, every activity is drawn.

use super::fixture;
use super::*;
use crate::plan::cpm::NetworkPlan;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::BTreeSet;

/// A parsed XML element.
#[derive(Debug, Default)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<El>,
    text: String,
}

impl El {
    fn child(&self, name: &str) -> Option<&El> {
        self.children.iter().find(|c| c.name == name)
    }
    fn all(&self, name: &str) -> Vec<&El> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
    fn text_of(&self, name: &str) -> String {
        self.child(name)
            .map(|c| c.text.trim().to_string())
            .unwrap_or_else(|| panic!("<{}> has no <{name}>", self.name))
    }
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    fn walk<'a>(&'a self, out: &mut Vec<&'a El>) {
        out.push(self);
        for c in &self.children {
            c.walk(out);
        }
    }
}

fn element(e: &BytesStart) -> El {
    El {
        name: e.name().as_ref().to_string(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                (
                    a.key.as_ref().to_string(),
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .expect("escaped value")
                        .into_owned(),
                )
            })
            .collect(),
        ..El::default()
    }
}

/// Parses a document, failing on anything that is not well-formed XML.
fn parse(xml: &str) -> El {
    let mut r = Reader::from_str(xml);
    let mut stack = vec![El::default()];
    loop {
        let ev = r
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed at byte {}: {e}", r.buffer_position()));
        match ev {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let x = element(&e);
                stack.last_mut().unwrap().children.push(x);
            }
            Event::End(_) => {
                let x = stack.pop().unwrap();
                stack.last_mut().expect("balanced").children.push(x);
            }
            Event::Text(t) => stack.last_mut().unwrap().text += &t.xml10_content(),
            Event::GeneralRef(g) => {
                let c = match &*g {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => g
                        .resolve_char_ref()
                        .expect("valid reference")
                        .unwrap_or_else(|| panic!("undefined entity &{};", &*g)),
                };
                stack.last_mut().unwrap().text.push(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut root = stack.pop().unwrap();
    assert_eq!(root.children.len(), 1, "exactly one root element");
    root.children.pop().unwrap()
}

fn plan() -> NetworkPlan {
    let project = fixture::project("2022-06-30", 1);
    fixture::network(&project, &fixture::levelled(&project))
}

/// Is `names` a subsequence of `order` (each name allowed to repeat)?
fn in_schema_order(names: &[String], order: &[&str]) {
    let mut pos = 0;
    for n in names {
        let i = order
            .iter()
            .position(|o| o == n)
            .unwrap_or_else(|| panic!("<{n}> is not in the expected list"));
        assert!(i >= pos, "<{n}> is out of schema order in {names:?}");
        pos = i;
    }
}

const PROJECT_ORDER: &[&str] = &[
    "SaveVersion",
    "Name",
    "Title",
    "ScheduleFromStart",
    "StartDate",
    "FinishDate",
    "CriticalSlackLimit",
    "CalendarUID",
    "DefaultStartTime",
    "DefaultFinishTime",
    "MinutesPerDay",
    "MinutesPerWeek",
    "DaysPerMonth",
    "DurationFormat",
    "HonorConstraints",
    "MultipleCriticalPaths",
    "WeekStartDay",
    "Calendars",
    "Tasks",
    "Resources",
    "Assignments",
];

const TASK_ORDER: &[&str] = &[
    "UID",
    "ID",
    "Name",
    "Type",
    "IsNull",
    "WBS",
    "OutlineNumber",
    "OutlineLevel",
    "Start",
    "Finish",
    "Duration",
    "DurationFormat",
    "Milestone",
    "Summary",
    "Critical",
    "ConstraintType",
    "ConstraintDate",
    "PredecessorLink",
];

#[test]
fn mspdi_parses_back_with_the_plan_s_tasks_and_links() {
    let np = plan();
    let xml = mspdi::mspdi(&np, Lang::Zh);
    let root = parse(&xml);
    assert_eq!(root.name, "Project");
    assert_eq!(
        root.attr("xmlns"),
        Some("http://schemas.microsoft.com/project")
    );
    let names: Vec<String> = root.children.iter().map(|c| c.name.clone()).collect();
    assert_eq!(names[0], "SaveVersion");
    in_schema_order(&names, PROJECT_ORDER);
    for required in ["Calendars", "Tasks", "Resources", "Assignments"] {
        assert!(root.child(required).is_some(), "{required}");
    }
    // Calendar: Sunday (DayType 1) rests, holidays and the make-up day are exceptions.
    let cal = &root.child("Calendars").unwrap().all("Calendar")[0];
    let days = cal.child("WeekDays").unwrap().all("WeekDay");
    assert_eq!(days.len(), 7);
    assert_eq!(days[0].text_of("DayType"), "1");
    assert_eq!(days[0].text_of("DayWorking"), "0");
    assert_eq!(days[1].text_of("DayWorking"), "1");
    let ex = cal.child("Exceptions").unwrap().all("Exception");
    assert_eq!(ex.len(), 3);
    assert!(ex
        .iter()
        .any(|e| e.text_of("Name") == "清明" && e.text_of("DayWorking") == "0"));
    assert!(ex.iter().any(|e| e.text_of("DayWorking") == "1"));

    let tasks = root.child("Tasks").unwrap().all("Task");
    assert_eq!(tasks[0].text_of("UID"), "0");
    assert_eq!(tasks[0].text_of("OutlineLevel"), "0");
    assert_eq!(tasks[0].text_of("Name"), np.plan.programme);
    for t in &tasks {
        let names: Vec<String> = t.children.iter().map(|c| c.name.clone()).collect();
        in_schema_order(&names, TASK_ORDER);
        let d = t.text_of("Duration");
        assert!(d.starts_with("PT") && d.ends_with("H0M0S"), "{d}");
    }
    // Every activity is a leaf task; map UIDs to activity indices.
    let mut activity_of_uid = std::collections::HashMap::new();
    for t in tasks.iter().filter(|t| t.text_of("Summary") == "0") {
        let name = t.text_of("Name");
        let i = np
            .plan
            .activities
            .iter()
            .position(|a| name == format!("{} {}", a.id, a.name))
            .unwrap_or_else(|| panic!("task {name} is no activity"));
        activity_of_uid.insert(t.text_of("UID"), i);
        let a = &np.plan.activities[i];
        assert_eq!(t.text_of("Milestone") == "1", a.duration_days == 0);
        if a.duration_days > 0 {
            assert_eq!(t.text_of("Start"), format!("{}T08:00:00", a.start));
            assert_eq!(t.text_of("Finish"), format!("{}T17:00:00", a.finish));
        }
    }
    assert_eq!(activity_of_uid.len(), np.plan.activities.len());
    // Summary tasks: districts (level 1) and elements (level 2).
    assert!(tasks
        .iter()
        .any(|t| t.text_of("Summary") == "1" && t.text_of("Name") == "北区"));
    assert!(tasks.iter().any(|t| t.text_of("Summary") == "1"
        && t.text_of("Name") == "P1"
        && t.text_of("OutlineLevel") == "2"));
    // Links: exactly the plan's precedences, with type and lag.
    let mut found = BTreeSet::new();
    for t in &tasks {
        for l in t.all("PredecessorLink") {
            let to = activity_of_uid[&t.text_of("UID")];
            let from = activity_of_uid[&l.text_of("PredecessorUID")];
            assert_eq!(l.text_of("LagFormat"), "8");
            let lag: i64 = l.text_of("LinkLag").parse().unwrap();
            assert_eq!(lag % 14400, 0);
            let kind = match l.text_of("Type").as_str() {
                "1" => "FS",
                "3" => "SS",
                other => panic!("link type {other}"),
            };
            found.insert((from, to, kind.to_string(), lag / 14400));
        }
    }
    let expected: BTreeSet<_> = np
        .links
        .iter()
        .filter(|l| l.handover.is_none())
        .map(|l| (l.from, l.to, l.kind.clone(), l.day_lag as i64))
        .collect();
    assert_eq!(found, expected);
    assert!(expected.iter().any(|l| l.2 == "SS" && l.3 == 2));
    // Crews as resources and one assignment per activity with a crew.
    let resources = root.child("Resources").unwrap().all("Resource");
    let crews: BTreeSet<&str> = np
        .plan
        .activities
        .iter()
        .filter(|a| !a.crew.is_empty())
        .map(|a| a.crew.as_str())
        .collect();
    assert_eq!(resources.len(), crews.len());
    let assignments = root.child("Assignments").unwrap().all("Assignment");
    assert_eq!(
        assignments.len(),
        np.plan
            .activities
            .iter()
            .filter(|a| !a.crew.is_empty())
            .count()
    );
}

#[test]
fn gantt_is_well_formed_and_draws_every_activity() {
    let np = plan();
    for lang in [Lang::Zh, Lang::En] {
        let svg = gantt::gantt_svg(&np, lang);
        let root = parse(&svg);
        assert_eq!(root.name, "svg");
        let mut all = Vec::new();
        root.walk(&mut all);
        let drawn: Vec<&str> = all.iter().filter_map(|e| e.attr("data-activity")).collect();
        let ids: BTreeSet<&str> = np.plan.activities.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(drawn.len(), ids.len());
        assert_eq!(drawn.into_iter().collect::<BTreeSet<_>>(), ids);
        // Deadline label, a holiday and the ban are drawn.
        assert!(svg.contains("2022-06-30"));
        assert!(svg.contains("清明"));
        assert!(svg.contains("高考"));
    }
}

#[test]
fn network_svg_is_well_formed_at_every_detail() {
    let np = plan();
    for detail in [Detail::Districts, Detail::Elements, Detail::Activities] {
        let svg = network_svg::network_svg(&np, detail, Lang::En);
        let root = parse(&svg);
        let mut all = Vec::new();
        root.walk(&mut all);
        let members: BTreeSet<String> = all
            .iter()
            .filter_map(|e| e.attr("data-activities"))
            .flat_map(|s| s.split(' ').map(str::to_string))
            .collect();
        assert_eq!(members.len(), np.plan.activities.len(), "{detail:?}");
        // Critical nodes are highlighted, and in full detail the links too.
        assert!(svg.contains(r##"stroke="#d62728" stroke-width="2""##));
        if detail == Detail::Activities {
            assert!(svg.contains("marker-end=\"url(#net-arrow-crit)\""));
        }
    }
}

#[test]
fn html_report_is_well_formed_and_self_contained() {
    let np = plan();
    let html = html::report_html(&np, Detail::Elements, Lang::Zh);
    assert!(html.starts_with("<!DOCTYPE html>"));
    let root = parse(&html);
    assert_eq!(root.name, "html");
    let mut all = Vec::new();
    root.walk(&mut all);
    // Gantt, network diagram and the time-scaled arrow network.
    assert_eq!(all.iter().filter(|e| e.name == "svg").count(), 3);
    let outside = external_references(&root);
    assert!(outside.is_empty(), "loads from outside: {outside:?}");
    assert!(!html.contains("<script"));
    assert!(html.contains("幸福小区"));
    assert!(html.contains("Test &amp; &lt;programme&gt;"));
}

#[test]
fn plan_csv_ledger_and_json() {
    let np = plan();
    let csv = csv::plan_csv(&np);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "\u{feff}id,name,element,district,contractor,crew,start,finish,duration,es,ef,ls,lf,total_float,free_float,critical"
    );
    assert_eq!(lines.count(), np.plan.activities.len());
    let first = &np.plan.activities[0];
    let t = &np.activities[0].resource;
    assert!(csv.contains(&format!(
        "{},{},{},{},{},{},{}",
        first.finish,
        first.duration_days,
        t.es_date,
        t.ef_date,
        t.ls_date,
        t.lf_date,
        t.days.total_float
    )));
    let ledger = csv::ledger_csv(&np);
    let mut lines = ledger.lines();
    assert_eq!(
        lines.next().unwrap(),
        "\u{feff}id,planned_start,planned_finish,actual_start,actual_finish,percent_complete,remaining_days,remarks"
    );
    for (l, a) in lines.zip(&np.plan.activities) {
        assert_eq!(l, format!("{},{},{},,,,,", a.id, a.start, a.finish));
    }
    let json = plan_json(&np);
    assert!(json.contains("\"schema_version\": 3"));
    assert_eq!(read_plan_json(&json).unwrap(), np);
    let old = json.replace("\"schema_version\": 3", "\"schema_version\": 2");
    let e = read_plan_json(&old).unwrap_err().to_string();
    assert!(
        e.contains("schema version 2") && e.contains("reads version 3"),
        "{e}"
    );
}

#[test]
fn responsibility_lists_cover_every_activity_once() {
    let np = plan();
    for who in [csv::Responsible::District, csv::Responsible::Contractor] {
        let files = csv::responsibility_lists(&np, who, Lang::Zh);
        let rows: usize = files.iter().map(|(_, c)| c.lines().count() - 1).sum();
        assert_eq!(rows, np.plan.activities.len());
        for (name, content) in &files {
            assert!(name.starts_with("responsibility-") && name.ends_with(".csv"));
            assert!(content.starts_with('\u{feff}'));
        }
    }
    let names: Vec<String> = csv::responsibility_lists(&np, csv::Responsible::District, Lang::En)
        .into_iter()
        .map(|f| f.0)
        .collect();
    assert_eq!(
        names,
        vec![
            "responsibility-district-north.csv",
            "responsibility-district-south.csv",
            "responsibility-district-_.csv"
        ]
    );
}

#[test]
fn summary_in_both_languages() {
    let np = plan();
    let zh = summary::plan_summary(&np, Lang::Zh);
    assert!(zh.contains("具备供热条件"));
    assert!(zh.contains("班组利用率"));
    let en = summary::plan_summary(&np, Lang::En);
    assert!(en.contains("Heat-ready by the deadline"));
    assert!(en.contains("Crew utilisation"));
    assert!(en.starts_with("Test & <programme>"));
    let files = all_files(&np, Detail::Elements, Lang::Zh);
    assert!(files.iter().any(|f| f.0 == "plan.xml"));
    assert!(files.iter().any(|f| f.0 == "report.html"));
}

/// Everything in a document that a browser would fetch from elsewhere:
/// elements that load (script, link, iframe, object, embed), attributes that
/// point at a resource (`href`, `src`, … — in-page `#` anchors and `data:`
/// URLs excepted), and `url(…)` or `@import` in style sheets and `style`
/// attributes. Namespace declarations (`xmlns`) name, they do not load.
fn external_references(root: &El) -> Vec<String> {
    const LOADING: &[&str] = &["script", "link", "iframe", "object", "embed", "frame"];
    const POINTING: &[&str] = &[
        "href",
        "xlink:href",
        "src",
        "srcset",
        "action",
        "formaction",
        "poster",
        "data",
        "background",
    ];
    let local = |v: &str| {
        let v = v.trim();
        v.starts_with('#') || v.starts_with("data:")
    };
    let in_css = |css: &str, out: &mut Vec<String>| {
        if css.contains("@import") {
            out.push(format!("@import in {css:?}"));
        }
        for (i, _) in css.match_indices("url(") {
            let target = css[i + 4..].trim_start_matches(['"', '\'', ' ']);
            if !local(target) {
                out.push(format!("url({target:.40}"));
            }
        }
    };
    let mut all = Vec::new();
    root.walk(&mut all);
    let mut out = Vec::new();
    for e in all {
        if LOADING.contains(&e.name.as_str()) {
            out.push(format!("<{}>", e.name));
        }
        if e.name == "style" {
            in_css(&e.text, &mut out);
        }
        for (k, v) in &e.attrs {
            if POINTING.contains(&k.as_str()) && !local(v) {
                out.push(format!("<{} {k}=\"{v}\">", e.name));
            }
            if k == "style" {
                in_css(v, &mut out);
            }
        }
    }
    out
}

#[test]
fn the_external_reference_check_catches_what_would_load() {
    // Guard against a check that accepts anything: each of these pages
    // loads something from outside, the last one nothing.
    let page = |body: &str| {
        parse(&format!(
            "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><style>p{{color:red}}</style></head><body>{body}</body></html>"
        ))
    };
    for body in [
        "<img src=\"http://example.org/a.png\"/>",
        "<img src=\"logo.png\"/>",
        "<link rel=\"stylesheet\" href=\"style.css\"/>",
        "<a href=\"https://example.org/\">x</a>",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><image xlink:href=\"//cdn/x.svg\"/></svg>",
        "<p style=\"background: url('https://example.org/x.png')\">x</p>",
        "<style>@import \"x.css\";</style>",
        "<style>p{background:url(x.png)}</style>",
        "<script>1</script>",
    ] {
        assert!(!external_references(&page(body)).is_empty(), "{body}");
    }
    let local = page(
        "<a href=\"#late\">x</a><img src=\"data:image/png;base64,AA==\"/><p style=\"fill:url(#g)\">y</p>",
    );
    assert_eq!(external_references(&local), Vec::<String>::new());
}

/// Every file of a larger programme (about a thousand activities, four
/// districts) in both languages: the XML, SVG and HTML files are well-formed
/// and load nothing from outside, every CSV row has its header's number of
/// fields, and plan.json reads back to the same plan. With
/// `HEATPLAN_REPORT_DIR` set, the files of the fixture and of this programme
/// are also written to `$HEATPLAN_REPORT_DIR/{small,big}` for checks with
/// outside tools (MPXJ, a browser).
#[test]
fn a_larger_programme_renders_well_formed_files() {
    let small = fixture::project("2022-06-30", 1);
    let big = fixture::big_project(4);
    for (name, project) in [("small", small), ("big", big)] {
        let np = fixture::network(&project, &fixture::levelled(&project));
        assert!(name == "small" || np.plan.activities.len() > 1000);
        let out = std::env::var("HEATPLAN_REPORT_DIR")
            .ok()
            .map(|dir| std::path::Path::new(&dir).join(name));
        for lang in [Lang::Zh, Lang::En] {
            let mut files = all_files(&np, Detail::Elements, lang);
            files.push((
                "network-full.svg".into(),
                network_svg::network_svg(&np, Detail::Activities, lang),
            ));
            files.push((
                "network-districts.svg".into(),
                network_svg::network_svg(&np, Detail::Districts, lang),
            ));
            files.push(("summary.txt".into(), summary::plan_summary(&np, lang)));
            if let Some(out) = &out {
                std::fs::create_dir_all(out).unwrap();
                for (file, content) in &files {
                    let file = match lang {
                        Lang::Zh => file.clone(),
                        Lang::En => format!("en-{file}"),
                    };
                    std::fs::write(out.join(file), content).unwrap();
                }
            }
            for (file, content) in &files {
                let ext = file.rsplit('.').next().unwrap();
                match ext {
                    "xml" | "svg" | "html" => {
                        let root = parse(content);
                        let outside = external_references(&root);
                        assert!(outside.is_empty(), "{name} {file}: {outside:?}");
                    }
                    "csv" => {
                        let rows = crate::csv_text::records(content)
                            .unwrap_or_else(|line| panic!("{name} {file}: quote open at {line}"));
                        let width = rows[0].fields.len();
                        for row in &rows {
                            assert_eq!(row.fields.len(), width, "{name} {file}: line {}", row.line);
                        }
                    }
                    "json" => {
                        let back = read_plan_json(content).unwrap();
                        assert_eq!(back.plan.activities, np.plan.activities, "{name}");
                        assert_eq!(back.links, np.links, "{name}");
                    }
                    "txt" => assert!(content.contains(&np.plan.programme)),
                    other => panic!("{file}: unexpected .{other}"),
                }
            }
        }
    }
}

#[test]
fn html_report_with_late_stations_is_well_formed() {
    // With the deadline on the second day of the window every station is late.
    let project = fixture::project("2022-04-02", 1);
    let np = fixture::network(&project, &fixture::levelled(&project));
    assert!(!np.plan.late_stations().is_empty());
    for lang in [Lang::En, Lang::Zh] {
        let root = parse(&html::report_html(&np, Detail::Elements, lang));
        assert_eq!(root.name, "html");
    }
}

#[test]
fn why_late_reaches_the_report_and_plan_json_in_both_languages() {
    // With the deadline on the first day of work no station can be ready.
    let project = fixture::project("2022-04-02", 1);
    let np = fixture::network(&project, &fixture::levelled(&project));
    let late = np.plan.late_stations();
    assert!(!late.is_empty());
    let stations: Vec<&str> = np.why_late.iter().map(|r| r.station.as_str()).collect();
    let ids: Vec<&str> = late.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(stations, ids, "one reason per late station, latest first");
    for (lang, title) in [(Lang::En, "Why late"), (Lang::Zh, "延误原因")] {
        let html = html::report_html(&np, Detail::Elements, lang);
        let root = parse(&html);
        let mut all = Vec::new();
        root.walk(&mut all);
        assert!(html.contains(&format!("<h2>{title}</h2>")), "{lang:?}");
        for r in &np.why_late {
            let text = summary::late_reason_text(r, lang);
            assert!(html.contains(&xml::esc(&text)), "{lang:?}: {text}");
        }
        let terminal = summary::why_late_text(&np, lang);
        assert!(stations.iter().all(|s| terminal.contains(s)), "{terminal}");
    }
    let json = plan_json(&np);
    assert!(json.contains("\"why_late\""));
    assert_eq!(read_plan_json(&json).unwrap().why_late, np.why_late);
    // An on-time plan has no reasons and no section.
    let on_time = plan();
    if on_time.plan.late_stations().is_empty() {
        assert!(on_time.why_late.is_empty());
        assert!(!html::report_html(&on_time, Detail::Elements, Lang::En).contains("Why late"));
    }
}

#[test]
fn a_replan_page_ends_with_its_variance_section() {
    let project = fixture::project("2022-06-30", 1);
    let base = fixture::network(&project, &fixture::earliest(&project));
    let new = fixture::network(&project, &fixture::levelled(&project));
    let date = chrono::NaiveDate::from_ymd_opt(2022, 5, 1).unwrap();
    let variance = crate::plan::variance::variance(&base, &new, date);
    let files = replan_files(&new, &variance, Detail::Elements, Lang::En);
    let plain = all_files(&new, Detail::Elements, Lang::En);
    assert_eq!(files.len(), plain.len() + 1);
    assert_eq!(
        files.last().unwrap(),
        &("variance.csv".into(), variance.csv())
    );
    for ((name, with), (plain_name, without)) in files.iter().zip(&plain) {
        assert_eq!(name, plain_name);
        if name == "plan.xml" {
            // The re-plan's plan.xml adds the baseline dates to each task.
            assert!(with.contains("<Baseline>") && !without.contains("<Baseline>"));
        } else if name == "gantt.svg" {
            // The re-plan's Gantt chart adds the data date, the baseline
            // bars and the done parts.
            assert_eq!(with, &gantt::gantt_svg_replan(&new, &variance, Lang::En));
            assert!(with.contains("class=\"data-date\"") && !without.contains("data-date"));
        } else if name != "report.html" {
            assert_eq!(with, without, "{name}");
        }
    }
    let html = &files.iter().find(|f| f.0 == "report.html").unwrap().1;
    let at = html
        .find("<section id=\"variance\">")
        .expect("a variance section");
    let page = &plain.iter().find(|f| f.0 == "report.html").unwrap().1;
    // The plan's page with the re-plan's Gantt chart, then the section just
    // before </body>.
    let page = page.replace(
        &gantt::gantt_svg(&new, Lang::En),
        &gantt::gantt_svg_replan(&new, &variance, Lang::En),
    );
    assert_eq!(
        &html[..at],
        page.strip_suffix("</body>\n</html>\n").unwrap()
    );
    assert!(html.ends_with("</section>\n</body>\n</html>\n"));
    assert_eq!(parse(html).name, "html");
}

#[test]
fn the_variance_section_speaks_the_report_language() {
    let project = fixture::project("2022-06-30", 1);
    let base = fixture::network(&project, &fixture::earliest(&project));
    let new = fixture::network(&project, &fixture::levelled(&project));
    let date = chrono::NaiveDate::from_ymd_opt(2022, 5, 1).unwrap();
    let variance = crate::plan::variance::variance(&base, &new, date);
    let zh = html::replan_report_html(&new, &variance, Detail::Elements, Lang::Zh);
    assert_eq!(parse(&zh).name, "html");
    let section = &zh[zh.find("<section id=\"variance\">").unwrap()..];
    assert!(section.contains("<h2>与基线计划的偏差</h2>"), "{section}");
    assert!(section.contains("数据日期 2022-05-01"), "{section}");
    assert!(!section.contains("activities moved"), "{section}");
    let en = html::replan_report_html(&new, &variance, Detail::Elements, Lang::En);
    assert!(en.contains("<h2>Variance against the baseline</h2>"));
}

// --- Snapshots -----------------------------------------------------------
//
// Every renderer's output on the fixture plan, kept under
// src/report/snapshots/: a change to any byte of a report shows up as a
// failing test with a diff (review with `cargo insta review`, or accept by
// setting INSTA_UPDATE=always). Text snapshots do not show a change of the
// final line break or of invisible characters, so one more snapshot lists
// every file's length and hash.

/// FNV-1a, 64 bits: a stable fingerprint of a file's exact bytes.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The files of a list, one after the other, each under its name.
fn concatenated(files: &[(String, String)]) -> String {
    files
        .iter()
        .map(|(name, content)| format!("===== {name} =====\n{content}"))
        .collect()
}

#[test]
fn snapshot_csv_files() {
    let np = plan();
    insta::assert_snapshot!("plan.csv", csv::plan_csv(&np));
    insta::assert_snapshot!("ledger.csv", csv::ledger_csv(&np));
    for lang in [Lang::Zh, Lang::En] {
        for (who, label) in [
            (csv::Responsible::District, "district"),
            (csv::Responsible::Contractor, "contractor"),
        ] {
            insta::assert_snapshot!(
                format!("responsibility-{label}-{}", lang.tag()),
                concatenated(&csv::responsibility_lists(&np, who, lang))
            );
        }
    }
}

#[test]
fn snapshot_plan_json() {
    insta::assert_snapshot!("plan.json", plan_json(&plan()));
}

#[test]
fn snapshot_mspdi() {
    let np = plan();
    for lang in [Lang::Zh, Lang::En] {
        insta::assert_snapshot!(format!("plan.xml-{}", lang.tag()), mspdi::mspdi(&np, lang));
    }
}

#[test]
fn snapshot_gantt() {
    let np = plan();
    for lang in [Lang::Zh, Lang::En] {
        insta::assert_snapshot!(
            format!("gantt.svg-{}", lang.tag()),
            gantt::gantt_svg(&np, lang)
        );
    }
}

#[test]
fn snapshot_network_svg() {
    let np = plan();
    for (detail, label) in [
        (Detail::Districts, "districts"),
        (Detail::Elements, "elements"),
        (Detail::Activities, "activities"),
    ] {
        insta::assert_snapshot!(
            format!("network.svg-{label}-en"),
            network_svg::network_svg(&np, detail, Lang::En)
        );
    }
    insta::assert_snapshot!(
        "network.svg-elements-zh",
        network_svg::network_svg(&np, Detail::Elements, Lang::Zh)
    );
}

#[test]
fn snapshot_report_html() {
    let np = plan();
    for lang in [Lang::Zh, Lang::En] {
        insta::assert_snapshot!(
            format!("report.html-{}", lang.tag()),
            html::report_html(&np, Detail::Elements, lang)
        );
    }
}

#[test]
fn snapshot_terminal_summary() {
    let np = plan();
    for lang in [Lang::Zh, Lang::En] {
        insta::assert_snapshot!(
            format!("summary-{}", lang.tag()),
            summary::plan_summary(&np, lang)
        );
    }
}

/// The fixture with an early deadline, so that the summary and the report
/// have late stations to list.
#[test]
fn snapshot_late_stations() {
    let project = fixture::project("2022-05-10", 1);
    let np = fixture::network(&project, &fixture::levelled(&project));
    assert!(np.plan.households_on_time < np.plan.households_total);
    insta::assert_snapshot!("late-summary-en", summary::plan_summary(&np, Lang::En));
    insta::assert_snapshot!(
        "late-report.html-en",
        html::report_html(&np, Detail::Elements, Lang::En)
    );
    let root = parse(&html::report_html(&np, Detail::Elements, Lang::En));
    assert_eq!(root.name, "html");
}

/// Each file `plan` writes for the fixture, in writing order, with its
/// length in bytes and the hash of its bytes.
#[test]
fn snapshot_file_list_with_exact_bytes() {
    let np = plan();
    let mut list = String::new();
    for lang in [Lang::Zh, Lang::En] {
        for (name, content) in all_files(&np, Detail::Elements, lang) {
            list += &format!(
                "{} {name} {} bytes fnv1a {:016x}\n",
                lang.tag(),
                content.len(),
                fnv1a(content.as_bytes())
            );
        }
    }
    insta::assert_snapshot!("files", list);
}

#[test]
fn a_milestone_has_one_date_in_every_output() {
    let np = plan();
    let m = np
        .milestones
        .iter()
        .find(|m| m.id == "interconnect")
        .expect("the fixture's milestone");
    // The day its last predecessor ends, inclusive.
    let a = np.plan.index_by_id()["interconnect"];
    let last_work = np
        .links
        .iter()
        .filter(|l| l.to == a && l.handover.is_none())
        .map(|l| np.plan.activities[l.from].finish)
        .max()
        .expect("the milestone waits for work");
    assert_eq!(m.date, last_work);
    let pa = &np.plan.activities[a];
    assert_eq!((pa.start, pa.finish), (m.date, m.date));
    // plan.csv: start and finish columns.
    let csv = csv::plan_csv(&np);
    let row = csv
        .lines()
        .find(|l| l.starts_with("interconnect,"))
        .expect("a plan.csv row");
    assert!(row.contains(&format!(",{},{},0,", m.date, m.date)), "{row}");
    // plan.json reads back with the same dates.
    let back = read_plan_json(&plan_json(&np)).unwrap();
    assert_eq!(back.plan.activities[a].finish, m.date);
    assert_eq!(back.activities[a].resource.es_date, m.date);
    // plan.xml: the milestone task starts and finishes on that date.
    let root = parse(&mspdi::mspdi(&np, Lang::En));
    let mut all = Vec::new();
    root.walk(&mut all);
    let task = all
        .iter()
        .find(|e| e.name == "Task" && e.child("Name").is_some_and(|n| n.text.contains("两网互联")))
        .expect("a plan.xml task");
    assert_eq!(task.text_of("Milestone"), "1");
    assert!(task.text_of("Start").starts_with(&m.date.to_string()));
    assert!(task.text_of("Finish").starts_with(&m.date.to_string()));
    // The terminal and the report list the same date beside the milestone.
    for text in [
        summary::plan_summary(&np, Lang::En),
        html::report_html(&np, Detail::Elements, Lang::En),
    ] {
        let line = text
            .lines()
            .find(|l| l.contains("interconnect") && l.contains(&m.date.to_string()));
        assert!(line.is_some(), "no line with interconnect on {}", m.date);
    }
    // network.svg: the milestone's node carries that day.
    let svg = network_svg::network_svg(&np, Detail::Activities, Lang::En);
    let node = svg
        .lines()
        .find(|l| l.contains(r#"data-activities="interconnect""#))
        .expect("the milestone's node");
    let md = m.date.format("%m-%d").to_string();
    assert!(node.contains(&format!("{md} – {md}")), "{node}");
    // No phantom day: the finish is the last day of real work.
    let work_finish = np
        .plan
        .activities
        .iter()
        .filter(|x| x.duration_days > 0)
        .map(|x| x.finish)
        .max()
        .unwrap();
    assert_eq!(np.plan.finish, work_finish);
}

/// A tool that reads plan.json's written dates (start, duration_days) and
/// its links, and nothing of the day grid, finds each link with exactly the
/// slack it has on the day grid: a milestone dated on the close of its day
/// changes the written lag, never the meaning.
#[test]
fn plan_json_links_hold_on_the_written_dates_with_the_grid_s_slack() {
    let np = read_plan_json(&plan_json(&plan())).unwrap();
    let acts = &np.plan.activities;
    let mut around_milestones = 0;
    for l in &np.links {
        let (p, s) = (&acts[l.from], &acts[l.to]);
        let written = |d: chrono::NaiveDate| (d - np.plan.window_start).num_days();
        let (date_bound, grid_bound) = match l.kind.as_str() {
            "FS" => (
                written(p.start) + i64::from(p.duration_days) + i64::from(l.lag),
                i64::from(p.end_day) + i64::from(l.day_lag),
            ),
            _ => (
                written(p.start) + i64::from(l.lag),
                i64::from(p.start_day) + i64::from(l.day_lag),
            ),
        };
        assert_eq!(
            written(s.start) - date_bound,
            i64::from(s.start_day) - grid_bound,
            "{} -> {} {}",
            p.id,
            s.id,
            l.kind
        );
        assert!(written(s.start) >= date_bound, "{} -> {}", p.id, s.id);
        around_milestones += usize::from(p.duration_days == 0 || s.duration_days == 0);
    }
    assert!(
        around_milestones > 0,
        "the fixture has links around milestones"
    );
}

#[test]
fn an_unreachable_node_is_reported_missed_with_its_proven_least_lateness() {
    // The interconnection waits for P2 and P4; due on 5 April it cannot be
    // met by any plan.
    let text = fixture::scenario("2022-06-30", 1).replace("due = 2022-06-15", "due = 2022-04-05");
    let project = crate::Project::load(&crate::scenario::Source {
        file: "fixture.toml".into(),
        text,
    })
    .unwrap_or_else(|d| panic!("{d}"));
    let np = fixture::network(&project, &fixture::levelled(&project));
    let node = &np.plan.levels.nodes[0];
    assert_eq!(node.id, "interconnect");
    let a = np.plan.index_by_id()["interconnect"];
    // With unlimited crews the milestone is reached at the logic earliest
    // start; its date is the day before.
    let logic_es = np.activities[a].logic.days.es;
    let earliest = np.date_of(logic_es - 1);
    let by_logic = (earliest - node.due).num_days();
    assert!(by_logic > 0, "the fixture must make the node unreachable");
    assert!(
        node.least_days_late as i64 >= by_logic,
        "the bound sees at least the chain: {node:?}, chain says {by_logic}"
    );
    assert!(node.least_days_late <= node.days_late, "{node:?}");
    assert_eq!(node.days_late as i64, (node.date - node.due).num_days());
    assert_eq!(np.plan.levels.missed_nodes().count(), 1);
    for lang in [Lang::En, Lang::Zh] {
        let l = lang.labels();
        let text = summary::plan_summary(&np, lang);
        let row = text
            .lines()
            .find(|r| r.contains("interconnect") && r.contains(l.missed_by))
            .unwrap_or_else(|| panic!("no missed node row in {text}"));
        assert!(row.contains(&format!("{} {}", l.missed_by, node.days_late)));
        assert!(row.trim_end().ends_with(&node.least_days_late.to_string()));
        assert!(text.contains(&format!("0 {}, 1 {}", l.nodes_met, l.nodes_missed)));
        let html = html::report_html(&np, Detail::Elements, lang);
        assert!(html.contains(l.time_nodes) && html.contains(l.missed_by));
        // The reason sits in the summary at the top, before the drawings,
        // with the node's days late and proven least lateness.
        let why = html
            .find(l.why_nodes_missed)
            .unwrap_or_else(|| panic!("no reasons in {html}"));
        assert!(why < html.find("<svg").unwrap_or(html.len()));
        let line = summary::node_reason_line(&np, &np.why_nodes_late[0], lang);
        assert!(html.contains(&super::xml::esc(&line)), "{line}");
        assert!(summary::why_nodes_late_text(&np, lang).contains(&line));
    }
    // The chain that holds it, the same in plan.json.
    assert_eq!(np.why_nodes_late.len(), 1);
    let r = &np.why_nodes_late[0];
    assert_eq!(r.node, "interconnect");
    assert!(r.cause_is_chain(), "{r:?}");
    let json = plan_json(&np);
    assert!(json.contains("\"why_nodes_late\""));
    assert_eq!(
        read_plan_json(&json).unwrap().why_nodes_late,
        np.why_nodes_late
    );
}

#[test]
fn usual_crew_types_are_named_in_chinese_with_their_id() {
    let np = plan();
    let zh = summary::plan_summary(&np, Lang::Zh);
    let en = summary::plan_summary(&np, Lang::En);
    assert!(zh.contains("土建（civil）"), "{zh}");
    assert!(!en.contains("土建"), "{en}");
    assert_eq!(Lang::Zh.labels().crew_type_name("crane"), "crane");
}

/// A missed node whose own least lateness is 0 while the time-node level is
/// proven above zero (nodes each reachable alone, not together): the summary
/// and the node's reason carry the level's figure, in both languages, and
/// say "with every station on time" only when the plan has them so.
#[test]
fn a_node_level_bound_above_zero_is_printed_beside_the_missed_node() {
    let text = fixture::scenario("2022-06-30", 1).replace("due = 2022-06-15", "due = 2022-04-05");
    let project = crate::Project::load(&crate::scenario::Source {
        file: "fixture.toml".into(),
        text,
    })
    .unwrap_or_else(|d| panic!("{d}"));
    let mut np = fixture::network(&project, &fixture::levelled(&project));
    let late = np.plan.levels.nodes[0].days_late;
    assert!(late >= 2, "the fixture's node is missed by days");
    np.plan.levels.nodes[0].least_days_late = 0;
    np.plan.levels.node_days_late = u64::from(late);
    np.plan.levels.node_days_bound = 2;
    for held in [true, false] {
        np.plan.levels.household_days_late = u64::from(!held);
        for lang in [Lang::En, Lang::Zh] {
            let l = lang.labels();
            let summary = summary::plan_summary(&np, lang);
            let row = format!(
                "{} ({} 2 {})",
                l.not_proven, l.unavoidable, l.node_days_late
            );
            assert!(summary.contains(&row), "{row} not in {summary}");
            let line = summary::node_reason_line(&np, &np.why_nodes_late[0], lang);
            let claim = match (lang, held) {
                (Lang::En, true) => {
                    "not every node can be met with every station on time: at least 2 node-days"
                }
                (Lang::En, false) => "not every node can be met: at least 2 node-days",
                (Lang::Zh, true) => {
                    "在所有换热站按期的前提下，时间节点不能全部按期：至少 2 节点·天"
                }
                (Lang::Zh, false) => "；时间节点不能全部按期：至少 2 节点·天",
            };
            assert!(line.contains(claim), "{claim} not in {line}");
        }
    }
    // At the bound the level is proven best, and the reason still says
    // why the lateness is there; with no level bound nothing is claimed.
    np.plan.levels.node_days_bound = u64::from(late);
    let line = summary::node_reason_line(&np, &np.why_nodes_late[0], Lang::En);
    assert!(
        line.contains(&format!("at least {late} node-days")),
        "{line}"
    );
    let en = Lang::En.labels();
    let nodes_row = format!("1 {} · {}", en.nodes_missed, en.proven_best);
    assert!(summary::plan_summary(&np, Lang::En).contains(&nodes_row));
    np.plan.levels.node_days_bound = 0;
    let line = summary::node_reason_line(&np, &np.why_nodes_late[0], Lang::En);
    assert!(!line.contains("not every node"), "{line}");
}

#[test]
fn finish_and_crew_days_are_proven_given_the_levels_above_only_when_the_solve_proved_the_plan() {
    let mut np = plan();
    let en = Lang::En.labels();
    let zh = Lang::Zh.labels();
    // The fixture proves nothing: the rows give the bounds alone.
    assert!(np.plan.quality.objective > np.plan.quality.bound);
    np.plan.levels.crew_days_bound = np.plan.crew_days - 5;
    let summary = summary::plan_summary(&np, Lang::En);
    assert!(!summary.contains(en.proven_given_above), "{summary}");
    let row = format!(
        "{} · {} {}",
        np.plan.crew_days,
        en.at_least,
        np.plan.crew_days - 5
    );
    assert!(summary.contains(&row), "{row} not in {summary}");
    // A solve that proved the whole objective optimal: the crew-days are
    // the least among the plans as good above them, though the bound over
    // every plan is lower.
    np.plan.quality.bound = np.plan.quality.objective;
    for (lang, l) in [(Lang::En, en), (Lang::Zh, zh)] {
        let summary = summary::plan_summary(&np, lang);
        let row = format!(
            "{} · {} · {} {}",
            np.plan.crew_days,
            l.proven_given_above,
            l.at_least,
            np.plan.crew_days - 5
        );
        assert!(summary.contains(&row), "{row} not in {summary}");
    }
    // At their own bound both levels are proven best outright.
    np.plan.levels.crew_days_bound = np.plan.crew_days;
    np.plan.levels.finish_bound = Some(np.plan.finish);
    let summary = summary::plan_summary(&np, Lang::En);
    assert!(summary.contains(&format!("{} · {}", np.plan.crew_days, en.proven_best)));
    assert!(summary.contains(&format!("{} · {}", np.plan.finish, en.proven_best)));
}
