//! Serde for date-times written as in RFC 2822 (`Thu, 30 Jul 2015 20:00:00 +0000`),
//! the form api_v2010 uses. Generated structs name these modules in
//! `#[serde(with = ...)]`; values are kept as `DateTime<Utc>`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serializer};

pub fn serialize<S: Serializer>(value: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.to_rfc2822())
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse(&text).map_err(serde::de::Error::custom)
}

fn parse(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc2822(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("`{text}` is not an RFC 2822 date-time: {e}"))
}

/// The same for `Option<DateTime<Utc>>`; `null` is `None`.
pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(value: &Option<DateTime<Utc>>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => super::serialize(value, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        match Option::<String>::deserialize(deserializer)? {
            Some(text) => parse(&text).map(Some).map_err(serde::de::Error::custom),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Record {
        #[serde(with = "super")]
        created: chrono::DateTime<chrono::Utc>,
        #[serde(default, with = "super::option")]
        updated: Option<chrono::DateTime<chrono::Utc>>,
    }

    #[test]
    fn round_trips_twilio_dates_and_null() {
        let json = r#"{"created":"Thu, 30 Jul 2015 20:00:00 +0000","updated":null}"#;
        let record: Record = serde_json::from_str(json).unwrap();
        assert_eq!(record.created, chrono::Utc.with_ymd_and_hms(2015, 7, 30, 20, 0, 0).unwrap());
        assert_eq!(record.updated, None);
        assert_eq!(serde_json::to_string(&record).unwrap(), json);

        let offset: Record = serde_json::from_str(r#"{"created":"Thu, 30 Jul 2015 22:00:00 +0200"}"#).unwrap();
        assert_eq!(offset.created, record.created);
        let bad = serde_json::from_str::<Record>(r#"{"created":"2015-07-30T20:00:00Z"}"#).unwrap_err();
        assert!(bad.to_string().contains("is not an RFC 2822 date-time"), "{bad}");
    }
}
