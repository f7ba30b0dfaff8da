package engine_test

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/topology"
)

// exampleSnapshot builds a one-VNet estate: spoke 10.1.0.0/16 with subnet
// snet-app, whose NSG denies Entra ID outbound and whose route table sends
// 10.9.0.0/16 nowhere; a VM at 10.1.1.4; and a storage account's private
// endpoint at 10.1.2.5 with its privatelink zone linked to the VNet.
func exampleSnapshot() *topology.Snapshot {
	b := exampleBuilder()
	snap, err := b.Build()
	if err != nil {
		panic(err)
	}
	return snap
}

// exampleBuilder holds the resources of [exampleSnapshot], for examples
// that add more.
func exampleBuilder() *topology.Builder {
	const net = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/"
	vnet := net + "virtualNetworks/spoke"
	var b topology.Builder
	b.AddVNet(topology.VNet{Meta: topology.Meta{ID: vnet, Name: "spoke"}, Location: "westeurope",
		AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}})
	b.AddSubnet(topology.Subnet{Meta: topology.Meta{ID: vnet + "/subnets/snet-app", Name: "snet-app"},
		Prefixes: []netip.Prefix{netip.MustParsePrefix("10.1.1.0/24")}, NSG: net + "networkSecurityGroups/nsg-app", RouteTable: net + "routeTables/rt-app"})
	b.AddSubnet(topology.Subnet{Meta: topology.Meta{ID: vnet + "/subnets/snet-pe", Name: "snet-pe"},
		Prefixes: []netip.Prefix{netip.MustParsePrefix("10.1.2.0/24")}})
	b.AddNSG(topology.NSG{Meta: topology.Meta{ID: net + "networkSecurityGroups/nsg-app", Name: "nsg-app"}, Rules: []topology.SecurityRule{{
		Meta: topology.Meta{Name: "deny-entra"}, Priority: 100, Direction: topology.DirectionOutbound, Access: topology.AccessDeny, Protocol: "*",
		Sources: []topology.Address{{Raw: "*", Prefixes: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")}}}, SourcePorts: []cidr.PortRange{cidr.AllPorts},
		Destinations: []topology.Address{{Raw: "AzureActiveDirectory", Tag: "AzureActiveDirectory"}}, DestinationPorts: []cidr.PortRange{cidr.AllPorts},
	}}})
	b.AddRouteTable(topology.RouteTable{Meta: topology.Meta{ID: net + "routeTables/rt-app", Name: "rt-app"}, Routes: []topology.Route{{
		Meta: topology.Meta{Name: "drop-lab"}, AddressPrefix: "10.9.0.0/16", Prefix: netip.MustParsePrefix("10.9.0.0/16"), NextHopType: "None",
	}}})
	b.AddNIC(topology.NIC{Meta: topology.Meta{ID: net + "networkInterfaces/vm-app", Name: "vm-app"}, IPConfigs: []topology.IPConfig{{
		Meta: topology.Meta{ID: net + "networkInterfaces/vm-app/ipConfigurations/ipconfig1"}, PrivateIP: netip.MustParseAddr("10.1.1.4"), Subnet: vnet + "/subnets/snet-app",
	}}})
	b.AddPrivateEndpoint(topology.PrivateEndpoint{Meta: topology.Meta{ID: net + "privateEndpoints/pe-st", Name: "pe-st"}, Subnet: vnet + "/subnets/snet-pe",
		Connections:      []topology.PEConnection{{Name: "pe-st", Target: "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stcontoso", Status: "Approved"}},
		CustomDNSConfigs: []topology.DNSConfig{{FQDN: "stcontoso.blob.core.windows.net", IPs: []netip.Addr{netip.MustParseAddr("10.1.2.5")}}}})
	zone := "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net"
	b.AddPrivateZone(topology.PrivateZone{Meta: topology.Meta{ID: zone, Name: "privatelink.blob.core.windows.net"},
		Records: []topology.DNSRecord{{Meta: topology.Meta{ID: zone + "/A/stcontoso"}, Name: "stcontoso", Type: "A", Addrs: []netip.Addr{netip.MustParseAddr("10.1.2.5")}}},
		Links:   []topology.ZoneLink{{Meta: topology.Meta{ID: zone + "/virtualNetworkLinks/spoke", Name: "spoke"}, VNet: vnet}}})
	return &b
}

func ExampleEngine_Check() {
	eng := engine.New(exampleSnapshot(), nil) // no service-tag catalog: tags match by name
	for _, to := range []string{"10.1.1.4", "stcontoso.blob.core.windows.net", "login.microsoftonline.com", "10.9.0.1"} {
		r, err := eng.Check(engine.Query{From: "spoke/snet-app", To: to, Protocol: engine.TCP, Port: 443})
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: %s\n  %s\n", to, r.Verdict, r.Reason)
		if !r.Reachable {
			fmt.Printf("  fix: %s\n", r.Fixes[0].Text)
		}
	}
	// Output:
	// 10.1.1.4: reachable
	//   delivered to vm-app
	// stcontoso.blob.core.windows.net: reachable
	//   delivered to pe-st
	// login.microsoftonline.com: denied-by-nsg
	//   NSG nsg-app rule deny-entra (priority 100, Outbound, Deny) drops TCP 443 from 10.1.1.0/24 to service tag AzureActiveDirectory
	//   fix: in NSG nsg-app, allow outbound TCP 443 from 10.1.1.0/24 to service tag AzureActiveDirectory with rule vnetpath-allow-tcp-443-from-10.1.1.0_24-to-AzureActiveDirectory at priority 100, moving rule deny-entra to priority 101 (no rule lies between, so it keeps its place against every other); or remove or narrow rule deny-entra
	// 10.9.0.1: blackhole
	//   route drop-lab of route table rt-app drops traffic to 10.9.0.1
	//   fix: remove route drop-lab from rt-app or give it a next hop
}

func ExampleEngine_EffectiveRoutes() {
	eng := engine.New(exampleSnapshot(), nil)
	rt, err := eng.EffectiveRoutes("spoke/snet-app")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rt.Value {
		fmt.Printf("%-7s %-7s %-15s %s\n", r.Source, r.State, strings.Join(r.AddressPrefix, ","), r.NextHopType)
	}
	// Output:
	// Default Active  10.1.0.0/16     VnetLocal
	// Default Active  0.0.0.0/0       Internet
	// Default Active  10.0.0.0/8      None
	// Default Active  100.64.0.0/10   None
	// Default Active  172.16.0.0/12   None
	// Default Active  192.168.0.0/16  None
	// Default Active  10.1.2.5/32     InterfaceEndpoint
	// User    Active  10.9.0.0/16     None
}

func ExampleEngine_ResolveFrom() {
	eng := engine.New(exampleSnapshot(), nil)
	res, err := eng.ResolveFrom("spoke", "stcontoso.blob.core.windows.net")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Rcode, res.Addresses)
	for _, s := range res.Chain {
		fmt.Printf("  %s %s %s (%s)\n", s.Name, s.Type, s.Value, s.Source)
	}
	// Output:
	// NOERROR [10.1.2.5]
	//   stcontoso.blob.core.windows.net CNAME stcontoso.privatelink.blob.core.windows.net (public DNS)
	//   stcontoso.privatelink.blob.core.windows.net A 10.1.2.5 (private zone privatelink.blob.core.windows.net (linked to VNet spoke))
}

func ExampleReport_Groups() {
	eng := engine.New(exampleSnapshot(), nil)
	rep, err := eng.Run([]engine.Query{
		{From: "spoke/snet-app", To: "10.1.1.4"},
		{From: "spoke/snet-app", To: "login.microsoftonline.com"},
		{From: "spoke/snet-pe", To: "10.1.1.4"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range rep.Groups() {
		fmt.Printf("%s: %s\n", topology.ShortName(g.Source), g.Summary())
	}
	fmt.Println("all reachable:", rep.AllReachable())
	// Output:
	// spoke/snet-app: reaches 1 of 2 endpoints
	// spoke/snet-pe: reaches 1 of 1 endpoints
	// all reachable: false
}

// A fix is data: the resource to change, the change, the az command and
// the ARM-level patches that apply it (azure.ApplyPatches).
func ExampleEngine_Check_fixes() {
	eng := engine.New(exampleSnapshot(), nil)
	r, err := eng.Check(engine.Query{From: "spoke/snet-app", To: "10.9.0.1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range r.Fixes {
		fmt.Println(f.Kind, topology.NameOf(f.Resource))
		fmt.Println(f.Change)
		fmt.Println(f.Az)
		for _, p := range f.Patch {
			fmt.Println(p.Op, topology.ShortName(p.ID))
		}
	}
	// Output:
	// removeRoute drop-lab
	// remove route drop-lab from rt-app
	// az network route-table route delete -g rg --route-table-name rt-app -n drop-lab --subscription 0000
	// remove rt-app/drop-lab
}

// A reverse lookup: the private endpoint's address has no PTR record, and
// the fix is the reverse zone with it.
func ExampleEngine_ResolveFrom_reverse() {
	eng := engine.New(exampleSnapshot(), nil)
	res, err := eng.ResolveFrom("spoke", "10.1.2.5")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Type, res.Name, res.Rcode)
	fmt.Println(res.Fixes[0].Text)
	// Output:
	// PTR 5.2.1.10.in-addr.arpa NXDOMAIN
	// create reverse zone 2.1.10.in-addr.arpa with the PTR record 5 → stcontoso.blob.core.windows.net and link it to VNet spoke
}

// The Azure ML profile of a workspace from one subnet, and the
// documentation its list follows.
func ExampleEngine_Profile() {
	b := exampleBuilder()
	b.AddWorkspace(topology.Workspace{Meta: topology.Meta{ID: "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/mlw", Name: "mlw"},
		Location: "westeurope", WorkspaceID: "8b0f6c1e-5a4d-4e2b-9c3f-2d1e0a9b8c7d"})
	snap, err := b.Build()
	if err != nil {
		panic(err)
	}
	rep, err := engine.New(snap, nil).Profile(engine.ProfileOptions{From: []string{"spoke/snet-app"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Profile.Source, strings.Contains(rep.Profile.Document, "how-to-access-azureml-behind-firewall"))
	for _, g := range rep.Groups() {
		fmt.Printf("%s from %s: %s\n", topology.NameOf(g.Workspace), topology.ShortName(g.Source), g.Summary())
	}
	for _, r := range rep.Results {
		if !r.Reachable {
			fmt.Printf("  %s %s/%d (tag %s): %s\n", r.Destination, r.Protocol, r.Port, r.ServiceTag, r.Verdict)
		}
	}
	// Output:
	// built-in true
	// mlw from spoke/snet-app: reaches 17 of 20 endpoints
	//   login.microsoftonline.com tcp/443 (tag AzureActiveDirectory): denied-by-nsg
	//   login.microsoftonline.com tcp/80 (tag AzureActiveDirectory): denied-by-nsg
	//   graph.microsoft.com tcp/443 (tag AzureActiveDirectory): denied-by-nsg
}

// Named locations of Entra Conditional Access: a check of Entra ID says
// whether the egress address is in a trusted one; default outbound access
// has no address to check.
func ExampleNewWithOptions() {
	nl, err := engine.ParseNamedLocations("namedLocations.json", []byte(`{"value": [{"@odata.type": "#microsoft.graph.ipNamedLocation",
		"displayName": "Corporate", "isTrusted": true, "ipRanges": [{"cidrAddress": "51.105.10.16/28"}]}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	eng := engine.NewWithOptions(exampleSnapshot(), nil, engine.Options{NamedLocations: nl})
	r, err := eng.Check(engine.Query{From: "spoke/snet-pe", To: "login.microsoftonline.com"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Verdict, r.ConditionalAccess.Status)
	// Output:
	// reachable unknown
}

// RunEach hands each answer over in query order as soon as it is known,
// so a caller writes answers while the others are still being found.
func ExampleEngine_RunEach() {
	eng := engine.New(exampleSnapshot(), nil)
	var qs []engine.Query
	for _, to := range []string{"10.1.1.4", "login.microsoftonline.com", "10.9.0.1"} {
		qs = append(qs, engine.Query{From: "spoke/snet-app", To: to, Protocol: engine.TCP, Port: 443})
	}
	warnings, err := eng.RunEach(qs, func(i int, r engine.Result) error {
		fmt.Printf("%d %s: %s\n", i, r.Destination, r.Verdict)
		return nil
	})
	if err != nil {
		fmt.Println(err)
	}
	fmt.Println(len(warnings), "warning") // the tag matched by name, without a catalog
	// Output:
	// 0 10.1.1.4: reachable
	// 1 login.microsoftonline.com: denied-by-nsg
	// 2 10.9.0.1: blackhole
	// 1 warning
}
