package engine

import (
	"slices"
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/topology"
)

// Diagnosis: who is to blame for a denied part (the NSG rule, the firewall
// rule or its absence) as a typed blocker with its fix, and, at the end of
// a check, the result: the verdict of the first part that fails, every
// blocker and fix of every part, the path made into answer hops, and the
// sentences, made once from the data.

// nsgBlocker is the blocker of an NSG that denies part of a flow, with the
// allow rule that lifts it.
func (w *walker) nsgBlocker(nsg *topology.NSG, dir topology.Direction, v nsgVerdict) blocker {
	b := w.blocker(answer.DeniedByNSG, answer.CauseNSGDefaultDenies, v.dst)
	b.Resource = nsg.ID
	b.Source = describeAddrs(v.src)
	b.Destination = w.ruleTarget(v.dst)
	var deny *topology.SecurityRule
	if len(v.deciding) > 0 {
		cr := v.deciding[0]
		ref := *cr.ref
		b.Rule, deny = &ref, cr.rule
		if !cr.rule.Default {
			b.Cause = answer.CauseNSGRuleDenies
		} else {
			side, allow := v.dst, "AllowVnetOutBound"
			if dir == topology.DirectionInbound {
				side, allow = v.src, "AllowVnetInBound"
			}
			b.Data = map[string]string{"outside": describeAddrs(side)}
			if !side.isSym() && privateRanges.ContainsSet(side.set) {
				b.Data["vnetRule"] = allow
			}
		}
	}
	b.fix = func() *answer.Fix { return w.e.fixNSGAllow(nsg, dir, deny, v.src, v.dst, w.dst, w.f) }
	return b
}

// firewallBlocker is the blocker of a firewall that denies part of a flow,
// with the rule that would allow it.
func (w *walker) firewallBlocker(c *compiledFW, d fwDecision) blocker {
	b := w.blocker(answer.DeniedByFirewall, answer.CauseFirewallNoRule, d.dst)
	b.Resource = c.fw.ID
	b.Source = describeAddrs(d.src)
	b.Destination = w.ruleTarget(d.dst)
	b.Data = map[string]string{}
	if c.policyID != "" {
		b.Data["policy"] = c.label
	}
	if w.f.fqdn != "" {
		b.Data["fqdn"] = w.f.fqdn
	}
	if d.rule != nil {
		ref := *d.rule.ref
		b.Cause, b.Rule = answer.CauseFirewallRuleDenies, &ref
	}
	b.fix = func() *answer.Fix { return w.e.fixFirewallAllow(c, d.rule, d.src, d.dst, w.dst, w.f) }
	return b
}

// arrivalKey is what the sentence of an arrival depends on (see arrival):
// the cause, the destination as label names it, what was reached, the one
// device passed and the egress.
type arrivalKey struct {
	cause   answer.Cause
	dst     cidr.Key
	sym     string
	tag     string // the check's tag, when label names the destination by it
	what    string
	through string
	egress  answer.Egress
}

// arrival explains how an outcome arrived. The sentences repeat across the
// sources of a run (every spoke reaching a service through the hub
// firewall gets the same one), so the shared path memoises them.
func (w *walker) arrival(o *outcome) string {
	// A replayed walk's only outcome arrives the same way for every check
	// of the walk's flow, except where a member of a class leaves for the
	// Internet on its own (memberEgress names the member): the kept walk
	// holds its sentence, which saves the lookup below per answer.
	m := w.kept
	if m == nil || len(w.outcomes) != 1 || o != &w.outcomes[0] || w.cls != nil && ownEgress(o.st.egress, o.st.hops, w.cls.rep) {
		return w.arrivalShared(o)
	}
	m.mu.Lock()
	s := m.arrival
	m.mu.Unlock()
	if s == "" {
		s = w.arrivalShared(o)
		m.mu.Lock()
		m.arrival = s
		m.mu.Unlock()
	}
	return s
}

// arrivalShared is arrival, memoised per run by what the sentence depends
// on.
func (w *walker) arrivalShared(o *outcome) string {
	dst := o.st.dst
	if w.e.in == nil || len(o.st.devices) > 1 || !dst.isSym() && !w.e.in.Interned(dst.set) {
		return w.arrivalText(o)
	}
	k := arrivalKey{cause: o.end.cause, dst: dst.set.Key(), sym: dst.sym, what: o.end.what}
	if dst.isSym() || dst.equal(w.dst) {
		k.tag = w.f.tag
	}
	if len(o.st.devices) == 1 {
		k.through = o.st.devices[0].name
	}
	if o.end.cause == answer.CauseLeftAzure {
		if g := w.memberEgress(o.st.egress, o.st.hops); g != nil {
			k.egress = *g
		}
	}
	if s, ok := w.e.arrivals.Load(k); ok {
		return s
	}
	s := w.arrivalText(o)
	w.e.arrivals.Store(k, s)
	return s
}

// arrivalText writes the sentence of an arrival.
func (w *walker) arrivalText(o *outcome) string {
	b := answer.Blocker{Verdict: answer.Reachable, Cause: o.end.cause, Destination: w.label(o.st.dst)}
	switch o.end.cause {
	case answer.CauseDelivered:
		b.Data = map[string]string{"to": o.end.what}
		if len(o.st.devices) > 0 {
			names := make([]string, len(o.st.devices))
			for i, d := range o.st.devices {
				names[i] = d.name
			}
			b.Data["through"] = strings.Join(names, ", ")
		}
	case answer.CauseLeftAzure:
		b.Egress = w.memberEgress(o.st.egress, o.st.hops)
	case answer.CauseServiceEndpoint:
		b.Data = map[string]string{"subnet": o.end.what}
	case answer.CauseHandedToGateway:
		b.Data = map[string]string{"gateway": o.end.what}
	case answer.CausePlatform:
		b.Data = map[string]string{"name": o.end.what}
	}
	return answer.Explain(b)
}

// reason returns the verdict and the sentence of an outcome.
func (w *walker) reason(o *outcome) (answer.Verdict, string) {
	v, b := o.decider()
	if b == nil {
		return v, w.arrival(o)
	}
	return v, answer.Explain(b.Blocker)
}

// answerHops makes answer hops of the walk's hops and steps: references
// for the rules, peerings and translations of the steps (devices are those
// the path passed), and the labels of the rules that matched. Steps, rules
// and references of all hops share one allocation each.
func (w *walker) answerHops(hs []hop, steps []step, devices []device) []answer.Hop {
	if len(hs) == 0 {
		return nil
	}
	out := make([]answer.Hop, len(hs))
	for i := range hs {
		h := &hs[i]
		out[i] = answer.Hop{Node: h.node, Kind: h.kind, Name: h.name, Route: h.route, Action: actions[h.action]}
	}
	if w.cls != nil {
		// A class's walk: the first hop is the source's own subnet.
		out[0].Node, out[0].Name = w.srcCtx.sn.ID, w.srcCtx.name
	}
	var nrules, nlabels, npeer, nsnat int
	for i := range steps {
		switch s := &steps[i]; {
		case s.nsgRule != nil, s.fwRule != nil:
			nlabels++
		case s.typ == stNSGRule:
			nrules++
			nlabels++
		case s.peering != nil:
			npeer++
		case s.typ == stSNAT:
			nsnat++
		}
	}
	all := make([]answer.Step, len(steps))
	labels := make([]string, 0, nlabels)
	rules := make([]answer.RuleRef, 0, nrules)
	peerings := make([]answer.PeeringRef, 0, npeer)
	snats := make([]answer.SNATRef, 0, nsnat)
	first, firstRule := 0, 0
	flush := func(upto int) {
		if first < len(steps) && first < upto {
			h := &out[steps[first].hop]
			h.Steps = all[first:upto:upto]
			if len(labels) > firstRule {
				h.Rules = labels[firstRule:len(labels):len(labels)]
			}
		}
		first, firstRule = upto, len(labels)
	}
	for j := range steps {
		s := &steps[j]
		if j > first && s.hop != steps[first].hop {
			flush(j)
		}
		as := answer.Step{Type: stepTypes[s.typ], Action: actions[s.action], Route: s.route}
		var rule *answer.RuleRef
		switch {
		case s.nsgRule != nil:
			rule = s.nsgRule.ref
		case s.fwRule != nil:
			rule = s.fwRule.ref
		case s.typ == stNSGRule:
			rules = append(rules, answer.RuleRef{Label: s.text, Kind: answer.RuleNSG})
			rule = &rules[len(rules)-1]
		case s.typ == stFirewallRule:
			as.Note = "no rule matches; Azure Firewall denies by default"
		case s.peering != nil:
			peerings = append(peerings, *peeringRef(s.peering))
			as.Peering = &peerings[len(peerings)-1]
		case s.typ == stSNAT:
			var from, to string
			if int(s.dev) < len(devices) {
				d := &devices[s.dev]
				if w.srcCtx != nil && (d.orig.equal(concrete(w.srcCtx.self)) || w.cls != nil && d.orig.equal(w.cls.set)) {
					from = w.srcCtx.selfStr
				} else {
					from = d.orig.String()
				}
				if d.fw != nil {
					to = d.fw.privateStr
				}
			}
			snats = append(snats, answer.SNATRef{From: from, To: to})
			as.SNAT = &snats[len(snats)-1]
		case s.egress != nil:
			as.Egress = w.memberEgress(s.egress, hs)
		default:
			as.Note = s.text
		}
		if rule != nil {
			as.Rule = rule
			if !slices.Contains(labels[firstRule:], rule.Label) {
				labels = append(labels, rule.Label)
			}
		}
		all[j] = as
	}
	flush(len(steps))
	return out
}

// assemble turns the walk's outcomes into a result: the verdict of the
// first part that fails (in address order), every blocker and fix of every
// part, and the parts themselves when the destination split. Sentences are
// made here, from the data, and only for what the result shows.
func (w *walker) assemble(res *answer.Result, d destination) {
	if len(w.outcomes) == 0 {
		b := answer.Blocker{Verdict: answer.Blackhole, Cause: answer.CauseNoPath,
			Fix: unpatchable(answer.FixReviewRouting, res.Source, "report the snapshot")}
		w.addBlocker(res, blocker{Blocker: b})
		res.Verdict, res.Reason = answer.Blackhole, answer.Explain(b)
		return
	}
	primary := 0
	for i := range w.outcomes {
		if v, _ := w.outcomes[i].decider(); v != answer.Reachable {
			primary = i
			break
		}
	}
	o := &w.outcomes[primary]
	res.Verdict, res.Reason = w.reason(o)
	res.Reachable = res.Verdict.IsReachable()
	hops := w.hops
	if hops == nil {
		hops = w.answerHops(o.st.hops, o.st.steps, o.st.devices)
	}
	res.Hops = hops
	if len(o.st.blockers) > 0 {
		// The path ends where the first blocker stopped the packet; what
		// follows is where it would go once the blockers are lifted.
		cut := min(o.st.blockers[0].Hop+1, len(hops))
		res.Hops, res.Then = hops[:cut], hops[cut:]
		if len(res.Then) == 0 {
			res.Then = nil
		}
	}
	switch res.Verdict {
	case answer.Reachable, answer.ReturnPathBroken:
		res.Egress = w.memberEgress(o.st.egress, o.st.hops)
	}
	for i := range w.outcomes {
		oc := &w.outcomes[i]
		if oc.ret != nil && oc.retBlock != nil {
			oc.ret.Reason = answer.Explain(oc.retBlock.Blocker)
		}
	}
	if o.ret != nil {
		res.ReturnPath = o.ret
	}
	if d.bypass != nil {
		w.addBlocker(res, blocker{Blocker: *d.bypass})
		if res.Verdict == answer.Reachable || res.Verdict == answer.ReturnPathBroken {
			res.Verdict, res.Reachable = answer.PrivateEndpointBypassed, false
			res.Reason = answer.Explain(*d.bypass)
			res.Egress = w.memberEgress(o.st.egress, o.st.hops)
		}
	}
	for i := range w.outcomes {
		oc := &w.outcomes[i]
		for _, b := range oc.st.blockers {
			w.addBlocker(res, b)
		}
		if oc.ret != nil && !oc.ret.OK && oc.retBlock != nil && len(oc.st.blockers) == 0 {
			w.addBlocker(res, *oc.retBlock)
		}
	}
	if len(w.outcomes) > 1 {
		for i := range w.outcomes {
			oc := &w.outcomes[i]
			v, why := w.reason(oc)
			p := answer.Part{Destinations: oc.st.dst.String(), Verdict: v, Reason: why, Hops: w.answerHops(oc.st.hops, oc.st.steps, oc.st.devices)}
			if !oc.st.origSrc.equal(w.outcomes[0].st.origSrc) {
				p.Sources = oc.st.origSrc.String()
			}
			res.Parts = append(res.Parts, p)
		}
		slices.SortStableFunc(res.Parts, func(a, b answer.Part) int {
			if (a.Verdict == answer.Reachable) != (b.Verdict == answer.Reachable) {
				if a.Verdict == answer.Reachable {
					return 1
				}
				return -1
			}
			return 0
		})
	}
	if w.cut {
		res.Warnings = append(res.Warnings, "the destination split into more than "+strconv.Itoa(maxOutcomes)+" parts; the rest were not followed")
	}
	res.Warnings = append(res.Warnings, w.notes.list...)
	res.Assumptions = append(res.Assumptions, w.assume.list...)
	if !res.Reachable && len(res.Fixes) == 0 {
		res.Fixes = []answer.Fix{{Resource: res.Source, Change: "none found", Kind: answer.FixReviewRouting,
			Text: "no single change was identified; see the reason and hops"}}
	}
}

// addBlocker adds a blocker to the result unless the same one (same
// cause, resource, sides and hop) is there, and its fix unless the same
// change is.
func (w *walker) addBlocker(res *answer.Result, pb blocker) {
	for _, x := range res.Blockers {
		if x.Cause == pb.Cause && x.Resource == pb.Resource && x.Source == pb.Source && x.Destination == pb.Destination && x.Hop == pb.Hop {
			return
		}
	}
	b := pb.done()
	if b.Fix != nil {
		f := *b.Fix
		f.Text = answer.FixText(f, b)
		b.Fix = &f
		if !slices.ContainsFunc(res.Fixes, func(x answer.Fix) bool { return x.Resource == f.Resource && x.Change == f.Change && x.Kind == f.Kind }) {
			res.Fixes = append(res.Fixes, f)
		}
	}
	for _, id := range b.Missing {
		if !slices.Contains(res.Missing, id) {
			res.Missing = append(res.Missing, id)
		}
	}
	res.Blockers = append(res.Blockers, b)
}
