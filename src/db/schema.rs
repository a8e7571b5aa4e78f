// Written by hand to match migrations/: `INTEGER` ids and times are 64-bit in SQLite.

diesel::table! {
    sections (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        position -> BigInt,
    }
}

diesel::table! {
    articles (id) {
        id -> BigInt,
        section_id -> BigInt,
        title -> Text,
        summary -> Text,
        author -> Text,
        status -> Text,
        published_at -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
        version -> BigInt,
        lead_picture_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    pictures (id) {
        id -> BigInt,
        hash -> Text,
        width -> BigInt,
        height -> BigInt,
        alt -> Text,
        caption -> Text,
        credit -> Text,
        placeholder -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    picture_files (rowid) {
        rowid -> BigInt,
        picture_id -> BigInt,
        name -> Text,
        width -> BigInt,
        height -> BigInt,
        bytes -> Binary,
    }
}

diesel::joinable!(picture_files -> pictures (picture_id));
diesel::joinable!(articles -> pictures (lead_picture_id));

diesel::table! {
    article_bodies (article_id) {
        article_id -> BigInt,
        body -> Text,
        body_html -> Binary,
    }
}

diesel::table! {
    article_views (article_id) {
        article_id -> BigInt,
        views -> BigInt,
    }
}

diesel::table! {
    article_daily_views (article_id, day) {
        article_id -> BigInt,
        day -> BigInt,
        views -> BigInt,
    }
}

diesel::joinable!(articles -> sections (section_id));
diesel::joinable!(article_daily_views -> articles (article_id));
diesel::joinable!(article_views -> articles (article_id));

diesel::table! {
    front_picks (article_id) {
        article_id -> BigInt,
        role -> Text,
        position -> BigInt,
        until -> Nullable<BigInt>,
    }
}

diesel::table! {
    breaking_news (id) {
        id -> BigInt,
        text -> Text,
        link -> Nullable<Text>,
        until -> BigInt,
    }
}

diesel::joinable!(front_picks -> articles (article_id));

diesel::table! {
    tags (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
    }
}

diesel::table! {
    article_tags (article_id, tag_id) {
        article_id -> BigInt,
        tag_id -> BigInt,
        position -> BigInt,
        status -> Text,
        published_at -> BigInt,
    }
}

diesel::joinable!(article_tags -> articles (article_id));
diesel::joinable!(article_tags -> tags (tag_id));

diesel::table! {
    site_pages (slug) {
        slug -> Text,
        title -> Text,
        body -> Text,
        body_html -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    author_profiles (slug) {
        slug -> Text,
        bio -> Text,
        picture_id -> Nullable<BigInt>,
    }
}
diesel::joinable!(article_bodies -> articles (article_id));
diesel::allow_tables_to_appear_in_same_query!(
    sections,
    articles,
    pictures,
    picture_files,
    article_bodies,
    article_views,
    article_daily_views,
    front_picks,
    breaking_news,
    tags,
    article_tags,
    author_profiles
);

diesel::table! {
    site_meta (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        password_hash -> Text,
        role -> Text,
        created_at -> BigInt,
        last_login_at -> Nullable<BigInt>,
        disabled_at -> Nullable<BigInt>,
        display_name -> Text,
        totp_secret -> Nullable<Text>,
        totp_last_step -> Nullable<BigInt>,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> BigInt,
        user_id -> BigInt,
        code_hash -> Text,
        used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        user_id -> BigInt,
        created_at -> BigInt,
        last_seen_at -> BigInt,
    }
}

diesel::table! {
    password_resets (token_hash) {
        token_hash -> Text,
        user_id -> BigInt,
        created_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> BigInt,
        user_id -> Nullable<BigInt>,
        username -> Text,
        address -> Text,
        action -> Text,
        target -> Text,
    }
}

diesel::table! {
    revisions (id) {
        id -> BigInt,
        article_id -> BigInt,
        user_id -> Nullable<BigInt>,
        saved_at -> BigInt,
        title -> Text,
        summary -> Text,
        body -> Text,
        section_id -> BigInt,
        author -> Text,
        status -> Text,
        published_at -> BigInt,
        lead_picture_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    autosaves (user_id, article_id) {
        user_id -> BigInt,
        article_id -> BigInt,
        fields -> Text,
        saved_at -> BigInt,
    }
}

diesel::table! {
    pending_drafts (claim_hash) {
        claim_hash -> Text,
        user_id -> Nullable<BigInt>,
        fields -> Text,
        created_at -> BigInt,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(revisions -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(users, sessions, revisions);

diesel::table! {
    changes (seq) {
        seq -> BigInt,
        at -> BigInt,
        kind -> Text,
        article_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        key -> Text,
        at -> BigInt,
    }
}
