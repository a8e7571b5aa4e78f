//! How an article's rendered body is stored: DEFLATE-compressed behind a marker byte, a
//! third of its size. Rows written before bodies were compressed hold the HTML as text and
//! still read as it is.

use std::io::{Read, Write};

use diesel::backend::Backend;
use diesel::expression::AsExpression;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Binary;
use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;

/// Marks a compressed body: rendered HTML never starts with a NUL.
const COMPRESSED: u8 = 0;

/// A rendered body as stored.
#[derive(Debug, Clone, AsExpression)]
#[diesel(sql_type = Binary)]
pub struct StoredHtml(Vec<u8>);

impl StoredHtml {
    /// `html` compressed for storing.
    pub fn compress(html: &str) -> StoredHtml {
        let mut out = vec![COMPRESSED];
        let mut encoder = DeflateEncoder::new(&mut out, Compression::default());
        // Writing into a vector cannot fail; if it ever did, store the text as it is.
        let compressed = encoder
            .write_all(html.as_bytes())
            .and_then(|()| encoder.finish());
        match compressed {
            Ok(_) => StoredHtml(out),
            Err(_) => StoredHtml(html.as_bytes().to_vec()),
        }
    }

    /// The HTML of a stored body (compressed, or as text from before).
    pub fn decode(stored: &[u8]) -> String {
        match stored.split_first() {
            Some((&COMPRESSED, deflated)) => {
                let mut html = String::with_capacity(deflated.len() * 3);
                match DeflateDecoder::new(deflated).read_to_string(&mut html) {
                    Ok(_) => html,
                    Err(error) => {
                        tracing::error!(%error, "a stored body cannot be read");
                        String::new()
                    }
                }
            }
            _ => String::from_utf8_lossy(stored).into_owned(),
        }
    }
}

impl<DB: Backend> ToSql<Binary, DB> for StoredHtml
where
    [u8]: ToSql<Binary, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        <[u8] as ToSql<Binary, DB>>::to_sql(&self.0, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_come_back_as_they_went_in_and_smaller() {
        let html = "<p>نص الخبر الأول، وفيه كلمات تتكرر كثيرًا في الأخبار.</p>\n".repeat(40);
        let stored = StoredHtml::compress(&html);
        assert!(
            stored.0.len() * 3 < html.len(),
            "{} of {}",
            stored.0.len(),
            html.len()
        );
        assert_eq!(StoredHtml::decode(&stored.0), html);
        assert_eq!(
            StoredHtml::decode(html.as_bytes()),
            html,
            "text from before"
        );
        assert_eq!(StoredHtml::decode(&StoredHtml::compress("").0), "");
        assert_eq!(
            StoredHtml::decode(&[COMPRESSED, 1, 2, 3]),
            "",
            "corrupt: empty, no panic"
        );
    }
}
