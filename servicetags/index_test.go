package servicetags

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// comparePairs is the order sortPairs sorts in.
func comparePairs(a, b pair) int {
	if c := cmp.Compare(a.hi, b.hi); c != 0 {
		return c
	}
	if c := cmp.Compare(a.lo, b.lo); c != 0 {
		return c
	}
	return cmp.Compare(a.meta, b.meta)
}

func TestSortPairs(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	ps := make([]pair, 3000)
	for i := range ps {
		// Few distinct addresses, so that lengths and tags decide too.
		ps[i] = pair{uint64(r.IntN(4)) << 60, uint64(r.IntN(3)) << 7, uint64(r.IntN(129))<<32 | uint64(r.IntN(2))<<31 | uint64(r.IntN(70000))}
	}
	want := slices.Clone(ps)
	slices.SortFunc(want, comparePairs)
	sortPairs(ps)
	if !slices.Equal(ps, want) {
		t.Fatal("sortPairs disagrees with comparePairs")
	}
}
