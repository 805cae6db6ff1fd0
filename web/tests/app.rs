//! Browser tests: mount `App` into a fresh <div>, click real buttons, and read
//! the DOM. Run with
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p stsplay-web --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use stsplay_web::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{
    Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement, InputEvent, InputEventInit, KeyboardEvent,
    KeyboardEventInit,
};
use yew::scheduler::flush;
use yew::AppHandle;

wasm_bindgen_test_configure!(run_in_browser);

/// A mounted app; unmounted and removed from the page on drop.
struct Mounted {
    root: Element,
    handle: Option<AppHandle<App>>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.destroy();
        }
        self.root.remove();
    }
}

/// Mount a fresh app with no saved scenario (tests share one page's storage).
async fn mount() -> Mounted {
    stsplay_web::storage::clear();
    mount_keeping_storage().await
}

async fn mount_keeping_storage() -> Mounted {
    let document = gloo_document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<App>::with_root(root.clone()).render();
    flush().await;
    Mounted { root, handle: Some(handle) }
}

fn gloo_document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().dyn_into::<Element>().unwrap()).collect()
}

fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default().trim().to_string()
}

fn button(root: &Element, name: &str) -> HtmlElement {
    all(root, "button")
        .into_iter()
        .find(|b| text(b) == name)
        .unwrap_or_else(|| panic!("no button {name:?}"))
        .dyn_into()
        .unwrap()
}

async fn click(root: &Element, name: &str) {
    button(root, name).click();
    flush().await;
}

fn textarea(root: &Element) -> HtmlTextAreaElement {
    root.query_selector("textarea").unwrap().unwrap().dyn_into().unwrap()
}

/// The table whose caption is `caption`.
fn table(root: &Element, caption: &str) -> Element {
    all(root, "table")
        .into_iter()
        .find(|t| t.query_selector("caption").unwrap().is_some_and(|c| text(&c) == caption))
        .unwrap_or_else(|| panic!("no table captioned {caption:?}"))
}

fn headers(table: &Element) -> Vec<String> {
    all(table, "thead th").iter().map(text).collect()
}

/// Body rows as cell texts.
fn rows(table: &Element) -> Vec<Vec<String>> {
    all(table, "tbody tr").iter().map(|tr| all(tr, "td").iter().map(text).collect()).collect()
}

fn step_count(root: &Element) -> usize {
    all(root, "ol[aria-label='Step log'] > li").len()
}

fn pods_all_running(root: &Element) -> bool {
    let pods = rows(&table(root, "Pods"));
    ["web-0", "web-1", "web-2"]
        .iter()
        .all(|name| pods.iter().any(|r| r.len() >= 3 && r[0] == *name && r[1] == "1/1" && r[2] == "Running"))
}

#[wasm_bindgen_test]
async fn loads_with_the_default_example_and_four_tables() {
    let app = mount().await;
    let root = &app.root;

    let editor = textarea(root);
    assert!(editor.value().contains("kind: StatefulSet"));
    let label = root.query_selector("label[for='manifests']").unwrap().unwrap();
    assert_eq!(text(&label), "Manifests");
    assert_eq!(editor.id(), "manifests");

    let captions: Vec<String> = all(root, "table > caption").iter().map(text).collect();
    for caption in ["Pods", "PersistentVolumeClaims", "PersistentVolumes", "DNS records"] {
        assert!(captions.iter().any(|c| c == caption), "missing {caption}: {captions:?}");
    }
    assert_eq!(headers(&table(root, "Pods")), ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "ACTIONS"]);
    assert_eq!(headers(&table(root, "DNS records")), ["NAME", "TYPE", "DATA"]);
    for name in ["Apply", "Step", "Back", "Play", "Reset"] {
        button(root, name);
    }
    // The default example is applied on load.
    let summary = text(&root.query_selector(".statefulsets").unwrap().unwrap());
    assert!(summary.contains("statefulset.apps/web"), "{summary}");
    assert!(text(&root.query_selector(".clock").unwrap().unwrap()).starts_with("t = "));
    // The first render is marked for `make bench`.
    let performance = web_sys::window().unwrap().performance().unwrap();
    let marks = performance.get_entries_by_name(stsplay_web::FIRST_RENDER_MARK);
    assert!(marks.length() >= 1);
}

#[wasm_bindgen_test]
async fn stepping_brings_up_three_ready_pods_and_their_dns() {
    let app = mount().await;
    let root = &app.root;

    let mut clicks = 0;
    while !pods_all_running(root) {
        assert!(clicks < 300, "pods not Running after 300 steps: {:?}", rows(&table(root, "Pods")));
        click(root, "Step").await;
        clicks += 1;
    }
    // Each Step records at least one entry (apply records its own, too).
    assert!(step_count(root) >= clicks);

    let dns = rows(&table(root, "DNS records"));
    assert!(dns.iter().any(|r| r[0] == "web-0.nginx.default.svc.cluster.local"), "{dns:?}");
    // Every step has an upstream link that opens safely.
    let link = root.query_selector("ol[aria-label='Step log'] > li a").unwrap().unwrap();
    assert_eq!(text(&link), "upstream");
    assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
    assert_eq!(link.get_attribute("rel").as_deref(), Some("noopener"));
}

#[wasm_bindgen_test]
async fn invalid_yaml_shows_an_alert_and_changes_nothing() {
    let app = mount().await;
    let root = &app.root;
    for _ in 0..4 {
        click(root, "Step").await;
    }
    let pods_before = rows(&table(root, "Pods"));
    let steps_before = step_count(root);
    assert!(root.query_selector("[role='alert']").unwrap().is_none());

    let editor = textarea(root);
    editor.set_value("kind: [");
    let init = InputEventInit::new();
    init.set_bubbles(true);
    let event = InputEvent::new_with_event_init_dict("input", &init).unwrap();
    editor.dispatch_event(&event).unwrap();
    flush().await;
    click(root, "Apply").await;

    let alert = root.query_selector("[role='alert']").unwrap().expect("an alert after a failed apply");
    let message = text(&alert);
    assert!(message.contains("line"), "{message}");
    assert_eq!(rows(&table(root, "Pods")), pods_before);
    assert_eq!(step_count(root), steps_before);
    // The text the user typed is kept.
    assert_eq!(textarea(root).value(), "kind: [");
}

#[wasm_bindgen_test]
async fn back_after_step_restores_the_step_count() {
    let app = mount().await;
    let root = &app.root;
    click(root, "Step").await;
    click(root, "Step").await;
    let before = step_count(root);
    click(root, "Step").await;
    assert!(step_count(root) > before);
    click(root, "Back").await;
    assert_eq!(step_count(root), before);
}

#[wasm_bindgen_test]
async fn play_toggles_to_pause_and_back() {
    let app = mount().await;
    let root = &app.root;
    click(root, "Play").await;
    button(root, "Pause");
    click(root, "Pause").await;
    button(root, "Play");
}

#[wasm_bindgen_test]
async fn reset_starts_over() {
    let app = mount().await;
    let root = &app.root;
    let initial = step_count(root);
    click(root, "Step").await;
    click(root, "Step").await;
    assert!(step_count(root) > initial);
    click(root, "Reset").await;
    assert_eq!(step_count(root), initial);
    assert!(textarea(root).value().contains("kind: StatefulSet"));
}

#[wasm_bindgen_test]
fn crash_banner_is_a_visible_alert_with_reload() {
    let banner = stsplay_web::show_crash_banner("boom").expect("banner");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    assert!(text(&banner).starts_with("stsplay crashed: boom"));
    let reload = banner.query_selector("button").unwrap().unwrap();
    assert_eq!(text(&reload), "Reload");
    // Shown once only.
    let again = stsplay_web::show_crash_banner("again").unwrap();
    assert!(text(&again).contains("boom"));
    banner.remove();
}

fn type_into_editor(root: &Element, text: &str) {
    let editor = textarea(root);
    editor.set_value(text);
    let init = InputEventInit::new();
    init.set_bubbles(true);
    let event = InputEvent::new_with_event_init_dict("input", &init).unwrap();
    editor.dispatch_event(&event).unwrap();
}

fn saved_item() -> Option<String> {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().get_item(stsplay_web::storage::STORAGE_KEY).unwrap()
}

#[wasm_bindgen_test]
async fn edits_are_saved_and_restored_on_the_next_load() {
    let text = "# my work\nkind: [\n";
    {
        let app = mount().await;
        // Loading the default example saves nothing.
        assert_eq!(saved_item(), None);
        type_into_editor(&app.root, text);
        flush().await;
        let saved = stsplay_web::storage::decode(&saved_item().expect("saved on edit")).unwrap();
        assert_eq!(saved.manifests, text);
        assert_eq!(saved.seed, stsplay_core::DEFAULT_SEED);
    }
    let app = mount_keeping_storage().await;
    assert_eq!(textarea(&app.root).value(), text);
    stsplay_web::storage::clear();
}

#[wasm_bindgen_test]
async fn the_session_is_saved_and_replayed_on_the_next_load() {
    let steps_before;
    {
        let app = mount().await;
        for _ in 0..4 {
            click(&app.root, "Step").await;
        }
        steps_before = step_count(&app.root);
        // An edit saves at once, with the session so far.
        type_into_editor(&app.root, "# draft, not applied\n");
        flush().await;
        let saved = stsplay_web::storage::decode(&saved_item().expect("saved on edit")).unwrap();
        let scenario = saved.scenario.expect("the session is saved");
        assert_eq!(scenario.lines().filter(|l| *l == "step").count(), 4, "{scenario}");
    }
    let app = mount_keeping_storage().await;
    assert_eq!(textarea(&app.root).value(), "# draft, not applied\n");
    assert_eq!(step_count(&app.root), steps_before, "the session is replayed, not the draft applied");
    stsplay_web::storage::clear();
}

#[wasm_bindgen_test]
fn saved_scenarios_round_trip_and_junk_is_ignored() {
    use stsplay_web::storage::{decode, encode, Saved};
    let saved = Saved { manifests: "a: \"<script>\u{1F600}\"\n".to_string(), seed: 42, scenario: None };
    assert_eq!(decode(&encode(&saved).unwrap()), Some(saved.clone()));
    let with_session = Saved { scenario: Some("# stsplay: 1\n# seed: 42\nstep\n".to_string()), ..saved };
    assert_eq!(decode(&encode(&with_session).unwrap()), Some(with_session));
    for junk in ["", "null", "[]", "42", "{", "{\"seed\":1}", "{\"manifests\":7}"] {
        assert_eq!(decode(junk), None, "{junk:?}");
    }
    // A bad seed falls back to the default; the text is kept.
    let odd = decode("{\"manifests\":\"x\",\"seed\":-3.5}").unwrap();
    assert_eq!((odd.manifests.as_str(), odd.seed), ("x", stsplay_core::DEFAULT_SEED));
}

#[wasm_bindgen_test]
async fn the_step_log_shows_only_the_newest_steps() {
    let app = mount().await;
    let root = &app.root;
    let big = stsplay_core::DEFAULT_EXAMPLE.replace("replicas: 3", "replicas: 40");
    type_into_editor(root, &big);
    flush().await;
    click(root, "Apply").await;
    let (limit, chunk) = (stsplay_web::STEP_LOG_LIMIT, stsplay_web::STEP_LOG_CHUNK);
    for _ in 0..(limit + chunk + 20) {
        click(root, "Step").await;
    }
    let shown = step_count(root);
    assert!((limit..limit + chunk).contains(&shown), "{shown} steps shown");
    let note = all(root, ".log p.empty").iter().map(text).collect::<Vec<_>>().join(" ");
    assert!(note.contains("earlier steps not shown"), "{note}");
}

fn console_input(root: &Element) -> HtmlInputElement {
    root.query_selector("#console-input").unwrap().expect("a console input").dyn_into().unwrap()
}

/// Types `text` into the console (an input event, as a keyboard does).
fn type_into_console(root: &Element, text: &str) {
    let input = console_input(root);
    input.set_value(text);
    let init = InputEventInit::new();
    init.set_bubbles(true);
    input.dispatch_event(&InputEvent::new_with_event_init_dict("input", &init).unwrap()).unwrap();
}

async fn press(root: &Element, key: &str, ctrl: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_ctrl_key(ctrl);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    console_input(root).dispatch_event(&event).unwrap();
    flush().await;
}

fn scrollback(root: &Element) -> String {
    root.query_selector("[aria-label='Console output']").unwrap().map(|e| text(&e)).unwrap_or_default()
}

fn statefulset_summary(root: &Element) -> String {
    root.query_selector(".statefulsets").unwrap().map(|e| text(&e)).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_console_command_runs_is_undone_by_back_and_is_in_the_history() {
    let app = mount().await;
    let root = &app.root;
    type_into_console(root, "kubectl scale sts web --replicas=5");
    press(root, "Enter", false).await;
    assert!(scrollback(root).contains("statefulset.apps/web scaled"), "{}", scrollback(root));
    assert!(statefulset_summary(root).contains("/5"), "{}", statefulset_summary(root));
    assert_eq!(console_input(root).value(), "", "the line is cleared after it runs");
    // A refused command prints kubectl's error and is no input of the timeline.
    type_into_console(root, "kubectl scale sts ghost --replicas=1");
    press(root, "Enter", false).await;
    assert!(scrollback(root).contains("Error from server (NotFound)"), "{}", scrollback(root));
    assert!(scrollback(root).contains("Nothing was changed."));
    // Back undoes the scale.
    click(root, "Back").await;
    assert!(statefulset_summary(root).contains("/3"), "{}", statefulset_summary(root));
    // ↑ brings the last line back, ↓ past the newest restores what was typed.
    type_into_console(root, "kubectl get");
    press(root, "ArrowUp", false).await;
    assert_eq!(console_input(root).value(), "kubectl scale sts ghost --replicas=1");
    press(root, "ArrowUp", false).await;
    assert_eq!(console_input(root).value(), "kubectl scale sts web --replicas=5");
    press(root, "ArrowDown", false).await;
    press(root, "ArrowDown", false).await;
    assert_eq!(console_input(root).value(), "kubectl get");
    // Ctrl+L clears the scrollback.
    press(root, "l", true).await;
    assert!(!scrollback(root).contains("scaled"), "{}", scrollback(root));
}

#[wasm_bindgen_test]
async fn tab_completes_in_the_console_and_lists_the_choices() {
    let app = mount().await;
    let root = &app.root;
    for _ in 0..40 {
        click(root, "Step").await;
    }
    type_into_console(root, "kubectl sca");
    press(root, "Tab", false).await;
    assert_eq!(console_input(root).value(), "kubectl scale ");
    type_into_console(root, "kubectl delete pod web-");
    press(root, "Tab", false).await;
    let hint = root.query_selector("[aria-label='Completions']").unwrap().map(|e| text(&e)).unwrap_or_default();
    assert!(hint.contains("web-0") && hint.contains("web-1"), "{hint}");
}

fn inputs_list(root: &Element) -> Vec<Element> {
    all(root, "ol[aria-label='Inputs'] > li")
}

#[wasm_bindgen_test]
async fn acting_in_the_past_forks_and_restore_brings_the_future_back() {
    let app = mount().await;
    let root = &app.root;
    for _ in 0..6 {
        click(root, "Step").await;
    }
    assert_eq!(inputs_list(root).len(), 7, "the apply and six Step presses");
    // Jump back to the state after the third input, from the list.
    let third: HtmlElement = inputs_list(root)[2].query_selector("button").unwrap().unwrap().dyn_into().unwrap();
    third.click();
    flush().await;
    assert_eq!(all(root, "ol[aria-label='Inputs'] > li.future").len(), 4);
    // Acting there forks: the four later inputs are discarded, one Restore brings them back.
    click(root, "Step").await;
    let notice = root.query_selector(".discarded").unwrap().map(|e| text(&e)).unwrap_or_default();
    assert!(notice.contains("4 later inputs discarded"), "{notice}");
    assert_eq!(inputs_list(root).len(), 4);
    click(root, "Restore").await;
    assert!(root.query_selector(".discarded").unwrap().is_none());
    assert_eq!(inputs_list(root).len(), 7);
    assert_eq!(all(root, "ol[aria-label='Inputs'] > li.future").len(), 4);
}

/// Opens the row menu of `what` (its entries are rendered once it is open).
async fn open_menu(root: &Element, what: &str) -> Element {
    let summary: HtmlElement = all(root, "details.actions > summary")
        .into_iter()
        .find(|s| text(s).ends_with(&format!("for {what}")))
        .unwrap_or_else(|| panic!("no menu for {what}"))
        .dyn_into()
        .unwrap();
    summary.click();
    // The details element's toggle event is queued as a task.
    yew::platform::time::sleep(std::time::Duration::from_millis(20)).await;
    flush().await;
    root.query_selector(&format!("[aria-label='Actions for {what}']"))
        .unwrap()
        .unwrap_or_else(|| panic!("the menu for {what} did not open"))
}

#[wasm_bindgen_test]
async fn a_row_menu_runs_its_command_through_the_console() {
    let app = mount().await;
    let root = &app.root;
    for _ in 0..40 {
        click(root, "Step").await;
    }
    let menu = open_menu(root, "pod web-1").await;
    let delete: HtmlElement =
        all(&menu, "button").into_iter().find(|b| text(b) == "Delete").unwrap().dyn_into().unwrap();
    delete.click();
    flush().await;
    // The click is echoed as the kubectl command it ran, with kubectl's output.
    let log = scrollback(root);
    assert!(log.contains("$ kubectl delete pod web-1"), "{log}");
    assert!(log.contains("pod \"web-1\" deleted"), "{log}");
    // Without a readiness probe, "Make unready" is offered disabled, saying why.
    let menu = open_menu(root, "pod web-0").await;
    let unready = all(&menu, "button").into_iter().find(|b| text(b).starts_with("Make unready")).expect("Make unready");
    assert!(unready.has_attribute("disabled"));
    assert!(text(&unready).contains("no readiness probe"));
}

#[wasm_bindgen_test]
async fn an_apply_error_marks_its_line_and_describes_the_editor() {
    let app = mount().await;
    let root = &app.root;
    type_into_editor(root, "apiVersion: v1\nkind: Service\nmetadata:\n  name: [\n");
    flush().await;
    click(root, "Apply").await;
    let editor = textarea(root);
    assert_eq!(editor.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = editor.get_attribute("aria-describedby").unwrap_or_default();
    assert!(described.split(' ').any(|id| id == "apply-error"), "{described}");
    let marked: Vec<String> = all(root, ".gutter .err").iter().map(text).collect();
    assert!(!marked.is_empty(), "no line is marked");
    // A good apply clears the marks.
    type_into_editor(root, stsplay_core::DEFAULT_EXAMPLE);
    flush().await;
    click(root, "Apply").await;
    assert!(all(root, ".gutter .err").is_empty());
    assert_eq!(textarea(root).get_attribute("aria-invalid"), None);
}
