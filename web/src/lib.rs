//! stsplay-web: the Yew front end of the stsplay playground.
//!
//! All state lives in one reducer ([`state::State`]: the core `Timeline` plus
//! the UI's slice); components ([`components`]) only render it and dispatch
//! [`state::Action`]s; effects ([`effects`]) do the IO (storage, the play
//! timer, the keyboard shortcuts). [`app`] lays the page out.

pub mod app;
pub mod components;
pub mod effects;
pub mod format;
pub mod panic;
pub mod state;

pub use app::App;
pub use effects::storage;
pub use panic::{install_panic_hook, show_crash_banner};
pub use state::{Action, State, Status};

/// Milliseconds between ticks while playing (each tick presses Step as many
/// times as the speed says).
pub const PLAY_INTERVAL_MS: u32 = 300;

/// The step log shows at least this many of the newest steps, and fewer than
/// `STEP_LOG_LIMIT + STEP_LOG_CHUNK` (rendering thousands of list items on
/// every step would make stepping slow).
pub const STEP_LOG_LIMIT: usize = 200;

/// Older steps are hidden in chunks of this many, so that the list's first
/// item changes only once per chunk: in between, a Step appends items and a
/// Back removes them at the end, which the keyed diff does without moving any
/// DOM node (a window sliding by one item on every step would move them all).
pub const STEP_LOG_CHUNK: usize = 100;

/// The `performance.mark` set once the first render, with the restored (or
/// default) scenario applied, is in the DOM. `make bench` reads its time.
pub const FIRST_RENDER_MARK: &str = "stsplay:first-render";

/// Milliseconds the session waits, after it last changed, before it is saved
/// (Play changes it several times a second; the editor's text is saved at once).
pub const SAVE_SESSION_DELAY_MS: u32 = 500;
