package armtemplate

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/azure/deploy"
	"github.com/vnetpath/vnetpath/azure/deploy/deploytest"
)

const rgID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/vnetpath"

func netID(typ string, names ...string) string {
	return deploy.ResourceID(DefaultSubscriptionID, DefaultResourceGroup, typ, names...)
}

// mustEvaluate evaluates a template that must evaluate without errors.
func mustEvaluate(t *testing.T, tmpl string, opts Options) *deploy.Result {
	t.Helper()
	res, err := Evaluate([]byte(tmpl), opts)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	return res
}

// resourceJSON and at are the evaluators' shared test helpers.
func resourceJSON(t *testing.T, res *deploy.Result, id string) map[string]any {
	t.Helper()
	return deploytest.ResourceJSON(t, res, id)
}

func at(v any, path string) any { return deploytest.At(v, path) }

func missingReason(t *testing.T, res *deploy.Result, id string) string {
	t.Helper()
	m, ok := res.MissingID(id)
	if !ok {
		t.Fatalf("%s is not declared missing (missing: %v)", id, res.Missing)
	}
	return m.Reason
}

func ids(rs []deploy.Resource) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func TestResourceCopyConditionAndChildren(t *testing.T) {
	const tmpl = `{
  "parameters": {"n": {"type": "int", "defaultValue": 3}},
  "resources": [
    {"type": "Microsoft.Network/routeTables", "apiVersion": "2023-04-01",
     "name": "[concat('rt-', copyIndex(1))]", "location": "westeurope",
     "copy": {"name": "rts", "count": "[parameters('n')]"},
     "condition": "[not(equals(copyIndex(), 1))]",
     "properties": {"routes": [{"name": "default", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "None"}}]},
     "resources": [
       {"type": "routes", "name": "extra", "properties": {"addressPrefix": "10.9.0.0/16", "nextHopType": "VnetLocal"}}
     ]},
    {"type": "Microsoft.Network/virtualNetworks", "name": "hub", "location": "westeurope",
     "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}},
    {"type": "Microsoft.Network/virtualNetworks/subnets", "name": "hub/snet-a",
     "properties": {"addressPrefix": "10.0.1.0/24", "routeTable": {"id": "[resourceId('Microsoft.Network/routeTables', 'rt-1')]"}}}
  ]}`
	res := mustEvaluate(t, tmpl, Options{})
	want := []string{
		netID("Microsoft.Network/routeTables", "rt-1"),
		netID("Microsoft.Network/routeTables/routes", "rt-1", "extra"),
		netID("Microsoft.Network/routeTables", "rt-3"), // copy 1 (rt-2) has a false condition
		netID("Microsoft.Network/routeTables/routes", "rt-3", "extra"),
		netID("Microsoft.Network/virtualNetworks", "hub"),
		netID("Microsoft.Network/virtualNetworks/subnets", "hub", "snet-a"),
	}
	if got := ids(res.Resources); !slices.Equal(got, want) {
		t.Fatalf("resources:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	rt := resourceJSON(t, res, want[0])
	if got := at(rt, "properties.routes[0].id"); got != want[0]+"/routes/default" {
		t.Errorf("embedded route id = %v", got)
	}
	sub := resourceJSON(t, res, want[5])
	if at(sub, "name") != "snet-a" || at(sub, "properties.routeTable.id") != want[0] {
		t.Errorf("subnet = %v", sub)
	}
}

func TestPropertyAndVariableCopyLoops(t *testing.T) {
	const tmpl = `{
  "variables": {
    "copy": [{"name": "ports", "count": 2, "input": "[string(add(8080, copyIndex('ports')))]"}]
  },
  "resources": [
    {"type": "Microsoft.Network/networkSecurityGroups", "name": "nsg", "location": "westeurope",
     "properties": {"copy": [{"name": "securityRules", "count": 2, "input": {
        "name": "[concat('allow-', variables('ports')[copyIndex('securityRules')])]",
        "properties": {"priority": "[string(add(100, copyIndex('securityRules', 10)))]", "direction": "Inbound", "access": "Allow",
          "protocol": "Tcp", "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*",
          "destinationPortRange": "[variables('ports')[copyIndex('securityRules')]]"}}}]}}
  ]}`
	res := mustEvaluate(t, tmpl, Options{})
	nsg := resourceJSON(t, res, netID("Microsoft.Network/networkSecurityGroups", "nsg"))
	for i, want := range []struct {
		name, port string
		prio       float64
	}{{"allow-8080", "8080", 110}, {"allow-8081", "8081", 111}} {
		p := "properties.securityRules[" + strconv.Itoa(i) + "]"
		// A priority given as a string is written as a number, as Azure returns it.
		if at(nsg, p+".name") != want.name || at(nsg, p+".properties.destinationPortRange") != want.port || at(nsg, p+".properties.priority") != want.prio {
			t.Errorf("rule %d = %v", i, at(nsg, p))
		}
		if at(nsg, p+".id") != netID("Microsoft.Network/networkSecurityGroups/securityRules", "nsg", want.name) {
			t.Errorf("rule %d id = %v", i, at(nsg, p+".id"))
		}
	}
}

func TestNestedDeployments(t *testing.T) {
	const tmpl = `{
  "parameters": {"prefix": {"type": "string", "defaultValue": "10.50"}},
  "variables": {"vnetName": "spoke"},
  "resources": [
    {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "net",
     "resourceGroup": "rg-net",
     "properties": {
       "expressionEvaluationOptions": {"scope": "inner"}, "mode": "Incremental",
       "parameters": {"space": {"value": "[concat(parameters('prefix'), '.0.0/16')]"}},
       "template": {
         "parameters": {"space": {"type": "string"}},
         "variables": {"name": "spoke"},
         "resources": [{"type": "Microsoft.Network/virtualNetworks", "name": "[variables('name')]", "location": "[resourceGroup().location]",
           "properties": {"addressSpace": {"addressPrefixes": ["[parameters('space')]"]}}}],
         "outputs": {"id": {"type": "string", "value": "[resourceId('Microsoft.Network/virtualNetworks', variables('name'))]"}}
       }}},
    {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "outer",
     "properties": {"mode": "Incremental", "template": {
       "resources": [{"type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "name": "[concat('z.corp/', variables('vnetName'))]", "location": "global",
         "properties": {"registrationEnabled": false, "virtualNetwork": {"id": "[reference('net').outputs.id.value]"}}}]}}},
    {"type": "Microsoft.Network/privateDnsZones", "name": "z.corp", "location": "global"}
  ]}`
	res := mustEvaluate(t, tmpl, Options{})
	vnetID := "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/spoke"
	vnet := resourceJSON(t, res, vnetID)
	if got := at(vnet, "properties.addressSpace.addressPrefixes[0]"); got != "10.50.0.0/16" {
		t.Errorf("inner-scope parameter: address space %v", got)
	}
	link := resourceJSON(t, res, netID("Microsoft.Network/privateDnsZones/virtualNetworkLinks", "z.corp", "spoke"))
	if got := at(link, "properties.virtualNetwork.id"); got != vnetID {
		t.Errorf("outer-scope template read the deployment's output as %v, want %s", got, vnetID)
	}
	if len(res.Skipped) != 0 {
		t.Errorf("deployments are expanded, not skipped: %v", res.Skipped)
	}
}

func TestParameters(t *testing.T) {
	const tmpl = `{
  "parameters": {
    "Name": {"type": "string", "allowedValues": ["a", "b"]},
    "count": {"type": "int", "defaultValue": 1},
    "deploy": {"type": "bool", "defaultValue": false},
    "spaces": {"type": "array", "defaultValue": ["10.0.0.0/16"]},
    "password": {"type": "securestring"}
  },
  "resources": [
    {"type": "Microsoft.Network/virtualNetworks", "name": "[concat(parameters('name'), '-', parameters('count'))]", "location": "westeurope",
     "condition": "[parameters('deploy')]",
     "properties": {"addressSpace": {"addressPrefixes": "[parameters('spaces')]"}}}
  ]}`
	res := mustEvaluate(t, tmpl, Options{
		Parameters: []byte(`{"$schema": "x", "contentVersion": "1.0.0.0", "parameters": {"name": {"value": "b"}, "count": {"value": 2}}}`),
		Overrides:  []string{"deploy=true", `spaces=["10.1.0.0/16","10.2.0.0/16"]`, "COUNT=7"},
	})
	v := resourceJSON(t, res, netID("Microsoft.Network/virtualNetworks", "b-7"))
	if got := at(v, "properties.addressSpace.addressPrefixes[1]"); got != "10.2.0.0/16" {
		t.Errorf("array override: %v", got)
	}

	errs := []struct {
		name   string
		params string
		over   []string
		want   string
	}{
		{"required parameter not given", "", nil, `parameter Name has no default value and no value was given`},
		{"value not allowed", `{"parameters": {"name": {"value": "c"}}}`, nil, `parameter "Name": value "c" is not one of the allowed values ["a","b"]`},
		{"unknown parameter in file", `{"parameters": {"nope": {"value": 1}}}`, []string{"name=a"}, `params.json: $.parameters.nope: the template has no parameter "nope"`},
		{"override not NAME=VALUE", "", []string{"name"}, `parameter override "name" is not NAME=VALUE`},
		{"override of the wrong type", "", []string{"name=a", "count=x"}, `parameter override "count=x": "x" is not an integer`},
		{"parameters file not JSON", `{"parameters": `, nil, "params.json: not valid JSON"},
	}
	for _, tt := range errs {
		_, err := Evaluate([]byte(tmpl), Options{Name: "t.json", Parameters: []byte(tt.params), ParametersName: "params.json", Overrides: tt.over})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestTemplateErrors(t *testing.T) {
	tests := []struct{ tmpl, want string }{
		{`{"resources": [`, "t.json: not valid JSON"},
		{`[]`, "t.json: a deployment template is a JSON object, not an array"},
		{`{"parameters": {}}`, `t.json: not a deployment template: it has no "resources"`},
	}
	for _, tt := range tests {
		res, err := Evaluate([]byte(tt.tmpl), Options{Name: "t.json"})
		if res != nil || err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Evaluate(%s) = %v, %v; want %q", tt.tmpl, res, err, tt.want)
		}
	}
}

func TestUnsupportedFunctionMakesTheResourceMissing(t *testing.T) {
	const tmpl = `{"resources": [
    {"type": "Microsoft.Network/routeTables", "name": "rt", "location": "westeurope",
     "properties": {"routes": [{"name": "r", "properties": {"addressPrefix": "[magic('x')]", "nextHopType": "None"}}]}},
    {"type": "Microsoft.Network/networkSecurityGroups", "name": "nsg", "location": "westeurope",
     "properties": {"securityRules": [{"name": "r", "properties": {"priority": "[add(1,]"}}]}},
    {"type": "Microsoft.Network/ipGroups", "name": "ok", "location": "westeurope", "properties": {"ipAddresses": ["10.0.0.0/8"]}}
  ]}`
	res, err := Evaluate([]byte(tmpl), Options{Name: "t.json"})
	if res == nil {
		t.Fatalf("Evaluate: %v", err)
	}
	var ee *ExprError
	if !errors.As(err, &ee) || ee.Function != "magic" {
		t.Fatalf("error %v, want an *ExprError naming magic", err)
	}
	for _, want := range []string{
		`t.json: $.resources[0].properties.routes[0].properties.addressPrefix: "[magic('x')]": the template function magic() is not supported by vnetpath`,
		`t.json: $.resources[1].properties.securityRules[0].properties.priority: "[add(1,]": syntax error at offset 7`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q\ndoes not contain %q", err, want)
		}
	}
	if r := missingReason(t, res, netID("Microsoft.Network/routeTables", "rt")); !strings.Contains(r, "magic() is not supported") {
		t.Errorf("route table missing because %q", r)
	}
	missingReason(t, res, netID("Microsoft.Network/networkSecurityGroups", "nsg"))
	resourceJSON(t, res, netID("Microsoft.Network/ipGroups", "ok"))
}

func TestUnknownValuesMakeResourcesMissing(t *testing.T) {
	fw := "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/hub/providers/Microsoft.Network/azureFirewalls/fw"
	tmpl := `{"resources": [
    {"type": "Microsoft.Network/routeTables", "name": "rt", "location": "westeurope",
     "tags": {"owner": "[reference('` + fw + `').provisioningState]"},
     "properties": {"routes": [{"name": "to-fw", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance",
       "nextHopIpAddress": "[reference('` + fw + `').ipConfigurations[0].properties.privateIPAddress]"}}]}},
    {"type": "Microsoft.Network/routeTables", "name": "rt2", "location": "westeurope", "tags": {"owner": "[reference('` + fw + `').x]"},
     "properties": {"routes": []}},
    {"type": "Microsoft.Network/routeTables/routes", "name": "rt2/r1", "properties": {"addressPrefix": "10.0.0.0/8", "nextHopType": "VirtualAppliance",
       "nextHopIpAddress": "[reference('` + fw + `').ipConfigurations[0].properties.privateIPAddress]"}},
    {"type": "Microsoft.Network/routeTables/routes", "name": "rt2/r2", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "Internet"}},
    {"type": "Microsoft.Network/virtualNetworks", "name": "v", "location": "westeurope",
     "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [
       {"name": "known", "properties": {"addressPrefix": "10.0.0.0/24"}},
       {"name": "unknown", "properties": {"addressPrefix": "10.0.1.0/24", "networkSecurityGroup": {"id": "[reference('` + fw + `').nsg]"}}}]}}
  ]}`
	res := mustEvaluate(t, tmpl, Options{})
	reason := missingReason(t, res, netID("Microsoft.Network/routeTables", "rt"))
	want := "properties.routes[0].properties.nextHopIpAddress = [reference('" + fw + "').ipConfigurations[0].properties.privateIPAddress] is not known before deployment: reference('" + fw + "') reads a resource outside the template"
	if reason != want {
		t.Errorf("reason\n%q\nwant\n%q", reason, want)
	}
	// A standalone route that is missing makes its table missing: the table
	// is incomplete. Its other routes go with it.
	if r := missingReason(t, res, netID("Microsoft.Network/routeTables", "rt2")); !strings.HasPrefix(r, "its route r1 is missing: properties.nextHopIpAddress") {
		t.Errorf("rt2 missing because %q", r)
	}
	if r := missingReason(t, res, netID("Microsoft.Network/routeTables/routes", "rt2", "r2")); r != "its parent rt2 is missing" {
		t.Errorf("rt2/r2 missing because %q", r)
	}
	// An unknown tag is dropped; an embedded subnet with an unknown value
	// is missing on its own while its VNet is kept.
	vnet := resourceJSON(t, res, netID("Microsoft.Network/virtualNetworks", "v"))
	if subnets := at(vnet, "properties.subnets").([]any); len(subnets) != 1 || at(subnets[0], "name") != "known" {
		t.Errorf("VNet subnets = %v", subnets)
	}
	if r := missingReason(t, res, netID("Microsoft.Network/virtualNetworks/subnets", "v", "unknown")); !strings.HasPrefix(r, "properties.subnets[1].properties.networkSecurityGroup.id = ") {
		t.Errorf("subnet missing because %q", r)
	}
	if len(res.Resources) != 1 {
		t.Errorf("resources: %v", ids(res.Resources))
	}
}

func TestPrivateIPPrediction(t *testing.T) {
	const tmpl = `{"resources": [
    {"type": "Microsoft.Network/virtualNetworks", "name": "hub", "location": "westeurope",
     "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [
       {"name": "AzureFirewallSubnet", "properties": {"addressPrefix": "10.0.0.0/26"}},
       {"name": "apps", "properties": {"addressPrefix": "10.0.1.0/24"}},
       {"name": "aks", "properties": {"addressPrefix": "10.0.2.0/24"}}]}},
    {"type": "Microsoft.Network/routeTables", "name": "rt", "location": "westeurope",
     "properties": {"routes": [{"name": "to-fw", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance",
       "nextHopIpAddress": "[reference(resourceId('Microsoft.Network/azureFirewalls', 'fw')).ipConfigurations[0].properties.privateIPAddress]"}}]}},
    {"type": "Microsoft.Network/networkInterfaces", "name": "[concat('nic', copyIndex())]", "location": "westeurope",
     "copy": {"name": "nics", "count": 2},
     "properties": {"ipConfigurations": [{"name": "ip", "properties": {"privateIPAllocationMethod": "Dynamic",
       "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub', 'apps')]"}}}]}},
    {"type": "Microsoft.Network/networkInterfaces", "name": "static", "location": "westeurope",
     "properties": {"ipConfigurations": [{"name": "ip", "properties": {"privateIPAllocationMethod": "Static", "privateIPAddress": "10.0.1.6",
       "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub', 'apps')]"}}}]}},
    {"type": "Microsoft.Network/privateEndpoints", "name": "pe-acr", "location": "westeurope",
     "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub', 'apps')]"},
       "privateLinkServiceConnections": [{"name": "acr", "properties": {"groupIds": ["registry"],
         "privateLinkServiceId": "[resourceId('Microsoft.ContainerRegistry/registries', 'acrx')]"}}]}},
    {"type": "Microsoft.ContainerRegistry/registries", "name": "acrx", "location": "northeurope", "sku": {"name": "Premium"}},
    {"type": "Microsoft.Network/privateDnsZones", "name": "privatelink.azurecr.io", "location": "global"},
    {"type": "Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "name": "pe-acr/default",
     "properties": {"privateDnsZoneConfigs": [{"name": "acr", "properties": {"privateDnsZoneId": "[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.azurecr.io')]"}}]}},
    {"type": "Microsoft.Network/azureFirewalls", "name": "fw", "location": "westeurope",
     "properties": {"ipConfigurations": [{"name": "c", "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub', 'AzureFirewallSubnet')]"}}}]}},
    {"type": "Microsoft.ContainerService/managedClusters", "name": "aks", "location": "westeurope",
     "properties": {"agentPoolProfiles": [{"name": "p", "vnetSubnetID": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub', 'aks')]"}]}},
    {"type": "Microsoft.Network/networkInterfaces", "name": "after-aks", "location": "westeurope",
     "properties": {"ipConfigurations": [{"name": "ip", "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub', 'aks')]"}}}]}},
    {"type": "Microsoft.Network/networkInterfaces", "name": "elsewhere", "location": "westeurope",
     "properties": {"ipConfigurations": [{"name": "ip", "properties": {"subnet": {"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/subnets/s"}}}]}}
  ]}`
	res := mustEvaluate(t, tmpl, Options{})
	nicIP := func(name string) any {
		return at(resourceJSON(t, res, netID("Microsoft.Network/networkInterfaces", name)), "properties.ipConfigurations[0].properties.privateIPAddress")
	}
	// .4 and .5 dynamically; .6 is static, so the endpoint's two addresses
	// are .7 and .8.
	if nicIP("nic0") != "10.0.1.4" || nicIP("nic1") != "10.0.1.5" || nicIP("static") != "10.0.1.6" {
		t.Errorf("NIC addresses %v %v %v", nicIP("nic0"), nicIP("nic1"), nicIP("static"))
	}
	peID := netID("Microsoft.Network/privateEndpoints", "pe-acr")
	pe := resourceJSON(t, res, peID)
	if at(pe, "properties.ipConfigurations[0].properties.privateIPAddress") != "10.0.1.7" || at(pe, "properties.ipConfigurations[1].properties.privateIPAddress") != "10.0.1.8" {
		t.Errorf("endpoint ipConfigurations %v", at(pe, "properties.ipConfigurations"))
	}
	if at(pe, "properties.customDnsConfigs[1].fqdn") != "acrx.northeurope.data.azurecr.io" || at(pe, "properties.privateLinkServiceConnections[0].properties.privateLinkServiceConnectionState.status") != "Approved" {
		t.Errorf("endpoint %v", pe)
	}
	zone := netID("Microsoft.Network/privateDnsZones", "privatelink.azurecr.io")
	rec := resourceJSON(t, res, zone+"/A/acrx.northeurope.data")
	if at(rec, "properties.aRecords[0].ipv4Address") != "10.0.1.8" || at(rec, "properties.ttl") != 10.0 {
		t.Errorf("data endpoint record %v", rec)
	}
	resourceJSON(t, res, zone+"/A/acrx")
	if n := at(resourceJSON(t, res, zone), "properties.numberOfRecordSets"); n != 3.0 {
		t.Errorf("zone numberOfRecordSets = %v, want 3 (SOA and two records)", n)
	}
	// The firewall is declared after the route table that reads its address.
	rt := resourceJSON(t, res, netID("Microsoft.Network/routeTables", "rt"))
	if got := at(rt, "properties.routes[0].properties.nextHopIpAddress"); got != "10.0.0.4" {
		t.Errorf("route next hop %v, want the firewall's predicted 10.0.0.4", got)
	}
	if r := missingReason(t, res, netID("Microsoft.Network/networkInterfaces", "after-aks")); !strings.Contains(r, `Microsoft.ContainerService/managedClusters "aks" also takes addresses in subnet hub/aks`) {
		t.Errorf("after-aks missing because %q", r)
	}
	if r := missingReason(t, res, netID("Microsoft.Network/networkInterfaces", "elsewhere")); !strings.Contains(r, "subnet v/s is not created by the template") {
		t.Errorf("elsewhere missing because %q", r)
	}
	var predicted []string
	for _, a := range res.Assumptions {
		if strings.Contains(a.Text, "is predicted") {
			predicted = append(predicted, a.ID)
		}
	}
	if len(predicted) != 6 { // nic0, nic1, pe-acr, fw, two records
		t.Errorf("predictions: %v", res.Assumptions)
	}
}

func TestPeeringState(t *testing.T) {
	const tmpl = `{"resources": [
    {"type": "Microsoft.Network/virtualNetworks", "name": "a", "location": "westeurope",
     "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}, "virtualNetworkPeerings": [
       {"name": "a-b", "properties": {"remoteVirtualNetwork": {"id": "[resourceId('Microsoft.Network/virtualNetworks', 'b')]"}}}]}},
    {"type": "Microsoft.Network/virtualNetworks", "name": "b", "location": "westeurope",
     "properties": {"addressSpace": {"addressPrefixes": ["10.2.0.0/16"]}}},
    {"type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "name": "b/b-a",
     "properties": {"remoteVirtualNetwork": {"id": "[resourceId('Microsoft.Network/virtualNetworks', 'a')]"}}},
    {"type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "name": "b/b-c",
     "properties": {"remoteVirtualNetwork": {"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/c"}}}
  ]}`
	res := mustEvaluate(t, tmpl, Options{})
	a := resourceJSON(t, res, netID("Microsoft.Network/virtualNetworks", "a"))
	if at(a, "properties.virtualNetworkPeerings[0].properties.peeringState") != "Connected" ||
		at(a, "properties.virtualNetworkPeerings[0].properties.remoteAddressSpace.addressPrefixes[0]") != "10.2.0.0/16" {
		t.Errorf("a-b = %v", at(a, "properties.virtualNetworkPeerings[0]"))
	}
	ba := resourceJSON(t, res, netID("Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "b", "b-a"))
	if at(ba, "properties.peeringState") != "Connected" {
		t.Errorf("b-a = %v", ba)
	}
	bcID := netID("Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "b", "b-c")
	if at(resourceJSON(t, res, bcID), "properties.peeringState") != "Initiated" {
		t.Errorf("b-c is not Initiated")
	}
	if !slices.ContainsFunc(res.Assumptions, func(a deploy.Assumption) bool {
		return a.ID == bcID && strings.Contains(a.Text, `peering "b-c" is taken as Initiated`)
	}) {
		t.Errorf("no assumption for b-c: %v", res.Assumptions)
	}
}

func TestWorkspaceAndPublicIPAreMissing(t *testing.T) {
	const tmpl = `{"resources": [
    {"type": "Microsoft.MachineLearningServices/workspaces", "name": "mlw", "location": "westeurope", "properties": {"publicNetworkAccess": "Disabled"}},
    {"type": "Microsoft.Network/publicIPAddresses", "name": "pip", "location": "westeurope", "sku": {"name": "Standard"}, "properties": {"publicIPAllocationMethod": "Static"}},
    {"type": "Microsoft.Compute/virtualMachines", "name": "vm", "location": "westeurope"},
    {"type": "Microsoft.Compute/virtualMachines", "name": "vm2", "location": "westeurope"}
  ]}`
	res := mustEvaluate(t, tmpl, Options{})
	if r := missingReason(t, res, "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/vnetpath/providers/Microsoft.MachineLearningServices/workspaces/mlw"); !strings.Contains(r, "workspaceId") {
		t.Errorf("workspace missing because %q", r)
	}
	if r := missingReason(t, res, netID("Microsoft.Network/publicIPAddresses", "pip")); !strings.Contains(r, "ipAddress") {
		t.Errorf("public IP missing because %q", r)
	}
	if res.Skipped["Microsoft.Compute/virtualMachines"] != 2 || len(res.Resources) != 0 {
		t.Errorf("skipped %v, resources %v", res.Skipped, ids(res.Resources))
	}
	if got := string(res.JSON()); got != "[]\n" {
		t.Errorf("JSON() of no resources = %q", got)
	}
}
