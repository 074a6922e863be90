//! The documents hoego writes, from askama templates (`server/templates/`): a scenario in the
//! seed report's shape, which the pre-mortem reader reads back to the same scenario; an
//! incident as Markdown, which the postmortem reader reads back to the same incident, and as a
//! printable HTML page.

use app::domain::{Moment, Scenario, format_duration};
use app::queries::IncidentDetail;
use app::ui::lang::Lang;
use askama::Template;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// Words of an exported document, per language. The reader knows both.
struct Words {
    scenario: &'static str,
    trigger: &'static str,
    services: &'static str,
    impact: &'static str,
    detection: &'static str,
    metrics: &'static str,
    metric: &'static str,
    respond: &'static str,
    alerts: &'static str,
    channels: &'static str,
    detected_by: &'static str,
    whys: &'static str,
    root_cause: &'static str,
    category: &'static str,
    notes: &'static str,
    load_tests: &'static str,
}

const KO: Words = Words {
    scenario: "시나리오",
    trigger: "예상 시나리오",
    services: "서비스",
    impact: "비즈니스 임팩트",
    detection: "감지 방법",
    metrics: "모니터링 지표",
    metric: "지표",
    respond: "대응 시간",
    alerts: "알림 설정",
    channels: "알림 채널",
    detected_by: "감지하는 알림",
    whys: "5Why 근본 원인 분석",
    root_cause: "근본 원인",
    category: "분류",
    notes: "메모",
    load_tests: "근거가 된 부하 테스트",
};

const EN: Words = Words {
    scenario: "Scenario",
    trigger: "Trigger",
    services: "Services",
    impact: "Business impact",
    detection: "Detection",
    metrics: "Metrics",
    metric: "Metric",
    respond: "Respond in",
    alerts: "Alerts",
    channels: "Alert channels",
    detected_by: "Detected by alerts",
    whys: "5 Whys",
    root_cause: "Root cause",
    category: "Category",
    notes: "Notes",
    load_tests: "Derived from load tests",
};

/// A deadline as the seed writes it: `5분`, `1시간 30분`, `2주일`; `5 min`, `1 h 30 min`.
fn deadline(minutes: u32, lang: Lang) -> String {
    let units: [(u32, &str, &str); 5] = [
        (7 * 24 * 60, "주일", "weeks"),
        (24 * 60, "일", "days"),
        (60, "시간", "h"),
        (1, "분", "min"),
        (0, "", ""),
    ];
    if minutes == 0 {
        return match lang {
            Lang::Ko => "즉시".into(),
            Lang::En => "at once".into(),
        };
    }
    let mut rest = minutes;
    let mut parts = Vec::new();
    for (size, ko, en) in units.iter().take(4) {
        // Weeks and days only when they divide evenly; otherwise hours and minutes.
        if rest >= *size && (rest.is_multiple_of(*size) || *size <= 60) {
            let n = rest / size;
            parts.push(match lang {
                Lang::Ko => format!("{n}{ko}"),
                Lang::En => format!("{n} {en}"),
            });
            rest %= size;
        }
    }
    parts.join(" ")
}

/// Every ASCII punctuation character backslash-escaped (CommonMark reads each back as
/// itself), so no text of a record turns into markup: `*urgent*`, `[x](y)`, `1. ` stay text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text for one line of Markdown (a heading, a list item): escaped, line breaks as spaces.
fn inline(text: &str) -> String {
    escape(text).replace("\r\n", " ").replace('\n', " ")
}

struct Metric {
    name: String,
    warning: String,
    critical: String,
    respond: String,
}

struct Step {
    text: String,
    /// The rest of the line: detail, changes as code, owner.
    rest: String,
}

struct StageDoc {
    heading: String,
    steps: Vec<Step>,
}

#[derive(Template)]
#[template(path = "scenario.md", escape = "none")]
struct ScenarioDoc {
    w: &'static Words,
    number: usize,
    title: String,
    severity: String,
    trigger: String,
    symptoms: Vec<String>,
    services: String,
    impact: Vec<String>,
    metrics: Vec<Metric>,
    levels: Vec<(String, String)>,
    channels: String,
    detected_by: String,
    detection_notes: String,
    stages: Vec<StageDoc>,
    whys: Vec<(String, String)>,
    root_cause: String,
    category: String,
    notes: String,
    load_tests: Vec<String>,
}

/// `s` as Markdown in the seed's shape, numbered `number` (its place in a report).
pub fn scenario_markdown(s: &Scenario, number: usize, lang: Lang) -> String {
    let w = match lang {
        Lang::Ko => &KO,
        Lang::En => &EN,
    };
    let within = |m: u32| match lang {
        Lang::Ko => format!("({} 내)", deadline(m, lang)),
        Lang::En => format!("(within {})", deadline(m, lang)),
    };
    let respond = |a: Option<u32>, b: Option<u32>| match (a, b) {
        (None, None) => String::new(),
        (a, b) => format!(
            "{}/{}",
            a.map_or("-".into(), |m| deadline(m, lang)),
            b.map_or("-".into(), |m| deadline(m, lang))
        ),
    };
    let doc = ScenarioDoc {
        w,
        number,
        title: inline(&s.title),
        severity: s.severity.map(|v| format!(" ({v})")).unwrap_or_default(),
        trigger: inline(&s.trigger),
        symptoms: s.symptoms.iter().map(|x| inline(x)).collect(),
        services: s.services.join(", "),
        impact: s
            .business_impact
            .lines()
            .map(inline)
            .filter(|l| !l.is_empty())
            .collect(),
        metrics: s
            .detection
            .metrics
            .iter()
            .map(|m| Metric {
                name: inline(&m.metric),
                warning: inline(&m.warning),
                critical: inline(&m.critical),
                respond: respond(m.warning_response_minutes, m.critical_response_minutes),
            })
            .collect(),
        levels: s
            .detection
            .alert_levels
            .iter()
            .map(|a| (a.priority.to_string(), inline(&a.condition)))
            .collect(),
        channels: s.detection.channels.join(", "),
        detected_by: s
            .detection
            .alerts
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", "),
        detection_notes: s.detection.notes.trim().to_owned(),
        stages: s
            .stages
            .iter()
            .map(|st| StageDoc {
                heading: format!("{} {}", inline(&st.name), within(st.within_minutes)),
                steps: st
                    .steps
                    .iter()
                    .map(|p| {
                        let mut rest: Vec<String> = Vec::new();
                        if !p.detail.is_empty() {
                            rest.push(inline(&p.detail));
                        }
                        rest.extend(p.changes.iter().map(|c| format!("`{c}`")));
                        if !p.owner.is_empty() {
                            rest.push(match lang {
                                Lang::Ko => format!("(담당: {})", p.owner),
                                Lang::En => format!("(owner: {})", p.owner),
                            });
                        }
                        Step {
                            text: inline(&p.text),
                            rest: rest.join(" "),
                        }
                    })
                    .collect(),
            })
            .collect(),
        whys: s
            .chain
            .whys
            .iter()
            .map(|x| (inline(&x.why), inline(&x.because)))
            .collect(),
        root_cause: inline(&s.chain.root_cause),
        category: s.chain.category.map(|c| c.to_string()).unwrap_or_default(),
        notes: s.notes.trim().to_owned(),
        load_tests: s
            .load_tests
            .iter()
            .map(|r| format!("#{} {}", r.id, inline(&r.title)))
            .collect(),
    };
    doc.render().expect("the scenario template renders")
}

/// A table cell: escaped, line breaks as `<br>` (the reader turns them back).
fn cell(text: &str) -> String {
    escape(text).replace("\r\n", "\n").replace('\n', "<br>")
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

struct EventRow {
    at: String,
    kind: &'static str,
    text: String,
    author: String,
    source: &'static str,
}

struct WhyDoc {
    problem: String,
    steps: Vec<(String, String)>,
    root_cause: String,
    category: &'static str,
}

struct ActionRow {
    title: String,
    owner: String,
    due: String,
    status: &'static str,
    horizon: &'static str,
    kind: &'static str,
    done_at: String,
}

#[derive(Template)]
#[template(path = "incident.md", escape = "none")]
struct IncidentMarkdown {
    front: Vec<(&'static str, String)>,
    title: String,
    summary: String,
    customer_impact: String,
    business_impact: String,
    events: Vec<EventRow>,
    chains: Vec<WhyDoc>,
    actions: Vec<ActionRow>,
    narrative: String,
}

/// The incident as Markdown: its fields in front matter, then summary, impact, timeline, 5-Why
/// chains, action items and the narrative as written. Importing it gives the same incident.
pub fn incident_markdown(d: &IncidentDetail) -> String {
    let f = &d.incident.fields;
    let mut front: Vec<(&'static str, String)> = vec![
        // Marks the document as hoego's own: the reader then takes every field as written
        // and infers nothing from the text.
        ("hoego", "1".into()),
        // A JSON string is a YAML string: quotes and line breaks survive.
        (
            "title",
            serde_json::to_string(&f.title).expect("a string serializes"),
        ),
        ("severity", f.severity.to_string()),
        ("status", f.status.to_string()),
        ("services", format!("[{}]", f.services.join(", "))),
    ];
    for m in Moment::ALL {
        if let (Some(at), by) = f.times.get(m) {
            let by = by.map(|b| format!(" ({b})")).unwrap_or_default();
            front.push((m.field(), format!("{}{by}", rfc3339(at))));
        }
    }
    if let Some(n) = f.failed_requests {
        front.push(("failed_requests", n.to_string()));
    }
    if let Some(n) = f.customers_affected {
        front.push(("customers_affected", n.to_string()));
    }
    if f.drill {
        front.push(("drill", "true".into()));
    }
    let doc = IncidentMarkdown {
        front,
        title: inline(&f.title),
        summary: f.summary.clone(),
        customer_impact: f.customer_impact.clone(),
        business_impact: f.business_impact.clone(),
        events: d
            .timeline
            .iter()
            .map(|e| EventRow {
                at: rfc3339(e.at),
                kind: e.kind.as_str(),
                text: cell(&e.text),
                author: cell(&e.author),
                source: e.source.as_str(),
            })
            .collect(),
        chains: d
            .five_whys
            .iter()
            .map(|c| WhyDoc {
                problem: inline(&c.problem),
                steps: c
                    .steps
                    .iter()
                    .map(|s| (inline(&s.why), inline(&s.because)))
                    .collect(),
                root_cause: inline(&c.root_cause),
                category: c.category.as_str(),
            })
            .collect(),
        actions: d
            .action_items
            .iter()
            .map(|a| ActionRow {
                title: cell(&a.title),
                owner: cell(&a.owner),
                due: a.due.map(|d| d.to_string()).unwrap_or_default(),
                status: a.status.as_str(),
                horizon: a.horizon.as_str(),
                kind: a.kind.as_str(),
                done_at: a.done_at.map(rfc3339).unwrap_or_default(),
            })
            .collect(),
        narrative: f.narrative.clone(),
    };
    doc.render().expect("the incident template renders")
}

/// Labels of the printable page.
struct PageWords {
    lang: &'static str,
    severity: &'static str,
    status: &'static str,
    services: &'static str,
    times: &'static str,
    summary: &'static str,
    impact: &'static str,
    customer_impact: &'static str,
    business_impact: &'static str,
    timeline: &'static str,
    whys: &'static str,
    root_cause: &'static str,
    actions: &'static str,
    owner: &'static str,
    due: &'static str,
    narrative: &'static str,
    exported: &'static str,
}

const KO_PAGE: PageWords = PageWords {
    lang: "ko",
    severity: "심각도",
    status: "상태",
    services: "서비스",
    times: "시각",
    summary: "요약",
    impact: "영향",
    customer_impact: "고객 영향",
    business_impact: "비즈니스 영향",
    timeline: "타임라인",
    whys: "5 Why",
    root_cause: "근본 원인",
    actions: "액션 아이템",
    owner: "담당",
    due: "기한",
    narrative: "상세 경위",
    exported: "hoego에서 내보냄",
};

const EN_PAGE: PageWords = PageWords {
    lang: "en",
    severity: "Severity",
    status: "Status",
    services: "Services",
    times: "Times",
    summary: "Summary",
    impact: "Impact",
    customer_impact: "Customer impact",
    business_impact: "Business impact",
    timeline: "Timeline",
    whys: "5 Whys",
    root_cause: "Root cause",
    actions: "Action items",
    owner: "Owner",
    due: "Due",
    narrative: "Narrative",
    exported: "Exported from hoego",
};

#[derive(Template)]
#[template(path = "incident.html")]
struct IncidentPage<'a> {
    w: &'static PageWords,
    d: &'a IncidentDetail,
    status: &'static str,
    categories: Vec<&'static str>,
    /// Each action item's status, in the page's language.
    action_states: Vec<&'static str>,
    zone: String,
    times: Vec<(String, String)>,
    ttd: String,
    ttr: String,
    events: Vec<(String, &'a str, &'a str)>,
    exported_at: String,
}

/// The incident as one printable HTML page (times in `tz`); the summary and narrative are the
/// sanitized HTML the incident page shows.
pub fn incident_html(d: &IncidentDetail, lang: Lang, tz: Tz) -> String {
    let w = match lang {
        Lang::Ko => &KO_PAGE,
        Lang::En => &EN_PAGE,
    };
    let t = app::i18n::catalogue(lang);
    let local = |at: DateTime<Utc>| at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
    let f = &d.incident.fields;
    let m = &d.incident.metrics;
    let times = Moment::ALL
        .iter()
        .filter_map(|moment| {
            let (at, _) = f.times.get(*moment);
            at.map(|a| (t.moment_label(*moment).to_owned(), local(a)))
        })
        .collect();
    let page = IncidentPage {
        w,
        d,
        status: t.status_label(f.status),
        categories: d
            .five_whys
            .iter()
            .map(|c| t.category_label(c.category))
            .collect(),
        action_states: d
            .action_items
            .iter()
            .map(|a| t.action_status_label(a.status))
            .collect(),
        zone: tz.name().to_owned(),
        times,
        ttd: m
            .ttd_seconds
            .map(format_duration)
            .unwrap_or_else(|| "—".into()),
        ttr: m
            .ttr_seconds
            .map(format_duration)
            .unwrap_or_else(|| "—".into()),
        events: d
            .timeline
            .iter()
            .map(|e| (local(e.at), t.event_kind_label(e.kind), e.text.as_str()))
            .collect(),
        exported_at: local(Utc::now()),
    };
    page.render().expect("the incident page renders")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::{outline, premortem};
    use app::domain::*;
    use chrono::Utc;

    const SEED: &str = include_str!("../../../seeds/load-test-incident-report.ko.md");

    fn stored(input: ScenarioInput) -> Scenario {
        Scenario {
            id: ScenarioId::from(1),
            title: input.title,
            severity: input.severity,
            trigger: input.trigger,
            symptoms: input.symptoms,
            services: input.services,
            business_impact: input.business_impact,
            detection: input.detection,
            stages: input.stages,
            chain: input.chain,
            notes: input.notes,
            load_tests: Vec::new(),
            incidents: Vec::new(),
            created_at: Utc::now(),
            updated_at: Utc::now(),
            created_by: String::new(),
        }
    }

    #[test]
    fn each_seed_scenario_exports_and_reads_back_the_same_in_both_languages() {
        let mut read = premortem::read(&outline::read(SEED));
        premortem::apply_matrix(&mut read);
        for (i, mut input) in read.scenarios.into_iter().enumerate() {
            input.services = vec!["coupon-api".into(), "redis".into()];
            input.detection.alerts = vec!["RedisPoolSaturated".into(), "redis-pool".into()];
            input.stages[0].steps[0].owner = "on-call".into();
            input.business_impact = "쿠폰 발급 실패\n상품 조회 지연".into();
            let s = stored(input.clone());
            for lang in [Lang::Ko, Lang::En] {
                let md = scenario_markdown(&s, i + 1, lang);
                let back = premortem::read(&outline::read(&md));
                assert_eq!(back.scenarios.len(), 1, "{md}");
                assert_eq!(back.scenarios[0], input, "{lang:?}:\n{md}");
            }
        }
    }

    #[test]
    fn deadlines_read_like_the_seed() {
        assert_eq!(deadline(5, Lang::Ko), "5분");
        assert_eq!(deadline(90, Lang::Ko), "1시간 30분");
        assert_eq!(deadline(20_160, Lang::Ko), "2주일");
        assert_eq!(deadline(60, Lang::En), "1 h");
        assert_eq!(deadline(0, Lang::Ko), "즉시");
    }
}
