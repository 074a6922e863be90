//! Texts of the outgoing webhooks page.

use super::Text;

texts! {
    /// Outgoing webhooks.
    pub struct HookTexts (KO_HOOKS, EN_HOOKS) {
        hooks: Text = ("웹훅", "Webhooks"),
        intro: Text = (
            "장애가 열리고 바뀔 때, 15분 브리핑 때, 목표를 넘겼을 때 알립니다. 변경과 같은 트랜잭션에서 발신함에 쌓이고, 실패하면 다시 보냅니다.",
            "Tell chat rooms and pagers when incidents open and change, when a 15-minute briefing is due, when a target is passed. Notifications are queued with the change and retried until they are delivered.",
        ),
        none: Text = ("설정된 웹훅이 없습니다.", "No webhooks yet."),
        add: Text = ("웹훅 추가", "Add webhook"),
        name: Text = ("이름", "Name"),
        url: Text = ("주소", "URL"),
        format: Text = ("형식", "Format"),
        format_label: [&'static str; 3] = (
            ["Slack 호환 ({\"text\"})", "JSON", "PagerDuty Events v2"],
            ["Slack-compatible ({\"text\"})", "JSON", "PagerDuty Events v2"],
        ),
        routing_key: Text = ("PagerDuty 라우팅 키", "PagerDuty routing key"),
        events: Text = ("알릴 일", "Events"),
        event_label: [&'static str; 7] = (
            ["장애 열림", "심각도 변경", "상태 변경", "15분 브리핑", "TTR 목표 초과", "액션 아이템 기한 초과", "회고 기한 초과"],
            ["incident opened", "severity changed", "status changed", "15-minute briefing due", "TTR target passed", "action item overdue", "review overdue"],
        ),
        enable: Text = ("켜기", "Enable"),
        disable: Text = ("끄기", "Disable"),
        delete: Text = ("삭제", "Delete"),
        off: Text = ("꺼짐", "off"),
        deliveries: Text = ("최근 발송", "Recent deliveries"),
        no_deliveries: Text = ("아직 발송이 없습니다.", "Nothing delivered yet."),
        pending: Text = ("대기", "waiting"),
        failed: Text = ("포기", "given up"),
        attempt: Text = ("시도", "attempt"),
        answer: Text = ("응답", "answer"),
    }
}

impl HookTexts {
    pub fn event(&self, e: crate::domain::HookEvent) -> &'static str {
        self.event_label[e as usize]
    }
    pub fn format_name(&self, f: crate::domain::HookFormat) -> &'static str {
        self.format_label[f as usize]
    }
}
