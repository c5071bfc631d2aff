// 惠才卡汇总提交 end to end: three applications the unit approved (seeded
// through the API, talents with rare characters 王堃 李喆 张赟) are gathered
// into a batch, exported (zip with the summary sheet and one form per
// application, checked with pdftotext), the stamped scan uploaded and
// previewed, submitted with the leader's password (wrong, then right), the
// signed package checked by `huicai verify` and by OpenSSL (SM2/SM3), a
// province receipt imported (and refused twice: once more, and signed with
// another key), and the commissioner sees 已制卡 / 省级不通过 with the review flow.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe } from 'node:test'
import { promisify } from 'node:util'
import { huicaiBin, sampleSetup, startServer } from '../lib/server.mjs'
import { launchBrowser, newPage, screenshotter, waitForRoute } from '../lib/browser.mjs'
import {
  actAndWaitFor,
  clickAndWaitFor,
  dialog,
  expectFieldError,
  expectMessage,
  fetchInPage,
  flow,
  loginThroughUi,
  logoutThroughUi,
  noMessages,
  tableRows,
  token,
} from '../lib/ui.mjs'
import { call, leaderPassword, rareNames, sampleCommissioner, seedApprovedApplications } from '../lib/seed.mjs'
import { makePdf, readZip, zipEntry } from '../lib/zip.mjs'

const run = promisify(execFile)
const shoot = screenshotter('batch')

/** Runs a command; resolves to { code, stdout, stderr } whatever the exit code. */
async function sh(cmd, args, opts = {}) {
  try {
    const { stdout, stderr } = await run(cmd, args, { encoding: 'utf8', timeout: 60000, ...opts })
    return { code: 0, stdout, stderr }
  } catch (err) {
    if (typeof err.code !== 'number') throw err
    return { code: err.code, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }
  }
}

/** Clicks what starts a download and saves the file as dest; returns the Download. */
async function download(page, dest, click) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }), click()])
  await dl.saveAs(dest)
  assert.equal(await dl.failure(), null, 'download failed')
  return dl
}

/**
 * Closes the open file preview with its 关闭 button, from the keyboard (the
 * button focused, Enter). A mouse click is not reliable here: after a
 * full-page screenshot, headless Chromium now and then routes mouse clicks to
 * the PDF viewer's frame — the page sees no pointer event at all and focus
 * stays in the iframe (about 1 in 10 tries, also repeated clicks); keyboard
 * input to the focused button always arrives.
 */
async function closePreview(preview) {
  await preview.getByRole('button', { name: '关闭', exact: true }).press('Enter')
  await preview.waitFor({ state: 'hidden' })
}

/** Starts a background job through the API and polls it until it ends; returns its status. */
async function runJob(server, urlPath, body, bearer) {
  let job = await call(server, 'POST', urlPath, body, bearer)
  const deadline = Date.now() + 60000
  while (job.state === 'running') {
    if (Date.now() > deadline) throw new Error(`job ${urlPath} still running: ${JSON.stringify(job)}`)
    await new Promise((r) => setTimeout(r, 200))
    job = await call(server, 'GET', `/api/jobs/${job.id}`, undefined, bearer)
  }
  return job
}

/** 'YYYY-MM-DD' plus years, minus one day (how a card's validity is counted). */
function fiveYearsMinusADay(issued) {
  const d = new Date(`${issued}T00:00:00Z`)
  d.setUTCFullYear(d.getUTCFullYear() + 5)
  d.setUTCDate(d.getUTCDate() - 1)
  return d.toISOString().slice(0, 10)
}

describe('惠才卡汇总提交: batch, export, scan, submit, verify, receipt, progress', () => {
  let server
  let browser
  let page
  let bin
  let tmp
  let seeded
  let batchId
  let batchNumber
  const { step, ctx } = flow(shoot)
  const file = (name) => path.join(tmp, name)
  const appOf = (name) => seeded.talents.find((t) => t.name === name).applicationId

  before(async () => {
    bin = await huicaiBin()
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'huicai-e2e-batch-'))
    server = await startServer()
    seeded = await seedApprovedApplications(server)
    browser = await launchBrowser()
    page = await newPage(browser, server.url)
    ctx.page = page
  })

  after(async () => {
    await browser?.close().catch(() => undefined)
    await server?.stop()
    if (tmp && !process.env.E2E_KEEP_DATA) await fs.rm(tmp, { recursive: true, force: true })
  })

  step('the leader sees the three approved applications in 惠才卡汇总提交', async () => {
    await page.goto('/')
    await waitForRoute(page, '/login')
    const res = await loginThroughUi(page, sampleSetup.username, leaderPassword)
    assert.equal(res.status(), 200)
    await waitForRoute(page, '/')
    await page.goto('/#/card-batch')
    await waitForRoute(page, '/card-batch')
    const waiting = page.locator('.el-card', { hasText: '待汇总提交' })
    const rows = tableRows(waiting)
    await rows.nth(2).waitFor()
    assert.equal(await rows.count(), 3)
    const text = await waiting.locator('.el-table').innerText()
    for (const name of rareNames) assert.ok(text.includes(name), `${name} listed`)
    assert.ok(text.includes('泰山学者特聘专家'))
    assert.ok(text.includes('物理学院'), 'department name shown')
    // Nothing chosen yet: 汇总提交 is disabled.
    assert.ok(await page.getByRole('button', { name: '汇总提交', exact: true }).isDisabled())
    await noMessages(page)
    await shoot(page, 'card-batch-waiting')
  })

  step('header checkbox + 汇总提交 → dialog prefilled 张三 / 0531-88364000 → 确定 → batch page HC…', async () => {
    await page.locator('.el-table__header .el-checkbox').first().click()
    await page.locator('.picked', { hasText: '已选择 3 条' }).waitFor()
    await page.getByRole('button', { name: '汇总提交', exact: true }).click()
    const dlg = dialog(page, '汇总提交')
    await dlg.waitFor()
    await dlg.locator('.count', { hasText: '3' }).waitFor()
    const person = dlg.locator('input[name="contact_person"]')
    const phone = dlg.locator('input[name="contact_phone"]')
    await page.waitForFunction(() => document.querySelector('input[name="contact_person"]')?.value === '张三')
    assert.equal(await person.inputValue(), sampleSetup.contact_person)
    assert.equal(await phone.inputValue(), sampleSetup.contact_phone)

    const res = await clickAndWaitFor(page, '确定', 'POST', '/api/batches', dlg)
    assert.ok(res.ok(), `POST /api/batches answered ${res.status()}`)
    const created = await res.json()
    batchId = created.id
    batchNumber = created.number
    assert.match(batchNumber, /^HC\S+$/)
    await waitForRoute(page, `/batches/${batchId}`)
    await expectMessage(page, `已生成汇总提交批次 ${batchNumber}`, 'success')
    const title = page.locator('.batch-title')
    await title.waitFor()
    assert.match((await title.innerText()).replace(/\s+/g, ' '), new RegExp(`惠才卡申领汇总提交 ${batchNumber}`))
    // The summary rows list the three applications.
    const items = page.locator('.el-card', { hasText: '汇总事项（共 3 条）' })
    await items.waitFor()
    const itemsText = await items.innerText()
    for (const name of rareNames) assert.ok(itemsText.includes(name), `${name} in the batch items`)
    await shoot(page, 'batch-created')
  })

  step('before export and upload: 提交 and the scan upload are disabled', async () => {
    const submit = page.locator('.step-submit').getByRole('button', { name: '提交', exact: true })
    await submit.waitFor()
    assert.ok(await submit.isDisabled(), '提交 disabled before export')
    await page.locator('.step-submit', { hasText: '请先完成导出和盖章扫描件上传，再提交。' }).waitFor()
    const upload = page.locator('.step-scan').getByRole('button', { name: '上传盖章扫描件' })
    assert.ok(await upload.isDisabled(), 'scan upload disabled before export')
    // The backend refuses too: submitting a draft (even with the right password) fails its job.
    const job = await runJob(server, `/api/batches/${batchId}/submit`, { password: leaderPassword }, seeded.leaderToken)
    assert.equal(job.state, 'failed', JSON.stringify(job))
    assert.equal(job.error?.message, '请先导出汇总材料')
    const r = await fetchInPage(page, `/api/batches/${batchId}`, await token(page))
    assert.equal(r.body.batch.state, 'draft')
    assert.ok(!r.body.batch.submitted_at, 'not submitted')
  })

  step('导出 → 已于 …; 下载导出材料 gives the summary sheet and one form per talent', async () => {
    await noMessages(page)
    await page.locator('.step-export').getByRole('button', { name: '导出', exact: true }).click()
    await page.locator('.step-export', { hasText: '已于' }).waitFor({ timeout: 60000 })
    await expectMessage(page, '导出完成', 'success')
    const exportsTable = page.locator('.step-export .el-table')
    for (const name of ['惠才卡申领汇总表.xlsx', '惠才卡申领汇总表.pdf']) {
      await exportsTable.getByText(name, { exact: true }).waitFor()
    }
    // Exported: contact fields are frozen.
    assert.ok(await page.locator('input[name="contact_person"]').isDisabled())
    await noMessages(page)
    await shoot(page, 'exported')

    const dl = await download(page, file('exports.zip'), () =>
      page.locator('.step-export').getByRole('button', { name: '下载导出材料' }).click(),
    )
    assert.equal(dl.suggestedFilename(), `${batchNumber}-导出材料.zip`)
    const zip = await fs.readFile(file('exports.zip'))
    const names = readZip(zip).map((e) => e.name)
    assert.ok(names.includes('惠才卡申领汇总表.xlsx'), `xlsx in ${names}`)
    assert.ok(names.includes('惠才卡申领汇总表.pdf'), `pdf in ${names}`)
    const forms = names.filter((n) => n.startsWith('惠才卡申领表/'))
    assert.equal(forms.length, 3, `three forms in ${names}`)
    for (const name of rareNames) {
      assert.ok(
        forms.some((n) => new RegExp(`^惠才卡申领表/0[1-3]-${name}\\.pdf$`).test(n)),
        `form for ${name} in ${forms}`,
      )
    }
    // Numbered 01…03 in the batch's order, each number once.
    assert.deepEqual(forms.map((n) => n.slice('惠才卡申领表/'.length, 2 + '惠才卡申领表/'.length)).sort(), ['01', '02', '03'])
    assert.equal(zipEntry(zip, '惠才卡申领汇总表.xlsx').subarray(0, 2).toString(), 'PK')

    // The summary PDF carries the rare characters as text.
    await fs.writeFile(file('summary.pdf'), zipEntry(zip, '惠才卡申领汇总表.pdf'))
    const summary = await sh('pdftotext', ['-enc', 'UTF-8', file('summary.pdf'), '-'])
    assert.equal(summary.code, 0, summary.stderr)
    const summaryText = summary.stdout.replace(/\s+/g, '')
    for (const name of rareNames) assert.ok(summaryText.includes(name), `${name} in the summary PDF: ${summaryText}`)
    assert.ok(summaryText.includes('张三') && summaryText.includes('0531-88364000'), 'contact on the summary PDF')

    // Each form names its talent.
    for (const n of forms) {
      await fs.writeFile(file('form.pdf'), zipEntry(zip, n))
      const form = await sh('pdftotext', ['-enc', 'UTF-8', file('form.pdf'), '-'])
      assert.equal(form.code, 0, form.stderr)
      const who = n.replace(/^.*\/\d+-|\.pdf$/g, '')
      assert.ok(form.stdout.replace(/\s+/g, '').includes(who), `${who} in ${n}`)
    }
  })

  step('each paper on its own: 打开 shows the summary PDF in a tab of its own; 下载 keeps one form', async () => {
    const papers = page.locator('.step-export .exported-papers')
    const summaryRow = papers.locator('.el-table__row', { hasText: '惠才卡申领汇总表.pdf' })
    const [tab] = await Promise.all([page.waitForEvent('popup'), summaryRow.getByRole('button', { name: '打开' }).click()])
    await tab.waitForURL(/^blob:/, { timeout: 15000 })
    // The tab shows a PDF document of its own (the page's CSP keeps even its own blobs from being fetched back).
    assert.equal(await tab.evaluate(() => document.contentType), 'application/pdf')
    await tab.close()

    const formRow = papers.locator('.el-table__row', { hasText: `-${rareNames[0]}.pdf` })
    const dl = await download(page, file('one-form.pdf'), () => formRow.getByRole('button', { name: '下载' }).click())
    assert.match(dl.suggestedFilename(), new RegExp(`^0[1-3]-${rareNames[0]}\\.pdf$`))
    assert.equal((await fs.readFile(file('one-form.pdf'))).subarray(0, 5).toString(), '%PDF-')
    // A browser cannot show a spreadsheet: it is only downloaded, for Excel/WPS.
    const sheetRow = papers.locator('.el-table__row', { hasText: '惠才卡申领汇总表.xlsx' })
    assert.equal(await sheetRow.getByRole('button', { name: '打开' }).count(), 0)
    const sheet = await download(page, file('one-sheet.xlsx'), () => sheetRow.getByRole('button', { name: '下载' }).click())
    assert.equal(sheet.suggestedFilename(), '惠才卡申领汇总表.xlsx')
    await noMessages(page)
    await shoot(page, 'exported-papers')
  })

  step('the unstamped summary PDF uploaded as the scan is taken but flagged', async () => {
    await page.setInputFiles('input[name="scan"]', {
      name: '扫描件.pdf',
      mimeType: 'application/pdf',
      buffer: zipEntry(await fs.readFile(file('exports.zip')), '惠才卡申领汇总表.pdf'),
    })
    const box = page.locator('.el-message-box', { hasText: '请上传盖章后的扫描件' })
    await box.waitFor()
    assert.match(await box.innerText(), /与导出的“惠才卡申领汇总表\.pdf”完全相同/)
    await page.locator('.step-scan .scan-warning', { hasText: '没有经过打印、签字盖章和扫描' }).waitFor()
    await shoot(page, 'scan-unstamped')
    await box.getByRole('button', { name: 'OK' }).or(box.getByRole('button', { name: '确定' })).click()
    await box.waitFor({ state: 'hidden' })
  })

  step('the exports zip extracts with its Chinese names under Info-ZIP unzip', async () => {
    const listed = await sh('unzip', ['-Z1', file('exports.zip')])
    assert.equal(listed.code, 0, listed.stderr)
    assert.ok(listed.stdout.split('\n').includes('惠才卡申领汇总表.pdf'), listed.stdout)
  })

  step('盖章后上传: a PDF scan → 已上传; 预览 shows it', async () => {
    await page.setInputFiles('input[name="scan"]', {
      name: '盖章扫描件.pdf',
      mimeType: 'application/pdf',
      buffer: makePdf('Stamped summary sheet (scan)'),
    })
    await page.locator('.step-scan', { hasText: '已上传' }).waitFor()
    await expectMessage(page, '盖章扫描件已上传', 'success')
    await page.locator('.step-scan .scan-name', { hasText: '盖章扫描件.pdf' }).waitFor()
    await page.locator('.step-scan .scan-warning').waitFor({ state: 'detached' })
    assert.ok(await page.locator('.step-submit').getByRole('button', { name: '提交', exact: true }).isEnabled())

    await page.locator('.step-scan').getByRole('button', { name: '预览' }).click()
    const preview = page.locator('.el-dialog.file-preview:visible')
    await preview.waitFor()
    await preview.locator('.el-dialog__title', { hasText: '预览 — 盖章扫描件.pdf' }).waitFor()
    await preview.locator('iframe.file-preview__pdf').waitFor()
    await noMessages(page)
    await page.waitForTimeout(1000) // Chromium's PDF viewer draws the page a moment after the frame appears
    await shoot(page, 'scan-preview')
    await closePreview(preview)
  })

  step('提交 with a wrong password → 密码不正确; with Leader@2026 → what to do with the package', async () => {
    await page.locator('.step-submit').getByRole('button', { name: '提交', exact: true }).click()
    const dlg = dialog(page, '确认提交')
    await dlg.waitFor()
    await dlg.locator('input[name="password"]').fill('Wrong@2026')
    // Submitting runs as a job: the wrong password comes back through it, under the field.
    await clickAndWaitFor(page, '确定', 'POST', `/api/batches/${batchId}/submit`, dlg)
    await expectFieldError(page, 'password', '密码不正确')
    await dlg.getByRole('button', { name: '确定', exact: true }).waitFor() // no progress left running
    await shoot(page, 'submit-wrong-password')

    await dlg.locator('input[name="password"]').fill(leaderPassword)
    await dlg.getByRole('button', { name: '确定', exact: true }).click()
    const submitted = page.locator('.step-submit', { hasText: '提交包已生成' })
    await submitted.waitFor({ timeout: 60000 })
    await dlg.waitFor({ state: 'hidden' })
    await expectMessage(page, '已提交，提交包已生成', 'success')
    await page.locator('.batch-title .el-tag', { hasText: '已报送' }).waitFor()
    await noMessages(page)
    // In plain words: the file, what to do with it, what comes next; the package id and SM3 folded away.
    const said = await submitted.innerText()
    for (const words of [`提交包-${batchNumber}.zip`, '报送省级主管部门', '省级审核中', '导入回执']) {
      assert.ok(said.includes(words), `${words} in: ${said}`)
    }
    const sm3Row = page.locator('.step-submit tr', { hasText: 'SM3 哈希' })
    assert.ok(!(await sm3Row.isVisible()), 'the SM3 is folded away')
    await shoot(page, 'submitted')

    const dl = await download(page, file('package.zip'), () =>
      page.locator('.step-submit').getByRole('button', { name: '下载提交包' }).click(),
    )
    assert.equal(dl.suggestedFilename(), `提交包-${batchNumber}.zip`)
    // The SM3 the page shows, once 技术信息 is opened, is the package's hash.
    await page.locator('.step-submit').getByText('技术信息').click()
    await sm3Row.waitFor()
    const shown = (await sm3Row.locator('.mono').innerText()).trim()
    const sm3 = crypto.createHash('sm3').update(await fs.readFile(file('package.zip'))).digest('hex')
    assert.equal(shown.toLowerCase(), sm3)
    const names = readZip(await fs.readFile(file('package.zip'))).map((e) => e.name)
    for (const n of ['manifest.json', 'manifest.sig', 'data.json', 'exports/惠才卡申领汇总表.pdf', 'scan/盖章扫描件.pdf']) {
      assert.ok(names.includes(n), `${n} in package: ${names}`)
    }
  })

  step('huicai verify accepts the package, with and without the unit key from 省级对接', async () => {
    const plain = await sh(bin, ['verify', file('package.zip')])
    assert.equal(plain.code, 0, plain.stdout + plain.stderr)
    assert.match(plain.stdout + plain.stderr, /提交包校验通过/)

    await page.goto('/#/province')
    await waitForRoute(page, '/province')
    const unitKey = page.locator('.unit-key')
    await unitKey.getByText('SM3 指纹').waitFor()
    await download(page, file('unit.pem'), () => unitKey.getByRole('button', { name: '导出单位公钥' }).click())
    const pem = await fs.readFile(file('unit.pem'), 'utf8')
    assert.match(pem, /-----BEGIN PUBLIC KEY-----/)

    const withKey = await sh(bin, ['verify', file('package.zip'), '--pubkey', file('unit.pem')])
    assert.equal(withKey.code, 0, withKey.stdout + withKey.stderr)
    assert.match(withKey.stdout + withKey.stderr, /提交包校验通过/)
  })

  step('OpenSSL verifies manifest.sig over manifest.json with the unit key (SM2, SM3, default ID)', async () => {
    const x = await sh('unzip', ['-o', file('package.zip'), 'manifest.json', 'manifest.sig', '-d', tmp])
    assert.equal(x.code, 0, x.stderr)
    const v = await sh('openssl', [
      'pkeyutl', '-verify', '-pubin', '-inkey', file('unit.pem'), '-rawin', '-digest', 'sm3',
      '-pkeyopt', 'distid:1234567812345678', '-in', file('manifest.json'), '-sigfile', file('manifest.sig'),
    ])
    assert.equal(v.code, 0, v.stdout + v.stderr)
    assert.match(v.stdout, /Signature Verified Successfully/)
  })

  step('province keygen and receipt (李喆 rejected); a second key pair for a forged receipt', async () => {
    for (const dir of ['prov', 'prov2']) {
      const k = await sh(bin, ['province', 'keygen', '--out', file(dir)])
      assert.equal(k.code, 0, k.stdout + k.stderr)
    }
    // The unit key is not the province key: verify with the wrong key fails.
    const wrongKey = await sh(bin, ['verify', file('package.zip'), '--pubkey', file('prov/province.pem')])
    assert.notEqual(wrongKey.code, 0, 'verify with another public key must fail')

    const reject = `${appOf('李喆')}:称号证明材料不清晰`
    const r = await sh(bin, [
      'province', 'receipt', file('package.zip'), '--key', file('prov/province.key'), '--reject', reject,
      '-o', file('receipt.zip'),
    ])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    const forged = await sh(bin, [
      'province', 'receipt', file('package.zip'), '--key', file('prov2/province.key'), '-o', file('receipt-other.zip'),
    ])
    assert.equal(forged.code, 0, forged.stdout + forged.stderr)
  })

  step('省级对接: 配置省级公钥 → 导入回执 → 已办结', async () => {
    const importButton = page.locator('.receipt').getByRole('button', { name: '导入回执' })
    assert.ok(await importButton.isDisabled(), '导入回执 disabled while no province key is set')

    await page.getByRole('button', { name: '配置省级公钥' }).click()
    const dlg = dialog(page, '配置省级公钥')
    await dlg.waitFor()
    await dlg.locator('textarea[name="public_pem"]').fill(await fs.readFile(file('prov/province.pem'), 'utf8'))
    const saved = await clickAndWaitFor(page, '保存', 'PUT', '/api/keys/province', dlg)
    assert.equal(saved.status(), 200)
    await expectMessage(page, '省级公钥已配置', 'success')
    await dlg.waitFor({ state: 'hidden' })
    await page.locator('.province-key .mono').waitFor()
    assert.ok(await importButton.isEnabled())

    const res = await actAndWaitFor(page, 'POST', '/api/receipts', () =>
      page.setInputFiles('input[name="receipt"]', file('receipt.zip')),
    )
    assert.ok(res.ok(), `POST /api/receipts answered ${res.status()}`)
    const done = page.locator('.receipt-done')
    await done.waitFor()
    assert.match(await done.innerText(), new RegExp(`${batchNumber}[\\s\\S]*已办结`))
    await noMessages(page)
    await shoot(page, 'receipt-imported')
  })

  step('the same receipt again → 不能重复导入; a receipt signed by another key → 签名验证失败', async () => {
    const again = await actAndWaitFor(page, 'POST', '/api/receipts', () =>
      page.setInputFiles('input[name="receipt"]', file('receipt.zip')),
    )
    assert.ok(again.status() >= 400)
    const err = page.locator('.receipt-error')
    await err.waitFor()
    assert.match(await err.innerText(), /不能重复导入/)
    assert.equal(await page.locator('.receipt-done').count(), 0)
    await noMessages(page)
    await shoot(page, 'receipt-again')

    const forged = await actAndWaitFor(page, 'POST', '/api/receipts', () =>
      page.setInputFiles('input[name="receipt"]', file('receipt-other.zip')),
    )
    assert.ok(forged.status() >= 400)
    await page.locator('.receipt-error', { hasText: '签名验证失败' }).waitFor()
    await noMessages(page)
    await shoot(page, 'receipt-forged')
  })

  step('the batch page says 已办结 and nothing waits in 惠才卡汇总提交', async () => {
    await page.goto(`/#/batches/${batchId}`)
    await page.locator('.batch-title .el-tag', { hasText: '已办结' }).waitFor()
    await page.locator('.el-alert', { hasText: '该批次已办结' }).waitFor()
    await page.goto('/#/card-batch')
    await page.locator('.el-card', { hasText: '待汇总提交' }).getByText('暂无单位审核通过、待汇总提交的申请').waitFor()
    assert.deepEqual(page.pageErrors, [], 'no uncaught errors in the page')
  })

  step('the commissioner: 审核进度查询 shows 王堃 办结 / 已制卡 with every step done (blue)', async () => {
    await logoutThroughUi(page)
    const res = await loginThroughUi(page, sampleCommissioner.username, sampleCommissioner.password)
    assert.equal(res.status(), 200)
    await waitForRoute(page, '/')
    await page.goto('/#/card-progress')
    await waitForRoute(page, '/card-progress')
    const rows = tableRows(page.locator('.el-table'))
    await rows.nth(2).waitFor()
    const row = (name) => rows.filter({ hasText: name })

    const wang = row('王堃')
    // Columns: 姓名, 所在二级单位, 当前环节, 状态, …
    for (const name of rareNames) assert.equal((await row(name).locator('td').nth(2).innerText()).trim(), '办结')
    await wang.locator('.state-tag', { hasText: '已制卡' }).waitFor()
    await row('张赟').locator('.state-tag', { hasText: '已制卡' }).waitFor()
    await row('李喆').locator('.state-tag', { hasText: '省级不通过' }).waitFor()
    await shoot(page, 'progress')

    await wang.getByRole('button', { name: '查看审核流程' }).click()
    const dlg = dialog(page, '审核流程')
    await dlg.waitFor()
    const steps = dlg.locator('.flow-step')
    await steps.first().waitFor()
    const n = await steps.count()
    assert.ok(n >= 3, `flow has ${n} steps`)
    assert.equal(await dlg.locator('.flow-step--done').count(), n, 'every step done')
    for (let i = 0; i < n; i++) {
      assert.equal(
        await steps.nth(i).evaluate((el) => getComputedStyle(el).color),
        'rgb(31, 95, 209)',
        `step ${i + 1} in blue`,
      )
    }
    await shoot(page, 'flow-wang-all-done')
    await dlg.getByRole('button', { name: '关闭', exact: true }).click()
    await dlg.waitFor({ state: 'hidden' })
  })

  step('李喆: 省级不通过 with the province reason in the flow', async () => {
    const rows = tableRows(page.locator('.el-table'))
    const li = rows.filter({ hasText: '李喆' })
    await li.getByRole('button', { name: '查看审核流程' }).click()
    const dlg = dialog(page, '审核流程')
    await dlg.locator('.flow-step').first().waitFor()
    await dlg.getByText('称号证明材料不清晰').first().waitFor()
    await shoot(page, 'flow-li-rejected')
    await dlg.getByRole('button', { name: '关闭', exact: true }).click()
    await dlg.waitFor({ state: 'hidden' })
  })

  step("王堃's application has a card number valid five years minus a day; 李喆's has none", async () => {
    const tok = await token(page)
    const wang = (await fetchInPage(page, `/api/applications/${appOf('王堃')}`, tok)).body.application
    assert.equal(wang.state, 'issued')
    assert.ok(wang.card_no, 'card_no set')
    assert.match(wang.issued_on, /^\d{4}-\d{2}-\d{2}$/)
    assert.equal(wang.expires_on, fiveYearsMinusADay(wang.issued_on))
    const li = (await fetchInPage(page, `/api/applications/${appOf('李喆')}`, tok)).body.application
    assert.equal(li.card_no, '')
    const zhang = await call(server, 'GET', `/api/applications/${appOf('张赟')}`, undefined, seeded.commissionerToken)
    assert.ok(zhang.application.card_no && zhang.application.card_no !== wang.card_no, 'distinct card numbers')
    assert.deepEqual(page.pageErrors, [], 'no uncaught errors in the page')
  })
})
