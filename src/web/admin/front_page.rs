//! The front page controls (`/admin/front`, any member of the newsroom): pin the lead,
//! choose the featured stories, raise or lower the breaking-news bar. Every change shows
//! on the home page at once (the page caches are dropped) and goes to the audit log.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::forms::DoneQuery;
use super::respond::{actor, page, see_other, signed_in};
use crate::app::front_page::{self, PickOutcome};
use crate::core::ArticleId;
use crate::core::front_page::{
    Breaking, check_breaking_text, check_link, parse_featured, parse_hours,
};
use crate::core::time::{now_timestamp, timestamp_to_utc};
use crate::runtime::AppState;
use crate::views::admin::{AdminLayout, FrontChoice, FrontPageControls};
use crate::web::error::WebError;
use crate::web::session::{Editor, NoFields, Protected};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LeadForm {
    pub article: String,
    pub hours: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FeaturedForm {
    pub featured_1: String,
    pub featured_2: String,
    pub featured_3: String,
    pub featured_4: String,
}

impl FeaturedForm {
    fn slots(&self) -> [String; 4] {
        [
            self.featured_1.clone(),
            self.featured_2.clone(),
            self.featured_3.clone(),
            self.featured_4.clone(),
        ]
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BreakingForm {
    pub text: String,
    pub link: String,
    pub minutes: String,
}

/// The forms as they are shown: as typed when one was refused, else from what is stored.
#[derive(Default)]
struct Typed {
    lead: Option<LeadForm>,
    featured: Option<[String; 4]>,
    breaking: Option<BreakingForm>,
}

async fn show(
    state: &AppState,
    editor: &Editor,
    status: StatusCode,
    typed: Typed,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Result<HttpResponse, WebError> {
    let now = now_timestamp();
    let curation = front_page::curation(&state.db).await?.at(now);
    let stories = front_page::choices(&state.db, curation.clone(), now).await?;
    let choice = |id: ArticleId| {
        stories.iter().find(|a| a.id == id).map(|a| FrontChoice {
            id,
            title: a.title.clone(),
        })
    };
    let when = |at: i64| state.site.dates.date_time(timestamp_to_utc(at));
    let lead = curation.lead.as_ref().and_then(|pin| {
        let until = match pin.until {
            Some(until) => format!("حتى {}", when(until)),
            None => "حتى يُلغى".to_owned(),
        };
        choice(pin.article).map(|story| (story, until))
    });
    let featured: Vec<FrontChoice> = curation
        .featured
        .iter()
        .filter_map(|id| choice(*id))
        .collect();
    let lead_form = typed.lead.unwrap_or_else(|| LeadForm {
        article: curation
            .lead
            .as_ref()
            .map(|pin| pin.article.to_string())
            .unwrap_or_default(),
        hours: String::new(),
    });
    let featured_form = typed.featured.unwrap_or_else(|| {
        let mut slots: [String; 4] = Default::default();
        for (slot, story) in slots.iter_mut().zip(&featured) {
            *slot = story.id.to_string();
        }
        slots
    });
    let breaking_form = typed.breaking.unwrap_or_else(|| BreakingForm {
        minutes: "60".to_owned(),
        ..BreakingForm::default()
    });
    let layout = AdminLayout::new(
        &state.site,
        "الصفحة الأولى",
        Some(signed_in(editor)),
        "front",
    );
    let body = FrontPageControls {
        layout,
        choices: stories
            .iter()
            .map(|a| FrontChoice {
                id: a.id,
                title: a.title.clone(),
            })
            .collect(),
        lead,
        featured,
        breaking: curation.breaking.as_ref().map(|b| {
            (
                b.text.clone(),
                b.link.clone().unwrap_or_default(),
                when(b.until),
            )
        }),
        lead_form: (lead_form.article, lead_form.hours),
        featured_form,
        breaking_form: (
            breaking_form.text,
            breaking_form.link,
            breaking_form.minutes,
        ),
        error,
        notice,
    }
    .render()?;
    Ok(page(status, body))
}

/// A form refused: the page again with it as typed, and why.
async fn refuse(
    state: &AppState,
    editor: &Editor,
    typed: Typed,
    error: &str,
) -> Result<HttpResponse, WebError> {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    show(state, editor, status, typed, Some(error.to_owned()), None).await
}

/// Readers see the change at once.
fn changed(state: &AppState) -> HttpResponse {
    state.article_changed();
    see_other("/admin/front?done=1")
}

const NOT_VISIBLE: &str = "هذا الخبر غير منشور للقرّاء الآن: لا يمكن وضعه في الصفحة الأولى.";

pub async fn controls(
    editor: Editor,
    query: web::Query<DoneQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let notice = (!query.done.is_empty()).then_some("تم الحفظ، والصفحة الأولى تعرضه الآن.");
    show(
        &state,
        &editor,
        StatusCode::OK,
        Typed::default(),
        None,
        notice,
    )
    .await
}

pub async fn pin_lead(
    req: HttpRequest,
    protected: Protected<LeadForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Protected { member, form } = protected;
    let typed = || Typed {
        lead: Some(form.clone()),
        ..Typed::default()
    };
    let Some(article) = ArticleId::parse(form.article.trim()) else {
        return refuse(&state, &member, typed(), "اختر خبرًا.").await;
    };
    let hours = match parse_hours(&form.hours) {
        Ok(hours) => hours,
        Err(message) => return refuse(&state, &member, typed(), message).await,
    };
    let who = actor(&req, &member);
    match front_page::pin_lead(&state.db, who, article, hours, now_timestamp()).await? {
        PickOutcome::Done => Ok(changed(&state)),
        PickOutcome::NotVisible(_) => refuse(&state, &member, typed(), NOT_VISIBLE).await,
    }
}

pub async fn unpin_lead(
    req: HttpRequest,
    protected: Protected<NoFields>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let who = actor(&req, &protected.member);
    front_page::unpin_lead(&state.db, who, now_timestamp()).await?;
    Ok(changed(&state))
}

pub async fn feature(
    req: HttpRequest,
    protected: Protected<FeaturedForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Protected { member, form } = protected;
    let slots = form.slots();
    let typed = || Typed {
        featured: Some(slots.clone()),
        ..Typed::default()
    };
    let ids = match parse_featured(&slots) {
        Ok(ids) => ids,
        Err(message) => return refuse(&state, &member, typed(), message).await,
    };
    let who = actor(&req, &member);
    match front_page::feature(&state.db, who, ids, now_timestamp()).await? {
        PickOutcome::Done => Ok(changed(&state)),
        PickOutcome::NotVisible(_) => refuse(&state, &member, typed(), NOT_VISIBLE).await,
    }
}

/// How long the bar may stay up, in minutes (a day at most: news that is still breaking
/// after a day is a story, not a bar).
fn parse_minutes(raw: &str) -> Option<i64> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|minutes| (1..=24 * 60).contains(minutes))
}

pub async fn raise_breaking(
    req: HttpRequest,
    protected: Protected<BreakingForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Protected { member, form } = protected;
    let typed = || Typed {
        breaking: Some(form.clone()),
        ..Typed::default()
    };
    let checked = check_breaking_text(&form.text).and_then(|text| {
        let link = check_link(&form.link)?;
        let minutes = parse_minutes(&form.minutes).ok_or("اختر مدة من القائمة.")?;
        Ok((text, link, minutes))
    });
    let (text, link, minutes) = match checked {
        Ok(checked) => checked,
        Err(message) => return refuse(&state, &member, typed(), message).await,
    };
    let now = now_timestamp();
    let breaking = Breaking {
        text,
        link,
        until: now + minutes * 60,
    };
    front_page::raise_breaking(&state.db, actor(&req, &member), breaking, now).await?;
    Ok(changed(&state))
}

pub async fn lower_breaking(
    req: HttpRequest,
    protected: Protected<NoFields>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let who = actor(&req, &protected.member);
    front_page::lower_breaking(&state.db, who, now_timestamp()).await?;
    Ok(changed(&state))
}
