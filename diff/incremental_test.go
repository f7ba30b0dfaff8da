package diff_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/azure/deploy"
	"github.com/vnetpath/vnetpath/bench/estategen"
	"github.com/vnetpath/vnetpath/diff"
	"github.com/vnetpath/vnetpath/engine"
)

// generated is an estate of bench/estategen, as files and loaded.
type generated struct {
	files  map[string][]byte
	fsys   fstest.MapFS
	before *engine.Engine
	byID   map[string]map[string]any // lower-case ID -> resource, top-level and embedded
}

var (
	genMu sync.Mutex
	gens  = map[estategen.Options]*generated{}
)

// generatedEstate loads an estate of bench/estategen once per test binary.
// The 12-spoke hub-and-spoke estate of seed 1 has three workspaces
// (private endpoints in spokes 0, 8 and 10) and faults in spokes 1, 2, 3,
// 5, 6 and 9 (spoke 6 uses Azure-provided DNS).
func generatedEstate(t *testing.T, o estategen.Options) *generated {
	t.Helper()
	genMu.Lock()
	defer genMu.Unlock()
	if g, ok := gens[o]; ok {
		return g
	}
	e, err := estategen.GenerateWith(o)
	if err != nil {
		t.Fatal(err)
	}
	g := &generated{files: e.Files(), fsys: fstest.MapFS{}, byID: map[string]map[string]any{}}
	for name, data := range g.files {
		g.fsys[name] = &fstest.MapFile{Data: data}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
		if m, ok := v.(map[string]any); ok {
			v = m["value"]
		}
		list, _ := v.([]any)
		for _, x := range list {
			g.index(x)
		}
	}
	res, err := azure.LoadFS(g.fsys, azure.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g.before = engine.New(res.Snapshot, nil)
	gens[o] = g
	return g
}

func (g *generated) index(x any) {
	m, ok := x.(map[string]any)
	if !ok {
		return
	}
	if id, ok := m["id"].(string); ok && m["name"] != nil {
		// Back-references ({"id": ...} only, a route table's subnets)
		// are not the resource.
		g.byID[strings.ToLower(id)] = m
	}
	for _, k := range []string{"subnets", "virtualNetworkPeerings", "routes", "securityRules"} {
		list, _ := m[k].([]any)
		for _, c := range list {
			g.index(c)
		}
	}
}

// resource returns a deep copy of the resource with the given ID.
func (g *generated) resource(t *testing.T, id string) map[string]any {
	t.Helper()
	m, ok := g.byID[strings.ToLower(id)]
	if !ok {
		t.Fatalf("the generated estate has no %s", id)
	}
	data, _ := json.Marshal(m)
	var out map[string]any
	json.Unmarshal(data, &out)
	return out
}

func asResource(t *testing.T, m map[string]any) deploy.Resource {
	t.Helper()
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return deploy.Resource{ID: m["id"].(string), Type: m["type"].(string), JSON: data}
}

const (
	lz    = "/subscriptions/0b5e7a55-0001-4000-8000-000000000001/resourceGroups/"
	conn  = "/subscriptions/0b5e7a55-0000-4000-8000-000000000000/resourceGroups/rg-connectivity/providers/"
	dnsRG = "/subscriptions/0b5e7a55-0000-4000-8000-000000000000/resourceGroups/rg-dns/providers/"
	hubID = conn + "Microsoft.Network/virtualNetworks/vnet-hub-0"
)

func spokeID(i int, typ, name string) string {
	return fmt.Sprintf("%srg-spoke-%05d/providers/Microsoft.Network/%s/%s", lz, i, typ, name)
}

// change is a kind of change to a generated estate.
type change struct {
	name   string
	change azure.Change
	local  bool // affects one spoke: few answers are checked again
}

func template(t *testing.T, rs ...map[string]any) azure.Change {
	c := azure.Change{Name: "azuredeploy.json", Kind: azure.ChangeTemplate, Result: &deploy.Result{}}
	for _, r := range rs {
		c.Result.Resources = append(c.Result.Resources, asResource(t, r))
	}
	return c
}

func plan(t *testing.T, deletes []string, rs ...map[string]any) azure.Change {
	c := template(t, rs...)
	c.Name, c.Kind, c.Result.Deletes = "plan.json", azure.ChangePlan, deletes
	return c
}

// hubSpokeChanges are changes of every kind to the 12-spoke estate.
func hubSpokeChanges(t *testing.T, g *generated) []change {
	rt := g.resource(t, spokeID(4, "routeTables", "rt-spoke-00004"))
	for _, r := range rt["routes"].([]any) {
		r := r.(map[string]any)
		if r["addressPrefix"] == "0.0.0.0/0" {
			r["nextHopType"], r["nextHopIpAddress"] = "None", nil
		}
	}
	denyEntra := map[string]any{
		"id": spokeID(7, "networkSecurityGroups", "nsg-spoke-00007") + "/securityRules/DenyEntraOutbound", "name": "DenyEntraOutbound",
		"type": "Microsoft.Network/networkSecurityGroups/securityRules", "access": "Deny", "direction": "Outbound", "priority": 105.0,
		"protocol": "Tcp", "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "AzureActiveDirectory", "destinationPortRange": "443",
	}
	vnet11 := g.resource(t, spokeID(11, "virtualNetworks", "vnet-spoke-00011"))
	delete(vnet11, "subnets")
	delete(vnet11, "virtualNetworkPeerings")
	vnet11["dhcpOptions"] = map[string]any{"dnsServers": []any{}}
	app4 := g.resource(t, spokeID(4, "virtualNetworks", "vnet-spoke-00004")+"/subnets/snet-app")
	delete(app4, "routeTable")
	newSubnet := map[string]any{"id": hubID + "/subnets/snet-new", "name": "snet-new", "type": "Microsoft.Network/virtualNetworks/subnets",
		"addressPrefix": "172.16.8.0/24"}
	return []change{
		{"a spoke's default route to None", template(t, rt), true},
		{"a deny rule in a spoke's NSG", plan(t, nil, denyEntra), true},
		{"a subnet loses its route table", plan(t, nil, app4), true},
		{"a spoke's route table not known before deployment", azure.Change{Name: "azuredeploy.json", Kind: azure.ChangeTemplate, Result: &deploy.Result{
			Missing: []deploy.Missing{{ID: spokeID(7, "routeTables", "rt-spoke-00007"), Reason: "a next hop is reference() of a resource outside the template"}}}}, true},
		{"the hub's half of a peering deleted", plan(t, []string{hubID + "/virtualNetworkPeerings/peer-to-spoke-00007"}), false},
		{"a spoke's DNS servers set to Azure-provided", plan(t, nil, vnet11), false},
		{"a privatelink zone unlinked from the hub", plan(t, []string{dnsRG + "Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms/virtualNetworkLinks/link-vnet-hub-0"}), false},
		{"the firewall's platform rules deleted", plan(t, []string{conn + "Microsoft.Network/firewallPolicies/fwp-hub-0/ruleCollectionGroups/rcg-platform"}), false},
		{"a workspace's private endpoint deleted", plan(t, []string{spokeID(8, "privateEndpoints", "pe-mlw-00008")}), false},
		{"the resolver's inbound endpoint deleted", plan(t, []string{conn + "Microsoft.Network/dnsResolvers/dnspr-hub-0/inboundEndpoints/in-hub-0"}), false},
		{"a spoke subnet deleted", plan(t, []string{spokeID(4, "virtualNetworks", "vnet-spoke-00004") + "/subnets/snet-data"}), false},
		{"a subnet added to the hub", plan(t, nil, newSubnet), false},
	}
}

// transitChanges are changes to appliances of the transit estate (two
// hubs, eight spokes; hub 1's spokes route through the appliance
// 172.16.16.4).
func transitChanges(t *testing.T, g *generated) []change {
	nva := g.resource(t, conn+"Microsoft.Network/networkInterfaces/nic-nva-hub-1-a")
	nva["enableIPForwarding"] = false
	rt := g.resource(t, conn+"Microsoft.Network/routeTables/rt-hub-1-transit")
	for _, r := range rt["routes"].([]any) {
		r := r.(map[string]any)
		r["nextHopType"], r["nextHopIpAddress"] = "None", nil
	}
	return []change{
		{"an appliance stops forwarding", plan(t, nil, nva), false},
		{"the transit subnet's routes to None", template(t, rt), false},
	}
}

// TestIncrementalDiffEqualsFullDiff: for each kind of change, the diff
// that checks again only the answers the change can affect reports
// exactly what checking every answer again reports.
func TestIncrementalDiffEqualsFullDiff(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: generated estates take a few seconds")
	}
	estates := []struct {
		name    string
		opts    estategen.Options
		changes func(*testing.T, *generated) []change
	}{
		{"hub-spoke", estategen.Options{Spokes: 12, Seed: 1}, hubSpokeChanges},
		{"transit", estategen.Options{Spokes: 8, Seed: 1, Shape: estategen.Transit, Hubs: 2}, transitChanges},
	}
	for _, est := range estates {
		g := generatedEstate(t, est.opts)
		incremental, err := diff.NewBaseline(g.before, diff.Options{})
		if err != nil {
			t.Fatal(err)
		}
		full, err := diff.NewBaseline(g.before, diff.Options{Full: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range est.changes(t, g) {
			t.Run(est.name+"/"+tc.name, func(t *testing.T) {
				res, err := azure.LoadFS(g.fsys, azure.Options{Changes: []azure.Change{tc.change}})
				if err != nil {
					t.Fatal(err)
				}
				after := engine.New(res.Snapshot, nil)
				want, err := full.Compare(after, nil)
				if err != nil {
					t.Fatal(err)
				}
				got, err := incremental.Compare(after, res.Touched)
				if err != nil {
					t.Fatal(err)
				}
				if want.Summary.Changed == 0 || len(want.Resources) == 0 {
					t.Fatalf("the change changes nothing (%d resources): the test proves nothing", len(want.Resources))
				}
				if a, b := render(want), render(got); a != b {
					t.Errorf("incremental diff differs from the full diff.\nfull:\n%s\nincremental:\n%s", a, b)
				}
				if n := want.Summary.Compared - want.Summary.Gone; want.Summary.Rechecked != n {
					t.Errorf("the full diff checked %d of the %d answers after the change again", want.Summary.Rechecked, n)
				}
				if tc.local && got.Summary.Rechecked*10 > got.Summary.Compared {
					t.Errorf("a change to one spoke checked %d of %d answers again", got.Summary.Rechecked, got.Summary.Compared)
				}
				t.Logf("%s; %d of %d answers checked again; resources: %d", got.Summary.Headline(), got.Summary.Rechecked, got.Summary.Compared, len(got.Resources))
			})
		}
	}
}

// render writes what a report says, but not how much work it took.
func render(r *diff.Report) string {
	var b strings.Builder
	s := r.Summary
	fmt.Fprintf(&b, "%s / compared %d / resources %d\n", s.Headline(), s.Compared, s.Resources)
	for _, c := range r.Resources {
		fmt.Fprintf(&b, "resource %s %s\n", c.Change, c.ID)
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "warning %s\n", w)
	}
	for _, e := range r.Changed {
		side := func(s *diff.Side) string {
			if s == nil {
				return "-"
			}
			return string(s.Verdict) + " (" + s.Reason + ")"
		}
		fmt.Fprintf(&b, "%s %s %s/%d %s: %s -> %s; causes %v\n", e.Source, e.Destination, e.Protocol, e.Port, e.Workspace, side(e.Before), side(e.After), e.Causes)
	}
	return b.String()
}
