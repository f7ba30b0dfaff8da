package azure_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/azure/deploy"
	"github.com/vnetpath/vnetpath/topology"
)

// IDs of the example estate (examples/contoso).
const (
	cRG       = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/"
	cRTML     = cRG + "rg-spoke-ml/providers/Microsoft.Network/routeTables/rt-spoke-ml"
	cRouteML  = cRTML + "/routes/default-to-fw"
	cVNetML   = cRG + "rg-spoke-ml/providers/Microsoft.Network/virtualNetworks/vnet-spoke-ml"
	cTrain    = cVNetML + "/subnets/snet-train"
	cSnetPE   = cVNetML + "/subnets/snet-pe"
	cNSGTrain = cRG + "rg-spoke-ml/providers/Microsoft.Network/networkSecurityGroups/nsg-train"
	cPE       = cRG + "rg-ml/providers/Microsoft.Network/privateEndpoints/pe-mlw-contoso"
	cPENIC    = cRG + "rg-ml/providers/Microsoft.Network/networkInterfaces/pe-mlw-contoso.nic.1e000063-4f1e-4a7b-9c2d-000000abc063"
	cZoneAPI  = cRG + "rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms"
	cLinkAPI  = cZoneAPI + "/virtualNetworkLinks/link-vnet-hub"
	cHub      = cRG + "rg-connectivity/providers/Microsoft.Network/virtualNetworks/vnet-hub"
	cVNetApp  = cRG + "rg-spoke-app/providers/Microsoft.Network/virtualNetworks/vnet-spoke-app"
	cHubToApp = cHub + "/virtualNetworkPeerings/peer-hub-to-spoke-app"
	cAppToHub = cVNetApp + "/virtualNetworkPeerings/peer-spoke-app-to-hub"
	cConn     = cRG + "rg-connectivity/providers/Microsoft.Network/connections/cn-onprem"
)

// res builds an evaluator's resource from its ARM JSON.
func res(t *testing.T, js string) deploy.Resource {
	t.Helper()
	var head struct{ ID, Type string }
	if err := json.Unmarshal([]byte(js), &head); err != nil {
		t.Fatalf("bad test resource: %v\n%s", err, js)
	}
	return deploy.Resource{ID: head.ID, Type: head.Type, JSON: json.RawMessage(js)}
}

// loadChanged loads examples/contoso with the changes applied.
func loadChanged(t *testing.T, changes ...azure.Change) *azure.Result {
	t.Helper()
	r, err := azure.Load([]string{"../examples/contoso"}, azure.Options{Changes: changes})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return r
}

func warningsOf(r *azure.Result) string {
	var b strings.Builder
	for _, w := range r.Warnings {
		b.WriteString(w.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

const routeToInternet = `{"id": "` + cRTML + `", "name": "rt-spoke-ml", "type": "Microsoft.Network/routeTables", "location": "westeurope",
  "properties": {"disableBgpRoutePropagation": true, "routes": [{"id": "` + cRTML + `/routes/default", "name": "default",
    "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "Internet"}}]}}`

func TestChangeReplacesTopLevelResourceAndItsListedChildren(t *testing.T) {
	r := loadChanged(t, azure.Change{Name: "rt.json", Kind: azure.ChangeTemplate,
		Result: &deploy.Result{Resources: []deploy.Resource{res(t, routeToInternet)}}})
	rt, ok := r.Snapshot.RouteTable(cRTML)
	if !ok {
		t.Fatal("route table gone")
	}
	var names []string
	for _, rr := range rt.Routes {
		names = append(names, rr.Name+"→"+string(rr.NextHopType))
	}
	// A deployment puts the table as written: its old route default-to-fw,
	// which the template does not list, is gone.
	if !slices.Equal(names, []string{"default→Internet"}) {
		t.Errorf("routes %v, want [default→Internet]", names)
	}
	if !strings.Contains(warningsOf(r), "rt.json: "+cRTML+": deploys rt-spoke-ml without route default-to-fw, which the snapshot holds") {
		t.Errorf("no warning about the route the template drops:\n%s", warningsOf(r))
	}
	for _, id := range []string{cRTML, cRTML + "/routes/default", cRouteML} {
		if !slices.ContainsFunc(r.Touched, func(x string) bool { return topology.SameID(x, id) }) {
			t.Errorf("Touched %v lacks %s", r.Touched, id)
		}
	}
}

func TestChangeReplacesResourceEmbeddedInItsParent(t *testing.T) {
	// snet-train is embedded in vnet-spoke-ml in the snapshot; the plan
	// writes it on its own, without its NSG.
	subnet := `{"id": "` + cTrain + `", "name": "snet-train", "type": "Microsoft.Network/virtualNetworks/subnets",
	  "properties": {"addressPrefix": "10.110.1.0/24", "routeTable": {"id": "` + cRTML + `"}}}`
	r := loadChanged(t, azure.Change{Name: "plan.json", Kind: azure.ChangePlan,
		Result: &deploy.Result{Resources: []deploy.Resource{res(t, subnet)}}})
	sn, ok := r.Snapshot.Subnet(cTrain)
	if !ok {
		t.Fatal("subnet gone")
	}
	if sn.NSG != "" || !topology.SameID(sn.RouteTable, cRTML) {
		t.Errorf("subnet NSG %q route table %q; want none and rt-spoke-ml", sn.NSG, sn.RouteTable)
	}
	if _, ok := r.Snapshot.Subnet(cSnetPE); !ok {
		t.Error("the other subnet of the VNet is gone")
	}
}

func TestChangeDeletesResourceWithWhatItEmbeds(t *testing.T) {
	r := loadChanged(t, azure.Change{Name: "plan.json", Kind: azure.ChangePlan,
		Result: &deploy.Result{Deletes: []string{strings.ToUpper(cRTML)}}}) // IDs compare in any case
	if _, ok := r.Snapshot.RouteTable(cRTML); ok {
		t.Error("route table still there")
	}
	if r.Snapshot.Has(cRouteML) {
		t.Error("its route still there")
	}
	// snet-train still names it: missing, with the deletion as reason.
	m, ok := r.Snapshot.MissingByID(cRTML)
	if !ok || m.Reason != topology.ReasonAbsent+": deleted by plan.json" {
		t.Errorf("missing %+v (listed %v), want the reason %q", m, ok, topology.ReasonAbsent+": deleted by plan.json")
	}
}

func TestChangeDeclaresWhatItCannotKnowMissing(t *testing.T) {
	why := "properties.routes[0].properties.nextHopIpAddress = [reference(...)] is not known before deployment"
	r := loadChanged(t, azure.Change{Name: "azuredeploy.json", Kind: azure.ChangeTemplate,
		Result: &deploy.Result{Missing: []deploy.Missing{{ID: cRTML, Type: topology.TypeRouteTable, Reason: why}}}})
	if _, ok := r.Snapshot.RouteTable(cRTML); ok {
		t.Error("the snapshot's route table is kept although the change rewrites it with unknown content")
	}
	m, ok := r.Snapshot.MissingByID(cRTML)
	if !ok || !strings.Contains(m.Reason, "not known before azuredeploy.json is applied") || !strings.Contains(m.Reason, why) {
		t.Errorf("missing %+v (listed %v), want the change's reason", m, ok)
	}
	// Nothing needs to reference a declared resource for it to be listed.
	r = loadChanged(t, azure.Change{Name: "azuredeploy.json", Kind: azure.ChangeTemplate,
		Result: &deploy.Result{Missing: []deploy.Missing{{ID: cRG + "rg-x/providers/Microsoft.Network/publicIPAddresses/pip-new", Reason: "allocated by Azure"}}}})
	if _, ok := r.Snapshot.MissingByID(cRG + "rg-x/providers/Microsoft.Network/publicIPAddresses/pip-new"); !ok {
		t.Error("an unreferenced declared resource is not listed as missing")
	}
	if !strings.Contains(warningsOf(r), "pip-new") {
		t.Errorf("the missing summary does not name it:\n%s", warningsOf(r))
	}
}

func TestChangeAssumptionsAndSkippedTypesReachTheSummary(t *testing.T) {
	nic := `{"id": "` + cRG + `rg-spoke-ml/providers/Microsoft.Network/networkInterfaces/nic-new", "name": "nic-new",
	  "type": "Microsoft.Network/networkInterfaces", "location": "westeurope", "properties": {"ipConfigurations": [{"name": "c",
	  "properties": {"privateIPAddress": "10.110.1.4", "privateIPAllocationMethod": "Dynamic", "subnet": {"id": "` + cTrain + `"}}}]}}`
	r := loadChanged(t, azure.Change{Name: "azuredeploy.json", Kind: azure.ChangeTemplate, Result: &deploy.Result{
		Resources:   []deploy.Resource{res(t, nic)},
		Assumptions: []deploy.Assumption{{ID: cRG + "rg-spoke-ml/providers/Microsoft.Network/networkInterfaces/nic-new", Text: "private IP address 10.110.1.4 is predicted"}},
		Skipped:     map[string]int{"Microsoft.Compute/virtualMachines": 2},
	}})
	want := "azuredeploy.json: " + cRG + "rg-spoke-ml/providers/Microsoft.Network/networkInterfaces/nic-new: assumed: private IP address 10.110.1.4 is predicted"
	if !strings.Contains(warningsOf(r), want) {
		t.Errorf("warnings lack %q:\n%s", want, warningsOf(r))
	}
	if n := r.Snapshot.Skipped()["Microsoft.Compute/virtualMachines"]; n != 2 {
		t.Errorf("skipped virtual machines %d, want 2", n)
	}
}

func TestTemplateListsAreCompletePlanListsOnlyWhenInline(t *testing.T) {
	// The VNet redeployed with snet-train only.
	vnet := `{"id": "` + cVNetML + `", "name": "vnet-spoke-ml", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
	  "properties": {"addressSpace": {"addressPrefixes": ["10.110.0.0/16"]}, "dhcpOptions": {"dnsServers": ["10.100.4.4"]},
	  "subnets": [{"id": "` + cTrain + `", "name": "snet-train", "properties": {"addressPrefix": "10.110.1.0/24"}}]}}`
	bare := `{"id": "` + cVNetML + `", "name": "vnet-spoke-ml", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
	  "properties": {"addressSpace": {"addressPrefixes": ["10.110.0.0/16"]}, "dhcpOptions": {"dnsServers": ["10.100.4.4"]}}}`
	tests := []struct {
		name       string
		kind       azure.ChangeKind
		vnet       string
		peKept     bool
		peeringOut bool
	}{
		{"template with subnets", azure.ChangeTemplate, vnet, false, true},
		{"template without subnets", azure.ChangeTemplate, bare, false, true},
		{"plan with an inline subnet", azure.ChangePlan, vnet, false, false},
		{"plan without inline subnets", azure.ChangePlan, bare, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := loadChanged(t, azure.Change{Name: "change.json", Kind: tc.kind, Result: &deploy.Result{Resources: []deploy.Resource{res(t, tc.vnet)}}})
			_, kept := r.Snapshot.Subnet(cSnetPE)
			if kept != tc.peKept {
				t.Errorf("snet-pe kept %v, want %v", kept, tc.peKept)
			}
			if !kept && !strings.Contains(warningsOf(r), "without subnet snet-pe") {
				t.Errorf("no warning for the removed subnet:\n%s", warningsOf(r))
			}
			_, peering := r.Snapshot.Peering(cVNetML + "/virtualNetworkPeerings/peer-spoke-ml-to-hub")
			if peering == tc.peeringOut {
				t.Errorf("peering kept %v, want %v", peering, !tc.peeringOut)
			}
		})
	}
}

func TestChangeDeletingPrivateEndpointDeletesItsNIC(t *testing.T) {
	r := loadChanged(t, azure.Change{Name: "plan.json", Kind: azure.ChangePlan, Result: &deploy.Result{Deletes: []string{cPE}}})
	if r.Snapshot.Has(cPENIC) {
		t.Error("the endpoint's NIC outlives it")
	}
	if _, ok := r.Snapshot.MissingByID(cPENIC); ok {
		t.Error("the endpoint's NIC is listed as missing")
	}
	sn, _ := r.Snapshot.Subnet(cSnetPE)
	if len(sn.PrivateEndpoints) != 0 {
		t.Errorf("snet-pe still lists private endpoints %v", sn.PrivateEndpoints)
	}
	if _, ok := r.Snapshot.MissingByID(cPE); ok {
		t.Error("the deleted endpoint is missing: the subnet's back-reference was kept")
	}
}

func TestChangePeeringStateFollowsTheOtherHalf(t *testing.T) {
	// The plan rewrites spoke-app's half; the evaluator took it as
	// Initiated because the plan does not hold the hub's half, which the
	// snapshot does.
	half := `{"id": "` + cAppToHub + `", "name": "peer-spoke-app-to-hub", "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
	  "properties": {"remoteVirtualNetwork": {"id": "` + cHub + `"}, "allowVirtualNetworkAccess": true, "allowForwardedTraffic": true,
	  "peeringState": "Initiated"}}`
	r := loadChanged(t, azure.Change{Name: "plan.json", Kind: azure.ChangePlan, Result: &deploy.Result{
		Resources:   []deploy.Resource{res(t, half)},
		Assumptions: []deploy.Assumption{{ID: cAppToHub, Text: `peering "peer-spoke-app-to-hub" is taken as Initiated: the plan holds no peering back from vnet-hub`}},
	}})
	p, _ := r.Snapshot.Peering(cAppToHub)
	if p == nil || p.State != topology.PeeringConnected || len(p.RemoteAddressSpace) == 0 {
		t.Fatalf("peering %+v, want Connected with the hub's synced space", p)
	}
	w := warningsOf(r)
	if strings.Contains(w, "taken as Initiated") || !strings.Contains(w, "assumed: peering peer-spoke-app-to-hub is Connected") {
		t.Errorf("warnings:\n%s", w)
	}

	// Deleting the hub's half disconnects the spoke's (reference §2.2).
	r = loadChanged(t, azure.Change{Name: "plan.json", Kind: azure.ChangePlan, Result: &deploy.Result{Deletes: []string{cHubToApp}}})
	if p, _ := r.Snapshot.Peering(cAppToHub); p == nil || p.State != topology.PeeringDisconnected {
		t.Errorf("spoke half %+v, want Disconnected", p)
	}
}

func TestChangeKeepsZoneCountsInStep(t *testing.T) {
	// The zone declares one link; the plan deletes it. The zone's count
	// follows, so its links are not reported as missing.
	r := loadChanged(t, azure.Change{Name: "plan.json", Kind: azure.ChangePlan, Result: &deploy.Result{Deletes: []string{cLinkAPI}}})
	if r.Snapshot.Has(cLinkAPI) {
		t.Fatal("link still there")
	}
	for _, m := range r.Snapshot.Missing() {
		t.Errorf("missing %s: %s", m.ID, m.Reason)
	}
}

func TestChangeKeepsWhatAzureMaintains(t *testing.T) {
	// A plan writes the connection without its status, which Azure sets.
	conn := `{"id": "` + cConn + `", "name": "cn-onprem", "type": "Microsoft.Network/connections", "location": "westeurope",
	  "properties": {"connectionType": "IPsec", "virtualNetworkGateway1": {"id": "` + cRG + `rg-connectivity/providers/Microsoft.Network/virtualNetworkGateways/vgw-hub"},
	  "localNetworkGateway2": {"id": "` + cRG + `rg-connectivity/providers/Microsoft.Network/localNetworkGateways/lgw-onprem"}}}`
	r := loadChanged(t, azure.Change{Name: "plan.json", Kind: azure.ChangePlan, Result: &deploy.Result{Resources: []deploy.Resource{res(t, conn)}}})
	it, _ := r.Snapshot.Resource(cConn)
	if c := it.Value.(*topology.Connection); c.Status != "Connected" {
		t.Errorf("status %q, want the snapshot's Connected", c.Status)
	}
}

func TestChangesApplyInOrder(t *testing.T) {
	first := azure.Change{Name: "a.json", Kind: azure.ChangeTemplate, Result: &deploy.Result{
		Missing: []deploy.Missing{{ID: cRTML, Reason: "unknown next hop"}}}}
	second := azure.Change{Name: "b.json", Kind: azure.ChangeTemplate, Result: &deploy.Result{
		Resources: []deploy.Resource{res(t, routeToInternet)}}}
	r := loadChanged(t, first, second)
	if _, ok := r.Snapshot.MissingByID(cRTML); ok {
		t.Error("a resource the second change writes is still missing from the first")
	}
	if rt, ok := r.Snapshot.RouteTable(cRTML); !ok || len(rt.Routes) != 1 {
		t.Errorf("route table %+v", rt)
	}
	r = loadChanged(t, second, first)
	if _, ok := r.Snapshot.MissingByID(cRTML); !ok {
		t.Error("the last change declares it missing, but it is not")
	}
}

func TestChangeAloneWithoutSnapshot(t *testing.T) {
	vnet := `{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v", "name": "v",
	  "type": "Microsoft.Network/virtualNetworks", "location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
	  "subnets": [{"name": "a", "properties": {"addressPrefix": "10.0.1.0/24"}}]}}`
	r, err := azure.Load(nil, azure.Options{Changes: []azure.Change{{Name: "azuredeploy.json", Result: &deploy.Result{
		Resources: []deploy.Resource{res(t, vnet)}, Skipped: map[string]int{"Microsoft.Storage/storageAccounts": 1}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.Snapshot.Subnet("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a"); !ok {
		t.Error("subnet not loaded")
	}
	if !slices.Equal(r.Files, []string{"azuredeploy.json"}) {
		t.Errorf("files %v", r.Files)
	}
	if _, err := azure.Load(nil, azure.Options{}); err == nil {
		t.Error("no paths and no change is not an error")
	}
}

func TestChangeErrorsNameTheChangeAndThePathInTheResource(t *testing.T) {
	bad := `{"id": "` + cRTML + `", "name": "rt-spoke-ml", "type": "Microsoft.Network/routeTables", "location": "westeurope",
	  "properties": {"routes": [{"name": "r", "properties": {"addressPrefix": "10.0.0.1/8", "nextHopType": "None"}}]}}`
	_, err := azure.Load([]string{"../examples/contoso"}, azure.Options{Changes: []azure.Change{{Name: "azuredeploy.json",
		Result: &deploy.Result{Resources: []deploy.Resource{res(t, bad)}}}}})
	var f *topology.Finding
	if !errors.As(err, &f) {
		t.Fatalf("error %v, want a finding", err)
	}
	if f.File != "azuredeploy.json" || f.Path != "$.properties.routes[0].properties.addressPrefix" || !strings.Contains(f.Error(), "not canonical") {
		t.Errorf("finding %q (file %q, path %q)", f.Error(), f.File, f.Path)
	}
}
