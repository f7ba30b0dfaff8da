// Package syncmap is a typed concurrent map for the memos that every core
// reads millions of times in a whole-estate run.
//
// It wraps [xsync.Map], a hash table whose reads take no lock: at estate
// scale the memos hold hundreds of thousands of entries, and sync.Map's
// trie of 16-way nodes spent several cache misses per read walking to one
// (its reads were a tenth of a run's CPU). Values are typed, so a struct
// value is not boxed into an interface on each store.
package syncmap

import (
	"sync/atomic"

	"github.com/puzpuzpuz/xsync/v4"
)

// Map is a concurrent map from K to V. Its zero value is an empty map
// ready to use; its table is made on the first store. A Map must not be
// copied after first use.
type Map[K comparable, V any] struct {
	m atomic.Pointer[xsync.Map[K, V]]
}

func (m *Map[K, V]) table() *xsync.Map[K, V] {
	if t := m.m.Load(); t != nil {
		return t
	}
	t := xsync.NewMap[K, V]()
	if m.m.CompareAndSwap(nil, t) {
		return t
	}
	return m.m.Load()
}

// Load returns the value stored for key, and whether there is one.
func (m *Map[K, V]) Load(key K) (value V, ok bool) {
	t := m.m.Load()
	if t == nil {
		return value, false
	}
	return t.Load(key)
}

// Store sets the value for key.
func (m *Map[K, V]) Store(key K, value V) { m.table().Store(key, value) }

// LoadOrStore returns the value stored for key if there is one (loaded
// true); otherwise it stores value and returns it.
func (m *Map[K, V]) LoadOrStore(key K, value V) (actual V, loaded bool) {
	return m.table().LoadOrStore(key, value)
}

// Len returns the number of entries.
func (m *Map[K, V]) Len() int {
	t := m.m.Load()
	if t == nil {
		return 0
	}
	return t.Size()
}

// Range calls f for each entry until f returns false. It sees each entry
// present throughout the call, and may see entries stored meanwhile.
func (m *Map[K, V]) Range(f func(key K, value V) bool) {
	if t := m.m.Load(); t != nil {
		t.Range(f)
	}
}
