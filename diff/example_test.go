package diff_test

import (
	"fmt"
	"os"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/azure/tfplan"
	"github.com/vnetpath/vnetpath/diff"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/topology"
)

// ExampleCompare compares the example estate with the same estate after a
// Terraform plan that deletes the link of its privatelink zone to the hub.
func ExampleCompare() {
	data, err := os.ReadFile("../examples/contoso-changes/unlink-api-zone.plan.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	plan, err := tfplan.Evaluate(data, tfplan.Options{Name: "unlink-api-zone.plan.json"})
	if err != nil {
		fmt.Println(err)
		return
	}
	before, err := azure.Load([]string{"../examples/contoso"}, azure.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	after, err := azure.Load([]string{"../examples/contoso"}, azure.Options{Changes: []azure.Change{
		{Name: "unlink-api-zone.plan.json", Kind: azure.ChangePlan, Result: &plan.Result}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := diff.Compare(engine.New(before.Snapshot, nil), engine.New(after.Snapshot, nil),
		diff.Options{From: []string{"vnet-spoke-ml/snet-train"}}, after.Touched)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Summary.Headline())
	for _, e := range rep.Changed {
		fmt.Printf("%s: %s -> %s\n", e.Purpose, e.Before.Verdict, e.After.Verdict)
		for _, c := range e.Causes {
			fmt.Println("  because of", topology.ShortName(c))
		}
	}
	fmt.Println("fails the pull request:", rep.Regressed())
	// Output:
	// 3 answers changed: 3 no longer reachable
	// Azure ML workspace API: reachable -> private-endpoint-bypassed
	//   because of privatelink.api.azureml.ms/link-vnet-hub
	// Azure ML workspace API (cert): reachable -> private-endpoint-bypassed
	//   because of privatelink.api.azureml.ms/link-vnet-hub
	// Azure ML managed online endpoints (*.westeurope.inference.ml.azure.com): reachable -> private-endpoint-bypassed
	//   because of privatelink.api.azureml.ms/link-vnet-hub
	// fails the pull request: true
}
