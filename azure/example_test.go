package azure_test

import (
	"encoding/json"
	"fmt"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/azure"
)

func ExampleLoadBytes() {
	// Output of `az graph query -q "resources | where type =~ 'microsoft.network/virtualnetworks'"`,
	// with a subnet whose prefix has host bits set.
	snapshot := `{"count": 1, "data": [{
		"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub",
		"name": "hub", "type": "microsoft.network/virtualnetworks", "tenantId": "t", "location": "westeurope",
		"properties": {
			"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
			"subnets": [
				{"name": "snet-a", "properties": {"addressPrefix": "10.0.1.0/24"}},
				{"name": "snet-b", "properties": {"addressPrefix": "10.0.2.1/24"}}]}}]}`

	_, err := azure.LoadBytes("vnets.json", []byte(snapshot), azure.Options{})
	fmt.Println(err)

	res, err := azure.LoadBytes("vnets.json", []byte(snapshot), azure.Options{Lenient: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, sn := range res.Snapshot.FindSubnets("hub/snet-a") {
		fmt.Println("loaded:", sn.Name, sn.Prefixes, "from", sn.Where())
	}
	fmt.Println("resources:", res.Snapshot.Resources(), "warnings:", len(res.Warnings))
	// Output:
	// vnets.json: /subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/snet-b: $.data[0].properties.subnets[1].properties.addressPrefix: "10.0.2.1/24": not canonical: host bits are set (the network is 10.0.2.0/24)
	// loaded: snet-a [10.0.1.0/24] from vnets.json at $.data[0].properties.subnets[0]
	// resources: 2 warnings: 1
}

func ExampleApplyPatches() {
	files := map[string][]byte{"vnets.json": []byte(`[{
		"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke",
		"name": "spoke", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
		"properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]},
			"virtualNetworkPeerings": [{"name": "to-hub", "properties": {
				"remoteVirtualNetwork": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub"},
				"allowForwardedTraffic": false, "peeringState": "Connected"}}]}}]`)}
	// The patch of a fix that turns on allowForwardedTraffic, as
	// engine.Result.Fixes gives it.
	patch := answer.Patch{Op: answer.PatchSet,
		ID:       "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke/virtualNetworkPeerings/to-hub",
		Property: "properties.allowForwardedTraffic", Value: json.RawMessage("true")}
	out, err := azure.ApplyPatches(files, []answer.Patch{patch})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := azure.LoadBytes("vnets.json", out["vnets.json"], azure.Options{Lenient: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _ := res.Snapshot.Peering(patch.ID)
	fmt.Println(p.Name, "allowForwardedTraffic:", p.AllowForwardedTraffic)
	// Output:
	// to-hub allowForwardedTraffic: true
}
