// Each form's rules, field by field in the order the server checks them
// (the Go Check methods named on each), built from validate.ts.
import type { FormItemRule } from 'element-plus'
import { rule } from './forms'
import * as v from './validate'

type Rules = Record<string, FormItemRule[]>

/** 用户名, 密码, 确认密码 (account.CheckUsername, Checker.Password). */
export function accountRules(form: { password: string }): Rules {
  return {
    username: [rule(v.usernameProblem)],
    password: [rule(v.passwordProblem)],
    password_confirm: [rule((c: string) => v.confirmProblem(form.password, c))],
  }
}

/** 证件类型 and 证件号码 (Checker.ID). */
function idRules(form: { id_type: string }): Rules {
  return {
    id_type: [rule(v.idTypeProblem, 'change')],
    id_number: [rule((id: string) => v.idNumberProblem(form.id_type, id))],
  }
}

/** First-run setup: the unit (unit.Unit.Check), its leader (account.NewLeader.Check) and the setup token. */
export function setupRules(form: { password: string }, tokenRequired: () => boolean): Rules {
  return {
    setup_token: [rule((t: string) => (tokenRequired() && !v.trimSpace(t) ? '请填写服务器窗口中显示的初始设置口令' : ''))],
    unit_name: [rule((s: string) => v.textProblem(s, '单位名称', 100))],
    uscc: [rule((s: string) => (v.trimSpace(s) ? v.usccProblem(v.normalizeUSCC(s)) : '请填写统一社会信用代码'))],
    address: [rule((s: string) => v.textProblem(s, '单位地址', 200))],
    contact_person: [rule((s: string) => v.textProblem(s, '联系人', 30))],
    contact_phone: [rule((s: string) => v.phoneProblem(s, '联系电话'))],
    leader_name: [rule((s: string) => v.textProblem(s, '姓名', 30))],
    mobile: [rule(v.mobileProblem)],
    ...accountRules(form),
  }
}

/** 审核用户注册 (account.NewStaff.Check). */
export function staffRules(form: { id_type: string; password: string }, registrationType: () => string): Rules {
  return {
    registration_type: [rule((t: string) => (t && t === registrationType() ? '' : '请选择注册类型'), 'change')],
    name: [rule((s: string) => v.textProblem(s, '姓名', 30))],
    ...idRules(form),
    mobile: [rule(v.mobileProblem)],
    department_id: [rule((id?: number) => (id ? '' : '请选择所在二级单位'), 'change')],
    position: [rule((s: string) => v.textProblem(s, '职务', 30))],
    office_phone: [rule((s: string) => v.phoneProblem(s, '办公电话'))],
    ...accountRules(form),
  }
}

/** The profile fields a talent's rules read. */
interface Profile {
  id_type: string
  id_number: string
  birth_date: string
  gender: string
}

/** A talent's profile (talent.Profile.Check), for 高层次人才注册 and 我的信息. */
export function profileRules(form: Profile): Rules {
  const ids = idRules(form)
  return {
    name: [rule((s: string) => v.textProblem(s, '姓名', 50))],
    gender: [rule((g: string) => (g === '男' || g === '女' ? '' : '请选择性别'), 'change')],
    birth_date: [rule((d: string | null) => v.birthDateProblem(d ?? ''), 'change')],
    nationality: [rule((s: string) => v.textProblem(s, '国籍（地区）', 50))],
    id_type: ids.id_type,
    id_number: [...ids.id_number, rule(() => v.residentAgreementProblem(form))],
    mobile: [rule(v.mobileProblem)],
    email: [rule(v.emailProblem)],
    department_id: [rule((id?: number) => (id ? '' : '请选择所在二级单位'), 'change')],
    category: [rule((s: string) => (s ? '' : '请选择人才类别'), 'change')],
    title: [rule((s: string) => (s ? '' : '请选择人才称号'), 'change')],
    title_date: [rule((d: string | null) => v.titleDateProblem(d ?? '', form.birth_date), 'change')],
  }
}

/** What checks in a profile read other fields: the ID agreement and the title date. */
export const profileRelated = {
  id_type: ['id_number'],
  birth_date: ['id_number', 'title_date'],
  gender: ['id_number'],
}

/** What checks in the account fields read other fields. */
export const accountRelated = { password: ['password_confirm'] }

/** 修改密码 (account.Service.ChangePassword). */
export function passwordChangeRules(form: { old_password: string; new_password: string }): Rules {
  return {
    old_password: [rule((s: string) => (s ? '' : '请填写原密码'))],
    new_password: [
      rule((s: string) => v.passwordProblem(s) || (s === form.old_password && s !== '' ? '新密码不能与原密码相同' : '')),
    ],
    password_confirm: [rule((c: string) => v.confirmProblem(form.new_password, c))],
  }
}

/** A material as the rules need it: its key, label and length limit (card's materialFields). */
interface MaterialRule {
  key: string
  label: string
  max: number
}

/**
 * 补充材料 (card's checkLengths on 保存, checkComplete on 提交到单位负责人:
 * complete() says which), with the two required attachment groups
 * (counted by attached(kind)).
 */
export function materialRules(fields: MaterialRule[], complete: () => boolean, attached: (kind: string) => number): Rules {
  const lists: Record<string, readonly string[]> = { highest_education: v.educations, highest_degree: v.degrees }
  const out: Rules = {}
  for (const f of fields) {
    const list = lists[f.key]
    const text = (s: string) => (complete() ? v.textProblem(s, f.label, f.max) : v.optionalTextProblem(s, f.label, f.max))
    out[f.key] =
      f.key === 'postal_code'
        ? [rule((s: string) => (complete() && !v.trimSpace(s) ? '请填写邮政编码' : v.postalCodeProblem(s)))]
        : [rule((s: string) => text(s) || (list ? v.choiceProblem(s, f.label, list) : ''), list ? 'change' : 'blur')]
  }
  const upload = (kind: string, message: string) => [rule(() => (complete() && !attached(kind) ? message : ''), 'change')]
  out['attachments.id_scan'] = upload('id_scan', '请上传证件扫描件')
  out['attachments.title_proof'] = upload('title_proof', '请上传人才称号证明材料')
  return out
}

/** What the 变动 form's rules need beyond its values: the chosen type and the card's issue date. */
interface ChangeContext {
  isNew: () => boolean
  movesOut: () => boolean
  internal: () => boolean
  issuedOn: () => string
}

/** 变动 (change.Input.check; a new request also names its talent). */
export function changeRules(c: ChangeContext): Rules {
  const date = (d: string | null) => {
    if (!d) return '请选择变动发生日期'
    if (!v.isDay(d)) return '变动发生日期不正确'
    if (d > v.today()) return '变动发生日期不能晚于今天'
    return d < c.issuedOn() ? `变动发生日期不能早于惠才卡发卡日期（${c.issuedOn()}）` : ''
  }
  const code = (s: string) => {
    const p = c.movesOut() && v.trimSpace(s) ? v.usccProblem(v.normalizeUSCC(s)) : ''
    return p && `调入单位编码（统一社会信用代码）有误：${p}`
  }
  return {
    talent_id: [rule((id?: number) => (c.isNew() && !id ? '请选择要报送变动的高层次人才' : ''), 'change')],
    change_type_id: [rule((id?: number) => (id ? '' : '请选择变动类型'), 'change')],
    change_date: [rule(date, 'change')],
    receiving_unit_name: [rule((s: string) => (c.movesOut() ? v.textProblem(s, '调入单位名称', 100) : ''))],
    receiving_unit_code: [rule(code, 'blur', false)],
    new_department_id: [rule((id?: number) => (c.internal() && !id ? '请选择调入的二级单位' : ''), 'change')],
    description: [rule((s: string) => v.textProblem(s, '变动情况描述', 500))],
  }
}

/** 登记已有惠才卡 (card.RecordExisting): 有效期至 may stay empty (five years). */
export function existingCardRules(form: { issued_on?: string | null }): Rules {
  const issued = (d: string | null) => {
    if (!d) return '请选择发卡日期'
    return v.isDay(d) && d <= v.today() ? '' : '请选择正确的发卡日期'
  }
  const expires = (d: string | null) => {
    const from = form.issued_on ?? ''
    return d && from && !issued(from) && !(v.isDay(d) && d > from) ? '有效期至应晚于发卡日期' : ''
  }
  return {
    talent_id: [rule((id?: number) => (id ? '' : '请选择高层次人才'), 'change')],
    card_no: [rule((s: string) => v.textProblem(s, '惠才卡号', 40))],
    issued_on: [rule(issued, 'change')],
    expires_on: [rule(expires, 'change', false)],
  }
}

/** A name in 二级单位管理 or 人才类别与称号 (unit's and talent's checks, label as their messages say it). */
export function nameRules(label: string): Rules {
  return { name: [rule((s: string) => v.textProblem(s, label, 60))] }
}
