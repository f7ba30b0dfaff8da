//go:build !unix

package bench

// cpuSeconds reports false: the process's CPU time is read on Unix only.
func cpuSeconds() (float64, bool) { return 0, false }
