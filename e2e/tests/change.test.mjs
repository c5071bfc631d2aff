// 报送专家变动 end to end, screen by screen as the workflow guide describes
// it: the leader records existing 惠才卡 (持卡人才 → 登记已有惠才卡), the
// commissioner reports a change (专家变动申请 → 变动, bad inputs first), the
// leader rejects it with a reason (专家变动汇总审核), the commissioner corrects
// it (修改), the leader approves it and two more, deletes one in 变动汇总提交,
// gathers the rest into a batch (导出 → 盖章后上传 → 提交), the signed package
// passes `huicai verify`, the province's receipt is imported (省级对接), and
// 审核进度查询 shows the 审核流程 in the right colours at every stage; at the
// end the card of the talent who left the province is 已失效 and the talent
// moved inside the unit is in the new 二级单位.
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe } from 'node:test'
import { huicaiBin, sampleSetup, setupViaApi, startServer } from '../lib/server.mjs'
import { hashPath, launchBrowser, newPage, screenshotter, waitForRoute } from '../lib/browser.mjs'
import {
  actAndWaitFor,
  chooseOption,
  clickAndWaitFor,
  dataField,
  dialog,
  expectDataFieldError,
  expectFieldError,
  expectMessage,
  flow,
  loginThroughUi,
  maskId,
  noMessages,
  requestsDuring,
  selectedText,
  tableRows,
  token,
  typeDate,
} from '../lib/ui.mjs'
import { apiLogin, call, leaderPassword, sampleCommissioner, talentInput } from '../lib/seed.mjs'
import { makePdf, readZip, zipEntry } from '../lib/zip.mjs'
import { download, pdfText, sh } from '../lib/proc.mjs'
import { expectFlow } from '../lib/reviewflow.mjs'
import { daysFromToday, onDay, shanghaiDay } from '../lib/today.mjs'

const shoot = screenshotter('change')

const DEPT = '物理学院'
const NEW_DEPT = '材料学院'
const NAMES = ['王堃', '李喆', '张赟']
const UNBOUND = '赵磊'
const CARDS = { 王堃: 'SD2024000001', 李喆: 'SD2024000002', 张赟: 'SD2024000003' }
// Dates near today (HUICAI_FAKE_TODAY in the test build): the cards were
// issued on 15 June last year, so they are valid today and for four years
// more; the changes happened in the last two months, in this order.
const ISSUED = onDay(-1, '06-15')
const EXPIRES = onDay(4, '06-14')
const BEFORE_CARD = onDay(-1, '06-14')
const RETIRE_DATE = daysFromToday(-60)

const GOOD_CODE = '91370000MA3C5ELC16'
const BAD_CODE = '91370000MA3C5ELC17'
const FIXED_CODE = '12370200MB2852413G'
const RECEIVING = '青岛大学'
const CHANGE_DATE = daysFromToday(-52)
const DESCRIPTION = '王堃教授因工作需要调往青岛大学任教，已办理调出手续。'
const REJECT_REASON = '调入单位编码有误'
const INTERNAL_DATE = daysFromToday(-28)
const ZHANG_DESCRIPTION = '张赟调入材料学院从事新材料研究。'

const STEPS = ['服务专员申请', '单位负责人审核', '汇总提交', '省级审核', '办结']
const COLOURS = { done: 'rgb(31, 95, 209)', current: 'rgb(224, 45, 45)', todo: 'rgb(26, 26, 26)' }

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
/** True when code is an 18-character 统一社会信用代码 with the right check character (GB 32100). */
function usccValid(code) {
  if (!/^[0-9A-HJ-NP-RTUW-Y]{18}$/.test(code)) return false
  let sum = 0
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(code[i]) * USCC_WEIGHTS[i]
  return USCC_ALPHABET[(31 - (sum % 31)) % 31] === code[17]
}

/**
 * The characters of expected (strings; whitespace ignored) that text does
 * not hold as often as they are expected, e.g. ['动', '究']. Reading order
 * and line wrapping do not matter, a lost character does.
 */
function missingChars(text, expected) {
  const have = new Map()
  for (const c of text.replace(/\s+/g, '')) have.set(c, (have.get(c) ?? 0) + 1)
  const missing = []
  for (const c of expected.join('').replace(/\s+/g, '')) {
    const n = have.get(c) ?? 0
    if (n > 0) have.set(c, n - 1)
    else missing.push(c)
  }
  return missing
}

describe('报送专家变动: apply, review, correct, batch, submit, receipt, progress', () => {
  let server
  let browser
  /** The leader's tab. */
  let leader
  /** The commissioner's tab (its own browser context). */
  let staff
  let bin
  let tmp
  /** Seeded ids: departments, staff, talents by name. */
  const ids = { talents: {} }
  /** Change request ids by talent name. */
  const changes = {}
  let leaderToken
  let batchId
  let batchNumber
  const { step, ctx } = flow(shoot)
  const use = (p) => (ctx.page = p)
  const file = (name) => path.join(tmp, name)

  before(async () => {
    bin = await huicaiBin()
    assert.ok(usccValid(GOOD_CODE) && usccValid(FIXED_CODE) && !usccValid(BAD_CODE), 'sample codes')
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'huicai-e2e-change-'))
    server = await startServer()
    browser = await launchBrowser()
    leader = await newPage(browser, server.url)
    staff = await newPage(browser, server.url)
  })

  after(async () => {
    await browser?.close().catch(() => undefined)
    await server?.stop()
    if (tmp && !process.env.E2E_KEEP_DATA) await fs.rm(tmp, { recursive: true, force: true })
  })

  // ---- helpers ------------------------------------------------------------

  /** Clicks an entry of the 报送专家变动 menu group. */
  async function changeMenu(page, title) {
    const group = page.locator('.el-aside .el-sub-menu', {
      has: page.locator('.el-sub-menu__title', { hasText: '报送专家变动' }),
    })
    await group.locator('.el-menu-item', { hasText: new RegExp(`^\\s*${title}\\s*$`) }).click()
  }

  /**
   * Opens the page at route (reloading it when already there) and waits for GET /api/changes.
   * 专家变动申请 opens with 待我处理 (the requests to correct) on: it turns that off, to show every
   * request, and answers whether it was on.
   */
  async function openChangePage(page, route, menuTitle) {
    if (hashPath(page) === route) {
      await actAndWaitFor(page, 'GET', '/api/changes', () => page.reload())
    } else {
      await actAndWaitFor(page, 'GET', '/api/changes', () => changeMenu(page, menuTitle))
    }
    await waitForRoute(page, route)
    await page.locator('.el-breadcrumb', { hasText: menuTitle }).waitFor()
    await page.locator('.el-loading-mask:visible').first().waitFor({ state: 'hidden' })
    if (route === '/changes/apply') return everyRequest(page)
  }

  /** Turns 待我处理 off on the page; answers whether it was on. */
  async function everyRequest(page) {
    const box = dataField(page.locator('.list-filters'), 'todo').locator('.el-checkbox')
    const on = (await box.getAttribute('class')).includes('is-checked')
    if (on) await actAndWaitFor(page, 'GET', '/api/changes', () => box.click())
    await page.locator('.el-loading-mask:visible').first().waitFor({ state: 'hidden' })
    return on
  }

  /** Signs page in as username and waits for the home page. */
  async function signIn(page, username, password) {
    await page.goto('/')
    await waitForRoute(page, '/login')
    const res = await loginThroughUi(page, username, password)
    assert.equal(res.status(), 200, `login of ${username}`)
    await waitForRoute(page, '/')
  }

  /** The rows of the (first) table on the page. */
  const rowsOf = (page) => tableRows(page.locator('.el-card').first())

  /** The row of a change list for talent name (and change type, when given). */
  function changeRow(page, name, type) {
    let rows = rowsOf(page).filter({ hasText: name })
    if (type) rows = rows.filter({ hasText: type })
    return rows
  }

  /** Waits until exactly n field errors show in scope (old ones fade out first). */
  /** Clicks 保存 in dlg and counts the requests to method apiPath it sends (none while the form shows errors). */
  async function savesSent(dlg, method, apiPath) {
    return requestsDuring(dlg.page(), method, apiPath, () => dlg.getByRole('button', { name: '保存', exact: true }).click())
  }

  async function expectErrorCount(scope, n, what = '') {
    const errs = scope.locator('.el-form-item__error:visible')
    const deadline = Date.now() + 3000
    let count = await errs.count()
    while (count !== n && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100))
      count = await errs.count()
    }
    assert.equal(count, n, `field errors shown ${what}: ${await errs.allInnerTexts()}`)
  }

  /** The error under the textarea named name inside scope. */
  async function expectTextareaError(page, scope, name, text) {
    const item = scope.locator('.el-form-item', { has: page.locator(`textarea[name="${name}"]`) })
    const err = item.locator('.el-form-item__error', { hasText: text })
    await err.waitFor()
    assert.equal((await err.innerText()).trim(), text, `error under ${name}`)
  }

  /** Picks the option of the select data-field=field whose label starts with prefix. */
  async function chooseStartingWith(scope, page, field, prefix) {
    await dataField(scope, field).locator('.el-select__wrapper').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: prefix }).first().click()
    await page.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden' })
  }

  /** The labels of the options the select data-field=field offers (opens and closes it). */
  async function optionsOf(scope, page, field) {
    await dataField(scope, field).locator('.el-select__wrapper').click()
    const items = page.locator('.el-select-dropdown:visible .el-select-dropdown__item')
    await page.locator('.el-select-dropdown:visible').waitFor()
    const labels = (await items.allInnerTexts()).map((s) => s.trim())
    await page.keyboard.press('Escape')
    await page.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden' })
    return labels
  }

  /**
   * Types a day the 变动发生日期 picker must refuse (after today, before the
   * card was issued): Enter does not take it, the day is disabled in the
   * panel, and the field stays empty once the panel closes.
   */
  async function typeRefusedDate(dlg, page, value, shotName) {
    const input = dataField(dlg, 'change_date').locator('input')
    await input.click()
    await input.fill(value)
    await input.press('Enter')
    const panel = page.locator('.el-picker-panel:visible')
    await panel.waitFor()
    // Enter does not take the day: the panel stays open with the text typed.
    assert.equal(await input.inputValue(), value)
    // Turn the panel to that month: the day is greyed out.
    const [y, m, d] = value.split('-').map(Number)
    const shown = async () => {
      const h = (await panel.locator('.el-date-picker__header').innerText()).replace(/\s+/g, '')
      const [, hy, hm] = h.match(/(\d{4})年(\d{1,2})月/) ?? []
      assert.ok(hy, `panel header ${h}`)
      return (y - Number(hy)) * 12 + (m - Number(hm))
    }
    let diff = await shown()
    while (diff !== 0) {
      const forward = diff > 0
      const years = Math.abs(diff) >= 12
      const cls = `${years ? 'd-' : ''}arrow-${forward ? 'right' : 'left'}`
      await panel.locator(`.el-date-picker__header button.${cls}`).click()
      const want = diff - (forward ? 1 : -1) * (years ? 12 : 1)
      const deadline = Date.now() + 3000
      while ((diff = await shown()) !== want && Date.now() < deadline) await page.waitForTimeout(50)
      assert.equal(diff, want, 'the panel moved')
    }
    const cell = panel
      .locator('.el-date-table td:not(.prev-month):not(.next-month)')
      .filter({ hasText: new RegExp(`^\\s*${d}\\s*$`) })
    assert.equal(await cell.count(), 1)
    assert.match((await cell.getAttribute('class')) ?? '', /\bdisabled\b/, `${value} disabled in the panel`)
    if (shotName) await shoot(page, shotName)
    // Leave the field: the typed day is dropped.
    await dlg.locator('.el-dialog__title').click()
    await panel.waitFor({ state: 'hidden' })
    assert.equal(await input.inputValue(), '', `${value} not taken`)
  }

  /**
   * 审核进度查询 on page: the row of name (type) shows 当前环节 stepLabel and
   * state; its 审核流程 has the five steps with statuses (done / current /
   * todo) in blue / red / black. Screenshot as shotName.
   */
  async function checkProgress(page, name, type, { stepLabel, state, statuses }, shotName) {
    await openChangePage(page, '/changes/progress', '审核进度查询')
    const row = changeRow(page, name, type)
    await row.waitFor()
    // Columns: 序号, 中文名, 变动类型, 变动时间, 当前环节, 状态, 操作.
    assert.equal((await row.locator('td').nth(4).innerText()).trim(), stepLabel, `${name}: 当前环节`)
    await row.locator(`.state-tag[data-state="${state}"]`).waitFor()

    await actAndWaitFor(page, 'GET', /^\/api\/changes\/\d+$/, () =>
      row.getByRole('button', { name: '查看审核流程' }).click(),
    )
    const dlg = dialog(page, '审核流程')
    await dlg.waitFor()
    // Each step in its colour; done ones name who acted.
    const province = `省级审核（回执由${sampleSetup.leader_name}导入）`
    const who = {
      服务专员申请: sampleCommissioner.name,
      单位负责人审核: sampleSetup.leader_name,
      汇总提交: sampleSetup.leader_name,
      省级审核: province,
      办结: province,
    }
    await expectFlow(dlg, Object.fromEntries(STEPS.map((n, i) => [n, statuses[i]])), who)
    const steps = dlg.locator('.review-flow .flow-step')
    for (let i = 0; i < STEPS.length; i++) {
      assert.equal(
        await steps.nth(i).evaluate((el) => getComputedStyle(el).color),
        COLOURS[statuses[i]],
        `${name} step ${STEPS[i]} (${statuses[i]}) colour`,
      )
    }
    const legend = dlg.locator('.flow-legend')
    assert.match(await legend.innerText(), /蓝色字体代表该步骤已经完成；红色字体代表该步骤正在办理；黑色字体表示该步骤尚未办理/)
    assert.equal(await legend.locator('.flow-legend--done').evaluate((el) => getComputedStyle(el).color), COLOURS.done)
    assert.equal(await legend.locator('.flow-legend--current').evaluate((el) => getComputedStyle(el).color), COLOURS.current)
    assert.equal(await legend.locator('.flow-legend--todo').evaluate((el) => getComputedStyle(el).color), COLOURS.todo)
    await dlg.locator('.flow-subject', { hasText: name }).waitFor()
    await noMessages(page)
    await shoot(page, shotName)
    await dlg.getByRole('button', { name: '关闭', exact: true }).click()
    await dlg.waitFor({ state: 'hidden' })
  }

  /** Answers a change request as the leader through the API (version read first). */
  async function decideViaApi(id, action, reason = '') {
    const d = await call(server, 'GET', `/api/changes/${id}`, undefined, leaderToken)
    return call(server, 'POST', `/api/changes/${id}/decision`, { version: d.request.version, action, reason }, leaderToken)
  }

  /** Change type id by name. */
  async function typeId(name, bearer) {
    const types = await call(server, 'GET', '/api/change-types', undefined, bearer)
    const t = types.find((x) => x.name === name)
    assert.ok(t, `change type ${name} in ${JSON.stringify(types.map((x) => x.name))}`)
    return t.id
  }

  // ---- 1. seed ------------------------------------------------------------

  step('seed via the API: unit, 物理学院 and 材料学院, a commissioner with 王堃 李喆 张赟, and 赵磊 unbound', async () => {
    await setupViaApi(server)
    leaderToken = await apiLogin(server, sampleSetup.username, leaderPassword)
    ids.dept = (await call(server, 'POST', '/api/departments', { name: DEPT }, leaderToken)).id
    ids.newDept = (await call(server, 'POST', '/api/departments', { name: NEW_DEPT }, leaderToken)).id
    for (const [i, name] of [...NAMES, UNBOUND].entries()) {
      const input = talentInput(name, i, ids.dept)
      const t = await call(server, 'POST', '/api/registration/talent', input)
      ids.talents[name] = { id: t.id, idNumber: input.id_number, mobile: input.mobile }
    }
    const s = await call(server, 'POST', '/api/registration/staff', { ...sampleCommissioner, department_id: ids.dept })
    ids.staff = s.id
    await call(server, 'POST', `/api/staff/${s.id}/decision`, { action: 'approve' }, leaderToken)
    await call(server, 'POST', `/api/staff/${s.id}/talents`, { talent_ids: NAMES.map((n) => ids.talents[n].id) }, leaderToken)
    const bound = await call(server, 'GET', '/api/talents?page_size=100', undefined, await apiLogin(server, sampleCommissioner.username, sampleCommissioner.password))
    assert.deepEqual(bound.items.map((t) => t.name).sort(), [...NAMES].sort())
  })

  // ---- 2. 持卡人才 --------------------------------------------------------

  step(`leader: 持卡人才 → 登记已有惠才卡 for 王堃 (${ISSUED} → 有效期至 ${EXPIRES})`, async () => {
    use(leader)
    await signIn(leader, sampleSetup.username, leaderPassword)
    await actAndWaitFor(leader, 'GET', '/api/card-holders', () => changeMenu(leader, '持卡人才'))
    await waitForRoute(leader, '/card-holders')
    await leader.locator('.el-breadcrumb', { hasText: '持卡人才' }).waitFor()
    await leader.locator('.el-table__empty-text', { hasText: '暂无持卡人才' }).waitFor()
    await shoot(leader, 'holders-empty')

    await leader.getByRole('button', { name: '登记已有惠才卡', exact: true }).click()
    const dlg = dialog(leader, '登记已有惠才卡')
    await dlg.waitFor()
    // Every talent without a valid card is offered, the unbound one too.
    const offered = await optionsOf(dlg, leader, 'talent_id')
    for (const n of [...NAMES, UNBOUND]) assert.ok(offered.some((o) => o.startsWith(`${n}（`)), `${n} in ${offered}`)
    await chooseStartingWith(dlg, leader, 'talent_id', '王堃（')
    assert.match(await selectedText(dlg, 'talent_id'), /^王堃（/)
    await dlg.locator('input[name="card_no"]').fill(CARDS.王堃)
    await typeDate(dlg, leader, 'issued_on', ISSUED)
    // 有效期至 follows: five years minus a day.
    assert.equal(await dataField(dlg, 'expires_on').locator('input').inputValue(), EXPIRES)
    await shoot(leader, 'record-card-dialog')

    const res = await clickAndWaitFor(leader, '保存', 'POST', '/api/cards', dlg)
    assert.ok(res.ok(), `POST /api/cards answered ${res.status()}: ${await res.text()}`)
    await expectMessage(leader, `已登记惠才卡 ${CARDS.王堃}`, 'success')
    await dlg.waitFor({ state: 'hidden' })
    const row = rowsOf(leader).filter({ hasText: '王堃' })
    await row.waitFor()
    const text = await row.innerText()
    for (const s of [CARDS.王堃, ISSUED, EXPIRES]) assert.ok(text.includes(s), `${s} in ${text}`)
    await row.locator('.card-status[data-status="有效"]').waitFor()
  })

  step('李喆 and 张赟 get their cards through POST /api/cards; the list shows three valid cards', async () => {
    for (const n of ['李喆', '张赟']) {
      const c = await call(server, 'POST', '/api/cards', { talent_id: ids.talents[n].id, card_no: CARDS[n], issued_on: ISSUED }, leaderToken)
      assert.equal(c.expires_on, EXPIRES, 'the server counts five years minus a day too')
    }
    // A second card for 王堃 while his is valid is refused.
    const twice = await server.api('POST', '/api/cards', { talent_id: ids.talents.王堃.id, card_no: 'SD2024000009', issued_on: ISSUED }, leaderToken)
    assert.equal(twice.status, 409, JSON.stringify(twice.body))
    await noMessages(leader)
    await actAndWaitFor(leader, 'GET', '/api/card-holders', () => leader.reload())
    await rowsOf(leader).nth(2).waitFor()
    assert.equal(await rowsOf(leader).count(), 3)
    assert.equal(await leader.locator('.card-status[data-status="有效"]').count(), 3)
    await leader.locator('.list-pagination__info', { hasText: '共1页 1-3 共3条' }).waitFor()
    await shoot(leader, 'holders-three-valid')
  })

  // ---- 3. 专家变动申请 -----------------------------------------------------

  step('commissioner: 专家变动申请 is empty; 变动申请 opens 变动 with 个人基本信息 / 变动信息', async () => {
    use(staff)
    await signIn(staff, sampleCommissioner.username, sampleCommissioner.password)
    // Leader-only entries are not offered.
    for (const hidden of ['专家变动汇总审核', '变动汇总提交']) {
      assert.equal(await staff.locator('.el-aside .el-menu-item', { hasText: hidden }).count(), 0, `${hidden} hidden`)
    }
    assert.equal(await openChangePage(staff, '/changes/apply', '专家变动申请'), true, '待我处理 on at first')
    await staff.locator('.el-table__empty-text', { hasText: '暂无变动申请' }).waitFor()
    await shoot(staff, 'apply-empty')

    await staff.getByRole('button', { name: '变动申请', exact: true }).click()
    const dlg = dialog(staff, '变动')
    await dlg.waitFor()
    await dlg.locator('.el-loading-mask:visible').first().waitFor({ state: 'hidden' })
    await dlg.locator('.section-title', { hasText: '个人基本信息' }).waitFor()
    await dlg.locator('.section-title', { hasText: '变动信息' }).waitFor()
    for (const label of ['姓名', '手机号码', '证件类型', '证件号码', '变动类型', '变动发生日期', '变动情况描述']) {
      await dlg.locator('.el-form-item__label', { hasText: label }).first().waitFor()
    }
    // Only the commissioner's talents with a valid card; 赵磊 is not theirs.
    const holders = await optionsOf(dlg, staff, 'talent_id')
    assert.deepEqual(holders.sort(), NAMES.map((n) => `${n}（惠才卡号 ${CARDS[n]}）`).sort())
    const types = await optionsOf(dlg, staff, 'change_type_id')
    for (const t of ['调出本省', '省内调动（调离本单位）', '单位内部调动', '退休', '去世']) assert.ok(types.includes(t), `${t} in ${types}`)
    await shoot(staff, 'change-dialog-empty')
  })

  step('保存 with nothing names the holder, 变动类型, 变动发生日期 and 变动情况描述', async () => {
    const dlg = dialog(staff, '变动')
    assert.equal(await savesSent(dlg, 'POST', '/api/changes'), 0, 'checked in the form, nothing sent')
    assert.equal(await staff.locator('.el-message').count(), 0, 'no toast for field errors')
    await expectDataFieldError(dlg, 'talent_id', '请选择要报送变动的高层次人才')
    await expectDataFieldError(dlg, 'change_type_id', '请选择变动类型')
    await expectDataFieldError(dlg, 'change_date', '请选择变动发生日期')
    await expectTextareaError(staff, dlg, 'description', '请填写变动情况描述')
    await expectErrorCount(dlg, 4)
    await dlg.waitFor() // still open
    await shoot(staff, 'change-empty-errors')
    // The server names the same fields.
    const res = await server.api('POST', '/api/changes', {}, await token(staff))
    assert.equal(res.status, 400)
    assert.deepEqual(Object.keys(res.body.error.fields).sort(), ['change_date', 'change_type_id', 'description', 'talent_id'])
  })

  step('调出本省 for 王堃 without 调入单位名称 → 请填写调入单位名称', async () => {
    await noMessages(staff)
    const dlg = dialog(staff, '变动')
    await chooseOption(dlg, staff, 'talent_id', `王堃（惠才卡号 ${CARDS.王堃}）`)
    // 个人基本信息 follows the holder (numbers masked).
    const w = ids.talents.王堃
    assert.equal((await dlg.locator('[data-info="name"]').innerText()).trim(), '王堃')
    assert.equal((await dlg.locator('[data-info="mobile"]').innerText()).trim(), w.mobile.slice(0, 3) + '****' + w.mobile.slice(7))
    assert.equal((await dlg.locator('[data-info="id_type"]').innerText()).trim(), '居民身份证')
    assert.equal((await dlg.locator('[data-info="id_number"]').innerText()).trim(), maskId(w.idNumber))
    // The 调入单位 fields come with a type that moves the talent out.
    assert.equal(await dlg.locator('input[name="receiving_unit_name"]').count(), 0)
    await chooseOption(dlg, staff, 'change_type_id', '调出本省')
    await dlg.locator('input[name="receiving_unit_name"]').waitFor()
    await dlg.locator('input[name="receiving_unit_code"]').waitFor()
    assert.equal(await dataField(dlg, 'new_department_id').count(), 0)
    await typeDate(dlg, staff, 'change_date', CHANGE_DATE)
    await dlg.locator('textarea[name="description"]').fill(DESCRIPTION)

    assert.equal(await savesSent(dlg, 'POST', '/api/changes'), 0)
    await expectFieldError(staff, 'receiving_unit_name', '请填写调入单位名称')
    await expectErrorCount(dlg, 1, 'only 调入单位名称 is missing')
    await shoot(staff, 'change-no-receiving-unit')
  })

  step('an invalid 调入单位编码 (wrong check character) → error under 调入单位编码', async () => {
    await noMessages(staff)
    const dlg = dialog(staff, '变动')
    await dlg.locator('input[name="receiving_unit_name"]').fill(RECEIVING)
    await dlg.locator('input[name="receiving_unit_code"]').fill(BAD_CODE)
    assert.equal(await savesSent(dlg, 'POST', '/api/changes'), 0)
    await expectFieldError(staff, 'receiving_unit_code', '调入单位编码（统一社会信用代码）有误：统一社会信用代码校验位不正确，请核对')
    await expectErrorCount(dlg, 1)
    await shoot(staff, 'change-bad-uscc')
  })

  step('a 变动发生日期 after today or before the card was issued: the picker refuses it, and so does the server', async () => {
    await noMessages(staff)
    const dlg = dialog(staff, '变动')
    await dlg.locator('input[name="receiving_unit_code"]').fill(GOOD_CODE)
    // Clear the good date first, then try the bad ones.
    const input = dataField(dlg, 'change_date').locator('input')
    await input.click()
    await input.fill('')
    await input.press('Enter')
    await staff.locator('.el-picker-panel:visible').waitFor({ state: 'hidden' })
    const future = daysFromToday(10)
    await typeRefusedDate(dlg, staff, future, 'change-date-future-disabled')
    await typeRefusedDate(dlg, staff, BEFORE_CARD, 'change-date-before-card-disabled')

    // With the field left empty the form asks for the date.
    assert.equal(await savesSent(dlg, 'POST', '/api/changes'), 0)
    await expectDataFieldError(dlg, 'change_date', '请选择变动发生日期')

    // The same checks on the server, for any client that skips the picker.
    const bearer = await token(staff)
    const base = {
      talent_id: ids.talents.王堃.id,
      change_type_id: await typeId('调出本省', bearer),
      description: DESCRIPTION,
      receiving_unit_name: RECEIVING,
      receiving_unit_code: GOOD_CODE,
    }
    const late = await server.api('POST', '/api/changes', { ...base, change_date: future }, bearer)
    assert.equal(late.status, 400, JSON.stringify(late.body))
    assert.equal(late.body.error.fields.change_date, '变动发生日期不能晚于今天')
    const early = await server.api('POST', '/api/changes', { ...base, change_date: BEFORE_CARD }, bearer)
    assert.equal(early.status, 400, JSON.stringify(early.body))
    assert.equal(early.body.error.fields.change_date, `变动发生日期不能早于惠才卡发卡日期（${ISSUED}）`)
    const listed = await call(server, 'GET', '/api/changes', undefined, bearer)
    assert.equal(listed.total, 0, 'nothing saved by the refused attempts')
  })

  step('a valid 调出本省 for 王堃 → 保存 → 变动申请已提交, listed as 待单位审核', async () => {
    await noMessages(staff)
    const dlg = dialog(staff, '变动')
    await typeDate(dlg, staff, 'change_date', CHANGE_DATE)
    assert.equal(await dlg.locator('input[name="receiving_unit_name"]').inputValue(), RECEIVING)
    assert.equal(await dlg.locator('input[name="receiving_unit_code"]').inputValue(), GOOD_CODE)
    await shoot(staff, 'change-dialog-filled')
    const res = await clickAndWaitFor(staff, '保存', 'POST', '/api/changes', dlg)
    assert.ok(res.ok(), `POST /api/changes answered ${res.status()}: ${await res.text()}`)
    changes.王堃 = (await res.json()).request.id
    await expectMessage(staff, '变动申请已提交', 'success')
    await dlg.waitFor({ state: 'hidden' })

    const row = changeRow(staff, '王堃', '调出本省')
    await row.waitFor()
    await row.locator('.state-tag[data-state="unit_review"]', { hasText: '待单位审核' }).waitFor()
    const text = await row.innerText()
    for (const s of [CARDS.王堃, CHANGE_DATE, '137****1001']) assert.ok(text.includes(s), `${s} in ${text}`)
    await row.getByRole('button', { name: '撤回' }).waitFor()
    assert.equal(await row.getByRole('button', { name: '修改' }).count(), 0, '修改 only when rejected')
    await staff.locator('.list-pagination__info', { hasText: '共1页 1-1 共1条' }).waitFor()
    await noMessages(staff)
    await shoot(staff, 'apply-submitted')
  })

  step('a second open 调出本省 for 王堃 is refused on 变动类型', async () => {
    await staff.getByRole('button', { name: '变动申请', exact: true }).click()
    const dlg = dialog(staff, '变动')
    await dlg.waitFor()
    await dlg.locator('.el-loading-mask:visible').first().waitFor({ state: 'hidden' })
    // The dialog starts blank again.
    assert.equal(await selectedText(dlg, 'change_type_id'), '请选择')
    await expectErrorCount(dlg, 0)
    await chooseOption(dlg, staff, 'talent_id', `王堃（惠才卡号 ${CARDS.王堃}）`)
    await chooseOption(dlg, staff, 'change_type_id', '调出本省')
    await typeDate(dlg, staff, 'change_date', CHANGE_DATE)
    await dlg.locator('input[name="receiving_unit_name"]').fill(RECEIVING)
    await dlg.locator('textarea[name="description"]').fill('重复提交的变动申请')
    const res = await clickAndWaitFor(staff, '保存', 'POST', '/api/changes', dlg)
    assert.equal(res.status(), 400)
    await expectDataFieldError(dlg, 'change_type_id', '该高层次人才已有一条同类型的变动申请正在办理，请勿重复提交')
    await shoot(staff, 'change-duplicate-refused')
    await dlg.getByRole('button', { name: '关闭', exact: true }).click()
    await dlg.waitFor({ state: 'hidden' })
    assert.equal(await rowsOf(staff).count(), 1)
  })

  step('API: a change for an unbound talent → 403; once bound but without a card → 409', async () => {
    const bearer = await token(staff)
    const body = {
      talent_id: ids.talents[UNBOUND].id,
      change_type_id: await typeId('退休', bearer),
      change_date: CHANGE_DATE,
      description: '退休',
    }
    const unbound = await server.api('POST', '/api/changes', body, bearer)
    assert.equal(unbound.status, 403, JSON.stringify(unbound.body))
    assert.equal(unbound.body.error.code, 'forbidden')

    await call(server, 'POST', `/api/staff/${ids.staff}/talents`, { talent_ids: [ids.talents[UNBOUND].id] }, leaderToken)
    const noCard = await server.api('POST', '/api/changes', body, bearer)
    assert.equal(noCard.status, 409, JSON.stringify(noCard.body))
    assert.match(noCard.body.error.message, /尚未持有惠才卡/)
    // The leader cannot report changes at all.
    const asLeader = await server.api('POST', '/api/changes', { ...body, talent_id: ids.talents.王堃.id }, leaderToken)
    assert.equal(asLeader.status, 403, JSON.stringify(asLeader.body))
  })

  step('审核进度查询 after applying: 服务专员申请 blue, 单位负责人审核 red, the rest black (commissioner and leader)', async () => {
    const pending = { stepLabel: '单位负责人审核', state: 'unit_review', statuses: ['done', 'current', 'todo', 'todo', 'todo'] }
    await checkProgress(staff, '王堃', '调出本省', pending, 'flow-pending-commissioner')
    use(leader)
    await checkProgress(leader, '王堃', '调出本省', pending, 'flow-pending-leader')
  })

  // ---- 4. 专家变动汇总审核 --------------------------------------------------

  step('leader: 专家变动汇总审核 lists 待审核数据 with the guide\'s columns', async () => {
    await openChangePage(leader, '/changes/review', '专家变动汇总审核')
    const crumb = (await leader.locator('.el-breadcrumb').innerText()).replace(/\s+/g, '')
    assert.equal(crumb, '系统首页/专家变动汇总审核')
    const card = leader.locator('.el-card', { has: leader.locator('.el-card__header', { hasText: '待审核数据' }) })
    await card.waitFor()
    const headers = (await card.locator('.el-table__header-wrapper th').allInnerTexts()).map((s) => s.trim())
    assert.deepEqual(headers, ['', '操作', '中文名', '性别', '手机号码', '惠才卡号', '变动类型', '变动时间', '状态'])
    const rows = tableRows(card)
    await rows.first().waitFor()
    assert.equal(await rows.count(), 1)
    const cells = (await rows.first().locator('td').allInnerTexts()).map((s) => s.trim())
    assert.deepEqual(cells, ['1', '详情', '王堃', '男', '137****1001', CARDS.王堃, '调出本省', CHANGE_DATE, '待单位审核'])
    await leader.locator('.list-pagination__info', { hasText: '共1页 1-1 共1条' }).waitFor()
    await shoot(leader, 'review-list')
  })

  step('详情 → 专家变动审核 shows the request; 不通过 with no reason → 请填写不通过原因', async () => {
    const card = leader.locator('.el-card', { hasText: '待审核数据' })
    await actAndWaitFor(leader, 'GET', `/api/changes/${changes.王堃}`, () =>
      tableRows(card).first().getByRole('button', { name: '详情' }).click(),
    )
    const dlg = dialog(leader, '专家变动审核')
    await dlg.waitFor()
    await dlg.locator('[data-info="name"]').waitFor()
    const detail = await call(server, 'GET', `/api/changes/${changes.王堃}`, undefined, leaderToken)
    const expected = {
      name: '王堃',
      created_on: shanghaiDay(detail.request.created_at),
      commissioner_name: sampleCommissioner.name,
      commissioner_phone: sampleCommissioner.office_phone,
      change_type: '调出本省',
      change_date: CHANGE_DATE,
      receiving_unit_name: RECEIVING,
      receiving_unit_code: GOOD_CODE,
      description: DESCRIPTION,
    }
    for (const [k, v] of Object.entries(expected)) {
      assert.equal((await dlg.locator(`[data-info="${k}"]`).innerText()).trim(), v, k)
    }
    await dlg.getByText(maskId(ids.talents.王堃.idNumber)).waitFor()
    await dlg.locator('textarea[name="reason"]').waitFor()
    await dlg.getByText('选择【不通过】，需要先填写不通过原因').waitFor()
    for (const b of ['通过', '不通过', '关闭']) await dlg.getByRole('button', { name: b, exact: true }).waitFor()
    await shoot(leader, 'review-dialog')

    const res = await actAndWaitFor(leader, 'POST', `/api/changes/${changes.王堃}/decision`, () =>
      dlg.getByRole('button', { name: '不通过', exact: true }).click(),
    )
    assert.equal(res.status(), 400)
    await expectTextareaError(leader, dlg, 'reason', '请填写不通过原因')
    await dlg.waitFor() // still open
    await shoot(leader, 'review-reject-empty-reason')
  })

  step('不通过 with 调入单位编码有误 → the list is empty', async () => {
    await noMessages(leader)
    const dlg = dialog(leader, '专家变动审核')
    await dlg.locator('textarea[name="reason"]').fill(REJECT_REASON)
    const res = await actAndWaitFor(leader, 'POST', `/api/changes/${changes.王堃}/decision`, () =>
      dlg.getByRole('button', { name: '不通过', exact: true }).click(),
    )
    assert.ok(res.ok(), `decision answered ${res.status()}`)
    await expectMessage(leader, '审核不通过，已退回服务专员', 'success')
    await dlg.waitFor({ state: 'hidden' })
    await leader.locator('.el-table__empty-text', { hasText: '暂无待审核的变动申请' }).waitFor()
    await noMessages(leader)
    await shoot(leader, 'review-list-empty')
  })

  // ---- 5. 修改 ----------------------------------------------------------------

  step('commissioner: the row shows 审核不通过; 审核流程 has 服务专员申请 red again', async () => {
    use(staff)
    await checkProgress(
      staff,
      '王堃',
      '调出本省',
      { stepLabel: '服务专员申请', state: 'rejected', statuses: ['current', 'todo', 'todo', 'todo', 'todo'] },
      'flow-rejected-commissioner',
    )
    await openChangePage(staff, '/changes/apply', '专家变动申请')
    const row = changeRow(staff, '王堃', '调出本省')
    await row.locator('.state-tag[data-state="rejected"]', { hasText: '审核不通过' }).waitFor()
    await row.getByRole('button', { name: '修改' }).waitFor()
    assert.equal(await row.getByRole('button', { name: '撤回' }).count(), 0)
    await shoot(staff, 'apply-rejected')

    // 详情 shows the reason too.
    await row.getByRole('button', { name: '详情' }).click()
    const d = dialog(staff, '专家变动详情')
    await d.waitFor()
    await d.locator('[data-info="reject_reason"]', { hasText: REJECT_REASON }).waitFor()
    await d.locator('.state-tag[data-state="rejected"]').waitFor()
    await d.getByRole('button', { name: '关闭', exact: true }).click()
    await d.waitFor({ state: 'hidden' })
  })

  step('修改 → 不通过原因：调入单位编码有误 on top; correct the code → 变动申请已修改并重新提交', async () => {
    const row = changeRow(staff, '王堃', '调出本省')
    await actAndWaitFor(staff, 'GET', `/api/changes/${changes.王堃}`, () => row.getByRole('button', { name: '修改' }).click())
    const dlg = dialog(staff, '变动')
    await dlg.waitFor()
    await dlg.locator('.el-loading-mask:visible').first().waitFor({ state: 'hidden' })
    const alert = dlg.locator('.el-alert.reject-reason')
    await alert.waitFor()
    assert.equal((await alert.locator('.el-alert__title').innerText()).trim(), `不通过原因：${REJECT_REASON}`)
    // The saved request fills the form; the holder is fixed.
    assert.equal(await dataField(dlg, 'talent_id').count(), 0)
    assert.equal((await dlg.locator('[data-info="name"]').innerText()).trim(), '王堃')
    assert.equal(await selectedText(dlg, 'change_type_id'), '调出本省')
    assert.equal(await dataField(dlg, 'change_date').locator('input').inputValue(), CHANGE_DATE)
    assert.equal(await dlg.locator('input[name="receiving_unit_name"]').inputValue(), RECEIVING)
    assert.equal(await dlg.locator('input[name="receiving_unit_code"]').inputValue(), GOOD_CODE)
    assert.equal(await dlg.locator('textarea[name="description"]').inputValue(), DESCRIPTION)
    await shoot(staff, 'modify-dialog')

    // A wrong code is still refused here.
    await dlg.locator('input[name="receiving_unit_code"]').fill(BAD_CODE)
    assert.equal(await savesSent(dlg, 'PUT', `/api/changes/${changes.王堃}`), 0)
    await expectFieldError(staff, 'receiving_unit_code', '调入单位编码（统一社会信用代码）有误：统一社会信用代码校验位不正确，请核对')

    await dlg.locator('input[name="receiving_unit_code"]').fill(FIXED_CODE)
    const res = await clickAndWaitFor(staff, '保存', 'PUT', `/api/changes/${changes.王堃}`, dlg)
    assert.ok(res.ok(), `PUT answered ${res.status()}: ${await res.text()}`)
    await expectMessage(staff, '变动申请已修改并重新提交', 'success')
    await dlg.waitFor({ state: 'hidden' })
    await changeRow(staff, '王堃', '调出本省').locator('.state-tag[data-state="unit_review"]').waitFor()
    assert.equal(await rowsOf(staff).count(), 1)
    await noMessages(staff)
    await shoot(staff, 'apply-resubmitted')
  })

  // ---- 6. 通过, and two more requests --------------------------------------------

  step('leader: 详情 shows the corrected code → 通过', async () => {
    use(leader)
    await openChangePage(leader, '/changes/review', '专家变动汇总审核')
    const card = leader.locator('.el-card', { hasText: '待审核数据' })
    await actAndWaitFor(leader, 'GET', `/api/changes/${changes.王堃}`, () =>
      tableRows(card).filter({ hasText: '王堃' }).getByRole('button', { name: '详情' }).click(),
    )
    const dlg = dialog(leader, '专家变动审核')
    await dlg.locator('[data-info="receiving_unit_code"]', { hasText: FIXED_CODE }).waitFor()
    // The reason field starts empty for the new review.
    assert.equal(await dlg.locator('textarea[name="reason"]').inputValue(), '')
    await shoot(leader, 'review-dialog-corrected')
    const res = await actAndWaitFor(leader, 'POST', `/api/changes/${changes.王堃}/decision`, () =>
      dlg.getByRole('button', { name: '通过', exact: true }).click(),
    )
    assert.ok(res.ok(), `decision answered ${res.status()}`)
    await expectMessage(leader, '审核通过', 'success')
    await dlg.waitFor({ state: 'hidden' })
    await leader.locator('.el-table__empty-text', { hasText: '暂无待审核的变动申请' }).waitFor()
    await noMessages(leader)
  })

  step('审核进度查询 after 通过: 汇总提交 red (commissioner and leader)', async () => {
    const approved = { stepLabel: '汇总提交', state: 'approved', statuses: ['done', 'done', 'current', 'todo', 'todo'] }
    await checkProgress(leader, '王堃', '调出本省', approved, 'flow-approved-leader')
    use(staff)
    await checkProgress(staff, '王堃', '调出本省', approved, 'flow-approved-commissioner')
  })

  step('commissioner: 张赟 单位内部调动 to 材料学院 through the dialog', async () => {
    await openChangePage(staff, '/changes/apply', '专家变动申请')
    await staff.getByRole('button', { name: '变动申请', exact: true }).click()
    const dlg = dialog(staff, '变动')
    await dlg.waitFor()
    await dlg.locator('.el-loading-mask:visible').first().waitFor({ state: 'hidden' })
    await chooseOption(dlg, staff, 'talent_id', `张赟（惠才卡号 ${CARDS.张赟}）`)
    await chooseOption(dlg, staff, 'change_type_id', '单位内部调动')
    // An internal move asks for the new 二级单位, not a receiving unit.
    await dataField(dlg, 'new_department_id').waitFor()
    assert.equal(await dlg.locator('input[name="receiving_unit_name"]').count(), 0)
    await typeDate(dlg, staff, 'change_date', INTERNAL_DATE)
    await dlg.locator('textarea[name="description"]').fill(ZHANG_DESCRIPTION)
    assert.equal(await savesSent(dlg, 'POST', '/api/changes'), 0)
    await expectDataFieldError(dlg, 'new_department_id', '请选择调入的二级单位')
    await chooseOption(dlg, staff, 'new_department_id', NEW_DEPT)
    await shoot(staff, 'change-internal-move')
    const res = await clickAndWaitFor(staff, '保存', 'POST', '/api/changes', dlg)
    assert.ok(res.ok(), `POST /api/changes answered ${res.status()}: ${await res.text()}`)
    changes.张赟 = (await res.json()).request.id
    await expectMessage(staff, '变动申请已提交', 'success')
    await dlg.waitFor({ state: 'hidden' })
    await changeRow(staff, '张赟', '单位内部调动').locator('.state-tag[data-state="unit_review"]').waitFor()
  })

  step('commissioner: a 其他 request for 李喆 (API) is taken back with 撤回 → 已撤回', async () => {
    const bearer = await token(staff)
    const other = await call(server, 'POST', '/api/changes', {
      talent_id: ids.talents.李喆.id,
      change_type_id: await typeId('其他', bearer),
      change_date: CHANGE_DATE,
      description: '误报，将撤回',
    }, bearer)
    await noMessages(staff)
    await openChangePage(staff, '/changes/apply', '专家变动申请')
    const row = changeRow(staff, '李喆', '其他')
    await row.locator('.state-tag[data-state="unit_review"]').waitFor()
    await row.getByRole('button', { name: '撤回' }).click()
    const box = staff.locator('.el-message-box:visible')
    await box.waitFor()
    assert.match(await box.innerText(), /确定撤回“李喆”的其他变动申请吗/)
    await shoot(staff, 'withdraw-confirm')
    await actAndWaitFor(staff, 'POST', `/api/changes/${other.request.id}/decision`, () =>
      box.getByRole('button', { name: '确定' }).click(),
    )
    await expectMessage(staff, '已撤回', 'success')
    await row.locator('.state-tag[data-state="withdrawn"]', { hasText: '已撤回' }).waitFor()
    assert.equal(await row.getByRole('button', { name: '撤回' }).count(), 0)
    // 撤回 is gone for the leader too.
    const again = await server.api('POST', `/api/changes/${other.request.id}/decision`, { version: 99, action: 'approve' }, leaderToken)
    assert.equal(again.status, 409, JSON.stringify(again.body))
  })

  step('李喆 退休 through the API; the leader approves 李喆 and 张赟 (API)', async () => {
    const bearer = await token(staff)
    const retire = await call(server, 'POST', '/api/changes', {
      talent_id: ids.talents.李喆.id,
      change_type_id: await typeId('退休', bearer),
      change_date: RETIRE_DATE,
      description: `李喆教授于${Number(RETIRE_DATE.slice(5, 7))}月办理退休手续。`,
    }, bearer)
    changes.李喆 = retire.request.id
    for (const n of ['李喆', '张赟']) {
      const d = await decideViaApi(changes[n], 'approve')
      assert.equal(d.request.state, 'approved')
    }
    await noMessages(staff)
    await openChangePage(staff, '/changes/apply', '专家变动申请')
    await rowsOf(staff).nth(3).waitFor()
    assert.equal(await staff.locator('.state-tag[data-state="approved"]').count(), 3)
    await staff.locator('.list-pagination__info', { hasText: '共1页 1-4 共4条' }).waitFor()
    await shoot(staff, 'apply-three-approved')
  })

  // ---- 7. 变动汇总提交: 删除 -----------------------------------------------------

  step('leader: 变动汇总提交 lists the three; 删除 李喆\'s (confirm) → 已删除', async () => {
    use(leader)
    await openChangePage(leader, '/changes/batch', '变动汇总提交')
    const card = leader.locator('.el-card', { has: leader.locator('.el-card__header', { hasText: '待汇总提交（审核通过）' }) })
    await card.waitFor()
    const rows = tableRows(card)
    await rows.nth(2).waitFor()
    assert.equal(await rows.count(), 3)
    for (const n of NAMES) await rows.filter({ hasText: n }).waitFor()
    assert.ok(await leader.getByRole('button', { name: '汇总提交', exact: true }).isDisabled(), 'nothing picked yet')
    await shoot(leader, 'batch-waiting')

    await rows.filter({ hasText: '李喆' }).getByRole('button', { name: '删除' }).click()
    const box = leader.locator('.el-message-box:visible')
    await box.waitFor()
    assert.match(await box.innerText(), /确定删除“李喆”的退休变动申请吗/)
    await shoot(leader, 'batch-delete-confirm')
    await actAndWaitFor(leader, 'POST', `/api/changes/${changes.李喆}/decision`, () =>
      box.getByRole('button', { name: '确定' }).click(),
    )
    await expectMessage(leader, '已删除', 'success')
    await rows.filter({ hasText: '李喆' }).waitFor({ state: 'detached' })
    assert.equal(await rows.count(), 2)
    await noMessages(leader)
  })

  step('an empty change batch is refused: POST /api/batches with no item_ids → 400 on item_ids', async () => {
    const res = await server.api('POST', '/api/batches', {
      kind: 'change',
      item_ids: [],
      contact_person: '张三',
      contact_phone: '0531-88364000',
    }, leaderToken)
    assert.equal(res.status, 400, JSON.stringify(res.body))
    assert.equal(res.body.error.fields.item_ids, '请至少选择一条记录再汇总提交')
  })

  // ---- 8. 汇总提交 → 导出 → 上传 → 提交 ------------------------------------------

  step('pick both → 汇总提交 → dialog with 联系人 / 联系电话 → 确定 → batch page BG…', async () => {
    await leader.locator('.el-table__header .el-checkbox').first().click()
    await leader.locator('.picked', { hasText: '已选择 2 条' }).waitFor()
    await leader.getByRole('button', { name: '汇总提交', exact: true }).click()
    const dlg = dialog(leader, '汇总提交')
    await dlg.waitFor()
    await dlg.locator('.count', { hasText: '2' }).waitFor()
    await leader.waitForFunction(() => document.querySelector('input[name="contact_person"]')?.value === '张三')
    assert.equal(await dlg.locator('input[name="contact_phone"]').inputValue(), sampleSetup.contact_phone)
    await shoot(leader, 'batch-create-dialog')

    const res = await clickAndWaitFor(leader, '确定', 'POST', '/api/batches', dlg)
    assert.ok(res.ok(), `POST /api/batches answered ${res.status()}`)
    const created = await res.json()
    batchId = created.id
    batchNumber = created.number
    assert.match(batchNumber, /^BG\S+$/)
    await waitForRoute(leader, `/batches/${batchId}`)
    await expectMessage(leader, `已生成汇总提交批次 ${batchNumber}`, 'success')
    const title = leader.locator('.batch-title')
    await title.waitFor()
    assert.match((await title.innerText()).replace(/\s+/g, ' '), new RegExp(`专家变动汇总提交 ${batchNumber}`))
    const items = leader.locator('.el-card', { hasText: '汇总事项（共 2 条）' })
    await items.waitFor()
    const text = await items.innerText()
    for (const s of ['王堃', '张赟', RECEIVING, FIXED_CODE, `本单位 ${NEW_DEPT}`]) assert.ok(text.includes(s), `${s} in the items`)
    assert.ok(!text.includes('李喆'), '李喆 was deleted')
    await noMessages(leader)
    await shoot(leader, 'batch-created')
  })

  step('导出 → 已于 …; the exports zip holds 专家变动一览表.xlsx and .pdf naming 王堃 and 张赟', async () => {
    await leader.locator('.step-export').getByRole('button', { name: '导出', exact: true }).click()
    await leader.locator('.step-export', { hasText: '已于' }).waitFor({ timeout: 60000 })
    await expectMessage(leader, '导出完成', 'success')
    for (const name of ['专家变动一览表.xlsx', '专家变动一览表.pdf']) {
      await leader.locator('.step-export .el-table').getByText(name, { exact: true }).waitFor()
    }
    await noMessages(leader)
    await shoot(leader, 'batch-exported')

    await download(leader, file('exports.zip'), () =>
      leader.locator('.step-export').getByRole('button', { name: '下载导出材料' }).click(),
    )
    const zip = await fs.readFile(file('exports.zip'))
    const names = readZip(zip).map((e) => e.name)
    assert.ok(names.includes('专家变动一览表.xlsx'), `xlsx in ${names}`)
    assert.ok(names.includes('专家变动一览表.pdf'), `pdf in ${names}`)
    assert.equal(zipEntry(zip, '专家变动一览表.xlsx').subarray(0, 2).toString(), 'PK')
    await fs.writeFile(file('sheet.pdf'), zipEntry(zip, '专家变动一览表.pdf'))
    const text = await pdfText(file('sheet.pdf'))
    // Long cells wrap inside the table (pdftotext then splits them): check the short ones.
    for (const s of ['专家变动一览表', '王堃', '张赟', '调出本省', RECEIVING, `本单位${NEW_DEPT}`, CARDS.王堃, CARDS.张赟, batchNumber]) {
      assert.ok(text.includes(s), `${s} in the PDF: ${text}`)
    }
    assert.ok(!text.includes('李喆'), '李喆 not on the sheet')
    assert.ok(text.includes('张三') && text.includes('0531-88364000'), 'contact on the sheet')
  })

  step('the 专家变动一览表 PDF keeps every character of the cells it wraps', async () => {
    const text = await pdfText(file('sheet.pdf'))
    const zhang = ids.talents.张赟
    const wang = ids.talents.王堃
    const expected = [
      '专家变动一览表',
      `单位名称：${sampleSetup.unit_name}`, `统一社会信用代码：${sampleSetup.uscc}`, `批次号：${batchNumber}`, '日期：',
      '联系人：张三', '联系电话：0531-88364000',
      '序号', '姓名', '性别', '证件号码', '惠才卡号', '变动类型', '变动发生日期', '调入单位名称', '调入单位编码', '变动情况描述',
      '1', '张赟', '男', zhang.idNumber, CARDS.张赟, '单位内部调动', INTERNAL_DATE, `本单位 ${NEW_DEPT}`, ZHANG_DESCRIPTION,
      '2', '王堃', '男', wang.idNumber, CARDS.王堃, '调出本省', CHANGE_DATE, RECEIVING, FIXED_CODE, DESCRIPTION,
      '单位负责人（签字）：', '单位（盖章）：', '年月日',
    ]
    const missing = missingChars(text, expected)
    assert.deepEqual(missing, [], `characters missing from the PDF: ${missing.join(' ')}\n${text}`)
  })

  step('盖章后上传 → 已上传; 提交 with the password → 提交包已生成; 下载提交包; huicai verify passes', async () => {
    await leader.setInputFiles('input[name="scan"]', {
      name: '专家变动一览表-盖章.pdf',
      mimeType: 'application/pdf',
      buffer: makePdf('Stamped change sheet'),
    })
    await leader.locator('.step-scan', { hasText: '已上传' }).waitFor()
    await expectMessage(leader, '盖章扫描件已上传', 'success')
    await noMessages(leader)
    await shoot(leader, 'batch-scan-uploaded')

    await leader.locator('.step-submit').getByRole('button', { name: '提交', exact: true }).click()
    const dlg = dialog(leader, '确认提交')
    await dlg.waitFor()
    await dlg.locator('input[name="password"]').fill(leaderPassword)
    await shoot(leader, 'batch-submit-dialog')
    await dlg.getByRole('button', { name: '确定', exact: true }).click()
    await leader.locator('.step-submit', { hasText: '提交包已生成' }).waitFor({ timeout: 60000 })
    await dlg.waitFor({ state: 'hidden' })
    await expectMessage(leader, '已提交，提交包已生成', 'success')
    await leader.locator('.batch-title .el-tag', { hasText: '已报送' }).waitFor()
    await noMessages(leader)
    await shoot(leader, 'batch-submitted')

    const dl = await download(leader, file('package.zip'), () =>
      leader.locator('.step-submit').getByRole('button', { name: '下载提交包' }).click(),
    )
    assert.match(dl.suggestedFilename(), /\.zip$/)
    const names = readZip(await fs.readFile(file('package.zip'))).map((e) => e.name)
    for (const n of ['manifest.json', 'manifest.sig', 'data.json', 'exports/专家变动一览表.pdf']) {
      assert.ok(names.includes(n), `${n} in package: ${names}`)
    }
    const v = await sh(bin, ['verify', file('package.zip')])
    assert.equal(v.code, 0, v.stdout + v.stderr)
    assert.match(v.stdout + v.stderr, /提交包校验通过/)
  })

  step('a request in a submitted batch cannot be deleted (409 已在汇总提交批次中)', async () => {
    const d = await call(server, 'GET', `/api/changes/${changes.王堃}`, undefined, leaderToken)
    assert.equal(d.request.state, 'province_review')
    const res = await server.api('POST', `/api/changes/${changes.王堃}/decision`, { version: d.request.version, action: 'delete' }, leaderToken)
    assert.equal(res.status, 409, JSON.stringify(res.body))
    assert.match(res.body.error.message, /已在汇总提交批次中/)
  })

  step('审核进度查询 after 提交: 省级审核 red (leader and commissioner); 李喆 shows 已删除（单位负责人删除）', async () => {
    const sent = { stepLabel: '省级审核', state: 'province_review', statuses: ['done', 'done', 'done', 'current', 'todo'] }
    await checkProgress(leader, '王堃', '调出本省', sent, 'flow-submitted-leader')
    use(staff)
    await checkProgress(staff, '王堃', '调出本省', sent, 'flow-submitted-commissioner')
    const li = changeRow(staff, '李喆', '退休')
    await li.locator('.state-tag[data-state="deleted"]', { hasText: '已删除（单位负责人删除）' }).waitFor()
    assert.equal((await li.locator('td').nth(4).innerText()).trim(), '已终止')
    await shoot(staff, 'progress-submitted')
    // The deleted request's 审核流程 (kept as a picture: it stops at 汇总提交).
    await li.getByRole('button', { name: '查看审核流程' }).click()
    const dlg = dialog(staff, '审核流程')
    await dlg.locator('.flow-subject .state-tag[data-state="deleted"]').waitFor()
    await dlg.getByText('删除变动申请').waitFor()
    // A deleted request has stopped: nothing is shown as in progress.
    assert.equal(await dlg.locator('.flow-step--current').count(), 0)
    await shoot(staff, 'flow-deleted-commissioner')
    await dlg.getByRole('button', { name: '关闭', exact: true }).click()
    await dlg.waitFor({ state: 'hidden' })
  })

  // ---- 9. 省级对接 --------------------------------------------------------------

  step('province keygen and receipt; leader: 配置省级公钥 → 导入回执 → 已办结', async () => {
    const k = await sh(bin, ['province', 'keygen', '--out', file('prov')])
    assert.equal(k.code, 0, k.stdout + k.stderr)
    const r = await sh(bin, ['province', 'receipt', file('package.zip'), '--key', file('prov/province.key'), '-o', file('receipt.zip')])
    assert.equal(r.code, 0, r.stdout + r.stderr)

    use(leader)
    await leader.goto('/#/province')
    await waitForRoute(leader, '/province')
    await leader.locator('.province-key').getByRole('button', { name: '配置省级公钥' }).click()
    const dlg = dialog(leader, '配置省级公钥')
    await dlg.waitFor()
    await dlg.locator('textarea[name="public_pem"]').fill(await fs.readFile(file('prov/province.pem'), 'utf8'))
    const saved = await clickAndWaitFor(leader, '保存', 'PUT', '/api/keys/province', dlg)
    assert.equal(saved.status(), 200)
    await expectMessage(leader, '省级公钥已配置', 'success')
    await dlg.waitFor({ state: 'hidden' })

    const res = await actAndWaitFor(leader, 'POST', '/api/receipts', () =>
      leader.setInputFiles('input[name="receipt"]', file('receipt.zip')),
    )
    assert.ok(res.ok(), `POST /api/receipts answered ${res.status()}`)
    const done = leader.locator('.receipt-done')
    await done.waitFor()
    assert.match(await done.innerText(), new RegExp(`${batchNumber}[\\s\\S]*已办结`))
    await noMessages(leader)
    await shoot(leader, 'province-receipt-imported')
  })

  // ---- 10. after the receipt ---------------------------------------------------

  step('审核进度查询 after the receipt: every step blue, 办结 (leader and commissioner)', async () => {
    const closed = { stepLabel: '办结', state: 'accepted', statuses: ['done', 'done', 'done', 'done', 'done'] }
    await checkProgress(leader, '王堃', '调出本省', closed, 'flow-closed-leader')
    await checkProgress(leader, '张赟', '单位内部调动', closed, 'flow-closed-internal-leader')
    use(staff)
    await checkProgress(staff, '王堃', '调出本省', closed, 'flow-closed-commissioner')
    await shoot(staff, 'progress-closed')
  })

  step('持卡人才: 王堃\'s card 已失效 (调出本省); 张赟 still valid and now in 材料学院', async () => {
    use(leader)
    await leader.goto('/#/card-holders')
    await waitForRoute(leader, '/card-holders')
    const rows = rowsOf(leader)
    await rows.nth(2).waitFor()
    const wang = rows.filter({ hasText: '王堃' })
    await wang.locator('.card-status[data-status="已失效"]').waitFor()
    assert.ok((await wang.innerText()).includes(`调出本省（${CHANGE_DATE}）`), await wang.innerText())
    await rows.filter({ hasText: '张赟' }).locator('.card-status[data-status="有效"]').waitFor()
    await rows.filter({ hasText: '李喆' }).locator('.card-status[data-status="有效"]').waitFor()
    await shoot(leader, 'holders-after-receipt')

    const zhang = await call(server, 'GET', `/api/talents/${ids.talents.张赟.id}`, undefined, leaderToken)
    assert.equal(zhang.department_id, ids.newDept, '张赟 moved to 材料学院')
    const wangT = await call(server, 'GET', `/api/talents/${ids.talents.王堃.id}`, undefined, leaderToken)
    assert.equal(wangT.department_id, ids.dept, '王堃 keeps his department record')
    // A new card can be recorded for 王堃 now that his is no longer valid.
    await leader.getByRole('button', { name: '登记已有惠才卡', exact: true }).click()
    const dlg = dialog(leader, '登记已有惠才卡')
    await dlg.waitFor()
    const offered = await optionsOf(dlg, leader, 'talent_id')
    assert.ok(offered.some((o) => o.startsWith('王堃（')), `王堃 offered again: ${offered}`)
    assert.ok(!offered.some((o) => o.startsWith('张赟（')), `张赟 holds a valid card: ${offered}`)
    await dlg.getByRole('button', { name: '关闭', exact: true }).click()
    await dlg.waitFor({ state: 'hidden' })
  })

  step('commissioner: 持卡人才 agrees; 王堃 is no longer offered in 变动; the list shows each state', async () => {
    use(staff)
    await staff.goto('/#/card-holders')
    await waitForRoute(staff, '/card-holders')
    const rows = rowsOf(staff)
    await rows.nth(2).waitFor()
    await rows.filter({ hasText: '王堃' }).locator('.card-status[data-status="已失效"]').waitFor()
    assert.equal(await staff.getByRole('button', { name: '登记已有惠才卡', exact: true }).count(), 0, 'leader only')
    await shoot(staff, 'holders-commissioner')

    await openChangePage(staff, '/changes/apply', '专家变动申请')
    await changeRow(staff, '王堃', '调出本省').locator('.state-tag[data-state="accepted"]', { hasText: '省级审核通过' }).waitFor()
    await changeRow(staff, '张赟', '单位内部调动').locator('.state-tag[data-state="accepted"]').waitFor()
    await changeRow(staff, '李喆', '退休').locator('.state-tag[data-state="deleted"]', { hasText: '已删除（单位负责人删除）' }).waitFor()
    await changeRow(staff, '李喆', '其他').locator('.state-tag[data-state="withdrawn"]').waitFor()
    await shoot(staff, 'apply-final')

    await staff.getByRole('button', { name: '变动申请', exact: true }).click()
    const dlg = dialog(staff, '变动')
    await dlg.waitFor()
    await dlg.locator('.el-loading-mask:visible').first().waitFor({ state: 'hidden' })
    const holders = await optionsOf(dlg, staff, 'talent_id')
    assert.deepEqual(holders.sort(), [`李喆（惠才卡号 ${CARDS.李喆}）`, `张赟（惠才卡号 ${CARDS.张赟}）`].sort())
    await dlg.getByRole('button', { name: '关闭', exact: true }).click()
    await dlg.waitFor({ state: 'hidden' })

    assert.deepEqual(leader.pageErrors, [], 'no uncaught errors in the leader page')
    assert.deepEqual(staff.pageErrors, [], 'no uncaught errors in the commissioner page')
  })
})
