package estategen_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/bench/estategen"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/servicetags"
	"github.com/vnetpath/vnetpath/topology"
)

// render returns the files of an estate and what Render counted.
func render(t testing.TB, e *estategen.Estate) (fstest.MapFS, estategen.Stats) {
	t.Helper()
	fsys := fstest.MapFS{}
	st, err := e.Render(func(path string, data []byte) error {
		fsys[path] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys, st
}

// load loads files in strict mode and fails on any error, warning or
// skipped resource other than the zones' SOA record sets (one per zone,
// exported as Azure lists them; vnetpath counts them and skips them) and
// on any missing resource.
func load(t testing.TB, fsys fstest.MapFS) *topology.Snapshot {
	t.Helper()
	res, err := azure.LoadFS(fsys, azure.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		t.Errorf("warning: %v", w)
	}
	sk := res.Snapshot.Skipped()
	zones := res.Snapshot.Counts()[topology.TypePrivateZone]
	if sk["Microsoft.Network/privateDnsZones/SOA"] != zones {
		t.Errorf("skipped %d SOA record sets; want one per zone, %d", sk["Microsoft.Network/privateDnsZones/SOA"], zones)
	}
	delete(sk, "Microsoft.Network/privateDnsZones/SOA")
	if len(sk) > 0 {
		t.Errorf("skipped resources: %v", sk)
	}
	if m := res.Snapshot.Missing(); len(m) > 0 {
		t.Errorf("%d missing resources, the first %s: %s", len(m), m[0].ID, m[0].Reason)
	}
	return res.Snapshot
}

func generate(t testing.TB, o estategen.Options) *estategen.Estate {
	t.Helper()
	e, err := estategen.GenerateWith(o)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestEstateLoads loads estates of both shapes in strict mode and checks
// the resources the loader kept against the estate's documented layout and
// against what the generator wrote.
func TestEstateLoads(t *testing.T) {
	for _, c := range []struct {
		shape  estategen.Shape
		hubs   int
		spokes int
	}{
		{estategen.HubSpoke, 1, 0},
		{estategen.HubSpoke, 1, 1},
		{estategen.HubSpoke, 1, 17},
		{estategen.HubSpoke, 1, 300}, // three landing-zone subscriptions
		{estategen.Transit, 2, 2},
		{estategen.Transit, 3, 40},
	} {
		t.Run(fmt.Sprintf("%s-%d-hubs-%d-spokes", c.shape, c.hubs, c.spokes), func(t *testing.T) {
			e := generate(t, estategen.Options{Spokes: c.spokes, Seed: 7, Shape: c.shape, Hubs: c.hubs})
			fsys, st := render(t, e)
			s := load(t, fsys)
			got := s.Counts()

			// The layout the package documentation describes.
			hubSubnets := 6 + (c.hubs - 1) // hub 0: firewall, gateway, two resolver subnets, bastion, shared; others: transit
			halfPeerings := 0
			for _, f := range e.Faults() {
				if f.Kind == estategen.FaultPeeringDisconnected || f.Kind == estategen.FaultPeeringInitiated {
					halfPeerings++
				}
			}
			ws := min(3, c.spokes)
			want := map[string]int{
				topology.TypeVNet:                c.hubs + c.spokes,
				topology.TypeSubnet:              hubSubnets + 4*c.spokes,
				topology.TypePeering:             2*(c.hubs-1) + 2*c.spokes - halfPeerings,
				topology.TypeNSG:                 c.hubs + c.spokes,
				topology.TypeASG:                 2 * c.spokes,
				topology.TypeFirewall:            1,
				topology.TypeFirewallPolicy:      1,
				topology.TypeRuleCollectionGroup: 4,
				topology.TypeIPGroup:             3,
				topology.TypeGateway:             1,
				topology.TypeLocalGateway:        1,
				topology.TypeConnection:          1,
				topology.TypePublicIP:            2,
				topology.TypePrivateZone:         6,
				topology.TypeDNSResolver:         1,
				topology.TypeInboundEndpoint:     1,
				topology.TypeOutboundEndpoint:    1,
				topology.TypeRuleset:             1,
				topology.TypeForwardingRule:      1,
				topology.TypeRulesetLink:         1,
				topology.TypeWorkspace:           ws,
			}
			for typ, n := range want {
				if got[typ] != n {
					t.Errorf("%s: loaded %d, want %d", typ, got[typ], n)
				}
			}
			// What the generator says it wrote, type by type.
			for typ, n := range st.Resources {
				if strings.HasSuffix(typ, "/defaultSecurityRules") || strings.HasSuffix(typ, "/ipConfigurations") {
					continue // not resources of their own in the snapshot
				}
				if got[typ] != n {
					t.Errorf("%s: loaded %d, the generator wrote %d", typ, got[typ], n)
				}
			}
			if c.spokes == 0 {
				return
			}
			// Every spoke NSG has 30 to 60 rules; every spoke route table
			// has tens of routes.
			for nsg := range s.NSGs() {
				if strings.Contains(nsg.Name, "spoke") && (len(nsg.Rules) < 30 || len(nsg.Rules) > 60) && c.spokes > 30 {
					t.Errorf("%s has %d rules, want 30 to 60", nsg.Name, len(nsg.Rules))
				}
			}
			for rt := range s.RouteTables() {
				if strings.Contains(rt.Name, "spoke") && c.spokes > 30 && (len(rt.Routes) < 20 || len(rt.Routes) > 50) {
					t.Errorf("%s has %d routes, want 20 to 50", rt.Name, len(rt.Routes))
				}
			}
			// Each workspace refuses public access and has a private
			// endpoint in the snapshot.
			for w := range s.Workspaces() {
				if w.PublicNetworkAccess != topology.PublicAccessDisabled || w.WorkspaceID == "" || len(s.PrivateEndpointsFor(w.ID)) != 1 {
					t.Errorf("workspace %s: public access %q, workspaceId %q, private endpoints %v", w.Name, w.PublicNetworkAccess, w.WorkspaceID, s.PrivateEndpointsFor(w.ID))
				}
			}
		})
	}
}

// TestFilesAreSortedJSON decodes every file and checks that each object's
// keys are in alphabetical order, as az prints them, without duplicates.
func TestFilesAreSortedJSON(t *testing.T) {
	for _, shape := range []estategen.Shape{estategen.HubSpoke, estategen.Transit} {
		fsys, _ := render(t, generate(t, estategen.Options{Spokes: 30, Seed: 3, Shape: shape}))
		for _, path := range slices.Sorted(maps.Keys(fsys)) {
			if err := checkSorted(fsys[path].Data); err != nil {
				t.Errorf("%s %s: %v", shape, path, err)
			}
		}
	}
}

func checkSorted(data []byte) error {
	d := json.NewDecoder(bytes.NewReader(data))
	type level struct {
		object bool
		last   string
		key    bool // the next string token is a key
	}
	var stack []level
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if len(stack) != 0 {
				return errors.New("unterminated")
			}
			return nil
		}
		if err != nil {
			return err
		}
		top := len(stack) - 1
		isKey := top >= 0 && stack[top].object && stack[top].key
		if top >= 0 && stack[top].object {
			stack[top].key = !stack[top].key
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				stack = append(stack, level{object: true, key: true})
			case '[':
				stack = append(stack, level{})
			default:
				stack = stack[:top]
				if top > 0 && stack[top-1].object {
					stack[top-1].key = true
				}
			}
		case string:
			if isKey {
				if stack[top].last != "" && v <= stack[top].last {
					return fmt.Errorf("key %q after %q at offset %d", v, stack[top].last, d.InputOffset())
				}
				stack[top].last = v
			}
		}
	}
}

// TestDeterministic: the same options give the same bytes; another seed
// gives other faults.
func TestDeterministic(t *testing.T) {
	for _, shape := range []estategen.Shape{estategen.HubSpoke, estategen.Transit} {
		o := estategen.Options{Spokes: 200, Seed: 42, Shape: shape}
		a, _ := render(t, generate(t, o))
		b, _ := render(t, generate(t, o))
		if !maps.EqualFunc(a, b, func(x, y *fstest.MapFile) bool { return bytes.Equal(x.Data, y.Data) }) {
			t.Errorf("%s: two runs with the same options differ", shape)
		}
		o.Seed = 43
		c, _ := render(t, generate(t, o))
		if maps.EqualFunc(a, c, func(x, y *fstest.MapFile) bool { return bytes.Equal(x.Data, y.Data) }) {
			t.Errorf("%s: seeds 42 and 43 give the same estate", shape)
		}
	}
	faulty := func(seed uint64) []int {
		var out []int
		for _, f := range generate(t, estategen.Options{Spokes: 200, Seed: seed}).Faults() {
			out = append(out, f.Spoke)
		}
		return out
	}
	if a, b := faulty(1), faulty(2); slices.Equal(a, b) {
		t.Errorf("seeds 1 and 2 put faults in the same spokes %v", a)
	}
}

// TestFaultsAreASmallFraction: every kind at least once, about one spoke in
// a hundred beyond that, never in a spoke that holds a workspace.
func TestFaultsAreASmallFraction(t *testing.T) {
	for _, c := range []struct{ spokes, want int }{{50, 6}, {1000, 10}, {3, 0}} {
		e := generate(t, estategen.Options{Spokes: c.spokes, Seed: 5})
		fs := e.Faults()
		if len(fs) != c.want {
			t.Errorf("%d spokes: %d faults, want %d", c.spokes, len(fs), c.want)
		}
		kinds := map[estategen.FaultKind]bool{}
		for _, f := range fs {
			kinds[f.Kind] = true
			if len(f.Expect) == 0 || f.Resource == "" || f.VNet != e.VNetID(f.Spoke) {
				t.Errorf("incomplete fault %+v", f)
			}
		}
		if c.want >= 6 && len(kinds) != len(estategen.FaultKinds()) {
			t.Errorf("%d spokes: fault kinds %v, want all of %v", c.spokes, kinds, estategen.FaultKinds())
		}
	}
}

func TestBadOptions(t *testing.T) {
	for _, o := range []estategen.Options{
		{Spokes: -1},
		{Spokes: estategen.MaxSpokes + 1},
		{Spokes: 5, Shape: "mesh"},
		{Spokes: 5, Shape: estategen.Transit, Hubs: 4},
		{Spokes: 5, Shape: estategen.HubSpoke, Hubs: 2},
		{Spokes: 5, Workspaces: -1},
		{Spokes: 5, Workspaces: estategen.MaxWorkspaces + 1},
	} {
		if _, err := estategen.GenerateWith(o); err == nil {
			t.Errorf("GenerateWith(%+v) gave no error", o)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Generate(-1) did not panic")
		}
	}()
	estategen.Generate(-1)
}

// TestWorkspaces: Options.Workspaces sets how many workspaces the estate
// holds, each with its own private endpoint in a spoke of its own, and
// each workspace adds its own entries to every source's profile.
func TestWorkspaces(t *testing.T) {
	queries := map[int]int{}
	for _, c := range []struct{ spokes, ws, want int }{
		{30, 1, 1}, {30, 0, 3}, {30, 6, 6}, {2, 4, 2},
	} {
		e := generate(t, estategen.Options{Spokes: c.spokes, Seed: 5, Workspaces: c.ws})
		opt := c.ws
		if opt == 0 {
			opt = 3
		}
		if got := e.Options().Workspaces; got != opt {
			t.Errorf("Workspaces %d: Options() says %d, want %d", c.ws, got, opt)
		}
		if got := len(e.WorkspaceFQDNs()); got != c.want {
			t.Errorf("%d spokes, Workspaces %d: %d workspace names, want %d", c.spokes, c.ws, got, c.want)
		}
		fsys, _ := render(t, e)
		s := load(t, fsys)
		spokes := map[string]bool{}
		n := 0
		for w := range s.Workspaces() {
			n++
			pes := s.PrivateEndpointsFor(w.ID)
			if len(pes) != 1 {
				t.Errorf("Workspaces %d: workspace %s has private endpoints %v, want one", c.ws, w.Name, pes)
				continue
			}
			pe, _ := s.PrivateEndpoint(pes[0])
			sn, _ := s.Subnet(pe.Subnet)
			if spokes[sn.VNet] {
				t.Errorf("Workspaces %d: two workspaces' private endpoints in %s", c.ws, sn.VNet)
			}
			spokes[sn.VNet] = true
		}
		if n != c.want {
			t.Errorf("%d spokes, Workspaces %d: the snapshot has %d workspaces, want %d", c.spokes, c.ws, n, c.want)
		}
		if c.spokes == 30 {
			qs, err := engine.New(s, nil).ProfileQueries(nil)
			if err != nil {
				t.Fatal(err)
			}
			queries[c.want] = len(qs)
		}
	}
	if !(queries[1] < queries[3] && queries[3] < queries[6]) {
		t.Errorf("profile queries by workspaces: %v, want more with each workspace", queries)
	}
}

// TestGenerateIsSeedOne: the old entry point gives the default estate.
func TestGenerateIsSeedOne(t *testing.T) {
	a := estategen.Generate(12)
	b, _ := render(t, generate(t, estategen.Options{Spokes: 12, Seed: 1}))
	if len(a) != len(b) {
		t.Fatalf("Generate(12) has %d files, GenerateWith %d", len(a), len(b))
	}
	for p, d := range a {
		if b[p] == nil || !bytes.Equal(b[p].Data, d) {
			t.Errorf("%s differs", p)
		}
	}
}

func TestWriteDir(t *testing.T) {
	e := generate(t, estategen.Options{Spokes: 140, Seed: 9, Shape: estategen.Transit})
	dir := t.TempDir()
	st, err := e.WriteDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	mem, mst := render(t, e)
	if st.Files != len(mem) || st.Bytes != mst.Bytes || !maps.Equal(st.Resources, mst.Resources) {
		t.Errorf("WriteDir stats %d files %d bytes, Render %d files %d bytes", st.Files, st.Bytes, len(mem), mst.Bytes)
	}
	for p, f := range mem {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil || !bytes.Equal(b, f.Data) {
			t.Errorf("%s: on disk differs from Render (%v)", p, err)
		}
	}
	if _, err := e.WriteDir(dir); err == nil {
		t.Error("WriteDir into a non-empty directory gave no error")
	}
	res, err := azure.Load([]string{dir}, azure.Options{})
	if err != nil || len(res.Warnings) > 0 {
		t.Fatalf("loading the written estate: %v %v", err, res.Warnings)
	}
}

// publicCatalog returns the public service-tag file of ../shared, or nil.
func publicCatalog(t *testing.T) *servicetags.Catalog {
	p := filepath.Join("..", "..", "..", "shared", "testdata", "servicetags", "ServiceTags_Public_20251028.json")
	if _, err := os.Stat(p); err != nil {
		return nil
	}
	c, err := servicetags.ParseFile(p, servicetags.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestProfileFindsEveryFault runs `check` without --to (the Azure ML profile
// of every workspace from every workload subnet) on 50-spoke estates of both
// shapes: every injected fault gives its expected verdict from every
// workload subnet of its spoke, and every other subnet reaches every entry
// of the profile, Entra ID and ARM included. With the public service-tag
// file of ../shared the same holds with tags expanded to their prefixes
// (from the faulty spokes, the hubs and a quarter of the clean spokes).
func TestProfileFindsEveryFault(t *testing.T) {
	for _, shape := range []estategen.Shape{estategen.HubSpoke, estategen.Transit} {
		for _, withCatalog := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/catalog=%v", shape, withCatalog), func(t *testing.T) {
				var cat *servicetags.Catalog
				if withCatalog {
					if cat = publicCatalog(t); cat == nil {
						t.Skip("skipping: ../shared/testdata/servicetags/ServiceTags_Public_20251028.json is absent")
					}
				}
				e := generate(t, estategen.Options{Spokes: 50, Seed: 1, Shape: shape})
				fsys, _ := render(t, e)
				en := engine.New(load(t, fsys), cat)
				var from []string // nil: every workload subnet
				if withCatalog {
					// Expanded tags make each check slower: the faulty
					// spokes, the hubs and every fourth clean spoke.
					faulty := map[string]bool{}
					for _, f := range e.Faults() {
						faulty[strings.ToLower(f.VNet)] = true
					}
					for i, sn := range en.WorkloadSubnets() {
						if faulty[strings.ToLower(sn.VNet)] || !strings.Contains(sn.VNet, "spoke") || i%4 == 0 {
							from = append(from, sn.ID)
						}
					}
				}
				checkProfile(t, e, en, from)
			})
		}
	}
}

func checkProfile(t *testing.T, e *estategen.Estate, en *engine.Engine, from []string) {
	t.Helper()
	qs, err := en.ProfileQueries(from)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := en.Run(qs)
	if err != nil {
		t.Fatal(err)
	}
	byVNet := map[string]estategen.Fault{}
	seen := map[string]int{} // fault vnet + destination -> results checked
	for _, f := range e.Faults() {
		byVNet[strings.ToLower(f.VNet)] = f
	}
	if len(byVNet) != len(estategen.FaultKinds()) {
		t.Fatalf("%d faulty spokes, want one of each of the %d kinds", len(byVNet), len(estategen.FaultKinds()))
	}
	reported := 0
	for _, r := range rep.Results {
		vnet := strings.ToLower(r.Source[:strings.Index(r.Source, "/subnets/")])
		f, faulty := byVNet[vnet]
		if !faulty {
			if !r.Reachable && reported < 10 {
				reported++
				t.Errorf("clean subnet %s → %s %s/%d: %s: %s", topology.NameOf(r.Source), r.Destination, r.Protocol, r.Port, r.Verdict, r.Reason)
			}
			continue
		}
		for _, x := range f.Expect {
			if r.Destination != x.To {
				continue
			}
			seen[vnet+" "+x.To]++
			if string(r.Verdict) != x.Verdict {
				t.Errorf("%s (%s) %s → %s %s/%d: %s, want %s: %s", f.Kind, topology.NameOf(vnet), topology.NameOf(r.Source), r.Destination, r.Protocol, r.Port, r.Verdict, x.Verdict, r.Reason)
			}
		}
	}
	for _, f := range e.Faults() {
		for _, x := range f.Expect {
			if seen[strings.ToLower(f.VNet)+" "+x.To] == 0 {
				t.Errorf("%s: no profile result from %s to %s", f.Kind, topology.NameOf(f.VNet), x.To)
			}
		}
	}
}

// ExampleGenerateWith plans a transit estate, lists its faults and writes
// it.
func ExampleGenerateWith() {
	e, err := estategen.GenerateWith(estategen.Options{Spokes: 60, Seed: 1, Shape: estategen.Transit})
	if err != nil {
		panic(err)
	}
	for _, f := range e.Faults() {
		fmt.Println(f.Kind, topology.NameOf(f.VNet))
	}
	dir, _ := os.MkdirTemp("", "estate")
	defer os.RemoveAll(dir)
	st, err := e.WriteDir(dir)
	if err != nil {
		panic(err)
	}
	fmt.Println(st.Files, "files")
	// Output:
	// firewall-rule-missing vnet-spoke-00002
	// peering-disconnected vnet-spoke-00020
	// nsg-deny-arm vnet-spoke-00022
	// zone-not-linked vnet-spoke-00025
	// none-route vnet-spoke-00029
	// peering-initiated vnet-spoke-00053
	// 28 files
}
