// Lists (issue 14, part 3): every list of the leader and the commissioner
// opens with the viewer's to-dos first (待我处理 on where it applies), sorts
// by the columns the server sorts (and only those), filters by 姓名 (part of
// a name, SQL and regex characters taken literally), 证件号码 (the whole
// number only), 状态, 二级单位 and days, pages in one style (共N页 a-b 共N条,
// 10/20/50/100 a page, 前往 … 页, a page past the end shows the last one),
// keeps all that in the address across a reload, and exports the filtered,
// sorted list to Excel row for row (IDs as text; an empty list exports
// nothing and says so). Every table is checked against the API, which pages,
// sorts and filters in SQL. Screenshots of each list at 1366×768.
//
// Seed (through the API): three 二级单位; 27 talents, 25 of them bound to
// the commissioner; their applications 待补充材料 (8), 待单位审核 (12), 退回修改
// (3), 单位审核通过 (2) and, unbound, 待补充材料 (2); 14 card holders (2 of
// them 已过期); 12 change requests 待单位审核 (5), 审核不通过 (4) and 审核通过
// (3); 15 commissioners, 12 of them 待审核.
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { sampleSetup, setupViaApi, startServer } from '../lib/server.mjs'
import { launchBrowser, newPage, screenshotter, waitForRoute } from '../lib/browser.mjs'
import { download } from '../lib/proc.mjs'
import { apiLogin, call, leaderPassword, sampleCommissioner, talentInput, tinyPdf, sampleMaterials } from '../lib/seed.mjs'
import { daysFromToday, TODAY } from '../lib/today.mjs'
import { actAndWaitFor, chooseOption, dataField, expectMessage, flow, loginThroughUi, noMessages, residentId, tableRows } from '../lib/ui.mjs'
import { sheetTable } from '../lib/xlsx.mjs'

const shoot = screenshotter('lists')
const SCREEN = { viewport: { width: 1366, height: 768 } }

const DEPTS = ['物理学院', '化学学院', '材料学院']
const NAMES = [
  '王一鸣', '王二虎', '王三丰', '李四光', '李五常', '张六合', '张七星', '赵八方', '钱九州', '孙十全', '周文华', '吴建国', '郑成功', '冯骥才',
  '陈景润', '褚遂良', '卫青云', '蒋大为', '沈从文', '韩信达', '杨振宁', '朱自清', '秦岭松', '尤小雨', '许地山', '何其芳', '吕叔湘',
]
/** Talents 0–24 are bound to the commissioner; 25 and 26 to no one. */
const BOUND = 25
/** The application each talent's is left in, by talent index. */
const stateOf = (i) =>
  i < 8 || i >= BOUND ? 'supplement' : i < 20 ? 'unit_review' : i < 23 ? 'returned' : 'unit_approved'
/** Card holders: talents 0–13, the last two with cards 已过期. */
const HOLDERS = 14
const issuedOn = (i) => (i < 12 ? daysFromToday(-30 * (i + 1)) : daysFromToday(-(5 * 365 + 30 * (i - 10))))
/** Change requests (退休) for holders 0–11: 待单位审核, 审核不通过, 审核通过. */
const CHANGES = 12
const changeOutcome = (i) => (i < 5 ? '' : i < 9 ? 'reject' : 'approve')
const changeDate = (i) => daysFromToday(-(i + 1) * 3)
/** Commissioners registered besides the sample one: 12 wait for review, 2 are refused, 1 approved. */
const STAFF = 15

const leaderLogin = { username: sampleSetup.username, password: leaderPassword }
const staffLogin = { username: sampleCommissioner.username, password: sampleCommissioner.password }

/**
 * POSTs a registration from workstation n of the office (127.0.0.2, .3 …):
 * the server takes 10 registrations a minute from one address.
 */
function register(server, urlPath, body, n) {
  const payload = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = http.request(
      server.url + urlPath,
      {
        method: 'POST',
        localAddress: `127.0.0.${2 + Math.floor(n / 8)}`,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (d) => (text += d))
        res.on('end', () =>
          res.statusCode < 300 ? resolve(JSON.parse(text)) : reject(new Error(`POST ${urlPath} → ${res.statusCode} ${text}`)),
        )
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

/** A commissioner's registration (i: 0-based among the extra ones). */
function staffInput(i, departmentId) {
  return {
    ...sampleCommissioner,
    name: `专员${String.fromCharCode(0x7532 + i)}`,
    id_number: residentId('370102', '1986-05-20', String(101 + 2 * i)),
    mobile: `1391234${String(5000 + i)}`,
    username: `zy${String(i + 1).padStart(2, '0')}`,
    department_id: departmentId,
  }
}

/**
 * Seeds the server as the header says. Returns { talents: [{ id, name,
 * idNumber, department }], departments: { name: id } }.
 */
async function seedLists(server) {
  await setupViaApi(server)
  const leader = await apiLogin(server, leaderLogin.username, leaderLogin.password)
  const departments = {}
  for (const name of DEPTS) departments[name] = (await call(server, 'POST', '/api/departments', { name }, leader)).id
  let n = 0
  const talents = []
  for (const [i, name] of NAMES.entries()) {
    const department = DEPTS[i % 3]
    const input = talentInput(name, i, departments[department])
    const t = await register(server, '/api/registration/talent', input, n++)
    talents.push({ id: t.id, name, idNumber: input.id_number, department })
  }
  const main = await register(server, '/api/registration/staff', { ...sampleCommissioner, department_id: departments[DEPTS[0]] }, n++)
  await call(server, 'POST', `/api/staff/${main.id}/decision`, { action: 'approve' }, leader)
  for (let i = 0; i < STAFF; i++) {
    const s = await register(server, '/api/registration/staff', staffInput(i, departments[DEPTS[i % 3]]), n++)
    if (i >= 12) {
      const decision = i === 14 ? { action: 'approve' } : { action: 'reject', reason: '信息不实' }
      await call(server, 'POST', `/api/staff/${s.id}/decision`, decision, leader)
    }
  }
  await call(server, 'POST', `/api/staff/${main.id}/talents`, { talent_ids: talents.slice(0, BOUND).map((t) => t.id) }, leader)
  const staff = await apiLogin(server, staffLogin.username, staffLogin.password)
  await moveApplications(server, talents, leader, staff)
  await seedChanges(server, talents, leader, staff)
  return { talents, departments }
}

/** Takes each bound talent's application to stateOf(i). */
async function moveApplications(server, talents, leader, staff) {
  const apps = await call(server, 'GET', '/api/applications?page_size=100', undefined, staff)
  for (const [i, t] of talents.slice(0, BOUND).entries()) {
    if (stateOf(i) === 'supplement') continue
    const a = apps.items.find((x) => x.talent_id === t.id)
    for (const kind of ['id_scan', 'title_proof']) {
      await call(server, 'POST', `/api/applications/${a.id}/attachments?kind=${kind}`, tinyPdf, staff, {
        'Content-Type': 'application/pdf',
        'X-File-Name': `${kind}.pdf`,
      })
    }
    const d = await call(server, 'GET', `/api/applications/${a.id}`, undefined, staff)
    const sub = await call(server, 'POST', `/api/applications/${a.id}/submit`, { version: d.application.version, ...sampleMaterials }, staff)
    if (stateOf(i) === 'unit_review') continue
    const result = stateOf(i) === 'returned' ? { result: 'reject', opinion: '请补充称号文件' } : { result: 'approve' }
    await call(server, 'POST', `/api/applications/${a.id}/review`, { version: sub.application.version, ...result }, leader)
  }
}

/** Records the holders' cards and reports the changes, answered as changeOutcome says. */
async function seedChanges(server, talents, leader, staff) {
  for (let i = 0; i < HOLDERS; i++) {
    const card = { talent_id: talents[i].id, card_no: `SD2025${String(i + 1).padStart(6, '0')}`, issued_on: issuedOn(i) }
    await call(server, 'POST', '/api/cards', card, leader)
  }
  const types = await call(server, 'GET', '/api/change-types', undefined, staff)
  const retire = types.find((t) => t.name === '退休').id
  for (let i = 0; i < CHANGES; i++) {
    const input = { talent_id: talents[i].id, change_type_id: retire, change_date: changeDate(i), description: '办理退休手续。' }
    const { request } = await call(server, 'POST', '/api/changes', input, staff)
    const action = changeOutcome(i)
    if (action) await call(server, 'POST', `/api/changes/${request.id}/decision`, { version: request.version, action, reason: '日期有误' }, leader)
  }
}

// ---- reading a list -------------------------------------------------------

/** The filter bar of the page. */
const filters = (page) => page.locator('.list-filters')

/** The texts of the header cells of the page's table. */
async function headers(page) {
  return (await page.locator('.el-table__header-wrapper th').allInnerTexts()).map((s) => s.trim())
}

/** The rows the table shows, each as the texts of the columns spec.columns names. */
async function shownRows(page, spec) {
  const hs = await headers(page)
  const at = spec.columns.map(([h]) => hs.indexOf(h))
  assert.ok(!at.includes(-1), `columns ${spec.columns.map(([h]) => h)} in ${hs}`)
  const rows = await tableRows(page.locator('.el-card').first()).evaluateAll((trs, cols) =>
    trs.map((tr) => cols.map((c) => tr.querySelectorAll('td')[c].innerText.trim())), at)
  return rows.map((r) => r.join('|'))
}

/** An API row as shownRows shows it. */
const rowKey = (spec) => (item) => spec.columns.map(([, field]) => item[field]).join('|')

/** One page of the list from the API as the viewer sees it: params (strings) as the list endpoint takes them. */
async function apiPage(server, bearer, spec, params) {
  const q = new URLSearchParams({ ...spec.fixed, page: '1', page_size: '10', ...params })
  return call(server, 'GET', `${spec.api}?${q}`, undefined, bearer)
}

/** Every row the filter params select, in their order (for comparing an export). */
async function apiAll(server, bearer, spec, params) {
  const out = []
  for (let p = 1; ; p++) {
    const res = await apiPage(server, bearer, spec, { ...params, page: String(p), page_size: '100' })
    out.push(...res.items)
    if (out.length >= res.total || !res.items.length) return out
  }
}

/** The pagination's 共N页 a-b 共N条. */
const pageInfo = (page) => page.locator('.list-pagination__info').innerText()

/**
 * Waits until the table shows the page the API answers for params, and its
 * pagination says so; returns that answer.
 */
async function expectTable(server, page, bearer, spec, params) {
  const want = await apiPage(server, bearer, spec, params)
  const rows = want.items.map(rowKey(spec))
  const size = Number(params.page_size ?? 10)
  const pages = Math.max(1, Math.ceil(want.total / size))
  const first = want.total ? (Number(params.page ?? 1) - 1) * size + 1 : 0
  const info = `共${pages}页 ${first}-${first ? first + rows.length - 1 : 0} 共${want.total}条`
  const deadline = Date.now() + 5000
  let shown = []
  let said = ''
  while (Date.now() < deadline) {
    shown = await shownRows(page, spec)
    said = (await pageInfo(page)).trim()
    if (JSON.stringify(shown) === JSON.stringify(rows) && said === info) return want
    await page.waitForTimeout(100)
  }
  assert.deepEqual(shown, rows, `${spec.title}: rows for ${JSON.stringify(params)}`)
  assert.equal(said, info, `${spec.title}: pagination for ${JSON.stringify(params)}`)
  return want
}

/** Runs action and waits for the list's GET; returns the query the page asked with. */
async function listCall(page, spec, action) {
  const res = await actAndWaitFor(page, 'GET', spec.api, action)
  assert.equal(res.status(), 200, `${spec.api}: ${await res.text()}`)
  return Object.fromEntries(new URL(res.url()).searchParams)
}

/**
 * Clicks the header of the column named header on its label (sorting it, for
 * a sortable one, in turn up, down and back), clear of the carets that pick
 * an order themselves.
 */
async function clickHeader(page, spec, header) {
  const th = page.locator('.el-table__header-wrapper th', { hasText: new RegExp(`^\\s*${header}\\s*$`) })
  return listCall(page, spec, () => th.locator('.cell').click({ position: { x: 4, y: 4 } }))
}

/** Types the days from and to into the range picker of the filter bar. */
async function typeRange(page, from, to) {
  const inputs = dataField(filters(page), 'dates').locator('input')
  await inputs.nth(0).click()
  await inputs.nth(0).fill(from)
  await inputs.nth(1).click()
  await inputs.nth(1).fill(to)
  await inputs.nth(1).press('Enter')
  if (await page.locator('.el-picker-panel:visible').count()) await page.keyboard.press('Escape')
  await page.locator('.el-picker-panel:visible').waitFor({ state: 'hidden' })
  assert.deepEqual([await inputs.nth(0).inputValue(), await inputs.nth(1).inputValue()], [from, to])
}

/** Picks the page size labelled label (20条/页 …) in the pagination. */
async function pickSize(page, label) {
  await page.locator('.list-pagination .el-pagination__sizes .el-select__wrapper').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: label }).click()
  await page.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden' })
}

/** Waits until the hash route's query has name = value. */
async function expectQuery(page, name, value) {
  await page.waitForFunction(
    ([n, v]) => new URLSearchParams(location.hash.split('?')[1] ?? '').get(n) === v,
    [name, value],
  )
}

/** Fills in one filter of the bar (see the specs' filters). */
async function fillFilter(page, f) {
  const bar = filters(page)
  if (f.input) await bar.locator(`input[name="${f.input}"]`).fill(f.value)
  else if (f.select) await chooseOption(bar, page, f.select, f.value)
  else await typeRange(page, f.from, f.to)
}

/** 重置, and 待我处理 off again where the list has it; answers the page's state then. */
async function resetFilters(page, spec) {
  await listCall(page, spec, () => filters(page).getByRole('button', { name: '重置', exact: true }).click())
  if (spec.todo) await listCall(page, spec, () => dataField(filters(page), 'todo').locator('.el-checkbox').click())
}

/** The 待我处理 checkbox, checked or not; null when the list has none. */
async function todoChecked(page) {
  const box = dataField(filters(page), 'todo').locator('.el-checkbox')
  if (!(await box.count())) return null
  return (await box.getAttribute('class')).includes('is-checked')
}

/** Downloads 导出Excel and reads its table; answers { name, table }. */
async function exportSheet(page, spec, dir) {
  const dest = path.join(dir, `${spec.shot}.xlsx`)
  const dl = await download(page, dest, () => page.getByRole('button', { name: '导出Excel' }).click())
  return { name: dl.suggestedFilename(), table: sheetTable(await fs.readFile(dest), spec.sheet.first) }
}

// ---- the lists --------------------------------------------------------------

/** The lists checked, by their screenshot names (see listSpecs): the commissioner's, then the leader's. */
const LISTS = [
  'staff-talents', 'staff-supplement', 'staff-card-progress', 'staff-change-apply', 'staff-change-progress', 'staff-holders',
  'leader-staff', 'leader-talents', 'leader-unit-review', 'leader-card-progress', 'leader-change-review',
  'leader-change-progress', 'leader-holders', 'leader-audit',
]

/**
 * Each list: who sees it (role) where (route), its endpoint (api, fixed
 * params), the columns compared with the API ([header, field]), the
 * 待我处理 box (todo), the sortable columns ([header, key]), the filters
 * (input name / select data-field / date range, and the params they
 * mean), the filter its export is checked under and the sheet (title, its
 * first header, the column compared).
 */
function listSpecs(seed) {
  const t = (i) => seed.talents[i]
  const department = { select: 'department_id', value: DEPTS[1], params: { department_id: String(seed.departments[DEPTS[1]]) } }
  const byName = { input: 'name', value: '王', params: { name: '王' } }
  const byId = (i) => ({ input: 'id_number', value: t(i).idNumber, params: { id_number: t(i).idNumber } })
  const today = (key = ['from', 'to']) => ({ from: TODAY, to: TODAY, params: { [key[0]]: TODAY, [key[1]]: TODAY } })
  const talents = {
    route: '/talents', title: '高层次人才', api: '/api/talents', columns: [['姓名', 'name']],
    sorts: [['姓名', 'name'], ['所在二级单位', 'department'], ['注册时间', 'created']],
    sheet: { title: '高层次人才列表', first: '姓名', column: 0 },
  }
  const applications = {
    api: '/api/applications', columns: [['姓名', 'name']], sorts: [['状态', 'state'], ['更新时间', 'updated']],
    sheet: { title: '惠才卡申领列表', first: '姓名', column: 0 },
  }
  const state = (label, value) => ({ select: 'state', value: label, params: { state: value } })
  const changes = {
    api: '/api/changes', columns: [['中文名', 'name']], sheet: { title: '专家变动列表', first: '中文名', column: 0 },
  }
  const changeDays = { from: changeDate(7), to: changeDate(2), params: { from: changeDate(7), to: changeDate(2) } }
  const holders = {
    route: '/card-holders', title: '持卡人才', api: '/api/card-holders', columns: [['姓名', 'name']],
    sorts: [['发卡日期', 'issued'], ['有效期至', 'expires']],
    filters: [byName, byId(3), { select: 'state', value: '已过期', params: { status: '已过期' } }, department,
      { from: daysFromToday(1), to: daysFromToday(5 * 365 - 120), params: { expires_from: daysFromToday(1), expires_to: daysFromToday(5 * 365 - 120) } }],
    exportBy: department, sheet: { title: '持卡人才列表', first: '姓名', column: 0 },
  }
  return [
    { ...talents, role: 'commissioner', shot: 'staff-talents', filters: [byName, byId(4), department, today()], exportBy: department },
    {
      ...applications, role: 'commissioner', shot: 'staff-supplement', route: '/supplement', title: '补充材料', todo: true,
      filters: [byName, byId(21), state('退回修改', 'returned'), department, today()], exportBy: state('单位审核通过', 'unit_approved'),
    },
    {
      ...applications, role: 'commissioner', shot: 'staff-card-progress', route: '/card-progress', title: '审核进度查询',
      filters: [byName, byId(9), state('待单位审核', 'unit_review'), department, today()], exportBy: department,
    },
    {
      ...changes, role: 'commissioner', shot: 'staff-change-apply', route: '/changes/apply', title: '专家变动申请', todo: true,
      sorts: [['变动时间', 'change_date'], ['状态', 'state']],
      filters: [byName, byId(6), state('审核通过', 'approved'), department, changeDays], exportBy: state('待单位审核', 'unit_review'),
    },
    {
      ...changes, role: 'commissioner', shot: 'staff-change-progress', route: '/changes/progress', title: '审核进度查询',
      sorts: [['变动时间', 'change_date'], ['状态', 'state'], ['申请时间', 'created']],
      filters: [byName, byId(1), state('审核不通过', 'rejected'), department, changeDays], exportBy: changeDays,
    },
    { ...holders, role: 'commissioner', shot: 'staff-holders' },
    {
      role: 'leader', shot: 'leader-staff', route: '/staff', title: '服务专员审核', api: '/api/staff', fixed: { tab: 'pending' },
      columns: [['用户名', 'username']], sorts: [], filters: [{ input: 'name', value: '专员', params: { name: '专员' } }],
    },
    {
      ...talents, role: 'leader', shot: 'leader-talents',
      filters: [byName, byId(26), department, today(), { select: 'bound', value: '未绑定', params: { bound: 'unbound' } }],
      exportBy: { select: 'bound', value: '已绑定', params: { bound: 'bound' } },
    },
    {
      ...applications, role: 'leader', shot: 'leader-unit-review', route: '/unit-review', title: '单位负责人审核', todo: true,
      filters: [byName, byId(12), state('退回修改', 'returned'), department, today(),
        { select: 'commissioner_id', value: sampleCommissioner.name, params: { commissioner_id: String(seed.staffId) } }],
      exportBy: department,
    },
    {
      ...applications, role: 'leader', shot: 'leader-card-progress', route: '/card-progress', title: '审核进度查询',
      filters: [byName, byId(25), state('待补充材料', 'supplement'), department, today()], exportBy: state('待补充材料', 'supplement'),
    },
    {
      ...changes, role: 'leader', shot: 'leader-change-review', route: '/changes/review', title: '专家变动汇总审核', todo: true,
      sorts: [['变动时间', 'change_date'], ['状态', 'state']],
      filters: [byName, byId(2), state('审核不通过', 'rejected'), department, changeDays], exportBy: department,
    },
    {
      ...changes, role: 'leader', shot: 'leader-change-progress', route: '/changes/progress', title: '审核进度查询',
      sorts: [['变动时间', 'change_date'], ['状态', 'state'], ['申请时间', 'created']],
      filters: [byName, byId(10), state('待单位审核', 'unit_review'), department, changeDays], exportBy: department,
    },
    { ...holders, role: 'leader', shot: 'leader-holders' },
    {
      role: 'leader', shot: 'leader-audit', route: '/audit', title: '审计日志', api: '/api/audit', pageSize: 20,
      columns: [['用户', 'username'], ['操作', 'action'], ['对象', 'object']], sorts: [['时间', 'at']],
      filters: [{ input: 'user', value: sampleCommissioner.username, params: { user: sampleCommissioner.username } },
        { select: 'action', value: '登录', params: { action: '登录' } }, today()],
      exportBy: { select: 'action', value: '登录', params: { action: '登录' } },
      sheet: { title: '审计日志', first: '时间（UTC）', column: 1, field: 'username' },
    },
  ]
}

describe('lists: to-dos first, sorting, filters, one pagination and 导出Excel, checked against the API', () => {
  let server
  let browser
  let seed
  let dir
  /** The signed-in page and API token of each role. */
  const pages = {}
  const tokens = {}
  const setup = flow(shoot)

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'huicai-e2e-lists-'))
    server = await startServer()
    browser = await launchBrowser()
  })

  after(async () => {
    await browser?.close().catch(() => undefined)
    await server?.stop()
    if (dir && !process.env.E2E_KEEP_DATA) await fs.rm(dir, { recursive: true, force: true })
  })

  /** Signs page in through the login page and waits for the main layout. */
  async function signIn(page, { username, password }) {
    await page.goto('/#/login')
    await waitForRoute(page, '/login')
    const res = await loginThroughUi(page, username, password)
    assert.equal(res.status(), 200, `login of ${username}`)
    await page.locator('.el-header .user-name').waitFor()
  }

  /** Opens the list at route (with query) and waits for its rows. */
  async function open(page, spec, query = '') {
    const same = new URL(page.url()).hash.split('?')[0] === `#${spec.route}`
    await listCall(page, spec, async () => {
      await page.goto(`/#${spec.route}${query}`)
      if (same) await page.reload() // the list stays as it is on a new query alone
    })
    await page.locator('.el-breadcrumb', { hasText: spec.title }).waitFor()
    await page.locator('.el-loading-mask:visible').first().waitFor({ state: 'hidden' })
  }

  setup.step('seed through the API: 27 talents in every state, 14 card holders, 12 changes, 15 commissioners', async () => {
    seed = await seedLists(server)
    tokens.leader = await apiLogin(server, leaderLogin.username, leaderLogin.password)
    tokens.commissioner = await apiLogin(server, staffLogin.username, staffLogin.password)
    const staff = await call(server, 'GET', '/api/staff?tab=active&page_size=100', undefined, tokens.leader)
    seed.staffId = staff.items.find((s) => s.username === sampleCommissioner.username).id
    assert.equal(staff.counts.pending, 12)
    const apps = await call(server, 'GET', '/api/applications?todo=1', undefined, tokens.commissioner)
    assert.equal(apps.total, 11, 'the commissioner has 8 待补充材料 and 3 退回修改')
    for (const role of ['leader', 'commissioner']) {
      pages[role] = await newPage(browser, server.url, SCREEN)
      setup.ctx.page = pages[role]
      await signIn(pages[role], role === 'leader' ? leaderLogin : staffLogin)
    }
  })

  /** The checks of one list, each against the API as the same user. */
  async function checkList(spec) {
    const page = pages[spec.role]
    const bearer = tokens[spec.role]
    const size = String(spec.pageSize ?? 10)
    const base = { page_size: size, ...(spec.todo && { todo: '1' }) }
    const expect = (params) => expectTable(server, page, bearer, spec, { ...base, ...params })

    // Opens with the viewer's to-dos where the list has them.
    await open(page, spec)
    assert.equal(await todoChecked(page), spec.todo ? true : null, '待我处理 on by default where it applies')
    const opened = await expect({})
    if (spec.todo) assert.ok(opened.total > 0, 'the seed leaves to-dos on this list')
    await shoot(page, `${spec.shot}-opened`)

    // The columns the server sorts by, and only those, sort: up, down, and back to the list's own order.
    const sortable = (await page.locator('.el-table__header-wrapper th:has(.caret-wrapper)').allInnerTexts()).map((s) => s.trim())
    assert.deepEqual(sortable, spec.sorts.map(([h]) => h), 'sortable columns')
    for (const [header, key] of spec.sorts) {
      assert.equal((await clickHeader(page, spec, header)).sort, key)
      await expect({ sort: key })
      assert.equal((await clickHeader(page, spec, header)).sort, `-${key}`)
      await expect({ sort: `-${key}` })
    }
    if (spec.sorts.length) {
      assert.equal((await clickHeader(page, spec, spec.sorts.at(-1)[0])).sort, undefined)
      await expect({})
    }

    // 待我处理 off: every row the viewer may see.
    if (spec.todo) {
      const asked = await listCall(page, spec, () => dataField(filters(page), 'todo').locator('.el-checkbox').click())
      assert.equal(asked.todo, undefined)
      delete base.todo
      await expect({})
    }

    // Each filter on its own, as the server filters.
    for (const f of spec.filters) {
      await fillFilter(page, f)
      const asked = await listCall(page, spec, () => filters(page).getByRole('button', { name: '查询', exact: true }).click())
      for (const [k, v] of Object.entries(f.params)) assert.equal(asked[k], v, `${k} asked`)
      const got = await expect(f.params)
      assert.ok(got.total > 0, `${JSON.stringify(f.params)} selects rows`)
      await resetFilters(page, spec)
    }
    await expect({})

    // Paging: 前往 page 2, another size (back to page 1), 前往 past the end (the last page), kept across a reload.
    const jump = page.locator('.el-pagination__jump')
    assert.match(await jump.innerText(), /前往\s*页/)
    await listCall(page, spec, async () => {
      await jump.locator('input').fill('2')
      await jump.locator('input').press('Enter')
    })
    await expect({ page: '2' })
    await expectQuery(page, 'page', '2')
    const bigger = spec.pageSize ? '50' : '20'
    await listCall(page, spec, () => pickSize(page, `${bigger}条/页`))
    const sized = await expect({ page_size: bigger })
    const last = String(Math.max(1, Math.ceil(sized.total / Number(bigger))))
    await listCall(page, spec, async () => {
      await jump.locator('input').fill('99')
      await jump.locator('input').press('Enter')
    })
    await expect({ page_size: bigger, page: last })
    await expectQuery(page, 'size', bigger)
    await listCall(page, spec, () => page.reload())
    await expect({ page_size: bigger, page: last })
    await shoot(page, `${spec.shot}-paged`)

    if (spec.sheet) await checkExport(page, bearer, spec, base)
  }

  /** 导出Excel under the spec's filter, sorted by its first sortable column downwards: the sheet holds the same rows. */
  async function checkExport(page, bearer, spec, base) {
    await open(page, spec)
    if (spec.todo) await listCall(page, spec, () => dataField(filters(page), 'todo').locator('.el-checkbox').click())
    await fillFilter(page, spec.exportBy)
    await listCall(page, spec, () => filters(page).getByRole('button', { name: '查询', exact: true }).click())
    const [header, key] = spec.sorts[0]
    await clickHeader(page, spec, header)
    await clickHeader(page, spec, header)
    const params = { ...spec.exportBy.params, sort: `-${key}` }
    const shown = await expectTable(server, page, bearer, spec, { ...base, ...params })
    await shoot(page, `${spec.shot}-export`)
    const { name, table } = await exportSheet(page, spec, dir)
    assert.ok(name.startsWith(spec.sheet.title) && name.endsWith('.xlsx'), `file name ${name}`)
    const want = await apiAll(server, bearer, spec, params)
    assert.equal(want.length, shown.total)
    const field = spec.sheet.field ?? spec.columns[0][1]
    assert.deepEqual(table.rows.map((r) => r[spec.sheet.column]), want.map((x) => x[field]), 'the sheet holds the filtered rows')
    const id = table.headers.indexOf('证件号码')
    if (id >= 0) assert.ok(table.cells.every((r) => r[id].numFmt === 49), 'ID numbers are text cells')
  }

  // Each list on its own: a failure in one does not skip the others.
  for (const shot of LISTS) {
    it(`the list ${shot}`, async (t) => {
      if (!seed || !pages.leader) return t.skip('the seed failed')
      const spec = listSpecs(seed).find((s) => s.shot === shot)
      t.diagnostic(`${spec.role}: ${spec.title} (${spec.route})`)
      try {
        await checkList(spec)
      } catch (err) {
        const file = await shoot(pages[spec.role], `${shot}-FAILED`).catch(() => '')
        if (file) t.diagnostic(`screenshot of the failure: ${file}`)
        throw err
      }
      assert.deepEqual(pages[spec.role].pageErrors, [], 'no uncaught errors in the page')
    })
  }

  it('search text is taken literally, an ID number must be whole, an empty list exports nothing', async (t) => {
    if (!seed || !pages.leader) return t.skip('the seed failed')
    const page = pages.leader
    const spec = listSpecs(seed).find((s) => s.shot === 'leader-talents')
    await open(page, spec)
    for (const [input, value] of [['name', '%'], ['name', '_'], ['name', "'"], ['name', '.*'], ['id_number', seed.talents[0].idNumber.slice(0, 10)]]) {
      await filters(page).locator(`input[name="${input}"]`).fill(value)
      const asked = await listCall(page, spec, () => filters(page).getByRole('button', { name: '查询', exact: true }).click())
      assert.equal(asked[input], value)
      const got = await expectTable(server, page, tokens.leader, spec, { [input]: value })
      assert.equal(got.total, 0, `${input} ${value} matches nothing`)
      await filters(page).locator(`input[name="${input}"]`).fill('')
    }
    await noMessages(page)
    let downloads = 0
    page.on('download', () => downloads++)
    await page.getByRole('button', { name: '导出Excel' }).click()
    await expectMessage(page, '当前筛选条件下没有数据，无需导出', 'warning')
    await page.waitForTimeout(500)
    assert.equal(downloads, 0, 'no file for an empty list')
    await shoot(page, 'empty-export-refused')
  })

  it('a page number past the end in the address shows the last page; 系统首页 links open the right to-dos', async (t) => {
    if (!seed || !pages.commissioner) return t.skip('the seed failed')
    const page = pages.commissioner
    const spec = listSpecs(seed).find((s) => s.shot === 'staff-supplement')
    await open(page, spec, '?todo=0&page=9')
    await expectTable(server, page, tokens.commissioner, spec, { page: '3' })
    await expectQuery(page, 'page', '3')
    await page.goto('/#/')
    await waitForRoute(page, '/')
    await listCall(page, spec, () => page.locator('.todo-card[data-todo="returned"]').click())
    assert.equal(await todoChecked(page), true)
    await expectTable(server, page, tokens.commissioner, spec, { todo: '1', state: 'returned' })
    await shoot(page, 'home-link-returned')
  })
})
