package render

import (
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
)

// verdictCodes are the short codes of the summary matrix: three columns
// at most, so that sixteen endpoints and a source name fit in 100.
var verdictCodes = map[answer.Verdict]string{
	answer.Reachable:               "✓",
	answer.DeniedByNSG:             "NSG",
	answer.DeniedByFirewall:        "FW",
	answer.BlockedByPeering:        "PER",
	answer.Blackhole:               "BH",
	answer.Loop:                    "LP",
	answer.NoEgress:                "EGR",
	answer.DNSUnresolved:           "DNS",
	answer.PrivateEndpointBypassed: "PEB",
	answer.ReturnPathBroken:        "RET",
	answer.Unknown:                 "?",
}

// VerdictCode returns the short code of v in the summary matrix: ✓ for
// reachable, else at most three letters ("NSG" for denied-by-nsg, "PEB"
// for private-endpoint-bypassed). A verdict this package does not know
// gets the initials of its words.
func VerdictCode(v answer.Verdict) string {
	if c, ok := verdictCodes[v]; ok {
		return c
	}
	var b strings.Builder
	for w := range strings.SplitSeq(string(v), "-") {
		if w != "" && b.Len() < 3 {
			b.WriteString(strings.ToUpper(w[:1]))
		}
	}
	if b.Len() == 0 {
		return "?"
	}
	return b.String()
}

// routeLabel is "prefix → type ip (source name)".
func routeLabel(r *answer.RouteRef) string {
	s := r.AddressPrefix + " → " + string(r.NextHopType)
	if r.NextHopIPAddress != "" {
		s += " " + r.NextHopIPAddress
	}
	s += " (" + r.Source
	if r.Name != "" {
		s += " " + r.Name
	}
	return s + ")"
}

// routeShort is "prefix → type ip", for edge labels.
func routeShort(r *answer.RouteRef) string {
	s := r.AddressPrefix + " → " + string(r.NextHopType)
	if r.NextHopIPAddress != "" {
		s += " " + r.NextHopIPAddress
	}
	return s
}

// egressLabel is "51.105.10.20 (natGateway)", or the method alone when
// Azure picks the address.
func egressLabel(e *answer.Egress) string {
	if e.PublicIP == "" {
		return "an address Azure chooses (" + string(e.Method) + ")"
	}
	return e.PublicIP + " (" + string(e.Method) + ")"
}

// stepLabel says what a step did, from its type and details: "route
// 0.0.0.0/0 → Internet (Default)", "rule nsg-a/deny-arm: denied", "snat
// 10.1.1.0/24 → 10.0.1.4". A step type this package does not know is
// named by its type, note and action.
func stepLabel(s answer.Step) string {
	var l string
	switch s.Type {
	case answer.StepRoute:
		if s.Route != nil {
			l = "route " + routeLabel(s.Route)
		}
	case answer.StepNSGRule, answer.StepFirewallRule:
		switch {
		case s.Rule != nil:
			l = "rule " + s.Rule.Label
			if s.Rule.Priority != 0 && s.Rule.Kind == answer.RuleNSG {
				l += " (priority " + strconv.Itoa(s.Rule.Priority) + ")"
			}
		case s.Type == answer.StepFirewallRule:
			l = "no firewall rule matches"
		}
	case answer.StepSNAT:
		if s.SNAT != nil {
			l = "snat " + s.SNAT.From + " → " + s.SNAT.To
		}
	case answer.StepPeering:
		if s.Peering != nil {
			l = "peering " + topology.NameOf(s.Peering.ID)
			if s.Peering.State != "" {
				l += " (" + string(s.Peering.State) + ")"
			}
		}
	case answer.StepEgress:
		if s.Egress != nil {
			l = "egress " + egressLabel(s.Egress)
		}
	}
	if l == "" {
		l = string(s.Type)
		if s.Note != "" {
			l = s.Note
		}
	} else if s.Note != "" && s.Type != answer.StepFirewallRule {
		l += "; " + s.Note
	}
	if s.Action != "" && s.Type != answer.StepRoute && s.Type != answer.StepSNAT && s.Type != answer.StepEgress {
		l += ": " + string(s.Action)
	}
	return l
}

// stops reports whether an action stops the packet.
func stops(a answer.Action) bool {
	switch a {
	case answer.ActionDenied, answer.ActionDropped, answer.ActionBlocked, answer.ActionRevisited:
		return true
	}
	return false
}

// blockerLabel names what stopped a flow in a few words, for an edge of
// a drawing: the rule, route, peering or resource that decided. Causes
// this package does not name specially get the verdict and the
// resource.
func blockerLabel(b answer.Blocker) string {
	switch b.Cause {
	case answer.CauseNSGRuleDenies, answer.CauseNSGDefaultDenies, answer.CauseFirewallRuleDenies:
		if b.Rule != nil {
			return "denied by " + b.Rule.Label
		}
	case answer.CauseFirewallNoRule:
		return "no rule of firewall " + topology.NameOf(b.Resource) + " allows it"
	case answer.CausePrivateEndpointBypassed:
		s := "resolves publicly, bypassing private endpoint " + b.Data["pe"]
		if ws := b.Data["workspace"]; ws != "" {
			s += " of workspace " + ws
		}
		if z := b.Data["zone"]; z != "" {
			s += " (zone " + z + ")"
		}
		return s
	case answer.CauseMissingResource:
		return "missing from the snapshot: " + strings.Join(names(b.Missing), ", ")
	}
	switch {
	case b.Peering != nil:
		s := "peering " + topology.NameOf(b.Peering.ID)
		if b.Peering.State != "" && b.Peering.State != topology.PeeringConnected {
			s += " " + string(b.Peering.State)
		}
		return s + " (" + string(b.Cause) + ")"
	case b.Route != nil:
		return string(b.Verdict) + " at route " + routeShort(b.Route)
	case b.Rule != nil:
		return string(b.Verdict) + " by " + b.Rule.Label
	case b.Resource != "":
		return string(b.Verdict) + " at " + topology.NameOf(b.Resource) + " (" + string(b.Cause) + ")"
	}
	return string(b.Verdict) + " (" + string(b.Cause) + ")"
}

func names(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = topology.NameOf(id)
	}
	return out
}

// endpoint names a result's destination with protocol and port:
// "management.azure.com tcp/443".
func endpoint(res *answer.Result) string {
	d := res.Destination
	if res.FQDN != "" && !strings.EqualFold(res.FQDN, res.Destination) {
		// A profile entry walked as a tag that a firewall sees by name.
		d += " (" + res.FQDN + ")"
	}
	if res.Protocol == "" {
		return d
	}
	if res.Port == 0 || strings.EqualFold(res.Protocol, "icmp") {
		return d + " " + res.Protocol
	}
	return d + " " + res.Protocol + "/" + strconv.Itoa(res.Port)
}

// outcome is the short form of how a reachable flow arrives: where it
// leaves Azure, or the reason.
func outcome(res *answer.Result) string {
	if res.Egress != nil && res.Egress.Method != answer.EgressServiceEndpoint {
		return "leaves through " + answer.DescribeEgress(*res.Egress)
	}
	return res.Reason
}

// hopTitle is "kind name".
func hopTitle(h answer.Hop) string {
	return string(h.Kind) + " " + h.DisplayName()
}
