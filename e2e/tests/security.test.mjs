// Data protection end to end: the served UI carries strict security headers,
// the database file reveals no ID or mobile number, oversized requests are
// refused while normal use goes on, the leader backs up, exports the
// recovery key and restores from a backup through 数据安全, and a broken
// audit chain opens the app read-only with a banner.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { after, before, describe } from 'node:test'
import { huicaiBin, sampleSetup, setupViaApi, startServer } from '../lib/server.mjs'
import { launchBrowser, newPage, screenshotter, waitForRoute } from '../lib/browser.mjs'
import { expectMessage, flow, loginThroughUi, residentId, tableRows } from '../lib/ui.mjs'

const shoot = screenshotter('security')

describe('data protection: encryption, limits, backup and restore', () => {
  let server, browser, leaderToken
  const { step, ctx } = flow(shoot)
  const talentID = residentId('370102', '1975-06-01', '013')
  const talentMobile = '13905310077'

  before(async () => {
    server = await startServer()
    await setupViaApi(server)
    leaderToken = (await server.api('POST', '/api/session', { username: sampleSetup.username, password: sampleSetup.password })).body.token
    const dept = (await server.api('POST', '/api/departments', { name: '物理学院' }, leaderToken)).body
    const reg = await server.api('POST', '/api/registration/talent', {
      name: '王堃', gender: '男', birth_date: '1975-06-01', nationality: '中国', id_type: '居民身份证',
      id_number: talentID, mobile: talentMobile, email: 'wk@sdu.edu.cn', department_id: dept.id,
      category: '泰山学者', title: '泰山学者特聘专家', title_date: '2018-09-01',
      username: 'wangkun', password: 'Talent@2026', password_confirm: 'Talent@2026',
    })
    assert.equal(reg.status, 200, JSON.stringify(reg.body))
    browser = await launchBrowser()
    ctx.page = await newPage(browser, server.url)
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  step('the served UI carries a Content-Security-Policy and strict headers', async () => {
    const res = await fetch(server.url + '/')
    const csp = res.headers.get('content-security-policy') ?? ''
    assert.match(csp, /default-src 'self'/)
    assert.match(csp, /frame-ancestors 'none'/)
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
    assert.equal(res.headers.get('x-frame-options'), 'DENY')
  })

  step('the database file reveals no ID or mobile number', async () => {
    const raw = await fs.readFile(path.join(server.dataDir, 'huicai.db'))
    const wal = await fs.readFile(path.join(server.dataDir, 'huicai.db-wal')).catch(() => Buffer.alloc(0))
    for (const secret of [talentID, talentMobile, sampleSetup.mobile]) {
      assert.ok(!raw.includes(secret) && !wal.includes(secret), `${secret} found in the database file`)
    }
  })

  step('oversized and malformed requests are refused, normal use goes on', async () => {
    const big = await fetch(server.url + '/api/registration/talent', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"' + 'x'.repeat(2 << 20) + '"}',
    })
    assert.equal(big.status, 413)
    const bad = await fetch(server.url + '/api/session', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"username":',
    })
    assert.equal(bad.status, 400)
    assert.ok(!(await bad.text()).includes('json:'), 'internal error text leaked')
    const untyped = await server.api('POST', '/api/session', undefined)
    assert.equal(untyped.status, 415, 'a body that is not declared JSON')
    assert.match(untyped.body.error.message, /只接受 JSON/)
    const ok = await server.api('GET', '/api/departments', undefined, leaderToken)
    assert.equal(ok.status, 200)
  })

  step('数据安全: back up now', async () => {
    const page = ctx.page
    await page.goto(server.url + '/#/login')
    await loginThroughUi(page, sampleSetup.username, sampleSetup.password)
    await waitForRoute(page, '/')
    await page.goto(server.url + '/#/security')
    await page.getByRole('button', { name: '立即备份' }).click()
    await expectMessage(page, '备份完成并已校验')
    await page.locator('.backup-table').getByText('huicai-manual-').first().waitFor()
    await shoot(page, 'backup-done')
  })

  step('数据安全: export the recovery key (too short a passphrase is refused)', async () => {
    const page = ctx.page
    await page.fill('input[name=passphrase]', '太短')
    await page.fill('input[name=passphrase_confirm]', '太短')
    await page.getByRole('button', { name: '导出恢复密钥' }).click()
    await page.locator('.recovery .el-form-item__error').getByText('恢复口令至少 12 个字符').waitFor()
    await page.fill('input[name=passphrase]', '山东大学人才办2026年口令')
    await page.fill('input[name=passphrase_confirm]', '山东大学人才办2026年口令')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出恢复密钥' }).click()])
    const saved = path.join(server.dataDir, '..', `recovery-${server.port}.json`)
    await download.saveAs(saved)
    const content = JSON.parse(await fs.readFile(saved, 'utf8'))
    assert.equal(content.format, 'huicai-recovery-key v1')
    await fs.rm(saved)
    await shoot(page, 'recovery-exported')
  })

  step('数据安全: restore from the backup brings the data back and signs everyone out', async () => {
    const page = ctx.page
    const added = await server.api('POST', '/api/departments', { name: '备份之后的学院' }, leaderToken)
    assert.equal(added.status, 200)
    await page.reload()
    const row = tableRows(page.locator('.backup-table')).filter({ hasText: 'huicai-manual-' }).first()
    await row.getByRole('button', { name: '恢复' }).click()
    await page.locator('.el-message-box').getByRole('button', { name: '恢复' }).click()
    await waitForRoute(page, '/login', 30000)
    await page.getByText('数据已从备份恢复，请重新登录').waitFor()
    await shoot(page, 'restored-login')
    const again = (await server.api('POST', '/api/session', { username: sampleSetup.username, password: sampleSetup.password })).body.token
    const deps = await server.api('GET', '/api/departments', undefined, again)
    assert.ok(!JSON.stringify(deps.body).includes('备份之后的学院'), 'the restore did not bring the backup back')
    assert.equal((await server.api('GET', '/api/departments', undefined, leaderToken)).status, 401)
  })

  step('a broken audit chain is named by huicai audit verify and opens the app read-only', async () => {
    await server.stop({ keepData: true })
    const dir = server.dataDir
    // Someone edits the audit log with a SQLite shell, behind the app's back.
    execFileSync('python3', ['-c', `import sqlite3; c=sqlite3.connect(${JSON.stringify(path.join(dir, 'huicai.db'))}); c.execute("DROP TRIGGER audit_log_no_update"); c.execute("UPDATE audit_log SET detail='改过' WHERE id=2"); c.commit()`])
    const bin = await huicaiBin()
    let verified
    try {
      execFileSync(bin, ['audit', 'verify', '--data', dir], { stdio: 'pipe' })
    } catch (err) {
      verified = err.stderr.toString()
    }
    assert.match(verified ?? 'it passed', /审计日志校验失败：第 2 条记录/)
    server = await startServer({ dataDir: dir })
    const page = ctx.page
    await page.goto(server.url + '/#/login')
    await page.locator('.read-only').getByText('只读模式').waitFor()
    await shoot(page, 'read-only-login')
    await loginThroughUi(page, sampleSetup.username, sampleSetup.password)
    await waitForRoute(page, '/')
    await page.locator('.read-only').getByText('审计日志第 2 条记录').waitFor()
    await shoot(page, 'read-only-home')
    const t = (await server.api('POST', '/api/session', { username: sampleSetup.username, password: sampleSetup.password })).body.token
    const refused = await server.api('POST', '/api/departments', { name: '只读时新增' }, t)
    assert.equal(refused.status, 503)
    assert.match(refused.body.error.message, /只读模式/)
  })

  step('restoring a backup is the way out of read-only mode', async () => {
    const page = ctx.page
    await page.goto(server.url + '/#/security')
    const row = tableRows(page.locator('.backup-table')).filter({ hasText: 'huicai-manual-' }).first()
    await row.getByRole('button', { name: '恢复' }).click()
    await page.locator('.el-message-box').getByRole('button', { name: '恢复' }).click()
    await waitForRoute(page, '/login', 30000)
    const status = await server.api('GET', '/api/setup')
    assert.equal(status.body.read_only, undefined, 'still read-only after the restore')
    await shoot(page, 'read-only-restored')
  })
})
