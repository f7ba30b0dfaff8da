package topology

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// TypeInfo describes a resource type vnetpath models: what the loader
// reads, what the Builder stores, what references it holds and how to
// export it. [Types] lists them.
type TypeInfo struct {
	// Type is the ARM type as Azure spells it, such as
	// "Microsoft.Network/virtualNetworks/subnets".
	Type string
	// Parent is the ARM type of the parent resource of a child type
	// ("Microsoft.Network/virtualNetworks" for subnets), "" for a
	// top-level type.
	Parent string
	// Embedded reports whether ARM lists the child inside its parent (the
	// subnets of a VNet, the routes of a route table): exporting the parent
	// exports it.
	Embedded bool
	// List is the az command that lists every resource of the type in a
	// subscription; for a child type, every child of one parent. It holds
	// the placeholders {resourceGroup}, {parent}, {grandparent} (the
	// parent's parent, for a grandchild) and {subscription} where the
	// command needs them.
	List string
	// Show is the az command that exports one resource of a top-level type,
	// with the placeholders {resourceGroup}, {name} and {id}; "" for a child
	// type (List of its parent exports it).
	Show string
	// Refs are the references a resource of the type holds.
	Refs []RefInfo
}

// RefInfo is a reference from one resource to another by ID.
type RefInfo struct {
	// Field identifies the model field that holds the ID, as a selector on
	// the model type with "[]" for each list index, such as
	// "IPConfigs[].Subnet". Findings and [Ref] values use the same
	// identifiers with the indexes filled in ("IPConfigs[0].Subnet").
	Field string
	// Target is the ARM type of the referenced resource; "" when the type
	// is taken from the ID (a public IP's ipConfiguration, a private
	// endpoint's target), in which case only IDs of modelled types count.
	Target string
}

// Types returns the resource types vnetpath models, parents before their
// children. The result is a copy.
func Types() []TypeInfo {
	out := make([]TypeInfo, len(kinds))
	for i, k := range kinds {
		out[i] = *k.info()
		out[i].Refs = slices.Clone(out[i].Refs)
	}
	return out
}

// LookupType returns the description of an ARM type (any letter case).
func LookupType(typ string) (TypeInfo, bool) {
	k := kindOf(typ)
	if k == nil {
		return TypeInfo{}, false
	}
	ti := *k.info()
	ti.Refs = slices.Clone(ti.Refs)
	return ti, true
}

// ExportCommand returns the az command that exports the resource id names:
// the type's Show command for a top-level resource and, for a child, the
// command that lists the children of its parent, filled from the ID
// (subscription, resource group, names), with -o json. It returns "" when
// the ID does not parse or names a type vnetpath does not model.
func ExportCommand(id string) string { return exportFor(id, typeOfID(id)) }

// fillCommand fills the placeholders of an az command template and adds
// the subscription (when the template does not name it) and -o json.
func fillCommand(tmpl, id, sub, rg, name, parent string, grandparent ...string) string {
	if tmpl == "" {
		return ""
	}
	gp := ""
	if len(grandparent) > 0 {
		gp = grandparent[0]
	}
	cmd := strings.NewReplacer("{id}", id, "{resourceGroup}", rg, "{name}", name, "{parent}", parent, "{grandparent}", gp, "{subscription}", sub).Replace(tmpl)
	if sub != "" && !strings.Contains(tmpl, "{subscription}") && !strings.Contains(tmpl, "{id}") {
		cmd += " --subscription " + sub
	}
	if !strings.HasPrefix(cmd, "az rest") {
		cmd += " -o json"
	}
	return cmd
}

// kindAPI is what the Builder and the Snapshot need of a resource type,
// whatever its model type.
type kindAPI interface {
	info() *TypeInfo
	noun() string
	addAny(b *Builder, v any) bool
	has(st *stores, key string) bool
	orphans(b *Builder)
	validate(b *Builder)
	references(st *stores, ref func(from *Meta, r *refInfo, i, j int, id string))
	attach(st *stores)
	finish(st *stores)
	freeze(st *stores, exact map[string]any)
}

// kind describes one resource type: its store, how it is added, its
// references, its validation and how it attaches to its parent. Everything
// the Builder, the Snapshot and the missing-resource check know of a type
// is here (see kinds).
type kind[T any] struct {
	TypeInfo
	what string // the type in words, for messages: "route table"

	store func(*stores) *store[T]
	// add normalises v, stores it (with put) and adds the children it
	// embeds. Nil: put v as it is.
	add func(b *Builder, v *T)
	// parent returns the ID of the parent of a child resource; parentField
	// names the field that holds it.
	parent      func(v *T) string
	parentField string
	// refs lists the references; refInfo fills TypeInfo.Refs from it.
	refs []ref[T]
	// check validates v once every resource is in; false drops it (check
	// records the finding).
	check func(b *Builder, v *T) bool
	// checkAll runs after check, for checks across resources of the type.
	checkAll func(b *Builder)
	// link attaches a child to its parent, in ID order.
	link func(st *stores, v *T)
	// owner, set instead of link for the children that make up most of a
	// large estate (routes, security rules), returns the list of the
	// parent that holds v, finding the parent through find (see
	// parentFinder). attach fills each list sized exactly, in the order of
	// within (ties in ID order), and points the store at the copies in the
	// lists, so that each child is held once from then on.
	owner func(st *stores, v *T, find *parentFinder) *[]T
	// within orders the children of one parent for owner; nil keeps ID
	// order.
	within func(a, b *T) int
	// done runs on every resource once the children are attached.
	done func(st *stores, v *T)
	// inParent is set for children the Snapshot hands out only inside
	// their parent (routes, rules, records, ...): no lookup by ID needs them.
	inParent bool
}

// ref is one reference field of a model type.
type ref[T any] struct {
	refInfo
	// each calls emit for every ID the field holds, with its indexes (-1
	// when unused).
	each func(v *T, emit func(id string, i, j int))
}

// refInfo is what the missing check needs of a reference field.
type refInfo struct {
	field  string  // identifier, "[]" for each index
	target string  // ARM type; "" to take it from the ID
	kind   kindAPI // the kind of target, set by init
}

// one is a reference held in a single field.
func one[T any](field, target string, get func(*T) string) ref[T] {
	return ref[T]{refInfo: refInfo{field: field, target: target}, each: func(v *T, emit func(string, int, int)) {
		if id := get(v); id != "" {
			emit(id, -1, -1)
		}
	}}
}

// many is a list of references; field ends in "[]".
func many[T any](field, target string, get func(*T) []string) ref[T] {
	return ref[T]{refInfo: refInfo{field: field, target: target}, each: func(v *T, emit func(string, int, int)) {
		for i, id := range get(v) {
			if id != "" {
				emit(id, i, -1)
			}
		}
	}}
}

// fieldName fills the "[]" of a field pattern with the indexes i and j.
func fieldName(pattern string, i, j int) string {
	if i < 0 {
		return pattern
	}
	out := strings.Replace(pattern, "[]", "["+strconv.Itoa(i)+"]", 1)
	if j >= 0 {
		out = strings.Replace(out, "[]", "["+strconv.Itoa(j)+"]", 1)
	}
	return out
}

func (k *kind[T]) info() *TypeInfo { return &k.TypeInfo }

func (k *kind[T]) noun() string { return k.what }

// put stores v, checking its ID and duplicates.
func (k *kind[T]) put(b *Builder, v *T) { add(b, k.store(&b.st), k.Type, v) }

func (k *kind[T]) addValue(b *Builder, v T) {
	if k.add != nil {
		k.add(b, &v)
		return
	}
	k.put(b, &v)
}

func (k *kind[T]) addAny(b *Builder, v any) bool {
	switch x := v.(type) {
	case T:
		k.addValue(b, x)
	case *T:
		if x == nil {
			return false
		}
		k.addValue(b, *x)
	default:
		return false
	}
	return true
}

func (k *kind[T]) has(st *stores, key string) bool {
	_, ok := k.store(st).get(key)
	return ok
}

// orphans sets aside the children whose parent is not in the snapshot: they
// cannot be attached. The parent is listed as missing, referenced by them.
func (k *kind[T]) orphans(b *Builder) {
	if k.parent == nil {
		return
	}
	pk := kindOf(k.Parent)
	st := k.store(&b.st)
	var find parentFinder
	// drop and uncount delete from the map only; compact follows the loop.
	for _, e := range st.entries {
		key, v := e.key, e.v
		p := k.parent(v)
		if pk.has(&b.st, find.keyOf(p)) {
			continue
		}
		m := metaOf(v)
		if strings.TrimSpace(p) == "" {
			// Neither given nor in the ID: there is no parent to list.
			b.fail(*m, k.parentField, "%s has no parent %s: its ID does not name one", k.what, pk.noun())
			b.drop(k.Type, st, key)
			continue
		}
		b.missingRef(p, k.Parent, Ref{ID: m.ID, Field: k.parentField})
		b.setAside[key] = "read, but its " + pk.noun() + " " + p + " is not in the snapshot"
		b.uncount(k.Type, st, key)
	}
	st.compact()
}

func (k *kind[T]) validate(b *Builder) {
	if k.check != nil {
		st := k.store(&b.st)
		for _, e := range st.entries { // as in orphans
			if !k.check(b, e.v) {
				b.drop(k.Type, st, e.key)
			}
		}
		st.compact()
	}
	if k.checkAll != nil {
		k.checkAll(b)
	}
}

func (k *kind[T]) references(st *stores, report func(from *Meta, r *refInfo, i, j int, id string)) {
	if len(k.refs) == 0 {
		return
	}
	// One closure for the whole store: this runs for every resource.
	var m *Meta
	var r *refInfo
	emit := func(id string, i, j int) { report(m, r, i, j, id) }
	s := k.store(st)
	for _, e := range s.entries {
		v := e.v
		m = metaOf(v)
		for x := range k.refs {
			r = &k.refs[x].refInfo
			k.refs[x].each(v, emit)
		}
	}
}

func (k *kind[T]) attach(st *stores) {
	if k.owner != nil {
		k.attachOwned(st)
		return
	}
	if k.link == nil {
		return
	}
	for _, v := range k.store(st).sorted() {
		k.link(st, v)
	}
}

// attachOwned copies the children of an owner kind into their parents'
// lists and points the store at the copies. The store's map and keys go
// first and each list is allocated, at its exact size, only when its first
// child is copied, so that the children copied so far are held once: at no
// point are all of them held twice.
func (k *kind[T]) attachOwned(st *stores) {
	s := k.store(st)
	vals := s.frozen
	s.m, s.entries = nil, nil
	var find parentFinder
	lists := make([]*[]T, len(vals))
	group := make([]int32, len(vals))
	groups := map[*[]T]int32{}
	var sizes []int
	for i, v := range vals {
		l := k.owner(st, v, &find)
		g, ok := groups[l]
		if !ok {
			g = int32(len(sizes))
			groups[l] = g
			sizes = append(sizes, 0)
		}
		lists[i], group[i] = l, g
		sizes[g]++
	}
	groups = nil
	perm := make([]int32, len(vals))
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortStableFunc(perm, func(a, b int32) int {
		if c := cmp.Compare(group[a], group[b]); c != 0 {
			return c
		}
		if k.within == nil {
			return 0
		}
		return k.within(vals[a], vals[b])
	})
	for _, i := range perm {
		l := lists[i]
		if *l == nil {
			*l = make([]T, 0, sizes[group[i]])
		}
		*l = append(*l, *vals[i])
		vals[i] = &(*l)[len(*l)-1]
	}
}

// parentFinder finds the parent of one child after another. Children come
// in ID order or as their parent listed them, so that most have the parent
// of the one before: its key is reused instead of made again.
type parentFinder struct {
	id  string
	key string
}

// keyOf returns Key(id), reusing the last one when id is the same string.
func (f *parentFinder) keyOf(id string) string {
	if f.key == "" || id != f.id {
		f.id, f.key = id, Key(id)
	}
	return f.key
}

func (k *kind[T]) finish(st *stores) {
	if k.done == nil {
		return
	}
	for _, v := range k.store(st).m {
		k.done(st, v)
	}
}

func (k *kind[T]) freeze(st *stores, exact map[string]any) {
	s := k.store(st)
	s.freeze()
	if k.inParent {
		return
	}
	for _, v := range s.frozen {
		id := metaOf(v).ID
		if _, dup := exact[id]; !dup {
			exact[id] = v
		}
	}
}

func metaOf[T any](v *T) *Meta { return any(v).(metaHolder).meta() }

// kindsByType maps lower-case ARM types to their kinds, and kindsBySpelling
// the types as TypeInfo spells them; filled by init (kinds.go).
var kindsByType, kindsBySpelling map[string]kindAPI

// kindOf returns the kind of an ARM type (any letter case), or nil. A type
// spelled as TypeInfo spells it, as the loaders pass it, is found without
// lowercasing it.
func kindOf(typ string) kindAPI {
	if k, ok := kindsBySpelling[typ]; ok {
		return k
	}
	return kindsByType[strings.ToLower(typ)]
}

// ownerOf returns the ID and the type of the modelled resource that id names
// or belongs to: the NIC of ".../networkInterfaces/n/ipConfigurations/c", the
// firewall of ".../azureFirewalls/f/azureFirewallIpConfigurations/c", the
// workspace a private endpoint connects to. ok is false when no prefix of
// the ID names a type vnetpath models.
func ownerOf(id string) (owner, typ string, ok bool) {
	r, parsed := ParseResourceID(id)
	if !parsed {
		return "", "", false
	}
	t := strings.TrimRight(strings.TrimSpace(id), "/")
	for n := len(r.Types); n > 0; n-- {
		k := kindOf(r.Provider + "/" + strings.Join(r.Types[:n], "/"))
		if k == nil {
			continue
		}
		// Keep the ID up to the n-th name: drop 2*(len-n) trailing segments.
		cut := t
		for range 2 * (len(r.Types) - n) {
			cut = cut[:strings.LastIndex(cut, "/")]
		}
		return cut, k.info().Type, true
	}
	return "", "", false
}
