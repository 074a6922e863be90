//! A postmortem in the shapes teams write them: the Google SRE book's (Summary, Impact, Root
//! Causes, Trigger, Resolution, Detection, Action Items, Lessons Learned, Timeline), PagerDuty's,
//! Atlassian's (with its Five whys), hoego's own export, and free-form ones with YAML front
//! matter, timelines as lists, lines or tables, and action items as tables, lists or checklists.
//!
//! Sections are told apart by their headings' words in Korean or English. What maps to a part
//! of an incident goes there; every other section is kept, as written, in the narrative. The
//! reading says where each section went and what it had to assume.

use app::domain::*;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::outline::{Block, Inline, Outline, Section};
use super::times::{self, first_date};
use super::words::{has_any, severity_in, strip_prefix_ci};

/// Words that name each part, checked in this order (a "5Why 근본 원인 분석" is whys, a
/// "Business impact" is not customer impact).
const PARTS: [(Part, &[&str]); 8] = [
    (
        Part::FiveWhys,
        &[
            "5 why",
            "5why",
            "5-why",
            "five why",
            "다섯 번의 왜",
            "왜 분석",
            "5 왜",
        ],
    ),
    (
        Part::ActionItems,
        &[
            "action item",
            "액션 아이템",
            "후속 조치",
            "재발 방지",
            "follow-up",
            "follow up",
            "followup",
            "corrective",
            "remediation",
            "preventive",
            "개선 과제",
            "조치 사항",
            "next step",
            "todo",
            "to-do",
            "action plan",
            "what we are doing",
            "what we're doing",
            "대책",
        ],
    ),
    (
        Part::Timeline,
        &[
            "timeline",
            "타임라인",
            "경과",
            "시간순",
            "chronology",
            "sequence of events",
            "time line",
            "시간대별",
        ],
    ),
    (
        Part::BusinessImpact,
        &[
            "business impact",
            "비즈니스 영향",
            "비즈니스 임팩트",
            "사업 영향",
        ],
    ),
    (Part::CustomerImpact, &["impact", "영향", "임팩트"]),
    (
        Part::RootCause,
        &[
            "root cause",
            "근본 원인",
            "원인 분석",
            "causes",
            "contributing factor",
            "why it happened",
            "원인",
        ],
    ),
    (
        Part::Summary,
        &[
            "summary",
            "요약",
            "개요",
            "overview",
            "tl;dr",
            "tldr",
            "executive",
            "description",
            "what happened",
            "무슨 일",
            "incident report",
            "사건 개요",
        ],
    ),
    (Part::Narrative, &["narrative", "서술", "상세 경위"]),
];

/// Prefixes of a title that say what the document is, not what happened.
const TITLE_PREFIXES: [&str; 12] = [
    "incident postmortem",
    "incident post-mortem",
    "postmortem",
    "post-mortem",
    "post mortem",
    "incident report",
    "incident review",
    "포스트모템",
    "포스트 모템",
    "장애 보고서",
    "장애 회고",
    "회고",
];

fn part_of(title: &str) -> Option<Part> {
    let t = title.to_lowercase();
    PARTS
        .iter()
        .find(|(_, words)| has_any(&t, words))
        .map(|(p, _)| *p)
}

/// A section's text without its heading line.
fn body(s: &Section) -> String {
    if s.level == 0 {
        return s.source.trim().to_owned();
    }
    s.source
        .split_once('\n')
        .map(|(_, rest)| rest.trim().to_owned())
        .unwrap_or_default()
}

/// Flat `key: value` front matter (lists inline `[a, b]` or as `- a` lines), keys lower-cased
/// with `-` and spaces as `_`.
fn front_matter(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let unquote = |v: &str| {
        let v = v.trim();
        // `"…"` with escapes (as hoego writes it), else quotes trimmed.
        if v.starts_with('"')
            && let Ok(s) = serde_json::from_str::<String>(v)
        {
            return s;
        }
        v.trim_matches(['"', '\'']).to_owned()
    };
    for line in text.lines() {
        if let Some(item) = line.trim_start().strip_prefix("- ")
            && line.starts_with([' ', '-'])
            && let Some((_, values)) = out.last_mut()
        {
            values.push(unquote(item));
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        if line.starts_with(' ') {
            continue;
        }
        let key = k.trim().to_lowercase().replace(['-', ' '], "_");
        let v = v.trim();
        let values = if let Some(inner) = v.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
            inner
                .split(',')
                .map(unquote)
                .filter(|x| !x.is_empty())
                .collect()
        } else if v.is_empty() {
            Vec::new()
        } else {
            vec![unquote(v)]
        };
        out.push((key, values));
    }
    out
}

struct Meta(Vec<(String, Vec<String>)>);

impl Meta {
    fn one(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|k| {
            self.0
                .iter()
                .find(|(key, _)| key == k)
                .and_then(|(_, v)| v.first())
                .map(String::as_str)
                .filter(|v| !v.is_empty())
        })
    }
    fn list(&self, keys: &[&str]) -> Vec<String> {
        keys.iter()
            .find_map(|k| {
                self.0
                    .iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, v)| v.clone())
            })
            .map(|v| {
                v.iter()
                    .flat_map(|x| x.split(','))
                    .map(|x| x.trim().to_owned())
                    .filter(|x| !x.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }
    /// A time and who set it: `2025-06-06T05:02:00Z (alert)` (hoego's export names the
    /// provenance; a person is assumed otherwise).
    fn time(&self, keys: &[&str], tz: Tz) -> Option<(DateTime<Utc>, Provenance)> {
        let text = self.one(keys)?;
        let found = times::leading(text, None)?;
        let at = found.at(found.date?, tz)?;
        let by = text[found.len..].trim().trim_matches(['(', ')']).trim();
        Some((at, Provenance::parse(by).unwrap_or(Provenance::Manual)))
    }
    fn count(&self, keys: &[&str]) -> Option<i64> {
        self.one(keys)?.replace(',', "").trim().parse().ok()
    }
}

/// The title without what says what the document is ("Postmortem:", `[장애 회고]`) or when
/// (`2024-11-02:`, `(2024.09.12)`): the incident's own words.
fn clean_title(title: &str) -> String {
    let mut t = title.trim();
    // `[장애 회고] …`, `[Postmortem] …`
    if let Some(rest) = t.strip_prefix('[')
        && let Some((inside, after)) = rest.split_once(']')
        && has_any(
            &inside.to_lowercase(),
            &[
                "회고",
                "장애",
                "postmortem",
                "post-mortem",
                "incident",
                "outage",
            ],
        )
        && !after.trim().is_empty()
    {
        t = after.trim();
    }
    for p in TITLE_PREFIXES {
        if let Some(rest) = strip_prefix_ci(t, p) {
            let rest = rest.trim_start();
            if let Some(r) = rest.strip_prefix([':', '-', '–', '—', '|']) {
                t = r.trim();
            } else if rest.is_empty() {
                t = rest;
            }
        }
    }
    // `2024-11-02: …`
    if let Some(found) = times::leading(t, None)
        && found.date.is_some()
        && !found.timed
        && let Some(rest) = t[found.len..]
            .trim_start()
            .strip_prefix([':', '-', '–', '—', '|'])
        && !rest.trim().is_empty()
    {
        t = rest.trim();
    }
    // `… (2024.09.12)`
    if let Some(open) = t.rfind('(')
        && t.ends_with(')')
        && open > 0
    {
        let inside = &t[open + 1..t.len() - 1];
        if times::leading(inside, None)
            .is_some_and(|f| f.date.is_some() && f.len == inside.trim_end().len())
        {
            t = t[..open].trim_end();
        }
    }
    t.to_owned()
}

/// A severity as teams write it: `P1`, `SEV-2`, `S2`, `2등급`, `critical`/`high`/`major`/
/// `medium`/`low`/`minor`. The scales that start at 1 (SEV, S, 등급) are shifted so their worst
/// is P0.
fn severity_value(v: &str) -> Option<Severity> {
    let t = v.trim().trim_matches(['*', '`', '"', '\'']).trim();
    if let Some(s) = Severity::parse(&t.to_uppercase()).or_else(|| severity_in(t)) {
        return Some(s);
    }
    let lower = t.to_lowercase();
    let digit_after = |prefix: &str| {
        lower
            .strip_prefix(prefix)
            .and_then(|r| r.trim_start_matches(['-', ' ']).chars().next())
            .and_then(|c| c.to_digit(10))
    };
    let shifted = |n: u32| {
        n.checked_sub(1)
            .and_then(|i| Severity::ALL.get(i as usize).copied())
    };
    if let Some(n) = digit_after("s") {
        return shifted(n);
    }
    if let Some(n) = lower
        .split("등급")
        .next()
        .and_then(|x| x.trim().chars().last())
        .and_then(|c| c.to_digit(10))
        && lower.contains("등급")
    {
        return shifted(n);
    }
    [
        (Severity::P0, &["critical", "blocker", "치명", "긴급"][..]),
        (Severity::P1, &["high", "major", "높음", "심각"][..]),
        (Severity::P2, &["medium", "moderate", "보통", "중간"][..]),
        (Severity::P3, &["low", "minor", "낮음", "경미"][..]),
    ]
    .into_iter()
    .find(|(_, words)| words.iter().any(|w| lower.starts_with(w)))
    .map(|(s, _)| s)
}

/// Every `label: value` line of the document (bold, listed or plain), as (label, value).
fn labelled_lines(sections: &[Section]) -> impl Iterator<Item = (String, String)> + '_ {
    sections
        .iter()
        .flat_map(|s| s.source.lines())
        .filter_map(|line| {
            let plain = plain_line(line);
            let (label, value) = plain.split_once([':', '：'])?;
            Some((label.trim().to_lowercase(), value.trim().to_owned()))
        })
}

/// `Severity: S2` / `장애 등급: 2등급` on a line of its own, bold or not.
fn severity_line(sections: &[Section]) -> Option<Severity> {
    const LABELS: [&str; 7] = [
        "severity",
        "sev",
        "priority",
        "심각도",
        "장애 등급",
        "등급",
        "우선순위",
    ];
    labelled_lines(sections).find_map(|(label, value)| {
        LABELS
            .iter()
            .any(|w| label == *w || label.ends_with(w))
            .then(|| severity_value(&value))
            .flatten()
    })
}

/// `Start time of incident: 2024-11-02 08:15 UTC`, `Detection time: …`: a moment stated as a
/// labelled line, with its date.
fn labelled_time(sections: &[Section], words: &[&str], tz: Tz) -> Option<DateTime<Utc>> {
    labelled_lines(sections).find_map(|(label, value)| {
        if !has_any(&label, words) || label.chars().count() > 40 {
            return None;
        }
        let found = times::leading(&value, None).filter(|f| f.timed)?;
        found.at(found.date?, tz)
    })
}

/// Lines that are bold and nothing else (`**Timeline (PT)**`), as `##` headings: how a document
/// written without Markdown headings (an e-mail, a chat export) marks its sections.
fn promote_bold_lines(text: &str) -> String {
    text.lines()
        .map(|line| {
            let t = line.trim();
            let inner = t
                .strip_prefix("**")
                .and_then(|r| r.strip_suffix("**:").or_else(|| r.strip_suffix("**")))
                .filter(|i| !i.is_empty() && !i.contains("**") && i.chars().count() <= 80);
            match inner {
                Some(i) => format!("## {}", i.trim_end_matches(':')),
                None => line.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads `text` as a postmortem (see [`read`]). A document with no section headings whose
/// sections are bold lines is read as if those lines were headings.
pub fn read_text(text: &str, name: &str, tz: Tz) -> Option<PostmortemReading> {
    let (text, marked) = take_marked(text);
    let outline = super::outline::read(&text);
    let mut reading = if outline.sections.iter().all(|s| s.level <= 1) {
        let promoted = promote_bold_lines(&text);
        if promoted != text {
            read(&super::outline::read(&promoted), name, tz)
        } else {
            read(&outline, name, tz)
        }
    } else {
        read(&outline, name, tz)
    }?;
    for (field, value) in marked {
        let f = &mut reading.incident;
        match field {
            "summary" => f.summary = value,
            "customer_impact" => f.customer_impact = value,
            "business_impact" => f.business_impact = value,
            _ => f.narrative = value,
        }
    }
    Some(reading)
}

/// The Markdown fields hoego's export wraps in `<!-- hoego:field -->` … `<!-- /hoego:field -->`,
/// taken out verbatim (whatever Markdown they hold cannot reshape the document around them),
/// and the text without them.
fn take_marked(text: &str) -> (String, Vec<(&'static str, String)>) {
    let mut rest = text.to_owned();
    let mut found = Vec::new();
    for field in ["summary", "customer_impact", "business_impact", "narrative"] {
        let open = format!("<!-- hoego:{field} -->");
        let close = format!("<!-- /hoego:{field} -->");
        let Some(a) = rest.find(&open) else { continue };
        let Some(b) = rest[a..].find(&close).map(|b| a + b) else {
            continue;
        };
        found.push((
            field,
            rest[a + open.len()..b]
                .trim_matches(['\n', '\r'])
                .to_owned(),
        ));
        rest.replace_range(a..b + close.len(), "");
    }
    (rest, found)
}

/// What a timeline line says happened.
fn event_kind(text: &str) -> EventKind {
    let t = text.to_lowercase();
    if has_any(
        &t,
        &[
            "recovered",
            "resolved",
            "restored",
            "back to normal",
            "fully operational",
            "service recovered",
            "복구",
            "정상화",
            "해결",
        ],
    ) {
        EventKind::Recovered
    } else if has_any(
        &t,
        &[
            "mitigat",
            "rolled back",
            "rollback",
            "roll back",
            "failover",
            "failed over",
            "완화",
            "롤백",
            "우회",
        ],
    ) {
        EventKind::Mitigation
    } else if has_any(
        &t,
        &[
            "detected",
            "noticed",
            "paged",
            "pager",
            "page sent",
            "pagerduty",
            "on-call was",
            "감지",
            "인지",
            "알림 수신",
            "호출",
        ],
    ) {
        EventKind::Detected
    } else if has_any(&t, &["alert", "alarm", "알림", "경보", "firing", "fired"]) {
        EventKind::AlertFired
    } else if has_any(
        &t,
        &[
            "status page",
            "announce",
            "communicat",
            "notified customers",
            "tweet",
            "공지",
            "안내",
            "고객 통지",
        ],
    ) {
        EventKind::Communication
    } else {
        EventKind::Note
    }
}

/// `[detected] text` (hoego's own export) → the kind and the text.
fn marked_kind(text: &str) -> Option<(EventKind, &str)> {
    let rest = text.strip_prefix('[')?;
    let (kind, rest) = rest.split_once(']')?;
    Some((EventKind::parse(kind.trim())?, rest.trim_start()))
}

/// The text after a time: separators dropped.
fn after_time(text: &str) -> &str {
    text.trim_start()
        .trim_start_matches(['-', '–', '—', ':', '|', '*', ' ', '\t', ')', ']'])
        .trim()
}

/// Removes list markers and emphasis from a source line: `- **14:02** — x` → `14:02 — x`.
fn plain_line(line: &str) -> String {
    let t = line.trim();
    let t = t
        .strip_prefix("- [ ] ")
        .or_else(|| t.strip_prefix("- [x] "))
        .or_else(|| t.strip_prefix("- "))
        .or_else(|| t.strip_prefix("* "))
        .or_else(|| t.strip_prefix("+ "))
        .unwrap_or(t);
    let t = match t.find(". ") {
        Some(p) if p > 0 && p <= 3 && t[..p].bytes().all(|b| b.is_ascii_digit()) => &t[p + 2..],
        _ => t,
    };
    t.replace("**", "").replace('`', "").trim().to_owned()
}

struct Timeline {
    tz: Tz,
    /// The zone the timeline declared for times written without one.
    zone: Option<times::Zone>,
    day: Option<NaiveDate>,
    last: Option<DateTime<Utc>>,
    events: Vec<EventInput>,
    unplaced: Vec<String>,
}

impl Timeline {
    /// A line: an event when it starts with a time, else more text for the last event.
    fn line(&mut self, text: &str, kind: Option<EventKind>, author: &str) {
        self.entry(text, None, kind, author);
    }

    /// A line, or (`body` given) a table row: its time cell in `text`, its event text taken as
    /// written.
    fn entry(&mut self, text: &str, body: Option<&str>, kind: Option<EventKind>, author: &str) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let year = self.day.map(times::year_of);
        match times::leading(text, year) {
            Some(found) if !found.timed => {
                // A date alone (`2025-03-14 (all times UTC)`, `### 2025-06-06`): the day of
                // the lines after it.
                self.day = found.date;
                let rest = after_time(&text[found.len..]);
                if !rest.is_empty() && times::declared_zone(rest).is_none() {
                    self.unplaced.push(text.to_owned());
                }
            }
            Some(mut found) => {
                found.zone = found.zone.or(self.zone);
                let day = found.date.or(self.day);
                let rest = match body {
                    Some(b) => b.trim(),
                    None => after_time(&text[found.len..]),
                };
                let Some(day) = day else {
                    self.unplaced.push(text.to_owned());
                    return;
                };
                let Some(mut at) = found.at(day, self.tz) else {
                    self.unplaced.push(text.to_owned());
                    return;
                };
                // A bare time earlier than the line before: the next day.
                if found.date.is_none()
                    && let Some(last) = self.last
                    && at < last
                {
                    at += Duration::days(1);
                }
                self.day = Some(match found.zone {
                    Some(zone) => zone.day_of(at),
                    None => at.with_timezone(&self.tz).date_naive(),
                });
                self.last = Some(at);
                let (kind, rest) = match (kind, marked_kind(rest)) {
                    (Some(k), _) => (k, rest),
                    (None, Some((k, r))) => (k, r),
                    (None, None) => (event_kind(rest), rest),
                };
                if rest.is_empty() {
                    return;
                }
                self.events.push(EventInput {
                    at,
                    kind,
                    text: rest.chars().take(EVENT_TEXT_MAX).collect(),
                    source: Provenance::Manual,
                    author: author.chars().take(AUTHOR_MAX).collect(),
                });
            }
            None => match self.events.last_mut() {
                Some(e) if e.text.chars().count() + text.chars().count() < EVENT_TEXT_MAX => {
                    e.text.push('\n');
                    e.text.push_str(text);
                }
                _ => self.unplaced.push(text.to_owned()),
            },
        }
    }

    fn table(&mut self, head: &[String], rows: &[Vec<String>]) -> bool {
        let col = |words: &[&str]| head.iter().position(|h| has_any(&h.to_lowercase(), words));
        let Some(time) = col(&["time", "시각", "시간", "when", "timestamp", "일시"]) else {
            return false;
        };
        if let Some(zone) = times::declared_zone(&head[time]) {
            self.zone = Some(zone);
        }
        let date = col(&["date", "날짜", "일자"]).filter(|d| *d != time);
        let kind = col(&["kind", "type", "유형", "종류"]);
        let author = col(&["who", "author", "작성", "담당", "owner"]);
        let source = col(&["source", "출처"]);
        let text =
            (0..head.len()).find(|c| ![Some(time), date, kind, author, source].contains(&Some(*c)));
        let Some(text) = text else {
            return false;
        };
        for r in rows.iter().filter(|r| r.len() == head.len()) {
            let when = match date {
                Some(d) => format!("{} {}", r[d], r[time]),
                None => r[time].clone(),
            };
            let k = kind.and_then(|k| EventKind::parse(r[k].trim()));
            let who = author.map_or("", |a| r[a].as_str());
            let before = self.events.len();
            self.entry(&when, Some(&r[text]), k, who);
            if self.events.len() > before
                && let (Some(s), Some(e)) = (source, self.events.last_mut())
                && let Some(p) = Provenance::parse(r[s].trim())
            {
                e.source = p;
            }
        }
        true
    }
}

/// The 5-Why chains of a section: `**1. Why …?**` with the answer under it, `1. Why …? Because …`,
/// items with nested answers, or a Why/Because table. A subsection (hoego's export) is a chain
/// of its own, its title the problem.
fn chains(section: &Section, under: &[Section], ko: bool) -> Vec<ChainInput> {
    let mut out = Vec::new();
    let mut groups: Vec<(Option<String>, &[Block])> = vec![(None, section.blocks.as_slice())];
    for s in under {
        groups.push((Some(s.title.clone()), s.blocks.as_slice()));
    }
    for (problem, blocks) in groups {
        let mut c = ChainInput {
            problem: problem.clone().unwrap_or_default(),
            steps: Vec::new(),
            root_cause: String::new(),
            category: RootCauseCategory::Other,
        };
        let mut category = None;
        let mut i = 0;
        while i < blocks.len() {
            let next_list = match blocks.get(i + 1) {
                Some(Block::List { items, .. }) => Some(items),
                _ => None,
            };
            match &blocks[i] {
                Block::Para(p) if is_lead(p, &["근본 원인", "root cause"]) => {
                    c.root_cause = p.rest.clone();
                }
                Block::Para(p) if is_lead(p, &["분류", "category"]) => {
                    category = RootCauseCategory::parse(p.rest.trim())
                        .or_else(|| RootCauseCategory::guess(&p.rest));
                }
                Block::Para(p) if is_lead(p, &["problem", "문제"]) => c.problem = p.rest.clone(),
                Block::Para(p)
                    if next_list.is_some() && (p.lead.is_none() || p.rest.is_empty()) =>
                {
                    let because = next_list
                        .into_iter()
                        .flatten()
                        .map(|it| it.inline.text.clone())
                        .collect::<Vec<_>>()
                        .join(" ");
                    c.steps.push(StepInput {
                        id: None,
                        why: unnumbered(&p.text),
                        because,
                    });
                    i += 1;
                }
                Block::List { items, .. } => {
                    for it in items {
                        let nested: String = it
                            .blocks
                            .iter()
                            .map(Block::text)
                            .collect::<Vec<_>>()
                            .join(" ");
                        let (why, because) = if nested.is_empty() {
                            split_answer(&it.inline.text, ko)
                        } else {
                            (it.inline.text.clone(), nested)
                        };
                        if !why.is_empty() {
                            c.steps.push(StepInput {
                                id: None,
                                why,
                                because,
                            });
                        }
                    }
                }
                Block::Table { head, rows } => {
                    let why = head.iter().position(|h| {
                        has_any(&h.to_lowercase(), &["why", "왜", "question", "질문"])
                    });
                    let because = head.iter().position(|h| {
                        has_any(
                            &h.to_lowercase(),
                            &["because", "answer", "때문", "답", "이유"],
                        )
                    });
                    if let (Some(w), Some(b)) = (why, because) {
                        for r in rows.iter().filter(|r| r.len() == head.len()) {
                            c.steps.push(StepInput {
                                id: None,
                                why: r[w].clone(),
                                because: r[b].clone(),
                            });
                        }
                    }
                }
                _ => {}
            }
            i += 1;
        }
        if c.steps.is_empty() {
            continue;
        }
        for s in &mut c.steps {
            if s.because.trim().is_empty() {
                s.because = if ko {
                    "(답 없음)".into()
                } else {
                    "(no answer written)".into()
                };
            }
        }
        if c.problem.trim().is_empty() {
            c.problem = c.steps[0].why.clone();
        }
        c.category = category
            .or_else(|| RootCauseCategory::guess(&c.root_cause))
            .unwrap_or(RootCauseCategory::Other);
        out.push(c);
    }
    out
}

fn is_lead(p: &Inline, words: &[&str]) -> bool {
    p.lead
        .as_deref()
        .is_some_and(|l| has_any(&l.to_lowercase(), words))
        && !p.rest.is_empty()
}

fn unnumbered(text: &str) -> String {
    let t = text.trim();
    match t.find(['.', ')']) {
        Some(p) if p > 0 && p <= 2 && t[..p].bytes().all(|b| b.is_ascii_digit()) => {
            t[p + 1..].trim().to_owned()
        }
        _ => t.to_owned(),
    }
}

/// `Why did X? Because Y` / `Why did X? Y` / `Why X? — Y` → (why, because); a statement
/// without a question (`Because the disk filled up`) answers an unwritten "Why?".
fn split_answer(text: &str, ko: bool) -> (String, String) {
    let t = unnumbered(text);
    match t.find(['?', '？']) {
        Some(q) => {
            let mark = t[q..].chars().next().map_or(1, char::len_utf8);
            let (why, rest) = t.split_at(q + mark);
            let rest = rest
                .trim()
                .trim_start_matches(['-', '–', '—', ':', '→'])
                .trim();
            let rest = rest
                .strip_prefix("Because")
                .or_else(|| rest.strip_prefix("because"))
                .map(|r| r.trim_start_matches([',', ':']).trim())
                .unwrap_or(rest);
            (why.trim().to_owned(), rest.to_owned())
        }
        None => {
            let why = if ko { "왜?" } else { "Why?" };
            let because = t
                .strip_prefix("Because")
                .or_else(|| t.strip_prefix("because"))
                .map(|r| r.trim_start_matches([',', ':']).trim().to_owned())
                .unwrap_or(t);
            (why.to_owned(), because)
        }
    }
}

/// Action items from tables, lists and checklists; `horizon` from the section's words.
fn actions(blocks: &[Block], horizon: Horizon, out: &mut Vec<ActionInput>) {
    for block in blocks {
        match block {
            Block::Table { head, rows } => {
                let col =
                    |words: &[&str]| head.iter().position(|h| has_any(&h.to_lowercase(), words));
                let owner = col(&["owner", "assignee", "담당", "who", "책임"]);
                let due = col(&["due", "deadline", "기한", "마감", "target date", "date"]);
                let status = col(&["status", "state", "상태", "진행"]);
                let horizon_col = col(&["horizon", "기간", "시점", "priority"]);
                let kind = col(&["kind", "type", "유형", "종류", "category"]);
                let done = col(&["done at", "완료 시각"]);
                let title = (0..head.len())
                    .find(|c| ![owner, due, status, horizon_col, kind, done].contains(&Some(*c)));
                let Some(title) = title else { continue };
                let used = [Some(title), owner, due, status, horizon_col, kind, done];
                for r in rows.iter().filter(|r| r.len() == head.len()) {
                    if r[title].trim().is_empty() {
                        continue;
                    }
                    // Columns hoego has no field for (a bug number, a priority) stay with the
                    // title.
                    let extra: Vec<String> = (0..head.len())
                        .filter(|c| !used.contains(&Some(*c)) && !r[*c].trim().is_empty())
                        .map(|c| format!("{}: {}", head[c], r[c].trim()))
                        .collect();
                    let title_text = if extra.is_empty() {
                        r[title].clone()
                    } else {
                        format!("{} [{}]", r[title], extra.join("; "))
                    };
                    let mut a = action(
                        &title_text,
                        owner.map_or("", |c| r[c].as_str()),
                        due.and_then(|c| first_date(&r[c])),
                        status.map(|c| r[c].as_str()),
                        None,
                        horizon_col
                            .and_then(|c| horizon_of(&r[c]))
                            .unwrap_or(horizon),
                        kind.and_then(|c| ActionKind::parse(r[c].trim().to_lowercase().as_str())),
                    );
                    if a.status == ActionStatus::Done {
                        a.done_at = done
                            .and_then(|c| chrono::DateTime::parse_from_rfc3339(r[c].trim()).ok())
                            .map(|t| t.to_utc());
                    }
                    out.push(a);
                }
            }
            Block::List { items, .. } => {
                for it in items {
                    let text = &it.inline.text;
                    if text.trim().is_empty() {
                        continue;
                    }
                    let (title, owner, due, status) = parse_action_line(text);
                    out.push(action(
                        &title,
                        &owner,
                        due,
                        status.as_deref(),
                        it.checked,
                        horizon_of(text).unwrap_or(horizon),
                        None,
                    ));
                    actions(&it.blocks, horizon, out);
                }
            }
            _ => {}
        }
    }
}

/// `Add a circuit breaker (owner: kim, due 2025-07-01) [done]` → its parts.
fn parse_action_line(text: &str) -> (String, String, Option<NaiveDate>, Option<String>) {
    let mut title = text.trim().to_owned();
    let mut owner = String::new();
    let mut due = None;
    let mut status = None;
    // Bracketed and parenthesised notes at the end, last first.
    loop {
        let t = title.trim_end();
        let (open, close) = match t.chars().last() {
            Some(')') => ('(', ')'),
            Some(']') => ('[', ']'),
            _ => break,
        };
        let Some(start) = t[..t.len() - close.len_utf8()].rfind(open) else {
            break;
        };
        let inner = t[start + 1..t.len() - 1].to_owned();
        let mut used = false;
        for part in inner.split([',', ';']) {
            let p = part.trim();
            let lower = p.to_lowercase();
            if let Some(o) = ["owner:", "담당:", "assignee:", "담당자:"]
                .iter()
                .find_map(|k| lower.starts_with(k).then(|| p[k.len()..].trim()))
            {
                owner = o.trim_start_matches('@').to_owned();
                used = true;
            } else if let Some(o) = p.strip_prefix('@') {
                owner = o.to_owned();
                used = true;
            } else if has_any(&lower, &["due", "기한", "마감", "by "]) || first_date(p).is_some()
            {
                if let Some(d) = first_date(p) {
                    due = Some(d);
                    used = true;
                }
            } else if ActionStatus::parse(&lower.replace(' ', "_")).is_some()
                || status_of(&lower).is_some()
            {
                status = Some(lower.clone());
                used = true;
            }
        }
        if !used {
            break;
        }
        title = t[..start].trim_end().to_owned();
    }
    // `@alice: Add an alert`
    if owner.is_empty()
        && let Some(rest) = title.strip_prefix('@')
        && let Some((name, what)) = rest.split_once(':')
        && !name.contains(char::is_whitespace)
    {
        owner = name.to_owned();
        title = what.trim().to_owned();
    }
    if owner.is_empty()
        && let Some(at) = title.find(" @")
    {
        let name: String = title[at + 2..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        owner = name;
    }
    (title, owner, due, status)
}

fn status_of(text: &str) -> Option<ActionStatus> {
    let t = text.trim().to_lowercase();
    if t.is_empty() {
        return None;
    }
    if let Some(s) = ActionStatus::parse(&t.replace([' ', '-'], "_")) {
        return Some(s);
    }
    if has_any(&t, &["won't", "wont", "취소", "하지 않음", "cancel"]) {
        Some(ActionStatus::WontDo)
    } else if has_any(
        &t,
        &[
            "done", "complete", "closed", "fixed", "resolved", "완료", "✅", "✔",
        ],
    ) {
        Some(ActionStatus::Done)
    } else if has_any(&t, &["progress", "doing", "started", "진행"]) {
        Some(ActionStatus::InProgress)
    } else if has_any(
        &t,
        &[
            "open",
            "todo",
            "to do",
            "pending",
            "planned",
            "미완료",
            "예정",
            "대기",
        ],
    ) {
        Some(ActionStatus::Open)
    } else {
        None
    }
}

fn horizon_of(text: &str) -> Option<Horizon> {
    let t = text.to_lowercase();
    if let Some(h) = Horizon::parse(t.trim()) {
        return Some(h);
    }
    if has_any(&t, &["immediate", "즉시", "urgent", "긴급"]) {
        Some(Horizon::Immediate)
    } else if has_any(&t, &["long term", "long-term", "중장기", "장기"]) {
        Some(Horizon::LongTerm)
    } else if has_any(&t, &["short term", "short-term", "단기"]) {
        Some(Horizon::ShortTerm)
    } else {
        None
    }
}

fn action(
    title: &str,
    owner: &str,
    due: Option<NaiveDate>,
    status: Option<&str>,
    checked: Option<bool>,
    horizon: Horizon,
    kind: Option<ActionKind>,
) -> ActionInput {
    let status = match (checked, status.and_then(status_of)) {
        (_, Some(s)) => s,
        (Some(true), None) => ActionStatus::Done,
        _ => ActionStatus::Open,
    };
    let lower = title.to_lowercase();
    let kind = kind.unwrap_or(
        if has_any(
            &lower,
            &[
                "process",
                "review",
                "runbook",
                "playbook",
                "training",
                "document",
                "checklist",
                "교육",
                "문서",
                "절차",
                "프로세스",
                "리뷰",
                "체크리스트",
            ],
        ) {
            ActionKind::Process
        } else if has_any(
            &lower,
            &[
                "hire",
                "hiring",
                "on-call rotation",
                "staff",
                "채용",
                "인력",
                "온콜 로테이션",
            ],
        ) {
            ActionKind::People
        } else {
            ActionKind::Technical
        },
    );
    ActionInput {
        title: title
            .chars()
            .take(ACTION_TITLE_MAX)
            .collect::<String>()
            .trim()
            .to_owned(),
        owner: owner
            .chars()
            .take(OWNER_MAX)
            .collect::<String>()
            .trim()
            .to_owned(),
        due,
        status,
        horizon,
        kind,
        five_why_step_id: None,
        done_at: None,
    }
}

/// Reads `outline` as a postmortem; `None` when nothing in it looks like one (no section of a
/// known kind, no front matter about an incident). `name` is the file's name, the title of last
/// resort.
pub fn read(outline: &Outline, name: &str, tz: Tz) -> Option<PostmortemReading> {
    let meta = Meta(
        outline
            .front_matter
            .as_deref()
            .map(front_matter)
            .unwrap_or_default(),
    );
    let sections = &outline.sections;
    // hoego's own export states every field it has: an absent one stays absent, nothing is
    // inferred from the text.
    let own = meta.one(&["hoego"]).is_some();
    let ko = sections
        .iter()
        .any(|s| s.source.chars().any(|c| ('가'..='힣').contains(&c)));
    // The title: the front matter's, else the first heading when it is the only one of its
    // level at the top (a document's title, not a section), else the file's name.
    let first_heading = sections.iter().position(|s| s.level > 0);
    let top = first_heading.map(|i| sections[i].level).unwrap_or(1);
    let top_count = sections.iter().filter(|s| s.level == top).count();
    // The document's own title heading: the one the front matter names, else the first when
    // it is alone at its level or names no part.
    let fm_title = meta.one(&["title", "name", "incident"]);
    let title_section = fm_title
        .and_then(|t| {
            sections
                .iter()
                .position(|s| s.level == 1 && s.title == t.trim())
        })
        .or_else(|| {
            first_heading.filter(|i| top_count == 1 || part_of(&sections[*i].title).is_none())
        });
    // An e-mail's `Subject:` line, when there is no heading to take the title from.
    let subject = || {
        sections.first().and_then(|s| {
            s.source.lines().find_map(|l| {
                let l = plain_line(l);
                ["Subject:", "제목:"]
                    .iter()
                    .find_map(|p| strip_prefix_ci(&l, p).map(|r| r.trim().to_owned()))
            })
        })
    };
    let title = match meta.one(&["title", "name", "incident"]) {
        Some(t) => t.to_owned(),
        None => clean_title(
            &title_section
                .map(|i| sections[i].title.clone())
                .or_else(subject)
                .unwrap_or_else(|| name.rsplit_once('.').map_or(name, |(n, _)| n).to_owned()),
        ),
    };

    let mut placements: Vec<Placement> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut summary = String::new();
    let mut customer_impact = String::new();
    let mut business_impact = String::new();
    let mut narrative: Vec<String> = Vec::new();
    let mut chain_list: Vec<ChainInput> = Vec::new();
    let mut action_list: Vec<ActionInput> = Vec::new();
    let mut root_causes: Vec<String> = Vec::new();
    let mut timeline_sections: Vec<usize> = Vec::new();
    let mut recognised = 0;
    // The text before the first section (under the title): the summary if no section is one.
    let mut preamble: Vec<String> = Vec::new();

    // The day bare times fall on, before a timeline names one.
    let context_day = meta
        .one(&["date", "started_at", "start", "started", "incident_date"])
        .and_then(first_date)
        .or_else(|| first_date(&title))
        .or_else(|| {
            sections.iter().find_map(|s| {
                s.blocks.iter().find_map(|b| match b {
                    Block::Para(p)
                        if p.lead.as_deref().is_some_and(|l| {
                            has_any(&l.to_lowercase(), &["date", "날짜", "일시", "발생일"])
                        }) =>
                    {
                        first_date(&p.rest)
                    }
                    _ => None,
                })
            })
        })
        // Else the first date the document mentions (a blog post's "On March 3, 2025, …").
        .or_else(|| {
            let opening: String = sections
                .iter()
                .map(|s| s.source.as_str())
                .collect::<Vec<_>>()
                .join("\n")
                .chars()
                .take(8_000)
                .collect();
            first_date(&opening)
        });

    let mut i = 0;
    while i < sections.len() {
        let s = &sections[i];
        let under = if s.level > 0 {
            outline.under(i)
        } else {
            &[][..]
        };
        let skip = under.len();
        let part = if Some(i) == title_section || s.level == 0 {
            None
        } else {
            part_of(&s.title)
        };
        let whole = || {
            std::iter::once(body(s))
                .chain(under.iter().map(|u| u.source.clone()))
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join("\n\n")
        };
        match part {
            None if Some(i) == title_section || s.level == 0 => {
                let text = body(s);
                if !text.is_empty() {
                    preamble.push(text);
                }
                i += 1;
                continue;
            }
            Some(Part::Summary) => {
                recognised += 1;
                if !summary.is_empty() {
                    summary.push_str("\n\n");
                }
                summary.push_str(&whole());
            }
            Some(Part::CustomerImpact) => {
                recognised += 1;
                customer_impact = whole();
            }
            Some(Part::BusinessImpact) => {
                recognised += 1;
                business_impact = whole();
            }
            Some(Part::Timeline) => {
                recognised += 1;
                timeline_sections.push(i);
            }
            Some(Part::FiveWhys) => {
                recognised += 1;
                let found = chains(s, under, ko);
                placements.push(Placement {
                    section: s.title.clone(),
                    part: Part::FiveWhys,
                    detail: format!("{} chains", found.len()),
                });
                if found.is_empty() {
                    narrative.push(s.source.clone());
                }
                chain_list.extend(found);
                i += 1 + skip;
                continue;
            }
            Some(Part::RootCause) => {
                recognised += 1;
                root_causes.push(whole());
                narrative.push(
                    std::iter::once(s.source.clone())
                        .chain(under.iter().map(|u| u.source.clone()))
                        .collect::<Vec<_>>()
                        .join("\n\n"),
                );
            }
            Some(Part::ActionItems) => {
                recognised += 1;
                let before = action_list.len();
                actions(
                    &s.blocks,
                    horizon_of(&s.title).unwrap_or(Horizon::ShortTerm),
                    &mut action_list,
                );
                for u in under {
                    actions(
                        &u.blocks,
                        horizon_of(&u.title).unwrap_or(Horizon::ShortTerm),
                        &mut action_list,
                    );
                }
                placements.push(Placement {
                    section: s.title.clone(),
                    part: Part::ActionItems,
                    detail: format!("{} items", action_list.len() - before),
                });
                i += 1 + skip;
                continue;
            }
            Some(Part::Narrative) => {
                // hoego's own export ends with the narrative, written as is: everything to the
                // end of the document.
                let rest: Vec<String> = std::iter::once(body(s))
                    .chain(sections[i + 1..].iter().map(|u| u.source.clone()))
                    .filter(|t| !t.is_empty())
                    .collect();
                narrative.push(rest.join("\n\n"));
                placements.push(Placement {
                    section: s.title.clone(),
                    part: Part::Narrative,
                    detail: String::new(),
                });
                break;
            }
            _ => {
                narrative.push(
                    std::iter::once(s.source.clone())
                        .chain(under.iter().map(|u| u.source.clone()))
                        .collect::<Vec<_>>()
                        .join("\n\n"),
                );
                placements.push(Placement {
                    section: s.title.clone(),
                    part: Part::Narrative,
                    detail: String::new(),
                });
                i += 1 + skip;
                continue;
            }
        }
        placements.push(Placement {
            section: s.title.clone(),
            part: part.expect("matched a part"),
            detail: String::new(),
        });
        i += 1 + skip;
    }

    let about_incident = [
        "severity",
        "sev",
        "status",
        "started_at",
        "detected_at",
        "recovered_at",
        "services",
    ]
    .iter()
    .any(|k| meta.one(&[k]).is_some());
    if recognised == 0 && !about_incident {
        return None;
    }

    // The timeline.
    let mut tl = Timeline {
        tz,
        zone: None,
        day: context_day,
        last: None,
        events: Vec::new(),
        unplaced: Vec::new(),
    };
    for &t in &timeline_sections {
        let s = &sections[t];
        let before = tl.events.len();
        tl.zone = times::declared_zone(&s.title).or_else(|| {
            body(s)
                .lines()
                .filter(|l| !l.trim_start().starts_with('|'))
                .filter(|l| times::leading(&plain_line(l), None).is_none_or(|f| !f.timed))
                .find_map(times::declared_zone)
        });
        let mut tabled = false;
        for b in s
            .blocks
            .iter()
            .chain(outline.under(t).iter().flat_map(|u| u.blocks.iter()))
        {
            if let Block::Table { head, rows } = b {
                tabled |= tl.table(head, rows);
            }
        }
        if !tabled {
            let mut in_code = false;
            for line in body(s)
                .lines()
                .chain(outline.under(t).iter().flat_map(|u| u.source.lines()))
            {
                if line.trim_start().starts_with("```") {
                    in_code = !in_code;
                    continue;
                }
                if in_code || line.trim_start().starts_with('|') {
                    continue;
                }
                let heading = line.trim_start().starts_with('#');
                let text = plain_line(line.trim_start().trim_start_matches('#'));
                if heading {
                    // A day heading sets the day; another heading is not an event.
                    if let Some(d) = first_date(&text) {
                        tl.day = Some(d);
                    }
                    continue;
                }
                tl.line(&text, None, "");
            }
        }
        if let Some(p) = placements
            .iter_mut()
            .find(|p| p.section == s.title && p.part == Part::Timeline)
        {
            p.detail = format!("{} events", tl.events.len() - before);
        }
    }
    if !tl.unplaced.is_empty() {
        notes.push(format!(
            "{} timeline lines had no time hoego could place; they are kept in the narrative",
            tl.unplaced.len()
        ));
        narrative.push(format!(
            "{}\n\n{}",
            if ko {
                "### 시각을 알 수 없는 타임라인"
            } else {
                "### Timeline lines without a time"
            },
            tl.unplaced
                .iter()
                .map(|l| format!("- {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    let mut events = tl.events;
    events.sort_by_key(|e| e.at);

    // Root causes without 5-Why steps become a one-step chain; with them, the first chain's
    // missing root cause.
    if let Some(rc) = root_causes.first() {
        let first_para = rc.split("\n\n").next().unwrap_or(rc).trim();
        let short: String = first_para.chars().take(WHY_TEXT_MAX).collect();
        match chain_list.first_mut() {
            Some(c) if c.root_cause.is_empty() => {
                c.root_cause = short;
                if c.category == RootCauseCategory::Other {
                    c.category =
                        RootCauseCategory::guess(&c.root_cause).unwrap_or(RootCauseCategory::Other);
                }
            }
            Some(_) => {}
            None if !short.is_empty() => chain_list.push(ChainInput {
                problem: title.chars().take(WHY_TEXT_MAX).collect(),
                steps: vec![StepInput {
                    id: None,
                    why: if ko {
                        "왜 발생했는가?".into()
                    } else {
                        "Why did it happen?".into()
                    },
                    because: short.clone(),
                }],
                root_cause: short.clone(),
                category: RootCauseCategory::guess(&short).unwrap_or(RootCauseCategory::Other),
            }),
            None => {}
        }
    }

    // Severity, status, services and times: the front matter, else what the text says.
    let lead_text = |words: &[&str]| {
        sections.iter().find_map(|s| {
            s.blocks.iter().find_map(|b| match b {
                Block::Para(p)
                    if p.lead
                        .as_deref()
                        .is_some_and(|l| has_any(&l.to_lowercase(), words))
                        && !p.rest.is_empty() =>
                {
                    Some(p.rest.clone())
                }
                Block::List { items, .. } => items.iter().find_map(|it| {
                    it.inline
                        .lead
                        .as_deref()
                        .is_some_and(|l| has_any(&l.to_lowercase(), words))
                        .then(|| it.inline.rest.clone())
                }),
                _ => None,
            })
        })
    };
    let severity = meta
        .one(&["severity", "sev", "priority", "level", "심각도", "등급"])
        .and_then(severity_value)
        .or_else(|| severity_line(sections))
        .or_else(|| severity_in(&title));
    let severity = severity
        .or_else(|| severity_in(&summary))
        .or_else(|| events.iter().find_map(|e| severity_in(&e.text)));
    let severity = severity.unwrap_or_else(|| {
        notes.push("no severity stated; P2 assumed".into());
        Severity::P2
    });
    let mut services = meta.list(&[
        "services",
        "service",
        "systems",
        "components",
        "affected_services",
    ]);
    if services.is_empty()
        && !own
        && let Some(v) = lead_text(&["affected service", "services", "서비스", "영향받은 시스템"])
    {
        services = v
            .split([',', '、'])
            .map(|x| x.trim().to_owned())
            .filter(|x| !x.is_empty())
            .collect();
    }
    services.truncate(SERVICES_MAX);
    let services = services
        .into_iter()
        .map(|s| s.chars().take(SERVICE_MAX).collect::<String>())
        .collect();

    let first_of = |kinds: &[EventKind]| {
        events
            .iter()
            .find(|e| kinds.contains(&e.kind))
            .map(|e| e.at)
    };
    let last_of = |kinds: &[EventKind]| {
        events
            .iter()
            .rev()
            .find(|e| kinds.contains(&e.kind))
            .map(|e| e.at)
    };
    let mut times = Timestamps::default();
    let inferred = |at: Option<DateTime<Utc>>| at.map(|a| (a, Provenance::Manual));
    let inferred = |at: Option<DateTime<Utc>>| if own { None } else { inferred(at) };
    let labelled = |words: &[&str]| inferred(labelled_time(sections, words, tz));
    let started = meta
        .time(&["started_at", "start", "started", "impact_started"], tz)
        .or_else(|| {
            labelled(&[
                "start time",
                "started at",
                "impact start",
                "incident start",
                "시작 시각",
                "발생 시각",
            ])
        })
        .or_else(|| inferred(events.first().map(|e| e.at)));
    let detected = meta
        .time(&["detected_at", "detected"], tz)
        .or_else(|| {
            labelled(&[
                "detection time",
                "detected at",
                "time of detection",
                "감지 시각",
            ])
        })
        .or_else(|| inferred(first_of(&[EventKind::Detected, EventKind::AlertFired])));
    let acknowledged = meta
        .time(&["acknowledged_at", "acknowledged"], tz)
        .or_else(|| {
            inferred(
                events
                    .iter()
                    .find(|e| {
                        let t = e.text.to_lowercase();
                        has_any(&t, &["acknowledg", "온콜 확인", "ack'd", "acked"])
                    })
                    .map(|e| e.at),
            )
        });
    let recovered = meta
        .time(&["recovered_at", "recovered", "mitigated_at"], tz)
        .or_else(|| {
            labelled(&[
                "recovered at",
                "recovery time",
                "mitigation time",
                "mitigated at",
                "복구 시각",
            ])
        })
        .or_else(|| inferred(last_of(&[EventKind::Recovered])));
    let resolved = meta
        .time(&["resolved_at", "resolved", "ended_at", "end"], tz)
        .or_else(|| {
            labelled(&[
                "end time",
                "resolved at",
                "resolution time",
                "종료 시각",
                "해결 시각",
            ])
        });
    for (moment, at) in [
        (Moment::Started, started),
        (Moment::Detected, detected),
        (Moment::Acknowledged, acknowledged),
        (Moment::Recovered, recovered),
        (Moment::Resolved, resolved),
    ] {
        times.set(moment, at.map(|a| a.0), at.map(|a| a.1));
    }
    // Times read off a timeline can disagree (an "acked" line before the first alert): drop
    // the one the rule refuses rather than refuse the document.
    for _ in 0..Moment::ALL.len() {
        let Err(e) = times.clone().normalized() else {
            break;
        };
        let Some(moment) = Moment::ALL.into_iter().find(|m| m.field() == e.field) else {
            break;
        };
        times.set(moment, None, None);
        notes.push(format!("{} left empty: {}", moment.field(), e.problem));
    }
    let status = meta
        .one(&["status", "state", "상태"])
        .map(str::to_owned)
        .or_else(|| lead_text(&["status", "상태"]))
        .as_deref()
        .and_then(|v| {
            Status::parse(&v.trim().to_lowercase().replace(' ', "_")).or_else(|| {
                let v = v.to_lowercase();
                if has_any(
                    &v,
                    &["closed", "resolved", "complete", "done", "종료", "완료"],
                ) {
                    Some(Status::Closed)
                } else if has_any(&v, &["review", "리뷰"]) {
                    Some(Status::InReview)
                } else {
                    None
                }
            })
        })
        .unwrap_or(if times.recovered_at.is_some() {
            Status::InReview
        } else {
            Status::Detected
        });

    // Long parts go to the narrative rather than being cut.
    let preamble = preamble.join("\n\n");
    if summary.is_empty() && !preamble.is_empty() && preamble.chars().count() <= SUMMARY_MAX {
        summary = preamble;
        placements.insert(
            0,
            Placement {
                section: title.clone(),
                part: Part::Summary,
                detail: String::new(),
            },
        );
    } else if !preamble.is_empty() {
        narrative.insert(0, preamble);
    }
    for (text, max, label) in [
        (&mut summary, SUMMARY_MAX, "summary"),
        (&mut customer_impact, IMPACT_MAX, "customer impact"),
        (&mut business_impact, IMPACT_MAX, "business impact"),
    ] {
        if text.chars().count() > max {
            notes.push(format!(
                "the {label} was longer than {max} characters; it is kept in the narrative"
            ));
            narrative.push(std::mem::take(text));
        }
    }
    let narrative = narrative.join("\n\n");
    let incident = IncidentFields {
        title,
        severity,
        status,
        services,
        customer_impact,
        business_impact,
        failed_requests: meta.count(&["failed_requests"]),
        customers_affected: meta.count(&["customers_affected", "users_affected"]),
        summary,
        narrative,
        drill: meta
            .one(&["drill"])
            .is_some_and(|v| matches!(v, "true" | "yes")),
        times,
    };
    Some(PostmortemReading {
        incident,
        timeline: events,
        chains: chain_list,
        actions: action_list,
        placements,
        notes,
    })
}
