package azure_test

import (
	"fmt"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/azure/armtemplate"
)

// ExampleChange loads the example estate with a deployment template that
// sends spoke-ml's default route to the Internet instead of the hub
// firewall, as the estate will be once the template is deployed.
func ExampleChange() {
	template := `{
  "resources": [
    {"type": "Microsoft.Network/routeTables", "apiVersion": "2024-05-01", "name": "rt-spoke-ml", "location": "westeurope",
     "properties": {"disableBgpRoutePropagation": true,
       "routes": [{"name": "default", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "Internet"}}]}}
  ]}`
	res, err := armtemplate.Evaluate([]byte(template), armtemplate.Options{Name: "azuredeploy.json",
		SubscriptionID: "11111111-2222-3333-4444-555555555555", ResourceGroup: "rg-spoke-ml"})
	if err != nil {
		fmt.Println(err)
		return
	}
	after, err := azure.Load([]string{"../examples/contoso"}, azure.Options{Changes: []azure.Change{
		{Name: "azuredeploy.json", Kind: azure.ChangeTemplate, Result: res}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	sn := after.Snapshot.FindSubnets("vnet-spoke-ml/snet-train")[0]
	rt, _ := after.Snapshot.RouteTable(sn.RouteTable)
	for _, r := range rt.Routes {
		fmt.Println(r.Name, r.AddressPrefix, r.NextHopType)
	}
	for _, w := range after.Warnings {
		fmt.Println(w.Msg)
	}
	// Output:
	// default 0.0.0.0/0 Internet
	// deploys rt-spoke-ml without route default-to-fw, which the snapshot holds: the deployment replaces the list, so Azure removes it (or refuses while it is in use)
}
