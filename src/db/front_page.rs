//! Queries on the front page's picks (`front_picks`) and its breaking-news bar
//! (`breaking_news`).

use diesel::prelude::*;

use super::schema::{breaking_news, front_picks};
use super::{DbConn, DbResult};
use crate::core::ArticleId;
use crate::core::front_page::{Breaking, Curation, LeadPin};

const LEAD: &str = "lead";
const FEATURED: &str = "featured";

/// Everything picked, ended picks included (`Curation::at` leaves those out).
pub fn curation(conn: &mut DbConn) -> DbResult<Curation> {
    let picks: Vec<(i64, String, Option<i64>)> = front_picks::table
        .order((front_picks::role.asc(), front_picks::position.asc()))
        .select((
            front_picks::article_id,
            front_picks::role,
            front_picks::until,
        ))
        .load(conn)?;
    let lead = picks
        .iter()
        .find(|(_, role, _)| role == LEAD)
        .map(|(id, _, until)| LeadPin {
            article: ArticleId::from_db(*id),
            until: *until,
        });
    let featured = picks
        .iter()
        .filter(|(_, role, _)| role == FEATURED)
        .map(|(id, _, _)| ArticleId::from_db(*id))
        .collect();
    let breaking = breaking_news::table
        .select((
            breaking_news::text,
            breaking_news::link,
            breaking_news::until,
        ))
        .first::<(String, Option<String>, i64)>(conn)
        .optional()?
        .map(|(text, link, until)| Breaking { text, link, until });
    Ok(Curation {
        lead,
        featured,
        breaking,
    })
}

/// Pins `pin` as the lead (replacing any), or unpins with `None`. An article is either
/// the lead or featured: pinning it takes it out of the featured ones.
pub fn set_lead(conn: &mut DbConn, pin: Option<&LeadPin>) -> DbResult<()> {
    diesel::delete(front_picks::table.filter(front_picks::role.eq(LEAD))).execute(conn)?;
    if let Some(pin) = pin {
        diesel::delete(front_picks::table.find(pin.article.get())).execute(conn)?;
        diesel::insert_into(front_picks::table)
            .values((
                front_picks::article_id.eq(pin.article.get()),
                front_picks::role.eq(LEAD),
                front_picks::position.eq(0),
                front_picks::until.eq(pin.until),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Makes `ids` the featured stories, in this order (the lead, if among them, stays lead).
pub fn set_featured(conn: &mut DbConn, ids: &[ArticleId]) -> DbResult<()> {
    diesel::delete(front_picks::table.filter(front_picks::role.eq(FEATURED))).execute(conn)?;
    let lead: Option<i64> = front_picks::table
        .filter(front_picks::role.eq(LEAD))
        .select(front_picks::article_id)
        .first(conn)
        .optional()?;
    for (position, id) in ids.iter().filter(|id| Some(id.get()) != lead).enumerate() {
        diesel::insert_into(front_picks::table)
            .values((
                front_picks::article_id.eq(id.get()),
                front_picks::role.eq(FEATURED),
                front_picks::position.eq(i64::try_from(position).unwrap_or(i64::MAX)),
                front_picks::until.eq(None::<i64>),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Raises the bar (replacing any), or takes it down with `None`.
pub fn set_breaking(conn: &mut DbConn, breaking: Option<&Breaking>) -> DbResult<()> {
    diesel::delete(breaking_news::table).execute(conn)?;
    if let Some(b) = breaking {
        diesel::insert_into(breaking_news::table)
            .values((
                breaking_news::id.eq(1),
                breaking_news::text.eq(&b.text),
                breaking_news::link.eq(&b.link),
                breaking_news::until.eq(b.until),
            ))
            .execute(conn)?;
    }
    Ok(())
}
