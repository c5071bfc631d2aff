import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, ApiError, handleUnauthorized, setToken } from './api'

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
    const calls: any[] = []
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
