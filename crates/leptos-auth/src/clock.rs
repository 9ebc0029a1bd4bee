//! Wall-clock time as the protocol writes it: Unix seconds in tokens and rows, ISO 8601 on
//! the wire.

use std::time::SystemTime;

/// Seconds since the Unix epoch (0 if the clock is before it).
pub(crate) fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// `unix` as an RFC 3339 UTC timestamp (`2030-01-01T00:00:00Z`); empty when out of range.
pub(crate) fn iso8601(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}
