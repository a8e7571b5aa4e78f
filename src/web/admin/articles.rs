//! Writing, editing, previewing, scheduling and deleting articles.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::forms::ArticleForm;
use super::respond::{actor, page, see_other, set_cookie, signed_in};
use super::{login, media};
use crate::app::newsroom::{self, Edit, PendingDraft, UpdateOutcome};
use crate::app::pictures::{self, Uploaded};
use crate::core::article::{
    ArticleDraft, ArticleInput, ArticleRules, FieldErrors, NewsroomFilter, NewsroomOrder,
    PublicArticle, Status, Visibility, parse_local_datetime,
};
use crate::core::paging::parse_page;
use crate::core::picture::{Picture, PictureId, PictureText};
use crate::core::time::{now_timestamp, timestamp_to_utc};
use crate::core::token::{hash_token, random_hex};
use crate::core::{ArticleId, SectionId, markdown};
use crate::runtime::AppState;
use crate::views::admin::{
    AdminLayout, ArticleFormPage, ArticleListPage, AutosaveOffer, DashboardView, DeletePage,
    LeadUpload, MediaEntry, NewsroomItem, UploadErrors,
};
use crate::views::chart::DailyChart;
use crate::views::items::section_link;
use crate::views::layout::Pager;
use crate::views::reader::{ArticleContext, ArticlePage, Preview, PublishOffer};
use crate::web::error::WebError;
use crate::web::multipart::UploadedFile;
use crate::web::multipart::decode_fields;
use crate::web::preferences::display_of;
use crate::web::session::{
    Admin, Editor, ExpiredSubmission, NoFields, Protected, ProtectedUpload, Submission,
    removal_cookie, secret_cookie,
};

const LIST_PAGE_SIZE: i64 = 30;
/// The newest pictures the form offers to place in the body or lead with.
const FORM_LIBRARY_PICTURES: i64 = 12;
const SAVED: &str = "تم الحفظ.";
const SESSION_ENDED: &str =
    "انتهت جلستك؛ سجّل الدخول لحفظ ما كتبت. نصّك محفوظ وسيعود إليك بعد الدخول.";
const AUTOSAVE_RESTORED: &str =
    "هذه المسودة التي حُفظت تلقائيًا، ولم تُحفظ في الخبر بعد: راجعها ثم اضغط «حفظ».";
const RESTORED: &str = "استُعيد ما كتبته قبل انتهاء جلستك ولم يُحفظ بعد: راجعه ثم اضغط «حفظ».";
/// Where signing in leads when a form is waiting.
const RESTORE_PATH: &str = "/admin/articles/pending";
/// Names the kept form in the browser that sent it.
const PENDING_COOKIE: &str = "sahifa_pending";
const DELETED: &str = "تم حذف الخبر.";

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    status: String,
    section: String,
    author: String,
    q: String,
    sort: String,
    page: String,
    deleted: String,
}

pub async fn list(
    editor: Editor,
    query: web::Query<ListQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let query = query.into_inner();
    let filter = NewsroomFilter {
        visibility: Visibility::parse(&query.status),
        section_id: SectionId::parse(&query.section),
        query: Some(query.q.trim().to_owned()).filter(|q| !q.is_empty()),
        author: Some(query.author.trim().to_owned()).filter(|a| !a.is_empty()),
        order: NewsroomOrder::parse(&query.sort),
    };
    let page_number = parse_page(Some(query.page.as_str()).filter(|p| !p.is_empty()))
        .ok_or(WebError::NotFound)?;
    let now = now_timestamp();
    let offset = (page_number - 1) * LIST_PAGE_SIZE;
    let (rows, total) =
        newsroom::list_articles(&state.db, filter, now, offset, LIST_PAGE_SIZE).await?;
    let sections = state.sections.all();
    let dates = &state.site.dates;
    let items = rows
        .into_iter()
        .map(|row| {
            let visibility = Visibility::of(row.status, row.published_at, now);
            let instant = timestamp_to_utc(row.published_at);
            NewsroomItem {
                section_name: section_link(&sections, row.section_id)
                    .map(|s| s.name)
                    .unwrap_or_default(),
                state_label: visibility.label(),
                state_class: visibility.as_str(),
                when: format!("{} {}", dates.date(instant), dates.time(instant)),
                views: state.views.current(row.id, row.views),
                row,
            }
        })
        .collect();
    let unfiltered = query.status.is_empty()
        && query.section.is_empty()
        && query.q.is_empty()
        && query.author.is_empty()
        && query.sort.is_empty();
    let dashboard = match (unfiltered, page_number) {
        (true, 1) => Some(DashboardView::new(
            newsroom::dashboard(&state.db, now).await?,
            &state.site,
        )),
        _ => None,
    };
    let base = format!(
        "/admin?{}",
        serde_urlencoded::to_string([
            ("status", query.status.as_str()),
            ("section", query.section.as_str()),
            ("author", query.author.as_str()),
            ("q", query.q.as_str()),
            ("sort", query.sort.as_str()),
        ])
        .unwrap_or_default()
    );
    let body = ArticleListPage {
        layout: AdminLayout::new(&state.site, "الأخبار", Some(signed_in(&editor)), "articles"),
        items,
        total,
        sections: sections.to_vec(),
        search_capped: !query.q.trim().is_empty()
            && total >= newsroom::NEWSROOM_SEARCH_LIMIT as i64,
        authors: newsroom::authors(&state.db).await?,
        filter_status: query.status,
        filter_section: query.section,
        filter_author: query.author,
        filter_query: query.q,
        filter_sort: query.sort,
        pager: Pager {
            base,
            page: page_number,
            has_next: offset + LIST_PAGE_SIZE < total,
        },
        notice: (!query.deleted.is_empty()).then_some(DELETED),
        dashboard,
    }
    .render()?;
    Ok(page(StatusCode::OK, body))
}

/// The article form page, as typed (or as loaded), with whatever messages apply.
struct FormView {
    article_id: Option<ArticleId>,
    form: ArticleForm,
    errors: FieldErrors,
    upload: UploadErrors,
    notice: Option<&'static str>,
    conflict: bool,
    /// The database could not be written just now: nothing was saved.
    unavailable: bool,
    views: Option<i64>,
    autosave_offer: Option<AutosaveOffer>,
}

impl FormView {
    fn new(article_id: Option<ArticleId>, form: ArticleForm) -> Self {
        FormView {
            article_id,
            form,
            errors: FieldErrors::default(),
            upload: UploadErrors::default(),
            notice: None,
            conflict: false,
            unavailable: false,
            views: None,
            autosave_offer: None,
        }
    }

    fn with_errors(article_id: Option<ArticleId>, form: ArticleForm, errors: FieldErrors) -> Self {
        FormView {
            errors,
            ..FormView::new(article_id, form)
        }
    }

    async fn render(
        self,
        state: &AppState,
        editor: &Editor,
        status: StatusCode,
    ) -> Result<HttpResponse, WebError> {
        // The lead picture the form names, shown beside its number; a number that names
        // none shows nothing (the check says so).
        let lead = match PictureId::parse(&self.form.draft.lead_picture) {
            Some(id) => pictures::picture(&state.db, id).await?,
            None => None,
        };
        let library = pictures::library(&state.db, FORM_LIBRARY_PICTURES)
            .await?
            .into_iter()
            .map(|listing| MediaEntry::new(listing.picture, listing.bytes, listing.uses))
            .collect();
        let tag_suggestions = newsroom::tag_suggestions(&state.db).await?;
        let chart = match self.article_id {
            Some(id) => {
                let now = now_timestamp();
                let (first_day, days) = newsroom::article_per_day(&state.db, id, now).await?;
                Some(DailyChart::new(
                    &days,
                    first_day,
                    crate::core::time::day_number(now),
                    "مشاهدات هذا الخبر يومًا بيوم",
                    &state.site,
                ))
            }
            None => None,
        };
        let (title, current) = match self.article_id {
            Some(_) => ("تحرير خبر", "articles"),
            None => ("خبر جديد", "new"),
        };
        // Where readers stand, as the form says the article is (saved, when just saved).
        let now = now_timestamp();
        let saved_as = Status::parse(&self.form.draft.status).unwrap_or(Status::Draft);
        let appears = parse_local_datetime(&self.form.draft.published_at, state.site.dates.tz)
            .ok()
            .flatten()
            .unwrap_or(now);
        let (public_url, not_public) = match Visibility::of(saved_as, appears, now) {
            Visibility::Visible => (self.article_id.map(|id| state.site.permalink(id)), None),
            Visibility::Scheduled => (
                None,
                Some(format!(
                    "مجدول: يظهر للقراء في {}",
                    state.site.dates.date_time(timestamp_to_utc(appears))
                )),
            ),
            Visibility::Draft => (None, Some("مسودة: لا يراها القراء حتى تنشرها".to_owned())),
        };
        let body = ArticleFormPage {
            layout: AdminLayout::new(&state.site, title, Some(signed_in(editor)), current),
            public_url,
            not_public,
            article_id: self.article_id,
            draft: self.form.draft,
            lead_upload: LeadUpload {
                alt: self.form.lead_alt,
                caption: self.form.lead_caption,
                credit: self.form.lead_credit,
                errors: self.upload,
            },
            lead,
            library,
            version: self.form.version,
            planned_id: self.form.planned_id,
            errors: self.errors,
            sections: state.sections.all().to_vec(),
            notice: self.notice,
            conflict: self.conflict,
            unavailable: self.unavailable,
            views: self.views,
            autosave_offer: self.autosave_offer,
            chart,
            tag_suggestions,
        }
        .render()?;
        Ok(page(status, body))
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    autosave: String,
}

pub async fn new_form(
    editor: Editor,
    query: web::Query<NewQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let autosaved = newsroom::autosaved(&state.db, editor.user.id, None).await?;
    if let (Some(autosaved), false) = (&autosaved, query.autosave.is_empty()) {
        let form: ArticleForm = decode_fields(&autosaved.fields).unwrap_or_default();
        let view = FormView {
            notice: Some(AUTOSAVE_RESTORED),
            ..FormView::new(
                None,
                ArticleForm {
                    article_id: String::new(),
                    ..form
                },
            )
        };
        return view.render(&state, &editor, StatusCode::OK).await;
    }
    let form = ArticleForm {
        draft: ArticleDraft {
            author: editor.user.byline().to_owned(),
            status: Status::Draft.as_str().to_owned(),
            section_id: state
                .sections
                .all()
                .first()
                .map(|s| s.id.to_string())
                .unwrap_or_default(),
            ..Default::default()
        },
        ..Default::default()
    };
    let view = FormView {
        autosave_offer: autosaved
            .map(|a| offer(&state, a.saved_at, "/admin/articles/new?autosave=1")),
        ..FormView::new(None, form)
    };
    view.render(&state, &editor, StatusCode::OK).await
}

/// "There is a newer copy saved by the page itself", and where to get it.
fn offer(state: &AppState, saved_at: i64, url: &str) -> AutosaveOffer {
    AutosaveOffer {
        when: state.site.dates.date_time(timestamp_to_utc(saved_at)),
        url: url.to_owned(),
    }
}

/// Keeps the open form as the page sends it every 30 s and when it is hidden or closed;
/// answers with the line the page shows. It only keeps a copy for this editor: it never
/// saves the article, so it never publishes or changes what readers see. Like any
/// request with the session, it keeps the session alive while the editor types.
pub async fn autosave(
    protected: ProtectedUpload<ArticleForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let ProtectedUpload {
        member: editor,
        form,
        ..
    } = protected;
    let now = now_timestamp();
    newsroom::autosave(
        &state.db,
        editor.user.id,
        form.article_id(),
        form.to_fields(),
        now,
    )
    .await?;
    let time = state.site.dates.time(timestamp_to_utc(now));
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(format!("حُفظت مسودة تلقائيًا {time}")))
}

/// The answer to a form that cannot be used as it is (boxed: a response is large).
type Refusal = Box<Result<HttpResponse, WebError>>;

/// The form again (422) with everything typed and the messages `view` carries.
async fn refuse(state: &AppState, editor: &Editor, view: FormView) -> Refusal {
    Box::new(
        view.render(state, editor, StatusCode::UNPROCESSABLE_ENTITY)
            .await,
    )
}

/// A lead picture chosen as a file with the form is stored in the library first, so the
/// form then names it by number like any other (and a form sent back for another mistake
/// keeps it without a second upload). What is wrong with the file or its text sends the
/// form back with everything typed.
async fn store_lead_upload(
    state: &AppState,
    editor: &Editor,
    article_id: Option<ArticleId>,
    mut form: ArticleForm,
    file: Option<UploadedFile>,
) -> Result<ArticleForm, Refusal> {
    let Some(file) = file else {
        return Ok(form);
    };
    let refused = |form: ArticleForm, upload: UploadErrors| FormView {
        upload,
        ..FormView::new(article_id, form)
    };
    let text = match PictureText::parse(&form.lead_alt, &form.lead_caption, &form.lead_credit) {
        Ok(text) => text,
        Err(errors) => {
            let upload = UploadErrors {
                text: errors,
                file: Some("لم تُرفع الصورة: اكتب وصفها أولًا، ثم اخترها من جديد."),
            };
            return Err(refuse(state, editor, refused(form, upload)).await);
        }
    };
    match media::store_picture(state, Some(file), text).await {
        Ok(Uploaded::Stored(id)) => {
            form.draft.lead_picture = id.to_string();
            form.lead_alt.clear();
            form.lead_caption.clear();
            form.lead_credit.clear();
            Ok(form)
        }
        Ok(Uploaded::Refused(refusal)) => {
            let upload = UploadErrors {
                file: Some(refusal.message()),
                ..UploadErrors::default()
            };
            Err(refuse(state, editor, refused(form, upload)).await)
        }
        Err(e) => Err(Box::new(Err(e))),
    }
}

/// The article the form describes, checked against the current sections as this editor;
/// or the form again (422) with everything typed and a message by each wrong field.
async fn check(
    state: &AppState,
    editor: &Editor,
    article_id: Option<ArticleId>,
    form: ArticleForm,
) -> Result<(ArticleForm, ArticleInput, Option<Picture>, Vec<Picture>), Refusal> {
    let sections = state.sections.all();
    let checked = form.to_input(&ArticleRules {
        sections: &sections,
        timezone: state.site.dates.tz,
        default_author: editor.user.byline(),
    });
    let input = match checked {
        Ok(input) => input,
        Err(errors) => {
            return Err(refuse(
                state,
                editor,
                FormView::with_errors(article_id, form, errors),
            )
            .await);
        }
    };
    // The lead picture must be in the library (the core checked only its form).
    let lead = match input.lead_picture {
        None => None,
        Some(id) => match pictures::picture(&state.db, id).await {
            Ok(Some(picture)) => Some(picture),
            Ok(None) => {
                let errors = FieldErrors {
                    lead_picture: Some("لا توجد في مكتبة الصور صورة بهذا الرقم."),
                    ..FieldErrors::default()
                };
                return Err(refuse(
                    state,
                    editor,
                    FormView::with_errors(article_id, form, errors),
                )
                .await);
            }
            Err(e) => return Err(Box::new(Err(e.into()))),
        },
    };
    // So must every picture the body places.
    let placed = markdown::picture_references(&input.body);
    let in_body = match pictures::pictures(&state.db, placed.clone()).await {
        Ok(found) => found,
        Err(e) => return Err(Box::new(Err(e.into()))),
    };
    if in_body.len() < placed.len() {
        let errors = FieldErrors {
            body: Some("في النص سطر [صورة:رقم] لصورة ليست في مكتبة الصور."),
            ..FieldErrors::default()
        };
        return Err(refuse(
            state,
            editor,
            FormView::with_errors(article_id, form, errors),
        )
        .await);
    }
    Ok((form, input, lead, in_body))
}

pub async fn create(
    req: HttpRequest,
    submission: Submission<ArticleForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let protected = match submission {
        Submission::Live(protected) => protected,
        Submission::Expired(expired) => return keep_until_signed_in(&req, &state, expired).await,
    };
    let ProtectedUpload {
        member: editor,
        form,
        file,
    } = protected;
    let kept = form.clone();
    let saved = save_new(&req, &state, &editor, form, file).await;
    give_back_when_unavailable(saved, &state, &editor, None, kept).await
}

async fn save_new(
    req: &HttpRequest,
    state: &AppState,
    editor: &Editor,
    form: ArticleForm,
    file: Option<crate::web::multipart::UploadedFile>,
) -> Result<HttpResponse, WebError> {
    let form = match store_lead_upload(state, editor, None, form, file).await {
        Ok(form) => form,
        Err(refusal) => return *refusal,
    };
    let planned = form.planned_id();
    let (_, input, _, in_body) = match check(state, editor, None, form).await {
        Ok(checked) => checked,
        Err(refusal) => return *refusal,
    };
    let id = newsroom::create_article(
        &state.db,
        actor(req, editor),
        input,
        in_body,
        planned,
        now_timestamp(),
    )
    .await?;
    state.article_changed();
    discard_autosave(state, editor, None).await;
    Ok(see_other(&format!("/admin/articles/{id}/edit?saved=1")))
}

/// The autosaved copy is superseded by a save; failing to delete it loses nothing (it is
/// offered only while newer than the article).
async fn discard_autosave(state: &AppState, editor: &Editor, article: Option<ArticleId>) {
    if let Err(e) = newsroom::discard_autosave(&state.db, editor.user.id, article).await {
        tracing::warn!(error = %e, "could not discard an autosaved copy");
    }
}

/// A save that met a database it can't write just now (locked past the busy timeout, a
/// full disk): the form again, every field as typed, saying so, with 503 and
/// `Retry-After`. Nothing was saved: the use case's transaction is all or nothing.
async fn give_back_when_unavailable(
    saved: Result<HttpResponse, WebError>,
    state: &AppState,
    editor: &Editor,
    article_id: Option<ArticleId>,
    kept: ArticleForm,
) -> Result<HttpResponse, WebError> {
    let Err(WebError::Busy {
        retry_after_seconds,
    }) = saved
    else {
        return saved;
    };
    let view = FormView {
        unavailable: true,
        ..FormView::new(article_id, kept)
    };
    let response = view
        .render(state, editor, StatusCode::SERVICE_UNAVAILABLE)
        .await?;
    Ok(super::respond::try_again_later(
        response,
        retry_after_seconds,
    ))
}

fn parse_article_id(raw: &str) -> Result<ArticleId, WebError> {
    ArticleId::parse(raw).ok_or(WebError::NotFound)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EditQuery {
    saved: String,
    autosave: String,
}

pub async fn edit_form(
    editor: Editor,
    path: web::Path<String>,
    query: web::Query<EditQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let id = parse_article_id(&path)?;
    let article = newsroom::editable_article(&state.db, id).await?;
    let form = ArticleForm {
        draft: ArticleDraft::of(&article, state.site.dates.tz),
        version: article.version.to_string(),
        article_id: article.id.to_string(),
        ..ArticleForm::default()
    };
    // A copy the page saved by itself after the article last changed is offered back
    // (or shown, when asked for).
    let autosaved = newsroom::autosaved(&state.db, editor.user.id, Some(id))
        .await?
        .filter(|autosaved| autosaved.saved_at >= article.updated_at);
    if let (Some(autosaved), false) = (&autosaved, query.autosave.is_empty()) {
        let restored: ArticleForm = decode_fields(&autosaved.fields).unwrap_or_default();
        let view = FormView {
            notice: Some(AUTOSAVE_RESTORED),
            views: Some(state.views.current(id, article.views)),
            ..FormView::new(
                Some(id),
                ArticleForm {
                    article_id: id.to_string(),
                    ..restored
                },
            )
        };
        return view.render(&state, &editor, StatusCode::OK).await;
    }
    let view = FormView {
        notice: (!query.saved.is_empty()).then_some(SAVED),
        views: Some(state.views.current(id, article.views)),
        autosave_offer: autosaved.map(|a| {
            offer(
                &state,
                a.saved_at,
                &format!("/admin/articles/{id}/edit?autosave=1"),
            )
        }),
        ..FormView::new(Some(id), form)
    };
    view.render(&state, &editor, StatusCode::OK).await
}

pub async fn update(
    req: HttpRequest,
    path: web::Path<String>,
    submission: Submission<ArticleForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let id = parse_article_id(&path)?;
    let protected = match submission {
        Submission::Live(protected) => protected,
        Submission::Expired(mut expired) => {
            // The form names its article; the address says it for certain.
            expired.fields.retain(|(name, _)| name != "article_id");
            expired
                .fields
                .push(("article_id".to_owned(), id.to_string()));
            return keep_until_signed_in(&req, &state, expired).await;
        }
    };
    let ProtectedUpload {
        member: editor,
        mut form,
        file,
    } = protected;
    form.article_id = id.to_string();
    let kept = form.clone();
    let saved = save_edit(&req, &state, &editor, id, form, file).await;
    give_back_when_unavailable(saved, &state, &editor, Some(id), kept).await
}

async fn save_edit(
    req: &HttpRequest,
    state: &AppState,
    editor: &Editor,
    id: ArticleId,
    form: ArticleForm,
    file: Option<crate::web::multipart::UploadedFile>,
) -> Result<HttpResponse, WebError> {
    let form = match store_lead_upload(state, editor, Some(id), form, file).await {
        Ok(form) => form,
        Err(refusal) => return *refusal,
    };
    let (form, input, _, in_body) = match check(state, editor, Some(id), form).await {
        Ok(checked) => checked,
        Err(refusal) => return *refusal,
    };
    let edit = Edit {
        expected_version: form.expected_version(),
        input,
        pictures: in_body,
        restored_from: None,
    };
    let outcome =
        newsroom::update_article(&state.db, actor(req, editor), id, edit, now_timestamp()).await?;
    match outcome {
        UpdateOutcome::Saved => {
            state.article_changed();
            discard_autosave(state, editor, Some(id)).await;
            Ok(see_other(&format!("/admin/articles/{id}/edit?saved=1")))
        }
        UpdateOutcome::Conflict => {
            let view = FormView {
                conflict: true,
                ..FormView::new(Some(id), form)
            };
            view.render(state, editor, StatusCode::CONFLICT).await
        }
    }
}

/// Back from the preview to the form, with everything as typed.
pub async fn resume(
    req: HttpRequest,
    submission: Submission<ArticleForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let ProtectedUpload {
        member: editor,
        form,
        ..
    } = match submission {
        Submission::Live(protected) => protected,
        Submission::Expired(expired) => return keep_until_signed_in(&req, &state, expired).await,
    };
    FormView::new(form.article_id(), form)
        .render(&state, &editor, StatusCode::OK)
        .await
}

/// An article form sent after the session ended is kept server-side (it survives a
/// restart), tied to this browser by a cookie and to the session's user when known; the
/// sign-in page says so, and signing in leads to `restore`.
async fn keep_until_signed_in(
    req: &HttpRequest,
    state: &AppState,
    expired: ExpiredSubmission,
) -> Result<HttpResponse, WebError> {
    let claim = random_hex(32);
    newsroom::keep_pending_draft(
        &state.db,
        hash_token(&claim),
        expired.owner,
        expired.fields,
        now_timestamp(),
    )
    .await?;
    let mut response = login::sign_in_again(req, state, RESTORE_PATH, SESSION_ENDED)?;
    let cookie = secret_cookie(
        PENDING_COOKIE,
        claim,
        state.auth.secure_cookies,
        crate::db::pending_drafts::KEPT_SECONDS,
    );
    set_cookie(&mut response, &cookie)?;
    Ok(response)
}

/// The form kept by `keep_until_signed_in`, back in the editor's hands (and gone from the
/// server): the same fields, the same article and version, so saving it is an ordinary
/// save, the conflict check included.
pub async fn restore(
    req: HttpRequest,
    editor: Editor,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Some(claim) = req.cookie(PENDING_COOKIE) else {
        return Ok(see_other("/admin"));
    };
    let claimed = newsroom::claim_pending_draft(
        &state.db,
        hash_token(claim.value()),
        editor.user.id,
        now_timestamp(),
    )
    .await?;
    let mut response = match claimed {
        PendingDraft::Restored(fields) => {
            let form: ArticleForm = decode_fields(&fields).unwrap_or_default();
            let view = FormView {
                notice: Some(RESTORED),
                ..FormView::new(form.article_id(), form)
            };
            view.render(&state, &editor, StatusCode::OK).await?
        }
        // Its writer may still sign in on this browser: the cookie stays.
        PendingDraft::OtherMembers => return Ok(see_other("/admin")),
        PendingDraft::None => see_other("/admin"),
    };
    set_cookie(
        &mut response,
        &removal_cookie(PENDING_COOKIE, state.auth.secure_cookies),
    )?;
    Ok(response)
}

/// The article as readers will see it, rendered by the reader's own template, unsaved.
pub async fn preview(
    req: HttpRequest,
    submission: Submission<ArticleForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let protected = match submission {
        Submission::Live(protected) => protected,
        Submission::Expired(expired) => return keep_until_signed_in(&req, &state, expired).await,
    };
    let ProtectedUpload {
        member: editor,
        form,
        file,
    } = protected;
    let article_id = form.article_id();
    let form = match store_lead_upload(&state, &editor, article_id, form, file).await {
        Ok(form) => form,
        Err(refusal) => return *refusal,
    };
    let mut checked = match check(&state, &editor, article_id, form).await {
        Ok(checked) => checked,
        Err(refusal) => return *refusal,
    };
    // A new article is shown with the permalink it will have: the id is picked now and
    // travels with the form, and saving gives it that id.
    if article_id.is_none() {
        let planned = match checked.0.planned_id() {
            Some(id) => id,
            None => newsroom::unused_article_id(&state.db).await?,
        };
        checked.0.planned_id = planned.to_string();
    }
    render_preview(&req, &state, &editor, checked, false).await
}

/// A saved article as readers will see it (a draft, a scheduled article, or what readers
/// see now), with "نشر" if they don't see it yet.
pub async fn saved_preview(
    req: HttpRequest,
    editor: Editor,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let id = parse_article_id(&path)?;
    let article = newsroom::editable_article(&state.db, id).await?;
    let form = ArticleForm {
        draft: ArticleDraft::of(&article, state.site.dates.tz),
        version: article.version.to_string(),
        article_id: article.id.to_string(),
        ..ArticleForm::default()
    };
    let checked = match check(&state, &editor, Some(id), form).await {
        Ok(checked) => checked,
        Err(refusal) => return *refusal,
    };
    render_preview(&req, &state, &editor, checked, true).await
}

/// What "نشر" on a preview does: save the article for readers now, or at the later time
/// it names; nothing when readers already see it as it is (`saved`), and for unsaved edits
/// of an article readers see, save them without moving its time.
fn publish_offer(
    article_id: Option<ArticleId>,
    readers_see_it: bool,
    saved: bool,
    draft: &ArticleDraft,
    typed_at: Option<i64>,
    now: i64,
) -> Option<PublishOffer> {
    let action = match article_id {
        Some(id) => format!("/admin/articles/{id}"),
        None => "/admin/articles".to_owned(),
    };
    let offer = |label, published_at: String| {
        Some(PublishOffer {
            action: action.clone(),
            label,
            published_at,
        })
    };
    match (readers_see_it, saved) {
        (true, true) => None,
        (true, false) => offer("احفظ التعديل للقرّاء", draft.published_at.clone()),
        (false, false) if typed_at.is_some_and(|at| at > now) => {
            offer("جدولة النشر", draft.published_at.clone())
        }
        (false, _) => offer("نشر الآن", String::new()),
    }
}

async fn render_preview(
    req: &HttpRequest,
    state: &AppState,
    editor: &Editor,
    (form, input, lead_picture, in_body): (
        ArticleForm,
        ArticleInput,
        Option<Picture>,
        Vec<Picture>,
    ),
    saved: bool,
) -> Result<HttpResponse, WebError> {
    let article_id = form.article_id();
    let now = now_timestamp();
    let (stored_views, more) = newsroom::preview_context(&state.db, article_id, now).await?;
    let readers_see_it = match article_id {
        Some(id) => {
            let stored = newsroom::editable_article(&state.db, id).await?;
            Visibility::of(stored.status, stored.published_at, now) == Visibility::Visible
        }
        None => false,
    };
    let most_read = state.most_read.current(&state.db).await?;
    let publish = publish_offer(
        article_id,
        readers_see_it,
        saved,
        &form.draft,
        input.published_at,
        now,
    );
    let article = PublicArticle {
        id: article_id
            .or(form.planned_id())
            .unwrap_or(ArticleId::from_db(0)),
        section_id: input.section_id,
        body_html: markdown::body_to_html_with(&input.body, &in_body),
        title: input.title,
        summary: input.summary,
        author: input.author,
        published_at: input.published_at.unwrap_or(now),
        updated_at: now,
        views: stored_views,
        lead_picture,
        tags: input.tags.clone().unwrap_or_default(),
    };
    let views = article_id.map_or(0, |id| state.views.current(id, stored_views));
    let context = ArticleContext {
        site: &state.site,
        sections: state.sections.all(),
        more: &more,
        most_read: &most_read,
        display: display_of(req),
        related: &[],
        breaking: None,
        footer_pages: Vec::new(),
        logo: None,
    };
    let preview = Preview {
        csrf_token: editor.csrf_token.clone(),
        article_id: form.article_id.clone(),
        planned_id: form.planned_id.clone(),
        version: form.version.clone(),
        draft: form.draft,
        saved,
        publish,
    };
    let body = ArticlePage::preview(&article, views, context, preview).render()?;
    Ok(page(StatusCode::OK, body))
}

pub async fn delete_form(
    Admin(editor): Admin,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let id = parse_article_id(&path)?;
    let article = newsroom::editable_article(&state.db, id).await?;
    let body = DeletePage {
        layout: AdminLayout::new(&state.site, "حذف خبر", Some(signed_in(&editor)), "articles"),
        article_id: article.id,
        title: article.title,
    }
    .render()?;
    Ok(page(StatusCode::OK, body))
}

pub async fn delete(
    req: HttpRequest,
    path: web::Path<String>,
    protected: Protected<NoFields, Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let id = parse_article_id(&path)?;
    let Admin(admin) = protected.member;
    newsroom::delete_article(&state.db, actor(&req, &admin), id, now_timestamp()).await?;
    state.views.forget(id);
    state.article_changed();
    Ok(see_other("/admin?deleted=1"))
}
