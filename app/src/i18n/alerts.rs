//! Texts of the alert pages and the incident page's alerts.

use super::Text;

texts! {
    /// Alert events.
    pub struct AlertTexts (KO_ALERTS, EN_ALERTS) {
        alerts: Text = ("알림", "Alerts"),
        intro: Text = (
            "Alertmanager와 Grafana에서 받은 알림입니다. 우선순위가 높은 알림은 장애를 엽니다.",
            "Alerts received from Alertmanager and Grafana. High-priority alerts open incidents.",
        ),
        none: Text = (
            "받은 알림이 없습니다. README의 Alertmanager 설정으로 연결하세요.",
            "No alerts yet. Connect Alertmanager with the receiver in the README.",
        ),
        none_match: Text = ("조건에 맞는 알림이 없습니다.", "No alerts match these filters."),
        status: [&'static str; 2] = (["발생 중", "해소됨"], ["firing", "resolved"]),
        alertname: Text = ("알림 이름", "Alert name"),
        service: Text = ("서비스", "Service"),
        priority: Text = ("우선순위", "Priority"),
        linked: Text = ("장애 연결", "Incident"),
        linked_any: Text = ("전체", "Any"),
        linked_yes: Text = ("연결됨", "Linked"),
        linked_no: Text = ("연결 안 됨", "Not linked"),
        fired: Text = ("발생", "Fired"),
        resolved: Text = ("해소", "Resolved"),
        received: Text = ("수신", "Received"),
        labels: Text = ("레이블", "Labels"),
        annotations: Text = ("주석", "Annotations"),
        source: Text = ("출처", "Source"),
        generator: Text = ("알림 규칙 보기", "Open the rule's source"),
        truncated: fn(u64) -> String = (
            |n| format!("이 알림이 온 알림 묶음에서 {n}건이 빠졌습니다 (truncatedAlerts).", ),
            |n| format!("{n} alerts were left out of the notification this came in (truncatedAlerts)."),
        ),
        group: Text = ("알림 묶음", "Notification group"),
        receiver: Text = ("수신자", "Receiver"),
        fingerprint: Text = ("지문", "Fingerprint"),
        link_to: Text = ("장애 번호로 연결", "Link to incident number"),
        link: Text = ("연결", "Link"),
        unlink: Text = ("연결 해제", "Unlink"),
        linked_by_rule: Text = ("규칙으로 연결", "linked by the rules"),
        linked_by_hand: Text = ("직접 연결", "linked by hand"),
        section: Text = ("알림", "Alerts"),
        section_none: Text = ("연결된 알림이 없습니다.", "No alerts linked."),
        first_fired: Text = ("처음 발생", "First fired"),
        last_resolved: Text = ("마지막 해소", "Last resolved"),
        still_firing: Text = ("아직 발생 중", "still firing"),
        recover_offer: fn(&str) -> String = (
            |at| format!("연결된 알림이 모두 해소되었습니다 (마지막 {at})."),
            |at| format!("Every linked alert has resolved (last at {at})."),
        ),
        recover_button: Text = ("복구 시각으로 설정", "Set as recovered"),
    }
}

impl AlertTexts {
    pub fn status_label(&self, s: crate::domain::AlertStatus) -> &'static str {
        self.status[s as usize]
    }
}
