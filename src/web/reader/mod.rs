//! What readers get: article pages, the home and section pages, search, feeds and
//! sitemaps, static files and the font-size control.

pub mod article;
pub mod feeds;
pub mod lists;
mod respond;
pub mod site;

/// The pictures `ids` name, in one query (an empty list asks nothing).
async fn pictures_of(
    state: &crate::runtime::AppState,
    ids: impl Iterator<Item = crate::core::picture::PictureId>,
) -> Result<Vec<crate::core::picture::Picture>, crate::web::error::WebError> {
    let mut ids: Vec<_> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(crate::app::pictures::pictures(&state.db, ids).await?)
}
