//! `/admin/audit`: the audit log, newest first, filtered by action and by name. Admins
//! only; there is nothing here (or anywhere on the web) that edits or deletes an entry.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::respond::{page, signed_in};
use crate::app::audit;
use crate::core::audit::AuditAction;
use crate::core::paging::parse_page;
use crate::runtime::AppState;
use crate::views::admin::{AdminLayout, AuditLine, AuditPage};
use crate::views::layout::Pager;
use crate::web::error::WebError;
use crate::web::session::Admin;

const PAGE_SIZE: i64 = 50;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AuditQuery {
    action: String,
    user: String,
    page: String,
}

pub async fn list(
    Admin(admin): Admin,
    query: web::Query<AuditQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let raw_page = (!query.page.is_empty()).then_some(query.page.as_str());
    let page_number = parse_page(raw_page).ok_or(WebError::NotFound)?;
    let action = AuditAction::parse(&query.action);
    let user = query.user.trim().to_owned();
    let offset = (page_number - 1) * PAGE_SIZE;
    // One more than a page: is there a next one?
    let mut entries = audit::entries(
        &state.db,
        action,
        (!user.is_empty()).then(|| user.clone()),
        PAGE_SIZE + 1,
        offset,
    )
    .await?;
    let has_next = entries.len() as i64 > PAGE_SIZE;
    entries.truncate(PAGE_SIZE as usize);
    let mut base = String::from("/admin/audit?");
    base.push_str(
        &serde_urlencoded::to_string([
            ("action", action.map_or("", AuditAction::as_str)),
            ("user", user.as_str()),
        ])
        .unwrap_or_default(),
    );
    let body = AuditPage {
        layout: AdminLayout::new(
            &state.site,
            "سجل العمليات",
            Some(signed_in(&admin)),
            "audit",
        ),
        lines: entries
            .into_iter()
            .map(|entry| AuditLine::new(entry, &state.site))
            .collect(),
        actions: AuditAction::ALL
            .iter()
            .map(|a| (a.as_str(), a.label(), Some(*a) == action))
            .collect(),
        user,
        pager: Pager {
            base,
            page: page_number,
            has_next,
        },
    }
    .render()?;
    Ok(page(StatusCode::OK, body))
}
