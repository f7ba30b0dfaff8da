package engine

import (
	"fmt"
	"net/netip"
	"slices"
	"testing"

	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/topology"
)

// set is the set of the prefixes ps.
func set(ps ...string) cidr.Set {
	var out []netip.Prefix
	for _, p := range ps {
		out = append(out, netip.MustParsePrefix(p))
	}
	return cidr.SetOf(out...)
}

// TestFirewallAtoms holds which sources share a memoised firewall
// evaluation: those inside or outside every rule's source set alike.
func TestFirewallAtoms(t *testing.T) {
	c := &compiledFW{
		network: []fwRule{{src: matcher{set: set("10.1.0.0/16")}}, {src: matcher{set: set("10.0.0.0/8")}}},
		app:     []fwRule{{src: matcher{set: set("192.168.0.0/24")}}},
	}
	atom := func(s cidr.Set) int {
		a, ok := c.atomOf(s)
		if !ok {
			return -1
		}
		return a
	}
	same := [][2]cidr.Set{
		{set("10.1.2.0/24"), set("10.1.3.0/25")},
		{set("10.2.0.0/24"), set("10.200.0.0/16")},
		{set("11.0.0.0/24"), set("172.16.0.0/24")}, // between 10.0.0.0/8 and 192.168.0.0/24
	}
	for _, p := range same {
		if a, b := atom(p[0]), atom(p[1]); a < 0 || a != b {
			t.Errorf("%s and %s: atoms %d and %d, want one", p[0], p[1], a, b)
		}
	}
	apart := [][2]cidr.Set{
		{set("10.1.2.0/24"), set("10.2.0.0/24")},    // inside 10.1.0.0/16 or not
		{set("10.2.0.0/24"), set("11.0.0.0/24")},    // inside 10.0.0.0/8 or not
		{set("192.168.0.0/25"), set("8.8.8.8/32")},  // the application rule's source
		{set("8.8.8.8/32"), set("2001:db8::/64")},   // families never share an atom
		{set("11.0.0.0/24"), set("192.168.1.0/24")}, // on either side of a rule's range
	}
	for _, p := range apart {
		if a, b := atom(p[0]), atom(p[1]); a < 0 || b < 0 || a == b {
			t.Errorf("%s and %s: atoms %d and %d, want two", p[0], p[1], a, b)
		}
	}
	// A source a rule's set cuts has no atom: its parts are decided apart.
	for _, s := range []cidr.Set{set("10.0.0.0/7"), set("10.1.0.0/15"), set("10.1.0.0/24", "10.2.0.0/24"), {}} {
		if a, ok := c.atomOf(s); ok {
			t.Errorf("%s: atom %d, want none", s, a)
		}
	}
}

// TestNSGAtomMemo holds that an NSG evaluation memoised per atom gives a
// second source of the same atom its own verdicts: the same decisions as
// evaluating it alone, with itself as the source; and that a source a
// rule cuts is split as before.
func TestNSGAtomMemo(t *testing.T) {
	in := cidr.NewInterner()
	rule := func(name string, access topology.Access, src, dst cidr.Set) compiledRule {
		return compiledRule{rule: &topology.SecurityRule{Meta: topology.Meta{Name: name}, Access: access, Protocol: "*"},
			label: "nsg/" + name, src: matcher{set: in.Intern(src)}, dst: matcher{set: in.Intern(dst)},
			protos: nsgProtos("*"), allSrcPorts: true}
	}
	n := &compiledNSG{nsg: &topology.NSG{Meta: topology.Meta{Name: "nsg"}}, in: in, rules: []compiledRule{
		rule("deny-app-to-db", topology.AccessDeny, set("10.1.1.0/24"), set("10.9.0.0/24")),
		rule("allow-spokes", topology.AccessAllow, set("10.0.0.0/8"), set("10.9.0.0/16")),
		rule("deny-all", topology.AccessDeny, set("0.0.0.0/0"), set("0.0.0.0/0")),
	}}
	for i := range n.rules {
		n.rules[i].self = []*compiledRule{&n.rules[i]}
	}
	dst := concrete(in.Intern(set("10.9.0.0/23")))
	check := func(src cidr.Set) {
		t.Helper()
		s := concrete(in.Intern(src))
		got, _ := n.evalShared(s, dst, TCP, 443, &pieceNotes{})
		want := (&compiledNSG{nsg: n.nsg, in: in, rules: n.rules}).eval(s, dst, TCP, 443, &pieceNotes{})
		if len(got) != len(want) {
			t.Fatalf("from %s: %d verdicts, want %d", src, len(got), len(want))
		}
		for i := range got {
			g, w := got[i], want[i]
			if !g.src.equal(w.src) || !g.dst.equal(w.dst) || g.allow != w.allow || !slices.Equal(g.deciding, w.deciding) {
				t.Errorf("from %s, verdict %d: got %v→%v allow=%v, want %v→%v allow=%v", src, i, g.src, g.dst, g.allow, w.src, w.dst, w.allow)
			}
		}
	}
	// The rules decide: the app subnet is denied the database and allowed
	// the rest of 10.9.0.0/23.
	vs := n.eval(concrete(in.Intern(set("10.1.1.0/24"))), dst, TCP, 443, &pieceNotes{})
	if len(vs) != 2 || !vs[0].allow || vs[1].allow || vs[1].deciding[0].label != "nsg/deny-app-to-db" {
		t.Fatalf("from 10.1.1.0/24: %+v, want allowed by allow-spokes, then denied by deny-app-to-db", vs)
	}
	// The per-atom memo starts once the NSG has met atomSources sources.
	for i := range atomSources {
		if n.atoms.ready.Load() {
			t.Fatalf("memoising per atom after %d sources, want %d", i, atomSources)
		}
		check(set(fmt.Sprintf("10.50.%d.0/24", i)))
	}
	if !n.atoms.ready.Load() {
		t.Fatalf("not memoising per atom after %d sources", atomSources)
	}
	check(set("10.2.0.0/24")) // memoised for the atom 10.1.2.0-10.255.255.255
	check(set("10.3.0.0/25")) // the same atom, from the memo
	if _, ok := n.atoms.of(set("10.2.0.0/24"), n.ruleSources); !ok {
		t.Fatal("10.2.0.0/24 has no atom")
	}
	memoised := 0
	n.atoms.memo.Range(func(atomKey, any) bool { memoised++; return true })
	if memoised != 1 {
		t.Errorf("%d evaluations memoised per atom, want 1", memoised)
	}
	check(set("10.1.0.0/16")) // cut by deny-app-to-db: evaluated alone
	check(set("10.1.1.0/25")) // inside it: another atom
}
