//! A pre-mortem report shaped like the seed (`seeds/load-test-incident-report.ko.md`), in Korean
//! or English: numbered failure scenarios, each described in up to three places (the failure
//! point with its severity and trigger, the response plan with detection and staged steps, the
//! predicted 5-Why chain), plus an alert matrix and MTTD/MTTR targets for the whole report.
//!
//! Sections are recognised by their words, not their positions: a heading `시나리오 2: …` or
//! `Scenario 2 – …`, or a numbered heading carrying a severity (`1. Redis 연결 풀 고갈 (P1 장애)`),
//! contributes to scenario 2 or 1 wherever it stands. What is not recognised inside a scenario's
//! sections goes to its notes; sections outside any scenario are listed as kept in the document.

use app::domain::{
    AlertLevel, Detection, DetectionMetric, PlanStep, PredictedChain, PredictedWhy,
    RootCauseCategory, ScenarioInput, Severity, Stage,
};
use app::domain::{FoundTargets, PremortemReading};

use super::outline::{Block, Inline, Item, Outline, Section};
use super::words::{duration_minutes, has_any, severity_in, strip_prefix_ci, strip_suffix_ci};

/// What `outline` says, read as a pre-mortem. No scenario is a valid answer (the caller decides
/// whether the document was a pre-mortem at all).
pub fn read(outline: &Outline) -> PremortemReading {
    let mut scenarios: Vec<(u32, Draft)> = Vec::new();
    let mut used = vec![false; outline.sections.len()];
    for (i, section) in outline.sections.iter().enumerate() {
        let Some((number, title)) = scenario_heading(section, outline, i) else {
            continue;
        };
        let at = match scenarios.iter().position(|(n, _)| *n == number) {
            Some(at) => at,
            None => {
                scenarios.push((number, Draft::default()));
                scenarios.len() - 1
            }
        };
        let draft = &mut scenarios[at].1;
        if draft.title.is_empty() {
            draft.title = title;
        }
        if draft.severity.is_none() {
            draft.severity = severity_in(&section.title);
        }
        used[i] = true;
        draft.read_blocks(&section.blocks, false);
        let first = i + 1;
        for (k, sub) in outline.under(i).iter().enumerate() {
            used[first + k] = true;
            draft.read_subsection(sub);
        }
    }
    let mut matrix = Vec::new();
    let mut targets = FoundTargets::default();
    for (i, section) in outline.sections.iter().enumerate() {
        for block in &section.blocks {
            if let Some(rows) = alert_matrix(block) {
                matrix.extend(rows);
                used[i] = true;
            }
        }
        if read_targets(&section.blocks, &mut targets) {
            used[i] = true;
        }
    }
    // A section is kept only when neither it nor anything under it was read.
    let kept = outline
        .sections
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            let under = outline.under(*i).len();
            !used[*i] && !used[i + 1..i + 1 + under].iter().any(|u| *u) && s.level > 0
        })
        .map(|(_, s)| s.title.clone())
        .collect();
    scenarios.sort_by_key(|(n, _)| *n);
    PremortemReading {
        scenarios: scenarios.into_iter().map(|(_, d)| d.finish()).collect(),
        matrix,
        targets: (targets != FoundTargets::default()).then_some(targets),
        kept,
    }
}

/// Writes the alert matrix into the scenarios: a scenario metric whose name holds a matrix
/// row's name (`API 응답 시간 p99` holds `API 응답 시간`) takes that row's thresholds and
/// response times.
pub fn apply_matrix(reading: &mut PremortemReading) {
    let key = |s: &str| s.to_lowercase().replace(' ', "");
    for s in &mut reading.scenarios {
        for m in &mut s.detection.metrics {
            let name = key(&m.metric);
            if let Some(row) = reading
                .matrix
                .iter()
                .filter(|r| !r.metric.trim().is_empty() && name.contains(&key(&r.metric)))
                .max_by_key(|r| r.metric.len())
            {
                *m = DetectionMetric {
                    metric: m.metric.clone(),
                    ..row.clone()
                };
            }
        }
    }
}

/// `시나리오 1: X`, `Scenario 1 - X`, or a numbered heading with a severity in it (`1. X (P1)`) or
/// under a heading about failure points: the scenario's number and title.
fn scenario_heading(section: &Section, outline: &Outline, i: usize) -> Option<(u32, String)> {
    let title = section.title.trim();
    for word in ["시나리오", "scenario"] {
        if let Some(rest) = strip_prefix_ci(title, word) {
            let (number, name) = leading_number(rest.trim_start())?;
            return Some((number, clean_title(name)));
        }
    }
    let (number, name) = leading_number(title)?;
    let parent = outline.sections[..i]
        .iter()
        .rev()
        .find(|s| s.level < section.level)
        .map(|s| s.title.to_lowercase())
        .unwrap_or_default();
    let about_failures = has_any(
        &parent,
        &["장애 지점", "failure point", "failure mode", "risk"],
    );
    (severity_in(title).is_some() || about_failures).then(|| (number, clean_title(name)))
}

/// `2: X`, `2. X`, `2) X`, `2 – X` → (2, "X").
fn leading_number(text: &str) -> Option<(u32, &str)> {
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let number = text[..digits].parse().ok()?;
    let rest = text[digits..].trim_start();
    let rest = rest
        .strip_prefix([':', '.', ')', '-', '–', '—'])
        .unwrap_or(rest);
    let rest = rest.trim();
    (!rest.is_empty()).then_some((number, rest))
}

/// A title without its parenthetical (`(P1 장애)`) and a trailing `장애`/`failure`.
fn clean_title(name: &str) -> String {
    let mut t = match name.find(['(', '（']) {
        Some(p) if p > 0 => name[..p].trim(),
        _ => name.trim(),
    };
    for suffix in [" 장애", " failure", " outage", " incident"] {
        if let Some(rest) = strip_suffix_ci(t, suffix).filter(|r| !r.trim().is_empty()) {
            t = rest.trim_end();
        }
    }
    t.to_owned()
}

#[derive(Default)]
struct Draft {
    title: String,
    severity: Option<Severity>,
    trigger: String,
    symptoms: Vec<String>,
    services: Vec<String>,
    impact: String,
    detection: Detection,
    stages: Vec<Stage>,
    chain: PredictedChain,
    notes: Vec<String>,
}

/// What a bold lead announces.
enum Lead {
    Trigger,
    Impact,
    Services,
    Metrics,
    Alerts,
    /// Alert names or `scenario` label values that detect the scenario.
    DetectedBy,
    Priority,
    RootCause,
    Category,
    Other,
}

fn lead_kind(lead: &str) -> Lead {
    let l = lead.to_lowercase();
    if has_any(&l, &["근본 원인", "root cause"]) {
        Lead::RootCause
    } else if has_any(&l, &["예상 시나리오", "트리거", "trigger", "발생 조건"]) {
        Lead::Trigger
    } else if has_any(&l, &["임팩트", "영향", "impact"]) {
        Lead::Impact
    } else if has_any(&l, &["분류", "category"]) {
        Lead::Category
    } else if has_any(&l, &["서비스", "service"]) {
        Lead::Services
    } else if has_any(&l, &["감지하는 알림", "detected by", "detecting alert"]) {
        Lead::DetectedBy
    } else if has_any(&l, &["우선순위", "priority"]) {
        Lead::Priority
    } else if has_any(&l, &["지표", "metric", "signal"]) {
        Lead::Metrics
    } else if has_any(&l, &["알림", "alert"]) {
        Lead::Alerts
    } else {
        Lead::Other
    }
}

impl Draft {
    fn read_subsection(&mut self, s: &Section) {
        let title = s.title.to_lowercase();
        if let Some(minutes) = stage_deadline(&s.title) {
            self.stages.push(Stage {
                name: clean_stage_name(&s.title),
                within_minutes: minutes,
                steps: s.blocks.iter().flat_map(plan_steps).collect(),
            });
        } else if has_any(&title, &["감지", "탐지", "detect", "monitor", "모니터링"]) {
            self.read_detection(&s.blocks);
        } else {
            // Under a heading about whys, every question-and-answer pair is a why, however
            // it is worded.
            self.read_blocks(&s.blocks, has_any(&title, &["why", "왜"]));
        }
    }

    /// Trigger and symptoms, services, impact, 5-Why steps, a root cause and its category;
    /// anything else to the notes. With `whys`, any paragraph followed by a list, and any list
    /// item with a nested one, is a why and its answer.
    fn read_blocks(&mut self, blocks: &[Block], whys: bool) {
        let unnumbered = |text: &str| {
            leading_number(text)
                .map_or(text, |(_, t)| t)
                .trim()
                .to_owned()
        };
        // A why: worded as one, or (under a heading about whys) any plain or all-bold
        // paragraph or item that has an answer under it.
        let asks = |text: &Inline, answered: bool| {
            why_question(&text.text).or_else(|| {
                let plain = text.lead.is_none() || text.rest.is_empty();
                (whys && answered && plain).then(|| unnumbered(&text.text))
            })
        };
        let mut i = 0;
        while i < blocks.len() {
            let next_list = match blocks.get(i + 1) {
                Some(Block::List { items, .. }) => Some(items.as_slice()),
                _ => None,
            };
            match &blocks[i] {
                Block::Para(p) if asks(p, next_list.is_some()).is_some() => {
                    let why = asks(p, next_list.is_some()).expect("checked");
                    let because = next_list
                        .map(|items| {
                            items
                                .iter()
                                .map(|it| it.inline.text.clone())
                                .collect::<Vec<_>>()
                                .join(" ")
                        })
                        .unwrap_or_default();
                    self.chain.whys.push(PredictedWhy { why, because });
                    i += 1 + usize::from(next_list.is_some());
                    continue;
                }
                Block::Para(p) if p.lead.is_some() => {
                    let lead = p.lead.as_deref().expect("checked");
                    match lead_kind(lead) {
                        Lead::Trigger => {
                            self.trigger = p.rest.clone();
                            if let Some(items) = next_list {
                                self.symptoms
                                    .extend(items.iter().map(|it| it.inline.text.clone()));
                                i += 1;
                            }
                        }
                        Lead::Impact => {
                            let mut text = vec![p.rest.clone()];
                            if let Some(items) = next_list {
                                text.extend(items.iter().map(|it| it.inline.text.clone()));
                                i += 1;
                            }
                            self.impact = text
                                .into_iter()
                                .filter(|t| !t.is_empty())
                                .collect::<Vec<_>>()
                                .join("\n");
                        }
                        Lead::RootCause => {
                            self.chain.root_cause = p.rest.clone();
                            if self.chain.category.is_none() {
                                self.chain.category = RootCauseCategory::guess(&p.rest);
                            }
                        }
                        Lead::Category => {
                            self.chain.category = RootCauseCategory::parse(p.rest.trim())
                                .or_else(|| RootCauseCategory::guess(&p.rest));
                        }
                        Lead::Services => {
                            self.services.extend(
                                p.rest
                                    .split([',', '，', '、'])
                                    .map(|x| x.trim().to_owned())
                                    .filter(|x| !x.is_empty()),
                            );
                        }
                        _ => self.notes.push(p.text.clone()),
                    }
                }
                Block::List { items, .. }
                    if items
                        .iter()
                        .any(|it| asks(&it.inline, !it.blocks.is_empty()).is_some()) =>
                {
                    for it in items {
                        if let Some(why) = asks(&it.inline, !it.blocks.is_empty()) {
                            let because = it
                                .blocks
                                .iter()
                                .map(Block::text)
                                .collect::<Vec<_>>()
                                .join(" ");
                            self.chain.whys.push(PredictedWhy { why, because });
                        }
                    }
                }
                other => {
                    let text = other.text();
                    if !text.is_empty() {
                        self.notes.push(text);
                    }
                }
            }
            i += 1;
        }
    }

    fn read_detection(&mut self, blocks: &[Block]) {
        let mut i = 0;
        while i < blocks.len() {
            let next_list = match blocks.get(i + 1) {
                Some(Block::List { items, .. }) => Some(items.as_slice()),
                _ => None,
            };
            match &blocks[i] {
                Block::Para(p) if p.lead.is_some() => {
                    let lead = p.lead.as_deref().expect("checked");
                    match (lead_kind(lead), next_list) {
                        (Lead::Metrics, Some(items)) => {
                            self.detection.metrics.extend(items.iter().map(metric));
                            i += 1;
                        }
                        (Lead::Alerts, Some(items)) => {
                            for it in items {
                                self.alert_item(&it.inline);
                            }
                            i += 1;
                        }
                        (Lead::DetectedBy, _) => {
                            let names: Vec<String> = if p.codes.is_empty() {
                                p.rest.split(',').map(|x| x.trim().to_owned()).collect()
                            } else {
                                p.codes.clone()
                            };
                            self.detection
                                .alerts
                                .extend(names.into_iter().filter(|x| !x.is_empty()));
                        }
                        (Lead::Metrics, None)
                            if matches!(blocks.get(i + 1), Some(Block::Table { .. })) =>
                        {
                            if let Some(rows) = blocks.get(i + 1).and_then(alert_matrix) {
                                self.detection.metrics.extend(rows);
                            }
                            i += 1;
                        }
                        (Lead::Priority | Lead::Alerts, None) => self.alert_item(&Inline {
                            lead: Some(p.rest.clone()),
                            rest: String::new(),
                            ..p.clone()
                        }),
                        _ => {
                            // A labelled signal (a log line, a query): keep it with its label.
                            let mut text = p.text.clone();
                            if let Some(Block::Code { lang, text: code }) = blocks.get(i + 1) {
                                text.push_str(&format!("\n```{lang}\n{code}```"));
                                i += 1;
                            } else if let Some(items) = next_list {
                                for it in items {
                                    text.push_str(&format!("\n- {}", it.inline.text));
                                }
                                i += 1;
                            }
                            self.detection_note(text);
                        }
                    }
                }
                Block::List { items, .. } => {
                    for it in items {
                        match it.inline.lead.as_deref().map(lead_kind) {
                            Some(Lead::Alerts | Lead::Priority) => self.alert_item(&it.inline),
                            _ => self.detection.metrics.push(metric(it)),
                        }
                    }
                }
                Block::Code { lang, text } => self.detection_note(format!("```{lang}\n{text}```")),
                table @ Block::Table { .. } if alert_matrix(table).is_some() => {
                    self.detection
                        .metrics
                        .extend(alert_matrix(table).unwrap_or_default());
                }
                other => self.detection_note(other.text()),
            }
            i += 1;
        }
    }

    fn detection_note(&mut self, text: String) {
        if text.is_empty() {
            return;
        }
        if !self.detection.notes.is_empty() {
            self.detection.notes.push('\n');
        }
        self.detection.notes.push_str(&text);
    }

    /// `**P1 (High)**: condition`, `**알림 채널**: Slack, 이메일`, `P0 (Critical) - 즉시 대응`.
    fn alert_item(&mut self, it: &Inline) {
        let lead = it.lead.clone().unwrap_or_default();
        if has_any(&lead.to_lowercase(), &["채널", "channel"]) {
            self.detection.channels.extend(
                it.rest
                    .split([',', '，', '、', '/'])
                    .map(|c| c.trim().to_owned())
                    .filter(|c| !c.is_empty()),
            );
            return;
        }
        let Some(priority) = severity_in(&lead).or_else(|| severity_in(&it.text)) else {
            self.detection_note(it.text.clone());
            return;
        };
        let condition = if it.rest.is_empty() || it.lead.is_none() {
            strip_priority(&lead)
        } else {
            it.rest.clone()
        };
        self.detection.alert_levels.push(AlertLevel {
            priority,
            condition: if condition.is_empty() {
                lead.trim().to_owned()
            } else {
                condition
            },
        });
    }

    fn finish(self) -> ScenarioInput {
        let severity = self
            .severity
            .or_else(|| self.detection.alert_levels.iter().map(|a| a.priority).min());
        ScenarioInput {
            title: self.title,
            severity,
            trigger: self.trigger,
            symptoms: self.symptoms,
            services: self.services,
            business_impact: self.impact,
            detection: self.detection,
            stages: self.stages,
            chain: self.chain,
            notes: self.notes.join("\n\n"),
            load_tests: Vec::new(),
        }
    }
}

/// `Redis 연결 수 사용률 > 80%` → metric and threshold; a table-less list has one threshold,
/// read as the warning level.
fn metric(it: &Item) -> DetectionMetric {
    let text = it.inline.text.as_str();
    let at = ["≥", "≤", ">=", "<=", ">", "<", "="]
        .iter()
        .filter_map(|op| text.find(op))
        .min();
    let (name, threshold) = match at {
        Some(at) if at > 0 => (text[..at].trim(), text[at..].trim()),
        _ => (text, ""),
    };
    DetectionMetric {
        metric: name.to_owned(),
        warning: threshold.to_owned(),
        ..DetectionMetric::default()
    }
}

/// `P0 (Critical) - 즉시 대응 필요` → `즉시 대응 필요`.
fn strip_priority(text: &str) -> String {
    let mut t = text.trim();
    if let Some(rest) = t.strip_prefix(['P', 'p']) {
        t = rest
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start();
    }
    if t.starts_with('(')
        && let Some(end) = t.find(')')
    {
        t = t[end + 1..].trim_start();
    }
    t.trim_start_matches([':', '-', '–', '—', ' '])
        .trim()
        .to_owned()
}

/// A stage heading's deadline: `즉시 대응 (5분 내)`, `Short term (within 1 hour)`, `1주일 내`.
fn stage_deadline(title: &str) -> Option<u32> {
    let lower = title.to_lowercase();
    let inside = match (lower.find(['(', '（']), lower.rfind([')', '）'])) {
        (Some(a), Some(b)) if b > a => &lower[a..b],
        _ => lower.as_str(),
    };
    let marked = has_any(inside, &["내", "이내", "within", "under", "<", "≤", "by"]);
    if !marked && !lower.contains('(') {
        return None;
    }
    duration_minutes(inside)
}

/// `즉시 대응 (5분 내)` → `즉시 대응`.
fn clean_stage_name(title: &str) -> String {
    match title.find(['(', '（']) {
        Some(p) if p > 0 => title[..p].trim().to_owned(),
        _ => title.trim().to_owned(),
    }
}

/// The steps of a stage list: a bold lead is the step, the rest its detail; code spans and
/// nested items that change a setting (`a → b`) are its changes.
fn plan_steps(block: &Block) -> Vec<PlanStep> {
    let Block::List { items, .. } = block else {
        return Vec::new();
    };
    items
        .iter()
        .map(|it| {
            let i = &it.inline;
            let mut changes: Vec<String> =
                i.codes.iter().filter(|c| is_change(c)).cloned().collect();
            let (text, mut detail, owner) = match &i.lead {
                Some(lead) => {
                    let mut rest = i.rest.clone();
                    let owner = take_owner(&mut rest);
                    (lead.clone(), without_changes(&rest, &changes), owner)
                }
                None => {
                    let mut text = i.text.clone();
                    let owner = take_owner(&mut text);
                    (without_changes(&text, &changes), String::new(), owner)
                }
            };
            for nested in &it.blocks {
                match nested {
                    Block::List { items, .. } => {
                        for n in items {
                            let c: Vec<&String> =
                                n.inline.codes.iter().filter(|c| is_change(c)).collect();
                            if c.is_empty() {
                                push_line(&mut detail, &n.inline.text);
                            } else {
                                changes.extend(c.into_iter().cloned());
                            }
                        }
                    }
                    other => push_line(&mut detail, &other.text()),
                }
            }
            // `**Scale up**: t4g.micro → t4g.small`: a change written without code marks.
            if changes.is_empty() && is_change(&detail) && !detail.contains('\n') {
                changes.push(std::mem::take(&mut detail));
            }
            PlanStep {
                id: 0,
                text: if text.is_empty() {
                    detail.clone()
                } else {
                    text
                },
                detail,
                owner,
                changes,
            }
        })
        .collect()
}

/// `… (담당: DBA)` or `… (owner: on-call)` at the end of a step's detail: the owner, removed
/// from the detail.
fn take_owner(detail: &mut String) -> String {
    let trimmed = detail.trim_end();
    let Some(inner) = trimmed.strip_suffix(')') else {
        return String::new();
    };
    let Some(open) = inner.rfind('(') else {
        return String::new();
    };
    let body = &inner[open + 1..];
    let owner = ["담당:", "owner:", "담당 :", "owner :"]
        .iter()
        .find_map(|k| {
            body.to_lowercase()
                .starts_with(k)
                .then(|| body[k.len()..].trim().to_owned())
        });
    match owner {
        Some(o) => {
            *detail = inner[..open].trim_end().to_owned();
            o
        }
        None => String::new(),
    }
}

fn push_line(to: &mut String, line: &str) {
    if line.is_empty() {
        return;
    }
    if !to.is_empty() {
        to.push('\n');
    }
    to.push_str(line);
}

fn is_change(code: &str) -> bool {
    ["→", "->", "=>", "⇒"].iter().any(|a| code.contains(a))
}

/// `text` without the change spans and the brackets they leave: `x (빠른 실패)` → `빠른 실패`.
fn without_changes(text: &str, changes: &[String]) -> String {
    let mut t = text.to_owned();
    for c in changes {
        t = t.replacen(c.as_str(), "", 1);
    }
    let t = t.trim().trim_matches([',', ';', ':']).trim();
    let t = t
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(t);
    t.trim().to_owned()
}

/// `**1. 왜 Redis 연결 풀이 고갈되었는가?**` or `Why did the pool run out?` → the question.
fn why_question(text: &str) -> Option<String> {
    let t = text.trim();
    let t = match leading_number(t) {
        Some((_, rest)) => rest,
        None => t,
    };
    let lower = t.to_lowercase();
    let asks = lower.starts_with("왜")
        || lower.starts_with("why")
        || (lower.contains("왜") && (t.ends_with('?') || t.ends_with('？')));
    asks.then(|| t.to_owned())
}

/// A table whose header names Warning and Critical: one metric per row, with the response
/// times of its last column (`5분/2분`, `10분/즉시`, `5m / at once`).
fn alert_matrix(block: &Block) -> Option<Vec<DetectionMetric>> {
    let Block::Table { head, rows } = block else {
        return None;
    };
    let col = |words: &[&str]| head.iter().position(|h| has_any(&h.to_lowercase(), words));
    let warning = col(&["warning", "경고", "주의"])?;
    let critical = col(&["critical", "심각", "위험"])?;
    let response = col(&["대응", "response", "respond"]);
    let name =
        (0..head.len()).find(|c| ![Some(warning), Some(critical), response].contains(&Some(*c)))?;
    Some(
        rows.iter()
            .filter(|r| r.len() == head.len())
            .map(|r| {
                let (w, c) = response
                    .map(|x| response_times(&r[x]))
                    .unwrap_or((None, None));
                DetectionMetric {
                    metric: r[name].clone(),
                    warning: r[warning].clone(),
                    critical: r[critical].clone(),
                    warning_response_minutes: w,
                    critical_response_minutes: c,
                }
            })
            .collect(),
    )
}

/// `5분/2분` → (5, 2); `10분/즉시` → (10, 0); one value applies to both.
fn response_times(cell: &str) -> (Option<u32>, Option<u32>) {
    match cell.split_once(['/', '|', ',']) {
        Some((w, c)) => (duration_minutes(w), duration_minutes(c)),
        None => {
            let both = duration_minutes(cell);
            (both, both)
        }
    }
}

/// `**MTTD …**: 2분 이내`, `**MTTR …**: P0 15분, P1 30분, P2 1시간`. True when it found one.
fn read_targets(blocks: &[Block], found: &mut FoundTargets) -> bool {
    let mut any = false;
    let mut read = |i: &Inline| {
        let lead = i.lead.clone().unwrap_or_default().to_uppercase();
        if lead.contains("MTTD") {
            found.ttd_minutes = duration_minutes(&i.rest);
            any |= found.ttd_minutes.is_some();
        } else if lead.contains("MTTR") {
            for part in i.rest.split([',', ';', '/']) {
                if let (Some(s), Some(m)) = (severity_in(part), duration_minutes(part)) {
                    found.ttr_minutes.push((s, m));
                    any = true;
                }
            }
        }
    };
    for block in blocks {
        match block {
            Block::Para(p) => read(p),
            Block::List { items, .. } => items.iter().for_each(|it| read(&it.inline)),
            _ => {}
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::outline;

    const SEED: &str = include_str!("../../../seeds/load-test-incident-report.ko.md");

    #[test]
    fn the_seed_report_yields_its_three_scenarios() {
        let r = read(&outline::read(SEED));
        let titles: Vec<(&str, Option<Severity>)> = r
            .scenarios
            .iter()
            .map(|s| (s.title.as_str(), s.severity))
            .collect();
        assert_eq!(
            titles,
            [
                ("Redis 연결 풀 고갈", Some(Severity::P1)),
                ("Kafka 프로듀서 지연", Some(Severity::P2)),
                ("MySQL 커넥션 풀 고갈", Some(Severity::P0)),
            ]
        );
        let redis = &r.scenarios[0];
        assert_eq!(redis.trigger, "트래픽이 현재 테스트 대비 3배 이상 급증 시");
        assert_eq!(redis.symptoms.len(), 3);
        assert_eq!(redis.symptoms[1], "새로운 연결 요청 타임아웃 발생");
        assert_eq!(
            redis.detection.metrics[0],
            DetectionMetric {
                metric: "Redis 연결 수 사용률".into(),
                warning: "> 80%".into(),
                ..DetectionMetric::default()
            }
        );
        assert_eq!(redis.detection.metrics[1].metric, "API 응답 시간 p99");
        assert_eq!(
            redis.detection.alert_levels,
            [
                AlertLevel {
                    priority: Severity::P1,
                    condition: "Redis 연결 수 사용률 90% 초과 시".into()
                },
                AlertLevel {
                    priority: Severity::P2,
                    condition: "API 응답 시간 p99 1s 초과 시".into()
                },
                AlertLevel {
                    priority: Severity::P3,
                    condition: "캐시 히트율 80% 이하 시".into()
                },
            ]
        );
        assert_eq!(redis.detection.channels, ["Slack", "이메일", "SMS"]);
        let stages: Vec<(&str, u32, usize)> = redis
            .stages
            .iter()
            .map(|s| (s.name.as_str(), s.within_minutes, s.steps.len()))
            .collect();
        assert_eq!(
            stages,
            [
                ("즉시 대응", 5, 3),
                ("단기 대응", 30, 3),
                ("중장기 대응", 10_080, 3)
            ]
        );
        let first = &redis.stages[0].steps[0];
        assert_eq!(first.text, "Redis 연결 풀 확장");
        assert_eq!(first.changes, ["maxActive: 50 → 100"]);
        assert_eq!(redis.stages[0].steps[1].detail, "유휴 연결 강제 해제");
        assert_eq!(redis.stages[1].steps[1].detail, "빠른 실패");
        assert_eq!(redis.chain.whys.len(), 5);
        assert_eq!(redis.chain.whys[0].why, "왜 Redis 연결 풀이 고갈되었는가?");
        assert_eq!(
            redis.chain.whys[0].because,
            "트래픽 급증으로 동시 연결 수가 최대 한계(50개)를 초과했습니다."
        );
        assert_eq!(
            redis.chain.root_cause,
            "운영 중심 설계 사고 부족 및 성능 모니터링 체계 미흡"
        );
        assert_eq!(redis.chain.category, Some(RootCauseCategory::MonitoringGap));
    }

    #[test]
    fn kafka_and_mysql_scenarios_keep_their_own_shapes() {
        let r = read(&outline::read(SEED));
        let kafka = &r.scenarios[1];
        assert_eq!(kafka.trigger, "쿠폰 발급 요청이 초당 2,000건 초과 시");
        assert!(kafka.detection.alert_levels.is_empty());
        assert!(
            kafka.detection.notes.starts_with("로그 기반 감지")
                && kafka
                    .detection
                    .notes
                    .contains("\"message\": \"Kafka producer timeout\""),
            "{}",
            kafka.detection.notes
        );
        let deadlines: Vec<u32> = kafka.stages.iter().map(|s| s.within_minutes).collect();
        assert_eq!(deadlines, [10, 60, 20_160]);
        assert_eq!(kafka.stages[1].steps[1].text, "프로듀서 설정 최적화");
        assert_eq!(
            kafka.stages[1].steps[1].changes,
            ["acks: all → 1", "compression.type: none → snappy"]
        );
        assert_eq!(
            kafka.chain.category,
            Some(RootCauseCategory::TestEnvironment)
        );
        let mysql = &r.scenarios[2];
        assert_eq!(
            mysql.detection.alert_levels,
            [AlertLevel {
                priority: Severity::P0,
                condition: "즉시 대응 필요".into()
            }]
        );
        let deadlines: Vec<u32> = mysql.stages.iter().map(|s| s.within_minutes).collect();
        assert_eq!(deadlines, [2, 15, 10_080]);
        assert_eq!(mysql.chain.whys.len(), 5);
        assert_eq!(
            mysql.chain.category,
            Some(RootCauseCategory::MissingResilience)
        );
    }

    #[test]
    fn the_alert_matrix_and_targets_are_reported() {
        let r = read(&outline::read(SEED));
        type Row<'a> = (&'a str, &'a str, &'a str, Option<u32>, Option<u32>);
        let rows: Vec<Row> = r
            .matrix
            .iter()
            .map(|m| {
                (
                    m.metric.as_str(),
                    m.warning.as_str(),
                    m.critical.as_str(),
                    m.warning_response_minutes,
                    m.critical_response_minutes,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("API 응답 시간", "p99 > 500ms", "p99 > 1s", Some(5), Some(2)),
                ("에러율", "> 1%", "> 5%", Some(10), Some(0)),
                ("Redis 연결", "> 70%", "> 90%", Some(15), Some(5)),
                ("DB 연결", "> 80%", "> 95%", Some(10), Some(0)),
            ]
        );
        let t = r.targets.expect("targets");
        assert_eq!(t.ttd_minutes, Some(2));
        assert_eq!(
            t.ttr_minutes,
            [(Severity::P0, 15), (Severity::P1, 30), (Severity::P2, 60)]
        );
        assert!(
            r.kept.contains(&"학습 사항 및 개선 방향".to_owned()),
            "{:?}",
            r.kept
        );
        assert!(
            !r.kept.iter().any(|k| k.contains("시나리오")),
            "{:?}",
            r.kept
        );
    }

    #[test]
    fn applying_the_matrix_fills_matching_metrics_only() {
        let mut r = read(&outline::read(SEED));
        apply_matrix(&mut r);
        let m = &r.scenarios[0].detection.metrics;
        assert_eq!(
            m[0],
            DetectionMetric {
                metric: "Redis 연결 수 사용률".into(),
                warning: "> 70%".into(),
                critical: "> 90%".into(),
                warning_response_minutes: Some(15),
                critical_response_minutes: Some(5),
            }
        );
        assert_eq!(
            (m[1].critical.as_str(), m[1].critical_response_minutes),
            ("p99 > 1s", Some(2))
        );
        assert_eq!(m[2].metric, "캐시 히트율");
        assert_eq!(
            (m[2].warning.as_str(), m[2].critical.as_str()),
            ("< 90%", ""),
            "no row for it"
        );
    }

    #[test]
    fn an_english_premortem_reads_the_same_way() {
        let doc = "# Pre-mortem\n\n## Scenario 1: Queue backlog (P2)\n\n**Trigger**: 5x traffic\n\n- consumers fall behind\n\n### Detection\n\n**Metrics**:\n- consumer lag > 1000\n\n**Alerts**:\n- **P2 (Medium)**: lag over 5000\n- **Channels**: PagerDuty, Slack\n\n### Immediate (within 10 min)\n\n1. **Add consumers**: `replicas: 2 → 6`\n\n### Follow-up (within 2 weeks)\n\n- Autoscale on lag\n\n### 5 Whys\n\n1. Why did the backlog grow?\n   - Consumers were too few.\n2. Why were they too few?\n   - Nobody sized them.\n\n**Root cause**: no capacity planning for consumers\n";
        let r = read(&outline::read(doc));
        assert_eq!(r.scenarios.len(), 1);
        let s = &r.scenarios[0];
        assert_eq!(
            (s.title.as_str(), s.severity),
            ("Queue backlog", Some(Severity::P2))
        );
        assert_eq!(s.trigger, "5x traffic");
        assert_eq!(s.symptoms, ["consumers fall behind"]);
        assert_eq!(s.detection.metrics[0].metric, "consumer lag");
        assert_eq!(s.detection.alert_levels[0].condition, "lag over 5000");
        assert_eq!(s.detection.channels, ["PagerDuty", "Slack"]);
        let stages: Vec<(&str, u32)> = s
            .stages
            .iter()
            .map(|st| (st.name.as_str(), st.within_minutes))
            .collect();
        assert_eq!(stages, [("Immediate", 10), ("Follow-up", 20_160)]);
        assert_eq!(s.stages[0].steps[0].changes, ["replicas: 2 → 6"]);
        assert_eq!(s.stages[1].steps[0].text, "Autoscale on lag");
        assert_eq!(s.chain.whys.len(), 2);
        assert_eq!(s.chain.whys[1].because, "Nobody sized them.");
        assert_eq!(s.chain.category, Some(RootCauseCategory::CapacityPlanning));
    }
}
