package testkit

import (
	"fmt"
	"os"
	"strings"
)

// ResetPeakRSS starts the process's peak RSS (VmHWM) over from its RSS now
// (Linux; elsewhere PeakRSS says 0), for benchmarks that report it.
func ResetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// PeakRSS is the process's peak RSS in MB since ResetPeakRSS (0 where the
// system does not tell: not Linux).
func PeakRSS() float64 {
	status, _ := os.ReadFile("/proc/self/status")
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kib float64
			if _, err := fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(rest), "kB"), &kib); err != nil {
				return 0
			}
			return kib / 1024
		}
	}
	return 0
}
