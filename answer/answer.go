package answer

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/vnetpath/vnetpath/topology"
)

// Report is the answer of `vnetpath check`: the snapshot summary, the
// catalog used, warnings and one [Result] per source and destination. Its
// JSON form is SPEC §5.
type Report struct {
	Snapshot    SnapshotSummary `json:"snapshot"`
	ServiceTags *CatalogSummary `json:"serviceTags,omitempty"`
	Warnings    []string        `json:"warnings"`
	// Profile says which list of endpoints an Azure ML profile checked and
	// the documentation it follows; nil when the report is not a profile.
	Profile *ProfileSource `json:"profile,omitempty"`
	// ManagedNetworks says, for each workspace whose compute runs in a
	// Microsoft-managed VNet, what its outbound rules allow.
	ManagedNetworks []ManagedNetwork `json:"managedNetworks,omitempty"`
	Results         []Result         `json:"results"`
}

// AllReachable reports whether every result is reachable (and there is at
// least one).
func (r *Report) AllReachable() bool {
	for _, x := range r.Results {
		if !x.Reachable {
			return false
		}
	}
	return len(r.Results) > 0
}

// MarshalJSON keeps Warnings, Results and Snapshot.Skipped as [] and {}
// rather than null.
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report
	p := plain(r)
	if p.Warnings == nil {
		p.Warnings = []string{}
	}
	if p.Results == nil {
		p.Results = []Result{}
	}
	if p.Snapshot.Skipped == nil {
		p.Snapshot.Skipped = map[string]int{}
	}
	return json.Marshal(p)
}

// SnapshotSummary counts the resources loaded and skipped, and lists the
// resources the snapshot references but does not hold.
type SnapshotSummary struct {
	Resources int               `json:"resources"`
	Types     map[string]int    `json:"types,omitempty"`
	Skipped   map[string]int    `json:"skipped"`
	Missing   []MissingResource `json:"missing,omitempty"`
}

// MissingResource is a resource something in the snapshot references (or
// declares) that the snapshot does not hold (SPEC §2).
type MissingResource struct {
	ID           string   `json:"id"`
	Type         string   `json:"type,omitempty"`
	ReferencedBy []string `json:"referencedBy,omitempty"`
	Export       string   `json:"export,omitempty"` // an az command that exports it
}

// CatalogSummary names the service-tag catalog used.
type CatalogSummary struct {
	Cloud        string `json:"cloud"`
	ChangeNumber int64  `json:"changeNumber"`
	Tags         int    `json:"tags"`
}

// Result is the answer for one source, destination, protocol and port.
//
// Invariants (checked by tests on every scenario): the first hop is the
// source; the last hop of Hops is where the verdict was decided; Reachable
// equals Verdict.IsReachable(); every result that is not reachable carries
// at least one fix and a reachable one none; ReturnPath is present only
// for flows that arrive; Reason and every Fix.Text are filled.
//
// Results of one run may share their hop lists (a source's checks of one
// flow under several names), their return paths and their addresses (a
// service tag's), as steps share their details: treat Hops, Then,
// ReturnPath and Addresses as read-only, and copy them to change them.
type Result struct {
	Source      string `json:"source"`
	Destination string `json:"destination"`
	Purpose     string `json:"purpose,omitempty"`
	Workspace   string `json:"workspace,omitempty"`
	// Workspaces lists every workspace whose profile needs this check, the
	// first being Workspace: an endpoint several workspaces share is
	// checked once per source.
	Workspaces []string `json:"workspaces,omitempty"`
	// FQDN and ServiceTag say how a profile entry's destination is known:
	// the name a firewall's application rules see and the tag whose
	// prefixes routes and NSGs see. Reference names the documentation the
	// entry follows.
	FQDN       string      `json:"fqdn,omitempty"`
	ServiceTag string      `json:"serviceTag,omitempty"`
	Reference  string      `json:"reference,omitempty"`
	Protocol   string      `json:"protocol"`
	Port       int         `json:"port"`
	Addresses  []string    `json:"addresses"`
	Reachable  bool        `json:"reachable"`
	Verdict    Verdict     `json:"verdict"`
	Reason     string      `json:"reason"` // Explain of the first blocker, or of how the flow arrived
	Egress     *Egress     `json:"egress,omitempty"`
	Hops       []Hop       `json:"hops"`           // the path up to the hop that stopped it
	Then       []Hop       `json:"then,omitempty"` // where the packet would go once the blockers are lifted
	ReturnPath *ReturnPath `json:"returnPath,omitempty"`
	Blockers   []Blocker   `json:"blockers,omitempty"` // every blocker on every part, in path order
	Fixes      []Fix       `json:"fixes"`              // one per blocker, deduplicated
	Missing    []string    `json:"missing,omitempty"`  // IDs an unknown answer depends on
	DNS        *Resolution `json:"dns,omitempty"`
	Parts      []Part      `json:"parts,omitempty"`
	// ConditionalAccess says, for a check of Entra ID with named locations
	// given, whether the egress public address is in a trusted one.
	ConditionalAccess *ConditionalAccess `json:"conditionalAccess,omitempty"`
	// ReverseLookups are the reverse lookups (PTR) of the addresses of a
	// workspace's private endpoints from the source, in a profile.
	ReverseLookups []ReverseLookup `json:"reverseLookups,omitempty"`
	Assumptions    []string        `json:"assumptions,omitempty"`
	Warnings       []string        `json:"warnings,omitempty"`
}

// MarshalJSON keeps Fixes, Hops and Addresses as [] rather than null.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	p := plain(r)
	if p.Fixes == nil {
		p.Fixes = []Fix{}
	}
	if p.Hops == nil {
		p.Hops = []Hop{}
	}
	if p.Addresses == nil {
		p.Addresses = []string{}
	}
	return json.Marshal(p)
}

// Egress is where a flow leaves Azure for a public destination and which
// public address the destination sees.
type Egress struct {
	PublicIP string       `json:"publicIP,omitempty"` // "" when Azure picks it (default outbound access) or it is unknown
	Via      string       `json:"via"`                // the resource that provides it: firewall, NAT gateway, NIC, subnet, gateway
	Method   EgressMethod `json:"method"`
}

// Hop is one node on a path: where the packet is, the route that took it
// onward, the rules that decided, and the steps that happened there.
type Hop struct {
	Node   string    `json:"node"` // ARM ID of the node (subnet, firewall, NIC, private endpoint, gateway, peering), or "Internet"
	Kind   HopKind   `json:"kind"`
	Name   string    `json:"name,omitempty"`   // short name
	Route  *RouteRef `json:"route,omitempty"`  // the route that chose the next hop
	Rules  []string  `json:"rules,omitempty"`  // labels of the NSG and firewall rules of Steps ("nsg-compute/AllowVnetOutBound")
	Action Action    `json:"action,omitempty"` // what happened here
	Steps  []Step    `json:"steps,omitempty"`  // what happened here, in order
}

// DisplayName returns Name, or the short name of Node.
func (h Hop) DisplayName() string {
	if h.Name != "" {
		return h.Name
	}
	return topology.NameOf(h.Node)
}

// Step is one thing that happened at a hop (the Batfish Trace → Hop → Step
// model): a route chose the next hop, a rule matched, the source was
// translated, a peering was crossed. Type says which detail is set. The
// details are pointers that may be shared with other steps and results
// (the engine hands out one RuleRef per rule): treat them as read-only.
type Step struct {
	Type    StepType    `json:"type"`
	Action  Action      `json:"action,omitempty"`
	Route   *RouteRef   `json:"route,omitempty"`
	Rule    *RuleRef    `json:"rule,omitempty"` // the NSG or firewall rule that matched; nil for a firewall's default deny
	Peering *PeeringRef `json:"peering,omitempty"`
	SNAT    *SNATRef    `json:"snat,omitempty"`
	Egress  *Egress     `json:"egress,omitempty"`
	Note    string      `json:"note,omitempty"` // only for what has no structure yet
}

// RouteRef is a route a hop used, in the shape of Azure's effective routes
// (SPEC §5 hops[].route).
type RouteRef struct {
	AddressPrefix    string               `json:"addressPrefix"` // the prefix (or service tag) that matched
	NextHopType      topology.NextHopType `json:"nextHopType"`
	NextHopIPAddress string               `json:"nextHopIpAddress,omitempty"`
	Source           string               `json:"source"` // Default, User or VirtualNetworkGateway
	Name             string               `json:"name,omitempty"`
	Origin           string               `json:"origin,omitempty"` // ARM ID of what created it (route table, peering, endpoint, gateway, VNet)
}

// RuleRef is an NSG rule or an Azure Firewall rule.
type RuleRef struct {
	ID         string             `json:"id,omitempty"`         // NSG rule ID; for a firewall, the rule collection group or firewall ID
	Owner      string             `json:"owner"`                // NSG, firewall policy or firewall ID
	Name       string             `json:"name,omitempty"`       // rule name
	Label      string             `json:"label"`                // "nsg-name/rule-name", "policy/group/collection/rule": what hops[].rules lists
	Collection string             `json:"collection,omitempty"` // firewall: "group/collection" (policy) or "collection" (classic)
	Kind       string             `json:"kind"`                 // nsg, network or application
	Priority   int                `json:"priority,omitempty"`   // NSG rule or firewall collection priority
	Direction  topology.Direction `json:"direction,omitempty"`  // NSG rules
	Access     topology.Access    `json:"access,omitempty"`
	Default    bool               `json:"default,omitempty"` // one of an NSG's default rules
}

// The kinds of [RuleRef].
const (
	RuleNSG         = "nsg"
	RuleNetwork     = "network"
	RuleApplication = "application"
)

// PeeringRef is one half of a VNet peering and the flags that decide what
// it carries (reference §2.1).
type PeeringRef struct {
	ID                        string                `json:"id"`
	Remote                    string                `json:"remote"` // ARM ID of the remote VNet
	State                     topology.PeeringState `json:"state,omitempty"`
	AllowVirtualNetworkAccess bool                  `json:"allowVirtualNetworkAccess"`
	AllowForwardedTraffic     bool                  `json:"allowForwardedTraffic"`
	AllowGatewayTransit       bool                  `json:"allowGatewayTransit"`
	UseRemoteGateways         bool                  `json:"useRemoteGateways"`
}

// SNATRef is a source translation: the addresses before and after.
type SNATRef struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// ReturnPath says whether replies come back.
type ReturnPath struct {
	OK     bool   `json:"ok"`
	Reason string `json:"reason,omitempty"`
	Hops   []Hop  `json:"hops,omitempty"`
}

// Part is one piece of a destination (or source) set whose outcome differs
// from other pieces: a tag or CIDR destination that routes or rules split.
type Part struct {
	Sources      string  `json:"sources,omitempty"`
	Destinations string  `json:"destinations"`
	Verdict      Verdict `json:"verdict"`
	Reason       string  `json:"reason"`
	Hops         []Hop   `json:"hops,omitempty"`
}

// Group is the results of one workspace (or none) and one source, for
// people reading a profile.
type Group struct {
	Workspace string // ID, "" for checks not from a profile
	Source    string
	Results   []Result
	Reachable int // how many results are reachable
}

// Summary returns "reaches N of M endpoints".
func (g Group) Summary() string {
	return fmt.Sprintf("reaches %d of %d endpoints", g.Reachable, len(g.Results))
}

// Groups groups the report's results by workspace and source, keeping the
// order in which they first appear. A result several workspaces share
// (Workspaces) is in the group of each.
func (r *Report) Groups() []Group {
	var out []Group
	for _, res := range r.Results {
		ws := res.Workspaces
		if len(ws) == 0 {
			ws = []string{res.Workspace}
		}
		for _, w := range ws {
			i := slices.IndexFunc(out, func(g Group) bool { return g.Workspace == w && g.Source == res.Source })
			if i < 0 {
				out = append(out, Group{Workspace: w, Source: res.Source})
				i = len(out) - 1
			}
			out[i].Results = append(out[i].Results, res)
			if res.Reachable {
				out[i].Reachable++
			}
		}
	}
	return out
}
