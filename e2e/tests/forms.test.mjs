// Forms (issue 14, part 5), at 1366×768: every kind of rule is checked on
// blur the way the server checks it — the credit code's check character, a
// mobile, a length, a hidden character, the password rule (shown as help
// under the field), a 居民身份证 number's check digit and birth date — with
// one message under the field and no toast, gone as soon as the field is
// fixed; a whole form with errors sends nothing; an error only the server
// knows (a user name taken, a wrong setup token) shows under its field only.
// A valid 居民身份证 number fills in the birth date and sex, and a hand-typed
// birth date or sex that contradicts it is named. The date pickers' weeks
// start on Monday. 最高学历 / 最高学位 are dropdowns of the national
// categories; a free text stored before shows and must be chosen again. 修改密码
// shows its rule under the field. 我的信息 says it is locked, and why, once the
// application went to the leader: disabled fields, no 保存.
import assert from 'node:assert/strict'
import path from 'node:path'
import { after, before, describe } from 'node:test'
import { sampleSetup, startServer } from '../lib/server.mjs'
import { fillByName, formItem, hashPath, launchBrowser, newPage, screenshotter, waitForRoute } from '../lib/browser.mjs'
import { apiLogin, call, sampleCommissioner, sampleMaterials, tinyPdf } from '../lib/seed.mjs'
import { sh } from '../lib/proc.mjs'
import {
  chooseOption,
  chooseRadio,
  clickAndWaitFor,
  dataField,
  dialog,
  expectDataFieldError,
  expectMessage,
  flow,
  loginThroughUi,
  noMessages,
  openMenu,
  residentCheck,
  requestsDuring,
  residentId,
  selectedText,
  typeDate,
  wrongCheck,
} from '../lib/ui.mjs'

const shoot = screenshotter('forms')
const SCREEN = { viewport: { width: 1366, height: 768 } }

const DEPT = '物理学院'
const EDUCATIONS = ['博士研究生', '硕士研究生', '大学本科', '大学专科', '中等专科', '职业高中', '技工学校', '普通高中', '初中', '小学', '其他']
const DEGREES = ['博士', '硕士', '学士', '无']
const PASSWORD_RULE = '8至64位，含大写字母、小写字母、数字、符号中的至少三类'

/** The talent who registers through the form: a woman (even 17th digit) born 1988-07-09. */
const talent = {
  name: '陈曦',
  birth_date: '1988-07-09',
  id_number: residentId('370102', '1988-07-09', '046'),
  mobile: '13705310046',
  email: 'chenxi@sdu.edu.cn',
  category: '泰山学者',
  title: '泰山学者青年专家',
  title_date: '2019-12-01',
  username: 'chenxi',
  password: 'Talent@2026',
}

/** A number whose birth date, 30 February 1999, does not exist (its check digit is right). */
const NO_SUCH_DAY = (() => {
  const first17 = '370102' + '19990230' + '046'
  return first17 + residentCheck(first17)
})()

describe('forms: rules on blur, one message per error, the ID fills in, dropdowns, Monday, locked', () => {
  let server
  let browser
  let page
  let staff
  let leaderToken
  let appId
  const { step, ctx } = flow(shoot)

  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
    page = await newPage(browser, server.url, SCREEN)
    ctx.page = page
  })

  after(async () => {
    await browser?.close().catch(() => undefined)
    await server?.stop()
  })

  // --- helpers -------------------------------------------------------------

  /** The messages under the form item holding input name. */
  function errorsUnder(scope, name) {
    return formItem(scope, name).locator('.el-form-item__error')
  }

  /** Types value into input name and leaves the field (blur), as a user tabbing on would. */
  async function typeAndLeave(scope, name, value) {
    const input = scope.locator(`input[name="${name}"]`)
    await input.fill(value)
    await input.blur()
  }

  /** Checks that input name shows exactly text under it, once, and that no toast came with it. */
  async function expectOnlyInline(scope, name, text) {
    const p = typeof scope.page === 'function' ? scope.page() : scope
    await errorsUnder(scope, name).filter({ hasText: text }).waitFor()
    assert.equal((await errorsUnder(scope, name).innerText()).trim(), text, `the one message under ${name}`)
    assert.equal(await p.locator('.el-message').count(), 0, `no toast for ${name}`)
  }

  /** Waits for the message under input name to go (it goes as the field is fixed, before any blur). */
  async function expectFixed(scope, name) {
    await errorsUnder(scope, name).waitFor({ state: 'hidden' })
  }

  /** Waits (2 s at most: a message leaving fades out) until scope shows n field messages. */
  async function expectMessageCount(scope, n, what) {
    const shown = scope.locator('.el-form-item__error:visible')
    for (let i = 0; i < 20 && (await shown.count()) !== n; i++) await new Promise((r) => setTimeout(r, 100))
    assert.equal(await shown.count(), n, what)
  }

  /** The week-day heads of the open date picker, in order. */
  async function weekHeads(target) {
    const heads = target.locator('.el-picker-panel:visible .el-date-table th')
    await heads.first().waitFor()
    return (await heads.allInnerTexts()).map((t) => t.trim())
  }

  /** Signs target in on the login page as username. */
  async function signIn(target, username, password) {
    await target.goto('/#/login')
    await waitForRoute(target, '/login')
    const res = await loginThroughUi(target, username, password)
    assert.equal(res.status(), 200, `login of ${username}`)
    await waitForRoute(target, '/')
  }

  // --- 1. first-run setup --------------------------------------------------

  step('初始设置: the credit code, mobile, lengths and password rule are checked on blur, one message, no toast', async () => {
    await page.goto('/')
    await waitForRoute(page, '/setup')
    const form = page.locator('.auth-card')
    await form.locator('input[name="uscc"]').waitFor()
    // The password rule is help under the field, whole, not a placeholder cut off.
    const help = formItem(form, 'password').locator('.field-help')
    assert.equal((await help.innerText()).trim(), PASSWORD_RULE)
    assert.equal(await form.locator('input[name="password"]').getAttribute('placeholder'), null)

    await typeAndLeave(form, 'uscc', '12370000495570512G')
    await expectOnlyInline(form, 'uscc', '统一社会信用代码校验位不正确，请核对')
    await typeAndLeave(form, 'unit_name', '山东\u200b大学')
    await expectOnlyInline(form, 'unit_name', '单位名称含有无法识别、不可见或改变文字方向的字符，请删除后重新输入')
    await typeAndLeave(form, 'mobile', '23800138000')
    await expectOnlyInline(form, 'mobile', '手机号码应为以1开头的11位数字')
    await typeAndLeave(form, 'username', 'li')
    await expectOnlyInline(form, 'username', '用户名应为4至32位，以字母开头，只含字母、数字、下划线、点或短横线')
    await typeAndLeave(form, 'password', 'Ab1!')
    await expectOnlyInline(form, 'password', '密码长度应为8至64位')
    await typeAndLeave(form, 'password_confirm', 'abcdefgh')
    await expectOnlyInline(form, 'password_confirm', '两次输入的密码不一致')
    await expectMessageCount(form, 6, 'one message per wrong field, none on the others')
    await shoot(page, 'setup-errors-on-blur')

    await typeAndLeave(form, 'password', 'abcdefgh')
    await expectOnlyInline(form, 'password', '密码需包含大写字母、小写字母、数字、符号中的至少三类')
    // The password now equals the confirmation: its message goes too.
    await expectFixed(form, 'password_confirm')
    await typeAndLeave(form, 'uscc', '1237000049557O512F')
    await expectOnlyInline(form, 'uscc', '统一社会信用代码只能包含数字和除 I、O、Z、S、V 以外的大写字母')
  })

  step('初始设置: each message goes as soon as its field is fixed, before leaving it', async () => {
    const form = page.locator('.auth-card')
    for (const [name, value] of [
      ['uscc', sampleSetup.uscc],
      ['unit_name', sampleSetup.unit_name],
      ['mobile', sampleSetup.mobile],
      ['username', sampleSetup.username],
      ['password', sampleSetup.password],
    ]) {
      await form.locator(`input[name="${name}"]`).fill(value)
      await expectFixed(form, name)
    }
    await form.locator('input[name="password_confirm"]').fill(sampleSetup.password)
    await expectFixed(form, 'password_confirm')
    await expectMessageCount(form, 0)
    await shoot(page, 'setup-fixed')
  })

  step('初始设置: a form with errors sends nothing; the server\'s own refusal shows under its field only', async () => {
    const form = page.locator('.auth-card')
    await fillByName(form, { address: '', contact_person: '' })
    const sent = await requestsDuring(page, 'POST', '/api/setup', () =>
      form.getByRole('button', { name: '完成设置' }).click(),
    )
    assert.equal(sent, 0, 'nothing sent while fields are wrong')
    await expectOnlyInline(form, 'setup_token', '请填写服务器窗口中显示的初始设置口令')
    await expectOnlyInline(form, 'address', '请填写单位地址')
    await expectOnlyInline(form, 'contact_person', '请填写联系人')
    // And the two never filled in: 联系电话 and 姓名.
    await expectMessageCount(form, 5, 'one message per empty field')
    await shoot(page, 'setup-submit-blocked')

    await fillByName(form, {
      address: sampleSetup.address,
      contact_person: sampleSetup.contact_person,
      contact_phone: sampleSetup.contact_phone,
      leader_name: sampleSetup.leader_name,
      setup_token: 'ACDEF-GHJKM-NPQRT',
    })
    const res = await clickAndWaitFor(page, '完成设置', 'POST', '/api/setup', form)
    assert.equal(res.status(), 403)
    await expectOnlyInline(form, 'setup_token', '初始设置口令不正确')
    await expectMessageCount(form, 1)
    await shoot(page, 'setup-wrong-token-inline')

    await fillByName(form, { setup_token: server.setupToken })
    await expectFixed(form, 'setup_token')
    const done = await clickAndWaitFor(page, '完成设置', 'POST', '/api/setup', form)
    assert.ok(done.ok(), `setup answered ${done.status()}`)
    await waitForRoute(page, '/login')
    leaderToken = await apiLogin(server, sampleSetup.username, sampleSetup.password)
    await call(server, 'POST', '/api/departments', { name: DEPT }, leaderToken)
  })

  // --- 2. 高层次人才注册 -------------------------------------------------------

  step('高层次人才注册: the ID check digit and birth date are checked on blur; a valid ID fills in birth date and sex', async () => {
    await noMessages(page)
    await page.getByRole('link', { name: '高层次人才注册' }).click()
    await waitForRoute(page, '/register/talent')
    const form = page.locator('.auth-card')
    await form.locator('input[name="id_number"]').waitFor()
    const birth = dataField(form, 'birth_date').locator('input')
    assert.equal(await birth.getAttribute('placeholder'), '填写身份证号码后自动填写')

    await typeAndLeave(form, 'id_number', wrongCheck(talent.id_number))
    await expectOnlyInline(form, 'id_number', '居民身份证号码校验位不正确，请核对')
    assert.equal(await birth.inputValue(), '', 'nothing filled from a wrong number')
    await typeAndLeave(form, 'id_number', NO_SUCH_DAY)
    await expectOnlyInline(form, 'id_number', '居民身份证号码中的出生日期不存在')
    await typeAndLeave(form, 'id_number', talent.id_number.slice(0, 17))
    await expectOnlyInline(form, 'id_number', '居民身份证号码应为18位')
    await shoot(page, 'register-id-errors')

    // Typing the last character makes the number valid: the message goes and the birth date and sex appear.
    await form.locator('input[name="id_number"]').press('End')
    await form.locator('input[name="id_number"]').pressSequentially(talent.id_number.slice(17))
    await expectFixed(form, 'id_number')
    await page.waitForFunction((el) => el.value === '1988-07-09', await birth.elementHandle())
    await dataField(form, 'gender').locator('.el-radio.is-checked', { hasText: '女' }).waitFor()
    await shoot(page, 'register-id-filled-birth-sex')
  })

  step('高层次人才注册: a hand-typed birth date or sex that contradicts the ID is named; putting it back clears it', async () => {
    const form = page.locator('.auth-card')
    await typeDate(form, page, 'birth_date', '1988-07-10')
    await expectOnlyInline(form, 'id_number', '身份证号码中的出生日期与填写的出生日期不一致')
    await shoot(page, 'register-birth-contradicts-id')
    await typeDate(form, page, 'birth_date', talent.birth_date)
    await expectFixed(form, 'id_number')
    await chooseRadio(form, 'gender', '男')
    await expectOnlyInline(form, 'id_number', '身份证号码显示的性别与填写的性别不一致')
    await chooseRadio(form, 'gender', '女')
    await expectFixed(form, 'id_number')
  })

  step('the date picker\'s week starts on Monday (一 … 日)', async () => {
    const form = page.locator('.auth-card')
    await dataField(form, 'title_date').locator('input').click()
    assert.deepEqual(await weekHeads(page), ['一', '二', '三', '四', '五', '六', '日'])
    await shoot(page, 'date-picker-monday-first', { fullPage: false })
    await page.keyboard.press('Escape')
    await page.locator('.el-picker-panel:visible').waitFor({ state: 'hidden' })
  })

  step('高层次人才注册: an empty mobile and e-mail block the form; a user name only the server knows is taken shows inline only', async () => {
    const form = page.locator('.auth-card')
    await fillByName(form, {
      name: talent.name,
      mobile: talent.mobile,
      email: talent.email,
      username: sampleSetup.username, // the leader's
      password: talent.password,
      password_confirm: talent.password,
    })
    await chooseOption(form, page, 'department_id', DEPT)
    await chooseOption(form, page, 'category', talent.category)
    await chooseOption(form, page, 'title', talent.title)
    await typeDate(form, page, 'title_date', '1980-01-01')
    await expectDataFieldError(form, 'title_date', '称号获得时间不正确') // before the birth date
    await typeDate(form, page, 'title_date', talent.title_date)
    await dataField(form, 'title_date').locator('.el-form-item__error').waitFor({ state: 'hidden' })
    await typeAndLeave(form, 'email', 'chenxi@')
    await expectOnlyInline(form, 'email', '电子邮箱格式不正确')
    const sent = await requestsDuring(page, 'POST', '/api/registration/talent', () =>
      form.getByRole('button', { name: '立即注册' }).click(),
    )
    assert.equal(sent, 0, 'nothing sent while the e-mail is wrong')

    await fillByName(form, { email: talent.email })
    await expectFixed(form, 'email')
    await form.locator('h1.product-name').click()
    const res = await clickAndWaitFor(page, '立即注册', 'POST', '/api/registration/talent', form)
    assert.equal(res.status(), 400)
    await expectOnlyInline(form, 'username', '该用户名已被注册，请换一个')
    await expectMessageCount(form, 1)
    await shoot(page, 'register-username-taken-inline')

    await fillByName(form, { username: talent.username })
    await expectFixed(form, 'username')
    const ok = await clickAndWaitFor(page, '立即注册', 'POST', '/api/registration/talent', form)
    assert.ok(ok.ok(), `registration answered ${ok.status()}: ${await ok.text()}`)
    await expectMessage(page, '注册成功，请登录', 'success')
    await waitForRoute(page, '/login')
  })

  // --- 3. 我的信息, while it may still change -----------------------------------

  step('我的信息 before the application goes to the leader: editable, with 保存', async () => {
    await noMessages(page)
    await signIn(page, talent.username, talent.password)
    await openMenu(page, '我的信息')
    await waitForRoute(page, '/my')
    const email = page.locator('input[name="email"]')
    await page.waitForFunction((el) => el.value === 'chenxi@sdu.edu.cn', await email.elementHandle())
    assert.ok(await email.isEnabled())
    await page.getByRole('button', { name: '保存', exact: true }).waitFor()
    assert.equal(await page.locator('.locked-alert').count(), 0)
    await typeAndLeave(page, 'mobile', '1370531004')
    await expectOnlyInline(page, 'mobile', '手机号码应为以1开头的11位数字')
    await fillByName(page, { mobile: talent.mobile })
    await expectFixed(page, 'mobile')
  })

  // --- 4. 补充材料: 学历 and 学位 --------------------------------------------------

  step('补充材料: 最高学历 / 最高学位 are dropdowns of the national categories; a stored free text shows and must be chosen again', async () => {
    const staffReg = await call(server, 'POST', '/api/registration/staff', {
      ...sampleCommissioner,
      department_id: (await call(server, 'GET', '/api/departments', undefined, leaderToken))[0].id,
    })
    await call(server, 'POST', `/api/staff/${staffReg.id}/decision`, { action: 'approve' }, leaderToken)
    const talents = await call(server, 'GET', `/api/talents?name=${encodeURIComponent(talent.name)}`, undefined, leaderToken)
    await call(server, 'POST', `/api/staff/${staffReg.id}/talents`, { talent_ids: [talents.items[0].id] }, leaderToken)
    const staffToken = await apiLogin(server, sampleCommissioner.username, sampleCommissioner.password)
    appId = (await call(server, 'GET', '/api/applications', undefined, staffToken)).items[0].id
    // What an earlier version let the commissioner type into the free-text fields.
    const db = path.join(server.dataDir, 'huicai.db')
    const sql = `UPDATE card_applications SET highest_education = '研究生', highest_degree = '博士' WHERE id = ${appId}`
    const r = await sh('sqlite3', ['-cmd', '.timeout 5000', db, sql])
    assert.equal(r.code, 0, r.stderr)

    staff = await newPage(browser, server.url, SCREEN)
    ctx.page = staff
    await signIn(staff, sampleCommissioner.username, sampleCommissioner.password)
    await staff.goto(`/#/applications/${appId}/edit`)
    await waitForRoute(staff, `/applications/${appId}/edit`)
    await expectDataFieldError(staff, 'highest_education', '最高学历不在可选范围内，请从列表中选择')
    assert.equal(await selectedText(staff, 'highest_education'), '研究生', 'the stored text shows')
    assert.equal(await selectedText(staff, 'highest_degree'), '博士')
    assert.equal(await dataField(staff, 'highest_degree').locator('.el-form-item__error').count(), 0)
    assert.equal(await staff.locator('.el-message').count(), 0)
    await dataField(staff, 'highest_education').evaluate((el) => el.scrollIntoView({ block: 'center' }))
    await shoot(staff, 'materials-free-text-flagged', { fullPage: false })

    const sent = await requestsDuring(staff, 'PUT', `/api/applications/${appId}`, () =>
      staff.getByRole('button', { name: '保存', exact: true }).click(),
    )
    assert.equal(sent, 0, '保存 waits for a 学历 from the list')

    await dataField(staff, 'highest_education').locator('.el-select__wrapper').click()
    const options = staff.locator('.el-select-dropdown:visible .el-select-dropdown__item')
    await options.first().waitFor()
    assert.deepEqual((await options.allInnerTexts()).map((t) => t.trim()), EDUCATIONS)
    await shoot(staff, 'materials-education-options', { fullPage: false })
    await options.filter({ hasText: /^\s*博士研究生\s*$/ }).click()
    await staff.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden' })
    await dataField(staff, 'highest_education').locator('.el-form-item__error').waitFor({ state: 'hidden' })

    await dataField(staff, 'highest_degree').locator('.el-select__wrapper').click()
    await options.first().waitFor()
    assert.deepEqual((await options.allInnerTexts()).map((t) => t.trim()), DEGREES)
    await options.filter({ hasText: /^\s*博士\s*$/ }).click()
    await staff.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden' })

    await typeAndLeave(staff, 'postal_code', '2501')
    await expectOnlyInline(staff, 'postal_code', '邮政编码应为6位数字')
    await fillByName(staff, { postal_code: '250100' })
    await expectFixed(staff, 'postal_code')

    const saved = await clickAndWaitFor(staff, '保存', 'PUT', `/api/applications/${appId}`)
    assert.equal(saved.status(), 200)
    const stored = await call(server, 'GET', `/api/applications/${appId}`, undefined, staffToken)
    assert.equal(stored.application.highest_education, '博士研究生')
    assert.equal(stored.application.highest_degree, '博士')

    // The server holds to the lists too: a free text is refused on its field, and nothing changes.
    const bad = await server.api('PUT', `/api/applications/${appId}`,
      { version: stored.application.version, ...sampleMaterials, highest_education: '研究生' }, staffToken)
    assert.equal(bad.status, 400)
    assert.equal(bad.body.error.fields.highest_education, '最高学历不在可选范围内，请从列表中选择')
    const after = await call(server, 'GET', `/api/applications/${appId}`, undefined, staffToken)
    assert.equal(after.application.version, stored.application.version)
  })

  // --- 5. 修改密码 ------------------------------------------------------------

  step('修改密码: the rule is help under 新密码; checked on blur; the same password is refused', async () => {
    await noMessages(staff)
    await staff.locator('.el-header').getByRole('button', { name: '修改密码' }).click()
    const dlg = dialog(staff, '修改密码')
    await dlg.locator('input[name="new_password"]').waitFor()
    const help = formItem(dlg, 'new_password').locator('.field-help')
    assert.equal((await help.innerText()).trim(), PASSWORD_RULE)
    const helpBox = await help.boundingBox()
    const dialogBox = await dlg.locator('.el-dialog__body').boundingBox()
    assert.ok(helpBox.x + helpBox.width <= dialogBox.x + dialogBox.width, 'the help is not cut off')
    await typeAndLeave(dlg, 'old_password', sampleCommissioner.password)
    await typeAndLeave(dlg, 'new_password', 'abcdefgh')
    await expectOnlyInline(dlg, 'new_password', '密码需包含大写字母、小写字母、数字、符号中的至少三类')
    await shoot(staff, 'password-rule-help', { fullPage: false })
    await dlg.locator('input[name="new_password"]').fill(sampleCommissioner.password)
    await expectOnlyInline(dlg, 'new_password', '新密码不能与原密码相同')
    await dlg.locator('input[name="new_password"]').fill('Staff@2027')
    await expectFixed(dlg, 'new_password')
    await typeAndLeave(dlg, 'password_confirm', 'Staff@2028')
    await expectOnlyInline(dlg, 'password_confirm', '两次输入的密码不一致')
    await dlg.getByRole('button', { name: '取消' }).click()
    await dlg.waitFor({ state: 'hidden' })
  })

  // --- 6. 我的信息, locked --------------------------------------------------------

  step('我的信息 after the application went to the leader: locked, says why, disabled, no 保存', async () => {
    const staffToken = await apiLogin(server, sampleCommissioner.username, sampleCommissioner.password)
    for (const kind of ['id_scan', 'title_proof']) {
      await call(server, 'POST', `/api/applications/${appId}/attachments?kind=${kind}`, tinyPdf, staffToken, {
        'Content-Type': 'application/pdf',
        'X-File-Name': encodeURIComponent(`${talent.name}-${kind}.pdf`),
      })
    }
    const d = await call(server, 'GET', `/api/applications/${appId}`, undefined, staffToken)
    await call(server, 'POST', `/api/applications/${appId}/submit`, { version: d.application.version, ...sampleMaterials }, staffToken)

    ctx.page = page
    await page.reload()
    await waitForRoute(page, '/my')
    const alert = page.locator('.locked-alert')
    await alert.waitFor()
    const mine = await fetchMine()
    assert.equal(mine.editable, false)
    assert.equal((await alert.locator('.el-alert__title').innerText()).trim(), '我的信息已锁定，不能修改')
    assert.equal((await alert.locator('.el-alert__description').innerText()).trim(), mine.locked_reason)
    for (const name of ['name', 'id_number', 'mobile', 'email']) {
      assert.ok(await page.locator(`input[name="${name}"]`).isDisabled(), `${name} is disabled`)
    }
    assert.ok(await dataField(page, 'birth_date').locator('input').isDisabled())
    assert.equal(await page.getByRole('button', { name: '保存', exact: true }).count(), 0, 'no 保存')
    assert.equal(hashPath(page), '/my')
    await shoot(page, 'my-profile-locked', { fullPage: false })
    assert.deepEqual(page.pageErrors, [], 'no uncaught errors in the page')
    assert.deepEqual(staff.pageErrors, [], 'no uncaught errors in the commissioner\'s page')
  })

  /** The talent's own profile as the server sends it to the page's session. */
  async function fetchMine() {
    const bearer = await page.evaluate(() => sessionStorage.getItem('huicai.token'))
    return (await server.api('GET', '/api/my/talent', undefined, bearer)).body
  }
})
