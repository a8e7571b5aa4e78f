//! Core enums stored as text columns: written with their `as_str` name, read back with
//! `parse` (an unknown name in the database is a deserialisation error, never a panic).

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::expression::AsExpression;
// The path diesel's own `#[derive(AsExpression)]` expands to: the core's enums cannot carry
// diesel's derives (the core names no diesel), so this file writes out what they generate.
use diesel::internal::derives::as_expression::Bound;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

use crate::core::article::Status;
use crate::core::user::Role;

macro_rules! stored_as_text {
    ($type:ty) => {
        impl AsExpression<Text> for $type {
            type Expression = Bound<Text, $type>;

            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl<'a> AsExpression<Text> for &'a $type {
            type Expression = Bound<Text, &'a $type>;

            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl<DB: Backend> ToSql<Text, DB> for $type
        where
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                <str as ToSql<Text, DB>>::to_sql(self.as_str(), out)
            }
        }

        impl<DB: Backend> FromSql<Text, DB> for $type
        where
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let raw = <String as FromSql<Text, DB>>::from_sql(bytes)?;
                <$type>::parse(&raw)
                    .ok_or_else(|| format!("unknown {} {raw:?}", stringify!($type)).into())
            }
        }

        impl<DB: Backend> Queryable<Text, DB> for $type
        where
            Self: FromSql<Text, DB>,
        {
            type Row = Self;

            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }
    };
}

stored_as_text!(Status);
stored_as_text!(Role);
