// The day the program under test believes it is, and dates built from it.
// A binary built with -tags testclock runs on the day named by
// HUICAI_FAKE_TODAY (YYYY-MM-DD), which the tests read too (and the server
// inherits from them); without it, today in China. Every date a test needs
// near today (card issue dates, change dates) comes from here, so that no
// test expires.

/** 'YYYY-MM-DD' of a moment in Asia/Shanghai, like the server and the browser. */
export const shanghaiDay = (at) => new Date(at).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })

const fake = process.env.HUICAI_FAKE_TODAY
if (fake && !/^\d{4}-\d{2}-\d{2}$/.test(fake)) throw new Error(`HUICAI_FAKE_TODAY=${fake}: want a date such as 2031-06-01`)

/** The program's today, 'YYYY-MM-DD'. */
export const TODAY = fake || shanghaiDay(Date.now())

/** 'YYYY-MM-DD' days after (negative: before) TODAY. */
export function daysFromToday(days) {
  const d = new Date(`${TODAY}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/**
 * The day monthDay ('MM-DD') of TODAY's year moved by years: a fixed day of
 * the year keeps a card's five-year validity clear of 29 February.
 */
export function onDay(years, monthDay) {
  return `${Number(TODAY.slice(0, 4)) + years}-${monthDay}`
}

/**
 * The moment a browser should believe it is when HUICAI_FAKE_TODAY is set
 * (that day at the time of day it is now in China), else undefined.
 */
export function fakeNow() {
  if (!fake) return undefined
  const time = new Date().toLocaleTimeString('sv-SE', { timeZone: 'Asia/Shanghai' })
  return new Date(`${fake}T${time}+08:00`)
}
