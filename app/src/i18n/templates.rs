//! Postmortem templates: the sections of the Google SRE book's, PagerDuty's and Atlassian's
//! postmortems that hoego has no field of its own for (summary, impact, timeline, 5-Why chains
//! and action items have theirs), as a narrative to start from.

use super::Text;

texts! {
    /// The narratives a new postmortem can start from.
    pub struct Templates (KO_TEMPLATES, EN_TEMPLATES) {
        start_from: Text = ("템플릿으로 시작:", "Start from a template:"),
        names: [&'static str; 3] = (
            ["SRE 책", "PagerDuty", "Atlassian"],
            ["SRE book", "PagerDuty", "Atlassian"],
        ),
        sre: Text = (
            "## 발생 계기 (Trigger)\n\n\n## 해결 (Resolution)\n\n\n## 감지 (Detection)\n\n\n## 배운 점 (Lessons learned)\n\n### 잘된 점\n\n\n### 잘못된 점\n\n\n### 운이 좋았던 점\n\n\n## 참고 자료\n",
            "## Trigger\n\n\n## Resolution\n\n\n## Detection\n\n\n## Lessons learned\n\n### What went well\n\n\n### What went wrong\n\n\n### Where we got lucky\n\n\n## Supporting information\n",
        ),
        pagerduty: Text = (
            "## 무슨 일이 있었나\n\n\n## 기여 요인\n\n\n## 해결\n\n\n## 대응자\n\n\n## 우리는 어떻게 했나\n\n### 잘된 점\n\n\n### 잘되지 않은 점\n\n\n## 외부 공지\n",
            "## What happened\n\n\n## Contributing factors\n\n\n## Resolution\n\n\n## Responders\n\n\n## How'd we do?\n\n### What went well\n\n\n### What didn't go so well\n\n\n## External message\n",
        ),
        atlassian: Text = (
            "## 발단 (Leadup)\n\n\n## 결함 (Fault)\n\n\n## 감지 (Detection)\n\n\n## 대응 (Response)\n\n\n## 복구 (Recovery)\n\n\n## 비난 없는 근본 원인\n\n\n## 관련 장애\n\n\n## 배운 점\n",
            "## Leadup\n\n\n## Fault\n\n\n## Detection\n\n\n## Response\n\n\n## Recovery\n\n\n## Blameless root cause\n\n\n## Related incidents\n\n\n## Lessons learned\n",
        ),
    }
}

str_enum! {
    /// A postmortem template, as `?template=` names it.
    Template {
        Sre => "sre",
        PagerDuty => "pagerduty",
        Atlassian => "atlassian",
    }
}

impl Templates {
    pub fn name(&self, t: Template) -> &'static str {
        self.names[t as usize]
    }

    /// The narrative `t` starts a postmortem with.
    pub fn narrative(&self, t: Template) -> &'static str {
        match t {
            Template::Sre => self.sre,
            Template::PagerDuty => self.pagerduty,
            Template::Atlassian => self.atlassian,
        }
    }
}
