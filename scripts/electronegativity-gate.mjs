#!/usr/bin/env node
/**
 * Security gate: runs Electronegativity over the app's own code (main/, preload/, the renderer's
 * index.html and src/, and the built renderer in out/renderer when present; never node_modules,
 * the rest of out/ or test/), prints every finding, and exits 1 when any finding of severity
 * MEDIUM or above is not waived below, or when a file could not be parsed (an unparsed file was
 * not checked at all). Electronegativity itself always exits 0, so CI needs this wrapper.
 *
 *   node scripts/electronegativity-gate.mjs [root]
 *
 * Exit codes: 0 pass, 1 findings or unscanned files, 2 the gate itself failed.
 *
 * Why the library API rather than `electronegativity -i … -o out.csv`: with `-o` the CLI drops
 * its parse errors silently, and it writes the CSV header and rows with two unawaited
 * fs.writeFile calls (a 'w' and an 'a') that can race; SARIF carries no severity. The API
 * returns the findings, with severity and confidence, and the parse errors.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { transformSync } from 'esbuild';

/** Checks not run at all, each with the reason. */
const EXCLUDED_CHECKS = [
  {
    check: 'AvailableSecurityFixesGlobalCheck',
    reason:
      'downloads the Electron release list from raw.githubusercontent.com on every run (unreachable offline, slow and ' +
      'non-deterministic in CI); advisories for the pinned electron are covered by `npm audit` instead',
  },
];

/**
 * Findings reviewed and accepted for one check in one file, each with the reason. A waiver that
 * no longer matches anything is reported so it can be deleted; a new occurrence elsewhere fails.
 */
const WAIVERS = [
  {
    check: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'main/app/security.ts',
    reason:
      'openIfAllowed() calls shell.openExternal only for URLs isAllowedExternalUrl() accepts: https, no credentials, ' +
      'an exact origin and path prefix from EXTERNAL_LINK_ALLOW_LIST (test/unit/common/security-policy.test.ts, security.test.ts)',
  },
  {
    check: 'PRELOAD_JS_CHECK',
    file: 'main/app/window.ts',
    reason:
      'a reminder to review the preload: preload/index.ts exposes only createBridge(ipcRenderer), the fixed StudioApi ' +
      'methods on lstm: channels, with no ipcRenderer, Node or event sender reaching the page (test/unit/preload/bridge.test.ts)',
  },
  {
    check: 'AUXCLICK_JS_CHECK',
    file: 'main/app/window.ts',
    reason:
      'wants disableBlinkFeatures: "Auxclick", a Blink flag Chromium removed in 2017 (electron/electron#10315), so it ' +
      'would change nothing; middle-click popups and navigation are denied for every webContents by hardenWebContents() ' +
      '(setWindowOpenHandler → deny, will-navigate → preventDefault; test/unit/main/app/security.test.ts)',
  },
];

/**
 * Checks whose reported severity is too low for this app, raised before the pass/fail decision
 * (and printed as raised). The renderer is sandboxed and needs none of these settings.
 */
const SEVERITY_FLOORS = [
  {
    check: 'NODE_INTEGRATION_JS_CHECK',
    severity: 'HIGH',
    reason: 'Electronegativity 1.10.3 reports an explicit nodeIntegration: true as INFORMATIONAL; Node in the page is a blocker here',
  },
  {
    check: 'EXPERIMENTAL_FEATURES_JS_CHECK',
    severity: 'MEDIUM',
    reason: 'experimentalFeatures widens the renderer attack surface for nothing',
  },
  { check: 'BLINK_FEATURES_JS_CHECK', severity: 'MEDIUM', reason: 'enableBlinkFeatures turns on features Chromium ships off' },
  { check: 'ALLOWPOPUPS_HTML_CHECK', severity: 'MEDIUM', reason: 'popups from a <webview> escape the window hardening' },
];

const FAIL_AT = 'MEDIUM';
const SEVERITY_RANK = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };
/** What is scanned, relative to the root; folders are copied without node_modules or hidden temp files. */
const SOURCES = ['common', 'main', 'preload', 'renderer/index.html', 'renderer/src', 'package.json'];
const BUILT_RENDERER = 'out/renderer';

function parseArgs(argv) {
  const options = { root: process.cwd() };
  for (const arg of argv) {
    if (arg.startsWith('-')) throw new Error(`unknown option ${arg}; usage: electronegativity-gate.mjs [root]`);
    options.root = path.resolve(arg);
  }
  return options;
}

/**
 * Copies what is scanned into a fresh folder with the same layout, so findings' paths read as
 * repository paths. The built renderer is lowered to ES2019 on the way: Electronegativity's
 * parsers fail on class private fields (`#x`, used by Svelte's runtime) and would skip the file.
 */
function stage(root) {
  const staged = mkdtempSync(path.join(os.tmpdir(), 'electronegativity-'));
  const keep = (source) => !/[\\/](node_modules|\.git)([\\/]|$)/.test(source) && !path.basename(source).endsWith('.tmp');
  const copied = [];
  for (const entry of SOURCES) {
    const from = path.join(root, entry);
    if (!existsSync(from)) continue;
    cpSync(from, path.join(staged, entry), { recursive: true, filter: keep });
    copied.push(entry);
  }
  const built = path.join(root, BUILT_RENDERER);
  if (existsSync(built)) {
    cpSync(built, path.join(staged, BUILT_RENDERER), { recursive: true, filter: keep });
    lowerScripts(path.join(staged, BUILT_RENDERER));
    copied.push(`${BUILT_RENDERER} (scripts lowered to ES2019; line numbers refer to the lowered copy)`);
  }
  return { staged, copied };
}

function lowerScripts(dir) {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) lowerScripts(file);
    else if (/\.m?js$/.test(name)) {
      const { code } = transformSync(readFileSync(file, 'utf8'), { target: 'es2019', format: 'esm', loader: 'js' });
      writeFileSync(file, code);
    }
  }
}

/**
 * The library's run() with `forCli` false: { issues, errors, atomicChecks, globalChecks }, with
 * SEVERITY_FLOORS applied (using the library's own severity objects).
 */
async function scan(staged) {
  const require = createRequire(import.meta.url);
  const run = require('@doyensec/electronegativity');
  const { severity } = require('@doyensec/electronegativity/dist/finder/attributes');
  const excludeFromScan = EXCLUDED_CHECKS.map((entry) => entry.check.toLowerCase());
  const result = await run({ input: staged, isRelative: true, customScan: [], excludeFromScan }, false);
  return { ...result, issues: raiseSeverities(result.issues, severity) };
}

/** Applies SEVERITY_FLOORS, noting on each raised finding what it was reported as. */
function raiseSeverities(issues, severities) {
  return issues.map((issue) => {
    const floor = SEVERITY_FLOORS.find((f) => f.check === issue.id);
    if (!floor || SEVERITY_RANK[issue.severity.name] >= SEVERITY_RANK[floor.severity]) return issue;
    const raisedFrom = `${issue.severity.name}: ${floor.reason}`;
    return { ...issue, severity: severities[floor.severity], raisedFrom };
  });
}

/** Splits findings into waived and not, and finds waivers that matched nothing. */
function applyWaivers(issues) {
  const used = new Set();
  const open = [];
  const waived = [];
  for (const issue of issues) {
    const waiver = WAIVERS.find((w) => w.check === issue.id && w.file === toPosix(issue.file));
    if (waiver) {
      used.add(waiver);
      waived.push({ issue, waiver });
    } else {
      open.push(issue);
    }
  }
  return { open, waived, unused: WAIVERS.filter((w) => !used.has(w)) };
}

const toPosix = (file) => String(file).split(path.sep).join('/');

function describeIssue(issue) {
  const review = issue.manualReview ? ' (manual review)' : '';
  const raised = issue.raisedFrom ? `\n    raised by the gate from ${issue.raisedFrom}` : '';
  const where = `${toPosix(issue.file)}:${issue.location?.line ?? '?'}:${issue.location?.column ?? '?'}`;
  return `${issue.severity.name.padEnd(13)} ${issue.confidence.name.padEnd(9)} ${issue.id}${review}\n    ${where}  ${issue.description}${raised}`;
}

function report({ copied, result, root }) {
  const { open, waived, unused } = applyWaivers(result.issues);
  console.log(`Electronegativity gate: ${result.atomicChecks} atomic + ${result.globalChecks} global checks over ${root}`);
  console.log(`  scanned: ${copied.join(', ')}`);
  for (const entry of EXCLUDED_CHECKS) console.log(`  check not run: ${entry.check}: ${entry.reason}`);
  const failing = open.filter((issue) => SEVERITY_RANK[issue.severity.name] >= SEVERITY_RANK[FAIL_AT]);
  console.log(`\nFindings (${open.length}; fail at ${FAIL_AT} or above):`);
  for (const issue of open) console.log(`  ${failing.includes(issue) ? 'FAIL' : 'ok  '} ${describeIssue(issue)}`);
  console.log(`\nWaived (${waived.length}):`);
  for (const { issue, waiver } of waived) console.log(`  waived ${describeIssue(issue)}\n    why: ${waiver.reason}`);
  for (const waiver of unused) console.log(`  note: waiver ${waiver.check} in ${waiver.file} matched nothing; delete it`);
  const unparsed = result.errors.filter((error) => !error.tolerable);
  for (const error of result.errors) {
    const label = error.tolerable ? 'parse warning' : 'NOT SCANNED';
    console.log(`  ${label}: ${toPosix(path.relative(result.staged, error.file))}: ${error.message}`);
  }
  const isFailed = failing.length > 0 || unparsed.length > 0;
  console.log(`\n${isFailed ? 'FAILED' : 'PASSED'}: ${failing.length} finding(s) at ${FAIL_AT}+, ${unparsed.length} file(s) not scanned.`);
  return isFailed ? 1 : 0;
}

async function main() {
  const { root } = parseArgs(process.argv.slice(2));
  const { staged, copied } = stage(root);
  try {
    if (copied.length === 0) throw new Error(`nothing to scan in ${root}: expected ${SOURCES.join(', ')}`);
    const result = await scan(staged);
    return report({ copied, root, result: { ...result, staged } });
  } finally {
    rmSync(staged, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`electronegativity-gate: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(2);
  },
);
