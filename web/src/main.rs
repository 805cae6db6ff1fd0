//! The Trunk entry point: install the crash banner hook, then render the app.

fn main() {
    stsplay_web::install_panic_hook();
    yew::Renderer::<stsplay_web::App>::new().render();
}
