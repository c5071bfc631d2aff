// The frontend's one way to the backend: the transport (transport.ts) and
// one module per area with its types. Stores and views import from here and
// call api.*; nothing else talks to the backend.
import { adminApi } from './admin'
import { batchesApi } from './batches'
import { cardsApi } from './cards'
import { changesApi } from './changes'
import { importsApi } from './imports'
import { jobsApi } from './jobs'
import { registrationApi } from './registration'
import { securityApi } from './security'
import { sessionApi } from './session'
import { staffApi } from './staff'
import { talentsApi } from './talents'

export { ApiError, getToken, handleUnauthorized, isDesktop, setToken } from './transport'
export type { FieldErrors, Page } from './transport'
export type * from './admin'
export type * from './batches'
export type * from './cards'
export type * from './changes'
export type * from './flow'
export { allows } from './flow'
export type * from './imports'
export type * from './jobs'
export type * from './registration'
export type * from './security'
export type * from './session'
export type * from './staff'
export type * from './talents'

/** Every call the backend answers, by area. */
export const api = {
  ...sessionApi,
  ...registrationApi,
  ...staffApi,
  ...talentsApi,
  ...importsApi,
  ...adminApi,
  ...cardsApi,
  ...batchesApi,
  ...jobsApi,
  ...changesApi,
  ...securityApi,
}
