// Package engine answers questions about a snapshot of an Azure estate
// ([topology.Snapshot]) offline: can a source reach a destination, and if
// not where and why it stops and what would fix it ([Engine.Check],
// [Engine.Run], or [Engine.RunEach] and [Engine.ProfileEach] to have each
// answer as soon as it is found); what are a subnet's effective routes
// ([Engine.EffectiveRoutes]); what does a name (or, in reverse, an
// address) resolve to from a VNet ([Engine.ResolveFrom]); and the Azure ML
// profile: what a workspace's users and compute need, as Microsoft
// documents it or as the workspace lists it ([Engine.Profile],
// [Engine.ProfileQueries], [Options]).
//
// Answers are the data of package answer: a [Result] has a verdict, the
// hops of the path with the steps at each (the route taken, the rules that
// matched, translations, the peering crossed), typed blockers with their
// cause, and fixes with the ARM resource to change, the az commands and
// the ARM-level patches that apply them (azure.ApplyPatches applies them
// to a snapshot). Package render writes answers as text, JSON and
// drawings.
//
// How a check goes: the flow is cut into its address families, then the
// source's outbound NSGs (NIC, then subnet), then the effective route of
// the current subnet, then the handler of the route's next hop type —
// delivery in the VNet, a peering, a private endpoint, a firewall,
// appliance or internal load balancer (whose subnet routes the next leg),
// a gateway, the Internet edge and its egress — and, for what is
// delivered, the destination's inbound NSGs and the return path. Where the
// path depends on a resource the snapshot lacks, or on what vnetpath does
// not model (AVNM security admin rules, Virtual WAN hubs, routes
// ExpressRoute learns by BGP), the answer is unknown, naming it. Where rules or
// routes treat parts of a destination set differently, the walk splits it,
// and the answer lists the parts. What stops a packet is recorded and the
// walk goes on as if it were lifted, so every blocker on the path is found
// and fixed, not only the first. The rules followed are those of
// ../shared/reference/azure-semantics.md; code comments cite its sections.
//
// An [Engine] is safe for concurrent use: per-subnet routes, compiled
// rules and name indexes are built once and shared.
package engine
