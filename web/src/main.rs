//! The Trunk entry point: install the crash banner hook, then render the app.

fn main() {
    stsplay_web::install_panic_hook();
    #[cfg(feature = "test-hooks")]
    stsplay_web::panic::install_test_panic_trigger();
    yew::Renderer::<stsplay_web::App>::new().render();
}
