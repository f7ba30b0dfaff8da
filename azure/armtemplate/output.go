package armtemplate

import (
	"errors"
	"fmt"
	"strings"

	"github.com/vnetpath/vnetpath/azure/deploy"
)

const (
	typeVNet        = "microsoft.network/virtualnetworks"
	typeSubnet      = "Microsoft.Network/virtualNetworks/subnets"
	typePeering     = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"
	typeZoneGroup   = "Microsoft.Network/privateEndpoints/privateDnsZoneGroups"
	typePrivateZone = "microsoft.network/privatednszones"
	typeRecordA     = "Microsoft.Network/privateDnsZones/A"
)

// entry is one resource of the result before it is encoded.
type entry struct {
	id, typ     string
	obj         *object
	missing     string // why it is missing, or ""
	assumptions []string
	incomplete  bool // a private DNS zone that receives records vnetpath cannot name
}

// finalize returns the resource as Azure will hold it: the evaluated
// declaration with the private addresses Azure will assign.
func (ev *evaluator) finalize(in *instance) (*object, error) {
	switch in.finalState {
	case 1:
		return nil, &cycleError{label: in.label()}
	case 2:
		return in.final, in.finalErr
	}
	in.finalState = 1
	body, err := in.evaluate()
	if isCycle(err) {
		in.finalState = 0
		return nil, err
	}
	if err == nil {
		body = body.clone()
		ev.predict(in, body)
	}
	in.final, in.finalErr, in.finalState = body, err, 2
	return body, err
}

// build turns the expanded instances into the result.
func (ev *evaluator) build() *deploy.Result {
	res := &deploy.Result{}
	var entries []*entry
	var groups []*instance
	for _, in := range ev.insts {
		switch {
		case strings.EqualFold(in.typ, typeDeployment):
			continue
		case strings.EqualFold(in.typ, typeZoneGroup):
			groups = append(groups, in)
			continue
		case !deploy.IsModelled(in.typ):
			res.Skip(in.typ)
			continue
		}
		entries = append(entries, ev.entriesOf(in)...)
	}
	byID := map[string]*entry{}
	for _, e := range entries {
		byID[strings.ToLower(e.id)] = e
	}
	for _, g := range groups {
		for _, e := range ev.zoneGroup(g, byID) {
			if prev, ok := byID[strings.ToLower(e.id)]; ok && e.typ != typeZoneGroup {
				// A record the template also declares: keep the declared one.
				_ = prev
				continue
			}
			entries = append(entries, e)
			byID[strings.ToLower(e.id)] = e
		}
	}
	completePeerings(entries, byID)
	ev.countRecordSets(entries)
	propagateMissing(entries, byID)
	for _, e := range entries {
		if e.missing != "" {
			res.Missing = append(res.Missing, deploy.Missing{ID: e.id, Type: e.typ, Reason: e.missing})
			continue
		}
		js, err := deploy.Marshal(rawJSON{e.obj})
		if err != nil {
			res.Missing = append(res.Missing, deploy.Missing{ID: e.id, Type: e.typ, Reason: err.Error()})
			continue
		}
		res.Resources = append(res.Resources, deploy.Resource{ID: e.id, Type: e.typ, JSON: js})
		for _, a := range e.assumptions {
			res.Assumptions = append(res.Assumptions, deploy.Assumption{ID: e.id, Text: a})
		}
	}
	return res
}

// rawJSON lets encoding/json encode an object in its key order.
type rawJSON struct{ o *object }

func (r rawJSON) MarshalJSON() ([]byte, error) { return r.o.MarshalJSON() }

// entriesOf builds the entry of one modelled instance, and entries for the
// children embedded in it that are missing.
func (ev *evaluator) entriesOf(in *instance) []*entry {
	e := &entry{id: in.id, typ: in.typ}
	body, err := ev.finalize(in)
	if err != nil {
		ev.report(err)
		e.missing = "its template could not be evaluated: " + err.Error()
		return []*entry{e}
	}
	obj := newObject()
	obj.set("id", in.id)
	obj.set("name", lastSegment(in.name))
	obj.set("type", in.typ)
	for i, k := range body.keys {
		obj.set(k, cloneValue(body.vals[i]))
	}
	dropIgnorable(obj)
	normalize(obj)
	out := []*entry{e}
	props, _ := mustGet(obj, "properties").(*object)
	if props != nil {
		switch strings.ToLower(in.typ) {
		case typeVNet:
			out = append(out, embeddedChildren(in.id, props, "subnets", typeSubnet)...)
			out = append(out, embeddedChildren(in.id, props, "virtualNetworkPeerings", typePeering)...)
		case "microsoft.network/routetables":
			setChildIDs(in.id, props, "routes")
		case "microsoft.network/networksecuritygroups":
			setChildIDs(in.id, props, "securityRules")
		case "microsoft.network/networkinterfaces":
			setChildIDs(in.id, props, "ipConfigurations")
		case "microsoft.network/privatednszones/virtualnetworklinks":
			if reg, _ := mustGet(props, "registrationEnabled").(bool); reg {
				vnet := idOf(mustGet(props, "virtualNetwork"))
				in.assumptions = append(in.assumptions, fmt.Sprintf("the records Azure registers automatically in zone %s for the virtual machines of %s are not predicted", lastSegment(parentID(in.id)), shortID(vnet)))
			}
		}
	}
	e.obj = obj
	e.assumptions = in.assumptions
	if p, u := findUnknown(obj); u != nil {
		e.missing = unknownReason(p, u)
	} else if why := unknowable(in.typ, obj); why != "" {
		e.missing = why
	}
	return out
}

// report adds an evaluation error to the evaluator's errors once.
func (ev *evaluator) report(err error) {
	for _, e := range ev.errs {
		if e == err || e.Error() == err.Error() {
			return
		}
	}
	var ee *ExprError
	if !errors.As(err, &ee) {
		err = &ExprError{File: ev.name, Msg: err.Error()}
	}
	ev.errs = append(ev.errs, err)
}

func unknownReason(path string, u *unknown) string {
	p := strings.TrimPrefix(path, ".")
	if u.expr != "" {
		return fmt.Sprintf("%s = %s is not known before deployment: %s", p, u.expr, u.reason)
	}
	return fmt.Sprintf("%s is not known before deployment: %s", p, u.reason)
}

// unknowable returns why a resource cannot be known before deployment
// although its template is fully evaluated: Azure assigns what the model
// needs.
func unknowable(typ string, obj *object) string {
	props, _ := mustGet(obj, "properties").(*object)
	has := func(k string) bool {
		if props == nil {
			return false
		}
		v, ok := props.get(k)
		return ok && v != nil && v != ""
	}
	switch strings.ToLower(typ) {
	case "microsoft.machinelearningservices/workspaces":
		if !has("workspaceId") {
			return "properties.workspaceId is not known before deployment: Azure assigns it when the workspace is created, and the workspace's FQDNs are made of it"
		}
	case "microsoft.network/publicipaddresses":
		if !has("ipAddress") {
			return "properties.ipAddress is not known before deployment: Azure allocates the address when the public IP is created"
		}
	}
	return ""
}

// ignorable are properties the model does not read; an unknown value in
// one of them is dropped rather than making the resource missing.
var ignorable = map[string]bool{
	"tags": true, "identity": true, "plan": true, "etag": true, "extendedlocation": true, "managedby": true,
	"description": true, "insights": true, "intrusiondetection": true, "transportsecurity": true,
	"explicitproxy": true, "ddosprotectionplan": true, "diagnosticssettings": true,
}

func dropIgnorable(o *object) {
	for i := 0; i < len(o.keys); i++ {
		k := o.keys[i]
		if ignorable[strings.ToLower(k)] {
			if _, u := findUnknown(o.vals[i]); u != nil {
				o.del(k)
				i--
				continue
			}
		}
		switch v := o.vals[i].(type) {
		case *object:
			dropIgnorable(v)
		case []any:
			for _, x := range v {
				if xo, ok := x.(*object); ok {
					dropIgnorable(xo)
				}
			}
		}
	}
}

// normalize writes integers that the template gave as strings ("priority":
// "100") as numbers, as Azure returns them.
func normalize(v any) {
	switch v := v.(type) {
	case *object:
		for i, k := range v.keys {
			switch strings.ToLower(k) {
			case "priority", "port", "ttl":
				if s, ok := v.vals[i].(string); ok {
					var n int64
					if _, err := fmt.Sscanf(s, "%d", &n); err == nil && fmt.Sprint(n) == strings.TrimSpace(s) {
						v.vals[i] = n
						continue
					}
				}
			}
			normalize(v.vals[i])
		}
	case []any:
		for _, x := range v {
			normalize(x)
		}
	}
}

// embeddedChildren gives each child of props[key] its ID and type; a child
// with a value that is not known before deployment is removed from its
// parent and returned as a missing entry (subnets and peerings are
// resources of their own).
func embeddedChildren(parentID string, props *object, key, typ string) []*entry {
	arr, ok := mustGet(props, key).([]any)
	if !ok {
		return nil
	}
	var out []*entry
	kept := arr[:0:0]
	for i, x := range arr {
		c, ok := x.(*object)
		if !ok {
			kept = append(kept, x)
			continue
		}
		name, _ := mustGet(c, "name").(string)
		id := parentID + "/" + key + "/" + name
		if _, has := c.get("id"); !has && name != "" {
			c.set("id", id)
		}
		if _, has := c.get("type"); !has {
			c.set("type", typ)
		}
		if p, u := findUnknown(c); u != nil {
			out = append(out, &entry{id: id, typ: typ, missing: unknownReason(".properties."+key+pathIndex(i)+p, u)})
			continue
		}
		kept = append(kept, c)
	}
	props.set(key, kept)
	return out
}

// setChildIDs gives each child of props[key] its ID.
func setChildIDs(parentID string, props *object, key string) {
	for _, c := range list(props, key) {
		name, _ := mustGet(c, "name").(string)
		if _, has := c.get("id"); !has && name != "" {
			c.set("id", parentID+"/"+key+"/"+name)
		}
	}
}

// peeringRef is one peering of the result and the VNet that owns it.
type peeringRef struct {
	owner  string
	obj    *object // the peering object (ARM shape: name, properties)
	holder *entry  // the entry it is encoded in
}

// completePeerings sets the state Azure gives each peering (reference
// §2.2): Connected when the template also creates the peering back, else
// Initiated; and the remote address space Azure syncs from a remote VNet
// the template creates.
func completePeerings(entries []*entry, byID map[string]*entry) {
	var refs []peeringRef
	for _, e := range entries {
		if e.missing != "" || e.obj == nil {
			continue
		}
		switch {
		case strings.EqualFold(e.typ, typeVNet):
			props, _ := mustGet(e.obj, "properties").(*object)
			if props != nil {
				for _, p := range list(props, "virtualNetworkPeerings") {
					refs = append(refs, peeringRef{owner: e.id, obj: p, holder: e})
				}
			}
		case strings.EqualFold(e.typ, typePeering):
			refs = append(refs, peeringRef{owner: parentID(e.id), obj: e.obj, holder: e})
		}
	}
	remoteOf := func(r peeringRef) string {
		props, _ := mustGet(r.obj, "properties").(*object)
		if props == nil {
			return ""
		}
		rv, _ := mustGet(props, "remoteVirtualNetwork").(*object)
		s, _ := mustGet(rv, "id").(string)
		return s
	}
	for _, r := range refs {
		props, _ := mustGet(r.obj, "properties").(*object)
		if props == nil {
			continue
		}
		remote := remoteOf(r)
		name, _ := mustGet(r.obj, "name").(string)
		if _, ok := props.get("peeringState"); !ok && remote != "" {
			back := false
			for _, o := range refs {
				if strings.EqualFold(o.owner, remote) && strings.EqualFold(remoteOf(o), r.owner) {
					back = true
					break
				}
			}
			if back {
				props.set("peeringState", "Connected")
				props.set("peeringSyncLevel", "FullyInSync")
			} else {
				props.set("peeringState", "Initiated")
				r.holder.assumptions = append(r.holder.assumptions, fmt.Sprintf("peering %q is taken as Initiated: the template creates no peering back from %s; Azure connects it once that VNet has a peering to %s", name, shortID(remote), shortID(r.owner)))
			}
		}
		if _, ok := props.get("remoteAddressSpace"); !ok {
			if rv, ok := byID[strings.ToLower(remote)]; ok && rv.missing == "" && rv.obj != nil {
				rp, _ := mustGet(rv.obj, "properties").(*object)
				if space, ok := mustGet(rp, "addressSpace").(*object); ok {
					props.set("remoteAddressSpace", space.clone())
					props.set("remoteVirtualNetworkAddressSpace", space.clone())
				}
			}
		}
	}
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

// zoneGroup returns the A records a private endpoint's DNS zone group
// writes (reference §5.4), or missing entries for those that cannot be
// known.
func (ev *evaluator) zoneGroup(g *instance, byID map[string]*entry) []*entry {
	missing := func(why string) []*entry {
		return []*entry{{id: g.id, typ: g.typ, missing: why}}
	}
	body, err := g.evaluate()
	if err != nil {
		ev.report(err)
		return missing("its template could not be evaluated: " + err.Error())
	}
	peID := parentID(g.id)
	pe, ok := ev.byID[strings.ToLower(peID)]
	if !ok {
		return missing(fmt.Sprintf("the records it writes are not known: its private endpoint %s is not created by the template", shortID(peID)))
	}
	if _, err := ev.finalize(pe); err != nil || pe.endpoint == nil {
		return missing(fmt.Sprintf("the records it writes are not known: its private endpoint %s could not be evaluated", shortID(peID)))
	}
	if pe.endpoint.why != "" {
		return missing("the records it writes are not known before deployment: " + pe.endpoint.why)
	}
	if e, ok := byID[strings.ToLower(peID)]; ok && e.missing != "" {
		return missing(fmt.Sprintf("the records it writes are not known: its private endpoint %s is missing", shortID(peID)))
	}
	props, _ := mustGet(body, "properties").(*object)
	var configs []string
	for _, c := range list(props, "privateDnsZoneConfigs") {
		p, _ := mustGet(c, "properties").(*object)
		switch z := mustGet(p, "privateDnsZoneId").(type) {
		case string:
			configs = append(configs, z)
		case *unknown:
			return missing(unknownReason("properties.privateDnsZoneConfigs[].properties.privateDnsZoneId", z))
		}
	}
	var out []*entry
	var unnamed []string
	for _, zoneID := range configs {
		zone := lastSegment(zoneID)
		for i, sl := range pe.endpoint.slots {
			if i >= len(pe.endpoint.addrs) {
				break
			}
			if sl.unnamed != "" {
				unnamed = append(unnamed, fmt.Sprintf("zone %s: %s", zone, sl.unnamed))
				if e, ok := byID[strings.ToLower(zoneID)]; ok {
					e.incomplete = true
				}
				continue
			}
			for _, n := range sl.names {
				if !strings.EqualFold(n.zone, zone) && len(configs) > 1 {
					continue
				}
				id := zoneID + "/A/" + n.record
				addr := pe.endpoint.addrs[i].String()
				rec := newObject()
				rec.set("id", id)
				rec.set("name", n.record)
				rec.set("type", typeRecordA)
				p := newObject()
				p.set("fqdn", n.record+"."+zone+".")
				p.set("ttl", int64(10))
				a := newObject()
				a.set("ipv4Address", addr)
				p.set("aRecords", []any{a})
				rec.set("properties", p)
				out = append(out, &entry{id: id, typ: typeRecordA, obj: rec, assumptions: []string{
					fmt.Sprintf("record %s → %s is predicted: the DNS zone group %s of private endpoint %s writes it for %s at the endpoint's predicted address", n.record, addr, lastSegment(g.name), shortID(peID), n.fqdn),
				}})
			}
		}
	}
	if len(unnamed) > 0 {
		out = append(out, &entry{id: g.id, typ: g.typ, missing: "some records it writes are not known before deployment: " + strings.Join(dedupe(unnamed), "; ")})
	}
	return out
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		dup := false
		for _, y := range out {
			if x == y {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}

// countRecordSets sets numberOfRecordSets of each private DNS zone to what
// Azure will report: the SOA record plus the record sets the template and
// the zone groups create. A zone that receives records vnetpath cannot name
// gets no count.
func (ev *evaluator) countRecordSets(entries []*entry) {
	counts := map[string]int{}
	seen := map[string]bool{}
	add := func(id string) {
		k := strings.ToLower(id)
		if seen[k] {
			return
		}
		seen[k] = true
		counts[strings.ToLower(parentID(id))]++
	}
	for _, in := range ev.insts {
		t := strings.ToLower(in.typ)
		if strings.HasPrefix(t, typePrivateZone+"/") && t != typePrivateZone+"/virtualnetworklinks" && t != typePrivateZone+"/soa" {
			add(in.id)
		}
	}
	for _, e := range entries {
		if strings.EqualFold(e.typ, typeRecordA) {
			add(e.id)
		}
	}
	registration := map[string]bool{}
	for _, e := range entries {
		if strings.EqualFold(e.typ, "Microsoft.Network/privateDnsZones/virtualNetworkLinks") && e.obj != nil {
			p, _ := mustGet(e.obj, "properties").(*object)
			if reg, _ := mustGet(p, "registrationEnabled").(bool); reg {
				registration[strings.ToLower(parentID(e.id))] = true
			}
		}
	}
	for _, e := range entries {
		if !strings.EqualFold(e.typ, typePrivateZone) || e.obj == nil || e.incomplete || registration[strings.ToLower(e.id)] {
			continue
		}
		props, _ := mustGet(e.obj, "properties").(*object)
		if props == nil {
			props = newObject()
			e.obj.set("properties", props)
		}
		if _, ok := props.get("numberOfRecordSets"); !ok {
			props.set("numberOfRecordSets", int64(1+counts[strings.ToLower(e.id)]))
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
		switch strings.ToLower(e.typ) {
		case "microsoft.network/routetables/routes", "microsoft.network/networksecuritygroups/securityrules":
			if p, ok := byID[strings.ToLower(parentID(e.id))]; ok && p.missing == "" {
				what := "route"
				if strings.HasSuffix(strings.ToLower(e.typ), "securityrules") {
					what = "security rule"
				}
				p.missing = fmt.Sprintf("its %s %s is missing: %s", what, lastSegment(e.id), e.missing)
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, e := range entries {
			if e.missing != "" || strings.EqualFold(e.typ, typeZoneGroup) {
				continue
			}
			for p := parentID(e.id); p != ""; p = parentID(p) {
				if pe, ok := byID[strings.ToLower(p)]; ok && pe.missing != "" && !strings.EqualFold(pe.typ, typeZoneGroup) {
					e.missing = fmt.Sprintf("its parent %s is missing", shortID(p))
					changed = true
					break
				}
			}
		}
	}
}
