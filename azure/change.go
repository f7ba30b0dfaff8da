package azure

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/vnetpath/vnetpath/azure/deploy"
	"github.com/vnetpath/vnetpath/topology"
)

// ChangeKind says how a change writes the resources it holds, which decides
// what happens to the children of a parent it rewrites.
type ChangeKind int

const (
	// ChangeTemplate is an ARM deployment template. A deployment puts each
	// resource as written, so a virtual network, route table or NSG it
	// deploys keeps only the subnets, peerings, routes or security rules
	// the template declares for it (embedded or as child resources);
	// Azure removes the others (or refuses to, while a subnet is in use).
	ChangeTemplate ChangeKind = iota
	// ChangePlan is a Terraform plan. A parent's list of children is
	// complete only when the plan writes it inline (subnet blocks of
	// azurerm_virtual_network, route blocks of azurerm_route_table,
	// security_rule blocks of azurerm_network_security_group); children
	// managed as resources of their own, or outside Terraform, are kept.
	ChangePlan
)

// Change is a change to an estate that is not deployed yet: what
// [github.com/vnetpath/vnetpath/azure/armtemplate.Evaluate] or
// [github.com/vnetpath/vnetpath/azure/tfplan.Evaluate] made of a template or
// a plan. The zero Change changes nothing.
type Change struct {
	Name   string // the template or plan file, named in messages
	Kind   ChangeKind
	Result *deploy.Result
}

// name returns the change's name for messages.
func (c Change) name() string {
	if c.Name != "" {
		return c.Name
	}
	if c.Kind == ChangePlan {
		return "plan"
	}
	return "template"
}

// listKinds are the children a deployment's parent lists completely: the
// parent's type, the child's type and the property that lists them.
var listKinds = []struct{ parent, child, property string }{
	{topology.TypeVNet, topology.TypeSubnet, "subnets"},
	{topology.TypeVNet, topology.TypePeering, "virtualNetworkPeerings"},
	{topology.TypeRouteTable, topology.TypeRoute, "routes"},
	{topology.TypeNSG, topology.TypeSecurityRule, "securityRules"},
}

// layerPart is a resource of the snapshot or of a change on its way to the
// Builder.
type layerPart struct {
	part
	key   string // topology.Key of its ID
	layer int    // 0 for the snapshot, i+1 for Options.Changes[i]
	gone  bool
}

func (p *layerPart) id() string { return p.ctx.id }

// merger applies the changes of Options.Changes, in order, to the
// resources of the snapshot files.
type merger struct {
	b       *topology.Builder
	changes []Change
	parts   []*layerPart
	// removed maps the keys of the resources a change deleted (or whose
	// parent's list left them out) to why, for back-references and the
	// missing list.
	removed map[string]string
	// missing maps keys to the reason a change gives for not knowing them.
	missing map[string]missingDecl
	// zoneDelta counts, by zone key, the links and record sets the changes
	// added (positive) or removed since the zone was last written.
	links, records map[string]int
	touched        []string // IDs the changes wrote, removed or adjusted
	touchedSeen    map[string]bool
}

type missingDecl struct {
	id, reason string
}

func newMerger(b *topology.Builder, changes []Change) *merger {
	return &merger{b: b, changes: changes, removed: map[string]string{}, missing: map[string]missingDecl{},
		links: map[string]int{}, records: map[string]int{}, touchedSeen: map[string]bool{}}
}

func (m *merger) touch(id string) {
	if k := topology.Key(id); !m.touchedSeen[k] {
		m.touchedSeen[k] = true
		m.touched = append(m.touched, id)
	}
}

// add queues a resource of layer (0: the snapshot).
func (m *merger) add(p part, layer int) {
	m.parts = append(m.parts, &layerPart{part: p, key: topology.Key(p.ctx.id), layer: layer})
}

// apply applies change i (layer i+1) to the resources queued before it:
// the change's resources replace those of the same ID, its deletes remove
// resources with everything below them, a parent it rewrites drops the
// children its list leaves out, and what it cannot know is declared
// missing.
func (m *merger) apply(i int, own []*layerPart) {
	ch := m.changes[i]
	name := ch.name()
	written := map[string]bool{}
	for _, p := range own {
		written[p.key] = true
	}
	tree := map[string]string{} // key -> why everything at or below it goes
	if ch.Result != nil {
		for _, id := range ch.Result.Deletes {
			if k := topology.Key(id); !written[k] {
				tree[k] = "deleted by " + name
			}
		}
		for _, ms := range ch.Result.Missing {
			if k := topology.Key(ms.ID); !written[k] {
				tree[k] = "its content is not known before " + name + " is applied"
			}
		}
	}
	complete := m.completeLists(ch, own)
	held := map[string]any{} // key -> the value it had
	var removedNow []*layerPart
	for _, p := range m.parts {
		if p.gone {
			continue
		}
		held[p.key] = p.v
		switch {
		case written[p.key]:
			p.gone = true
			if strings.EqualFold(p.typ, topology.TypePrivateZone) {
				// The change writes the zone's own declared counts.
				m.links[p.key], m.records[p.key] = 0, 0
			}
		case treeReason(tree, p.key) != "":
			p.gone = true
			m.removed[p.key] = treeReason(tree, p.key)
			removedNow = append(removedNow, p)
		case complete[listKey(topology.Parent(p.id()), p.typ)] != nil:
			c := complete[listKey(topology.Parent(p.id()), p.typ)]
			p.gone = true
			why := fmt.Sprintf("left out of %s by %s", shortID(c.id()), name)
			m.removed[p.key] = why
			removedNow = append(removedNow, p)
			m.b.Warn(&topology.Finding{File: name, ID: c.id(), Msg: fmt.Sprintf(
				"deploys %s without %s %s, which the snapshot holds: the deployment replaces the list, so Azure removes it (or refuses while it is in use)",
				shortID(c.id()), noun(p.typ), topology.NameOf(p.id()))})
		}
	}
	// Azure deletes the network interface of a private endpoint with it.
	for _, p := range m.parts {
		if p.gone || !strings.EqualFold(p.typ, topology.TypeNIC) {
			continue
		}
		if n, ok := p.v.(topology.NIC); ok && n.PrivateEndpoint != "" && m.removed[topology.Key(n.PrivateEndpoint)] != "" {
			p.gone = true
			m.removed[p.key] = m.removed[topology.Key(n.PrivateEndpoint)]
			removedNow = append(removedNow, p)
		}
	}
	for _, p := range removedNow {
		m.touch(p.id())
		m.countChild(p, -1)
	}
	for _, p := range own {
		m.touch(p.id())
		if old, ok := held[p.key]; ok {
			p.v = inherit(p.v, old)
		} else {
			m.countChild(p, +1)
		}
		delete(m.missing, p.key)
		delete(m.removed, p.key)
		m.parts = append(m.parts, p)
	}
	if ch.Result == nil {
		return
	}
	for k := range tree {
		for mk := range m.missing {
			if mk == k || strings.HasPrefix(mk, k+"/") {
				delete(m.missing, mk)
			}
		}
	}
	for _, ms := range ch.Result.Missing {
		k := topology.Key(ms.ID)
		if written[k] {
			continue
		}
		m.touch(ms.ID)
		m.missing[k] = missingDecl{id: ms.ID, reason: "not known before " + name + " is applied: " + ms.Reason}
		delete(m.removed, k)
	}
	for typ, n := range ch.Result.Skipped {
		for range n {
			m.b.Skip(typ)
		}
	}
}

// inherit returns v, a resource a change writes, with the values Azure
// maintains by itself taken from old, what the estate held, where the
// change leaves them empty: a deployment cannot set them, and a template
// or plan does not know them. They are a connection's status, a zone
// link's state, the network interfaces Azure creates for a private
// endpoint, the remote address space a peering synced, and the
// back-references Azure keeps (a subnet's IP configurations and private
// endpoints, a NIC's virtual machine, a NAT gateway's subnets, a public
// IP's IP configuration, a policy's rule collection groups, a workspace's
// private endpoint connections).
func inherit(v, old any) any {
	switch n := v.(type) {
	case topology.Connection:
		if o, ok := old.(topology.Connection); ok && n.Status == "" {
			n.Status = o.Status
		}
		return n
	case topology.ZoneLink:
		if o, ok := old.(topology.ZoneLink); ok && n.State == "" {
			n.State = o.State
		}
		return n
	case topology.PrivateEndpoint:
		if o, ok := old.(topology.PrivateEndpoint); ok && len(n.NICs) == 0 {
			n.NICs = o.NICs
		}
		return n
	case topology.Peering:
		if o, ok := old.(topology.Peering); ok && len(n.RemoteAddressSpace) == 0 && topology.SameID(n.RemoteVNet, o.RemoteVNet) {
			n.RemoteAddressSpace, n.RemoteVNetAddressSpace = o.RemoteAddressSpace, o.RemoteVNetAddressSpace
			if n.SyncLevel == "" {
				n.SyncLevel = o.SyncLevel
			}
		}
		return n
	case topology.Subnet:
		if o, ok := old.(topology.Subnet); ok {
			if len(n.IPConfigurations) == 0 {
				n.IPConfigurations = o.IPConfigurations
			}
			if len(n.PrivateEndpoints) == 0 {
				n.PrivateEndpoints = o.PrivateEndpoints
			}
		}
		return n
	case topology.NIC:
		if o, ok := old.(topology.NIC); ok {
			if n.VirtualMachine == "" {
				n.VirtualMachine = o.VirtualMachine
			}
			if n.InternalDomainNameSuffix == "" {
				// Azure sets it; templates and plans do not carry it.
				n.InternalDomainNameSuffix = o.InternalDomainNameSuffix
			}
		}
		return n
	case topology.NATGateway:
		if o, ok := old.(topology.NATGateway); ok && len(n.Subnets) == 0 {
			n.Subnets = o.Subnets
		}
		return n
	case topology.PublicIP:
		if o, ok := old.(topology.PublicIP); ok && n.IPConfiguration == "" {
			n.IPConfiguration = o.IPConfiguration
		}
		return n
	case topology.FirewallPolicy:
		if o, ok := old.(topology.FirewallPolicy); ok && len(n.RuleCollectionGroups) == 0 {
			n.RuleCollectionGroups = o.RuleCollectionGroups
		}
		return n
	case topology.Workspace:
		if o, ok := old.(topology.Workspace); ok && len(n.PrivateEndpoints) == 0 {
			n.PrivateEndpoints = o.PrivateEndpoints
		}
		return n
	}
	return v
}

// treeReason returns why key or one of its ancestors goes, or "".
func treeReason(tree map[string]string, key string) string {
	if len(tree) == 0 {
		return ""
	}
	for k := key; k != ""; k = topology.Key(topology.Parent(k)) {
		if why, ok := tree[k]; ok {
			return why
		}
	}
	return ""
}

func listKey(parent, childType string) string {
	return topology.Key(parent) + "\x00" + strings.ToLower(childType)
}

// completeLists returns, keyed by listKey, the parents whose list of a
// kind of children the change writes completely (see ChangeKind).
func (m *merger) completeLists(ch Change, own []*layerPart) map[string]*layerPart {
	out := map[string]*layerPart{}
	embedded := map[*rctx]map[string]bool{} // parent context -> lower-case child types embedded in it
	for _, p := range own {
		if p.ctx.parent != nil {
			if embedded[p.ctx.parent] == nil {
				embedded[p.ctx.parent] = map[string]bool{}
			}
			embedded[p.ctx.parent][strings.ToLower(p.typ)] = true
		}
	}
	for _, p := range own {
		for _, lk := range listKinds {
			if !strings.EqualFold(p.typ, lk.parent) {
				continue
			}
			if ch.Kind == ChangeTemplate || embedded[p.ctx][strings.ToLower(lk.child)] {
				out[listKey(p.id(), lk.child)] = p
			}
		}
	}
	return out
}

// countChild counts a zone link or record set added (+1) or removed (-1)
// by a change, for the zone's declared counts.
func (m *merger) countChild(p *layerPart, delta int) {
	zone := topology.Key(topology.Parent(p.id()))
	switch strings.ToLower(p.typ) {
	case strings.ToLower(topology.TypeZoneLink):
		m.links[zone] += delta
	case strings.ToLower(topology.TypeDNSRecordA), strings.ToLower(topology.TypeDNSRecordAAAA), strings.ToLower(topology.TypeDNSRecordCNAME):
		m.records[zone] += delta
	}
}

// finish adjusts what Azure adjusts by itself after a change (the counts a
// zone declares, back-references to removed resources, the state of
// peerings), declares what the changes cannot know as missing, and returns
// the resources for the Builder in order.
func (m *merger) finish() []part {
	byKey := map[string]*layerPart{}
	for _, p := range m.parts {
		if !p.gone {
			byKey[p.key] = p
		}
	}
	isRemoved := func(id string) bool {
		for k := topology.Key(id); k != ""; k = topology.Key(topology.Parent(k)) {
			if _, ok := m.removed[k]; ok {
				return true
			}
		}
		return false
	}
	keep := func(ids []string) ([]string, bool) {
		if !slices.ContainsFunc(ids, isRemoved) {
			return ids, false
		}
		return slices.DeleteFunc(slices.Clone(ids), isRemoved), true
	}
	for _, p := range m.parts {
		if p.gone {
			continue
		}
		changed := false
		switch v := p.v.(type) {
		case topology.PrivateZone:
			if d := m.links[p.key]; d != 0 && v.NumberOfVirtualNetworkLinks > 0 {
				v.NumberOfVirtualNetworkLinks = max(0, v.NumberOfVirtualNetworkLinks+int64(d))
				changed = true
			}
			if d := m.records[p.key]; d != 0 && v.NumberOfRecordSets > 0 {
				v.NumberOfRecordSets = max(0, v.NumberOfRecordSets+int64(d))
				changed = true
			}
			p.v = v
		case topology.Subnet:
			var c1, c2 bool
			v.IPConfigurations, c1 = keep(v.IPConfigurations)
			v.PrivateEndpoints, c2 = keep(v.PrivateEndpoints)
			changed = c1 || c2
			p.v = v
		case topology.NATGateway:
			v.Subnets, changed = keep(v.Subnets)
			p.v = v
		case topology.FirewallPolicy:
			v.RuleCollectionGroups, changed = keep(v.RuleCollectionGroups)
			p.v = v
		case topology.Workspace:
			v.PrivateEndpoints, changed = keep(v.PrivateEndpoints)
			p.v = v
		case topology.PublicIP:
			if v.IPConfiguration != "" && isRemoved(v.IPConfiguration) {
				v.IPConfiguration, changed = "", true
			}
			p.v = v
		}
		if changed && p.layer == 0 {
			m.touch(p.id())
		}
	}
	m.peerings(byKey, isRemoved)
	for _, d := range m.missing {
		m.b.DeclareMissing(d.id, d.reason)
	}
	for k, why := range m.removed {
		if _, ok := m.missing[k]; !ok {
			m.b.ExplainAbsent(k, why)
		}
	}
	out := make([]part, 0, len(m.parts))
	for _, p := range m.parts {
		if !p.gone {
			out = append(out, p.part)
		}
	}
	return out
}

// peerings gives the peerings a change writes the state Azure gives them
// (reference §2.2): the evaluators take a peering whose other half the
// change does not hold as Initiated, but the other half may be in the
// snapshot, and then both are Connected. A Connected peering whose other
// half or remote VNet a change removes becomes Disconnected.
func (m *merger) peerings(byKey map[string]*layerPart, isRemoved func(string) bool) {
	halves := map[string]*layerPart{} // owner VNet key + "\x00" + remote VNet key -> peering
	owner := func(p topology.Peering) string {
		if p.VNet != "" {
			return p.VNet
		}
		return topology.Parent(p.ID)
	}
	for _, p := range m.parts {
		if v, ok := p.v.(topology.Peering); ok && !p.gone {
			halves[topology.Key(owner(v))+"\x00"+topology.Key(v.RemoteVNet)] = p
		}
	}
	for _, p := range m.parts {
		v, ok := p.v.(topology.Peering)
		if !ok || p.gone {
			continue
		}
		back := halves[topology.Key(v.RemoteVNet)+"\x00"+topology.Key(owner(v))]
		switch {
		case p.layer > 0 && v.State == topology.PeeringInitiated && back != nil:
			bv := back.v.(topology.Peering)
			if bv.State != topology.PeeringInitiated && bv.State != topology.PeeringConnected {
				continue
			}
			v.State, v.SyncLevel = topology.PeeringConnected, "FullyInSync"
			if len(v.RemoteAddressSpace) == 0 {
				if rv, ok := byKey[topology.Key(v.RemoteVNet)]; ok {
					if vn, ok := rv.v.(topology.VNet); ok {
						v.RemoteAddressSpace = slices.Clone(vn.AddressSpace)
						v.RemoteVNetAddressSpace = slices.Clone(vn.AddressSpace)
					}
				}
			}
			p.v = v
			m.touch(p.id())
			m.b.Warn(&topology.Finding{File: m.changes[p.layer-1].name(), ID: p.id(), Msg: fmt.Sprintf(
				"assumed: peering %s is Connected: the snapshot holds the peering back from %s", v.Name, shortID(v.RemoteVNet))})
			if bv.State == topology.PeeringInitiated {
				bv.State, bv.SyncLevel = topology.PeeringConnected, "FullyInSync"
				back.v = bv
				m.touch(back.id())
			}
		case v.State == topology.PeeringConnected && back == nil &&
			(isRemoved(v.RemoteVNet) || m.removedHalf(v.RemoteVNet, owner(v))):
			v.State = topology.PeeringDisconnected
			p.v = v
			m.touch(p.id())
			m.b.Warn(&topology.Finding{ID: p.id(), Msg: fmt.Sprintf(
				"peering %s becomes Disconnected: a change removes %s or its peering back", v.Name, shortID(v.RemoteVNet))})
		}
	}
}

// removedHalf reports whether a change removed the peering of VNet from
// that points at VNet to.
func (m *merger) removedHalf(from, to string) bool {
	for _, p := range m.parts {
		if !p.gone {
			continue
		}
		if v, ok := p.v.(topology.Peering); ok && m.removed[p.key] != "" &&
			topology.SameID(topology.Parent(v.ID), from) && topology.SameID(v.RemoteVNet, to) {
			return true
		}
	}
	return false
}

// assumptions returns the assumptions of the changes as warnings naming the
// resource, leaving out those about resources a later change rewrote or
// removed, and the evaluators' "taken as Initiated" for peerings the merge
// found connected.
func (m *merger) assumptions() []*topology.Finding {
	last := map[string]int{} // key -> the layer whose resource survives
	for _, p := range m.parts {
		if !p.gone {
			last[p.key] = p.layer
		}
	}
	var out []*topology.Finding
	for i, ch := range m.changes {
		if ch.Result == nil {
			continue
		}
		for _, a := range ch.Result.Assumptions {
			k := topology.Key(a.ID)
			if l, ok := last[k]; ok && l != i+1 {
				continue
			}
			if _, gone := m.removed[k]; gone {
				continue
			}
			if initiated.MatchString(a.Text) && m.connected(a.ID, a.Text) {
				continue
			}
			out = append(out, &topology.Finding{File: ch.name(), ID: a.ID, Msg: "assumed: " + a.Text})
		}
	}
	return out
}

// initiated matches the evaluators' assumption about a peering they could
// not see the other half of.
var initiated = regexp.MustCompile(`^peering "([^"]+)" is taken as Initiated`)

// connected reports whether the peering an "taken as Initiated" assumption
// names (by its holder's ID and the peering's name) is Connected after the
// merge.
func (m *merger) connected(holder, text string) bool {
	name := initiated.FindStringSubmatch(text)[1]
	for _, p := range m.parts {
		v, ok := p.v.(topology.Peering)
		if !ok || p.gone || !strings.EqualFold(v.Name, name) {
			continue
		}
		if topology.SameID(p.id(), holder) || topology.SameID(topology.Parent(p.id()), holder) {
			return v.State == topology.PeeringConnected
		}
	}
	return false
}

// noun names a resource type in words for messages.
func noun(typ string) string {
	switch strings.ToLower(typ) {
	case strings.ToLower(topology.TypeSubnet):
		return "subnet"
	case strings.ToLower(topology.TypePeering):
		return "peering"
	case strings.ToLower(topology.TypeRoute):
		return "route"
	case strings.ToLower(topology.TypeSecurityRule):
		return "security rule"
	}
	return typ
}

// shortID is the short name of an ID for messages: "vnet-hub/snet-a".
func shortID(id string) string { return topology.ShortName(id) }

// withChanges appends the resources of each change to the files, as one
// file each named after the change, and returns the layer of every file:
// 0 for the snapshot's files, i+1 for the file of changes[i].
func withChanges(files []input, changes []Change) ([]input, []int) {
	layerOf := make([]int, len(files), len(files)+len(changes))
	if len(changes) == 0 {
		return files, layerOf
	}
	files = slices.Clip(files)
	for i, ch := range changes {
		files = append(files, input{name: ch.name(), data: ch.Result.JSON()})
		layerOf = append(layerOf, i+1)
	}
	return files, layerOf
}

// changeFindings places findings about a change's resources in the
// resource as the change deploys it: "$[3].properties.x", a path in the
// evaluator's list of resources, becomes "$.properties.x".
func changeFindings(fs []*topology.Finding, changes []Change) {
	if len(changes) == 0 {
		return
	}
	names := map[string]bool{}
	for _, ch := range changes {
		names[ch.name()] = true
	}
	for _, f := range fs {
		if !names[f.File] || !strings.HasPrefix(f.Path, "$[") {
			continue
		}
		if i := strings.IndexByte(f.Path, ']'); i > 0 {
			f.Path = "$" + f.Path[i+1:]
		}
	}
}
