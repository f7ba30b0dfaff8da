package cidr

import (
	"math/rand/v2"
	"sync"
	"testing"
)

// TestInternSharesEqualSets checks that equal sets built apart come back
// as one, with one key, and that different sets keep different keys.
func TestInternSharesEqualSets(t *testing.T) {
	in := NewInterner()
	a1 := mustList(t, "10.0.0.0/24,10.0.2.0/24,2001:db8::/64")
	a2 := mustList(t, "10.0.2.0/24,2001:db8::/64,10.0.0.0/25,10.0.0.128/25")
	b := mustList(t, "10.0.0.0/24")
	if a1.Key() == a2.Key() {
		t.Fatal("sets built apart share a key before interning; the test proves nothing")
	}
	x1, x2, y := in.Intern(a1), in.Intern(a2), in.Intern(b)
	if x1.Key() != x2.Key() || !x1.Equal(a2) {
		t.Errorf("equal sets interned to different keys")
	}
	if x1.Key() == y.Key() {
		t.Errorf("different sets interned to one key")
	}
	if in.Intern(Set{}).Key() != (Key{}) || (Set{}).Key() != (Key{}) {
		t.Errorf("the empty set does not have the zero key")
	}
}

// TestInternerSplitAndUnion checks the memoised operations against the
// plain ones on random sets, twice each (computed, then remembered), from
// several goroutines at once.
func TestInternerSplitAndUnion(t *testing.T) {
	in := NewInterner()
	rng := rand.New(rand.NewPCG(3, 4))
	var sets []Set
	for range 40 {
		s, _ := rangesFrom(randomPairs(rng, rng.IntN(30)))
		sets = append(sets, in.Intern(s))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 2 {
				for i, a := range sets {
					for j, b := range sets {
						if (i+j+g)%3 != 0 && round == 0 {
							continue
						}
						inSet, outSet := in.Split(a, b)
						if !inSet.Equal(a.Intersect(b)) || !outSet.Equal(a.Subtract(b)) {
							errs <- "Split differs from Intersect and Subtract"
							return
						}
						if inSet.Key() != in.Intern(inSet).Key() || outSet.Key() != in.Intern(outSet).Key() {
							errs <- "Split's results are not interned"
							return
						}
						if u := in.Union(a, b); !u.Equal(a.Union(b)) || u.Key() != in.Intern(u).Key() {
							errs <- "Union differs or is not interned"
							return
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

func mustList(t *testing.T, s string) Set {
	t.Helper()
	v, err := ParseList(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestInternedKnowsWhatWasHandedOut checks that Interned is true for the
// sets an interner handed out (and the parts of its splits) and false for
// an equal set built apart, whose storage the memo must not key on.
func TestInternedKnowsWhatWasHandedOut(t *testing.T) {
	in := NewInterner()
	a := in.Intern(mustList(t, "10.0.0.0/16"))
	apart := mustList(t, "10.0.0.0/16")
	by := mustList(t, "10.0.1.0/24")
	if !in.Interned(a) {
		t.Error("an interned set is not known as interned")
	}
	if in.Interned(apart) {
		t.Error("an equal set built apart is taken for the interned one")
	}
	if !in.Interned(Set{}) {
		t.Error("the empty set is not interned")
	}
	i, o := in.Split(a, by)
	if !in.Interned(i) || !in.Interned(o) {
		t.Errorf("the parts of a split are not interned: %v %v", in.Interned(i), in.Interned(o))
	}
	if !i.Equal(by) || !o.Equal(a.Subtract(by)) {
		t.Errorf("split %s by %s = %s, %s", a, by, i, o)
	}
}
