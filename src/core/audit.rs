//! The audit log's words: who acted, and what they did.

use super::ids::UserId;

/// Who did something, and from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `None` for a sign-in that failed (the name is then the one typed).
    pub user: Option<UserId>,
    pub username: String,
    pub address: String,
}

/// What was done. Stored by `as_str`; shown by `label`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    SignIn,
    SignInFailed,
    SignOut,
    ArticleCreated,
    ArticleEdited,
    ArticlePublished,
    ArticleUnpublished,
    ArticleScheduled,
    ArticleRestored,
    ArticleDeleted,
    SectionCreated,
    SectionRenamed,
    SectionDeleted,
    /// An account made, or given a new password (and role).
    UserSet,
    UserDisabled,
    UserEnabled,
    /// An admin made a one-time link to choose a new password.
    PasswordResetIssued,
    /// A member chose a new password through such a link.
    PasswordReset,
    DisplayNameSet,
    UserDeleted,
    TwoFactorEnabled,
    TwoFactorDisabled,
    RecoveryCodesRenewed,
    /// The lead pinned or unpinned, or the featured stories chosen.
    FrontPageChanged,
    BreakingRaised,
    BreakingLowered,
    /// What the newsroom says about an author (biography, picture) changed.
    AuthorProfileSet,
    /// "من نحن" or "اتصل بنا" written.
    SitePageEdited,
}

impl AuditAction {
    pub const ALL: [AuditAction; 28] = [
        AuditAction::SignIn,
        AuditAction::SignInFailed,
        AuditAction::SignOut,
        AuditAction::ArticleCreated,
        AuditAction::ArticleEdited,
        AuditAction::ArticlePublished,
        AuditAction::ArticleUnpublished,
        AuditAction::ArticleScheduled,
        AuditAction::ArticleRestored,
        AuditAction::ArticleDeleted,
        AuditAction::SectionCreated,
        AuditAction::SectionRenamed,
        AuditAction::SectionDeleted,
        AuditAction::UserSet,
        AuditAction::UserDisabled,
        AuditAction::UserEnabled,
        AuditAction::PasswordResetIssued,
        AuditAction::PasswordReset,
        AuditAction::DisplayNameSet,
        AuditAction::UserDeleted,
        AuditAction::TwoFactorEnabled,
        AuditAction::TwoFactorDisabled,
        AuditAction::RecoveryCodesRenewed,
        AuditAction::FrontPageChanged,
        AuditAction::BreakingRaised,
        AuditAction::BreakingLowered,
        AuditAction::AuthorProfileSet,
        AuditAction::SitePageEdited,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignIn => "sign_in",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::SignOut => "sign_out",
            AuditAction::ArticleCreated => "article_created",
            AuditAction::ArticleEdited => "article_edited",
            AuditAction::ArticlePublished => "article_published",
            AuditAction::ArticleUnpublished => "article_unpublished",
            AuditAction::ArticleScheduled => "article_scheduled",
            AuditAction::ArticleRestored => "article_restored",
            AuditAction::ArticleDeleted => "article_deleted",
            AuditAction::SectionCreated => "section_created",
            AuditAction::SectionRenamed => "section_renamed",
            AuditAction::SectionDeleted => "section_deleted",
            AuditAction::UserSet => "user_set",
            AuditAction::UserDisabled => "user_disabled",
            AuditAction::UserEnabled => "user_enabled",
            AuditAction::PasswordResetIssued => "password_reset_issued",
            AuditAction::PasswordReset => "password_reset",
            AuditAction::DisplayNameSet => "display_name_set",
            AuditAction::UserDeleted => "user_deleted",
            AuditAction::TwoFactorEnabled => "two_factor_enabled",
            AuditAction::TwoFactorDisabled => "two_factor_disabled",
            AuditAction::RecoveryCodesRenewed => "recovery_codes_renewed",
            AuditAction::FrontPageChanged => "front_page_changed",
            AuditAction::BreakingRaised => "breaking_raised",
            AuditAction::BreakingLowered => "breaking_lowered",
            AuditAction::AuthorProfileSet => "author_profile_set",
            AuditAction::SitePageEdited => "site_page_edited",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            AuditAction::SignIn => "تسجيل دخول",
            AuditAction::SignInFailed => "محاولة دخول فاشلة",
            AuditAction::SignOut => "تسجيل خروج",
            AuditAction::ArticleCreated => "إنشاء خبر",
            AuditAction::ArticleEdited => "تعديل خبر",
            AuditAction::ArticlePublished => "نشر خبر",
            AuditAction::ArticleUnpublished => "إلغاء نشر خبر",
            AuditAction::ArticleScheduled => "جدولة خبر",
            AuditAction::ArticleRestored => "استعادة نسخة خبر",
            AuditAction::ArticleDeleted => "حذف خبر",
            AuditAction::SectionCreated => "إنشاء قسم",
            AuditAction::SectionRenamed => "تغيير اسم قسم",
            AuditAction::SectionDeleted => "حذف قسم",
            AuditAction::UserSet => "إنشاء حساب أو تغيير كلمة مروره",
            AuditAction::UserDisabled => "تعطيل حساب",
            AuditAction::UserEnabled => "تفعيل حساب",
            AuditAction::PasswordResetIssued => "إصدار رابط لتعيين كلمة المرور",
            AuditAction::PasswordReset => "تعيين كلمة مرور برابط",
            AuditAction::DisplayNameSet => "تغيير الاسم الظاهر",
            AuditAction::UserDeleted => "حذف حساب",
            AuditAction::TwoFactorEnabled => "تفعيل التحقق بخطوتين",
            AuditAction::TwoFactorDisabled => "إيقاف التحقق بخطوتين",
            AuditAction::RecoveryCodesRenewed => "رموز استرداد جديدة",
            AuditAction::FrontPageChanged => "تغيير الصفحة الأولى",
            AuditAction::BreakingRaised => "نشر شريط عاجل",
            AuditAction::BreakingLowered => "إزالة شريط عاجل",
            AuditAction::AuthorProfileSet => "تعديل صفحة كاتب",
            AuditAction::SitePageEdited => "تعديل صفحة من صفحات الموقع",
        }
    }

    /// What saving an article did, from its status and publication time before (`None`:
    /// it is new) and after.
    pub fn of_save(
        before: Option<(bool, i64)>,
        published: bool,
        published_at: i64,
        now: i64,
    ) -> Self {
        let scheduled = published && published_at > now;
        match before {
            None if scheduled => AuditAction::ArticleScheduled,
            None if published => AuditAction::ArticlePublished,
            None => AuditAction::ArticleCreated,
            Some((was_published, was_at)) => {
                let was_visible = was_published && was_at <= now;
                if scheduled && !(was_published && was_at == published_at) {
                    AuditAction::ArticleScheduled
                } else if published && !scheduled && !was_visible {
                    AuditAction::ArticlePublished
                } else if !published && was_published {
                    AuditAction::ArticleUnpublished
                } else {
                    AuditAction::ArticleEdited
                }
            }
        }
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: i64,
    pub username: String,
    pub address: String,
    pub action: Option<AuditAction>,
    pub target: String,
}

#[cfg(test)]
mod tests {
    use super::AuditAction::{self, *};

    #[test]
    fn a_save_is_named_by_what_it_changed_for_readers() {
        let now = 1_000;
        assert_eq!(AuditAction::of_save(None, false, now, now), ArticleCreated);
        assert_eq!(AuditAction::of_save(None, true, now, now), ArticlePublished);
        assert_eq!(
            AuditAction::of_save(None, true, now + 60, now),
            ArticleScheduled
        );
        let draft = Some((false, now - 60));
        let live = Some((true, now - 60));
        assert_eq!(
            AuditAction::of_save(draft, true, now, now),
            ArticlePublished
        );
        assert_eq!(
            AuditAction::of_save(live, false, now - 60, now),
            ArticleUnpublished
        );
        assert_eq!(
            AuditAction::of_save(live, true, now - 60, now),
            ArticleEdited
        );
        assert_eq!(AuditAction::of_save(draft, false, now, now), ArticleEdited);
        assert_eq!(
            AuditAction::of_save(live, true, now + 600, now),
            ArticleScheduled
        );
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
    }
}
