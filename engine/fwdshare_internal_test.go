package engine

import (
	"testing"

	"github.com/vnetpath/vnetpath/bench/estategen"
	"github.com/vnetpath/vnetpath/topology"
)

// TestSegmentsShareTheCoresOfHubs holds that the engines of a run's
// segments share the core of a forwarding state of a VNet with at least
// sharedFwdPeerings peerings, each keeping memos of its own beside it, and
// build their own for VNets with fewer.
func TestSegmentsShareTheCoresOfHubs(t *testing.T) {
	snap, _ := generatedSnapshot(t, estategen.Options{Spokes: sharedFwdPeerings + 2, Seed: 1, Shape: estategen.HubSpoke})
	root := New(snap, nil)
	a, b := root.fresh(), root.fresh()
	var hubs, others int
	for sn := range snap.Subnets() {
		fa, fb := a.ctx(sn).fwd, b.ctx(sn).fwd
		if fa == fb {
			t.Fatalf("%s: two segments hold the same forwarding state, memos included", sn.ID)
		}
		n := len(root.peerings[topology.Key(sn.VNet)])
		if n >= sharedFwdPeerings {
			hubs++
			if fa.fwdCore != fb.fwdCore {
				t.Errorf("%s: a subnet of a VNet of %d peerings has a core of its own in each segment; want one, built once", sn.ID, n)
			}
			continue
		}
		others++
		if fa.fwdCore == fb.fwdCore {
			t.Errorf("%s: a subnet of a VNet of %d peerings shares its core across segments; want one per segment, freed with it", sn.ID, n)
		}
	}
	if hubs == 0 || others == 0 {
		t.Fatalf("%d subnets in hubs and %d in other VNets: want both", hubs, others)
	}
}
