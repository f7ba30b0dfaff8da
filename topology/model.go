package topology

import (
	"net/netip"

	"github.com/vnetpath/vnetpath/cidr"
)

// Meta identifies a resource and where it was read from. Every model type
// embeds it.
type Meta struct {
	ID   string // ARM resource ID as given; compare with [Key] or [SameID]
	Name string // resource name
	File string // snapshot file it came from; "" when built in code
	Path string // JSON path of the resource in File, such as "$[3]" or "$.value[0].properties.subnets[1]"
}

// Key returns the normalised ID (see [Key]).
func (m Meta) Key() string { return Key(m.ID) }

// Where returns "FILE at PATH" for messages, or "" when the origin is not
// known.
func (m Meta) Where() string {
	switch {
	case m.File != "" && m.Path != "":
		return m.File + " at " + m.Path
	case m.File != "":
		return m.File
	}
	return m.Path
}

// Address is one entry of a rule's or route's address list as Azure writes
// it: a set of prefixes ("10.0.0.0/8", "*", "10.0.0.1-10.0.0.9") or a service
// tag name ("AzureCloud", "Storage.EastUS", "VirtualNetwork").
type Address struct {
	Raw      string         // as written
	Prefixes []netip.Prefix // set when Raw is an address, "*" or a range
	Tag      string         // set when Raw is a service tag or another name
}

// IsTag reports whether a names a service tag (or another name) rather than
// addresses.
func (a Address) IsTag() bool { return a.Tag != "" }

// ParseAddress turns one Azure address token into an [Address]: address
// tokens (see [cidr.IsAddress]) must parse; anything else is kept as a tag
// name.
func ParseAddress(s string) (Address, error) {
	if cidr.IsAddress(s) {
		ps, err := cidr.Parse(s)
		if err != nil {
			return Address{}, err
		}
		return Address{Raw: s, Prefixes: ps}, nil
	}
	return Address{Raw: s, Tag: s}, nil
}

// VNet is a virtual network (Microsoft.Network/virtualNetworks).
type VNet struct {
	Meta
	Location     string
	AddressSpace []netip.Prefix
	DNSServers   []netip.Addr // dhcpOptions.dnsServers; empty means Azure-provided DNS
	Subnets      []string     // IDs of its subnets, sorted by first prefix then name (filled by Build)
	Peerings     []string     // IDs of its peerings, sorted by name (filled by Build)
}

// Private endpoint network policy values of a subnet
// (privateEndpointNetworkPolicies).
const (
	PolicyDisabled             = "Disabled"
	PolicyEnabled              = "Enabled"
	PolicyNSGEnabled           = "NetworkSecurityGroupEnabled"
	PolicyRouteTableEnabled    = "RouteTableEnabled"
	DefaultPENetworkPolicy     = PolicyDisabled
	DelegationDNSResolvers     = "Microsoft.Network/dnsResolvers"
	SubnetGateway              = "GatewaySubnet"
	SubnetFirewall             = "AzureFirewallSubnet"
	SubnetFirewallManagement   = "AzureFirewallManagementSubnet"
	SubnetBastion              = "AzureBastionSubnet"
	SubnetRouteServer          = "RouteServerSubnet"
	ProtocolAny                = "*"
	ConnectionApproved         = "Approved"
	ResolutionDefault          = "Default"
	ResolutionNxDomainRedirect = "NxDomainRedirect"
	PublicAccessEnabled        = "Enabled"
	PublicAccessDisabled       = "Disabled"
)

// Subnet is a subnet of a VNet (Microsoft.Network/virtualNetworks/subnets).
type Subnet struct {
	Meta
	VNet                           string         // ID of the parent VNet
	Prefixes                       []netip.Prefix // addressPrefix or addressPrefixes
	RouteTable                     string         // ID, "" when none
	NSG                            string         // ID, "" when none
	NATGateway                     string         // ID, "" when none
	PrivateEndpointNetworkPolicies string         // one of the Policy* values; "" means Disabled
	DefaultOutboundAccess          *bool          // nil: not set (implicit outbound access exists); false: private subnet
	Delegations                    []string       // service names, e.g. "Microsoft.Network/dnsResolvers"
	ServiceEndpoints               []ServiceEndpoint
	// IPConfigurations lists the IDs of the IP configurations in the subnet
	// as ARM lists them (NICs, firewalls, gateways, ...): the resources
	// they belong to are references.
	IPConfigurations []string
	PrivateEndpoints []string // IDs of the private endpoints in the subnet, as ARM lists them
}

// ServiceEndpoint is a service endpoint enabled on a subnet.
type ServiceEndpoint struct {
	Service   string   // e.g. "Microsoft.Storage"
	Locations []string // e.g. ["centralus", "eastus2"]; "*" for all
}

// PENSGEnabled reports whether NSGs apply to private endpoints in the subnet
// (reference §3.8).
func (s *Subnet) PENSGEnabled() bool {
	return s.PrivateEndpointNetworkPolicies == PolicyEnabled || s.PrivateEndpointNetworkPolicies == PolicyNSGEnabled
}

// PERouteTableEnabled reports whether route tables may summarise the /32
// routes of private endpoints in the subnet (reference §1.8).
func (s *Subnet) PERouteTableEnabled() bool {
	return s.PrivateEndpointNetworkPolicies == PolicyEnabled || s.PrivateEndpointNetworkPolicies == PolicyRouteTableEnabled
}

// HasDelegation reports whether the subnet is delegated to service.
func (s *Subnet) HasDelegation(service string) bool {
	for _, d := range s.Delegations {
		if equalFold(d, service) {
			return true
		}
	}
	return false
}

// IsWorkload reports whether the subnet can hold workloads: it is not one of
// the platform subnets (GatewaySubnet, AzureFirewallSubnet,
// AzureFirewallManagementSubnet, AzureBastionSubnet, RouteServerSubnet) and
// is not delegated to DNS resolver endpoints (SPEC §4).
func (s *Subnet) IsWorkload() bool {
	switch {
	case equalFold(s.Name, SubnetGateway), equalFold(s.Name, SubnetFirewall),
		equalFold(s.Name, SubnetFirewallManagement), equalFold(s.Name, SubnetBastion),
		equalFold(s.Name, SubnetRouteServer):
		return false
	}
	return !s.HasDelegation(DelegationDNSResolvers)
}

// Peering is one half of a VNet peering
// (Microsoft.Network/virtualNetworks/virtualNetworkPeerings).
type Peering struct {
	Meta
	VNet                      string // ID of the VNet that owns this half
	RemoteVNet                string // ID of the peer
	AllowVirtualNetworkAccess bool
	AllowForwardedTraffic     bool
	AllowGatewayTransit       bool
	UseRemoteGateways         bool
	State                     PeeringState   // Connected, Initiated or Disconnected
	SyncLevel                 string         // FullyInSync, RemoteNotInSync, ...
	RemoteAddressSpace        []netip.Prefix // the peer's prefixes as synced: what is routable (§2.6)
	RemoteVNetAddressSpace    []netip.Prefix // the peer's current prefixes
	PeerCompleteVNets         bool           // false for subnet peering (§2.7)
	LocalSubnetNames          []string
	RemoteSubnetNames         []string
	OnlyIPv6                  bool
}

// RouteTable is a route table (Microsoft.Network/routeTables).
type RouteTable struct {
	Meta
	Location                   string
	DisableBGPRoutePropagation bool
	Routes                     []Route // sorted by name (filled by Build)
}

// Route is a user-defined route (Microsoft.Network/routeTables/routes).
type Route struct {
	Meta
	Table         string       // ID of the route table
	AddressPrefix string       // as written
	Prefix        netip.Prefix // valid when AddressPrefix is a CIDR
	Tag           string       // set when AddressPrefix is a service tag
	NextHopType   NextHopType  // VirtualAppliance, VnetLocal, Internet, VirtualNetworkGateway or None (see [NextHopType.AllowedInUDR])
	NextHopIP     netip.Addr   // for VirtualAppliance
}

// NSG is a network security group (Microsoft.Network/networkSecurityGroups).
type NSG struct {
	Meta
	Location     string
	Rules        []SecurityRule // custom rules, sorted by direction then priority (filled by Build)
	DefaultRules []SecurityRule // the six default rules, always present (§3.2)
}

// SecurityRule is an NSG rule (securityRules or defaultSecurityRules).
type SecurityRule struct {
	Meta
	NSG              string // ID of the NSG
	Priority         int
	Direction        Direction
	Access           Access
	Protocol         string // Tcp, Udp, Icmp, Esp, Ah or *
	Sources          []Address
	SourcePorts      []cidr.PortRange
	Destinations     []Address
	DestinationPorts []cidr.PortRange
	SourceASGs       []string // IDs of application security groups
	DestinationASGs  []string
	Default          bool // one of the default rules
}

// ASG is an application security group; membership comes from NIC IP
// configurations.
type ASG struct {
	Meta
	Location string
}

// NIC is a network interface (Microsoft.Network/networkInterfaces).
type NIC struct {
	Meta
	Location           string
	IPConfigs          []IPConfig
	EnableIPForwarding bool
	NSG                string   // ID, "" when none
	DNSServers         []string // dnsSettings.dnsServers as written; may be ["AzureProvidedDNS"]
	// InternalDomainNameSuffix is dnsSettings.internalDomainNameSuffix: the
	// suffix of the names Azure-provided DNS gives the VM in its VNet
	// ("<random>.ax.internal.cloudapp.net"); "" when not exported.
	InternalDomainNameSuffix string
	VirtualMachine           string // ID of the VM, when attached
	PrivateEndpoint          string // ID of the private endpoint that owns it, when it is a PE NIC
}

// IPConfig is an IP configuration of a NIC.
type IPConfig struct {
	Meta
	NIC                string
	PrivateIP          netip.Addr
	Subnet             string
	PublicIP           string   // ID of an attached public IP
	ASGs               []string // IDs
	Primary            bool
	PrivateLinkGroupID string       // privateLinkConnectionProperties.groupId on PE NICs
	PrivateLinkFQDNs   []string     // privateLinkConnectionProperties.fqdns on PE NICs
	PrivatePrefix      netip.Prefix // set when the configuration holds a block of addresses (privateIPAddressPrefixLength); PrivateIP is its first address
	LBPools            []string     // IDs of the load balancer backend pools it is in (loadBalancerBackendAddressPools)
}

// Firewall rule kinds.
const (
	RuleNetwork     = "Network"
	RuleApplication = "Application"
	RuleNAT         = "NAT"
)

// Firewall is an Azure Firewall (Microsoft.Network/azureFirewalls).
type Firewall struct {
	Meta
	Location           string
	SKU                string // AZFW_VNet or AZFW_Hub
	Tier               string // Basic, Standard, Premium
	IPConfigs          []FirewallIPConfig
	ManagementIPConfig *FirewallIPConfig
	Policy             string // ID of the firewall policy, "" for classic rules
	ThreatIntelMode    string
	DNSProxy           bool     // classic: additionalProperties "Network.DNS.EnableProxy"
	DNSServers         []string // classic: additionalProperties "Network.DNS.Servers"
	SNATPrivateRanges  []string // classic: additionalProperties "Network.SNAT.PrivateRanges"
	RuleCollections    []RuleCollection
}

// FirewallIPConfig is an IP configuration of a firewall.
type FirewallIPConfig struct {
	Name      string
	PrivateIP netip.Addr
	Subnet    string
	PublicIP  string // ID
}

// FirewallPolicy is a firewall policy (Microsoft.Network/firewallPolicies).
type FirewallPolicy struct {
	Meta
	Location          string
	BasePolicy        string // ID of the parent policy
	DNSProxy          bool
	DNSServers        []string
	SNATPrivateRanges []string
	ThreatIntelMode   string
	Groups            []RuleCollectionGroup // sorted by priority (filled by Build)
	// RuleCollectionGroups lists the IDs of its rule collection groups as
	// the policy declares them (ruleCollectionGroups); those the snapshot
	// lacks are missing.
	RuleCollectionGroups []string
}

// RuleCollectionGroup is a rule collection group of a firewall policy.
type RuleCollectionGroup struct {
	Meta
	Policy      string // ID of the policy
	Priority    int
	Collections []RuleCollection
}

// RuleCollection is a collection of firewall rules of one kind, classic or
// from a policy.
type RuleCollection struct {
	Name     string
	Kind     string // Network, Application or NAT
	Priority int
	Action   string // Allow, Deny or Dnat
	Rules    []FirewallRule
}

// FirewallRule is one rule of a rule collection.
type FirewallRule struct {
	Name                string
	Kind                string   // Network, Application or NAT
	Protocols           []string // network and NAT rules: TCP, UDP, ICMP, Any
	AppProtocols        []AppProtocol
	Sources             []Address
	SourceIPGroups      []string
	Destinations        []Address // network rules: addresses and service tags; NAT: the firewall's public IP
	DestinationIPGroups []string
	DestinationFQDNs    []string // network rules with FQDNs (need DNS proxy)
	DestinationPorts    []cidr.PortRange
	TargetFQDNs         []string // application rules; wildcards allowed
	FQDNTags            []string
	WebCategories       []string
	TranslatedAddress   string
	TranslatedPort      string
}

// AppProtocol is an application rule protocol such as Https:443.
type AppProtocol struct {
	Type string // Http, Https, Mssql
	Port uint16
}

// IPGroup is an IP group (Microsoft.Network/ipGroups) that firewall rules
// may reference.
type IPGroup struct {
	Meta
	Location  string
	Addresses []Address
}

// Gateway is a virtual network gateway (VPN or ExpressRoute).
type Gateway struct {
	Meta
	Location     string
	GatewayType  string // Vpn, ExpressRoute, LocalGateway
	VPNType      string
	SKU          string
	VNet         string // ID of the VNet whose GatewaySubnet holds it (derived)
	IPConfigs    []FirewallIPConfig
	BGP          *BGPSettings
	ActiveActive bool
	CustomRoutes []netip.Prefix
	EnableBGP    bool // enableBgp; BGP holds the settings even when it is off
}

// BGPSettings are a gateway's BGP settings.
type BGPSettings struct {
	ASN              int64
	PeeringAddresses []netip.Addr
}

// LocalGateway is a local network gateway: the on-premises side.
type LocalGateway struct {
	Meta
	Location        string
	GatewayIP       netip.Addr
	FQDN            string
	AddressPrefixes []netip.Prefix
	BGP             *BGPSettings
}

// Connection is a virtual network gateway connection.
type Connection struct {
	Meta
	Location       string
	ConnectionType string // IPsec, Vnet2Vnet, ExpressRoute, VPNClient
	Gateway1       string // ID of the VNet gateway
	Gateway2       string // Vnet2Vnet: ID of the other VNet gateway
	LocalGateway2  string // IPsec: ID of the local network gateway
	Peer           string // ExpressRoute: ID of the circuit
	Status         string // connectionStatus: Connected, Connecting, NotConnected, Unknown
	EnableBGP      bool
}

// NATGateway is a NAT gateway.
type NATGateway struct {
	Meta
	Location         string
	PublicIPs        []string // IDs
	PublicIPPrefixes []string // IDs
	Subnets          []string // IDs of the subnets it serves, as the NAT gateway lists them
}

// PublicIP is a public IP address resource.
type PublicIP struct {
	Meta
	Location        string
	Address         netip.Addr // zero when not allocated
	Version         string
	SKU             string
	IPConfiguration string // ID of the IP configuration it is attached to
}

// PublicIPPrefix is a public IP prefix (Microsoft.Network/publicIPPrefixes),
// which NAT gateways may use.
type PublicIPPrefix struct {
	Meta
	Location string
	Prefix   netip.Prefix // zero when not allocated
	Version  string
}

// PrivateEndpoint is a private endpoint.
type PrivateEndpoint struct {
	Meta
	Location         string
	Subnet           string
	NICs             []string
	Connections      []PEConnection
	CustomDNSConfigs []DNSConfig
	StaticIPs        []PEIPConfig // ipConfigurations (static allocation)
}

// PEConnection is a private-link service connection of a private endpoint.
type PEConnection struct {
	Name     string
	Target   string // privateLinkServiceId: the resource the endpoint reaches
	GroupIDs []string
	Status   string // Approved, Pending, Rejected, Disconnected
	Manual   bool
}

// DNSConfig pairs an FQDN with the endpoint addresses that serve it.
type DNSConfig struct {
	FQDN string
	IPs  []netip.Addr
}

// PEIPConfig is a static IP configuration of a private endpoint.
type PEIPConfig struct {
	Name       string
	GroupID    string
	MemberName string
	PrivateIP  netip.Addr
}

// PrivateZone is a private DNS zone.
type PrivateZone struct {
	Meta
	Records []DNSRecord // sorted by ID (filled by Build)
	Links   []ZoneLink  // sorted by ID (filled by Build)
	// NumberOfRecordSets and NumberOfVirtualNetworkLinks are the counts the
	// zone declares (0: not declared).
	NumberOfRecordSets          int64
	NumberOfVirtualNetworkLinks int64
	// RecordSetsHeld is the number of its record sets the snapshot read,
	// of every type, SOA and TXT included, plus the SOA record set Azure
	// creates with every zone when the snapshot did not read it (filled by
	// Build).
	RecordSetsHeld int
}

// RecordsComplete reports whether the snapshot holds every record set the
// zone declares; when it does not, an answer from the zone may be wrong and
// the zone's record sets are listed as missing.
func (z *PrivateZone) RecordsComplete() bool {
	return z.NumberOfRecordSets <= int64(z.RecordSetsHeld)
}

// LinksComplete reports whether the snapshot holds every virtual network
// link the zone declares.
func (z *PrivateZone) LinksComplete() bool {
	return z.NumberOfVirtualNetworkLinks <= int64(len(z.Links))
}

// DNSRecord is a record set of a private zone.
type DNSRecord struct {
	Meta
	Zone  string // ID of the zone
	Name  string // relative name; "@" is the apex; may start with "*."
	Type  string // A, AAAA, CNAME or PTR
	TTL   int64
	Addrs []netip.Addr
	CNAME string
	PTRs  []string // PTR: the names (ptrRecords[].ptrdname), lower-case without a trailing dot
}

// ZoneLink links a private zone to a VNet.
type ZoneLink struct {
	Meta
	Zone                string // ID of the zone
	VNet                string
	RegistrationEnabled bool
	ResolutionPolicy    string // Default or NxDomainRedirect
	State               string // virtualNetworkLinkState
}

// DNSResolver is a DNS Private Resolver.
type DNSResolver struct {
	Meta
	Location string
	VNet     string
	Inbound  []ResolverEndpoint // filled by Build
	Outbound []ResolverEndpoint // filled by Build
}

// ResolverEndpoint is an inbound or outbound endpoint of a DNS resolver.
type ResolverEndpoint struct {
	Meta
	Resolver string
	Subnet   string
	IPs      []netip.Addr // inbound only
}

// Ruleset is a DNS forwarding ruleset.
type Ruleset struct {
	Meta
	Location          string
	OutboundEndpoints []string
	Rules             []ForwardingRule // filled by Build
	Links             []RulesetLink    // filled by Build
}

// ForwardingRule is a rule of a forwarding ruleset.
type ForwardingRule struct {
	Meta
	Ruleset string
	Domain  string // dot-terminated, lower-case
	Targets []DNSTarget
	Enabled bool
}

// DNSTarget is a forwarding destination.
type DNSTarget struct {
	IP   netip.Addr
	Port int
}

// RulesetLink links a forwarding ruleset to a VNet.
type RulesetLink struct {
	Meta
	Ruleset string
	VNet    string
}

// Workspace is an Azure Machine Learning workspace.
type Workspace struct {
	Meta
	Location            string
	WorkspaceID         string // the GUID used in its FQDNs
	FriendlyName        string
	PublicNetworkAccess string // Enabled or Disabled
	Kind                string
	ManagedNetwork      string // isolation mode of the managed VNet (managedNetwork.isolationMode), "" when not exported
	// ManagedNetworkStatus is managedNetwork.status.status (Active,
	// Inactive), "" when not exported.
	ManagedNetworkStatus string
	// OutboundRules are the rules of the managed VNet
	// (managedNetwork.outboundRules), sorted by name; OutboundRulesRead
	// says whether the export held them at all (an empty list read is not
	// a list not exported).
	OutboundRules     []OutboundRule
	OutboundRulesRead bool
	// StorageAccount, KeyVault and ContainerRegistry are the IDs of the
	// workspace's associated resources, "" when not exported.
	StorageAccount    string
	KeyVault          string
	ContainerRegistry string
	// PrivateEndpoints are the private endpoints of its connections
	// (privateEndpointConnections[].properties.privateEndpoint.id).
	PrivateEndpoints []string
}

// Managed network isolation modes of a workspace (reference §6.5).
const (
	IsolationDisabled                  = "Disabled"
	IsolationAllowInternetOutbound     = "AllowInternetOutbound"
	IsolationAllowOnlyApprovedOutbound = "AllowOnlyApprovedOutbound"
)

// Kinds of [OutboundRule].
const (
	OutboundFQDN            = "FQDN"
	OutboundServiceTag      = "ServiceTag"
	OutboundPrivateEndpoint = "PrivateEndpoint"
)

// OutboundRule is a rule of a workspace's managed VNet
// (managedNetwork.outboundRules): an FQDN, a service tag or a private
// endpoint the managed compute may reach.
type OutboundRule struct {
	Name     string
	Type     string // FQDN, ServiceTag or PrivateEndpoint
	Category string // Required, Recommended, UserDefined, Dependency
	Status   string // Active, Inactive, ...
	// FQDN rules.
	FQDN string
	// ServiceTag rules.
	ServiceTag      string
	Protocol        string // TCP, UDP, ICMP or *
	PortRanges      string // as written: "80, 8080-8089"
	Action          string // Allow or Deny
	AddressPrefixes []string
	// PrivateEndpoint rules.
	ServiceResourceID string
	SubresourceTarget string
}

// LoadBalancer is a load balancer (Microsoft.Network/loadBalancers): its
// frontends, backend pools, load-balancing rules and outbound rules. An
// internal frontend may be the next hop of a user route, which forwards
// to the backend pool's NICs (reference §10 item 43); outbound rules give
// the pool's members a public egress (§10 item 32).
type LoadBalancer struct {
	Meta
	Location      string
	SKU           string // Basic, Standard or Gateway
	Frontends     []LBFrontend
	Pools         []LBPool
	Rules         []LBRule
	OutboundRules []LBOutboundRule
}

// LBFrontend is a frontend IP configuration of a load balancer: a private
// address in a subnet (internal) or a public IP (public).
type LBFrontend struct {
	ID             string
	Name           string
	PrivateIP      netip.Addr // internal frontends
	Subnet         string     // internal frontends: ID of the subnet
	PublicIP       string     // public frontends: ID of the public IP address
	PublicIPPrefix string     // public frontends: ID of a public IP prefix
}

// LBPool is a backend address pool: NIC IP configurations, or addresses
// in a VNet.
type LBPool struct {
	ID        string
	Name      string
	IPConfigs []string // IDs of the NIC IP configurations in the pool (backendIPConfigurations)
	Addresses []LBBackendAddress
}

// LBBackendAddress is a member of a pool given by address.
type LBBackendAddress struct {
	Name   string
	IP     netip.Addr
	VNet   string // ID
	Subnet string // ID, when given
}

// LBRule is a load-balancing rule. Protocol All with ports 0 is an HA-ports
// rule: it carries every flow.
type LBRule struct {
	ID                  string
	Name                string
	Frontend            string   // ID of the frontend IP configuration
	Pools               []string // IDs of the backend pools
	Protocol            string   // Tcp, Udp or All
	FrontendPort        int
	BackendPort         int
	DisableOutboundSNAT bool
}

// IsHAPorts reports whether the rule carries every protocol and port.
func (r *LBRule) IsHAPorts() bool {
	return equalFold(r.Protocol, "All") && r.FrontendPort == 0 && r.BackendPort == 0
}

// LBOutboundRule is an outbound rule: the members of Pool leave for the
// Internet through the public IPs of Frontends.
type LBOutboundRule struct {
	ID        string
	Name      string
	Frontends []string // IDs of frontend IP configurations
	Pool      string   // ID of the backend pool
	Protocol  string   // Tcp, Udp or All
}

// NetworkManager is an Azure Virtual Network Manager
// (Microsoft.Network/networkManagers). Its scope says which subscriptions'
// VNets its configurations may reach.
type NetworkManager struct {
	Meta
	Location              string
	ScopeSubscriptions    []string // networkManagerScopes.subscriptions, as written ("/subscriptions/ID")
	ScopeManagementGroups []string // networkManagerScopes.managementGroups
	ScopeAccesses         []string // SecurityAdmin, Connectivity, Routing
}

// SecurityAdminConfiguration is a security admin configuration of a
// network manager (Microsoft.Network/networkManagers/securityAdminConfigurations).
// Its rules are evaluated before NSGs (reference §3.3); vnetpath does not
// model them, and answers they may change are unknown (§10 item 44).
type SecurityAdminConfiguration struct {
	Meta
	Manager string // ID of the network manager
}

// AdminRuleCollection is a rule collection of a security admin
// configuration (.../securityAdminConfigurations/ruleCollections).
type AdminRuleCollection struct {
	Meta
	Configuration string   // ID of the security admin configuration
	NetworkGroups []string // IDs of the network groups it applies to (appliesToGroups), as written
}

// VirtualHub is a Virtual WAN hub (Microsoft.Network/virtualHubs). The
// VNets connected to it are peered with the hub's managed VNet ("HV_"
// and the hub's name); the routes it programs in them are not in a VNet
// export, and vnetpath does not model them (reference §10 item 44).
type VirtualHub struct {
	Meta
	Location      string
	AddressPrefix netip.Prefix
	VirtualWAN    string // ID of its Virtual WAN
	AzureFirewall string // ID of a secured hub's firewall
}

// VirtualWAN is a Virtual WAN (Microsoft.Network/virtualWans).
type VirtualWAN struct {
	Meta
	Location string
	Type     string // Basic or Standard
}
