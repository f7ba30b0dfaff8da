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

// BenchmarkLoad reads a memo of a million pairs of set keys at random
// from every core, as a whole-estate run reads the interner's splits:
// Map against the sync.Map it replaced.
func BenchmarkLoad(b *testing.B) {
	type key struct {
		p *[32]byte
		n int
	}
	type split struct{ in, out []byte }
	n := 1 << 20
	if testing.Short() {
		n = 1 << 12
	}
	blocks := make([][32]byte, 4096)
	keys := make([][2]key, n)
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range keys {
		keys[i] = [2]key{{&blocks[rnd.IntN(len(blocks))], rnd.IntN(8)}, {&blocks[rnd.IntN(len(blocks))], i}}
	}
	b.Run("sync.Map", func(b *testing.B) {
		var m sync.Map
		for _, k := range keys {
			m.Store(k, split{})
		}
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			r := rand.New(rand.NewPCG(3, 4))
			for pb.Next() {
				if v, ok := m.Load(keys[r.IntN(len(keys))]); !ok || v.(split).in != nil {
					b.Fatal("a stored key was not found")
				}
			}
		})
	})
	b.Run("syncmap.Map", func(b *testing.B) {
		var m Map[[2]key, split]
		for _, k := range keys {
			m.Store(k, split{})
		}
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			r := rand.New(rand.NewPCG(3, 4))
			for pb.Next() {
				if v, ok := m.Load(keys[r.IntN(len(keys))]); !ok || v.in != nil {
					b.Fatal("a stored key was not found")
				}
			}
		})
	})
}
