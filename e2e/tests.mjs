// Browser end-to-end tests of the vanban web application.
//
// Drives the system Chromium (no browser download) with playwright-core
// against a running `vanban demo` (the demo corpus in samples/demo/) at
// VANBAN_URL. scripts/e2e.sh starts the server and runs this file; to run it
// by hand: `VANBAN_URL=http://127.0.0.1:8080 node --test tests.mjs` in e2e/.
//
// Every page visited is saved as a screenshot in e2e/artifacts/.
//
// The tests follow a reader's path through the demo's first story: Quy định
// 126-QĐ/TW (2018) was replaced by Quy định 58-QĐ/TW (2022), guided by
// Hướng dẫn 19-HD/BTCTW, and disseminated in Hà Nam, which since 1/7/2025
// belongs to Ninh Bình.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const BASE = (process.env.VANBAN_URL || "http://127.0.0.1:8080").replace(/\/+$/, "");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), "artifacts");
const TIMEOUT_MS = 15_000;

// Playwright gives every launch a fresh temporary profile (user-data-dir)
// and removes it on close; the flags keep Chromium quiet and offline.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let browser;
let context;
let page;
let shot = 0;

/** Lower-case, without Vietnamese diacritics (what a reader types). */
function fold(s) {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase();
}

/** Saves a full-page screenshot of `p` as artifacts/NN-name.png. */
async function screenshot(p, name) {
  shot += 1;
  const file = join(ARTIFACTS, `${String(shot).padStart(2, "0")}-${name}.png`);
  await p.screenshot({ path: file, fullPage: true });
  return file;
}

/** A browser context that can reach only the server under test. */
async function newContext(options = {}) {
  const ctx = await browser.newContext({ locale: "vi-VN", ...options });
  ctx.setDefaultTimeout(TIMEOUT_MS);
  await ctx.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(BASE + "/") || url === BASE) return route.continue();
    return route.abort();
  });
  return ctx;
}

/** Goes to `path`, asserts the HTTP status, and returns the response. */
async function visit(p, path, expectedStatus = 200) {
  const response = await p.goto(BASE + path, { waitUntil: "load" });
  assert.ok(response, `no response for ${path}`);
  assert.equal(response.status(), expectedStatus, `HTTP status of ${path}`);
  return response;
}

/** The integer in a count like "1.234" (Vietnamese thousands separator). */
function parseCount(text) {
  const digits = text.replace(/[^\d]/g, "");
  assert.notEqual(digits, "", `not a count: ${JSON.stringify(text)}`);
  return Number.parseInt(digits, 10);
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  context = await newContext();
  page = await context.newPage();
});

after(async () => {
  await browser?.close();
});

test("home page shows the counts of the demo knowledge base", async () => {
  await visit(page, "/");
  await screenshot(page, "home");
  assert.equal(await page.locator("#q").count(), 1, "one main search box #q");
  const counts = {};
  for (const item of await page.locator("ul.counts li").all()) {
    const number = parseCount(await item.locator("strong").innerText());
    const label = (await item.innerText()).replace(/^[\d.\s]+/, "").trim();
    counts[label] = number;
  }
  const find = (word) => {
    const key = Object.keys(counts).find((k) => k.includes(word));
    assert.ok(key, `a count labelled “${word}” in ${JSON.stringify(counts)}`);
    return counts[key];
  };
  // samples/demo holds 55 texts about 5 directive stories in 37 provinces.
  assert.ok(find("bài viết") >= 44, `sources: ${JSON.stringify(counts)}`);
  assert.ok(find("văn bản") >= 15, `documents: ${JSON.stringify(counts)}`);
  assert.ok(find("quan hệ") >= 3, `relations: ${JSON.stringify(counts)}`);
  assert.ok(find("sự kiện") >= 30, `events: ${JSON.stringify(counts)}`);
  assert.ok(find("tỉnh") >= 20, `provinces: ${JSON.stringify(counts)}`);
});

test("search typed without diacritics finds the Quy định with marked words", async () => {
  await visit(page, "/");
  await page.locator("#q").fill("bao ve chinh tri noi bo");
  await Promise.all([page.waitForURL(/\/tim-kiem\?/), page.locator("#q").press("Enter")]);
  await screenshot(page, "search-bao-ve-chinh-tri-noi-bo");
  assert.match(page.url(), /[?&]q=bao(\+|%20)ve/);
  const hits = page.locator(".search-hit");
  assert.ok((await hits.count()) >= 3, "several hits for a story told in many texts");
  const marks = await page.locator(".search-hit mark").allInnerTexts();
  assert.ok(marks.length > 0, "matched words are marked with <mark>");
  const wanted = new Set(["bao", "ve", "chinh", "tri", "noi", "bo"]);
  assert.ok(
    marks.some((m) => fold(m).split(/\s+/).some((w) => wanted.has(w))),
    `a marked word is one of the query's words with its diacritics: ${marks.join(" | ")}`,
  );
  assert.ok(
    marks.some((m) => m !== fold(m)),
    `the text is shown as written, with diacritics: ${marks.join(" | ")}`,
  );
  const link = page.locator('.search-hit a[href^="/van-ban/"]', { hasText: "126-QĐ/TW" });
  assert.ok((await link.count()) > 0, "Quy định 126-QĐ/TW is among the results");
});

test("document 126-QĐ/TW: replaced by 58-QĐ/TW, guided by 19-HD/BTCTW", async () => {
  const link = page.locator('.search-hit a[href^="/van-ban/"]', { hasText: "126-QĐ/TW" }).first();
  await Promise.all([page.waitForURL(/\/van-ban\//), link.click()]);
  await screenshot(page, "document-126");
  assert.match(await page.locator("h1").first().innerText(), /126-QĐ\/TW/);

  const badge = page.locator(".status-badge");
  assert.equal(await badge.count(), 1, "one status badge");
  const badgeText = await badge.innerText();
  assert.match(badgeText, /thay thế/i, `status says replaced: ${badgeText}`);
  assert.match(badgeText, /58-QĐ\/TW/, `status names the replacing document: ${badgeText}`);
  assert.match(
    (await badge.getAttribute("class")) || "",
    /status-replaced/,
    "the badge carries the machine-readable state",
  );
  assert.equal(
    await badge.locator('a[href^="/van-ban/"]', { hasText: "58-QĐ/TW" }).count(),
    1,
    "the badge links to Quy định 58-QĐ/TW",
  );

  const graph = page.locator(".relation-graph");
  assert.equal(await graph.count(), 1, "a relation graph is drawn");
  const graphText = await graph.textContent();
  assert.match(graphText, /58-QĐ\/TW/, "the graph shows the replacing document");
  assert.match(graphText, /19-HD\/BTCTW/, "the graph shows the guiding document");

  const relations = await page.locator("ul.relations li").allInnerTexts();
  assert.ok(
    relations.some((r) => /thay thế/i.test(r) && r.includes("58-QĐ/TW")),
    `a “replaced by” relation to 58-QĐ/TW: ${relations.join(" | ")}`,
  );
  assert.ok(
    relations.some((r) => /hướng dẫn/i.test(r) && r.includes("19-HD/BTCTW")),
    `a “guided by” relation to 19-HD/BTCTW: ${relations.join(" | ")}`,
  );

  const timeline = await page.locator(".timeline li").allInnerTexts();
  assert.ok(timeline.length >= 4, `conferences in several provinces: ${timeline.length}`);
  assert.ok(
    timeline.some((e) => e.includes("Hà Nam")),
    `the Hà Nam conference of 2018 is on the timeline: ${timeline.join(" | ")}`,
  );
  assert.ok((await page.locator(".province-table").count()) >= 1, "the table of provinces");
});

test("a province link leads to the old province and on to the province of today", async () => {
  const haNam = page.locator(".timeline a.province-link", { hasText: /^Hà Nam$/ }).first();
  await Promise.all([page.waitForURL(/\/tinh\//), haNam.click()]);
  await screenshot(page, "province-ha-nam");
  assert.match(page.url(), /\/tinh\/ha-nam$/);
  assert.match(await page.locator("h1").innerText(), /Hà Nam/);
  const notice = page.locator(".notice", { hasText: "1/7/2025" });
  assert.match(await notice.innerText(), /Ninh Bình/, "says Hà Nam now belongs to Ninh Bình");
  const haNamEvents = await page.locator(".timeline li").allInnerTexts();
  assert.ok(haNamEvents.length >= 1, "the old province page lists its events");
  assert.ok(haNamEvents.every((e) => e.includes("Hà Nam")), "only events held as Hà Nam");

  const ninhBinh = notice.locator("a.province-link", { hasText: "Ninh Bình" });
  await Promise.all([page.waitForURL(/\/tinh\/ninh-binh$/), ninhBinh.click()]);
  await screenshot(page, "province-ninh-binh");
  const events = await page.locator(".timeline li").allInnerTexts();
  const years = (name) =>
    events
      .filter((e) => e.includes(name))
      .flatMap((e) => [...e.matchAll(/\b(20\d\d)\b/g)].map((m) => Number(m[1])));
  assert.ok(
    years("Hà Nam").some((y) => y < 2025),
    `an event held in Hà Nam before the merger: ${events.join(" | ")}`,
  );
  assert.ok(
    years("Nam Định").some((y) => y < 2025),
    `an event held in Nam Định before the merger: ${events.join(" | ")}`,
  );
  assert.ok(
    events.some((e) => /Ninh Bình/.test(e) && /\b2025\b/.test(e)),
    `an event held in the new Ninh Bình after 1/7/2025: ${events.join(" | ")}`,
  );
  const merged = await page.locator("body").innerText();
  assert.match(merged, /Hà Nam/);
  assert.match(merged, /Nam Định/);
});

test("an unknown address gives a useful 404 page", async () => {
  await visit(page, "/van-ban/khong-co-van-ban-nay-999", 404);
  await screenshot(page, "not-found");
  assert.equal(await page.locator(".not-found").count(), 1);
  assert.match(await page.locator("h1").first().innerText(), /404|Không tìm thấy/);
  assert.equal(await page.locator("#q").count(), 1, "a search box to try again");
  assert.ok(
    (await page.locator('.not-found a[href="/"]').count()) >= 1,
    "a way back to the home page",
  );
  await visit(page, "/tinh/khong-co-tinh-nay", 404);
  await screenshot(page, "not-found-province");
});

test("pages work with JavaScript disabled", async () => {
  const noJs = await newContext({ javaScriptEnabled: false });
  try {
    const p = await noJs.newPage();
    await visit(p, "/");
    await screenshot(p, "nojs-home");
    assert.ok((await p.locator("ul.counts li").count()) >= 4, "counts rendered by the server");
    // The search form is a plain GET form: submitting it needs no script.
    await p.locator("#q").fill("quy che bau cu");
    await Promise.all([p.waitForURL(/\/tim-kiem\?/), p.locator("#q").press("Enter")]);
    await screenshot(p, "nojs-search-quy-che-bau-cu");
    assert.ok((await p.locator(".search-hit").count()) >= 1, "search results without JavaScript");
    assert.ok((await p.locator(".search-hit mark").count()) >= 1, "marked words without JavaScript");
    const doc = p.locator('.search-hit a[href^="/van-ban/"]', { hasText: "244-QĐ/TW" }).first();
    assert.equal(await doc.count(), 1, "Quyết định 244-QĐ/TW is among the results");
    await Promise.all([p.waitForURL(/\/van-ban\//), doc.click()]);
    await screenshot(p, "nojs-document-244");
    const badge = await p.locator(".status-badge").innerText();
    assert.match(badge, /thay thế/i, `244-QĐ/TW is shown as replaced: ${badge}`);
    assert.match(badge, /190-QĐ\/TW/, `by 190-QĐ/TW: ${badge}`);
    assert.equal(await p.locator(".relation-graph").count(), 1, "the graph is server-side SVG");
    await visit(p, "/tinh");
    await screenshot(p, "nojs-provinces");
    assert.equal(
      await p.locator(".province-table tbody tr").count(),
      34,
      "the 34 provinces of today",
    );
  } finally {
    await noJs.close();
  }
});

test("hostile text typed into the search is shown, never executed", async () => {
  const p = await context.newPage();
  const dialogs = [];
  p.on("dialog", (d) => {
    dialogs.push(d.message());
    return d.dismiss();
  });
  const hostile = `<script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=2">`;
  await visit(p, "/tim-kiem?q=" + encodeURIComponent(hostile));
  await screenshot(p, "search-hostile");
  assert.equal(await p.evaluate(() => window.__pwned), undefined, "no injected script ran");
  assert.deepEqual(dialogs, []);
  assert.equal(await p.locator("img[src=x]").count(), 0, "no injected element");
  assert.equal(await p.locator("#q").inputValue(), hostile, "the query is kept as typed");
  assert.ok((await p.locator("h1").innerText()).includes("<script>"), "shown as text");
  const response = await p.goto(BASE + "/van-ban/" + encodeURIComponent(hostile));
  assert.ok(response && response.status() >= 300, "no document has such a number");
  await screenshot(p, "not-found-hostile");
  assert.equal(await p.evaluate(() => window.__pwned), undefined, "the 404 page is safe too");
  await p.close();
});

test("pages fit a phone screen without sideways scrolling", async () => {
  const phone = await newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  const p = await phone.newPage();
  try {
    for (const [path, name] of [
      ["/", "phone-home"],
      ["/tim-kiem?q=bao+ve+chinh+tri+noi+bo", "phone-search"],
      ["/van-ban/126-Q%C4%90%2FTW@2018-02-28", "phone-document-126"],
      ["/tinh/ninh-binh", "phone-province-ninh-binh"],
    ]) {
      await visit(p, path);
      const widths = await p.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        screen: window.innerWidth,
      }));
      assert.ok(
        widths.page <= widths.screen + 1,
        `${path} is ${widths.page}px wide on a ${widths.screen}px phone screen`,
      );
      // The text is readable: body text at least 14 CSS pixels.
      const size = await p.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
      assert.ok(size >= 14, `${path}: body font ${size}px`);
      await screenshot(p, name);
    }
  } finally {
    await phone.close();
  }
});

test("the coverage map: a link and a title per tile, the API's colours, on a phone without JavaScript", async () => {
  const phone = await newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    javaScriptEnabled: false,
  });
  const p = await phone.newPage();
  try {
    const doc = "/van-ban/126-Q%C4%90%2FTW@2018-02-28";
    for (const [view, query, count] of [
      ["today", "", 34],
      ["at_the_time", "?ban-do=truoc-2025", 63],
    ]) {
      await visit(p, doc + query);
      const map = p.locator("svg.coverage-map");
      await map.scrollIntoViewIfNeeded();
      await screenshot(p, `phone-coverage-${view}`);
      const box = await map.boundingBox();
      assert.ok(box && box.width <= 390 && box.width >= 300, `the map is ${box && box.width}px wide`);
      const api = await (
        await phone.request.get(`${BASE}/api/v1/documents/126-Q%C4%90%2FTW/coverage?view=${view}`)
      ).json();
      const reached = new Map(api.rows.filter((r) => r.url).map((r) => [r.url, r.reached || "none"]));
      // The legend: "none" first, then the stages in the API's order.
      const legend = await p.locator("svg.coverage-map g.legend rect").evaluateAll((rects) =>
        rects.map((r) => r.getAttribute("fill")),
      );
      const order = ["none", "disseminated", "trained", "plan_issued", "reviewed", "interim_review", "final_review"];
      assert.equal(legend.length, order.length, "one legend entry per stage and one for none");
      const tiles = await p.locator("svg.coverage-map a.tile").evaluateAll((links) =>
        links.map((a) => ({
          href: a.getAttribute("href"),
          stage: a.getAttribute("data-stage"),
          title: a.querySelector("title")?.textContent || "",
          fill: a.querySelector("rect")?.getAttribute("fill"),
        })),
      );
      assert.equal(tiles.length, count, `${count} tiles`);
      let coloured = 0;
      for (const t of tiles) {
        assert.ok(t.href && t.href.startsWith("/tinh/"), `tile link ${t.href}`);
        assert.ok(t.title.length > 3, `tile ${t.href} has a title`);
        assert.equal(t.stage, reached.get(t.href), `stage of ${t.href} is the API's`);
        assert.equal(t.fill, legend[order.indexOf(t.stage)], `colour of ${t.href} is its legend's`);
        if (t.stage !== "none") coloured += 1;
      }
      assert.equal(coloured, [...reached.values()].filter((s) => s !== "none").length);
    }
    // A tile is a link to its province page, which lists what was done there.
    await visit(p, doc);
    await Promise.all([
      p.waitForURL(/\/tinh\/ninh-binh$/),
      p.locator('svg.coverage-map a.tile[href="/tinh/ninh-binh"]').click(),
    ]);
    assert.ok(
      (await p.locator("#trien-khai h2").innerText()).startsWith("Văn bản đã triển khai tại đây"),
      "the province page's section",
    );
    await screenshot(p, "phone-province-coverage-ninh-binh");
    const widths = await p.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      screen: window.innerWidth,
    }));
    assert.ok(widths.page <= widths.screen + 1, `the province page is ${widths.page}px wide`);
    await visit(p, "/trien-khai?van-ban=126-QĐ/TW,58-QĐ/TW");
    await screenshot(p, "phone-national-coverage");
    const wide = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 391, `the national page is ${wide}px wide`);
    assert.equal(await p.locator("table.coverage-compare tbody tr").count(), 2);
  } finally {
    await phone.close();
  }
});
