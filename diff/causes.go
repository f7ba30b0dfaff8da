package diff

import (
	"slices"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/topology"
)

// causes finds, for a changed answer, the changed resources it depends on.
type causes struct {
	before, after *engine.Engine
	bloc, aloc    *locator
	changes       []ResourceChange
	affected      map[string][]string // change key -> locations, computed on first use
}

func newCauses(b *Baseline, after *engine.Engine, aloc *locator, changes []ResourceChange) *causes {
	return &causes{before: b.eng, after: after, bloc: b.loc, aloc: aloc, changes: changes,
		affected: map[string][]string{}}
}

// contentChild lists the child types whose change is a change of their
// parent's behaviour: a route of a table the path used, a rule of a
// policy, a link or record of the zone that answered.
var contentChild = map[string]bool{}

func init() {
	for _, t := range []string{topology.TypeRoute, topology.TypeSecurityRule, topology.TypeRuleCollectionGroup,
		topology.TypeDNSRecordA, topology.TypeDNSRecordAAAA, topology.TypeDNSRecordCNAME, topology.TypeZoneLink,
		topology.TypeInboundEndpoint, topology.TypeOutboundEndpoint, topology.TypeForwardingRule, topology.TypeRulesetLink} {
		contentChild[strings.ToLower(t)] = true
	}
}

// of returns the IDs of the changed resources the answers before (br) and
// after (ar) depend on: a resource an answer names (a hop, a route's
// origin, a rule, a peering, the zone that answered, ...), a parent of one
// (the VNet of a subnet on the path), or a child of one that is part of
// its behaviour (a route of a route table the path used, a link of the
// zone that answered). When none qualifies, the changed resources that
// affect a place either answer touched are given instead.
func (c *causes) of(q engine.Query, br, ar *answer.Result) []string {
	deps := map[string]bool{}
	above := map[string]bool{} // parents of the dependencies
	addDeps := func(e *engine.Engine, r *answer.Result) {
		if r == nil {
			return
		}
		for _, id := range e.DependsOn(r) {
			k := topology.Key(id)
			deps[k] = true
			for p := topology.Parent(k); p != ""; p = topology.Parent(p) {
				above[topology.Key(p)] = true
			}
		}
	}
	addDeps(c.before, br)
	addDeps(c.after, ar)
	var out []string
	for _, ch := range c.changes {
		k := topology.Key(ch.ID)
		if deps[k] || above[k] {
			out = append(out, ch.ID)
			continue
		}
		if contentChild[strings.ToLower(ch.Type)] {
			for p := topology.Parent(k); p != ""; p = topology.Parent(p) {
				if deps[topology.Key(p)] {
					out = append(out, ch.ID)
					break
				}
			}
		}
	}
	if len(out) > 0 {
		return out
	}
	touched := map[string]bool{}
	if br != nil {
		for _, l := range c.bloc.touched(c.before, q, br) {
			touched[l] = true
		}
	}
	if ar != nil {
		for _, l := range c.aloc.touched(c.after, q, ar) {
			touched[l] = true
		}
	}
	for _, ch := range c.changes {
		k := topology.Key(ch.ID)
		locs, ok := c.affected[k]
		if !ok {
			locs = affected(c.bloc, c.aloc, ch.ID)
			c.affected[k] = locs
		}
		if slices.ContainsFunc(locs, func(l string) bool { return touched[l] || l == everything }) {
			out = append(out, ch.ID)
		}
	}
	if out == nil {
		out = []string{}
	}
	return out
}
