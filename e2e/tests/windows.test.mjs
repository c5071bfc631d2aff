// The Windows build under Wine, run by scripts/windows-lane.sh: HUICAI_BIN is
// huicai.exe started through Wine (Linux paths reach it as Z: paths). One
// pass over every area — first-run setup and login in the browser,
// registration, upload, export, the package and `huicai verify`, the
// province receipt, backup and restore — in a data folder with Chinese
// characters and spaces whose stored documents lie past MAX_PATH, an
// attachment with a long name, files written by huicai.exe into Chinese
// paths; then what only Windows has: the default data folder
// %AppData%\huicai, and the DPAPI-protected data key, useless to another
// Windows user until restored from its recovery copy. Outside the lane the
// file is skipped. (All e2e files under Wine: make test-windows.)
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe } from 'node:test'
import { freePort, huicaiBin, sampleSetup, startServer } from '../lib/server.mjs'
import { fillByName, launchBrowser, newPage, screenshotter, waitForRoute } from '../lib/browser.mjs'
import { clickAndWaitFor, expectMessage, flow, loginThroughUi } from '../lib/ui.mjs'
import { apiLogin, call, leaderPassword, seedApprovedApplications, talentInput } from '../lib/seed.mjs'
import { tinyPdf } from '../lib/files.mjs'
import { sh } from '../lib/proc.mjs'
import { readZip } from '../lib/zip.mjs'

// Set by scripts/windows-lane.sh: the Wine prefix HUICAI_BIN runs in, and
// huicai.exe as another Windows user (the Unix user HUICAI_WINE_OTHER_OWNER
// in a prefix of its own) with a folder that user owns.
const prefix = process.env.HUICAI_WINE_PREFIX
const otherBin = process.env.HUICAI_BIN_OTHER_USER
const otherHome = process.env.HUICAI_WINE_OTHER_HOME
const otherOwner = process.env.HUICAI_WINE_OTHER_OWNER

const shoot = screenshotter('windows')
const wine = { timeout: 120000 } // a wine start on a loaded machine takes a while
const passphrase = '山东大学人才办2026年口令'

/** How Windows sees a Linux path under Wine: Z:\… (its length counts UTF-16 units, as MAX_PATH does). */
const winPath = (p) => 'Z:' + p.replaceAll('/', '\\')

/**
 * A data folder with Chinese characters and spaces, deep enough that the
 * stored documents (…\files\xx\<64 hex digits>) lie past MAX_PATH (260).
 */
async function deepDataDir(tmp) {
  let dir = path.join(tmp, '用户 数据', '惠才通 数据')
  for (let n = 1; winPath(dir).length < 195; n++) dir = path.join(dir, `第${n}层 文件夹`)
  await fs.mkdir(dir, { recursive: true })
  return dir
}

/** The Windows paths of the files under dir, longest first. */
async function windowsPaths(dir) {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => winPath(path.join(e.parentPath, e.name)))
    .sort((a, b) => b.length - a.length)
}

/** Starts a background job through the API and polls it until it ends; returns its final state. */
async function runJob(server, urlPath, body, bearer) {
  let job = await call(server, 'POST', urlPath, body, bearer)
  const deadline = Date.now() + 120000
  while (job.state === 'running') {
    if (Date.now() > deadline) throw new Error(`job ${urlPath} still running: ${JSON.stringify(job)}`)
    await new Promise((r) => setTimeout(r, 200))
    job = await call(server, 'GET', `/api/jobs/${job.id}`, undefined, bearer)
  }
  assert.equal(job.state, 'done', `${urlPath}: ${JSON.stringify(job)}`)
  return job
}

/** GETs a file from the API; returns { body (Buffer), headers }. */
async function fetchFile(server, urlPath, bearer) {
  const res = await fetch(server.url + urlPath, { headers: { Authorization: `Bearer ${bearer}` } })
  assert.equal(res.status, 200, `${urlPath}: ${res.status}`)
  return { body: Buffer.from(await res.arrayBuffer()), headers: res.headers }
}

/** Writes data into file, making its folders. */
async function writeFile(file, data) {
  await fs.mkdir(path.dirname(file), { recursive: true })
  await fs.writeFile(file, data)
}

/** Hands path (and everything under it) to the other user; root or sudo -n. */
async function giveToOtherUser(p) {
  const [cmd, ...args] = process.getuid() === 0 ? ['chown'] : ['sudo', '-n', 'chown']
  const r = await sh(cmd, [...args, '-R', otherOwner, p])
  assert.equal(r.code, 0, `chown ${p}: ${r.stderr}`)
}

const onlyInTheLane = { skip: prefix ? false : 'only in the Windows lane (scripts/windows-lane.sh)' }

describe('Windows: huicai.exe under Wine', onlyInTheLane, () => {
  let server, browser, page, bin, tmp, dataDir, seeded, batchId, leaderToken
  const { step, ctx } = flow(shoot)
  const file = (...names) => path.join(tmp, ...names)

  before(async () => {
    bin = await huicaiBin()
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'huicai-windows-'))
    dataDir = await deepDataDir(tmp)
    server = await startServer({ dataDir, timeoutMs: 120000 })
    browser = await launchBrowser()
    page = await newPage(browser, server.url)
    ctx.page = page
  })

  after(async () => {
    await browser?.close().catch(() => undefined)
    await server?.stop()
    if (tmp && !process.env.E2E_KEEP_DATA) await fs.rm(tmp, { recursive: true, force: true })
  })

  step('huicai.exe serves from a folder with Chinese characters and spaces; first-run setup in the browser', async () => {
    assert.match(server.output(), /数据文件夹 Z:\\.*\\用户 数据\\惠才通 数据\\/)
    await page.goto('/')
    await waitForRoute(page, '/setup')
    await fillByName(page, { ...sampleSetup, setup_token: server.setupToken })
    const res = await clickAndWaitFor(page, '完成设置', 'POST', '/api/setup')
    assert.ok(res.ok(), `POST /api/setup answered ${res.status()}`)
    await expectMessage(page, '设置完成，请使用单位负责人账号登录', 'success')
    await waitForRoute(page, '/login')
    await shoot(page, 'setup-done')
  })

  step('the leader signs in through the browser', async () => {
    const res = await loginThroughUi(page, sampleSetup.username, leaderPassword)
    assert.equal(res.status(), 200)
    await waitForRoute(page, '/')
    await page.locator('.el-header').getByText(sampleSetup.unit_name).waitFor()
    await shoot(page, 'home')
  })

  step('registration and upload: talents and a commissioner register, attachments upload, the leader approves', async () => {
    seeded = await seedApprovedApplications(server, { setup: false, names: ['王堃', '李喆'] })
    leaderToken = seeded.leaderToken
    assert.equal(seeded.talents.length, 2)
  })

  step('an attachment named with over 80 characters uploads and downloads; stored files lie past MAX_PATH', async () => {
    const t = await call(server, 'POST', '/api/registration/talent', talentInput('张赟', 2, seeded.departmentId))
    await call(server, 'POST', `/api/staff/${seeded.staffId}/talents`, { talent_ids: [t.id] }, leaderToken)
    const apps = await call(server, 'GET', '/api/applications?page_size=100', undefined, seeded.commissionerToken)
    const app = apps.items.find((a) => a.talent_id === t.id)
    const stem =
      '山东大学物理学院泰山学者特聘专家张赟同志居民身份证正反面扫描件（2026年度惠才卡申领材料，' +
      '单位人才工作办公室已核对原件并加盖公章后扫描留存，共两页，供省级审核使用）'
    assert.ok(stem.length > 80, `${stem.length} characters`)
    const content = tinyPdf('long name')
    const att = await call(server, 'POST', `/api/applications/${app.id}/attachments?kind=id_scan`, content,
      seeded.commissionerToken, { 'Content-Type': 'application/pdf', 'X-File-Name': encodeURIComponent(`${stem}.pdf`) })
    // The display name keeps the first 80 characters and the extension.
    assert.equal(att.file.name, `${stem.slice(0, 80)}.pdf`)
    const url = `/api/applications/${app.id}/attachments/${att.id}/content`
    const got = await fetchFile(server, url, seeded.commissionerToken)
    assert.ok(got.body.equals(content), 'the downloaded attachment is what was uploaded')
    assert.equal(got.headers.get('content-disposition'), `inline; filename*=UTF-8''${encodeURIComponent(att.file.name)}`)
    const [longest] = await windowsPaths(path.join(dataDir, 'files'))
    assert.ok(longest.length > 260, `the longest stored path has ${longest.length} characters: ${longest}`)
  })

  step('export: the batch\'s summary sheet and forms, as a zip', async () => {
    const b = await call(server, 'POST', '/api/batches', {
      kind: 'card',
      item_ids: seeded.talents.map((t) => t.applicationId),
      contact_person: sampleSetup.contact_person,
      contact_phone: sampleSetup.contact_phone,
    }, leaderToken)
    batchId = b.id
    await runJob(server, `/api/batches/${batchId}/export`, undefined, leaderToken)
    const zip = await fetchFile(server, `/api/batches/${batchId}/exports/download`, leaderToken)
    const names = readZip(zip.body).map((e) => e.name)
    for (const n of ['惠才卡申领汇总表.xlsx', '惠才卡申领汇总表.pdf']) assert.ok(names.includes(n), `${n} in ${names}`)
  })

  step('package: the stamped scan, the signed package, and huicai.exe verify on it in a Chinese path', async () => {
    await call(server, 'POST', `/api/batches/${batchId}/scan`, tinyPdf('stamped'), leaderToken, {
      'Content-Type': 'application/pdf',
      'X-File-Name': encodeURIComponent('盖章扫描件.pdf'),
    })
    await runJob(server, `/api/batches/${batchId}/submit`, { password: leaderPassword }, leaderToken)
    const pkg = await fetchFile(server, `/api/batches/${batchId}/package/download`, leaderToken)
    await writeFile(file('提交 包', '山东大学 提交包.zip'), pkg.body)
    const v = await sh(bin, ['verify', file('提交 包', '山东大学 提交包.zip')], wine)
    assert.equal(v.code, 0, v.stdout + v.stderr)
    assert.match(v.stdout + v.stderr, /提交包校验通过/)
  })

  step('receipt: huicai.exe writes the province keys and receipt into Chinese paths; importing it issues the cards', async () => {
    const keys = file('省级 密钥')
    const k = await sh(bin, ['province', 'keygen', '--out', keys], wine)
    assert.equal(k.code, 0, k.stdout + k.stderr)
    const receipt = file('回执 文件', '省级回执 2026.zip')
    await fs.mkdir(path.dirname(receipt))
    const r = await sh(bin, ['province', 'receipt', file('提交 包', '山东大学 提交包.zip'),
      '--key', path.join(keys, 'province.key'), '-o', receipt], wine)
    assert.equal(r.code, 0, r.stdout + r.stderr)
    const pem = await fs.readFile(path.join(keys, 'province.pem'), 'utf8')
    await call(server, 'PUT', '/api/keys/province', { public_pem: pem }, leaderToken)
    const zip = { 'Content-Type': 'application/zip' }
    await call(server, 'POST', '/api/receipts', await fs.readFile(receipt), leaderToken, zip)
    const a = await call(server, 'GET', `/api/applications/${seeded.talents[0].applicationId}`, undefined, leaderToken)
    assert.equal(a.application.state, 'issued')
  })

  step('the browser shows the batch 已办结', async () => {
    await page.goto(`/#/batches/${batchId}`)
    await page.locator('.batch-title .el-tag', { hasText: '已办结' }).waitFor()
    await shoot(page, 'batch-done')
  })

  step('backup and restore: a department added after the backup is gone after restoring it', async () => {
    const backup = await runJob(server, '/api/backups', undefined, leaderToken)
    await call(server, 'POST', '/api/departments', { name: '备份之后的学院' }, leaderToken)
    await runJob(server, `/api/backups/${backup.result.name}/restore`, undefined, leaderToken)
    const again = await apiLogin(server, sampleSetup.username, leaderPassword)
    const deps = await call(server, 'GET', '/api/departments', undefined, again)
    assert.ok(!JSON.stringify(deps).includes('备份之后的学院'), 'the restore did not bring the backup back')
    assert.ok(JSON.stringify(deps).includes('物理学院'))
  })

  step('DPAPI: the key opens for its user in a new process; huicai.exe writes the recovery copy into a Chinese path', async () => {
    await server.stop({ keepData: true })
    await writeFile(file('口令.txt'), passphrase + '\n')
    const recovery = file('恢复 密钥', '恢复密钥 山东大学.json')
    await fs.mkdir(path.dirname(recovery))
    const args = ['--out', recovery, '--passphrase-file', file('口令.txt'), '--data', dataDir]
    const r = await sh(bin, ['key', 'export', ...args], wine)
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.equal(JSON.parse(await fs.readFile(recovery, 'utf8')).format, 'huicai-recovery-key v1')
  })

  step('DPAPI: the data folder copied to another Windows user is refused, unchanged, until the key is restored', async () => {
    assert.ok(otherBin && otherHome && otherOwner, 'the lane sets HUICAI_BIN_OTHER_USER, HUICAI_WINE_OTHER_HOME and _OWNER')
    // The lane makes otherHome afresh for each run and removes it afterwards.
    const copy = path.join(otherHome, '惠才通 数据 副本')
    await fs.cp(dataDir, copy, { recursive: true })
    await fs.copyFile(file('恢复 密钥', '恢复密钥 山东大学.json'), path.join(otherHome, '恢复密钥.json'))
    await fs.copyFile(file('口令.txt'), path.join(otherHome, '口令.txt'))
    for (const name of ['惠才通 数据 副本', '恢复密钥.json', '口令.txt']) await giveToOtherUser(path.join(otherHome, name))
    const keyFile = path.join(copy, 'keys', 'data.key')
    const before = await fs.readFile(keyFile)

    const port = await freePort()
    const refused = await sh(otherBin, ['serve', '--listen', `127.0.0.1:${port}`, '--data', copy], wine)
    assert.equal(refused.code, 1, refused.stdout + refused.stderr)
    assert.match(refused.stderr, /数据密钥文件 .*data\.key 已损坏或不属于当前 Windows 用户/)
    assert.match(refused.stderr, /huicai key restore/)
    assert.ok((await fs.readFile(keyFile)).equals(before), 'the refused start changed the key file')

    const restored = await sh(otherBin, ['key', 'restore', path.join(otherHome, '恢复密钥.json'),
      '--passphrase-file', path.join(otherHome, '口令.txt'), '--data', copy], wine)
    assert.equal(restored.code, 0, restored.stdout + restored.stderr)
    assert.ok(!(await fs.readFile(keyFile)).equals(before), 'the restored key is protected for the other user')
    const verified = await sh(otherBin, ['audit', 'verify', '--data', copy], wine)
    assert.equal(verified.code, 0, verified.stdout + verified.stderr)
  })

  step('without --data, huicai.exe keeps its data in %AppData%\\huicai', async () => {
    assert.equal(process.env.HUICAI_DATA, undefined, 'HUICAI_DATA would override the default')
    const user = os.userInfo().username
    const appData = path.join(prefix, 'drive_c', 'users', user, 'AppData', 'Roaming', 'huicai')
    await fs.rm(appData, { recursive: true, force: true })
    const s = await startServer({ passData: false, dataDir: appData, timeoutMs: 120000 })
    try {
      assert.ok(s.output().includes(`数据文件夹 C:\\users\\${user}\\AppData\\Roaming\\huicai`), s.output())
      for (const f of ['huicai.db', 'huicai.log', path.join('keys', 'data.key')]) await fs.access(path.join(appData, f))
    } finally {
      await s.stop()
    }
  })
})
