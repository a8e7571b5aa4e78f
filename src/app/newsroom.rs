//! What the newsroom does to articles, each in one transaction: render the Markdown once,
//! save, keep the search index in step (or none of it happens).

use crate::core::ArticleId;
use crate::core::RevisionId;
use crate::core::article::{
    ArticleInput, ArticleSummary, EditableArticle, MORE_HEADLINES, NewsroomFilter, NewsroomRow,
};
use crate::core::article::{Dashboard, Status};
use crate::core::audit::{Actor, AuditAction};
use crate::core::ids::UserId;
use crate::core::markdown;
use crate::core::picture::Picture;
use crate::core::revision::Revision;
use crate::db::articles::{self, ArticleContent, NewArticle};
use crate::db::changes::Change;
use crate::db::search::SearchIndex;
use crate::db::stored_html::StoredHtml;
use crate::db::{
    Database, DbConn, audit, autosaves, changes, pending_drafts, revisions, tags, views, write_tx,
};

use super::AppError;

/// Brings this instance's search index in step with an article just saved (or deleted),
/// so that its own searches show the change at once. The save stands if the index cannot
/// be written just now: the change is in the feed, and the follower (`runtime::change_feed`,
/// every 250 ms) indexes it. The editor is never told "error" about a save that was kept.
fn index_saved(index: &SearchIndex, conn: &mut DbConn, id: ArticleId) {
    if let Err(error) = index.update(conn, &[id]) {
        tracing::warn!(%error, %id, "saved, but not indexed yet; the change feed will index it");
    }
}

fn content<'a>(input: &'a ArticleInput, body_html: &str, now: i64) -> ArticleContent<'a> {
    ArticleContent {
        section_id: input.section_id.get(),
        title: &input.title,
        summary: &input.summary,
        body: &input.body,
        body_html: StoredHtml::compress(body_html),
        author: &input.author,
        status: input.status,
        published_at: input.published_at.unwrap_or(now),
        updated_at: now,
        lead_picture_id: input.lead_picture.map(|id| id.get()),
    }
}

/// A permalink id no article has: what a preview of a new article shows, and then saves
/// it with (`create_article`'s `planned`).
pub async fn unused_article_id(db: &Database) -> Result<ArticleId, AppError> {
    Ok(db.run(articles::unused_id).await?)
}

/// Creates an article saved by `actor` (its first revision); returns its permalink id:
/// `planned` (the one its preview showed) unless another article took it meanwhile.
/// `pictures`: the library pictures its body places (see `markdown::picture_references`).
pub async fn create_article(
    db: &Database,
    actor: Actor,
    input: ArticleInput,
    pictures: Vec<Picture>,
    planned: Option<ArticleId>,
    now: i64,
) -> Result<ArticleId, AppError> {
    let by = actor
        .user
        .ok_or_else(|| AppError::Internal("no author of the save".into()))?;
    let body_html = markdown::body_to_html_with(&input.body, &pictures);
    Ok(db
        .run_with_search(move |conn, index| {
            let id = write_tx(conn, |conn| {
                let id = match planned {
                    Some(id) if !articles::exists(conn, id)? => id,
                    _ => articles::unused_id(conn)?,
                };
                let article = NewArticle {
                    id: id.get(),
                    created_at: now,
                    content: content(&input, &body_html, now),
                };
                articles::insert(conn, &article)?;
                if let Some(tags) = &input.tags {
                    tags::set_for_article(conn, id, tags)?;
                }
                revisions::insert(conn, id, by, now, &article.content)?;
                let content = &article.content;
                let action = AuditAction::of_save(
                    None,
                    content.status == Status::Published,
                    content.published_at,
                    now,
                );
                audit::record(conn, now, &actor, action, &format!("article {id}"))?;
                changes::record(conn, Change::Article(id), now)?;
                Ok(id)
            })?;
            index_saved(index, conn, id);
            Ok::<_, crate::db::DbError>(id)
        })
        .await?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateOutcome {
    Saved,
    /// Someone else saved since `expected_version`: nothing was changed.
    Conflict,
}

/// An edit to save: made on `expected_version`; `pictures` as for [`create_article`];
/// `restored_from` when it puts back an earlier revision.
pub struct Edit {
    pub expected_version: i64,
    pub input: ArticleInput,
    pub pictures: Vec<Picture>,
    pub restored_from: Option<RevisionId>,
}

/// Saves `edit` by `actor`, keeping it as a revision and in the audit log; `NotFound` if
/// the article is gone.
pub async fn update_article(
    db: &Database,
    actor: Actor,
    id: ArticleId,
    edit: Edit,
    now: i64,
) -> Result<UpdateOutcome, AppError> {
    let by = actor
        .user
        .ok_or_else(|| AppError::Internal("no author of the save".into()))?;
    let Edit {
        expected_version,
        input,
        pictures,
        restored_from,
    } = edit;
    let body_html = markdown::body_to_html_with(&input.body, &pictures);
    db.run_with_search(move |conn, index| {
        let outcome = write_tx(conn, |conn| {
            let Some(before) = articles::find_editable(conn, id)? else {
                return Ok(Err(AppError::NotFound));
            };
            let mut content = content(&input, &body_html, now);
            // The form shows the time to the minute: the same minute sent back is the
            // stored time, seconds included, not a move of up to 59 s.
            if input
                .published_at
                .is_some_and(|at| at.div_euclid(60) == before.published_at.div_euclid(60))
            {
                content.published_at = before.published_at;
            }
            if !articles::update_if_version(conn, id, expected_version, &content)? {
                return Ok(Ok(UpdateOutcome::Conflict));
            }
            if let Some(tags) = &input.tags {
                tags::set_for_article(conn, id, tags)?;
            }
            revisions::insert(conn, id, by, now, &content)?;
            let action = match restored_from {
                Some(_) => AuditAction::ArticleRestored,
                None => AuditAction::of_save(
                    Some((before.status == Status::Published, before.published_at)),
                    content.status == Status::Published,
                    content.published_at,
                    now,
                ),
            };
            let target = match restored_from {
                Some(revision) => format!("article {id} (revision {revision})"),
                None => format!("article {id}"),
            };
            audit::record(conn, now, &actor, action, &target)?;
            changes::record(conn, Change::Article(id), now)?;
            Ok(Ok(UpdateOutcome::Saved))
        })?;
        if outcome.as_ref().is_ok_and(|o| *o == UpdateOutcome::Saved) {
            index_saved(index, conn, id);
        }
        Ok::<_, crate::db::DbError>(outcome)
    })
    .await?
}

/// Deletes an article and its search entry; `NotFound` if there was none.
pub async fn delete_article(
    db: &Database,
    actor: Actor,
    id: ArticleId,
    now: i64,
) -> Result<(), AppError> {
    let deleted = db
        .run_with_search(move |conn, index| {
            let deleted = write_tx(conn, |conn| {
                let deleted = articles::delete(conn, id)?;
                if deleted {
                    audit::record(
                        conn,
                        now,
                        &actor,
                        AuditAction::ArticleDeleted,
                        &format!("article {id}"),
                    )?;
                    changes::record(conn, Change::Article(id), now)?;
                }
                Ok(deleted)
            })?;
            index_saved(index, conn, id);
            Ok::<_, crate::db::DbError>(deleted)
        })
        .await?;
    if deleted {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// How many tags the article form offers while typing.
const TAG_SUGGESTIONS: i64 = 300;

/// The tags used most, most first: what the article form suggests.
pub async fn tag_suggestions(db: &Database) -> Result<Vec<crate::core::tags::Tag>, AppError> {
    Ok(db
        .run(move |conn| tags::most_used(conn, TAG_SUGGESTIONS))
        .await?)
}

/// The article as the edit form shows it.
pub async fn editable_article(db: &Database, id: ArticleId) -> Result<EditableArticle, AppError> {
    db.run(move |conn| {
        let Some(mut article) = articles::find_editable(conn, id)? else {
            return Ok::<_, crate::db::DbError>(None);
        };
        article.tags = tags::of_article(conn, id)?;
        Ok(Some(article))
    })
    .await?
    .ok_or(AppError::NotFound)
}

/// At most this many matches of a newsroom search are listed (the best ones).
pub const NEWSROOM_SEARCH_LIMIT: usize = 1000;

/// One page of the newsroom's list and how many match in all. With words to search, they
/// are searched as readers' searches are (the same Arabic analysis), drafts and scheduled
/// articles included, and the best `NEWSROOM_SEARCH_LIMIT` matches are listed.
pub async fn list_articles(
    db: &Database,
    filter: NewsroomFilter,
    now: i64,
    offset: i64,
    limit: i64,
) -> Result<(Vec<NewsroomRow>, i64), AppError> {
    let words = filter
        .query
        .as_deref()
        .map(crate::core::arabic::search_text::query_words)
        .unwrap_or_default();
    Ok(db
        .run_with_search(move |conn, index| {
            let matching = match filter.query.is_some() {
                true => Some(index.search_newsroom(&words, now, NEWSROOM_SEARCH_LIMIT)?.0),
                false => None,
            };
            articles::newsroom_list(conn, &filter, matching.as_deref(), now, offset, limit)
        })
        .await?)
}

/// The author lines used so far, for the newsroom's author filter.
pub async fn authors(db: &Database) -> Result<Vec<String>, AppError> {
    Ok(db.run(articles::authors).await?)
}

/// What a preview shows besides the typed text: the stored view count of the article
/// being edited (0 for a new one) and the headlines under it.
pub async fn preview_context(
    db: &Database,
    editing: Option<ArticleId>,
    now: i64,
) -> Result<(i64, Vec<ArticleSummary>), AppError> {
    db.run(move |conn| {
        let stored = match editing {
            Some(id) => articles::find_editable(conn, id)?.map_or(0, |a| a.views),
            None => 0,
        };
        let newest = articles::visible_from(
            conn,
            now,
            &articles::Listing::Site,
            None,
            0,
            MORE_HEADLINES as i64 + 1,
        )?;
        let more = newest
            .into_iter()
            .filter(|a| Some(a.id) != editing)
            .take(MORE_HEADLINES)
            .collect();
        Ok::<_, AppError>((stored, more))
    })
    .await
}

/// Keeps an article form that arrived after its session had ended, for whoever signs in
/// next in that browser (`claim_hash`: the hash of its cookie's token), or only for
/// `owner` when the ended session was still on record.
pub async fn keep_pending_draft(
    db: &Database,
    claim_hash: String,
    owner: Option<UserId>,
    fields: Vec<(String, String)>,
    now: i64,
) -> Result<(), AppError> {
    let fields = serde_json::to_string(&fields)
        .map_err(|e| AppError::Internal(format!("pending draft not encoded: {e}")))?;
    db.run(move |conn| {
        write_tx(conn, |conn| {
            pending_drafts::keep(conn, &claim_hash, owner, &fields, now)
        })
    })
    .await?;
    Ok(())
}

/// What became of the form kept under a claim.
pub enum PendingDraft {
    /// Taken (and gone from the server): the fields as submitted.
    Restored(Vec<(String, String)>),
    /// Kept for another member, who may still sign in on that browser.
    OtherMembers,
    None,
}

/// The form kept under `claim_hash`, taken (deleted) for `user`, if it is theirs to take.
pub async fn claim_pending_draft(
    db: &Database,
    claim_hash: String,
    user: UserId,
    now: i64,
) -> Result<PendingDraft, AppError> {
    let claim = db
        .run(move |conn| {
            write_tx(conn, |conn| {
                pending_drafts::claim(conn, &claim_hash, user, now)
            })
        })
        .await?;
    Ok(match claim {
        // A stored form that no longer reads is no form: nothing to restore.
        pending_drafts::Claim::Taken(fields) => serde_json::from_str(&fields)
            .map(PendingDraft::Restored)
            .unwrap_or(PendingDraft::None),
        pending_drafts::Claim::NotYours => PendingDraft::OtherMembers,
        pending_drafts::Claim::Nothing => PendingDraft::None,
    })
}

/// An article form as its page saved it by itself.
pub struct Autosaved {
    pub fields: Vec<(String, String)>,
    pub saved_at: i64,
}

/// Keeps `fields` as `user`'s autosaved copy of `article` (`None`: a new one). Touches
/// nothing else: an autosave never publishes or changes what readers see.
pub async fn autosave(
    db: &Database,
    user: UserId,
    article: Option<ArticleId>,
    fields: Vec<(String, String)>,
    now: i64,
) -> Result<(), AppError> {
    let fields = serde_json::to_string(&fields)
        .map_err(|e| AppError::Internal(format!("autosave not encoded: {e}")))?;
    Ok(db
        .run(move |conn| autosaves::save(conn, user, article, &fields, now))
        .await?)
}

/// `user`'s autosaved copy of `article`, if there is one that still reads.
pub async fn autosaved(
    db: &Database,
    user: UserId,
    article: Option<ArticleId>,
) -> Result<Option<Autosaved>, AppError> {
    let found = db
        .run(move |conn| autosaves::find(conn, user, article))
        .await?;
    Ok(found.and_then(|(fields, saved_at)| {
        serde_json::from_str(&fields)
            .ok()
            .map(|fields| Autosaved { fields, saved_at })
    }))
}

/// Forgets `user`'s autosaved copy of `article`: it was saved for real.
pub async fn discard_autosave(
    db: &Database,
    user: UserId,
    article: Option<ArticleId>,
) -> Result<(), AppError> {
    Ok(db
        .run(move |conn| autosaves::delete(conn, user, article))
        .await?)
}

/// Every revision of `article`, newest first.
pub async fn revisions(db: &Database, article: ArticleId) -> Result<Vec<Revision>, AppError> {
    Ok(db
        .run(move |conn| revisions::of_article(conn, article))
        .await?)
}

/// One revision of `article`; `NotFound` if it has no such revision.
pub async fn revision(
    db: &Database,
    article: ArticleId,
    id: RevisionId,
) -> Result<Revision, AppError> {
    db.run(move |conn| revisions::find(conn, article, id))
        .await?
        .ok_or(AppError::NotFound)
}

/// Days a dashboard chart covers, today included.
pub const DASHBOARD_DAYS: i64 = 30;

/// What the newsroom's front page shows about reading (see `Dashboard`).
pub async fn dashboard(db: &Database, now: i64) -> Result<Dashboard, AppError> {
    let today = crate::core::time::day_number(now);
    let first_day = today - DASHBOARD_DAYS + 1;
    Ok(db
        .run(move |conn| {
            Ok::<_, crate::db::DbError>(Dashboard {
                first_day,
                today,
                per_day: views::per_day(conn, None, first_day)?,
                top_today: views::top_since(conn, today, 5)?,
                top_week: views::top_since(conn, today - 6, 5)?,
                top_month: views::top_since(conn, first_day, 5)?,
                scheduled: articles::scheduled_next(conn, now, 5)?,
            })
        })
        .await?)
}

/// Views per day of `article` over the dashboard's days: (first day, (day, views)).
pub async fn article_per_day(
    db: &Database,
    article: ArticleId,
    now: i64,
) -> Result<(i64, Vec<(i64, i64)>), AppError> {
    let first_day = crate::core::time::day_number(now) - DASHBOARD_DAYS + 1;
    let days = db
        .run(move |conn| views::per_day(conn, Some(article), first_day))
        .await?;
    Ok((first_day, days))
}
