//! People: sign-in, sessions, passwords, and admins' management of accounts.

use std::net::IpAddr;
use std::time::Instant;

use app::domain::*;
use app::error::AppError;
use app::service::{AccountService, NewSession};
use async_trait::async_trait;
use chrono::{Duration, Utc};

use crate::accounts::{Accounts, password, secret};
use crate::error::Result;
use crate::storage::audit::{self, Record};
use crate::storage::{Tx, people, sessions, tokens};

/// A session lasts this long after it was last extended.
const SESSION_DAYS: i64 = 7;
/// A session in use is extended when less than this much of it is left (at most once a day,
/// so reading pages does not mean writing the database).
const EXTEND_BELOW_DAYS: i64 = SESSION_DAYS - 1;
/// A token's last use is written at most this often.
const TOKEN_USE_RESOLUTION_SECONDS: i64 = 60;

const PERSON: &str = "person";

fn wrong_password(field: &str) -> AppError {
    Invalid::new(field, Problem::WrongPassword).into()
}

/// An admin may not remove the last admin (by demotion or by turning the account off).
async fn keep_an_admin(tx: &mut Tx, person: &Person, role_after: Role, on: bool) -> Result<()> {
    let was_admin = person.role == Role::Admin && person.disabled_at.is_none();
    if was_admin && (role_after != Role::Admin || !on) && people::admins(tx).await? <= 1 {
        let field = if on { "role" } else { "disabled" };
        return Err(Invalid::new(field, Problem::LastAdmin).into());
    }
    Ok(())
}

impl Accounts {
    /// Gives a person a new generated password and ends their sessions, in one write.
    async fn new_password_for(&self, by: &Actor, id: PersonId) -> Result<NewPassword, AppError> {
        let plain = secret::new_password();
        let hash = password::hash(plain.clone()).await?;
        let mut tx = self.store.begin().await?;
        people::set_password(&mut tx, id, &hash).await?;
        sessions::delete_for(&mut tx, id).await?;
        let person = people::get(&mut tx, id).await?;
        let after =
            Some(serde_json::json!({"name": person.name, "role": person.role, "password": "new"}));
        audit::record(
            &mut tx,
            by,
            Verb::Update,
            Record::other(PERSON, id.get()),
            None,
            after,
        )
        .await?;
        self.commit(tx).await?;
        Ok(NewPassword {
            person,
            password: plain,
        })
    }
}

#[async_trait]
impl AccountService for Accounts {
    async fn sign_in(
        &self,
        name: &str,
        password: &str,
        from: IpAddr,
    ) -> Result<NewSession, AppError> {
        let name = name.trim();
        let (account, address) = (
            format!("name:{}", name.to_lowercase()),
            format!("ip:{from}"),
        );
        let now = Instant::now();
        for key in [&account, &address] {
            if let Err(retry_after) = self.sign_ins.check(key, now) {
                return Err(AppError::TooManyRequests { retry_after });
            }
        }
        let found = people::for_sign_in(&self.store, name).await?;
        // Without such a person, check against a decoy so both failures take as long.
        let (person, hash) = match found {
            Some((p, h)) => (Some(p), h),
            None => (None, password::decoy().await),
        };
        let matches = password::verify(password.to_owned(), hash).await?;
        let Some(person) = person.filter(|_| matches) else {
            self.sign_ins.fail(&account, now);
            self.sign_ins.fail(&address, now);
            return Err(wrong_password("password"));
        };
        self.sign_ins.clear(&account);
        let secret = secret::new_secret();
        let mut tx = self.store.begin().await?;
        let expires = Utc::now() + Duration::days(SESSION_DAYS);
        sessions::insert(&mut tx, person.id, &secret::digest(&secret), expires).await?;
        self.commit(tx).await?;
        Ok(NewSession {
            secret,
            max_age_seconds: SESSION_DAYS * 24 * 3600,
        })
    }

    async fn sign_out(&self, secret: &str) -> Result<(), AppError> {
        sessions::delete(&self.store, &secret::digest(secret)).await?;
        self.actors.clear();
        Ok(())
    }

    async fn actor_for_session(&self, secret: &str) -> Result<Actor, AppError> {
        let digest = secret::digest(secret);
        if let Some(actor) = self.actors.get(&digest, Instant::now()) {
            return Ok(actor);
        }
        let now = Utc::now();
        let (actor, expires) = sessions::actor(&self.store, &digest, now)
            .await?
            .ok_or(AppError::Unauthorized)?;
        // Extending is bookkeeping too: the session is valid now either way.
        if expires - now < Duration::days(EXTEND_BELOW_DAYS)
            && let Err(e) =
                sessions::extend(&self.store, &digest, now + Duration::days(SESSION_DAYS)).await
        {
            tracing::warn!(error = %e, "could not extend a session");
        }
        self.actors.put(digest, actor.clone(), Instant::now());
        Ok(actor)
    }

    async fn actor_for_token(&self, secret: &str) -> Result<Actor, AppError> {
        let digest = secret::digest(secret);
        if let Some(actor) = self.actors.get(&digest, Instant::now()) {
            return Ok(actor);
        }
        let (actor, last_used) = tokens::actor(&self.store, &digest)
            .await?
            .ok_or(AppError::Unauthorized)?;
        let now = Utc::now();
        if let Some(grant) = &actor.token
            && last_used.is_none_or(|t| (now - t).num_seconds() >= TOKEN_USE_RESOLUTION_SECONDS)
            // When it was last used is bookkeeping: a request is not refused for it (the
            // database may be busy with another process's write).
            && let Err(e) = tokens::mark_used(&self.store, grant.id, now).await
        {
            tracing::warn!(error = %e, "could not record when a token was last used");
        }
        self.actors.put(digest, actor.clone(), Instant::now());
        Ok(actor)
    }

    async fn change_password(&self, by: &Actor, current: &str, new: &str) -> Result<(), AppError> {
        let (Some(id), None) = (by.person, &by.token) else {
            return Err(AppError::Forbidden);
        };
        new_password("new_password", new, &by.name)?;
        let stored = people::password_hash(&self.store, id).await?;
        if !password::verify(current.to_owned(), stored).await? {
            return Err(wrong_password("current_password"));
        }
        let hash = password::hash(new.to_owned()).await?;
        let mut tx = self.store.begin().await?;
        people::set_password(&mut tx, id, &hash).await?;
        sessions::delete_for(&mut tx, id).await?;
        let change = Some(serde_json::json!({"password": "changed"}));
        audit::record(
            &mut tx,
            by,
            Verb::Update,
            Record::other(PERSON, id.get()),
            None,
            change,
        )
        .await?;
        Ok(self.commit(tx).await?)
    }

    async fn people(&self, by: &Actor) -> Result<Vec<Person>, AppError> {
        by.require(Need::Admin)?;
        Ok(people::list(&self.store).await?)
    }

    async fn add_person(
        &self,
        by: &Actor,
        name: &str,
        role: Role,
    ) -> Result<NewPassword, AppError> {
        by.require(Need::Admin)?;
        let name = person_name(name)?;
        let plain = secret::new_password();
        let hash = password::hash(plain.clone()).await?;
        let mut tx = self.store.begin().await?;
        let id = people::insert(&mut tx, &name, role, &hash).await?;
        let person = people::get(&mut tx, id).await?;
        let after = Some(serde_json::json!({"name": person.name, "role": person.role}));
        audit::record(
            &mut tx,
            by,
            Verb::Create,
            Record::other(PERSON, id.get()),
            None,
            after,
        )
        .await?;
        self.commit(tx).await?;
        Ok(NewPassword {
            person,
            password: plain,
        })
    }

    async fn set_role(&self, by: &Actor, id: PersonId, role: Role) -> Result<Person, AppError> {
        by.require(Need::Admin)?;
        let mut tx = self.store.begin().await?;
        let person = people::get(&mut tx, id).await?;
        keep_an_admin(&mut tx, &person, role, true).await?;
        people::set_role(&mut tx, id, role).await?;
        let (before, after) = (
            Some(serde_json::json!({"role": person.role})),
            Some(serde_json::json!({"role": role})),
        );
        audit::record(
            &mut tx,
            by,
            Verb::Update,
            Record::other(PERSON, id.get()),
            before,
            after,
        )
        .await?;
        let person = people::get(&mut tx, id).await?;
        self.commit(tx).await?;
        Ok(person)
    }

    async fn set_disabled(
        &self,
        by: &Actor,
        id: PersonId,
        disabled: bool,
    ) -> Result<Person, AppError> {
        by.require(Need::Admin)?;
        let mut tx = self.store.begin().await?;
        let person = people::get(&mut tx, id).await?;
        keep_an_admin(&mut tx, &person, person.role, !disabled).await?;
        let at = disabled.then(Utc::now);
        people::set_disabled(&mut tx, id, at).await?;
        if disabled {
            sessions::delete_for(&mut tx, id).await?;
        }
        let (before, after) = (
            Some(serde_json::json!({"disabled": person.disabled_at.is_some()})),
            Some(serde_json::json!({"disabled": disabled})),
        );
        audit::record(
            &mut tx,
            by,
            Verb::Update,
            Record::other(PERSON, id.get()),
            before,
            after,
        )
        .await?;
        let person = people::get(&mut tx, id).await?;
        self.commit(tx).await?;
        Ok(person)
    }

    async fn reset_password(&self, by: &Actor, id: PersonId) -> Result<NewPassword, AppError> {
        by.require(Need::Admin)?;
        self.new_password_for(by, id).await
    }
}
