// 批量导入 end to end: the leader downloads 高层次人才导入模板.xlsx, fills it
// (e2e/xlsx, as a user typing) with 200 rows — rare-character names among
// them — of which 15 are wrong in 15 different ways, uploads it, reads the
// preview's error list, downloads the error report (the sheet with its
// 错误说明 column), imports the 185 good rows, and sees the same file again
// change nothing; then 批量登记已有惠才卡 brings in the cards three of them
// already hold.
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe } from 'node:test'
import { sampleSetup, setupViaApi, startServer } from '../lib/server.mjs'
import { launchBrowser, newPage, screenshotter, waitForRoute } from '../lib/browser.mjs'
import { dialog, expectMessage, fetchInPage, flow, loginThroughUi, noMessages, residentId, token, wrongCheck } from '../lib/ui.mjs'
import { apiLogin, call, leaderPassword } from '../lib/seed.mjs'
import { download, sh } from '../lib/proc.mjs'
import { readSheet, sheetTable } from '../lib/xlsx.mjs'

const shoot = screenshotter('import')
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const rare = ['王堃', '李喆', '张赟', '陈镕', '刘珺']

/** Row n of the sheet (12 columns, the template's order), valid: born 1980 + n days. */
function goodRow(n) {
  const born = new Date(Date.UTC(1980, 0, 1 + n)).toISOString().slice(0, 10)
  const name = n <= rare.length ? rare[n - 1] : `${rare[n % rare.length]}${n}`
  return [name, '', '', '', '居民身份证', residentId('370102', born, '011'),
    `139${String(n).padStart(8, '0')}`, `r${n}@sdu.edu.cn`, '物理学院', '泰山学者', '泰山学者特聘专家', '2020-09-01']
}

/** The 15 wrong rows: [what is changed, the column the preview names, words of its message]. */
const wrongs = [
  [(r) => (r[5] = wrongCheck(r[5])), '证件号码', '校验位'],
  [(r) => (r[2] = '1970-01-01'), '证件号码', '出生日期'],
  [(r) => (r[1] = '女'), '证件号码', '性别'],
  [(r) => (r[6] = '1390000'), '手机号码', '手机号码'],
  [(r) => (r[8] = '不存在学院'), '所在二级单位', '不存在'],
  [(r) => (r[9] = '外星人才'), '人才类别', '不在本单位'],
  [(r) => (r[10] = '不存在的称号'), '人才称号', '不在本单位'],
  [(r) => (r[0] = ''), '姓名', '请填写姓名'],
  [(r) => (r[7] = 'not-an-email'), '电子邮箱', '电子邮箱'],
  [(r) => (r[5] = '3.70102E+17'), '证件号码', '存成了数字'],
  [(r) => (r[11] = '2099-01-01'), '称号获得时间', '称号获得时间'],
  [(r) => (r[0] = '名'.repeat(51)), '姓名', '不能超过'],
  [(r) => (r[4] = '军官证'), '证件类型', '证件类型'],
  [(r) => (r[8] = ''), '所在二级单位', '请选择'],
  [(r, rows) => (r[5] = rows[0][5]), '证件号码', '与第 3 行重复'],
]

describe('批量导入: template, 200 rows with 15 wrong, preview, error report, import, again', () => {
  let server
  let browser
  let page
  let tmp
  let xlsxTool
  const { step, ctx } = flow(shoot)
  const file = (name) => path.join(tmp, name)
  const rows = []
  const wrongAt = new Map() // sheet row number → [column, words]

  before(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'huicai-e2e-import-'))
    xlsxTool = file('xlsx-tool')
    const built = await sh('go', ['build', '-o', xlsxTool, './e2e/xlsx'], { cwd: repo, timeout: 180000 })
    assert.equal(built.code, 0, built.stderr)
    server = await startServer()
    await setupViaApi(server)
    const leader = await apiLogin(server, sampleSetup.username, leaderPassword)
    await call(server, 'POST', '/api/departments', { name: '物理学院' }, leader)
    browser = await launchBrowser()
    page = await newPage(browser, server.url)
    ctx.page = page
  })

  after(async () => {
    await browser?.close().catch(() => undefined)
    await server?.stop()
    if (tmp && !process.env.E2E_KEEP_DATA) await fs.rm(tmp, { recursive: true, force: true })
  })

  step('高层次人才 → 批量导入 → 下载导入模板: headers, dropdown lists, text columns, example row', async () => {
    await page.goto('/')
    await waitForRoute(page, '/login')
    await loginThroughUi(page, sampleSetup.username, leaderPassword)
    await waitForRoute(page, '/')
    await page.goto('/#/talents')
    await waitForRoute(page, '/talents')
    await page.getByRole('button', { name: '批量导入' }).click()
    const dlg = dialog(page, '批量导入高层次人才')
    await dlg.waitFor()
    await shoot(page, 'dialog')
    const dl = await download(page, file('template.xlsx'), () => dlg.getByRole('button', { name: '下载导入模板' }).click())
    assert.equal(dl.suggestedFilename(), '高层次人才导入模板.xlsx')
    const sheet = readSheet(await fs.readFile(file('template.xlsx')))
    const header = sheet.get(1).map((c) => c.text)
    assert.deepEqual(header, ['姓名', '性别', '出生日期', '国籍（地区）', '证件类型', '证件号码', '手机号码', '电子邮箱',
      '所在二级单位', '人才类别', '人才称号', '称号获得时间'])
    assert.match(sheet.get(2)[0].text, /^示例/)
  })

  step('fill 200 rows (15 wrong) and upload → the preview lists each wrong row with its column and reason', async () => {
    for (let n = 1; n <= 200; n++) rows.push(goodRow(n))
    wrongs.forEach(([change, column, words], i) => {
      const at = 10 + i * 12 // spread through the sheet
      change(rows[at], rows)
      wrongAt.set(at + 3, [column, words]) // the header, the example, then rows from 3
    })
    await fs.writeFile(file('rows.json'), JSON.stringify(rows))
    const filled = await sh(xlsxTool, [file('template.xlsx'), '高层次人才', '3', file('rows.json'), file('filled.xlsx')])
    assert.equal(filled.code, 0, filled.stderr)

    const dlg = dialog(page, '批量导入高层次人才')
    await page.setInputFiles('input[name="import"]', file('filled.xlsx'))
    await dlg.locator('.counts').waitFor()
    const counts = await dlg.locator('.counts').innerText()
    assert.match(counts, /数据行\s*200/)
    assert.match(counts, /可以导入\s*185/)
    assert.match(counts, /有错误\s*15/)
    const preview = await fetchPreview()
    for (const [row, [column, words]] of wrongAt) {
      const said = preview.problems.filter((x) => x.row === row)
      assert.ok(
        said.some((p) => p.column === column && p.message.includes(words)),
        `row ${row} should have a ${column} problem saying ${words}: ${JSON.stringify(said)}`,
      )
    }
    assert.equal(new Set(preview.problems.map((p) => p.row)).size, 15)
    await dlg.locator('.problems').waitFor()
    await noMessages(page)
    await shoot(page, 'preview')
  })

  /** The preview as the API answers the same upload (the dialog shows a page of it). */
  async function fetchPreview() {
    const bearer = await token(page)
    const res = await fetch(`${server.url}/api/talents/import`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bearer}`, 'X-File-Name': encodeURIComponent('filled.xlsx'), 'Content-Type': 'application/octet-stream' },
      body: await fs.readFile(file('filled.xlsx')),
    })
    assert.equal(res.status, 200)
    return res.json()
  }

  step('下载错误报告: the sheet itself with a 错误说明 column on each wrong row', async () => {
    // The API call above replaced the dialog's upload: upload again so the dialog's report is current.
    const dlg = dialog(page, '批量导入高层次人才')
    await dlg.getByRole('button', { name: '重新上传' }).click()
    await page.setInputFiles('input[name="import"]', file('filled.xlsx'))
    await dlg.locator('.counts').waitFor()
    const dl = await download(page, file('report.xlsx'), () => dlg.getByRole('button', { name: '下载错误报告' }).click())
    assert.equal(dl.suggestedFilename(), '错误报告-filled.xlsx')
    const table = sheetTable(await fs.readFile(file('report.xlsx')), '姓名')
    assert.equal(table.headers.at(-1), '错误说明')
    table.rows.forEach((r, i) => {
      const row = i + 2 // the table starts under the header: the example is row 2
      const note = r.at(-1)
      if (wrongAt.has(row)) assert.ok(note.includes(wrongAt.get(row)[0]), `row ${row}: ${note}`)
      else assert.equal(note, '', `row ${row} has no error: ${note}`)
    })
  })

  step('仅导入无误的行 → 185 imported, rare names listed; the same file again imports nothing', async () => {
    const dlg = dialog(page, '批量导入高层次人才')
    await dlg.getByRole('radio', { name: /仅导入无误的行/ }).check()
    await dlg.getByRole('button', { name: '开始导入' }).click()
    const done = page.locator('.el-message-box', { hasText: '导入完成' })
    await done.waitFor({ timeout: 30000 })
    assert.match(await done.innerText(), /已导入 185 人；15 行有错误，未导入/)
    await shoot(page, 'imported')
    await done.getByRole('button').last().click()
    const bearer = await token(page)
    for (const name of rare) {
      const list = await fetchInPage(page, `/api/talents?page_size=100&name=${encodeURIComponent(name)}`, bearer)
      assert.ok(list.body.items.some((t) => t.name === name), `${name} listed`)
    }
    const all = await fetchInPage(page, '/api/talents?page_size=10', bearer)
    assert.equal(all.body.total, 185)

    await page.getByRole('button', { name: '批量导入' }).click()
    await page.setInputFiles('input[name="import"]', file('filled.xlsx'))
    await dlg.getByText('185 人已在惠才通中登记').waitFor()
    assert.match(await dlg.locator('.counts').innerText(), /可以导入\s*0/)
    assert.ok(await dlg.getByRole('button', { name: '开始导入' }).isDisabled())
    await shoot(page, 'again')
  })

  step('持卡人才 → 批量登记已有惠才卡: three cards of imported talents in, one of nobody refused', async () => {
    await page.keyboard.press('Escape')
    await page.goto('/#/card-holders')
    await waitForRoute(page, '/card-holders')
    await page.goto('/#/card-holders')
    await waitForRoute(page, '/card-holders')
    await page.getByRole('button', { name: '批量登记已有惠才卡' }).click()
    const dlg = dialog(page, '批量登记已有惠才卡')
    await dlg.waitFor()
    const dl = await download(page, file('cards-template.xlsx'), () => dlg.getByRole('button', { name: '下载导入模板' }).click())
    assert.equal(dl.suggestedFilename(), '已有惠才卡导入模板.xlsx')
    const cards = rows.slice(0, 3).map((r, i) => [r[0], '居民身份证', r[5], `鲁惠才202400000${i + 1}`, '2024-06-15', ''])
    cards.push(['无此人', '居民身份证', residentId('370102', '1990-01-01', '011'), '鲁惠才2024000009', '2024-06-15', ''])
    await fs.writeFile(file('cards.json'), JSON.stringify(cards))
    const filled = await sh(xlsxTool, [file('cards-template.xlsx'), '已有惠才卡', '3', file('cards.json'), file('cards.xlsx')])
    assert.equal(filled.code, 0, filled.stderr)
    await page.setInputFiles('input[name="import"]', file('cards.xlsx'))
    await dlg.locator('.counts').waitFor()
    assert.match(await dlg.locator('.counts').innerText(), /可以导入\s*3[\s\S]*有错误\s*1/)
    await dlg.getByText('惠才通中没有该证件号码的高层次人才').waitFor()
    await shoot(page, 'cards-preview')
    await dlg.getByRole('button', { name: '开始导入' }).click()
    const done = page.locator('.el-message-box', { hasText: '导入完成' })
    await done.waitFor()
    assert.match(await done.innerText(), /已导入 3 张惠才卡；1 行有错误，未导入/)
    await done.getByRole('button').last().click()
    for (const name of rare.slice(0, 3)) await page.locator('.el-table__row', { hasText: name }).first().waitFor()
    assert.ok(await page.getByText('2029-06-14').first().isVisible())
    await shoot(page, 'cards-imported')
    // 到期提醒 as a quick filter: none of the three lapses within 90 days.
    await page.locator('.due-filter').getByText('90 天内到期的惠才卡（0）').click()
    await page.getByText('暂无持卡人才').waitFor()
    await page.locator('.due-filter').getByText('全部', { exact: true }).click()
    await page.locator('.el-table__row', { hasText: rare[0] }).first().waitFor()
  })

  step('人才详情 → 开通登录账号: an imported talent gets a username and a temporary password shown once', async () => {
    await page.goto('/#/talents?name=王堃&size=50')
    await waitForRoute(page, '/talents')
    const row = page.locator('.el-table__row').filter({ has: page.getByText('王堃', { exact: true }) })
    await row.getByRole('button', { name: '查看' }).click()
    const dlg = dialog(page, '人才详情')
    await dlg.getByText('尚未开通').waitFor()
    await dlg.locator('input[name="username"]').fill('wangkun')
    await dlg.getByRole('button', { name: '开通', exact: true }).click()
    const told = page.locator('.el-message-box', { hasText: '登录账号已开通' })
    await told.waitFor()
    assert.match(await told.innerText(), /用户名：wangkun[\s\S]*临时密码：\S{12}/)
    await shoot(page, 'account-opened')
    await told.getByRole('button').last().click()
    await dlg.getByText('wangkun', { exact: true }).waitFor()
    await page.keyboard.press('Escape')
  })

  step('系统首页: the charts count what their lists show; a bar opens its list', async () => {
    await page.goto('/#/')
    await waitForRoute(page, '/')
    const dept = page.locator('[data-chart="departments"] canvas')
    await dept.waitFor()
    await page.waitForTimeout(800) // the charts' entry animation
    await shoot(page, 'home-charts')
    const bearer = await token(page)
    const charts = (await fetchInPage(page, '/api/home/charts', bearer)).body
    const physics = charts.departments.find((d) => d.label === '物理学院')
    assert.equal(physics.count, 3)
    assert.equal(charts.categories.find((c) => c.label === '泰山学者').count, 3)
    assert.equal(charts.applications.find((a) => a.key === 'supplement').count, 182) // 185 opened, 3 dropped with their cards
    await dept.scrollIntoViewIfNeeded()
    const box = await dept.boundingBox()
    await page.mouse.click(box.x + box.width / 2, box.y + box.height - 80) // the one bar, above the axis labels
    await waitForRoute(page, '/card-holders')
    await page.locator('.list-pagination', { hasText: '共3条' }).waitFor()
    await shoot(page, 'chart-opened-list')
  })

  step('a file that is not xlsx is refused with a message', async () => {
    await page.goto('/#/card-holders')
    await waitForRoute(page, '/card-holders')
    await page.getByRole('button', { name: '批量登记已有惠才卡' }).click()
    const dlg = dialog(page, '批量登记已有惠才卡')
    await dlg.waitFor()
    await page.setInputFiles('input[name="import"]', { name: '人才.xls', mimeType: 'application/vnd.ms-excel', buffer: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]) })
    await expectMessage(page, '另存为', 'error')
  })
})
