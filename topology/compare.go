package topology

import (
	"iter"
	"reflect"
	"strings"
)

// Item is one resource of a snapshot as [Snapshot.All] and
// [Snapshot.Resource] hand it out: its ID as spelled in the snapshot, its
// ARM type as vnetpath spells it ([TypeVNet], [TypeRoute], ...) and a
// pointer to its model value (*VNet, *Route, *DNSRecord, ...), shared and
// read-only. The zero Item holds no resource.
type Item struct {
	ID    string
	Type  string
	Value any
}

// itemer is what All and Resource need of a kind.
type itemer interface {
	items(st *stores, yield func(Item) bool) bool
	item(st *stores, key string) (Item, bool)
}

func (k *kind[T]) items(st *stores, yield func(Item) bool) bool {
	for _, v := range k.store(st).sorted() {
		if !yield(Item{ID: metaOf(v).ID, Type: k.Type, Value: v}) {
			return false
		}
	}
	return true
}

func (k *kind[T]) item(st *stores, key string) (Item, bool) {
	v, ok := k.store(st).get(key)
	if !ok {
		return Item{}, false
	}
	return Item{ID: metaOf(v).ID, Type: k.Type, Value: v}, true
}

// All returns every resource of the snapshot, children included (subnets,
// routes, rules, records, links, endpoints, forwarding rules), by type in
// the order of [Types] and by ID within a type. Breaking out of the loop
// stops it.
func (s *Snapshot) All() iter.Seq[Item] {
	return func(yield func(Item) bool) {
		for _, k := range kinds {
			if !k.(itemer).items(&s.st, yield) {
				return
			}
		}
	}
}

// Resource returns the resource with the given ID (any letter case), of
// whatever modelled type the ID names, and reports whether the snapshot
// holds it.
func (s *Snapshot) Resource(id string) (Item, bool) {
	k := kindOf(typeOfID(id))
	if k == nil {
		return Item{}, false
	}
	return k.(itemer).item(&s.st, Key(id))
}

// derived lists, by model type, the fields that are not a resource's own
// configuration: the lists of children [Builder.Build] fills from the
// children's own resources, the counts a private zone declares of them, and
// the back-references Azure maintains on its own (a subnet's IP
// configurations and private endpoints, a NAT gateway's subnets, a public
// IP's IP configuration, a policy's rule collection groups).
var derived = map[reflect.Type]map[string]bool{
	reflect.TypeFor[VNet]():           {"Subnets": true, "Peerings": true},
	reflect.TypeFor[Subnet]():         {"IPConfigurations": true, "PrivateEndpoints": true},
	reflect.TypeFor[NIC]():            {"VirtualMachine": true},
	reflect.TypeFor[RouteTable]():     {"Routes": true},
	reflect.TypeFor[NSG]():            {"Rules": true, "DefaultRules": true},
	reflect.TypeFor[FirewallPolicy](): {"Groups": true, "RuleCollectionGroups": true},
	reflect.TypeFor[NATGateway]():     {"Subnets": true},
	reflect.TypeFor[PublicIP]():       {"IPConfiguration": true},
	reflect.TypeFor[PrivateZone](): {"Records": true, "Links": true, "RecordSetsHeld": true,
		"NumberOfRecordSets": true, "NumberOfVirtualNetworkLinks": true},
	reflect.TypeFor[DNSResolver](): {"Inbound": true, "Outbound": true},
	reflect.TypeFor[Ruleset]():     {"Rules": true, "Links": true},
}

// SameConfig reports whether a and b, two resources of the same model type
// (values or pointers, as [Item.Value] holds them), have the same
// configuration: what an answer can depend on. It ignores where they were
// read from (Meta.File and Meta.Path), the letter case of ARM IDs and of
// locations, the children a parent lists (a route table whose route
// changed is not itself changed: the route is) and the back-references
// Azure keeps by itself (a subnet's IP configurations, a NIC's virtual
// machine); a subnet's defaultOutboundAccess not set is true. Values of
// different types are not the same.
func SameConfig(a, b any) bool {
	x, y := deref(reflect.ValueOf(a)), deref(reflect.ValueOf(b))
	if !x.IsValid() || !y.IsValid() {
		return x.IsValid() == y.IsValid()
	}
	return sameConfig(x, y, "")
}

func sameConfig(x, y reflect.Value, field string) bool {
	if x.Type() != y.Type() {
		return false
	}
	switch x.Kind() {
	case reflect.Pointer:
		if x.IsNil() || y.IsNil() {
			if field == "DefaultOutboundAccess" {
				// Not set is true: the subnet has default outbound access.
				return effectiveBool(x, true) == effectiveBool(y, true)
			}
			return x.IsNil() == y.IsNil()
		}
		return sameConfig(x.Elem(), y.Elem(), field)
	case reflect.Struct:
		t := x.Type()
		if t.PkgPath() != reflect.TypeFor[Meta]().PkgPath() {
			return reflect.DeepEqual(x.Interface(), y.Interface()) // netip.Addr, netip.Prefix, cidr.PortRange
		}
		skip := derived[t]
		meta := t == reflect.TypeFor[Meta]()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || skip[f.Name] || meta && (f.Name == "File" || f.Name == "Path") {
				continue
			}
			if !sameConfig(x.Field(i), y.Field(i), f.Name) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if x.Len() != y.Len() {
			return false
		}
		for i := range x.Len() {
			if !sameConfig(x.Index(i), y.Index(i), field) {
				return false
			}
		}
		return true
	case reflect.String:
		a, b := x.String(), y.String()
		switch {
		case strings.HasPrefix(a, "/") && strings.HasPrefix(b, "/"):
			return SameID(a, b)
		case field == "Location":
			return normLocation(a) == normLocation(b)
		}
		return a == b
	}
	return reflect.DeepEqual(x.Interface(), y.Interface())
}

// deref follows pointers to the value; a nil pointer gives the invalid
// Value.
func deref(v reflect.Value) reflect.Value {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}

// effectiveBool is the value of a *bool, def when it is nil.
func effectiveBool(p reflect.Value, def bool) bool {
	if p.IsNil() {
		return def
	}
	return p.Elem().Bool()
}

// normLocation spells an Azure region as ARM IDs do: "West Europe" and
// "westeurope" are one region.
func normLocation(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
}
