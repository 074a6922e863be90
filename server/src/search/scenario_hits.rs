//! Failure scenarios that answer a search, shown beside the incidents it finds.
//!
//! Scenarios are few (a team writes tens, not thousands), so they are matched in memory against
//! the query as the index would read it (the same tokens, Korean endings and glossary) instead
//! of being indexed beside incidents, where they would distort every incident's ranking and
//! counts.

use std::collections::HashSet;

use app::domain::{Scenario, ScenarioHit};

use super::glossary::Glossary;
use super::reading::Reading;
use super::tokenizer::{Side, analyzer};

/// At most this many scenarios beside a page of incidents.
pub const SCENARIO_HITS: usize = 5;

/// Everything a scenario says, as one text.
fn text_of(s: &Scenario) -> String {
    let d = &s.detection;
    let mut parts: Vec<&str> = vec![&s.title, &s.trigger, &s.business_impact, &d.notes, &s.notes];
    parts.extend(s.symptoms.iter().map(String::as_str));
    parts.extend(s.services.iter().map(String::as_str));
    parts.extend(d.metrics.iter().map(|m| m.metric.as_str()));
    parts.extend(d.alert_levels.iter().map(|a| a.condition.as_str()));
    parts.extend(d.alerts.iter().map(String::as_str));
    for st in &s.stages {
        parts.push(&st.name);
        for p in &st.steps {
            parts.push(&p.text);
            parts.push(&p.detail);
            parts.extend(p.changes.iter().map(String::as_str));
        }
    }
    for w in &s.chain.whys {
        parts.push(&w.why);
        parts.push(&w.because);
    }
    parts.push(&s.chain.root_cause);
    parts.join("\n")
}

fn index_tokens(text: &str) -> HashSet<String> {
    let mut analyzer = analyzer(Side::Index);
    let mut stream = analyzer.token_stream(text);
    let mut out = HashSet::new();
    while let Some(t) = stream.next() {
        out.insert(t.text.clone());
    }
    out
}

/// The scenarios holding at least half of the query's words (all of them for one or two
/// words): most words first, then most words in the title, then the more severe.
pub fn matching(text: &str, glossary: &Glossary, scenarios: &[Scenario]) -> Vec<ScenarioHit> {
    let reading = Reading::plain(text, glossary);
    let n = reading.concepts.len();
    if n == 0 {
        return Vec::new();
    }
    let needed = if n <= 2 { n } else { n.div_ceil(2) };
    // Each found scenario with how many words its title holds: a tie goes to the title.
    let mut hits: Vec<(ScenarioHit, usize)> = scenarios
        .iter()
        .filter_map(|s| {
            let tokens = index_tokens(&text_of(s));
            let title = index_tokens(&s.title);
            let count = |within: &HashSet<String>| {
                let has = |t: &Vec<String>| !t.is_empty() && t.iter().all(|x| within.contains(x));
                reading
                    .concepts
                    .iter()
                    .filter(|c| has(&c.literal) || c.alternatives.iter().any(has))
                    .count()
            };
            let matched = count(&tokens);
            (matched >= needed).then(|| {
                let hit = ScenarioHit {
                    id: s.id,
                    title: s.title.clone(),
                    severity: s.severity,
                    trigger: s.trigger.clone(),
                    root_cause: s.chain.root_cause.clone(),
                    matched,
                    words: n,
                };
                (hit, count(&title))
            })
        })
        .collect();
    hits.sort_by(|(a, at), (b, bt)| {
        b.matched
            .cmp(&a.matched)
            .then(bt.cmp(at))
            .then(a.severity.is_none().cmp(&b.severity.is_none()))
            .then(a.severity.cmp(&b.severity))
            .then(a.title.cmp(&b.title))
    });
    let mut hits: Vec<ScenarioHit> = hits.into_iter().map(|(h, _)| h).collect();
    hits.truncate(SCENARIO_HITS);
    hits
}
