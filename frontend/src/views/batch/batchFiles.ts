// Getting a batch's files out: in a browser as downloads, in the desktop
// window saved through the native dialog (the batch list and page share this).
import { ElMessage } from 'element-plus'
import { allows, api, isDesktop, type Batch } from '../../api'
import { showError } from '../../forms'

const desktop = isDesktop()

export const exportsLabel = desktop ? '保存导出材料' : '下载导出材料'
export const packageLabel = desktop ? '保存提交包' : '下载提交包'

/** Runs a save; tells where the desktop put it. A closed dialog says nothing. */
async function saving(save: () => Promise<string | null>, told: string) {
  try {
    const where = await save()
    if (where) ElMessage.success(`${told} ${where}`)
  } catch (err) {
    showError(err)
  }
}

export const saveExports = (b: Batch) => saving(() => api.saveBatchExports(b.id), '已导出到')
export const savePackage = (b: Batch) => saving(() => api.saveBatchPackage(b.id), '提交包已保存到')

/** True while the server lets the batch be taken back (撤销汇总提交). */
export const cancellable = (b: Batch) => allows(b, 'cancel')

const stateTags: Record<Batch['state'], 'info' | 'warning' | 'primary' | 'success' | 'danger'> = {
  draft: 'info',
  exported: 'warning',
  submitted: 'primary',
  closed: 'success',
  cancelled: 'danger',
}

/** The el-tag type a batch's state is shown with. */
export const stateTag = (b: Batch) => stateTags[b.state]
