//! Server functions: thin adapters from forms to the [`Service`](crate::service::Service).
//!
//! Each mutation works two ways. Submitted by a hydrated `<ActionForm>`, it answers with data or
//! an error the form shows in place. Submitted by a plain HTML form (no JavaScript, or before the
//! WASM loaded), it answers with a redirect: to the next page on success, or back to the form
//! with a flash token on error, so the form comes back filled in with the message beside the
//! field (see [`flash`]).

pub mod accounts;
pub mod alerts;
pub mod children;
pub mod flash;
pub mod hooks;
pub mod incidents;
pub mod insights;
pub mod load_tests;
pub mod scenarios;
pub mod search;

#[cfg(feature = "ssr")]
mod flow;

pub use accounts::*;
pub use alerts::*;
pub use children::*;
pub use flash::{Flash, load_flash};
pub use hooks::*;
pub use incidents::*;
pub use insights::*;
pub use load_tests::*;
pub use scenarios::*;
pub use search::*;
