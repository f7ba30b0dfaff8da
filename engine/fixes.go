package engine

import (
	"fmt"
	"strings"

	"github.com/vnetpath/vnetpath/topology"
)

// describeAddrs renders an address side for a sentence, shortening long
// lists.
func describeAddrs(a addrs) string {
	if a.isSym() {
		return "service tag " + a.sym
	}
	ps := a.set.Prefixes()
	parts := make([]string, 0, 4)
	for i, p := range ps {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(ps)-3))
			break
		}
		if p.IsSingleIP() {
			parts = append(parts, p.Addr().String())
		} else {
			parts = append(parts, p.String())
		}
	}
	return strings.Join(parts, ", ")
}

// ruleTarget names the destination the way a rule would: the tag, the
// check's name, or the addresses.
func (w *walker) ruleTarget(dst addrs) string {
	if dst.isSym() {
		return "service tag " + dst.sym
	}
	if w.f.tag != "" {
		return "service tag " + w.f.tag
	}
	return describeAddrs(dst)
}

func (w *walker) flowText() string {
	if w.f.proto == ICMP {
		return "ICMP"
	}
	return fmt.Sprintf("%s %d", strings.ToUpper(string(w.f.proto)), w.f.port)
}

// nsgDenied explains an NSG deny and the change that lifts it.
func (w *walker) nsgDenied(nsg *topology.NSG, dir topology.Direction, v nsgVerdict, st state) (string, string) {
	dirWord := strings.ToLower(string(dir))
	target := w.ruleTarget(v.dst)
	from := describeAddrs(v.src)
	if len(v.deciding) == 0 {
		return fmt.Sprintf("NSG %s drops %s %s", nsg.Name, w.flowText(), dirWord),
			fmt.Sprintf("allow %s %s from %s to %s in NSG %s", w.flowText(), dirWord, from, target, nsg.Name)
	}
	r := v.deciding[0].rule
	if r.Default {
		fix := fmt.Sprintf("add an %s Allow rule to NSG %s for %s from %s to %s (priority below 65000)", dirWord, nsg.Name, w.flowText(), from, target)
		side := v.dst
		if dir == topology.DirectionInbound {
			side = v.src
		}
		if !side.isSym() && privateRanges.ContainsSet(side.set) {
			allowVnet := "AllowVnetOutBound"
			if dir == topology.DirectionInbound {
				allowVnet = "AllowVnetInBound"
			}
			fix += fmt.Sprintf("; a user route or peering that reaches %s also adds it to the VirtualNetwork tag, which the default rule %s allows", describeAddrs(side), allowVnet)
		}
		return fmt.Sprintf("NSG %s has no rule allowing %s %s from %s to %s; its default rule %s drops it (%s is outside the subnet's VirtualNetwork tag)", nsg.Name, dirWord, w.flowText(), from, target, r.Name, describeAddrs(side)),
			fix
	}
	return fmt.Sprintf("NSG %s rule %s (priority %d, %s, Deny) drops %s from %s to %s", nsg.Name, r.Name, r.Priority, dir, w.flowText(), from, target),
		fmt.Sprintf("in NSG %s, remove or narrow rule %s, or allow %s %s to %s with a rule of priority below %d", nsg.Name, r.Name, dirWord, w.flowText(), target, r.Priority)
}

// firewallDenied explains a firewall deny and the rule that would allow the
// flow.
func (w *walker) firewallDenied(c *compiledFW, st state, d fwDecision) (string, string) {
	owner := "firewall " + c.fw.Name
	where := "firewall " + c.fw.Name + "'s classic rules"
	if c.policyID != "" {
		owner = fmt.Sprintf("firewall %s (policy %s)", c.fw.Name, c.label)
		where = "policy " + c.label
	}
	target := w.ruleTarget(d.dst)
	if w.f.fqdn != "" {
		target += " (" + w.f.fqdn + ")"
	}
	from := describeAddrs(d.src)
	if d.rule != "" {
		return fmt.Sprintf("%s denies %s from %s to %s with rule %s", owner, w.flowText(), from, target, d.rule),
			fmt.Sprintf("in %s, change rule %s or allow %s to %s in a collection evaluated before it", where, d.rule, w.flowText(), target)
	}
	reason := fmt.Sprintf("%s has no rule allowing %s from %s to %s; Azure Firewall denies what no rule allows", owner, w.flowText(), from, target)
	fix := fmt.Sprintf("add to %s a network rule allowing %s from %s to %s", where, w.flowText(), from, w.ruleTarget(d.dst))
	if w.f.fqdn != "" && w.f.proto == TCP && (w.f.port == 443 || w.f.port == 80) {
		scheme := "Https"
		if w.f.port == 80 {
			scheme = "Http"
		}
		fix += fmt.Sprintf(", or an application rule allowing %s:%d to %s", scheme, w.f.port, w.f.fqdn)
	}
	return reason, fix
}
