package cidr

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
)

// partitionSlow is the brute-force reference for Partition inside the test
// universe: it groups the addresses of s by the exact list of prefixes
// covering each, in the order groups first appear.
func partitionSlow(s bitset, ps []netip.Prefix) (keys [][]int, groups []bitset) {
	index := map[string]int{}
	for i, in := range s {
		if !in {
			continue
		}
		a := addrAt(i)
		var covers []int
		for j, p := range ps {
			if p.IsValid() && p.Masked().Contains(a) {
				covers = append(covers, j)
			}
		}
		k := fmt.Sprint(covers)
		g, ok := index[k]
		if !ok {
			g = len(keys)
			index[k] = g
			keys = append(keys, covers)
			groups = append(groups, bitset{})
		}
		groups[g][i] = true
	}
	return keys, groups
}

func randomPrefixes(rng *rand.Rand) []netip.Prefix {
	var ps []netip.Prefix
	for range rng.IntN(7) {
		half := rng.IntN(2)
		bits := rng.IntN(9)
		lo := rng.IntN(256) &^ (1<<bits - 1)
		p := netip.PrefixFrom(addrAt(half*256+lo), universe[half].Addr().BitLen()-bits)
		switch rng.IntN(10) {
		case 0:
			p = netip.Prefix{} // covers nothing
		case 1:
			p = netip.PrefixFrom(universe[half].Addr(), rng.IntN(universe[half].Bits()+1)).Masked() // wider than the universe
		case 2:
			if len(ps) > 0 {
				p = ps[rng.IntN(len(ps))] // a duplicate
			}
		}
		ps = append(ps, p)
	}
	return ps
}

func TestPartitionAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for round := range 3000 {
		s, want := randomSet(rng)
		ps := randomPrefixes(rng)
		got := s.Partition(ps)
		keys, groups := partitionSlow(want, ps)
		if len(got) != len(keys) {
			t.Fatalf("round %d: %v.Partition(%v) gave %d pieces, want %d: %+v", round, s, ps, len(got), len(keys), got)
		}
		for i, piece := range got {
			if !slices.Equal(piece.Covers, keys[i]) && !(len(piece.Covers) == 0 && len(keys[i]) == 0) {
				t.Fatalf("round %d: piece %d covered by %v, want %v (set %v, prefixes %v)", round, i, piece.Covers, keys[i], s, ps)
			}
			if bitsOf(piece.Set) != groups[i] {
				t.Fatalf("round %d: piece %d is %v; want the addresses covered by %v (set %v, prefixes %v)", round, i, piece.Set, keys[i], s, ps)
			}
		}
	}
}

func TestPartition(t *testing.T) {
	type piece struct {
		set    string
		covers []int
	}
	tests := []struct {
		name string
		set  Set
		ps   []netip.Prefix
		want []piece
	}{
		{"empty_set", Set{}, []netip.Prefix{mpp("10.0.0.0/8")}, nil},
		{"no_prefixes", SetOf(mpp("10.0.0.0/24")), nil, []piece{{"10.0.0.0/24", nil}}},
		{
			"nested_prefixes",
			SetOf(mpp("10.0.0.0/16")),
			[]netip.Prefix{mpp("0.0.0.0/0"), mpp("10.0.1.0/24"), mpp("10.0.0.0/16")},
			[]piece{{"10.0.0.0/24,10.0.2.0/23,10.0.4.0/22,10.0.8.0/21,10.0.16.0/20,10.0.32.0/19,10.0.64.0/18,10.0.128.0/17", []int{0, 2}}, {"10.0.1.0/24", []int{0, 1, 2}}},
		},
		{
			"disjoint_parts_with_the_same_cover_form_one_piece",
			SetOf(mpp("10.0.0.0/24"), mpp("10.0.2.0/24")),
			[]netip.Prefix{mpp("10.0.0.128/25")},
			[]piece{{"10.0.0.0/25,10.0.2.0/24", nil}, {"10.0.0.128/25", []int{0}}},
		},
		{
			"invalid_prefix_covers_nothing",
			SetOf(mpp("10.0.0.0/24")),
			[]netip.Prefix{{}, mpp("10.0.0.0/24")},
			[]piece{{"10.0.0.0/24", []int{1}}},
		},
		{
			"duplicate_prefixes_both_listed",
			SetOf(mpp("10.0.0.0/24")),
			[]netip.Prefix{mpp("10.0.0.0/8"), mpp("10.0.0.0/8")},
			[]piece{{"10.0.0.0/24", []int{0, 1}}},
		},
		{
			"both_families_and_the_top_of_the_address_space",
			SetOf(mpp("255.255.255.0/24"), mpp("ffff::/16")),
			[]netip.Prefix{mpp("255.255.255.255/32"), mpp("::/0")},
			[]piece{{"255.255.255.0/25,255.255.255.128/26,255.255.255.192/27,255.255.255.224/28,255.255.255.240/29,255.255.255.248/30,255.255.255.252/31,255.255.255.254", nil},
				{"255.255.255.255", []int{0}}, {"ffff::/16", []int{1}}},
		},
		{
			"mapped_prefix_covers_ipv4",
			SetOf(mpp("10.0.0.0/24")),
			[]netip.Prefix{mpp("::ffff:10.0.0.0/120")},
			[]piece{{"10.0.0.0/24", []int{0}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.set.Partition(tc.ps)
			if len(got) != len(tc.want) {
				t.Fatalf("Partition gave %d pieces, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, p := range got {
				if p.Set.String() != tc.want[i].set || !slices.Equal(p.Covers, tc.want[i].covers) && len(p.Covers)+len(tc.want[i].covers) > 0 {
					t.Errorf("piece %d = %v %v, want %v %v", i, p.Set, p.Covers, tc.want[i].set, tc.want[i].covers)
				}
			}
		})
	}
}
