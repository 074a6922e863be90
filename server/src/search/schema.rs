//! The index's fields and how an incident becomes one document.

use app::domain::SearchPart;
use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use super::tokenizer;
use crate::storage::search_source::SearchSource;

/// One document per incident. Text parts are stored so snippets and "similar incidents" can be
/// computed from the index alone; filters are raw (untokenized) terms.
#[derive(Clone, Debug)]
pub struct Fields {
    pub id: Field,
    pub title: Field,
    pub root_cause: Field,
    pub five_whys: Field,
    pub summary: Field,
    pub impact: Field,
    pub timeline: Field,
    pub action_items: Field,
    pub narrative: Field,
    /// Every text part in one field, root causes twice (not stored): ranked searches score
    /// words here and in the title, so a word costs two posting lists instead of eight.
    pub all: Field,
    pub severity: Field,
    pub status: Field,
    pub service: Field,
    pub category: Field,
    /// When impact began, or when the incident was filed if unknown (Unix seconds): the date
    /// filter and the order of a search without words.
    pub sort_at: Field,
    /// When impact began (Unix seconds), absent if unknown: shown in results.
    pub started_at: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text = TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer::NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let mut text_field = |name: &str| b.add_text_field(name, text.clone());
        let (title, root_cause, five_whys, summary, impact, timeline, action_items, narrative) = (
            text_field("title"),
            text_field("root_cause"),
            text_field("five_whys"),
            text_field("summary"),
            text_field("impact"),
            text_field("timeline"),
            text_field("action_items"),
            text_field("narrative"),
        );
        let fields = Fields {
            id: b.add_i64_field("id", INDEXED | STORED | FAST),
            title,
            root_cause,
            five_whys,
            summary,
            impact,
            timeline,
            action_items,
            narrative,
            all: b.add_text_field(
                "all",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(tokenizer::NAME)
                        .set_index_option(IndexRecordOption::WithFreqsAndPositions),
                ),
            ),
            severity: b.add_text_field("severity", STRING | STORED),
            status: b.add_text_field("status", STRING),
            service: b.add_text_field("service", STRING),
            category: b.add_text_field("category", STRING),
            sort_at: b.add_i64_field("sort_at", INDEXED | FAST),
            started_at: b.add_i64_field("started_at", STORED),
        };
        (b.build(), fields)
    }

    /// The text field holding a part.
    pub fn part(&self, part: SearchPart) -> Field {
        match part {
            SearchPart::Title => self.title,
            SearchPart::RootCause => self.root_cause,
            SearchPart::FiveWhys => self.five_whys,
            SearchPart::Summary => self.summary,
            SearchPart::Impact => self.impact,
            SearchPart::Timeline => self.timeline,
            SearchPart::ActionItems => self.action_items,
            SearchPart::Narrative => self.narrative,
        }
    }

    /// All text parts' fields, most telling first.
    pub fn parts(&self) -> Vec<Field> {
        SearchPart::ALL.iter().map(|p| self.part(*p)).collect()
    }

    pub fn document(&self, s: &SearchSource) -> TantivyDocument {
        let i = &s.incident;
        let f = &i.fields;
        let mut d = TantivyDocument::new();
        d.add_i64(self.id, i.id.get());
        let summary = crate::markdown::plain_text(&f.summary);
        let impact = format!("{}\n{}", f.customer_impact, f.business_impact);
        let narrative = crate::markdown::plain_text(&f.narrative);
        let parts = [
            (self.title, f.title.as_str()),
            (self.root_cause, s.root_causes.as_str()),
            (self.five_whys, s.five_whys.as_str()),
            (self.summary, summary.as_str()),
            (self.impact, impact.as_str()),
            (self.timeline, s.timeline.as_str()),
            (self.timeline, s.alerts.as_str()),
            (self.action_items, s.action_items.as_str()),
            (self.narrative, narrative.as_str()),
        ];
        for (field, text) in parts {
            d.add_text(field, text);
            d.add_text(self.all, text);
        }
        // Root causes say what went wrong: in `all` twice, their words weigh more in ranked
        // searches (see `search::ranked`).
        d.add_text(self.all, &s.root_causes);
        d.add_text(self.severity, f.severity.as_str());
        d.add_text(self.status, f.status.as_str());
        for service in &f.services {
            d.add_text(self.service, service);
        }
        for category in s.categories() {
            d.add_text(self.category, category);
        }
        d.add_i64(self.sort_at, i.sort_at().timestamp());
        if let Some(at) = f.times.started_at {
            d.add_i64(self.started_at, at.timestamp());
        }
        d
    }
}
