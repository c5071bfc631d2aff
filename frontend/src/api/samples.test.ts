// The TS interfaces against the JSON the Go API really sends.
//
// app/tsjson_test.go drives the real API and commits its answers as
// __samples__/*.json (rewritten with `go test ./app/ -run TestTSJSONSamples
// -update`; without -update it fails when an answer's keys changed). Here
// each sample is held against its interface in both directions:
//
//  1. At compile time (vue-tsc): each spec below is an object literal that
//     `satisfies Spec<T>` — one entry for every key of T at every depth, no
//     more (an excess key is an error) and no fewer (a missing one is too);
//     keys T marks optional (`?`, Go's omitempty) must be wrapped in opt().
//  2. At run time (vitest): the sample's keys at every depth must be the
//     spec's, apart from optional ones it may leave out.
//
// So a field Go adds or drops fails here once the samples are rewritten, and
// a field added to or dropped from an interface fails until the spec (and so
// the samples) agree. Value types are not compared: JSON has no literal
// unions, and the values of each sample are just one run's.
import { describe, expect, it } from 'vitest'
import type {
  ApplicationDetail,
  ApplicationRow,
  AuditPage,
  Batch,
  BatchDetail,
  CardHolder,
  CardState,
  ChangeDetail,
  ChangeRow,
  FlowStep,
  HistoryEvent,
  HomeCounts,
  MyTalent,
  Page,
  SessionView,
  StaffPage,
  StoredFile,
  Talent,
  User,
} from '.'
import application from './__samples__/application.json'
import applicationList from './__samples__/application_list.json'
import audit from './__samples__/audit.json'
import batch from './__samples__/batch.json'
import batchList from './__samples__/batch_list.json'
import change from './__samples__/change.json'
import changeList from './__samples__/change_list.json'
import holderList from './__samples__/holder_list.json'
import home from './__samples__/home.json'
import myTalent from './__samples__/my_talent.json'
import session from './__samples__/session.json'
import staffList from './__samples__/staff_list.json'
import talent from './__samples__/talent.json'
import talentList from './__samples__/talent_list.json'

/** A key the interface marks optional: the backend may leave it out. */
class Optional<S> {
  constructor(readonly spec: S) {}
}
const opt = <S>(spec: S) => new Optional(spec)

/** Every key of T, each with the spec of its value; optional ones in Optional. */
type Spec<T> = {
  [K in keyof T]-?: undefined extends T[K] ? Optional<SpecOf<NonNullable<T[K]>>> : SpecOf<NonNullable<T[K]>>
}
/** An object's spec, an array's element's, or true for anything else. */
type SpecOf<V> = V extends readonly (infer E)[] ? SpecOf<E> : V extends object ? Spec<V> : true

const user = { id: true, role: true, username: true, name: true, status: true, must_change_password: true } satisfies Spec<User>
const sessionSpec = { token: opt(true), user, role_label: true, unit_name: true, idle_seconds: true } satisfies Spec<SessionView>

const states = {
  supplement: true, unit_review: true, unit_approved: true, returned: true, batched: true, province_review: true,
  issued: true, province_rejected: true,
} satisfies Spec<Record<CardState, number>>
const homeSpec = {
  card: states,
  staff_pending: true,
  reminders: { key: true, label: true, count: true, level: true, date: true },
  my_card: {
    id: true, talent_id: true, card_no: true, issued_on: true, expires_on: true, valid: true, status: true,
    invalid_reason: true, invalid_on: true, days_left: true,
  },
} satisfies Spec<HomeCounts>

const staffSpec = {
  items: {
    id: true, role: true, username: true, name: true, status: true, id_type: true, id_number: true, mobile: true,
    department_id: true, position: true, office_phone: true, reject_reason: true, created_at: true, reviewed_at: true,
    must_change_password: true,
  },
  counts: { pending: true, active: true, rejected: true, disabled: true },
  total: true,
  page_size: true,
} satisfies Spec<StaffPage>

const talentSpec = {
  id: true, name: true, gender: true, birth_date: true, nationality: true, id_type: true, id_number: true, mobile: true,
  email: true, department_id: true, category: true, title: true, title_date: true, username: true,
  commissioner_id: true, created_at: true, version: true, has_account: true,
} satisfies Spec<Talent>
const talentListSpec = { items: talentSpec, total: true, page_size: true } satisfies Spec<Page<Talent>>
const myTalentSpec = { ...talentSpec, editable: true, locked_reason: true } satisfies Spec<MyTalent>

const storedFile = { id: true, sha256: true, size: true, type: true, name: true, created_at: true } satisfies Spec<StoredFile>
const event = {
  action: true, action_label: true, from_state: true, to_state: true, user_name: true, role: true, opinion: true,
  at: true,
} satisfies Spec<HistoryEvent>
const flow = { name: true, status: true, at: opt(true), by: opt(true), opinion: opt(true) } satisfies Spec<FlowStep>

const applicationListSpec = {
  items: {
    actions: true, id: true, talent_id: true, name: true, gender: true, id_type: true, id_number: true,
    department_id: true, category: true, title: true, commissioner_id: true, state: true, state_label: true,
    step: true, version: true, updated_at: true,
  },
  total: true,
  page_size: true,
} satisfies Spec<Page<ApplicationRow>>

const applicationSpec = {
  application: {
    actions: true, id: true, talent_id: true, state: true, state_label: true, version: true, card_no: true,
    issued_on: true, expires_on: true, created_at: true, updated_at: true, highest_education: true,
    highest_degree: true, school_major: true, professional_title: true, current_position: true, field: true,
    title_document: true, achievements: true, postal_address: true, postal_code: true,
  },
  talent: talentSpec,
  attachments: { id: true, kind: true, kind_label: true, file: storedFile },
  history: event,
  flow,
  reject_reason: true,
} satisfies Spec<ApplicationDetail>

const changeListSpec = {
  items: {
    actions: true, id: true, talent_id: true, name: true, gender: true, mobile: true, card_no: true, change_type: true,
    change_date: true, state: true, state_label: true, step: true, version: true, commissioner_name: true,
    created_at: true,
  },
  total: true,
  page_size: true,
} satisfies Spec<Page<ChangeRow>>

const holderListSpec = {
  items: {
    id: true, talent_id: true, card_no: true, issued_on: true, expires_on: true, valid: true, status: true,
    invalid_reason: true, invalid_on: true, name: true, gender: true, id_type: true, id_number: true, mobile: true,
    department_id: true, actions: true,
  },
  total: true,
  page_size: true,
} satisfies Spec<Page<CardHolder>>

const changeSpec = {
  request: {
    actions: true, id: true, talent_id: true, card_id: true, commissioner_id: true, change_type_id: true,
    change_type: true, state: true, state_label: true, version: true, change_date: true, description: true,
    receiving_unit_name: true, receiving_unit_code: true, new_department_id: true, created_at: true, updated_at: true,
  },
  talent: talentSpec,
  card: {
    id: true, talent_id: true, card_no: true, issued_on: true, expires_on: true, valid: true, status: true,
    invalid_reason: true, invalid_on: true,
  },
  commissioner_name: true,
  commissioner_phone: true,
  reject_reason: true,
  history: event,
  flow,
} satisfies Spec<ChangeDetail>

const batchSpec = {
  actions: true, id: true, kind: true, kind_label: true, number: true, state: true, state_label: true,
  contact_person: true, contact_phone: true, created_at: true, exported_at: true, scan: storedFile,
  submitted_at: true, package_id: true, package_file: true, package_sm3: true, package_size: true, receipt_at: true,
  item_ids: true, item_count: true, warning: opt(true), scan_warning: opt(true),
} satisfies Spec<Batch>
const batchListSpec = { items: batchSpec, total: true, page_size: true } satisfies Spec<Page<Batch>>
const batchDetailSpec = {
  batch: batchSpec,
  columns: true,
  rows: true,
  exports: { name: true, file: storedFile },
  package_path: opt(true),
} satisfies Spec<BatchDetail>

const auditSpec = {
  items: {
    id: true, at: true, user_id: true, username: true, role: true, client: true, action: true, object: true,
    outcome: true, detail: true, prev_hash: true, hash: true,
  },
  total: true,
  page_size: true,
  actions: true,
} satisfies Spec<AuditPage>

/** Where value's keys differ from spec's, at every depth below where. */
function differences(where: string, value: unknown, spec: unknown): string[] {
  if (spec === true || value === null) return []
  if (Array.isArray(value)) return value.flatMap((v, i) => differences(`${where}[${i}]`, v, spec))
  if (typeof value !== 'object') return [`${where}: Go sends ${JSON.stringify(value)}, the TS type an object`]
  const sent = value as Record<string, unknown>
  const keys = spec as Record<string, unknown>
  const out = Object.keys(sent)
    .filter((k) => !(k in keys))
    .map((k) => `${where}.${k}: Go sends it, the TS type lacks it`)
  for (const [k, s] of Object.entries(keys)) {
    const optional = s instanceof Optional
    if (!(k in sent)) {
      if (!optional) out.push(`${where}.${k}: the TS type has it, Go does not send it`)
      continue
    }
    out.push(...differences(`${where}.${k}`, sent[k], optional ? s.spec : s))
  }
  return out
}

const cases: [string, unknown, unknown][] = [
  ['session', session, sessionSpec],
  ['home', home, homeSpec],
  ['staff_list', staffList, staffSpec],
  ['talent_list', talentList, talentListSpec],
  ['talent', talent, talentSpec],
  ['my_talent', myTalent, myTalentSpec],
  ['application_list', applicationList, applicationListSpec],
  ['application', application, applicationSpec],
  ['change_list', changeList, changeListSpec],
  ['change', change, changeSpec],
  ['holder_list', holderList, holderListSpec],
  ['batch_list', batchList, batchListSpec],
  ['batch', batch, batchDetailSpec],
  ['audit', audit, auditSpec],
]

describe('the TS types match the JSON the Go API sends', () => {
  it.each(cases)('%s', (name, sample, spec) => {
    expect(differences(name, sample, spec)).toEqual([])
  })

  it('finds a key either side lacks, and lets an optional one be left out', () => {
    const spec = { a: true, b: { c: true }, d: opt(true) }
    expect(differences('x', { a: 1, b: [{ c: 1 }, { c: 2, e: 3 }] }, spec)).toEqual(['x.b[1].e: Go sends it, the TS type lacks it'])
    expect(differences('x', { b: null }, spec)).toEqual(['x.a: the TS type has it, Go does not send it'])
  })

  it('has samples with rows in every list, so that the rows are compared too', () => {
    for (const list of [staffList, talentList, applicationList, changeList, holderList, audit]) expect(list.items.length).toBeGreaterThan(0)
    for (const part of [application.attachments, application.history, change.history, batch.exports, batchList.items])
      expect(part.length).toBeGreaterThan(0)
    expect(batch.batch.scan).not.toBeNull()
  })
})
