// Accounts and roles end to end: the leader adds a 二级单位, a talent and two
// commissioners register through the public pages, the leader approves one
// commissioner (who may then sign in) and rejects the other with a reason,
// binds the talent to the approved commissioner, who then sees that talent
// (masked ID, revealed on request); a commissioner cannot reach leader pages
// or APIs; the audit log shows the actions; five wrong passwords lock an account.
import assert from 'node:assert/strict'
import { after, before, describe } from 'node:test'
import { sampleSetup, setupViaApi, startServer } from '../lib/server.mjs'
import { fillByName, hashPath, launchBrowser, newPage, screenshotter, waitForRoute } from '../lib/browser.mjs'
import {
  actAndWaitFor,
  chooseOption,
  chooseRadio,
  clickAndWaitFor,
  dataField,
  dialog,
  expectFieldError,
  expectMessage,
  fetchInPage,
  flow,
  loginThroughUi,
  logoutThroughUi,
  maskId,
  noMessages,
  openMenu,
  requestsDuring,
  residentId,
  selectedText,
  tableRows,
  token,
  typeDate,
  wrongCheck,
} from '../lib/ui.mjs'

const shoot = screenshotter('accounts')

const DEPT = '物理学院'
const OTHER_DEPT = '化学学院'

const talent = {
  name: '王堃',
  gender: '男',
  birth_date: '1975-06-01',
  nationality: '中国',
  // 17th digit 3: odd, 男.
  id_number: residentId('370102', '1975-06-01', '013'),
  mobile: '13905310001',
  email: 'wangkun@sdu.edu.cn',
  category: '国家重点人才工程入选者',
  title: '长江学者特聘教授',
  title_date: '2015-09-10',
  username: 'wangkun',
  password: 'Talent@2026',
}

const commissioner = {
  name: '赵敏',
  id_number: residentId('370103', '1988-03-15', '024'),
  mobile: '13905310002',
  position: '人事秘书',
  office_phone: '0531-88361234',
  username: 'zhaomin',
  password: 'Staff@2026x',
}

const commissioner2 = {
  name: '钱七',
  id_number: residentId('370104', '1990-11-20', '035'),
  mobile: '13905310003',
  position: '科研秘书',
  office_phone: '0531-88365678',
  username: 'qianqi',
  password: 'Staff@2026y',
}

const REJECT_REASON = '所在二级单位选择错误'
const STAFF_TYPE = '用人单位服务专员注册（具体到二级单位）'

describe('accounts: registration, staff review, binding, roles, audit, lockout', () => {
  let server
  let browser
  /** The leader's tab. */
  let leader
  /** A second, independent browser context: public pages, commissioners, the talent. */
  let visitor
  const { step, ctx } = flow(shoot)
  const use = (p) => (ctx.page = p)

  before(async () => {
    server = await startServer()
    await setupViaApi(server)
    browser = await launchBrowser()
    leader = await newPage(browser, server.url)
    visitor = await newPage(browser, server.url)
  })

  after(async () => {
    await browser?.close().catch(() => undefined)
    await server?.stop()
  })

  /** Signs the visitor tab in on the login page and expects the main layout. */
  async function visitorSignsIn(who, roleLabel) {
    await noMessages(visitor)
    const res = await loginThroughUi(visitor, who.username, who.password)
    assert.equal(res.status(), 200, `login of ${who.username}`)
    await waitForRoute(visitor, '/')
    const header = visitor.locator('.el-header')
    await header.locator('.user-name', { hasText: who.name }).waitFor()
    await header.locator('.el-tag', { hasText: roleLabel }).waitFor()
  }

  /** Opens 服务专员审核 in the leader tab and switches to the tab whose label starts with tabLabel. */
  async function leaderStaffTab(tabLabel, count) {
    // The page loads its lists when opened: reload it if it is already open.
    if (hashPath(leader) === '/staff') await actAndWaitFor(leader, 'GET', '/api/staff', () => leader.reload())
    else await leader.goto('/#/staff')
    await waitForRoute(leader, '/staff')
    await leader.locator('.el-breadcrumb', { hasText: '服务专员审核' }).waitFor()
    const tab = leader.locator('.el-tabs__item', { hasText: `${tabLabel} (${count})` })
    await tab.waitFor()
    if (!(await tab.getAttribute('class')).includes('is-active')) {
      await actAndWaitFor(leader, 'GET', '/api/staff', () => tab.click())
    }
    await leader.locator('.el-tabs__item.is-active', { hasText: `${tabLabel} (${count})` }).waitFor()
    await leader.locator('.el-loading-mask:visible').waitFor({ state: 'hidden' })
  }

  /** The row of the staff table naming who. */
  function staffRow(who) {
    return tableRows(leader.locator('.el-card')).filter({ hasText: who.username })
  }

  /** Fills the 审核用户注册 form for who, choosing department dept. */
  async function fillStaffForm(who, dept) {
    await fillByName(visitor, {
      name: who.name,
      id_number: who.id_number,
      mobile: who.mobile,
      position: who.position,
      office_phone: who.office_phone,
      username: who.username,
      password: who.password,
      password_confirm: who.password,
    })
    await chooseOption(visitor, visitor, 'department_id', dept)
  }

  // 1. The leader adds a 二级单位 through the UI.

  step('leader signs in and adds the 二级单位 物理学院 through 二级单位管理', async () => {
    use(leader)
    await leader.goto('/')
    await waitForRoute(leader, '/login')
    await leader.locator('.product-sub', { hasText: sampleSetup.unit_name }).waitFor()
    const res = await loginThroughUi(leader, sampleSetup.username, sampleSetup.password)
    assert.equal(res.status(), 200)
    await waitForRoute(leader, '/')

    await openMenu(leader, '二级单位管理')
    await waitForRoute(leader, '/departments')
    await leader.locator('.el-breadcrumb', { hasText: '二级单位管理' }).waitFor()
    await leader.locator('.el-table__empty-text', { hasText: '暂无数据' }).waitFor()
    await shoot(leader, 'departments-empty')

    await leader.getByRole('button', { name: '新增二级单位' }).click()
    const dlg = dialog(leader, '新增二级单位')
    await dlg.waitFor()
    // An empty name is refused under the field before anything is sent.
    const sent = await requestsDuring(leader, 'POST', '/api/departments', () =>
      dlg.getByRole('button', { name: '确定', exact: true }).click(),
    )
    assert.equal(sent, 0)
    await expectFieldError(leader, 'name', '请填写二级单位名称', dlg)
    assert.equal(await leader.locator('.el-message').count(), 0, 'no toast')
    await dlg.locator('input[name="name"]').fill(DEPT)
    await dlg.locator('.el-form-item__error').waitFor({ state: 'hidden' })
    await shoot(leader, 'departments-new-dialog')
    const created = await clickAndWaitFor(leader, '确定', 'POST', '/api/departments', dlg)
    assert.ok(created.ok(), `POST /api/departments answered ${created.status()}`)
    await expectMessage(leader, '已新增', 'success')
    await dlg.waitFor({ state: 'hidden' })
    const row = tableRows(leader.locator('.el-card')).filter({ hasText: DEPT })
    await row.waitFor()
    await row.locator('.el-tag', { hasText: '启用' }).waitFor()

    // A second department through the API, for the commissioner who picks the wrong one.
    const other = await server.api('POST', '/api/departments', { name: OTHER_DEPT }, await token(leader))
    assert.ok(other.status === 200 || other.status === 201, `POST /api/departments: ${JSON.stringify(other.body)}`)
    await leader.reload()
    await tableRows(leader.locator('.el-card')).filter({ hasText: OTHER_DEPT }).waitFor()
    assert.equal(await tableRows(leader.locator('.el-card')).count(), 2)
    await shoot(leader, 'departments-created')
  })

  // 2. A talent registers.

  step('高层次人才注册: the form opens from the login page', async () => {
    use(visitor)
    await visitor.goto('/')
    await waitForRoute(visitor, '/login')
    await visitor.getByRole('link', { name: '高层次人才注册' }).click()
    await waitForRoute(visitor, '/register/talent')
    await visitor.getByRole('heading', { name: '高层次人才注册' }).waitFor()
    await visitor.locator('.product-sub', { hasText: sampleSetup.unit_name }).waitFor()
    for (const name of ['name', 'nationality', 'id_number', 'mobile', 'email', 'username', 'password', 'password_confirm']) {
      await visitor.locator(`input[name="${name}"]`).waitFor()
    }
    assert.equal(await visitor.locator('input[name="nationality"]').inputValue(), '中国')
    assert.equal(await selectedText(visitor, 'id_type'), '居民身份证')
    await shoot(visitor, 'talent-register-empty')
  })

  step('talent registration with a wrong check digit shows 居民身份证号码校验位不正确 and sends nothing', async () => {
    await fillByName(visitor, {
      name: talent.name,
      nationality: talent.nationality,
      id_number: wrongCheck(talent.id_number),
      mobile: talent.mobile,
      email: talent.email,
      username: talent.username,
      password: talent.password,
      password_confirm: talent.password,
    })
    await chooseRadio(visitor, 'gender', talent.gender)
    await typeDate(visitor, visitor, 'birth_date', talent.birth_date)
    await chooseOption(visitor, visitor, 'department_id', DEPT)
    await chooseOption(visitor, visitor, 'category', talent.category)
    await chooseOption(visitor, visitor, 'title', talent.title)
    await typeDate(visitor, visitor, 'title_date', talent.title_date)
    assert.equal(await selectedText(visitor, 'department_id'), DEPT)

    await visitor.locator('h1.product-name').click() // leave the date picker
    assert.equal(await requestsDuring(visitor, 'POST', '/api/registration/talent', () =>
      visitor.getByRole('button', { name: '立即注册' }).click()), 0)
    await expectFieldError(visitor, 'id_number', '居民身份证号码校验位不正确，请核对')
    assert.equal(await visitor.locator('.el-form-item__error').count(), 1, 'only the ID number is wrong')
    assert.equal(await visitor.locator('.el-message').count(), 0, 'no toast')
    // The server refuses it the same way.
    const res = await server.api('POST', '/api/registration/talent',
      { ...talent, id_type: '居民身份证', id_number: wrongCheck(talent.id_number), department_id: 1, password_confirm: talent.password })
    assert.equal(res.status, 400)
    assert.deepEqual(res.body.error.fields, { id_number: '居民身份证号码校验位不正确，请核对' })
    assert.equal(hashPath(visitor), '/register/talent')
    await shoot(visitor, 'talent-register-bad-check-digit')
  })

  step('talent registration with a birth date that disagrees with the ID shows the mismatch', async () => {
    await fillByName(visitor, { id_number: talent.id_number })
    await visitor.locator('.el-form-item__error').waitFor({ state: 'hidden' })
    await typeDate(visitor, visitor, 'birth_date', '1975-06-02')
    await expectFieldError(visitor, 'id_number', '身份证号码中的出生日期与填写的出生日期不一致')
    await visitor.locator('h1.product-name').click() // leave the date picker
    assert.equal(await requestsDuring(visitor, 'POST', '/api/registration/talent', () =>
      visitor.getByRole('button', { name: '立即注册' }).click()), 0)
    assert.equal(await visitor.locator('.el-form-item__error').count(), 1)
    await shoot(visitor, 'talent-register-birth-mismatch')
  })

  step('talent registration with valid values succeeds: 注册成功，请登录', async () => {
    await typeDate(visitor, visitor, 'birth_date', talent.birth_date)
    await visitor.locator('.el-form-item__error').waitFor({ state: 'hidden' })
    await visitor.locator('h1.product-name').click() // leave the date picker
    const res = await clickAndWaitFor(visitor, '立即注册', 'POST', '/api/registration/talent')
    assert.ok(res.ok(), `POST /api/registration/talent answered ${res.status()}: ${await res.text()}`)
    await expectMessage(visitor, '注册成功，请登录', 'success')
    await waitForRoute(visitor, '/login')
    await visitor.getByRole('button', { name: '登录', exact: true }).waitFor()
    await shoot(visitor, 'talent-registered-login')
  })

  // 3. A commissioner registers; 4. cannot sign in while pending.

  step('审核用户注册: a commissioner registers and waits for review', async () => {
    await noMessages(visitor)
    await visitor.getByRole('link', { name: '审核用户注册' }).click()
    await waitForRoute(visitor, '/register/staff')
    await visitor.getByRole('heading', { name: '审核用户注册' }).waitFor()
    await visitor.locator('input[name="position"]').waitFor()
    await dataField(visitor, 'registration_type').locator('.el-select__wrapper', { hasText: STAFF_TYPE }).waitFor()
    assert.equal(await selectedText(visitor, 'registration_type'), STAFF_TYPE)
    assert.equal(await selectedText(visitor, 'id_type'), '居民身份证')
    await fillStaffForm(commissioner, DEPT)
    await shoot(visitor, 'staff-register-filled')

    const res = await clickAndWaitFor(visitor, '立即注册', 'POST', '/api/registration/staff')
    assert.ok(res.ok(), `POST /api/registration/staff answered ${res.status()}: ${await res.text()}`)
    await expectMessage(visitor, '注册成功，请等待单位负责人审核', 'success')
    await waitForRoute(visitor, '/login')
    await shoot(visitor, 'staff-registered-login')
  })

  step('the pending commissioner cannot sign in: 正在等待单位负责人审核', async () => {
    await noMessages(visitor)
    const res = await loginThroughUi(visitor, commissioner.username, commissioner.password)
    assert.equal(res.status(), 401)
    const alert = visitor.locator('.el-alert', { hasText: '等待单位负责人审核' })
    await alert.waitFor()
    assert.equal(
      (await alert.locator('.el-alert__title').textContent()).trim(),
      '您的注册申请正在等待单位负责人审核，审核通过后才能登录',
    )
    assert.match((await alert.getAttribute('class')) ?? '', /el-alert--error/)
    assert.equal(hashPath(visitor), '/login')
    assert.equal(await token(visitor), null)
    await shoot(visitor, 'staff-pending-login-refused')
  })

  // 5. The leader approves; 6. the commissioner signs in.

  step('leader approves the commissioner in 服务专员审核', async () => {
    use(leader)
    await noMessages(leader)
    await openMenu(leader, '服务专员审核')
    await leaderStaffTab('待审核', 1)
    const row = staffRow(commissioner)
    await row.waitFor()
    for (const text of [commissioner.name, DEPT, commissioner.position, maskId(commissioner.id_number)]) {
      await row.getByText(text, { exact: true }).first().waitFor()
    }
    await shoot(leader, 'staff-pending-list')

    await row.getByRole('button', { name: '审核' }).click()
    const dlg = dialog(leader, '服务专员审核')
    await dlg.waitFor()
    await dlg.locator('.el-descriptions', { hasText: commissioner.username }).waitFor()
    await dlg.locator('textarea[name="reason"]').waitFor()
    await shoot(leader, 'staff-review-dialog')

    const res = await actAndWaitFor(leader, 'POST', /^\/api\/staff\/\d+\/decision$/, () =>
      dlg.getByRole('button', { name: '通过', exact: true }).click(),
    )
    assert.ok(res.ok(), `decision answered ${res.status()}`)
    await expectMessage(leader, '已审核通过', 'success')
    await dlg.waitFor({ state: 'hidden' })
    await leader.locator('.el-tabs__item', { hasText: '待审核 (0)' }).waitFor()

    await noMessages(leader)
    await leaderStaffTab('审核通过', 1)
    const active = staffRow(commissioner)
    await active.waitFor()
    await active.locator('.el-tag', { hasText: '正常' }).waitFor()
    await active.getByRole('button', { name: '绑定人才' }).waitFor()
    await shoot(leader, 'staff-approved-tab')
  })

  step('the approved commissioner signs in; 高层次人才 is empty', async () => {
    use(visitor)
    await visitorSignsIn(commissioner, '服务专员')
    // Only their own pages in the menu.
    await visitor.locator('.el-aside .el-menu-item', { hasText: '高层次人才' }).waitFor()
    for (const hidden of ['服务专员审核', '二级单位管理', '审计日志']) {
      assert.equal(await visitor.locator('.el-aside .el-menu-item', { hasText: hidden }).count(), 0, `${hidden} hidden`)
    }
    await actAndWaitFor(visitor, 'GET', '/api/talents', () => openMenu(visitor, '高层次人才'))
    await waitForRoute(visitor, '/talents')
    await visitor.locator('.el-breadcrumb', { hasText: '高层次人才' }).waitFor()
    await visitor.locator('.el-table__empty-text', { hasText: '暂无数据' }).waitFor()
    assert.equal(await tableRows(visitor.locator('.el-card')).count(), 0)
    // The leader's 绑定状态 filter is not offered to commissioners.
    assert.equal(await dataField(visitor, 'bound').count(), 0)
    await shoot(visitor, 'commissioner-talents-empty')
  })

  // 7. The leader binds the talent to the commissioner.

  step('leader binds 王堃 to the commissioner: 已添加绑定 1 名人才', async () => {
    use(leader)
    await noMessages(leader)
    await leaderStaffTab('审核通过', 1)
    await staffRow(commissioner).getByRole('button', { name: '绑定人才' }).click()
    const dlg = dialog(leader, `绑定人才 — ${commissioner.name}`)
    await dlg.waitFor()
    await dlg.getByText('已绑定人才（0）').waitFor()
    const pick = dlg.locator('.pick-table')
    const pickRow = tableRows(pick).filter({ hasText: talent.name })
    await pickRow.waitFor()
    await pickRow.locator('.el-tag', { hasText: '未绑定' }).waitFor()
    await pickRow.getByText(maskId(talent.id_number), { exact: true }).waitFor()
    const bindButton = dlg.getByRole('button', { name: '添加绑定' })
    assert.equal(await bindButton.isDisabled(), true, '添加绑定 disabled while nothing is picked')
    await pickRow.locator('.el-checkbox').click()
    await leader.waitForFunction(
      (b) => !b.disabled,
      await bindButton.elementHandle(),
    )
    await shoot(leader, 'bind-dialog-picked')

    const res = await actAndWaitFor(leader, 'POST', /^\/api\/staff\/\d+\/talents$/, () => bindButton.click())
    assert.ok(res.ok(), `bind answered ${res.status()}`)
    await expectMessage(leader, '已添加绑定 1 名人才', 'success')
    await dlg.getByText('已绑定人才（1）').waitFor()
    const boundRow = tableRows(dlg.locator('.bound-table')).filter({ hasText: talent.name })
    await boundRow.waitFor()
    await boundRow.getByText(DEPT).waitFor()
    await boundRow.getByRole('button', { name: '解除绑定' }).waitFor()
    // The pick list shows unbound talents only: 王堃 left it.
    await tableRows(pick).filter({ hasText: talent.name }).waitFor({ state: 'detached' })
    await shoot(leader, 'bind-dialog-bound')
    await dlg.getByRole('button', { name: '关闭', exact: true }).click()
    await dlg.waitFor({ state: 'hidden' })
  })

  // 8. The commissioner sees exactly the bound talent.

  step('the commissioner now sees exactly 王堃, ID masked, revealed by 查看', async () => {
    use(visitor)
    await noMessages(visitor)
    await actAndWaitFor(visitor, 'GET', '/api/talents', () => visitor.reload())
    await waitForRoute(visitor, '/talents')
    const rows = tableRows(visitor.locator('.el-card'))
    await rows.first().waitFor()
    assert.equal(await rows.count(), 1)
    const row = rows.first()
    const cells = row.locator('td')
    assert.equal((await cells.nth(0).innerText()).trim(), talent.name)
    assert.equal((await cells.nth(1).innerText()).trim(), talent.gender)
    const maskedId = (await cells.nth(2).innerText()).trim()
    assert.match(maskedId, /^370102\*{8}\d{3}[\dX]$/)
    assert.equal(maskedId, maskId(talent.id_number))
    assert.equal((await cells.nth(3).innerText()).trim(), '139****0001')
    await row.getByText(DEPT).waitFor()
    await visitor.locator('.list-pagination__info', { hasText: '共1页 1-1 共1条' }).waitFor()
    await shoot(visitor, 'commissioner-talents-bound')

    await actAndWaitFor(visitor, 'GET', /^\/api\/talents\/\d+$/, () =>
      row.getByRole('button', { name: '查看' }).click(),
    )
    const dlg = dialog(visitor, '人才详情')
    await dlg.waitFor()
    const idValue = dlg.locator('.masked-value').first()
    await idValue.locator('.value', { hasText: maskId(talent.id_number) }).waitFor()
    await dlg.getByText(talent.username, { exact: true }).waitFor()
    await dlg.getByText(talent.birth_date, { exact: true }).waitFor()
    await shoot(visitor, 'talent-detail-masked')

    const res = await actAndWaitFor(visitor, 'POST', /^\/api\/talents\/\d+\/reveal$/, () =>
      idValue.getByText('查看', { exact: true }).click(),
    )
    assert.ok(res.ok(), `reveal answered ${res.status()}`)
    await idValue.locator('.value', { hasText: talent.id_number }).waitFor()
    assert.equal((await idValue.locator('.value').innerText()).trim(), talent.id_number)
    assert.equal(await idValue.getByText('查看', { exact: true }).count(), 0, 'the link goes once revealed')
    await shoot(visitor, 'talent-detail-id-revealed')
    await dlg.getByRole('button', { name: '关闭', exact: true }).click()
    await dlg.waitFor({ state: 'hidden' })
  })

  // 9. A second commissioner is rejected with a reason.

  step('a second commissioner registers (choosing 化学学院)', async () => {
    await logoutThroughUi(visitor)
    await noMessages(visitor)
    await visitor.getByRole('link', { name: '审核用户注册' }).click()
    await waitForRoute(visitor, '/register/staff')
    await dataField(visitor, 'registration_type').locator('.el-select__wrapper', { hasText: STAFF_TYPE }).waitFor()
    await fillStaffForm(commissioner2, OTHER_DEPT)
    const res = await clickAndWaitFor(visitor, '立即注册', 'POST', '/api/registration/staff')
    assert.ok(res.ok(), `POST /api/registration/staff answered ${res.status()}: ${await res.text()}`)
    await expectMessage(visitor, '注册成功，请等待单位负责人审核', 'success')
    await waitForRoute(visitor, '/login')
  })

  step('leader rejects: an empty reason is refused, then 不通过 with 所在二级单位选择错误', async () => {
    use(leader)
    await noMessages(leader)
    await leaderStaffTab('待审核', 1)
    const row = staffRow(commissioner2)
    await row.getByText(OTHER_DEPT).waitFor()
    await row.getByRole('button', { name: '审核' }).click()
    const dlg = dialog(leader, '服务专员审核')
    await dlg.locator('.el-descriptions', { hasText: commissioner2.username }).waitFor()

    const empty = await actAndWaitFor(leader, 'POST', /^\/api\/staff\/\d+\/decision$/, () =>
      dlg.getByRole('button', { name: '不通过', exact: true }).click(),
    )
    assert.equal(empty.status(), 400)
    const reasonItem = dlg.locator('.el-form-item', { has: leader.locator('textarea[name="reason"]') })
    const err = reasonItem.locator('.el-form-item__error')
    await err.waitFor()
    assert.equal((await err.innerText()).trim(), '请填写不通过原因')
    await dlg.waitFor() // still open
    await shoot(leader, 'staff-reject-empty-reason')

    await noMessages(leader)
    await dlg.locator('textarea[name="reason"]').fill(REJECT_REASON)
    const res = await actAndWaitFor(leader, 'POST', /^\/api\/staff\/\d+\/decision$/, () =>
      dlg.getByRole('button', { name: '不通过', exact: true }).click(),
    )
    assert.ok(res.ok(), `decision answered ${res.status()}`)
    await expectMessage(leader, '已审核不通过', 'success')
    await dlg.waitFor({ state: 'hidden' })
    await leader.locator('.el-tabs__item', { hasText: '待审核 (0)' }).waitFor()

    await noMessages(leader)
    await leaderStaffTab('审核不通过', 1)
    const rejected = staffRow(commissioner2)
    await rejected.getByText(REJECT_REASON).waitFor()
    await shoot(leader, 'staff-rejected-tab')
  })

  step('the rejected commissioner sees the reason on the login page', async () => {
    use(visitor)
    await noMessages(visitor)
    const res = await loginThroughUi(visitor, commissioner2.username, commissioner2.password)
    assert.equal(res.status(), 401)
    const alert = visitor.locator('.el-alert', { hasText: '未通过审核' })
    await alert.waitFor()
    assert.equal(
      (await alert.locator('.el-alert__title').textContent()).trim(),
      `您的注册申请未通过审核，原因：${REJECT_REASON}`,
    )
    assert.equal(await token(visitor), null)
    await shoot(visitor, 'staff-rejected-login-refused')
  })

  // 10. Roles are enforced in the browser.

  step('a commissioner gets 403 from GET /api/staff and is sent home from /#/audit and /#/staff', async () => {
    await visitorSignsIn(commissioner, '服务专员')
    const bearer = await token(visitor)
    assert.ok(bearer)
    const staff = await fetchInPage(visitor, '/api/staff', bearer)
    assert.equal(staff.status, 403, `GET /api/staff answered ${JSON.stringify(staff)}`)
    assert.equal(staff.body?.error?.code, 'forbidden')
    const audit = await fetchInPage(visitor, '/api/audit', bearer)
    assert.equal(audit.status, 403)
    // Their own list works with the same token.
    assert.equal((await fetchInPage(visitor, '/api/talents', bearer)).status, 200)

    for (const route of ['/audit', '/staff', '/departments']) {
      await visitor.goto(`/#${route}`)
      await waitForRoute(visitor, '/')
      await visitor.locator('h2.greeting').waitFor()
    }
    assert.equal(await visitor.locator('.el-breadcrumb', { hasText: '审计日志' }).count(), 0)
    await shoot(visitor, 'commissioner-audit-redirected-home')
  })

  // 11. The audit log.

  step('leader 审计日志 lists 登录, 服务专员注册, 审核通过, 绑定人才', async () => {
    use(leader)
    await noMessages(leader)
    await actAndWaitFor(leader, 'GET', '/api/audit', () => openMenu(leader, '审计日志'))
    await waitForRoute(leader, '/audit')
    await leader.locator('.el-breadcrumb', { hasText: '审计日志' }).waitFor()
    const rows = tableRows(leader.locator('.el-card'))
    await rows.first().waitFor()
    /** The row whose 操作 column is action and whose text contains text. */
    const auditRow = (action, text) =>
      rows.filter({ has: leader.locator('td:nth-child(4)', { hasText: new RegExp(`^${action}$`) }) }).filter({ hasText: text })
    await auditRow('登录', `用户 ${commissioner.username}`).first().waitFor()
    await auditRow('服务专员注册', commissioner.name).first().waitFor()
    await auditRow('审核通过', commissioner.name).first().waitFor()
    await auditRow('绑定人才', talent.name).first().waitFor()
    await shoot(leader, 'audit-log')

    // The 操作 filter narrows the list to one action.
    await chooseOption(leader, leader, 'action', '绑定人才')
    await actAndWaitFor(leader, 'GET', '/api/audit', () => leader.getByRole('button', { name: '查询' }).click())
    await leader.locator('.el-loading-mask:visible').waitFor({ state: 'hidden' })
    assert.equal(await rows.count(), 1)
    await auditRow('绑定人才', talent.name).waitFor()
    await rows.first().getByText(commissioner.name).waitFor()
    await shoot(leader, 'audit-log-bind-filter')
  })

  // 12. Lockout after five wrong passwords.

  step('five wrong passwords lock the talent on this workstation; the right password then gets the same answer', async () => {
    use(visitor)
    await logoutThroughUi(visitor)
    // A locked account answers exactly like a wrong password, so that a
    // visitor learns neither which names exist nor which are locked.
    const refused = '用户名或密码错误。连续输错5次后，需等待15分钟才能再次登录'
    for (let i = 1; i <= 5; i++) {
      await noMessages(visitor)
      const res = await loginThroughUi(visitor, talent.username, `Wrong@${i}xyz`)
      assert.equal(res.status(), 401, `attempt ${i}`)
      assert.equal((await res.json()).error.message, refused, `attempt ${i}`)
      await visitor.locator('.el-alert__title', { hasText: refused }).waitFor()
    }
    assert.equal(await visitor.locator('input[name="password"]').inputValue(), '')
    await shoot(visitor, 'lockout-fifth-attempt')

    await noMessages(visitor)
    const res = await loginThroughUi(visitor, talent.username, talent.password)
    assert.equal(res.status(), 401)
    assert.equal((await res.json()).error.message, refused)
    await visitor.locator('.el-alert__title', { hasText: refused }).waitFor()
    assert.equal(hashPath(visitor), '/login')
    assert.equal(await token(visitor), null)
    await shoot(visitor, 'lockout-right-password-refused')

    assert.deepEqual(leader.pageErrors, [], 'no uncaught errors in the leader page')
    assert.deepEqual(visitor.pageErrors, [], 'no uncaught errors in the visitor page')
  })
})
