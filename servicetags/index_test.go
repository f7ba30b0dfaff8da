package servicetags

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSortPairs4(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	ps := make([]pair, 5000)
	for i := range ps {
		bits := uint64(r.IntN(33))
		addr := uint64(r.Uint32()>>(32-bits)<<(32-bits)) & 0xffffffff
		if bits == 0 {
			addr = 0
		}
		// Few distinct addresses, so that lengths and tags decide too.
		addr &= 0xff000000
		ps[i] = pair{0, addr, bits<<32 | uint64(r.IntN(2))<<31 | uint64(r.IntN(1<<25))}
	}
	want := slices.Clone(ps)
	slices.SortFunc(want, comparePairs)
	sortPairs4(ps)
	if !slices.Equal(ps, want) {
		t.Fatal("sortPairs4 disagrees with comparePairs")
	}
}
