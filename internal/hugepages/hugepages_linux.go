//go:build linux

package hugepages

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

var once sync.Once

// Prepare allocates n bytes of heap that nothing touches, marks the huge
// pages that lie wholly inside them with madvise(MADV_HUGEPAGE), and frees
// them, so that the heap's next n bytes are backed by huge pages when
// they are first written. It acts once per process, at most on a quarter
// of the machine's memory, and returns how many bytes it marked: 0 on
// later calls, when the system gives no huge pages on request
// (transparent huge pages off or absent), when it does not overcommit
// memory (a span that is never used would count against its limit), or
// on a 32-bit platform.
//
// Only the first call can mark memory nothing has touched: memory the
// heap frees is cleared when it is allocated again, which would write
// every page of a later span.
func Prepare(n int) int {
	marked := 0
	once.Do(func() { marked = prepare(n) })
	return marked
}

func prepare(n int) int {
	if unsafe.Sizeof(uintptr(0)) < 8 || !offered() || strictCommit() {
		return 0
	}
	var si unix.Sysinfo_t
	if unix.Sysinfo(&si) == nil {
		n = min(n, int(uint64(si.Totalram)*uint64(si.Unit)/4))
	}
	size := pmdSize()
	if size == 0 || n < 2*size {
		return 0
	}
	b := make([]byte, n)
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	beg := (addr + uintptr(size) - 1) &^ uintptr(size-1)
	end := (addr + uintptr(n)) &^ uintptr(size-1)
	marked := 0
	if beg < end && unix.Madvise(b[beg-addr:end-addr], unix.MADV_HUGEPAGE) == nil {
		marked = int(end - beg)
	}
	runtime.KeepAlive(b)
	b = nil
	runtime.GC()
	return marked
}

// offered reports whether transparent huge pages are given on request:
// "always" or "madvise" in the kernel's setting.
func offered() bool {
	s, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil {
		return false
	}
	return strings.Contains(string(s), "[always]") || strings.Contains(string(s), "[madvise]")
}

// strictCommit reports whether the kernel refuses to overcommit memory
// (vm.overcommit_memory = 2).
func strictCommit() bool {
	s, err := os.ReadFile("/proc/sys/vm/overcommit_memory")
	return err == nil && strings.TrimSpace(string(s)) == "2"
}

// pmdSize returns the size of a transparent huge page, 0 when unknown.
func pmdSize() int {
	s, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size")
	if err != nil {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(s)))
	if err != nil || n <= 0 || n&(n-1) != 0 {
		return 0
	}
	return n
}
