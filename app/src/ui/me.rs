//! Who is signed in, as the pages show it: the header's name and menu, and which links appear.
//! The server reads it from the request.

use leptos::prelude::*;

use crate::domain::Role;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Me {
    pub name: String,
    /// `None` for a machine's token (which has no pages).
    pub role: Option<Role>,
}

impl Me {
    pub fn is_admin(&self) -> bool {
        self.role == Some(Role::Admin)
    }
}

/// Resolved once at the app root.
pub fn resolve_me() -> Option<Me> {
    #[cfg(feature = "ssr")]
    {
        crate::service::actor().ok().map(|a| Me {
            name: a.name,
            role: a.role,
        })
    }
    // Pages render only on the server (islands mode).
    #[cfg(not(feature = "ssr"))]
    None
}

/// The signed-in person, if any.
pub fn use_me() -> Option<Me> {
    use_context::<Option<Me>>().flatten()
}
