import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessage } from 'element-plus'
import AttachmentUpload from './AttachmentUpload.vue'
import { simulateDrop } from '../../desktopDrop'

afterEach(() => {
  delete window.go
  vi.restoreAllMocks()
})

/** A desktop bridge answering every call with status and body. */
function desktop(status: number, body: unknown) {
  const calls: { method: string; path: string; body: string }[] = []
  window.go = {
    app: {
      Bridge: {
        Call: async (req) => {
          calls.push(req)
          return { status, headers: {}, body: JSON.stringify(body), base64: false }
        },
      },
    },
  }
  return calls
}

function mountUpload() {
  return mount(AttachmentUpload, {
    props: { applicationId: 4, kind: 'title_proof', multiple: false },
    global: { plugins: [ElementPlus] },
  })
}

describe('AttachmentUpload in the desktop window', () => {
  it('asks the backend to show the native dialog and reports the attached file', async () => {
    const attachment = { id: 9, kind: 'title_proof', kind_label: '人才称号证明材料', file: { name: '证书.pdf' } }
    const calls = desktop(200, attachment)
    const w = mountUpload()
    expect(w.find('.el-upload').exists()).toBe(false)
    await w.get('button.attachment-choose').trigger('click')
    await flushPromises()
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/api/applications/4/attachments/choose' })
    expect(JSON.parse(calls[0].body)).toEqual({ kind: 'title_proof' })
    expect(w.emitted('uploaded')).toEqual([[attachment]])
  })

  it('says nothing when the user closes the dialog, and shows other refusals', async () => {
    const error = vi.spyOn(ElMessage, 'error')
    desktop(400, { error: { code: 'cancelled', message: '已取消' } })
    const w = mountUpload()
    await w.get('button.attachment-choose').trigger('click')
    await flushPromises()
    expect(error).not.toHaveBeenCalled()
    expect(w.emitted('uploaded')).toBeUndefined()

    desktop(400, { error: { code: 'validation', message: '提交的信息有误', fields: { file: '文件是空的，请重新选择' } } })
    await w.get('button.attachment-choose').trigger('click')
    await flushPromises()
    expect(error).toHaveBeenCalledWith('文件是空的，请重新选择')
  })

  it('attaches a file dropped onto the group, by its path', async () => {
    const attachment = { id: 10, kind: 'title_proof', kind_label: '人才称号证明材料', file: { name: '证书.pdf' } }
    const calls = desktop(200, attachment)
    const w = mount(AttachmentUpload, {
      props: { applicationId: 4, kind: 'title_proof', multiple: false },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    const zone = w.get('.attachment-drop--title_proof').element as HTMLElement
    const original = document.elementFromPoint
    document.elementFromPoint = () => zone
    simulateDrop(10, 10, ['C:\\扫描\\证书.pdf'])
    document.elementFromPoint = original
    await flushPromises()
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/api/applications/4/attachments/dropped' })
    expect(JSON.parse(calls[0].body)).toEqual({ kind: 'title_proof', path: 'C:\\扫描\\证书.pdf' })
    expect(w.emitted('uploaded')).toEqual([[attachment]])
    w.unmount()
  })
})
