// The cases of the Go tests (internal/validate, talent, card), so the two sides agree.
import { describe, expect, it } from 'vitest'
import choices from './api/__samples__/material_choices.json'
import {
  birthDateProblem,
  choiceProblem,
  confirmProblem,
  degrees,
  educations,
  emailProblem,
  idNumberProblem,
  idTypeProblem,
  isDay,
  mobileProblem,
  normalizeUSCC,
  optionalTextProblem,
  parseResidentID,
  passwordProblem,
  phoneProblem,
  postalCodeProblem,
  residentAgreementProblem,
  residentOf,
  textProblem,
  titleDateProblem,
  trimSpace,
  usccProblem,
  usernameProblem,
} from './validate'

const day = '2026-11-29'

describe('parseResidentID (GB 11643)', () => {
  it('reads the birth date and sex of a valid number', () => {
    expect(parseResidentID('11010519491231002X', day)).toEqual({ birth: '1949-12-31', male: false })
    expect(parseResidentID('370102198001011237', day)).toEqual({ birth: '1980-01-01', male: true })
  })

  it('names what is wrong as the server does', () => {
    const bad: Record<string, string> = {
      '110105194912310021': '居民身份证号码校验位不正确，请核对',
      '11010519491231002': '居民身份证号码应为18位',
      '1101051949123100211': '居民身份证号码应为18位',
      '110105199902300023': '居民身份证号码中的出生日期不存在', // 30 February
      '110105203001010028': '居民身份证号码中的出生日期不存在', // in the future
      '11010519491231A02X': '居民身份证号码前17位应为数字',
      '010105194912310021': '居民身份证号码的地区码不正确',
      '１10105194912310021': '居民身份证号码应为18位', // a full-width digit is three bytes to Go
    }
    for (const [id, want] of Object.entries(bad)) expect(parseResidentID(id, day), id).toBe(want)
  })

  it('gives the holder only for a valid 居民身份证, typed in lower case and with spaces', () => {
    expect(residentOf('居民身份证', ' 11010519491231002x ', day)).toEqual({ birth: '1949-12-31', male: false })
    expect(residentOf('护照', '11010519491231002X', day)).toBeNull()
    expect(residentOf('居民身份证', '110105194912310021', day)).toBeNull()
  })
})

describe('ID types and numbers', () => {
  it('checks the other types by their formats', () => {
    const cases: [string, string, boolean][] = [
      ['护照', 'E12345678', true], ['护照', 'E1', false],
      ['港澳居民来往内地通行证', 'H12345678', true], ['港澳居民来往内地通行证', 'X12345678', false],
      ['台湾居民来往大陆通行证', '12345678', true], ['台湾居民来往大陆通行证', '1234567', false],
      ['外国人永久居留身份证', 'USA110079000001', true], ['外国人永久居留身份证', '911000199001011234', true],
      ['外国人永久居留身份证', '12345', false],
    ]
    for (const [type, id, ok] of cases) expect(idNumberProblem(type, id, day) === '', `${type} ${id}`).toBe(ok)
    expect(idNumberProblem('护照', 'E1', day)).toBe('护照号码应为5至17位字母或数字')
  })

  it('asks for the type first, then the number', () => {
    expect(idTypeProblem('')).toBe('请选择证件类型')
    expect(idTypeProblem('军官证')).toBe('证件类型不在可选范围内')
    expect(idNumberProblem('', '', day)).toBe('')
    expect(idNumberProblem('居民身份证', '  ', day)).toBe('请填写证件号码')
  })

  it('holds the birth date and sex typed beside a 居民身份证 number to it', () => {
    const p = { id_type: '居民身份证', id_number: '370102198001011237', birth_date: '1980-01-01', gender: '男' }
    expect(residentAgreementProblem(p, day)).toBe('')
    expect(residentAgreementProblem({ ...p, birth_date: '1980-01-02' }, day)).toBe('身份证号码中的出生日期与填写的出生日期不一致')
    expect(residentAgreementProblem({ ...p, gender: '女' }, day)).toBe('身份证号码显示的性别与填写的性别不一致')
    expect(residentAgreementProblem({ ...p, gender: '' }, day)).toBe('')
    expect(residentAgreementProblem({ ...p, birth_date: '' }, day)).toBe('')
  })
})

describe('usccProblem (GB 32100)', () => {
  it('accepts valid codes and refuses the rest as the server does', () => {
    const cases: [string, boolean][] = [
      ['91350100M000100Y43', true], ['91370000MA3C5ELC16', true], ['12370000495570512F', true],
      [' 91350100m000100y43 ', true], ['91350100M000100Y44', false], ['91350100M000100Y4', false],
      ['91350100M000100Y433', false], ['91350100M0001O0Y43', false], ['91350100M0001i0Y43', false],
      ['9135010OS000100Y43', false], ['91350100Z000100Y43', false], ['91350100V000100Y43', false], ['', false],
    ]
    for (const [code, ok] of cases) expect(usccProblem(normalizeUSCC(code)) === '', code).toBe(ok)
  })

  it('names the problem', () => {
    expect(usccProblem('12370000495570512G')).toBe('统一社会信用代码校验位不正确，请核对')
    expect(usccProblem('1237000049557O512F')).toBe('统一社会信用代码只能包含数字和除 I、O、Z、S、V 以外的大写字母')
    expect(usccProblem('123')).toBe('统一社会信用代码应为18位')
  })
})

describe('mobile, phone, e-mail, postal code', () => {
  it('checks mobiles', () => {
    const cases: Record<string, boolean> = {
      '13800138000': true, '19912345678': true, '12800138000': false,
      '1380013800': false, '138001380000': false, '1380013800a': false,
    }
    for (const [m, ok] of Object.entries(cases)) expect(mobileProblem(m) === '', m).toBe(ok)
    expect(mobileProblem('')).toBe('请填写手机号码')
    expect(mobileProblem('23800138000')).toBe('手机号码应为以1开头的11位数字')
  })

  it('checks phones, e-mails and postal codes', () => {
    expect(phoneProblem('0531-86123456', '联系电话')).toBe('')
    expect(phoneProblem('053186123456-12', '办公电话')).toBe('')
    expect(phoneProblem('86123456', '办公电话')).toBe('办公电话应为手机号码或带区号的固定电话，如 0531-86123456')
    expect(phoneProblem('', '联系电话')).toBe('请填写联系电话')
    for (const [e, ok] of Object.entries({ 'wang@sdu.edu.cn': true, 'a.b+c@x.io': true, 'wang@': false, 'wang at sdu': false, '<a>@x.cn': false })) {
      expect(emailProblem(e) === '', e).toBe(ok)
    }
    expect(postalCodeProblem('')).toBe('')
    expect(postalCodeProblem('250100')).toBe('')
    expect(postalCodeProblem('25010')).toBe('邮政编码应为6位数字')
  })
})

describe('passwords and user names', () => {
  it('checks the password rule', () => {
    const cases: Record<string, boolean> = {
      Abcdef12: true, 'abcdef1!': true, 'ABCDEF1!': true, '密码Ab1!xyz': true,
      abcdefgh: false, abcdef12: false, 'Ab1!': false, ABCDEFGH: false, 'abcdefgh!': false, '': false,
    }
    for (const [p, ok] of Object.entries(cases)) expect(passwordProblem(p) === '', p).toBe(ok)
    expect(passwordProblem('Ab1!')).toBe('密码长度应为8至64位')
    expect(passwordProblem('abcdefgh')).toBe('密码需包含大写字母、小写字母、数字、符号中的至少三类')
    expect(confirmProblem('Abcdef12', 'Abcdef13')).toBe('两次输入的密码不一致')
  })

  it('checks user names', () => {
    expect(usernameProblem('')).toBe('请填写用户名')
    expect(usernameProblem('wang.kun-2')).toBe('')
    expect(usernameProblem('2wang')).toBe('用户名应为4至32位，以字母开头，只含字母、数字、下划线、点或短横线')
  })
})

describe('texts', () => {
  it('collects the first problem as Checker.Text does', () => {
    expect(textProblem('', '姓名', 10)).toBe('请填写姓名')
    expect(textProblem('一二三四五', '名称', 4)).toBe('名称不能超过4个字')
    expect(textProblem('a\u0000b', '名称', 4)).toBe('名称含有不可见的控制字符')
    expect(textProblem('𠮷田堃 O\'Brien-李', '姓名', 30)).toBe('')
    expect(textProblem('  王伟  ', '姓名', 2)).toBe('')
    expect(optionalTextProblem('  ', '通讯地址', 200)).toBe('')
  })

  it('refuses hidden and invalid characters', () => {
    for (const v of ['王\u202e伟', '王\u200b伟', '\ufeff王伟', '王\u2066伟\u2069', '王\ud800伟', '王\ufffd伟', '王\u0085伟']) {
      expect(textProblem(v, '姓名', 30), JSON.stringify(v)).toBe('姓名含有无法识别、不可见或改变文字方向的字符，请删除后重新输入')
    }
  })

  it('trims as Go trims', () => {
    expect(trimSpace('\u3000 王伟\n')).toBe('王伟')
    expect(trimSpace('\ufeff王伟')).toBe('\ufeff王伟')
  })
})

describe('dates', () => {
  it('reads days as time.Parse does', () => {
    expect(isDay('2024-02-29')).toBe(true)
    expect(isDay('2023-02-29')).toBe(false)
    expect(isDay('2024-2-1')).toBe(false)
  })

  it('checks birth and title dates', () => {
    expect(birthDateProblem('', day)).toBe('请选择出生日期')
    expect(birthDateProblem('1899-12-31', day)).toBe('出生日期不正确')
    expect(birthDateProblem('2026-11-30', day)).toBe('出生日期不正确')
    expect(titleDateProblem('', '1980-01-01', day)).toBe('请选择称号获得时间')
    expect(titleDateProblem('1979-12-31', '1980-01-01', day)).toBe('称号获得时间不正确')
    expect(titleDateProblem('1979-12-31', '', day)).toBe('')
    expect(titleDateProblem('2026-11-30', '1980-01-01', day)).toBe('称号获得时间不正确')
  })
})

describe('最高学历 and 最高学位', () => {
  // material_choices.json is Go's card.Educations and card.Degrees, written and kept current by app/tsjson_test.go.
  it('offers exactly what the server accepts', () => {
    expect(educations).toEqual(choices.education)
    expect(degrees).toEqual(choices.degree)
  })

  it('refuses a stored free text', () => {
    expect(choiceProblem('研究生', '最高学历', educations)).toBe('最高学历不在可选范围内，请从列表中选择')
    expect(choiceProblem('', '最高学历', educations)).toBe('')
    expect(choiceProblem('大学本科', '最高学历', educations)).toBe('')
  })
})
