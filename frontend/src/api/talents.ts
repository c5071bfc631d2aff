// 高层次人才: the talents list, one talent, and the talent's own 我的信息.
import { call, keepList, query, type Page } from './transport'

/** What a talent tells about themself, at registration and in 我的信息. */
export interface TalentProfile {
  name: string
  gender: '' | '男' | '女'
  birth_date: string
  nationality: string
  id_type: string
  id_number: string
  mobile: string
  email: string
  department_id: number | undefined
  category: string
  title: string
  title_date: string
}

export interface Talent extends Omit<TalentProfile, 'gender' | 'department_id'> {
  id: number
  gender: '男' | '女'
  department_id: number
  username: string
  /** 0 when not bound to a commissioner. */
  commissioner_id: number
  created_at: string
  /** Counts edits; a save names the version it edited. */
  version: number
  /** False for a record the unit imported that no one can sign in to yet. */
  has_account: boolean
}

/** A sign-in the unit opened for an imported talent: the temporary password is shown once. */
export interface OpenedAccount {
  username: string
  password: string
}

/** The talent's own profile, with whether they may still change it. */
export interface MyTalent extends Talent {
  /** False once their application has gone to the leader. */
  editable: boolean
  /** Why the profile cannot change ('' while editable). */
  locked_reason: string
}

export interface TalentFilter {
  /** Part of a name. */
  name?: string
  /** A whole ID number. */
  id_number?: string
  /** 'none': only talents holding no valid card (登记已有惠才卡). */
  card?: 'none'
  /** name, department or created; a leading - for descending. */
  sort?: string
  department_id?: number
  bound?: '' | 'bound' | 'unbound'
  /** Registered on or after this day (YYYY-MM-DD). */
  from?: string
  /** Registered on or before this day. */
  to?: string
  page?: number
  page_size?: number
}

/** The personal fields the server masks and reveals one at a time. */
export type RevealField = 'id_number' | 'mobile'

export const talentsApi = {
  talents: (filter: TalentFilter) => call<Page<Talent>>('GET', `/api/talents${query(filter)}`),
  /** 导出Excel of the talents the filter selects (see keepList). */
  saveTalents: (filter: TalentFilter) => keepList('/api/talents', filter),
  talent: (id: number) => call<Talent>('GET', `/api/talents/${id}`),
  /** Opens the account of an imported talent (leader): a username, and a temporary password to hand over. */
  openTalentAccount: (id: number, username: string) => call<OpenedAccount>('POST', `/api/talents/${id}/account`, { username }),
  revealTalent: (id: number, field: RevealField) => call<{ value: string }>('POST', `/api/talents/${id}/reveal`, { field }),
  myTalent: () => call<MyTalent>('GET', '/api/my/talent'),
  /** Saves the talent's profile edited from the copy at version (409 when it changed since). */
  updateMyTalent: (profile: TalentProfile, version: number) =>
    call<Talent>('PUT', '/api/my/talent', { ...profile, version }),
}
