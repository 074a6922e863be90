//! The app's service traits, implemented for [`Backend`](crate::backend::Backend): one file per
//! feature, as the traits are declared in `app::service`.
//!
//! This layer validates input (the domain's rules), runs each write as one transaction over the
//! storage functions, and commits through `Backend::commit`, which keeps the search index in
//! step. Storage functions hold the SQL and nothing else.

mod action_items;
mod five_whys;
mod incidents;
mod search;
mod timeline;
