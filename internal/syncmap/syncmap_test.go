package syncmap

import (
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
