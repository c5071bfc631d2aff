// What card applications, change requests and batches share: stored files,
// recorded steps and the 审核流程.

/** A stored file: its name, size, checked type and SHA-256. */
export interface StoredFile {
  id: number
  sha256: string
  size: number
  type: string
  name: string
  created_at: string
}

/** One recorded step of an item's history. */
export interface HistoryEvent {
  action: string
  action_label: string
  from_state: string
  to_state: string
  user_name: string
  role: string
  opinion: string
  at: string
}

/** One step of a 审核流程: done (blue), current (red) or not reached (black). */
export interface FlowStep {
  name: string
  status: 'done' | 'current' | 'todo'
  at?: string
  by?: string
  opinion?: string
}

/** A row the server says what the current user may do to: the action codes of its workflow. */
export interface Actionable<A extends string = string> {
  actions: A[]
}

/** True when the server allows the current user action on row now. */
export function allows<A extends string>(row: Actionable<A> | null | undefined, action: A): boolean {
  return !!row?.actions.includes(action)
}
