//! Texts of the load-test pages.

use super::Text;

texts! {
    /// Load-test runs.
    pub struct LoadTestTexts (KO_LOAD_TESTS, EN_LOAD_TESTS) {
        load_tests: Text = ("부하 테스트", "Load tests"),
        intro: Text = (
            "k6 요약과 coupon loadtest 결과를 장애의 증거로 보관합니다. 장애를 예측하거나, 재현하거나, 수정을 검증한 실행을 장애에 연결하세요.",
            "k6 summaries and coupon loadtest runs, kept as evidence. Link a run to the incidents it predicted, reproduced or verified as fixed.",
        ),
        none: Text = (
            "아직 실행 기록이 없습니다. 아래에서 k6 요약을 올리거나 API로 보내세요.",
            "No runs yet. Upload a k6 summary below, or post one to the API.",
        ),
        none_match: Text = ("조건에 맞는 실행이 없습니다.", "No runs match these filters."),
        upload: Text = ("결과 올리기", "Upload a run"),
        file: Text = ("요약 파일 (JSON)", "Summary file (JSON)"),
        file_hint: Text = (
            "k6 handleSummary JSON, k6 --summary-export, coupon loadtest --summary-export",
            "k6 handleSummary JSON, k6 --summary-export, or coupon loadtest --summary-export",
        ),
        name: Text = ("이름", "Name"),
        scenario: Text = ("시나리오", "Scenario"),
        services: Text = ("서비스", "Services"),
        environment: Text = ("환경", "Environment"),
        version: Text = ("버전", "Version"),
        notes: Text = ("메모", "Notes"),
        verdict: Text = ("결과", "Verdict"),
        passed: Text = ("통과", "passed"),
        failed: Text = ("실패", "failed"),
        unknown: Text = ("판정 없음", "no verdict"),
        any: Text = ("전체", "Any"),
        when: Text = ("실행", "Ran"),
        figures: Text = ("수치", "Figures"),
        thresholds: Text = ("임계값", "Thresholds"),
        checks: Text = ("체크", "Checks"),
        latency: Text = ("응답 시간", "Latency"),
        over_time: Text = ("초당 추이", "Second by second"),
        raw: Text = ("원본 JSON", "Raw JSON"),
        compare: Text = ("비교", "Compare"),
        baseline: Text = ("기준", "Baseline"),
        candidate: Text = ("비교 대상", "Candidate"),
        compare_hint: Text = (
            "기준과 비교 대상을 고르고 비교를 누르세요.",
            "Pick a baseline and a candidate, then Compare.",
        ),
        delta: Text = ("변화", "Change"),
        regression: Text = ("퇴보", "regression"),
        no_regression: Text = ("퇴보 없음", "No regression"),
        newly_failing: Text = ("새로 실패한 임계값", "Thresholds newly failing"),
        incidents: Text = ("연결된 장애", "Incidents"),
        link_to: Text = ("장애 번호", "Incident number"),
        relation: Text = ("관계", "Relation"),
        relation_label: [&'static str; 3] = (
            ["예측", "재현", "수정 검증"],
            ["predicted by", "reproduced by", "verified fix"],
        ),
        link: Text = ("연결", "Link"),
        unlink: Text = ("연결 해제", "Unlink"),
        capacity: Text = ("검증된 처리 용량", "Validated capacity"),
        capacity_hint: Text = (
            "서비스별·시나리오별로 가장 최근에 통과한 부하 테스트입니다.",
            "Each service's latest passing load test, per scenario.",
        ),
        figure_label: [&'static str; 15] = (
            ["최대 VU", "실행 시간 (초)", "요청 수", "초당 요청", "p50 (ms)", "p90 (ms)", "p95 (ms)", "p99 (ms)", "최대 (ms)", "오류율", "체크 통과", "체크 실패", "캐시 히트율", "발급된 쿠폰", "재고"],
            ["VUs (max)", "duration (s)", "requests", "requests/s", "p50 (ms)", "p90 (ms)", "p95 (ms)", "p99 (ms)", "max (ms)", "error rate", "checks passed", "checks failed", "cache hit rate", "coupons issued", "stock"],
        ),
    }
}

impl LoadTestTexts {
    pub fn relation_name(&self, r: crate::domain::RunRelation) -> &'static str {
        self.relation_label[r as usize]
    }

    /// The label of a [`crate::domain::Figures`] field.
    pub fn figure(&self, field: &str) -> &'static str {
        const FIELDS: [&str; 15] = [
            "vus_max",
            "duration_seconds",
            "requests",
            "rps",
            "p50_ms",
            "p90_ms",
            "p95_ms",
            "p99_ms",
            "max_ms",
            "error_rate",
            "checks_passed",
            "checks_failed",
            "cache_hit_rate",
            "coupons_issued",
            "stock",
        ];
        FIELDS
            .iter()
            .position(|f| *f == field)
            .map(|i| self.figure_label[i])
            .unwrap_or("")
    }
}
