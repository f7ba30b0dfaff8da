package topology

import "strings"

// DeclareMissing records that the resource id exists, or will, but that its
// content is not known: a value a deployment assigns, such as a public IP
// address or the next hop of a route to a firewall the deployment creates.
// The snapshot lists it as missing with reason whether or not anything
// references it, so that answers that depend on it are unknown (SPEC §2),
// unless the snapshot holds it after all. The first reason given for an ID
// is kept; an empty id is ignored.
func (b *Builder) DeclareMissing(id, reason string) {
	id = strings.TrimSpace(id)
	if id == "" {
		return
	}
	key := Key(id)
	if b.malformed == nil {
		b.malformed = map[string]*Missing{}
	}
	if _, ok := b.malformed[key]; ok {
		return
	}
	b.malformed[key] = &Missing{ID: id, Type: typeOfID(id), Reason: reason}
}

// ExplainAbsent records why the snapshot does not hold the resource id,
// such as "deleted by plan.json": when something in the snapshot still
// references it, it is listed as missing with the reason "not in the
// snapshot: " and why, rather than with an export command's promise that it
// exists. Nothing is listed when nothing references it.
func (b *Builder) ExplainAbsent(id, why string) {
	id = strings.TrimSpace(id)
	if id == "" {
		return
	}
	if b.setAside == nil {
		b.setAside = map[string]string{}
	}
	b.setAside[Key(id)] = why
}
