package azure_test

import (
	"encoding/json"
	"errors"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/topology"
)

// shared returns the path of ../shared/ELEM... relative to the repository,
// skipping the test when the shared directory is absent.
func shared(t testing.TB, elem ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{"..", "..", "shared"}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is absent (tests that read ../shared need it beside the repository): %v", p, err)
	}
	return p
}

const vnetHub = `{"id": "` + S + `virtualNetworks/hub", "name": "hub", "type": "Microsoft.Network/virtualNetworks",
	"properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [
		{"id": "` + S + `virtualNetworks/hub/subnets/a", "name": "a", "properties": {"addressPrefix": "10.0.1.0/24"}},
		{"id": "` + S + `virtualNetworks/hub/subnets/b", "name": "b", "properties": {"addressPrefix": "10.0.2.0/24"}}]}}`

func TestLoadShapes(t *testing.T) {
	tests := []struct {
		name string
		data string
		path string // JSON path of the VNet
	}{
		{"array", "[" + vnetHub + "]", "$[0]"},
		{"ARM list", `{"value": [` + vnetHub + `], "nextLink": null}`, "$.value[0]"},
		{"Resource Graph", `{"count": 1, "data": [` + strings.Replace(vnetHub, "Microsoft.Network/virtualNetworks", "microsoft.network/virtualnetworks", 1) + `], "skip_token": null, "total_records": 1}`, "$.data[0]"},
		{"single resource", vnetHub, "$"},
		{"REST API example", `{"parameters": {"api-version": "2025-07-01"}, "responses": {"200": {"body": ` + vnetHub + `}, "default": {}}}`, `$.responses["200"].body`},
		{"byte order mark", "\xEF\xBB\xBF[" + vnetHub + "]", "$[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustLoad(t, tt.data)
			v, ok := res.Snapshot.VNet(S + "virtualNetworks/hub")
			if !ok {
				t.Fatal("VNet not loaded")
			}
			if v.Path != tt.path || v.File != "snap.json" {
				t.Errorf("VNet at %s, want snap.json at %s", v.Where(), tt.path)
			}
			if got := res.Snapshot.Counts()[topology.TypeSubnet]; got != 2 {
				t.Errorf("subnets = %d, want 2", got)
			}
			if len(res.Warnings) != 0 {
				t.Errorf("warnings = %v", res.Warnings)
			}
		})
	}
}

// TestLoadFlattened loads the flattened shape the az CLI prints, where the
// members of "properties" sit beside "id", and checks that messages name
// paths as written.
func TestLoadFlattened(t *testing.T) {
	data := `[{"id": "` + S + `virtualNetworks/hub", "name": "hub", "type": "Microsoft.Network/virtualNetworks", "resourceGroup": "rg",
		"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "dhcpOptions": {"dnsServers": ["10.0.4.4"]}, "ddosProtectionPlan": null,
		"subnets": [{"id": "` + S + `virtualNetworks/hub/subnets/a", "name": "a", "addressPrefix": "10.0.1.0/24", "resourceGroup": "rg"},
			{"id": "` + S + `virtualNetworks/hub/subnets/bad", "name": "bad", "addressPrefix": "10.0.2.1/24"},
			{"id": "` + S + `virtualNetworks/hub/subnets/c", "name": "c", "addressPrefix": "10.0.1.128/25"}]}]`
	_, err := azure.LoadBytes("vnets.json", []byte(data), azure.Options{})
	want := "vnets.json: " + S + `virtualNetworks/hub/subnets/bad: $[0].subnets[1].addressPrefix: "10.0.2.1/24": not canonical: host bits are set (the network is 10.0.2.0/24)`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v\nwant   %s", err, want)
	}
	res, err := azure.LoadBytes("vnets.json", []byte(data), azure.Options{Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := res.Snapshot.VNet(S + "virtualNetworks/hub")
	if len(v.DNSServers) != 1 || len(v.Subnets) != 2 {
		t.Errorf("flattened VNet = %+v", v)
	}
	// A validation finding names the field as written, too.
	if len(res.Warnings) != 2 || res.Warnings[1].Path != "$[0].subnets[2].addressPrefix" || !strings.Contains(res.Warnings[1].Msg, "overlaps 10.0.1.0/24 of subnet a") {
		t.Errorf("warnings = %v", res.Warnings)
	}
	sn, _ := res.Snapshot.Subnet(S + "virtualNetworks/hub/subnets/a")
	if sn.Path != "$[0].subnets[0]" {
		t.Errorf("subnet path = %q, want $[0].subnets[0]", sn.Path)
	}
}

func TestLoadErrors(t *testing.T) {
	sub := S + "virtualNetworks/hub/subnets/b"
	tests := []struct {
		name string
		data string
		want []string // the whole error, finding by finding
	}{
		{
			name: "bad CIDR",
			data: `[` + strings.Replace(vnetHub, "10.0.2.0/24", "10.0.0.1/24", 1) + `]`,
			want: []string{"snap.json: " + sub + `: $[0].properties.subnets[1].properties.addressPrefix: "10.0.0.1/24": not canonical: host bits are set (the network is 10.0.0.0/24)`},
		},
		{
			name: "wrong JSON type",
			data: `[` + strings.Replace(vnetHub, `"10.0.2.0/24"`, `24`, 1) + `]`,
			want: []string{"snap.json: " + sub + ": $[0].properties.subnets[1].properties.addressPrefix: wrong JSON type: a number where a string is expected"},
		},
		{
			name: "wrong JSON type in an array element",
			data: `[` + strings.Replace(vnetHub, `["10.0.0.0/16"]`, `["10.0.0.0/16", {"x": 1}]`, 1) + `]`,
			want: []string{"snap.json: " + S + "virtualNetworks/hub: $[0].properties.addressSpace.addressPrefixes[1]: wrong JSON type: an object where a string is expected"},
		},
		{
			name: "integer out of range",
			data: `[{"id": "` + S + `networkSecurityGroups/n", "type": "Microsoft.Network/networkSecurityGroups", "properties": {"securityRules": [
				{"name": "r", "properties": {"priority": 1e12, "direction": "Inbound", "access": "Allow", "protocol": "*"}}]}}]`,
			want: []string{"snap.json: " + S + "networkSecurityGroups/n/securityRules/r: $[0].properties.securityRules[0].properties.priority: number 1e12 is not an integer that fits int32"},
		},
		{
			name: "bad port",
			data: `[{"id": "` + S + `networkSecurityGroups/n", "type": "Microsoft.Network/networkSecurityGroups", "properties": {"securityRules": [
				{"name": "r", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "*", "destinationPortRanges": ["443", "70000"]}}]}}]`,
			want: []string{"snap.json: " + S + `networkSecurityGroups/n/securityRules/r: $[0].properties.securityRules[0].properties.destinationPortRanges[1]: "70000": port out of range 0-65535`},
		},
		{
			name: "bad IP address",
			data: `[{"id": "` + S + `publicIPAddresses/p", "type": "Microsoft.Network/publicIPAddresses", "properties": {"ipAddress": "51.105.10.300"}}]`,
			want: []string{"snap.json: " + S + `publicIPAddresses/p: $[0].properties.ipAddress: "51.105.10.300": not an IP address`},
		},
		{
			name: "resource without id",
			data: `[` + vnetHub + `, {"name": "x", "type": "Microsoft.Network/routeTables"}]`,
			want: []string{"snap.json: $[1].id: resource has no id"},
		},
		{
			name: "resource without type whose id is not an ARM ID",
			data: `[{"id": "hub", "name": "hub"}]`,
			want: []string{"snap.json: hub: $[0].type: resource has no type, and its id is not an ARM resource ID"},
		},
		{
			name: "id of the wrong JSON type",
			data: `{"value": [{"id": 42, "type": "Microsoft.Network/routeTables"}]}`,
			want: []string{"snap.json: $.value[0].id: wrong JSON type: a number where a string is expected"},
		},
		{
			name: "resource that is not an object",
			data: `[` + vnetHub + `, "hub"]`,
			want: []string{"snap.json: $[1]: resource is a string, not an object"},
		},
		{
			name: "next hop type a UDR may not have",
			data: `[{"id": "` + S + `routeTables/rt", "type": "Microsoft.Network/routeTables", "properties": {"routes": [
				{"name": "r", "properties": {"addressPrefix": "10.1.0.0/16", "nextHopType": "VNetPeering"}}]}}]`,
			want: []string{"snap.json: " + S + `routeTables/rt/routes/r: $[0].properties.routes[0].properties.nextHopType: next hop type "VNetPeering" is not allowed in a user-defined route (allowed: VirtualAppliance, VirtualNetworkGateway, VnetLocal, Internet, None)`},
		},
		{
			name: "two errors in two files' worth of resources are all reported",
			data: `[{"id": "` + S + `publicIPAddresses/p1", "type": "Microsoft.Network/publicIPAddresses", "properties": {"ipAddress": "x"}},
				{"id": "` + S + `publicIPAddresses/p2", "type": "Microsoft.Network/publicIPAddresses", "properties": {"ipAddress": true}}]`,
			want: []string{
				"snap.json: " + S + `publicIPAddresses/p1: $[0].properties.ipAddress: "x": not an IP address`,
				"snap.json: " + S + "publicIPAddresses/p2: $[1].properties.ipAddress: wrong JSON type: a boolean where a string is expected",
			},
		},
	}
	// Each case's file is loaded beside a VNet: a snapshot without one is
	// an error of its own (TestLoadNoVNet).
	load := func(data string, opts azure.Options) (*azure.Result, error) {
		return azure.LoadFS(fstest.MapFS{
			"snap.json":  {Data: []byte(data)},
			"vnets.json": {Data: []byte(`[{"id": "` + S + `virtualNetworks/other", "type": "Microsoft.Network/virtualNetworks", "properties": {"addressSpace": {"addressPrefixes": ["10.9.0.0/16"]}}}]`)},
		}, opts)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := load(tt.data, azure.Options{})
			if err == nil {
				t.Fatalf("no error; snapshot counts %v", res.Snapshot.Counts())
			}
			if res != nil {
				t.Errorf("strict Load returned a Result with its error")
			}
			got := strings.Split(err.Error(), "\n")
			if !slices.Equal(got, tt.want) {
				t.Errorf("error:\n%s\nwant:\n%s", err, strings.Join(tt.want, "\n"))
			}
			var f *topology.Finding
			if !errors.As(err, &f) || !f.Fatal {
				t.Errorf("error %T does not unwrap to a fatal *topology.Finding", err)
			}
			// Lenient mode turns each into a warning and keeps the rest.
			lres, lerr := load(tt.data, azure.Options{Lenient: true})
			if lerr != nil {
				t.Fatalf("lenient: %v", lerr)
			}
			var fatal []string
			for _, w := range lres.Warnings {
				if !w.Fatal {
					continue
				}
				fatal = append(fatal, w.Error())
				// What was dropped is listed as missing, with the finding.
				if m, ok := lres.Snapshot.MissingByID(w.ID); w.ID != "" && (!ok || m.Reason != "malformed: "+w.Error()) {
					t.Errorf("lenient: %s listed as %+v, %v; want malformed: and the finding", w.ID, m, ok)
				}
			}
			if !slices.Equal(fatal, tt.want) {
				t.Errorf("lenient warnings for dropped resources:\n%s\nwant:\n%s", strings.Join(fatal, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestLoadUnknownEnumsWarn(t *testing.T) {
	data := `[` + strings.Replace(vnetHub, `"subnets"`, `"virtualNetworkPeerings": [{"name": "p", "properties": {"remoteVirtualNetwork": {"id": "`+S+`virtualNetworks/hub"}, "peeringState": "Foo"}}], "subnets"`, 1) + `,
		{"id": "` + S + `routeTables/rt", "type": "Microsoft.Network/routeTables", "properties": {"routes": [{"name": "r", "properties": {"addressPrefix": "10.1.0.0/16", "nextHopType": "HyperNetGateway"}}]}}]`
	_, err := azure.LoadBytes("snap.json", []byte(data), azure.Options{})
	// The Builder refuses the unknown next hop in a UDR; the peering state is only a warning.
	if err == nil || strings.Count(err.Error(), "\n") != 0 || !strings.Contains(err.Error(), `next hop type "HyperNetGateway" is not allowed`) {
		t.Fatalf("error = %v, want the UDR next hop refused", err)
	}
	res, err := azure.LoadBytes("snap.json", []byte(data), azure.Options{Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range res.Warnings {
		got = append(got, w.Error())
	}
	want := []string{
		"snap.json: " + S + `virtualNetworks/hub/virtualNetworkPeerings/p: $[0].properties.virtualNetworkPeerings[0]: peered virtual networks hub (10.0.0.0/16) and hub (10.0.0.0/16) overlap; Azure refuses such a peering`,
		"snap.json: " + S + `virtualNetworks/hub/virtualNetworkPeerings/p: $[0].properties.virtualNetworkPeerings[0].properties.peeringState: unknown value "Foo" (Azure defines Connected, Disconnected, Initiated); kept as written`,
		"snap.json: " + S + `routeTables/rt/routes/r: $[1].properties.routes[0].properties.nextHopType: unknown value "HyperNetGateway" (Azure defines Internet, None, VirtualAppliance, VirtualNetworkGateway, VnetLocal); kept as written`,
		"snap.json: " + S + `routeTables/rt/routes/r: $[1].properties.routes[0].properties.nextHopType: next hop type "HyperNetGateway" is not allowed in a user-defined route (allowed: VirtualAppliance, VirtualNetworkGateway, VnetLocal, Internet, None)`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	p, _ := res.Snapshot.Peering(S + "virtualNetworks/hub/virtualNetworkPeerings/p")
	if p == nil || p.State != "Foo" {
		t.Errorf("peering state = %+v, want Foo kept", p)
	}
}

func TestLoadMissingTypeFromID(t *testing.T) {
	res := mustLoad(t, `[`+vnetHub+`, {"id": "`+S+`virtualNetworks/hub/subnets/c", "name": "c", "properties": {"addressPrefix": "10.0.3.0/24"}}]`)
	if _, ok := res.Snapshot.Subnet(S + "virtualNetworks/hub/subnets/c"); !ok {
		t.Fatal("subnet without type not loaded")
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Error() != "snap.json: "+S+"virtualNetworks/hub/subnets/c: $[1].type: resource has no type; taken from its id as Microsoft.Network/virtualNetworks/subnets" {
		t.Errorf("warnings = %v", res.Warnings)
	}
}

// TestLenientKeepsMalformedAsMissing: with Options.Lenient a malformed
// resource is dropped with a warning and listed as missing with the
// finding (SPEC §2); what references it stays, so that answers depending on
// it can say they are unknown instead of describing another estate.
func TestLenientKeepsMalformedAsMissing(t *testing.T) {
	data := `[` + strings.Replace(vnetHub, "10.0.2.0/24", "10.0.2.0/33", 1) + `,
		{"id": "` + S + `networkInterfaces/n", "type": "Microsoft.Network/networkInterfaces", "properties": {"ipConfigurations": [
			{"name": "c", "properties": {"privateIPAddress": "10.0.2.4", "subnet": {"id": "` + S + `virtualNetworks/hub/subnets/b"}}}]}},
		{"id": "` + S + `routeTables/rt", "type": "Microsoft.Network/routeTables", "properties": {"disableBgpRoutePropagation": "yes",
			"routes": [{"name": "r1", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "Internet"}}]}},
		{"id": "` + S + `networkSecurityGroups/n", "type": "Microsoft.Network/networkSecurityGroups", "properties": {"securityRules": [
			{"name": "r", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "*", "sourceAddressPrefix": "10.0.0.0/33"}}]}}]`
	if _, err := azure.LoadBytes("snap.json", []byte(data), azure.Options{}); err == nil || strings.Count(err.Error(), "\n") != 2 {
		t.Errorf("strict: error = %v, want the three malformed resources", err)
	}
	res, err := azure.LoadBytes("snap.json", []byte(data), azure.Options{Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Snapshot
	if _, ok := s.VNet(S + "virtualNetworks/hub"); !ok {
		t.Error("the VNet was dropped with its bad subnet")
	}
	if _, ok := s.Subnet(S + "virtualNetworks/hub/subnets/a"); !ok {
		t.Error("the good subnet was dropped")
	}
	if _, ok := s.Subnet(S + "virtualNetworks/hub/subnets/b"); ok {
		t.Error("the bad subnet was kept")
	}
	if _, ok := s.RouteTable(S + "routeTables/rt"); ok {
		t.Error("the route table with a wrong JSON type was kept")
	}
	if n, ok := s.NIC(S + "networkInterfaces/n"); !ok || n.IPConfigs[0].Subnet != S+"virtualNetworks/hub/subnets/b" {
		t.Errorf("the NIC in the malformed subnet = %+v, %v; want it kept as it is", n, ok)
	}
	var msgs []string
	for _, w := range res.Warnings {
		msgs = append(msgs, w.ID+" "+w.Path)
	}
	want := []string{
		S + "virtualNetworks/hub/subnets/b $[0].properties.subnets[1].properties.addressPrefix",
		S + "routeTables/rt $[2].properties.disableBgpRoutePropagation",
		S + "networkSecurityGroups/n/securityRules/r $[3].properties.securityRules[0].properties.sourceAddressPrefix",
	}
	if !slices.Equal(msgs, want) {
		t.Errorf("warnings at %q, want %q", msgs, want)
	}
	// Each dropped resource is missing, with the finding about it (or
	// about the resource that embeds it) and who needs it.
	tests := []struct {
		id      string
		refs    []topology.Ref
		warning int
	}{
		{S + "networkSecurityGroups/n/securityRules/r", nil, 2},
		{S + "routeTables/rt", nil, 1},
		{S + "routeTables/rt/routes/r1", nil, 1},
		{S + "virtualNetworks/hub/subnets/b", []topology.Ref{{ID: S + "networkInterfaces/n", Field: "IPConfigs[0].Subnet"}}, 0},
	}
	if got := missingIDs(s); len(got) != len(tests) {
		t.Errorf("Missing() = %q", got)
	}
	for _, tt := range tests {
		m, ok := s.MissingByID(tt.id)
		if !ok || !slices.Equal(m.ReferencedBy, tt.refs) || m.Reason != "malformed: "+res.Warnings[tt.warning].Error() {
			t.Errorf("Missing %s = %+v, %v; want referenced by %v, malformed with warning %d", tt.id, m, ok, tt.refs, tt.warning)
		}
	}
	if got := s.Counts(); got[topology.TypeSubnet] != 1 || got[topology.TypeVNet] != 1 || got[topology.TypeNIC] != 1 || got[topology.TypeSecurityRule] != 0 || got[topology.TypeNSG] != 1 {
		t.Errorf("counts = %v", got)
	}
}

func TestLoadDuplicates(t *testing.T) {
	changed := strings.Replace(vnetHub, "10.0.2.0/24", "10.0.9.0/24", 1)
	tests := []struct {
		name    string
		a, b    string
		wantErr string
	}{
		{"identical copies", vnetHub, vnetHub, ""},
		{"same ID in another letter case, same content", vnetHub,
			strings.ReplaceAll(strings.ReplaceAll(vnetHub, `"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub"`, `"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub"`), "Microsoft.Network/virtualNetworks\"", "microsoft.network/virtualnetworks\""), ""},
		{"different content", vnetHub, changed,
			"b.json: " + S + "virtualNetworks/hub/subnets/b: $[0].properties.subnets[1]: the same ID appears with different content in a.json at $[0].properties.subnets[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"a.json": {Data: []byte("[" + tt.a + "]")},
				"b.json": {Data: []byte("[" + tt.b + "]")},
			}
			res, err := azure.LoadFS(fsys, azure.Options{})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if n := res.Snapshot.Counts()[topology.TypeSubnet]; n != 2 {
					t.Errorf("subnets = %d, want 2", n)
				}
				return
			}
			if err == nil || err.Error() != tt.wantErr {
				t.Fatalf("error = %v\nwant   %s", err, tt.wantErr)
			}
		})
	}
}

func TestLoadChildBeforeParentAcrossFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Read in sorted order: the routes and subnets come before their parents.
	write("1-routes.json", `[{"id": "`+S+`routeTables/rt/routes/r", "type": "Microsoft.Network/routeTables/routes", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "Internet"}}]`)
	write("2-subnets/subnets.json", `{"value": [{"id": "`+S+`virtualNetworks/hub/subnets/c", "type": "Microsoft.Network/virtualNetworks/subnets", "properties": {"addressPrefix": "10.0.3.0/24", "routeTable": {"id": "`+S+`routeTables/rt"}}}]}`)
	write("3-vnets.json", "["+vnetHub+"]")
	write("4-routetables.JSON", `[{"id": "`+S+`routeTables/rt", "type": "Microsoft.Network/routeTables"}]`)
	write("notes.txt", "not a snapshot")
	res, err := azure.Load([]string{dir}, azure.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range res.Files {
		names = append(names, filepath.ToSlash(strings.TrimPrefix(f, dir+string(filepath.Separator))))
	}
	if want := []string{"1-routes.json", "2-subnets/subnets.json", "3-vnets.json", "4-routetables.JSON"}; !slices.Equal(names, want) {
		t.Errorf("files = %q, want %q", names, want)
	}
	rt, _ := res.Snapshot.RouteTable(S + "routeTables/rt")
	if rt == nil || len(rt.Routes) != 1 {
		t.Fatalf("route table = %+v, want its route attached", rt)
	}
	v, _ := res.Snapshot.VNet(S + "virtualNetworks/hub")
	if len(v.Subnets) != 3 {
		t.Errorf("VNet subnets = %q, want a, b and c", v.Subnets)
	}
}

func TestLoadPaths(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.MkdirAll(filepath.Join(empty, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(empty, "sub", "readme.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse 100 MB file: nothing is written, Load must refuse it by size.
	if err := f.Truncate(100 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	small := filepath.Join(dir, "small.json")
	if err := os.WriteFile(small, []byte("["+vnetHub+"]"), 0o644); err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "truncated.json")
	if err := os.WriteFile(truncated, []byte("["+vnetHub[:200]), 0o644); err != nil {
		t.Fatal(err)
	}
	notJSON := filepath.Join(dir, "vnets.json")
	if err := os.WriteFile(notJSON, []byte("Name    ResourceGroup\nhub     rg\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	emptyFile := filepath.Join(dir, "nothing.json")
	if err := os.WriteFile(emptyFile, []byte("  \n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		paths []string
		opts  azure.Options
		want  string
		is    error
	}{
		{"no paths", nil, azure.Options{}, "no snapshot paths given", nil},
		{"missing path", []string{filepath.Join(dir, "nope.json")}, azure.Options{}, "snapshot path: stat " + filepath.Join(dir, "nope.json") + ": no such file or directory", fs.ErrNotExist},
		{"empty directory", []string{empty}, azure.Options{}, empty + ": snapshot directory holds no .json files", nil},
		{"100 MB file", []string{big}, azure.Options{}, big + ": file is 104857600 bytes, larger than the limit of 67108864 bytes", nil},
		{"file over a custom limit", []string{small}, azure.Options{MaxFileBytes: 100}, small + ": file is " + itoa(len(vnetHub)+2) + " bytes, larger than the limit of 100 bytes", nil},
		{"truncated file", []string{truncated}, azure.Options{Lenient: true}, truncated + ": not valid JSON: line 2, column 48: unexpected end of JSON input (the file is truncated)", nil},
		{"not JSON", []string{notJSON}, azure.Options{Lenient: true}, notJSON + ": not valid JSON: line 1, column 1: invalid character 'N'", nil},
		{"empty file", []string{emptyFile}, azure.Options{}, emptyFile + ": file is empty", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := azure.Load(tt.paths, tt.opts)
			if err == nil || res != nil {
				t.Fatalf("Load = %v, %v; want an error", res, err)
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q\nwant    %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
		})
	}
}

// TestLoadFileErrorsAcrossFiles: files are read, split and decoded a few at
// a time, yet the error is the one reading every file first gave: a file
// that cannot be read (here, one over the size limit) wins over JSON errors
// in files before it, JSON errors of every file are joined in file order,
// and a snapshot without a VNet is reported only when every file is
// well-formed. Load (files read from disk) and LoadFS agree.
func TestLoadFileErrorsAcrossFiles(t *testing.T) {
	vnets := "[" + vnetHub + "]"
	tooBig := "[" + vnetHub + "," + strings.Repeat(" ", 300) + "]"
	tests := []struct {
		name  string
		files [][2]string // name, content, in sorted order
		want  string
	}{
		{"JSON error then a file over the limit",
			[][2]string{{"a.json", "[{"}, {"b.json", vnets}, {"c.json", tooBig}},
			"c.json: file is " + itoa(len(tooBig)) + " bytes, larger than the limit of 800 bytes"},
		{"JSON errors of two files, in order",
			[][2]string{{"a.json", "[1,"}, {"b.json", vnets}, {"c.json", "{]"}},
			"a.json: not valid JSON: line 1, column 4: unexpected end of JSON input (the file is truncated)\n" +
				"c.json: not valid JSON: line 1, column 2: invalid character ']'"},
		{"no VNet",
			[][2]string{{"a.json", "[]"}, {"b.json", `{"foo": 1}`}},
			"the snapshot holds no virtual network (" + topology.TypeVNet + ")"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			fsys := fstest.MapFS{}
			for _, f := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, f[0]), []byte(f[1]), 0o644); err != nil {
					t.Fatal(err)
				}
				fsys[f[0]] = &fstest.MapFile{Data: []byte(f[1])}
			}
			opts := azure.Options{Lenient: true, MaxFileBytes: 800}
			_, err := azure.Load([]string{dir}, opts)
			got := ""
			if err != nil {
				got = strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
			}
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("Load error = %q\nwant         %q", got, tt.want)
			}
			_, err = azure.LoadFS(fsys, opts)
			got = ""
			if err != nil {
				got = err.Error()
			}
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("LoadFS error = %q\nwant           %q", got, tt.want)
			}
		})
	}
}

func TestLoadBytesFileErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"trailing data", `[] []`, `x.json: not valid JSON: line 1, column 4: data after the top-level value`},
		{"bad escape", `["\x"]`, `x.json: not valid JSON: line 1, column 4: invalid escape "\\x"`},
		{"deep nesting", strings.Repeat("[", 20000), `x.json: not valid JSON: line 1, column 10001: JSON nested too deeply`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := azure.LoadBytes("x.json", []byte(tt.data), azure.Options{Lenient: true})
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v\nwant    %s", err, tt.want)
			}
		})
	}
}

// TestLoadSetsAsideFilesWithoutResources: a JSON file of a snapshot
// directory that holds no ARM resources is set aside with a warning naming
// the file and what it looks like, and the rest loads.
func TestLoadSetsAsideFilesWithoutResources(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"deployment template", `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
			"resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01", "name": "hub"}]}`,
			"file is an ARM deployment template, not exported resources: pass it with --template"},
		{"template by its resources and schema", `{"$schema": "https://example.com/my-template-schema#", "resources": []}`,
			"file is an ARM deployment template, not exported resources: pass it with --template"},
		{"parameters file", `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {"location": {"value": "westeurope"}}}`,
			"file is an ARM deployment parameters file, not exported resources: pass it with --parameters beside its template"},
		{"Terraform plan", `{"format_version": "1.2", "terraform_version": "1.9.5", "planned_values": {"root_module": {}}, "resource_changes": []}`,
			"file is a Terraform plan (terraform show -json), not exported resources: pass it with --plan"},
		{"Terraform state", `{"version": 4, "terraform_version": "1.9.5", "serial": 3, "resources": []}`,
			"file is a Terraform state file, not exported resources: export the estate with az (see the README) or pass a plan with --plan"},
		{"package.json", `{"name": "tools", "version": "1.0.0", "devDependencies": {"prettier": "3.3.3"}}`,
			"file is an npm package.json, not ARM resources"},
		{"another object", `{"foo": 1}`,
			`file holds an object that is neither a resource (no "id" or "type") nor a list (no "value" or "data" array)`},
		{"top-level string", `"hub"`,
			`file holds a string, not ARM resources (an array, an object with "value" or "data", or a resource)`},
		{"value not an array", `{"value": {"id": "x"}}`,
			`"value" holds an object, not an array of resources`},
		{"example without a body", `{"parameters": {}, "responses": {"202": {}}}`,
			`file holds a REST API example without a responses."200".body resource`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"vnets.json": {Data: []byte("[" + vnetHub + "]")}, "sub/odd.json": {Data: []byte(tt.data)}}
			for _, opts := range []azure.Options{{}, {Lenient: true}} {
				res, err := azure.LoadFS(fsys, opts)
				if err != nil {
					t.Fatalf("lenient %v: %v", opts.Lenient, err)
				}
				want := "sub/odd.json: " + tt.want + "; file set aside"
				if len(res.Warnings) != 1 || res.Warnings[0].Error() != want || res.Warnings[0].Fatal {
					t.Errorf("lenient %v: warnings = %v\nwant      %s", opts.Lenient, res.Warnings, want)
				}
				if res.Snapshot.Counts()[topology.TypeSubnet] != 2 {
					t.Errorf("the rest did not load: %v", res.Snapshot.Counts())
				}
			}
			// Alone, it is a snapshot without a VNet: the error says so and
			// names the file set aside.
			_, err := azure.LoadBytes("odd.json", []byte(tt.data), azure.Options{Lenient: true})
			if err == nil || !strings.HasPrefix(err.Error(), "the snapshot holds no virtual network") || !strings.HasSuffix(err.Error(), "\nodd.json: "+tt.want+"; file set aside") {
				t.Errorf("alone: error = %v", err)
			}
		})
	}
}

// TestLoadNoVNet: vnetpath answers nothing without a virtual network, so a
// snapshot without one is an error saying what to export, in strict and
// lenient mode alike; a VNet that is malformed is still a VNet.
func TestLoadNoVNet(t *testing.T) {
	const want = "the snapshot holds no virtual network (Microsoft.Network/virtualNetworks): export them with `az network vnet list -o json > vnets.json`, or with the Resource Graph query of the README's Inputs section"
	for _, data := range []string{
		`[]`,
		`[{"id": "` + S + `networkSecurityGroups/n", "type": "Microsoft.Network/networkSecurityGroups"}]`,
		`{"value": [{"id": "` + S + `virtualNetworks/hub/subnets/a", "type": "Microsoft.Network/virtualNetworks/subnets", "properties": {"addressPrefix": "10.0.1.0/24"}}]}`,
	} {
		for _, opts := range []azure.Options{{}, {Lenient: true}} {
			res, err := azure.LoadBytes("nsgs.json", []byte(data), opts)
			var f *topology.Finding
			if err == nil || err.Error() != want || res != nil || !errors.As(err, &f) || !f.Fatal {
				t.Errorf("%s (lenient %v): %v, %v\nwant %s", data, opts.Lenient, res, err, want)
			}
		}
	}
	// A VNet without a type, recognised by its ID, counts; so does a
	// malformed one, which strict loading reports as such.
	res, err := azure.LoadBytes("v.json", []byte(`[{"id": "`+S+`virtualNetworks/hub", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}}]`), azure.Options{})
	if err != nil || res.Snapshot.Counts()[topology.TypeVNet] != 1 {
		t.Errorf("VNet without a type: %v", err)
	}
	_, err = azure.LoadBytes("v.json", []byte(`[{"id": "`+S+`virtualNetworks/hub", "type": "Microsoft.Network/virtualNetworks", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.1/16"]}}}]`), azure.Options{})
	if err == nil || !strings.Contains(err.Error(), `addressPrefixes[0]: "10.0.0.1/16": not canonical`) {
		t.Errorf("malformed VNet: %v", err)
	}
}

func TestLoadSkippedTypes(t *testing.T) {
	data := `{"data": [
		{"id": "` + rg + `Microsoft.Compute/virtualMachines/vm1", "type": "microsoft.compute/virtualmachines", "tenantId": "t", "properties": {"hardwareProfile": {}}},
		{"id": "` + rg + `Microsoft.Compute/virtualMachines/vm2", "type": "Microsoft.Compute/virtualMachines"},
		{"id": "` + rg + `Microsoft.Storage/storageAccounts/st", "type": "Microsoft.Storage/storageAccounts"},
		{"id": "` + S + `networkSecurityGroups/n/defaultSecurityRules/DenyAllInBound", "type": "Microsoft.Network/networkSecurityGroups/defaultSecurityRules"},
		` + vnetHub + `]}`
	res := mustLoad(t, data)
	want := map[string]int{"microsoft.compute/virtualmachines": 2, "Microsoft.Storage/storageAccounts": 1}
	if got := res.Snapshot.Skipped(); !mapsEqual(got, want) {
		t.Errorf("Skipped() = %v, want %v", got, want)
	}
	if res.Snapshot.Resources() != 3 {
		t.Errorf("Resources() = %d, want 3 (a VNet and two subnets)", res.Snapshot.Resources())
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestWarningsOrder(t *testing.T) {
	// Warnings from the loader (unknown peering states) and from validation
	// (overlapping subnets), across two files, come back by file and by
	// position ($[2] before $[10]), at the JSON path of the field.
	var rs []string
	for i := range 11 {
		ns := "Foo"
		if i != 2 && i != 10 {
			ns = "Connected"
		}
		rs = append(rs, `{"id": "`+S+`virtualNetworks/v`+string(rune('a'+i))+`/virtualNetworkPeerings/p", "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "properties": {"remoteVirtualNetwork": {"id": "`+S+`virtualNetworks/x"}, "peeringState": "`+ns+`"}}`)
	}
	vs := []string{`{"id": "` + S + `virtualNetworks/x", "type": "Microsoft.Network/virtualNetworks", "properties": {"addressSpace": {"addressPrefixes": ["172.16.0.0/16"]}}}`}
	for i := range 11 {
		second := "10." + itoa(i) + ".2.0/24"
		if i == 3 || i == 10 {
			second = "10." + itoa(i) + ".1.128/25" // overlaps the first
		}
		vs = append(vs, `{"id": "`+S+`virtualNetworks/v`+string(rune('a'+i))+`", "type": "Microsoft.Network/virtualNetworks", "properties": {"addressSpace": {"addressPrefixes": ["10.`+itoa(i)+`.0.0/16"]},
			"subnets": [{"name": "a", "properties": {"addressPrefix": "10.`+itoa(i)+`.1.0/24"}}, {"name": "b", "properties": {"addressPrefix": "`+second+`"}}]}}`)
	}
	fsys := fstest.MapFS{
		"a.json": {Data: []byte("[" + strings.Join(rs, ",") + "]")},
		"b.json": {Data: []byte("[" + strings.Join(vs, ",") + "]")},
	}
	res, err := azure.LoadFS(fsys, azure.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range res.Warnings {
		got = append(got, w.File+" "+w.Path)
	}
	want := []string{
		"a.json $[2].properties.peeringState",
		"a.json $[10].properties.peeringState",
		"b.json $[4].properties.subnets[1].properties.addressPrefix",
		"b.json $[11].properties.subnets[1].properties.addressPrefix",
	}
	if !slices.Equal(got, want) {
		t.Errorf("warnings in order\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func TestLoadScenarios(t *testing.T) {
	dir := shared(t, "scenarios")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		path := filepath.Join(dir, e.Name(), "snapshot.json")
		if _, err := os.Stat(path); err != nil {
			path = filepath.Join(dir, e.Name(), "snapshot")
		}
		t.Run(e.Name(), func(t *testing.T) {
			n++
			res, err := azure.Load([]string{path}, azure.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range res.Warnings {
				t.Errorf("warning: %v", w)
			}
			if len(res.Snapshot.Skipped()) != 0 {
				t.Errorf("skipped = %v", res.Snapshot.Skipped())
			}
			// Every resource of the files is counted: compare with a plain
			// count of the resources and their embedded children.
			want := 0
			for _, f := range res.Files {
				want += countResources(t, f)
			}
			if got := res.Snapshot.Resources(); got != want {
				t.Errorf("Resources() = %d, want %d (counts %v)", got, want, res.Snapshot.Counts())
			}
			if res.Snapshot.Counts()[topology.TypeVNet] == 0 {
				t.Errorf("no VNet loaded")
			}
		})
	}
	if n == 0 {
		t.Fatal("no scenarios found")
	}
}

// countResources counts the resources of an ARM JSON file the way the model
// does: top-level resources plus embedded subnets, peerings, routes and
// custom security rules.
func countResources(t *testing.T, path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	var list []any
	switch v := v.(type) {
	case []any:
		list = v
	case map[string]any:
		switch {
		case v["value"] != nil:
			list = v["value"].([]any)
		case v["data"] != nil:
			list = v["data"].([]any)
		default:
			list = []any{v}
		}
	}
	n := 0
	for _, r := range list {
		n++
		props, _ := r.(map[string]any)["properties"].(map[string]any)
		for _, k := range []string{"subnets", "virtualNetworkPeerings", "routes", "securityRules"} {
			if xs, ok := props[k].([]any); ok {
				for _, x := range xs {
					if _, ok := x.(map[string]any)["properties"]; ok { // not a bare reference
						n++
					}
				}
			}
		}
	}
	return n
}

// TestLoadARMExamples loads every REST API example whose response body is a
// resource: it decodes without error (lenient only for the references the
// lone example cannot satisfy) and its type is recognised.
func TestLoadARMExamples(t *testing.T) {
	dir := shared(t, "testdata", "armexamples")
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	loaded := 0
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var ex struct {
				Responses map[string]struct{ Body map[string]any }
			}
			if err := json.Unmarshal(data, &ex); err != nil {
				t.Fatal(err)
			}
			_, isResource := ex.Responses["200"].Body["id"]
			// Beside a VNet of its own: a snapshot needs one.
			fsys := fstest.MapFS{name: {Data: data}, "stub-vnet.json": {Data: []byte(stubVNet(stubVNetID, "192.0.2.0/24"))}}
			res, err := azure.LoadFS(fsys, azure.Options{Lenient: true})
			if !isResource {
				// Next hops, flow verdicts, effective routes, service tags:
				// answers, not resources. Lenient loading drops them with a
				// warning; strict loading refuses them.
				if err != nil || len(res.Warnings) != 1 || !res.Warnings[0].Fatal || res.Snapshot.Resources() != 1 {
					t.Errorf("lenient: %v, %+v", err, res)
				}
				if _, err := azure.LoadFS(fsys, azure.Options{}); err == nil || !strings.Contains(err.Error(), "resource has no id") {
					t.Errorf("strict: error = %v, want the body refused as a resource without id", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			loaded++
			for _, w := range res.Warnings {
				if !strings.Contains(w.Msg, "the snapshot references or declares") && !strings.Contains(w.Msg, "resource has no type; taken from its id") {
					t.Errorf("finding other than a reference the example cannot satisfy: %v", w)
				}
			}
			if res.Snapshot.Resources()+len(res.Snapshot.Skipped())+len(res.Snapshot.Missing()) <= 1 && !anyDropped(res.Warnings) {
				t.Errorf("nothing loaded, skipped, set aside or dropped")
			}
		})
	}
	if loaded < 15 {
		t.Errorf("only %d resource examples loaded", loaded)
	}
}

func anyDropped(ws []*topology.Finding) bool {
	return slices.ContainsFunc(ws, func(f *topology.Finding) bool { return f.Fatal })
}

// armExample loads a shared REST API example together with stub resources
// that satisfy its references, in strict mode.
func armExample(t *testing.T, rel string, stubs ...string) *azure.Result {
	t.Helper()
	path := shared(t, append([]string{"testdata", "armexamples"}, strings.Split(rel, "/")...)...)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"example.json": {Data: data},
		"stubs.json":   {Data: []byte("[" + strings.Join(append(stubs, stubVNet(stubVNetID, "192.0.2.0/24")), ",") + "]")},
	}
	res, err := azure.LoadFS(fsys, azure.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// stubVNetID is a VNet loaded beside examples that hold none.
const stubVNetID = "/subscriptions/stub/resourceGroups/stub/providers/Microsoft.Network/virtualNetworks/stub"

// stubVNet is a VNet with subnets given as name, prefix pairs.
func stubVNet(id, space string, subnets ...string) string {
	var ss []string
	for i := 0; i+1 < len(subnets); i += 2 {
		ss = append(ss, `{"name": "`+subnets[i]+`", "properties": {"addressPrefix": "`+subnets[i+1]+`"}}`)
	}
	return `{"id": "` + id + `", "type": "Microsoft.Network/virtualNetworks", "properties": {"addressSpace": {"addressPrefixes": ["` + space + `"]}, "subnets": [` + strings.Join(ss, ",") + `]}}`
}

func stub(id, typ string) string { return `{"id": "` + id + `", "type": "` + typ + `"}` }

func TestARMExampleFields(t *testing.T) {
	const (
		net = "network/resource-manager/Microsoft.Network/stable/"
		dns = "privatedns/resource-manager/Microsoft.Network/stable/2024-06-01/examples/"
		sid = "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/"
		zid = "/subscriptions/subscriptionId/resourceGroups/resourceGroup1/providers/Microsoft.Network/privateDnsZones/privatezone1.com"
	)
	tests := []struct {
		example string
		stubs   []string
		check   func(t *testing.T, s *topology.Snapshot)
	}{
		{net + "2025-03-01/examples/VirtualNetworkGet.json", []string{stub(sid+"loadBalancers/lb", "Microsoft.Network/loadBalancers")}, func(t *testing.T, s *topology.Snapshot) {
			v, _ := s.VNet(sid + "virtualNetworks/test-vnet")
			equal(t, "VNet", [3]any{v.Location, v.AddressSpace, v.Subnets}, [3]any{"westus", pfxs("10.0.0.0/16"), []string{sid + "virtualNetworks/test-vnet/subnets/subnet1"}})
			sn, _ := s.Subnet(sid + "virtualNetworks/test-vnet/subnets/subnet1")
			equal(t, "subnet", [2]any{sn.Prefixes, sn.Path}, [2]any{pfxs("10.0.1.0/24"), `$.responses["200"].body.properties.subnets[0]`})
		}},
		{net + "2025-05-01/examples/SubnetGet.json",
			[]string{stubVNet("/subscriptions/subid/resourceGroups/subnet-test/providers/Microsoft.Network/virtualNetworks/vnetname", "10.0.0.0/16")},
			func(t *testing.T, s *topology.Snapshot) {
				sn, ok := s.Subnet("/subscriptions/subid/resourceGroups/subnet-test/providers/Microsoft.Network/virtualNetworks/vnetname/subnets/subnet1")
				if !ok || !slices.Equal(sn.Prefixes, pfxs("10.0.0.0/16")) {
					t.Errorf("subnet = %+v", sn)
				}
			}},
		{net + "2025-07-01/examples/VirtualNetworkPeeringCreate.json",
			[]string{stubVNet("/subscriptions/subid/resourceGroups/peerTest/providers/Microsoft.Network/virtualNetworks/vnet1", "10.0.0.0/16"),
				stubVNet("/subscriptions/subid/resourceGroups/peerTest/providers/Microsoft.Network/virtualNetworks/vnet2", "12.0.0.0/8")},
			func(t *testing.T, s *topology.Snapshot) {
				p, _ := s.Peering("/subscriptions/subid/resourceGroups/peerTest/providers/Microsoft.Network/virtualNetworks/vnet1/virtualNetworkPeerings/peer")
				equal(t, "peering", [6]any{p.State, p.SyncLevel, p.AllowForwardedTraffic, p.AllowGatewayTransit, p.RemoteAddressSpace, p.RemoteVNetAddressSpace},
					[6]any{topology.PeeringInitiated, "FullyInSync", true, false, pfxs("12.0.0.0/8"), pfxs("12.0.0.0/8")})
			}},
		{net + "2025-07-01/examples/VirtualNetworkPeeringGetWithRemoteVirtualNetworkEncryption.json",
			[]string{stubVNet("/subscriptions/subid/resourceGroups/peerTest/providers/Microsoft.Network/virtualNetworks/vnet1", "10.0.0.0/16"),
				stubVNet("/subscriptions/subid/resourceGroups/peerTest/providers/Microsoft.Network/virtualNetworks/vnet2", "12.0.0.0/8")},
			func(t *testing.T, s *topology.Snapshot) {
				p, _ := s.Peering("/subscriptions/subid/resourceGroups/peerTest/providers/Microsoft.Network/virtualNetworks/vnet1/virtualNetworkPeerings/peer")
				equal(t, "peering", [3]any{p.State, p.RemoteVNet, p.RemoteVNetAddressSpace}, [3]any{topology.PeeringInitiated, "/subscriptions/subid/resourceGroups/peerTest/providers/Microsoft.Network/virtualNetworks/vnet2", []netip.Prefix(nil)})
			}},
		{net + "2025-03-01/examples/RouteTableGet.json", nil, func(t *testing.T, s *topology.Snapshot) {
			rt, _ := s.RouteTable(sid + "routeTables/testrt")
			equal(t, "route", [4]any{rt.Location, len(rt.Routes), rt.Routes[0].NextHopType, rt.Routes[0].Prefix}, [4]any{"westus", 1, topology.NextHopVirtualNetworkGateway, cidr.MustParsePrefix("10.0.3.0/24")})
		}},
		{net + "2025-07-01/examples/NetworkSecurityGroupGet.json", nil, func(t *testing.T, s *topology.Snapshot) {
			n, _ := s.NSG(sid + "networkSecurityGroups/testnsg")
			r := n.Rules[0]
			equal(t, "rule", [6]any{len(n.Rules), r.Name, r.Priority, r.Access, r.DestinationPorts, len(n.DefaultRules)}, [6]any{1, "rule1", 130, topology.AccessAllow, []cidr.PortRange{{Lo: 80, Hi: 80}}, 6})
		}},
		{net + "2025-07-01/examples/NetworkInterfaceGet.json",
			[]string{stubVNet(sid+"virtualNetworks/rg1-vnet", "172.20.0.0/16", "default", "172.20.2.0/24"),
				stub(sid+"networkSecurityGroups/nsg", "Microsoft.Network/networkSecurityGroups"),
				stub(sid+"publicIPAddresses/test-ip", "Microsoft.Network/publicIPAddresses")},
			func(t *testing.T, s *topology.Snapshot) {
				n, _ := s.NIC(sid + "networkInterfaces/test-nic")
				equal(t, "NIC", [4]any{n.NSG, n.VirtualMachine, n.EnableIPForwarding, len(n.IPConfigs)}, [4]any{sid + "networkSecurityGroups/nsg", sid[:len(sid)-len("Microsoft.Network/")] + "Microsoft.Compute/virtualMachines/vm1", false, 2})
				equal(t, "ipconfig1", [3]any{n.IPConfigs[0].PrivateIP, n.IPConfigs[0].PublicIP, n.IPConfigs[0].Primary}, [3]any{netip.MustParseAddr("172.20.2.4"), sid + "publicIPAddresses/test-ip", true})
				equal(t, "ipconfig2 block", n.IPConfigs[1].PrivatePrefix, cidr.MustParsePrefix("172.20.2.16/28"))
			}},
		{net + "2025-03-01/examples/AzureFirewallGet.json",
			[]string{stubVNet(sid+"virtualNetworks/vnet2", "10.0.0.0/16", "AzureFirewallSubnet", "10.0.0.0/26"),
				stub(sid+"publicIPAddresses/pipName", "Microsoft.Network/publicIPAddresses")},
			func(t *testing.T, s *topology.Snapshot) {
				f, _ := s.Firewall(sid + "azureFirewalls/azurefirewall")
				equal(t, "firewall", [4]any{f.Location, f.SKU, f.Tier, f.ThreatIntelMode}, [4]any{"West US", "AZFW_VNet", "Standard", "Alert"})
				var kinds []string
				for _, c := range f.RuleCollections {
					kinds = append(kinds, c.Kind+":"+c.Name+":"+c.Action)
				}
				equal(t, "collections", kinds, []string{"Network:netrulecoll:Deny", "Application:apprulecoll:Deny", "NAT:natrulecoll:Dnat"})
				nr := f.RuleCollections[0].Rules
				equal(t, "network rule", [3]any{nr[0].Sources[0].Prefixes[0], nr[0].DestinationPorts, nr[1].DestinationFQDNs},
					[3]any{cidr.MustParsePrefix("192.168.1.1/32"), []cidr.PortRange{{Lo: 443, Hi: 444}, {Lo: 8443, Hi: 8443}}, []string{"www.amazon.com"}})
				nat := f.RuleCollections[2].Rules
				equal(t, "NAT rules", [4]any{nat[0].TranslatedAddress, nat[0].TranslatedPort, nat[1].TranslatedAddress, nat[1].Destinations[0].Raw}, [4]any{"1.2.3.5", "8443", "internalhttpserver", "1.2.3.4"})
			}},
		{net + "2025-05-01/examples/AzureFirewallGetWithMgmtSubnet.json",
			[]string{stubVNet(sid+"virtualNetworks/vnet2", "10.0.0.0/16", "AzureFirewallSubnet", "10.0.0.0/26", "AzureFirewallManagementSubnet", "10.0.0.64/26"),
				stub(sid+"publicIPAddresses/pipName", "Microsoft.Network/publicIPAddresses"),
				stub(sid+"publicIPAddresses/managementPipName", "Microsoft.Network/publicIPAddresses")},
			func(t *testing.T, s *topology.Snapshot) {
				f, _ := s.Firewall(sid + "azureFirewalls/azurefirewall")
				if f.ManagementIPConfig == nil {
					t.Fatal("no management IP configuration")
				}
				equal(t, "management", [3]any{f.ManagementIPConfig.Name, f.ManagementIPConfig.Subnet, f.ManagementIPConfig.PublicIP},
					[3]any{"azureFirewallMgmtIpConfiguration", sid + "virtualNetworks/vnet2/subnets/AzureFirewallManagementSubnet", sid + "publicIPAddresses/managementPipName"})
			}},
		{net + "2025-07-01/examples/PrivateEndpointGet.json",
			[]string{stubVNet("/subscriptions/subId/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/myVnet", "192.168.0.0/16", "mySubnet", "192.168.0.0/24"),
				stub("/subscriptions/subId/resourceGroups/rg1/provders/Microsoft.Network/networkInterfaces/testPe.nic.abcd1234", "Microsoft.Network/networkInterfaces")}, // sic: the example misspells providers
			func(t *testing.T, s *topology.Snapshot) {
				p, _ := s.PrivateEndpoint("/subscriptions/subId/resourceGroups/rg1/providers/Microsoft.Network/privateEndpoints/testPe")
				equal(t, "connection", p.Connections, []topology.PEConnection{{Target: "/subscriptions/subId/resourceGroups/rg1/providers/Microsoft.Network/privateLinkServices/testPls", GroupIDs: []string{"groupIdFromResource"}, Status: "Approved"}})
				equal(t, "custom DNS", p.CustomDNSConfigs, []topology.DNSConfig{{FQDN: "abc.cosmos.com", IPs: addrs("192.168.0.4")}, {FQDN: "abc2.cosmos.com", IPs: addrs("192.168.0.5")}})
				equal(t, "static IPs", len(p.StaticIPs), 2)
				equal(t, "static IP", p.StaticIPs[1], topology.PEIPConfig{Name: "pestaticconfig2", GroupID: "file", MemberName: "file2", PrivateIP: netip.MustParseAddr("192.168.0.7")})
			}},
		{net + "2025-07-01/examples/VirtualNetworkGatewayGet.json",
			[]string{stubVNet(sid+"virtualNetworks/vnet1", "10.0.0.0/16", "GatewaySubnet", "10.0.1.0/24"),
				stub(sid+"publicIPAddresses/gwpip", "Microsoft.Network/publicIPAddresses")},
			func(t *testing.T, s *topology.Snapshot) {
				g, _ := s.Gateway(sid + "virtualNetworkGateways/vpngw")
				equal(t, "gateway", [6]any{g.GatewayType, g.VPNType, g.SKU, g.VNet, g.EnableBGP, g.CustomRoutes},
					[6]any{"Vpn", "RouteBased", "VpnGw1", sid + "virtualNetworks/vnet1", false, pfxs("101.168.0.6/32")})
				equal(t, "BGP", *g.BGP, topology.BGPSettings{ASN: 65514, PeeringAddresses: addrs("10.0.1.30", "10.3.1.254", "169.254.21.10")})
			}},
		{dns + "PrivateZoneGet.json", []string{stub(zid+"/SOA/@", "Microsoft.Network/privateDnsZones/SOA")}, func(t *testing.T, s *topology.Snapshot) {
			equal(t, "zones", s.ZonesNamed("privatezone1.com"), []string{zid})
			z, _ := s.PrivateZone(zid)
			equal(t, "record sets", [2]any{z.NumberOfRecordSets, z.RecordsComplete()}, [2]any{int64(1), true})
		}},
		{dns + "RecordSetAGet.json", []string{stub(zid, "Microsoft.Network/privateDnsZones")}, func(t *testing.T, s *topology.Snapshot) {
			z, _ := s.PrivateZone(zid)
			equal(t, "record", [4]any{z.Records[0].Name, z.Records[0].Type, z.Records[0].TTL, z.Records[0].Addrs}, [4]any{"recorda", "A", int64(3600), addrs("1.2.3.4")})
		}},
		{dns + "RecordSetCNAMEGet.json", []string{stub(zid, "Microsoft.Network/privateDnsZones")}, func(t *testing.T, s *topology.Snapshot) {
			z, _ := s.PrivateZone(zid)
			equal(t, "record", [3]any{z.Records[0].Name, z.Records[0].Type, z.Records[0].CNAME}, [3]any{"recordcname", "CNAME", "contoso.com"})
		}},
		{dns + "VirtualNetworkLinkGet.json", []string{stub(zid, "Microsoft.Network/privateDnsZones"),
			stubVNet("/subscriptions/virtualNetworkSubscriptionId/resourceGroups/virtualNetworkResourceGroup/providers/Microsoft.Network/virtualNetworks/virtualNetworkName", "10.0.0.0/16")},
			func(t *testing.T, s *topology.Snapshot) {
				z, _ := s.PrivateZone(zid)
				l := z.Links[0]
				equal(t, "link", [4]any{l.Name, l.RegistrationEnabled, l.State, l.ResolutionPolicy}, [4]any{"virtualNetworkLink1", false, "Completed", "Default"})
			}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.example), func(t *testing.T) {
			res := armExample(t, tt.example, tt.stubs...)
			for _, w := range res.Warnings {
				if !strings.Contains(w.Msg, "resource has no type; taken from its id") {
					t.Errorf("warning: %v", w)
				}
			}
			tt.check(t, res.Snapshot)
		})
	}
}

// TestLoadSkipsCollectManifest reads a directory that `vnetpath collect`
// wrote: its manifest.json (format azure.ManifestFormat) holds no
// resources and is read without an error; an object with another format
// is still refused.
func TestLoadSkipsCollectManifest(t *testing.T) {
	manifest := `{"format": "` + azure.ManifestFormat + `", "tool": "vnetpath collect", "subscriptions": [{"id": "x"}], "errors": []}`
	fsys := fstest.MapFS{
		"manifest.json":        {Data: []byte(manifest)},
		"virtualNetworks.json": {Data: []byte(`{"value": [` + vnetHub + `]}`)},
	}
	res, err := azure.LoadFS(fsys, azure.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := res.Snapshot.Counts()[topology.TypeVNet]; n != 1 || len(res.Snapshot.Skipped()) != 0 || len(res.Warnings) != 0 {
		t.Errorf("vnets = %d, skipped = %v, warnings = %v", n, res.Snapshot.Skipped(), res.Warnings)
	}
	other := strings.Replace(manifest, azure.ManifestFormat, "something-else/v1", 1)
	if _, err := azure.LoadBytes("m.json", []byte(other), azure.Options{}); err == nil {
		t.Error("an object with another format loaded without an error")
	}
}

func TestSizeCountsWhatLoadReads(t *testing.T) {
	dir := t.TempDir()
	for name, size := range map[string]int{"a.json": 100, "sub/b.JSON": 50, "notes.txt": 1000} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := azure.Size([]string{dir}); err != nil || got != 150 {
		t.Errorf("Size(dir) = %d, %v; want 150, the .json files of the directory and its subdirectory", got, err)
	}
	if got, err := azure.Size([]string{filepath.Join(dir, "notes.txt")}); err != nil || got != 1000 {
		t.Errorf("Size(file) = %d, %v; want 1000: a file named is read whatever its name", got, err)
	}
	if _, err := azure.Size([]string{filepath.Join(dir, "absent")}); err == nil {
		t.Error("Size of a path that does not exist: no error; want the one Load returns")
	}
}
