//! One component per panel. Components render props and dispatch actions
//! (through a `Callback<Action>`); they never touch the core or storage.

pub mod actions;
pub mod console;
pub mod controls;
pub mod editor;
pub mod help;
pub mod step_log;
pub mod tables;
pub mod timeline;

pub use console::Console;
pub use controls::Controls;
pub use editor::Editor;
pub use help::HelpOverlay;
pub use step_log::StepLog;
pub use tables::ClusterView;
pub use timeline::TimelinePanel;
