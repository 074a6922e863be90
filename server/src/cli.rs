//! `hoego user …`, `hoego token …` and `hoego import …`: the command line, through the same
//! services as the pages (acting as hoego itself). Accounts need no search index, so they work
//! while `hoego serve` runs.

use app::domain::{Actor, Role, TokenInput};
use app::service::{AccountService, TokenService};

use crate::accounts::Accounts;
use crate::config::{TokenAction, UserAction};
use crate::storage::{Store, people, tokens};

fn fail(e: app::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

pub async fn user(store: Store, action: UserAction) -> anyhow::Result<()> {
    let accounts = Accounts::new(store.clone());
    let by = Actor::system();
    match action {
        UserAction::Add { name, admin, role } => {
            let role = if admin { Role::Admin } else { role };
            let added = accounts.add_person(&by, &name, role).await.map_err(fail)?;
            println!(
                "added {} ({}); password (shown once): {}",
                added.person.name, added.person.role, added.password
            );
        }
        UserAction::Passwd { name } => {
            let mut tx = store.begin().await?;
            let person = people::by_name(&mut tx, &name)
                .await
                .map_err(|e| fail(e.into()))?;
            drop(tx);
            let reset = accounts
                .reset_password(&by, person.id)
                .await
                .map_err(fail)?;
            println!(
                "new password for {} (shown once): {}",
                reset.person.name, reset.password
            );
        }
        UserAction::List => {
            for p in accounts.people(&by).await.map_err(fail)? {
                let state = if p.disabled_at.is_some() {
                    "disabled"
                } else {
                    ""
                };
                println!("{:<24} {:<9} {state}", p.name, p.role.as_str());
            }
        }
    }
    Ok(())
}

pub async fn token(store: Store, action: TokenAction) -> anyhow::Result<()> {
    let accounts = Accounts::new(store.clone());
    let by = Actor::system();
    match action {
        TokenAction::Create { name, scopes } => {
            let made = TokenService::create(&accounts, &by, TokenInput { name, scopes })
                .await
                .map_err(fail)?;
            let scopes: Vec<&str> = made.token.scopes.iter().map(|s| s.as_str()).collect();
            eprintln!(
                "token {} ({}), shown once:",
                made.token.name,
                scopes.join(", ")
            );
            println!("{}", made.secret);
        }
        TokenAction::List => {
            for t in TokenService::list(&accounts, &by).await.map_err(fail)? {
                let scopes: Vec<&str> = t.scopes.iter().map(|s| s.as_str()).collect();
                let used = t
                    .last_used_at
                    .map(|u| u.to_rfc3339())
                    .unwrap_or_else(|| "never used".into());
                let state = if t.revoked_at.is_some() {
                    "revoked"
                } else {
                    ""
                };
                println!(
                    "{:<24} {:<18} {:<12} {:<16} {used} {state}",
                    t.name,
                    scopes.join(","),
                    t.prefix,
                    t.owner.as_deref().unwrap_or("(machine)")
                );
            }
        }
        TokenAction::Revoke { name } => {
            let mut tx = store.begin().await?;
            let id = tokens::id_by_name(&mut tx, &name)
                .await
                .map_err(|e| fail(e.into()))?;
            drop(tx);
            TokenService::revoke(&accounts, &by, id)
                .await
                .map_err(fail)?;
            println!("revoked {name}");
        }
    }
    Ok(())
}

/// On a database without people, adds the admin `admin` with a generated password and prints
/// it once (the sample setup of `./scripts/run`). Does nothing when anyone exists.
pub async fn demo_admin(store: &Store) -> anyhow::Result<()> {
    if people::count(store).await.map_err(|e| fail(e.into()))? > 0 {
        return Ok(());
    }
    let accounts = Accounts::new(store.clone());
    let added = accounts
        .add_person(&Actor::system(), "admin", Role::Admin)
        .await
        .map_err(fail)?;
    println!(
        "signed-in access: name `admin`, password `{}` (shown once; change it on the account page)",
        added.password
    );
    Ok(())
}

/// Imports each file in turn (each all or nothing) and prints what it made; a file that fails
/// is reported and the others still run. Fails at the end if any file did.
pub async fn import(
    backend: &crate::backend::Backend,
    args: crate::config::ImportArgs,
) -> anyhow::Result<()> {
    use app::service::{DocumentService, ImportOptions};
    let by = Actor::system();
    let options = ImportOptions {
        dry_run: args.dry_run,
        apply_matrix: args.apply_matrix,
        apply_targets: args.apply_targets,
    };
    let mut failed = 0;
    for path in &args.files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let result = match std::fs::read(path) {
            Err(e) => Err(format!("cannot read it: {e}")),
            Ok(bytes) => match crate::documents::decode(bytes) {
                Err(e) => Err(e.to_string()),
                Ok(text) => backend
                    .import(&by, name, text, options.clone())
                    .await
                    .map_err(|e| e.to_string()),
            },
        };
        match result {
            Ok(report) => print!("{}", crate::documents::report_text(&report)),
            Err(e) => {
                failed += 1;
                eprintln!("{}: {e}", path.display());
            }
        }
    }
    match failed {
        0 => Ok(()),
        n => anyhow::bail!("{n} of {} files not imported", args.files.len()),
    }
}

/// A file name's stem from a title: letters and digits kept (Korean included), the rest as
/// single dashes, at most 60 characters.
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(60).collect()
}

/// Writes every incident and scenario under `args.dir`; reads only the database, so it runs
/// beside `hoego serve`.
pub async fn export(store: &Store, args: crate::config::ExportArgs) -> anyhow::Result<()> {
    use anyhow::Context;
    use app::ui::lang::Lang;

    use crate::documents::export;
    let lang = Lang::parse(&args.lang)
        .with_context(|| format!("unknown language `{}` (ko or en)", args.lang))?;
    let tz = store.settings().tz;
    let incidents_dir = args.dir.join("incidents");
    let scenarios_dir = args.dir.join("scenarios");
    for d in [&incidents_dir, &scenarios_dir] {
        std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
    }
    let ids = crate::storage::incidents::ids(store).await?;
    for id in &ids {
        let d = crate::storage::incidents::detail(store, *id).await?;
        let stem = format!("{:05}-{}", id.get(), slug(&d.incident.fields.title));
        let md = incidents_dir.join(format!("{stem}.md"));
        std::fs::write(&md, export::incident_markdown(&d))
            .with_context(|| format!("writing {}", md.display()))?;
        let html = incidents_dir.join(format!("{stem}.html"));
        std::fs::write(&html, export::incident_html(&d, lang, tz))
            .with_context(|| format!("writing {}", html.display()))?;
    }
    let scenario_ids = crate::storage::scenarios::ids(store).await?;
    for (n, id) in scenario_ids.iter().enumerate() {
        let s = crate::storage::scenarios::find(store, *id).await?;
        let path = scenarios_dir.join(format!("{:04}-{}.md", id.get(), slug(&s.title)));
        std::fs::write(&path, export::scenario_markdown(&s, n + 1, lang))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    println!(
        "wrote {} incidents and {} scenarios to {}",
        ids.len(),
        scenario_ids.len(),
        args.dir.display()
    );
    Ok(())
}
