// Package estategen writes synthetic Azure estates that look like real ones,
// as ARM JSON in the layout vnetpath's loader reads: one directory per
// subscription, one file per resource type, each as `az ... list -o json`
// prints it (flattened resources, keys in alphabetical order, two-space
// indentation). It serves benchmarks and scale tests of the loader and the
// engine, up to [MaxSpokes] spokes.
//
// An estate is deterministic: the same [Options] always give the same
// bytes. Its shape:
//
//   - a connectivity subscription with the hub VNet vnet-hub-0
//     (172.16.0.0/20): Azure Firewall fw-hub-0 (172.16.0.4, a public IP, a
//     firewall policy with DNS proxy on and rule collection groups over
//     service tags, CIDRs, IP groups and FQDNs: network rules for the
//     service tags Azure ML compute needs, reference §6.3, including its
//     compute-instance ports; application rules for the FQDNs clients use;
//     spoke-to-spoke and on-premises rules; a deny collection), a VPN gateway
//     in GatewaySubnet with an IPsec connection to a local network gateway
//     holding the on-premises prefixes 192.168.0.0/16, 172.20.0.0/16,
//     172.24.0.0/14 and 172.28.0.0/16, a DNS Private Resolver (inbound
//     endpoint 172.16.0.100 and outbound endpoint in delegated subnets) with
//     a forwarding ruleset that sends corp.contoso.example to the
//     on-premises DNS servers, a jump box, and six privatelink zones linked
//     to the hub;
//   - landing-zone subscriptions of 128 spokes each. Spoke i owns the i-th
//     /23 of 10.0.0.0/8 (so 10.0.0.0/8 holds 32,768) and has four subnets —
//     snet-app /25, snet-data /26, snet-pe /26, snet-compute /24 — sharing
//     its route table and NSG; both halves of its peering with its hub
//     (gateway transit, forwarded traffic allowed); a route table with a
//     default route to the firewall (in the transit shape, to the spoke's
//     hub's appliance) and tens of specific routes (on-premises
//     prefixes, other spokes' ranges, on some spokes service tags with next
//     hop Internet or the firewall; BGP propagation off on a third); an NSG
//     of 30 to 60 rules (service tags, CIDRs, application security groups
//     with NIC members, port ranges and lists, Deny rules, and on a third of
//     the spokes a final DenyAllOutbound); one or two VM NICs. Spokes use
//     the resolver's inbound endpoint as DNS server, except one in 25 that
//     keeps Azure-provided DNS and is linked to the privatelink zones
//     itself (pattern A of reference §5.6; Azure allows 1,000 links per
//     zone, which 20,000 spokes stay under);
//   - a tenth of the spokes hold private endpoints (a storage account's blob
//     and a key vault), with their records in the privatelink zones; three
//     of them (Options.Workspaces; fewer in smaller estates) hold the private
//     endpoint of an Azure ML workspace that refuses public access, with
//     its records in privatelink.api.azureml.ms and
//     privatelink.notebooks.azure.net, as in examples/contoso;
//   - the forwarding ruleset is linked to the hub only: spokes that use the
//     inbound endpoint resolve the on-premises domain through it; spokes on
//     Azure-provided DNS do not (rulesets take at most 500 links);
//   - variations chosen from the seed: which spokes lock their NSG, route
//     service tags, turn off BGP propagation or default outbound access,
//     enable NSGs on private endpoints, have a Microsoft.Storage service
//     endpoint, a second VM; which other spokes their routes and rules name;
//   - a few faults, chosen from the seed, in a small fraction of the
//     spokes: see [FaultKind] and [Estate.Faults].
//
// Files are laid out as connectivity/<type>.json and lz-NNN/<type>.json
// (virtualNetworks.json, networkSecurityGroups.json, routeTables.json, ...;
// workspaces.json as `az rest` lists them, {"value": [...]}). No file
// exceeds the loader's 64 MiB limit at [MaxSpokes] spokes.
//
// The transit shape ([Transit]) chains two or three hubs: vnet-hub-k
// (172.16.16k.0/20) for k ≥ 1 holds two network virtual appliances (NICs
// with IP forwarding) in snet-transit; hub k is peered with hub k-1 (both
// halves, forwarded traffic allowed); route tables send traffic between the
// hubs through the appliances, and the spokes, in contiguous blocks, are
// spread over the hubs. Only vnet-hub-0 has the firewall, the gateway and
// the resolver: spokes of the other hubs reach them through the chain.
//
// Azure allows 500 peerings per VNet (1,000 with Azure Virtual Network
// Manager); the generator ignores that limit so that one hub can carry any
// number of spokes.
package estategen

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
)

// MaxSpokes is the largest estate the generator writes.
const MaxSpokes = 20000

// SpokesPerSubscription is the number of spokes in each landing-zone
// subscription (a /16 of 10.0.0.0/8).
const SpokesPerSubscription = 128

// Shape is the layout of the hubs.
type Shape string

// The shapes.
const (
	HubSpoke Shape = "hubspoke" // one hub
	Transit  Shape = "transit"  // two or three hubs chained through appliances
)

// Options say which estate to generate.
type Options struct {
	Spokes int    // 0..MaxSpokes
	Seed   uint64 // decides the per-spoke variations and the faults
	Shape  Shape  // "" means HubSpoke
	Hubs   int    // hubs of the transit shape, 2 or 3 (0 means 3); HubSpoke has one
	// Workspaces is the number of Azure ML workspaces, 1..MaxWorkspaces
	// (0 means 3), each with its private endpoint in a spoke of its own
	// (fewer when there are fewer spokes). Each adds its own entries to
	// every source's profile.
	Workspaces int
}

// MaxWorkspaces is the most workspaces an estate can have.
const MaxWorkspaces = 10

// Generate returns the files of the hub-and-spoke estate with the given
// number of spokes and seed 1, by path ("connectivity/virtualNetworks.json",
// "lz-001/routeTables.json", ...). It panics when spokes is negative or
// above [MaxSpokes].
func Generate(spokes int) map[string][]byte {
	e, err := GenerateWith(Options{Spokes: spokes, Seed: 1})
	if err != nil {
		panic(err)
	}
	return e.Files()
}

// Estate is a planned estate: every choice the seed makes is taken, and
// [Estate.Files] or [Estate.WriteDir] render it.
type Estate struct {
	opts       Options
	hubs       int
	spokes     []spoke
	workspaces []workspace
	faults     []Fault
	onPrem     []string
}

// spoke holds the choices made for one spoke.
type spoke struct {
	hub         int
	azureDNS    bool // Azure-provided DNS instead of the resolver
	noProp      bool // disableBgpRoutePropagation on its route table
	locked      bool // NSG ends with DenyAllOutbound
	tagRoutes   bool // route table has service-tag routes
	private     bool // subnets have defaultOutboundAccess false
	svcEndpoint bool // snet-compute has a Microsoft.Storage service endpoint
	peNSG       bool // snet-pe applies NSGs to private endpoints
	rules       int  // custom NSG rules, 30..60
	nics        int  // VM NICs, 1 or 2
	pe          bool // holds private endpoints to a storage account and a key vault
	ws          int  // index of the workspace whose private endpoint it holds, or -1
	fault       FaultKind
	seed        uint64 // for the choices made while rendering
}

type workspace struct {
	spoke int
	name  string
	guid  string
}

// FaultKind is a mistake the generator puts in a spoke.
type FaultKind string

// The faults. Each names the profile entries (`vnetpath check` without
// --to) it breaks for every workload subnet of its spoke, and the verdict
// vnetpath gives them; see [Fault.Expect].
const (
	// FaultZoneNotLinked: the spoke uses Azure-provided DNS and
	// privatelink.api.azureml.ms is not linked to it, so the workspace API
	// names resolve to public addresses: private-endpoint-bypassed.
	FaultZoneNotLinked FaultKind = "zone-not-linked"
	// FaultFirewallRuleMissing: the spoke's range is missing from the IP
	// group the firewall's rules use as source: Entra ID and ARM are
	// denied-by-firewall.
	FaultFirewallRuleMissing FaultKind = "firewall-rule-missing"
	// FaultPeeringDisconnected: the hub's half of the peering was deleted
	// and the spoke's half is Disconnected: blocked-by-peering.
	FaultPeeringDisconnected FaultKind = "peering-disconnected"
	// FaultPeeringInitiated: only the spoke's half of the peering exists
	// (Initiated): blocked-by-peering.
	FaultPeeringInitiated FaultKind = "peering-initiated"
	// FaultNoneRoute: the spoke's route table sends the range of the spoke
	// that holds the first workspace's private endpoint to None: its API
	// names are a blackhole.
	FaultNoneRoute FaultKind = "none-route"
	// FaultNSGDenyARM: the spoke's NSG denies AzureResourceManager
	// outbound before its allow rules: denied-by-nsg.
	FaultNSGDenyARM FaultKind = "nsg-deny-arm"
)

// FaultKinds lists every fault kind.
func FaultKinds() []FaultKind {
	return []FaultKind{FaultZoneNotLinked, FaultFirewallRuleMissing, FaultPeeringDisconnected, FaultPeeringInitiated, FaultNoneRoute, FaultNSGDenyARM}
}

// Fault is one injected mistake.
type Fault struct {
	Kind     FaultKind     `json:"kind"`
	Spoke    int           `json:"spoke"`    // spoke index
	VNet     string        `json:"vnet"`     // ARM ID of the spoke's VNet
	Resource string        `json:"resource"` // ARM ID of the resource at fault
	Detail   string        `json:"detail"`
	Expect   []Expectation `json:"expect"`
}

// Expectation is the verdict vnetpath gives, from every workload subnet of
// the faulty spoke, to the profile entry whose destination is To.
type Expectation struct {
	To      string `json:"to"`
	Verdict string `json:"verdict"`
}

// GenerateWith plans the estate that o describes.
func GenerateWith(o Options) (*Estate, error) {
	if o.Spokes < 0 || o.Spokes > MaxSpokes {
		return nil, fmt.Errorf("spokes %d: must be in 0..%d", o.Spokes, MaxSpokes)
	}
	e := &Estate{opts: o, hubs: 1, onPrem: []string{"192.168.0.0/16", "172.20.0.0/16", "172.24.0.0/14", "172.28.0.0/16"}}
	switch o.Shape {
	case "", HubSpoke:
		e.opts.Shape = HubSpoke
		if o.Hubs > 1 {
			return nil, fmt.Errorf("hubs %d: the %s shape has one hub", o.Hubs, HubSpoke)
		}
	case Transit:
		e.hubs = 3
		if o.Hubs != 0 {
			if o.Hubs != 2 && o.Hubs != 3 {
				return nil, fmt.Errorf("hubs %d: the %s shape has 2 or 3 hubs", o.Hubs, Transit)
			}
			e.hubs = o.Hubs
		}
	default:
		return nil, fmt.Errorf("shape %q: want %s or %s", o.Shape, HubSpoke, Transit)
	}
	e.opts.Hubs = e.hubs
	switch {
	case o.Workspaces == 0:
		e.opts.Workspaces = 3
	case o.Workspaces < 0 || o.Workspaces > MaxWorkspaces:
		return nil, fmt.Errorf("workspaces %d: must be in 1..%d", o.Workspaces, MaxWorkspaces)
	}
	e.plan()
	return e, nil
}

// Options returns the options of the estate, defaults filled in.
func (e *Estate) Options() Options { return e.opts }

// Faults returns the injected faults, by spoke.
func (e *Estate) Faults() []Fault { return slices.Clone(e.faults) }

// WorkspaceFQDNs returns the API name of each workspace
// ("<workspaceId>.workspace.westeurope.api.azureml.ms").
func (e *Estate) WorkspaceFQDNs() []string {
	var out []string
	for _, w := range e.workspaces {
		out = append(out, w.guid+".workspace."+location+".api.azureml.ms")
	}
	return out
}

// VNetID returns the ARM ID of spoke i's VNet.
func (e *Estate) VNetID(i int) string { return spokeVNetID(i) }

func (e *Estate) plan() {
	n := e.opts.Spokes
	seed := e.opts.Seed
	e.spokes = make([]spoke, n)
	dnsOff, peOff := int(seed%25), int(seed/25%10)
	for i := range e.spokes {
		r := rand.New(rand.NewPCG(seed, uint64(i)<<1))
		s := &e.spokes[i]
		s.hub = i * e.hubs / max(n, 1)
		s.azureDNS = (i+dnsOff)%25 == 0
		s.pe = (i+peOff)%10 == 0
		s.noProp = r.IntN(3) == 0
		s.locked = r.IntN(3) == 0
		s.tagRoutes = r.IntN(5) < 2
		s.private = !s.tagRoutes && r.IntN(4) == 0
		s.svcEndpoint = r.IntN(6) == 0
		s.peNSG = r.IntN(4) == 0
		s.rules = 30 + r.IntN(31)
		s.nics = 1 + r.IntN(2)
		s.ws = -1
		s.seed = r.Uint64()
	}
	g := rand.New(rand.NewPCG(seed, 0x5eed_e57a7e))

	// Workspaces: spokes with private endpoints (others when there are
	// fewer), spread over the hubs in the transit shape.
	var peSpokes []int
	for i, s := range e.spokes {
		if s.pe {
			peSpokes = append(peSpokes, i)
		}
	}
	nws := min(e.opts.Workspaces, n)
	var chosen []int
	for k := range nws {
		// prefer a private-endpoint spoke of hub k % hubs
		var pool []int
		for _, i := range peSpokes {
			if e.spokes[i].hub == k%e.hubs && !slices.Contains(chosen, i) {
				pool = append(pool, i)
			}
		}
		if len(pool) == 0 {
			for i := range n {
				if !slices.Contains(chosen, i) {
					pool = append(pool, i)
				}
			}
		}
		chosen = append(chosen, pool[g.IntN(len(pool))])
	}
	for k, i := range chosen {
		s := &e.spokes[i]
		s.pe, s.ws = true, k
		e.workspaces = append(e.workspaces, workspace{
			spoke: i,
			name:  "mlw-" + spokeName(i)[len("spoke-"):],
			guid:  guid(g.Uint64(), g.Uint64()),
		})
	}

	// Faults: at least one of each kind, then one per hundred spokes, in
	// spokes that hold no workspace.
	var candidates []int
	for i, s := range e.spokes {
		if s.ws < 0 {
			candidates = append(candidates, i)
		}
	}
	kinds := FaultKinds()
	g.Shuffle(len(kinds), func(a, b int) { kinds[a], kinds[b] = kinds[b], kinds[a] })
	count := min(max(len(kinds), n/100), len(candidates))
	g.Shuffle(len(candidates), func(a, b int) { candidates[a], candidates[b] = candidates[b], candidates[a] })
	faulty := slices.Clone(candidates[:count])
	for k, i := range faulty {
		e.spokes[i].fault = kinds[k%len(kinds)]
		if e.spokes[i].fault == FaultZoneNotLinked {
			e.spokes[i].azureDNS = true
		}
	}
	slices.Sort(faulty)
	for _, i := range faulty {
		e.faults = append(e.faults, e.describe(i))
	}
}

// describe returns the fault of spoke i.
func (e *Estate) describe(i int) Fault {
	s := e.spokes[i]
	f := Fault{Kind: s.fault, Spoke: i, VNet: spokeVNetID(i)}
	ws := e.WorkspaceFQDNs()
	switch s.fault {
	case FaultZoneNotLinked:
		f.Resource = zoneID("privatelink.api.azureml.ms")
		f.Detail = fmt.Sprintf("%s uses Azure-provided DNS and privatelink.api.azureml.ms is not linked to it", spokeVNetName(i))
		for _, w := range ws {
			f.Expect = append(f.Expect, Expectation{w, "private-endpoint-bypassed"})
		}
	case FaultFirewallRuleMissing:
		f.Resource = ipGroupSpokesID
		f.Detail = fmt.Sprintf("%s (%s) is missing from IP group ipg-spokes, the source of the firewall's rules", spokeVNetName(i), spokePrefix(i))
		f.Expect = []Expectation{{"login.microsoftonline.com", "denied-by-firewall"}, {"management.azure.com", "denied-by-firewall"}}
	case FaultPeeringDisconnected, FaultPeeringInitiated:
		state := "Disconnected"
		if s.fault == FaultPeeringInitiated {
			state = "Initiated"
		}
		f.Resource = spokeVNetID(i) + "/virtualNetworkPeerings/peer-to-" + hubName(s.hub)
		f.Detail = fmt.Sprintf("the peering of %s with %s is %s: the hub's half is missing", spokeVNetName(i), hubVNetName(s.hub), state)
		f.Expect = []Expectation{{"tag:AzureMonitor", "blocked-by-peering"}}
		if s.azureDNS {
			f.Expect = append(f.Expect, Expectation{"management.azure.com", "blocked-by-peering"})
		} else {
			f.Expect = append(f.Expect, Expectation{"management.azure.com", "dns-unresolved"})
		}
	case FaultNoneRoute:
		w := e.workspaces[0]
		f.Resource = routeTableID(i) + "/routes/to-" + spokeName(w.spoke)
		f.Detail = fmt.Sprintf("route table %s sends %s (%s, which holds the private endpoint of %s) to None", routeTableName(i), spokePrefix(w.spoke), spokeVNetName(w.spoke), w.name)
		f.Expect = []Expectation{{ws[0], "blackhole"}}
	case FaultNSGDenyARM:
		f.Resource = nsgID(i) + "/securityRules/DenyAzureResourceManagerOutbound"
		f.Detail = fmt.Sprintf("NSG %s denies AzureResourceManager outbound at priority 115, before its allow rules", nsgName(i))
		f.Expect = []Expectation{{"management.azure.com", "denied-by-nsg"}}
	}
	return f
}

// guid formats two random words as a version-4 GUID.
func guid(a, b uint64) string {
	var g [36]byte
	return string(appendGUID(g[:0], a, b))
}

func appendGUID(dst []byte, a, b uint64) []byte {
	hex := func(v uint64, digits int) {
		for i := digits - 1; i >= 0; i-- {
			dst = append(dst, "0123456789abcdef"[v>>(4*i)&0xf])
		}
	}
	hex(a>>32, 8)
	dst = append(dst, '-')
	hex(a>>16&0xffff, 4)
	dst = append(dst, '-')
	hex(0x4000|a&0xfff, 4)
	dst = append(dst, '-')
	hex(0x8000|b>>48&0x3fff, 4)
	dst = append(dst, '-')
	hex(b&0xffffffffffff, 12)
	return dst
}

// errNotEmpty is returned by WriteDir for a directory that holds files.
var errNotEmpty = errors.New("directory is not empty")

// --- address plan ---

func addrFrom(v uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

func spokeBase(i int) uint32 { return 10<<24 | uint32(i)<<9 }

func spokePrefix(i int) string { return pfx(spokeBase(i), 23) }

func hubBase(k int) uint32 { return 172<<24 | 16<<16 | uint32(k)<<12 }

func hubPrefix(k int) string { return pfx(hubBase(k), 20) }

func pfx(v uint32, bits int) string { return netip.PrefixFrom(addrFrom(v), bits).String() }

func ip(v uint32) string { return addrFrom(v).String() }

var (
	fwIP       = ip(hubBase(0) + 4)
	resolverIP = ip(hubBase(0) + 100)
	jumpIP     = ip(hubBase(0) + 256 + 4)
)

// nvaIP returns the address of appliance j (0 or 1) of hub k ≥ 1.
func nvaIP(k, j int) string { return ip(hubBase(k) + 4 + uint32(j)) }
