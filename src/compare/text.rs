//! A variant as a scenario file: the base scenario's text with the
//! variant's crews, districts, productivity and costs written into it.
//!
//! A variant's plan.json embeds the scenario it was made from, so that
//! `heatplan risk --plan`, `replan` and `status` rebuild the same project
//! from the file alone. The text is the base text edited in place
//! (`toml_edit` keeps every comment and the layout); only the values a
//! variant changes are rewritten, from the variant's scenario (so the
//! text says what the variant *is*, however its changes were written).
//! [`variant_text`] checks its own result: the edited text, validated and
//! expanded, must give the same scheduling problem as the variant.

use super::{Change, Variant};
use crate::scenario::{Scenario, Source};
use toml_edit::{Array, DocumentMut, InlineTable, Item, TableLike, Value};

/// The scenario text of `variant` (a variant of the scenario whose text is
/// `base`), or `None` when the base text cannot be edited to give exactly
/// the variant's problem (e.g. a layout this editor does not know).
pub fn variant_text(base: &Source, variant: &Variant) -> Option<String> {
    let mut doc: DocumentMut = base.text.parse().ok()?;
    let s = &variant.scenario;
    let mut contractors: Vec<&str> = Vec::new();
    let mut districts: Vec<&str> = Vec::new();
    for c in &variant.changes {
        match c {
            Change::Crews { contractor, .. }
            | Change::Productivity { contractor, .. }
            | Change::Cost { contractor, .. } => contractors.push(contractor),
            Change::Move { from, to, .. } => {
                districts.extend(from.as_deref());
                districts.extend(to.as_deref());
            }
        }
    }
    for id in contractors {
        let want = s.contractors.iter().find(|c| c.id.get_ref() == id)?;
        let table = find_by_id(doc.get_mut("contractors")?, id)?;
        let crews = sub_table(table, "crews")?;
        for (crew, n) in &want.crews {
            set_value(crews, crew, Value::from(i64::from(*n.get_ref())));
        }
        if !want.productivity.is_empty() {
            let productivity = sub_table(table, "productivity")?;
            for (crew, f) in &want.productivity {
                set_value(productivity, crew, Value::from(*f.get_ref()));
            }
        }
        if let Some(cost) = want.cost_per_crew_day {
            set_value(table, "cost_per_crew_day", Value::from(cost));
        }
    }
    for id in districts {
        let want = s.districts.iter().find(|d| d.id.get_ref() == id)?;
        let table = find_by_id(doc.get_mut("districts")?, id)?;
        let list: Array = want
            .contractors
            .iter()
            .map(|c| c.get_ref().as_str())
            .collect();
        set_value(table, "contractors", Value::Array(list));
    }
    let text = doc.to_string();
    same_problem(s, base, &text).then_some(text)
}

/// The table of an array of tables (or of inline tables) whose `id` is `id`.
fn find_by_id<'a>(item: &'a mut Item, id: &str) -> Option<&'a mut dyn TableLike> {
    let is = |t: &dyn TableLike| t.get("id").and_then(Item::as_str) == Some(id);
    match item {
        Item::ArrayOfTables(a) => a
            .iter_mut()
            .find(|t| is(*t))
            .map(|t| t as &mut dyn TableLike),
        Item::Value(Value::Array(a)) => a
            .iter_mut()
            .filter_map(Value::as_inline_table_mut)
            .find(|t| is(*t))
            .map(|t| t as &mut dyn TableLike),
        _ => None,
    }
}

/// The table (or inline table) `key` of `table`, made inline when missing.
fn sub_table<'a>(table: &'a mut dyn TableLike, key: &str) -> Option<&'a mut dyn TableLike> {
    if table.get(key).is_none() {
        table.insert(key, Item::Value(Value::InlineTable(InlineTable::new())));
    }
    table.get_mut(key)?.as_table_like_mut()
}

/// Sets `key` of `table` to `value`, keeping the old value's spacing and
/// comments.
fn set_value(table: &mut dyn TableLike, key: &str, mut value: Value) {
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        None => {
            table.insert(key, Item::Value(value));
        }
    }
}

/// True when `text` is a valid scenario whose expanded problem is the
/// variant's (`scenario`, whose spans point into `base`).
fn same_problem(scenario: &Scenario, base: &Source, text: &str) -> bool {
    let edited = Source {
        file: base.file.clone(),
        text: text.to_string(),
    };
    let Ok(file) = crate::scenario::load_file(&edited) else {
        return false;
    };
    let (Ok(a), Ok(b)) = (
        crate::scenario::check(&file, &edited),
        crate::scenario::check(scenario, base),
    ) else {
        return false;
    };
    let (a, b) = (
        crate::Project::from_programme(a),
        crate::Project::from_programme(b),
    );
    a.model.problem == b.model.problem && a.programme.risk == b.programme.risk
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::file::parse_variants;

    fn source(path: &str) -> Source {
        Source {
            file: path.into(),
            text: std::fs::read_to_string(path).unwrap(),
        }
    }

    #[test]
    fn every_example_variant_is_written_as_a_scenario_with_its_problem() {
        for (scenario, variants) in [
            (
                "scenarios/tutorial.toml",
                "scenarios/variants-tutorial.toml",
            ),
            ("scenarios/city.toml", "scenarios/variants-city.toml"),
        ] {
            let base = source(scenario);
            let s = crate::scenario::load_file(&base).unwrap();
            let set = parse_variants(&source(variants), &s).unwrap();
            assert!(!set.variants.is_empty());
            for v in &set.variants {
                let text = variant_text(&base, v)
                    .unwrap_or_else(|| panic!("{}: {} not written", scenario, v.name));
                assert_ne!(text, base.text, "{}", v.name);
            }
        }
    }

    #[test]
    fn a_variant_that_changes_nothing_is_the_base_text() {
        let base = source("scenarios/tutorial.toml");
        let s = crate::scenario::load_file(&base).unwrap();
        let v = Variant {
            name: "base".into(),
            changes: Vec::new(),
            scenario: s,
        };
        assert_eq!(variant_text(&base, &v).as_deref(), Some(base.text.as_str()));
    }
}
