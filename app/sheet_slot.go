package app

import (
	"context"
	"io"
	"time"

	"huicai/internal/apperr"
)

// sheetSlot lets one 导出Excel (of a list or of the audit log) run at a
// time: each holds up to 100,000 rows in memory while it writes, and
// twenty colleagues exporting the roster at once would not fit a small
// office server. Another waits for it, up to a limit, and is then refused
// with a message.
type sheetSlot chan struct{}

// sheetWait is how long an export waits for the one under way.
const sheetWait = 30 * time.Second

// errSheetBusy refuses an export that waited too long for another.
var errSheetBusy = apperr.Conflict("另一项导出Excel正在进行，请稍候再试")

// take waits up to wait for the slot; release gives it back.
func (s sheetSlot) take(ctx context.Context, wait time.Duration) (release func(), err error) {
	release = func() { <-s }
	select {
	case s <- struct{}{}:
		return release, nil
	default:
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case s <- struct{}{}:
		return release, nil
	case <-timer.C:
		return nil, errSheetBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// oneSheetAtATime runs the export h in the slot, which it holds until a
// download's file has been written out.
func (a *App) oneSheetAtATime(h handlerFunc) handlerFunc {
	return func(r *request) (any, error) {
		release, err := a.sheets.take(r.Context(), a.sheetWait)
		if err != nil {
			return nil, err
		}
		out, err := h(r)
		if d, ok := out.(download); ok && err == nil {
			write := d.write
			d.write = func(w io.Writer) error {
				defer release()
				return write(w)
			}
			return d, nil
		}
		release()
		return out, err
	}
}
