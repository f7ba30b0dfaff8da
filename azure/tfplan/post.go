package tfplan

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/vnetpath/vnetpath/azure/deploy"
)

// evaluate converts a set of instances (planned or prior) into a result.
func (ev *evaluator) evaluate(insts []*inst, planned bool) *deploy.Result {
	res := &deploy.Result{}
	var entries []*entry
	var patches []patch
	for _, in := range insts {
		t, ok := types[in.typ]
		if !ok || !isAzureRM(in.provider, in.typ) {
			res.Skip(in.typ)
			continue
		}
		c := &conv{ev: ev, in: in}
		var e *entry
		if t.arm != "" {
			id := c.resourceID(t)
			if c.err != nil {
				ev.errs = append(ev.errs, c.err)
				continue
			}
			if id == "" {
				ev.errs = append(ev.errs, &PlanError{File: ev.file, Path: in.path, Msg: fmt.Sprintf("%s: its id is not known before apply and cannot be built: %s", in.addr, c.missing)})
				continue
			}
			e = &entry{id: id, typ: t.arm, addr: in.addr, obj: map[string]any{"id": id, "name": lastSegment(id), "type": t.arm}}
			if known, _ := in.vals["id"].(string); known == "" {
				e.notes = append(e.notes, fmt.Sprintf("the ID of %s is not known before apply; it is built as Azure will name it, in subscription %s", in.addr, ev.sub))
			}
			c.missing = ""
		}
		extra, ps := t.convert(c, e)
		if c.err != nil {
			ev.errs = append(ev.errs, c.err)
			if e != nil {
				e.missing = "its plan values are malformed: " + c.err.Error()
			}
		}
		if e != nil {
			if e.missing == "" && c.missing != "" {
				e.missing = c.missing
			}
			e.notes = append(e.notes, c.notes...)
			entries = append(entries, e)
		}
		for i := range ps {
			ps[i].addr = in.addr
		}
		entries = append(entries, extra...)
		patches = append(patches, ps...)
	}
	entries = ev.assemble(entries, patches)
	for _, e := range entries {
		if e.missing != "" {
			res.Missing = append(res.Missing, deploy.Missing{ID: e.id, Type: e.typ, Reason: e.missing})
			continue
		}
		js, err := deploy.Marshal(e.obj)
		if err != nil {
			res.Missing = append(res.Missing, deploy.Missing{ID: e.id, Type: e.typ, Reason: err.Error()})
			continue
		}
		res.Resources = append(res.Resources, deploy.Resource{ID: e.id, Type: e.typ, JSON: js})
		for _, n := range e.notes {
			res.Assumptions = append(res.Assumptions, deploy.Assumption{ID: e.id, Text: n})
		}
	}
	return res
}

func lastSegment(id string) string {
	id = strings.TrimRight(id, "/")
	return id[strings.LastIndex(id, "/")+1:]
}

// parentID returns the ID of a child resource's parent, or "" for a
// top-level resource.
func parentID(id string) string {
	id = strings.TrimRight(id, "/")
	i := strings.LastIndex(strings.ToLower(id), "/providers/")
	if i < 0 {
		return ""
	}
	segs := strings.Split(id[i+len("/providers/"):], "/")
	if len(segs) < 5 {
		return ""
	}
	return id[:len(id)-len(segs[len(segs)-1])-len(segs[len(segs)-2])-2]
}

// shortID returns the names of an ARM ID joined with "/".
func shortID(id string) string {
	i := strings.LastIndex(strings.ToLower(id), "/providers/")
	if i < 0 {
		return id
	}
	segs := strings.Split(id[i+len("/providers/"):], "/")
	var names []string
	for j := 2; j < len(segs); j += 2 {
		names = append(names, segs[j])
	}
	return strings.Join(names, "/")
}

// assemble makes the entries consistent: one entry per ID, children
// embedded in a parent dropped where a resource of their own describes
// them, association changes applied, peering states and back references
// set, and missing parents and children propagated.
func (ev *evaluator) assemble(entries []*entry, patches []patch) []*entry {
	byID := map[string]*entry{}
	var out []*entry
	for _, e := range entries {
		k := strings.ToLower(e.id)
		prev, ok := byID[k]
		if !ok {
			byID[k] = e
			out = append(out, e)
			continue
		}
		switch {
		case e.derived:
			// A record a DNS zone group writes that the plan also declares.
		case prev.derived:
			*prev = *e
		case !reflect.DeepEqual(prev.obj, e.obj) || prev.missing != e.missing:
			// Two resources of the plan with one ID: Azure keeps one of
			// them, and which is not known.
			if !strings.Contains(prev.missing, "several resources of the plan have this ID") {
				ev.errs = append(ev.errs, &PlanError{File: ev.file, Msg: fmt.Sprintf("%s and %s have the same ID %s", prev.addr, e.addr, e.id)})
				prev.missing = "several resources of the plan have this ID: " + prev.addr
			}
			prev.missing += ", " + e.addr
		}
	}
	// Children embedded in their parent that a resource of their own also
	// describes (the computed subnet, route and security_rule lists).
	for _, e := range out {
		if e.obj == nil {
			continue
		}
		p, _ := e.obj["properties"].(map[string]any)
		for _, key := range []string{"subnets", "routes", "securityRules"} {
			list, ok := p[key].([]any)
			if !ok {
				continue
			}
			kept := []any{}
			for _, x := range list {
				child, _ := x.(map[string]any)
				id, _ := child["id"].(string)
				if _, own := byID[strings.ToLower(id)]; own {
					continue
				}
				kept = append(kept, x)
			}
			p[key] = kept
		}
	}
	// Association changes.
	for _, pt := range patches {
		if pt.target == "" {
			continue
		}
		target, obj := findTarget(byID, pt.target)
		switch {
		case target == nil:
			e := &entry{id: pt.target, typ: pt.targetType, addr: pt.addr,
				missing: fmt.Sprintf("the plan changes it (%s %s) but does not describe it", pt.what, pt.addr)}
			if pt.missing != "" {
				e.missing = fmt.Sprintf("its %s (%s) is not known before apply: %s", pt.what, pt.addr, pt.missing)
			}
			byID[strings.ToLower(pt.target)] = e
			out = append(out, e)
		case pt.missing != "":
			if target.missing == "" {
				target.missing = fmt.Sprintf("its %s (%s): %s", pt.what, pt.addr, pt.missing)
			}
		case target.missing == "":
			pt.apply(obj)
		}
	}
	natBackReferences(out, byID)
	completePeerings(out, byID)
	propagateMissing(out, byID)
	return out
}

// findTarget finds the entry holding a resource: its own entry, or the
// parent entry that embeds it (a subnet in its VNet).
func findTarget(byID map[string]*entry, id string) (*entry, map[string]any) {
	if e, ok := byID[strings.ToLower(id)]; ok {
		return e, e.obj
	}
	pid := parentID(id)
	parent, ok := byID[strings.ToLower(pid)]
	if !ok || parent.obj == nil {
		return nil, nil
	}
	p, _ := parent.obj["properties"].(map[string]any)
	for _, key := range []string{"subnets", "routes", "securityRules", "virtualNetworkPeerings"} {
		list, _ := p[key].([]any)
		for _, x := range list {
			child, _ := x.(map[string]any)
			if cid, _ := child["id"].(string); strings.EqualFold(cid, id) {
				return parent, child
			}
		}
	}
	return nil, nil
}

// natBackReferences lists on each NAT gateway the subnets that use it, as
// Azure does.
func natBackReferences(entries []*entry, byID map[string]*entry) {
	add := func(subnetID string, sp map[string]any) {
		ng, _ := sp["natGateway"].(map[string]any)
		id, _ := ng["id"].(string)
		e, ok := byID[strings.ToLower(id)]
		if !ok || e.obj == nil {
			return
		}
		p := props(e.obj)
		list, _ := p["subnets"].([]any)
		for _, x := range list {
			if m, _ := x.(map[string]any); m != nil && strings.EqualFold(fmt.Sprint(m["id"]), subnetID) {
				return
			}
		}
		p["subnets"] = append(list, map[string]any{"id": subnetID})
	}
	for _, e := range entries {
		if e.obj == nil || e.missing != "" {
			continue
		}
		switch e.typ {
		case "Microsoft.Network/virtualNetworks/subnets":
			add(e.id, props(e.obj))
		case "Microsoft.Network/virtualNetworks":
			list, _ := props(e.obj)["subnets"].([]any)
			for _, x := range list {
				if m, _ := x.(map[string]any); m != nil {
					id, _ := m["id"].(string)
					add(id, props(m))
				}
			}
		}
	}
}

// completePeerings sets the state Azure gives each peering (reference
// §2.2): Connected when the plan also holds the peering back, else
// Initiated; and the remote address space Azure syncs.
func completePeerings(entries []*entry, byID map[string]*entry) {
	type ref struct {
		owner  string
		obj    map[string]any
		holder *entry
	}
	var refs []ref
	for _, e := range entries {
		if e.obj == nil || e.missing != "" {
			continue
		}
		switch e.typ {
		case "Microsoft.Network/virtualNetworkPeerings", "Microsoft.Network/virtualNetworks/virtualNetworkPeerings":
			refs = append(refs, ref{owner: parentID(e.id), obj: e.obj, holder: e})
		case "Microsoft.Network/virtualNetworks":
			list, _ := props(e.obj)["virtualNetworkPeerings"].([]any)
			for _, x := range list {
				if m, _ := x.(map[string]any); m != nil {
					refs = append(refs, ref{owner: e.id, obj: m, holder: e})
				}
			}
		}
	}
	remoteOf := func(r ref) string {
		rv, _ := props(r.obj)["remoteVirtualNetwork"].(map[string]any)
		s, _ := rv["id"].(string)
		return s
	}
	for _, r := range refs {
		p := props(r.obj)
		remote := remoteOf(r)
		if _, ok := p["peeringState"]; !ok && remote != "" {
			back := false
			for _, o := range refs {
				if strings.EqualFold(o.owner, remote) && strings.EqualFold(remoteOf(o), r.owner) {
					back = true
					break
				}
			}
			if back {
				p["peeringState"] = "Connected"
				p["peeringSyncLevel"] = "FullyInSync"
			} else {
				p["peeringState"] = "Initiated"
				name, _ := r.obj["name"].(string)
				r.holder.notes = append(r.holder.notes, fmt.Sprintf("peering %q is taken as Initiated: the plan holds no peering back from %s; Azure connects it once that VNet has a peering to %s", name, shortID(remote), shortID(r.owner)))
			}
		}
		if _, ok := p["remoteAddressSpace"]; !ok {
			if rv, ok := byID[strings.ToLower(remote)]; ok && rv.missing == "" && rv.obj != nil {
				if space, ok := props(rv.obj)["addressSpace"].(map[string]any); ok {
					p["remoteAddressSpace"] = space
					p["remoteVirtualNetworkAddressSpace"] = space
				}
			}
		}
	}
}

// propagateMissing keeps the result consistent: a route table or NSG with
// a missing route or rule is missing (its rules are incomplete), and a
// child whose parent is missing is missing too.
func propagateMissing(entries []*entry, byID map[string]*entry) {
	for _, e := range entries {
		if e.missing == "" {
			continue
		}
		what := ""
		switch e.typ {
		case "Microsoft.Network/routeTables/routes":
			what = "route"
		case "Microsoft.Network/networkSecurityGroups/securityRules":
			what = "security rule"
		}
		if what == "" {
			continue
		}
		if p, ok := byID[strings.ToLower(parentID(e.id))]; ok && p.missing == "" {
			p.missing = fmt.Sprintf("its %s %s is missing: %s", what, lastSegment(e.id), e.missing)
		}
	}
	for changed := true; changed; {
		changed = false
		for _, e := range entries {
			if e.missing != "" || e.typ == "Microsoft.Network/privateEndpoints/privateDnsZoneGroups" {
				continue
			}
			for p := parentID(e.id); p != ""; p = parentID(p) {
				if pe, ok := byID[strings.ToLower(p)]; ok && pe.missing != "" {
					e.missing = fmt.Sprintf("its parent %s is missing", shortID(p))
					changed = true
					break
				}
			}
		}
	}
}
