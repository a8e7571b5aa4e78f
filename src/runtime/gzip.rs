//! gzip without compressing per request: [`SplitPage`], a rendered page cut around the few
//! bytes that change per request (the article page's view count and font-size class).
//!
//! Compressing a 30 KB page costs far more than serving it. So each unchanging piece is
//! compressed once, as raw DEFLATE ending with a sync flush (so that pieces can be joined on
//! byte boundaries). A gzip response is then: the gzip header, the compressed pieces with
//! the changing bytes between them as "stored" (uncompressed) DEFLATE blocks, a final empty
//! block, and the CRC-32 of the whole page, combined from the pieces' precomputed CRCs and
//! the changing bytes' own. That is a valid gzip stream, assembled at the cost of a copy.

use std::io::Write;
use std::sync::OnceLock;

use bytes::Bytes;
use flate2::{Compress, Compression, FlushCompress};

/// The gzip member header: deflate, no flags, no modification time, no extra flags,
/// operating system "unknown" (RFC 1952, 2.3).
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff];
/// A final, empty DEFLATE block with fixed Huffman codes: BFINAL=1, BTYPE=01, end-of-block.
const FINAL_EMPTY_BLOCK: [u8; 2] = [0x03, 0x00];
/// The longest stored block DEFLATE allows.
const MAX_STORED_BLOCK: usize = 65_535;

/// `data` as raw DEFLATE ending with a sync flush: byte-aligned and not final, so that
/// more blocks may follow it.
pub fn deflate_sync(data: &[u8], level: Compression) -> Result<Vec<u8>, flate2::CompressError> {
    let mut compress = Compress::new(level, false);
    let mut out = Vec::with_capacity(data.len() / 3 + 64);
    let mut input = data;
    loop {
        let before = compress.total_in();
        compress.compress_vec(input, &mut out, FlushCompress::Sync)?;
        input = &input[(compress.total_in() - before) as usize..];
        // The flush is complete when it did not fill the output (as zlib defines it).
        if input.is_empty() && out.len() < out.capacity() {
            return Ok(out);
        }
        out.reserve(out.capacity().max(1024));
    }
}

/// `data` gzip-compressed in one go.
pub fn gzip(data: &[u8], level: Compression) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(data.len() / 3), level);
    encoder.write_all(data)?;
    encoder.finish()
}

/// A gzip stream compressed as it is written: a long document (a sitemap of 50,000 URLs)
/// is sent in pieces, and only the compressor's window is held, never the whole of it.
pub struct GzipStream {
    encoder: flate2::write::GzEncoder<Vec<u8>>,
}

impl GzipStream {
    pub fn new(level: Compression) -> Self {
        GzipStream {
            encoder: flate2::write::GzEncoder::new(Vec::new(), level),
        }
    }

    /// Compresses `data`; returns what the compressor has output so far (perhaps nothing:
    /// it waits for a block's worth).
    pub fn push(&mut self, data: &[u8]) -> std::io::Result<Bytes> {
        self.encoder.write_all(data)?;
        Ok(Bytes::from(std::mem::take(self.encoder.get_mut())))
    }

    /// Compresses `last`; returns the rest of the stream, with gzip's trailer.
    pub fn finish(mut self, last: &[u8]) -> std::io::Result<Bytes> {
        self.encoder.write_all(last)?;
        self.encoder.finish().map(Bytes::from)
    }
}

/// Appends `data` as stored (uncompressed) DEFLATE blocks. The stream must be byte-aligned,
/// as it is after a sync flush or a stored block.
fn push_stored(out: &mut Vec<u8>, data: &[u8]) {
    for chunk in data.chunks(MAX_STORED_BLOCK) {
        let len = chunk.len() as u16;
        // BFINAL=0, BTYPE=00, then padding to the byte boundary: one zero byte.
        out.push(0);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
}

/// Marks what [`SplitPage::split`] cuts out of a page.
#[derive(Debug, Clone, Copy)]
pub struct Marker<'a> {
    /// The text standing in for the changing value in the page as rendered.
    pub text: &'a str,
    /// Which of the values passed to `assemble_*` replaces it.
    pub value: usize,
    /// Only the first occurrence is a slot (for a marker that could also occur in text).
    pub first_only: bool,
}

/// One unchanging piece of a page.
#[derive(Debug, Clone)]
struct Piece {
    text: Bytes,
    crc: crc32fast::Hasher,
}

/// A rendered page cut into unchanging pieces around slots that take a value per request.
/// The pieces are compressed the first time a client asks for gzip, once per page: an
/// identity client never pays for it.
#[derive(Debug)]
pub struct SplitPage {
    /// One more piece than slots: piece, slot, piece, …, slot, piece.
    pieces: Vec<Piece>,
    /// For each slot, the index of its value.
    slots: Vec<usize>,
    level: Compression,
    /// Each piece as raw DEFLATE ending with a sync flush; `None` if compression failed.
    deflated: OnceLock<Option<Vec<Bytes>>>,
}

impl SplitPage {
    /// Cuts `page` at every occurrence of the markers (the first only, for `first_only`
    /// markers); `level` is for the compression done when gzip is first asked for.
    /// Returns None if two occurrences overlap without one holding the other.
    pub fn split(page: &str, markers: &[Marker<'_>], level: Compression) -> Option<SplitPage> {
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        for marker in markers.iter().filter(|m| !m.text.is_empty()) {
            // memmem's SIMD search: std's two-way search was 3 % of an article page's time.
            let occurrences = memchr::memmem::find_iter(page.as_bytes(), marker.text.as_bytes());
            let take = if marker.first_only { 1 } else { usize::MAX };
            found.extend(
                occurrences
                    .take(take)
                    .map(|at| (at, marker.text.len(), marker.value)),
            );
        }
        // Longest first where two start together; an occurrence inside a longer one is
        // part of it (the count's digits inside the phrase that shows them). Any other
        // overlap makes the page uncuttable.
        found.sort_unstable_by_key(|&(at, len, _)| (at, std::cmp::Reverse(len)));
        let mut kept: Vec<(usize, usize, usize)> = Vec::with_capacity(found.len());
        for occurrence in found {
            match kept.last() {
                Some(&(at, len, _)) if occurrence.0 + occurrence.1 <= at + len => continue,
                Some(&(at, len, _)) if occurrence.0 < at + len => return None,
                _ => kept.push(occurrence),
            }
        }
        let found = kept;
        let bytes = page.as_bytes();
        let mut pieces = Vec::with_capacity(found.len() + 1);
        let mut start = 0;
        for &(at, len, _) in &found {
            pieces.push(Piece::new(&bytes[start..at]));
            start = at + len;
        }
        pieces.push(Piece::new(&bytes[start..]));
        Some(SplitPage {
            pieces,
            slots: found.into_iter().map(|(_, _, value)| value).collect(),
            level,
            deflated: OnceLock::new(),
        })
    }

    /// How many slots the page has.
    pub fn slot_count(&self) -> usize {
        self.slots.len()
    }

    /// The pieces compressed, compressing them now if no request has yet.
    fn deflated(&self) -> Option<&[Bytes]> {
        self.deflated
            .get_or_init(|| {
                self.pieces
                    .iter()
                    .map(|piece| deflate_sync(&piece.text, self.level).ok().map(Bytes::from))
                    .collect()
            })
            .as_deref()
    }

    /// The page with `values` in its slots, as it is.
    pub fn assemble_identity(&self, values: &[&[u8]]) -> Bytes {
        let mut out = Vec::with_capacity(self.identity_len(values));
        for (n, piece) in self.pieces.iter().enumerate() {
            out.extend_from_slice(&piece.text);
            if let Some(&value) = self.slots.get(n) {
                out.extend_from_slice(values[value]);
            }
        }
        Bytes::from(out)
    }

    /// The page with `values` in its slots, as one gzip member (`None` in the unseen case
    /// that compressing failed: then send it as it is).
    pub fn assemble_gzip(&self, values: &[&[u8]]) -> Option<Bytes> {
        let deflated_pieces = self.deflated()?;
        let dynamic: usize = self.slots.iter().map(|&v| values[v].len() + 5).sum();
        let deflated: usize = deflated_pieces.iter().map(Bytes::len).sum();
        let mut out = Vec::with_capacity(GZIP_HEADER.len() + deflated + dynamic + 10);
        out.extend_from_slice(&GZIP_HEADER);
        let mut crc = crc32fast::Hasher::new();
        for (n, (piece, deflated)) in self.pieces.iter().zip(deflated_pieces).enumerate() {
            out.extend_from_slice(deflated);
            crc.combine(&piece.crc);
            if let Some(&value) = self.slots.get(n) {
                let value = values[value];
                push_stored(&mut out, value);
                let mut value_crc = crc32fast::Hasher::new();
                value_crc.update(value);
                crc.combine(&value_crc);
            }
        }
        out.extend_from_slice(&FINAL_EMPTY_BLOCK);
        out.extend_from_slice(&crc.finalize().to_le_bytes());
        // ISIZE: the length modulo 2^32.
        out.extend_from_slice(&(self.identity_len(values) as u32).to_le_bytes());
        Some(Bytes::from(out))
    }

    fn identity_len(&self, values: &[&[u8]]) -> usize {
        let fixed: usize = self.pieces.iter().map(|p| p.text.len()).sum();
        fixed + self.slots.iter().map(|&v| values[v].len()).sum::<usize>()
    }

    /// Bytes held, for the cache's budget: the text, and room for its compressed copy
    /// (a page compresses to about a third), which is made only if gzip is asked for.
    pub fn size(&self) -> usize {
        self.pieces
            .iter()
            .map(|p| p.text.len() + p.text.len() / 3 + 64)
            .sum()
    }
}

impl Piece {
    fn new(text: &[u8]) -> Self {
        let mut crc = crc32fast::Hasher::new();
        crc.update(text);
        Piece {
            text: Bytes::copy_from_slice(text),
            crc,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn a_stream_written_in_pieces_is_one_gzip_document() {
        let text: String = (0..20_000u64)
            .map(|n| {
                let id = n.wrapping_mul(2_654_435_761) % 1_000_003;
                format!("<url><loc>https://news.example/a/{id}</loc></url>\n")
            })
            .collect();
        let mut stream = GzipStream::new(Compression::fast());
        let mut out = Vec::new();
        let mut pieces_with_output = 0;
        let (text_but_last, last) = text.as_bytes().split_at(text.len() - 100);
        for piece in text_but_last.chunks(4_000) {
            let bytes = stream.push(piece).unwrap();
            pieces_with_output += usize::from(!bytes.is_empty());
            out.extend_from_slice(&bytes);
        }
        out.extend_from_slice(&stream.finish(last).unwrap());
        assert!(
            pieces_with_output > 1,
            "sent while written, not all at the end"
        );
        let mut decoded = String::new();
        flate2::read::GzDecoder::new(&out[..])
            .read_to_string(&mut decoded)
            .unwrap();
        assert_eq!(decoded, text);
    }

    fn gunzip(data: &[u8]) -> Vec<u8> {
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(data)
            .read_to_end(&mut decoded)
            .expect("valid gzip");
        decoded
    }

    fn article_like_page() -> String {
        let mut page = String::from(
            "<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\" class=\"fs-2\">\n<head><script type=\"application/ld+json\">{\"userInteractionCount\":987654321987}</script></head><body>",
        );
        page.push_str(
            "<span class=\"views\" data-views=\"987654321987\"><bdi>٩٨٧٦٥٤٣٢١٩٨٧</bdi> مشاهدة</span>",
        );
        for n in 0..400 {
            page.push_str(&format!(
                "<p>فقرة رقم {n} من نص الخبر، فيها كلمات عربية تتكرر fs-2 كثيرًا.</p>\n"
            ));
        }
        page.push_str("</body></html>");
        page
    }

    fn markers() -> [Marker<'static>; 3] {
        [
            Marker {
                text: "fs-2",
                value: 0,
                first_only: true,
            },
            Marker {
                text: "987654321987",
                value: 1,
                first_only: false,
            },
            Marker {
                text: "٩٨٧٦٥٤٣٢١٩٨٧",
                value: 2,
                first_only: false,
            },
        ]
    }

    fn expected(page: &str, font: &str, views: &str, localized: &str) -> Vec<u8> {
        page.replacen("fs-2", font, 1)
            .replace("987654321987", views)
            .replace("٩٨٧٦٥٤٣٢١٩٨٧", localized)
            .into_bytes()
    }

    #[test]
    fn assembled_gzip_decodes_to_the_page_with_its_values() {
        let page = article_like_page();
        let split = SplitPage::split(&page, &markers(), Compression::default()).unwrap();
        assert_eq!(split.slots, vec![0, 1, 1, 2]);
        for (font, views, localized) in [
            ("fs-1", "0", "٠"),
            ("fs-2", "1", "١"),
            ("fs-3", "363", "٣٦٣"),
            ("fs-5", "9223372036854775807", "٩٢٢٣٣٧٢٠٣٦٨٥٤٧٧٥٨٠٧"),
            ("", "", ""),
        ] {
            let values: [&[u8]; 3] = [font.as_bytes(), views.as_bytes(), localized.as_bytes()];
            let want = expected(&page, font, views, localized);
            assert_eq!(split.assemble_identity(&values), want);
            let gzipped = split.assemble_gzip(&values).unwrap();
            assert_eq!(gunzip(&gzipped), want, "font {font:?}, views {views:?}");
            assert!(
                gzipped.len() < want.len() / 4,
                "{} of {}",
                gzipped.len(),
                want.len()
            );
        }
    }

    #[test]
    fn long_values_take_several_stored_blocks() {
        let split = SplitPage::split(
            "before SLOT after",
            &[Marker {
                text: "SLOT",
                value: 0,
                first_only: false,
            }],
            Compression::fast(),
        )
        .unwrap();
        let long = "ي".repeat(70_000);
        let values: [&[u8]; 1] = [long.as_bytes()];
        let want = format!("before {long} after").into_bytes();
        assert_eq!(gunzip(&split.assemble_gzip(&values).unwrap()), want);
    }

    #[test]
    fn a_page_without_markers_is_one_piece() {
        let split = SplitPage::split("<p>نص</p>", &markers(), Compression::best()).unwrap();
        assert!(split.slots.is_empty());
        assert_eq!(
            gunzip(&split.assemble_gzip(&[]).unwrap()),
            "<p>نص</p>".as_bytes()
        );
        let empty = SplitPage::split("", &markers(), Compression::best()).unwrap();
        assert_eq!(gunzip(&empty.assemble_gzip(&[]).unwrap()), b"");
    }

    #[test]
    fn overlapping_markers_are_refused() {
        let markers = [
            Marker {
                text: "abc",
                value: 0,
                first_only: false,
            },
            Marker {
                text: "bcd",
                value: 1,
                first_only: false,
            },
        ];
        assert!(SplitPage::split("xxabcdxx", &markers, Compression::fast()).is_none());
    }

    #[test]
    fn a_marker_inside_a_longer_one_is_part_of_it() {
        let markers = [
            Marker {
                text: "42",
                value: 0,
                first_only: false,
            },
            Marker {
                text: "<b>42</b> views",
                value: 1,
                first_only: false,
            },
        ];
        let page = "n=42; <b>42</b> views; 42";
        let split = SplitPage::split(page, &markers, Compression::fast()).unwrap();
        assert_eq!(split.slot_count(), 3);
        assert_eq!(
            split.assemble_identity(&[b"7", b"7 view"]),
            b"n=7; 7 view; 7".as_slice()
        );
    }
}
