import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime, formatFileSize, roleLabel, staffStatusLabel } from './format'

describe('formatDateTime', () => {
  it('shows a UTC server time in the local zone', () => {
    process.env.TZ = 'Asia/Shanghai'
    expect(formatDateTime('2026-01-02T16:04:05.123456789Z')).toBe('2026-01-03 00:04:05')
    expect(formatDateTime('2026-11-30T01:02:03Z')).toBe('2026-11-30 09:02:03')
  })

  it('leaves empty and unreadable values alone', () => {
    expect(formatDateTime('')).toBe('')
    expect(formatDateTime('not a time')).toBe('not a time')
  })
})

describe('formatDate', () => {
  it('writes a local day as YYYY-MM-DD', () => {
    expect(formatDate(new Date(2029, 1, 28, 23, 59))).toBe('2029-02-28')
    expect(formatDate(new Date(2024, 11, 1))).toBe('2024-12-01')
  })
})

describe('labels', () => {
  it('names roles and account states in Chinese', () => {
    expect(['leader', 'commissioner', 'talent', ''].map(roleLabel)).toEqual(['单位负责人', '服务专员', '高层次人才', ''])
    expect(staffStatusLabel('active')).toBe('正常')
    expect(staffStatusLabel('disabled')).toBe('已停用')
  })
})

describe('formatFileSize', () => {
  it('picks B, KB or MB', () => {
    expect(formatFileSize(512)).toBe('512 B')
    expect(formatFileSize(1536)).toBe('1.5 KB')
    expect(formatFileSize(20 * 1024 * 1024)).toBe('20.0 MB')
  })
})
