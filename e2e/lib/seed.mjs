// Seeding a fresh server through the API (no UI, fast): the unit and leader,
// a department, talents (their 惠才卡 applications come with them), a
// commissioner bound to them, each application's attachments and materials
// submitted, and the leader's approval — so the applications wait in 惠才卡汇总提交.
import { sampleSetup, setupViaApi } from './server.mjs'
import { residentId } from './ui.mjs'

export const leaderPassword = sampleSetup.password

/** The commissioner (用人单位服务专员) the seed registers and approves. */
export const sampleCommissioner = Object.freeze({
  registration_type: '用人单位服务专员注册（具体到二级单位）',
  name: '赵专员',
  id_type: '居民身份证',
  id_number: residentId('370102', '1985-03-15', '021'),
  mobile: '13900139021',
  position: '科员',
  office_phone: '0531-88364001',
  username: 'zhuanyuan',
  password: 'Staff@2026',
  password_confirm: 'Staff@2026',
})

/** Talent names with rare characters (the PDFs' fonts must carry them). */
export const rareNames = Object.freeze(['王堃', '李喆', '张赟'])

/** Materials a commissioner submits to the leader for one application. */
export const sampleMaterials = Object.freeze({
  highest_education: '博士研究生',
  highest_degree: '博士',
  school_major: '山东大学 物理学',
  professional_title: '教授',
  current_position: '教授',
  field: '物理',
  title_document: '鲁政字〔2018〕1号',
  achievements: '主持国家重点研发计划项目。',
  postal_address: '济南市山大南路27号',
  postal_code: '250100',
})

/** A tiny PDF body, enough for an attachment upload. */
export const tinyPdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1')

/**
 * Calls the API from Node and throws unless it answers 2xx. body: an object
 * (sent as JSON) or a Buffer (sent raw). Returns the parsed JSON (or null).
 */
export async function call(server, method, urlPath, body, token, headers = {}) {
  const h = { Accept: 'application/json', ...headers }
  if (token) h.Authorization = `Bearer ${token}`
  let payload
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) payload = body
  else if (body !== undefined) {
    payload = JSON.stringify(body)
    h['Content-Type'] = 'application/json'
  }
  const res = await fetch(server.url + urlPath, { method, headers: h, body: payload })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${urlPath} → ${res.status} ${text}`)
  return text ? JSON.parse(text) : null
}

/** Signs in through the API; returns the session token. */
export async function apiLogin(server, username, password) {
  const res = await call(server, 'POST', '/api/session', { username, password })
  if (!res?.token) throw new Error(`no token for ${username}: ${JSON.stringify(res)}`)
  return res.token
}

/**
 * The registration of talent i (0-based) named name: a valid 居民身份证 number
 * born 1975-06-01, male (odd 17th digit), distinct mobile, e-mail and username.
 */
export function talentInput(name, i, departmentId) {
  return {
    name,
    gender: '男',
    birth_date: '1975-06-01',
    nationality: '中国',
    id_type: '居民身份证',
    id_number: residentId('370102', '1975-06-01', String(11 + 2 * i).padStart(3, '0')),
    mobile: `1370000${String(1001 + i)}`,
    email: `talent${i + 1}@sdu.edu.cn`,
    department_id: departmentId,
    category: '泰山学者',
    title: '泰山学者特聘专家',
    title_date: '2018-09-01',
    username: `talent${i + 1}`,
    password: leaderPassword,
    password_confirm: leaderPassword,
  }
}

/**
 * Seeds a fresh server up to applications the leader approved (单位审核通过).
 * Options: names (talents to register), department (its name), setup (run
 * first-run setup first; default true).
 * Returns { leaderToken, commissionerToken, departmentId, staffId, talents: [{ id, name, applicationId }] }.
 */
export async function seedApprovedApplications(
  server,
  { names = rareNames, department = '物理学院', setup = true } = {},
) {
  if (setup) await setupViaApi(server)
  const leaderToken = await apiLogin(server, sampleSetup.username, leaderPassword)
  const dept = await call(server, 'POST', '/api/departments', { name: department }, leaderToken)

  const talents = []
  for (const [i, name] of names.entries()) {
    const t = await call(server, 'POST', '/api/registration/talent', talentInput(name, i, dept.id))
    talents.push({ id: t.id, name })
  }

  const staff = await call(server, 'POST', '/api/registration/staff', {
    ...sampleCommissioner,
    department_id: dept.id,
  })
  await call(server, 'POST', `/api/staff/${staff.id}/decision`, { action: 'approve' }, leaderToken)
  await call(server, 'POST', `/api/staff/${staff.id}/talents`, { talent_ids: talents.map((t) => t.id) }, leaderToken)

  const commissionerToken = await apiLogin(server, sampleCommissioner.username, sampleCommissioner.password)
  const apps = await call(server, 'GET', '/api/applications?page_size=100', undefined, commissionerToken)
  for (const t of talents) {
    const a = apps.items.find((x) => x.talent_id === t.id)
    if (!a) throw new Error(`no application for talent ${t.name} (id ${t.id}): ${JSON.stringify(apps.items)}`)
    t.applicationId = a.id
    for (const kind of ['id_scan', 'title_proof']) {
      await call(server, 'POST', `/api/applications/${a.id}/attachments?kind=${kind}`, tinyPdf, commissionerToken, {
        'Content-Type': 'application/pdf',
        'X-File-Name': encodeURIComponent(`${t.name}-${kind}.pdf`),
      })
    }
    const d = await call(server, 'GET', `/api/applications/${a.id}`, undefined, commissionerToken)
    const sub = await call(
      server,
      'POST',
      `/api/applications/${a.id}/submit`,
      { version: d.application.version, ...sampleMaterials },
      commissionerToken,
    )
    await call(
      server,
      'POST',
      `/api/applications/${a.id}/review`,
      { version: sub.application.version, result: 'approve' },
      leaderToken,
    )
  }
  return { leaderToken, commissionerToken, departmentId: dept.id, staffId: staff.id, talents }
}
