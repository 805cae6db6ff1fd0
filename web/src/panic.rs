//! A panic hook that keeps `console_error_panic_hook`'s console output and also
//! shows a visible "stsplay crashed" banner, so a panic never leaves a frozen
//! page that looks alive. The banner is built with plain DOM calls (no
//! innerHTML) and its Reload button works even if wasm can no longer run: it
//! is a submit button of a GET form whose action is the page itself. Reload
//! loses nothing: the editor's text and the seed are in `localStorage`
//! ([`crate::storage`]), saved on every change, and restored on load.

use std::panic::PanicHookInfo;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlElement};

/// The banner's element id (only one banner is ever shown).
pub const CRASH_BANNER_ID: &str = "stsplay-crash";

/// A `window` event that makes the app panic on purpose, so that end-to-end
/// tests can check the crash banner and that Reload keeps the user's work
/// (tests/e2e). Only in a build with the `test-hooks` feature (`make
/// build-test-hooks` makes one beside `dist/`, for those tests): the site that
/// is deployed has no such listener.
#[cfg(feature = "test-hooks")]
pub const TEST_PANIC_EVENT: &str = "stsplay:test-panic";

/// Install the hook. Call before rendering (yew keeps a custom hook).
pub fn install_panic_hook() {
    yew::set_custom_panic_hook(Box::new(|info: &PanicHookInfo<'_>| {
        console_error_panic_hook::hook(info);
        show_crash_banner(&panic_message(info));
    }));
}

/// Listen for [`TEST_PANIC_EVENT`] on `window` and panic when it comes.
#[cfg(feature = "test-hooks")]
pub fn install_test_panic_trigger() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let trigger = Closure::<dyn FnMut(Event)>::new(|_: Event| {
        panic!("test panic requested by the {TEST_PANIC_EVENT} event");
    });
    let _ = window.add_event_listener_with_callback(TEST_PANIC_EVENT, trigger.as_ref().unchecked_ref());
    trigger.forget();
}

/// The panic's own message, without the location.
pub fn panic_message(info: &PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        info.to_string()
    }
}

/// Insert (once) a `role="alert"` banner "stsplay crashed: <message>" with a
/// Reload button at the top of the page. Returns the banner.
pub fn show_crash_banner(message: &str) -> Option<Element> {
    let document = web_sys::window()?.document()?;
    if let Some(existing) = document.get_element_by_id(CRASH_BANNER_ID) {
        return Some(existing);
    }
    let banner = build_banner(&document, message).ok()?;
    let parent: web_sys::Node = match document.body() {
        Some(body) => body.into(),
        None => document.document_element()?.into(),
    };
    parent.insert_before(&banner, parent.first_child().as_ref()).ok()?;
    if let Some(button) = banner.query_selector("button").ok().flatten().and_then(|b| b.dyn_into::<HtmlElement>().ok())
    {
        let _ = button.focus();
    }
    Some(banner)
}

fn build_banner(document: &Document, message: &str) -> Result<Element, wasm_bindgen::JsValue> {
    let banner = document.create_element("div")?;
    banner.set_id(CRASH_BANNER_ID);
    banner.set_class_name("crash");
    banner.set_attribute("role", "alert")?;

    let text = document.create_element("p")?;
    text.set_text_content(Some(&format!("stsplay crashed: {message}")));
    banner.append_child(&text)?;

    // Without JS, submitting this form reloads the page (GET to itself).
    let form = document.create_element("form")?;
    form.set_attribute("method", "get")?;
    let button = document.create_element("button")?;
    button.set_attribute("type", "submit")?;
    button.set_text_content(Some("Reload"));
    let reload = Closure::<dyn FnMut(Event)>::new(|event: Event| {
        // Keep the query string and hash: prefer a real reload when JS still runs.
        if let Some(window) = web_sys::window() {
            if window.location().reload().is_ok() {
                event.prevent_default();
            }
        }
    });
    button.add_event_listener_with_callback("click", reload.as_ref().unchecked_ref())?;
    reload.forget();
    form.append_child(&button)?;
    banner.append_child(&form)?;
    Ok(banner)
}
