//! Date-times written as in RFC 2822 (`Thu, 30 Jul 2015 20:00:00 +0000`),
//! the form api_v2010 uses. Generated structs name this codec in `rt::model!`
//! (`pub date_created: DateTime<FixedOffset> = "date_created" rfc2822`);
//! values keep the offset they came with, and are written back as they
//! came (`Wed, 01 Sep 2010 15:15:41 +0000`, the day zero-padded).

use chrono::{DateTime, FixedOffset as Offset};
use serde::{Deserialize, Deserializer, Serializer};

use super::fields::Codec;

/// The RFC 2822 wire form, for `DateTime<FixedOffset>` and `Option<...>`
/// fields (`null` is `None`).
pub struct Rfc2822;

impl Codec<DateTime<Offset>> for Rfc2822 {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Offset>, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse(&text).map_err(serde::de::Error::custom)
    }

    fn encode<S: Serializer>(value: &DateTime<Offset>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format(value))
    }

    fn absent(_: &DateTime<Offset>) -> bool {
        false
    }

    fn missing() -> Option<DateTime<Offset>> {
        None
    }
}

impl Codec<Option<DateTime<Offset>>> for Rfc2822 {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime<Offset>>, D::Error> {
        match Option::<String>::deserialize(deserializer)? {
            Some(text) => parse(&text).map(Some).map_err(serde::de::Error::custom),
            None => Ok(None),
        }
    }

    fn encode<S: Serializer>(value: &Option<DateTime<Offset>>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.serialize_str(&format(value)),
            None => serializer.serialize_none(),
        }
    }

    fn absent(value: &Option<DateTime<Offset>>) -> bool {
        value.is_none()
    }

    fn missing() -> Option<Option<DateTime<Offset>>> {
        Some(None)
    }
}

fn parse(text: &str) -> Result<DateTime<Offset>, String> {
    DateTime::parse_from_rfc2822(text).map_err(|e| format!("`{text}` is not an RFC 2822 date-time: {e}"))
}

/// As Twilio writes it: the day in two digits (chrono's `to_rfc2822` drops
/// the zero).
fn format(value: &DateTime<Offset>) -> String {
    value.format("%a, %d %b %Y %H:%M:%S %z").to_string()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::super::fields::model;

    model! {
        #[derive(PartialEq)]
        pub struct Record {
            pub created: chrono::DateTime<chrono::FixedOffset> = "created" rfc2822,
            pub updated: Option<chrono::DateTime<chrono::FixedOffset>> = "updated" rfc2822,
        }
    }

    #[test]
    fn round_trips_twilio_dates_and_null() {
        let json = r#"{"created":"Thu, 30 Jul 2015 20:00:00 +0000","updated":null}"#;
        let record: Record = serde_json::from_str(json).unwrap();
        assert_eq!(record.created, chrono::Utc.with_ymd_and_hms(2015, 7, 30, 20, 0, 0).unwrap());
        assert_eq!(record.updated, None);
        // `None` is left out, as for every optional field.
        assert_eq!(serde_json::to_string(&record).unwrap(), r#"{"created":"Thu, 30 Jul 2015 20:00:00 +0000"}"#);

        // The same instant elsewhere keeps its offset, and a padded day.
        let json = r#"{"created":"Thu, 02 Jul 2015 22:00:00 +0200"}"#;
        let offset: Record = serde_json::from_str(json).unwrap();
        assert_eq!(offset.created, chrono::Utc.with_ymd_and_hms(2015, 7, 2, 20, 0, 0).unwrap());
        assert_eq!(serde_json::to_string(&offset).unwrap(), json);
        let bad = serde_json::from_str::<Record>(r#"{"created":"2015-07-30T20:00:00Z"}"#).unwrap_err();
        assert!(bad.to_string().contains("is not an RFC 2822 date-time"), "{bad}");
    }
}
