package syncmap

import (
	"math/rand/v2"
	"sync"
	"testing"
)

func TestZeroValueAndConcurrentStores(t *testing.T) {
	var m Map[[2]int, string]
	if _, ok := m.Load([2]int{1, 2}); ok || m.Len() != 0 {
		t.Fatal("the zero Map is not empty")
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				m.LoadOrStore([2]int{i, 0}, "first")
				m.Store([2]int{i, g + 1}, "own")
			}
		}()
	}
	wg.Wait()
	if got := m.Len(); got != 5000 {
		t.Fatalf("Len = %d, want 5000", got)
	}
	for i := range 1000 {
		if v, ok := m.Load([2]int{i, 0}); !ok || v != "first" {
			t.Fatalf("Load(%d, 0) = %q, %v", i, v, ok)
		}
		if v, loaded := m.LoadOrStore([2]int{i, 0}, "second"); !loaded || v != "first" {
			t.Fatalf("LoadOrStore kept %q, loaded %v", v, loaded)
		}
	}
}

func TestRange(t *testing.T) {
	var m Map[string, int]
	m.Range(func(string, int) bool { t.Fatal("an empty map ranged over an entry"); return false })
	m.Store("a", 1)
	m.Store("b", 2)
	sum, calls := 0, 0
	m.Range(func(_ string, v int) bool { sum += v; calls++; return true })
	if sum != 3 || calls != 2 {
		t.Fatalf("Range saw sum %d in %d calls, want 3 in 2", sum, calls)
	}
	calls = 0
	m.Range(func(string, int) bool { calls++; return false })
	if calls != 1 {
		t.Fatalf("Range went on after false: %d calls", calls)
	}
}

// benchKey is a pair of set keys as the interner's memo holds them.
type benchKey [2]struct {
	p *[32]byte
	n int
}

// BenchmarkLoad reads a memo of a million pairs of set keys at random
// from every core, as a whole-estate run reads the interner's splits:
// Map against the sync.Map it replaced.
func BenchmarkLoad(b *testing.B) {
	n := 1 << 20
	if testing.Short() {
		n = 1 << 12
	}
	blocks := make([][32]byte, 4096)
	keys := make([]benchKey, n)
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range keys {
		keys[i][0].p, keys[i][0].n = &blocks[rnd.IntN(len(blocks))], rnd.IntN(8)
		keys[i][1].p, keys[i][1].n = &blocks[rnd.IntN(len(blocks))], i
	}
	b.Run("sync.Map", func(b *testing.B) {
		var m sync.Map
		for _, k := range keys {
			m.Store(k, 1)
		}
		benchLoads(b, keys, func(k benchKey) bool { v, ok := m.Load(k); return ok && v.(int) == 1 })
	})
	b.Run("syncmap.Map", func(b *testing.B) {
		var m Map[benchKey, int]
		for _, k := range keys {
			m.Store(k, 1)
		}
		benchLoads(b, keys, func(k benchKey) bool { v, ok := m.Load(k); return ok && v == 1 })
	})
}

// benchLoads times load of random keys on every core.
func benchLoads(b *testing.B, keys []benchKey, load func(benchKey) bool) {
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		r := rand.New(rand.NewPCG(3, 4))
		for pb.Next() {
			if !load(keys[r.IntN(len(keys))]) {
				b.Fatal("a stored key was not found")
			}
		}
	})
}
