// Launching headless Chromium through playwright-core and taking numbered
// screenshots, plus small helpers for Element Plus pages.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { fakeNow } from './today.mjs'

const e2eDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** The screenshot folder: $E2E_SCREENSHOTS, or e2e/screenshots/. Created if missing. */
export function screenshotDir() {
  const dir = process.env.E2E_SCREENSHOTS ? path.resolve(process.env.E2E_SCREENSHOTS) : path.join(e2eDir, 'screenshots')
  fs.mkdirSync(dir, { recursive: true })
  return dir
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

/**
 * A fresh context and page on baseURL. Uncaught page errors are collected in
 * page.pageErrors so a test can assert there were none. Under
 * HUICAI_FAKE_TODAY the page's clock starts on that day. screen: the
 * viewport and deviceScaleFactor (default 1280×860 at 1).
 */
export async function newPage(browser, baseURL, screen = {}) {
  const context = await browser.newContext({
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1280, height: 860 },
    ...screen,
  })
  context.setDefaultTimeout(10000)
  // The test build's day (HUICAI_FAKE_TODAY) in the browser too: its date
  // pickers refuse days after today. Time flows on from there.
  const now = fakeNow()
  if (now) await context.clock.install({ time: now })
  const page = await context.newPage()
  page.pageErrors = []
  page.on('pageerror', (err) => page.pageErrors.push(String(err)))
  return page
}

/**
 * Returns shoot(page, name, { fullPage }): saves `<prefix>-NN-<name>.png` with
 * NN counting up in flow order, and returns the file path. The whole page by
 * default; fullPage false keeps to the window (what an overlay covers).
 */
export function screenshotter(prefix) {
  const dir = screenshotDir()
  let n = 0
  return async function shoot(page, name, { fullPage = true } = {}) {
    n += 1
    const file = path.join(dir, `${prefix}-${String(n).padStart(2, '0')}-${name}.png`)
    // Let Element Plus transitions settle so the picture shows the final state.
    await page.waitForTimeout(350)
    await page.screenshot({ path: file, fullPage })
    return file
  }
}

/** The form item (label, input, error) holding the input named name, within scope (a page, or a part of one). */
export function formItem(scope, name) {
  const page = typeof scope.page === 'function' ? scope.page() : scope
  return scope.locator('.el-form-item', { has: page.locator(`input[name="${name}"]`) })
}

/** The Element Plus error text shown under the input named name. */
export function fieldError(page, name) {
  return formItem(page, name).locator('.el-form-item__error')
}

/** Fills inputs by name attribute: fillByName(page, { username: 'x', … }). */
export async function fillByName(page, values) {
  for (const [name, value] of Object.entries(values)) {
    await page.locator(`input[name="${name}"]`).fill(value)
  }
}

/** The hash route of the page, e.g. '/login' for http://…/#/login?x=1. */
export function hashPath(page) {
  const hash = new URL(page.url()).hash.replace(/^#/, '')
  return hash.split('?')[0] || '/'
}

/** Waits until the hash route equals route ('/login', '/', …). */
export async function waitForRoute(page, route, timeout = 10000) {
  await page.waitForFunction(
    (r) => (location.hash.replace(/^#/, '').split('?')[0] || '/') === r,
    route,
    { timeout },
  )
}
