//! How an article's rendered body is stored: DEFLATE-compressed behind a marker byte, a
//! third of its size. Rows written before bodies were compressed hold the HTML as text and
//! still read as it is.

use std::io::Write;

use diesel::backend::Backend;
use diesel::expression::AsExpression;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Binary;
use flate2::write::DeflateEncoder;
use flate2::{Compression, Decompress, FlushDecompress, Status};

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
            Some((&COMPRESSED, deflated)) => match inflate(deflated)
                .ok_or_else(|| "the stream is cut short or corrupt".to_owned())
                .and_then(|bytes| {
                    // std's check was a third of the time of decoding a body: a copy
                    // after a SIMD check is cheaper.
                    simdutf8::basic::from_utf8(&bytes)
                        .map(str::to_owned)
                        .map_err(|_| "the text is not UTF-8".to_owned())
                }) {
                Ok(html) => html,
                Err(error) => {
                    tracing::error!(%error, "a stored body cannot be read");
                    String::new()
                }
            },
            _ => String::from_utf8_lossy(stored).into_owned(),
        }
    }
}

/// `deflated` inflated into one buffer sized for it: Arabic HTML inflates to 2.5–4 times
/// its stored size, so the buffer rarely grows. (A reader over the slice read it through a
/// 32 KB buffer of its own and grew the text by doubling: a tenth of the time of an article
/// page read from the archive.) `None` if the stream is corrupt or cut short.
fn inflate(deflated: &[u8]) -> Option<Vec<u8>> {
    let mut inflater = Decompress::new(false);
    // Not `Finish`: with it, an output buffer too small on the first call fails for good.
    let mut out = Vec::with_capacity(deflated.len() * 4 + 256);
    loop {
        let read = usize::try_from(inflater.total_in()).ok()?;
        let rest = deflated.get(read..)?;
        let before = (read, out.len());
        match inflater.decompress_vec(rest, &mut out, FlushDecompress::None) {
            Ok(Status::StreamEnd) => return Some(out),
            Ok(Status::Ok | Status::BufError) if out.len() == out.capacity() => {
                out.reserve(out.capacity());
            }
            // Room left and nothing more consumed or produced: the stream ends too early.
            Ok(_) if before == (usize::try_from(inflater.total_in()).ok()?, out.len()) => {
                return None;
            }
            Ok(_) => {}
            Err(_) => return None,
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
        let cut_short = &stored.0[..stored.0.len() / 2];
        assert_eq!(
            StoredHtml::decode(cut_short),
            "",
            "cut short: empty, no panic"
        );
        // Inflates to many times its stored size: the buffer grows as often as it must.
        let repetitive = "أ".repeat(200_000);
        assert_eq!(
            StoredHtml::decode(&StoredHtml::compress(&repetitive).0),
            repetitive
        );
    }
}
