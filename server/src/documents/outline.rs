//! A Markdown document as an outline: its sections (heading, level, blocks) in order, each block
//! a paragraph, a list, a table or a code block, with the inline text already split the way
//! documents write facts: a bold lead (`**Trigger**: …`), the text after it, and code spans.
//!
//! The importers read facts off this outline instead of off pulldown-cmark's event stream, and
//! keep each section's source text so whatever they cannot map is kept as written.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// How deep lists and quotes nest in an outline (frames on the reader's stack).
const MAX_DEPTH: usize = 32;

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);

/// Inline text of a paragraph, list item, heading or table cell.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inline {
    /// All of it, markup removed (code spans keep their text).
    pub text: String,
    /// The bold text it starts with, if it does: `**Trigger**: x` → `Trigger`.
    pub lead: Option<String>,
    /// The text after the lead with the separating `:` or `-` removed; all of it without one.
    pub rest: String,
    /// Its code spans, in order.
    pub codes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub inline: Inline,
    /// A task-list item's box: `Some(true)` for `- [x]`.
    pub checked: Option<bool>,
    /// Nested lists, code blocks and further paragraphs.
    pub blocks: Vec<Block>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Para(Inline),
    List {
        ordered: bool,
        items: Vec<Item>,
    },
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    Code {
        lang: String,
        text: String,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Section {
    /// 1–6; 0 for the text before the first heading.
    pub level: u8,
    pub title: String,
    pub blocks: Vec<Block>,
    /// The section's source, heading included.
    pub source: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outline {
    /// YAML front matter, as written (without the `---` fences).
    pub front_matter: Option<String>,
    /// The text before the first heading is `sections[0]` with level 0 (possibly empty).
    pub sections: Vec<Section>,
}

impl Outline {
    /// The sections under `sections[i]`: those after it up to the next one of its level or
    /// higher.
    pub fn under(&self, i: usize) -> &[Section] {
        let level = self.sections[i].level;
        let end = self.sections[i + 1..]
            .iter()
            .position(|s| s.level <= level)
            .map_or(self.sections.len(), |p| i + 1 + p);
        &self.sections[i + 1..end]
    }
}

impl Inline {
    fn finish(mut self, lead_closed_at: Option<usize>) -> Self {
        let text = self.text.trim().to_owned();
        if let (Some(lead), Some(end)) = (self.lead.take(), lead_closed_at) {
            let lead = lead.trim().trim_end_matches(':').trim().to_owned();
            let after = self.text[end..].trim_start();
            let after = after
                .strip_prefix(':')
                .or_else(|| after.strip_prefix('：'))
                .or_else(|| after.strip_prefix(" - "))
                .or_else(|| after.strip_prefix('-'))
                .or_else(|| after.strip_prefix('—'))
                .unwrap_or(after);
            self.rest = after.trim().to_owned();
            if !lead.is_empty() {
                self.lead = Some(lead);
            }
        } else {
            self.rest = text.clone();
        }
        self.text = text;
        self
    }
}

/// An inline being collected, with where its leading bold run ends.
#[derive(Default)]
struct InlineBuf {
    inline: Inline,
    strong: u32,
    /// The bold run at the start is still open / has closed at this byte of `text`.
    lead_open: bool,
    lead_end: Option<usize>,
}

impl InlineBuf {
    fn push(&mut self, s: &str) {
        if self.inline.text.trim().is_empty() && self.strong > 0 && self.lead_end.is_none() {
            self.lead_open = true;
        }
        if self.lead_open {
            self.inline.lead.get_or_insert_default().push_str(s);
        }
        self.inline.text.push_str(s);
    }
    fn start_strong(&mut self) {
        self.strong += 1;
    }
    fn end_strong(&mut self) {
        self.strong = self.strong.saturating_sub(1);
        if self.lead_open && self.strong == 0 {
            self.lead_open = false;
            self.lead_end = Some(self.inline.text.len());
        }
    }
    fn finish(self) -> Inline {
        self.inline.finish(self.lead_end)
    }
}

enum Frame {
    /// Blocks of a section, a list item or a block quote.
    Blocks(Vec<Block>, Option<ItemHead>),
    Inline(InlineBuf),
    List(bool, Vec<Item>),
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
        in_head: bool,
    },
    Row(Vec<String>),
    Code(String, String),
}

/// An item's own text and box, before its nested blocks.
#[derive(Default)]
struct ItemHead {
    text: InlineBuf,
    checked: Option<bool>,
    has_para: bool,
}

/// Reads `source` into an outline. Never fails: anything is Markdown.
pub fn read(source: &str) -> Outline {
    let mut out = Outline::default();
    let mut current = Section::default();
    let mut section_start = 0usize;
    let mut stack: Vec<Frame> = vec![Frame::Blocks(Vec::new(), None)];
    let mut heading: Option<(u8, InlineBuf, usize)> = None;
    let mut in_meta = false;
    // Lists and quotes nested deeper than this are read as the text of the deepest kept one:
    // the outline (and whatever walks it) stays shallow whatever a document nests.
    let mut skipped = 0usize;
    for (event, range) in Parser::new_ext(source, OPTIONS).into_offset_iter() {
        if in_meta {
            match event {
                Event::Text(t) => out.front_matter.get_or_insert_default().push_str(&t),
                Event::End(TagEnd::MetadataBlock(_)) => {
                    in_meta = false;
                    // The text before the first heading starts after the front matter.
                    section_start = range.end;
                }
                _ => {}
            }
            continue;
        }
        if let Some((_, buf, _)) = heading.as_mut() {
            match event {
                Event::End(TagEnd::Heading(_)) => {
                    let (level, buf, start) = heading.take().expect("in a heading");
                    // The section before this heading ends here.
                    if let Some(Frame::Blocks(blocks, _)) = stack.first_mut() {
                        current.blocks = std::mem::take(blocks);
                    }
                    current.source = source[section_start..start].trim_end().to_owned();
                    out.sections.push(std::mem::take(&mut current));
                    current.level = level;
                    current.title = buf.finish().text;
                    section_start = start;
                }
                Event::Text(t) | Event::Code(t) => buf.push(&t),
                Event::SoftBreak | Event::HardBreak => buf.push(" "),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::MetadataBlock(_)) => in_meta = true,
            Event::Start(Tag::Heading { level, .. }) if stack.len() == 1 => {
                heading = Some((level_number(level), InlineBuf::default(), range.start));
            }
            Event::Start(Tag::Heading { .. } | Tag::Paragraph | Tag::TableCell) => {
                stack.push(Frame::Inline(InlineBuf::default()))
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => {
                let Some(Frame::Inline(buf)) = stack.pop() else {
                    continue;
                };
                match stack.last_mut() {
                    Some(Frame::Blocks(_, Some(head))) if !head.has_para => {
                        head.has_para = true;
                        head.text = buf;
                    }
                    Some(Frame::Blocks(blocks, _)) => blocks.push(Block::Para(buf.finish())),
                    _ => {}
                }
            }
            Event::Start(Tag::List(_) | Tag::Item | Tag::BlockQuote(_))
                if skipped > 0 || stack.len() >= MAX_DEPTH =>
            {
                skipped += 1;
            }
            Event::End(TagEnd::List(_) | TagEnd::Item | TagEnd::BlockQuote(_)) if skipped > 0 => {
                skipped -= 1;
            }
            Event::Start(Tag::List(first)) => stack.push(Frame::List(first.is_some(), Vec::new())),
            Event::End(TagEnd::List(_)) => {
                if let Some(Frame::List(ordered, items)) = stack.pop() {
                    push_block(&mut stack, Block::List { ordered, items });
                }
            }
            Event::Start(Tag::Item) => {
                stack.push(Frame::Blocks(Vec::new(), Some(ItemHead::default())))
            }
            Event::End(TagEnd::Item) => {
                if let Some(Frame::Blocks(blocks, Some(head))) = stack.pop()
                    && let Some(Frame::List(_, items)) = stack.last_mut()
                {
                    items.push(Item {
                        inline: head.text.finish(),
                        checked: head.checked,
                        blocks,
                    });
                }
            }
            Event::TaskListMarker(checked) => {
                if let Some(Frame::Blocks(_, Some(head))) = stack.last_mut() {
                    head.checked = Some(checked);
                }
            }
            Event::Start(Tag::BlockQuote(_)) => stack.push(Frame::Blocks(Vec::new(), None)),
            Event::End(TagEnd::BlockQuote(_)) => {
                if let Some(Frame::Blocks(blocks, None)) = stack.pop() {
                    for b in blocks {
                        push_block(&mut stack, b);
                    }
                }
            }
            Event::Start(Tag::Table(_)) => stack.push(Frame::Table {
                head: Vec::new(),
                rows: Vec::new(),
                in_head: false,
            }),
            Event::Start(Tag::TableHead) => {
                if let Some(Frame::Table { in_head, .. }) = stack.last_mut() {
                    *in_head = true;
                }
                stack.push(Frame::Row(Vec::new()));
            }
            Event::Start(Tag::TableRow) => stack.push(Frame::Row(Vec::new())),
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                if let Some(Frame::Row(cells)) = stack.pop()
                    && let Some(Frame::Table {
                        head,
                        rows,
                        in_head,
                    }) = stack.last_mut()
                {
                    if *in_head {
                        *head = cells;
                        *in_head = false;
                    } else {
                        rows.push(cells);
                    }
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let Some(Frame::Inline(buf)) = stack.pop()
                    && let Some(Frame::Row(cells)) = stack.last_mut()
                {
                    cells.push(buf.finish().text);
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(Frame::Table { head, rows, .. }) = stack.pop() {
                    push_block(&mut stack, Block::Table { head, rows });
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                stack.push(Frame::Code(lang, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(Frame::Code(lang, text)) = stack.pop() {
                    push_block(&mut stack, Block::Code { lang, text });
                }
            }
            Event::Start(Tag::Strong) => {
                if let Some(buf) = inline_buf(&mut stack) {
                    buf.start_strong();
                }
            }
            Event::End(TagEnd::Strong) => {
                if let Some(buf) = inline_buf(&mut stack) {
                    buf.end_strong();
                }
            }
            Event::Text(t) => match stack.last_mut() {
                Some(Frame::Code(_, text)) => text.push_str(&t),
                _ => {
                    if let Some(buf) = inline_buf(&mut stack) {
                        buf.push(&t);
                    }
                }
            },
            Event::Code(t) => {
                if let Some(buf) = inline_buf(&mut stack) {
                    buf.inline.codes.push(t.to_string());
                    buf.push(&t);
                }
            }
            // `<br>` in a table cell is a line break; other inline HTML is kept as written.
            Event::InlineHtml(html) => {
                if let Some(buf) = inline_buf(&mut stack) {
                    let tag = html.trim().to_ascii_lowercase();
                    buf.push(if matches!(tag.as_str(), "<br>" | "<br/>" | "<br />") {
                        "\n"
                    } else {
                        &html
                    });
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(buf) = inline_buf(&mut stack) {
                    buf.push(if matches!(event, Event::HardBreak) {
                        "\n"
                    } else {
                        " "
                    });
                }
            }
            _ => {}
        }
    }
    if let Some(Frame::Blocks(blocks, _)) = stack.into_iter().next() {
        current.blocks = blocks;
    }
    current.source = source[section_start..].trim_end().to_owned();
    out.sections.push(current);
    out
}

/// The inline being written to: a paragraph or cell, or a tight list item's own text.
fn inline_buf(stack: &mut [Frame]) -> Option<&mut InlineBuf> {
    match stack.last_mut()? {
        Frame::Inline(buf) => Some(buf),
        Frame::Blocks(_, Some(head)) => Some(&mut head.text),
        _ => None,
    }
}

fn push_block(stack: &mut [Frame], block: Block) {
    if let Some(Frame::Blocks(blocks, _)) = stack.last_mut() {
        blocks.push(block);
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

impl Block {
    /// The block's text, one line per paragraph, item or row.
    pub fn text(&self) -> String {
        match self {
            Block::Para(i) => i.text.clone(),
            Block::List { items, .. } => items
                .iter()
                .map(|i| {
                    let nested: Vec<String> = i.blocks.iter().map(Block::text).collect();
                    [i.inline.text.clone()]
                        .into_iter()
                        .chain(nested)
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Table { head, rows } => std::iter::once(head)
                .chain(rows)
                .map(|r| r.join(" | "))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Code { text, .. } => text.trim_end().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "---\ntitle: x\n---\nIntro line.\n\n# Title\n\n**Trigger**: traffic `3x`\n\n## Steps (5 min)\n\n1. **Grow the pool**: `maxActive: 50 → 100`\n2. Plain step\n   - `acks: all → 1`\n\n- [x] done thing\n- [ ] open thing\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```json\n{\"k\": 1}\n```\n";

    #[test]
    fn sections_blocks_leads_and_codes() {
        let o = read(DOC);
        assert_eq!(o.front_matter.as_deref(), Some("title: x\n"));
        let titles: Vec<(u8, &str)> = o
            .sections
            .iter()
            .map(|s| (s.level, s.title.as_str()))
            .collect();
        assert_eq!(titles, [(0, ""), (1, "Title"), (2, "Steps (5 min)")]);
        assert_eq!(
            o.sections[0].blocks,
            [Block::Para(read_inline("Intro line."))]
        );
        let Block::Para(trigger) = &o.sections[1].blocks[0] else {
            panic!("{:?}", o.sections[1].blocks)
        };
        assert_eq!(trigger.lead.as_deref(), Some("Trigger"));
        assert_eq!(trigger.rest, "traffic 3x");
        assert_eq!(trigger.codes, ["3x"]);
        assert_eq!(o.under(1).len(), 1);
        let steps = &o.sections[2].blocks;
        let Block::List {
            ordered: true,
            items,
        } = &steps[0]
        else {
            panic!("{steps:?}")
        };
        assert_eq!(items[0].inline.lead.as_deref(), Some("Grow the pool"));
        assert_eq!(items[0].inline.codes, ["maxActive: 50 → 100"]);
        assert_eq!(items[1].inline.text, "Plain step");
        assert_eq!(items[1].blocks[0].text(), "acks: all → 1");
        let Block::List { items: tasks, .. } = &steps[1] else {
            panic!("{steps:?}")
        };
        assert_eq!(
            tasks.iter().map(|i| i.checked).collect::<Vec<_>>(),
            [Some(true), Some(false)]
        );
        assert_eq!(
            steps[2],
            Block::Table {
                head: vec!["a".into(), "b".into()],
                rows: vec![vec!["1".into(), "2".into()]]
            }
        );
        assert_eq!(
            steps[3],
            Block::Code {
                lang: "json".into(),
                text: "{\"k\": 1}\n".into()
            }
        );
        assert!(o.sections[2].source.starts_with("## Steps (5 min)"));
        assert!(o.sections[2].source.ends_with("```"));
    }

    fn read_inline(text: &str) -> Inline {
        Inline {
            text: text.into(),
            rest: text.into(),
            ..Inline::default()
        }
    }
}
