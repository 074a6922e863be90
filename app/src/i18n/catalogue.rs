//! The core catalogue: the incident pages, search, and the frame around them, in Korean and
//! English side by side.

use super::{Text, problems};
use crate::domain::*;
use crate::error::AppError;
use crate::queries::ActionState;

texts! {
    /// UI text of the incident pages, search and the frame.
    pub struct Catalogue (KO, EN) {
        nav_label: Text = ("주 메뉴", "Main"),
        nav_incidents: Text = ("장애 목록", "Incidents"),
        nav_action_items: Text = ("액션 아이템", "Action items"),
        new_incident: Text = ("새 장애 등록", "New incident"),
        edit_incident: Text = ("장애 수정", "Edit incident"),
        display_zone: Text = ("시각은 이 시간대로 표시됩니다", "Times are shown in this zone"),
        incident: Text = ("장애", "Incident"),

        any: Text = ("전체", "Any"),
        none: Text = ("없음", "None"),
        filter: Text = ("필터", "Filter"),
        clear_filters: Text = ("필터 해제", "Clear filters"),
        no_incidents: Text = (
            "아직 등록된 장애가 없습니다. 장애가 나면 기억이 생생할 때 여기에 기록하세요.",
            "No incidents yet. When something breaks, file it here while it is fresh.",
        ),
        no_match: Text = ("조건에 맞는 장애가 없습니다.", "No incidents match these filters."),
        file_first: Text = ("장애 등록하기", "File an incident"),
        pages: Text = ("페이지", "Pages"),
        prev: Text = ("← 최근", "← Newer"),
        next: Text = ("이전 →", "Older →"),

        create: Text = ("장애 등록", "Create incident"),
        save: Text = ("저장", "Save"),
        cancel: Text = ("취소", "Cancel"),
        edit: Text = ("수정", "Edit"),
        export_md: Text = ("Markdown", "Markdown"),
        export_md_hint: Text = ("Markdown으로 내보내기 (다시 가져올 수 있음)", "Export as Markdown (imports back)"),
        print_html: Text = ("인쇄용", "Print"),
        print_html_hint: Text = ("인쇄용 HTML 문서", "A printable HTML document"),
        delete: Text = ("삭제", "Delete"),
        set: Text = ("변경", "Set"),
        back_to_incident: Text = ("← 장애로 돌아가기", "← Back to the incident"),
        back_to_list: Text = ("← 장애 목록", "← All incidents"),
        delete_incident: Text = ("이 장애 삭제", "Delete this incident"),
        delete_incident_warning: Text = (
            "삭제하면 타임라인, 5 Why, 액션 아이템이 함께 지워지며 되돌릴 수 없습니다.",
            "Deleting removes the incident with its timeline, 5-Why chains and action items. It cannot be undone.",
        ),

        f_title: Text = ("제목", "Title"),
        f_severity: Text = ("심각도", "Severity"),
        f_status: Text = ("상태", "Status"),
        f_status_reason: Text = ("사유 (되돌릴 때 필수)", "Reason (needed when moving back)"),
        f_service: Text = ("서비스", "Service"),
        f_services: Text = ("영향받은 서비스", "Affected services"),
        services_hint: Text = (
            "쉼표로 구분, 예: coupon-api, redis",
            "Comma-separated, e.g. coupon-api, redis",
        ),
        f_customer_impact: Text = ("고객 영향", "Customer impact"),
        f_business_impact: Text = ("비즈니스 영향", "Business impact"),
        f_failed_requests: Text = ("실패한 요청 수", "Failed requests"),
        f_customers_affected: Text = ("영향받은 고객 수", "Customers affected"),
        drill: Text = ("훈련", "Drill"),
        drill_hint: Text = (
            "의도적으로 만든 장애(장애 훈련, 게임 데이). MTTD/MTTR 집계에서 기본으로 빠집니다.",
            "Made on purpose (a drill, a game day). Left out of MTTx figures by default.",
        ),
        drills: Text = ("훈련", "Drills"),
        drills_included: Text = ("포함", "Included"),
        drills_excluded: Text = ("제외", "Left out"),
        drills_only: Text = ("훈련만", "Only drills"),
        f_summary: Text = ("요약", "Summary"),
        f_narrative: Text = ("상세 경위", "Narrative"),
        markdown_hint: Text = ("Markdown 사용 가능", "Markdown"),
        f_started_at: Text = ("발생", "Started"),
        timestamps: Text = ("주요 시각", "Timestamps"),
        times_in_zone: Text = ("현지 시각 기준:", "Local times in"),

        metrics: Text = ("지표", "Metrics"),
        target: Text = ("목표", "Target"),
        breached: Text = ("목표 초과", "over target"),
        ttd_definition: Text = (
            "감지 시간(TTD) = 감지 시각 − 영향 시작 시각",
            "Time to detect = detected − impact started",
        ),
        ttr_definition: Text = (
            "복구 시간(TTR) = 복구 시각 − 영향 시작 시각",
            "Time to recover = recovered − impact started",
        ),
        change_status: Text = ("상태 변경", "Change status"),
        status_history: Text = ("상태 이력", "Status history"),

        timeline: Text = ("타임라인", "Timeline"),
        no_events: Text = (
            "아직 이벤트가 없습니다. 영향 시작과 감지 시점부터 기록하세요.",
            "No events yet. Start with when impact began and when it was detected.",
        ),
        no_chains: Text = ("아직 5 Why 분석이 없습니다.", "No 5-Why analysis yet."),
        no_actions_here: Text = ("아직 액션 아이템이 없습니다.", "No action items yet."),
        add_event: Text = ("이벤트 추가", "Add event"),
        edit_event: Text = ("타임라인 이벤트 수정", "Edit timeline event"),
        f_at: Text = ("시각", "Time"),
        f_kind: Text = ("종류", "Kind"),
        kind_hint: Text = (
            "'감지'와 '복구'는 장애의 시각을 설정합니다",
            "\"Detected\" and \"Recovered\" set the incident's times",
        ),
        f_text: Text = ("내용", "What happened"),
        f_author: Text = ("작성자", "Author"),

        five_whys: Text = ("5 Why", "5 Whys"),
        add_chain: Text = ("5 Why 분석 추가", "Add 5-Why chain"),
        edit_chain: Text = ("5 Why 분석 수정", "Edit 5-Why chain"),
        why: Text = ("왜", "Why"),
        move_up: Text = ("위로", "Move up"),
        move_down: Text = ("아래로", "Move down"),
        remove_step: Text = ("이 단계 삭제", "Remove this step"),
        delete_event: Text = ("이 이벤트 삭제", "Delete this event"),
        delete_chain: Text = ("이 5 Why 분석 삭제", "Delete this 5-Why chain"),
        delete_action: Text = ("이 액션 아이템 삭제", "Delete this action item"),
        f_problem: Text = ("문제 정의", "Problem statement"),
        f_why: Text = ("왜?", "Why?"),
        f_because: Text = ("때문에", "Because"),
        f_root_cause: Text = ("근본 원인", "Root cause"),
        f_category: Text = ("원인 분류", "Category"),
        steps_hint: Text = ("필요 없는 행은 비워 두세요.", "Leave rows you don't need empty."),
        steps_edit_hint: Text = (
            "단계를 지우려면 양쪽을 모두 비우세요.",
            "Clear both sides of a step to remove it.",
        ),

        action_items: Text = ("액션 아이템", "Action items"),
        add_action: Text = ("액션 아이템 추가", "Add action item"),
        edit_action: Text = ("액션 아이템 수정", "Edit action item"),
        f_owner: Text = ("담당자", "Owner"),
        f_due: Text = ("기한", "Due"),
        f_horizon: Text = ("대응 구분", "Horizon"),
        f_step: Text = ("대상 단계", "Addresses"),
        overdue: Text = ("기한 초과", "overdue"),
        no_action_items: Text = ("해당하는 액션 아이템이 없습니다.", "No action items here."),

        nav_root_causes: Text = ("근본 원인", "Root causes"),
        search: Text = ("검색", "Search"),
        search_words: Text = ("검색어", "Words"),
        search_placeholder: Text = ("회고 검색…", "Search postmortems…"),
        search_from: Text = ("시작일", "From"),
        search_to: Text = ("종료일", "To"),
        /// Shown before anything was searched: what the box understands.
        search_hint: Text = (
            "제목, 요약, 타임라인, 5-Why, 근본 원인, 액션 아이템을 검색합니다. 질문하듯 써도 됩니다: 관련도순으로 보여 주며 모든 단어가 있는 회고가 먼저 나옵니다. 한국어와 영어 용어는 용어집으로 서로 찾아 줍니다. 구절은 \"따옴표\", 꼭 포함은 +단어, 제외는 -단어, 특정 항목은 title:단어.",
            "Search titles, summaries, timelines, 5-Why chains, root causes and action items. Ask as you would ask a colleague: results are ranked by relevance, postmortems with every word first, and the glossary finds Korean and English terms for each other. Use \"quotes\" for a phrase, +word to require, -word to exclude, title:word for one part.",
        ),
        search_lenient: Text = (
            "검색 문법으로 읽을 수 없는 부분이 있어 일반 단어로 검색했습니다.",
            "Part of the query could not be read as search syntax, so it was searched as plain words.",
        ),
        search_truncated: Text = (
            "검색어가 너무 길어 앞의 500자만 검색했습니다.",
            "The query was very long; only its first 500 characters were searched.",
        ),
        search_none: Text = ("일치하는 회고가 없습니다.", "No postmortems match."),
        search_glossary: Text = ("용어집으로 함께 찾은 말", "Also searched, from the glossary"),
        matched_in: Text = ("일치 항목", "Matched in"),
        similar_incidents: Text = ("비슷한 과거 장애", "Similar past incidents"),
        similar_none: Text = ("아직 비슷한 장애가 없습니다.", "No similar incidents yet."),
        similar_titles: Text = (
            "전에도 있었던 일일까요? 비슷한 과거 장애:",
            "Has this happened before? Past incidents like this one:",
        ),
        root_causes_empty: Text = (
            "아직 5-Why 분석이 없습니다. 회고에 근본 원인이 기록되면 여기에 모입니다.",
            "No 5-Why chains yet. Root causes appear here once postmortems have them.",
        ),

        fix_below: Text = ("아래 항목을 확인하세요", "Please correct the field below"),
        error_title: Text = ("문제가 발생했습니다", "Something went wrong"),
        internal_error: Text = (
            "서버가 요청을 처리하지 못했습니다. 자세한 내용은 서버 로그에 있습니다.",
            "The server could not do this. The details are in its log.",
        ),
        conflict_intro: Text = (
            "편집하는 동안 다른 사람이 먼저 저장했습니다. 내 변경은 저장되지 않았고 양식에 그대로 있습니다. 그 사이에 바뀐 내용을 확인한 뒤 다시 저장하세요.",
            "Someone else saved this while you were editing. Your changes were not saved and are still in the form. Check what changed meanwhile, then save again.",
        ),
        busy: fn(u64) -> String = (
            |s| format!("데이터베이스가 바쁩니다. 아무것도 저장되지 않았습니다. {s}초 뒤에 다시 시도하세요."),
            |s| format!("The database is busy. Nothing was saved. Try again in {s} seconds."),
        ),
        network_error: Text = ("서버에 연결할 수 없습니다", "The server could not be reached"),
        unauthorized: Text = (
            "로그인이 필요합니다. 다시 로그인하세요.",
            "You are signed out. Sign in again.",
        ),
        forbidden: Text = (
            "이 작업을 할 권한이 없습니다.",
            "Your role does not allow this.",
        ),
        too_many_attempts: fn(u64) -> String = (
            |s| format!("시도가 너무 많습니다. {}분 뒤에 다시 시도하세요.", s.div_ceil(60)),
            |s| format!("Too many attempts. Try again in {} minutes.", s.div_ceil(60)),
        ),
        not_found_title: Text = ("찾을 수 없음", "Not found"),
        not_found_text: Text = (
            "요청한 항목이 없습니다. 삭제되었을 수 있습니다.",
            "There is nothing here. It may have been deleted.",
        ),

        status: [&'static str; 6] = (
            ["감지", "분류", "대응 중", "복구", "회고", "종료"],
            [
                "Detected",
                "Triaged",
                "Mitigating",
                "Recovered",
                "In review",
                "Closed",
            ],
        ),
        severity: [&'static str; 4] = (
            ["P0 · 긴급", "P1 · 높음", "P2 · 보통", "P3 · 낮음"],
            ["P0 · Critical", "P1 · High", "P2 · Medium", "P3 · Low"],
        ),
        provenance: [&'static str; 3] = (
            ["알림", "수동", "부하 테스트"],
            ["from alert", "manual", "from load test"],
        ),
        event_kind: [&'static str; 8] = (
            [
                "알림 발생",
                "알림 해제",
                "감지",
                "조치",
                "공지",
                "완화",
                "복구",
                "메모",
            ],
            [
                "Alert fired",
                "Alert resolved",
                "Detected",
                "Action",
                "Communication",
                "Mitigation",
                "Recovered",
                "Note",
            ],
        ),
        category: [&'static str; 9] = (
            [
                "용량 계획",
                "모니터링 부재",
                "회복탄력성 패턴 미적용",
                "테스트 환경 불일치",
                "사람·프로세스",
                "설정",
                "코드 결함",
                "외부 의존성",
                "기타",
            ],
            [
                "Capacity planning",
                "Monitoring gap",
                "Missing resilience pattern",
                "Test environment mismatch",
                "Human process",
                "Configuration",
                "Code defect",
                "Dependency",
                "Other",
            ],
        ),
        action_status: [&'static str; 4] = (
            ["미착수", "진행 중", "완료", "하지 않음"],
            ["Open", "In progress", "Done", "Won't do"],
        ),
        horizon: [&'static str; 3] = (
            ["즉시", "단기", "중장기"],
            ["Immediate", "Short term", "Long term"],
        ),
        action_kind: [&'static str; 3] = (["기술", "프로세스", "사람"], ["Technical", "Process", "People"]),
        action_state: [&'static str; 3] = (["진행 중", "기한 초과", "전체"], ["Open", "Overdue", "All"]),
        /// Started, detected, acknowledged, recovered, resolved.
        moment: [&'static str; 5] = (
            [
                "영향 시작 시각",
                "감지 시각",
                "확인 시각",
                "복구 시각",
                "종결 시각",
            ],
            [
                "Impact started",
                "Detected",
                "Acknowledged",
                "Recovered",
                "Resolved",
            ],
        ),
        part: [&'static str; 8] = (
            [
                "제목",
                "근본 원인",
                "5-Why",
                "요약",
                "영향",
                "타임라인",
                "액션 아이템",
                "상세 경위",
            ],
            [
                "title",
                "root cause",
                "5 whys",
                "summary",
                "impact",
                "timeline",
                "action items",
                "narrative",
            ],
        ),

        incident_count: fn(i64) -> String = (
            |n| format!("장애 {}건", super::grouped(n)),
            |n| {
                if n == 1 {
                    "1 incident".into()
                } else {
                    format!("{} incidents", super::grouped(n))
                }
            },
        ),
        action_count: fn(i64) -> String = (
            |n| format!("액션 아이템 {}건", super::grouped(n)),
            |n| {
                if n == 1 {
                    "1 action item".into()
                } else {
                    format!("{} action items", super::grouped(n))
                }
            },
        ),
        search_count: fn(u64) -> String = (
            |n| format!("회고 {}건", super::grouped(n)),
            |n| {
                if n == 1 {
                    "1 postmortem".into()
                } else {
                    format!("{} postmortems", super::grouped(n))
                }
            },
        ),
        /// Above ranked results: how many hold every word (they come first), of how many.
        search_ranked: fn(u64, u64) -> String = (
            |exact, total| format!(
                "관련도순입니다. {}건 중 {}건에 모든 단어가 있습니다.",
                super::grouped(total),
                super::grouped(exact)
            ),
            |exact, total| format!(
                "Ranked by relevance: {} of {} match every word.",
                super::grouped(exact),
                super::grouped(total)
            ),
        ),
        /// "Show all N" under a root-cause group that lists fewer.
        root_causes_more: fn(u64) -> String = (
            |n| format!("검색에서 {}건 모두 보기", super::grouped(n)),
            |n| format!("Show all {} in search", super::grouped(n)),
        ),
        /// A validation problem as a sentence about the field it sits next to.
        problem: fn(&Catalogue, &Problem) -> String = (problems::ko, problems::en),
    }
}

impl Catalogue {
    pub fn status_label(&self, s: Status) -> &'static str {
        self.status[s as usize]
    }
    pub fn severity_label(&self, s: Severity) -> &'static str {
        self.severity[s as usize]
    }
    pub fn provenance_label(&self, p: Provenance) -> &'static str {
        self.provenance[p as usize]
    }
    pub fn event_kind_label(&self, k: EventKind) -> &'static str {
        self.event_kind[k as usize]
    }
    pub fn category_label(&self, c: RootCauseCategory) -> &'static str {
        self.category[c as usize]
    }
    pub fn action_status_label(&self, s: ActionStatus) -> &'static str {
        self.action_status[s as usize]
    }
    pub fn horizon_label(&self, h: Horizon) -> &'static str {
        self.horizon[h as usize]
    }
    pub fn action_kind_label(&self, k: ActionKind) -> &'static str {
        self.action_kind[k as usize]
    }
    pub fn action_state_label(&self, s: ActionState) -> &'static str {
        self.action_state[s as usize]
    }
    pub fn moment_label(&self, m: Moment) -> &'static str {
        self.moment[m as usize]
    }
    pub fn part_label(&self, p: SearchPart) -> &'static str {
        self.part[p as usize]
    }
    pub fn search_count(&self, n: u64) -> String {
        (self.search_count)(n)
    }
    pub fn search_ranked(&self, exact: u64, total: u64) -> String {
        (self.search_ranked)(exact, total)
    }
    pub fn root_causes_more(&self, n: u64) -> String {
        (self.root_causes_more)(n)
    }
    pub fn incident_count(&self, n: i64) -> String {
        (self.incident_count)(n)
    }
    pub fn action_count(&self, n: i64) -> String {
        (self.action_count)(n)
    }
    pub fn problem(&self, p: &Problem) -> String {
        (self.problem)(self, p)
    }

    /// The label of an API field name, for messages that point at a field.
    pub fn field_name(&self, field: &str) -> String {
        if let Some(rest) = field.strip_prefix("steps[") {
            let (n, side) = rest.split_once(']').unwrap_or((rest, ""));
            let n = n.parse::<usize>().map(|n| n + 1).unwrap_or(0);
            let side = match side {
                ".why" => self.f_why,
                ".because" => self.f_because,
                _ => "",
            };
            return format!("{} {n} {side}", self.why).trim_end().to_string();
        }
        let label = match field {
            "title" => self.f_title,
            "severity" => self.f_severity,
            "status" => self.f_status,
            "reason" | "status_reason" => self.f_status_reason,
            "services" => self.f_services,
            "customer_impact" => self.f_customer_impact,
            "business_impact" => self.f_business_impact,
            "failed_requests" => self.f_failed_requests,
            "customers_affected" => self.f_customers_affected,
            "drill" => self.drill,
            "summary" => self.f_summary,
            "narrative" => self.f_narrative,
            "started_at" => self.moment[0],
            "detected_at" => self.moment[1],
            "acknowledged_at" => self.moment[2],
            "recovered_at" => self.moment[3],
            "resolved_at" => self.moment[4],
            "at" => self.f_at,
            "kind" => self.f_kind,
            "text" => self.f_text,
            "author" => self.f_author,
            "problem" => self.f_problem,
            "steps" => self.five_whys,
            "root_cause" => self.f_root_cause,
            "category" => self.f_category,
            "owner" => self.f_owner,
            "due" => self.f_due,
            "horizon" => self.f_horizon,
            "five_why_step_id" => self.f_step,
            other => other,
        };
        label.to_string()
    }

    /// One write made meanwhile: who, when (as given), and each field before → after.
    pub fn change_text(&self, c: &crate::domain::Change, at: &str) -> String {
        let fields: Vec<String> = c
            .fields
            .iter()
            .map(|f| format!("{}: {} → {}", self.field_name(&f.field), f.before, f.after))
            .collect();
        format!("{} ({at}): {}.", c.actor, fields.join("; "))
    }

    /// Any error as a sentence for a person.
    pub fn error_text(&self, e: &AppError) -> String {
        match e {
            AppError::Invalid(i) => format!(
                "{}: {}",
                self.field_name(&i.field),
                self.problem(&i.problem)
            ),
            AppError::NotFound { .. } => self.not_found_text.to_string(),
            AppError::Internal => self.internal_error.to_string(),
            AppError::Unauthorized => self.unauthorized.to_string(),
            AppError::Forbidden => self.forbidden.to_string(),
            AppError::TooManyRequests { retry_after } => (self.too_many_attempts)(*retry_after),
            AppError::Busy { retry_after } => (self.busy)(*retry_after),
            AppError::Conflict { changes, .. } => {
                let lines: Vec<String> = changes
                    .iter()
                    .map(|c| self.change_text(c, &c.at.format("%Y-%m-%d %H:%M UTC").to_string()))
                    .collect();
                format!("{} {}", self.conflict_intro, lines.join(" "))
            }
            AppError::Transport(detail) => format!("{} ({detail})", self.network_error),
        }
    }
}
