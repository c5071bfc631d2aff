// Files dropped onto the desktop window. Wails reports the paths of files
// dropped on elements styled as drop targets (--wails-drop-target: drop) and
// allows one listener for the whole page, so zones register here and the
// drop goes to the zone under the pointer.

declare global {
  interface Window {
    runtime?: { OnFileDrop?(cb: (x: number, y: number, paths: string[]) => void, useDropTarget: boolean): void }
  }
}

type Zone = { element: HTMLElement; onDrop: (paths: string[]) => void }

const zones = new Set<Zone>()
let listening = false

function dropped(x: number, y: number, paths: string[]) {
  const target = document.elementFromPoint(x, y)
  for (const z of zones) {
    if (target && z.element.contains(target)) z.onDrop(paths)
  }
}

/** Routes files dropped on element to onDrop; returns a function that stops it. */
export function onDesktopDrop(element: HTMLElement, onDrop: (paths: string[]) => void): () => void {
  const zone = { element, onDrop }
  zones.add(zone)
  if (!listening && window.runtime?.OnFileDrop) {
    window.runtime.OnFileDrop(dropped, true)
    listening = true
  }
  return () => zones.delete(zone)
}

/** Sends a drop as if it happened, for tests. */
export const simulateDrop = dropped
