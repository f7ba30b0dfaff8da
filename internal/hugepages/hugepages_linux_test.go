//go:build linux

package hugepages

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// mapping is one of the process's mappings in /proc/self/smaps.
type mapping struct {
	start, end uintptr
	huge       bool // marked with MADV_HUGEPAGE ("hg")
}

func mappings(t *testing.T) []mapping {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("skipping: %v", err)
	}
	defer f.Close()
	var ms []mapping
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if rng, _, ok := strings.Cut(line, " "); ok && strings.Contains(rng, "-") && !strings.HasSuffix(rng, ":") {
			lo, hi, _ := strings.Cut(rng, "-")
			s, err1 := strconv.ParseUint(lo, 16, 64)
			e, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil {
				ms = append(ms, mapping{start: uintptr(s), end: uintptr(e)})
			}
			continue
		}
		if rest, ok := strings.CutPrefix(line, "VmFlags:"); ok && len(ms) > 0 {
			ms[len(ms)-1].huge = strings.Contains(" "+rest+" ", " hg ")
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return ms
}

// marked returns the bytes of the mappings marked for huge pages.
func marked(ms []mapping) int {
	n := 0
	for _, m := range ms {
		if m.huge {
			n += int(m.end - m.start)
		}
	}
	return n
}

func TestPrepareMarksWhereTheHeapGrowsNext(t *testing.T) {
	const n = 64 << 20
	got := prepare(n) // what Prepare does once, here on every run of the test
	if got == 0 {
		t.Skip("skipping: this system gives no transparent huge pages on request")
	}
	if size := pmdSize(); got > n || got < n-2*size || got%size != 0 {
		t.Fatalf("prepare(%d) marked %d bytes; want whole huge pages of %d bytes within the span, all but at most two", n, got, size)
	}
	if total := marked(mappings(t)); total < got {
		t.Errorf("mappings marked for huge pages hold %d bytes; want at least the %d prepare says it marked", total, got)
	}
	// The heap reuses the freed span: a large allocation made now lies in
	// it (past its first, partial huge page) rather than in memory mapped
	// for it.
	b := make([]byte, 32<<20)
	b[len(b)/2] = 1
	addr := uintptr(unsafe.Pointer(&b[len(b)/2]))
	for _, m := range mappings(t) {
		if m.start <= addr && addr < m.end {
			if !m.huge {
				t.Errorf("the middle of a 32 MiB allocation after prepare lies at %#x in %#x-%#x, which is not marked for huge pages", addr, m.start, m.end)
			}
			return
		}
	}
	t.Errorf("no mapping holds the allocation at %#x", addr)
}

func TestPrepareActsOnce(t *testing.T) {
	Prepare(64 << 20)
	if got := Prepare(64 << 20); got != 0 {
		t.Errorf("a second Prepare marked %d bytes; want 0: the span it allocates would be cleared, every page written", got)
	}
}

func TestPrepareMarksNoPartialHugePage(t *testing.T) {
	for _, n := range []int{-1, 0, 1, 4096} {
		if got := prepare(n); got != 0 {
			t.Errorf("prepare(%d) = %d; want 0 (it holds no whole huge page)", n, got)
		}
	}
}
