// Package topology is vnetpath's model of an Azure estate: virtual networks,
// subnets, peerings, route tables, NSGs, NICs, firewalls and policies,
// gateways, NAT gateways, public IPs, private endpoints, private DNS zones and
// links, DNS Private Resolvers and forwarding rulesets, and Azure Machine
// Learning workspaces.
//
// It is plain Go data keyed by normalised (case-insensitive) ARM IDs. A
// [Builder] collects resources in any order — children before or after their
// parents — and [Builder.Build] checks Azure's constraints and references and
// returns a frozen [Snapshot], safe for concurrent readers. Problems are
// [*Finding] values naming the file, the resource ID and the place.
//
// Real exports are partial. A resource that something references (or that a
// zone's declared counts imply) and that the snapshot lacks is listed by
// [Snapshot.Missing], with who references it and the az command that exports
// it; nothing that references it is dropped (SPEC §2, "missing is not
// empty").
//
// Each modelled type is described once (its store, references, validation,
// parent and export command); [Types] lists them for the loader, the
// missing-resource check and the README's export recipe. The package knows
// nothing of ARM JSON: findings name model fields ([Finding].Field), and the
// azure package, which turns snapshots exported with az, Resource Graph or
// the SDK into Builder calls, places them in the JSON.
package topology
