package azure_test

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/topology"
)

const pS = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/"

// The same hub VNet with an embedded peering written without an ID, in
// each input shape of SPEC §2.
var (
	vnetProps = `"properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
		"subnets": [{"name": "snet-a", "properties": {"addressPrefix": "10.0.1.0/24"}}],
		"virtualNetworkPeerings": [{"name": "hub-to-spoke", "properties": {"remoteVirtualNetwork": {"id": "` + pS + `virtualNetworks/spoke"},
			"allowVirtualNetworkAccess": true, "allowForwardedTraffic": false, "peeringState": "Connected"}}]}`
	vnet  = `{"id": "` + pS + `virtualNetworks/hub", "name": "hub", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope", ` + vnetProps + `}`
	spoke = `{"id": "` + pS + `virtualNetworks/spoke", "name": "spoke", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
		"properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}}}`
	// flatNSG is an NSG as `az network nsg list` prints it: properties
	// beside the id, rules with their own IDs.
	flatNSG = `{"id": "` + pS + `networkSecurityGroups/nsg", "name": "nsg", "type": "Microsoft.Network/networkSecurityGroups", "location": "westeurope",
		"securityRules": [{"id": "` + pS + `networkSecurityGroups/nsg/securityRules/deny", "name": "deny", "access": "Deny", "direction": "Outbound",
			"priority": 100, "protocol": "*", "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "*"}]}`
	classicFW = `{"id": "` + pS + `azureFirewalls/fw", "name": "fw", "type": "Microsoft.Network/azureFirewalls", "location": "westeurope",
		"properties": {"additionalProperties": {}, "networkRuleCollections": []}}`
)

func patchSetJSON(id, prop, value string) answer.Patch {
	return answer.Patch{Op: answer.PatchSet, ID: id, Property: prop, Value: json.RawMessage(value)}
}

// load loads patched files in memory, or fails.
func loadFiles(t *testing.T, files map[string][]byte) *topology.Snapshot {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, b := range files {
		fsys[name] = &fstest.MapFile{Data: b}
	}
	res, err := azure.LoadFS(fsys, azure.Options{})
	if err != nil {
		t.Fatalf("loading the patched files: %v\n%s", err, dump(files))
	}
	return res.Snapshot
}

func dump(files map[string][]byte) string {
	var b strings.Builder
	for n, f := range files {
		b.WriteString("--- " + n + "\n" + string(f) + "\n")
	}
	return b.String()
}

// TestApplyPatchesShapes sets a property of a peering embedded in its VNet
// without an ID (known by parent, list and name) in every file shape, and
// checks what the loader then reads.
func TestApplyPatchesShapes(t *testing.T) {
	peering := pS + "virtualNetworks/hub/virtualNetworkPeerings/hub-to-spoke"
	for _, tc := range []struct {
		name, file string
	}{
		{"array", "[" + vnet + "," + spoke + "]"},
		{"ARM list", `{"value": [` + vnet + "," + spoke + `]}`},
		{"Resource Graph answer", `{"count": 2, "data": [` + strings.Replace(vnet, "Microsoft.Network/virtualNetworks\"", "microsoft.network/virtualnetworks\"", 1) + "," + spoke + `]}`},
		{"REST API example", `{"parameters": {}, "responses": {"200": {"body": ` + vnet + `}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string][]byte{"vnets.json": []byte(tc.file), "spoke.json": []byte("[" + spoke + "]")}
			if tc.name != "REST API example" {
				files["spoke.json"] = []byte("[]")
			}
			out, err := azure.ApplyPatches(files, []answer.Patch{patchSetJSON(strings.ToUpper(peering), "properties.allowForwardedTraffic", "true")})
			if err != nil {
				t.Fatal(err)
			}
			if string(out["spoke.json"]) != string(files["spoke.json"]) {
				t.Error("a file no patch touched changed")
			}
			p, ok := loadFiles(t, out).Peering(peering)
			if !ok || !p.AllowForwardedTraffic || !p.AllowVirtualNetworkAccess {
				t.Errorf("peering after the patch: %+v", p)
			}
		})
	}
}

// TestApplyPatchesOps covers each operation on flattened, embedded and
// top-level resources: set with nested creation, list index, append and a
// dotted member name; add (and the same add again); remove.
func TestApplyPatchesOps(t *testing.T) {
	deny := pS + "networkSecurityGroups/nsg/securityRules/deny"
	allow := pS + "networkSecurityGroups/nsg/securityRules/allow-443"
	files := func() map[string][]byte {
		return map[string][]byte{
			"vnets.json": []byte("[" + vnet + "," + spoke + "]"),
			"nsgs.json":  []byte("[" + flatNSG + "]"),
			"fw.json":    []byte(classicFW),
		}
	}
	addAllow := answer.Patch{Op: answer.PatchAdd, ID: allow, Type: "Microsoft.Network/networkSecurityGroups/securityRules",
		Value: json.RawMessage(`{"properties": {"priority": 99, "direction": "Outbound", "access": "Allow", "protocol": "Tcp",
			"sourceAddressPrefix": "10.0.1.0/24", "sourcePortRange": "*", "destinationAddressPrefix": "AzureCloud", "destinationPortRange": "443"}}`)}
	tests := []struct {
		name    string
		patches []answer.Patch
		check   func(t *testing.T, s *topology.Snapshot, out map[string][]byte)
	}{
		{"set on a flattened resource", []answer.Patch{patchSetJSON(deny, "properties.priority", "200")},
			func(t *testing.T, s *topology.Snapshot, _ map[string][]byte) {
				n, _ := s.NSG(pS + "networkSecurityGroups/nsg")
				if len(n.Rules) != 1 || n.Rules[0].Priority != 200 {
					t.Errorf("rules %+v", n.Rules)
				}
			}},
		{"set creates objects on the way", []answer.Patch{
			{Op: answer.PatchAdd, ID: pS + "natGateways/ng", Type: "Microsoft.Network/natGateways", Value: json.RawMessage(`{"location": "westeurope", "properties": {}}`)},
			patchSetJSON(pS+"virtualNetworks/hub/subnets/snet-a", "properties.natGateway.id", `"`+pS+`natGateways/ng"`)},
			func(t *testing.T, s *topology.Snapshot, _ map[string][]byte) {
				sn, _ := s.Subnet(pS + "virtualNetworks/hub/subnets/snet-a")
				if sn.NATGateway != pS+"natGateways/ng" {
					t.Errorf("subnet NAT gateway %q", sn.NATGateway)
				}
			}},
		{"set appends to a list and names a dotted member", []answer.Patch{
			patchSetJSON(pS+"azureFirewalls/fw", "properties.networkRuleCollections[-]",
				`{"name": "c", "properties": {"priority": 100, "action": {"type": "Allow"}, "rules": [{"name": "r", "protocols": ["TCP"], "sourceAddresses": ["10.0.1.0/24"], "destinationAddresses": ["10.1.0.0/16"], "destinationPorts": ["443"]}]}}`),
			patchSetJSON(pS+"azureFirewalls/fw", `properties.additionalProperties["Network.SNAT.PrivateRanges"]`, `"10.0.0.0/8"`),
			patchSetJSON(pS+"azureFirewalls/fw", "properties.networkRuleCollections[0].properties.priority", "150"),
		}, func(t *testing.T, s *topology.Snapshot, _ map[string][]byte) {
			fw, _ := s.Firewall(pS + "azureFirewalls/fw")
			if len(fw.RuleCollections) != 1 || fw.RuleCollections[0].Priority != 150 || len(fw.RuleCollections[0].Rules) != 1 {
				t.Errorf("collections %+v", fw.RuleCollections)
			}
			if len(fw.SNATPrivateRanges) != 1 || fw.SNATPrivateRanges[0] != "10.0.0.0/8" {
				t.Errorf("SNAT private ranges %q", fw.SNATPrivateRanges)
			}
		}},
		{"add goes to its own file, twice is once", []answer.Patch{addAllow, addAllow},
			func(t *testing.T, s *topology.Snapshot, out map[string][]byte) {
				n, _ := s.NSG(pS + "networkSecurityGroups/nsg")
				if len(n.Rules) != 2 {
					t.Errorf("rules %+v", n.Rules)
				}
				if c := strings.Count(string(out[azure.FixesFile]), `"allow-443"`); c != 1 {
					t.Errorf("%s holds the rule %d times", azure.FixesFile, c)
				}
			}},
		{"add, then set on what was added", []answer.Patch{addAllow, patchSetJSON(allow, "properties.priority", "98")},
			func(t *testing.T, s *topology.Snapshot, _ map[string][]byte) {
				n, _ := s.NSG(pS + "networkSecurityGroups/nsg")
				for _, r := range n.Rules {
					if r.Name == "allow-443" && r.Priority != 98 {
						t.Errorf("added rule priority %d", r.Priority)
					}
				}
			}},
		{"remove an embedded child", []answer.Patch{{Op: answer.PatchRemove, ID: pS + "virtualNetworks/hub/virtualNetworkPeerings/hub-to-spoke"}},
			func(t *testing.T, s *topology.Snapshot, _ map[string][]byte) {
				if _, ok := s.Peering(pS + "virtualNetworks/hub/virtualNetworkPeerings/hub-to-spoke"); ok {
					t.Error("the peering is still there")
				}
				if _, ok := s.Subnet(pS + "virtualNetworks/hub/subnets/snet-a"); !ok {
					t.Error("the subnet beside it went too")
				}
			}},
		{"remove a top-level resource and a single-resource file", []answer.Patch{
			{Op: answer.PatchRemove, ID: pS + "virtualNetworks/spoke"}, {Op: answer.PatchRemove, ID: pS + "azureFirewalls/fw"}},
			func(t *testing.T, s *topology.Snapshot, out map[string][]byte) {
				if _, ok := s.VNet(pS + "virtualNetworks/spoke"); ok {
					t.Error("the spoke is still there")
				}
				if string(out["fw.json"]) != "[]\n" {
					t.Errorf("fw.json = %q", out["fw.json"])
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := azure.ApplyPatches(files(), tc.patches)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, loadFiles(t, out), out)
		})
	}
}

// TestApplyPatchesErrors checks that a patch that cannot apply is an error
// naming it, and that the input files are left alone.
func TestApplyPatchesErrors(t *testing.T) {
	in := map[string][]byte{"vnets.json": []byte("[" + vnet + "]"), "bad.json": []byte(`{"value": [`)}
	good := map[string][]byte{"vnets.json": in["vnets.json"]}
	for _, tc := range []struct {
		name  string
		files map[string][]byte
		p     answer.Patch
		want  string
	}{
		{"invalid JSON", in, patchSetJSON(pS+"virtualNetworks/hub", "properties.x", "1"), "bad.json: not valid JSON"},
		{"unknown resource", good, patchSetJSON(pS+"virtualNetworks/nope", "properties.x", "1"), "patch 0 (set " + pS + "virtualNetworks/nope): the resource is not in the snapshot"},
		{"remove of nothing", good, answer.Patch{Op: answer.PatchRemove, ID: pS + "virtualNetworks/nope"}, "not in the snapshot"},
		{"bad path", good, patchSetJSON(pS+"virtualNetworks/hub", "properties.subnets[x]", "1"), `property path "properties.subnets[x]": bad index x`},
		{"index past the end", good, patchSetJSON(pS+"virtualNetworks/hub", "properties.subnets[5].name", `"x"`), "past the end"},
		{"bad value", good, patchSetJSON(pS+"virtualNetworks/hub", "properties.x", "{"), "value:"},
		{"add that clashes", good, answer.Patch{Op: answer.PatchAdd, ID: pS + "virtualNetworks/hub", Value: json.RawMessage(`{"properties": {}}`)}, "different resource with this ID"},
		{"unknown op", good, answer.Patch{Op: "merge", ID: pS + "virtualNetworks/hub"}, `unknown operation "merge"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := string(tc.files["vnets.json"])
			_, err := azure.ApplyPatches(tc.files, []answer.Patch{tc.p})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
			if string(tc.files["vnets.json"]) != before {
				t.Error("the input changed")
			}
		})
	}
}
