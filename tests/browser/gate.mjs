// The browser gate: builds the demo, serves each output on 127.0.0.1 under
// its base path, and in headless Chromium checks every page with axe-core
// (WCAG 2.0/2.1/2.2 A and AA), checks reflow at 320 px, runs the W3C Nu
// HTML checker over every HTML file, and tries search as a reader would.
// `--screenshots` also saves the README screenshots into docs/screenshots/.
//
// Any finding fails the run, naming the page and the rule.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const screenshots = process.argv.includes("--screenshots");
const binary = path.join(repo, "target", "release", "guidepost");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

let passed = 0;
const failures = [];
function fail(what) {
  failures.push(what);
  console.error(`FAIL ${what}`);
}
function pass() {
  passed += 1;
}

// ------------------------------------------------------------ build

const build = spawnSync(binary, ["--root", repo, "build", "--now", "2026-11-22", "-q"], { stdio: "inherit" });
if (build.status !== 0) {
  console.error("gate: the demo did not build");
  process.exit(1);
}

// The outputs and their base paths, from site.yaml (dir and base_url pairs).
function outputs() {
  const yaml = fs.readFileSync(path.join(repo, "site.yaml"), "utf8");
  const found = [];
  let current = null;
  for (const line of yaml.split("\n")) {
    const dir = line.match(/^\s+dir:\s*(\S+)/);
    const base = line.match(/^\s+base_url:\s*(\S+)/);
    if (dir) current = { dir: path.join(repo, dir[1]) };
    if (base && current) {
      current.basePath = new URL(base[1]).pathname;
      if (!current.basePath.endsWith("/")) current.basePath += "/";
      found.push(current);
      current = null;
    }
  }
  return found;
}

function htmlFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(".html")) {
      out.push(path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)));
    }
  }
  return out.sort();
}

// ------------------------------------------------------------ server

const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".pdf": "application/pdf", ".xml": "application/xml", ".txt": "text/plain" };

function serve(out) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      const url = new URL(req.url, "http://127.0.0.1");
      let rel = decodeURIComponent(url.pathname);
      if (!rel.startsWith(out.basePath)) {
        res.writeHead(404).end();
        return;
      }
      rel = rel.slice(out.basePath.length);
      let file = path.resolve(out.dir, rel);
      if (!file.startsWith(out.dir)) {
        res.writeHead(404).end();
        return;
      }
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
      if (!fs.existsSync(file)) {
        res.writeHead(404, { "content-type": TYPES[".html"] }).end(fs.readFileSync(path.join(out.dir, "404.html")));
        return;
      }
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
      res.end(fs.readFileSync(file));
    });
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

// ------------------------------------------------------------ browser

const axeSource = fs.readFileSync(path.join(repo, "node_modules", "axe-core", "axe.min.js"), "utf8");
const profile = fs.mkdtempSync(path.join(fs.realpathSync("/tmp"), "guidepost-gate-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: { width: 1280, height: 900 },
});
// Nothing may load from another host: block it so the test fails loudly.
await context.route("**/*", (route) => {
  const u = new URL(route.request().url());
  if (u.protocol === "file:" || u.hostname === "127.0.0.1") return route.continue();
  fail(`request to another host: ${u.href}`);
  return route.abort();
});
const page = context.pages()[0] ?? (await context.newPage());
page.on("pageerror", (e) => fail(`script error on ${page.url()}: ${e.message}`));

const servers = [];
const sites = [];
for (const out of outputs()) {
  const server = await serve(out);
  servers.push(server);
  sites.push({ ...out, origin: `http://127.0.0.1:${server.address().port}` });
}

async function checkPage(site, rel) {
  const url = `${site.origin}${site.basePath}${rel.replace(/index\.html$/, "")}`;
  const name = `${path.relative(repo, site.dir)}/${rel}`;
  const html = fs.readFileSync(path.join(site.dir, rel), "utf8");
  if (html.includes('http-equiv="refresh"')) return; // redirect pages only point elsewhere
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(url, { waitUntil: "load" });
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    return await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
  }, WCAG_TAGS);
  if (result.violations.length === 0) pass();
  for (const v of result.violations) {
    const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ");
    fail(`${name}: axe ${v.id} (${v.impact}): ${v.help} — ${where}`);
  }
  // Reflow (WCAG 1.4.10): no sideways scrolling at 320 CSS pixels.
  await page.setViewportSize({ width: 320, height: 640 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (width > 320) fail(`${name}: reflow: the page is ${width}px wide at a 320px viewport`);
  else pass();
}

for (const site of sites) {
  for (const rel of htmlFiles(site.dir)) {
    await checkPage(site, rel);
  }
}

// ------------------------------------------------------------ search

async function searchResults() {
  await page.waitForSelector("#gp-search-results li", { timeout: 5000 });
  return page.$$eval("#gp-search-results li", (lis) =>
    lis.map((li) => ({ title: li.querySelector("a").textContent, href: li.querySelector("a").getAttribute("href"), marked: li.innerHTML.includes("<mark>") })),
  );
}

async function expectFirst(label, query, title) {
  try {
    const results = await searchResults();
    if (results.length && results[0].title === title && results[0].marked) pass();
    else fail(`search ${label} for "${query}": expected "${title}" first with highlighting, got ${JSON.stringify(results.slice(0, 3))}`);
    return results;
  } catch (e) {
    fail(`search ${label} for "${query}": no results (${e.message})`);
    return [];
  }
}

{
  const pub = sites[0];
  await page.setViewportSize({ width: 1280, height: 900 });
  // The header form without JavaScript is a plain GET to the search page.
  await page.goto(`${pub.origin}${pub.basePath}`);
  await page.fill("#gp-search-input", "house rules");
  await Promise.all([page.waitForURL(/search\/\?q=house\+rules/), page.click(".gp-search__button")]);
  await expectFirst("from the header", "house rules", "House rules");
  // Typing refines the results as you type.
  await page.fill("#gp-search-page-input", "");
  await page.type("#gp-search-page-input", "hashtag");
  const results = await expectFirst("as you type", "hashtag", "Using hashtags");
  if (results.some((r) => r.title.toLowerCase().includes("troll"))) fail("search on the public site found a staff page");
  // Following a result opens the page.
  if (results.length) {
    await Promise.all([page.waitForLoadState("load"), page.click("#gp-search-results li a")]);
    const h1 = await page.textContent("h1");
    if (h1.trim() === "Using hashtags") pass();
    else fail(`following the first search result opened "${h1}"`);
  }
  // The intranet opened straight from disk (file://) searches too.
  const intranet = sites.find((s) => s.dir.endsWith("intranet"));
  if (intranet) {
    await page.goto(pathToFileURL(path.join(intranet.dir, "search", "index.html")).href + "?q=trolls");
    const found = await expectFirst("from file://", "trolls", "Staying safe from trolls");
    if (found.length) {
      await Promise.all([page.waitForLoadState("load"), page.click("#gp-search-results li a")]);
      if (page.url().startsWith("file://") && (await page.textContent("h1")).includes("trolls")) pass();
      else fail(`a file:// search result led to ${page.url()}`);
    }
  }
}

// ------------------------------------------------------------ screenshots

if (screenshots) {
  const dir = path.join(repo, "docs", "screenshots");
  fs.mkdirSync(dir, { recursive: true });
  const intranet = sites.find((s) => s.dir.endsWith("intranet")) ?? sites[0];
  const shots = [
    ["home", sites[0], ""],
    ["guidance", intranet, "guidance/getting-started/"],
  ];
  for (const extra of [["campaign", "campaigns/"], ["poster", "posters/"]]) {
    const first = htmlFiles(intranet.dir).find((f) => f.startsWith(extra[1]) && f !== `${extra[1]}index.html`);
    if (first) shots.push([extra[0], intranet, first.replace(/index\.html$/, "")]);
  }
  for (const [name, site, rel] of shots) {
    for (const [size, w, h] of [["desktop", 1280, 900], ["phone", 390, 844]]) {
      await page.setViewportSize({ width: w, height: h });
      await page.goto(`${site.origin}${site.basePath}${rel}`);
      await page.screenshot({ path: path.join(dir, `${name}-${size}.png`) });
    }
  }
  console.log(`screenshots written to ${path.relative(repo, dir)}/`);
}

await context.close();
servers.forEach((s) => s.close());
fs.rmSync(profile, { recursive: true, force: true });

// ------------------------------------------------------------ Nu HTML checker

const vnu = spawnSync(
  "java",
  ["-jar", path.join(repo, "node_modules", "vnu-jar", "build", "dist", "vnu.jar"), "--errors-only", "--skip-non-html", "--format", "gnu", ...sites.map((s) => s.dir)],
  { encoding: "utf8" },
);
const vnuErrors = (vnu.stderr + vnu.stdout).split("\n").filter((l) => l.trim());
if (vnu.status === 0 && vnuErrors.length === 0) pass();
for (const line of vnuErrors) fail(`Nu HTML checker: ${path.relative(repo, line)}`);
if (vnu.error) fail(`Nu HTML checker could not run: ${vnu.error.message}`);

// ------------------------------------------------------------ sitemap schema

const xsd = path.join(repo, "node_modules", "sitemap", "schema", "sitemap.xsd");
for (const site of sites) {
  const sitemap = path.join(site.dir, "sitemap.xml");
  if (!fs.existsSync(sitemap)) continue;
  const lint = spawnSync("xmllint", ["--noout", "--schema", xsd, sitemap], { encoding: "utf8" });
  if (lint.status === 0) pass();
  else fail(`sitemaps.org 0.9 schema: ${path.relative(repo, sitemap)}: ${(lint.stderr || lint.error?.message || "").trim()}`);
}

console.log(`gate: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
