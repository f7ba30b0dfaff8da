//go:build !linux

package hugepages

// Prepare does nothing where the system is not Linux, and returns 0.
func Prepare(n int) int { return 0 }
