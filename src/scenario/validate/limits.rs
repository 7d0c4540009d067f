//! Limits on the size of a scenario's numbers, beyond which a value is a
//! typo rather than a programme (a window until 2202, four billion overrun
//! days, a station for 10¹⁹ households). Validation rejects such values with
//! the line and the fix, so that nothing after it (calendar tables, the
//! model, the solvers) has to guard against overflow or a huge allocation.
//! docs/scenario.md states each limit next to its field.

/// Longest construction window accepted, in days (`window_start` to
/// `window_end`, both included): three years. Every activity gets a table
/// with one entry per day of the planning horizon, so an absurd window would
/// cost gigabytes instead of being reported.
pub const MAX_WINDOW_DAYS: i64 = 3 * 366;

/// Largest `overrun_days` accepted: one year after the window is plenty to
/// show how late work would be.
pub const MAX_OVERRUN_DAYS: u32 = 366;

/// Longest planning horizon a valid scenario can have, in days: the longest
/// window plus the largest overrun.
pub const MAX_HORIZON_DAYS: i64 = MAX_WINDOW_DAYS + MAX_OVERRUN_DAYS as i64;

/// Largest `lag_days` (either sign) of a template step or a link: the
/// longest planning horizon. A longer lag could never be met (or would
/// always be), and day arithmetic on it could overflow.
pub const MAX_LAG_DAYS: i64 = MAX_HORIZON_DAYS;

/// Most households one station may supply. Lateness is weighted by
/// households and summed over stations and days in 64-bit integers; this
/// bound (far above any real heat-exchange station) keeps those sums exact.
pub const MAX_HOUSEHOLDS: u64 = 1_000_000;

/// Most day entries the scheduling model may hold: 250 million, about 1 GB.
/// Every activity gets, for each contractor allowed to do it, a table with
/// one entry per day of the planning horizon (when it ends if started that
/// day), so the model needs activities × contractors × days entries. A
/// season-long window (183 days plus 92 overrun) with 10,000 segments,
/// 2,000 stations and three contractors per district needs about 40 million.
pub const MAX_TIMING_ENTRIES: u64 = 250_000_000;
