// stsplay's loader, an external module so that the page needs no inline script
// and its Content-Security-Policy can say `script-src 'self' 'wasm-unsafe-eval'`.
//
// Trunk (Trunkfile.toml `pattern_script`) replaces the `<link data-trunk rel="rust">`
// with `<meta name="stsplay-wasm" data-js=... data-wasm=...>` naming the hashed
// wasm-bindgen JS and wasm files; this module imports the one and starts the other,
// then fires `TrunkApplicationStarted` as Trunk's own inline loader does
// (detail.wasm is the instance's exports, memory included).
const meta = document.querySelector('meta[name="stsplay-wasm"]');
try {
  if (!meta) throw new Error('meta[name="stsplay-wasm"] is missing from the page');
  const base = document.baseURI;
  const { default: init } = await import(new URL(meta.dataset.js, base).href);
  const wasm = await init({ module_or_path: new URL(meta.dataset.wasm, base) });
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
} catch (err) {
  console.error('stsplay failed to start:', err);
  const p = document.createElement('p');
  p.className = 'noscript';
  p.setAttribute('role', 'alert');
  p.textContent = `stsplay failed to start: ${err && err.message ? err.message : err}`;
  document.body.append(p);
}
