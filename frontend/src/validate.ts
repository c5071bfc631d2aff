// The server's input rules, so that forms can check on blur what the server
// checks on save. Each function mirrors one Go check — internal/validate
// (Checker.Text, ParseResidentID, IDProblem, USCCProblem, PasswordProblem,
// IsMobile, IsPhone, IsEmail), account.CheckUsername, talent.Profile.Check,
// card's materials, change.Input.check — and answers the same Chinese
// message, or '' when the value passes. Values are taken as the server
// normalizes them (trimmed; ID numbers and credit codes in upper case).
import { formatDate } from './format'

/** Today as YYYY-MM-DD, the latest day a birth, title or change date may be. */
export function today(): string {
  return formatDate(new Date())
}

const edgeSpace = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g

/** Go's strings.TrimSpace: Unicode white space off both ends (a byte-order mark stays, unlike String.trim). */
export function trimSpace(s: string): string {
  return (s ?? '').replace(edgeSpace, '')
}

/** Characters counted as Go counts runes. */
function length(s: string): number {
  return [...s].length
}

/** hasControl: a control character but tab and line breaks. */
function hasControl(s: string): boolean {
  return [...s].some((r) => {
    const c = r.codePointAt(0)!
    return (c < 0x20 && r !== '\n' && r !== '\t' && r !== '\r') || c === 0x7f
  })
}
// Format characters (bidi overrides, zero-width spaces, byte-order marks), C1 controls, U+FFFD and lone surrogates
// (which reach Go as U+FFFD).
const hidden = /[\p{Cf}\u0080-\u009f\ufffd]|\p{Cs}/u

/** Checker.Text: a required text of at most max characters; label names the field in the message. */
export function textProblem(value: string, label: string, max: number): string {
  const v = trimSpace(value ?? '')
  if (v === '') return `请填写${label}`
  if (length(v) > max) return `${label}不能超过${max}个字`
  if (hasControl(v)) return `${label}含有不可见的控制字符`
  if (hidden.test(v)) return `${label}含有无法识别、不可见或改变文字方向的字符，请删除后重新输入`
  return ''
}

/** Checker.OptionalText: the same checks, when anything is given. */
export function optionalTextProblem(value: string, label: string, max: number): string {
  return trimSpace(value ?? '') === '' ? '' : textProblem(value, label, max)
}

/** Checker.Choice: a value given must be one of choices. */
export function choiceProblem(value: string, label: string, list: readonly string[]): string {
  return value && !list.includes(value) ? `${label}不在可选范围内，请从列表中选择` : ''
}

/** 最高学历 as the server accepts them (card.Educations): the levels of GB/T 4658, highest first. */
export const educations: readonly string[] = [
  '博士研究生', '硕士研究生', '大学本科', '大学专科', '中等专科', '职业高中', '技工学校', '普通高中', '初中', '小学', '其他',
]

/** 最高学位 as the server accepts them (card.Degrees): those of GB/T 6864, and 无. */
export const degrees: readonly string[] = ['博士', '硕士', '学士', '无']

/** A real calendar day written YYYY-MM-DD, as Go's time.Parse("2006-01-02") reads one. */
export function isDay(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.toISOString().slice(0, 10) === s
}

export const idResident = '居民身份证'

const idPatterns: Record<string, RegExp> = {
  护照: /^[A-Z0-9]{5,17}$/,
  港澳居民来往内地通行证: /^[HM][0-9]{8}([0-9]{2})?$/,
  台湾居民来往大陆通行证: /^[0-9]{8}([0-9]{2})?$/,
  外国人永久居留身份证: /^([A-Z]{3}[0-9]{12}|9[0-9]{16}[0-9X])$/,
}

const idFormatHelp: Record<string, string> = {
  护照: '护照号码应为5至17位字母或数字',
  港澳居民来往内地通行证: '港澳居民来往内地通行证号码应为 H 或 M 加8位或10位数字',
  台湾居民来往大陆通行证: '台湾居民来往大陆通行证号码应为8位或10位数字',
  外国人永久居留身份证: '外国人永久居留身份证号码应为15位（3位字母加12位数字）或以9开头的18位',
}

/** NormalizeID: trimmed and upper-cased (the check character x). */
export function normalizeID(s: string): string {
  return trimSpace(s ?? '').toUpperCase()
}

/** What a valid 居民身份证 number says about its holder. */
export interface ResidentID {
  /** YYYY-MM-DD */
  birth: string
  male: boolean
}

const residentWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

/**
 * ParseResidentID: an 18-digit 居民身份证 number (GB 11643) — its format, birth date and check digit. Answers the
 * problem in Chinese, or the birth date and sex the number encodes. id should already be normalized.
 */
export function parseResidentID(id: string, day = today()): ResidentID | string {
  if (new TextEncoder().encode(id).length !== 18) return '居民身份证号码应为18位'
  let sum = 0
  for (let i = 0; i < 17; i++) {
    if (id[i] < '0' || id[i] > '9') return '居民身份证号码前17位应为数字'
    sum += Number(id[i]) * residentWeights[i]
  }
  if (id[0] === '0') return '居民身份证号码的地区码不正确'
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`
  if (!isDay(birth) || birth < '1900-01-01' || birth > day) return '居民身份证号码中的出生日期不存在'
  if ('10X98765432'[sum % 11] !== id[17]) return '居民身份证号码校验位不正确，请核对'
  return { birth, male: Number(id[16]) % 2 === 1 }
}

/** The holder of a valid 居民身份证 number of the given type, else null. */
export function residentOf(idType: string, id: string, day = today()): ResidentID | null {
  if (idType !== idResident) return null
  const r = parseResidentID(normalizeID(id), day)
  return typeof r === 'string' ? null : r
}

/** Checker.ID for the 证件类型 field. */
export function idTypeProblem(idType: string): string {
  if (!idType) return '请选择证件类型'
  return idType === idResident || idPatterns[idType] ? '' : '证件类型不在可选范围内'
}

/** Checker.ID for the 证件号码 field: '' while the type is wrong (that field says so). */
export function idNumberProblem(idType: string, id: string, day = today()): string {
  if (idTypeProblem(idType)) return ''
  const n = normalizeID(id)
  if (n === '') return '请填写证件号码'
  if (idType === idResident) {
    const r = parseResidentID(n, day)
    return typeof r === 'string' ? r : ''
  }
  return idPatterns[idType].test(n) ? '' : idFormatHelp[idType]
}

/** Checker.Mobile: a required 11-digit mainland mobile number. */
export function mobileProblem(value: string): string {
  const v = trimSpace(value ?? '')
  if (v === '') return '请填写手机号码'
  return /^1[3-9][0-9]{9}$/.test(v) ? '' : '手机号码应为以1开头的11位数字'
}

/** IsPhone for a required phone field (联系电话, 办公电话): a mobile or a landline such as 0531-86123456. */
export function phoneProblem(value: string, label: string): string {
  const v = trimSpace(value ?? '')
  if (v === '') return `请填写${label}`
  return /^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?)$/.test(v)
    ? ''
    : `${label}应为手机号码或带区号的固定电话，如 0531-86123456`
}

/** talent.Profile.Check for 电子邮箱. */
export function emailProblem(value: string): string {
  const v = trimSpace(value ?? '')
  if (v === '') return '请填写电子邮箱'
  const ok = v.length <= 100 && /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(v)
  return ok ? '' : '电子邮箱格式不正确'
}

const usccAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const usccWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** NormalizeUSCC: trimmed and upper-cased. */
export function normalizeUSCC(s: string): string {
  return trimSpace(s ?? '').toUpperCase()
}

/** USCCProblem: why code is not a valid 统一社会信用代码 (GB 32100), or ''. code should already be normalized. */
export function usccProblem(code: string): string {
  if (new TextEncoder().encode(code).length !== 18) return '统一社会信用代码应为18位'
  let sum = 0
  for (let i = 0; i < 18; i++) {
    const v = usccAlphabet.indexOf(code[i])
    if (v < 0) return '统一社会信用代码只能包含数字和除 I、O、Z、S、V 以外的大写字母'
    if (i < 17) sum += v * usccWeights[i]
  }
  return usccAlphabet[(31 - (sum % 31)) % 31] === code[17] ? '' : '统一社会信用代码校验位不正确，请核对'
}

/** The password rule in words, for the help text under password fields. */
export const passwordRule = '8至64位，含大写字母、小写字母、数字、符号中的至少三类'

/** The class of a password character as Go's unicode.IsUpper, IsLower and IsDigit sort it. */
function charClass(r: string): string {
  if (/\p{Lu}/u.test(r)) return 'upper'
  if (/\p{Ll}/u.test(r)) return 'lower'
  return /\p{Nd}/u.test(r) ? 'digit' : 'other'
}

/** PasswordProblem: 8 to 64 characters from at least three of upper case, lower case, digits and symbols. */
export function passwordProblem(password: string): string {
  const n = length(password ?? '')
  if (n < 8 || n > 64) return '密码长度应为8至64位'
  const classes = new Set([...password].map(charClass))
  return classes.size < 3 ? '密码需包含大写字母、小写字母、数字、符号中的至少三类' : ''
}

/** Checker.Password for the confirmation. */
export function confirmProblem(password: string, confirm: string): string {
  return password === confirm ? '' : '两次输入的密码不一致'
}

/** account.CheckUsername. */
export function usernameProblem(username: string): string {
  const v = trimSpace(username ?? '')
  if (v === '') return '请填写用户名'
  return /^[A-Za-z][A-Za-z0-9_.-]{3,31}$/.test(v) ? '' : '用户名应为4至32位，以字母开头，只含字母、数字、下划线、点或短横线'
}

/** card's 邮政编码 when given. */
export function postalCodeProblem(value: string): string {
  const v = trimSpace(value ?? '')
  return v === '' || /^[0-9]{6}$/.test(v) ? '' : '邮政编码应为6位数字'
}

/** talent.Profile.Check for 出生日期. */
export function birthDateProblem(value: string, day = today()): string {
  if (!value) return '请选择出生日期'
  return isDay(value) && value >= '1900-01-01' && value <= day ? '' : '出生日期不正确'
}

/**
 * talent.Profile.Check's agreement of a valid 居民身份证 number with the birth date and sex typed beside it (both on
 * the 证件号码 field, as the server reports them).
 */
export function residentAgreementProblem(p: { id_type: string; id_number: string; birth_date: string; gender: string }, day = today()): string {
  const holder = residentOf(p.id_type, p.id_number, day)
  if (!holder || birthDateProblem(p.birth_date, day)) return ''
  if (holder.birth !== p.birth_date) return '身份证号码中的出生日期与填写的出生日期不一致'
  if ((p.gender === '男' || p.gender === '女') && p.gender !== (holder.male ? '男' : '女')) {
    return '身份证号码显示的性别与填写的性别不一致'
  }
  return ''
}

/** talent.Profile.Check for 称号获得时间: not after today, nor before a valid birth date. */
export function titleDateProblem(value: string, birth: string, day = today()): string {
  if (!value) return '请选择称号获得时间'
  const before = !birthDateProblem(birth, day) && value < birth
  return isDay(value) && value <= day && !before ? '' : '称号获得时间不正确'
}
