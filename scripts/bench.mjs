// `make bench`: measure every budget, print a table of figure / budget / verdict,
// and write docs/performance.md (figures, the machine, and how each was measured).
//
//   node scripts/bench.mjs            (run by `make bench` after scripts/install.sh --bench)
//
// Steps, in order (each prints its progress on stderr):
//   1. trunk build --release -> dist/; bundle bytes, raw and gzip -9 (Node zlib);
//   2. the top wasm contributors: twiggy on a copy of the release wasm that keeps
//      its names (see wasmNames below);
//   3. native throughput and jump-back (crates/stsplay-bench, release build);
//   4. where the native time goes: perf (or valgrind callgrind) on the 1,000-replica runs;
//   5. browser figures (scripts/bench-browser.mjs): first render, step latency, memory.
// A step that fails is reported as ERROR in its rows; the others still run. The
// exit status is 0 even when figures are over budget (the table says so), and 1
// only when a measurement itself failed.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const DOC = path.join(ROOT, 'docs', 'performance.md');
const log = (...m) => console.error('[bench]', ...m);
const started = Date.now();
const loadAtStart = os.loadavg();

/** Run a command; stderr goes to ours (progress), stdout is returned. */
function run(cmd, args, { env = {}, input, allowFail = false, quiet = false } = {}) {
  log(`$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['pipe', 'pipe', quiet ? 'pipe' : 'inherit'],
  });
  if (r.error) {
    if (allowFail) return { ok: false, stdout: '', error: String(r.error) };
    throw r.error;
  }
  if (r.status !== 0) {
    const msg = `${cmd} exited with ${r.status}${quiet && r.stderr ? `: ${r.stderr.slice(-2000)}` : ''}`;
    if (allowFail) return { ok: false, stdout: r.stdout, error: msg };
    throw new Error(msg);
  }
  return { ok: true, stdout: r.stdout, stderr: r.stderr };
}

const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const msText = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`);

// --- the machine ------------------------------------------------------------------

function machine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const meminfo = fs.readFileSync('/proc/meminfo', 'utf8');
  const memKb = Number((meminfo.match(/MemTotal:\s+(\d+)/) ?? [0, 0])[1]);
  const out = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : 'unknown';
  };
  const git = out('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']);
  // docs/performance.md is this script's own output: a previous run's copy does not count.
  const dirty = out('git', ['-C', ROOT, 'status', '--porcelain', '--', '.', ':!docs/performance.md']) !== '';
  return {
    nproc: out('nproc', []),
    cpu: (cpuinfo.match(/^model name\s*:\s*(.*)$/m) ?? [0, 'unknown'])[1],
    memory: `${(memKb / 1024 / 1024).toFixed(1)} GiB`,
    rustc: out('rustc', ['--version']),
    node: process.version,
    trunk: out('trunk', ['--version']),
    wasmOpt: out('wasm-opt', ['--version']),
    os: `${os.type()} ${os.release()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: `${git}${dirty ? ' (with uncommitted changes)' : ''}`,
  };
}

// --- 1. bundle ----------------------------------------------------------------------

/** The files a first visit fetches: index.html and every file it references. */
function bundle() {
  run('trunk', ['build', '--release']);
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const refs = new Set(
    [...html.matchAll(/\b(?:src|href|data-js|data-wasm)\s*=\s*"([^"]+)"/g)]
      .map((m) => m[1])
      .filter((u) => !/^(?:[a-z]+:|\/\/|#)/i.test(u))
      .map((u) => path.posix.normalize(u.replace(/^\.\//, '').split(/[?#]/)[0])),
  );
  const files = ['index.html', ...[...refs].sort()].map((name) => {
    const data = fs.readFileSync(path.join(DIST, name));
    return {
      name,
      raw: data.length,
      gzip: zlib.gzipSync(data, { level: 9 }).length,
      brotli: zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
  const missing = fs.readdirSync(DIST).filter((f) => !files.some((x) => x.name === f));
  const total = (k) => files.reduce((sum, f) => sum + f[k], 0);
  return { files, raw: total('raw'), gzip: total('gzip'), brotli: total('brotli'), notFetched: missing };
}

// --- 2. wasm contributors -------------------------------------------------------------

/**
 * Trunk 0.21 runs wasm-bindgen (whose output keeps the `name` section) and then
 * `wasm-opt -Oz`, which drops names. So: run the same wasm-opt (binaryen 132 from
 * node_modules) with the same -Oz on Trunk's own wasm-bindgen output, adding only
 * -g (keep names), and give that to twiggy. The function bodies come out the same
 * size as in dist/ (checked below: the file minus its name section is within a
 * few KB of the shipped wasm).
 */
function wasmNames(distWasm) {
  const meta = JSON.parse(run('cargo', ['metadata', '--format-version', '1', '--no-deps'], { quiet: true }).stdout);
  const bindgenOut = path.join(meta.target_directory, 'wasm-bindgen', 'release', 'stsplay-web_bg.wasm');
  const named = path.join(meta.target_directory, 'bench', 'stsplay-web.named.wasm');
  fs.mkdirSync(path.dirname(named), { recursive: true });
  run('wasm-opt', ['-Oz', '-g', bindgenOut, '-o', named]);
  const items = JSON.parse(run('twiggy', ['top', '-f', 'json', named], { quiet: true }).stdout);
  const isNames = (i) => /subsection|custom section "name"/i.test(i.name);
  const nameBytes = items.filter(isNames).reduce((s, i) => s + i.shallow_size, 0);
  const namedBytes = fs.statSync(named).size;
  const shipped = fs.statSync(distWasm).size;
  const code = items.filter((i) => !isNames(i));
  const top = code.slice(0, 10).map((i) => ({
    name: i.name.replace(/::h[0-9a-f]{16}$/, ''),
    bytes: i.shallow_size,
    percent: (100 * i.shallow_size) / shipped,
  }));
  // By crate: the path before the first `::` (generic impls are attributed to their
  // first path segment, e.g. `<yew::...>` to yew), data segments on their own.
  const crateOf = (name) => {
    if (/^data segment|^data\[/.test(name)) return 'data segments (string constants, tables)';
    const m = name.replace(/^[<&\s]+/, '').match(/^(?:dyn |impl |mut )?([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::/);
    return m ? m[1] : 'other (wasm-bindgen glue, tables, unnamed)';
  };
  const byCrate = new Map();
  for (const i of code) byCrate.set(crateOf(i.name), (byCrate.get(crateOf(i.name)) ?? 0) + i.shallow_size);
  const crates = [...byCrate.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([crate, bytes]) => ({ crate, bytes, percent: (100 * bytes) / shipped }));
  return { top, crates, shipped, namedWithoutNames: namedBytes - nameBytes, named: path.relative(ROOT, named) };
}

// --- 3. native ----------------------------------------------------------------------

function native() {
  run('cargo', ['build', '--release', '-p', 'stsplay-bench']);
  const meta = JSON.parse(run('cargo', ['metadata', '--format-version', '1', '--no-deps'], { quiet: true }).stdout);
  const bin = path.join(meta.target_directory, 'release', 'stsplay-bench');
  return JSON.parse(run(bin, ['--json', '--limit-secs', '60']).stdout);
}

// --- 4. native profile ----------------------------------------------------------------

/**
 * Build the bench with frame pointers and line tables (own target dir, so the
 * timed build above is untouched) and profile the 1,000-replica runs. perf if it
 * works here, else valgrind's callgrind on smaller runs (it is ~50x slower).
 * Returns the stsplay_core functions by inclusive share, and the top self-time symbols.
 */
function profile() {
  const meta = JSON.parse(run('cargo', ['metadata', '--format-version', '1', '--no-deps'], { quiet: true }).stdout);
  const targetDir = path.join(meta.target_directory, 'bench-profile');
  const env = {
    CARGO_TARGET_DIR: targetDir,
    CARGO_PROFILE_RELEASE_DEBUG: 'line-tables-only',
    CARGO_PROFILE_RELEASE_STRIP: 'none',
    RUSTFLAGS: `${process.env.RUSTFLAGS ?? ''} -Cforce-frame-pointers=yes`.trim(),
  };
  run('cargo', ['build', '--release', '-p', 'stsplay-bench'], { env });
  const bin = path.join(targetDir, 'release', 'stsplay-bench');
  const data = path.join(targetDir, 'perf.data');
  const demangle = (s) => s.replace(/::h[0-9a-f]{16}\b/g, '');
  if (have('perf')) {
    const rec = run('perf', ['record', '-F', '999', '-g', '-o', data, '--', bin, '--replicas', '1000', '--only', 'throughput'], {
      allowFail: true,
      quiet: true,
    });
    if (rec.ok) {
      const report = (mode) =>
        run('perf', ['report', '-i', data, mode, '--stdio', '--sort', 'symbol', '-g', 'none', '--percent-limit', '0.5'], {
          quiet: true,
        }).stdout;
      const parse = (text, children) =>
        text
          .split('\n')
          .map((l) => l.match(children ? /^\s*([\d.]+)%\s+([\d.]+)%\s+\[\.\]\s+(.+?)\s*(?:-\s+-\s*)?$/ : /^\s*([\d.]+)%\s+\[\.\]\s+(.+?)\s*(?:-\s+-\s*)?$/))
          .filter(Boolean)
          .map((m) => (children ? { total: Number(m[1]), self: Number(m[2]), symbol: demangle(m[3]) } : { self: Number(m[1]), symbol: demangle(m[2]) }));
      const inclusive = parse(report('--children'), true).filter((r) => r.symbol.includes('stsplay_core')).slice(0, 12);
      const self = parse(report('--no-children'), false).slice(0, 10);
      return { tool: 'perf record -F 999 -g (frame pointers), 1,000-replica runs', inclusive, self };
    }
    log(`perf record failed (${rec.error}); trying callgrind`);
  }
  if (have('valgrind')) {
    const out = path.join(targetDir, 'callgrind.out');
    const r = run('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, bin, '--replicas', '300', '--only', 'throughput'], {
      allowFail: true,
      quiet: true,
    });
    if (r.ok) {
      const text = run('callgrind_annotate', ['--inclusive=yes', out], { quiet: true }).stdout;
      const rows = text
        .split('\n')
        .map((l) => l.match(/^\s*([\d,]+)\s+\(\s*([\d.]+)%\)\s+(?:\S+:)?(.+?)\s*(?:\[.*\])?$/))
        .filter(Boolean)
        .map((m) => ({ total: Number(m[2]), self: null, symbol: demangle(m[3]) }))
        .filter((x) => x.symbol.includes('stsplay_core'))
        .slice(0, 12);
      return { tool: 'valgrind --tool=callgrind (instructions), 300-replica runs', inclusive: rows, self: [] };
    }
  }
  return { tool: 'none (neither perf nor valgrind worked here)', inclusive: [], self: [] };
}

// --- 5. browser -------------------------------------------------------------------------

function browser() {
  return JSON.parse(run('node', [path.join('scripts', 'bench-browser.mjs'), '--json']).stdout);
}

// --- the table ------------------------------------------------------------------------

const rows = [];
const notes = [];
let failed = false;
function row(figure, value, budget, verdict) {
  rows.push({ figure, value, budget, verdict });
}
const verdict = (ok) => (ok ? 'OK' : 'OVER');

function attempt(name, fn) {
  try {
    return fn();
  } catch (err) {
    failed = true;
    log(`${name} FAILED: ${err.stack ?? err}`);
    notes.push(`${name} failed: ${String(err.message ?? err).split('\n')[0]}`);
    row(name, 'ERROR', '', 'ERROR');
    return null;
  }
}

const m = machine();
log(`machine: ${m.nproc} cpus, ${m.cpu}, ${m.memory}, ${m.rustc}`);

const B = attempt('bundle', bundle);
// The developers' guide: the whole site, first visit, <= 400 KB gzip with every feature.
const BUNDLE_BUDGET = 400_000;
if (B) {
  row('Bundle, first visit, gzip -9 (html+js+wasm+css+favicon)', kb(B.gzip), '<= 400 KB', verdict(B.gzip <= BUNDLE_BUDGET));
  row('Bundle, first visit, raw', kb(B.raw), '', 'info');
}
const W = B ? attempt('wasm names (twiggy)', () => wasmNames(path.join(DIST, B.files.find((f) => f.name.endsWith('.wasm')).name))) : null;

const N = attempt('native bench', native);
const P = attempt('native profile', profile);
if (N) {
  const runs = N.throughput;
  const find = (policy, n) => runs.find((r) => r.policy === policy && r.replicas === n);
  for (const policy of ['Parallel', 'OrderedReady']) {
    const small = find(policy, 1000);
    const big = find(policy, 10000);
    if (small) {
      const phases = small.phases.map((p) => `${p.phase.split(' ')[0]} ${msText(p.ms)}`).join(', ');
      row(
        `Core: 1,000-replica ${policy} (apply->Ready, roll, scale to 0), median of ${small.runsTotalMs.length}`,
        small.completed ? `${msText(small.totalMs)} (${phases})` : `not completed: ${(small.error ?? small.timedOutIn).split('; e.g.')[0]}`,
        '<= 100 ms',
        small.completed ? verdict(small.totalMs <= 100) : 'OVER',
      );
    }
    if (big && small) {
      const ratio = big.totalMs / small.totalMs;
      let value;
      if (big.completed) value = `${msText(big.totalMs)} = ${ratio.toFixed(1)}x`;
      else if (big.timedOutIn) value = `> ${big.limitSecs} s (stopped in "${big.timedOutIn}") = > ${ratio.toFixed(0)}x`;
      else {
        value = `not completed: ${big.error.split('; e.g.')[0]}`;
        notes.push(`10,000-replica ${policy}: ${big.error}`);
      }
      row(`Core: 10,000-replica ${policy}, vs the 1,000 run (medians of ${big.runsTotalMs.length})`, value, '<= 15x', big.completed ? verdict(ratio <= 15) : 'OVER');
    }
  }
  const j = N.jump;
  if (j) {
    row(
      `Core: jump back to any of ${j.inputs.toLocaleString('en')} inputs (Timeline seek: checkpoint + replay)`,
      `worst ${msText(j.restoreMs.max)} (median ${msText(j.restoreMs.median)}, p95 ${msText(j.restoreMs.p95)})${j.mismatches ? `, ${j.mismatches} MISMATCHES` : ''}`,
      '<= 50 ms',
      verdict(j.restoreMs.max <= 50 && j.mismatches === 0),
    );
  }
}
const BR = attempt('browser bench', browser);
if (BR) {
  const fr = BR.firstRender;
  row('First render (navigation -> example rendered), median of 5', `${msText(fr.median)} (runs ${fr.runs.join(', ')})`, '<= 250 ms', verdict(fr.median <= 250));
  const st = BR.stepLatency;
  row(`UI Step, ${st.pods} pods on screen, p95 of ${st.step.n} (median)`, `${msText(st.step.p95)} (${msText(st.step.median)})`, 'p95 <= 16 ms', verdict(st.step.p95 <= 16));
  row(`UI Back, ${st.pods} pods on screen, p95 of ${st.back.n} (median)`, `${msText(st.back.p95)} (${msText(st.back.median)})`, 'p95 <= 16 ms', verdict(st.back.p95 <= 16));
  const me = BR.memory;
  row(
    `Wasm memory after ${me.steps.toLocaleString('en')} steps (200-replica set, scaled 200<->100)`,
    `${mb(me.wasmBytes)}${me.stopped ? ` (stopped: ${me.stopped})` : ''}`,
    '<= 64 MB after 10,000',
    me.stopped ? 'OVER' : verdict(me.wasmBytes <= 64 * 1024 * 1024),
  );
}

// --- output -----------------------------------------------------------------------------

const width = (k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length));
const wF = width('figure');
const wV = width('value');
const wB = width('budget');
const line = (f, v, b, x) => `${f.padEnd(wF)}  ${v.padEnd(wV)}  ${b.padEnd(wB)}  ${x}`;
const seconds = ((Date.now() - started) / 1000).toFixed(0);
const loadAtEnd = os.loadavg();
const table = [line('Figure', 'Value', 'Budget', 'Verdict'), line('-'.repeat(wF), '-'.repeat(wV), '-'.repeat(wB), '-------')]
  .concat(rows.map((r) => line(r.figure, r.value, r.budget, r.verdict)))
  .join('\n');
console.log(`\nstsplay bench (${m.date}, ${m.nproc} CPUs ${m.cpu}, load ${loadAtStart[0].toFixed(1)} -> ${loadAtEnd[0].toFixed(1)}, ${seconds} s)\n`);
console.log(table);
if (notes.length) console.log(`\n${notes.join('\n')}`);

const md = [];
const mdRow = (cells) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
md.push('# Performance');
md.push('');
md.push('Generated by `make bench` (scripts/bench.mjs); do not edit by hand: change the');
md.push('script and run it again. `make bench` is not part of `make test`: it takes a few');
md.push('minutes, and it reports figures over budget (`OVER`) without failing.');
md.push('');
md.push('## Figures');
md.push('');
md.push(mdRow(['Figure', 'Value', 'Budget', 'Verdict']));
md.push(mdRow(['---', '---', '---', '---']));
for (const r of rows) md.push(mdRow([r.figure, r.value, r.budget, r.verdict]));
if (notes.length) md.push('', ...notes.map((n) => `- ${n}`));
md.push('');
md.push('## Machine');
md.push('');
md.push(`- date: ${m.date}; commit ${m.commit}`);
md.push(`- CPUs (nproc): ${m.nproc}; CPU: ${m.cpu}; memory: ${m.memory}; ${m.os}`);
md.push(`- ${m.rustc}; Node ${m.node}; ${m.trunk}; ${m.wasmOpt}${BR ? `; Chromium ${BR.chromium} (headless)` : ''}`);
md.push(
  `- load average (1 min) ${loadAtStart[0].toFixed(2)} at the start, ${loadAtEnd[0].toFixed(2)} at the end; the run took ${seconds} s. ` +
    'Timings from a busy machine are noisy (the browser figures most): compare runs made under the same load.',
);
if (B) {
  md.push('');
  md.push('## Bundle');
  md.push('');
  md.push('`trunk build --release`; the files `dist/index.html` references, i.e. what a first visit transfers ' +
    '(gzip: Node zlib level 9, brotli: quality 11; 1 KB = 1,000 bytes).');
  md.push('');
  md.push(mdRow(['File', 'Raw', 'gzip -9', 'brotli']));
  md.push(mdRow(['---', '---:', '---:', '---:']));
  for (const f of B.files) md.push(mdRow([f.name.replace(/-[0-9a-f]{16}/, '-HASH'), kb(f.raw), kb(f.gzip), kb(f.brotli)]));
  md.push(mdRow(['**total**', kb(B.raw), kb(B.gzip), kb(B.brotli)]));
  if (B.notFetched.length) md.push('', `Not fetched on a first visit (not counted): ${B.notFetched.join(', ')}.`);
}
if (W) {
  md.push('');
  md.push('### Top 10 wasm contributors');
  md.push('');
  md.push('Trunk 0.21.14 runs `wasm-bindgen` (its output keeps the `name` section) and then `wasm-opt -Oz`, which ' +
    'drops the names, so twiggy on `dist/*.wasm` sees only `code[123]`. `make bench` runs the same binaryen 132 ' +
    '`wasm-opt -Oz` on Trunk\'s own wasm-bindgen output (`target/wasm-bindgen/release/`) with `-g` added, which keeps ' +
    `names and does not change the code: that file (\`${W.named}\`) minus its name section is ` +
    `${kb(W.namedWithoutNames)}, the shipped wasm ${kb(W.shipped)}. (Trunk's \`data-keep-debug\` would pass ` +
    '`--keep-debug` to wasm-bindgen, but wasm-opt still strips the names afterwards, and it would change the shipped build.) ' +
    'Shares are of the shipped wasm; `twiggy top`, shallow sizes.');
  md.push('');
  md.push(mdRow(['#', 'Item', 'Bytes', 'Share']));
  md.push(mdRow(['---:', '---', '---:', '---:']));
  W.top.forEach((t, i) => md.push(mdRow([i + 1, `\`${t.name}\``, t.bytes.toLocaleString('en'), `${t.percent.toFixed(1)}%`])));
  md.push('');
  md.push('By crate (first path segment of each item):');
  md.push('');
  md.push(mdRow(['Crate', 'Bytes', 'Share']));
  md.push(mdRow(['---', '---:', '---:']));
  for (const c of W.crates) md.push(mdRow([c.crate, c.bytes.toLocaleString('en'), `${c.percent.toFixed(1)}%`]));
}
if (N) {
  md.push('');
  md.push('## Core throughput (native)');
  md.push('');
  md.push('`crates/stsplay-bench`, release profile as configured for the workspace (opt-level "z", LTO: the ' +
    'settings the wasm ships with), public API only. Per run: `Simulation::apply` enough extra worker Nodes for N pods ' +
    'with 25% to spare (110 pods per node, as the core models the kubelet\'s maxPods: ' +
    N.throughput.filter((r) => r.policy === 'Parallel').map((r) => `${r.nodes} nodes in all for ${r.replicas.toLocaleString('en')}`).join(', ') +
    ') with the default ' +
    'example\'s Service and StatefulSet (with its `www` claim template) at N replicas and step until nothing is pending; re-apply with a new ' +
    'image and step until settled; `kubectl scale statefulset web --replicas=0` (`kubectl::run_line`) and step until ' +
    'settled. Each phase is checked (all Ready, all on the new image, no pods left). A run is stopped after 60 s. ' +
    `Each configuration runs ${N.throughput[0]?.runsTotalMs.length ?? 0} times, interleaved with the others; the table shows the run with the median total, ` +
    'and the totals of all runs follow it.');
  md.push('');
  md.push(mdRow(['Policy', 'Replicas', 'Phase', 'Time', 'step() calls', 'Steps recorded']));
  md.push(mdRow(['---', '---:', '---', '---:', '---:', '---:']));
  for (const r of N.throughput) {
    for (const p of r.phases) {
      md.push(mdRow([r.policy, r.replicas.toLocaleString('en'), p.phase + (p.completed ? '' : ' (stopped at the time limit)'), msText(p.ms), p.stepCalls ?? '-', p.stepsRecorded.toLocaleString('en')]));
    }
  }
  md.push('');
  for (const r of N.throughput) {
    md.push(`- ${r.policy} ${r.replicas.toLocaleString('en')}: totals ${r.runsTotalMs.map(msText).join(', ')}`);
  }
  const j = N.jump;
  if (j) {
    md.push('');
    md.push('### Jump back');
    md.push('');
    md.push(`Back, the scrubber and every jump go through the core \`Timeline\`: a \`Simulation::clone()\` checkpoint ` +
      `every ${j.checkpointEvery} inputs (farther apart as the step log grows), at most ${j.maxCheckpoints} kept (the ` +
      'densest stretch is thinned), and a replay of the inputs since. An input is what the web app pushes: one Step, ' +
      `one Apply or a console command. Workload: a ${j.replicas}-replica Parallel set, stepped, re-applied with another ` +
      `image and scaled ${j.replicas}<->${j.replicas / 2} whenever it settles, for ${j.inputs.toLocaleString('en')} inputs ` +
      `(${j.stepsRecorded.toLocaleString('en')} steps recorded). Every target 0..${j.inputs} was sought from the end and ` +
      `timed; the states reached were compared with the ones recorded on the way forward (${j.mismatches} mismatches).`);
    md.push('');
    md.push(`- seek: median ${msText(j.restoreMs.median)}, p95 ${msText(j.restoreMs.p95)}, worst ${msText(j.restoreMs.max)}`);
    md.push(`- replaying all ${j.inputs} inputs from the start instead: ${msText(j.replayFromStartMs)}`);
    md.push(`- memory: ${j.checkpoints} simulations kept; the whole timeline (checkpoints, current state, inputs and ` +
      `their outputs) = ${mb(j.timelineBytes)}; one full clone at the end = ${kb(j.cloneAtEndBytes)} (${msText(j.cloneAtEndMs)}).`);
  }
}
if (P) {
  md.push('');
  md.push('## Where the native time goes');
  md.push('');
  md.push(`Profiled with ${P.tool}; the bench built with frame pointers and line tables in its own target directory. ` +
    'LTO inlines part of the controllers into `Simulation::process_next_event`, so their own code is counted there; ' +
    'for a line-level view: `perf annotate -i target/bench-profile/perf.data --stdio -l ' +
    "'stsplay_core::sim::Simulation::process_next_event'`.");
  if (P.inclusive.length) {
    md.push('');
    md.push(mdRow(['stsplay_core function', 'Inclusive', 'Self']));
    md.push(mdRow(['---', '---:', '---:']));
    for (const r of P.inclusive) md.push(mdRow([`\`${r.symbol}\``, `${r.total.toFixed(1)}%`, r.self === null ? '' : `${r.self.toFixed(1)}%`]));
  }
  if (P.self.length) {
    md.push('');
    md.push('Top self time (any symbol):');
    md.push('');
    md.push(mdRow(['Symbol', 'Self']));
    md.push(mdRow(['---', '---:']));
    for (const r of P.self) md.push(mdRow([`\`${r.symbol}\``, `${r.self.toFixed(1)}%`]));
  }
}
if (BR) {
  md.push('');
  md.push('## Browser');
  md.push('');
  md.push('`scripts/bench-browser.mjs`: headless Chromium (the flags of tests/e2e/harness.mjs) against `dist/` served on ' +
    '127.0.0.1 by tests/e2e/server.mjs (with the CSP header, `Cache-Control: no-store`).');
  md.push('');
  const fr = BR.firstRender;
  md.push(`- **First render**: navigation start to the \`stsplay:first-render\` performance mark, which the app sets in an ` +
    'effect after its first render (the default example applied, its tables in the DOM); a fresh browser context per ' +
    `run (a cold first visit), one warm-up, then 5 runs: ${fr.runs.join(', ')} ms (median ${msText(fr.median)}).`);
  const st = BR.stepLatency;
  md.push(`- **Step / Back**: a ${st.pods}-replica Parallel set applied through the editor (Reset, since the policy is ` +
    `immutable) and stepped until settled (${st.settleClicks} clicks, ${st.steps} steps); then ${st.back.n} Back clicks ` +
    `and ${st.step.n} Step clicks. Each is timed from the click to the end of the frame that shows it: the click is made ` +
    'at the start of a frame (in `requestAnimationFrame`), the app renders in that task\'s microtasks, and a ' +
    'MessageChannel message posted then is handled right after the frame\'s style, layout and paint. (Waiting for ' +
    'the next vsync instead would add 0-16.7 ms of idle time unrelated to the app.) "App" is the part up to the end ' +
    'of the render, the rest is the browser\'s style/layout/paint.');
  md.push('');
  md.push(mdRow(['Click', 'median', 'p95', 'max', 'app median', 'app p95']));
  md.push(mdRow(['---', '---:', '---:', '---:', '---:', '---:']));
  md.push(mdRow(['Step', msText(st.step.median), msText(st.step.p95), msText(st.step.max), msText(st.stepApp.median), msText(st.stepApp.p95)]));
  md.push(mdRow(['Back', msText(st.back.median), msText(st.back.p95), msText(st.back.max), msText(st.backApp.median), msText(st.backApp.p95)]));
  const me = BR.memory;
  md.push('');
  md.push(`- **Memory**: a 200-replica Parallel set, stepped until settled, then re-applied with 100 and 200 replicas ` +
    `in turn, until ${me.steps.toLocaleString('en')} steps were recorded (${me.clicks.toLocaleString('en')} Step clicks, ` +
    `${me.applies} applies, ${me.seconds.toFixed(0)} s). The wasm linear memory is read from \`WebAssembly.Memory\` ` +
    '(`buffer.byteLength`; the instance\'s exports come with the `TrunkApplicationStarted` event that web/boot.js ' +
    `fires, so the app needs no hook in its UI): ${mb(me.initialBytes)} at start, ${mb(me.wasmBytes)} at the end` +
    `${me.jsHeapBytes ? `; JS heap (\`performance.memory.usedJSHeapSize\`) ${mb(me.jsHeapBytes)}` : ''}. ` +
    'Wasm memory never shrinks, so this is the peak. Back keeps up to 1,000 entries, as checkpoints (a clone every ' +
    '50 to 400 inputs, more apart as the step log grows) plus the inputs since, replayed on Back (web/src/state.rs); ' +
    'a clone carries the whole step log, so 1,000 deep clones would need gigabytes here.');
}
md.push('');
fs.mkdirSync(path.dirname(DOC), { recursive: true });
fs.writeFileSync(DOC, md.join('\n'));
console.log(`\nwrote ${path.relative(process.cwd(), DOC)}`);
process.exitCode = failed ? 1 : 0;
