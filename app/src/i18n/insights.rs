//! Texts of the insights page.

use super::Text;

texts! {
    /// `/insights` and the lists behind its figures.
    pub struct InsightTexts (KO_INSIGHTS, EN_INSIGHTS) {
        insights: Text = ("인사이트", "Insights"),
        intro: Text = (
            "감지·확인·복구 시간을 목표와 견주고, 액션 아이템이 끝까지 지켜지는지, 같은 원인이 되풀이되는지 봅니다. 모든 수치는 그 뒤의 장애 목록으로 이어집니다.",
            "Detection, acknowledgement and recovery times against their targets, whether action items are followed through, and causes that come back. Every figure links to the incidents behind it.",
        ),
        period: Text = ("묶음 단위", "Group by"),
        period_label: [&'static str; 3] = (["주", "월", "분기"], ["week", "month", "quarter"]),
        drills: Text = ("훈련", "Drills"),
        drills_label: [&'static str; 3] = (
            ["제외", "포함", "훈련만"],
            ["left out", "included", "drills only"],
        ),
        apply: Text = ("보기", "Show"),
        any_severity: Text = ("전체 심각도", "Any severity"),
        service: Text = ("서비스", "Service"),
        download: Text = ("CSV 받기:", "Download CSV:"),
        csv_durations: Text = ("시간 지표", "durations"),
        csv_actions: Text = ("액션 아이템", "action items"),
        none: Text = (
            "이 기간에 해당하는 장애가 없습니다. 기간이나 필터를 바꿔 보세요.",
            "No incidents in this view. Try a longer range or fewer filters.",
        ),
        incidents: Text = ("장애", "Incidents"),
        in_view: Text = ("이 보기의 장애", "incidents in view"),
        measure_label: [&'static str; 3] = (
            ["감지 시간 (TTD)", "확인 시간 (TTA)", "복구 시간 (TTR)"],
            ["Time to detect (TTD)", "Time to acknowledge (TTA)", "Time to recover (TTR)"],
        ),
        measure_short: [&'static str; 3] = (["TTD", "TTA", "TTR"], ["TTD", "TTA", "TTR"]),
        definition: [&'static str; 3] = (
            [
                "감지 시각 − 영향 시작 시각.",
                "확인(담당자 응답) 시각 − 영향 시작 시각.",
                "복구 시각 − 영향 시작 시각. 목표는 심각도별.",
            ],
            [
                "detected − impact started.",
                "acknowledged − impact started.",
                "recovered − impact started. The target depends on severity.",
            ],
        ),
        method: Text = (
            "평균은 긴 장애 몇 건에 끌려가기 쉬우니 중앙값과 p90을 함께 봅니다. 백분위수는 가장 가까운 두 순위 사이를 선형 보간합니다(numpy 기본값, Excel PERCENTILE.INC). 시각이 빠진 장애는 그 지표에서 빠지고 '제외'로 셉니다.",
            "A few long incidents pull a mean up, so the median and p90 stand beside it. Percentiles interpolate linearly between the two nearest ranks (numpy's default, Excel's PERCENTILE.INC). An incident missing a timestamp is left out of that figure and counted as excluded.",
        ),
        mean: Text = ("평균", "mean"),
        median: Text = ("중앙값", "median"),
        p90: Text = ("p90", "p90"),
        included: Text = ("포함", "included"),
        excluded: Text = ("제외", "excluded"),
        within: Text = ("목표 이내", "within target"),
        breaches: Text = ("목표 초과", "over target"),
        no_target: Text = ("목표 없음", "no target"),
        reviews_due: Text = ("복구된 장애 중", "of recovered incidents"),
        target_is: Text = ("목표:", "Target:"),
        skewed: Text = (
            "평균이 중앙값의 두 배를 넘습니다: 긴 장애 몇 건이 평균을 끌어올립니다.",
            "The mean is over twice the median: a few long incidents pull it up.",
        ),
        trend: Text = ("추이", "Trend"),
        trend_hint: Text = (
            "기간별 중앙값과 p90. 점선은 목표입니다.",
            "Median and p90 per period; the dashed line is the target.",
        ),
        ttr_target_varies: Text = (
            "복구 목표는 심각도마다 다릅니다. 심각도를 하나 고르면 목표선이 그려집니다.",
            "Recovery targets differ by severity; pick one severity to see its target line.",
        ),
        per_period: Text = ("기간별 장애 수", "Incidents per period"),
        period_start: Text = ("시작일", "From"),
        by_severity: Text = ("심각도별", "By severity"),
        by_service: Text = ("서비스별", "By service"),
        by_category: Text = ("근본 원인 분류별", "By root-cause category"),
        group: Text = ("묶음", "Group"),
        follow_through: Text = ("액션 아이템 이행", "Follow-through on action items"),
        follow_hint: Text = (
            "마감일이 없으면 시간 범위로 판단합니다: 즉시 10분, 단기 1시간, 중장기 2주 (장애 감지 시각부터).",
            "Without a due date an item is judged by its horizon: immediate 10 minutes, short term 1 hour, long term 2 weeks, from the incident's detection.",
        ),
        owner: Text = ("담당자", "Owner"),
        no_owner: Text = ("(담당자 없음)", "(no owner)"),
        horizon: Text = ("시간 범위", "Horizon"),
        total: Text = ("전체", "total"),
        open: Text = ("진행 중", "open"),
        overdue: Text = ("기한 지남", "overdue"),
        done: Text = ("완료", "done"),
        on_time: Text = ("기한 내 완료", "on time"),
        late: Text = ("늦게 완료", "late"),
        not_judged: Text = ("판단 불가", "not judged"),
        wont_do: Text = ("하지 않음", "won't do"),
        days_to_done: Text = ("완료까지 (중앙값, 일)", "days to done (median)"),
        reviews: Text = ("회고 규율", "Postmortem discipline"),
        reviews_hint: Text = (
            "복구 후 24시간 안에 회고(검토 중)에 들어갔는지 봅니다.",
            "Whether the review began (in review) within 24 hours of recovery.",
        ),
        reviews_in_time: Text = ("24시간 안에 회고 시작", "reviewed within 24 h"),
        reviews_late: Text = ("늦게 시작", "reviewed later"),
        reviews_overdue: Text = ("지금 회고가 밀린 장애", "Reviews overdue now"),
        reviews_none_overdue: Text = ("밀린 회고가 없습니다.", "No review is overdue."),
        recurrences: Text = ("되풀이되는 원인", "Recurring causes"),
        recurrences_hint: Text = (
            "같은 서비스에서 같은 근본 원인 분류의 장애가 다시 일어난 경우입니다.",
            "A later incident with the same root-cause category on the same service as an earlier one.",
        ),
        recurrences_none: Text = ("되풀이된 원인이 없습니다.", "No cause came back."),
        earlier: Text = ("이전", "Earlier"),
        later: Text = ("이후", "Later"),
        fix_did_not_hold: Text = (
            "이전 장애의 액션 아이템이 모두 끝났는데도 다시 일어났습니다",
            "a fix that did not hold: every action item of the earlier one was done",
        ),
        alert_noise: Text = ("알림 소음", "Alert noise"),
        alert_noise_hint: Text = (
            "규칙(알림 이름)별로 이 기간에 받은 알림과, 장애를 열거나 장애에 들어가지 않은 알림 수입니다.",
            "Alerts received in this view per rule (alert name), and those that opened or joined no incident.",
        ),
        alert_noise_none: Text = ("이 기간에 받은 알림이 없습니다.", "No alerts arrived in this view."),
        alerts: Text = ("알림", "alerts"),
        linked: Text = ("장애에 연결", "linked"),
        unlinked: Text = ("연결 안 됨", "not linked"),
        behind: Text = ("해당 장애", "Incidents behind a figure"),
        behind_none: Text = ("해당하는 장애가 없습니다.", "No incidents here."),
        back: Text = ("인사이트로", "Back to insights"),
        subset_label: [&'static str; 5] = (
            ["전체", "포함", "제외 (시각 없음)", "목표 이내", "목표 초과"],
            ["all", "included", "excluded (missing time)", "within target", "over target"],
        ),
    }
}

impl InsightTexts {
    pub fn period_name(&self, p: crate::domain::Period) -> &'static str {
        self.period_label[p as usize]
    }
    pub fn drills_name(&self, d: crate::domain::Drills) -> &'static str {
        self.drills_label[d as usize]
    }
    pub fn measure_name(&self, m: crate::domain::Measure) -> &'static str {
        self.measure_label[m as usize]
    }
    pub fn measure_abbr(&self, m: crate::domain::Measure) -> &'static str {
        self.measure_short[m as usize]
    }
    pub fn definition_of(&self, m: crate::domain::Measure) -> &'static str {
        self.definition[m as usize]
    }
    pub fn subset_name(&self, s: crate::domain::Subset) -> &'static str {
        self.subset_label[s as usize]
    }
}
