// Office-ready (issue 14: no lost work, the layout, the first paint).
//
// No typed work is lost: typing keeps a session alive past its idle time, at
// one keep-alive call per pace; left alone, a warning with 继续使用 comes
// first; a session that ends anyway (idle, or signed out elsewhere) leaves
// the half-filled page under a sign-in overlay, and signing in again keeps
// the input and saves it; 补充材料 and 专家变动申请 keep a local draft that a
// reload offers back (恢复 / 丢弃), also through the login page after an
// expiry, and that saving or 关闭 drops. The layout: each page names itself
// in the window title and in one breadcrumb style, the header stays while
// the page scrolls, the menu scrolls on its own and collapses (remembered), a
// new page opens at its top, and nothing is cut off — with screenshots of
// every role's menu pages at 1366×768 and at 125 % (Windows' scaling: the
// 1366×768 screen is 1093×614 CSS pixels at device scale factor 1.25). The
// splash paints before the app's script has even arrived.
import assert from 'node:assert/strict'
import { after, before, describe } from 'node:test'
import { sampleSetup, startServer } from '../lib/server.mjs'
import { launchBrowser, newPage, screenshotter, waitForRoute } from '../lib/browser.mjs'
import { apiLogin, call, leaderPassword, sampleCommissioner, seedApprovedApplications, talentInput } from '../lib/seed.mjs'
import { onDay } from '../lib/today.mjs'
import {
  actAndWaitFor,
  chooseOption,
  clickAndWaitFor,
  dialog,
  expectMessage,
  flow,
  loginThroughUi,
  noMessages,
  selectedText,
  token,
} from '../lib/ui.mjs'

const shoot = screenshotter('office')

/** The screens the office uses: a 1366×768 monitor, and the same monitor at Windows' 125 % scaling. */
const SCREENS = {
  '1366x768': { viewport: { width: 1366, height: 768 } },
  '125pct': { viewport: { width: 1093, height: 614 }, deviceScaleFactor: 1.25 },
}

const commissioner = sampleCommissioner
/** The talent whose 补充材料 the commissioner fills in, and the card holder whose change is reported. */
const FORM_TALENT = '张赟'
const HOLDER = '赵磊'
const HOLDER_CARD = 'SD2024000004'
const talentLogin = { username: 'talent1', password: leaderPassword }

/** Every menu entry a role sees, in order, as [group, title] ('' for a top-level entry; frontend/src/menu.ts). */
const MENUS = {
  leader: [
    ['', '系统首页'],
    ...['服务专员审核', '高层次人才', '单位负责人审核', '惠才卡汇总提交', '审核进度查询'].map((t) => ['惠才卡申领', t]),
    ...['专家变动汇总审核', '变动汇总提交', '审核进度查询', '持卡人才'].map((t) => ['报送专家变动', t]),
    ...['二级单位管理', '人才类别与称号', '审计日志', '省级对接', '数据安全'].map((t) => ['系统管理', t]),
  ],
  commissioner: [
    ['', '系统首页'],
    ...['高层次人才', '补充材料', '审核进度查询'].map((t) => ['惠才卡申领', t]),
    ...['专家变动申请', '审核进度查询', '持卡人才'].map((t) => ['报送专家变动', t]),
  ],
  talent: [['', '系统首页'], ...['审核进度查询', '我的信息'].map((t) => ['惠才卡申领', t])],
}
const USERS = {
  leader: { username: sampleSetup.username, password: leaderPassword },
  commissioner: { username: commissioner.username, password: commissioner.password },
  talent: talentLogin,
}

/**
 * Seeds a server: 王堃 and 李喆 approved by the leader, 王堃 in a 惠才卡 batch
 * and 李喆 waiting in 惠才卡汇总提交; 张赟 bound to the commissioner with the
 * application 待补充材料, and 赵磊 bound to them holding a valid card. Returns
 * the seed (tokens, talents), 张赟's application id and the batch.
 */
async function seedOffice(server) {
  const seed = await seedApprovedApplications(server, { names: ['王堃', '李喆'] })
  const ids = []
  for (const [i, name] of [[2, FORM_TALENT], [3, HOLDER]]) {
    ids.push((await call(server, 'POST', '/api/registration/talent', talentInput(name, i, seed.departmentId))).id)
  }
  await call(server, 'POST', `/api/staff/${seed.staffId}/talents`, { talent_ids: ids }, seed.leaderToken)
  await call(server, 'POST', '/api/cards', { talent_id: ids[1], card_no: HOLDER_CARD, issued_on: onDay(-1, '06-15') }, seed.leaderToken)
  const apps = await call(server, 'GET', '/api/applications?page_size=100', undefined, seed.commissionerToken)
  const appId = apps.items.find((a) => a.talent_id === ids[0]).id
  const batch = await call(server, 'POST', '/api/batches', {
    kind: 'card',
    item_ids: [seed.talents[0].applicationId],
    contact_person: sampleSetup.contact_person,
    contact_phone: sampleSetup.contact_phone,
  }, seed.leaderToken)
  return { ...seed, appId, batch }
}

/** Signs page in through the login page and waits for the main layout. */
async function signIn(page, { username, password }) {
  await page.goto('/#/login')
  await waitForRoute(page, '/login')
  const res = await loginThroughUi(page, username, password)
  assert.equal(res.status(), 200, `login of ${username}`)
  await page.locator('.el-header .user-name').waitFor()
}

/** Waits until the page's loading masks are gone. */
async function settled(page) {
  await page.locator('.el-loading-mask:visible').first().waitFor({ state: 'hidden' })
}

/** The breadcrumb as one string: '系统首页/补充材料/张赟'. */
async function crumb(page) {
  return (await page.locator('.el-breadcrumb').innerText()).replace(/\s+/g, '')
}

/** What the layout cuts off: the page wider than the window, header parts past its right edge. */
async function cutOff(page) {
  return page.evaluate(() => {
    const out = []
    const width = document.documentElement.clientWidth
    const extra = document.documentElement.scrollWidth - width
    if (extra > 1) out.push(`the page is ${extra}px wider than the window`)
    for (const el of document.querySelectorAll('.el-header button, .el-header .el-tag, .el-header .user-name')) {
      if (el.getBoundingClientRect().right > width) out.push(`header "${el.textContent.trim()}" past the right edge`)
    }
    return out
  })
}

/** Tables wider than their box (columns reachable only by scrolling sideways), named by their first headers. */
async function wideTables(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.el-table')]
      .filter((t) => {
        const wrap = t.querySelector('.el-table__body-wrapper .el-scrollbar__wrap')
        return wrap && wrap.scrollWidth > wrap.clientWidth + 1
      })
      .map((t) => [...t.querySelectorAll('.el-table__header th')].slice(0, 3).map((th) => th.innerText.trim()).join('|')),
  )
}

/** The menu's width: 210 open, 65 collapsed to its icons. */
async function menuWidth(page) {
  return page.locator('.el-aside').evaluate((el) => Math.round(el.getBoundingClientRect().width))
}

/** Waits until the menu is width wide (after a click on 收起菜单 / 展开菜单). */
async function menuBecomes(page, width) {
  await page.waitForFunction((w) => Math.round(document.querySelector('.el-aside').getBoundingClientRect().width) === w, width)
}

const exactly = (text) => new RegExp(`^\\s*${text}\\s*$`)

/**
 * Opens the menu entry [group, title]: from its group, or from the group's
 * pop-up when the menu is collapsed. (Collapsed, a top-level entry shows only
 * its icon: 系统首页 is the one top-level entry.)
 */
async function openEntry(page, [group, title]) {
  const aside = page.locator('.el-aside')
  const open = (await menuWidth(page)) > 100
  if (!group && !open) return aside.locator('.el-menu--collapse > .el-menu-item').first().click()
  if (!group) return aside.locator('.el-menu-item', { hasText: exactly(title) }).click()
  const sub = aside.locator('.el-sub-menu', { has: page.locator('.el-sub-menu__title', { hasText: group }) })
  if (open) return sub.locator('.el-menu-item', { hasText: exactly(title) }).click()
  await sub.hover()
  await page.locator('.el-menu--popup:visible .el-menu-item', { hasText: exactly(title) }).click()
  await page.mouse.move(700, 400) // off the menu, so that its pop-up closes
  await page.locator('.el-menu--popup:visible').waitFor({ state: 'hidden' })
}

/** The 补充材料 input or textarea named name. */
function materialInput(page, name) {
  return page.locator(`input[name="${name}"], textarea[name="${name}"]`)
}

/** The draft keys in the page's localStorage. */
async function draftKeys(page) {
  return page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('huicai.draft.')))
}

/** The open Element Plus message box (恢复 / 丢弃 …). */
function messageBox(page) {
  return page.locator('.el-message-box:visible')
}

/** Waits for the draft question and answers it with button (恢复 or 丢弃); returns its text. */
async function answerDraft(page, button, shot) {
  const box = messageBox(page)
  await box.waitFor()
  const text = (await box.locator('.el-message-box__message').innerText()).trim()
  assert.match(text, /^发现未保存的草稿（\d{4}-\d\d-\d\d \d\d:\d\d:\d\d），是否恢复？$/)
  if (shot) await shoot(page, shot, { fullPage: false })
  await box.getByRole('button', { name: button, exact: true }).click()
  await box.waitFor({ state: 'hidden' })
  return text
}

/** Opens 张赟's 补充材料 form and waits for its fields. */
async function openForm(page, appId) {
  await page.goto(`/#/applications/${appId}/edit`)
  await waitForRoute(page, `/applications/${appId}/edit`)
  await materialInput(page, 'field').waitFor()
  await settled(page)
}

/** The stored application from the API. */
async function stored(server, appId) {
  const bearer = await apiLogin(server, commissioner.username, commissioner.password)
  return (await call(server, 'GET', `/api/applications/${appId}`, undefined, bearer)).application
}

describe('office: every page names itself, nothing is cut off at 1366×768 and at 125 %', () => {
  let server
  let browser
  let seed
  const { step, ctx } = flow(shoot)

  before(async () => {
    server = await startServer()
    seed = await seedOffice(server)
    browser = await launchBrowser()
  })

  after(async () => {
    await browser?.close().catch(() => undefined)
    await server?.stop()
  })

  for (const [screen, size] of Object.entries(SCREENS)) {
    for (const role of Object.keys(MENUS)) {
      step(`${role} at ${screen}: each menu page has its title, breadcrumb and screenshot; nothing cut off`, async (t) => {
        const page = await newPage(browser, server.url, size)
        ctx.page = page
        await signIn(page, USERS[role])
        const narrow = size.viewport.width < 1200
        assert.equal(await menuWidth(page), narrow ? 65 : 210, 'the menu starts collapsed on the narrow window only')
        if (!narrow) {
          const titles = (await page.locator('.el-aside .el-menu-item').allInnerTexts()).map((s) => s.trim())
          assert.deepEqual(titles, MENUS[role].map(([, title]) => title))
        }
        for (const [i, entry] of MENUS[role].entries()) {
          const title = entry[1]
          await openEntry(page, entry)
          await page.waitForFunction((t) => document.title === `${t} - 惠才通`, title)
          if (!narrow) await page.locator('.el-aside .el-menu-item.is-active', { hasText: exactly(title) }).waitFor()
          await settled(page)
          assert.equal(await crumb(page), title === '系统首页' ? '系统首页' : `系统首页/${title}`)
          assert.deepEqual(await cutOff(page), [], `${role} ${title} at ${screen}`)
          for (const table of await wideTables(page)) t.diagnostic(`${title} at ${screen}: the table ${table} scrolls sideways`)
          await shoot(page, `${screen}-${role}-${String(i + 1).padStart(2, '0')}-${title}`)
        }
        assert.deepEqual(page.pageErrors, [], 'no uncaught errors in the page')
        await page.context().close()
      })
    }

    step(`opened from a list at ${screen}: 补充材料 form, 单位负责人审核, a batch name themselves too`, async () => {
      const staff = await newPage(browser, server.url, size)
      ctx.page = staff
      await signIn(staff, USERS.commissioner)
      await openForm(staff, seed.appId)
      assert.equal(await staff.title(), '补充材料 - 惠才通')
      await staff.locator('.el-breadcrumb', { hasText: FORM_TALENT }).waitFor()
      assert.equal(await crumb(staff), `系统首页/补充材料/${FORM_TALENT}`)
      if (size.viewport.width >= 1200) await staff.locator('.el-aside .el-menu-item.is-active', { hasText: '补充材料' }).waitFor()
      assert.deepEqual(await cutOff(staff), [])
      await shoot(staff, `${screen}-commissioner-form`)
      await staff.context().close()

      const leader = await newPage(browser, server.url, size)
      ctx.page = leader
      await signIn(leader, USERS.leader)
      const approved = seed.talents[1]
      await leader.goto(`/#/applications/${approved.applicationId}/review`)
      await leader.locator('.el-breadcrumb', { hasText: approved.name }).waitFor()
      await settled(leader)
      assert.equal(await leader.title(), '单位负责人审核 - 惠才通')
      assert.equal(await crumb(leader), `系统首页/单位负责人审核/${approved.name}`)
      assert.deepEqual(await cutOff(leader), [])
      await shoot(leader, `${screen}-leader-review`)
      await leader.goto(`/#/batches/${seed.batch.id}`)
      await leader.locator('.el-breadcrumb', { hasText: seed.batch.number }).waitFor()
      await settled(leader)
      assert.equal(await leader.title(), '汇总提交 - 惠才通')
      assert.equal(await crumb(leader), `系统首页/惠才卡汇总提交/${seed.batch.number}`)
      assert.deepEqual(await cutOff(leader), [])
      await shoot(leader, `${screen}-leader-batch`)
      await leader.context().close()
    })
  }

  step('1366×768: the header stays while a long page scrolls; a new page opens at its top', async () => {
    const page = await newPage(browser, server.url, SCREENS['1366x768'])
    ctx.page = page
    await signIn(page, USERS.leader)
    await page.locator('.el-aside .el-menu-item', { hasText: '审计日志' }).click()
    await page.waitForFunction(() => document.title === '审计日志 - 惠才通')
    await settled(page)
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
    assert.ok((await page.evaluate(() => window.scrollY)) > 200, 'the audit log is longer than the window')
    const top = (sel) => page.locator(sel).evaluate((el) => el.getBoundingClientRect().top)
    assert.equal(await top('.el-header'), 0, 'the header stays on top')
    assert.equal(await top('.el-aside > .el-menu'), 60, 'the menu stays under the header')
    await shoot(page, 'scrolled-header-stays', { fullPage: false })
    await page.locator('.el-aside .el-menu-item', { hasText: '二级单位管理' }).click()
    await page.waitForFunction(() => document.title === '二级单位管理 - 惠才通')
    assert.equal(await page.evaluate(() => window.scrollY), 0, 'the new page opens at its top')
    await page.context().close()
  })

  step('125 %: the leader\'s menu is taller than the window and scrolls on its own', async () => {
    const page = await newPage(browser, server.url, SCREENS['125pct'])
    ctx.page = page
    await signIn(page, USERS.leader)
    await page.getByRole('button', { name: '展开菜单' }).click()
    await menuBecomes(page, 210)
    const menu = page.locator('.el-aside > .el-menu')
    const box = await menu.evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight, overflow: getComputedStyle(el).overflowY }))
    assert.ok(box.scroll > box.client, `the menu (${box.scroll}px) is taller than its room (${box.client}px)`)
    assert.equal(box.overflow, 'auto')
    await menu.evaluate((el) => el.scrollTo(0, el.scrollHeight))
    assert.equal(await page.evaluate(() => window.scrollY), 0, 'the page itself does not move')
    const last = page.locator('.el-aside .el-menu-item', { hasText: '数据安全' })
    assert.ok(await last.isVisible())
    const bottom = await last.evaluate((el) => el.getBoundingClientRect().bottom)
    assert.ok(bottom <= 614, `数据安全 is inside the window (bottom ${bottom})`)
    await shoot(page, 'menu-scrolled', { fullPage: false })
    await page.context().close()
  })

  step('the menu collapses to its icons, stays collapsed after a reload, and opens again', async () => {
    const page = await newPage(browser, server.url, SCREENS['1366x768'])
    ctx.page = page
    await signIn(page, USERS.leader)
    assert.equal(await menuWidth(page), 210)
    await page.getByRole('button', { name: '收起菜单' }).click()
    await menuBecomes(page, 65)
    await page.reload()
    await page.locator('.el-header .user-name').waitFor()
    assert.equal(await menuWidth(page), 65, 'remembered over a reload')
    assert.deepEqual(await cutOff(page), [])
    await shoot(page, 'menu-collapsed')
    // A group opens as a pop-up beside the collapsed menu.
    await page.locator('.el-aside .el-sub-menu').first().hover()
    await page.locator('.el-menu--popup:visible .el-menu-item', { hasText: '单位负责人审核' }).waitFor()
    await shoot(page, 'menu-collapsed-popup', { fullPage: false })
    await openEntry(page, ['惠才卡申领', '单位负责人审核'])
    await page.waitForFunction(() => document.title === '单位负责人审核 - 惠才通')
    await page.getByRole('button', { name: '展开菜单' }).click()
    await menuBecomes(page, 210)
    await page.reload()
    await page.locator('.el-header .user-name').waitFor()
    assert.equal(await menuWidth(page), 210, 'remembered over a reload')
    await page.context().close()
  })

  step('专家变动申请: a reload reopens 变动 and offers the draft back; 关闭 gives it up', async () => {
    const staff = await newPage(browser, server.url, SCREENS['1366x768'])
    ctx.page = staff
    await signIn(staff, USERS.commissioner)
    await actAndWaitFor(staff, 'GET', '/api/changes', () => staff.goto('/#/changes/apply'))
    await settled(staff)
    await staff.getByRole('button', { name: '变动申请', exact: true }).click()
    let dlg = dialog(staff, '变动')
    await dlg.waitFor()
    await settled(staff)
    const holder = `${HOLDER}（惠才卡号 ${HOLDER_CARD}）`
    await chooseOption(dlg, staff, 'talent_id', holder)
    await chooseOption(dlg, staff, 'change_type_id', '退休')
    const description = '赵磊教授将于本月办理退休手续。'
    await dlg.locator('textarea[name="description"]').fill(description)
    assert.equal((await draftKeys(staff)).length, 1)

    await staff.reload()
    dlg = dialog(staff, '变动')
    await dlg.waitFor()
    await answerDraft(staff, '恢复', 'change-draft-offered')
    assert.equal(await dlg.locator('textarea[name="description"]').inputValue(), description)
    assert.equal(await selectedText(dlg, 'talent_id'), holder)
    assert.equal(await selectedText(dlg, 'change_type_id'), '退休')
    await shoot(staff, 'change-draft-restored')

    await dlg.getByRole('button', { name: '关闭', exact: true }).click()
    await dlg.waitFor({ state: 'hidden' })
    assert.deepEqual(await draftKeys(staff), [], '关闭 gives the draft up')
    await staff.reload()
    await settled(staff)
    await staff.waitForTimeout(500)
    assert.equal(await dialog(staff, '变动').count(), 0, 'nothing to offer back')
    assert.deepEqual(staff.pageErrors, [])
    await staff.context().close()
  })
})

describe('office: no typed work is lost when a session would end (--session-idle 20s)', () => {
  // 20 s idle: a keep-alive call at most every 5 s, the warning 5 s before the
  // end, which the page counts 5 s early (the server notes a call only every 5 s).
  const IDLE_MS = 20_000
  const PACE_MS = 5_000
  let server
  let browser
  let staff
  let appId
  const { step, ctx } = flow(shoot)

  before(async () => {
    server = await startServer({ sessionIdle: '20s' })
    appId = (await seedOffice(server)).appId
    browser = await launchBrowser()
    staff = await newPage(browser, server.url, SCREENS['1366x768'])
    ctx.page = staff
  })

  after(async () => {
    await browser?.close().catch(() => undefined)
    await server?.stop()
  })

  /** Signs in again on the overlay over the page; returns the POST /api/session response. */
  async function signInOnOverlay(why) {
    const overlay = staff.locator('.session-ended')
    await overlay.waitFor()
    await overlay.locator('.el-alert', { hasText: why }).waitFor()
    assert.equal(await overlay.locator('input[name="username"]').inputValue(), commissioner.username)
    await overlay.locator('input[name="password"]').fill(commissioner.password)
    const res = await clickAndWaitFor(staff, '登录', 'POST', '/api/session', overlay)
    assert.equal(res.status(), 200)
    await overlay.waitFor({ state: 'hidden' })
  }

  step('the commissioner opens 张赟\'s 补充材料 form', async () => {
    await signIn(staff, USERS.commissioner)
    await openForm(staff, appId)
  })

  step('typing for longer than the idle time keeps the session, with one GET /api/session per 5 s at most', async () => {
    const pings = []
    const noted = (req) => {
      if (req.method() === 'GET' && new URL(req.url()).pathname === '/api/session') pings.push(Date.now())
    }
    staff.on('request', noted)
    const input = materialInput(staff, 'field')
    await input.click()
    const start = Date.now()
    while (Date.now() - start < IDLE_MS + 4000) {
      await staff.keyboard.type('凝')
      await staff.waitForTimeout(700)
      assert.equal(await dialog(staff, '即将退出登录').count(), 0, 'no warning while typing')
    }
    staff.off('request', noted)
    const gaps = pings.slice(1).map((t, i) => t - pings[i])
    assert.ok(pings.length >= 4, `${pings.length} keep-alive calls in ${IDLE_MS + 4000} ms`)
    for (const g of gaps) assert.ok(g >= PACE_MS - 100, `keep-alive calls ${g} ms apart`)
    assert.equal(await staff.locator('.session-ended').count(), 0)
    assert.equal((await server.api('GET', '/api/session', undefined, await token(staff))).status, 200)
    await shoot(staff, 'typing-kept-alive')
  })

  step('left alone, the warning comes with a countdown; 继续使用 renews the session', async () => {
    const warning = dialog(staff, '即将退出登录')
    await warning.waitFor({ timeout: IDLE_MS })
    const left = Number(await warning.locator('.seconds-left').innerText())
    assert.ok(left >= 1 && left <= PACE_MS / 1000, `${left} s left`)
    assert.match(await warning.innerText(), /页面上尚未保存的内容不会丢失/)
    await shoot(staff, 'session-warning', { fullPage: false })
    const res = await actAndWaitFor(staff, 'GET', '/api/session', () =>
      warning.getByRole('button', { name: '继续使用' }).click(),
    )
    assert.equal(res.status(), 200)
    await warning.waitFor({ state: 'hidden' })
    assert.equal(await staff.locator('.session-ended').count(), 0)
  })

  const HALF = { school_major: '北京大学 凝聚态物理', achievements: '主持国家自然科学基金重点项目2项。' }

  step('left alone past the end: the sign-in overlay covers the half-filled form; signing in again keeps it; 保存 saves it', async () => {
    for (const [name, value] of Object.entries(HALF)) await materialInput(staff, name).fill(value)
    const field = await materialInput(staff, 'field').inputValue()
    const overlay = staff.locator('.session-ended')
    await overlay.waitFor({ timeout: IDLE_MS + 5000 })
    await shoot(staff, 'session-ended-overlay', { fullPage: false })
    // The page under the overlay is the same, with its input.
    assert.equal(await materialInput(staff, 'achievements').inputValue(), HALF.achievements)
    await signInOnOverlay('长时间未操作，登录已超时，请重新登录')
    assert.equal(new URL(staff.url()).hash, `#/applications/${appId}/edit`)
    for (const [name, value] of Object.entries(HALF)) assert.equal(await materialInput(staff, name).inputValue(), value)
    const res = await clickAndWaitFor(staff, '保存', 'PUT', `/api/applications/${appId}`)
    assert.equal(res.status(), 200)
    await expectMessage(staff, '保存成功', 'success')
    const app = await stored(server, appId)
    assert.equal(app.achievements, HALF.achievements)
    assert.equal(app.field, field)
    assert.deepEqual(await draftKeys(staff), [], 'saved: no draft left')
    await shoot(staff, 'saved-after-signing-in-again')
  })

  step('signed out elsewhere: 保存 is refused, the overlay keeps the input; after signing in 保存 saves it', async () => {
    await noMessages(staff)
    const position = '物理学院副院长'
    await materialInput(staff, 'current_position').fill(position)
    const ended = await server.api('DELETE', '/api/session', undefined, await token(staff))
    assert.equal(ended.status, 200)
    const refused = await clickAndWaitFor(staff, '保存', 'PUT', `/api/applications/${appId}`)
    assert.equal(refused.status(), 401)
    assert.equal((await refused.json()).error.code, 'session_expired')
    await shoot(staff, 'save-refused-overlay', { fullPage: false })
    await signInOnOverlay('登录已失效，请重新登录')
    assert.equal(await materialInput(staff, 'current_position').inputValue(), position)
    await noMessages(staff)
    const res = await clickAndWaitFor(staff, '保存', 'PUT', `/api/applications/${appId}`)
    assert.equal(res.status(), 200)
    assert.equal((await stored(server, appId)).current_position, position)
  })

  step('a reload offers the typed draft back: 恢复 brings it; a second reload and 丢弃 drops it', async () => {
    await noMessages(staff)
    const title = '教授'
    await materialInput(staff, 'professional_title').fill(title)
    assert.equal((await draftKeys(staff)).length, 1)
    await staff.reload()
    await materialInput(staff, 'professional_title').waitFor()
    await answerDraft(staff, '恢复', 'form-draft-offered')
    assert.equal(await materialInput(staff, 'professional_title').inputValue(), title)
    assert.equal(await materialInput(staff, 'achievements').inputValue(), HALF.achievements, 'saved fields stay')
    await shoot(staff, 'form-draft-restored')

    await staff.reload()
    await materialInput(staff, 'professional_title').waitFor()
    await answerDraft(staff, '丢弃')
    assert.equal(await materialInput(staff, 'professional_title').inputValue(), '')
    assert.deepEqual(await draftKeys(staff), [])
  })

  step('expired, then reloaded: the login page says why and returns to the form, whose draft comes back; 保存 clears it', async () => {
    const typed = '凝聚态物理'
    await materialInput(staff, 'field').fill(typed)
    assert.equal((await server.api('DELETE', '/api/session', undefined, await token(staff))).status, 200)
    await staff.reload()
    await waitForRoute(staff, '/login')
    await staff.locator('.el-alert', { hasText: '登录已失效，请重新登录' }).waitFor()
    const query = new URLSearchParams(new URL(staff.url()).hash.split('?')[1])
    assert.equal(query.get('redirect'), `/applications/${appId}/edit`)
    await shoot(staff, 'expired-reload-login')
    const res = await loginThroughUi(staff, commissioner.username, commissioner.password)
    assert.equal(res.status(), 200)
    await waitForRoute(staff, `/applications/${appId}/edit`)
    await answerDraft(staff, '恢复')
    assert.equal(await materialInput(staff, 'field').inputValue(), typed)
    const saved = await clickAndWaitFor(staff, '保存', 'PUT', `/api/applications/${appId}`)
    assert.equal(saved.status(), 200)
    assert.equal((await stored(server, appId)).field, typed)
    assert.deepEqual(await draftKeys(staff), [])
    const storage = await staff.evaluate(() => JSON.stringify(localStorage))
    assert.ok(!storage.includes(commissioner.password), 'no password in localStorage')
    assert.deepEqual(staff.pageErrors, [], 'no uncaught errors in the page')
  })
})

describe('office: the splash is on screen before the app\'s script arrives', () => {
  let server
  let browser
  const { step, ctx } = flow(shoot)

  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
  })

  after(async () => {
    await browser?.close().catch(() => undefined)
    await server?.stop()
  })

  step('with the script held back 2 s, the splash is on screen before the script arrives and goes once the first page is up', async () => {
    const page = await newPage(browser, server.url, SCREENS['1366x768'])
    ctx.page = page
    await page.route(/\/assets\/index-[^/]*\.js$/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 2000))
      await route.continue()
    })
    await page.goto('/', { waitUntil: 'commit' })
    // Held back 2 s, the script cannot be what shows the splash (how soon it
    // paints is a figure, not a test).
    await page.locator('#splash').waitFor({ state: 'visible', timeout: 1500 })
    assert.equal(await page.locator('#app').innerHTML(), '', 'the app has not started yet')
    assert.match(await page.locator('#splash').innerText(), /惠才通[\s\S]*正在启动/)
    await shoot(page, 'splash')
    await page.locator('#splash').waitFor({ state: 'detached', timeout: 15000 })
    await page.locator('.auth-card').waitFor()
    await shoot(page, 'after-splash')
    assert.deepEqual(page.pageErrors, [])
  })
})
