//! Nothing lost: the editor's text, the seed and the session are kept in
//! `localStorage` under [`STORAGE_KEY`] as JSON
//! `{"manifests": "...", "seed": 1, "scenario": "# stsplay: 1\n..."}`, written by
//! effects in [`crate::App`] (the editor at once, the session shortly after it
//! changes) and read once at start-up. `scenario` is the session as a scenario
//! file (the core's `Timeline::scenario`, canonical text); an entry without
//! it (written before sessions were saved) or whose scenario does not parse
//! starts a new session with the saved text applied. A missing, unreadable or
//! malformed entry means "start from the default example"; storage errors
//! (private mode, quota, a sandboxed iframe) are ignored: the playground works
//! without storage, it just forgets. When the session is too large for the
//! quota, the editor's text and the seed are saved without it.
//!
//! Only this module and `App`'s effect do storage IO; the reducer never does.

use js_sys::{Object, Reflect, JSON};
use wasm_bindgen::JsValue;

/// The `localStorage` key; bump the version if the format changes.
pub const STORAGE_KEY: &str = "stsplay.scenario.v1";

/// Seeds above this do not survive a JSON number (f64) exactly.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// What is saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Saved {
    pub manifests: String,
    pub seed: u64,
    /// The session as scenario text, if it was saved.
    pub scenario: Option<String>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The saved scenario, if there is a well-formed one.
pub fn load() -> Option<Saved> {
    let text = storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    decode(&text)
}

/// Save the scenario; returns whether it was written.
pub fn save(saved: &Saved) -> bool {
    let Some(storage) = storage() else {
        return false;
    };
    let write = |saved: &Saved| encode(saved).is_some_and(|json| storage.set_item(STORAGE_KEY, &json).is_ok());
    // Over the quota with the session: keep at least the text.
    write(saved) || (saved.scenario.is_some() && write(&Saved { scenario: None, ..saved.clone() }))
}

/// Remove the saved scenario (tests).
pub fn clear() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(STORAGE_KEY);
    }
}

/// `{"manifests": ..., "seed": ...}` as JSON text.
pub fn encode(saved: &Saved) -> Option<String> {
    let obj = Object::new();
    Reflect::set(&obj, &"manifests".into(), &JsValue::from_str(&saved.manifests)).ok()?;
    let seed = saved.seed.min(MAX_SAFE_INTEGER) as f64;
    Reflect::set(&obj, &"seed".into(), &JsValue::from_f64(seed)).ok()?;
    if let Some(scenario) = &saved.scenario {
        Reflect::set(&obj, &"scenario".into(), &JsValue::from_str(scenario)).ok()?;
    }
    JSON::stringify(&obj).ok()?.as_string()
}

/// The inverse of [`encode`]; `None` for anything else.
pub fn decode(text: &str) -> Option<Saved> {
    let value = JSON::parse(text).ok()?;
    if !value.is_object() {
        return None;
    }
    let manifests = Reflect::get(&value, &"manifests".into()).ok()?.as_string()?;
    let seed = match Reflect::get(&value, &"seed".into()).ok()?.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER as f64).contains(&n) => n as u64,
        _ => stsplay_core::DEFAULT_SEED,
    };
    let scenario = Reflect::get(&value, &"scenario".into()).ok().and_then(|v| v.as_string());
    Some(Saved { manifests, seed, scenario })
}
