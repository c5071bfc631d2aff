package app

import (
	"sync"
	"time"

	"huicai/internal/clock"
)

// loginLimit is how many sign-in attempts one address may make per minute
// in LAN mode; registrationLimit likewise for registrations. Past them,
// requests are refused before any password is hashed or checked.
const (
	loginLimit        = 20
	registrationLimit = 10
)

// limiter counts attempts per client address in one-minute windows.
type limiter struct {
	mu      sync.Mutex
	limit   int
	windows map[string]window
}

type window struct {
	start time.Time
	count int
}

func newLimiter(limit int) *limiter {
	return &limiter{limit: limit, windows: map[string]window{}}
}

// allow records an attempt from client and reports whether it may go on.
func (l *limiter) allow(client string) bool {
	if client == desktopClient {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := clock.Now()
	w := l.windows[client]
	if now.Sub(w.start) >= time.Minute {
		w = window{start: now}
	}
	w.count++
	l.windows[client] = w
	if len(l.windows) > 10000 {
		for k, v := range l.windows {
			if now.Sub(v.start) >= time.Minute {
				delete(l.windows, k)
			}
		}
	}
	return w.count <= l.limit
}
