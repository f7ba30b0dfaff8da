//go:build unix

package bench

import "syscall"

// cpuSeconds returns the CPU time (user and system) the process has used;
// on a shared machine it varies less from run to run than the time on the
// clock.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
