//go:build !unix

package bench

// cpuSeconds returns 0: the process's CPU time is read on Unix only.
func cpuSeconds() float64 { return 0 }
