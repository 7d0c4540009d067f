//! The variants file: named variants of a scenario (docs/compare.md).
//!
//! ```toml
//! [[variants]]
//! name = "reli hires a pipe crew"
//! crews = [{ contractor = "reli", crew = "pipe", add = 1 }]
//!
//! [[variants]]
//! name = "shizheng moves to Hedong"
//! move = [{ contractor = "shizheng", from = "hexi", to = "hedong" }]
//! productivity = [{ contractor = "shizheng", crew = "earthworks", factor = 1.0 }]
//! ```
//!
//! Parsing is strict like the scenario's: unknown fields, wrong types and
//! every reference to a contractor, crew type or district that does not
//! exist are reported with the line and column and a fix, all at once. A
//! variant whose changes are well written but leave the scenario invalid
//! (say, no crews left for some work) is no mistake of the file: it is kept,
//! and the comparison reports it as a row with the reason
//! ([`solve_variant`](super::solve_variant)).

use super::variant::{apply, Change, CrewCount, Field, Variant};
use crate::both;
use crate::scenario::{Diagnostic, Diagnostics, Scenario, Source, Text};
use serde::Deserialize;
use std::collections::HashMap;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantsFile {
    #[serde(default = "yes")]
    include_base: bool,
    #[serde(default)]
    variants: Vec<Spanned<VariantSpec>>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantSpec {
    name: Text,
    #[serde(default)]
    crews: Vec<CrewsSpec>,
    #[serde(default, rename = "move")]
    moves: Vec<MoveSpec>,
    #[serde(default)]
    productivity: Vec<ProductivitySpec>,
    #[serde(default)]
    cost: Vec<CostSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CrewsSpec {
    contractor: Text,
    crew: Text,
    #[serde(default)]
    add: Option<Spanned<u32>>,
    #[serde(default)]
    remove: Option<Spanned<u32>>,
    #[serde(default)]
    set: Option<Spanned<u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MoveSpec {
    contractor: Text,
    #[serde(default)]
    from: Option<Text>,
    #[serde(default)]
    to: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductivitySpec {
    contractor: Text,
    crew: Text,
    factor: Spanned<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CostSpec {
    contractor: Text,
    cost_per_crew_day: Spanned<f64>,
}

/// The variants of a file, and whether the base scenario is compared too.
#[derive(Debug, Clone)]
pub struct VariantSet {
    /// Compare the unchanged scenario as well (`include_base`, default true).
    pub include_base: bool,
    /// The variants in file order.
    pub variants: Vec<Variant>,
}

/// A change with the spans of its fields.
struct Located {
    change: Change,
    spans: HashMap<FieldKey, std::ops::Range<usize>>,
    whole: std::ops::Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct FieldKey(u8);

fn key(f: Field) -> FieldKey {
    FieldKey(f as u8)
}

/// Parses a variants file against a validated base scenario; each
/// variant's scenario is the base with the variant's changes.
pub fn parse_variants(source: &Source, base: &Scenario) -> Result<VariantSet, Diagnostics> {
    let file: VariantsFile = toml::from_str(&source.text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = crate::scenario::toml_message(&e);
        let doc = both!(
            "see docs/compare.md for the variants file format",
            "变体文件的写法见 docs/compare.md"
        );
        let help = if message.en.starts_with("unknown field") {
            both!(
                "remove the field or correct its spelling",
                "请删除该键或改正拼写"
            )
            .join(&doc, "; ", "；")
        } else if message.en.starts_with("missing key") {
            both!("add the field", "请补上该键").join(&doc, "; ", "；")
        } else {
            doc
        };
        Diagnostics(vec![source.diag(span, message, help)])
    })?;
    let mut out = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    if file.variants.is_empty() {
        problems.push(source.diag(
            0..0,
            both!("the file defines no variants", "文件中没有定义任何变体"),
            both!(
                "add at least one [[variants]] table with a name and changes; see docs/compare.md",
                "请至少添加一个含 name 和改动的 [[variants]] 表；见 docs/compare.md"
            ),
        ));
    }
    let mut names: HashMap<String, usize> = HashMap::new();
    for spec in &file.variants {
        let whole = spec.span();
        let spec = spec.get_ref();
        let name = spec.name.get_ref().trim();
        if name.is_empty() {
            problems.push(source.diag(
                spec.name.span(),
                both!("the variant's name is empty", "变体的名称为空"),
                both!(
                    "give every variant a short name, e.g. name = \"reli +1 pipe\"",
                    "请给每个变体一个简短的名称，例如 name = \"reli +1 pipe\""
                ),
            ));
        } else if name == "base" && file.include_base {
            problems.push(source.diag(
                spec.name.span(),
                both!(
                    "\"base\" names the unchanged scenario",
                    "“base”是未改动方案的名称"
                ),
                both!(
                    "choose another name, or set include_base = false",
                    "请换一个名称，或设置 include_base = false"
                ),
            ));
        } else if let Some(first) = names.get(name) {
            let line = crate::scenario::Location::of_offset(&source.text, *first).line;
            problems.push(source.diag(
                spec.name.span(),
                both!(
                    "a second variant named \"{name}\"",
                    "又一个名为“{name}”的变体"
                ),
                both!(
                    "the first is at line {line}; give each variant its own name",
                    "第一个在第 {line} 行；请给每个变体不同的名称"
                ),
            ));
        } else {
            names.insert(name.to_string(), spec.name.span().start);
        }
        let (changes, mut errors) = changes_of(source, spec);
        if changes.is_empty() && errors.is_empty() {
            errors.push(source.diag(
                whole.clone(),
                both!(
                    "variant \"{name}\" changes nothing",
                    "变体“{name}”没有任何改动"
                ),
                both!(
                    "add crews, move, productivity or cost entries; see docs/compare.md",
                    "请添加 crews、move、productivity 或 cost 条目；见 docs/compare.md"
                ),
            ));
        }
        let mut scenario = base.clone();
        for c in &changes {
            for e in apply(&mut scenario, &c.change).err().unwrap_or_default() {
                let span = c
                    .spans
                    .get(&key(e.field))
                    .cloned()
                    .unwrap_or(c.whole.clone());
                errors.push(source.diag(
                    span,
                    both!("variant \"{name}\"", "变体“{name}”").join(&e.message, ": ", "："),
                    e.help,
                ));
            }
        }
        if errors.is_empty() {
            out.push(Variant {
                name: name.to_string(),
                changes: changes.into_iter().map(|c| c.change).collect(),
                scenario,
            });
        }
        problems.extend(errors);
    }
    if problems.is_empty() {
        Ok(VariantSet {
            include_base: file.include_base,
            variants: out,
        })
    } else {
        problems.sort_by_key(|d| (d.location.line, d.location.column));
        Err(Diagnostics(problems))
    }
}

/// The changes of one variant with their spans; problems that need no
/// scenario (a crews entry with no count or several) are returned too.
fn changes_of(source: &Source, spec: &VariantSpec) -> (Vec<Located>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let name = spec.name.get_ref();
    for c in &spec.crews {
        let counts: Vec<(CrewCount, std::ops::Range<usize>)> = [
            c.add
                .as_ref()
                .map(|n| (CrewCount::Add(*n.get_ref()), n.span())),
            c.remove
                .as_ref()
                .map(|n| (CrewCount::Remove(*n.get_ref()), n.span())),
            c.set
                .as_ref()
                .map(|n| (CrewCount::Set(*n.get_ref()), n.span())),
        ]
        .into_iter()
        .flatten()
        .collect();
        if counts.len() != 1 {
            let (who, crew, n) = (c.contractor.get_ref(), c.crew.get_ref(), counts.len());
            errors.push(source.diag(
                c.contractor.span(),
                both!(
                    "variant \"{name}\": crews entry for {who}.{crew} needs exactly one of add, \
                     remove or set (found {n})",
                    "变体“{name}”：{who}.{crew} 的 crews 条目必须且只能有 add、remove、set 之一\
                     （现有 {n} 个）"
                ),
                both!(
                    "write e.g. {{ contractor = \"reli\", crew = \"pipe\", add = 1 }}",
                    "例如写 {{ contractor = \"reli\", crew = \"pipe\", add = 1 }}"
                ),
            ));
            continue;
        }
        let (count, count_span) = counts.into_iter().next().expect("one");
        out.push(Located {
            change: Change::Crews {
                contractor: c.contractor.get_ref().clone(),
                crew: c.crew.get_ref().clone(),
                count,
            },
            spans: HashMap::from([
                (key(Field::Contractor), c.contractor.span()),
                (key(Field::Crew), c.crew.span()),
                (key(Field::Count), count_span),
            ]),
            whole: c.contractor.span(),
        });
    }
    for m in &spec.moves {
        if m.from.is_none() && m.to.is_none() {
            let who = m.contractor.get_ref();
            errors.push(source.diag(
                m.contractor.span(),
                both!(
                    "variant \"{name}\": move of {who} names neither `from` nor `to`",
                    "变体“{name}”：{who} 的调动既没有 `from` 也没有 `to`"
                ),
                both!(
                    "name the district it leaves (from), the district it joins (to), or both",
                    "请写明离开的辖区（from）、加入的辖区（to），或两者都写"
                ),
            ));
            continue;
        }
        let mut spans = HashMap::from([(key(Field::Contractor), m.contractor.span())]);
        if let Some(f) = &m.from {
            spans.insert(key(Field::From), f.span());
        }
        if let Some(t) = &m.to {
            spans.insert(key(Field::To), t.span());
        }
        out.push(Located {
            change: Change::Move {
                contractor: m.contractor.get_ref().clone(),
                from: m.from.as_ref().map(|x| x.get_ref().clone()),
                to: m.to.as_ref().map(|x| x.get_ref().clone()),
            },
            spans,
            whole: m.contractor.span(),
        });
    }
    for p in &spec.productivity {
        out.push(Located {
            change: Change::Productivity {
                contractor: p.contractor.get_ref().clone(),
                crew: p.crew.get_ref().clone(),
                factor: *p.factor.get_ref(),
            },
            spans: HashMap::from([
                (key(Field::Contractor), p.contractor.span()),
                (key(Field::Crew), p.crew.span()),
                (key(Field::Factor), p.factor.span()),
            ]),
            whole: p.contractor.span(),
        });
    }
    for c in &spec.cost {
        out.push(Located {
            change: Change::Cost {
                contractor: c.contractor.get_ref().clone(),
                cost_per_crew_day: *c.cost_per_crew_day.get_ref(),
            },
            spans: HashMap::from([
                (key(Field::Contractor), c.contractor.span()),
                (key(Field::Cost), c.cost_per_crew_day.span()),
            ]),
            whole: c.contractor.span(),
        });
    }
    (out, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_file as load;

    fn tutorial() -> (Scenario, Source) {
        let src = Source {
            file: "tutorial.toml".into(),
            text: include_str!("../../scenarios/tutorial.toml").to_string(),
        };
        (load(&src).unwrap(), src)
    }

    fn parse(text: &str) -> Result<VariantSet, Diagnostics> {
        let (s, _) = tutorial();
        parse_variants(
            &Source {
                file: "v.toml".into(),
                text: text.into(),
            },
            &s,
        )
    }

    #[test]
    fn a_good_file() {
        let set = parse(
            r#"
[[variants]]
name = "reli +1 pipe"
crews = [{ contractor = "reli", crew = "pipe", add = 1 }]

[[variants]]
name = "shizheng to hedong"
move = [{ contractor = "shizheng", from = "hexi", to = "hedong" }]
productivity = [{ contractor = "shizheng", crew = "earthworks", factor = 1.0 }]
"#,
        )
        .unwrap();
        assert!(set.include_base);
        assert_eq!(set.variants.len(), 2);
        assert_eq!(set.variants[1].changes.len(), 2);
    }

    #[test]
    fn every_problem_is_listed_with_its_line() {
        let e = parse(
            r#"[[variants]]
name = "a"
crews = [{ contractor = "relli", crew = "pipe", add = 1 }]

[[variants]]
name = "a"
crews = [{ contractor = "reli", crew = "pipes", set = 3 }]

[[variants]]
name = "c"
move = [{ contractor = "reli", from = "hexi" }]
"#,
        )
        .unwrap_err();
        let mut lines: Vec<usize> = e.0.iter().map(|d| d.location.line).collect();
        lines.dedup();
        let text = e.to_string();
        // line 3: unknown contractor; line 6: duplicate name; line 7: unknown
        // crew type. Moving reli out of hexi (line 10) leaves hexi's work to
        // shizheng, which has no testing crews: no mistake of the file, but
        // a variant the comparison reports as invalid.
        assert_eq!(lines, vec![3, 6, 7], "{text}");
        assert!(text.contains("did you mean \"reli\""), "{text}");
        assert!(text.contains("did you mean \"pipe\""), "{text}");
        assert!(text.starts_with("v.toml:3:"), "{text}");
    }

    #[test]
    fn syntax_errors_have_a_location() {
        let e = parse("[[variants]]\nname = \"a\"\ncrew = []\n").unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].location.line, 3);
        assert!(e.0[0].help.en.contains("docs/compare.md"));
    }

    #[test]
    fn a_toml_error_without_text_still_gets_a_message() {
        // toml gives no message for a lone carriage return (found by
        // fuzzing the events parser, which shares the fallback).
        let e = parse("\r\r6629223*37.0\n").unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert!(
            e.0[0].message.en.starts_with("invalid TOML syntax"),
            "{:?}",
            e.0[0]
        );
    }
}
