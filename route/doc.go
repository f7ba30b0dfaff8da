// Package route models the route table of an Azure subnet: the routes that
// apply to it, Azure's choice among them, and longest-prefix match over the
// result.
//
// A [Route] carries Azure's metadata: prefixes, [topology.NextHopType] in Azure's
// spellings, next hop IP, [Source] (Default, User, VirtualNetworkGateway),
// name, the ARM ID of its origin, and for private endpoint routes the
// summarisation length. [SystemRoutes] gives a subnet's default routes from
// its VNet's address space (reference §1.1).
//
// A [Builder] collects routes; [Builder.Build] applies the selection rules
// of reference §1.5 and §1.8 and returns an immutable [Table]:
//
//   - the longest prefix wins;
//   - at an equal prefix User beats VirtualNetworkGateway beats Default, and
//     among User routes an explicit CIDR beats service tags, ordered
//     regional tag, global tag, AzureCloud.<region>, AzureCloud (§1.4);
//   - a VirtualNetworkGateway (BGP) route never beats the system routes of
//     the VNet itself, its peerings and its service endpoints, even when
//     more specific: such a route is Invalid;
//   - a private endpoint's /32 route is Invalid when route summarisation is
//     on and a long enough User route holds it.
//
// Losers stay in the table, so [Table.Effective] lists every route with
// its [State], as Azure's effective routes do.
//
// The hot paths are [Table.Lookup] (one address; no allocation, within a
// few per cent of a bare trie lookup) and [Table.LookupSet] (a whole
// address set, cut into the pieces that use different routes, at a cost
// that grows with the pieces, not with the table). Both run on
// github.com/gaissmai/bart; no bart type appears in this package's API.
//
// Memory: the trie holds a 4-byte route ID per prefix. Route metadata is
// interned (every BGP route of a gateway shares one copy), and a route's
// own prefix is kept in a compact byte stream, so a table of the full
// Internet routing table costs about 29 bytes per IPv4 route and 52 per
// IPv6 route, metadata included (see bench/README.md).
//
// Many tables holding the same large routes — the routes of route tables
// written with service tags, thousands of prefixes each, in every spoke
// that names the same tags — share them through a [Group]: its prefix
// lists and their trie are built once, and a table built with
// [Builder.AddGroup] keeps the lists by reference and adds only its other
// routes' prefixes to a copy-on-write view of the group's trie. Selection
// is the same as with [Builder.Add]. [Table.RouteShared] reads a route
// without copying its prefix list.
package route
