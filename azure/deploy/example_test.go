package deploy_test

import (
	"fmt"

	"github.com/vnetpath/vnetpath/azure/deploy"
)

func ExampleResult_JSON() {
	id := deploy.ResourceID("s", "rg", "Microsoft.Network/routeTables", "rt")
	var res deploy.Result
	js, _ := deploy.Marshal(map[string]any{"id": id, "type": "Microsoft.Network/routeTables", "location": "westeurope"})
	res.Resources = append(res.Resources, deploy.Resource{ID: id, Type: "Microsoft.Network/routeTables", JSON: js})
	res.Skip("Microsoft.Compute/virtualMachines")
	fmt.Print(string(res.JSON()))
	fmt.Println(res.Skipped)
	// Output:
	// [
	// {"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt","location":"westeurope","type":"Microsoft.Network/routeTables"}
	// ]
	// map[Microsoft.Compute/virtualMachines:1]
}
