package servicetags_test

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/vnetpath/vnetpath/servicetags"
)

// catalogJSON is a small catalog in the weekly download's shape.
const catalogJSON = `{
  "changeNumber": 375, "cloud": "Public",
  "values": [
    {"name": "AzureCloud", "id": "AzureCloud", "properties": {"changeNumber": 90, "region": "", "systemService": "",
      "addressPrefixes": ["4.128.0.0/9"], "networkFeatures": ["API", "NSG"]}},
    {"name": "AzureCloud.southcentralus", "id": "AzureCloud.southcentralus", "properties": {"changeNumber": 12, "region": "southcentralus",
      "systemService": "", "addressPrefixes": ["4.149.96.0/19"], "networkFeatures": ["API", "NSG"]}},
    {"name": "AzureActiveDirectory", "id": "AzureActiveDirectory", "properties": {"changeNumber": 20, "region": "", "systemService": "AzureAD",
      "addressPrefixes": ["4.149.98.192/27", "2603:1056:2000::/48"], "networkFeatures": ["API", "NSG", "UDR", "FW"]}},
    {"name": "Storage.EastUS", "id": "Storage.EastUS", "properties": {"changeNumber": 17, "region": "eastus", "systemService": "AzureStorage",
      "addressPrefixes": ["20.38.98.0/24", "2603:1030:20e:3::/64"], "networkFeatures": ["API", "NSG", "UDR", "FW"]}},
    {"name": "Storage.WestUS", "id": "Storage.WestUS", "properties": {"changeNumber": 11, "region": "westus", "systemService": "AzureStorage",
      "addressPrefixes": ["20.60.34.0/23"], "networkFeatures": ["API", "NSG", "UDR", "FW"]}}
  ]
}`

func ExampleCatalog_Lookup() {
	c, err := servicetags.Parse(strings.NewReader(catalogJSON), servicetags.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Cloud(), c.ChangeNumber(), c.Len())
	for _, m := range c.Lookup(netip.MustParseAddr("4.149.98.200")) {
		fmt.Println(m.Tag, m.Prefix)
	}
	// Output:
	// Public 375 5
	// AzureActiveDirectory 4.149.98.192/27
	// AzureCloud.southcentralus 4.149.96.0/19
	// AzureCloud 4.128.0.0/9
}

func ExampleCatalog_Expand() {
	c, _ := servicetags.Parse(strings.NewReader(catalogJSON), servicetags.Options{})
	for _, name := range []string{"Storage.eastus", "Storage", "VirtualNetwork", "Sql"} {
		s, err := c.Expand(name)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(name, "=", s)
	}
	// Output:
	// Storage.eastus = 20.38.98.0/24,2603:1030:20e:3::/64
	// Storage = 20.38.98.0/24,20.60.34.0/23,2603:1030:20e:3::/64
	// "VirtualNetwork": contextual tag: its addresses depend on the subnet and never come from the catalog
	// "Sql": unknown service tag
}

func ExampleCatalog_CheckUse() {
	c, _ := servicetags.Parse(strings.NewReader(catalogJSON), servicetags.Options{})
	fmt.Println(c.CheckUse("AzureActiveDirectory", servicetags.FeatureUDR))
	err := c.CheckUse("AzureCloud", servicetags.FeatureUDR)
	var ue *servicetags.UseError
	if errors.As(err, &ue) {
		fmt.Println("warning:", ue)
	}
	// Output:
	// <nil>
	// warning: service tag "AzureCloud": the tag cannot be used in a route table (the catalog lists API,NSG)
}

func ExampleDiff() {
	old, _ := servicetags.Parse(strings.NewReader(catalogJSON), servicetags.Options{})
	newer := strings.NewReplacer(
		`"20.60.34.0/23"`, `"20.60.34.0/23", "20.60.40.0/23"`,
		`"4.149.98.192/27", `, ``,
		`"changeNumber": 375`, `"changeNumber": 376`,
	).Replace(catalogJSON)
	newer = strings.Replace(newer, `"values": [`, `"values": [
    {"name": "AzureCloud.belgiumcentral", "properties": {"region": "belgiumcentral", "addressPrefixes": ["9.160.0.0/16"]}},`, 1)
	c, _ := servicetags.Parse(strings.NewReader(newer), servicetags.Options{})
	d := servicetags.Diff(old, c)
	fmt.Println("added:", d.Added)
	fmt.Println("removed:", d.Removed)
	for _, ch := range d.Changed {
		fmt.Println("changed:", ch.Name, "+", ch.Added, "-", ch.Removed)
	}
	// Output:
	// added: [AzureCloud.belgiumcentral]
	// removed: []
	// changed: AzureActiveDirectory + [] - [4.149.98.192/27]
	// changed: Storage.WestUS + [20.60.40.0/23] - []
}

func ExampleTagForFQDN() {
	for _, name := range []string{"login.microsoftonline.com", "management.azure.com", "pool1.eastus.batch.azure.com", "example.org"} {
		t, ok := servicetags.TagForFQDN(name)
		fmt.Printf("%s: %q %q %v\n", name, t.Tag, t.Service, ok)
	}
	// Output:
	// login.microsoftonline.com: "AzureActiveDirectory" "Entra ID" true
	// management.azure.com: "AzureResourceManager" "Azure Resource Manager" true
	// pool1.eastus.batch.azure.com: "BatchNodeManagement.eastus" "Azure Batch" true
	// example.org: "" "" false
}

func ExampleParse_lenient() {
	in := `{"cloud": "Public", "values": [
	  {"name": "A", "properties": {"addressPrefixes": ["10.0.0.0/8", "10.1.0.0/33"]}},
	  {"name": "B", "properties": {"addressPrefixes": ["192.0.2.0/24"]}},
	  {"name": "C", "properties": {"addressPrefixes": ["198.51.100.0/24"`
	_, err := servicetags.Parse(strings.NewReader(in), servicetags.Options{})
	fmt.Println(err)
	c, _ := servicetags.Parse(strings.NewReader(in), servicetags.Options{Lenient: true})
	for t := range c.All() {
		fmt.Println(t.Name, t.Prefixes)
	}
	for _, w := range c.Warnings() {
		fmt.Println("warning:", w)
	}
	// Output:
	// service tags: values[0] "A": properties.addressPrefixes[1]: "10.1.0.0/33": not an IP address or CIDR prefix (at byte 98)
	// A [10.0.0.0/8]
	// B [192.0.2.0/24]
	// warning: service tags: values[0] "A": properties.addressPrefixes[1]: "10.1.0.0/33": not an IP address or CIDR prefix (at byte 98)
	// warning: service tags: values[2] "C": properties.addressPrefixes: unexpected end of input (truncated JSON?) (at byte 256)
}

func ExampleRegion() {
	fmt.Println(servicetags.Region("Storage.EastUS"))
	fmt.Println(servicetags.Region("AzureCloud.centralus"))
	fmt.Println(servicetags.Region("AzureFrontDoor.Frontend"))
	// Output:
	// Storage EastUS
	// AzureCloud centralus
	// AzureFrontDoor.Frontend
}

// KnownPublicTag needs no catalog: the public cloud's tag names are built
// in. Without a catalog, vnetpath uses it to reject a mistyped tag.
func ExampleKnownPublicTag() {
	for _, name := range []string{"AzureActiveDirectory", "Storage.westeurope", "VirtualNetwork", "Storage.WestEuropa"} {
		fmt.Println(name, servicetags.KnownPublicTag(name))
	}
	fmt.Println(servicetags.ClosestTags("Storage.WestEuropa", 2))
	// Output:
	// AzureActiveDirectory true
	// Storage.westeurope true
	// VirtualNetwork true
	// Storage.WestEuropa false
	// [Storage.WestEurope Storage.WestUS]
}
