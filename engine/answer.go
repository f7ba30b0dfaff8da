package engine

import (
	"encoding/json"
	"fmt"
)

// Verdict is the outcome of one check, one of the ten codes of SPEC §5.
type Verdict string

// The verdicts.
const (
	Reachable               Verdict = "reachable"
	DeniedByNSG             Verdict = "denied-by-nsg"
	DeniedByFirewall        Verdict = "denied-by-firewall"
	BlockedByPeering        Verdict = "blocked-by-peering"
	Blackhole               Verdict = "blackhole"
	Loop                    Verdict = "loop"
	NoEgress                Verdict = "no-egress"
	DNSUnresolved           Verdict = "dns-unresolved"
	PrivateEndpointBypassed Verdict = "private-endpoint-bypassed"
	ReturnPathBroken        Verdict = "return-path-broken"
)

// Verdicts lists every verdict in the order of SPEC §5.
func Verdicts() []Verdict {
	return []Verdict{Reachable, DeniedByNSG, DeniedByFirewall, BlockedByPeering, Blackhole, Loop,
		NoEgress, DNSUnresolved, PrivateEndpointBypassed, ReturnPathBroken}
}

// IsReachable reports whether v is [Reachable].
func (v Verdict) IsReachable() bool { return v == Reachable }

// IsValid reports whether v is one of the ten verdicts.
func (v Verdict) IsValid() bool {
	for _, x := range Verdicts() {
		if v == x {
			return true
		}
	}
	return false
}

// UnmarshalText accepts only the ten verdict codes.
func (v *Verdict) UnmarshalText(b []byte) error {
	x := Verdict(b)
	if !x.IsValid() {
		return fmt.Errorf("engine.Verdict: unknown verdict %q", string(b))
	}
	*v = x
	return nil
}

// Report is the answer of `vnetpath check`: the snapshot summary, the
// catalog used, warnings and one [Result] per source and destination. Its
// JSON form is SPEC §5.
type Report struct {
	Snapshot    SnapshotSummary `json:"snapshot"`
	ServiceTags *CatalogSummary `json:"serviceTags,omitempty"`
	Warnings    []string        `json:"warnings"`
	Results     []Result        `json:"results"`
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

// SnapshotSummary counts the resources loaded and skipped.
type SnapshotSummary struct {
	Resources int            `json:"resources"`
	Types     map[string]int `json:"types,omitempty"`
	Skipped   map[string]int `json:"skipped"`
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
// source; the last hop is where the verdict was decided; Reachable equals
// Verdict.IsReachable(); every result that is not reachable carries at
// least one fix; ReturnPath is present only for flows that arrive.
type Result struct {
	Source      string      `json:"source"`
	Destination string      `json:"destination"`
	Purpose     string      `json:"purpose,omitempty"`
	Workspace   string      `json:"workspace,omitempty"`
	Protocol    string      `json:"protocol"`
	Port        int         `json:"port"`
	Addresses   []string    `json:"addresses"`
	Reachable   bool        `json:"reachable"`
	Verdict     Verdict     `json:"verdict"`
	Reason      string      `json:"reason"`
	Egress      *Egress     `json:"egress,omitempty"`
	Hops        []Hop       `json:"hops"`
	Then        []Hop       `json:"then,omitempty"` // where the packet would go after the hop that stopped it, once the blockers are lifted
	ReturnPath  *ReturnPath `json:"returnPath,omitempty"`
	Fixes       []string    `json:"fixes"`
	DNS         *Resolution `json:"dns,omitempty"`
	Parts       []Part      `json:"parts,omitempty"`
	Assumptions []string    `json:"assumptions,omitempty"`
	Warnings    []string    `json:"warnings,omitempty"`
}

// Egress is where a flow leaves Azure for a public destination and which
// public address the destination sees.
type Egress struct {
	PublicIP string `json:"publicIP,omitempty"` // "" when Azure picks it (default outbound access) or it is unknown
	Via      string `json:"via"`                // the resource that provides it: firewall, NAT gateway, public IP, subnet
	Method   string `json:"method"`             // firewall, natGateway, instancePublicIP, applianceNIC, defaultOutbound, serviceEndpoint, gateway
}

// Hop is one node on a path: where the packet is, the route that took it
// onward, and the rules that decided.
type Hop struct {
	Node   string    `json:"node"`             // ARM ID of the node (subnet, firewall, NIC, private endpoint, gateway) or "Internet"
	Kind   string    `json:"kind"`             // subnet, nic, azureFirewall, virtualAppliance, privateEndpoint, gateway, internet, service, dnsResolver
	Name   string    `json:"name,omitempty"`   // short name
	Route  *RouteRef `json:"route,omitempty"`  // the route that chose the next hop
	Rules  []string  `json:"rules,omitempty"`  // NSG and firewall rules that matched here ("nsg-compute/AllowVnetOutBound")
	Action string    `json:"action,omitempty"` // what happened here: forwarded, delivered, denied, dropped, egress, snat
	Note   string    `json:"note,omitempty"`
}

// RouteRef is the route a hop used, in the shape of Azure's effective routes.
type RouteRef struct {
	AddressPrefix    string `json:"addressPrefix"`
	NextHopType      string `json:"nextHopType"`
	NextHopIPAddress string `json:"nextHopIpAddress,omitempty"`
	Source           string `json:"source"`
	Name             string `json:"name,omitempty"`
	Origin           string `json:"origin,omitempty"`
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

// MarshalJSON keeps Fixes and Hops as [] rather than null.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	p := plain(r)
	if p.Fixes == nil {
		p.Fixes = []string{}
	}
	if p.Hops == nil {
		p.Hops = []Hop{}
	}
	if p.Addresses == nil {
		p.Addresses = []string{}
	}
	return json.Marshal(p)
}

// MarshalJSON keeps Warnings and Results as [] rather than null.
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
