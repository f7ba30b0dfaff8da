package armtemplate_test

import (
	"fmt"

	"github.com/vnetpath/vnetpath/azure/armtemplate"
)

func ExampleEvaluate() {
	template := `{
  "parameters": {"hubName": {"type": "string", "defaultValue": "hub"}},
  "resources": [
    {"type": "Microsoft.Network/virtualNetworks", "name": "[parameters('hubName')]", "location": "westeurope",
     "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
       "subnets": [{"name": "AzureFirewallSubnet", "properties": {"addressPrefix": "10.0.1.0/26"}}]}},
    {"type": "Microsoft.Network/azureFirewalls", "name": "fw", "location": "westeurope",
     "properties": {"ipConfigurations": [{"name": "c", "properties": {
       "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', parameters('hubName'), 'AzureFirewallSubnet')]"}}}]}},
    {"type": "Microsoft.Network/routeTables", "name": "to-fw", "location": "westeurope",
     "properties": {"routes": [{"name": "default", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance",
       "nextHopIpAddress": "[reference(resourceId('Microsoft.Network/azureFirewalls', 'fw')).ipConfigurations[0].properties.privateIPAddress]"}}]}},
    {"type": "Microsoft.Network/routeTables", "name": "to-old-fw", "location": "westeurope",
     "properties": {"routes": [{"name": "default", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance",
       "nextHopIpAddress": "[reference('/subscriptions/s/resourceGroups/old/providers/Microsoft.Network/azureFirewalls/fw').ipConfigurations[0].properties.privateIPAddress]"}}]}}
  ]}`
	res, err := armtemplate.Evaluate([]byte(template), armtemplate.Options{Name: "azuredeploy.json", ResourceGroup: "rg-hub"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Resources {
		fmt.Println("resource:", r.ID)
	}
	for _, m := range res.Missing {
		fmt.Println("missing:", m.ID)
		fmt.Println("  because", m.Reason)
	}
	for _, a := range res.Assumptions {
		fmt.Println("assumption:", a.Text)
	}
	// Output:
	// resource: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub
	// resource: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/azureFirewalls/fw
	// resource: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/routeTables/to-fw
	// missing: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/routeTables/to-old-fw
	//   because properties.routes[0].properties.nextHopIpAddress = [reference('/subscriptions/s/resourceGroups/old/providers/Microsoft.Network/azureFirewalls/fw').ipConfigurations[0].properties.privateIPAddress] is not known before deployment: reference('/subscriptions/s/resourceGroups/old/providers/Microsoft.Network/azureFirewalls/fw') reads a resource outside the template
	// assumption: private IP address 10.0.1.4 of properties.ipConfigurations[0] is predicted: dynamic addresses in subnet hub/AzureFirewallSubnet (10.0.1.0/26) are given from the fifth address up, lowest free first, in the template's deployment order (claim 1 in this subnet)
}
