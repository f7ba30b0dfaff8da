package collect

import (
	"context"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/privatedns/armprivatedns"
	"github.com/vnetpath/vnetpath/topology"
)

// API versions of the requests Run sends. The SDK modules fix the first two;
// the REST-only types use the newest stable version of their API.
const (
	networkAPI    = "2025-03-01" // armnetwork/v8 v8.0.0
	privateDNSAPI = "2024-06-01" // armprivatedns v1.3.0
	resolverAPI   = "2025-05-01" // Microsoft.Network DNS Private Resolver, stable
	workspaceAPI  = "2025-09-01" // Microsoft.MachineLearningServices, stable
)

// Types of resources collect writes beside the topology constants: the
// record-set types the loader skips (counted) but that a zone holds.
const (
	typeRecordMX  = "Microsoft.Network/privateDnsZones/MX"
	typeRecordSOA = "Microsoft.Network/privateDnsZones/SOA"
	typeRecordSRV = "Microsoft.Network/privateDnsZones/SRV"
	typeRecordTXT = "Microsoft.Network/privateDnsZones/TXT"
)

// ResourceType is one type of resource [Run] writes, in its own file.
type ResourceType struct {
	Type       string   `json:"type"`             // the ARM type, such as "Microsoft.Network/virtualNetworks"
	File       string   `json:"file"`             // the file it is written to, such as "virtualNetworks.json"
	APIVersion string   `json:"apiVersion"`       // the api-version of the requests that read it
	Embeds     []string `json:"embeds,omitempty"` // child types that come inside it (subnets in a VNet)
}

// emitFunc receives one listed resource, an SDK model value or raw JSON.
type emitFunc func(v any)

// listFunc lists resources, following every page, and hands each to emit.
type listFunc func(ctx context.Context, emit emitFunc) error

// clients are the SDK client factories of one subscription.
type clients struct {
	net *armnetwork.ClientFactory
	dns *armprivatedns.ClientFactory
}

// kind is how one type is listed and read. A top-level kind has sub (list
// in a subscription; nil when Azure lists it only per resource group) and
// rg (list in a resource group) and get (read by name); a child kind has
// child (list under its parent). REST-only kinds leave the functions nil and
// set rest: the provider path of a top-level type ("Microsoft.Network/dnsResolvers")
// or the child segment ("inboundEndpoints").
type kind struct {
	ResourceType
	sub      func(c *clients) listFunc
	rg       func(c *clients, rg string) listFunc
	get      func(ctx context.Context, c *clients, rg, name string) (any, error)
	child    func(c *clients, parent topology.ResourceID) listFunc
	rest     string
	children []*kind // kinds listed under each resource of this kind
	// covers lists the types that a child lister also yields (the record
	// sets of a zone, listed once for every record type).
	covers []string
}

// isREST reports whether k is read with the REST API rather than an SDK client.
func (k *kind) isREST() bool { return k.rest != "" }

// drain follows every page of p and emits the items value returns.
func drain[R, T any](p *runtime.Pager[R], value func(R) []*T) listFunc {
	return func(ctx context.Context, emit emitFunc) error {
		for p.More() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return err
			}
			for _, v := range value(page) {
				if v != nil {
					emit(v)
				}
			}
		}
		return nil
	}
}

// got adapts an SDK Get to kind.get.
func got[R, T any](resp R, err error, v func(R) T) (any, error) {
	if err != nil {
		return nil, err
	}
	return v(resp), nil
}

// kinds returns the table of every type collect lists, parents before
// their children. It is built once per call and not changed afterwards.
func kinds() []*kind {
	n := func(typ string) ResourceType {
		return ResourceType{Type: typ, File: fileName(typ), APIVersion: networkAPI}
	}
	d := func(typ string) ResourceType {
		return ResourceType{Type: typ, File: fileName(typ), APIVersion: privateDNSAPI}
	}
	r := func(typ string) ResourceType {
		return ResourceType{Type: typ, File: fileName(typ), APIVersion: resolverAPI}
	}
	embeds := func(rt ResourceType, e ...string) ResourceType { rt.Embeds = e; return rt }

	rcg := &kind{ResourceType: n(topology.TypeRuleCollectionGroup),
		child: func(c *clients, p topology.ResourceID) listFunc {
			return drain(c.net.NewFirewallPolicyRuleCollectionGroupsClient().NewListPager(p.ResourceGroup, p.Name(), nil),
				func(r armnetwork.FirewallPolicyRuleCollectionGroupsClientListResponse) []*armnetwork.FirewallPolicyRuleCollectionGroup {
					return r.Value
				})
		}}
	records := &kind{ResourceType: d(topology.TypeDNSRecordA),
		child: func(c *clients, p topology.ResourceID) listFunc {
			return drain(c.dns.NewRecordSetsClient().NewListPager(p.ResourceGroup, p.Name(), nil),
				func(r armprivatedns.RecordSetsClientListResponse) []*armprivatedns.RecordSet { return r.Value })
		},
		covers: []string{topology.TypeDNSRecordAAAA, topology.TypeDNSRecordCNAME, typeRecordMX, topology.TypeDNSRecordPTR, typeRecordSOA, typeRecordSRV, typeRecordTXT},
	}
	zoneLinks := &kind{ResourceType: d(topology.TypeZoneLink),
		child: func(c *clients, p topology.ResourceID) listFunc {
			return drain(c.dns.NewVirtualNetworkLinksClient().NewListPager(p.ResourceGroup, p.Name(), nil),
				func(r armprivatedns.VirtualNetworkLinksClientListResponse) []*armprivatedns.VirtualNetworkLink {
					return r.Value
				})
		}}
	// A network manager's security admin configurations, and the rule
	// collections under each configuration (a grandchild of the manager).
	adminCols := &kind{ResourceType: n(topology.TypeAdminRuleCollection),
		child: func(c *clients, p topology.ResourceID) listFunc {
			return drain(c.net.NewAdminRuleCollectionsClient().NewListPager(p.ResourceGroup, p.Names[0], p.Name(), nil),
				func(r armnetwork.AdminRuleCollectionsClientListResponse) []*armnetwork.AdminRuleCollection {
					return r.Value
				})
		}}
	adminCfgs := &kind{ResourceType: n(topology.TypeSecurityAdminConfig),
		child: func(c *clients, p topology.ResourceID) listFunc {
			return drain(c.net.NewSecurityAdminConfigurationsClient().NewListPager(p.ResourceGroup, p.Name(), nil),
				func(r armnetwork.SecurityAdminConfigurationsClientListResponse) []*armnetwork.SecurityAdminConfiguration {
					return r.Value
				})
		},
		children: []*kind{adminCols}}
	inbound := &kind{ResourceType: r(topology.TypeInboundEndpoint), rest: "inboundEndpoints"}
	outbound := &kind{ResourceType: r(topology.TypeOutboundEndpoint), rest: "outboundEndpoints"}
	rules := &kind{ResourceType: r(topology.TypeForwardingRule), rest: "forwardingRules"}
	rulesetLinks := &kind{ResourceType: r(topology.TypeRulesetLink), rest: "virtualNetworkLinks"}

	return []*kind{
		{ResourceType: embeds(n(topology.TypeVNet), topology.TypeSubnet, topology.TypePeering),
			sub: func(c *clients) listFunc {
				return drain(c.net.NewVirtualNetworksClient().NewListAllPager(nil),
					func(r armnetwork.VirtualNetworksClientListAllResponse) []*armnetwork.VirtualNetwork { return r.Value })
			},
			rg: func(c *clients, rg string) listFunc {
				return drain(c.net.NewVirtualNetworksClient().NewListPager(rg, nil),
					func(r armnetwork.VirtualNetworksClientListResponse) []*armnetwork.VirtualNetwork { return r.Value })
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.net.NewVirtualNetworksClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armnetwork.VirtualNetworksClientGetResponse) armnetwork.VirtualNetwork { return r.VirtualNetwork })
			}},
		{ResourceType: embeds(n(topology.TypeRouteTable), topology.TypeRoute),
			sub: func(c *clients) listFunc {
				return drain(c.net.NewRouteTablesClient().NewListAllPager(nil),
					func(r armnetwork.RouteTablesClientListAllResponse) []*armnetwork.RouteTable { return r.Value })
			},
			rg: func(c *clients, rg string) listFunc {
				return drain(c.net.NewRouteTablesClient().NewListPager(rg, nil),
					func(r armnetwork.RouteTablesClientListResponse) []*armnetwork.RouteTable { return r.Value })
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.net.NewRouteTablesClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armnetwork.RouteTablesClientGetResponse) armnetwork.RouteTable { return r.RouteTable })
			}},
		{ResourceType: embeds(n(topology.TypeNSG), topology.TypeSecurityRule),
			sub: func(c *clients) listFunc {
				return drain(c.net.NewSecurityGroupsClient().NewListAllPager(nil),
					func(r armnetwork.SecurityGroupsClientListAllResponse) []*armnetwork.SecurityGroup { return r.Value })
			},
			rg: func(c *clients, rg string) listFunc {
				return drain(c.net.NewSecurityGroupsClient().NewListPager(rg, nil),
					func(r armnetwork.SecurityGroupsClientListResponse) []*armnetwork.SecurityGroup { return r.Value })
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.net.NewSecurityGroupsClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armnetwork.SecurityGroupsClientGetResponse) armnetwork.SecurityGroup { return r.SecurityGroup })
			}},
		{ResourceType: n(topology.TypeASG),
			sub: func(c *clients) listFunc {
				return drain(c.net.NewApplicationSecurityGroupsClient().NewListAllPager(nil),
					func(r armnetwork.ApplicationSecurityGroupsClientListAllResponse) []*armnetwork.ApplicationSecurityGroup {
						return r.Value
					})
			},
			rg: func(c *clients, rg string) listFunc {
				return drain(c.net.NewApplicationSecurityGroupsClient().NewListPager(rg, nil),
					func(r armnetwork.ApplicationSecurityGroupsClientListResponse) []*armnetwork.ApplicationSecurityGroup {
						return r.Value
					})
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.net.NewApplicationSecurityGroupsClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armnetwork.ApplicationSecurityGroupsClientGetResponse) armnetwork.ApplicationSecurityGroup {
					return r.ApplicationSecurityGroup
				})
			}},
		{ResourceType: n(topology.TypeNIC),
			sub: func(c *clients) listFunc {
				return drain(c.net.NewInterfacesClient().NewListAllPager(nil),
					func(r armnetwork.InterfacesClientListAllResponse) []*armnetwork.Interface { return r.Value })
			},
			rg: func(c *clients, rg string) listFunc {
				return drain(c.net.NewInterfacesClient().NewListPager(rg, nil),
					func(r armnetwork.InterfacesClientListResponse) []*armnetwork.Interface { return r.Value })
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.net.NewInterfacesClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armnetwork.InterfacesClientGetResponse) armnetwork.Interface { return r.Interface })
			}},
		{ResourceType: n(topology.TypePrivateEndpoint),
			sub: func(c *clients) listFunc {
				return drain(c.net.NewPrivateEndpointsClient().NewListBySubscriptionPager(nil),
					func(r armnetwork.PrivateEndpointsClientListBySubscriptionResponse) []*armnetwork.PrivateEndpoint {
						return r.Value
					})
			},
			rg: func(c *clients, rg string) listFunc {
				return drain(c.net.NewPrivateEndpointsClient().NewListPager(rg, nil),
					func(r armnetwork.PrivateEndpointsClientListResponse) []*armnetwork.PrivateEndpoint { return r.Value })
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.net.NewPrivateEndpointsClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armnetwork.PrivateEndpointsClientGetResponse) armnetwork.PrivateEndpoint {
					return r.PrivateEndpoint
				})
			}},
		{ResourceType: n(topology.TypeFirewall),
			sub: func(c *clients) listFunc {
				return drain(c.net.NewAzureFirewallsClient().NewListAllPager(nil),
					func(r armnetwork.AzureFirewallsClientListAllResponse) []*armnetwork.AzureFirewall { return r.Value })
			},
			rg: func(c *clients, rg string) listFunc {
				return drain(c.net.NewAzureFirewallsClient().NewListPager(rg, nil),
					func(r armnetwork.AzureFirewallsClientListResponse) []*armnetwork.AzureFirewall { return r.Value })
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.net.NewAzureFirewallsClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armnetwork.AzureFirewallsClientGetResponse) armnetwork.AzureFirewall { return r.AzureFirewall })
			}},
		{ResourceType: n(topology.TypeFirewallPolicy),
			sub: func(c *clients) listFunc {
				return drain(c.net.NewFirewallPoliciesClient().NewListAllPager(nil),
					func(r armnetwork.FirewallPoliciesClientListAllResponse) []*armnetwork.FirewallPolicy { return r.Value })
			},
			rg: func(c *clients, rg string) listFunc {
				return drain(c.net.NewFirewallPoliciesClient().NewListPager(rg, nil),
					func(r armnetwork.FirewallPoliciesClientListResponse) []*armnetwork.FirewallPolicy { return r.Value })
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.net.NewFirewallPoliciesClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armnetwork.FirewallPoliciesClientGetResponse) armnetwork.FirewallPolicy {
					return r.FirewallPolicy
				})
			},
			children: []*kind{rcg}},
		rcg,
		{ResourceType: n(topology.TypeIPGroup),
			sub: func(c *clients) listFunc {
				return drain(c.net.NewIPGroupsClient().NewListPager(nil),
					func(r armnetwork.IPGroupsClientListResponse) []*armnetwork.IPGroup { return r.Value })
			},
			rg: func(c *clients, rg string) listFunc {
				return drain(c.net.NewIPGroupsClient().NewListByResourceGroupPager(rg, nil),
					func(r armnetwork.IPGroupsClientListByResourceGroupResponse) []*armnetwork.IPGroup { return r.Value })
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.net.NewIPGroupsClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armnetwork.IPGroupsClientGetResponse) armnetwork.IPGroup { return r.IPGroup })
			}},
		{ResourceType: n(topology.TypeGateway),
			rg: func(c *clients, rg string) listFunc {
				return drain(c.net.NewVirtualNetworkGatewaysClient().NewListPager(rg, nil),
					func(r armnetwork.VirtualNetworkGatewaysClientListResponse) []*armnetwork.VirtualNetworkGateway {
						return r.Value
					})
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.net.NewVirtualNetworkGatewaysClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armnetwork.VirtualNetworkGatewaysClientGetResponse) armnetwork.VirtualNetworkGateway {
					return r.VirtualNetworkGateway
				})
			}},
		{ResourceType: n(topology.TypeLocalGateway),
			rg: func(c *clients, rg string) listFunc {
				return drain(c.net.NewLocalNetworkGatewaysClient().NewListPager(rg, nil),
					func(r armnetwork.LocalNetworkGatewaysClientListResponse) []*armnetwork.LocalNetworkGateway {
						return r.Value
					})
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.net.NewLocalNetworkGatewaysClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armnetwork.LocalNetworkGatewaysClientGetResponse) armnetwork.LocalNetworkGateway {
					return r.LocalNetworkGateway
				})
			}},
		{ResourceType: n(topology.TypeConnection),
			rg: func(c *clients, rg string) listFunc {
				return drain(c.net.NewVirtualNetworkGatewayConnectionsClient().NewListPager(rg, nil),
					func(r armnetwork.VirtualNetworkGatewayConnectionsClientListResponse) []*armnetwork.VirtualNetworkGatewayConnection {
						return r.Value
					})
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.net.NewVirtualNetworkGatewayConnectionsClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armnetwork.VirtualNetworkGatewayConnectionsClientGetResponse) armnetwork.VirtualNetworkGatewayConnection {
					return r.VirtualNetworkGatewayConnection
				})
			}},
		{ResourceType: n(topology.TypeNATGateway),
			sub: func(c *clients) listFunc {
				return drain(c.net.NewNatGatewaysClient().NewListAllPager(nil),
					func(r armnetwork.NatGatewaysClientListAllResponse) []*armnetwork.NatGateway { return r.Value })
			},
			rg: func(c *clients, rg string) listFunc {
				return drain(c.net.NewNatGatewaysClient().NewListPager(rg, nil),
					func(r armnetwork.NatGatewaysClientListResponse) []*armnetwork.NatGateway { return r.Value })
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.net.NewNatGatewaysClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armnetwork.NatGatewaysClientGetResponse) armnetwork.NatGateway { return r.NatGateway })
			}},
		{ResourceType: n(topology.TypePublicIP),
			sub: func(c *clients) listFunc {
				return drain(c.net.NewPublicIPAddressesClient().NewListAllPager(nil),
					func(r armnetwork.PublicIPAddressesClientListAllResponse) []*armnetwork.PublicIPAddress {
						return r.Value
					})
			},
			rg: func(c *clients, rg string) listFunc {
				return drain(c.net.NewPublicIPAddressesClient().NewListPager(rg, nil),
					func(r armnetwork.PublicIPAddressesClientListResponse) []*armnetwork.PublicIPAddress { return r.Value })
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.net.NewPublicIPAddressesClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armnetwork.PublicIPAddressesClientGetResponse) armnetwork.PublicIPAddress {
					return r.PublicIPAddress
				})
			}},
		{ResourceType: n(topology.TypePublicIPPrefix),
			sub: func(c *clients) listFunc {
				return drain(c.net.NewPublicIPPrefixesClient().NewListAllPager(nil),
					func(r armnetwork.PublicIPPrefixesClientListAllResponse) []*armnetwork.PublicIPPrefix { return r.Value })
			},
			rg: func(c *clients, rg string) listFunc {
				return drain(c.net.NewPublicIPPrefixesClient().NewListPager(rg, nil),
					func(r armnetwork.PublicIPPrefixesClientListResponse) []*armnetwork.PublicIPPrefix { return r.Value })
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.net.NewPublicIPPrefixesClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armnetwork.PublicIPPrefixesClientGetResponse) armnetwork.PublicIPPrefix {
					return r.PublicIPPrefix
				})
			}},
		{ResourceType: d(topology.TypePrivateZone),
			sub: func(c *clients) listFunc {
				return drain(c.dns.NewPrivateZonesClient().NewListPager(nil),
					func(r armprivatedns.PrivateZonesClientListResponse) []*armprivatedns.PrivateZone { return r.Value })
			},
			rg: func(c *clients, rg string) listFunc {
				return drain(c.dns.NewPrivateZonesClient().NewListByResourceGroupPager(rg, nil),
					func(r armprivatedns.PrivateZonesClientListByResourceGroupResponse) []*armprivatedns.PrivateZone {
						return r.Value
					})
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.dns.NewPrivateZonesClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armprivatedns.PrivateZonesClientGetResponse) armprivatedns.PrivateZone { return r.PrivateZone })
			},
			children: []*kind{records, zoneLinks}},
		records,
		{ResourceType: d(topology.TypeDNSRecordAAAA)},
		{ResourceType: d(topology.TypeDNSRecordCNAME)},
		{ResourceType: d(typeRecordMX)},
		{ResourceType: d(topology.TypeDNSRecordPTR)},
		{ResourceType: d(typeRecordSOA)},
		{ResourceType: d(typeRecordSRV)},
		{ResourceType: d(typeRecordTXT)},
		zoneLinks,
		{ResourceType: r(topology.TypeDNSResolver), rest: topology.TypeDNSResolver, children: []*kind{inbound, outbound}},
		inbound,
		outbound,
		{ResourceType: r(topology.TypeRuleset), rest: topology.TypeRuleset, children: []*kind{rules, rulesetLinks}},
		rules,
		rulesetLinks,
		{ResourceType: ResourceType{Type: topology.TypeWorkspace, File: fileName(topology.TypeWorkspace), APIVersion: workspaceAPI},
			rest: topology.TypeWorkspace},
		{ResourceType: n(topology.TypeLoadBalancer),
			sub: func(c *clients) listFunc {
				return drain(c.net.NewLoadBalancersClient().NewListAllPager(nil),
					func(r armnetwork.LoadBalancersClientListAllResponse) []*armnetwork.LoadBalancer { return r.Value })
			},
			rg: func(c *clients, rg string) listFunc {
				return drain(c.net.NewLoadBalancersClient().NewListPager(rg, nil),
					func(r armnetwork.LoadBalancersClientListResponse) []*armnetwork.LoadBalancer { return r.Value })
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.net.NewLoadBalancersClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armnetwork.LoadBalancersClientGetResponse) armnetwork.LoadBalancer { return r.LoadBalancer })
			}},
		{ResourceType: n(topology.TypeNetworkManager),
			sub: func(c *clients) listFunc {
				return drain(c.net.NewManagersClient().NewListBySubscriptionPager(nil),
					func(r armnetwork.ManagersClientListBySubscriptionResponse) []*armnetwork.Manager { return r.Value })
			},
			rg: func(c *clients, rg string) listFunc {
				return drain(c.net.NewManagersClient().NewListPager(rg, nil),
					func(r armnetwork.ManagersClientListResponse) []*armnetwork.Manager { return r.Value })
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.net.NewManagersClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armnetwork.ManagersClientGetResponse) armnetwork.Manager { return r.Manager })
			},
			children: []*kind{adminCfgs}},
		adminCfgs,
		adminCols,
		{ResourceType: n(topology.TypeVirtualWAN),
			sub: func(c *clients) listFunc {
				return drain(c.net.NewVirtualWansClient().NewListPager(nil),
					func(r armnetwork.VirtualWansClientListResponse) []*armnetwork.VirtualWAN { return r.Value })
			},
			rg: func(c *clients, rg string) listFunc {
				return drain(c.net.NewVirtualWansClient().NewListByResourceGroupPager(rg, nil),
					func(r armnetwork.VirtualWansClientListByResourceGroupResponse) []*armnetwork.VirtualWAN {
						return r.Value
					})
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.net.NewVirtualWansClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armnetwork.VirtualWansClientGetResponse) armnetwork.VirtualWAN { return r.VirtualWAN })
			}},
		{ResourceType: n(topology.TypeVirtualHub),
			sub: func(c *clients) listFunc {
				return drain(c.net.NewVirtualHubsClient().NewListPager(nil),
					func(r armnetwork.VirtualHubsClientListResponse) []*armnetwork.VirtualHub { return r.Value })
			},
			rg: func(c *clients, rg string) listFunc {
				return drain(c.net.NewVirtualHubsClient().NewListByResourceGroupPager(rg, nil),
					func(r armnetwork.VirtualHubsClientListByResourceGroupResponse) []*armnetwork.VirtualHub {
						return r.Value
					})
			},
			get: func(ctx context.Context, c *clients, rg, name string) (any, error) {
				resp, err := c.net.NewVirtualHubsClient().Get(ctx, rg, name, nil)
				return got(resp, err, func(r armnetwork.VirtualHubsClientGetResponse) armnetwork.VirtualHub { return r.VirtualHub })
			}},
	}
}

// fileName is the file a type is written to: the type's path after its
// provider, segments joined by "-", such as "privateDnsZones-A.json".
func fileName(typ string) string {
	_, path, _ := strings.Cut(typ, "/")
	return strings.ReplaceAll(path, "/", "-") + ".json"
}

// Types returns the types [Run] writes, one file each, in the order of the
// files it writes; embedded child types are named in Embeds.
func Types() []ResourceType {
	ks := kinds()
	out := make([]ResourceType, len(ks))
	for i, k := range ks {
		out[i] = k.ResourceType
		out[i].Embeds = append([]string(nil), k.Embeds...)
	}
	return out
}
