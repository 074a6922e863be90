//! Typed row ids, so that an event id cannot be passed where an incident id is expected.
//!
//! On the wire (JSON, forms, URLs) an id is a plain integer; in code each kind of record has
//! its own type. Storage binds and reads them as `i64` ([`get`](IncidentId::get) and `From<i64>`),
//! the only place an id is made from a number apart from parsing a URL.

/// Declares an id type: a `Copy` newtype over `i64`, serialized as the bare number. Kinds of
/// record declared elsewhere in the domain use it for their own ids.
macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident;)+) => {$(
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            /// The number stored in the database.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(n: i64) -> Self {
                Self(n)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }

        /// In a page, as the number (hidden form inputs carry ids).
        impl leptos::prelude::IntoAttributeValue for $name {
            type Output = i64;
            fn into_attribute_value(self) -> i64 {
                self.0
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                <i64 as utoipa::PartialSchema>::schema()
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::ToSchema for $name {}
    )+};
}

id_type! {
    /// An incident.
    IncidentId;
    /// A timeline event of an incident.
    EventId;
    /// A 5-Why chain of an incident.
    ChainId;
    /// A step of a 5-Why chain; action items may point at one.
    StepId;
    /// An action item of an incident.
    ActionId;
    /// A person who signs in.
    PersonId;
    /// An API token.
    TokenId;
    /// An alert event (one per fingerprint and start).
    AlertId;
    /// An outgoing webhook.
    HookId;
    /// A load-test run.
    LoadTestId;
    /// A failure scenario.
    ScenarioId;
}
