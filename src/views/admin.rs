//! Template structs of the newsroom admin, each with an `AdminLayout`.

use askama::Template;

use super::assets::{AssetUrls, asset_urls};
use super::layout::Pager;
use crate::core::ArticleId;
use crate::core::arabic::dates::Digits;
use crate::core::arabic::plural::{self, Counted};
use crate::core::article::{ArticleDraft, FieldErrors, NewsroomRow, Status};
use crate::core::section::{Section, SectionWithCount};
use crate::core::site::Site;
use crate::core::user::User;

/// The signed-in user, as the admin frame shows them.
pub struct SignedIn {
    pub username: String,
    pub is_admin: bool,
    pub csrf_token: String,
}

pub struct AdminLayout<'a> {
    pub site: &'a Site,
    pub assets: &'static AssetUrls,
    pub title: String,
    pub signed_in: Option<SignedIn>,
    /// Which menu entry is current: "articles", "new", "sections", "users".
    pub current: &'static str,
}

impl AdminLayout<'_> {
    /// A view count in words that agree with it ("مشاهدتان", "3 مشاهدات"), the number
    /// in `<bdi>`.
    pub fn views_html(&self, n: impl std::borrow::Borrow<i64>) -> String {
        Counted::new(*n.borrow(), &plural::VIEWS, Digits::Western).html()
    }
}

impl<'a> AdminLayout<'a> {
    pub fn new(
        site: &'a Site,
        title: &str,
        signed_in: Option<SignedIn>,
        current: &'static str,
    ) -> Self {
        AdminLayout {
            site,
            assets: asset_urls(),
            title: format!("{title} — غرفة الأخبار — {}", site.name),
            signed_in,
            current,
        }
    }

    pub fn csrf_token(&self) -> &str {
        self.signed_in
            .as_ref()
            .map_or("", |s| s.csrf_token.as_str())
    }

    pub fn is_admin(&self) -> bool {
        self.signed_in.as_ref().is_some_and(|s| s.is_admin)
    }

    /// Whether the page is shown to `username`.
    pub fn signed_in_as(&self, username: &str) -> bool {
        self.signed_in
            .as_ref()
            .is_some_and(|s| s.username == username)
    }
}

#[derive(Template)]
#[template(path = "admin/login.html")]
pub struct LoginPage<'a> {
    pub layout: AdminLayout<'a>,
    pub csrf_token: String,
    pub username: String,
    pub next: String,
    pub error: Option<&'static str>,
}

/// One row of the article list, ready to show.
pub struct NewsroomItem {
    pub row: NewsroomRow,
    pub section_name: String,
    pub state_label: &'static str,
    pub state_class: &'static str,
    pub when: String,
    pub views: i64,
}

#[derive(Template)]
#[template(path = "admin/list.html")]
pub struct ArticleListPage<'a> {
    pub layout: AdminLayout<'a>,
    pub items: Vec<NewsroomItem>,
    pub total: i64,
    pub sections: Vec<Section>,
    pub filter_status: String,
    pub filter_section: String,
    pub filter_author: String,
    pub filter_query: String,
    pub filter_sort: String,
    /// Every author line used so far, for the author filter.
    pub authors: Vec<String>,
    /// A search with more matches than are listed.
    pub search_capped: bool,
    pub pager: Pager,
    pub notice: Option<&'static str>,
    /// On the unfiltered first page: how the site is read.
    pub dashboard: Option<DashboardView>,
}

/// An article in a dashboard list: its id, title, and a number (views) or a time.
pub struct DashboardLine {
    pub id: ArticleId,
    pub title: String,
    pub figure: String,
}

/// The reading dashboard on the newsroom's front page.
pub struct DashboardView {
    pub chart: super::chart::DailyChart,
    /// (heading, lines): the most read today, in 7 days, in 30 days.
    pub top: Vec<(&'static str, Vec<DashboardLine>)>,
    pub scheduled: Vec<DashboardLine>,
}

impl DashboardView {
    pub fn new(dashboard: crate::core::article::Dashboard, site: &Site) -> Self {
        let lines = |rows: Vec<(ArticleId, String, i64)>| {
            rows.into_iter()
                .map(|(id, title, views)| DashboardLine {
                    id,
                    title,
                    figure: Counted::new(views, &plural::VIEWS, Digits::Western).to_string(),
                })
                .collect()
        };
        DashboardView {
            chart: super::chart::DailyChart::new(
                &dashboard.per_day,
                dashboard.first_day,
                dashboard.today,
                "مشاهدات الموقع يومًا بيوم",
                site,
            ),
            top: vec![
                ("الأكثر قراءة اليوم", lines(dashboard.top_today)),
                ("في 7 أيام", lines(dashboard.top_week)),
                ("في 30 يومًا", lines(dashboard.top_month)),
            ],
            scheduled: dashboard
                .scheduled
                .into_iter()
                .map(|(id, title, at)| DashboardLine {
                    id,
                    title,
                    figure: site
                        .dates
                        .date_time(crate::core::time::timestamp_to_utc(at)),
                })
                .collect(),
        }
    }
}

impl ArticleListPage<'_> {
    pub fn section_selected(&self, section: &Section) -> bool {
        self.filter_section == section.id.to_string()
    }
}

#[derive(Template)]
#[template(path = "admin/form.html")]
pub struct ArticleFormPage<'a> {
    pub layout: AdminLayout<'a>,
    /// `None` for a new article.
    pub article_id: Option<ArticleId>,
    /// The fields as typed (or as loaded).
    pub draft: ArticleDraft,
    /// The picture `draft.lead_picture` names, if it is in the library.
    pub lead: Option<crate::core::picture::Picture>,
    /// A new lead picture's text as typed, and what was wrong with the upload.
    pub lead_upload: LeadUpload,
    /// The newest pictures of the library, to place in the body or lead with.
    pub library: Vec<MediaEntry>,
    /// A copy the page saved by itself that is newer than what the form shows.
    pub autosave_offer: Option<AutosaveOffer>,
    /// The article's views per day (an article that exists).
    pub chart: Option<super::chart::DailyChart>,
    /// The version the editor started from (edits only).
    pub version: String,
    /// The permalink id a preview showed this new article (kept until it is saved).
    pub planned_id: String,
    pub errors: FieldErrors,
    pub sections: Vec<Section>,
    /// The tags used most, offered while typing tags.
    pub tag_suggestions: Vec<crate::core::tags::Tag>,
    pub notice: Option<&'static str>,
    /// Shown above the form when the article changed under the editor.
    pub conflict: bool,
    /// Shown when the database could not be written just now: nothing was saved.
    pub unavailable: bool,
    /// The page readers see, once they can see it.
    pub public_url: Option<String>,
    /// Until then, why not and when: "مسودة…", "سيظهر للقراء في …".
    pub not_public: Option<String>,
    pub views: Option<i64>,
}

impl ArticleFormPage<'_> {
    /// The zone the publication time is typed in, named: "Asia/Damascus، UTC+03:00".
    pub fn zone(&self) -> String {
        let tz = self.layout.site.dates.tz;
        let offset = chrono::Utc::now().with_timezone(&tz).format("%:z");
        format!("{}، UTC{offset}", tz.name())
    }

    pub fn action(&self) -> String {
        match self.article_id {
            Some(id) => format!("/admin/articles/{id}"),
            None => "/admin/articles".to_owned(),
        }
    }

    pub fn section_selected(&self, section: &Section) -> bool {
        self.draft.section_id == section.id.to_string()
    }

    pub fn article_id_field(&self) -> String {
        self.article_id.map(|id| id.to_string()).unwrap_or_default()
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || !self.lead_upload.errors.is_empty()
    }

    pub fn thumbnail_of(&self, picture: &crate::core::picture::Picture) -> String {
        thumbnail_name(picture)
    }

    /// Its height shown 160 wide.
    pub fn thumbnail_height(&self, picture: &crate::core::picture::Picture) -> u32 {
        crate::core::picture::scaled_height(picture.width, picture.height, 160)
    }
}

/// The file an admin page shows a picture by: its narrowest WebP.
fn thumbnail_name(picture: &crate::core::picture::Picture) -> String {
    use crate::core::picture::{Format, served_widths, variant_name};
    variant_name(served_widths(picture.width)[0], Format::WebP)
}

/// "A newer copy was saved automatically at …": when, and the form with it.
#[derive(Debug)]
pub struct AutosaveOffer {
    pub when: String,
    pub url: String,
}

/// The fields of a lead picture uploaded with the article form.
#[derive(Debug, Default)]
pub struct LeadUpload {
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub errors: UploadErrors,
}

/// What kept a picture chosen with a form from being stored.
#[derive(Debug, Default)]
pub struct UploadErrors {
    pub text: crate::core::picture::PictureTextErrors,
    pub file: Option<&'static str>,
}

impl UploadErrors {
    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.file.is_none()
    }
}

#[derive(Template)]
#[template(path = "admin/delete.html")]
pub struct DeletePage<'a> {
    pub layout: AdminLayout<'a>,
    pub article_id: ArticleId,
    pub title: String,
}

#[derive(Template)]
#[template(path = "admin/sections.html")]
pub struct SectionsPage<'a> {
    pub layout: AdminLayout<'a>,
    pub sections: Vec<SectionWithCount>,
    pub new_name: String,
    pub new_slug: String,
    pub error: Option<String>,
    pub notice: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
pub struct UsersPage<'a> {
    pub layout: AdminLayout<'a>,
    /// Each user with when they last signed in, as shown.
    pub users: Vec<(User, String)>,
    pub new_username: String,
    pub new_role: String,
    pub error: Option<String>,
    pub notice: Option<&'static str>,
}

/// One picture of the media library page.
pub struct MediaEntry {
    pub picture: crate::core::picture::Picture,
    /// The file shown in the grid, and its height at 320 wide.
    pub thumbnail: String,
    pub thumbnail_height: u32,
    /// Stored size, in words ("1.2 ميغابايت").
    pub size: String,
    pub uses: i64,
    pub uses_label: String,
}

impl MediaEntry {
    pub fn new(picture: crate::core::picture::Picture, bytes: i64, uses: i64) -> Self {
        use crate::core::picture::scaled_height;
        let size = if bytes >= 1024 * 1024 {
            format!("{:.1} ميغابايت", bytes as f64 / (1024.0 * 1024.0))
        } else {
            format!("{} كيلوبايت", (bytes + 1023) / 1024)
        };
        let uses_label = match uses {
            0 => "غير مستخدمة".to_owned(),
            n => format!("في {n} من الأخبار"),
        };
        MediaEntry {
            thumbnail: thumbnail_name(&picture),
            thumbnail_height: scaled_height(picture.width, picture.height, 320),
            picture,
            size,
            uses,
            uses_label,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/media.html")]
pub struct MediaPage<'a> {
    pub layout: AdminLayout<'a>,
    pub pictures: Vec<MediaEntry>,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub errors: crate::core::picture::PictureTextErrors,
    pub notice: Option<&'static str>,
    pub error: Option<&'static str>,
}

/// One revision in the list of an article's revisions.
#[derive(Clone)]
pub struct RevisionLine {
    pub id: crate::core::RevisionId,
    pub number: usize,
    pub when: String,
    pub saved_by: String,
    pub status: &'static str,
    pub title: String,
}

impl RevisionLine {
    /// `revisions` newest first, numbered from the oldest (1).
    pub fn list(
        revisions: &[crate::core::revision::Revision],
        site: &crate::core::site::Site,
    ) -> Vec<Self> {
        let count = revisions.len();
        revisions
            .iter()
            .enumerate()
            .map(|(i, revision)| RevisionLine {
                id: revision.id,
                number: count - i,
                when: site
                    .dates
                    .date_time(crate::core::time::timestamp_to_utc(revision.saved_at)),
                saved_by: revision
                    .saved_by
                    .clone()
                    .unwrap_or_else(|| "حساب محذوف".to_owned()),
                status: status_label(revision.status),
                title: revision.title.clone(),
            })
            .collect()
    }
}

fn status_label(status: Status) -> &'static str {
    match status {
        Status::Published => "منشور",
        Status::Draft => "مسودة",
    }
}

#[derive(Template)]
#[template(path = "admin/revisions.html")]
pub struct RevisionsPage<'a> {
    pub layout: AdminLayout<'a>,
    pub article_id: ArticleId,
    pub title: String,
    /// The article's version now: a restore made from this page checks it.
    pub version: i64,
    pub revisions: Vec<RevisionLine>,
    pub error: Option<&'static str>,
}

/// A run of words of a difference, as the page marks it.
pub struct DiffRun {
    /// "same", "removed" or "added".
    pub kind: &'static str,
    pub text: String,
}

impl DiffRun {
    pub fn of(parts: Vec<crate::core::revision::DiffPart>) -> Vec<Self> {
        use crate::core::revision::DiffPart;
        parts
            .into_iter()
            .map(|part| match part {
                DiffPart::Same(text) => DiffRun { kind: "same", text },
                DiffPart::Removed(text) => DiffRun {
                    kind: "removed",
                    text,
                },
                DiffPart::Added(text) => DiffRun {
                    kind: "added",
                    text,
                },
            })
            .collect()
    }
}

/// A field of two revisions: the words that changed, or that it did not.
pub struct FieldDiff {
    pub label: &'static str,
    pub runs: Vec<DiffRun>,
    pub changed: bool,
}

impl FieldDiff {
    pub fn new(label: &'static str, old: &str, new: &str) -> Self {
        FieldDiff {
            label,
            changed: old != new,
            runs: DiffRun::of(crate::core::revision::word_diff(old, new)),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/compare.html")]
pub struct ComparePage<'a> {
    pub layout: AdminLayout<'a>,
    pub article_id: ArticleId,
    pub older: RevisionLine,
    pub newer: RevisionLine,
    pub fields: Vec<FieldDiff>,
}

/// One entry of the audit log as the page shows it.
pub struct AuditLine {
    pub when: String,
    pub datetime: String,
    pub username: String,
    pub address: String,
    pub action: &'static str,
    pub target: String,
}

impl AuditLine {
    pub fn new(entry: crate::core::audit::AuditEntry, site: &Site) -> Self {
        let instant = crate::core::time::timestamp_to_utc(entry.at);
        AuditLine {
            when: site.dates.date_time(instant),
            datetime: site.dates.machine(instant),
            username: entry.username,
            address: entry.address,
            action: entry.action.map_or("عملية غير معروفة", |a| a.label()),
            target: entry.target,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
pub struct AuditPage<'a> {
    pub layout: AdminLayout<'a>,
    pub lines: Vec<AuditLine>,
    /// Every action: its stored name, its label, whether it is the filter.
    pub actions: Vec<(&'static str, &'static str, bool)>,
    pub user: String,
    pub pager: Pager,
}

/// The one-time link an admin just made, shown once.
#[derive(Template)]
#[template(path = "admin/reset_link.html")]
pub struct ResetLinkPage<'a> {
    pub layout: AdminLayout<'a>,
    pub username: String,
    pub link: String,
}

/// Choosing a new password through a one-time link (no session).
#[derive(Template)]
#[template(path = "admin/reset.html")]
pub struct ResetPage<'a> {
    pub layout: AdminLayout<'a>,
    /// `None`: the link cannot be used (the page says so, and shows no form).
    pub username: Option<String>,
    pub csrf_token: String,
    pub error: Option<&'static str>,
}

/// The second step of signing in: a code from the authenticator app or a recovery code.
#[derive(Template)]
#[template(path = "admin/login_code.html")]
pub struct LoginCodePage<'a> {
    pub layout: AdminLayout<'a>,
    pub csrf_token: String,
    pub next: String,
    pub error: Option<&'static str>,
}

/// Setting up two-factor sign-in: the key as a QR code and as text, and the form for the
/// first code.
pub struct Enrolment {
    pub secret: String,
    /// The secret in groups of four, for typing into an app by hand.
    pub grouped_secret: String,
    pub signature: String,
    /// The `otpauth://` address, drawn as a QR code (an SVG data: URI).
    pub qr_code: String,
}

/// A member's own account: two-factor sign-in on or off.
#[derive(Template)]
#[template(path = "admin/account.html")]
pub struct AccountPage<'a> {
    pub layout: AdminLayout<'a>,
    pub user: User,
    /// Set while two-factor sign-in is off.
    pub enrolment: Option<Enrolment>,
    pub recovery_codes_left: i64,
    /// The site asks admins for two factors and this one has none yet.
    pub required: bool,
    pub error: Option<&'static str>,
    pub notice: Option<&'static str>,
}

/// Recovery codes, shown once.
#[derive(Template)]
#[template(path = "admin/recovery_codes.html")]
pub struct RecoveryCodesPage<'a> {
    pub layout: AdminLayout<'a>,
    pub codes: Vec<String>,
}

/// `text` as a QR code: an SVG image in a data: URI, drawn here (no script, nothing from
/// another host, and the CSP already allows data: images).
pub fn qr_code_data_uri(text: &str) -> String {
    use base64::Engine as _;
    let Ok(code) = qrcode::QrCode::new(text.as_bytes()) else {
        return String::new();
    };
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    )
}

/// The newsroom's front page controls: lead, featured stories, breaking news.
#[derive(Template)]
#[template(path = "admin/front.html")]
pub struct FrontPageControls<'a> {
    pub layout: AdminLayout<'a>,
    /// The stories that may be picked: the newest visible ones, and any picked now.
    pub choices: Vec<FrontChoice>,
    /// The pinned lead and when the pin ends ("حتى يُلغى" when it doesn't).
    pub lead: Option<(FrontChoice, String)>,
    pub featured: Vec<FrontChoice>,
    /// The bar up now: its text, link and when it ends.
    pub breaking: Option<(String, String, String)>,
    /// The forms as typed, when one was refused.
    pub lead_form: (String, String),
    pub featured_form: [String; 4],
    pub breaking_form: (String, String, String),
    pub error: Option<String>,
    pub notice: Option<&'static str>,
}

/// An article the front page controls name.
#[derive(Debug, Clone)]
pub struct FrontChoice {
    pub id: ArticleId,
    pub title: String,
}

impl FrontPageControls<'_> {
    pub fn selected(&self, chosen: &str, id: &ArticleId) -> bool {
        chosen == id.to_string()
    }

    pub const LEAD_HOURS: [(&'static str, &'static str); 7] = [
        ("", "حتى أغيّره"),
        ("1", "ساعة"),
        ("3", "3 ساعات"),
        ("6", "6 ساعات"),
        ("12", "12 ساعة"),
        ("24", "يوم"),
        ("48", "يومان"),
    ];

    pub const BREAKING_MINUTES: [(&'static str, &'static str); 7] = [
        ("30", "نصف ساعة"),
        ("60", "ساعة"),
        ("120", "ساعتان"),
        ("180", "3 ساعات"),
        ("360", "6 ساعات"),
        ("720", "12 ساعة"),
        ("1440", "يوم"),
    ];
}

/// The newsroom's authors: every byline in use, with what its page says.
#[derive(Template)]
#[template(path = "admin/authors.html")]
pub struct AuthorsPage<'a> {
    pub layout: AdminLayout<'a>,
    pub authors: Vec<AuthorEntry>,
    pub error: Option<String>,
    pub notice: Option<&'static str>,
}

/// One author on the newsroom's authors page, with the form's values.
#[derive(Debug, Clone)]
pub struct AuthorEntry {
    pub byline: String,
    pub slug: String,
    /// The reader's page of this author.
    pub href: String,
    /// Where its form posts (the slug percent-encoded, as in `href`).
    pub action: String,
    pub bio: String,
    /// The library number of the author's picture, or empty.
    pub picture: String,
}

/// The site's own pages, as admins write them.
#[derive(Template)]
#[template(path = "admin/pages.html")]
pub struct SitePagesForms<'a> {
    pub layout: AdminLayout<'a>,
    /// (slug, path, title, body) of each page, as stored or as typed.
    pub pages: Vec<(&'static str, String, String, String)>,
    /// The logo's picture number, as stored or as typed (empty: the name as text).
    pub logo: String,
    pub error: Option<String>,
    pub notice: Option<&'static str>,
}
