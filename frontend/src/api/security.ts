// 数据安全 and 省级对接: signing keys, backups and the recovery key.
import { call, chosen, downloadText, isDesktop, keep } from './transport'
import type { Job } from './jobs'

/** An SM2 public key: the unit's, or the province's. */
export interface SigningKey {
  public_pem: string
  /** SM3 of the key, in groups of four hex digits. */
  fingerprint: string
  created_at: string
}

export interface Keys {
  unit: SigningKey | null
  province: SigningKey | null
}

export interface BackupFile {
  name: string
  size?: number
  at?: string
}

/** 导出恢复密钥: the browser downloads the file; the desktop saves it where the user says. */
async function saveRecoveryKey(passphrase: string, confirm: string): Promise<string | null> {
  const body = { passphrase, passphrase_confirm: confirm }
  if (isDesktop()) {
    const saved = await chosen(call<{ path: string }>('POST', '/api/keys/recovery/save', body))
    return saved && saved.path
  }
  const f = await call<{ file_name: string; content: string }>('POST', '/api/keys/recovery', body)
  downloadText(f.file_name, f.content)
  return ''
}

export const securityApi = {
  keys: () => call<Keys>('GET', '/api/keys'),
  /** 导出单位公钥 (see keep). */
  saveUnitKey: () => keep('/api/keys/unit'),
  setProvinceKey: (publicPEM: string) => call<SigningKey>('PUT', '/api/keys/province', { public_pem: publicPEM }),
  /** Desktop: reads the province key from a file picked in the native dialog; null when the user closed it. */
  chooseProvinceKey: () => chosen(call<SigningKey>('POST', '/api/keys/province/choose')),
  backups: () => call<BackupFile[]>('GET', '/api/backups'),
  backupNow: () => call<Job<BackupFile>>('POST', '/api/backups'),
  /** Browser: downloads a kept backup; desktop: saves it where the user says (see keep). */
  saveBackup: (name: string) => keep(`/api/backups/${encodeURIComponent(name)}`),
  restoreBackup: (name: string) => call<Job<{ kept: string }>>('POST', `/api/backups/${encodeURIComponent(name)}/restore`),
  /** Desktop: restores from an archive picked in the native dialog; null when the user closed it. */
  restoreChosen: () => chosen(call<Job<{ kept: string }>>('POST', '/api/restore/choose')),
  saveRecoveryKey,
}
