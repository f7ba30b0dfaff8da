package collect_test

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/collect"
	"github.com/vnetpath/vnetpath/internal/fakeazure"
	"github.com/vnetpath/vnetpath/servicetags"
	"github.com/vnetpath/vnetpath/topology"
)

// ExampleRun collects a subscription into a directory and loads it. The
// example reads a fake Azure holding one VNet; real use passes
// azidentity.NewDefaultAzureCredential(nil) as Credential and no
// ClientOptions.
func ExampleRun() {
	e := fakeazure.New()
	e.AddSubscription("11111111-2222-3333-4444-555555555555", "example")
	e.Add(`{"id": "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub",
		"name": "hub", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
		"properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [
			{"id": "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/a",
			 "name": "a", "properties": {"addressPrefix": "10.0.1.0/24"}}]}}`)

	out, err := os.MkdirTemp("", "snapshot")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(out)
	m, err := collect.Run(context.Background(), collect.Options{
		Out:           out,
		Credential:    fakeazure.Credential{},
		ClientOptions: fakeazure.NewTransport(e).Options(),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, tc := range m.Types {
		if tc.Count > 0 {
			fmt.Println(tc.File, tc.Count, tc.APIVersion)
		}
	}
	fmt.Println("complete:", m.Complete())

	res, err := azure.Load([]string{out}, azure.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("subnets loaded:", res.Snapshot.Counts()[topology.TypeSubnet])
	// Output:
	// virtualNetworks.json 1 2025-03-01
	// complete: true
	// subnets loaded: 1
}

// ExampleFetchServiceTags reads the service-tag catalog with the Discovery
// API, here from a fake Azure, and parses it as --service-tags does.
func ExampleFetchServiceTags() {
	e := fakeazure.New()
	e.AddSubscription("11111111-2222-3333-4444-555555555555", "example")
	e.ServiceTags = discovery()
	b, err := collect.FetchServiceTags(context.Background(), collect.ServiceTagsOptions{
		Location:      "westeurope",
		Credential:    fakeazure.Credential{},
		ClientOptions: fakeazure.NewTransport(e).Options(),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	cat, err := servicetags.Parse(bytes.NewReader(b), servicetags.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cat.Cloud(), cat.ChangeNumber(), cat.Len())
	// Output:
	// Public 63 2
}
