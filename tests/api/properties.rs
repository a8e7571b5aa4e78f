//! Properties that must hold for any input, checked on thousands of generated ones
//! (proptest): the Arabic normaliser, the Markdown → safe HTML renderer, and the parsers
//! every form field goes through.

use proptest::prelude::*;
use sahifa::core::arabic::search_text::{normalize, query_words};
use sahifa::core::article::{
    ArticleDraft, ArticleInput, ArticleRules, NewsroomOrder, parse_local_datetime,
};
use sahifa::core::markdown::body_to_html;
use sahifa::core::two_factor::SecondFactor;
use sahifa::core::{ArticleId, PictureId};

/// Text as editors and attackers type it: Arabic with harakat, Latin, digits of both
/// kinds, Markdown and HTML punctuation, and any other character now and then.
fn typed() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        "[ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىةـ ]{1,12}",
        "[\u{064B}-\u{0652}\u{0670}]{1,3}",
        "[a-zA-Z0-9 ]{1,8}",
        "[٠-٩۰-۹]{1,4}",
        prop::sample::select(vec![
            "<script>",
            "</script>",
            "<img src=x onerror=alert(1)>",
            "javascript:",
            "[x](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">",
            "**",
            "_",
            "#",
            "> ",
            "- ",
            "1. ",
            "\n\n",
            "`",
            "```\n",
            "<iframe src=//evil>",
            "<svg onload=alert(1)>",
            "&",
            "\"",
            "'",
            "<",
            ">",
            "[صورة:12]",
            "<style>",
            "data:text/html,",
            "vbscript:",
            "<a href=\"JaVaScRiPt:x\">",
            "\u{202E}",
            "\u{0}",
        ])
        .prop_map(str::to_owned),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(pieces, 0..40).prop_map(|parts| parts.concat())
}

/// Every tag of rendered HTML (text is escaped, so each `<` starts one), lower-cased.
fn tags(html: &str) -> Vec<String> {
    html.split('<')
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or_default().to_lowercase())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn normalizing_twice_is_normalizing_once_and_stays_small(text in typed()) {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once.clone());
        prop_assert!(once.len() <= 3 * text.len(), "{} bytes from {}", once.len(), text.len());
        let _ = query_words(&text);
    }

    #[test]
    fn rendered_markdown_never_carries_script(markdown in typed()) {
        let html = body_to_html(&markdown);
        for tag in tags(&html) {
            let name = tag.trim_start_matches('/').split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or_default();
            prop_assert!(
                !["script", "iframe", "object", "embed", "style", "svg", "form", "base", "meta", "link"].contains(&name),
                "tag {tag} from {markdown:?}"
            );
            prop_assert!(!tag.contains("javascript:") && !tag.contains("vbscript:") && !tag.contains("data:"),
                "tag {tag} from {markdown:?}");
            let attributes = tag.split_whitespace().skip(1);
            for attribute in attributes {
                prop_assert!(!attribute.starts_with("on"), "attribute {attribute} in {tag} from {markdown:?}");
                prop_assert!(!attribute.starts_with("style="), "attribute {attribute} in {tag}");
            }
        }
    }

    #[test]
    fn form_parsers_never_panic(a in typed(), b in typed(), c in typed(), d in typed()) {
        let _ = ArticleId::parse(&a);
        let _ = PictureId::parse(&a);
        let _ = SecondFactor::parse(&b);
        let _ = NewsroomOrder::parse(&c);
        let _ = parse_local_datetime(&d, chrono_tz::Asia::Damascus);
        let _ = sahifa::web::client_address::parse_trusted_proxy(&a);
        let draft = ArticleDraft {
            title: a.clone(),
            summary: b.clone(),
            body: c.clone(),
            section_id: d.clone(),
            author: b.clone(),
            status: c.clone(),
            published_at: d.clone(),
            lead_picture: a.clone(),
            tags: c.clone(),
        };
        let _ = sahifa::core::tags::parse_tags(&d);
        let _ = sahifa::core::front_page::check_link(&a);
        let rules = ArticleRules { sections: &[], timezone: chrono_tz::Asia::Damascus, default_author: "محرر" };
        let _ = ArticleInput::parse(&draft, &rules);
    }
}
