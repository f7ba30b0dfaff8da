package engine

import (
	"fmt"
	"sync"
	"testing"

	"github.com/vnetpath/vnetpath/topology"
)

// TestFlowMemosKeepTheLastSources holds the kept walks to their window:
// the walks of the last flowSources sources, the first walk kept under a
// key winning over a later one, and a source's walks gone once
// flowSources newer sources have kept theirs.
func TestFlowMemosKeepTheLastSources(t *testing.T) {
	e := &Engine{}
	srcs := make([]Source, flowSources+3)
	for i := range srcs {
		srcs[i] = Source{Subnet: &topology.Subnet{Meta: topology.Meta{ID: fmt.Sprintf("s%d", i)}}}
	}
	key := func(src Source, port uint16) flowKey { return flowKey{src: src, proto: TCP, port: port} }
	walks := map[flowKey]*walkMemo{}
	for _, src := range srcs[:flowSources] {
		for port := uint16(1); port <= 3; port++ {
			m := &walkMemo{}
			if got := e.keep(key(src, port), m); got != m {
				t.Fatalf("keep of a new key returned another walk")
			}
			walks[key(src, port)] = m
		}
	}
	if got := e.keep(key(srcs[0], 1), &walkMemo{}); got != walks[key(srcs[0], 1)] {
		t.Fatalf("a second keep under a key replaced the first walk")
	}
	for k, m := range walks {
		if got := e.keptWalk(k); got != m {
			t.Fatalf("walk of %s port %d: got %p, want %p", k.src.Subnet.ID, k.port, got, m)
		}
	}
	// Three newer sources drop the three oldest.
	for _, src := range srcs[flowSources:] {
		e.keep(key(src, 1), &walkMemo{})
	}
	for i, src := range srcs {
		got := e.keptWalk(key(src, 1))
		if i < 3 && got != nil {
			t.Errorf("source %d still has its walk after %d newer sources (the window holds %d)", i, len(srcs)-1-i, flowSources)
		}
		if i >= 3 && got == nil {
			t.Errorf("source %d lost its walk while inside the window", i)
		}
	}
	if e.keptWalk(key(srcs[5], 9)) != nil {
		t.Errorf("a key never kept has a walk")
	}
}

// TestFlowMemosConcurrent has workers keep and look up the walks of the
// same sources at once (run with -race), no more sources than the window
// holds: every keep of a key returns the same walk, the one a lookup
// then finds, and each source has one bucket.
func TestFlowMemosConcurrent(t *testing.T) {
	e := &Engine{}
	srcs := make([]Source, flowSources)
	for i := range srcs {
		srcs[i] = Source{Subnet: &topology.Subnet{Meta: topology.Meta{ID: fmt.Sprintf("s%d", i)}}}
	}
	const workers, ports = 4, 8
	got := make([][]*walkMemo, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for _, src := range srcs {
				for port := range uint16(ports) {
					got[w] = append(got[w], e.keep(flowKey{src: src, proto: UDP, port: port}, &walkMemo{}))
				}
			}
		})
	}
	wg.Wait()
	for i, src := range srcs {
		for port := range uint16(ports) {
			n := i*ports + int(port)
			kept := e.keptWalk(flowKey{src: src, proto: UDP, port: port})
			for w := range workers {
				if got[w][n] != kept {
					t.Fatalf("source %d port %d: worker %d's keep returned %p, the memo holds %p", i, port, w, got[w][n], kept)
				}
			}
		}
	}
	if cur := e.flows.cur.Load(); cur == nil || len(*cur) != len(srcs) {
		t.Fatalf("the window holds %v buckets, want one per source (%d)", cur, len(srcs))
	}
}
