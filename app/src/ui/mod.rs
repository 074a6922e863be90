//! Per-request display context (language, time zone) and small shared view pieces.

pub mod badges;
pub mod chart;
pub mod form;
pub mod lang;
pub mod me;
#[cfg(feature = "hydrate")]
pub mod place;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use leptos::prelude::*;

use crate::i18n::Catalogue;
pub use lang::Lang;
pub use me::{Me, use_me};

/// What every component needs to render text and times.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ui {
    pub lang: Lang,
    pub tz: Tz,
}

impl Ui {
    pub fn t(&self) -> &'static Catalogue {
        crate::i18n::catalogue(self.lang)
    }

    /// The alert pages' texts.
    pub fn alerts(&self) -> &'static crate::i18n::AlertTexts {
        crate::i18n::AlertTexts::of(self.lang)
    }

    /// The insights page's texts.
    pub fn insights(&self) -> &'static crate::i18n::InsightTexts {
        crate::i18n::InsightTexts::of(self.lang)
    }

    /// The load-test pages' texts.
    pub fn load_tests(&self) -> &'static crate::i18n::LoadTestTexts {
        crate::i18n::LoadTestTexts::of(self.lang)
    }

    /// The scenario pages' texts.
    pub fn scenarios(&self) -> &'static crate::i18n::ScenarioTexts {
        crate::i18n::ScenarioTexts::of(self.lang)
    }

    /// The webhooks page's texts.
    pub fn hooks(&self) -> &'static crate::i18n::HookTexts {
        crate::i18n::HookTexts::of(self.lang)
    }

    /// The accounts pages' texts.
    pub fn accounts(&self) -> &'static crate::i18n::AccountTexts {
        crate::i18n::AccountTexts::of(self.lang)
    }

    pub fn time(&self, at: DateTime<Utc>) -> String {
        crate::time::format(at, self.tz)
    }

    pub fn opt_time(&self, at: Option<DateTime<Utc>>) -> String {
        at.map(|a| self.time(a)).unwrap_or_else(|| "—".into())
    }
}

/// The display context, provided once at the app root.
pub fn use_ui() -> Ui {
    use_context::<Ui>().unwrap_or(Ui {
        lang: Lang::En,
        tz: chrono_tz::Asia::Seoul,
    })
}

/// Works out language and zone from the request and settings. (Pages render only on the server;
/// an island that needs the language gets it as a prop.)
pub fn resolve_ui() -> Ui {
    #[cfg(feature = "ssr")]
    {
        let lang = use_context::<http::request::Parts>()
            .map(|p| lang::from_headers(&p.headers))
            .unwrap_or(Lang::En);
        let tz = crate::service::settings()
            .map(|s| s.tz)
            .unwrap_or(chrono_tz::Asia::Seoul);
        Ui { lang, tz }
    }
    #[cfg(not(feature = "ssr"))]
    Ui {
        lang: Lang::En,
        tz: chrono_tz::Asia::Seoul,
    }
}

/// A page title as it goes into `<title>`. leptos_meta writes the title's text into the
/// server-rendered page unescaped, so an incident titled `</title><img …>` would end the
/// element and inject markup; on the server the text is escaped here. In the browser the title
/// is set through the DOM, as text, and must stay as it is.
pub fn title_text(text: &str) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        text.to_owned()
    }
}
