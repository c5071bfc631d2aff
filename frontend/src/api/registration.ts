// 注册: what the registration forms offer, and registering a talent or a commissioner.
import { call } from './transport'
import type { Department, TalentOption } from './admin'
import type { AccountInput } from './session'
import type { TalentProfile } from './talents'

export interface RegistrationOptions {
  registration_types: string[]
  id_types: string[]
  departments: Department[]
  categories: TalentOption[]
  titles: TalentOption[]
}

export type TalentRegistration = TalentProfile & AccountInput

export interface StaffRegistration extends AccountInput {
  registration_type: string
  name: string
  id_type: string
  id_number: string
  mobile: string
  department_id: number | undefined
  position: string
  office_phone: string
}

export const registrationApi = {
  registrationOptions: () => call<RegistrationOptions>('GET', '/api/registration/options'),
  registerTalent: (input: TalentRegistration) => call<{ id: number }>('POST', '/api/registration/talent', input),
  registerStaff: (input: StaffRegistration) => call<{ id: number }>('POST', '/api/registration/staff', input),
}
