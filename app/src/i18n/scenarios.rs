//! Texts of the failure-scenario pages, the import page and an incident's plan checklist.

use super::Text;

texts! {
    /// Failure scenarios.
    pub struct ScenarioTexts (KO_SCENARIOS, EN_SCENARIOS) {
        scenarios: Text = ("장애 시나리오", "Failure scenarios"),
        intro: Text = (
            "부하 테스트에서 예상한 장애와 그 대응 계획입니다. 감지 지표와 알림 수준, 단계별 대응, 예상 5-Why를 담고, 실제 장애가 계획을 얼마나 따랐는지 보여 줍니다.",
            "Failures foreseen from load tests and the plan for each: how it is detected, the staged response, the predicted 5-Why chain; and how real incidents followed the plan.",
        ),
        none: Text = (
            "아직 시나리오가 없습니다. 사전 분석 보고서를 가져오거나 새로 작성하세요.",
            "No scenarios yet. Import a pre-mortem report, or write one.",
        ),
        none_match: Text = ("조건에 맞는 시나리오가 없습니다.", "No scenarios match these filters."),
        new_scenario: Text = ("새 시나리오", "New scenario"),
        create: Text = ("시나리오 만들기", "Create scenario"),
        edit_scenario: Text = ("시나리오 편집", "Edit scenario"),
        import: Text = ("문서 가져오기", "Import a document"),
        export_md: Text = ("Markdown으로 내보내기", "Export as Markdown"),
        matching_scenarios: Text = ("이 검색에 맞는 장애 시나리오", "Failure scenarios that match"),
        kind_scenario: Text = ("시나리오", "Scenario"),
        kind_incident: Text = ("장애", "Incident"),
        title: Text = ("제목", "Title"),
        severity: Text = ("예상 심각도", "Expected severity"),
        no_severity: Text = ("정하지 않음", "Not set"),
        trigger: Text = ("발생 조건", "Trigger"),
        trigger_hint: Text = ("예: 트래픽이 부하 테스트 대비 3배 이상 급증 시", "e.g. traffic 3× the load-tested level"),
        symptoms: Text = ("예상 증상", "Expected symptoms"),
        one_per_line: Text = ("한 줄에 하나씩", "One per line"),
        services: Text = ("서비스", "Services"),
        impact: Text = ("비즈니스 영향", "Business impact"),
        detection: Text = ("감지", "Detection"),
        metrics: Text = ("감지 지표", "Detection metrics"),
        metrics_hint: Text = (
            "한 줄에 하나: 지표 | Warning | Critical | 대응 시간 (예: API 응답 시간 | p99 > 500ms | p99 > 1s | 5m/2m)",
            "One per line: metric | warning | critical | respond in (e.g. API latency | p99 > 500ms | p99 > 1s | 5m/2m)",
        ),
        metric: Text = ("지표", "Metric"),
        respond_in: Text = ("대응 시간", "Respond in"),
        alert_levels: Text = ("알림 수준", "Alert levels"),
        alert_levels_hint: Text = ("한 줄에 하나: P1 | 조건", "One per line: P1 | condition"),
        alerts: Text = ("감지하는 알림", "Detected by alerts"),
        alerts_hint: Text = (
            "alertname 또는 scenario 레이블 값, 쉼표로 구분. 이 알림이 장애를 열거나 합류하면 장애에 이 시나리오가 연결됩니다.",
            "alertname or `scenario` label values, comma-separated. An alert with one links its incident to this scenario.",
        ),
        channels: Text = ("알림 채널", "Alert channels"),
        detection_notes: Text = ("기타 감지 방법", "Other signals"),
        stages: Text = ("단계별 대응", "Staged response"),
        stages_hint: Text = (
            "단계 줄은 기한과 이름(예: 5m 즉시 대응), 그 아래 '-'로 시작하는 단계: - 할 일 | 설명 | change: maxActive: 50 → 100 | owner: 온콜",
            "A stage line is its deadline and name (e.g. 5m Immediate); steps under it start with '-': - what to do | detail | change: maxActive: 50 → 100 | owner: on-call",
        ),
        within: Text = ("기한", "Within"),
        owner: Text = ("담당", "Owner"),
        chain: Text = ("예상 5-Why", "Predicted 5-Why chain"),
        whys_hint: Text = ("한 줄에 하나: 왜 | 때문에", "One per line: why | because"),
        root_cause: Text = ("근본 원인", "Root cause"),
        category: Text = ("분류", "Category"),
        notes: Text = ("메모", "Notes"),
        load_tests: Text = ("근거가 된 부하 테스트", "Derived from load tests"),
        load_tests_hint: Text = ("실행 번호, 쉼표로 구분", "Run numbers, comma-separated"),
        incidents: Text = ("이 시나리오를 따른 장애", "Incidents that followed it"),
        delete_warning: Text = (
            "시나리오를 지우면 장애와의 연결과 체크 기록도 사라집니다. 타임라인 이벤트는 남습니다.",
            "Deleting the scenario removes its links and ticks on incidents; their timeline events stay.",
        ),
        delete: Text = ("시나리오 삭제", "Delete scenario"),
        steps_count: Text = ("단계", "steps"),
        whys_count: Text = ("Why", "whys"),
        // Import.
        import_intro: Text = (
            "Markdown 문서를 올리세요. 사전 분석 보고서(시드 보고서와 같은 형식)는 시나리오가, 포스트모템(SRE, PagerDuty, Atlassian 형식이나 자유 형식)은 타임라인·5-Why·액션 아이템을 갖춘 장애가 됩니다. 미리 보기로 무엇이 만들어질지 먼저 확인할 수 있습니다.",
            "Upload a Markdown document. A pre-mortem report (shaped like the seed report) becomes scenarios; a postmortem (the SRE book's, PagerDuty's, Atlassian's or free-form) becomes an incident with its timeline, 5-Why chains and action items. Preview first to see what would be created.",
        ),
        file: Text = ("파일 (.md)", "File (.md)"),
        apply_matrix: Text = ("알림 매트릭스를 일치하는 지표에 적용", "Apply the alert matrix to matching metrics"),
        preview: Text = ("미리 보기", "Preview"),
        import_now: Text = ("가져오기", "Import"),
        would_create: Text = ("가져오면 만들어질 시나리오", "Would create these scenarios"),
        created: Text = ("만들어진 시나리오", "Created"),
        imported_before: Text = ("이미 가져온 문서입니다. 새로 만든 것은 없습니다:", "Imported before; nothing new was created:"),
        matrix: Text = ("알림 매트릭스", "Alert matrix"),
        matrix_applied: Text = ("일치하는 지표에 적용됨", "applied to matching metrics"),
        matrix_not_applied: Text = ("보고만 함 (적용하려면 체크)", "reported only (tick the box to apply)"),
        targets: Text = ("MTTD/MTTR 목표", "MTTD/MTTR targets"),
        targets_note: Text = (
            "보고만 했습니다. 저장하려면 '목표 적용'을 체크하세요 (관리자).",
            "Reported only; tick \"Apply the targets\" to save them as hoego's (managers).",
        ),
        targets_applied: Text = (
            "hoego의 목표로 저장했습니다. 다음 시작부터 적용됩니다.",
            "Saved as hoego's targets; they apply from the next start.",
        ),
        apply_targets: Text = ("MTTD/MTTR 목표 적용 (관리자)", "Apply the MTTD/MTTR targets (managers)"),
        kept: Text = ("문서에만 남은 절", "Sections kept in the document only"),
        would_create_incident: Text = ("가져오면 만들어질 장애", "Would create this incident"),
        created_incident: Text = ("만들어진 장애", "Created this incident"),
        imported_before_incident: Text = ("이미 가져온 문서입니다. 새로 만든 것은 없습니다:", "Imported before; nothing new was created:"),
        events_count: Text = ("개 타임라인 이벤트", "timeline events"),
        chains_count: Text = ("개 5-Why", "5-Why chains"),
        actions_count: Text = ("개 액션 아이템", "action items"),
        placements: Text = ("각 절이 들어간 곳", "Where each section went"),
        section: Text = ("절", "Section"),
        went_to: Text = ("들어간 곳", "Went to"),
        assumed: Text = ("가정하거나 옮긴 것", "Assumed or moved"),
        part_label: [&'static str; 9] = (
            ["제목", "요약", "고객 영향", "비즈니스 영향", "타임라인", "5-Why", "근본 원인", "액션 아이템", "서술 (그대로 보관)"],
            ["title", "summary", "customer impact", "business impact", "timeline", "5-Why chains", "root cause", "action items", "narrative (kept as written)"],
        ),
        // An incident's scenarios.
        plan: Text = ("대응 계획", "Response plan"),
        plan_hint: Text = (
            "연결된 시나리오의 단계별 대응입니다. 기한은 감지 시각부터 셉니다. 단계를 체크하면 타임라인에 기록됩니다.",
            "The staged response of each linked scenario. Deadlines count from detection; ticking a step records it on the timeline.",
        ),
        no_plan: Text = ("연결된 시나리오가 없습니다.", "No scenario linked."),
        link_scenario: Text = ("시나리오 연결", "Link a scenario"),
        link: Text = ("연결", "Link"),
        unlink: Text = ("연결 해제", "Unlink"),
        by_alert: Text = ("알림으로 연결됨", "linked by an alert"),
        due: Text = ("기한", "due"),
        done_at: Text = ("완료", "done"),
        late: Text = ("늦음", "late"),
        tick: Text = ("완료", "Done"),
        untick: Text = ("취소", "Undo"),
        adherence_title: Text = ("대응 계획 준수", "Response plan adherence"),
        adherence_hint: Text = (
            "기간 안의 장애가 연결된 시나리오의 단계별 대응을 기한 안에 마쳤는지입니다. 비율은 판정된 장애(기한 내 완료 또는 기한 초과) 중 기한 내 완료의 몫입니다.",
            "Whether incidents in view finished each stage of their scenarios' plans by its deadline. The share is of incidents judged (done in time or missed).",
        ),
        share_in_time: Text = ("기한 내 비율", "Share in time"),
        adherence_none: Text = ("기간 안에 시나리오를 따른 장애가 없습니다.", "No incident in view followed a scenario."),
        adherence_label: [&'static str; 4] = (
            ["기한 내 완료", "기한 초과", "진행 중", "감지 시각 없음"],
            ["done in time", "missed", "open", "no detection time"],
        ),
    }
}

impl ScenarioTexts {
    pub fn part(&self, p: crate::domain::Part) -> &'static str {
        self.part_label[p as usize]
    }

    pub fn adherence(&self, a: crate::domain::Adherence) -> &'static str {
        self.adherence_label[a as usize]
    }
}
