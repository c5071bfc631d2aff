// The unit's second-level departments, for showing department_id as a name
// and for filter selects. Includes disabled ones: old records still use them.
import { onMounted, ref } from 'vue'
import { api, type Department } from './api'

export function useDepartments() {
  const departments = ref<Department[]>([])
  function nameOf(id: number): string {
    return departments.value.find((d) => d.id === id)?.name ?? ''
  }
  onMounted(async () => {
    departments.value = await api.departments().catch(() => [])
  })
  return { departments, nameOf }
}
