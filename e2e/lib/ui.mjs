// Helpers shared by the flow tests: Element Plus messages, selects and date
// pickers, field errors by input name or data-field, logging in through the
// UI, fetch from inside the page, step-by-step flows with a screenshot of the
// failing state, and valid 居民身份证 numbers.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { fieldError, fillByName, formItem, waitForRoute } from './browser.mjs'

/** Waits for the error text under the input named name and checks it exactly. */
export async function expectFieldError(page, name, text, scope = page) {
  const err = formItem(scope, name).locator('.el-form-item__error', { hasText: text })
  await err.waitFor({ state: 'visible' })
  assert.equal((await err.textContent()).trim(), text, `error under ${name}`)
}

/** Checks that no error is shown under the input named name. */
export async function expectNoFieldError(page, name) {
  await fieldError(page, name).waitFor({ state: 'hidden' })
}

/** The form item marked data-field="field" (selects, radios, date pickers). */
export function dataField(scope, field) {
  return scope.locator(`.el-form-item[data-field="${field}"]`)
}

/** Waits for the error text under the form item data-field="field" and checks it exactly. */
export async function expectDataFieldError(scope, field, text) {
  const err = dataField(scope, field).locator('.el-form-item__error', { hasText: text })
  await err.waitFor({ state: 'visible' })
  assert.equal((await err.textContent()).trim(), text, `error under ${field}`)
}

/** Waits for an Element Plus message (ElMessage) containing text. */
export async function expectMessage(page, text, type) {
  const msg = page.locator(type ? `.el-message--${type}` : '.el-message', { hasText: text })
  await msg.first().waitFor({ state: 'visible' })
}

/**
 * Waits until earlier Element Plus messages have faded out (they last about
 * 3 s, some 6 s), so the next assertion sees a fresh message and screenshots
 * are clean.
 */
export async function noMessages(page, timeout = 10000) {
  await page.waitForFunction(() => document.querySelectorAll('.el-message').length === 0, null, { timeout })
}

/** Runs action (a click …) and waits for the API answer to method path; returns the response. */
export async function actAndWaitFor(page, method, apiPath, action) {
  const match = typeof apiPath === 'string' ? (p) => p === apiPath : (p) => apiPath.test(p)
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === method && match(new URL(r.url()).pathname)),
    action(),
  ])
  return res
}

/**
 * Runs action (a click …) and counts the requests to method path it sends,
 * waiting half a second for one to start: 0 when a form with errors keeps
 * them from the server.
 */
export async function requestsDuring(page, method, apiPath, action) {
  let n = 0
  const count = (r) => {
    if (r.method() === method && new URL(r.url()).pathname === apiPath) n += 1
  }
  page.on('request', count)
  try {
    await action()
    await page.waitForTimeout(500)
  } finally {
    page.off('request', count)
  }
  return n
}

/** Clicks a button (by its accessible name, within scope) and waits for the API answer. */
export async function clickAndWaitFor(page, buttonText, method, apiPath, scope = page) {
  return actAndWaitFor(page, method, apiPath, () =>
    scope.getByRole('button', { name: buttonText, exact: true }).click(),
  )
}

/** The session token the UI keeps in sessionStorage (null when signed out). */
export async function token(page) {
  return page.evaluate(() => sessionStorage.getItem('huicai.token'))
}

/** fetch from inside the page, so the check uses the browser's origin and headers. */
export async function fetchInPage(page, path, bearer, method = 'GET') {
  return page.evaluate(
    async ([p, t, m]) => {
      const res = await fetch(p, { method: m, headers: t ? { Authorization: 'Bearer ' + t } : {} })
      let body = null
      try {
        body = await res.json()
      } catch {
        // not JSON
      }
      return { status: res.status, body }
    },
    [path, bearer, method],
  )
}

/** Fills the login form and submits it; returns the POST /api/session response. */
export async function loginThroughUi(page, username, password) {
  await fillByName(page, { username, password })
  return clickAndWaitFor(page, '登录', 'POST', '/api/session')
}

/** Signs out through the header button (if signed in) and waits for the login page. */
export async function logoutThroughUi(page) {
  await page.getByRole('button', { name: '退出登录' }).click()
  await waitForRoute(page, '/login')
  await page.getByRole('button', { name: '登录', exact: true }).waitFor()
}

/** Clicks a left-menu entry by its title. */
export async function openMenu(page, title) {
  await page.locator('.el-aside .el-menu-item', { hasText: title }).click()
}

/** The open (visible) Element Plus dialog whose title is title. */
export function dialog(page, title) {
  return page.locator('.el-dialog:visible', {
    has: page.locator('.el-dialog__title', { hasText: title }),
  })
}

const exactText = (text) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`)

/** Opens the select in the form item data-field="field" and picks the option labelled text. */
export async function chooseOption(scope, page, field, text) {
  await dataField(scope, field).locator('.el-select__wrapper').click()
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: exactText(text) })
  await option.click()
  await page.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden' })
}

/** The text the select in the form item data-field="field" shows (chosen label or placeholder). */
export async function selectedText(scope, field) {
  return (await dataField(scope, field).locator('.el-select__wrapper').innerText()).trim()
}

/** Types a date (YYYY-MM-DD) into the date picker in the form item data-field="field". */
export async function typeDate(scope, page, field, value) {
  const input = dataField(scope, field).locator('input')
  await input.click()
  await input.fill(value)
  await input.press('Enter')
  await page.locator('.el-picker-panel:visible').waitFor({ state: 'hidden' })
  assert.equal(await input.inputValue(), value, `date in ${field}`)
}

/** Picks 男 / 女 in the radio group of the form item data-field="field". */
export async function chooseRadio(scope, field, label) {
  await dataField(scope, field).locator('.el-radio', { hasText: exactText(label) }).click()
}

/** The rows of an Element Plus table (scope: the .el-table or something holding one). */
export function tableRows(scope) {
  return scope.locator('.el-table__body-wrapper tbody tr.el-table__row')
}

/**
 * A flow of steps sharing browser pages: once a step fails, the later ones
 * are skipped (they would only fail for the same reason), and the failing
 * state is kept as a screenshot of ctx.page (the page the step last used).
 */
export function flow(shoot) {
  let broken = ''
  const ctx = { page: null }
  function step(name, fn) {
    it(name, async (t) => {
      if (broken) {
        t.skip(`skipped: earlier step failed (${broken})`)
        return
      }
      try {
        await fn(t)
      } catch (err) {
        broken = name
        if (ctx.page) {
          const file = await shoot(ctx.page, 'FAILED').catch(() => '')
          if (file) t.diagnostic(`screenshot of the failure: ${file}`)
        }
        throw err
      }
    })
  }
  return { step, ctx }
}

const residentWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

/** The GB 11643 check character for the first 17 digits of a 居民身份证 number. */
export function residentCheck(first17) {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * residentWeights[i]
  return '10X98765432'[sum % 11]
}

/**
 * A valid 18-digit 居民身份证 number: region (6 digits), birth (YYYY-MM-DD),
 * a 3-digit sequence whose last digit is odd for 男 and even for 女.
 */
export function residentId(region, birth, seq) {
  const first17 = region + birth.replaceAll('-', '') + seq
  assert.match(first17, /^\d{17}$/)
  return first17 + residentCheck(first17)
}

/** The same number with a wrong check character. */
export function wrongCheck(id) {
  const right = id[17]
  const wrong = right === '0' ? '1' : '0'
  return id.slice(0, 17) + wrong
}

/** A masked ID as lists show it: 370102********123X. */
export function maskId(id) {
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4)
}
