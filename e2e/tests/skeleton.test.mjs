// The application skeleton end to end: first-run setup (without and with a
// wrong setup token, bad inputs, then a valid unit), refusing a second setup,
// logging in (empty, wrong, right), the home page, logging out, an expired
// session, and a folder whose database was emptied refused for setup.
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { sampleSetup, setupViaApi, startServer } from '../lib/server.mjs'
import {
  fieldError,
  fillByName,
  formItem,
  hashPath,
  launchBrowser,
  newPage,
  screenshotter,
  waitForRoute,
} from '../lib/browser.mjs'

const shoot = screenshotter('skeleton')

// What GET /api/setup answers on a fresh server: not set up, and setup asks
// for the token the server printed.
const notSetUp = Object.freeze({ done: false, token_required: true })

const setupFields = [
  'unit_name',
  'uscc',
  'address',
  'contact_person',
  'contact_phone',
  'leader_name',
  'mobile',
  'username',
  'password',
  'password_confirm',
]

/** Waits for the error text under the input named name and checks it exactly. */
async function expectFieldError(page, name, text) {
  const err = formItem(page, name).locator('.el-form-item__error', { hasText: text })
  await err.waitFor({ state: 'visible' })
  assert.equal((await err.textContent()).trim(), text, `error under ${name}`)
}

/** Checks that no error is shown under the input named name. */
async function expectNoFieldError(page, name) {
  await fieldError(page, name).waitFor({ state: 'hidden' })
}

/** Waits for an Element Plus message (ElMessage) containing text. */
async function expectMessage(page, text, type) {
  const msg = page.locator(type ? `.el-message--${type}` : '.el-message', { hasText: text })
  await msg.first().waitFor({ state: 'visible' })
}

/**
 * Waits until earlier Element Plus messages have faded out (they last about
 * 3 s), so the next assertion sees a fresh message and screenshots are clean.
 */
async function noMessages(page) {
  await page.waitForFunction(() => document.querySelectorAll('.el-message').length === 0, null, { timeout: 8000 })
}

/** Clicks a button and waits for the API answer to method path; returns the response. */
async function clickAndWaitFor(page, buttonText, method, apiPath) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname === apiPath),
    page.getByRole('button', { name: buttonText }).click(),
  ])
  return res
}

/** Clicks a button and counts the requests to apiPath it sends (none while the form shows errors). */
async function sentOnClick(page, buttonText, apiPath) {
  let n = 0
  const count = (r) => {
    if (new URL(r.url()).pathname === apiPath) n += 1
  }
  page.on('request', count)
  await page.getByRole('button', { name: buttonText }).click()
  await page.waitForTimeout(500)
  page.off('request', count)
  return n
}

async function token(page) {
  return page.evaluate(() => sessionStorage.getItem('huicai.token'))
}

/** fetch from inside the page, so the check uses the browser's origin and headers. */
async function fetchInPage(page, path, bearer) {
  return page.evaluate(
    async ([p, t]) => {
      const res = await fetch(p, { headers: t ? { Authorization: 'Bearer ' + t } : {} })
      let body = null
      try {
        body = await res.json()
      } catch {
        // not JSON
      }
      return { status: res.status, body }
    },
    [path, bearer],
  )
}

async function loginThroughUi(page, username, password) {
  await fillByName(page, { username, password })
  return clickAndWaitFor(page, '登录', 'POST', '/api/session')
}

async function expectHome(page, s = sampleSetup) {
  await waitForRoute(page, '/')
  const header = page.locator('.el-header')
  await header.getByText(s.unit_name).waitFor()
  await header.locator('.user-name', { hasText: s.leader_name }).waitFor()
  await header.locator('.el-tag', { hasText: '单位负责人' }).waitFor()
  await header.getByRole('button', { name: '退出登录' }).waitFor()
  await page.locator('.el-aside .el-menu-item', { hasText: '系统首页' }).waitFor()
  const greeting = page.locator('h2.greeting')
  await greeting.waitFor()
  assert.match(await greeting.textContent(), new RegExp(`^(上午好|下午好|晚上好)，${s.leader_name}$`))
  const unitCard = page.locator('.el-card', { has: page.getByText('单位信息', { exact: true }) })
  await unitCard.getByText(s.uscc, { exact: true }).waitFor()
  for (const label of ['单位名称', '统一社会信用代码', '单位地址', '联系人', '联系电话']) {
    await unitCard.getByText(label, { exact: true }).waitFor()
  }
  for (const value of [s.address, s.contact_person, s.contact_phone]) {
    await unitCard.getByText(value, { exact: true }).waitFor()
  }
}

/**
 * A flow of steps sharing one browser page: once a step fails, the later ones
 * are skipped (they would only fail for the same reason), and the failing
 * state is kept as a screenshot.
 */
function flow() {
  let broken = ''
  const ctx = { page: null }
  function step(name, fn) {
    it(name, async (t) => {
      if (broken) {
        t.skip(`skipped: earlier step failed (${broken})`)
        return
      }
      try {
        await fn()
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

describe('skeleton: setup, login, home, logout', () => {
  let server
  let browser
  let page
  const { step, ctx } = flow()

  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
    page = await newPage(browser, server.url)
    ctx.page = page
  })

  after(async () => {
    await browser?.close().catch(() => undefined)
    await server?.stop()
  })

  step('API basics: no token → 401 unauthenticated, unknown path → 404 not_found', async () => {
    const s = await server.api('GET', '/api/setup')
    assert.equal(s.status, 200)
    assert.deepEqual(s.body, notSetUp)

    const noToken = await server.api('GET', '/api/session')
    assert.equal(noToken.status, 401)
    assert.match(noToken.headers.get('content-type'), /application\/json/)
    assert.equal(noToken.body.error.code, 'unauthenticated')

    const missing = await server.api('GET', '/api/does-not-exist')
    assert.equal(missing.status, 404)
    assert.match(missing.headers.get('content-type'), /application\/json/)
    assert.equal(missing.body.error.code, 'not_found')
  })

  step('/ leads to the setup page while no unit exists', async () => {
    await page.goto('/')
    await waitForRoute(page, '/setup')
    await page.getByRole('heading', { name: '惠才通' }).waitFor()
    await page.getByText('首次使用，请登记用人单位并创建单位负责人账号').waitFor()
    for (const name of setupFields) await page.locator(`input[name="${name}"]`).waitFor()
    await formItem(page, 'setup_token').getByText('初始设置口令').waitFor()
    await page.getByText('启动服务器时显示在服务器窗口').waitFor()
    await page.getByRole('button', { name: '完成设置' }).waitFor()
    await shoot(page, 'setup-empty')
  })

  step('setup without the setup token, or with a wrong one, is refused (403) and creates nothing', async () => {
    assert.match(server.setupToken, /^[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}$/, 'token printed by the server')
    await fillByName(page, sampleSetup)
    // The form asks for the token before sending anything; the server refuses a setup without one all the same.
    assert.equal(await sentOnClick(page, '完成设置', '/api/setup'), 0)
    await expectFieldError(page, 'setup_token', '请填写服务器窗口中显示的初始设置口令')
    assert.equal(await page.locator('.el-message').count(), 0, 'the field says it, no toast')
    const missing = await server.api('POST', '/api/setup', sampleSetup)
    assert.equal(missing.status, 403)
    assert.equal(missing.body.error.fields.setup_token, '请填写服务器窗口中显示的初始设置口令')
    await shoot(page, 'setup-no-token')
    await fillByName(page, { setup_token: 'ACDEF-GHJKM-NPQRT' })
    const res = await clickAndWaitFor(page, '完成设置', 'POST', '/api/setup')
    assert.equal(res.status(), 403)
    await expectFieldError(page, 'setup_token', '初始设置口令不正确')
    assert.equal(await page.locator('.el-message').count(), 0, 'the field says it, no toast')
    assert.equal(hashPath(page), '/setup')
    assert.deepEqual((await server.api('GET', '/api/setup')).body, notSetUp)
    await shoot(page, 'setup-wrong-token')
    // The right token from here on; the other fields start empty again.
    await fillByName(page, { ...Object.fromEntries(setupFields.map((f) => [f, ''])), setup_token: server.setupToken })
  })

  step('setup with every field empty shows a message under each field, sends and creates nothing', async () => {
    assert.equal(await sentOnClick(page, '完成设置', '/api/setup'), 0)
    const want = {
      unit_name: '请填写单位名称',
      uscc: '请填写统一社会信用代码',
      address: '请填写单位地址',
      contact_person: '请填写联系人',
      contact_phone: '请填写联系电话',
      leader_name: '请填写姓名',
      mobile: '请填写手机号码',
      username: '请填写用户名',
      password: '密码长度应为8至64位',
    }
    for (const [name, text] of Object.entries(want)) await expectFieldError(page, name, text)
    assert.equal(await page.locator('.el-message').count(), 0, 'no toast for field errors')
    // The server says the same of each field.
    const empty = Object.fromEntries(setupFields.map((f) => [f, '']))
    const res = await server.api('POST', '/api/setup', { ...empty, setup_token: server.setupToken })
    assert.equal(res.status, 400)
    assert.deepEqual(res.body.error.fields, want)
    assert.equal(hashPath(page), '/setup')
    assert.deepEqual((await server.api('GET', '/api/setup')).body, notSetUp)
    await shoot(page, 'setup-all-empty-errors')
  })

  step('setup with bad check character, mobile, weak and mismatched password shows each error', async () => {
    await fillByName(page, {
      ...sampleSetup,
      uscc: '12370000495570512G',
      mobile: '23800138000',
      password: 'abcdefgh',
      password_confirm: 'abcdefgx',
    })
    assert.equal(await sentOnClick(page, '完成设置', '/api/setup'), 0)
    await expectFieldError(page, 'uscc', '统一社会信用代码校验位不正确，请核对')
    await expectFieldError(page, 'mobile', '手机号码应为以1开头的11位数字')
    await expectFieldError(page, 'password', '密码需包含大写字母、小写字母、数字、符号中的至少三类')
    await expectFieldError(page, 'password_confirm', '两次输入的密码不一致')
    // Fields now filled in correctly lose their earlier errors.
    for (const name of ['unit_name', 'address', 'contact_person', 'contact_phone', 'leader_name', 'username']) {
      await expectNoFieldError(page, name)
    }
    assert.deepEqual((await server.api('GET', '/api/setup')).body, notSetUp)
    await shoot(page, 'setup-invalid-values')
  })

  step('setup with a letter O in the credit code and a mismatched confirmation', async () => {
    await fillByName(page, {
      uscc: '1237000049557O512F',
      mobile: sampleSetup.mobile,
      password: sampleSetup.password,
      password_confirm: 'Leader@2027',
    })
    assert.equal(await sentOnClick(page, '完成设置', '/api/setup'), 0)
    await expectFieldError(page, 'uscc', '统一社会信用代码只能包含数字和除 I、O、Z、S、V 以外的大写字母')
    await expectFieldError(page, 'password_confirm', '两次输入的密码不一致')
    await expectNoFieldError(page, 'mobile')
    await expectNoFieldError(page, 'password')
    assert.deepEqual((await server.api('GET', '/api/setup')).body, notSetUp)
    await shoot(page, 'setup-uscc-letter-o')
  })

  step('valid setup leads to the login page with a success message', async () => {
    await noMessages(page)
    await fillByName(page, { uscc: sampleSetup.uscc, password_confirm: sampleSetup.password_confirm })
    const res = await clickAndWaitFor(page, '完成设置', 'POST', '/api/setup')
    assert.ok(res.ok(), `POST /api/setup answered ${res.status()}`)
    await expectMessage(page, '设置完成，请使用单位负责人账号登录', 'success')
    await waitForRoute(page, '/login')
    await page.locator('.product-sub', { hasText: sampleSetup.unit_name }).waitFor()
    assert.deepEqual((await server.api('GET', '/api/setup')).body, { done: true, unit_name: sampleSetup.unit_name })
    await shoot(page, 'setup-done-login')
  })

  step('a second setup is refused: /#/setup redirects to login, POST /api/setup → 409 conflict', async () => {
    await page.goto('/#/setup')
    await waitForRoute(page, '/login')
    await page.getByRole('heading', { name: '惠才通' }).waitFor()
    await page.locator('.product-sub', { hasText: sampleSetup.unit_name }).waitFor()
    await page.getByRole('button', { name: '登录' }).waitFor()

    const again = await server.api('POST', '/api/setup', {
      ...sampleSetup,
      unit_name: '另一个单位',
      uscc: '91370000MA3C5ELC16',
      username: 'leader2',
    })
    assert.equal(again.status, 409)
    assert.equal(again.body.error.code, 'conflict')
    assert.deepEqual((await server.api('GET', '/api/setup')).body, { done: true, unit_name: sampleSetup.unit_name })
    await shoot(page, 'setup-again-redirects-login')
  })

  step('login with empty fields shows 请填写用户名 / 请填写密码', async () => {
    await noMessages(page)
    const res = await clickAndWaitFor(page, '登录', 'POST', '/api/session')
    assert.equal(res.status(), 400)
    await expectFieldError(page, 'username', '请填写用户名')
    await expectFieldError(page, 'password', '请填写密码')
    assert.equal(hashPath(page), '/login')
    assert.equal(await token(page), null)
    await shoot(page, 'login-empty-errors')
  })

  step('login with a wrong password shows 用户名或密码错误 and clears the password', async () => {
    await noMessages(page)
    const res = await loginThroughUi(page, sampleSetup.username, 'Wrong@2026')
    assert.equal(res.status(), 401)
    await expectMessage(page, '用户名或密码错误', 'error')
    await expectNoFieldError(page, 'username')
    await expectNoFieldError(page, 'password')
    assert.equal(await page.locator('input[name="password"]').inputValue(), '')
    assert.equal(await page.locator('input[name="username"]').inputValue(), sampleSetup.username)
    assert.equal(hashPath(page), '/login')
    assert.equal(await token(page), null)
    await shoot(page, 'login-wrong-password')
  })

  step('correct login shows the main layout and the home page', async () => {
    await noMessages(page)
    const res = await loginThroughUi(page, sampleSetup.username, sampleSetup.password)
    assert.equal(res.status(), 200)
    await expectHome(page)
    assert.ok(await token(page), 'token stored in sessionStorage')
    await shoot(page, 'home')
  })

  step('系统首页 in the menu and a page reload keep the user on the home page', async () => {
    await page.locator('.el-aside .el-menu-item', { hasText: '系统首页' }).click()
    await expectHome(page)
    await page.locator('.el-aside .el-menu-item.is-active', { hasText: '系统首页' }).waitFor()
    await page.locator('.el-breadcrumb', { hasText: '系统首页' }).waitFor()
    await page.reload()
    await expectHome(page)
    await shoot(page, 'home-after-reload')
  })

  step('退出登录 returns to login and the old token no longer works', async () => {
    const old = await token(page)
    assert.ok(old)
    assert.equal((await fetchInPage(page, '/api/session', old)).status, 200)

    await page.getByRole('button', { name: '退出登录' }).click()
    await waitForRoute(page, '/login')
    await page.getByRole('button', { name: '登录' }).waitFor()
    assert.equal(await token(page), null)

    const after = await fetchInPage(page, '/api/session', old)
    assert.equal(after.status, 401)
    // The server answers a token it no longer knows with session_expired
    // (登录已失效，请重新登录); either session code sends the UI back to login.
    assert.ok(
      ['session_expired', 'unauthenticated'].includes(after.body?.error?.code),
      `old token answered ${JSON.stringify(after.body)}`,
    )

    // Without a session the main layout is out of reach.
    await page.goto('/#/')
    await waitForRoute(page, '/login')
    await page.getByRole('button', { name: '登录' }).waitFor()
    await shoot(page, 'logout-login')
    assert.deepEqual(page.pageErrors, [], 'no uncaught errors in the page')
  })
})

describe('skeleton: an idle session expires', () => {
  let server
  let browser
  let page
  const { step, ctx } = flow()

  before(async () => {
    server = await startServer({ sessionIdle: '2s' })
    await setupViaApi(server)
    browser = await launchBrowser()
    page = await newPage(browser, server.url)
    ctx.page = page
  })

  after(async () => {
    await browser?.close().catch(() => undefined)
    await server?.stop()
  })

  step('log in through the UI', async () => {
    await page.goto('/')
    await waitForRoute(page, '/login')
    await page.locator('.product-sub', { hasText: sampleSetup.unit_name }).waitFor()
    const res = await loginThroughUi(page, sampleSetup.username, sampleSetup.password)
    assert.equal(res.status(), 200)
    await expectHome(page)
    await shoot(page, 'expiry-home')
  })

  step('after the idle time a reload lands on login with 登录已超时', async () => {
    const old = await token(page)
    await page.waitForTimeout(3000) // longer than --session-idle 2s
    await page.reload()
    await waitForRoute(page, '/login')
    const alert = page.locator('.el-alert', { hasText: '登录已超时' })
    await alert.waitFor()
    assert.equal((await alert.locator('.el-alert__title').textContent()).trim(), '长时间未操作，登录已超时，请重新登录')
    assert.match((await alert.getAttribute('class')) ?? '', /el-alert--warning/)
    assert.equal(await token(page), null)
    const res = await fetchInPage(page, '/api/session', old)
    assert.equal(res.status, 401)
    await shoot(page, 'expiry-login-timeout')
  })

  step('logging in again works and the notice goes away', async () => {
    const res = await loginThroughUi(page, sampleSetup.username, sampleSetup.password)
    assert.equal(res.status(), 200)
    await expectHome(page)
    // The notice stays behind on the login page. (Within 2 s idle the page's
    // own count may already cover it with the sign-in overlay: not looked at here.)
    assert.equal(await page.locator('.el-main .el-alert').count(), 0)
    await shoot(page, 'expiry-login-again')
    assert.deepEqual(page.pageErrors, [], 'no uncaught errors in the page')
  })
})

describe('skeleton: an emptied installation is no fresh install', () => {
  let server
  let browser
  let page
  const { step, ctx } = flow()

  before(async () => {
    // A unit was set up; then huicai.db is truncated to 0 bytes, its data key left.
    const first = await startServer()
    await setupViaApi(first)
    await first.stop({ keepData: true })
    await fs.truncate(path.join(first.dataDir, 'huicai.db'), 0)
    for (const side of ['huicai.db-wal', 'huicai.db-shm']) await fs.rm(path.join(first.dataDir, side), { force: true })
    server = await startServer({ dataDir: first.dataDir })
    browser = await launchBrowser()
    page = await newPage(browser, server.url)
    ctx.page = page
  })

  after(async () => {
    await browser?.close().catch(() => undefined)
    await server?.stop()
  })

  step('the first-run page says why and how to restore instead of showing the form; setup is refused', async () => {
    assert.equal(server.setupToken, '', 'no setup token for a folder that cannot be set up')
    const status = await server.api('GET', '/api/setup')
    assert.equal(status.body.done, false)
    assert.match(status.body.setup_refused, /不是新安装/)
    await page.goto('/')
    await waitForRoute(page, '/setup')
    const refused = page.locator('.setup-refused')
    await refused.getByText('huicai restore 备份文件.zip').waitFor()
    await refused.getByText('数据密钥（keys/data.key）').waitFor()
    assert.equal(await page.locator('input[name="unit_name"]').count(), 0, 'no first-run form')
    await shoot(page, 'emptied-installation-refused')
    const again = await server.api('POST', '/api/setup', { ...sampleSetup, setup_token: 'ACDEF-GHJKM-NPQRT' })
    assert.equal(again.status, 409)
    assert.match(again.body.error.message, /不是新安装/)
    assert.equal((await server.api('POST', '/api/keys/recovery', { passphrase: '山东大学人才办2026年' })).status, 503)
    assert.equal((await fs.stat(path.join(server.dataDir, 'huicai.db'))).size, 0, 'nothing written to the database')
  })
})
