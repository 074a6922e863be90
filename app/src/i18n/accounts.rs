//! Texts of signing in, one's account and tokens, and the admin pages.

use super::Text;

texts! {
    /// Accounts, tokens, people and the audit log.
    pub struct AccountTexts (KO_ACCOUNTS, EN_ACCOUNTS) {
        sign_in: Text = ("로그인", "Sign in"),
        sign_out: Text = ("로그아웃", "Sign out"),
        name: Text = ("이름", "Name"),
        password: Text = ("비밀번호", "Password"),
        sign_in_intro: Text = (
            "회고(hoego)는 팀의 장애 기록입니다. 계정은 관리자가 만듭니다.",
            "hoego holds your team's postmortems. An admin gives you an account.",
        ),
        wrong_password: Text = ("이름 또는 비밀번호가 틀렸습니다.", "The name or the password is wrong."),
        sign_in_failed: Text = (
            "로그인하지 못했습니다. 잠시 뒤에 다시 시도하세요.",
            "Signing in failed. Try again in a moment.",
        ),
        signed_out_changed: Text = (
            "비밀번호를 바꿨습니다. 새 비밀번호로 다시 로그인하세요.",
            "Your password was changed. Sign in with the new one.",
        ),
        account: Text = ("내 계정", "Account"),
        role: Text = ("역할", "Role"),
        change_password: Text = ("비밀번호 변경", "Change password"),
        current_password: Text = ("현재 비밀번호", "Current password"),
        new_password: Text = ("새 비밀번호", "New password"),
        password_hint: Text = (
            "8자 이상. 긴 문장도 좋습니다. 바꾸면 모든 기기에서 로그아웃됩니다.",
            "At least 8 characters; a long phrase is good. Changing it signs you out everywhere.",
        ),
        tokens: Text = ("API 토큰", "API tokens"),
        tokens_intro: Text = (
            "스크립트와 도구가 REST API를 쓸 때 `Authorization: Bearer <토큰>`으로 보냅니다. 토큰은 만든 사람의 역할을 넘지 못합니다.",
            "Scripts and tools send a token as `Authorization: Bearer <token>` to use the REST API. A token never does more than its owner's role allows.",
        ),
        no_tokens: Text = ("아직 토큰이 없습니다.", "No tokens yet."),
        token_name: Text = ("토큰 이름", "Token name"),
        scopes: Text = ("범위", "Scopes"),
        scope: [&'static str; 3] = (
            ["읽기", "쓰기", "수집 (알림, 부하 테스트)"],
            ["read", "write", "ingest (alerts, load tests)"],
        ),
        create_token: Text = ("토큰 만들기", "Create token"),
        token_created: Text = (
            "토큰이 만들어졌습니다. 지금 복사하세요. 다시 보여 주지 않습니다:",
            "Token created. Copy it now; it will not be shown again:",
        ),
        owner: Text = ("소유자", "Owner"),
        machine: Text = ("(기계)", "(machine)"),
        created: Text = ("만든 때", "Created"),
        last_used: Text = ("마지막 사용", "Last used"),
        never: Text = ("없음", "never"),
        revoke: Text = ("폐기", "Revoke"),
        revoked: Text = ("폐기됨", "revoked"),
        people: Text = ("사람", "People"),
        add_person: Text = ("사람 추가", "Add person"),
        password_created: fn(&str) -> String = (
            |name| format!("{name}의 비밀번호입니다. 지금 전달하세요. 다시 보여 주지 않습니다:"),
            |name| format!("Password for {name}. Hand it over now; it will not be shown again:"),
        ),
        set_role: Text = ("역할 변경", "Set role"),
        disable: Text = ("사용 중지", "Disable"),
        enable: Text = ("다시 사용", "Enable"),
        disabled: Text = ("사용 중지됨", "disabled"),
        reset_password: Text = ("비밀번호 재설정", "Reset password"),
        role_label: [&'static str; 4] = (
            ["조회자", "엔지니어", "매니저", "관리자"],
            ["viewer", "engineer", "manager", "admin"],
        ),
        audit: Text = ("감사 기록", "Audit log"),
        audit_intro: Text = (
            "모든 변경: 누가, 언제, 무엇을, 바뀌기 전과 후.",
            "Every change: who, when, what, and before and after.",
        ),
        no_audit: Text = ("기록이 없습니다.", "Nothing recorded."),
        actor: Text = ("누가", "Who"),
        when: Text = ("언제", "When"),
        what: Text = ("무엇을", "What"),
        before: Text = ("전", "Before"),
        after: Text = ("후", "After"),
        verb: [&'static str; 3] = (["생성", "변경", "삭제"], ["created", "changed", "deleted"]),
        recorded_by: Text = ("기록", "recorded by"),
    }
}

impl AccountTexts {
    pub fn scope_label(&self, s: crate::domain::Scope) -> &'static str {
        self.scope[s as usize]
    }
    pub fn role_name(&self, r: crate::domain::Role) -> &'static str {
        self.role_label[r as usize]
    }
    pub fn verb_label(&self, v: crate::domain::Verb) -> &'static str {
        self.verb[v as usize]
    }
}
