//! The newsroom admin under /admin: sign-in, articles, sections, users. Every page needs a
//! session (the `Editor` or `Admin` extractor); every state change is a POST through
//! `Protected`, which checks the origin and the CSRF token before the handler runs.

mod articles;
mod audit;
mod authors;
mod forms;
mod front_page;
mod list_page;
mod login;
mod media;
mod respond;
mod revisions;
mod sections;
mod sign_in;
mod site_pages;
mod two_factor;
mod users;

use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;
use actix_web::{HttpResponse, web};

use super::error::WebError;
use super::session::Editor;

/// Login is small; articles must fit a long Arabic text URL-encoded (~5 bytes a letter)
/// with room to spare: the body alone may be 200 KB of text.
const LOGIN_FORM_LIMIT: usize = 4 * 1024;
const ARTICLE_FORM_LIMIT: usize = 2 * 1024 * 1024;
const SMALL_FORM_LIMIT: usize = 16 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    let login_form = web::FormConfig::default().limit(LOGIN_FORM_LIMIT);
    let article_form = web::FormConfig::default().limit(ARTICLE_FORM_LIMIT);
    let small_form = web::FormConfig::default().limit(SMALL_FORM_LIMIT);
    cfg.service(
        web::scope("/admin")
            // Nothing of the admin may be kept by a browser or a proxy.
            .wrap(DefaultHeaders::new().add((header::CACHE_CONTROL, "no-store")))
            .service(
                web::resource("/login")
                    .app_data(login_form.clone())
                    .route(web::get().to(login::form))
                    .route(web::post().to(login::submit)),
            )
            .service(
                web::resource("/login/code")
                    .app_data(login_form.clone())
                    .route(web::get().to(two_factor::code_form))
                    .route(web::post().to(two_factor::code_submit)),
            )
            .service(web::resource("/account").route(web::get().to(two_factor::account)))
            .service(
                web::resource("/account/two-factor")
                    .app_data(small_form.clone())
                    .route(web::post().to(two_factor::enable)),
            )
            .service(
                web::resource("/account/two-factor/off")
                    .app_data(small_form.clone())
                    .route(web::post().to(two_factor::disable)),
            )
            .service(
                web::resource("/account/two-factor/codes")
                    .app_data(small_form.clone())
                    .route(web::post().to(two_factor::renew_codes)),
            )
            .service(
                web::resource("/users/{id}/two-factor/off")
                    .app_data(small_form.clone())
                    .route(web::post().to(two_factor::disable_for)),
            )
            .service(
                web::resource("/logout")
                    .app_data(small_form.clone())
                    .route(web::post().to(login::logout)),
            )
            .service(web::resource("").route(web::get().to(articles::list)))
            .service(web::resource("/").route(web::get().to(articles::list)))
            .service(
                web::resource("/articles")
                    .app_data(article_form.clone())
                    .route(web::post().to(articles::create)),
            )
            .service(web::resource("/articles/new").route(web::get().to(articles::new_form)))
            .service(
                web::resource("/autosave")
                    .app_data(article_form.clone())
                    .route(web::post().to(articles::autosave)),
            )
            .service(web::resource("/articles/pending").route(web::get().to(articles::restore)))
            .service(
                web::resource("/articles/resume")
                    .app_data(article_form.clone())
                    .route(web::post().to(articles::resume)),
            )
            .service(
                web::resource("/preview")
                    .app_data(article_form.clone())
                    .route(web::post().to(articles::preview)),
            )
            .service(
                web::resource("/articles/{id}")
                    .app_data(article_form.clone())
                    .route(web::post().to(articles::update)),
            )
            .service(web::resource("/articles/{id}/edit").route(web::get().to(articles::edit_form)))
            .service(
                web::resource("/articles/{id}/preview")
                    .route(web::get().to(articles::saved_preview)),
            )
            .service(
                web::resource("/articles/{id}/revisions").route(web::get().to(revisions::list)),
            )
            .service(
                web::resource("/articles/{id}/revisions/compare")
                    .route(web::get().to(revisions::compare)),
            )
            .service(
                web::resource("/articles/{id}/revisions/{revision}/restore")
                    .app_data(small_form.clone())
                    .route(web::post().to(revisions::restore)),
            )
            .service(
                web::resource("/articles/{id}/delete")
                    .app_data(small_form.clone())
                    .route(web::get().to(articles::delete_form))
                    .route(web::post().to(articles::delete)),
            )
            .service(web::resource("/pages").route(web::get().to(site_pages::forms)))
            .service(
                web::resource("/logo")
                    .app_data(small_form.clone())
                    .route(web::post().to(site_pages::save_logo)),
            )
            .service(
                web::resource("/pages/{slug}")
                    .app_data(article_form.clone())
                    .route(web::post().to(site_pages::save)),
            )
            .service(web::resource("/authors").route(web::get().to(authors::list)))
            .service(
                web::resource("/authors/{slug}")
                    .app_data(small_form.clone())
                    .route(web::post().to(authors::save)),
            )
            .service(web::resource("/front").route(web::get().to(front_page::controls)))
            .service(
                web::resource("/front/lead")
                    .app_data(small_form.clone())
                    .route(web::post().to(front_page::pin_lead)),
            )
            .service(
                web::resource("/front/lead/clear")
                    .app_data(small_form.clone())
                    .route(web::post().to(front_page::unpin_lead)),
            )
            .service(
                web::resource("/front/featured")
                    .app_data(small_form.clone())
                    .route(web::post().to(front_page::feature)),
            )
            .service(
                web::resource("/front/breaking")
                    .app_data(small_form.clone())
                    .route(web::post().to(front_page::raise_breaking)),
            )
            .service(
                web::resource("/front/breaking/clear")
                    .app_data(small_form.clone())
                    .route(web::post().to(front_page::lower_breaking)),
            )
            .service(
                web::resource("/media")
                    .route(web::get().to(media::library))
                    .route(web::post().to(media::upload)),
            )
            .service(
                web::resource("/media/{id}")
                    .app_data(small_form.clone())
                    .route(web::post().to(media::update_text)),
            )
            .service(
                web::resource("/media/{id}/delete")
                    .app_data(small_form.clone())
                    .route(web::post().to(media::delete)),
            )
            .service(
                web::resource("/sections")
                    .app_data(small_form.clone())
                    .route(web::get().to(list_page::list::<sections::Sections>))
                    .route(web::post().to(sections::create)),
            )
            .service(
                web::resource("/sections/{id}")
                    .app_data(small_form.clone())
                    .route(web::post().to(sections::rename)),
            )
            .service(
                web::resource("/sections/{id}/delete")
                    .app_data(small_form.clone())
                    .route(web::post().to(sections::delete)),
            )
            .service(
                web::resource("/users")
                    .app_data(small_form.clone())
                    .route(web::get().to(list_page::list::<users::Users>))
                    .route(web::post().to(users::create)),
            )
            .service(
                web::resource("/users/{id}/disable")
                    .app_data(small_form.clone())
                    .route(web::post().to(users::disable)),
            )
            .service(
                web::resource("/users/{id}/enable")
                    .app_data(small_form)
                    .route(web::post().to(users::enable)),
            )
            .service(
                web::resource("/users/{id}/delete")
                    .app_data(web::FormConfig::default().limit(SMALL_FORM_LIMIT))
                    .route(web::post().to(users::delete)),
            )
            .service(
                web::resource("/users/{id}/name")
                    .app_data(web::FormConfig::default().limit(SMALL_FORM_LIMIT))
                    .route(web::post().to(users::display_name)),
            )
            .service(
                web::resource("/users/{id}/reset")
                    .app_data(web::FormConfig::default().limit(SMALL_FORM_LIMIT))
                    .route(web::post().to(users::reset_link)),
            )
            .service(
                web::resource("/reset/{token}")
                    .app_data(web::FormConfig::default().limit(LOGIN_FORM_LIMIT))
                    .route(web::get().to(login::reset_form))
                    .route(web::post().to(login::reset_submit)),
            )
            .service(web::resource("/audit").route(web::get().to(audit::list)))
            .default_service(web::to(admin_not_found)),
    );
}

/// Unknown admin paths still require a session before saying "not found".
async fn admin_not_found(_editor: Editor) -> Result<HttpResponse, WebError> {
    Err(WebError::NotFound)
}
