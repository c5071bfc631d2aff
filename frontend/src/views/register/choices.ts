// What the two public registration pages offer: the unit's name and the
// active departments, categories and titles.
import { computed, onMounted, ref } from 'vue'
import { useRouter } from 'vue-router'
import { api, type RegistrationOptions } from '../../api'
import { showError } from '../../forms'
import type { ProfileChoices } from '../../components/TalentProfileFields.vue'

export function useRegistrationChoices() {
  const router = useRouter()
  const unitName = ref('')
  const options = ref<RegistrationOptions>({ registration_types: [], id_types: [], departments: [], categories: [], titles: [] })
  const choices = computed<ProfileChoices>(() => ({
    idTypes: options.value.id_types,
    departments: options.value.departments,
    categories: options.value.categories.map((c) => c.name),
    titles: options.value.titles.map((t) => t.name),
  }))

  onMounted(async () => {
    try {
      const s = await api.setupStatus()
      if (!s.done) {
        router.replace({ name: 'setup' })
        return
      }
      unitName.value = s.unit_name ?? ''
      options.value = await api.registrationOptions()
    } catch (err) {
      showError(err)
    }
  })
  return { unitName, options, choices }
}
