// Reading a 审核流程 (components/ReviewFlow.vue) as the user sees it: each
// step's name, status class, computed text colour and 办理人.
import assert from 'node:assert/strict'

/** The colours the legend promises: done blue, current red, todo black. */
export const flowColors = Object.freeze({
  done: 'rgb(31, 95, 209)',
  current: 'rgb(224, 45, 45)',
  todo: 'rgb(26, 26, 26)',
})

export const flowLegend = '蓝色字体代表该步骤已经完成；红色字体代表该步骤正在办理；黑色字体表示该步骤尚未办理'

/**
 * The steps of the .review-flow inside scope:
 * [{ name, status: 'done' | 'current' | 'todo', color, nameColor, by, statusText }]
 * (color: the step's computed colour; nameColor: its name's).
 */
export async function readFlow(scope) {
  const flow = scope.locator('.review-flow')
  await flow.locator('.flow-step').first().waitFor()
  return flow.locator('.flow-step').evaluateAll((els) =>
    els.map((el) => {
      const status = ['done', 'current', 'todo'].find((s) => el.classList.contains(`flow-step--${s}`)) ?? ''
      return {
        name: el.querySelector('.flow-step__name')?.textContent.trim() ?? '',
        status,
        statusText: el.querySelector('.flow-step__status')?.textContent.trim() ?? '',
        color: getComputedStyle(el).color,
        nameColor: getComputedStyle(el.querySelector('.flow-step__name') ?? el).color,
        by: el.querySelector('.flow-step__by')?.textContent.trim() ?? '',
      }
    }),
  )
}

/**
 * Checks the 审核流程 in scope: expected maps each step name to its status
 * ('done' | 'current' | 'todo'), in order; each step's text has the
 * legend's colour; done steps name who acted when by[name] is given.
 * Returns the steps read.
 */
export async function expectFlow(scope, expected, by = {}) {
  const steps = await readFlow(scope)
  assert.deepEqual(
    steps.map((s) => [s.name, s.status]),
    Object.entries(expected),
    'steps and their status',
  )
  for (const s of steps) {
    assert.equal(s.color, flowColors[s.status], `colour of ${s.name} (${s.status})`)
    assert.equal(s.nameColor, flowColors[s.status], `colour of the name ${s.name}`)
    if (s.status === 'done' && by[s.name]) assert.equal(s.by, by[s.name], `办理人 of ${s.name}`)
    if (s.status !== 'done') assert.equal(s.by, '', `${s.name} names nobody yet`)
  }
  const legend = scope.locator('.review-flow .flow-legend')
  assert.equal((await legend.textContent()).trim(), flowLegend, 'legend')
  return steps
}
