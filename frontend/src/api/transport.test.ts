import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, ApiError, handleUnauthorized, setToken } from '.'
import type { BridgeRequest } from './transport'

afterEach(() => {
  vi.unstubAllGlobals()
  delete window.go
  setToken('')
})

function jsonResponse(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

describe('api transport', () => {
  it('uses the desktop bridge when the window has one, with the bearer token', async () => {
    const calls: BridgeRequest[] = []
    window.go = {
      app: {
        Bridge: {
          Call: async (req) => {
            calls.push(req)
            return { status: 200, headers: {}, body: '{"done":true,"unit_name":"山东大学"}', base64: false }
          },
        },
      },
    }
    setToken('tok')
    const s = await api.setupStatus()
    expect(s.unit_name).toBe('山东大学')
    expect(calls[0]).toMatchObject({ method: 'GET', path: '/api/setup', body: '' })
    expect(calls[0].headers.Authorization).toBe('Bearer tok')
  })

  it('uses fetch in a browser and turns errors into ApiError with fields', async () => {
    const fetchMock = vi.fn(async () =>
      jsonResponse(400, { error: { code: 'validation', message: '提交的信息有误', fields: { uscc: '校验位不正确' } } }),
    )
    vi.stubGlobal('fetch', fetchMock)
    const err = await api.login('a', 'b').catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.fields.uscc).toBe('校验位不正确')
    expect(fetchMock).toHaveBeenCalledWith('/api/session', expect.objectContaining({ method: 'POST' }))
  })

  it('drops the token and reports an expired session', async () => {
    vi.stubGlobal('fetch', async () => jsonResponse(401, { error: { code: 'session_expired', message: '登录已超时' } }))
    const seen: string[] = []
    handleUnauthorized((e) => seen.push(e.message))
    setToken('old')
    await expect(api.session()).rejects.toThrow('登录已超时')
    expect(seen).toEqual(['登录已超时'])
    expect(sessionStorage.getItem('huicai.token')).toBeNull()
  })
})

describe('saving files the backend offers', () => {
  it('has the desktop save through the native dialog, and ignores a closed dialog', async () => {
    const answers = [
      { status: 200, headers: {}, body: '{"path":"D:\\\\材料\\\\提交包-HC20261129-01.zip"}', base64: false },
      { status: 500, headers: {}, body: '{"error":{"code":"cancelled","message":"已取消"}}', base64: false },
    ]
    const calls: BridgeRequest[] = []
    window.go = { app: { Bridge: { Call: async (req) => (calls.push(req), answers.shift()!) } } }
    expect(await api.saveBatchPackage(7)).toBe('D:\\材料\\提交包-HC20261129-01.zip')
    expect(await api.saveBatchPackage(7)).toBeNull()
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /api/batches/7/package/save',
      'POST /api/batches/7/package/save',
    ])
  })

  it('downloads in a browser under the name the backend gives', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response('PK', {
            status: 200,
            headers: { 'Content-Disposition': "attachment; filename*=UTF-8''" + encodeURIComponent('提交包-HC1.zip') },
          }),
      ),
    )
    let clicked = ''
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked = this.download
    })
    expect(await api.saveBatchPackage(7)).toBe('')
    click.mockRestore()
    expect(clicked).toBe('提交包-HC1.zip')
    expect(fetch).toHaveBeenCalledWith('/api/batches/7/package/download', expect.anything())
  })
})

describe('导出Excel of a list', () => {
  it('saves the filtered, sorted list, not its page; 待我处理 as todo=1', async () => {
    const calls: BridgeRequest[] = []
    window.go = {
      app: { Bridge: { Call: async (req) => (calls.push(req), { status: 200, headers: {}, body: '{"path":"D:\\\\a.xlsx"}', base64: false }) } },
    }
    await api.saveApplications({ todo: true, state: ['supplement', 'returned'], name: '王', sort: '-updated', page: 3, page_size: 50 })
    await api.saveChanges({ todo: false, department_id: 2, from: '2026-01-01', to: '' })
    await api.saveCardHolders({ status: '有效', expires_to: '2030-12-31' })
    await api.saveTalents({ id_number: '37010219750601001X', sort: 'name' })
    expect(calls.map((c) => `${c.method} ${decodeURIComponent(c.path)}`)).toEqual([
      'POST /api/applications/export/save?todo=1&state=supplement,returned&name=王&sort=-updated',
      'POST /api/changes/export/save?department_id=2&from=2026-01-01',
      'POST /api/card-holders/export/save?status=有效&expires_to=2030-12-31',
      'POST /api/talents/export/save?id_number=37010219750601001X&sort=name',
    ])
  })
})

describe('files', () => {
  it('uploads a file as the raw body with its name URL-encoded', async () => {
    const fetchMock = vi.fn(async (_path: string, _init: RequestInit) =>
      jsonResponse(200, { id: 7, kind: 'id_scan', kind_label: '证件扫描件', file: { name: '身份证.pdf' } }),
    )
    vi.stubGlobal('fetch', fetchMock)
    const file = new File(['%PDF-1.4'], '身份证.pdf', { type: 'application/pdf' })
    const a = await api.uploadAttachment(3, 'id_scan', file)
    expect(a.id).toBe(7)
    const [path, init] = fetchMock.mock.calls[0]
    expect(path).toBe('/api/applications/3/attachments?kind=id_scan')
    expect(init.body).toBe(file)
    expect((init.headers as Record<string, string>)['X-File-Name']).toBe(encodeURIComponent('身份证.pdf'))
  })

  it('reads file bytes from the desktop bridge, base64 or text, typed by Content-Type', async () => {
    const bytes = [0x89, 0x50, 0x4e, 0x47, 0xff]
    let body = { body: btoa(String.fromCharCode(...bytes)), base64: true }
    window.go = {
      app: {
        Bridge: {
          Call: async () => ({ status: 200, headers: { 'Content-Type': 'image/png' }, ...body }),
        },
      },
    }
    const blob = await api.attachmentContent(1, 2)
    expect(blob.type).toBe('image/png')
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual(bytes)
    body = { body: '%PDF-1.4 文本', base64: false }
    const text = await api.attachmentContent(1, 2)
    expect(await text.text()).toBe('%PDF-1.4 文本')
  })

  it('turns a refused download into an ApiError', async () => {
    vi.stubGlobal('fetch', async () => jsonResponse(404, { error: { code: 'not_found', message: '该附件不存在' } }))
    await expect(api.attachmentContent(1, 9)).rejects.toThrow('该附件不存在')
  })
})
